"""Feed builds on a Dask cluster: the same plan, the renders run on workers.

``papercast feed build DIR --workers N`` starts a LocalCluster of N worker processes on
this machine; ``--scheduler tcp://HOST:8786`` uses a running cluster. Both go through
this module, so local parallelism and a cluster are one feature. Without either option
Dask is never imported.

What travels: the client sends each file the renders need (a voice model given as a
path, lexicons, music, cover) once per worker, addressed by its sha256 (``scatter`` with
``hash=True`` and ``broadcast=True``); per article, the article's bytes go out and the
finished files (MP3, VTT, SRT, chapters JSON) and the episode's metadata come back. The
workers need no shared disk; each keeps a local clip cache (or a shared folder, when
``PAPERCAST_CACHE_DIR`` points every worker at one).

Each worker process builds its Renderer once per settings and keeps the voice loaded
across tasks. A long article is split: its sentences are synthesised in batches on any
worker first, and the render task, which depends on them, receives their clips.
A worker that dies mid-task has its task run again elsewhere (Dask reschedules it); a
task that fails for bad input raises PapercastError, which is reported, not retried.
The client alone writes the site, the state and the feed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np

from papercast.cpu import ENV, budget, share
from papercast.errors import PapercastError
from papercast.files import TEMP_MARK, TEMP_SUFFIX, remove_quietly, temp_path, write_bytes
from papercast.pipeline import Renderer, RunFlags
from papercast.runtime import tune_process
from papercast.settings import EpisodeSettings
from papercast.voice.cache import cache_root

BATCH_SENTENCES = 40  # an article longer than this is synthesised in batches of this many sentences

_RENDERERS: dict[
    str, Any
] = {}  # per worker process: settings digest -> Renderer (voice loaded once)


@dataclass(frozen=True)
class Blob:
    """A file the workers need, by content."""

    name: str  # the original file name (for messages and suffixes)
    sha256: str


def _blob_dir() -> Path:
    return cache_root() / "blobs"


def _materialise(blob: Blob, data: bytes) -> str:
    """The blob as a local file on this worker (written once per worker)."""
    folder = _blob_dir() / blob.sha256
    path = folder / blob.name
    if not path.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        write_bytes(path, data)
    return str(path)


def _local_settings(
    settings: EpisodeSettings, blobs: dict[str, tuple[Blob, bytes]]
) -> EpisodeSettings:
    """The client's settings with every file path replaced by this worker's copy."""

    def swap(value: str) -> str:
        if value not in blobs:
            return value
        blob, data = blobs[value]
        local = _materialise(blob, data)
        if value.endswith(".onnx"):
            config = value + ".json"
            if config in blobs:  # the voice's config must sit beside it
                target = Path(local + ".json")
                if not target.is_file():
                    write_bytes(target, blobs[config][1])
        return local

    return settings.with_files(swap)


def worker_budget(hosts: dict[str, int]) -> float:
    """The CPUs this worker process may use: ``PAPERCAST_THREADS`` when set (a local cluster
    sets each worker's share of the client's budget), else this host's own budget (cpu.py:
    affinity, cgroup quota) shared among the worker processes the scheduler knows on this
    host (``hosts``: host -> worker processes) and the tasks each runs at once."""
    if os.environ.get(ENV, "").strip():
        return budget().cpus
    try:
        from dask.distributed import get_worker

        worker = get_worker()
        host = worker.address.rsplit(":", 1)[0].split("://", 1)[-1]
        tasks_at_once = max(1, int(worker.state.nthreads))
    except (ImportError, ValueError, AttributeError):
        host, tasks_at_once = "", 1
    return share(budget().cpus, hosts.get(host, 1) * tasks_at_once)


def _renderer(
    settings: Any, blobs: dict[str, tuple[Blob, bytes]], hosts: dict[str, int] | None = None
) -> Any:
    key = hashlib.sha256(
        repr((settings.identity(), sorted((k, b.sha256) for k, (b, _) in blobs.items()))).encode()
    ).hexdigest()
    if key not in _RENDERERS:
        tune_process()  # a worker process is papercast's too: keep freed blocks (see runtime.py)
        local = _local_settings(settings, blobs)
        # The threads of this worker's renders come from its share of its host's CPU budget:
        # two workers on 2 cores plan one sentence at once each, one worker plans two, as a
        # plain build does (two threads each would oversubscribe: docs/DECISIONS.md, Dask).
        threads = worker_budget(hosts or {})
        _RENDERERS[key] = Renderer(local, RunFlags(quiet=True, reuse=False, threads=threads))
    return _RENDERERS[key]


def synth_batch(
    settings: Any,
    blobs: dict[str, tuple[Blob, bytes]],
    hosts: dict[str, int],
    document: Any,
    start: int,
    stop: int,
) -> dict[str, tuple[np.ndarray, np.ndarray | None]]:
    """Clips (and their samples per phoneme id) for sentences ``start:stop`` of an article,
    by cache key (a Dask task)."""
    r = _renderer(settings, blobs, hosts)
    items = r.script(document)[1][start:stop]
    synth = r.synth
    out = {}
    for clip in synth.stream(items):
        out[synth.key(synth.ids(clip.item.phonemes))] = (clip.samples, clip.id_samples)
    return out


def render_task(
    settings: Any,
    blobs: dict[str, tuple[Blob, bytes]],
    hosts: dict[str, int],
    document: Any,
    slug: str,
    *batches: dict[str, tuple[np.ndarray, np.ndarray | None]],
    handover: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """One episode, rendered on a worker; returns its files (their bytes, or staged in the
    client's folder: ``hand_over``) and metadata (a Dask task)."""
    r = _renderer(settings, blobs, hosts)
    if r.cache is not None:
        for batch in batches:
            for key, (samples, id_samples) in batch.items():
                r.cache.put(key, samples, id_samples)
    tmp = Path(tempfile.mkdtemp(prefix="papercast-task-"))
    try:
        ep = r.render(document, tmp / f"{slug}.mp3")
        made = {p.name: p for p in (ep.path, *ep.sidecars)}
        return {**hand_over(made, handover), "episode": for_client(ep), "worker_pid": os.getpid()}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


SHARE_NAME = f".share{TEMP_MARK}{{token}}{TEMP_SUFFIX}"  # the client's probe in episodes/


def shared_folder(handover: tuple[str, str] | None) -> Path | None:
    """The client's episodes folder, when this worker sees the very folder (the same machine,
    or storage both mount): the probe file the client put there holds the token it sent."""
    if not handover:
        return None
    folder, token = handover
    try:
        probe = Path(folder) / SHARE_NAME.format(token=token)
        return Path(folder) if probe.read_text(encoding="ascii") == token else None
    except (OSError, UnicodeDecodeError):
        return None


def hand_over(made: dict[str, Path], handover: tuple[str, str] | None) -> dict[str, Any]:
    """A task's files for the client: staged as temporary files in the client's own episodes
    folder when the worker sees it (the client then only renames them: 700 KB an episode
    no longer crosses the network or the client's CPU), else their bytes."""
    folder = shared_folder(handover)
    if folder is None:
        return {"files": {name: p.read_bytes() for name, p in made.items()}}
    staged: dict[str, str] = {}
    try:
        for name, p in made.items():
            tmp = temp_path(folder / name)
            staged[name] = str(tmp)
            shutil.copyfile(p, tmp)
    except (OSError, PapercastError):
        for t in staged.values():
            remove_quietly(Path(t))
        return {"files": {name: p.read_bytes() for name, p in made.items()}}
    return {"staged": staged}


def for_client(ep: Any) -> Any:
    """The episode as the client needs it to record it: without its word timings (they are in
    the transcript files already; unpickling them was half of the client's cost per episode:
    0.6 ms of an episode's 0.67 ms for 422 words)."""
    return replace(ep, timeline=replace(ep.timeline, words=()))


# The task each episode runs. benchmarks/cluster.py --stand-in swaps in a stand-in (sleeps,
# returns files of realistic size) to measure what the client alone can record and publish.
TASKS: dict[str, Any] = {"render": render_task}


class Cluster:
    """A Dask client on an existing scheduler, or on a LocalCluster it starts and stops."""

    def __init__(
        self, scheduler: str | None = None, workers: int | None = None, threads: float | None = None
    ) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError as e:
            raise PapercastError(
                "--workers and --scheduler need Dask: pip install 'papercast[dask]'"
            ) from e
        self._local = None
        if scheduler:
            self.client = Client(scheduler, timeout="20s")
        else:
            n = workers or 2
            # this process's CPU budget (affinity, quota, --threads) shared among the workers
            each = share(budget(threads).cpus, n)
            self._local = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                env={ENV: f"{each:g}"},
            )
            self.client = Client(self._local)
        self._blobs: dict[str, Any] = {}
        self._slots = (1, -1e9)  # (task slots, when counted)

    def ship(self, paths: list[str]) -> dict[str, tuple[Blob, Any]]:
        """Send each file once to every worker, keyed by content; returns path -> (blob, future)."""
        out = {}
        for p in paths:
            data = Path(p).read_bytes()
            blob = Blob(Path(p).name, hashlib.sha256(data).hexdigest())
            if blob.sha256 not in self._blobs:
                # to every worker up to 16 of them; past that a broadcast is the client sending
                # the file to each worker in turn (512 workers: over a minute), while a file
                # sent to one spreads as tasks need it, each copy serving the next workers
                wide = len(self.client.scheduler_info().get("workers", {})) <= 16
                self._blobs[blob.sha256] = self.client.scatter(data, broadcast=wide, hash=True)
            out[p] = (blob, self._blobs[blob.sha256])
        return out

    def slots(self) -> int:
        """Tasks the cluster runs at once: its workers' threads (at least one, so a cluster
        whose workers have not joined yet still gets work queued). Asked of the scheduler at
        most once a second: each answer lists every worker (512 of them: milliseconds)."""
        now = time.monotonic()
        if now - self._slots[1] > 1.0:
            workers = self.client.scheduler_info().get("workers", {}).values()
            self._slots = (max(1, sum(int(w.get("nthreads", 1)) for w in workers)), now)
        return self._slots[0]

    def hosts(self) -> dict[str, int]:
        """Worker processes per host, as the scheduler knows them now (each worker shares its
        host's CPU budget with the others there)."""
        counts: dict[str, int] = {}
        for info in self.client.scheduler_info().get("workers", {}).values():
            host = str(info.get("host", ""))
            counts[host] = counts.get(host, 0) + 1
        return counts

    def close(self) -> None:
        self.client.close()
        if self._local is not None:
            self._local.close()


