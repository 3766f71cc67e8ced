"""Pronunciation lexicons: say names right, and refuse what the voice cannot say.

File format (TOML, one ``[[entry]]`` table per name; see lexicon/README.md)::

    [[entry]]
    word = "Bialiatski"
    variants = ["Byalyatski"]        # other spellings / romanisations
    ipa = "bjɑːljˈɑːtski"            # or: respell = "byah-LYAHT-skee"
    note = "Ales Bialiatski, ... Source: ..."
    case_sensitive = false           # default

Entries match whole words, longest first (so "Ales Bialiatski" wins over
"Ales"), in any capitalisation unless case-sensitive, with a possessive or
plural ending ("Kalesnikava's") adding the sound English gives it.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from papercast.errors import LexiconError
from papercast.voice.respell import RespellError, respell_to_ipa

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

# Symbols espeak-ng en-us produces over the whole CMU dictionary (measured, DESIGN.md):
# what the default voice heard in training. Others have untrained embeddings.
TRAINED_SYMBOLS = frozenset("abdefhijklmnoprstuvwxzæðŋɐɑɔəɚɛɜɡɪɬɹɾʃʊʌʒʔʲˈˌːθᵻ \u0329\u0303,.;:!?'-")
_STRESS = "ˈ"
_SIBILANT_END = ("s", "z", "ʃ", "ʒ")
_VOICELESS_END = ("p", "t", "k", "f", "θ")


@dataclass(frozen=True)
class Entry:
    word: str
    ipa: str
    variants: tuple[str, ...] = ()
    note: str = ""
    case_sensitive: bool = False
    respell: str = ""
    alias: str = ""  # say this text instead (PLS <alias>); ipa is then espeak's reading of it
    source: str = ""  # file path
    line: int = 0

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.word, *self.variants)

    @property
    def where(self) -> str:
        return f"{self.source}:{self.line}" if self.line else self.source


@dataclass
class Lexicon:
    entries: list[Entry] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # "X in B overrides A" messages

    def add(self, entry: Entry) -> None:
        for i, old in enumerate(self.entries):
            if _key(old.word, old.case_sensitive) == _key(entry.word, entry.case_sensitive):
                if old.source == entry.source:
                    raise LexiconError(f"{entry.where}: duplicate entry {entry.word!r} (first at line {old.line})")
                if old.ipa != entry.ipa:
                    self.conflicts.append(
                        f"{entry.where}: {entry.word!r} /{entry.ipa}/ overrides /{old.ipa}/ from {old.where}")
                self.entries[i] = entry
                self._pattern = None
                return
        self.entries.append(entry)
        self._pattern = None

    _pattern: re.Pattern[str] | None = None
    _lookup: dict[str, Entry] = field(default_factory=dict)

    def _compile(self) -> re.Pattern[str]:
        if self._pattern is None:
            forms: list[str] = []
            self._lookup = {}
            for e in self.entries:
                for form in e.forms:
                    self._lookup[_key(form, e.case_sensitive)] = e
                    forms.append(form)
            forms.sort(key=len, reverse=True)
            alternatives = "|".join(_form_rx(f) for f in forms) or r"(?!x)x"
            self._pattern = re.compile(
                rf"(?<![\w’'])({alternatives})(['’]s\b|s['’](?!\w)|['’](?!\w)|s\b)?(?![\w])", re.IGNORECASE)
        return self._pattern

    def find(self, text: str) -> list[tuple[int, int, Entry, str]]:
        """(start, end, entry, suffix) for each lexicon word in ``text``."""
        out = []
        for m in self._compile().finditer(text):
            e = self._match_entry(m.group(1))
            if e is None:
                continue
            suffix = m.group(2) or ""
            out.append((m.start(), m.end(), e, suffix))
        return out

    def _match_entry(self, found: str) -> Entry | None:
        e = self._lookup.get(_key(found, False))
        if e is not None and not e.case_sensitive:
            return e
        return self._lookup.get(_key(found, True))

    def split(self, text: str) -> list[tuple[str, str | None]]:
        """Cut ``text`` into plain runs and lexicon words with their IPA."""
        parts: list[tuple[str, str | None]] = []
        pos = 0
        for start, end, entry, suffix in self.find(text):
            if start > pos:
                parts.append((text[pos:start], None))
            parts.append((text[start:end], with_suffix(entry.ipa, suffix)))
            pos = end
        if pos < len(text):
            parts.append((text[pos:], None))
        return parts

    def validate(self, id_map: Mapping[str, Sequence[int]]) -> list[str]:
        """Refuse entries with symbols the voice lacks; return warnings for the rest."""
        warnings: list[str] = []
        for e in self.entries:
            for ch in unicodedata.normalize("NFD", e.ipa):
                if ch not in id_map:
                    raise LexiconError(
                        f"{e.where}: entry {e.word!r}: phoneme symbol {ch!r} (U+{ord(ch):04X}) is not in the voice's "
                        f"phoneme set; Piper would silently drop it")
            untrained = sorted({ch for ch in unicodedata.normalize("NFD", e.ipa) if ch not in TRAINED_SYMBOLS})
            if untrained:
                warnings.append(f"{e.where}: entry {e.word!r} uses {' '.join(untrained)}, which en-us never produces: "
                                "the voice never heard it in training")
            if _STRESS not in e.ipa:
                warnings.append(f"{e.where}: entry {e.word!r} has no primary stress mark (ˈ)")
        return warnings


def _key(form: str, case_sensitive: bool) -> str:
    form = unicodedata.normalize("NFC", form)
    return form if case_sensitive else form.casefold()


def _form_rx(form: str) -> str:
    # Spaces in multi-word entries match any run of spaces; hyphens match themselves.
    return r"\s+".join(re.escape(part) for part in form.split())


def with_suffix(ipa: str, suffix: str) -> str:
    """Add the English possessive/plural ending: /z/, /s/ or /ɪz/ by the last sound."""
    if not suffix or suffix in ("'", "’"):
        return ipa
    last = ipa.rstrip("ːˈˌ")[-1:]
    if last in _SIBILANT_END:
        return ipa + "ɪz"
    if last in _VOICELESS_END:
        return ipa + "s"
    return ipa + "z"


# --- loading -------------------------------------------------------------------

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
        from papercast.voice.pls import read_pls

        return read_pls(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise LexiconError(f"{path}: cannot read lexicon: {e}") from e
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise LexiconError(f"{path}: invalid TOML: {e}") from e
    raw = data.get("entry", [])
    if not isinstance(raw, list):
        raise LexiconError(f"{path}: expected [[entry]] tables")
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for item in raw:
        entry = _entry(item, path, text)
        k = _key(entry.word, entry.case_sensitive)
        if k in seen:
            raise LexiconError(f"{path}:{entry.line}: duplicate entry {entry.word!r} (first at line {seen[k]})")
        seen[k] = entry.line
        entries.append(entry)
    return entries


def _entry(item: object, path: Path, text: str) -> Entry:
    if not isinstance(item, dict):
        raise LexiconError(f"{path}: each [[entry]] must be a table")
    word = item.get("word")
    line = _line_of(text, word) if isinstance(word, str) else 0
    where = f"{path}:{line}" if line else str(path)
    if not isinstance(word, str) or not word.strip():
        raise LexiconError(f"{where}: entry without a 'word'")
    unknown = set(item) - {"word", "variants", "ipa", "respell", "alias", "note", "case_sensitive", "alphabet"}
    if unknown:
        raise LexiconError(f"{where}: entry {word!r}: unknown key(s) {', '.join(sorted(unknown))}")
    ipa, respell, alias = item.get("ipa", ""), item.get("respell", ""), item.get("alias", "")
    if not all(isinstance(v, str) for v in (ipa, respell, alias)):
        raise LexiconError(f"{where}: entry {word!r}: 'ipa', 'respell' and 'alias' must be strings")
    alphabet = item.get("alphabet", "ipa")
    if alphabet not in ("ipa", "x-sampa"):
        raise LexiconError(f"{where}: entry {word!r}: unknown alphabet {alphabet!r} (use ipa or x-sampa)")
    if ipa and alphabet == "x-sampa":
        from papercast.voice.pls import xsampa_to_ipa

        ipa = xsampa_to_ipa(ipa, where)
    if not ipa.strip() and respell.strip():
        try:
            ipa = respell_to_ipa(respell)
        except RespellError as e:
            raise LexiconError(f"{where}: entry {word!r}: {e}") from e
    if not ipa.strip() and alias.strip():
        ipa = alias_ipa(alias)
    if not ipa.strip():
        raise LexiconError(f"{where}: entry {word!r} has an empty pronunciation (give 'ipa', 'respell' or 'alias')")
    variants = item.get("variants", [])
    if not isinstance(variants, list) or not all(isinstance(v, str) and v.strip() for v in variants):
        raise LexiconError(f"{where}: entry {word!r}: 'variants' must be a list of non-empty strings")
    return Entry(word=word.strip(), ipa=unicodedata.normalize("NFC", ipa.strip()), variants=tuple(v.strip() for v in variants),
                 note=str(item.get("note", "")), case_sensitive=bool(item.get("case_sensitive", False)),
                 respell=respell, alias=alias.strip(), source=str(path), line=line)


def alias_ipa(alias: str) -> str:
    """An alias ("World Wide Web Consortium") read by espeak, as one phrase with no final mark."""
    from papercast.text.normalize import normalize
    from papercast.voice.phonemize import espeak_ipa

    return espeak_ipa(normalize(alias)).rstrip(".,;:!? ")


def _line_of(text: str, word: str) -> int:
    m = re.search(rf"^\s*word\s*=\s*[\"']{re.escape(word)}[\"']", text, re.M)
    return text.count("\n", 0, m.start()) + 1 if m else 0
