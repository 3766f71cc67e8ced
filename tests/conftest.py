"""Shared fixtures: the tone test voice, the shared eval data and the seed article."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seeds" / "belarus-prisoners.txt"
EVAL = SHARED / "eval"
SAMPLES = ROOT / "samples"
TONE_VOICE = DATA / "tone-voice.onnx"


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """``-n auto``: one test process per CPU of this process's budget (affinity and cgroup
    quota, as papercast reads it), not per core the machine has."""
    import math

    from papercast.cpu import budget

    return max(1, math.floor(budget().cpus + 1e-9))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The files whose tests use the real voice (marked slow) first, the rest in their order:
    with a file per test process, the longest file started last would leave one process
    finishing it alone while the others idle."""
    slow_files = {item.path for item in items if item.get_closest_marker("slow")}
    items.sort(key=lambda item: item.path not in slow_files)  # stable: order kept otherwise


@pytest.fixture
def tone_voice() -> str:
    return str(TONE_VOICE)


@pytest.fixture
def seed_path() -> Path:
    if not SEED.is_file():
        pytest.skip(
            f"seed article not found at {SEED} (it lives in the shared folder beside the repo)"
        )
    return SEED


@pytest.fixture
def eval_dir() -> Path:
    if not (EVAL / "sbd-golden-en.json").is_file():
        pytest.skip(f"shared eval data not found at {EVAL}")
    return EVAL


@pytest.fixture(autouse=True)
def _isolated_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tests never read or write the user's clip cache, nor one an earlier test named: a test
    that points PAPERCAST_CACHE_DIR at its own folder has it undone when it ends."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("PAPERCAST_CACHE_DIR", "")  # remembered as it was, to be put back
    monkeypatch.delenv("PAPERCAST_CACHE_DIR")


@dataclass
class Run:
    code: int
    out: str
    err: str


def quickest(work: Callable[[], object], repeats: int = 3) -> float:
    """The quickest of ``repeats`` runs of ``work``, in seconds: one pause of the machine is
    no say. Hostile-input tests compare two of these made in the same process, never one
    against a clock."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


def run_cli(*args: str, cwd: Path | None = None, stdin: bytes = b"") -> Run:
    """Run the CLI as a user would: a separate process, real exit status and streams."""
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    p = subprocess.run(
        [sys.executable, "-m", "papercast.cli", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        env=env,
        timeout=600,
        check=False,
    )
    return Run(
        p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    )


@dataclass
class StaticServer:
    """``python -m http.server`` over a folder, on loopback, as a subprocess."""

    url: str
    process: subprocess.Popen[str]

    def requests(self) -> list[str]:
        """The request lines the server has logged so far (it logs each to stderr)."""
        self.process.terminate()
        _, err = self.process.communicate(timeout=30)
        return [line for line in err.splitlines() if '"GET ' in line or '"HEAD ' in line]


def start_static_server(folder: Path) -> StaticServer:
    """Start the server on a free port and wait for it to say where it listens."""
    p = subprocess.Popen(
        [
            sys.executable,
            "-u",
            "-m",
            "http.server",
            "0",
            "--bind",
            "127.0.0.1",
            "--directory",
            str(folder),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert p.stdout is not None
    line = p.stdout.readline()  # "Serving HTTP on 127.0.0.1 port N (http://127.0.0.1:N/) ..."
    port = int(line.split(" port ")[1].split()[0])
    return StaticServer(f"http://127.0.0.1:{port}", p)


# Debian's Chromium headless, quiet on a closed network (no background connections), with its
# own empty profile; the tests add what the page needs (file access, a time budget, a dump).
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def chromium(browser: str, profile: Path, *args: str) -> list[str]:
    """The command line for one headless Chromium run."""
    return [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]


def audio_sheet_report(page: Path, profile: Path) -> list[dict[str, object]]:
    """Each audio element of a sheet (lexicon or voice audition) as headless Chromium loads it:
    its src, duration and error code (the page reports them when opened as ``#check``). Skips
    the test when Chromium is not installed."""
    import json
    import shutil

    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip(
            "headless Chromium not installed (Debian package 'chromium'; .ci/run installs it)"
        )
    dom = subprocess.run(
        chromium(
            browser,
            profile,
            "--autoplay-policy=no-user-gesture-required",
            "--allow-file-access-from-files",
            "--virtual-time-budget=15000",
            "--dump-dom",
            page.as_uri() + "#check",
        ),  # fmt: skip
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    ).stdout
    start = dom.index('<pre id="check-result">') + len('<pre id="check-result">')
    return list(json.loads(dom[start : dom.index("</pre>", start)]))
