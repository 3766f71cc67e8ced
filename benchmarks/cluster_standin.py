"""The client's ceiling (``benchmarks/cluster.py --stand-in``): how many finished episodes per
second the client of a Dask build accepts, writes and records, with thousands already in the
state, when the workers are not the limit.

The workers are Dask task threads (tiny memory: 64, 256 or 512 of them on any machine, in
worker processes of 64 threads, beside a scheduler, all in a process apart from the client);
each runs a stand-in for the render task that sleeps SLEEP_S and returns the files of one
real episode (made once, with the tone test voice, from a story long enough that its MP3 is
at least 600 KB, as a few minutes of speech at 64 kbit/s are). So W workers offer W /
SLEEP_S episodes per second; the client's accepted rate is measured from the first result
recorded to the last. The state starts with 5,000 episodes (hard links of the real episode's
files, so the rebuild and ``feed check`` at the end read real MP3s).

Also measured: the time to record one episode (the state write) at 100 and at 5,000
episodes in the state, for the SQLite state and for the state.json it replaced (rewritten
whole after every episode), and a rebuild with nothing to do and ``feed check`` at 5,000+.
"""

from __future__ import annotations

import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TONE = str(ROOT / "tests" / "data" / "tone-voice.onnx")
SLEEP_S = 1.0
MP3_BYTES = 600 * 1024
_TEMPLATE: dict[str, Any] = {}


def stand_in(
    settings: Any,
    blobs: Any,
    hosts: Any,
    document: Any,
    slug: str,
    *batches: Any,
    handover: Any = None,
) -> Any:
    """What a render task returns, after SLEEP_S: the template episode under ``slug``, its
    files staged in the client's folder when this worker sees it (as render_task does), else
    their bytes."""
    time.sleep(SLEEP_S)
    if not _TEMPLATE:  # in the cluster's process: the template the client made, from disk
        with open(os.environ["PAPERCAST_STANDIN_TEMPLATE"], "rb") as f:
            _TEMPLATE.update(pickle.load(f))
    ep, files = _TEMPLATE["episode"], _TEMPLATE["files"]
    named = {f"{slug}{suffix}": data for suffix, data in files.items()}
    from papercast.feed.distributed import for_client, shared_folder
    from papercast.files import temp_path

    folder = shared_folder(handover) if os.environ.get("PAPERCAST_STANDIN_BYTES") != "1" else None
    out: dict[str, Any] = {"files": named}
    if folder is not None:
        staged = {}
        for name, data in named.items():
            tmp = temp_path(folder / name)
            tmp.write_bytes(data)
            staged[name] = str(tmp)
        out = {"staged": staged}
    return {
        **out,
        "episode": replace(
            for_client(ep),
            path=Path(f"{slug}.mp3"),
            sidecars=tuple(Path(f"{slug}{suffix}") for suffix in files if suffix != ".mp3"),
            title=f"{ep.title} {slug}",
        ),
        "worker_pid": os.getpid(),
    }


