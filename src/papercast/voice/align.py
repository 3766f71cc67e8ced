"""Word timings: which samples of a clip say which written word.

The voice tells us how many samples it gave each phoneme id (graph.py exposes
VITS's rounded durations). What is left is bookkeeping, in three steps:

1. written words -> spoken words: ``normalize_mapped`` says which written word each
   spoken character was said for ("$5" -> "five dollars");
2. spoken words -> phoneme characters: the sentence's phoneme string has one
   space-separated token per word espeak said. Each spoken word is phonemized on
   its own (lexicon words give their IPA) to learn how many tokens it makes; when
   the counts add up (almost always) the tokens are dealt out in order, otherwise a
   small dynamic programme matches them by spelling;
3. phoneme characters -> ids -> samples: Piper's ids are BOS, PAD, then each
   symbol followed by PAD, then EOS; a word runs from the word boundary before it
   (the space symbol and its PAD, where the voice moves into the word) to the PAD
   after its last sounding symbol (trailing punctuation, which the voice turns into
   a pause, is not part of the word). The boundary is where pocketsphinx's word
   starts agree best (docs/DECISIONS.md, "Where a word starts").

A voice whose graph does not expose durations gets an estimate: the clip's
samples shared evenly over its ids, and the timeline says so (``timed_by``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np

from papercast.types import Phonemized
from papercast.voice.phonemize import Splitter, espeak_ipa, splitter_for

_TOKEN = re.compile(r"\S+")
_PUNCT = set(",;:.!?¡¿—–-\"'“”‘’()[]…")
_NOT_SOUND = re.compile(r"[ˈˌːˑ.,;:!?'\"()\-\s]")


@lru_cache(maxsize=65536)
def _alone(word: str, language: str) -> tuple[str, ...]:
    """espeak's phoneme tokens for one word said on its own."""
    core = word.strip("".join(_PUNCT))
    if not any(ch.isalnum() for ch in core):
        return ()
    return tuple(t for t in _TOKEN.findall(espeak_ipa(core, language)) if _sounds(t))


def _sounds(token: str) -> bool:
    return any(ch not in _PUNCT for ch in token)


def speech_words(
    spoken: str, split: Splitter | None, language: str
) -> list[tuple[int, tuple[str, ...]]]:
    """Each spoken word's start in ``spoken`` and the phoneme tokens it makes on its own."""
    out: list[tuple[int, tuple[str, ...]]] = []
    pos = 0
    for text, ipa in split(spoken) if split else [(spoken, None)]:
        words = list(_TOKEN.finditer(text))
        if ipa is not None:
            tokens = tuple(t for t in _TOKEN.findall(ipa) if _sounds(t))
            if len(words) == len(tokens):
                out += [(pos + w.start(), (t,)) for w, t in zip(words, tokens)]
            else:
                out += [(pos + w.start(), tokens if i == 0 else ()) for i, w in enumerate(words)]
        else:
            out += [(pos + w.start(), _alone(w.group(0), language)) for w in words]
        pos += len(text)
    return out


def word_chars(groups: Sequence[Sequence[str]], phonemes: str) -> list[tuple[int, int]]:
    """For each group (a spoken word's phoneme tokens said alone), the range [start, stop)
    of ``phonemes`` (the sentence's string) that says it; (0, 0) when nothing does.

    When the token counts add up, tokens are dealt out in order. espeak joins some
    words in running speech ("of the" -> "ʌvðə", "that a" -> "ðæɾɚ"), so otherwise the
    words' sounds are aligned with the sentence's letter by letter (edit distance,
    ignoring stress and length marks) and each word gets the letters matched to it."""
    tokens = [m.span() for m in _TOKEN.finditer(phonemes) if _sounds(m.group(0))]
    counts = [len(g) for g in groups]
    if sum(counts) == len(tokens):
        out, at = [], 0
        for c in counts:
            out.append((tokens[at][0], tokens[at + c - 1][1]) if c else (0, 0))
            at += c
        return out
    want: list[tuple[str, int]] = [
        (ch, i) for i, g in enumerate(groups) for ch in _bare("".join(g))
    ]
    have = [k for k, ch in enumerate(phonemes) if not _NOT_SOUND.match(ch)]
    owner = _align_owners([c for c, _ in want], [phonemes[k] for k in have])
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for k, w in zip(have, owner):
        i = want[w][1] if w >= 0 else -1
        if i >= 0:
            first.setdefault(i, k)
            last[i] = k + 1
    return [(first[i], last[i]) if i in first else (0, 0) for i in range(len(groups))]


def _bare(text: str) -> str:
    return _NOT_SOUND.sub("", text)


