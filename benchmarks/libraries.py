"""Our numpy signal code and progress bar against the compiled libraries that could replace them.

For each job: start-up (the import, in a fresh interpreter, median of 5), accuracy against a
reference, and speed on six minutes of 44.1 kHz audio (median of 5).
- Resampling 22.05 -> 44.1 kHz (the voice to the episode): ours (``dsp.upsample``), soxr
  (libsoxr, "HQ" and "VHQ"), scipy's ``resample_poly``. Reference: a sum of sines evaluated
  exactly at the new rate; error in dB below the signal over 20 Hz-9 kHz content.
- Integrated loudness (BS.1770) and true peak: ours (``LoudnessMeter``, ``PeakMeter``),
  pyebur128 (libebur128), pyloudnorm. Reference: EBU Tech 3341 cases 1-4 in mono (a 997 Hz
  sine: -23 LUFS stereo is -26.01 mono) and a sine at fs/4 sampled 45 degrees off its peak
  (true peak 0.5, every sample 0.354).
- Progress bar: import time of ours, tqdm and rich.progress.

Usage: pip install soxr pyebur128 tqdm rich pyloudnorm; python benchmarks/libraries.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import numpy as np

RATE = 44100
MONO = -3.0103  # a sine in one channel measures 3.01 dB under the same sine in two


def import_ms(module: str) -> float:
    runs = []
    for _ in range(5):
        code = (
            f"import time; t = time.perf_counter(); import {module}; print(time.perf_counter() - t)"
        )
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        runs.append(1000 * float(out.stdout))
    return statistics.median(runs)


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    runs, result = [], None
    for _ in range(5):
        t = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs), result


def tones(rate: int, seconds: float) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    freqs = (110.0, 440.0, 1234.5, 3000.0, 6500.0, 9000.0)
    return sum(0.1 * np.sin(2 * np.pi * f * t + i) for i, f in enumerate(freqs))  # type: ignore[return-value]


def resampling() -> None:
    import soxr
    from scipy.signal import resample_poly

    from papercast.audio.dsp import upsample

    x = tones(22050, 360).astype(np.float32)
    ideal = tones(44100, 360)
    mid = slice(44100, -44100)  # away from the edges (filter start-up)
    candidates = {
        "papercast dsp.upsample": lambda: upsample(x, 2),
        "soxr HQ": lambda: soxr.resample(x, 22050, 44100, quality="HQ"),
        "soxr VHQ": lambda: soxr.resample(x, 22050, 44100, quality="VHQ"),
        "scipy resample_poly": lambda: resample_poly(x, 2, 1),
    }
    print("\nresampling 22.05 -> 44.1 kHz, 6 min of six sines (110 Hz - 9 kHz)")
    print(f"{'':26} {'error dB':>9} {'ms':>7}")
    for name, fn in candidates.items():
        seconds, y = timed(fn)
        y = np.asarray(y, dtype=np.float64)
        n = min(len(y), len(ideal))
        # libraries differ in delay: align by cross-correlation over a short window
        best = min(
            range(-40, 41), key=lambda d: float(np.mean((np.roll(y[:n], d) - ideal[:n])[mid] ** 2))
        )
        err = np.roll(y[:n], best)[mid] - ideal[:n][mid]
        snr = 10 * np.log10(np.mean(err**2) / np.mean(ideal[:n][mid] ** 2))
        print(f"{name:26} {snr:9.1f} {1000 * seconds:7.0f}   (delay {best} samples)")


def sine(dbfs: float, seconds: float, freq: float = 997.0) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return (10 ** (dbfs / 20) * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def ebur128(x: np.ndarray) -> tuple[float, float]:
    import pyebur128

    state = pyebur128.R128State(
        1, RATE, pyebur128.MeasurementMode.MODE_I | pyebur128.MeasurementMode.MODE_TRUE_PEAK
    )
    for i in range(0, len(x), 1 << 16):
        state.add_frames(x[i : i + (1 << 16)].astype(np.float64), len(x[i : i + (1 << 16)]))
    return pyebur128.get_loudness_global(state), pyebur128.get_true_peak(state, 0)


def ours(x: np.ndarray) -> tuple[float, float]:
    from papercast.audio.loudness import LoudnessMeter, PeakMeter

    m, p = LoudnessMeter(RATE), PeakMeter()
    for i in range(0, len(x), 1 << 16):
        m.feed(x[i : i + (1 << 16)])
        p.feed(x[i : i + (1 << 16)])
    return m.integrated_lufs(), p.peak


def loudness() -> None:
    import pyloudnorm

    cases = {
        "3341 case 1 (-23)": (np.concatenate([sine(-23, 20)]), -23 + MONO),
        "3341 case 2 (-33)": (np.concatenate([sine(-33, 20)]), -33 + MONO),
        "3341 case 3 (rel gate)": (
            np.concatenate([sine(-36, 10), sine(-23, 60), sine(-36, 10)]),
            -23 + MONO,
        ),
        "3341 case 4 (both gates)": (
            np.concatenate(
                [sine(-72, 10), sine(-36, 10), sine(-23, 60), sine(-36, 10), sine(-72, 10)]
            ),
            -23 + MONO,
        ),
    }
    print("\nintegrated loudness, LUFS (error against EBU Tech 3341 in mono)")
    print(f"{'':26} {'papercast':>10} {'pyebur128':>10} {'pyloudnorm':>11}")
    for name, (x, want) in cases.items():
        a = ours(x)[0]
        b = ebur128(x)[0]
        c = pyloudnorm.Meter(RATE).integrated_loudness(x.astype(np.float64))
        print(f"{name:26} {a - want:+10.3f} {b - want:+10.3f} {c - want:+11.3f}")
    n = np.arange(RATE * 2)
    isp = (0.5 * np.sin(2 * np.pi * (RATE / 4) * n / RATE + np.pi / 4)).astype(np.float32)
    print(
        f"{'true peak, fs/4 at 45 deg':26} {ours(isp)[1]:10.4f} {ebur128(isp)[1]:10.4f} "
        f"{'-':>11}  (true: 0.5000)"
    )

    rng = np.random.default_rng(1)
    speechy = (
        rng.standard_normal(RATE * 360) * np.repeat(rng.random(360 * 10), RATE // 10) * 0.1
    ).astype(np.float32)
    t_ours, _ = timed(lambda: ours(speechy))
    t_ebu, _ = timed(lambda: ebur128(speechy))
    t_pyl, _ = timed(lambda: pyloudnorm.Meter(RATE).integrated_loudness(speechy.astype(np.float64)))
    print(
        f"{'6 min, loudness + peak, ms':26} {1000 * t_ours:10.0f} {1000 * t_ebu:10.0f} "
        f"{1000 * t_pyl:11.0f} (pyloudnorm: loudness only)"
    )


def main() -> int:
    print("import time, ms (fresh interpreter, median of 5)")
    for module in (
        "papercast.audio.dsp",
        "soxr",
        "scipy.signal",
        "pyebur128",
        "pyloudnorm",
        "papercast.progress",
        "tqdm",
        "rich.progress",
    ):
        print(f"  {module:24} {import_ms(module):7.1f}")
    resampling()
    loudness()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
