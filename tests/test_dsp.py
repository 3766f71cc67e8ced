"""audio/dsp.py against the scipy and pyloudnorm functions it stands in for."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from scipy.ndimage import maximum_filter1d, minimum_filter1d, uniform_filter1d
from scipy.signal import firwin, sosfilt

from papercast.audio import dsp
from papercast.audio.loudness import resample


@pytest.mark.parametrize(
    ("numtaps", "cutoff", "beta"),
    [(48, 0.25, 6.0), (41, 0.5, 5.0), (61, 1 / 3, 5.0), (7, 0.9, 2.0)],
)
def test_kaiser_lowpass_is_firwin(numtaps: int, cutoff: float, beta: float) -> None:
    np.testing.assert_allclose(
        dsp.kaiser_lowpass(numtaps, cutoff, beta),
        firwin(numtaps, cutoff, window=("kaiser", beta)),
        atol=1e-15,
    )


@pytest.mark.parametrize(("from_hz", "to_hz"), [(22050, 44100), (16000, 44100), (48000, 44100)])
def test_resample_is_accurate_and_aligned(from_hz: int, to_hz: int) -> None:
    """Six tones up to 5 kHz (5/8 of a 16 kHz voice's Nyquist; soxr HQ is -86 dB at 6 kHz
    there), resampled, against the same tones computed at the new rate: more than 100 dB
    down, no delay, ceil(n * to / from) samples."""

    def tones(rate: int) -> np.ndarray:
        t = np.arange(rate * 3) / rate
        return sum(
            0.1 * np.sin(2 * np.pi * f * t + i)
            for i, f in enumerate((110, 440, 1234.5, 2500, 4000, 5000))
        )

    y = resample(tones(from_hz).astype(np.float32), from_hz, to_hz)
    want = tones(to_hz)
    assert len(y) == -(-len(tones(from_hz)) * to_hz // from_hz) and y.dtype == np.float32
    mid = slice(to_hz // 2, -to_hz // 2)
    error_db = 10 * np.log10(np.mean((y[mid] - want[mid]) ** 2) / np.mean(want[mid] ** 2))
    assert error_db < -100


@pytest.mark.parametrize("n", [0, 1, 5])
def test_resample_short_and_empty(n: int) -> None:
    assert len(resample(np.ones(n, np.float32), 22050, 44100)) == 2 * n


@pytest.mark.parametrize("n", [1, 2, 5, 30, 1000])
@pytest.mark.parametrize("size", [1, 2, 3, 8, 25, 41, 882])
def test_moving_windows_are_ndimage_filters(n: int, size: int) -> None:
    """Centred windows with reflected edges, including windows longer than the signal."""
    x = np.random.default_rng(size * n).standard_normal(n)
    np.testing.assert_allclose(dsp.moving_mean(x, size), uniform_filter1d(x, size), atol=1e-12)
    assert np.array_equal(dsp.moving_max(x, size), maximum_filter1d(x, size))
    assert np.array_equal(dsp.moving_min(x, size), minimum_filter1d(x, size))
    flags = x > 0  # the music bed's speech flags are booleans
    assert np.array_equal(
        dsp.moving_max(flags.astype(np.float64), size),
        maximum_filter1d(flags.astype(np.float64), size),
    )


@pytest.mark.parametrize("rate", [16000, 22050, 44100, 48000])
def test_k_weighting_is_pyloudnorms(rate: int) -> None:
    pyloudnorm = pytest.importorskip("pyloudnorm")
    ref = [
        np.concatenate([np.asarray(f.b) * f.passband_gain, f.a]) / f.a[0]
        for f in pyloudnorm.Meter(rate)._filters.values()
    ]
    np.testing.assert_allclose(dsp.k_weighting(rate), np.stack(ref), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("block", [1, 7, 64])
def test_sos_filter_fed_in_pieces_is_sosfilt(block: int) -> None:
    """Blocks of any size, a remainder shorter than the filter's block, empty pieces: the
    output and the carried state are sosfilt's."""
    x = np.random.default_rng(block).standard_normal(50_003)
    sos = dsp.k_weighting(44100)
    flt = dsp.SosFilter(sos)
    pieces = np.array_split(x, [0, 5, 1000, 1000, 1063, 30_000])
    y = np.concatenate([flt(p) for p in pieces])
    ref, state = sosfilt(sos, x, zi=np.zeros((2, 2)))
    np.testing.assert_allclose(y, ref, rtol=0, atol=1e-9 * float(np.abs(ref).max()))
    np.testing.assert_allclose(flt.state, state.ravel(), atol=1e-9)
    one = dsp.SosFilter(sos, block=block)
    np.testing.assert_allclose(
        np.concatenate([one(p) for p in np.array_split(x, 9)]),
        ref,
        atol=1e-9 * float(np.abs(ref).max()),
    )


def test_the_audio_chain_imports_no_scipy() -> None:
    """A render needs numpy and soxr, never scipy (scipy.signal costs ~1 s of CPU to import,
    scipy.ndimage 0.3-0.5 s; scipy is not even installed by a plain `pip install .`)."""
    code = (
        "import sys, numpy as np\n"
        "from papercast.audio import assemble, loudness, mp3, music\n"
        "x = np.random.default_rng(0).standard_normal(44100).astype(np.float32) * 0.1\n"
        "loudness.measure(loudness.resample(loudness.limit(loudness.compress(x, 22050, -30), "
        "22050, -3), 22050, 44100), 44100)\n"
        "music.speech_envelope(x, 44100)\n"
        "print(sorted(m for m in sys.modules if m.startswith(('scipy', 'pyloudnorm'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
