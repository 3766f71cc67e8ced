"""Assembly: trimming, fades, the pause plan, and where each clip lands."""

from __future__ import annotations

import numpy as np
import pytest

from papercast.audio.assemble import Assembler, fade, pause_plan, trim
from papercast.types import Clip, Phonemized, Role, Sentence
from papercast.voice.profiles import Pauses

RATE = 22050


def sentence(
    text: str, role: str = Role.BODY, section: int = 0, paragraph: int = 0, last: bool = False
) -> Sentence:
    return Sentence(text, text, section, paragraph, role, last)


def test_trim_keeps_15_ms_of_silence_each_side_and_fade_ramps() -> None:
    x = np.concatenate([np.zeros(1000), np.ones(500) * 0.5, np.zeros(1000)]).astype(np.float32)
    t = trim(x, RATE)
    keep = int(RATE * 0.015)
    assert len(t) == 500 + 2 * keep
    f = fade(np.ones(1000, np.float32), RATE)
    assert f[0] == 0.0 and f[-1] < 0.01 and f[500] == 1.0
    assert trim(np.zeros(100, np.float32), RATE).size == 0


def test_pause_plan_by_role_and_place() -> None:
    s = [
        sentence("Headline", Role.TITLE),
        sentence("One.", last=False),
        sentence("Two.", last=True),
        sentence("Sub", Role.HEADING, section=1),
        sentence("Three.", section=1, paragraph=1, last=True),
    ]
    p = Pauses()
    assert pause_plan(s, p) == [
        p.title_after_ms,
        p.sentence_ms,
        p.heading_before_ms,
        p.heading_after_ms,
        p.tail_ms,
    ]


def test_clips_land_where_the_plan_says_and_chapters_follow_headings() -> None:
    s = [
        sentence("Headline", Role.TITLE, section=-1),
        sentence("One.", last=True),
        sentence("Sub", Role.HEADING, section=1),
        sentence("Two.", section=1, paragraph=1, last=True),
    ]
    pauses = Pauses()
    asm = Assembler(s, pauses, RATE)
    clips = [Clip(Phonemized(x, "a"), np.full(RATE // 2, 0.5, np.float32), RATE) for x in s]
    pieces = list(asm.run(clips))
    total = sum(len(p) for p in pieces)
    tl = asm.timeline(["", "Sub"], "Headline")
    assert tl.speech_ms == pytest.approx(1000 * total / RATE)
    assert tl.clips_ms == pytest.approx(4 * 500, abs=1)
    assert tl.pauses_ms == pytest.approx(sum(pause_plan(s, pauses)) + pauses.lead_in_ms, abs=1)
    starts = [c.start_ms for c in tl.cues]
    assert starts[0] == pauses.lead_in_ms
    assert starts[1] - starts[0] == pytest.approx(500 + pauses.title_after_ms, abs=1)
    assert [(c.title, c.start_ms) for c in tl.chapters] == [("Headline", 0), ("Sub", starts[2])]
    assert tl.chapters[-1].end_ms == round(tl.speech_ms)
