"""The assemble stage: clips and pauses into one programme, with timings.

Each clip's own leading and trailing silence is trimmed (so the pause heard is
the pause configured), its edges get short fades (so no join clicks), and the
pause after it depends on where it sits: sentence, paragraph end, before and
after a heading, after the headline. Pauses are planned from the sentences
alone, so clips can be placed as they arrive from the synthesizer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np

from papercast.types import Chapter, Clip, Cue, Role, Sentence, Timeline, Word
from papercast.voice.profiles import Pauses

OUTPUT_RATE_HZ = 44100
SILENCE_THRESHOLD = 10 ** (-50 / 20)  # -50 dBFS
FADE_MS = 5.0
KEEP_MS = 15.0  # keep this much of the original silence at each edge


def trim(samples: np.ndarray, rate_hz: int) -> np.ndarray:
    """Drop leading/trailing silence below -50 dBFS, keeping a few ms of it."""
    lo, hi = trim_bounds(samples, rate_hz)
    return samples[lo:hi]


def trim_bounds(samples: np.ndarray, rate_hz: int) -> tuple[int, int]:
    """The range of ``samples`` that ``trim`` keeps."""
    loud = np.flatnonzero(np.abs(samples) > SILENCE_THRESHOLD)
    if loud.size == 0:
        return 0, 0
    keep = int(rate_hz * KEEP_MS / 1000)
    return max(0, int(loud[0]) - keep), min(len(samples), int(loud[-1]) + 1 + keep)


def fade(samples: np.ndarray, rate_hz: int, ms: float = FADE_MS) -> np.ndarray:
    n = min(len(samples) // 2, int(rate_hz * ms / 1000))
    out = samples.astype(np.float32, copy=True)
    if n <= 0:
        return out
    ramp = np.linspace(0.0, 1.0, n, endpoint=False, dtype=np.float32)
    out[:n] *= ramp
    out[-n:] *= ramp[::-1]
    return out


def pause_plan(sentences: Sequence[Sentence], pauses: Pauses) -> list[int]:
    """Milliseconds of silence after each sentence."""
    plan = []
    for i, s in enumerate(sentences):
        nxt = sentences[i + 1] if i + 1 < len(sentences) else None
        if nxt is None:
            plan.append(pauses.tail_ms)
        elif s.pause_ms >= 0:  # its own (an SSML break, a change of voice inside a sentence)
            plan.append(s.pause_ms)
        elif s.role in (Role.TITLE, Role.INTRO) and nxt.role not in (Role.TITLE, Role.INTRO):
            plan.append(pauses.title_after_ms)
        elif s.role == Role.HEADING:
            plan.append(pauses.heading_after_ms)
        elif nxt.role == Role.HEADING:
            plan.append(pauses.heading_before_ms)
        elif s.last_in_paragraph or s.role != nxt.role:
            plan.append(pauses.paragraph_ms)
        else:
            plan.append(pauses.sentence_ms)
    return plan


Locate = Callable[[Clip], list[tuple[str, int, int]]]  # written words and their samples in a clip


class Assembler:
    """Places clips one after another; remembers where each sentence and word landed.

    ``locate`` (voice/align.py) says which samples of a clip say which written word;
    the assembler moves those ranges by the trim and the clip's place in the episode."""

    def __init__(
        self,
        sentences: Sequence[Sentence],
        pauses: Pauses,
        rate_hz: int,
        locate: Locate | None = None,
    ) -> None:
        self.rate_hz = rate_hz
        self._locate = locate
        self._words: list[
            tuple[str, int, int, int]
        ] = []  # text, start, end (episode samples), sentence
        self._plan = pause_plan(sentences, pauses)
        self._lead = np.zeros(int(rate_hz * pauses.lead_in_ms / 1000), np.float32)
        self._spans: list[
            tuple[int, int, Sentence]
        ] = []  # where each sentence landed (no audio kept)
        self._pos = len(self._lead)
        self._pause_samples = len(self._lead)

    def lead_in(self) -> np.ndarray:
        return self._lead

    def place(self, clip: Clip) -> np.ndarray:
        """The trimmed, faded clip and the pause after it, at the voice's rate."""
        if clip.sample_rate_hz != self.rate_hz:
            raise ValueError("all clips of an episode must share one sample rate")
        lo, hi = trim_bounds(clip.samples, self.rate_hz)
        audio = fade(clip.samples[lo:hi], self.rate_hz)
        index = len(self._spans)
        if self._locate is not None:
            for text, a, b in self._locate(clip):
                a, b = min(max(a - lo, 0), len(audio)), min(max(b - lo, 0), len(audio))
                self._words.append((text, self._pos + a, self._pos + b, index))
        gap = int(self.rate_hz * self._plan[index] / 1000)
        self._spans.append((self._pos, self._pos + len(audio), clip.item.sentence))
        piece = np.concatenate([audio, np.zeros(gap, np.float32)])
        self._pos += len(piece)
        self._pause_samples += gap
        return piece

    def run(self, clips: Iterable[Clip]) -> Iterator[np.ndarray]:
        """The lead-in, then each clip placed with the pause after it, as clips arrive."""
        yield self._lead
        for clip in clips:
            yield self.place(clip)

    def run_tagged(self, clips: Iterable[Clip]) -> Iterator[tuple[np.ndarray, float]]:
        """As ``run``, each piece with its sentence's own gain (dB, SSML volume), for the
        leveller to apply after its compressor (Leveller.run_tagged)."""
        yield self._lead, 0.0
        for clip in clips:
            yield self.place(clip), clip.item.sentence.gain_db

    def timeline(
        self,
        headings: Sequence[str],
        title: str,
        offset_ms: int = 0,
        tail_ms: int = 0,
        timed_by: str = "voice",
    ) -> Timeline:
        """Where everything landed; cue and chapter times start ``offset_ms`` into the episode
        (intro music), and the last chapter runs ``tail_ms`` past the speech (outro music).
        A chapter starts where its heading's first word is said."""
        rate = self.rate_hz

        def ms(n: int) -> int:
            return int(round(1000 * n / rate)) + offset_ms

        cues = tuple(Cue(ms(a), ms(b), s.text) for a, b, s in self._spans)
        words = tuple(
            Word(text, 1000 * a / rate + offset_ms, 1000 * b / rate + offset_ms, i)
            for text, a, b, i in self._words
        )
        first_said: dict[int, int] = {}
        for _, a, b, i in self._words:
            if b > a:
                first_said.setdefault(i, a)
        starts = [(first_said.get(i, a), b, s) for i, (a, b, s) in enumerate(self._spans)]
        chapters = _chapters(starts, headings, title, ms(self._pos) + tail_ms, ms)
        clip_samples = sum(b - a for a, b, _ in self._spans)
        return Timeline(
            cues,
            chapters,
            1000 * clip_samples / rate,
            1000 * self._pause_samples / rate,
            1000 * self._pos / rate,
            words,
            timed_by,
        )


def _chapters(
    spans: list[tuple[int, int, Sentence]],
    headings: Sequence[str],
    title: str,
    total_ms: int,
    to_ms: Callable[[int], int],
) -> tuple[Chapter, ...]:
    starts: list[tuple[str, int]] = [(title, 0)]
    seen: set[int] = set()
    for a, _, sentence in spans:
        section = sentence.section
        if section >= 0 and section not in seen:
            seen.add(section)
            if section < len(headings) and headings[section]:
                starts.append((headings[section], to_ms(a)))
        if sentence.mark:  # an SSML mark starts a chapter of its name
            starts.append((sentence.mark, to_ms(a)))
    return tuple(
        Chapter(name, start, starts[i + 1][1] if i + 1 < len(starts) else total_ms)
        for i, (name, start) in enumerate(starts)
    )
