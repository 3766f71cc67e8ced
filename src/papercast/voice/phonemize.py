"""Spoken text to the phoneme string Piper receives, one sentence at a time.

espeak-ng (through piper's bridge) splits its input into clauses and marks
some as sentence ends ("U.S." -> "."). We have already cut the sentence, so
every clause but the last keeps only a non-final mark (",", ";", ":"), and a
sentence-final mark inside becomes a comma: one sentence, one clip, no break.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence

from papercast.text.normalize import normalize
from papercast.types import SPELL_OUT, Phonemized, Sentence
from papercast.voice.lexicon import Lexicon

_LOCK = threading.Lock()
_READY = False
_LANGUAGE = ""  # the espeak voice set last: setting it costs 20 ms, so only when it changes
_FINAL = ".!?"


def _bridge():  # type: ignore[no-untyped-def]
    global _READY
    from piper import espeakbridge
    from piper.phonemize_espeak import ESPEAK_DATA_DIR

    if not _READY:
        espeakbridge.initialize(str(ESPEAK_DATA_DIR))
        _READY = True
    return espeakbridge


def espeak_ipa(text: str, language: str = "en-us") -> str:
    """espeak-ng's phonemes for ``text`` as one clause string (no sentence breaks)."""
    global _LANGUAGE
    with _LOCK:
        bridge = _bridge()
        if language != _LANGUAGE:
            bridge.set_voice(language)
            _LANGUAGE = language
        clauses = bridge.get_phonemes(text)
    out: list[str] = []
    for i, (phonemes, terminator, _end) in enumerate(clauses):
        phonemes = re.sub(r"\([^)]+\)", "", phonemes)  # language-switch flags
        last = i == len(clauses) - 1
        if terminator and terminator in _FINAL and not last:
            terminator = ","
        out.append(phonemes + terminator)
    return " ".join(p for p in out if p).strip()


Splitter = Callable[[str], Sequence[tuple[str, "str | None"]]]


def phonemize_sentence(spoken: str, language: str = "en-us", split: Splitter | None = None) -> str:
    """The phoneme string for one sentence; ``split`` marks lexicon words with their IPA."""
    parts = split(spoken) if split else [(spoken, None)]
    out: list[str] = []
    for i, (text, ipa) in enumerate(parts):
        if ipa is not None:
            out.append(ipa)
            continue
        if not text.strip():
            continue
        last = i == len(parts) - 1
        if not any(ch.isalnum() for ch in text):  # punctuation between lexicon words
            marks = "".join(ch for ch in text if ch in ",;:.!?")
            if marks:
                out[-1:] = [
                    (out[-1] if out else "")
                    + (marks[-1] if last or marks[-1] not in _FINAL else ",")
                ]
            continue
        ph = espeak_ipa(text, language)
        if not last and ph and ph[-1] in _FINAL:
            ph = ph[:-1]
        # Punctuation glued to the previous lexicon word (", " after a name) keeps its pause.
        if out and text[:1] in ",;:" and ph and ph[0] not in ",;:":
            ph = text[0] + " " + ph
        out.append(ph)
    joined = " ".join(p.strip() for p in out if p.strip())
    joined = re.sub(r"\s+([,;:.!?])", r"\1", joined)
    return re.sub(r"\s{2,}", " ", joined).strip()


def to_ids(phonemes: str, id_map: Mapping[str, Sequence[int]]) -> list[int]:
    """Phoneme string to Piper ids (BOS, PAD between, EOS); unknown symbols raise KeyError."""
    from piper.const import BOS, EOS, PAD

    ids: list[int] = [*id_map[BOS], *id_map[PAD]]
    for ch in unicodedata.normalize("NFD", phonemes):
        if ch not in id_map:
            raise KeyError(ch)
        ids.extend(id_map[ch])
        ids.extend(id_map[PAD])
    ids.extend(id_map[EOS])
    return ids


def missing_symbols(phonemes: str, id_map: Mapping[str, Sequence[int]]) -> list[str]:
    """Symbols of ``phonemes`` the voice has no id for (Piper would silently drop them)."""
    return sorted({ch for ch in unicodedata.normalize("NFD", phonemes) if ch not in id_map})


def phonemize_all(
    sentences: Iterable[Sentence], lexicon: Lexicon | None, language: str = "en-us"
) -> list[Phonemized]:
    split = lexicon.split if lexicon and lexicon.entries else None
    return [
        Phonemized(s, phonemize_sentence(s.spoken, language, splitter_for(s, split, language)))
        for s in sentences
    ]


def splitter_for(
    sentence: Sentence, split: Splitter | None, language: str = "en-us"
) -> Splitter | None:
    """The lexicon's splitter, with the sentence's own given phonemes (SSML ``phoneme``) first:
    those spans are said exactly as given (a SPELL_OUT span letter by letter, each as espeak
    names it), the rest as the lexicon and espeak say it."""
    if not sentence.fixed:
        return split

    def parts(text: str) -> list[tuple[str, str | None]]:
        out: list[tuple[str, str | None]] = []
        at = 0
        for start, end, ipa in sorted(sentence.fixed):
            if start > at:
                out.extend(split(text[at:start]) if split else [(text[at:start], None)])
            out.append(
                (
                    text[start:end],
                    spelled_ipa(text[start:end], language) if ipa == SPELL_OUT else ipa,
                )
            )
            at = end
        if at < len(text):
            out.extend(split(text[at:]) if split else [(text[at:], None)])
        return out

    return parts


def spelled_ipa(text: str, language: str = "en-us") -> str:
    """Each letter and digit of ``text`` said by its name (SSML ``say-as characters``)."""
    return " ".join(
        espeak_ipa(ch.upper(), language).rstrip(".,;:!? ") for ch in text if ch.isalnum()
    )


def alias_ipa(alias: str) -> str:
    """An alias ("World Wide Web Consortium") read by espeak, as one phrase with no final mark."""
    return espeak_ipa(normalize(alias)).rstrip(".,;:!? ")
