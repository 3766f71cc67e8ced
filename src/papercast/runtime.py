"""Process settings for papercast's own processes (the command line, Dask workers, benchmarks).

A library does not change its host's process; a program does. Both settings were measured on
the seed article (2 cores):

- OpenBLAS one thread: numpy's OpenBLAS starts a thread per core for the audio chain's small
  matrix products (audio/dsp.py) and keeps them spinning while ONNX synthesises on the same
  cores. After a lexicon edit: 4.5 -> 2.7 s of CPU, 3.0 -> 2.3 s of wall time. It must be set
  before numpy is imported; an explicit setting wins. (Dask's nanny sets it for its workers.)
- glibc keeps freed blocks up to 32 MB for reuse instead of handing each one over 128 KB back
  to the kernel. The audio chain frees and allocates numpy temporaries of that size for every
  block, and each fresh page costs a fault: 0.3-0.4 s less system time after a lexicon edit,
  ~1 s less CPU cold. Peak RSS was within the run-to-run spread (ten times the seed: 504 MB
  with it, 506 without; smaller thresholds, 4/8 MB and 1/2 MB, cost 3 and 12 s of system time
  there). No effect where the C library is not glibc.
- glibc gives each thread that allocates its own arena (up to 8 per core); with synthesis,
  decoder, chain and meter threads, freed memory scattered over them and the peak grew with
  the article: ten times the seed peaked at 483-512 MB against the seed's 430-436. Two arenas:
  444 against 407 (and 5% less CPU); one arena: 451 against 389.
"""

from __future__ import annotations

import ctypes
import os
import sys

_DONE: list[bool] = []


def tune_process() -> None:
    if _DONE:
        return
    _DONE.append(True)
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(-3, 32 << 20)  # M_MMAP_THRESHOLD
        libc.mallopt(-1, 64 << 20)  # M_TRIM_THRESHOLD
        libc.mallopt(-8, 2)  # M_ARENA_MAX
    except (OSError, AttributeError):
        pass
