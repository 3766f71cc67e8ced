"""Every episode setting, declared once.

``EpisodeSettings`` is the one declaration: each field carries its type (the annotation), its
default, and a ``Spec`` (help, unit, range or choices, whether it names a file, how the
command line spells it, which table of papercast.toml holds it). The ``speak`` and ``script``
options, the ``[voice]`` and ``[show]`` keys of papercast.toml and the JSON body of the
service are all made from, and checked by, that declaration (``from_cli``, ``from_toml``,
``from_json``), so a message names the setting the way the user wrote it:
``--target-lufs 99``, ``papercast.toml: [voice] target_lufs = 99``, ``target_lufs`` in a body.

Every field of ``EpisodeSettings`` shapes the episode and is part of its identity (the reuse
check and the cluster's renderer key hash ``identity()``); what shapes only a run lives in
``RunFlags``. Adding a setting is one field here, plus the code that uses it.
"""

from __future__ import annotations

import argparse
import difflib
import math
import os
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from enum import Enum
from pathlib import Path
from typing import Any

from papercast.errors import PapercastError
from papercast.fetch import Policy

OUTRO_DISCLOSURE = "This article was read by a synthetic voice, made with papercast."
TRANSCRIPT_FORMATS = ("vtt", "srt", "json")
MP3_BITRATES_KBPS = (
    32,
    40,
    48,
    56,
    64,
    80,
    96,
    112,
    128,
    160,
    192,
    224,
    256,
    320,
)  # MPEG-1 layer III


class DateOrder(str, Enum):
    """How numeric dates such as 10/06/2025 are read."""

    MDY = "mdy"  # month first (en-US): October sixth
    DMY = "dmy"  # day first: the tenth of June


@dataclass(frozen=True)
class Spec:
    """How one setting is written, checked and explained."""

    help: str
    unit: str = ""
    low: float | None = None  # inclusive range for numbers
    high: float | None = None
    choices: tuple[str, ...] = ()  # allowed values (for a list: of each item)
    is_file: bool = (
        False  # a path (or paths) read by the render: checked, hashed, shipped to workers
    )
    maybe_file: bool = False  # a name or a path (the voice: a profile name, a .toml or an .onnx)
    flag: str = ""  # the command-line option (default --name-with-dashes)
    cli: Mapping[str, Any] = field(default_factory=dict)  # extra argparse keywords (nargs, const)
    toml: str | None = "voice"  # table of papercast.toml; None: the feed decides it
    metavar: str | None = None


def setting(default: Any, help: str, **spec: Any) -> Any:
    """A field of EpisodeSettings with its Spec."""
    return field(default=default, metadata={"spec": Spec(help, **spec)})


