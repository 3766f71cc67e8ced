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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from papercast.errors import PapercastError
from papercast.files import write_bytes
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


def _renderer(settings: Any, blobs: dict[str, tuple[Blob, bytes]]) -> Any:
    key = hashlib.sha256(
        repr((settings.identity(), sorted((k, b.sha256) for k, (b, _) in blobs.items()))).encode()
    ).hexdigest()
    if key not in _RENDERERS:
        tune_process()  # a worker process is papercast's too: keep freed blocks (see runtime.py)
        local = _local_settings(settings, blobs)
        # Synthesis threads (of one ONNX thread each) per worker process: the cores this worker
        # may use. A local cluster sets PAPERCAST_SYNTH_THREADS to cores / workers, so one worker
        # on a 2-core machine uses both cores as a plain build does, and two use one each (two
        # threads each would oversubscribe the cores: docs/DECISIONS.md, Dask "Design"). Remote
        # workers default to 1: run `dask worker --nworkers CORES --nthreads 1`, or set it.
        threads = max(1, int(os.environ.get("PAPERCAST_SYNTH_THREADS", "1") or 1))
        _RENDERERS[key] = Renderer(
            local, RunFlags(quiet=True, reuse=False), synth_workers=threads, intra_op_threads=1
        )
    return _RENDERERS[key]


def synth_batch(
    settings: Any, blobs: dict[str, tuple[Blob, bytes]], document: Any, start: int, stop: int
) -> dict[str, tuple[np.ndarray, np.ndarray | None]]:
    """Clips (and their samples per phoneme id) for sentences ``start:stop`` of an article,
    by cache key (a Dask task)."""
    r = _renderer(settings, blobs)
    items = r.script(document)[1][start:stop]
    synth = r.synth
    out = {}
    for clip in synth.stream(items):
        out[synth.key(synth.ids(clip.item.phonemes))] = (clip.samples, clip.id_samples)
    return out


def render_task(
    settings: Any,
    blobs: dict[str, tuple[Blob, bytes]],
    document: Any,
    slug: str,
    *batches: dict[str, tuple[np.ndarray, np.ndarray | None]],
) -> dict[str, Any]:
    """One episode, rendered on a worker; returns its files' bytes and metadata (a Dask task)."""
    r = _renderer(settings, blobs)
    if r.cache is not None:
        for batch in batches:
            for key, (samples, id_samples) in batch.items():
                r.cache.put(key, samples, id_samples)
    tmp = Path(tempfile.mkdtemp(prefix="papercast-task-"))
    try:
        ep = r.render(document, tmp / f"{slug}.mp3")
        files = {p.name: p.read_bytes() for p in (ep.path, *ep.sidecars)}
        return {"files": files, "episode": ep, "worker_pid": os.getpid()}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


class Cluster:
    """A Dask client on an existing scheduler, or on a LocalCluster it starts and stops."""

    def __init__(self, scheduler: str | None = None, workers: int | None = None) -> None:
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
            threads = max(
                1, (os.cpu_count() or 1) // n
            )  # this machine's cores shared among the workers
            self._local = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                env={"PAPERCAST_SYNTH_THREADS": str(threads)},
            )
            self.client = Client(self._local)
        self._blobs: dict[str, Any] = {}

    def ship(self, paths: list[str]) -> dict[str, tuple[Blob, Any]]:
        """Send each file once to every worker, keyed by content; returns path -> (blob, future)."""
        out = {}
        for p in paths:
            data = Path(p).read_bytes()
            blob = Blob(Path(p).name, hashlib.sha256(data).hexdigest())
            if blob.sha256 not in self._blobs:
                self._blobs[blob.sha256] = self.client.scatter(data, broadcast=True, hash=True)
            out[p] = (blob, self._blobs[blob.sha256])
        return out

    def close(self) -> None:
        self.client.close()
        if self._local is not None:
            self._local.close()


def render_all(
    cluster: Cluster,
    settings: Any,
    blobs: dict[str, tuple[Blob, Any]],
    jobs: list[tuple[str, Any, str, int]],
    on_done: Any,
    quiet: bool,
) -> dict[str, Any]:
    """Submit every job (identity, document, slug, sentence count); call ``on_done(identity,
    result or exception)`` as each finishes, in completion order. Returns the timing facts."""
    from dask.distributed import as_completed

    client = cluster.client
    blob_args = {p: (b, fut) for p, (b, fut) in blobs.items()}
    futures = {}
    batches_sent = 0
    for identity, document, slug, n_sentences in jobs:
        batches = []
        if n_sentences > BATCH_SENTENCES:
            for start in range(0, n_sentences, BATCH_SENTENCES):
                batches.append(
                    client.submit(
                        synth_batch,
                        settings,
                        blob_args,
                        document,
                        start,
                        min(n_sentences, start + BATCH_SENTENCES),
                        pure=False,
                    )
                )
                batches_sent += 1
        fut = client.submit(
            render_task,
            settings,
            blob_args,
            document,
            slug,
            *batches,
            pure=False,
            key=f"render-{slug}-{time.time_ns()}",
        )
        futures[fut] = identity
    done = failed = 0
    t0 = time.perf_counter()
    for fut in as_completed(list(futures)):
        identity = futures[fut]
        try:
            result: Any = fut.result()
            done += 1
        except Exception as e:  # the task's own exception, raised again here
            result = e
            failed += 1
        on_done(identity, result)
        if not quiet:
            running = len(futures) - done - failed
            print(
                f"cluster: {done} done, {failed} failed, {running} to go "
                f"({time.perf_counter() - t0:.1f} s)",
                file=sys.stderr,
                flush=True,
            )
    return {"batches": batches_sent, "seconds": time.perf_counter() - t0}
