"""Process settings for papercast's own processes (the command line, Dask workers, benchmarks).

A library does not change its host's process; a program does. Three settings, each because
the audio chain and ONNX share the cores (numbers: docs/DECISIONS.md, "Process settings"):

- OpenBLAS one thread: numpy's OpenBLAS would start a thread per core for the audio chain's
  small matrix products and keep them spinning while ONNX synthesises on the same cores. It
  must be set before numpy is imported; an explicit setting wins. (Dask's nanny sets it for
  its workers.)
- glibc keeps freed blocks up to 32 MB for reuse instead of handing each one over 128 KB back
  to the kernel: the audio chain frees and allocates numpy temporaries of that size for every
  block, and each fresh page costs a fault. No effect where the C library is not glibc.
- Two glibc arenas: glibc gives each thread that allocates an arena of its own, and with
  synthesis, decoder, chain and meter threads freed memory scattered over them, so the peak
  grew with the article's length.
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
