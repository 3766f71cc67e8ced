"""The clip cache: verified entries, damage is a miss, LRU pruning, the cache command."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from conftest import run_cli
from papercast.voice.cache import ClipCache, parse_size


def _cache(tmp_path: Path, max_bytes: int = 10**9) -> ClipCache:
    return ClipCache(tmp_path / "pc", max_bytes=max_bytes)


def test_round_trip_and_key_depends_on_every_part(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    audio = np.linspace(-1, 1, 1000, dtype=np.float32)
    key = cache.key("model", (1, 2, 3), (None, 1.0, 0.667, 0.8))
    cache.put(key, audio)
    got = cache.get(key)
    assert got is not None and np.array_equal(got[0], audio) and got[1] is None
    cache.put(key, audio, np.array([256, 512, 768]))
    got = cache.get(key)
    assert got is not None and np.array_equal(got[0], audio) and got[1] is not None
    assert got[1].tolist() == [256, 512, 768]
    assert key != cache.key("model", (1, 2, 4), (None, 1.0, 0.667, 0.8))
    assert key != cache.key("model2", (1, 2, 3), (None, 1.0, 0.667, 0.8))
    assert key != cache.key("model", (1, 2, 3), (None, 1.1, 0.667, 0.8))


@pytest.mark.parametrize("damage", ["truncate", "zero", "flip", "empty", "garbage"])
def test_damaged_entry_is_a_miss_and_is_removed(tmp_path: Path, damage: str) -> None:
    cache = _cache(tmp_path)
    key = cache.key("x")
    cache.put(key, np.ones(4000, np.float32) * 0.5)
    path = next(cache.folder.rglob("*.clip"))
    data = path.read_bytes()
    broken = {
        "truncate": data[: len(data) // 2],
        "zero": b"\0" * len(data),
        "empty": b"",
        "flip": data[:-10] + bytes([data[-10] ^ 1]) + data[-9:],
        "garbage": os.urandom(333),
    }[damage]
    path.write_bytes(broken)
    assert cache.get(key) is None
    assert not path.exists()


def test_prune_removes_least_recently_used_first(tmp_path: Path) -> None:
    cache = _cache(tmp_path)
    keys = [cache.key(i) for i in range(5)]
    for i, k in enumerate(keys):
        cache.put(k, np.zeros(1000, np.float32))
        p = next(cache.folder.rglob(f"{k}.clip"))
        os.utime(p, (1000 + i, 1000 + i))
    cache.get(keys[0])  # used now: the newest
    entry = next(cache.folder.rglob(f"{keys[1]}.clip")).stat().st_size
    removed, freed = cache.prune(max_bytes=3 * entry)
    assert (removed, freed) == (2, 2 * entry)
    assert [cache.get(k) is not None for k in keys] == [True, False, False, True, True]


def test_put_into_unwritable_cache_is_silent(tmp_path: Path) -> None:
    (tmp_path / "pc").write_text("a file where the folder should be", encoding="utf-8")
    cache = _cache(tmp_path)
    cache.put(cache.key(1), np.zeros(10, np.float32))
    assert cache.get(cache.key(1)) is None and cache.writes == 0


@pytest.mark.parametrize(
    "text,expected",
    [
        ("500M", 500 * 2**20),
        ("4G", 4 * 2**30),
        ("1.5g", int(1.5 * 2**30)),
        ("123", 123),
        ("2 GiB", 2 * 2**30),
    ],
)
def test_parse_size(text: str, expected: int) -> None:
    assert parse_size(text) == expected


def test_cache_command_info_prune_clear(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERCAST_CACHE_DIR", str(tmp_path / "pc"))
    cache = ClipCache()
    for i in range(3):
        cache.put(cache.key(i), np.zeros(2000, np.float32))
    r = run_cli("cache", "info")
    assert r.code == 0 and "entries: 3" in r.out and str(tmp_path / "pc") in r.out
    r = run_cli("cache", "clear")
    assert r.code == 0 and r.out.startswith("removed 3 entries")
    assert ClipCache().info().entries == 0
    r = run_cli("cache", "prune", "--max", "lots")
    assert r.code == 2 and "cache size 'lots'" in r.err and "Traceback" not in r.err


def test_settle_scans_the_folder_only_when_the_bound_may_be_passed(tmp_path: Path) -> None:
    """After a render, settle() prunes when usage.json's total plus this run's writes passes the
    bound (or the last scan is an hour old), and otherwise only adds the writes to the total."""
    import json

    scans = []

    class Counting(ClipCache):
        def _entries(self):  # type: ignore[no-untyped-def]
            scans.append(1)
            return super()._entries()

    clip = np.zeros(1000, np.float32)  # 4,000 bytes of samples per entry, plus header
    cache = Counting(tmp_path, max_bytes=12_500)
    size = lambda: json.loads((tmp_path / "clips" / "usage.json").read_text())  # noqa: E731
    cache.put(cache.key(1), clip)
    cache.settle()  # no usage.json yet: a scan
    assert len(scans) == 1 and 4000 < size()["bytes"] < 4200
    cache.put(cache.key(2), clip)
    cache.settle()  # 8 KB <= 12.5 KB: counted, not scanned
    assert len(scans) == 1 and 8000 < size()["bytes"] < 8400
    cache.settle()  # nothing written since: nothing to do
    assert len(scans) == 1
    for k in (3, 4):
        cache.put(cache.key(k), clip)
    cache.settle()  # 16 KB > 12.5 KB: scanned and pruned to the bound, least recently used first
    assert len(scans) == 2
    assert [cache.get(cache.key(k)) is not None for k in (1, 2, 3, 4)] == [False, True, True, True]
    assert 12_500 - 4200 < size()["bytes"] <= 12_500
    doc = size()
    (tmp_path / "clips" / "usage.json").write_text(
        json.dumps({**doc, "scanned": doc["scanned"] - 3700})
    )
    cache.put(cache.key(5), np.zeros(10, np.float32))
    cache.settle()  # the last scan is over an hour old: scanned again
    assert len(scans) == 3
