"""The few signal-processing pieces the audio chain needs, in numpy alone.

Why not scipy: importing ``scipy.signal`` costs about 1 s of CPU (it pulls in scipy.stats),
pyloudnorm imports it too, and ``scipy.ndimage`` another 0.3-0.5 s. A render that
re-synthesises one sentence after a lexicon edit spent a third of its time on those imports,
and a cold render spends them while both cores synthesise. What is used of them is small:
a Kaiser-windowed low-pass design (the true-peak interpolator's), moving mean / max / min
windows, and two biquads (K-weighting). Each function here is tested against the scipy
function it replaces (scipy is a test dependency: pyloudnorm, a test reference, needs it).
Resampling is soxr's (docs/DECISIONS.md, "Resampling: soxr").
"""

from __future__ import annotations

import numpy as np

_CHUNK = 16384  # windows per matrix product: a few hundred KB, cache-sized


def kaiser_lowpass(numtaps: int, cutoff: float, beta: float) -> np.ndarray:
    """Linear-phase windowed-sinc low-pass, ``cutoff`` as a fraction of Nyquist, unit gain at
    DC: the filter ``scipy.signal.firwin(numtaps, cutoff, window=("kaiser", beta))`` designs."""
    m = np.arange(numtaps) - (numtaps - 1) / 2
    h = cutoff * np.sinc(cutoff * m) * np.kaiser(numtaps, beta)
    return h / h.sum()


def _reflected(x: np.ndarray, size: int) -> np.ndarray:
    """``x`` extended for a centred window of ``size`` as scipy.ndimage's default 'reflect'
    mode does (d c b a | a b c d | d c b a)."""
    left = size // 2
    return np.pad(x, (left, size - 1 - left), mode="symmetric")


def moving_mean(x: np.ndarray, size: int) -> np.ndarray:
    """Mean over a centred window (scipy.ndimage.uniform_filter1d, reflect mode)."""
    x = np.asarray(x)
    if size <= 1 or x.size == 0:
        return x.copy()
    sums = np.concatenate([[0.0], np.cumsum(_reflected(x, size), dtype=np.float64)])
    return ((sums[size:] - sums[:-size]) / size).astype(
        x.dtype if x.dtype.kind == "f" else np.float64
    )


def moving_max(x: np.ndarray, size: int) -> np.ndarray:
    """Maximum over a centred window (scipy.ndimage.maximum_filter1d, reflect mode), in O(n)
    whatever the window (van Herk / Gil-Werman: blocks of ``size``, running maxima forwards
    and backwards; a window meets at most two blocks)."""
    return _moving_extreme(x, size, np.maximum, -np.inf)


def moving_min(x: np.ndarray, size: int) -> np.ndarray:
    """Minimum over a centred window (scipy.ndimage.minimum_filter1d, reflect mode)."""
    return _moving_extreme(x, size, np.minimum, np.inf)


