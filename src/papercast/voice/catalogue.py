"""Piper's voice catalogue: find, install, check and remove voices, with their licences.

The catalogue is ``voices.json`` of the rhasspy/piper-voices repository, at a pinned
revision: for each voice its key (``en_GB-alba-medium``), name, language {code, family,
region, name_english}, quality, num_speakers, speaker_id_map, and files {path: {size_bytes,
md5_digest}} (the .onnx, its .onnx.json config and MODEL_CARD). A file's URL is the base URL
plus its path. The base is configurable (``PAPERCAST_VOICES_URL`` or ``--from``): a mirror,
or a folder holding an offline copy for machines without the internet.

Installed voices live in ``$XDG_DATA_HOME/papercast/voices/KEY/`` (``~/.local/share/...``).
A download goes to ``.partial/KEY/`` first; a cut download resumes where it stopped (an HTTP
Range request); every file is checked against its size and MD5 before the folder is renamed
into place, so a voice is installed whole or not at all, and a file that does not match is
refused and removed.

Licences: ``licence_of(model_card)`` reads the card's dataset licence and whether the model
was "finetuned from" another voice, and gives a class: open for commercial use, attribution
required, or non-commercial or unclear, with the reason. A voice finetuned from another
inherits what that voice's data allows, which its card does not say: unclear.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from papercast.errors import VoiceError
from papercast.files import write_bytes

REVISION = "v1.0.0"  # the catalogue revision voices are installed from, pinned
DEFAULT_BASE = f"https://huggingface.co/rhasspy/piper-voices/resolve/{REVISION}/"
CATALOGUE = "voices.json"
CHUNK = 256 * 1024
MAX_CATALOGUE_BYTES = 64 * 1024 * 1024
MAX_FILE_BYTES = 2 * 1024 * 1024 * 1024
TIMEOUT_S = 30

OPEN, ATTRIBUTION, UNCLEAR = (
    "open for commercial use",
    "attribution required",
    "non-commercial or unclear",
)
_OPEN_LICENCES = ("cc0", "public domain", "mit", "apache", "bsd", "unlicense", "cc-pdm")
_ATTRIBUTION = ("cc by", "cc-by", "attribution")
_NONCOMMERCIAL = ("nc", "non-commercial", "noncommercial", "research only", "personal use")


def voices_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "papercast" / "voices"


def base_url(given: str | None = None) -> str:
    base = given or os.environ.get("PAPERCAST_VOICES_URL") or DEFAULT_BASE
    if re.match(r"https?://", base):
        return base if base.endswith("/") else base + "/"
    folder = Path(base).expanduser()
    if not folder.is_dir():
        raise VoiceError(f"voice catalogue {base}: not an http(s) URL or a folder")
    return folder.resolve().as_uri() + "/"


@dataclass(frozen=True)
class Licence:
    kind: str  # OPEN, ATTRIBUTION or UNCLEAR
    dataset_licence: str  # as the card says it ("" when it says none)
    finetuned_from: str  # the voice it was finetuned from, or ""
    reason: str

    @property
    def attribution(self) -> str:
        """What to credit, when the licence asks for it."""
        return f"Voice dataset licence: {self.dataset_licence}" if self.kind == ATTRIBUTION else ""


def licence_of(card: str) -> Licence:
    """The licence class of a Piper MODEL_CARD, with the reason."""
    found = re.search(r"^\s*[*-]?\s*licen[cs]e\s*:\s*(.+?)\s*$", card, re.I | re.M)
    licence = found.group(1).strip() if found else ""
    base = re.search(r"fine-?tuned from\s+(.+?)\.?\s*$", card, re.I | re.M)
    finetuned = base.group(1).strip() if base else ""
    low = f" {licence.lower().replace('_', ' ')} "
    if not licence:
        return Licence(UNCLEAR, "", finetuned, "the model card names no licence")
    if any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", low) for w in _NONCOMMERCIAL):
        return Licence(
            UNCLEAR, licence, finetuned, f"the dataset licence ({licence}) is not commercial"
        )
    if finetuned:
        return Licence(
            UNCLEAR,
            licence,
            finetuned,
            f"finetuned from {finetuned}: the model's weights derive from that voice, whose "
            "data's licence this card does not give",
        )
    if any(w in low for w in _ATTRIBUTION):
        return Licence(ATTRIBUTION, licence, "", f"{licence}: credit the dataset where it is used")
    if any(re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", low) for w in _OPEN_LICENCES):
        return Licence(OPEN, licence, "", f"{licence}: no conditions on use")
    return Licence(UNCLEAR, licence, "", f"{licence}: papercast cannot classify it; read it first")


def model_card(model: Path) -> str | None:
    """The MODEL_CARD beside a voice's model (how Piper's voices ship), or None."""
    card = model.parent / "MODEL_CARD"
    return card.read_text(encoding="utf-8", errors="replace") if card.is_file() else None


def voice_credit(model: Path) -> str:
    """The credit a voice's licence asks for, from the MODEL_CARD beside its model ("" when
    it asks for none, or there is no card): where listeners (ID3) and directories (the feed)
    see it."""
    card = model_card(model)
    if card is None:
        return ""
    lic = licence_of(card)
    if lic.kind != ATTRIBUTION:
        return ""
    name = re.search(r"^#\s*model card for\s+(.+?)\s*$", card, re.I | re.M)
    url = re.search(r"^\s*[*-]?\s*url\s*:\s*(\S+)", card, re.I | re.M)
    who = name.group(1) if name else model.stem
    where = f", {url.group(1)}" if url else ""
    return f"Voice: {who}; trained on a dataset licensed {lic.dataset_licence}{where}"


def _open(url: str, start: int = 0) -> Any:
    request = urllib.request.Request(url, headers={"User-Agent": "papercast"})
    if start:
        request.add_header("Range", f"bytes={start}-")
    try:
        return urllib.request.urlopen(request, timeout=TIMEOUT_S)  # noqa: S310 - http(s) or file:
    except urllib.error.HTTPError as e:
        raise VoiceError(f"{url}: HTTP {e.code} {e.reason}") from None
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise VoiceError(f"{url}: cannot fetch: {reason}") from None


def catalogue(base: str | None = None) -> dict[str, dict[str, Any]]:
    """voices.json from ``base`` (the copy kept from the last read when it cannot be read)."""
    url = base_url(base) + CATALOGUE
    kept = voices_dir() / CATALOGUE
    try:
        with _open(url) as r:
            data = r.read(MAX_CATALOGUE_BYTES + 1)
        if len(data) > MAX_CATALOGUE_BYTES:
            raise VoiceError(f"{url}: over {MAX_CATALOGUE_BYTES} bytes: not a voice catalogue")
    except VoiceError:
        if not kept.is_file():
            raise
        data = kept.read_bytes()
    try:
        doc = json.loads(data)
    except ValueError as e:
        raise VoiceError(f"{url}: not a voice catalogue: {e}") from None
    if not isinstance(doc, dict) or not all(isinstance(v, dict) for v in doc.values()):
        raise VoiceError(f"{url}: not a voice catalogue (expected an object of voices)")
    voices_dir().mkdir(parents=True, exist_ok=True)
    write_bytes(kept, data)
    return doc


def installed() -> list[str]:
    root = voices_dir()
    if not root.is_dir():
        return []
    return sorted(
        d.name for d in root.iterdir() if d.is_dir() and not d.name.startswith(".") and
        (d / f"{d.name}.onnx").is_file()
    )  # fmt: skip


def installed_catalogue() -> dict[str, dict[str, Any]]:
    """The installed voices' catalogue entries, as last read (no network)."""
    kept = voices_dir() / CATALOGUE
    try:
        doc = json.loads(kept.read_text(encoding="utf-8")) if kept.is_file() else {}
    except (OSError, ValueError):
        doc = {}
    return {k: doc.get(k, {}) if isinstance(doc, dict) else {} for k in installed()}