@dataclass(frozen=True)
class EpisodeSettings:
    """Everything that shapes an episode (and so is part of its identity)."""

    voice: str | None = setting(
        None,
        "voice profile name (papercast voices), profile .toml, or Piper .onnx model",
        maybe_file=True,
    )
    speaker: str = setting(
        "",
        "speaker of a multi-speaker voice: a name from its speaker map or a number "
        "(default: the profile's, else the first)",
        metavar="NAME|ID",
    )
    quote_voice: str | None = setting(
        None,
        'read quotations (“…” and "…") with this voice (a profile, installed voice or .onnx) '
        "while the narrator reads the rest",
        maybe_file=True,
        metavar="VOICE",
    )
    quote_speaker: str = setting(
        "",
        "read quotations as this speaker (of the quote voice, else of the voice)",
        metavar="NAME|ID",
    )
    lexicons: tuple[str, ...] = setting(
        (),
        "extra pronunciation lexicon (TOML or PLS); repeatable, later ones win",
        is_file=True,
        flag="--lexicon",
        metavar="PATH",
    )
    rate: float = setting(
        100.0,
        "speaking rate in percent of the voice's own pace (default 100; 80 is slower): "
        "the voice's length scale becomes 100/rate of its own",
        unit="%",
        low=25.0,
        high=400.0,
        metavar="PERCENT",
    )
    bitrate_kbps: int = setting(
        64,
        "MP3 bitrate (default 64)",
        unit="kbps",
        choices=tuple(map(str, MP3_BITRATES_KBPS)),
        flag="--bitrate",
        metavar="KBPS",
    )
    target_lufs: float = setting(
        -16.0, "integrated loudness target (default -16)", unit="LUFS", low=-30.0, high=-5.0
    )
    ceiling_dbtp: float = setting(
        -1.0, "true-peak ceiling (default -1.0)", unit="dBTP", low=-9.0, high=0.0
    )
    intro: bool = setting(False, "read byline, site and date after the headline")
    outro: str = setting(
        "",
        "read a closing line: TEXT, or without TEXT a note that the voice is synthetic",
        cli={"nargs": "?", "const": OUTRO_DISCLOSURE},
        metavar="TEXT",
    )
    transcripts: tuple[str, ...] = setting(
        (),
        "write transcripts beside the MP3: vtt,srt (captions from word timings), json "
        "(Podcasting 2.0, one segment per word)",
        choices=TRANSCRIPT_FORMATS,
        flag="--transcript",
        toml=None,
        metavar="FORMATS",
    )
    chapters_json: bool = setting(
        False, "write Podcasting 2.0 chapters JSON beside the MP3", toml=None
    )
    page: bool = setting(
        False,
        "write a read-along page (.html) beside the MP3: the text highlighted as it is said",
        toml=None,
    )
    date_order: DateOrder = setting(
        DateOrder.MDY,
        "numeric dates such as 10/06/2025: month first (mdy, en-US; default) or day first (dmy)",
        choices=tuple(d.value for d in DateOrder),
    )
    artist: str = setting("", "ID3 artist (default: byline or site)", toml=None)
    album: str = setting("", "ID3 album (default: site)", toml=None)
    cover: str | None = setting(
        None, "cover image (square PNG or JPEG, 300-3000 px)", is_file=True, toml="show"
    )
    intro_music: str | None = setting(
        None,
        "music before the headline, ducked under it (any format soundfile reads)",
        is_file=True,
        metavar="FILE",
    )
    outro_music: str | None = setting(
        None, "music after the last sentence", is_file=True, metavar="FILE"
    )
    bed: str | None = setting(
        None,
        "music looped quietly under the reading, lower under words",
        is_file=True,
        metavar="FILE",
    )

    def identity(self) -> str:
        """What an episode's reuse key and a cluster's renderer key hash (file contents are
        hashed separately, by the Renderer)."""
        return repr(tuple((f.name, _plain(getattr(self, f.name))) for f in fields(self)))

    def files(self) -> Iterator[str]:
        """Every file path the settings name (the voice only when it is a path)."""
        for _, value in self._file_values():
            yield from value if isinstance(value, tuple) else (value,)

    def with_files(self, swap: Callable[[str], str]) -> EpisodeSettings:
        """The same settings with every file path passed through ``swap``."""
        changes: dict[str, Any] = {
            key: tuple(map(swap, value)) if isinstance(value, tuple) else swap(value)
            for key, value in self._file_values()
        }
        return replace(self, **changes)

    def _file_values(self) -> Iterator[tuple[str, Any]]:
        """(setting, value) for each setting that names a file (or files) here."""
        for key, spec in specs():
            value = getattr(self, key)
            if not value or not (spec.is_file or spec.maybe_file):
                continue
            if spec.maybe_file and not value.endswith((".onnx", ".toml")):
                continue  # a profile name
            yield key, value


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def specs() -> Iterator[tuple[str, Spec]]:
    for f in fields(EpisodeSettings):
        yield f.name, f.metadata["spec"]


def spec_of(name: str) -> Spec:
    return dict(specs())[name]


# --- how the user wrote it -------------------------------------------------------------------


class Written:
    """Where a value came from, for messages: ``name`` is the setting as the user wrote it."""

    def name(self, key: str, raw: Any) -> str:
        raise NotImplementedError


class OnCommandLine(Written):
    def name(self, key: str, raw: Any) -> str:
        return f"{flag_of(key)} {raw}"


@dataclass(frozen=True)
class InToml(Written):
    path: Path
    table: str

    def name(self, key: str, raw: Any) -> str:
        shown = (
            raw if isinstance(raw, (int, float)) and not isinstance(raw, bool) else _toml_repr(raw)
        )
        return f"{self.path}: [{self.table}] {key} = {shown}"


class InJson(Written):
    def name(self, key: str, raw: Any) -> str:
        return key


def _toml_repr(raw: Any) -> str:
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, str):
        return '"' + raw.replace("\\", "\\\\").replace('"', '\\"')[:80] + '"'
    return repr(raw)[:80]


