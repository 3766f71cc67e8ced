"""How many CPUs this process may use, and how papercast's threads are planned from that.

``os.cpu_count()`` counts the machine's cores, not what the process may use: under
``taskset -c 0`` it still says 2, in a container limited to 1.5 CPUs it says 64 on a 64-core
host. The budget is the smallest of:

- the CPU affinity mask (``os.sched_getaffinity``: taskset, cpusets, Kubernetes' static CPU
  manager);
- the cgroup CPU quota: v2 ``cpu.max`` ("150000 100000" is 1.5 CPUs) of this process's
  cgroup and of every parent (the tightest wins), or v1 ``cpu.cfs_quota_us`` /
  ``cpu.cfs_period_us``; a quota is a number of CPUs' worth of time, so it may be fractional;
- ``--threads N`` or ``PAPERCAST_THREADS`` (a number, fractions allowed), which replaces the
  measured budget when given.

The plan (``plan``): synthesis runs one sentence per thread, each ONNX run with one
intra-op thread, all sharing one pair of sessions (the weights are in memory once), while the
main thread levels and encodes. On 2 cores two one-thread runs beat one two-thread run
(docs/DECISIONS.md, "Synthesis threads"). Each run beyond the first costs only its
activations (measured: docs/DECISIONS.md, "CPU budget and thread plan"), but more runs than
``MAX_RUNS`` also multiply the clips waiting to be encoded by the one main thread, so past
that the extra cores go to intra-op threads of each run instead.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from papercast.errors import PapercastError

MAX_RUNS = 8  # sentences synthesised at once, at most (see the module's docstring)
ENV = "PAPERCAST_THREADS"


@dataclass(frozen=True)
class Budget:
    cpus: float  # CPUs' worth of time this process may use (a quota may be fractional)
    source: str  # how it was found, for the line that reports it

    def __str__(self) -> str:
        return f"{self.cpus:g} CPU{'s' if self.cpus != 1 else ''} ({self.source})"


@dataclass(frozen=True)
class ThreadPlan:
    runs: int  # sentences synthesised at once (threads sharing one session pair)
    intra_op: int  # ONNX threads inside each run
    windows: int  # decoder windows of one long sentence decoded side by side

    def __str__(self) -> str:
        return (
            f"{self.runs} sentence{'s' if self.runs != 1 else ''} at once, "
            f"{self.intra_op} ONNX thread{'s' if self.intra_op != 1 else ''} each, "
            f"{self.windows} decoder window{'s' if self.windows != 1 else ''} side by side"
        )


def parse_threads(raw: str, where: str) -> float:
    """A thread budget as given: a number from 1 to 1024 (fractions allowed: 1.5)."""
    try:
        value = float(raw) if len(raw) <= 20 else math.nan
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and 1 <= value <= 1024):
        raise PapercastError(f"{where} {raw!r}: must be a number of CPUs from 1 to 1024")
    return value


def budget(
    override: float | None = None,
    *,
    env: Mapping[str, str] | None = None,
    affinity: set[int] | None = None,
    cgroup_file: Path = Path("/proc/self/cgroup"),
    cgroup_root: Path = Path("/sys/fs/cgroup"),
) -> Budget:
    """This process's CPU budget (the keyword arguments are for tests: another process's
    view of the machine)."""
    if override is not None:
        return Budget(override, "--threads")
    env = os.environ if env is None else env
    if env.get(ENV, "").strip():
        return Budget(parse_threads(env[ENV].strip(), ENV), ENV)
    if affinity is None:
        try:
            affinity = os.sched_getaffinity(0)
        except (AttributeError, OSError):  # not Linux: the cores there are
            affinity = set(range(os.cpu_count() or 1))
    n = len(affinity)
    cpus, source = float(max(1, n)), f"affinity: {n} core{'s' if n != 1 else ''}"
    quota = cgroup_quota(cgroup_file, cgroup_root)
    if quota is not None and quota[0] < cpus:
        cpus, source = quota
    return Budget(max(1.0, cpus), source)


def cgroup_quota(cgroup_file: Path, root: Path) -> tuple[float, str] | None:
    """The tightest CPU quota over this process's cgroup and its parents, in CPUs."""
    try:
        lines = cgroup_file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    best: tuple[float, str] | None = None
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, path = parts
        if controllers == "":  # cgroup v2: "0::/path"
            found = _v2(root, path)
        elif "cpu" in controllers.split(","):
            found = _v1(root / controllers, path) or _v1(root / "cpu", path)
        else:
            continue
        if found is not None and (best is None or found[0] < best[0]):
            best = found
    return best


def _ancestors(base: Path, path: str) -> list[Path]:
    """``base/path`` and each parent up to ``base`` (a container sees its own cgroup at the
    root of its mount, not at ``path``: the root is always tried)."""
    parts = [p for p in path.split("/") if p]
    out = [base.joinpath(*parts[:i]) for i in range(len(parts), 0, -1)]
    return [*out, base]


def _v2(root: Path, path: str) -> tuple[float, str] | None:
    best: tuple[float, str] | None = None
    for folder in _ancestors(root, path):
        try:
            quota, period = (folder / "cpu.max").read_text(encoding="ascii").split()[:2]
        except (OSError, ValueError):
            continue
        if quota == "max":
            continue
        try:
            cpus = int(quota) / int(period)
        except (ValueError, ZeroDivisionError):
            continue
        if cpus > 0 and (best is None or cpus < best[0]):
            best = (cpus, f"cgroup cpu.max {quota} {period}")
    return best


def _v1(base: Path, path: str) -> tuple[float, str] | None:
    best: tuple[float, str] | None = None
    for folder in _ancestors(base, path):
        try:
            quota = int((folder / "cpu.cfs_quota_us").read_text(encoding="ascii"))
            period = int((folder / "cpu.cfs_period_us").read_text(encoding="ascii"))
        except (OSError, ValueError):
            continue
        if quota <= 0 or period <= 0:  # -1: no quota
            continue
        cpus = quota / period
        if best is None or cpus < best[0]:
            best = (cpus, f"cgroup cpu.cfs_quota_us {quota} / {period}")
    return best


def plan(cpus: float) -> ThreadPlan:
    """The threads for a budget of ``cpus``. A fraction of a CPU left over goes to the main
    thread's levelling and encoding, not to one more synthesis run (which would be throttled
    and hold a clip back); so 1.5 CPUs plan one run, 2.5 plan two."""
    cores = max(1, math.floor(cpus + 1e-9))
    runs = min(cores, MAX_RUNS)
    intra = max(1, cores // runs)
    return ThreadPlan(runs=runs, intra_op=intra, windows=runs)


def share(cpus: float, processes: int) -> float:
    """Each of ``processes`` worker processes' part of a budget (at least one CPU each)."""
    return max(1.0, cpus / max(1, processes))
