"""Many machines for real: a Dask scheduler and two workers, each in a network namespace of
its own, joined to this one by veth pairs on a bridge (``ip netns``, as root). The workers
start in an empty folder and cannot see the feed folder (a tmpfs is mounted over it in their
mount namespace): everything they need travels over the network. The build must complete
and equal a plain local build of the same folder, episode by episode: the same audio
samples, the same captions, transcripts, chapters and pages byte for byte.

Skipped, with the reason, where namespaces cannot be made (not root, no iproute2, a
container without CAP_NET_ADMIN).
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import SAMPLES, TONE_VOICE

pytest.importorskip("distributed")

SUBNET = "10.213.{}.{}"


def _ip(*args: str, ns: str | None = None, check: bool = True) -> subprocess.CompletedProcess[str]:
    cmd = ["ip", *(["netns", "exec", ns, "ip"] if ns else []), *args]
    return subprocess.run(cmd, capture_output=True, text=True, check=check)


def _can_make_namespaces() -> str:
    """ "" when this process can make network namespaces, else why not."""
    if os.geteuid() != 0:
        return "needs root (CI runs the tests as root)"
    for tool in ("ip", "unshare", "mount"):
        if shutil.which(tool) is None:
            return f"needs {tool} (iproute2 / util-linux)"
    probe = f"pcprobe{secrets.token_hex(3)}"
    made = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True)
    if made.returncode != 0:
        return f"cannot make a network namespace here: {made.stderr.strip()}"
    try:
        target = Path(f"/tmp/{probe}")
        target.mkdir()
        mounted = subprocess.run(
            ["ip", "netns", "exec", probe, "unshare", "--mount", "--propagation", "private",
             "mount", "-t", "tmpfs", "none", str(target)],
            capture_output=True, text=True,
        )  # fmt: skip
        target.rmdir()
        if mounted.returncode != 0:
            return f"cannot mount a tmpfs in a mount namespace here: {mounted.stderr.strip()}"
    finally:
        subprocess.run(["ip", "netns", "del", probe], capture_output=True)
    return ""


class Net:
    """A bridge here and one namespace per host, each on a veth pair to the bridge."""

    def __init__(self) -> None:
        tag = secrets.token_hex(2)
        self.tag = tag
        self.octet = int(tag, 16) % 200 + 20
        self.bridge = f"pcbr{tag}"
        self.spaces: list[str] = []
        self.links: list[str] = []
        _ip("link", "add", self.bridge, "type", "bridge")
        _ip("addr", "add", f"{self.address(1)}/24", "dev", self.bridge)
        _ip("link", "set", self.bridge, "up")

    def address(self, host: int) -> str:
        return SUBNET.format(self.octet, host)

    def host(self, name: str, number: int) -> str:
        ns = f"pc{self.tag}{name}"
        outside, inside = f"pc{self.tag}{name}h", f"pc{self.tag}{name}n"
        subprocess.run(["ip", "netns", "add", ns], check=True, capture_output=True)
        self.spaces.append(ns)
        _ip("link", "add", outside, "type", "veth", "peer", "name", inside)
        self.links.append(outside)
        _ip("link", "set", inside, "netns", ns)
        _ip("link", "set", outside, "master", self.bridge)
        _ip("link", "set", outside, "up")
        _ip("addr", "add", f"{self.address(number)}/24", "dev", inside, ns=ns)
        _ip("link", "set", inside, "up", ns=ns)
        _ip("link", "set", "lo", "up", ns=ns)
        return ns

    def close(self) -> None:
        for link in self.links:
            _ip("link", "del", link, check=False)
        for ns in self.spaces:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
        _ip("link", "del", self.bridge, check=False)


@pytest.fixture
def net() -> Iterator[Net]:
    why = _can_make_namespaces()
    if why:
        pytest.skip(why)
    n = Net()
    try:
        yield n
    finally:
        n.close()


def _feed(folder: Path) -> Path:
    from conftest import run_cli

    assert run_cli("feed", "init", str(folder)).code == 0
    cfg = (folder / "papercast.toml").read_text(encoding="utf-8")
    (folder / "papercast.toml").write_text(
        cfg.replace('voice = "joe"', f'voice = "{TONE_VOICE}"'), encoding="utf-8"
    )
    for name in ("wire-copper.txt", "agency-drones.txt", "broadcaster-lagoon.html"):
        shutil.copy(SAMPLES / name, folder / "articles" / name)
    return folder


def _hashes(site: Path) -> dict[str, str]:
    """Each episode file's sha256; for an MP3, of its decoded samples (soundfile) and its
    title tag (mutagen): its ID3 manifest names the folder it was built from, which differs."""
    import mutagen
    import soundfile

    out = {}
    for p in sorted((site / "episodes").iterdir()):
        if p.suffix == ".mp3":
            samples, rate = soundfile.read(p, dtype="int16")
            tags = mutagen.File(p)
            title = str(tags.tags.get("TIT2")) if tags is not None and tags.tags else ""
            data = samples.tobytes() + f"{rate}|{title}".encode()
        else:
            data = p.read_bytes()
        out[p.name] = hashlib.sha256(data).hexdigest()
    return out


def _wait_for(proc: subprocess.Popen[str], marker: str, log: list[str]) -> None:
    """Read the process's output until ``marker`` (an event, not a clock)."""
    assert proc.stdout is not None
    for line in proc.stdout:
        log.append(line)
        if marker in line:
            return
    raise AssertionError(f"ended before {marker!r}:\n{''.join(log)[-3000:]}")


