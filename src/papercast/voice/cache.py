"""The clip cache: one file per synthesised sentence, keyed by everything that shapes it.

A key is the sha256 of: the cache format and the version of the code that shapes
audio (``CODE_VERSION``), the voice model's sha256 (memoised by path, size, mtime
and inode, so a copied voice still hits and a replaced one misses), the exact
phoneme ids, the speaker and the synthesis settings.

An entry is ``MAGIC + sha256(payload) + payload``; the payload is the number of
phoneme ids with timings (uint32, 0 when the voice gives none), the samples per id
(int32) and the clip (float32), all little-endian. It is
written to a temporary file and renamed, so a process killed mid-write never
leaves an entry under its final name; one that is truncated or altered anyway
(power loss, a full disk, a bad sector) fails its checksum on read and counts as
missing: never fatal. Reads touch the entry's mtime, and ``prune`` removes the
least recently used entries until the folder fits its bound. Concurrent processes
are safe: each writes its own temporary file, renames are atomic, and a prune
that races a read only costs a re-synthesis.

Folder: ``$PAPERCAST_CACHE_DIR``, else ``$XDG_CACHE_HOME/papercast``, else
``~/.cache/papercast``. Bound: ``$PAPERCAST_CACHE_MAX`` (``500M``, ``4G``; default 2 GB).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from papercast.errors import PapercastError
from papercast.files import remove_quietly, remove_stale_temps, sha256_file, temp_path

CODE_VERSION = "3"  # bump when a change alters the audio a given key produces
MAGIC = b"PCCLIP3\n"
USAGE = "usage.json"  # the folder's total as last scanned, plus writes since (see ClipCache.settle)
SCAN_EVERY_S = 3600.0
DEFAULT_MAX_BYTES = 2 * 1024**3
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.I)


def cache_root() -> Path:
    if os.environ.get("PAPERCAST_CACHE_DIR"):
        return Path(os.environ["PAPERCAST_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "papercast"


def parse_size(text: str) -> int:
    """``"500M"``, ``"4G"``, ``"1.5g"``, ``"123456"`` to bytes."""
    m = _SIZE.match(text)
    if not m:
        raise PapercastError(
            f"cache size {text!r}: give a number of bytes with an optional K, M, G or T"
        )
    return int(float(m.group(1)) * 1024 ** " kmgt".index((m.group(2) or " ").lower()))


def default_max_bytes() -> int:
    env = os.environ.get("PAPERCAST_CACHE_MAX")
    return parse_size(env) if env else DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class CacheInfo:
    folder: Path
    entries: int
    bytes: int
    max_bytes: int


def file_sha256(path: Path, memo_dir: Path | None = None) -> str:
    """sha256 of a (large) file, remembered by path, size, mtime and inode."""
    st = path.stat()
    ident = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{st.st_ino}"
    memo = (memo_dir / "hashes.json") if memo_dir else None
    known: dict[str, str] = {}
    if memo:
        with contextlib.suppress(OSError, ValueError):
            known = json.loads(memo.read_text(encoding="utf-8"))
        if isinstance(known, dict) and isinstance(known.get(ident), str):
            return known[ident]
    digest = sha256_file(path)
    if memo:
        known = {
            k: v
            for k, v in (known if isinstance(known, dict) else {}).items()
            if not k.startswith(f"{path.resolve()}|")
        }
        known[ident] = digest
        write_quietly(memo, json.dumps(known).encode("utf-8"))
    return digest


def write_quietly(target: Path, data: bytes) -> bool:
    """Atomic write that reports failure instead of raising: a cache is only an optimisation."""
    tmp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = temp_path(target)
        tmp.write_bytes(data)
        os.replace(tmp, target)
        return True
    except (OSError, PapercastError):
        return False
    finally:
        if tmp is not None:
            remove_quietly(tmp)


class ClipCache:
    """Verified, bounded, least-recently-used storage of clips (float32 arrays)."""

    def __init__(self, root: Path | None = None, max_bytes: int | None = None) -> None:
        self.root = root or cache_root()
        self.folder = self.root / "clips"
        self.max_bytes = default_max_bytes() if max_bytes is None else max_bytes
        self.writes = 0
        self._unsettled = 0  # bytes written since the last settle()

    def key(self, *parts: object) -> str:
        return hashlib.sha256(repr((CODE_VERSION, *parts)).encode("utf-8")).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.clip"

    def has(self, key: str) -> bool:
        """Whether an entry is stored (not whether it is intact: get() checks that)."""
        return self._path(key).is_file()

    def get(self, key: str) -> tuple[np.ndarray, np.ndarray | None] | None:
        """The clip and its samples per phoneme id (None when not stored), or None on a miss."""
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        try:
            head, digest, payload = (
                data[: len(MAGIC)],
                data[len(MAGIC) : len(MAGIC) + 32],
                data[len(MAGIC) + 32 :],
            )
            if head != MAGIC or len(payload) % 4 or hashlib.sha256(payload).digest() != digest:
                raise ValueError("damaged")
            n = int(np.frombuffer(payload[:4], dtype="<u4")[0])
            if 4 + 4 * n > len(payload):
                raise ValueError("damaged")
            id_samples = (
                np.frombuffer(payload[4 : 4 + 4 * n], dtype="<i4").astype(np.int64) if n else None
            )
            samples = np.frombuffer(payload[4 + 4 * n :], dtype="<f4").astype(np.float32)
        except Exception:  # anything unreadable is a miss, and is removed so it is rewritten
            remove_quietly(path)
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # least recently used pruning goes by mtime
        return samples, id_samples

    def put(self, key: str, samples: np.ndarray, id_samples: np.ndarray | None = None) -> None:
        n = 0 if id_samples is None else len(id_samples)
        payload = (
            np.array([n], dtype="<u4").tobytes()
            + (
                b""
                if id_samples is None
                else np.ascontiguousarray(id_samples, dtype="<i4").tobytes()
            )
            + np.ascontiguousarray(samples, dtype="<f4").tobytes()
        )
        if write_quietly(self._path(key), MAGIC + hashlib.sha256(payload).digest() + payload):
            self.writes += 1
            self._unsettled += len(MAGIC) + 32 + len(payload)

    def settle(self) -> None:
        """After clips were written: prune when the folder may have passed its bound. A prune
        reads every entry's size and age (0.1 s for a small cache, more as it grows: too much
        for every render after a one-name lexicon edit); usage.json keeps the total the last
        scan found plus what was written since, and a scan is due when that passes the bound,
        or an hour after the last one (other processes write too; stale temporary files are
        swept then)."""
        if not self._unsettled:
            return
        written, self._unsettled = self._unsettled, 0
        try:
            doc = json.loads((self.folder / USAGE).read_text(encoding="utf-8"))
            total, scanned = int(doc["bytes"]), float(doc["scanned"])
        except (OSError, ValueError, KeyError, TypeError):
            self.prune()
            return
        if total + written > self.max_bytes or not 0 <= time.time() - scanned < SCAN_EVERY_S:
            self.prune()
        else:
            self._record(total + written, scanned)

    def _record(self, total: int, scanned: float) -> None:
        write_quietly(
            self.folder / USAGE, json.dumps({"bytes": total, "scanned": scanned}).encode("utf-8")
        )

    def _entries(self) -> list[tuple[float, int, Path]]:
        out: list[tuple[float, int, Path]] = []
        if not self.folder.is_dir():
            return out
        remove_stale_temps(self.folder, older_than_s=3600)  # usage.json's
        for sub in self.folder.iterdir():
            if not sub.is_dir():
                continue
            remove_stale_temps(sub, older_than_s=3600)
            for f in sub.iterdir():
                if f.suffix != ".clip":
                    continue
                with contextlib.suppress(OSError):
                    st = f.stat()
                    out.append((st.st_mtime, st.st_size, f))
        return out

    def info(self) -> CacheInfo:
        entries = self._entries()
        return CacheInfo(
            self.folder, len(entries), sum(size for _, size, _ in entries), self.max_bytes
        )

    def prune(self, max_bytes: int | None = None) -> tuple[int, int]:
        """Remove least recently used entries until the folder fits; returns (entries, bytes)
        removed."""
        bound = self.max_bytes if max_bytes is None else max_bytes
        entries = sorted(self._entries())
        total = sum(size for _, size, _ in entries)
        removed = freed = 0
        for _, size, path in entries:
            if total <= bound:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                removed += 1
                freed += size
            total -= size
        self._record(max(0, total), time.time())
        return removed, freed

    def clear(self) -> tuple[int, int]:
        return self.prune(0)
