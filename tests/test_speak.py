"""The whole episode with the tone test voice: exact timings, MP3, tags, chapters, transcripts,
loudness."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import soundfile

from conftest import SAMPLES
from papercast.audio.assemble import pause_plan
from papercast.pipeline import SpeakOptions, speak
from papercast.types import Episode
from papercast.voice.profiles import Pauses

LAGOON = SAMPLES / "broadcaster-lagoon.txt"
HOP, VOICE_RATE = 256, 22050


@pytest.fixture(scope="module")
def episode(tmp_path_factory: pytest.TempPathFactory) -> Episode:
    out = tmp_path_factory.mktemp("ep") / "lagoon.mp3"
    voice = str(Path(__file__).parent / "data" / "tone-voice.onnx")
    return speak(
        str(LAGOON),
        out,
        SpeakOptions(
            voice=voice, transcripts=("vtt", "srt"), chapters_json=True, cache=False, quiet=True
        ),
    )


def test_mp3_is_44k_mono_with_headline_title(episode: Episode) -> None:
    from mutagen.id3 import ID3
    from mutagen.mp3 import MP3

    info = soundfile.info(str(episode.path))
    assert (info.samplerate, info.channels) == (44100, 1)
    tags = ID3(str(episode.path))
    assert tags.version[:2] == (2, 3)
    assert str(tags["TIT2"]) == "Council backs tidal lagoon as Ó Fearghail wins vote in Aberdaron"
    comments = {c.desc: str(c) for c in tags.getall("COMM")}
    assert "synthetic voice" in comments["disclosure"]
    assert comments[""] == f"Source: {LAGOON}"
    # Xing/Info header: mutagen's duration agrees with the decoded audio.
    assert MP3(str(episode.path)).info.length == pytest.approx(info.duration, abs=0.1)


def test_clip_lengths_and_pauses_add_up_exactly(episode: Episode) -> None:
    p = episode.timeline
    # The tone voice makes 256 samples per phoneme id; nothing is trimmed from a tone.
    assert p.clips_ms + p.pauses_ms == pytest.approx(p.speech_ms, abs=1)
    assert len(p.cues) == len(episode.sentences)
    decoded = soundfile.info(str(episode.path)).duration * 1000
    assert decoded == pytest.approx(p.speech_ms, abs=1)
    assert episode.duration_ms == pytest.approx(decoded, abs=1)


def test_pauses_between_clips_are_as_configured(episode: Episode) -> None:
    samples, rate = soundfile.read(str(episode.path), dtype="float32")  # the decoded MP3
    quiet = np.concatenate([[0], (np.abs(samples) < 1e-2).astype(np.int8), [0]])
    edges = np.flatnonzero(np.diff(quiet))
    runs = [(b - a) * 1000 / rate for a, b in zip(edges[0::2], edges[1::2])]
    gaps_ms = [r for r in runs if r >= 10][
        1:-1
    ]  # zero crossings are single samples; skip lead-in and tail
    planned = pause_plan(episode.sentences, Pauses())[:-1]
    assert len(gaps_ms) == len(planned)
    # Tone zero-crossings and 5 ms fades make each measured gap a little longer, never 30 ms off.
    # MP3 pre-echo can shave a few ms off a gap.
    for got, want in zip(gaps_ms, planned):
        assert want - 5 <= got <= want + 30, (got, want)


def test_chapters_match_sections_and_audio(episode: Episode) -> None:
    from mutagen.id3 import ID3

    tags = ID3(str(episode.path))
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    titles = [str(c.sub_frames["TIT2"]) for c in chaps]
    assert titles == [
        "Council backs tidal lagoon as Ó Fearghail wins vote in Aberdaron",
        "What happens next",
        "Money and the sea",
    ]
    assert chaps[0].start_time == 0
    heading_cues = [c for c in episode.cues if c.text in titles[1:]]
    for chap, cue in zip(chaps[1:], heading_cues):
        assert abs(chap.start_time - cue.start_ms) <= 50
    toc = tags.getall("CTOC")[0]
    assert list(toc.child_element_ids) == [c.element_id for c in chaps]


def _vtt_cues(text: str) -> list[tuple[float, str]]:
    cues = []
    for block in text.strip().split("\n\n")[1:]:
        lines = block.splitlines()
        m = re.match(r"(\d+):(\d\d):(\d\d)\.(\d{3}) --> ", lines[1])
        assert m, lines
        h, mi, s, ms = map(int, m.groups())
        cues.append((((h * 60 + mi) * 60 + s) * 1000 + ms, " ".join(lines[2:])))
    return cues


def test_vtt_captions_follow_the_sentences_and_their_words(episode: Episode) -> None:
    from papercast.audio.transcripts import captions

    vtt = episode.path.with_suffix(".vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n")
    cues = _vtt_cues(vtt)
    # written forms, not phonetic; long sentences in several cues, none straddling two sentences
    assert " ".join(c[1] for c in cues) == " ".join(s.text for s in episode.sentences)
    assert [c.text for c in captions(episode.timeline)] == [c[1] for c in cues]
    firsts = {}
    for w in episode.timeline.words:
        firsts.setdefault(w.sentence, w)
    starts = {start for start, _ in cues}
    for index, sentence in enumerate(episode.sentences):
        assert any(abs(start - firsts[index].start_ms) <= 1 for start in starts), sentence.text
        assert (
            episode.cues[index].start_ms - 1 <= firsts[index].start_ms < episode.cues[index].end_ms
        )
    assert "Dr. Siobhán Ní Dhuibhir" in " ".join(c[1] for c in cues) and "Doctor" not in vtt


def test_chapters_json(episode: Episode) -> None:
    import json

    doc = json.loads(episode.path.with_suffix(".chapters.json").read_text(encoding="utf-8"))
    assert doc["version"] == "1.2.0"
    assert [c["title"] for c in doc["chapters"]][1:] == ["What happens next", "Money and the sea"]
    assert doc["chapters"][0]["startTime"] == 0


def test_loudness_on_the_decoded_mp3(episode: Episode) -> None:
    import pyloudnorm
    from scipy.signal import resample_poly

    audio, rate = soundfile.read(str(episode.path), dtype="float64")
    lufs = pyloudnorm.Meter(rate).integrated_loudness(audio)
    true_peak = 20 * np.log10(np.abs(resample_poly(audio, 4, 1)).max())
    assert -17.0 <= lufs <= -15.0
    assert true_peak <= -1.0
    assert episode.loudness.integrated_lufs == pytest.approx(lufs, abs=0.05)


def test_no_temp_files_left(episode: Episode) -> None:
    leftovers = [p.name for p in episode.path.parent.iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_srt_matches_vtt(episode: Episode) -> None:
    srt = episode.path.with_suffix(".srt").read_text(encoding="utf-8")
    blocks = [b.splitlines() for b in srt.strip().split("\n\n")]
    from papercast.audio.transcripts import captions

    cues = captions(episode.timeline)
    assert [int(b[0]) for b in blocks] == list(range(1, len(cues) + 1))
    for block, cue in zip(blocks, cues):
        h, m, rest = block[1].split(" --> ")[0].split(":")
        s, ms = rest.split(",")
        assert abs(((int(h) * 60 + int(m)) * 60 + int(s)) * 1000 + int(ms) - cue.start_ms) <= 1
        assert " ".join(block[2:]) == cue.text
        assert all(len(line) <= 42 for line in block[2:] if " " in line)
