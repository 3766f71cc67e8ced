"""A few checks with the real bundled voice (en_US-joe-medium): seconds each, not minutes."""

from __future__ import annotations

import contextlib
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import soundfile

from conftest import SAMPLES, TONE_VOICE
from papercast.pipeline import SpeakOptions, speak
from papercast.types import Episode, Role

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def seed_episode(tmp_path_factory: pytest.TempPathFactory) -> Episode:
    from conftest import SEED

    if not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}")
    out = tmp_path_factory.mktemp("seed") / "seed.mp3"
    return speak(str(SEED), out, SpeakOptions(cache=False, quiet=True, transcripts=("vtt", "srt")))


def test_seed_captions_meet_the_limits_and_show_each_name_as_it_is_said(
    seed_episode: Episode,
) -> None:
    """The seed's captions, timed by the real voice's own durations (test_timings' limits)."""
    from test_timings import _check_caption_files, _written

    from papercast.audio.transcripts import captions

    ep = seed_episode
    assert ep.timeline.timed_by == "voice"
    _check_caption_files(ep.path.with_suffix(".vtt"), ep.path.with_suffix(".srt"), _written(ep))
    cues = captions(ep.timeline)
    assert len(cues) > len(ep.sentences)  # long sentences were cut
    said = [w for w in ep.timeline.words if w.text.startswith("Bialiatski")]
    assert said
    for w in said:  # the name is said inside the cue that shows it
        cue = next(c for c in cues if c.start_ms <= w.start_ms + 1 and w.start_ms < c.end_ms)
        assert "Bialiatski" in cue.text


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One clip cache for the samples' loudness checks: a sample given as text, HTML and
    Markdown is synthesised once (levelling and loudness are of each assembled episode)."""
    return tmp_path_factory.mktemp("clips")


def test_seed_episode_duration_adds_up(seed_episode: Episode) -> None:
    p = seed_episode.timeline
    info = soundfile.info(str(seed_episode.path))
    assert (info.samplerate, info.channels) == (44100, 1)
    assert info.duration * 1000 == pytest.approx(p.clips_ms + p.pauses_ms, rel=0.02)
    assert 200_000 < p.speech_ms < 450_000  # about five minutes of speech


def test_seed_one_clip_per_sentence_no_inner_breaks(seed_episode: Episode) -> None:
    assert len(seed_episode.cues) == len(seed_episode.sentences)
    from papercast.voice.lexicon_files import load_lexicon
    from papercast.voice.phonemize import phonemize_all

    for item in phonemize_all(seed_episode.sentences, load_lexicon()):
        assert not any(mark in item.phonemes[:-1] for mark in ".!?"), item.phonemes


def test_seed_chrome_not_spoken(seed_episode: Episode) -> None:
    vtt = seed_episode.path.with_suffix(".vtt").read_text(encoding="utf-8")
    for chrome in (
        "Listen to this article",
        "Estimated 5 minutes",
        "Back to top button",
        "Trends-CA",
    ):
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
    return pyloudnorm.Meter(rate).integrated_loudness(audio), 20 * np.log10(
        np.abs(resample_poly(audio, 4, 1)).max()
    )


def test_seed_episode_loudness(seed_episode: Episode) -> None:
    lufs, peak = _loudness(seed_episode.path)
    assert -17.0 <= lufs <= -15.0 and peak <= -1.0


@pytest.mark.parametrize(
    "name",
    [
        "blog-sourdough.txt",
        "broadcaster-lagoon.txt",
        "newspaper-library.txt",
        "wire-copper.txt",
        "broadcaster-lagoon.html",
        "broadcaster-lagoon.md",
    ],
)
def test_sample_episode_loudness(tmp_path: Path, clips: Path, name: str) -> None:
    out = tmp_path / "ep.mp3"
    speak(str(SAMPLES / name), out, SpeakOptions(quiet=True, cache_dir=clips))
    lufs, peak = _loudness(out)
    assert -17.0 <= lufs <= -15.0
    assert peak <= -1.0


# A sitecustomize for the child process: every clip the voice makes takes 0.3 s longer (a
# deliberately slow synthesizer; the fast one is the tone voice, which synthesises instantly).
_SLOW_SYNTH = """
import time
import papercast.voice.synthesize as synthesize

_run = synthesize.Synthesizer._run


def _slow_run(self, ids, key, rate=1.0):
    time.sleep(0.3)
    return _run(self, ids, key, rate)