def _align_owners(a: Sequence[str], b: Sequence[str]) -> list[int]:
    """For each element of ``b``, the index of the element of ``a`` it is aligned with
    (minimum edit distance; an inserted element takes its left neighbour's)."""
    n, m = len(a), len(b)
    if not n:
        return [-1] * m
    cost = np.zeros((n + 1, m + 1), dtype=np.int32)
    cost[:, 0] = np.arange(n + 1)
    cost[0, :] = np.arange(m + 1)
    b_arr = np.array([ord(c) for c in b], dtype=np.int64)
    for i in range(1, n + 1):
        sub = cost[i - 1, :-1] + (b_arr != ord(a[i - 1]))
        row = np.minimum(sub, cost[i - 1, 1:] + 1)
        # insertions run along the row: a running minimum of (row[j] - j) + j
        full = np.concatenate([[cost[i, 0]], row])
        cost[i] = np.minimum.accumulate(full - np.arange(m + 1)) + np.arange(m + 1)
    owner = [-1] * m
    i, j = n, m
    while j > 0:
        if i > 0 and cost[i, j] == cost[i - 1, j - 1] + (a[i - 1] != b[j - 1]):
            owner[j - 1] = i - 1
            i, j = i - 1, j - 1
        elif i > 0 and cost[i, j] == cost[i - 1, j] + 1:
            i -= 1
        else:
            owner[j - 1] = max(0, i - 1)
            j -= 1
    return owner


class WordAligner:
    """Written words of a sentence to sample ranges of its clip."""

    def __init__(
        self,
        id_map: Mapping[str, Sequence[int]],
        split: Splitter | None = None,
        language: str = "en-us",
    ) -> None:
        self.id_map = id_map
        self.split = split
        self.language = language

    def locate(
        self, item: Phonemized, id_samples: np.ndarray | None, n_samples: int
    ) -> list[tuple[str, int, int]]:
        """(written word, first sample, end sample) in the untrimmed clip, for every written
        word of the sentence in order; a word that is not said gets an empty range where it sits."""
        from piper.const import BOS, EOS, PAD

        sentence = item.sentence
        written = list(_TOKEN.finditer(sentence.text))
        phonemes = unicodedata.normalize("NFD", item.phonemes)
        # Where each phoneme character's first id sits, and the id count.
        pad = len(self.id_map[PAD])
        starts, at = [], len(self.id_map[BOS]) + pad
        for ch in phonemes:
            starts.append(at)
            at += len(self.id_map.get(ch, ())) + len(self.id_map[PAD])
        n_ids = at + len(self.id_map[EOS])
        if id_samples is None or len(id_samples) != n_ids:
            id_samples = _even(n_samples, n_ids)
        edges = np.concatenate([[0], np.cumsum(id_samples)])

        spoken, origin = sentence.spoken, list(sentence.origin)  # empty: shared out in order
        words = speech_words(
            spoken, splitter_for(sentence, self.split, self.language), self.language
        )
        ranges = word_chars([g for _, g in words], phonemes)

        spans: list[list[int]] = [[] for _ in written]
        for (pos, _), (first, stop) in zip(words, ranges):
            if first == stop:
                continue
            last = stop - 1
            while last > first and phonemes[last] in _PUNCT:
                last -= 1
            # The boundary before a word (the space symbol and its pad) is where the voice
            # moves into it: a word starts there (docs/DECISIONS.md, "Where a word starts").
            lead = (
                starts[first - 1]
                if first > 0 and phonemes[first - 1] == " "
                else starts[first] - pad
            )
            a = int(edges[max(0, lead)])
            b = int(edges[starts[last + 1]] if last + 1 < len(starts) else edges[-1])
            spans[_written_index(origin[pos] if origin else None, pos, len(spoken), written)] += [
                a,
                b,
            ]
        out: list[tuple[str, int, int]] = []
        prev_end = 0
        for token, span in zip(written, spans):
            if span:
                a, b = max(min(span), prev_end), max(span)
                b = max(a, b)
            else:
                a = b = prev_end
            out.append((token.group(0), a, b))
            prev_end = b
        return out


def _written_index(
    origin: int | None, pos: int, spoken_len: int, written: list[re.Match[str]]
) -> int:
    if not written:
        return 0
    if origin is None:  # no mapping: by position in the sentence
        return min(len(written) - 1, pos * len(written) // max(1, spoken_len))
    for i, w in enumerate(written):
        if origin < w.end():
            return i
    return len(written) - 1


def _even(n_samples: int, n_ids: int) -> np.ndarray:
    """An estimate: the clip's samples shared evenly over its ids."""
    edges = np.round(np.linspace(0, n_samples, n_ids + 1)).astype(np.int64)
    return np.diff(edges)
