"""Intro and outro music and a music bed, mixed with pydub fades and ducked under speech.

Music comes from any file soundfile can decode (WAV, FLAC, OGG, MP3 ...). It is
levelled a few LU under the speech target, cut to a short sting, and shaped
with pydub's fades; the intro's tail keeps playing, ducked, under the headline.
A bed loops under the whole reading, low under words and rising in the pauses
(a side-chain envelope computed from the speech itself).
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from papercast.audio import loudness
from papercast.audio.dsp import moving_max, moving_mean
from papercast.errors import AudioError

INTRO_MAX_MS = 9000
INTRO_LEAD_MS = 4000  # music alone before the first words
OUTRO_MAX_MS = 8000
DUCK_DB = -16.0  # music level under speech, relative to its own level
MUSIC_UNDER_TARGET_LU = 4.0  # music sits this far under the speech target
BED_UNDER_SPEECH_DB = -20.0  # a bed under the voice, relative to the music's own level
BED_IN_GAPS_DB = -10.0  # and in the pauses between paragraphs and sections
BED_TAIL_MS = 2500  # the bed plays on and fades out after the last words
BED_FADE_IN_MS = 1500


@dataclass(frozen=True)
class Stings:
    """Prepared music at the output rate: the intro (speech starts at ``speech_start``), the
    outro."""

    intro: np.ndarray
    speech_start: int  # samples into the intro where speech begins
    outro: np.ndarray
    bed: np.ndarray = field(
        default_factory=lambda: np.zeros(0, np.float32)
    )  # looped under all speech
    rate_hz: int = 44100

    @property
    def offset_ms(self) -> int:
        return 0 if self.intro.size == 0 else int(round(self.speech_start * 1000 / self.rate_hz))


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


def prepare(
    intro_path: str | None,
    outro_path: str | None,
    rate_hz: int,
    target_lufs: float,
    bed_path: str | None = None,
) -> Stings:
    intro = np.zeros(0, np.float32)
    start = 0
    if intro_path:
        seg = _segment(load_music(intro_path, rate_hz, target_lufs), rate_hz)[:INTRO_MAX_MS]
        lead = min(INTRO_LEAD_MS, len(seg) * 2 // 3)
        seg = seg.fade_in(min(400, lead // 2))
        seg = seg.fade(
            to_gain=DUCK_DB, start=max(0, lead - 400), end=lead
        )  # duck as the voice comes in
        seg = seg.fade_out(max(1, len(seg) - lead))  # and fade away under it
        intro, start = _array(seg), int(lead * rate_hz / 1000)
    outro = np.zeros(0, np.float32)
    if outro_path:
        seg = _segment(load_music(outro_path, rate_hz, target_lufs), rate_hz)[:OUTRO_MAX_MS]
        outro = _array(seg.fade_in(min(800, len(seg) // 3)).fade_out(min(2500, len(seg) // 2)))
    bed = np.zeros(0, np.float32)
    if bed_path:
        bed = load_music(bed_path, rate_hz, target_lufs)  # faded in by the mixer, once
    return Stings(intro, start, outro, bed, rate_hz)


def speech_envelope(speech: np.ndarray, rate_hz: int) -> np.ndarray:
    """Per-sample bed gain (linear): low under words, higher in pauses longer than ~0.4 s."""

    frame = max(1, rate_hz // 100)  # 10 ms
    n = len(speech) // frame * frame
    levels = (
        np.sqrt(np.mean(speech[:n].reshape(-1, frame).astype(np.float64) ** 2, axis=1))
        if n
        else np.zeros(0)
    )
    active = np.concatenate([levels > 10 ** (-45 / 20), np.zeros(int(len(speech) > n), bool)])
    active = moving_max(active.astype(np.float64), 41)  # bridge gaps shorter than ~0.4 s
    gain_db = np.where(active > 0, BED_UNDER_SPEECH_DB, BED_IN_GAPS_DB)
    gain_db = moving_mean(gain_db, 25)  # 250 ms ramps
    per_sample = np.repeat(gain_db, frame)[: len(speech)]
    if len(per_sample) < len(speech):
        per_sample = np.concatenate(
            [per_sample, np.full(len(speech) - len(per_sample), BED_IN_GAPS_DB)]
        )
    return (10 ** (per_sample / 20)).astype(np.float32)


class MusicMixer:
    """Between the leveller and the encoder: plays the intro, lays its tail under the
    first speech, loops the bed under everything, appends the outro at the end."""

    def __init__(self, stings: Stings, ceiling_dbtp: float) -> None:
        self.ceiling_dbtp = ceiling_dbtp
        self._intro = stings.intro[: stings.speech_start]
        self._under = stings.intro[stings.speech_start :]
        self._outro = stings.outro
        self._bed = stings.bed
        self._bed_pos = 0
        self.rate_hz = stings.rate_hz

    def _bed_part(self, n: int) -> np.ndarray:
        """The next ``n`` samples of the looped bed, faded in over its first 1.5 s."""
        pos = self._bed_pos + np.arange(n)
        self._bed_pos += n
        fade_in = np.minimum(1.0, pos / (self.rate_hz * BED_FADE_IN_MS / 1000)).astype(np.float32)
        return self._bed[pos % len(self._bed)] * fade_in

    def run(self, speech_pieces: Iterable[np.ndarray]) -> Iterator[np.ndarray]:
        if self._intro.size:
            yield self._intro
        for speech in speech_pieces:
            yield self._mix(speech)
        if self._under.size:
            yield self._under
        if self._bed.size:
            tail = self._bed_part(int(self.rate_hz * BED_TAIL_MS / 1000)) * np.float32(
                10 ** (BED_IN_GAPS_DB / 20)
            )
            yield _array(_segment(tail, self.rate_hz).fade_out(BED_TAIL_MS))
        if self._outro.size:
            yield self._outro

    def _mix(self, speech: np.ndarray) -> np.ndarray:
        mixed = speech
        if self._under.size:
            n = min(len(speech), len(self._under))
            mixed = mixed.copy()
            mixed[:n] += self._under[:n]
            self._under = self._under[n:]
        if self._bed.size:
            mixed = mixed + self._bed_part(len(speech)) * speech_envelope(speech, self.rate_hz)
        if mixed is not speech:
            mixed = loudness.limit(mixed, self.rate_hz, self.ceiling_dbtp)
        return mixed

    @staticmethod
    def tail_ms(stings: Stings) -> int:
        """Milliseconds of music after the last words."""
        return int(round(1000 * stings.outro.size / stings.rate_hz)) + (
            BED_TAIL_MS if stings.bed.size else 0
        )
