"""More than one voice in an episode: quotations read by a second voice (two tone test voices
a fifth apart, 440 and 660 Hz, told apart by pitch per word-timed span in the decoded MP3),
captions and the read-along page aligned with the words across the changes of voice, loudness
matched; an article's own voice and speaker from its front matter."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from lxml import html as lxml_html

from conftest import DATA, run_cli
from papercast.audio.transcripts import captions
from papercast.pipeline import Renderer, sentences_for
from papercast.settings import EpisodeSettings, RunFlags
from papercast.text.extract import extract
from papercast.text.inputs import Document

sf = pytest.importorskip("soundfile")

LOW = str(DATA / "timed-voice.onnx")  # 440 Hz
HIGH = str(DATA / "timed-high-voice.onnx")  # 660 Hz
CHOIR = str(DATA / "choir-voice.onnx")  # alto 330, tenor 440, soprano 660

ARTICLE = """---
title: The bridge closes
---

The council voted on Tuesday to close the old bridge. “We had no other choice,” the mayor
said after the vote. “It is old. It is not safe any more.”

Residents were “upset” but calm. One of them said: "I will take the ferry from now on,
like everyone else does."
"""


def pitch_hz(audio: np.ndarray, rate: int, start_ms: float, end_ms: float) -> float:
    seg = audio[int(start_ms * rate / 1000) : int(end_ms * rate / 1000)]
    spectrum = np.abs(np.fft.rfft(seg * np.hanning(len(seg))))
    return float(np.argmax(spectrum) * rate / len(seg))


def level_db(audio: np.ndarray, rate: int, start_ms: float, end_ms: float) -> float:
    seg = audio[int(start_ms * rate / 1000) : int(end_ms * rate / 1000)].astype(np.float64)
    return float(10 * np.log10(np.mean(seg**2)))


def test_quotations_are_read_by_the_quote_voice_and_the_words_stay_aligned(tmp_path: Path) -> None:
    settings = EpisodeSettings(voice=LOW, quote_voice=HIGH, transcripts=("vtt", "json"), page=True)
    renderer = Renderer(settings, RunFlags(cache_dir=tmp_path / "cache", quiet=True))
    doc = Document(ARTICLE, str(tmp_path / "bridge.md"), "markdown")
    sentences = sentences_for(extract(doc), settings)
    quoted = {s.text: bool(s.voice) for s in sentences}
    assert quoted == {
        "The bridge closes": False,
        "The council voted on Tuesday to close the old bridge.": False,
        "“We had no other choice,”": True,
        "the mayor said after the vote.": False,
        "“It is old.": True,  # a quotation across two sentences
        "It is not safe any more.”": True,
        "Residents were “upset” but calm.": False,  # a scare quote stays with the narrator
        "One of them said:": False,
        '"I will take the ferry from now on, like everyone else does."': True,
    }
    out = tmp_path / "bridge.mp3"
    episode = renderer.render(doc, out)
    audio, rate = sf.read(str(out), dtype="float32")
    audio = audio if audio.ndim == 1 else audio.mean(axis=1)

    timeline = episode.timeline
    assert len(timeline.cues) == len(sentences)
    for word in timeline.words:
        if word.end_ms - word.start_ms < 40:
            continue
        want = 660 if sentences[word.sentence].voice else 440
        got = pitch_hz(audio, rate, word.start_ms + 5, word.end_ms - 5)
        assert abs(got - want) < 25, (word, got)
    # every word inside its own part's clip; every caption cue (the VTT's) starts at its
    # first word and ends at its last or where its part's audio ends (the test voices sound
    # their end-of-sentence id), within 20 ms
    for w in timeline.words:
        clip = timeline.cues[w.sentence]
        assert clip.start_ms - 1 <= w.start_ms <= w.end_ms <= clip.end_ms + 1, (w, clip)
    said = [w for w in timeline.words if w.end_ms > w.start_ms]
    for cue in captions(timeline):
        first = min((w for w in said if w.start_ms >= cue.start_ms - 20), key=lambda w: w.start_ms)
        last = max((w for w in said if w.end_ms <= cue.end_ms + 20), key=lambda w: w.end_ms)
        part_end = timeline.cues[last.sentence].end_ms
        assert abs(cue.start_ms - first.start_ms) <= 20, (cue, first)
        assert min(abs(cue.end_ms - last.end_ms), abs(cue.end_ms - part_end)) <= 20, (cue, last)
        assert cue.text.split()[0] == first.text and cue.text.split()[-1] == last.text, cue
    vtt = (tmp_path / "bridge.vtt").read_text(encoding="utf-8")
    assert "“We had no other choice,”\n" in vtt and "the mayor said after the vote.\n" in vtt
    # the read-along page: the words with the times the transcript has, the paragraph whole
    page = lxml_html.fromstring((tmp_path / "bridge.html").read_bytes())
    spans = page.xpath('//main//span[contains(concat(" ", @class, " "), " w ")]')
    said = [w for w in timeline.words if sentences[w.sentence].role != "title"]
    assert [s.text_content() for s in spans] == [w.text for w in said]
    for span, w in zip(spans, said, strict=True):
        assert abs(float(span.get("data-s")) - w.start_ms / 1000) <= 0.002
    first = page.xpath("//main/p")[0].text_content()
    assert " ".join(first.split()) == (
        "The council voted on Tuesday to close the old bridge. “We had no other choice,” the "
        "mayor said after the vote. “It is old. It is not safe any more.”"
    )
    # loudness matched: the two voices within 1 dB over their sentences
    levels = {True: [], False: []}  # type: ignore[var-annotated]
    for cue, s in zip(timeline.cues, sentences, strict=True):
        if s.role == "body":
            levels[bool(s.voice)].append(level_db(audio, rate, cue.start_ms + 20, cue.end_ms - 20))
    assert abs(np.mean(levels[True]) - np.mean(levels[False])) <= 1.0


def test_quote_speaker_front_matter_voice_and_the_cli(tmp_path: Path) -> None:
    """The three-speaker voice: quotations as another speaker (--quote-speaker), an article's
    own speaker from its front matter; both through the CLI, pitch read back by soundfile."""
    article = tmp_path / "a.md"
    article.write_text(
        "---\ntitle: Speakers\nspeaker: tenor\n---\n\nThe narrator reads this part of the "
        "story. “And this quotation is read by another speaker,” she said.\n",
        encoding="utf-8",
    )
    out = tmp_path / "a.mp3"
    r = run_cli("speak", str(article), "--voice", CHOIR, "--quote-speaker", "soprano",
                "--transcript", "json", "-o", str(out))  # fmt: skip
    assert r.code == 0, r.err
    audio, rate = sf.read(str(out), dtype="float32")
    audio = audio if audio.ndim == 1 else audio.mean(axis=1)
    import json

    segments = json.loads(out.with_suffix(".transcript.json").read_text())["segments"]
    pitches = {}
    for seg in segments:
        if seg["endTime"] - seg["startTime"] > 0.05:
            p = pitch_hz(audio, rate, seg["startTime"] * 1000 + 5, seg["endTime"] * 1000 - 5)
            pitches[seg["body"]] = round(p / 10) * 10
    assert pitches["narrator"] == 440 and pitches["reads"] == 440  # the front matter's tenor
    assert pitches["quotation"] == 660 and pitches["speaker,”"] == 660
    assert pitches["said."] == 440

    bad = tmp_path / "b.md"
    bad.write_text("---\ntitle: X\nspeaker: bass\n---\n\nA sentence to read.\n", encoding="utf-8")
    r = run_cli("speak", str(bad), "--voice", CHOIR, "-o", str(tmp_path / "b.mp3"))
    assert r.code == 2 and "no speaker 'bass'" in r.err and not (tmp_path / "b.mp3").exists()
