"""Feed builds with Dask, measured the way the CPU budget issue asks: whole processes, the
same 11 unique articles (the 8 samples and 3 written for this benchmark, benchmarks/articles/),
empty caches every run.

  python benchmarks/cluster.py [--runs N]      the four pinned runs:
      A  taskset -c 0  papercast feed build DIR --workers 1   (one worker, one core)
      B                papercast feed build DIR --workers 2   (two workers, both cores)
      C                papercast feed build DIR               (the plain build, both cores)
      D  taskset -c 0  papercast feed build DIR               (the plain build, one core)
    and the ratios A/B (a second core's worth: target >= 1.8), B/C (the cluster path's cost:
    target <= 1.05) and D/A (a plain build sees one core: target <= 1.10); B's and C's feeds
    must be equal (guids, enclosure lengths).
  python benchmarks/cluster.py --stand-in      the client's ceiling (cluster_standin.py)
  python benchmarks/cluster.py --overhead      the scheduler's round trip, bytes per article

Not named distributed.py: it would shadow the distributed package.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


ARTICLES = [
    *sorted(p for p in (ROOT / "samples").iterdir() if p.suffix in (".txt", ".html", ".md")),
    *sorted((ROOT / "benchmarks" / "articles").glob("*.txt")),
]


def make_folder(tmp: Path, name: str) -> Path:
    from papercast.feed.config import init_folder

    folder = tmp / name
    init_folder(folder, "Benchmark")
    for p in ARTICLES:
        shutil.copy(p, folder / "articles" / p.name)
    return folder


def speech_seconds(folder: Path) -> float:
    from papercast.feed.state import read_episodes

    return sum(e["duration_ms"] for e in read_episodes(folder).values()) / 1000


def whole_build(tmp: Path, name: str, pin: bool, workers: int | None) -> tuple[float, Path]:
    """Wall seconds of ``papercast feed build`` as its own process, from empty caches."""
    folder = make_folder(tmp, name)
    env = dict(os.environ, PAPERCAST_CACHE_DIR=str(tmp / f"cache-{name}"))
    env.pop("PAPERCAST_THREADS", None)
    cmd = [sys.executable, "-m", "papercast.cli", "feed", "build", str(folder), "-q"]
    if workers:
        cmd += ["--workers", str(workers)]
    if pin:
        cmd = ["taskset", "-c", "0", *cmd]
    t0 = time.perf_counter()
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        raise SystemExit(f"{name}: exit {r.returncode}: {r.stderr[-2000:]}")
    return wall, folder


def feed_facts(folder: Path) -> list[tuple[str, int]]:
    """(guid, enclosure length) of every item, in feed order."""
    import feedparser

    d = feedparser.parse((folder / "site" / "feed.xml").read_bytes())
    return [(e.id, int(e.enclosures[0].length)) for e in d.entries]


def pinned(runs: int) -> int:
    if shutil.which("taskset") is None:
        print("taskset (util-linux) is needed for the pinned runs")
        return 2
    walls: dict[str, list[float]] = {k: [] for k in "ABCD"}
    equal = True
    for n in range(runs):
        with tempfile.TemporaryDirectory() as t:
            tmp = Path(t)
            order = [("A", True, 1), ("B", False, 2), ("C", False, None), ("D", True, None)]
            if n % 2:
                order.reverse()  # the machine's drift does not always favour the same run
            folders = {}
            for key, pin, workers in order:
                wall, folders[key] = whole_build(tmp, key, pin, workers)
                walls[key].append(wall)
                print(f"run {n + 1} {key}: {wall:.1f} s", flush=True)
            same = feed_facts(folders["B"]) == feed_facts(folders["C"])
            equal = equal and same and len(feed_facts(folders["B"])) == len(ARTICLES)
    m = {k: statistics.median(v) for k, v in walls.items()}
    print(
        f"medians of {runs}: A (1 worker, 1 core) {m['A']:.1f} s; B (2 workers) {m['B']:.1f} s; "
        f"C (plain) {m['C']:.1f} s; D (plain, 1 core) {m['D']:.1f} s"
    )
    print(
        f"A/B {m['A'] / m['B']:.2f} (target >= 1.8); B/C {m['B'] / m['C']:.2f} (target <= 1.05); "
        f"D/A {m['D'] / m['A']:.2f} (target <= 1.10); B and C feeds equal: {equal}"
    )
    return 0


def overhead() -> tuple[float, float]:
    """Median round trip of an empty task, and of one carrying 1 MB back."""
    from dask.distributed import Client, LocalCluster

    with (
        LocalCluster(
            n_workers=1,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        Client(cluster) as client,
    ):
        client.submit(int, 0, pure=False).result()
        empty, mb = [], []
        for i in range(30):
            t0 = time.perf_counter()
            client.submit(int, i, pure=False).result()
            empty.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            client.submit(os.urandom, 1 << 20, pure=False).result()
            mb.append(time.perf_counter() - t0)
    return statistics.median(empty), statistics.median(mb)


def main() -> int:
    import argparse

    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--stand-in", action="store_true")
    ap.add_argument("--workers", default="64,256,512", help="with --stand-in: worker counts")
    ap.add_argument("--old", type=int, default=5000, help="with --stand-in: episodes in the state")
    ap.add_argument("--overhead", action="store_true")
    args = ap.parse_args()
    if args.stand_in:
        import cluster_standin

        sizes = tuple(int(w) for w in args.workers.split(","))
        return cluster_standin.run(sizes, args.old)
    if args.overhead:
        empty, mb = overhead()
        print(
            f"scheduler round trip per task: {1000 * empty:.1f} ms empty, {1000 * mb:.1f} ms with "
            f"1 MB back"
        )
        return 0
    return pinned(args.runs)


if __name__ == "__main__":
    raise SystemExit(main())