def _moving_extreme(x: np.ndarray, size: int, op: np.ufunc, fill: float) -> np.ndarray:
    x = np.asarray(x)
    dtype = x.dtype if x.dtype.kind == "f" else np.float64
    if size <= 1 or x.size == 0:
        return x.astype(dtype)
    padded = _reflected(x.astype(dtype), size)
    blocks = np.full(-(-len(padded) // size) * size, fill, dtype)
    blocks[: len(padded)] = padded
    b = blocks.reshape(-1, size)
    forwards = op.accumulate(b, axis=1).ravel()
    backwards = op.accumulate(b[:, ::-1], axis=1)[:, ::-1].ravel()
    n = len(x)
    return op(backwards[:n], forwards[size - 1 : size - 1 + n])


def biquad_high_shelf(rate_hz: int, freq_hz: float, gain_db: float, q: float) -> np.ndarray:
    """One second-order section (b0 b1 b2 1 a1 a2), the high shelf of R. Bristow-Johnson's
    Audio EQ Cookbook."""
    a = 10 ** (gain_db / 40)
    w0 = 2 * np.pi * freq_hz / rate_hz
    cos, alpha = np.cos(w0), np.sin(w0) / (2 * q)
    root = 2 * np.sqrt(a) * alpha
    b = [
        a * ((a + 1) + (a - 1) * cos + root),
        -2 * a * ((a - 1) + (a + 1) * cos),
        a * ((a + 1) + (a - 1) * cos - root),
    ]
    den = [
        (a + 1) - (a - 1) * cos + root,
        2 * ((a - 1) - (a + 1) * cos),
        (a + 1) - (a - 1) * cos - root,
    ]
    return np.array(b + den) / den[0]


def biquad_high_pass(rate_hz: int, freq_hz: float, q: float) -> np.ndarray:
    """One second-order section, the Audio EQ Cookbook's high pass."""
    w0 = 2 * np.pi * freq_hz / rate_hz
    cos, alpha = np.cos(w0), np.sin(w0) / (2 * q)
    return np.array([(1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha]) / (
        1 + alpha
    )


def k_weighting(rate_hz: int) -> np.ndarray:
    """BS.1770's K-weighting as two sections: the +4 dB shelf above ~1.5 kHz (head effects)
    and the RLB high pass at 38 Hz, designed for any rate as pyloudnorm designs them."""
    return np.stack(
        [
            biquad_high_shelf(rate_hz, 1500.0, 4.0, 1 / np.sqrt(2)),
            biquad_high_pass(rate_hz, 38.0, 0.5),
        ]
    )


class SosFilter:
    """Cascaded second-order sections (scipy's layout: rows b0 b1 b2 a0 a1 a2, a0 = 1; state
    per section in transposed direct form II, as ``scipy.signal.sosfilt`` keeps it), run on
    audio fed a block at a time with the state carried.

    A recursive filter looks sequential, but it is linear: over a block of L samples the
    outputs are (impulse response as an L x L Toeplitz matrix) @ inputs + (a matrix) @ state,
    and the state after the block is (A^L) @ state + (a matrix) @ inputs. So whole blocks are
    matrix products, and the states at every block start come from a prefix scan over the
    blocks (log2 of their number steps). The matrices are found by running the recursion on
    unit inputs once. Same numbers as sosfilt to ~1e-12; a few leftover samples (< L) run
    through the recursion itself.
    """

    def __init__(self, sos: np.ndarray, block: int = 64) -> None:
        self.sos = np.asarray(sos, np.float64)
        self.block = block
        d = 2 * len(self.sos)
        self.state = np.zeros(d)
        impulse = np.zeros(block)
        impulse[0] = 1.0
        h, after = self._recur(impulse, np.zeros(d), keep_states=True)
        self._t = np.zeros((block, block))  # outputs from inputs of the same block
        for j in range(block):
            self._t[j:, j] = h[: block - j]
        # state at block end from an input at position j = state `block - j` steps after an impulse
        self._g = np.stack([after[block - 1 - j] for j in range(block)], axis=1)  # d x L
        self._o = np.zeros((block, d))  # outputs from the state at block start
        self._m = np.zeros((d, d))  # state at block end from the state at block start
        for s in range(d):
            unit = np.zeros(d)
            unit[s] = 1.0
            y, end = self._recur(np.zeros(block), unit)
            self._o[:, s], self._m[:, s] = y, end[-1]

    def _recur(
        self, x: np.ndarray, state: np.ndarray, keep_states: bool = False
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """The plain recursion, sample by sample (for short inputs): outputs and the state after
        each sample (only the last unless ``keep_states``)."""
        z = state.reshape(-1, 2).copy()
        y = np.empty(len(x))
        states = []
        for n, v in enumerate(x):
            for i, (b0, b1, b2, _, a1, a2) in enumerate(self.sos):
                out = b0 * v + z[i, 0]
                z[i, 0] = b1 * v - a1 * out + z[i, 1]
                z[i, 1] = b2 * v - a2 * out
                v = out
            y[n] = v
            if keep_states or n == len(x) - 1:
                states.append(z.ravel().copy())
        return y, states or [state.copy()]

    def __call__(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, np.float64)
        k = len(x) // self.block
        out = np.empty(len(x))
        if k:
            blocks = x[: k * self.block].reshape(k, self.block)
            starts = np.empty((k + 1, len(self.state)))
            starts[0] = self.state
            starts[1:] = blocks @ self._g.T
            power, shift = self._m, 1
            while shift <= k and np.any(power):  # prefix scan: starts[i] = sum_j M^(i-j) w_j
                starts[shift:] += starts[:-shift] @ power.T
                power = power @ power
                power[np.abs(power) < 1e-200] = 0.0  # decayed: no denormals, and the scan ends
                shift *= 2
            out[: k * self.block] = (blocks @ self._t.T + starts[:-1] @ self._o.T).ravel()
            self.state = starts[-1]
        if len(x) > k * self.block:
            y, end = self._recur(x[k * self.block :], self.state)
            out[k * self.block :] = y
            self.state = end[-1]
        return out
