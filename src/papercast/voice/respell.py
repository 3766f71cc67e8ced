"""Pronunciation respelling ("byah-LYAHT-skee") to IPA in the voice's phoneme set.

Syllables are separated by hyphens; the syllable in capitals carries primary
stress. The key follows the respelling conventions newsrooms and Wikipedia use
(ah, ay, ee, oh, oo, ow, oy, zh, kh ...). We parse it ourselves rather than
through espeak: espeak reads a respelling as English spelling and makes
"byah-LYAHT-skee" into "bye-uh-LIE-aht-SKEE".
"""

from __future__ import annotations

import re

# Longest first. Values use only symbols the default voice was trained on.
_KEY: tuple[tuple[str, str], ...] = tuple(
    sorted(
        {
            "eye": "aɪ",
            "igh": "aɪ",
            "air": "ɛɹ",
            "ear": "ɪɹ",
            "eer": "ɪɹ",
            "oor": "ʊɹ",
            "our": "aʊɚ",
            "ure": "jʊɹ",
            "ah": "ɑː",
            "aa": "ɑː",
            "ar": "ɑːɹ",
            "aw": "ɔː",
            "ay": "eɪ",
            "ai": "aɪ",
            "ee": "iː",
            "eh": "ɛ",
            "er": "ɜː",
            "ew": "juː",
            "ih": "ɪ",
            "oh": "oʊ",
            "oa": "oʊ",
            "oo": "uː",
            "or": "ɔːɹ",
            "ow": "aʊ",
            "oy": "ɔɪ",
            "uh": "ʌ",
            "uu": "ʊ",
            "ch": "tʃ",
            "sh": "ʃ",
            "zh": "ʒ",
            "th": "θ",
            "dh": "ð",
            "ng": "ŋ",
            "kh": "x",
            "ts": "ts",
            "a": "æ",
            "e": "ɛ",
            "i": "ɪ",
            "o": "ɑː",
            "u": "ʌ",
            "y": "j",
            "j": "dʒ",
            "g": "ɡ",
            "r": "ɹ",
            "c": "k",
            "q": "k",
            "b": "b",
            "d": "d",
            "f": "f",
            "h": "h",
            "k": "k",
            "l": "l",
            "m": "m",
            "n": "n",
            "p": "p",
            "s": "s",
            "t": "t",
            "v": "v",
            "w": "w",
            "x": "ks",
            "z": "z",
            "ə": "ə",
        }.items(),
        key=lambda kv: -len(kv[0]),
    )
)
_VOWEL_START = tuple("aɑæeɛɪiɔoʊuʌəɜɚ")
_UNSTRESSED = {"ʌ": "ə", "ɜː": "ɚ"}


class RespellError(ValueError):
    pass


def respell_to_ipa(respelling: str) -> str:
    """'byah-LYAHT-skee' -> 'bjɑːljˈɑːtskiː' (stress mark before the stressed vowel, as espeak
    writes)."""
    words = respelling.strip().split()
    if not words:
        raise RespellError("empty respelling")
    return " ".join(_word(w) for w in words)


def _word(word: str) -> str:
    syllables = [s for s in re.split(r"[-·.]", word) if s]
    if not syllables:
        raise RespellError(f"empty respelling word {word!r}")
    stressed = [i for i, s in enumerate(syllables) if s.isupper() and any(c.isalpha() for c in s)]
    if len(syllables) == 1 and not stressed:
        stressed = [0]
    out = []
    for i, syl in enumerate(syllables):
        phones = _syllable(syl.lower())
        if i in stressed:
            phones = _mark_stress(phones, "ˈ" if i == stressed[0] else "ˌ")
        elif len(syllables) > 1:
            phones = [_UNSTRESSED.get(p, p) for p in phones]
        out.append("".join(phones))
    return "".join(out)


def _syllable(syl: str) -> list[str]:
    phones, i = [], 0
    while i < len(syl):
        if syl[i] in "'’":
            i += 1
            continue
        for key, ipa in _KEY:
            if syl.startswith(key, i):
                phones.append(ipa)
                i += len(key)
                break
        else:
            raise RespellError(f"cannot read {syl[i]!r} in respelling syllable {syl!r}")
    return phones


def _mark_stress(phones: list[str], mark: str) -> list[str]:
    for j, p in enumerate(phones):
        if p.startswith(_VOWEL_START) or p in ("aɪ", "aʊ", "eɪ", "oʊ", "ɔɪ"):
            return phones[:j] + [mark + p] + phones[j + 1 :]
    return [mark] + phones
