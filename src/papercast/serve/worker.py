"""The service's renders: one thread that runs the feed's incremental build whenever there is
something to do, off the request path.

Submitted articles live in the state database (``submitted``), beside the published
episodes; a build reads them as sources with the files in articles/ and the configured
feeds, renders what is new or changed, removes what was deleted, and republishes the feed
after every episode. So the queue is the difference between what was submitted and what is
published, and it survives anything: ``kill -9`` mid-render loses only that render, which
the next build (on restart) does again; an episode is recorded once, by its identity.

A build runs when a submission or deletion arrives, when articles/ changes (checked every
2 s), and every ``poll_minutes`` for the feeds (with exponential backoff, jittered, while
they fail). The server holds the feed folder's build lock for as long as it runs, so a
``papercast feed build`` on the same folder is refused, never interleaved.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import random
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from papercast.errors import PapercastError
from papercast.feed.build import MAX_ATTEMPTS, build
from papercast.feed.config import FeedConfig
from papercast.feed.state import STATE_NAME, connect, note_progress
from papercast.runtime import tune_process
from papercast.serve.speech import renderer_for

SCAN_S = 2.0  # how often articles/ is looked at


@dataclass
class Stats:
    builds: int = 0
    rendered: int = 0
    failed: int = 0
    render_seconds: float = 0.0
    speech_seconds: float = 0.0
    failures: dict[str, int] = field(default_factory=dict)  # by kind of failure
    last_error: str = ""


class Worker:
    """The render thread of one feed folder."""

    def __init__(
        self,
        cfg: FeedConfig,
        poll_minutes: float,
        threads: float | None = None,
        scheduler: str | None = None,
        workers: int | None = None,
    ):
        self.scheduler, self.workers = scheduler, workers  # renders on Dask, as feed build
        self.cfg = cfg
        self.folder = cfg.folder
        self.poll_s = max(60.0, poll_minutes * 60)
        self.threads = threads
        self.stats = Stats()
        self.ready = threading.Event()  # the voice is loaded
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="papercast-render", daemon=True)
        self._snapshot: tuple[tuple[str, float, int], ...] = ()
        self._child: Any = None
        self._conn: Any = None
        self.backoff_s = 0.0

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout)
        self.close()

    def _articles(self) -> tuple[tuple[str, float, int], ...]:
        try:
            return tuple(
                sorted(
                    (p.name, p.stat().st_mtime, p.stat().st_size)
                    for p in self.cfg.articles_dir.iterdir()
                    if p.is_file()
                )
            )
        except OSError:
            return ()

    def _run(self) -> None:
        self._preload()
        next_poll = time.monotonic()
        while not self._stop.is_set():
            due = time.monotonic() >= next_poll
            changed = self._articles() != self._snapshot
            if self._wake.is_set() or due or changed:
                self._wake.clear()
                ok = self.build_once()
                if due:
                    # feeds polled on schedule; while they fail, back off (jittered) up to 8x
                    self.backoff_s = 0 if ok else min(8 * self.poll_s, 2 * self.backoff_s or 60)
                    next_poll = time.monotonic() + self.poll_s + self.backoff_s * random.random()
            self._wake.wait(SCAN_S)

    def _preload(self) -> None:
        """Load the voice once before the first request needs it (healthz says ready then);
        the speech API's speed-1 renderer is this one (the renders load theirs in the child)."""
        try:
            renderer = renderer_for(self.cfg, self.threads, "", 100.0)
            renderer.lexicon.validate(renderer.synth.id_map)
        except PapercastError as e:
            self.stats.last_error = str(e)
            print(f"papercast serve: cannot load the voice: {e}", file=sys.stderr, flush=True)
            return
        self.ready.set()

    def build_once(self) -> bool:
        """One incremental build, in the render process; False when something failed."""
        self._snapshot = self._articles()
        t0 = time.perf_counter()
        try:
            report = self._in_child()
        except PapercastError as e:
            self.stats.last_error = str(e)
            self.stats.failures["build"] = self.stats.failures.get("build", 0) + 1
            print(f"papercast serve: build: {e}", file=sys.stderr, flush=True)
            return False
        self.stats.builds += 1
        self.stats.render_seconds += time.perf_counter() - t0
        self.stats.rendered += report["rendered"]
        self.stats.speech_seconds += report.get("speech_s", 0.0)
        self.stats.failed += len(report["failed"])
        for what, why in report["failed"]:
            kind = "fetch" if "http" in what else "article"
            self.stats.failures[kind] = self.stats.failures.get(kind, 0) + 1
            print(f"papercast serve: failed: {what}: {why}", file=sys.stderr, flush=True)
        for w in report["warnings"]:
            print(f"papercast serve: warning: {w}", file=sys.stderr, flush=True)
        return not report["failed"]

    def _in_child(self) -> dict[str, Any]:
        """The build runs in a process of its own, kept between builds (the voice stays
        loaded): in this one its Python work held the interpreter lock the server's requests
        need (p99 of GET /feed.xml 82 ms while rendering). The child dies with this process
        (PR_SET_PDEATHSIG), so a kill -9 of the server never leaves a build running."""
        for attempt in (1, 2):
            if self._child is None or not self._child.is_alive():
                self._start_child()
            assert self._conn is not None
            try:
                self._conn.send("build")
                answer: dict[str, Any] = self._conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                self._child = None  # it died mid-build: once more with a new one
                if attempt == 2:
                    raise PapercastError("the render process died twice") from None
                continue
            if "error" in answer:
                raise PapercastError(answer["error"])
            return answer
        raise AssertionError("unreachable")

    def _start_child(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        parent, child = ctx.Pipe()
        self._conn = parent
        self._child = ctx.Process(
            target=_child_loop,
            args=(child, self.folder, self.threads, self.scheduler, self.workers),
            name="papercast-render",
            daemon=False,  # it may start a local Dask cluster's processes (--workers)
        )
        self._child.start()
        child.close()

    def close(self) -> None:
        if self._child is not None and self._child.is_alive():
            self._child.terminate()
            self._child.join(10)


RENDER_NICE = 10


def _child_loop(
    conn: Any, folder: Path, threads: float | None, scheduler: Any, workers: Any
) -> None:
    """The render process: a build per request from the server, until the pipe closes.
    It runs at a lower priority (nice +RENDER_NICE, inherited by a local Dask cluster's
    workers): on a machine the renders fill, the server's requests come first, and the
    renders still get every cycle the requests leave."""
    _die_with_parent()
    tune_process()
    try:
        os.nice(RENDER_NICE)
    except OSError:
        pass
    progress = _Progress(folder / ".papercast" / STATE_NAME)
    while True:
        try:
            conn.recv()
        except (EOFError, OSError):
            return
        try:
            report = build(
                folder,
                quiet=True,
                threads=threads,
                take_lock=False,
                publish_each=True,
                scheduler=scheduler,
                workers=workers,
                progress=progress,
            )
            made = report.rendered + report.rerendered
            answer: dict[str, Any] = {
                "rendered": len(made),
                "speech_s": _speech_seconds(folder, made),
                "failed": report.failed,
                "warnings": report.warnings,
            }
        except PapercastError as e:
            answer = {"error": str(e)}
        except Exception as e:  # noqa: BLE001 - a bug: one line to the server, which goes on
            answer = {"error": f"{type(e).__name__}: {e}"[:2000]}
        try:
            conn.send(answer)
        except (OSError, BrokenPipeError):
            return


def _speech_seconds(folder: Path, identities: list[str]) -> float:
    """Seconds of speech in these episodes (for the real-time factor in /metrics)."""
    if not identities:
        return 0.0
    db = connect(folder / ".papercast" / STATE_NAME)
    try:
        total = 0.0
        for i in range(0, len(identities), 500):
            part = identities[i : i + 500]
            rows = db.execute(
                "SELECT json_extract(entry, '$.duration_ms') FROM episodes WHERE identity IN "
                f"({','.join('?' * len(part))})",
                part,
            ).fetchall()
            total += sum((ms or 0) / 1000 for (ms,) in rows)
        return total
    finally:
        db.close()


class _Progress:
    """The build's per-sentence progress, written to the state database at most every
    PROGRESS_EVERY_S seconds (and at the first and last sentence) for GET /api/articles."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: Any = None
        self.last = 0.0

    def __call__(self, identity: str, done: int, total: int) -> None:
        now = time.monotonic()
        if 0 < done < total and now - self.last < PROGRESS_EVERY_S:
            return
        self.last = now
        try:
            if self.db is None:
                self.db = connect(self.path)
            note_progress(self.db, identity, done, total)
        except (PapercastError, sqlite3.Error):
            pass  # progress is a courtesy: a busy or read-only database never stops a render


PROGRESS_EVERY_S = 0.5


def _die_with_parent() -> None:
    try:
        libc = ctypes.CDLL(None)
        libc.prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):
        pass
    if os.getppid() == 1:  # the server died before the signal was set
        os._exit(0)


def job_state(
    attempts: int,
    published: dict[str, Any] | None,
    body_sha: str,
    progress: tuple[int, int] | None = None,
    held: str = "",
) -> str:
    """published (this version is in the feed), held (rendered, kept out of the feed for an
    editor: ``held`` says why), failed (it failed MAX_ATTEMPTS times and is
    held until submitted again), rendering (its sentences are being synthesised: ``progress``
    is (done, total) with done < total), queued (waiting, or being retried)."""
    if published is not None and published.get("content_sha256") == body_sha:
        return "held" if held else "published"
    if attempts >= MAX_ATTEMPTS:
        return "failed"
    if progress is not None and progress[0] < progress[1]:
        return "rendering"
    return "queued"