synthesize.Synthesizer._run = _slow_run
"""


def _long_article(folder: Path, sentences: int) -> Path:
    """An article long enough that encoding its audio takes seconds whatever the voice's speed."""
    body = "\n\n".join(
        f"Paragraph {n} says that the harbour crane number {n} was inspected on Tuesday morning. "
        f"The inspectors found the crane in good order and signed the report."
        for n in range(1, sentences // 2 + 1)
    )
    path = folder / "long.txt"
    path.write_text(f"Cranes inspected along the harbour\n\n{body}\n", encoding="utf-8")
    return path


def _wait_for_progress(
    fd: int, proc: subprocess.Popen[bytes], limit_s: float = 600.0
) -> tuple[int, int]:
    """Read the progress bar from the pty until at least one sentence is done; (done, total).
    ``limit_s`` only stops a hung child from hanging the suite: the wait ends on the event."""
    seen = b""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1.0)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:  # the child closed the pty: it ended before the sign came
                break
            done = [(int(a), int(b)) for a, b in re.findall(rb"synthesising (\d+)/(\d+)", seen)]
            if done and done[-1][0] >= 1:
                return done[-1]
        elif proc.poll() is not None:
            break
    raise AssertionError(f"no progress seen (exit {proc.poll()}): {seen[-400:]!r}")


@pytest.mark.parametrize("pace", ["fast", "real", "slow"])
def test_ctrl_c_during_synthesis_leaves_nothing(tmp_path: Path, pace: str) -> None:
    """Ctrl-C once synthesis has begun (the progress bar says a sentence is done): exit 130,
    one line, and nothing left in the output folder, however fast the voice is."""
    work = tmp_path / "work"
    work.mkdir()
    article = _long_article(tmp_path, 400 if pace == "fast" else 60)
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    voice = [] if pace == "real" else ["--voice", str(TONE_VOICE)]
    if pace == "slow":
        (tmp_path / "slow").mkdir()
        (tmp_path / "slow" / "sitecustomize.py").write_text(_SLOW_SYNTH, encoding="utf-8")
        env["PYTHONPATH"] = os.pathsep.join([str(tmp_path / "slow"), env.get("PYTHONPATH", "")])
    master, slave = pty.openpty()  # the progress bar shows only on a terminal
    try:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "papercast.cli",
                "speak",
                str(article),
                "-o",
                str(work / "ep.mp3"),
                "--no-cache",
                *voice,
            ],
            stderr=slave,
            stdout=subprocess.DEVNULL,
            env=env,
            # Ctrl-C reaches the child however the suite was started: a shell without job
            # control starts its background jobs with SIGINT ignored, and a child inherits that
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        os.close(slave)
        done, total = _wait_for_progress(master, proc)
        assert done < total, (
            "the render finished before it could be interrupted: lengthen the article"
        )
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=600) == 130
        err = b""
        with contextlib.suppress(OSError):
            while select.select([master], [], [], 0.5)[0]:
                chunk = os.read(master, 4096)
                if not chunk:
                    break
                err += chunk
    finally:
        os.close(master)
    text = err.decode("utf-8", "replace")
    assert "interrupted; no output written" in text and "Traceback" not in text, text
    assert list(work.iterdir()) == []


def test_rate_slows_and_speeds_the_voice_itself(tmp_path: Path) -> None:
    """--rate sets the voice's length scale to 100/rate of its own. VITS rounds every phoneme up
    to whole frames, so speech lengthens less than the scale: measured on joe, 80 -> 1.16x,
    50 -> 1.72x (docs/DECISIONS.md). The sentence must get longer as the rate falls."""
    from papercast.types import Phonemized, Sentence
    from papercast.voice.phonemize import phonemize_sentence
    from papercast.voice.profiles import resolve_voice
    from papercast.voice.synthesize import Synthesizer

    text = "The harbour cranes were inspected on Tuesday and found in good order."
    item = Phonemized(Sentence(text, text, 0, 0), phonemize_sentence(text))
    length = {
        rate: len(
            Synthesizer(resolve_voice(None).at_rate(rate), model_dir=tmp_path).clip(item).samples
        )
        for rate in (50, 80, 100, 125)
    }
    assert length[50] > length[80] > length[100] > length[125]
    assert 1.10 < length[80] / length[100] < 1.25
    assert 1.55 < length[50] / length[100] < 2.0