def test_a_build_on_workers_in_other_network_namespaces_equals_a_local_build(
    net: Net, tmp_path: Path
) -> None:
    hidden = tmp_path / "newsroom"  # the feed's folder: the workers must not see it
    folder = _feed(hidden / "show")
    local = _feed(tmp_path / "local" / "show")
    scheduler_ns = net.host("s", 2)
    workers = [net.host("a", 3), net.host("b", 4)]
    sched = net.address(2)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PAPERCAST_", "DASK_"))}
    procs: list[subprocess.Popen[str]] = []
    log: list[str] = []
    try:
        scheduler = subprocess.Popen(
            ["ip", "netns", "exec", scheduler_ns, sys.executable, "-m",
             "distributed.cli.dask_scheduler", "--host", sched, "--port", "8786",
             "--dashboard-address", ":0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
        )  # fmt: skip
        procs.append(scheduler)
        _wait_for(scheduler, "Scheduler at:", log)
        caches = []
        for i, ns in enumerate(workers):
            home = tmp_path / f"host-{i}"
            (home / "work").mkdir(parents=True)
            caches.append(home / "cache")
            # its own mount namespace: an empty tmpfs over the newsroom folder, then the worker
            script = (
                f"mount -t tmpfs none {hidden} && "
                f"test ! -e {folder / 'papercast.toml'} && "
                f"cd {home / 'work'} && "
                f"exec {sys.executable} -m distributed.cli.dask_worker tcp://{sched}:8786 "
                f"--host {net.address(3 + i)} --nworkers 1 --nthreads 1 --no-nanny "
                "--dashboard-address :0"
            )
            w = subprocess.Popen(
                ["ip", "netns", "exec", ns, "unshare", "--mount", "--propagation", "private",
                 "sh", "-c", script],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                env=dict(env, PAPERCAST_CACHE_DIR=str(caches[-1]), HOME=str(home)),
            )  # fmt: skip
            procs.append(w)
            _wait_for(w, "Registered to", log)
        r = subprocess.run(
            [sys.executable, "-m", "papercast.cli", "feed", "build", str(folder),
             "--scheduler", f"tcp://{sched}:8786", "-q"],
            capture_output=True, text=True, env=dict(env, PAPERCAST_CACHE_DIR=str(tmp_path / "c")),
        )  # fmt: skip
        assert r.returncode == 0, r.stderr[-3000:]
        plain = subprocess.run(
            [sys.executable, "-m", "papercast.cli", "feed", "build", str(local), "-q"],
            capture_output=True, text=True, env=dict(env, PAPERCAST_CACHE_DIR=str(tmp_path / "p")),
        )  # fmt: skip
        assert plain.returncode == 0, plain.stderr[-3000:]
        got, want = _hashes(folder / "site"), _hashes(local / "site")
        assert len([n for n in got if n.endswith(".mp3")]) == 3
        assert got == want  # every MP3's audio and title, every sidecar byte for byte
        # both workers synthesised (each keeps its own clip cache), neither could read the feed
        for cache in caches:
            assert any(cache.rglob("*.clip")), cache
    finally:
        for p in reversed(procs):
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
