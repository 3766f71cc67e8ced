"""Loudness and true peak against reference signals (as pyloudnorm tests itself: ITU/EBU cases).

EBU Tech 3341 gives stereo test signals; in mono a sine's loudness is 3.01 dB lower than
the same sine on both channels, so each case's expected value is shifted by that much.
"""

from __future__ import annotations

import numpy as np
import pytest

from papercast.audio.loudness import (
    Leveller,
    LoudnessMeter,
    PeakMeter,
    Targets,
    integrated_lufs,
    limit,
    measure,
    oversampled_peaks,
    true_peak,
)

RATE = 48000
MONO_OFFSET_DB = -3.0103  # one channel instead of two


def sine(dbfs: float, seconds: float, freq: float = 997.0, rate: int = RATE) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (10 ** (dbfs / 20) * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def pyloudnorm_lufs(x: np.ndarray, rate: int = RATE) -> float:
    """The reference implementation, on the whole array."""
    import pyloudnorm

    return float(pyloudnorm.Meter(rate).integrated_loudness(x.astype(np.float64)))


def meter(x: np.ndarray, rate: int = RATE, block: int = 12345) -> float:
    m = LoudnessMeter(rate)
    for i in range(0, len(x), block):
        m.feed(x[i : i + block])
    return m.integrated_lufs()


@pytest.mark.parametrize(
    "segments,expected",
    [
        ([(-23.0, 20.0)], -23.0),  # Tech 3341 case 1: 1 kHz at -23 dBFS -> -23 LUFS (stereo)
        ([(-33.0, 20.0)], -33.0),  # case 2
        ([(-36.0, 10.0), (-23.0, 60.0), (-36.0, 10.0)], -23.0),  # case 3: relative gate
        (
            [(-72.0, 10.0), (-36.0, 10.0), (-23.0, 60.0), (-36.0, 10.0), (-72.0, 10.0)],
            -23.0,
        ),  # case 4: both gates
    ],
)
def test_tech_3341_cases_in_mono(segments: list[tuple[float, float]], expected: float) -> None:
    x = np.concatenate([sine(level, secs) for level, secs in segments])
    assert meter(x) == pytest.approx(expected + MONO_OFFSET_DB, abs=0.1)
    assert integrated_lufs(x, RATE) == pytest.approx(expected + MONO_OFFSET_DB, abs=0.1)
    assert pyloudnorm_lufs(x) == pytest.approx(expected + MONO_OFFSET_DB, abs=0.1)


@pytest.mark.parametrize("rate", [22050, 44100, 48000])
def test_streaming_meter_equals_pyloudnorm_on_noise_at_any_block_size(rate: int) -> None:
    rng = np.random.default_rng(7)
    x = (rng.standard_normal(rate * 30) * 0.05).astype(np.float32)
    x[rate * 5 : rate * 12] *= 0.02  # a quiet stretch the relative gate drops
    whole = pyloudnorm_lufs(x, rate)
    assert integrated_lufs(x, rate) == pytest.approx(whole, abs=0.02)
    for block in (1000, 4410, rate * 7 + 3):
        assert meter(x, rate, block) == pytest.approx(whole, abs=0.02)


def test_silence_and_too_short_audio_measure_minus_infinity() -> None:
    assert meter(np.zeros(RATE * 2, np.float32)) == float("-inf")
    assert meter(sine(-20, 0.2)) == float("-inf")
    assert measure(np.zeros(100, np.float32), RATE).true_peak_dbtp == float("-inf")


def test_true_peak_finds_the_inter_sample_peak() -> None:
    """A sine at a quarter of the sample rate, sampled 45 degrees off its peaks: every sample
    is at 0.707 of the true peak (-3.01 dB); 4x oversampling must see the real peak."""
    n = np.arange(RATE)
    x = (0.5 * np.sin(2 * np.pi * (RATE / 4) * n / RATE + np.pi / 4)).astype(np.float32)
    assert float(np.abs(x).max()) == pytest.approx(0.5 * np.sqrt(0.5), rel=1e-3)
    assert true_peak(x) == pytest.approx(0.5, rel=0.02)
    p = PeakMeter()
    for i in range(0, len(x), 999):
        p.feed(x[i : i + 999])
    assert p.peak == pytest.approx(true_peak(x), rel=1e-4)


def test_peaks_above_a_floor_are_the_full_computation() -> None:
    """The cheap path (interpolated points only near loud samples) gives every value at or
    above its floor exactly as filtering everything does, and nothing above the truth; the
    streamed meter on uneven blocks finds the same true peak."""
    rng = np.random.default_rng(11)
    n = np.arange(30000)
    bursts = np.repeat(rng.uniform(0.0, 0.6, 30), 1000) * np.sin(
        np.pi / 2 * n + np.pi / 4
    )  # peaks between samples
    x = (bursts + rng.standard_normal(30000) * 0.02).astype(np.float32)
    clicks = np.zeros(30000, np.float32)  # isolated clicks: what rings beside them counts too
    for at in rng.choice(29990, 40, replace=False):
        clicks[at : at + 3] = rng.uniform(0.2, 0.9) * np.array([1.0, -1.0, 1.0])
    for signal in (x, clicks):
        full = oversampled_peaks(signal)
        assert full.max() > np.abs(signal).max() * 1.01  # there are inter-sample peaks to find
        for floor in [*np.quantile(full, [0.95, 0.999, 1.0]), 0.002]:
            cheap = oversampled_peaks(signal, float(floor))
            above = full >= floor
            np.testing.assert_allclose(cheap[above], full[above], rtol=1e-5)
            assert np.all(cheap <= full * (1 + 1e-5))
            assert np.all(cheap[~above] < floor)
        p = PeakMeter()
        for block in np.array_split(signal, [1, 13, 5000, 5007, 20000]):
            p.feed(block)
        assert p.peak == pytest.approx(float(full.max()), rel=1e-5)


def test_limiter_holds_the_ceiling_and_leaves_quiet_audio_alone() -> None:
    loud = sine(0.0, 2.0, 3000.0)
    out = limit(loud, RATE, -3.0)
    assert 20 * np.log10(true_peak(out)) <= -3.0 + 0.05
    quiet = sine(-20.0, 2.0)
    assert np.array_equal(limit(quiet, RATE, -3.0), quiet)


def test_leveller_reaches_its_target_on_speech_like_audio() -> None:
    rng = np.random.default_rng(3)
    env = np.repeat(rng.uniform(0.0, 1.0, 300) > 0.4, RATE // 10).astype(
        np.float32
    )  # syllables and gaps
    x = (rng.standard_normal(len(env)) * 0.02 * env).astype(np.float32)
    targets = Targets(-16.0, -1.0)
    out = np.concatenate(list(Leveller(RATE, targets).run(np.array_split(x, 37))))
    assert len(out) == len(x)
    assert pyloudnorm_lufs(out) == pytest.approx(targets.level_lufs, abs=0.5)
    assert 20 * np.log10(true_peak(out)) <= targets.limit_dbtp + 0.1
