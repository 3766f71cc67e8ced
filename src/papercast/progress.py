"""A one-line progress bar on stderr: sentences done, percent, elapsed and ETA.

Shown only when stderr is a terminal. (tqdm 4.70 printed an empty line on the
ptys we tested, so this small bar is ours.)
"""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO


class Progress:
    def __init__(
        self,
        total: int,
        label: str = "synthesising",
        stream: TextIO | None = None,
        enabled: bool | None = None,
    ) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.total, self.label, self.done = max(1, total), label, 0
        self.start = time.monotonic()
        self._last = 0.0
        if self.enabled:
            self._draw()

    def step(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self._last >= 0.1 or self.done >= self.total):
            self._last = now
            self._draw()

    def close(self) -> None:
        if self.enabled:
            width = shutil.get_terminal_size((80, 24)).columns or 80
            self.stream.write("\r" + " " * (width - 1) + "\r")
            self.stream.flush()

    def line(self) -> str:
        elapsed = time.monotonic() - self.start
        frac = self.done / self.total
        eta = elapsed / frac - elapsed if self.done else 0.0
        return (
            f"{self.label} {self.done}/{self.total} sentences {frac:4.0%} | "
            f"{_clock(elapsed)} elapsed, ETA {_clock(eta)}"
        )

    def _draw(self) -> None:
        width = shutil.get_terminal_size((80, 24)).columns or 80
        text = self.line()
        room = width - len(text) - 4
        if room >= 10:
            filled = int(room * self.done / self.total)
            text = f"{text} [{'#' * filled}{'.' * (room - filled)}]"
        self.stream.write("\r" + text[: width - 1])
        self.stream.flush()


def _clock(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m:d}:{s:02d}"
