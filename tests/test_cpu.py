"""cpu.py: the CPU budget (affinity, cgroup v1 and v2 quotas, the override) and the thread plan
made from it; and that a real process pinned to one core plans for one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from papercast.cpu import MAX_RUNS, ThreadPlan, budget, parse_threads, plan, share
from papercast.errors import PapercastError


@pytest.mark.parametrize(
    ("cpus", "want"),
    [
        (1, ThreadPlan(runs=1, intra_op=1, windows=1)),
        (1.5, ThreadPlan(runs=1, intra_op=1, windows=1)),  # the half CPU: the encoder's
        (2, ThreadPlan(runs=2, intra_op=1, windows=2)),
        (3, ThreadPlan(runs=3, intra_op=1, windows=3)),
        (8, ThreadPlan(runs=8, intra_op=1, windows=8)),
        (12, ThreadPlan(runs=8, intra_op=1, windows=8)),
        (16, ThreadPlan(runs=8, intra_op=2, windows=8)),
        (64, ThreadPlan(runs=8, intra_op=8, windows=8)),
    ],
)
def test_the_plan_for_each_budget(cpus: float, want: ThreadPlan) -> None:
    got = plan(cpus)
    assert got == want
    assert got.runs * got.intra_op <= max(1, int(cpus))  # never more ONNX threads than CPUs
    assert got.runs <= MAX_RUNS


def test_workers_share_a_budget() -> None:
    assert share(8, 4) == 2 and share(2, 2) == 1 and share(2, 3) == 1  # at least one each
    assert share(1.5, 1) == 1.5


def _cgroup(tmp_path: Path, lines: str, files: dict[str, str]) -> dict[str, Path]:
    (tmp_path / "proc_cgroup").write_text(lines, encoding="ascii")
    root = tmp_path / "sys"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="ascii")
    root.mkdir(exist_ok=True)
    return {"cgroup_file": tmp_path / "proc_cgroup", "cgroup_root": root}


def test_affinity_is_the_budget_without_a_quota(tmp_path: Path) -> None:
    where = _cgroup(tmp_path, "0::/user.slice\n", {"user.slice/cpu.max": "max 100000\n"})
    b = budget(env={}, affinity={0, 1, 2, 3}, **where)
    assert (b.cpus, b.source) == (4, "affinity: 4 cores")


def test_a_cgroup_v2_quota_of_one_and_a_half_cpus(tmp_path: Path) -> None:
    where = _cgroup(tmp_path, "0::/docker/abc\n", {"docker/abc/cpu.max": "150000 100000\n"})
    b = budget(env={}, affinity=set(range(64)), **where)
    assert b.cpus == 1.5 and "cpu.max 150000 100000" in b.source
    assert plan(b.cpus).runs == 1


def test_the_tightest_quota_of_the_cgroup_and_its_parents_wins(tmp_path: Path) -> None:
    where = _cgroup(
        tmp_path,
        "0::/kubepods/pod1/ctr\n",
        {
            "kubepods/cpu.max": "max 100000",
            "kubepods/pod1/cpu.max": "300000 100000",
            "kubepods/pod1/ctr/cpu.max": "800000 100000",
        },
    )
    assert budget(env={}, affinity=set(range(16)), **where).cpus == 3


def test_a_container_sees_its_cgroup_at_the_root_of_its_mount(tmp_path: Path) -> None:
    # /proc/self/cgroup names the host's path, but inside the container that path is not there
    where = _cgroup(tmp_path, "0::/system.slice/docker-1.scope\n", {"cpu.max": "200000 100000"})
    assert budget(env={}, affinity=set(range(32)), **where).cpus == 2


def test_a_cgroup_v1_cfs_quota(tmp_path: Path) -> None:
    where = _cgroup(
        tmp_path,
        "4:cpu,cpuacct:/docker/abc\n3:memory:/docker/abc\n",
        {
            "cpu,cpuacct/docker/abc/cpu.cfs_quota_us": "250000\n",
            "cpu,cpuacct/docker/abc/cpu.cfs_period_us": "100000\n",
        },
    )
    b = budget(env={}, affinity=set(range(8)), **where)
    assert b.cpus == 2.5 and "cfs_quota_us 250000" in b.source
    assert plan(b.cpus) == ThreadPlan(2, 1, 2)


def test_no_quota_in_v1_is_minus_one(tmp_path: Path) -> None:
    where = _cgroup(
        tmp_path,
        "4:cpu:/\n",
        {"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"},
    )
    assert budget(env={}, affinity={0, 1, 2}, **where).cpus == 3


def test_an_affinity_smaller_than_the_quota_wins(tmp_path: Path) -> None:
    where = _cgroup(tmp_path, "0::/a\n", {"a/cpu.max": "400000 100000"})
    assert budget(env={}, affinity={5}, **where).cpus == 1


def test_the_override_and_the_environment(tmp_path: Path) -> None:
    where = _cgroup(tmp_path, "0::/\n", {})
    assert budget(3, env={"PAPERCAST_THREADS": "5"}, affinity={0}, **where).cpus == 3
    b = budget(env={"PAPERCAST_THREADS": "1.5"}, affinity={0, 1}, **where)
    assert (b.cpus, b.source) == (1.5, "PAPERCAST_THREADS")
    with pytest.raises(PapercastError, match="PAPERCAST_THREADS 'lots': must be a number"):
        budget(env={"PAPERCAST_THREADS": "lots"}, affinity={0}, **where)


@pytest.mark.parametrize("raw", ["0", "-2", "nan", "inf", "1e400", "two", "0.5", "9" * 30])
def test_bad_thread_counts_are_refused(raw: str) -> None:
    with pytest.raises(PapercastError, match="must be a number of CPUs from 1 to 1024"):
        parse_threads(raw, "--threads")


def test_a_damaged_cgroup_file_is_no_quota(tmp_path: Path) -> None:
    where = _cgroup(tmp_path, "garbage\n0::/x\n", {"x/cpu.max": "lots of cpu\n"})
    assert budget(env={}, affinity={0, 1}, **where).cpus == 2


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity on this OS")
def test_a_process_pinned_to_one_core_plans_for_one(tmp_path: Path) -> None:
    tone = str(Path(__file__).parent / "data" / "tone-voice.onnx")
    code = (
        "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))});"
        "from papercast.pipeline import Renderer;"
        "from papercast.settings import EpisodeSettings;"
        f"r = Renderer(EpisodeSettings(voice={tone!r})); s = r.synth;"
        "print(r.budget.cpus, r.plan.runs, r.plan.intra_op, s.workers, s.intra_op_threads)"
    )
    env = {k: v for k, v in os.environ.items() if k != "PAPERCAST_THREADS"}
    env["PAPERCAST_CACHE_DIR"] = str(tmp_path / "cache")
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout.split()
    assert out == ["1.0", "1", "1", "1", "1"]


@pytest.mark.skipif(shutil.which("taskset") is None, reason="taskset (util-linux) not installed")
def test_papercast_voices_says_the_budget_under_taskset() -> None:
    env = {k: v for k, v in os.environ.items() if k != "PAPERCAST_THREADS"}
    r = subprocess.run(
        ["taskset", "-c", "0", sys.executable, "-m", "papercast.cli", "voices"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert r.returncode == 0, r.stderr
    assert "CPU budget 1 CPU (affinity: 1 core); plan: 1 sentence at once" in r.stderr
