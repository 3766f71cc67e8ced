"""Feed builds with Dask: the samples repeated to 24 articles, built plainly, on a local cluster
of 1 worker process and of 2; throughput in seconds of speech per second of wall time, the
ratios, the scheduler's per-task overhead and the bytes that travel per article.

The clip cache is bounded to nothing (PAPERCAST_CACHE_MAX=0) so every article is
synthesised, even where copies share sentences. Usage: python benchmarks/cluster.py (not named
distributed.py: it would shadow the distributed package)
"""

from __future__ import annotations

import os
import pickle
import shutil
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def make_folder(tmp: Path, name: str, copies: int = 3) -> Path:
    from papercast.feed.config import init_folder

    folder = tmp / name
    init_folder(folder, "Benchmark")
    samples = sorted(p for p in (ROOT / "samples").iterdir() if p.suffix in (".txt", ".md"))
    n = 0
    while n < 24:
        for p in samples:
            if n == 24:
                break
            shutil.copy(p, folder / "articles" / f"{n:02d}-{p.name}")
            n += 1
    return folder


def speech_seconds(folder: Path) -> float:
    import json

    state = json.loads((folder / ".papercast" / "state.json").read_text(encoding="utf-8"))
    return sum(e["duration_ms"] for e in state["episodes"].values()) / 1000


def run(tmp: Path, name: str, workers: int | None) -> tuple[float, float, float]:
    """Seconds of speech built, wall seconds, and this process's CPU seconds meanwhile (for the
    plain build: all of the work; for a cluster: the client's share)."""
    import resource

    from papercast.feed.build import build

    os.environ["PAPERCAST_CACHE_DIR"] = str(tmp / f"cache-{name}")
    folder = make_folder(tmp, name)
    before = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    report = build(folder, quiet=True, workers=workers)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_SELF)
    assert not report.failed, report.failed
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return speech_seconds(folder), wall, cpu


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


def bytes_per_article(tmp: Path) -> tuple[float, float]:
    """What goes out (the pickled Document) and comes back (files + metadata) per article."""
    folder = tmp / "cluster-2" / "site" / "episodes"
    out = []
    for p in sorted((ROOT / "samples").glob("*.txt")):
        from papercast.text.inputs import read_document

        out.append(len(pickle.dumps(read_document(str(p)))))
    back = sum(f.stat().st_size for f in folder.iterdir()) / max(1, len(list(folder.glob("*.mp3"))))
    return statistics.mean(out), back


def main() -> int:
    from papercast.runtime import tune_process

    tune_process()  # as the papercast command does, so the plain build is the command's
    os.environ["PAPERCAST_CACHE_MAX"] = "0"
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        rows = {}
        for name, workers in (("plain", None), ("cluster-1", 1), ("cluster-2", 2)):
            speech, wall, cpu = run(tmp, name, workers)
            rows[name] = (speech, wall, speech / wall)
            print(
                f"{name:10} {speech:7.0f} s of speech in {wall:6.1f} s: {speech / wall:5.1f} s of "
                f"speech per second; "
                f"{cpu / wall:.2f} cores busy in this process",
                flush=True,
            )
        one, two, plain = rows["cluster-1"][2], rows["cluster-2"][2], rows["plain"][2]
        print(
            f"2 workers / 1 worker: {two / one:.2f}x (target >= 1.6); 1 worker / plain build: "
            f"{one / plain:.2f}x "
            f"(target >= 0.9); 2 workers / plain: {two / plain:.2f}x (both targets together need "
            f">= 1.44x "
            f"plain, on {os.cpu_count()} cores)"
        )
        empty, mb = overhead()
        sent, back = bytes_per_article(tmp)
        print(
            f"scheduler round trip per task: {1000 * empty:.1f} ms empty, {1000 * mb:.1f} ms with "
            f"1 MB back"
        )
        print(
            f"per article: {sent / 1024:.0f} KB sent (the article), {back / 1024:.0f} KB back "
            f"(MP3, captions, word "
            "transcript, chapters, read-along page); per worker once: the voice model only when "
            "given as a file (63 MB), lexicons, music, cover"
        )
        per_article_s = rows["cluster-1"][1] / 24
        print(
            f"one worker process: {per_article_s:.2f} s per article of "
            f"{rows['cluster-1'][0] / 24:.0f} s of speech"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
