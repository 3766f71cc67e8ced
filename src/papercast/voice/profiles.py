"""Voice profiles: which Piper model, speaker, pace, noise, and pauses.

A profile is a small TOML file in the project's ``voices/`` folder (shipped in
the wheel as ``papercast/_voices``). ``--voice NAME`` picks a profile,
``--voice path/to/model.onnx`` any Piper voice with default settings.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from papercast.errors import VoiceError
from papercast.voice.catalogue import installed, model_of

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_VOICE = "joe"


@dataclass(frozen=True)
class Pauses:
    """Silence placed between clips, in milliseconds."""

    sentence_ms: int = 300  # between sentences of a paragraph
    paragraph_ms: int = 750  # after the last sentence of a paragraph
    heading_before_ms: int = 1000  # before a section heading
    heading_after_ms: int = 500  # after a section heading
    title_after_ms: int = 1100  # after the headline (and the intro)
    lead_in_ms: int = 250  # silence at the very start
    tail_ms: int = 600  # silence at the very end


@dataclass(frozen=True)
class VoiceProfile:
    name: str
    model: Path  # the .onnx file; its config is model + ".json"
    description: str = ""
    speaker: int | str | None = None  # multi-speaker voices: an id or a name from the voice's map
    length_scale: float | None = None  # >1 slower; None: the voice's own default
    noise_scale: float | None = None
    noise_w_scale: float | None = None
    pauses: Pauses = field(default_factory=Pauses)
    source: str = ""  # the profile file, for messages
    config_file: Path | None = None  # the voice's JSON config; default: the model's path + ".json"

    @property
    def config_path(self) -> Path:
        return self.config_file or Path(f"{self.model}.json")

    def voice_config(self) -> dict[str, Any]:
        try:
            return json.loads(self.config_path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
        except (OSError, ValueError) as e:
            raise VoiceError(f"voice {self.name}: cannot read {self.config_path}: {e}") from e

    @property
    def espeak_voice(self) -> str:
        """The espeak-ng voice its phonemes are made with (its config's, else en-us)."""
        return str(self.voice_config().get("espeak", {}).get("voice", "en-us"))

    def at_rate(self, rate_percent: float) -> VoiceProfile:
        """This voice spoken at ``rate_percent`` of its own pace: VITS's length scale stretches
        every phoneme's duration, so 80 % means a length scale 1.25 times the voice's."""
        if rate_percent == 100:
            return self
        own = self.length_scale
        if own is None:
            own = float(self.voice_config().get("inference", {}).get("length_scale", 1.0))
        return replace(self, length_scale=own * 100.0 / rate_percent)

    def with_speaker(self, speaker: str) -> VoiceProfile:
        """This voice with ``speaker`` (a name, or a number as text; "" keeps the profile's)."""
        if not speaker:
            return self
        return replace(self, speaker=int(speaker) if speaker.strip().isdigit() else speaker)


def speaker_id(profile: VoiceProfile, config: dict[str, Any]) -> int | None:
    """The speaker id a multi-speaker voice is run with (None for a single-speaker voice);
    VoiceError naming the voice's speakers when the profile's is not one of them."""
    count = int(config.get("num_speakers", 1) or 1)
    names: dict[str, int] = config.get("speaker_id_map") or {}
    wanted = profile.speaker
    if count <= 1:
        if wanted not in (None, 0, "0") and wanted not in names:
            raise VoiceError(f"voice {profile.name} has one speaker; no speaker {wanted!r}")
        return None
    if wanted is None:
        return 0
    if isinstance(wanted, int) and not isinstance(wanted, bool):
        if 0 <= wanted < count:
            return wanted
    elif isinstance(wanted, str) and wanted in names:
        return int(names[wanted])
    known = ", ".join(sorted(names, key=lambda n: names[n])) or f"0-{count - 1}"
    raise VoiceError(
        f"voice {profile.name}: no speaker {wanted!r} (it has {count}: {known}; or a number "
        f"0-{count - 1})"
    )


def voice_spec(voice: str, speaker: str, default: str | None = None) -> str:
    """An article's own voice and speaker as a Sentence names them ("VOICE", "VOICE#SPEAKER",
    "#SPEAKER": another speaker of the feed's voice ``default``), checked: VoiceError when the
    voice is unknown or has no such speaker."""
    voice, speaker = voice.strip(), speaker.strip()
    if "#" in voice + speaker:
        raise VoiceError(f"voice {voice!r} / speaker {speaker!r}: no '#' in either")
    profile = resolve_voice(voice or default).with_speaker(speaker)
    speaker_id(profile, profile.voice_config())
    return f"{voice}#{speaker}" if speaker else voice


def language_of(profile: VoiceProfile) -> str:
    """A voice's language as a lower-case tag with underscores ("en_us"), from its config."""
    config = profile.voice_config()
    code = config.get("language", {}).get("code") or config.get("espeak", {}).get("voice", "")
    return str(code).lower().replace("-", "_")


def voice_for_language(tag: str, own: VoiceProfile) -> VoiceProfile:
    """The voice an SSML ``xml:lang`` asks for: the episode's own when it speaks exactly that
    language, else a profile or installed voice that does, else one of the same language
    family (the episode's own first); VoiceError when none speaks it."""
    wanted = tag.lower().replace("-", "_")
    family = wanted.split("_")[0]
    candidates = [own, *list_profiles()]
    candidates += [
        VoiceProfile(name=key, model=model, source=str(model), description="installed")
        for key in installed()
        if (model := model_of(key)) is not None
    ]
    usable = []
    for profile in candidates:
        try:
            usable.append((profile, language_of(profile)))
        except VoiceError:
            continue  # a profile whose voice is not installed
    for match in (lambda code: code == wanted, lambda code: code.split("_")[0] == family):
        for profile, code in usable:
            if match(code):
                return profile
    raise VoiceError(
        f"no voice speaks xml:lang {tag!r} (install one: papercast voices list --language {family})"
    )


def profile_dirs() -> list[Path]:
    """Where profiles live: the installed package data, then a source checkout's voices/."""
    package = Path(__file__).resolve().parents[1]  # papercast/ (src/papercast in a checkout)
    return [d for d in (package / "_voices", package.parents[1] / "voices") if d.is_dir()]


def list_profiles() -> list[VoiceProfile]:
    seen: dict[str, VoiceProfile] = {}
    for d in profile_dirs():
        for f in sorted(d.glob("*.toml")):
            if f.stem not in seen:
                seen[f.stem] = load_profile_file(f)
    return list(seen.values())


def resolve_voice(spec: str | None) -> VoiceProfile:
    """A profile name, a profile .toml path, or a Piper .onnx model path."""
    spec = spec or DEFAULT_VOICE
    p = Path(spec)
    if spec.endswith(".onnx"):
        if not p.is_file():
            raise VoiceError(
                f"voice model not found: {spec}"
                + (" (a broken symbolic link)" if p.is_symlink() else "")
            )
        # A model reached through a symbolic link (Hugging Face's cache keeps blobs under hashes)
        # has its config beside the link; a copied layout may have it beside the target.
        beside = [Path(f"{p.absolute()}.json"), Path(f"{p.resolve()}.json")]
        config = next((c for c in beside if c.is_file()), None)
        if config is None:
            raise VoiceError(f"voice model {spec} has no config beside it ({spec}.json)")
        return VoiceProfile(name=p.stem, model=p.absolute(), source=spec, config_file=config)
    if spec.endswith(".toml"):
        if not p.is_file():
            raise VoiceError(f"voice profile not found: {spec}")
        return load_profile_file(p)
    for d in profile_dirs():
        f = d / f"{spec}.toml"
        if f.is_file():
            return load_profile_file(f)
    model = model_of(spec) if "/" not in spec else None
    if model is not None:  # a voice installed from the catalogue (papercast voices install)
        return VoiceProfile(name=spec, model=model, source=str(model), description="installed")
    names = ", ".join([*(v.name for v in list_profiles()), *installed()]) or "none installed"
    raise VoiceError(
        f"unknown voice {spec!r} (available: {names}; or give a path to a .onnx model)"
    )


def load_profile_file(path: Path) -> VoiceProfile:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as e:
        raise VoiceError(f"{path}: cannot read voice profile: {e}") from e
    except tomllib.TOMLDecodeError as e:
        raise VoiceError(f"{path}: invalid TOML: {e}") from e
    model_spec = data.get("model")
    if not isinstance(model_spec, str):
        raise VoiceError(f"{path}: 'model' must name a .onnx file or package:MODULE/FILE")
    model = _model_path(model_spec, path)
    pause_fields = {f.name for f in fields(Pauses)}
    pauses_data = data.get("pauses", {})
    unknown = set(pauses_data) - pause_fields
    if unknown:
        raise VoiceError(f"{path}: unknown pause setting(s): {', '.join(sorted(unknown))}")
    try:
        pauses = replace(Pauses(), **{k: int(v) for k, v in pauses_data.items()})
        return VoiceProfile(
            name=str(data.get("name", path.stem)),
            model=model,
            description=str(data.get("description", "")),
            speaker=data.get("speaker"),
            length_scale=_opt_float(data, "length_scale"),
            noise_scale=_opt_float(data, "noise_scale"),
            noise_w_scale=_opt_float(data, "noise_w_scale"),
            pauses=pauses,
            source=str(path),
        )
    except (TypeError, ValueError) as e:
        raise VoiceError(f"{path}: bad value: {e}") from e


def _opt_float(data: dict[str, Any], key: str) -> float | None:
    return None if data.get(key) is None else float(data[key])


def _model_path(spec: str, profile: Path) -> Path:
    if spec.startswith("package:"):
        module, _, name = spec[len("package:") :].partition("/")
        try:
            mod = __import__(module)
        except ImportError as e:
            raise VoiceError(
                f"{profile}: voice package {module!r} is not installed (pip install "
                f"{module.replace('_', '-')})"
            ) from e
        path = Path(mod.__file__).parent / "data" / name  # type: ignore[arg-type]
    else:
        path = (profile.parent / spec).resolve()
    if not path.is_file():
        raise VoiceError(f"{profile}: voice model not found: {path}")
    return path