def model_of(key: str) -> Path | None:
    """The installed model of ``key``, or None."""
    model = voices_dir() / key / f"{key}.onnx"
    return model if model.is_file() and Path(f"{model}.json").is_file() else None


def listing(
    voices: dict[str, dict[str, Any]],
    language: str = "",
    quality: str = "",
    only_installed: bool = False,
) -> list[dict[str, Any]]:
    have = set(installed())
    out = []
    for key, v in sorted(voices.items()):
        lang = v.get("language", {})
        code = str(lang.get("code", ""))
        if language and not (code == language or code.startswith(language + "_") or
                             lang.get("family") == language):  # fmt: skip
            continue
        if quality and v.get("quality") != quality:
            continue
        if only_installed and key not in have:
            continue
        out.append(
            {
                "key": key,
                "language": code,
                "language_name": lang.get("name_english", ""),
                "quality": v.get("quality", ""),
                "speakers": int(v.get("num_speakers", 1) or 1),
                "installed": key in have,
            }
        )
    return out


def _entry(voices: dict[str, dict[str, Any]], key: str) -> dict[str, Any]:
    if key not in voices:
        near = [k for k in voices if key.lower() in k.lower()][:5]
        hint = f" (did you mean: {', '.join(near)}?)" if near else ""
        raise VoiceError(f"voice {key!r} is not in the catalogue{hint}")
    files = voices[key].get("files")
    if not isinstance(files, dict) or not files:
        raise VoiceError(f"voice {key!r}: the catalogue lists no files")
    return voices[key]


def _safe(key: str, path: str) -> str:
    """A catalogue file path's name, refused when it could leave the voice's folder."""
    name = path.rsplit("/", 1)[-1]
    if not re.fullmatch(r"[A-Za-z0-9_.+-]{1,200}", name) or name in (".", ".."):
        raise VoiceError(f"voice {key!r}: the catalogue names a file {path[:100]!r}")
    return name