def flag_of(key: str) -> str:
    return spec_of(key).flag or "--" + key.replace("_", "-")


# --- checking one value ------------------------------------------------------------------------


def coerce(key: str, raw: Any, where: Written) -> Any:
    """``raw`` (a string from the command line, a TOML or JSON value) as the setting's type,
    checked against its range or choices; PapercastError naming it as written otherwise."""
    spec = spec_of(key)
    kind = EpisodeSettings.__dataclass_fields__[key].type
    text_input = isinstance(where, OnCommandLine)

    def fail(why: str) -> PapercastError:
        return PapercastError(f"{where.name(key, raw)}: {why}")

    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        raise fail("must be true or false")
    if kind in ("float", "int"):
        return _number(key, raw, spec, kind, text_input, fail)
    if kind == "DateOrder":
        if isinstance(raw, str) and raw in spec.choices:
            return DateOrder(raw)
        raise fail(f"must be {' or '.join(spec.choices)} (month first, en-US; or day first)")
    if kind == "tuple[str, ...]":
        items = _items(raw, text_input)
        if items is None:
            raise fail("must be a list of strings")
        for item in items:
            if spec.choices and item not in spec.choices:
                raise fail(f"unknown value {item!r} (use {', '.join(spec.choices)})")
            if spec.is_file or spec.maybe_file:
                _file_name(item, fail)
        return tuple(items)
    if isinstance(raw, str):
        if raw and (spec.is_file or spec.maybe_file):
            _file_name(raw, fail)
        return None if (raw == "" and "None" in kind) else raw
    if raw is None and "None" in kind:
        return None
    raise fail("must be a string")


def _file_name(value: str, fail: Callable[[str], PapercastError]) -> None:
    """A value that names a file must be one the system could open: no NUL, at most 4,096
    bytes, no part over 255 (else every later stat() raises, far from the setting)."""
    try:
        encoded = os.fsencode(value)
    except UnicodeError:
        raise fail("not a usable file name (characters the file system cannot hold)") from None
    if b"\0" in encoded or len(encoded) > 4096 or any(len(p) > 255 for p in encoded.split(b"/")):
        raise fail("not a usable file name (too long, or holds a NUL character)")


def _number(
    key: str,
    raw: Any,
    spec: Spec,
    kind: str,
    text_input: bool,
    fail: Callable[[str], PapercastError],
) -> int | float:
    unit = f" {spec.unit}" if spec.unit else ""
    if spec.choices:
        allowed = f"one of {', '.join(spec.choices)}{unit}"
        if (isinstance(raw, int) and not isinstance(raw, bool) and str(raw) in spec.choices) or (
            text_input and isinstance(raw, str) and raw.strip() in spec.choices
        ):
            return int(str(raw).strip())
        raise fail(f"must be {allowed}")
    span = f"a number from {spec.low:g} to {spec.high:g}{unit}"
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise fail(f"must be {span}")
    if isinstance(raw, str):
        if not text_input or len(raw) > 40:
            raise fail(f"must be {span}")
        try:
            raw_value: float = float(raw)
        except ValueError:
            raise fail(f"must be {span}") from None
    elif isinstance(raw, int):
        if abs(raw) > 10**15:  # checked before arithmetic: float() of a 400-digit int overflows
            raise fail(f"must be {span}")
        raw_value = float(raw)
    else:
        raw_value = raw
    if not math.isfinite(raw_value) or not (spec.low or 0) <= raw_value <= (spec.high or 0):
        raise fail(f"must be {span}")
    return int(raw_value) if kind == "int" else raw_value


def _items(raw: Any, text_input: bool) -> list[str] | None:
    if text_input and isinstance(raw, str):
        return [t.strip() for t in raw.split(",") if t.strip()]
    if isinstance(raw, (list, tuple)) and all(isinstance(v, str) and v for v in raw):
        return [*raw]
    return None


# --- the three ways in -------------------------------------------------------------------------


