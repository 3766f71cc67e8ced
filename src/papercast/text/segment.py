"""Sentence segmentation: NLTK Punkt with shipped English parameters, plus rules.

Punkt proposes boundaries (with our abbreviation list, since NLTK's trained
data cannot be downloaded offline); rules then decide the cases Punkt gets
wrong without trained orthographic statistics: abbreviations and acronyms at a
sentence end ("in the U.S. How about you?") versus inside one ("U.S.
Government"), initials, a.m./p.m., titles (Mr., Dr.), URLs and e-mail
addresses, decimals, ellipses, quotes and parentheses, list items, "!?" runs.
"""

from __future__ import annotations

import json
import os
import re
import sys
import types
from functools import lru_cache
from importlib import resources

# Placeholders for characters that must not end a sentence (private-use code points).
_MASK = {".": "\ue000", "!": "\ue001", "?": "\ue002"}
_UNMASK = str.maketrans({v: k for k, v in _MASK.items()})

_URL = re.compile(r"\b(?:https?://|ftp://|www\.)[^\s<>\"]+?(?=[.,;:!?)\]]*(?:\s|$))", re.I)
_EMAIL = re.compile(
    r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b"
)  # bounded: linear on long tokens
_DOMAIN = re.compile(
    r"\b[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.(?:com|org|net|edu|gov|io|co|ca|uk|de|fr|eu|info|news|"
    r"tv|ly|me|us|au|int)\b(?![\w-])",
    re.I,
)
_NUMBER_DOT = re.compile(r"(?<=\d)\.(?=\d)")
_NUMERO = re.compile(r"\b(N°|No|Nos|Nr)\.(?=\s*\d)")
_POSSESSIVE_ABBR = re.compile(r"\.(?=['’]s\b)")
# A period, "!" or "?" closing a quote or parenthesis that the sentence goes on after.
_INNER = re.compile(r"[.!?]+(?=['\"’”)\]]+\s+[a-z])")
_EXCLAIM_INNER = re.compile(r"[!?]+(?=\s+[a-z])")
# Ellipses: "...", "…", ". . ."; a fourth dot or an attached period may end a sentence.
_ELLIPSIS = re.compile(r"\.(?: ?\.){2,}|…")
_NEXT_WORD = re.compile(r"\s+[\"'“‘(\[]*([^\s]+)")
# how far back a time abbreviation's sentence is looked for ("At 5 a.m." opens one): a
# sentence of at most four words is far shorter
_LEAD_WINDOW = 120
_TIME_ABBR = {"a.m", "p.m"}
_LEAD_PREP = {
    "at",
    "by",
    "from",
    "until",
    "till",
    "before",
    "after",
    "around",
    "about",
    "since",
    "on",
    "near",
}


@lru_cache(maxsize=1)
def _data() -> dict[str, list[str]]:
    with (
        resources.files("papercast.text").joinpath("data/punkt_en.json").open(encoding="utf-8") as f
    ):
        return json.load(f)  # type: ignore[no-any-return]


def _punkt_classes() -> tuple[type, type]:
    """NLTK's Punkt classes without running ``nltk/__init__.py``.

    ``import nltk`` imports nearly all of NLTK (scipy.stats among it): 0.85 s of every
    papercast run, against 0.08 s for the few modules Punkt needs. We let Python find
    those modules under stand-in package objects, then take the stand-ins and the
    modules loaded under them out of ``sys.modules`` again, so a later ``import nltk``
    (by anyone) loads NLTK normally.
    """
    if "nltk.tokenize.punkt" in sys.modules:
        punkt = sys.modules["nltk.tokenize.punkt"]
        return punkt.PunktParameters, punkt.PunktSentenceTokenizer
    import importlib.util

    spec = importlib.util.find_spec("nltk")
    if spec is None or not spec.origin:
        from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

        return PunktParameters, PunktSentenceTokenizer
    before = set(sys.modules)
    root = os.path.dirname(spec.origin)
    for name, folder in (("nltk", root), ("nltk.tokenize", os.path.join(root, "tokenize"))):
        if name not in sys.modules:
            stub = types.ModuleType(name)
            stub.__path__ = [folder]
            sys.modules[name] = stub
    try:
        from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer
    finally:
        for name in set(sys.modules) - before:
            if name == "nltk" or name.startswith("nltk."):
                del sys.modules[name]
    return PunktParameters, PunktSentenceTokenizer


