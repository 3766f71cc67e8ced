"""A few checks with the real bundled voice (en_US-joe-medium): seconds each, not minutes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from conftest import SAMPLES
from papercast.pipeline import SpeakOptions, speak
from papercast.types import Episode, Role

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed_episode(tmp_path_factory: pytest.TempPathFactory) -> Episode:
    from conftest import SEED

    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}")
    out = tmp_path_factory.mktemp("seed") / "seed.mp3"
    return speak(str(SEED), out, SpeakOptions(cache=False, quiet=True, transcripts=("vtt",)))


def test_seed_episode_duration_adds_up(seed_episode: Episode) -> None:
    p = seed_episode.timeline
    info = soundfile.info(str(seed_episode.path))
    assert (info.samplerate, info.channels) == (44100, 1)
    assert info.duration * 1000 == pytest.approx(p.clips_ms + p.pauses_ms, rel=0.02)
    assert 200_000 < p.speech_ms < 450_000  # about five minutes of speech


def test_seed_one_clip_per_sentence_no_inner_breaks(seed_episode: Episode) -> None:
    assert len(seed_episode.cues) == len(seed_episode.sentences)
    from papercast.voice.lexicon import load_lexicon
    from papercast.voice.phonemize import phonemize_all

    for item in phonemize_all(seed_episode.sentences, load_lexicon()):
        assert not any(mark in item.phonemes[:-1] for mark in ".!?"), item.phonemes


def test_seed_chrome_not_spoken(seed_episode: Episode) -> None:
    vtt = seed_episode.path.with_suffix(".vtt").read_text(encoding="utf-8")
    for chrome in ("Listen to this article", "Estimated 5 minutes", "Back to top button", "Trends-CA"):
        assert chrome not in vtt
    assert seed_episode.sentences[0].role == Role.TITLE


def test_every_clip_has_speech(seed_episode: Episode) -> None:
    samples, rate = soundfile.read(str(seed_episode.path), dtype="float32")  # the decoded MP3
    for cue in seed_episode.cues:
        clip = samples[int(cue.start_ms * rate / 1000) : int(cue.end_ms * rate / 1000)]
        words = len(cue.text.split())
        assert len(clip) / rate > 0.12 * words, cue.text  # not cut short: at least ~0.12 s a word
        assert np.sqrt(np.mean(clip.astype(np.float64) ** 2)) > 0.01, cue.text


def _loudness(path: Path) -> tuple[float, float]:
    """Integrated LUFS and 4x-oversampled true peak of a decoded MP3, with independent code."""
    import pyloudnorm
    from scipy.signal import resample_poly

    audio, rate = soundfile.read(str(path), dtype="float64")
    return pyloudnorm.Meter(rate).integrated_loudness(audio), 20 * np.log10(np.abs(resample_poly(audio, 4, 1)).max())


def test_seed_episode_loudness(seed_episode: Episode) -> None:
    lufs, peak = _loudness(seed_episode.path)
    assert -17.0 <= lufs <= -15.0 and peak <= -1.0


@pytest.mark.parametrize("name", ["blog-sourdough.txt", "broadcaster-lagoon.txt", "newspaper-library.txt",
                                  "wire-copper.txt", "broadcaster-lagoon.html", "broadcaster-lagoon.md"])
def test_sample_episode_loudness(tmp_path: Path, name: str) -> None:
    out = tmp_path / "ep.mp3"
    speak(str(SAMPLES / name), out, SpeakOptions(cache=False, quiet=True))
    lufs, peak = _loudness(out)
    assert -17.0 <= lufs <= -15.0
    assert peak <= -1.0


def test_ctrl_c_during_synthesis_leaves_nothing(tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "ep.mp3"
    proc = subprocess.Popen([sys.executable, "-m", "papercast.cli", "speak", str(SAMPLES / "newspaper-library.txt"),
                             "-o", str(out), "--no-cache"], stderr=subprocess.PIPE, text=True)
    time.sleep(4.0)  # imports, voice load, first sentences
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
