"""Frozen dataclasses that cross stage boundaries: each stage takes and returns these, never
dicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np


@dataclass(frozen=True)
class Dropped:
    """A block of the input that will not be spoken, and why."""

    text: str
    reason: str
    line: int = 0  # 1-based line in the input; 0 when not known (HTML)


@dataclass(frozen=True)
class Section:
    """A run of paragraphs under one heading (the lead section has heading "")."""

    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Article:
    """What extraction found: metadata, the story in order, and what was dropped."""

    title: str
    sections: tuple[Section, ...]
    source: str = ""  # file name or "<stdin>"
    dek: str = ""
    byline: str = ""
    date: str = ""
    site: str = ""
    dropped: tuple[Dropped, ...] = ()
    site_from_metadata: bool = (
        False  # site came from the page's metadata (og:site_name, front matter), not a guess
    )
    # What is read, when the input says it sentence by sentence itself (SSML): the script is
    # these, in order, instead of headline and sections.
    script: tuple[Sentence, ...] = ()
    voice: str = ""  # the article's own voice (front matter), as Sentence.voice names one

    @property
    def text(self) -> str:
        """What is read of it, a line each: headline, standfirst, section headings and
        paragraphs (what extraction is scored on)."""
        parts = [self.title, self.dek]
        for s in self.sections:
            parts.append(s.heading)
            parts.extend(s.paragraphs)
        return "\n".join(p for p in parts if p)


SPELL_OUT = "<spell>"  # in Sentence.fixed: say each letter and digit of the span by its name


class Role:
    """Where a sentence sits in the programme; decides the pause after it."""

    TITLE = "title"
    HEADING = "heading"
    BODY = "body"
    INTRO = "intro"
    OUTRO = "outro"


@dataclass(frozen=True)
class Sentence:
    """One unit of speech: one Piper call, one clip, one transcript cue.

    ``text`` is the written form (for transcripts), ``spoken`` the normalised
    form handed to the phonemizer. ``paragraph`` counts across the article;
    ``section`` indexes ``Article.sections`` (-1 for the headline and programme
    parts). ``last_in_paragraph`` decides the longer pause. ``origin`` holds, for each
    character of ``spoken``, the position in ``text`` it is said for (the normaliser's map,
    made once with the spoken form; word timings read it); empty when the spoken form was
    made some other way, and then words are shared out by position.

    The rest say how it is read when that differs from the episode's defaults (SSML markup,
    a quotation read by a second voice): a ``voice`` of its own ("VOICE", "VOICE#SPEAKER" or
    "#SPEAKER" for another speaker of the episode's voice), a ``rate`` multiplying the voice's
    length scale, a ``gain_db``, the silence after it (``pause_ms``, -1: the pause plan's),
    spans of ``spoken`` with given phonemes (``fixed``: start, end, IPA), a chapter starting
    at it (``mark``), or a local sound file played in its place (``audio``).
    """

    text: str
    spoken: str
    section: int
    paragraph: int
    role: str = Role.BODY
    last_in_paragraph: bool = False
    origin: tuple[int, ...] = field(default=(), compare=False, repr=False)
    voice: str = ""
    rate: float = 1.0
    gain_db: float = 0.0
    pause_ms: int = -1
    fixed: tuple[tuple[int, int, str], ...] = ()
    mark: str = ""
    audio: str = ""


@dataclass(frozen=True)
class Phonemized:
    """A sentence with the phoneme string sent to Piper."""

    sentence: Sentence
    phonemes: str  # IPA string as Piper receives it (one sentence, no inner breaks)


@dataclass(frozen=True, eq=False)
class Clip:
    """Audio for one sentence, at the voice's sample rate, float32 in [-1, 1]."""

    item: Phonemized
    samples: np.ndarray = field(repr=False)
    sample_rate_hz: int
    id_samples: np.ndarray | None = field(
        default=None, repr=False
    )  # samples the voice gave each phoneme id

    @property
    def duration_ms(self) -> float:
        return 1000.0 * len(self.samples) / self.sample_rate_hz


@dataclass(frozen=True)
class Cue:
    """A timed sentence in the finished episode (for transcripts)."""

    start_ms: int
    end_ms: int
    text: str


@dataclass(frozen=True)
class Word:
    """A written word and when it is said in the finished episode (ms, to the sample)."""

    text: str
    start_ms: float
    end_ms: float  # equal to start_ms for a written word that is not said ("—")
    sentence: int  # index into the episode's sentences


@dataclass(frozen=True)
class Chapter:
    """A chapter of the episode: the headline, then one per section."""

    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Timeline:
    """Where the speech landed in the episode: cues, chapters and how long it ran."""

    cues: tuple[Cue, ...]
    chapters: tuple[Chapter, ...]
    clips_ms: float  # sum of clip durations placed (after trimming)
    pauses_ms: float  # sum of pauses placed (with the lead-in)
    speech_ms: float  # from the first sample to the end of the last pause (no music)
    words: tuple[Word, ...] = ()
    timed_by: str = (
        "voice"  # "voice": the voice's own durations; "estimate": shared evenly per phoneme
    )


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float  # -inf for silence or audio shorter than one 400 ms block
    true_peak_dbtp: float  # -inf for silence


@dataclass(frozen=True)
class Episode:
    """A finished episode as the feed and the CLI see it: files, metadata, timings. No audio."""

    path: Path  # the MP3
    sidecars: tuple[Path, ...]  # transcripts and chapters JSON written with it
    title: str
    source: str
    byline: str
    site: str
    date: str
    duration_ms: float  # of the decoded MP3, music included
    size_bytes: int
    sha256: str  # of the whole MP3 file
    loudness: Loudness  # measured on the decoded MP3
    timeline: Timeline  # cues, chapters, speech and pause totals
    sentences: tuple[Sentence, ...]
    reused: bool = False  # True when an intact earlier render of the same inputs was kept
    synthesised: int = 0  # sentences the voice synthesised for this render (not from the cache)

    @property
    def cues(self) -> tuple[Cue, ...]:
        return self.timeline.cues

    @property
    def chapters(self) -> tuple[Chapter, ...]:
        return self.timeline.chapters
