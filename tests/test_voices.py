"""Piper's voice catalogue, served from loopback: a catalogue and voices generated for the
test (the tone voices under catalogue keys, model cards written here), listed, installed,
used, removed; a file whose MD5 does not match is refused and nothing is left; a download cut
in the middle resumes with a Range request; licence classes from model cards. Nothing here
touches the internet."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest

from conftest import DATA, SAMPLES, run_cli
from papercast.voice.catalogue import ATTRIBUTION, OPEN, UNCLEAR, licence_of

sf = pytest.importorskip("soundfile")

CARDS = {
    "en_GB-testa-low": "# Model card for testa (low)\n\n* Language: en_GB\n\n## Dataset\n\n"
    "* URL: https://example.org/testa\n* License: CC0\n\n## Training\n\nTrained from scratch.\n",
    "en_US-testb-medium": "# Model card for testb (medium)\n\n## Dataset\n\n* License: CC BY 4.0\n",
    "en_US-testc-high": "# Model card for testc (high)\n\n## Dataset\n\n* License: CC0\n\n"
    "## Training\n\nFinetuned from U.S. English testa voice (low quality)\n",
}


# The test voices behind the keys: two single-speaker voices and a three-speaker one.
MODELS = {
    "en_GB-testa-low": "tone-voice.onnx",
    "en_US-testb-medium": "timed-high-voice.onnx",
    "en_US-testc-high": "choir-voice.onnx",
}


def _catalogue(root: Path, bad_md5: str = "") -> dict[str, Any]:
    """Voices under catalogue paths in ``root`` and the voices.json describing them."""
    doc: dict[str, Any] = {}
    for key, card in CARDS.items():
        model = (DATA / MODELS[key]).read_bytes()
        config = (DATA / f"{MODELS[key]}.json").read_bytes()
        speakers = json.loads(config).get("speaker_id_map", {})
        lang, name, quality = key.split("-")
        where = f"{lang[:2]}/{lang}/{name}/{quality}"
        files = {f"{key}.onnx": model, f"{key}.onnx.json": config, "MODEL_CARD": card.encode()}
        listed = {}
        for fname, data in files.items():
            (root / where).mkdir(parents=True, exist_ok=True)
            (root / where / fname).write_bytes(data)
            md5 = hashlib.md5(data, usedforsecurity=False).hexdigest()
            if key == bad_md5 and fname.endswith(".onnx"):
                md5 = "0" * 32
            listed[f"{where}/{fname}"] = {"size_bytes": len(data), "md5_digest": md5}
        doc[key] = {
            "key": key,
            "name": name,
            "language": {
                "code": lang,
                "family": lang[:2],
                "region": lang[3:],
                "name_english": "English",
            },  # fmt: skip
            "quality": quality,
            "num_speakers": max(1, len(speakers)),
            "speaker_id_map": speakers,
            "files": listed,
            "aliases": [],
        }
    (root / "voices.json").write_text(json.dumps(doc), encoding="utf-8")
    return doc


class _Files(http.server.SimpleHTTPRequestHandler):
    """Files with single byte ranges; the first request for a model is cut halfway when
    ``cut`` is set (the server closes the connection mid-body)."""

    cut: set[str] = set()
    ranges: list[str] = []

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = Path(self.translate_path(self.path))
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        start = 0
        given = self.headers.get("Range", "")
        if given.startswith("bytes="):
            self.ranges.append(given)
            start = int(given[6:].split("-")[0])
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if path.name in self.cut:
            self.cut.discard(path.name)
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.wfile.write(body)


@pytest.fixture
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    root = tmp_path / "mirror"
    root.mkdir()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("PAPERCAST_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("PAPERCAST_VOICES_URL", raising=False)
    handler = type("Handler", (_Files,), {"cut": set(), "ranges": []})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *a: handler(*a, directory=str(root))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}/", handler
    server.shutdown()


def _voices_home(tmp_path: Path) -> Path:
    return tmp_path / "data" / "papercast" / "voices"


def test_list_install_use_and_remove(served: Any, tmp_path: Path) -> None:
    root, url, _ = served
    _catalogue(root)
    r = run_cli("voices", "list", "--from", url)
    assert r.code == 0, r.err
    assert [line.split("\t")[0] for line in r.out.splitlines()] == sorted(CARDS)
    r = run_cli("voices", "list", "--from", url, "--language", "en_GB")
    assert [line.split("\t")[0] for line in r.out.splitlines()] == ["en_GB-testa-low"]
    r = run_cli("voices", "install", "en_GB-testa-low", "--from", url)
    assert r.code == 0, r.err
    assert "licence: open for commercial use" in r.out
    folder = _voices_home(tmp_path) / "en_GB-testa-low"
    assert sorted(p.name for p in folder.iterdir()) == [
        "MODEL_CARD", "en_GB-testa-low.onnx", "en_GB-testa-low.onnx.json"
    ]  # fmt: skip
    assert not list((_voices_home(tmp_path) / ".partial").iterdir())
    listed = run_cli("voices")
    assert "en_GB-testa-low\tinstalled from Piper's catalogue" in listed.out
    r = run_cli("voices", "list", "--installed")  # offline: the catalogue kept beside
    assert [line.split("\t")[0] for line in r.out.splitlines()] == ["en_GB-testa-low"]
    out = tmp_path / "episode.mp3"
    r = run_cli("speak", str(SAMPLES / "wire-copper.txt"), "--voice", "en_GB-testa-low",
                "-o", str(out))  # fmt: skip
    assert r.code == 0, r.err
    audio, rate = sf.read(str(out))
    assert len(audio) / rate > 5  # the tone voice made the episode
    r = run_cli("voices", "remove", "en_GB-testa-low")
    assert r.code == 0 and not folder.exists()
    r = run_cli("speak", str(SAMPLES / "wire-copper.txt"), "--voice", "en_GB-testa-low",
                "-o", str(tmp_path / "again.mp3"))  # fmt: skip
    assert r.code == 2 and "unknown voice 'en_GB-testa-low'" in r.err
    r = run_cli("voices", "install", "en_GB-nobody-low", "--from", url)
    assert r.code == 2 and "not in the catalogue" in r.err and "Traceback" not in r.err


def test_a_file_that_does_not_match_its_md5_is_refused_and_nothing_is_installed(
    served: Any, tmp_path: Path
) -> None:
    root, url, _ = served
    _catalogue(root, bad_md5="en_US-testb-medium")
    r = run_cli("voices", "install", "en_US-testb-medium", "--from", url)
    assert r.code == 2 and "does not match the catalogue's MD5" in r.err, r.err
    assert len(r.err.strip().splitlines()) == 1
    home = _voices_home(tmp_path)
    assert not (home / "en_US-testb-medium").exists()
    assert not (home / ".partial" / "en_US-testb-medium").exists()
    assert "en_US-testb-medium" not in run_cli("voices").out


def test_a_cut_download_resumes_with_a_range_request(served: Any, tmp_path: Path) -> None:
    root, url, handler = served
    doc = _catalogue(root)
    handler.cut.add("en_US-testc-high.onnx")
    r = run_cli("voices", "install", "en_US-testc-high", "--from", url)
    assert r.code == 2 and "run the install again to resume" in r.err, r.err
    assert not (_voices_home(tmp_path) / "en_US-testc-high").exists()
    r = run_cli("voices", "install", "en_US-testc-high", "--from", url)
    assert r.code == 0, r.err
    size = next(
        f["size_bytes"] for p, f in doc["en_US-testc-high"]["files"].items() if p.endswith(".onnx")
    )
    assert handler.ranges == [f"bytes={size // 2}-"]  # from where it stopped
    model = _voices_home(tmp_path) / "en_US-testc-high" / "en_US-testc-high.onnx"
    assert model.read_bytes() == (DATA / "choir-voice.onnx").read_bytes()
    assert "licence: non-commercial or unclear: finetuned from" in r.out


def test_the_default_voice_s_licence_is_told_from_its_own_card() -> None:
    r = run_cli("voices", "info", "joe")
    assert r.code == 0, r.err
    assert "dataset licence: CC0" in r.out and "finetuned from: U.S. English lessac" in r.out
    assert "licence class: non-commercial or unclear" in r.out


def test_an_offline_copy_in_a_folder_installs_too(tmp_path: Path, monkeypatch: Any) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    root = tmp_path / "copy"
    root.mkdir()
    _catalogue(root)
    monkeypatch.setenv("PAPERCAST_VOICES_URL", str(root))
    r = run_cli("voices", "install", "en_US-testb-medium")
    assert r.code == 0, r.err
    assert "licence: attribution required" in r.out
    r = run_cli("voices", "info", "en_US-testb-medium")
    assert "dataset licence: CC BY 4.0" in r.out and "attribution required" in r.out
    assert os.path.isfile(_voices_home(tmp_path) / "en_US-testb-medium" / "MODEL_CARD")


@pytest.mark.parametrize(
    ("card", "kind", "says"),
    [
        ("## Dataset\n* License: CC0\n", OPEN, "no conditions"),
        ("## Dataset\n* License: Public Domain\n", OPEN, "no conditions"),
        ("## Dataset\n* License: CC BY-SA 4.0\n", ATTRIBUTION, "credit the dataset"),
        ("## Dataset\n* License: CC BY-NC-SA 4.0\n", UNCLEAR, "not commercial"),
        ("## Dataset\n* License: research only\n", UNCLEAR, "not commercial"),
        ("## Dataset\n* URL: https://example.org\n", UNCLEAR, "names no licence"),
        # joe's shape: an open dataset, weights finetuned from another voice
        (
            "## Dataset\n* License: CC0\n\n## Training\nFinetuned from U.S. English lessac "
            "voice (medium quality)\n",
            UNCLEAR,
            "finetuned from U.S. English lessac voice",
        ),
        ("## Dataset\n* License: Proprietary EULA\n", UNCLEAR, "cannot classify"),
    ],
)
def test_licence_classes_from_model_cards(card: str, kind: str, says: str) -> None:
    lic = licence_of(card)
    assert lic.kind == kind and says in lic.reason, lic


def test_a_public_feed_with_an_unclear_voice_is_warned(tmp_path: Path) -> None:
    folder = tmp_path / "show"
    assert run_cli("feed", "init", str(folder)).code == 0  # voice = "joe"
    r = run_cli("feed", "build", str(folder))
    assert r.code == 0, r.err
    assert "warning: voice joe: licence non-commercial or unclear: finetuned from" in r.err
    toml = folder / "papercast.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("private = false", "private = true"),
        encoding="utf-8",
    )
    r = run_cli("feed", "build", str(folder))
    assert r.code == 0 and "licence" not in r.err  # a private feed: not published
    toml.write_text(
        toml.read_text(encoding="utf-8")
        .replace("private = true", "private = false")
        .replace('voice = "joe"', f'voice = "{DATA / "tone-voice.onnx"}"'),
        encoding="utf-8",
    )
    r = run_cli("feed", "build", str(folder))
    assert r.code == 0 and "licence" not in r.err  # no card beside the model: not judged


def test_an_attribution_voice_is_credited_in_the_id3_tags_and_the_feed(
    served: Any, tmp_path: Path
) -> None:
    from mutagen.id3 import ID3

    feedparser = pytest.importorskip("feedparser")
    root, url, _ = served
    _catalogue(root)
    for key in ("en_US-testb-medium", "en_GB-testa-low"):
        assert run_cli("voices", "install", key, "--from", url).code == 0
    seen = {}
    for key in ("en_US-testb-medium", "en_GB-testa-low"):
        folder = tmp_path / key
        assert run_cli("feed", "init", str(folder)).code == 0
        toml = folder / "papercast.toml"
        toml.write_text(
            toml.read_text(encoding="utf-8").replace('voice = "joe"', f'voice = "{key}"'),
            encoding="utf-8",
        )
        (folder / "articles" / "copper.txt").write_text(
            (SAMPLES / "wire-copper.txt").read_text(encoding="utf-8"), encoding="utf-8"
        )
        r = run_cli("feed", "build", str(folder))
        assert r.code == 0, r.err
        (mp3,) = (folder / "site" / "episodes").glob("*.mp3")
        tags = ID3(str(mp3))
        (item,) = feedparser.parse((folder / "site" / "feed.xml").read_bytes()).entries
        seen[key] = ([str(f) for f in tags.getall("TCOP")], item.description)
    credit = "Voice: testb (medium); trained on a dataset licensed CC BY 4.0"
    tcop, description = seen["en_US-testb-medium"]
    assert tcop == [credit] and credit in description
    tcop, description = seen["en_GB-testa-low"]  # CC0: no credit asked for
    assert tcop == [] and "trained on a dataset" not in description


def _pitch_hz(path: Path) -> float:
    import numpy as np

    audio, rate = sf.read(str(path))
    audio = audio if audio.ndim == 1 else audio.mean(axis=1)
    spectrum = np.abs(np.fft.rfft(audio))
    return float(np.argmax(spectrum) * rate / len(audio))


def test_a_three_speaker_voice_installs_auditions_in_chromium_and_speaks_as_each_speaker(
    served: Any, tmp_path: Path
) -> None:
    """The three-speaker test voice from the loopback catalogue: listed with its speakers,
    installed, auditioned (a sheet with one playable audio element per speaker, loaded by
    headless Chromium; each speaker's pitch read back by soundfile), and used by name."""
    from conftest import audio_sheet_report

    root, url, _ = served
    _catalogue(root)
    listed = run_cli("voices", "list", "--from", url)
    assert "en_US-testc-high\ten_US\thigh\t3 speaker(s)" in listed.out
    assert run_cli("voices", "install", "en_US-testc-high", "--from", url).code == 0
    shown = run_cli("voices", "info", "en_US-testc-high", "--from", url).out
    assert "speakers: 3" in shown and "speaker names: alto, tenor, soprano" in shown
    sheet = tmp_path / "sheet"
    r = run_cli("voices", "audition", "en_US-testc-high", "--out", str(sheet))
    assert r.code == 0, r.err
    assert "3 of 3 speaker(s)" in r.err
    page = (sheet / "index.html").read_text(encoding="utf-8")
    assert page.count("<audio") == 3
    for name in ("alto", "tenor", "soprano"):
        assert f"<td>{name}</td>" in page
    pitches = [_pitch_hz(sheet / "audio" / f"speaker-{i:03d}.mp3") for i in range(3)]
    assert [round(p / 10) * 10 for p in pitches] == [330, 440, 660], pitches
    two = run_cli("voices", "audition", "en_US-testc-high", "--out", str(tmp_path / "two"),
                  "--speakers", "2")  # fmt: skip
    assert two.code == 0 and (tmp_path / "two" / "index.html").read_text().count("<audio") == 2

    out = tmp_path / "soprano.mp3"
    r = run_cli("speak", str(SAMPLES / "wire-copper.txt"), "--voice", "en_US-testc-high",
                "--speaker", "soprano", "-o", str(out))  # fmt: skip
    assert r.code == 0, r.err
    assert abs(_pitch_hz(out) - 660) < 5
    r = run_cli("speak", str(SAMPLES / "wire-copper.txt"), "--voice", "en_US-testc-high",
                "--speaker", "bass", "-o", str(tmp_path / "bass.mp3"))  # fmt: skip
    assert r.code == 2 and "no speaker 'bass' (it has 3: alto, tenor, soprano" in r.err
    assert not (tmp_path / "bass.mp3").exists()

    results = audio_sheet_report(sheet / "index.html", tmp_path / "profile")
    assert [r["src"] for r in results] == [f"audio/speaker-{i:03d}.mp3" for i in range(3)]
    for item in results:
        assert item["error"] is None and item["duration"] > 3, item
