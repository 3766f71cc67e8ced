"""Shared fixtures: the tone test voice, the shared eval data and the seed article."""

from __future__ import annotations

import os
import subprocess
import sys
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
    """Tests never read or write the user's clip cache."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@dataclass
class Run:
    code: int
    out: str
    err: str


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
