"""Feed build speed: a first build of the samples, then a rebuild with nothing changed, then
a rebuild after editing one article; the rebuild must take under 5% of the first build.

Each build is a separate ``papercast feed build`` process with an empty clip cache for the
first build (so it really synthesises), timed as wall-clock medians.

Usage: python benchmarks/feed.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from papercast.feed.state import read_episodes

ROOT = Path(__file__).resolve().parents[1]
PAPERCAST = str(Path(sys.executable).parent / "papercast")


def timed(args: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    r = subprocess.run([PAPERCAST, *args], env=env, capture_output=True, check=False)
    if r.returncode != 0:
        raise SystemExit(r.stderr.decode())
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    first, again, edit = [], [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp) / "show"
            env = dict(os.environ, PAPERCAST_CACHE_DIR=str(Path(tmp) / "cache"))
            subprocess.run(
                [PAPERCAST, "feed", "init", str(folder)], check=True, capture_output=True
            )
            samples = sorted(p for p in (ROOT / "samples").glob("*.txt"))
            for p in samples:
                shutil.copy(p, folder / "articles" / p.name)
            first.append(timed(["feed", "build", str(folder), "-q"], env))
            feed = (folder / "site" / "feed.xml").read_bytes()
            again.append(timed(["feed", "build", str(folder), "-q"], env))
            assert (folder / "site" / "feed.xml").read_bytes() == feed, (
                "feed.xml changed on a no-op rebuild"
            )
            art = folder / "articles" / samples[0].name
            text = art.read_text(encoding="utf-8")
            para = max(
                text.split("\n\n"), key=len
            )  # a body paragraph: the edit changes what is spoken
            art.write_text(
                text.replace(para, para.replace(" the ", " the same ", 1), 1), encoding="utf-8"
            )
            edit.append(timed(["feed", "build", str(folder), "-q"], env))
            episodes = read_episodes(folder)
            assert sum(1 for e in episodes.values() if e["updated"]) == 1, (
                "the edit was not re-rendered"
            )
            print(
                f"run: first {first[-1]:.2f} s, unchanged {again[-1]:.2f} s, one edited "
                f"{edit[-1]:.2f} s",
                flush=True,
            )
    f, a, e = (statistics.median(x) for x in (first, again, edit))
    print(
        f"{len(samples)} articles. medians: first build {f:.2f} s; rebuild, nothing changed "
        f"{a:.2f} s "
        f"({100 * a / f:.1f}% of the first; must be < 5%); rebuild after one edit {e:.2f} s "
        f"({100 * e / f:.1f}%)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
