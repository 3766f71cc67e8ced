"""Intro and outro music, mixed with pydub: fades, and the intro ducked under the first words.

Music comes from any file soundfile can decode (WAV, FLAC, OGG, MP3 ...). It is
levelled a few LU under the speech target, cut to a short sting, and shaped
with pydub's fades; the intro's tail keeps playing, ducked, under the headline.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from . import loudness
from .errors import AudioError

INTRO_MAX_MS = 9000
INTRO_LEAD_MS = 4000  # music alone before the first words
OUTRO_MAX_MS = 8000
DUCK_DB = -16.0  # music level under speech, relative to its own level
MUSIC_UNDER_TARGET_LU = 4.0  # music sits this far under the speech target


@dataclass(frozen=True)
class Stings:
    """Prepared music at the output rate: the intro (speech starts at ``speech_start``), the outro."""

    intro: np.ndarray
    speech_start: int  # samples into the intro where speech begins
    outro: np.ndarray

    @property
    def offset_ms(self) -> int:
        return 0 if self.intro.size == 0 else int(round(self.speech_start * 1000 / 44100))


def _segment(samples: np.ndarray, rate_hz: int):  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydub warns about ffmpeg, which raw PCM does not need
        from pydub import AudioSegment
    pcm = np.clip(np.round(samples * 32767), -32768, 32767).astype("<i2")
    return AudioSegment(data=pcm.tobytes(), sample_width=2, frame_rate=rate_hz, channels=1)


def _array(segment) -> np.ndarray:  # type: ignore[no-untyped-def]
    return np.frombuffer(segment.raw_data, dtype="<i2").astype(np.float32) / 32767.0


def load_music(path: str, rate_hz: int, target_lufs: float) -> np.ndarray:
    import soundfile

    try:
        data, rate = soundfile.read(path, dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, OSError) as e:
        raise AudioError(f"{path}: cannot decode music: {e}") from e
    mono = data.mean(axis=1)
    if mono.size < rate // 2 or not np.any(mono):
        raise AudioError(f"{path}: music is silent or shorter than half a second")
    mono = loudness.resample(mono, rate, rate_hz)
    gain = loudness.gain_to(mono, rate_hz, target_lufs - MUSIC_UNDER_TARGET_LU)
    return loudness.limit(mono * np.float32(gain), rate_hz, -3.0)


def prepare(intro_path: str | None, outro_path: str | None, rate_hz: int, target_lufs: float) -> Stings:
    intro = np.zeros(0, np.float32)
    start = 0
    if intro_path:
        seg = _segment(load_music(intro_path, rate_hz, target_lufs), rate_hz)[:INTRO_MAX_MS]
        lead = min(INTRO_LEAD_MS, len(seg) * 2 // 3)
        seg = seg.fade_in(min(400, lead // 2))
        seg = seg.fade(to_gain=DUCK_DB, start=max(0, lead - 400), end=lead)  # duck as the voice comes in
        seg = seg.fade_out(max(1, len(seg) - lead))  # and fade away under it
        intro, start = _array(seg), int(lead * rate_hz / 1000)
    outro = np.zeros(0, np.float32)
    if outro_path:
        seg = _segment(load_music(outro_path, rate_hz, target_lufs), rate_hz)[:OUTRO_MAX_MS]
        outro = _array(seg.fade_in(min(800, len(seg) // 3)).fade_out(min(2500, len(seg) // 2)))
    return Stings(intro, start, outro)


class MusicMixer:
    """Sits between the leveller and the encoder: plays the intro, lays its tail under the
    first speech, appends the outro at the end."""

    def __init__(self, stings: Stings, write, ceiling_dbtp: float) -> None:  # type: ignore[no-untyped-def]
        self.write = write
        self.ceiling_dbtp = ceiling_dbtp
        self._under = stings.intro[stings.speech_start :]
        self._outro = stings.outro
        if stings.intro.size:
            write(stings.intro[: stings.speech_start])

    def __call__(self, speech: np.ndarray) -> None:
        if self._under.size:
            n = min(len(speech), len(self._under))
            mixed = speech.copy()
            mixed[:n] += self._under[:n]
            self._under = self._under[n:]
            speech = loudness.limit(mixed, 44100, self.ceiling_dbtp)
        self.write(speech)

    def finish(self) -> None:
        if self._under.size:
            self.write(self._under)
            self._under = self._under[:0]
        if self._outro.size:
            self.write(self._outro)