def _template(tmp: Path) -> tuple[Any, dict[str, bytes]]:
    from papercast.pipeline import Renderer, RunFlags
    from papercast.settings import EpisodeSettings

    out = tmp / "template" / "t.mp3"
    out.parent.mkdir(parents=True)
    r = Renderer(
        EpisodeSettings(
            voice=TONE, transcripts=("vtt", "srt", "json"), chapters_json=True, page=True
        ),
        RunFlags(quiet=True, cache_dir=tmp / "cache"),
    )
    places = ["harbour", "library", "depot", "market", "school", "bridge", "station", "clinic"]
    paragraphs, n = [], 0
    while True:  # a real MP3 of at least MP3_BYTES: as many distinct sentences as it takes
        paragraphs += [  # (a repeated paragraph would be dropped as site chrome)
            f"The council voted on plan {n + i} for the {places[(n + i) % 8]} on Tuesday, and "
            f"work on the {places[(n + i + 3) % 8]} will follow in week {n + i + 2}."
            for i in range(10)
        ]
        n += 10
        article = tmp / "template" / "t.txt"
        article.write_text("Council plans\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
        ep = r.render(str(article), out)
        if ep.size_bytes >= MP3_BYTES:
            break
    files = {}
    for p in (ep.path, *ep.sidecars):
        files[p.name[len("t") :]] = p.read_bytes()
    return ep, files


def _folder(tmp: Path, name: str, old: int, new: int) -> Path:
    """A feed folder whose state holds ``old`` published episodes and whose articles/ holds
    ``new`` short articles not yet rendered."""
    from papercast.feed.build import _entry
    from papercast.feed.config import init_folder
    from papercast.feed.state import State

    folder = tmp / name
    init_folder(folder, "Stand-in")
    cfg = (folder / "papercast.toml").read_text(encoding="utf-8")
    cfg = cfg.replace('voice = "joe"', f'voice = "{TONE}"').replace(
        "keep_removed = false", "keep_removed = true"
    )
    (folder / "papercast.toml").write_text(cfg, encoding="utf-8")
    for i in range(new):
        (folder / "articles" / f"new-{i:05d}.txt").write_text(
            f"Council story {i}\n\nThe council met on Tuesday and agreed plan number {i}.\n",
            encoding="utf-8",
        )
    episodes = folder / "site" / "episodes"
    episodes.mkdir(parents=True)
    ep, files = _TEMPLATE["episode"], _TEMPLATE["files"]
    master = tmp / "master"
    if not master.is_dir():
        master.mkdir()
        for suffix, data in files.items():
            (master / f"m{suffix}").write_bytes(data)
    with State(folder / ".papercast") as state:
        state.doc["podcast_guid"] = "00000000-0000-5000-8000-000000000000"
        state.db.execute("BEGIN")
        for i in range(old):
            slug = f"old-{i:05d}"
            for suffix in files:
                os.link(master / f"m{suffix}", episodes / f"{slug}{suffix}")
            e = replace(ep, path=episodes / f"{slug}.mp3")
            day = 1_700_000_000 + i * 3600
            from datetime import datetime, timezone
            from email.utils import format_datetime

            date = format_datetime(datetime.fromtimestamp(day, tz=timezone.utc))
            state.episodes[f"file:articles/old-{i:05d}.txt"] = _entry(
                e, slug, f"file:articles/old-{i:05d}.txt", "", date, None, "x", "k", None
            )
        state.db.execute("COMMIT")
        state.save()
    return folder


def record_cost(tmp: Path) -> dict[str, float]:
    """Median seconds to record one episode with N already in the state: SQLite vs state.json."""
    from papercast.feed.state import State
    from papercast.files import write_bytes

    ep = _TEMPLATE["entry"]
    out: dict[str, float] = {}
    for n in (100, 5000):
        with State(tmp / f"rec-{n}") as state:
            state.db.execute("BEGIN")
            for i in range(n):
                state.episodes[f"id{i}"] = dict(ep, slug=f"s{i}")  # type: ignore[assignment]
            state.db.execute("COMMIT")
            times = []
            for i in range(50):
                t0 = time.perf_counter()
                state.episodes[f"new{i}"] = dict(ep, slug=f"n{i}")  # type: ignore[assignment]
                state.save()
                times.append(time.perf_counter() - t0)
            out[f"sqlite_{n}"] = statistics.median(times)
            doc = {"version": 1, "podcast_guid": "g", "fetch": {}, "episodes": dict(state.episodes)}
        times = []
        path = tmp / f"state-{n}.json"
        for i in range(10):  # what State.save did before: the whole document, atomically
            doc["episodes"][f"new{i}"] = dict(ep, slug=f"n{i}")
            t0 = time.perf_counter()
            write_bytes(
                path, json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True).encode()
            )
            times.append(time.perf_counter() - t0)
        out[f"json_{n}"] = statistics.median(times)
    return out


def ceiling(tmp: Path, workers: int, old: int, pin: bool = False) -> dict[str, float]:
    """Episodes per second the client records with ``workers`` stand-in workers; with
    ``pin``, the client on one CPU and the stand-in cluster on the others (the client's own
    capacity, apart from the cluster that shares this machine with it)."""

    from papercast.feed import distributed
    from papercast.feed.build import build

    new = max(2 * workers, 200)
    folder = _folder(tmp, f"w{workers}{'-pinned' if pin else ''}", old, new)
    stamps: list[float] = []
    cpu_spans: list[float] = []
    real = distributed.render_all

    def timed(
        cluster: Any, settings: Any, blobs: Any, jobs: Any, on_done: Any, quiet: bool, **kw: Any
    ) -> Any:
        def done(identity: str, result: Any) -> None:
            on_done(identity, result)
            stamps.append(time.perf_counter())
            cpu_spans.append(time.process_time())  # this process: the client's CPU alone

        return real(cluster, settings, blobs, jobs, done, quiet, **kw)

    distributed.TASKS["render"] = stand_in
    distributed.render_all = timed  # type: ignore[assignment]
    template = tmp / "template.pickle"
    with open(template, "wb") as f:
        pickle.dump({"episode": _TEMPLATE["episode"], "files": _TEMPLATE["files"]}, f)
    # The scheduler and the workers in a process of their own, so this process is only the
    # client (in one process, 512 workers' monitors on one event loop were the limit).
    cpus = sorted(os.sched_getaffinity(0))
    pin = pin and len(cpus) >= 2
    if pin:
        os.sched_setaffinity(0, cpus[:1])
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(workers)],
        preexec_fn=(lambda: os.sched_setaffinity(0, cpus[1:])) if pin else None,
        stdout=subprocess.PIPE,
        stdin=subprocess.PIPE,
        text=True,
        env=dict(
            os.environ,
            PAPERCAST_STANDIN_TEMPLATE=str(template),
            PYTHONPATH=os.pathsep.join([str(Path(__file__).parent), *sys.path]),
        ),
    )
    try:
        assert server.stdout is not None
        address = server.stdout.readline().strip()  # printed once every worker is up
        t0 = time.perf_counter()
        report = build(folder, quiet=True, scheduler=address)
        wall = time.perf_counter() - t0
        cpu = cpu_spans[-1] - cpu_spans[0] if len(cpu_spans) > 1 else 0.0
    finally:
        distributed.TASKS["render"] = distributed.render_task
        distributed.render_all = real  # type: ignore[assignment]
        server.communicate("", timeout=120)
        if pin:
            os.sched_setaffinity(0, cpus)
    assert not report.failed, report.failed[:3]
    assert len(report.rendered) == new, (len(report.rendered), new)
    span = stamps[-1] - stamps[0]
    rate = (len(stamps) - 1) / span if span > 0 else float("inf")
    t0 = time.perf_counter()
    again = build(folder, quiet=True)
    rebuild = time.perf_counter() - t0
    assert not again.rendered and not again.failed
    return {
        "workers": workers,
        "new": new,
        "offered_per_s": workers / SLEEP_S,
        "recorded_per_s": rate,
        "client_cpu_ms": cpu / max(1, len(stamps) - 1) * 1000,
        "build_s": wall,
        "rebuild_nothing_s": rebuild,
        "episodes": old + new,
        "folder": str(folder),
    }


