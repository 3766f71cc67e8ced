"""Feed builds on a Dask LocalCluster on loopback (two worker processes): the same feed as a
local build, and a worker killed mid-build does not lose an episode."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from pathlib import Path

import feedparser
import pytest

from conftest import SAMPLES

pytest.importorskip("dask.distributed", reason="the [dask] extra is not installed")

from papercast.feed.build import build  # noqa: E402
from papercast.feed.check import check  # noqa: E402
from papercast.feed.state import read_episodes  # noqa: E402

TONE = str(Path(__file__).parent / "data" / "tone-voice.onnx")
NAMES = [
    "wire-copper.txt",
    "broadcaster-lagoon.txt",
    "blog-sourdough.txt",
    "newspaper-library.txt",
    "agency-drones.txt",
    "newsletter-tbilisi.txt",
    "broadcaster-lagoon.html",
    "broadcaster-lagoon.md",
]


def folder_with(tmp: Path, name: str, voice: str = TONE) -> Path:
    from papercast.feed.config import init_folder

    folder = tmp / name
    init_folder(folder, "Cluster test")
    from test_feed import _png

    (folder / "cover.png").write_bytes(_png(1400, 1400))
    cfg = (
        (folder / "papercast.toml")
        .read_text(encoding="utf-8")
        .replace('voice = "joe"', f'voice = "{voice}"')
    )
    cfg = cfg.replace('cover = ""', 'cover = "cover.png"')
    (folder / "papercast.toml").write_text(cfg, encoding="utf-8")
    for n in NAMES:
        shutil.copy(SAMPLES / n, folder / "articles" / n)
        os.utime(folder / "articles" / n, (1_795_000_000, 1_795_000_000))
    return folder


def items(folder: Path) -> dict[str, tuple[str, str, int]]:
    d = feedparser.parse((folder / "site" / "feed.xml").read_bytes())
    return {
        e.guid: (e.title, e.enclosures[0].href.rsplit("/", 1)[-1], int(e.itunes_duration))
        for e in d.entries
    }


def test_cluster_build_matches_a_local_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERCAST_CACHE_DIR", str(tmp_path / "cache-local"))
    local = folder_with(tmp_path, "local")
    assert not build(local, quiet=True).failed
    monkeypatch.setenv("PAPERCAST_CACHE_DIR", str(tmp_path / "cache-cluster"))
    remote = folder_with(tmp_path, "cluster")
    report = build(remote, quiet=True, workers=2)
    assert not report.failed and len(report.rendered) == len(NAMES)
    # the local cluster's workers see the site: they staged their files in place (renamed
    # by the client, no bytes sent), and nothing temporary or the probe is left behind
    assert report.handed_over == len(NAMES)
    assert not [p.name for p in (remote / "site" / "episodes").iterdir() if ".papercast-" in p.name]
    a, b = items(local), items(remote)
    assert a.keys() == b.keys()
    for guid in a:
        (ta, fa, da), (tb, fb, db) = a[guid], b[guid]
        assert (ta, fa) == (tb, fb)
        assert abs(da - db) <= max(1, 0.02 * da)
    # Reproducible synthesis: the audio is the same, byte for byte, wherever it was made.
    from papercast.manifest import audio_sha256

    for mp3 in (local / "site" / "episodes").glob("*.mp3"):
        assert audio_sha256(mp3) == audio_sha256(remote / "site" / "episodes" / mp3.name), mp3.name
    assert check(str(remote / "site"))[0] == []
    # The client keeps the state: a rebuild (without a cluster) has nothing to do.
    again = build(remote, quiet=True)
    assert not again.rendered and not again.rerendered and len(again.reused) == len(NAMES)


def test_a_long_article_is_split_into_sentence_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from papercast.feed import distributed

    monkeypatch.setenv("PAPERCAST_CACHE_DIR", str(tmp_path / "cache"))
    folder = folder_with(tmp_path, "long")
    for n in NAMES[1:]:
        (folder / "articles" / n).unlink()
    from papercast.feed import build as build_module

    monkeypatch.setattr(distributed, "BATCH_SENTENCES", 5)
    monkeypatch.setattr(build_module, "LONG_TEXT_CHARS", 0)
    facts: dict[str, object] = {}
    real = distributed.render_all

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        facts.update(real(*args, **kwargs))
        return facts

    monkeypatch.setattr(distributed, "render_all", spy)
    report = build(folder, quiet=True, workers=2)
    assert not report.failed
    state = read_episodes(folder)
    n_sentences = len(next(iter(state.values()))["cues"])
    assert facts["batches"] == -(-n_sentences // 5) >= 2
    assert check(str(folder / "site"))[0] == []


def test_a_worker_killed_mid_build_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Kill one worker process as soon as the first episode is back; Dask reruns its task
    elsewhere."""
    from papercast.feed import distributed

    monkeypatch.setenv("PAPERCAST_CACHE_DIR", str(tmp_path / "cache"))
    folder = folder_with(tmp_path, "kill")
    killed: list[int] = []
    real = distributed.render_all

    def killing(cluster, settings, blobs, jobs, on_done, quiet, **kw):  # type: ignore[no-untyped-def]
        pids = list(cluster.client.run(os.getpid).values())
        assert len(pids) == 2

        def on_first(identity, result):  # type: ignore[no-untyped-def]
            if not killed and not isinstance(result, BaseException):
                victim = next(p for p in pids if p != result["worker_pid"])  # the one still busy
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)
            on_done(identity, result)

        return real(cluster, settings, blobs, jobs, on_first, quiet, **kw)

    monkeypatch.setattr(distributed, "render_all", killing)
    watchdog = threading.Timer(240, lambda: os.kill(os.getpid(), signal.SIGINT))
    watchdog.start()
    try:
        report = build(folder, quiet=True, workers=2)
    finally:
        watchdog.cancel()
    assert killed
    assert not report.failed and len(report.rendered) == len(NAMES)
    d = feedparser.parse((folder / "site" / "feed.xml").read_bytes())
    assert len(d.entries) == len(NAMES)
    assert check(str(folder / "site"))[0] == []
    time.sleep(0.1)
