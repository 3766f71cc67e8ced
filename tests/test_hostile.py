"""Hostile and mistaken invocations through the real CLI: exit status, one line on stderr with
no traceback, and exactly which files exist afterwards (compared with before)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import SAMPLES, run_cli

TONE = str(Path(__file__).parent / "data" / "tone-voice.onnx")
ARTICLE = (SAMPLES / "wire-copper.txt").read_text(encoding="utf-8")


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def one_clear_line(err: str) -> bool:
    lines = [x for x in err.strip().splitlines() if x.strip()]
    return len(lines) == 1 and lines[0].startswith("papercast: ") and "Traceback" not in err


@pytest.mark.parametrize("args,says", [
    (["a.txt", "-o", "a.txt"], "would overwrite the input a.txt"),
    (["a.txt", "-o", "x.vtt", "--transcript", "vtt"], "MP3 and a sidecar would be the same file"),
    (["a.txt", "-o", "a.mp3", "--transcript", "vtt,txt"], "unknown transcript format 'txt'"),
    (["a.txt", "-o", "a.mp3", "--target-lufs", "nan"], "--target-lufs nan: must be a number from -30 to -5"),
    (["a.txt", "-o", "a.mp3", "--target-lufs", "inf"], "--target-lufs inf"),
    (["a.txt", "-o", "a.mp3", "--target-lufs", "50"], "--target-lufs 50.0"),
    (["a.txt", "-o", "a.mp3", "--target-lufs", "-70"], "--target-lufs -70.0"),
    (["a.txt", "-o", "a.mp3", "--ceiling-dbtp", "-60"], "--ceiling-dbtp -60.0: must be a number from -9 to 0"),
    (["a.txt", "-o", "a.mp3", "--ceiling-dbtp", "10"], "--ceiling-dbtp 10.0"),
    (["a.txt", "-o", "a.mp3", "--bitrate", "65"], "MP3 bitrate must be one of"),
    (["a.txt", "-o", "nowhere/a.mp3"], "output folder nowhere does not exist"),
    (["a.txt", "-o", "a.mp3", "--lexicon", "a.mp3"], "would overwrite the input a.mp3"),
    (["empty.txt", "-o", "a.mp3"], "empty.txt"),
    (["missing.txt", "-o", "a.mp3"], "missing.txt"),
])
def test_refused_before_any_work_and_nothing_written(tmp_path: Path, args: list[str], says: str) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    before = files(tmp_path)
    t0 = time.perf_counter()
    r = run_cli("speak", *args, "--voice", TONE, cwd=tmp_path)
    assert r.code == 2, r.err
    assert one_clear_line(r.err), r.err
    assert says in r.err
    assert files(tmp_path) == before
    assert time.perf_counter() - t0 < 5  # refused up front, not after synthesis


def test_lexicon_say_refuses_an_empty_phrase_and_limits_the_file_name(tmp_path: Path) -> None:
    r = run_cli("lexicon", "say", "  ", "--voice", TONE, cwd=tmp_path)
    assert r.code == 2 and one_clear_line(r.err) and "empty" in r.err
    long = "Bialiatski " * 30
    r = run_cli("lexicon", "say", long, "--voice", TONE, cwd=tmp_path)
    assert r.code == 0, r.err
    [made] = [p.name for p in tmp_path.iterdir()]
    assert made.endswith(".mp3") and len(made) <= 64


def test_sigterm_mid_render_leaves_no_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE * 20, encoding="utf-8")
    p = subprocess.Popen([sys.executable, "-m", "papercast.cli", "speak", "a.txt", "-o", "a.mp3", "--no-cache",
                          "--transcript", "vtt"], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline and not any(".papercast-" in x.name for x in tmp_path.iterdir()):
        time.sleep(0.05)
    assert any(".papercast-" in x.name for x in tmp_path.iterdir()), "the render never started writing"
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 143 and "terminated; no output written" in err.decode()
    assert sorted(x.name for x in tmp_path.iterdir()) == ["a.txt"]


def test_stale_temp_of_a_killed_run_is_removed_and_fresh_one_kept(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    stale = tmp_path / ".a.mp3.papercast-abc123.tmp"
    fresh = tmp_path / ".b.mp3.papercast-def456.tmp"
    stale.write_bytes(b"half an mp3")
    fresh.write_bytes(b"another run, still going")
    old = time.time() - 7 * 3600
    os.utime(stale, (old, old))
    r = run_cli("speak", "a.txt", "-o", "a.mp3", "--voice", TONE, "-q", cwd=tmp_path)
    assert r.code == 0, r.err
    assert sorted(x.name for x in tmp_path.iterdir()) == [fresh.name, "a.mp3", "a.txt"]


def test_zero_byte_cache_entries_are_not_fatal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setenv("PAPERCAST_CACHE_DIR", str(tmp_path / "cache"))
    assert run_cli("speak", "a.txt", "-o", "a.mp3", "--voice", TONE, "-q", cwd=tmp_path).code == 0
    entries = list((tmp_path / "cache").rglob("*.clip"))
    assert entries
    for e in entries:
        e.write_bytes(b"")  # power loss
    r = run_cli("speak", "a.txt", "-o", "a.mp3", "--voice", TONE, "--force", cwd=tmp_path)
    assert r.code == 0 and "Traceback" not in r.err
    assert f"({len(entries)} synthesised)" in r.err