@lru_cache(maxsize=1)
def _tokenizer():  # type: ignore[no-untyped-def]
    PunktParameters, PunktSentenceTokenizer = _punkt_classes()  # noqa: N806
    params = PunktParameters()
    params.abbrev_types = set(_data()["abbreviations"])
    params.sent_starters = set(_data()["sentence_starters"])
    return PunktSentenceTokenizer(params)


def _abbrevs() -> set[str]:
    return set(_data()["abbreviations"])


def _titles() -> set[str]:
    return set(_data()["title_abbreviations"])


def _starters() -> set[str]:
    return set(_data()["sentence_starters"])


def split_sentences(text: str) -> list[str]:
    """Split one paragraph of plain text into sentences (written form, unchanged)."""
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return []
    masked, forced = _mask(text)
    punkt = {end for _, end in _tokenizer().span_tokenize(masked)}
    candidates = punkt | {m.end() for m in re.finditer(r"[.!?]+['\"’”)\]]*(?=\s)", masked)}
    cuts = sorted(c for c in candidates if c < len(masked) and _is_boundary(masked, c, c in punkt))
    cuts = sorted(set(cuts) | forced | _list_cuts(text))
    pieces, start = [], 0
    for cut in cuts + [len(masked)]:
        piece = masked[start:cut].strip()
        if piece:
            pieces.append(piece.translate(_UNMASK))
        start = cut
    return pieces


def _mask(text: str) -> tuple[str, set[int]]:
    """Hide punctuation that cannot end a sentence; return forced boundaries."""
    chars = list(text)

    def hide(start: int, end: int) -> None:
        for i in range(start, end):
            chars[i] = _MASK.get(chars[i], chars[i])

    for rx in (_URL, _EMAIL, _DOMAIN):
        for m in rx.finditer(text):
            hide(m.start(), m.end())
    for rx in (_NUMBER_DOT, _NUMERO, _POSSESSIVE_ABBR, _INNER, _EXCLAIM_INNER):
        for m in rx.finditer(text):
            hide(m.start(), m.end())
    for m in _list_marks(text):
        hide(m.start(), m.end())
    forced: set[int] = set()
    for m in _ELLIPSIS.finditer(text):
        hide(m.start(), m.end())
        after = text[m.end() :]
        nxt = re.match(r"['\"’”)\]]*\s+[\"'“‘]?([A-Z])", after)
        if not nxt:
            continue
        quote_len = len(re.match(r"['\"’”)\]]*", after).group(0))  # type: ignore[union-attr]
        dots = m.group(0).replace(" ", "")
        attached = m.start() > 0 and not text[m.start() - 1].isspace()
        if attached and m.group(0).startswith(". "):
            forced.add(m.start() + 1)  # "compounds. . . . The" -> "compounds." | ". . . The"
        elif len(dots) >= 4:
            forced.add(m.end() + quote_len)  # "that.... She" / "period . . . . Next"
    return "".join(chars), forced


def _is_boundary(text: str, pos: int, punkt_says: bool) -> bool:
    """Decide whether the sentence ends at ``pos`` (just after its punctuation)."""
    # every look is local to ``pos`` (a paragraph has a candidate at every full stop: a copy
    # or a scan of everything before it at each one made "St. " * 5000 take seconds)
    nxt_m = _NEXT_WORD.match(text, pos)
    if not nxt_m:
        return False
    nxt = nxt_m.group(1)
    first = nxt[0]
    if first.islower():
        return False
    word = text[text.rfind(" ", 0, pos) + 1 : pos]  # whitespace is single spaces here
    core = word.lstrip("\"'“‘([").rstrip("\"'”’)]")
    if core.endswith(("!", "?")) or not core.endswith("."):
        return first.isupper() or first.isdigit() or first in "\"'“‘(["
    token = core[:-1].lower()
    next_lower = nxt.strip("\"'“‘([,;:").lower().rstrip(".")
    starter = next_lower in _starters()
    if token in _titles() or (
        first.isdigit() and token in _NUMBERED and (token != "art" or core[0].isupper())
    ):
        return False
    if token in _TIME_ABBR:
        start = text.rfind(" ", 0, max(0, pos - _LEAD_WINDOW)) + 1
        return first.isupper() and not _lead_time_phrase(text[start:pos])
    if re.fullmatch(r"[a-z]", token) and core[0].isupper():  # an initial: "E." or "I."
        return starter
    if token in _abbrevs() or re.fullmatch(r"(?:[a-z]\.){1,4}[a-z]", token):
        return starter or first.isdigit() is False and first in '"“‘'
    if first.isdigit():
        return punkt_says
    return True