def install(key: str, base: str | None = None, say: Any = None) -> Path:
    """Download, check and install ``key``; its folder."""
    if not re.fullmatch(r"[A-Za-z0-9_.+-]{1,200}", key):
        raise VoiceError(f"voice {key[:100]!r}: not a catalogue key")
    voices = catalogue(base)
    entry = _entry(voices, key)
    root = voices_dir()
    partial = root / ".partial" / key
    partial.mkdir(parents=True, exist_ok=True)
    url = base_url(base)
    for path, facts in entry["files"].items():
        name = _safe(key, path)
        size = int(facts.get("size_bytes", -1))
        md5 = str(facts.get("md5_digest", ""))
        if not 0 <= size <= MAX_FILE_BYTES or not re.fullmatch(r"[0-9a-f]{32}", md5):
            raise VoiceError(f"voice {key!r}: the catalogue gives no size and MD5 for {name}")
        target = partial / name
        _download(url + path, target, size)
        if _md5(target) != md5:
            target.unlink()
            shutil.rmtree(partial, ignore_errors=True)
            raise VoiceError(
                f"voice {key!r}: {name} does not match the catalogue's MD5; removed, nothing "
                "installed"
            )
        if say:
            say(f"{name}: {size:,} bytes, checked")
    names = {_safe(key, p) for p in entry["files"]}
    if f"{key}.onnx" not in names or f"{key}.onnx.json" not in names:
        shutil.rmtree(partial, ignore_errors=True)
        raise VoiceError(f"voice {key!r}: the catalogue lists no {key}.onnx and its config")
    final = root / key
    old = root / ".partial" / f"{key}.old"
    if final.exists():
        shutil.rmtree(old, ignore_errors=True)
        final.rename(old)
    partial.rename(final)
    shutil.rmtree(old, ignore_errors=True)
    return final


def _download(url: str, target: Path, size: int) -> None:
    """``url`` to ``target``, resuming a partial file; refused past ``size`` bytes."""
    have = target.stat().st_size if target.exists() else 0
    if have > size:
        target.unlink()
        have = 0
    if have == size:
        return
    with _open(url, start=have) as r:
        status = getattr(r, "status", 200)
        if have and status != 206:  # the server ignored the range: start over
            have = 0
        with open(target, "ab" if have else "wb") as f:
            try:
                while True:
                    chunk = r.read(CHUNK)
                    if not chunk:
                        break
                    have += len(chunk)
                    if have > size:
                        raise VoiceError(f"{url}: more than the catalogue's {size:,} bytes")
                    f.write(chunk)
            except (OSError, urllib.error.URLError) as e:
                raise VoiceError(
                    f"{url}: the download stopped at {have:,} of {size:,} bytes ({e}); run "
                    "the install again to resume"
                ) from None
    if have != size:
        raise VoiceError(
            f"{url}: the download stopped at {have:,} of {size:,} bytes; run the install "
            "again to resume"
        )


def _md5(path: Path) -> str:
    h = hashlib.md5(usedforsecurity=False)
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def remove(key: str) -> Path:
    folder = voices_dir() / key
    if not re.fullmatch(r"[A-Za-z0-9_.+-]{1,200}", key) or not folder.is_dir():
        raise VoiceError(
            f"voice {key[:100]!r} is not installed (papercast voices list --installed)"
        )
    shutil.rmtree(folder)
    return folder


def info(key: str, base: str | None = None) -> dict[str, Any]:
    """A voice's facts and its licence class (from its MODEL_CARD: the installed copy, else
    the catalogue's)."""
    folder = voices_dir() / key
    entry: dict[str, Any] = {}
    installed_card = model_card(folder / f"{key}.onnx")
    if installed_card is not None:
        card = installed_card
        try:
            entry = catalogue(base).get(key, {})
        except VoiceError:
            entry = {}
    else:
        voices = catalogue(base)
        entry = _entry(voices, key)
        path = next((p for p in entry["files"] if p.endswith("MODEL_CARD")), None)
        if path is None:
            card = ""
        else:
            with _open(base_url(base) + path) as r:
                card = r.read(1024 * 1024).decode("utf-8", errors="replace")
    lic = licence_of(card)
    return {
        "key": key,
        "installed": folder.is_dir(),
        "language": entry.get("language", {}).get("code", ""),
        "quality": entry.get("quality", ""),
        "speakers": int(entry.get("num_speakers", 1) or 1),
        "speaker_names": _speaker_names(entry.get("speaker_id_map")),
        "licence": lic,
    }


def _speaker_names(id_map: Any) -> list[str]:
    """A speaker map's names in id order ([] when there is none)."""
    if not isinstance(id_map, dict):
        return []

    def order(item: tuple[Any, Any]) -> tuple[int, str]:
        ident = str(item[1])
        return (int(ident) if ident.isdigit() else 1 << 30, str(item[0]))

    return [str(k) for k, _ in sorted(id_map.items(), key=order)]