def add_options(parser: argparse.ArgumentParser, names: tuple[str, ...] | None = None) -> None:
    """The command-line options of ``names`` (default: every setting). Values are parsed by
    ``from_cli``, not argparse, so its messages name the flag and the value as typed."""
    for key, spec in specs():
        if names is not None and key not in names:
            continue
        kind = EpisodeSettings.__dataclass_fields__[key].type
        flag = flag_of(key)
        if kind == "bool":
            parser.add_argument(flag, dest=key, action="store_true", default=None, help=spec.help)
        elif key == "lexicons":
            parser.add_argument(
                flag, dest=key, action="append", default=None, metavar=spec.metavar, help=spec.help
            )
        else:
            parser.add_argument(
                flag, dest=key, default=None, metavar=spec.metavar, help=spec.help, **dict(spec.cli)
            )


def from_cli(args: argparse.Namespace, base: EpisodeSettings | None = None) -> EpisodeSettings:
    """Settings from the options ``add_options`` made; options not given keep ``base``'s."""
    changes: dict[str, Any] = {}
    where = OnCommandLine()
    for key, _spec in specs():
        raw = getattr(args, key, None)
        if raw is None:
            continue
        # --lexicon is repeatable: argparse gives a list, each item one path (commas allowed)
        changes[key] = coerce(key, list(raw) if key == "lexicons" else raw, where)
    return replace(base or EpisodeSettings(), **changes)


def from_toml(
    tables: Mapping[str, Mapping[str, Any]],
    path: Path,
    folder: Path,
    base: EpisodeSettings | None = None,
) -> EpisodeSettings:
    """Settings from the tables of papercast.toml (file paths relative to ``folder``). Keys
    that are not settings of a table are left to the caller (the show's own keys)."""
    changes: dict[str, Any] = {}
    for key, spec in specs():
        if spec.toml is None or key not in tables.get(spec.toml, {}):
            continue
        raw = tables[spec.toml][key]
        value = coerce(key, raw, InToml(path, spec.toml))
        if value is not None and (spec.is_file or spec.maybe_file):
            value = _relative(value, folder, spec)
        changes[key] = value
    return replace(base or EpisodeSettings(), **changes)


def _relative(value: Any, folder: Path, spec: Spec) -> Any:
    def place(p: str) -> str:
        if spec.maybe_file and not p.endswith((".onnx", ".toml")):
            return p  # a profile name
        return p if Path(p).is_absolute() else str(folder / p)

    if isinstance(value, tuple):
        return tuple(place(p) for p in value)
    return place(value) if value else value


def from_json(
    body: Mapping[str, Any],
    allowed: tuple[str, ...] | None = None,
    base: EpisodeSettings | None = None,
) -> EpisodeSettings:
    """Settings from a JSON object (the service's requests); unknown keys refused."""
    known = [k for k, _ in specs() if allowed is None or k in allowed]
    changes: dict[str, Any] = {}
    for key, raw in body.items():
        if key not in known:
            raise PapercastError(f"{key}: not a setting{suggest(key, known)}")
        changes[key] = coerce(key, raw, InJson())
    return replace(base or EpisodeSettings(), **changes)


def table_keys(table: str) -> list[str]:
    return [k for k, spec in specs() if spec.toml == table]


def suggest(word: str, known: list[str]) -> str:
    near = difflib.get_close_matches(word, known, n=1)
    return f" (did you mean {near[0]}?)" if near else ""


@dataclass(frozen=True)
class RunFlags:
    """What only shapes a run, never the episode."""

    cache: bool = True  # reuse clips synthesised before (keyed by voice, phonemes, settings)
    cache_dir: Path | None = None  # None: $PAPERCAST_CACHE_DIR or the user cache folder
    reuse: bool = True  # keep an intact episode whose inputs did not change
    quiet: bool = False  # no progress bar
    encoding: str | None = None  # input encoding when not UTF-8
    kind: str | None = None  # read the input as this kind ("ssml"); None: from its name and text
    fetch_policy: Policy = Policy()  # what ``speak URL`` may fetch from
    threads: float | None = None  # the CPU budget (--threads); None: measured (cpu.budget)
    # called (sentences done, sentences in all) as each sentence of an episode is assembled
    on_sentence: Callable[[int, int], None] | None = field(default=None, compare=False)


def check_settings(s: EpisodeSettings) -> None:
    """Settings made in code (not through from_cli/from_toml/from_json) are checked the same
    way, named as in the API."""
    for key, _spec in specs():
        value = getattr(s, key)
        if key == "lexicons":
            continue
        raw = value.value if isinstance(value, Enum) else value
        coerce(key, list(raw) if isinstance(raw, tuple) else raw, InJson())