def render_all(
    cluster: Cluster,
    settings: Any,
    blobs: dict[str, tuple[Blob, Any]],
    jobs: list[tuple[str, Any, str, int, str]],
    on_done: Any,
    quiet: bool,
    handover: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """Run every job (identity, document, slug, sentence count, story: the name its slug was
    made from, the same for two articles with the same headline); call ``on_done(identity,
    result or exception)`` as each finishes, in completion order. Returns the timing facts.

    Longest first, and only as many at once as the cluster has task slots (its workers'
    threads, read again as workers come and go): handed everything at once, Dask assigned
    the tasks to workers up front and a worker that ran out of its share stood idle for
    seconds before work stealing moved one over (5 s of a 39-s build on 2 workers). Fed one
    per free slot, the longest articles start first and the short ones fill the end.
    Articles with the same headline (one story from two sources, or as .html and .txt) are
    never run at once: one after another, the later ones take the first one's clips from the
    cache instead of synthesising the same sentences twice."""
    from dask.distributed import as_completed

    client = cluster.client
    blob_args = {p: (b, fut) for p, (b, fut) in blobs.items()}
    hosts = cluster.hosts()
    waiting = sorted(jobs, key=lambda j: -(j[3] * 1000 or len(getattr(j[1], "text", ""))))
    futures: dict[Any, str] = {}
    batches_sent = 0
    running = as_completed()

    def submit(identity: str, document: Any, slug: str, n_sentences: int) -> None:
        nonlocal batches_sent
        batches = []
        if n_sentences > BATCH_SENTENCES:
            for start in range(0, n_sentences, BATCH_SENTENCES):
                batches.append(
                    client.submit(
                        synth_batch,
                        settings,
                        blob_args,
                        hosts,
                        document,
                        start,
                        min(n_sentences, start + BATCH_SENTENCES),
                        pure=False,
                    )
                )
                batches_sent += 1
        fut = client.submit(
            TASKS["render"],
            settings,
            blob_args,
            hosts,
            document,
            slug,
            *batches,
            handover=handover,
            pure=False,
            key=f"render-{slug}-{time.time_ns()}",
        )
        futures[fut] = identity
        running.add(fut)

    stories: dict[Any, str] = {}  # running future -> its story (the slug without "-2")

    def refill() -> None:
        slots = cluster.slots()
        while waiting and running.count() < slots:
            busy = set(stories.values())
            pick = next((j for j in waiting if j[4] not in busy), None)
            if pick is None:  # only copies of running stories wait: after them, from the cache
                return
            waiting.remove(pick)
            submit(*pick[:4])
            stories[next(reversed(futures))] = pick[4]

    done = failed = staged = 0
    t0 = time.perf_counter()
    refill()
    for fut in running:
        identity = futures.pop(fut)
        stories.pop(fut, None)
        try:
            result: Any = fut.result()
            done += 1
            staged += "staged" in result
        except Exception as e:  # the task's own exception, raised again here
            result = e
            failed += 1
        refill()  # before recording: the next task runs while this one's files are written
        on_done(identity, result)
        if not quiet:
            print(
                f"cluster: {done} done, {failed} failed, {len(waiting) + len(futures)} to "
                f"go ({time.perf_counter() - t0:.1f} s)",
                file=sys.stderr,
                flush=True,
            )
    return {"batches": batches_sent, "seconds": time.perf_counter() - t0, "staged": staged}
