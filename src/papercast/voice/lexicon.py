"""Pronunciation lexicons, the model: entries, how they match words, and what the voice can say.

Entries match whole words, longest first (so "Ales Bialiatski" wins over
"Ales"), in any capitalisation unless case-sensitive, with a possessive or
plural ending ("Kalesnikava's") adding the sound English gives it. The files they
come from are read by ``lexicon_files`` (TOML, and PLS through ``pls``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from papercast.errors import LexiconError

# Symbols espeak-ng en-us produces over the whole CMU dictionary (measured: docs/DECISIONS.md,
# "Which symbols the voice was trained on"): what the default voice heard in training. Others
# have untrained embeddings.
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

    @property
    def key(self) -> str:
        """Two entries with the same key are the same entry (the one duplicate rule of every
        reader): the word in NFC, case-folded unless the entry is case-sensitive."""
        return _key(self.word, self.case_sensitive)


def unique(entries: Iterable[Entry]) -> list[Entry]:
    """``entries`` of one file, refused if two are the same entry."""
    first: dict[str, Entry] = {}
    for e in entries:
        if e.key in first:
            raise LexiconError(
                f"{e.where}: duplicate entry {e.word!r} (first at line {first[e.key].line})"
            )
        first[e.key] = e
    return list(first.values())


@dataclass
class Lexicon:
    entries: list[Entry] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # "X in B overrides A" messages

    def add(self, entry: Entry) -> None:
        """Add ``entry``; one with the same key from an earlier file is replaced (and the
        change of reading noted in ``conflicts``). Constant time: loading is linear."""
        at = self._index.get(entry.key)
        self._pattern = None
        if at is None:
            self._index[entry.key] = len(self.entries)
            self.entries.append(entry)
            return
        old = self.entries[at]
        if old.source == entry.source:
            raise LexiconError(
                f"{entry.where}: duplicate entry {entry.word!r} (first at line {old.line})"
            )
        if old.ipa != entry.ipa:
            self.conflicts.append(
                f"{entry.where}: {entry.word!r} /{entry.ipa}/ overrides /{old.ipa}/ from "
                f"{old.where}"
            )
        self.entries[at] = entry

    _pattern: re.Pattern[str] | None = None
    _lookup: dict[str, Entry] = field(default_factory=dict)
    _index: dict[str, int] = field(default_factory=dict, repr=False)  # entry key -> position

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
                rf"(?<![\w’'])({alternatives})(['’]s\b|s['’](?!\w)|['’](?!\w)|s\b)?(?![\w])",
                re.IGNORECASE,
            )
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
                        f"{e.where}: entry {e.word!r}: phoneme symbol {ch!r} (U+{ord(ch):04X}) is "
                        f"not in the voice's "
                        f"phoneme set; Piper would silently drop it"
                    )
            untrained = sorted(
                {ch for ch in unicodedata.normalize("NFD", e.ipa) if ch not in TRAINED_SYMBOLS}
            )
            if untrained:
                warnings.append(
                    f"{e.where}: entry {e.word!r} uses {' '.join(untrained)}, which en-us never "
                    f"produces: "
                    "the voice never heard it in training"
                )
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
