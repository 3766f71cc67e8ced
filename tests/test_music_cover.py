"""Intro/outro music (pydub fades and ducking) and cover art, checked on the decoded MP3."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np
import pytest
import soundfile

from conftest import SAMPLES, TONE_VOICE, run_cli
from papercast.pipeline import SpeakOptions, speak

STORY = SAMPLES / "wire-copper.txt"


def chord(path: Path, seconds: float = 12.0, rate: int = 48000) -> Path:
    t = np.arange(int(seconds * rate)) / rate
    audio = 0.2 * (
        np.sin(2 * np.pi * 220 * t) + np.sin(2 * np.pi * 277 * t) + np.sin(2 * np.pi * 330 * t)
    )
    soundfile.write(
        str(path), np.stack([audio, audio], axis=1).astype(np.float32), rate, format="FLAC"
    )
    return path


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(x.astype(np.float64) ** 2)))


def test_intro_and_outro_music(tmp_path: Path) -> None:
    from papercast.audio.music import INTRO_LEAD_MS, OUTRO_MAX_MS

    music = chord(tmp_path / "sting.flac")
    out = tmp_path / "ep.mp3"
    res = speak(
        str(STORY),
        out,
        SpeakOptions(
            voice=str(TONE_VOICE),
            intro_music=str(music),
            outro_music=str(music),
            transcripts=("vtt",),
            quiet=True,
        ),
    )
    audio, rate = soundfile.read(str(out), dtype="float32")
    speech_ms = res.timeline.speech_ms
    assert len(audio) * 1000 / rate == pytest.approx(
        INTRO_LEAD_MS + speech_ms + OUTRO_MAX_MS, abs=30
    )
    lead = audio[: int(rate * INTRO_LEAD_MS / 1000)]
    assert rms(lead[rate : 3 * rate]) > 0.02  # music plays alone first
    # Cues and chapters move with the intro: the headline starts after the music's lead.
    assert res.cues[0].start_ms >= INTRO_LEAD_MS
    assert res.chapters[0].start_ms == 0
    assert res.chapters[1].start_ms > INTRO_LEAD_MS
    assert res.chapters[-1].end_ms == pytest.approx(len(audio) * 1000 / rate, abs=30)
    vtt = out.with_suffix(".vtt").read_text(encoding="utf-8")
    assert "00:00:04." in vtt.split("\n\n")[1]  # first cue after the 4 s lead
    tail = audio[-int(rate * 6) : -int(rate * 3)]
    assert rms(tail) > 0.01  # outro music at the end
    assert res.loudness.true_peak_dbtp <= -1.0
    assert -17.0 <= res.loudness.integrated_lufs <= -15.0


def test_music_is_ducked_under_the_first_words(tmp_path: Path) -> None:
    from papercast.audio.music import INTRO_LEAD_MS, prepare

    stings = prepare(str(chord(tmp_path / "m.wav")), None, 44100, -16.0)
    lead = stings.intro[: stings.speech_start]
    under = stings.intro[stings.speech_start : stings.speech_start + 44100]
    assert stings.speech_start == int(INTRO_LEAD_MS * 44100 / 1000)
    assert 20 * np.log10(rms(under) / rms(lead[44100 : 3 * 44100])) < -12  # ducked by about 16 dB
    assert abs(stings.intro[-1]) < 0.01  # faded out


def test_undecodable_music_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "music.ogg"
    bad.write_bytes(b"OggS not really a file")
    r = run_cli(
        "speak",
        str(STORY),
        "-o",
        str(tmp_path / "ep.mp3"),
        "--voice",
        str(TONE_VOICE),
        "--intro-music",
        str(bad),
    )
    assert r.code == 2 and "cannot decode music" in r.err and "Traceback" not in r.err
    assert not (tmp_path / "ep.mp3").exists()


def png(path: Path, width: int, height: int) -> Path:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + bytes([200, 30, 30]) * width for _ in range(height))
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
    path.write_bytes(data)
    return path


def test_cover_art_is_embedded(tmp_path: Path) -> None:
    from mutagen.id3 import ID3

    cover = png(tmp_path / "cover.png", 400, 400)
    out = tmp_path / "ep.mp3"
    speak(str(STORY), out, SpeakOptions(voice=str(TONE_VOICE), cover=str(cover), quiet=True))
    apic = ID3(str(out)).getall("APIC")[0]
    assert apic.mime == "image/png" and apic.type == 3 and apic.data == cover.read_bytes()


def gif(path: Path) -> Path:
    path.write_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: png(d / "wide.png", 600, 300), "must be square"),
        (lambda d: png(d / "tiny.png", 100, 100), "must be square, 300 to 3000"),
        (lambda d: gif(d / "c.gif"), "must be PNG or JPEG"),
    ],
)
def test_bad_cover_is_refused(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    cover = make(tmp_path)
    r = run_cli(
        "speak",
        str(STORY),
        "-o",
        str(tmp_path / "ep.mp3"),
        "--voice",
        str(TONE_VOICE),
        "--cover",
        str(cover),
    )
    assert r.code == 2 and message in r.err and "Traceback" not in r.err
    assert not (tmp_path / "ep.mp3").exists()


def test_bed_runs_under_speech_and_rises_in_pauses(tmp_path: Path) -> None:
    from papercast.audio.music import BED_TAIL_MS

    rate_in = 44100
    t = np.arange(rate_in * 5) / rate_in
    soundfile.write(
        str(tmp_path / "bed.wav"), (0.3 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32), rate_in
    )
    out = tmp_path / "ep.mp3"
    res = speak(
        str(STORY),
        out,
        SpeakOptions(voice=str(TONE_VOICE), bed=str(tmp_path / "bed.wav"), quiet=True),
    )
    audio, rate = soundfile.read(str(out), dtype="float64")
    assert len(audio) * 1000 / rate == pytest.approx(res.timeline.speech_ms + BED_TAIL_MS, abs=30)

    def bed_level(a_ms: float, b_ms: float) -> float:
        seg = audio[int(a_ms * rate / 1000) : int(b_ms * rate / 1000)]
        spec = np.abs(np.fft.rfft(seg * np.hanning(len(seg))))
        freqs = np.fft.rfftfreq(len(seg), 1 / rate)
        return float(20 * np.log10(spec[(freqs > 950) & (freqs < 1050)].max() + 1e-12))

    cues = res.cues
    heading = next(i for i, s in enumerate(res.sentences) if s.role == "heading")
    gap = (
        cues[heading - 1].end_ms + 300,
        cues[heading].start_ms - 300,
    )  # the pause before a section
    assert gap[1] - gap[0] >= 300
    under = (cues[2].start_ms + 200, cues[2].start_ms + 200 + (gap[1] - gap[0]))
    assert bed_level(*gap) - bed_level(*under) >= 6  # ducked under words, up in the pause
    assert bed_level(*under) > bed_level(0, 200) - 60  # but still there under the voice
    assert -17.0 <= res.loudness.integrated_lufs <= -15.0 and res.loudness.true_peak_dbtp <= -1.0