def serve(workers: int) -> None:
    """A scheduler and ``workers`` task threads, until stdin closes. The threads are spread
    over worker processes of 64 each: 256 workers in one process (one interpreter lock, one
    event loop) delivered 38 results a second while the client was idle most of the time."""
    import dask
    from dask.distributed import LocalCluster

    dask.config.set(
        {  # what each worker would do on a timer, off: 512 of them share one event loop here
            "distributed.admin.system-monitor.interval": "3600s",
            "distributed.worker.profile.enabled": False,
            "distributed.worker.memory.monitor-interval": "3600s",
        }
    )
    processes = max(1, -(-workers // 64))
    with LocalCluster(
        n_workers=processes,
        threads_per_worker=workers // processes,  # threads: any number fits in memory
        processes=True,
        memory_limit=0,  # the stand-in's memory is the results it holds until collected
        protocol="tcp://",  # results cross a real socket, as from remote workers
        host="127.0.0.1",
        dashboard_address=":0",
    ) as cluster:
        print(cluster.scheduler_address, flush=True)
        sys.stdin.read()


def run(sizes: tuple[int, ...] = (64, 256, 512), old: int = 5000) -> int:
    from papercast.feed.build import _entry
    from papercast.feed.check import check
    from papercast.runtime import tune_process

    tune_process()
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        os.environ["PAPERCAST_CACHE_DIR"] = str(tmp / "cache")
        ep, files = _template(tmp)
        _TEMPLATE.update(episode=ep, files=files)
        _TEMPLATE["entry"] = _entry(ep, "t", "file:articles/t.txt", "", "d", None, "x", "k", None)
        cost = record_cost(tmp)
        print(
            "record one episode (median): SQLite "
            f"{cost['sqlite_100'] * 1000:.2f} ms at 100 in the state, "
            f"{cost['sqlite_5000'] * 1000:.2f} ms at 5,000 "
            f"({cost['sqlite_5000'] / cost['sqlite_100']:.2f}x); state.json rewritten whole "
            f"{cost['json_100'] * 1000:.1f} ms at 100, {cost['json_5000'] * 1000:.1f} ms at 5,000 "
            f"({cost['json_5000'] / cost['json_100']:.1f}x)",
            flush=True,
        )
        last: dict[str, Any] = {}
        for w in sizes:
            r = ceiling(tmp, w, old)
            print(
                f"{w:4d} stand-in workers ({r['offered_per_s']:.0f} episodes/s offered), "
                f"{r['new']} new onto {old}: the client recorded {r['recorded_per_s']:.0f} "
                f"episodes/s, {r['client_cpu_ms']:.2f} ms of its own CPU each (alone on a "
                f"core: {1000 / r['client_cpu_ms']:.0f}/s); build {r['build_s']:.1f} s; rebuild "
                f"with nothing to do at {r['episodes']} episodes {r['rebuild_nothing_s']:.2f} s",
                flush=True,
            )
            last = r
        if len(os.sched_getaffinity(0)) >= 2:
            r = ceiling(tmp, 256, old, pin=True)
            print(
                f" 256 stand-in workers, the client alone on one CPU and the cluster on the "
                f"others: the client recorded {r['recorded_per_s']:.0f} episodes/s, "
                f"{r['client_cpu_ms']:.2f} ms of its own CPU each",
                flush=True,
            )
        t0 = time.perf_counter()
        problems, checked = check(str(Path(last["folder"]) / "site"))
        print(
            f"feed check at {last['episodes']} episodes: {time.perf_counter() - t0:.1f} s, "
            f"{checked} checks, {len(problems)} problems"
            + (f" (first: {problems[0]})" if problems else ""),
            flush=True,
        )
    return 0


if __name__ == "__main__" and sys.argv[1:2] == ["--serve"]:
    serve(int(sys.argv[2]))