# Abbreviations that name a numbered thing: before a number they never end a sentence
# ("Art. 5", "Sec. 230", "Vol. 3", "pp. 12-14", "Fig. 2", "Nos. 3-5").
_NUMBERED = {
    "art",
    "arts",
    "sec",
    "sect",
    "secs",
    "vol",
    "vols",
    "no",
    "nos",
    "p",
    "pp",
    "fig",
    "figs",
    "ch",
    "chap",
    "para",
    "paras",
    "eq",
    "eqs",
    "ex",
    "exh",
    "tab",
    "app",
    "ref",
    "col",
    "cl",
    "reg",
    "pt",
    "pts",
}


def _lead_time_phrase(before: str) -> bool:
    """'At 5 a.m.' opening a sentence: the time is part of what follows."""
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-Z])", before.strip())[-1]
    words = sentence.split()
    return len(words) <= 4 and words[0].lower().strip("\"'“(") in _LEAD_PREP


_LIST_MARK = re.compile(
    r"(?:(?<=\s)|^)(?:[•⁃▪◦]\s?)?(\d{1,2}|[a-z])(\.\)|\)|\.)(?=\s)|(?:(?<=\s)|"
    r"^)[•⁃▪◦]\s?(\d{1,2})\."
)


def _list_marks(text: str) -> list[re.Match[str]]:
    """Markers of an inline list: at least two in sequence (1, 2 / a, b) of one style."""
    marks = list(_LIST_MARK.finditer(text))
    keep: list[re.Match[str]] = []
    for a, b in zip(marks, marks[1:]):
        if _in_sequence(a, b):
            keep += [m for m in (a, b) if m not in keep]
    return keep


def _in_sequence(a: re.Match[str], b: re.Match[str]) -> bool:
    ka, kb = a.group(1) or a.group(3), b.group(1) or b.group(3)
    if (a.group(2) or ".") != (b.group(2) or ".") or ka is None or kb is None:
        return False
    return (ka.isdigit() and kb.isdigit() and int(kb) == int(ka) + 1) or (
        ka.isalpha() and kb.isalpha() and ord(kb) == ord(ka) + 1
    )


def _list_cuts(text: str) -> set[int]:
    """Boundaries before the items of an inline list ("1) a 2) b", "a. x b. y", "• 9. x • 10.
    y")."""
    return {m.start() for m in _list_marks(text) if m.start() > 0}


# --- very long sentences -------------------------------------------------

MAX_SENTENCE_CHARS = 280  # about 18 s of speech at the default voice's pace


_CLAUSE_BREAKS = (
    r"(?<=[;:])\s+",
    r"\s+(?=[—–]\s)",
    r"(?<=,)\s+(?=(?:and|but|or|so|while|which|who|because|although|whereas|yet)\b)",
    r"(?<=,)\s+",
    r"\s+(?=(?:and|but|or|so|while|which|who|because|although|whereas|yet|then|when)\b)",
)


def split_long(sentence: str, max_chars: int = MAX_SENTENCE_CHARS, level: int = 0) -> list[str]:
    """Cut a run-on sentence at the strongest clause boundaries first (; : then dashes, then
    commas before conjunctions, then commas, then bare conjunctions), then at a length cap,
    so no clip runs much past 20 seconds."""
    if len(sentence) <= max_chars:
        return [sentence]
    for depth in range(level, len(_CLAUSE_BREAKS)):
        parts = [p.strip() for p in re.split(_CLAUSE_BREAKS[depth], sentence) if p.strip()]
        if len(parts) > 1:
            out: list[str] = []
            for part in _pack(parts, max_chars):
                out.extend(split_long(part, max_chars, depth + 1))
            return out
    words, out, cur = sentence.split(), [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > max_chars:
            out.append(cur)
            cur = w
        else:
            cur = f"{cur} {w}" if cur else w
    return out + ([cur] if cur else [])


def _pack(parts: list[str], max_chars: int) -> list[str]:
    """Join neighbouring clauses back together while they fit."""
    out: list[str] = []
    for p in (p.strip() for p in parts):
        if not p:
            continue
        if out and len(out[-1]) + 1 + len(p) <= max_chars:
            out[-1] = f"{out[-1]} {p}"
        else:
            out.append(p)
    return out
