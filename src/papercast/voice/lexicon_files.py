"""Pronunciation lexicon files: the TOML format papercast writes, and W3C PLS through ``pls``.

TOML, one ``[[entry]]`` table per name (see lexicon/README.md)::

    [[entry]]
    word = "Bialiatski"
    variants = ["Byalyatski"]        # other spellings / romanisations
    ipa = "bjɑːljˈɑːtski"            # or: respell = "byah-LYAHT-skee"
    note = "Ales Bialiatski, ... Source: ..."
    case_sensitive = false           # default

Each reader returns the entries of one file (``lexicon.unique``: one duplicate rule for all);
``load_lexicon`` joins the shipped files and the user's, later files winning.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from papercast.errors import LexiconError, PapercastError
from papercast.files import read_regular, toml_document
from papercast.voice.lexicon import Entry, Lexicon, unique
from papercast.voice.phonemize import alias_ipa
from papercast.voice.pls import read_pls, xsampa_to_ipa
from papercast.voice.respell import RespellError, respell_to_ipa

LEXICON_MAX_BYTES = 64 * 1024 * 1024  # 100,000 entries with notes are about 10 MB
FIELD_MAX_CHARS = {"word": 200, "ipa": 400, "respell": 400, "alias": 400, "note": 4000}  # per entry
_ENTRY_KEYS = {"word", "variants", "ipa", "respell", "alias", "note", "case_sensitive", "alphabet"}


def lexicon_dirs() -> list[Path]:
    package = Path(__file__).resolve().parents[1]  # papercast/ (src/papercast in a checkout)
    return [d for d in (package / "_lexicon", package.parents[1] / "lexicon") if d.is_dir()]


def default_files() -> list[Path]:
    for d in lexicon_dirs():
        files = sorted(d.glob("*.toml"))
        if files:
            return files
    return []


def load_lexicon(extra: Iterable[str | Path] = (), include_default: bool = True) -> Lexicon:
    """The project's lexicons, then each of ``extra`` in order; later entries override."""
    lex = Lexicon()
    files = [*(default_files() if include_default else []), *(Path(p) for p in extra)]
    for path in files:
        for entry in read_lexicon_file(path):
            lex.add(entry)
    return lex


def read_lexicon_file(path: Path) -> list[Entry]:
    if not path.is_file():
        raise LexiconError(f"{path}: lexicon file not found")
    if path.suffix.lower() in (".pls", ".xml"):
        return read_pls(path)
    try:
        text = read_regular(path, LEXICON_MAX_BYTES, "lexicon").decode("utf-8-sig")
    except (PapercastError, UnicodeDecodeError) as e:
        raise LexiconError(f"{path}: cannot read lexicon: {e}") from e
    data = toml_document(text, path, LexiconError)
    raw = data.get("entry", [])
    if not isinstance(raw, list):
        raise LexiconError(f"{path}: expected [[entry]] tables")
    lines = _word_lines(text)
    return unique(_entry(item, path, lines) for item in raw)


def _entry(item: object, path: Path, lines: dict[str, list[int]]) -> Entry:
    if not isinstance(item, dict):
        raise LexiconError(f"{path}: each [[entry]] must be a table")
    word = item.get("word")
    line = lines[word].pop(0) if isinstance(word, str) and lines.get(word) else 0
    where = f"{path}:{line}" if line else str(path)
    if not isinstance(word, str) or not word.strip():
        raise LexiconError(f"{where}: entry without a 'word'")
    unknown = set(item) - _ENTRY_KEYS
    if unknown:
        raise LexiconError(f"{where}: entry {word!r}: unknown key(s) {', '.join(sorted(unknown))}")
    ipa, respell, alias = item.get("ipa", ""), item.get("respell", ""), item.get("alias", "")
    for key, most in FIELD_MAX_CHARS.items():
        value = item.get(key, "")
        if isinstance(value, str) and len(value) > most:
            raise LexiconError(
                f"{where}: entry {word[:60]!r}: '{key}' is {len(value)} characters; at most {most}"
            )
    if not all(isinstance(v, str) for v in (ipa, respell, alias)):
        raise LexiconError(f"{where}: entry {word!r}: 'ipa', 'respell' and 'alias' must be strings")
    alphabet = item.get("alphabet", "ipa")
    if alphabet not in ("ipa", "x-sampa"):
        raise LexiconError(
            f"{where}: entry {word!r}: unknown alphabet {alphabet!r} (use ipa or x-sampa)"
        )
    if ipa and alphabet == "x-sampa":
        ipa = xsampa_to_ipa(ipa, where)
    if not ipa.strip() and respell.strip():
        try:
            ipa = respell_to_ipa(respell)
        except RespellError as e:
            raise LexiconError(f"{where}: entry {word!r}: {e}") from e
    if not ipa.strip() and alias.strip():
        ipa = alias_ipa(alias)
    if not ipa.strip():
        raise LexiconError(
            f"{where}: entry {word!r} has an empty pronunciation (give 'ipa', 'respell' or 'alias')"
        )
    variants = item.get("variants", [])
    if not isinstance(variants, list) or not all(
        isinstance(v, str) and v.strip() for v in variants
    ):
        raise LexiconError(
            f"{where}: entry {word!r}: 'variants' must be a list of non-empty strings"
        )
    return Entry(
        word=word.strip(),
        ipa=unicodedata.normalize("NFC", ipa.strip()),
        variants=tuple(v.strip() for v in variants),
        note=str(item.get("note", "")),
        case_sensitive=bool(item.get("case_sensitive", False)),
        respell=respell,
        alias=alias.strip(),
        source=str(path),
        line=line,
    )


def _word_lines(text: str) -> dict[str, list[int]]:
    """The line of each ``word = "..."`` in the file, in order (one pass: linear in the file)."""
    lines: dict[str, list[int]] = {}
    line, pos = 1, 0
    for m in re.finditer(r"^[ \t]*word[ \t]*=[ \t]*([\"'])(.*?)\1", text, re.M):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        lines.setdefault(m.group(2), []).append(line)
    return lines
