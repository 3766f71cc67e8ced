"""Writing files so that nothing is ever half-written.

Every output goes to a temporary file beside its target and is renamed into
place only when it is complete. Temporary names are recognisable
(``.NAME.papercast-XXXX.tmp``), so a later run removes the ones a killed
process left behind once they are old enough not to belong to a live run.
Several outputs of one command are published together (``publish_all``).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from papercast.errors import PapercastError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TEMP_MARK = ".papercast-"
TEMP_SUFFIX = ".tmp"
STALE_AFTER_S = 6 * 3600  # a temp file this old belongs to no live run


def os_message(path: Path | str, e: OSError) -> str:
    """One line a user can act on for an OS error while writing ``path``."""
    reason = "disk full" if e.errno == errno.ENOSPC else (e.strerror or str(e))
    return f"{path}: cannot write: {reason}"


COVER_MAX_BYTES = 10 * 1024 * 1024  # Apple's own limit is 512 KB; 10 MB leaves room, no more


def read_regular(path: Path | str, limit: int, what: str) -> bytes:
    """The bytes of ``path``, which must be a regular file of at most ``limit`` bytes (a
    device such as /dev/zero, a FIFO or a folder is refused before any read; the read itself
    is bounded, in case the file grows meanwhile)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            raise PapercastError(f"{path}: {what} must be a regular file")
        if st.st_size > limit:
            raise PapercastError(f"{path}: {what} is {st.st_size} bytes; the limit is {limit}")
        with open(path, "rb") as f:
            data = f.read(limit + 1)
    except OSError as e:
        raise PapercastError(f"{path}: cannot read {what}: {e.strerror}") from e
    if len(data) > limit:
        raise PapercastError(f"{path}: {what} is over the {limit}-byte limit")
    return data


def toml_document(
    text: str, path: Path | str, error: type[PapercastError] = PapercastError
) -> dict:  # type: ignore[type-arg]
    """``text`` parsed as TOML, or ``error`` naming ``path``: invalid TOML, or nested so deep
    that the parser's recursion gives out (a 200,000-deep file)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise error(f"{path}: invalid TOML: {e}") from e
    except RecursionError:
        raise error(f"{path}: invalid TOML: nested too deeply") from None


def temp_path(target: Path) -> Path:
    """A new, empty temporary file beside ``target`` (mode 0600 until published)."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise PapercastError(f"{target}: output folder {folder} does not exist")
    try:
        fd, name = tempfile.mkstemp(
            prefix=f".{target.name[:80]}{TEMP_MARK}", suffix=TEMP_SUFFIX, dir=folder
        )
    except OSError as e:
        raise PapercastError(f"{target}: cannot write to {folder}: {e.strerror}") from e
    os.close(fd)
    return Path(name)


def publish(tmp: Path, target: Path) -> None:
    """Give ``tmp`` ordinary permissions and rename it onto ``target``."""
    umask = os.umask(0)
    os.umask(umask)
    try:
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except OSError as e:
        raise PapercastError(os_message(target, e)) from e


def remove_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``; renamed to ``target`` only on success."""
    tmp = temp_path(target)
    try:
        yield tmp
        publish(tmp, target)
    except OSError as e:
        raise PapercastError(os_message(target, e)) from e
    finally:
        remove_quietly(tmp)


class Staging:
    """Temporary files for several outputs, published together or not at all."""

    def __init__(self) -> None:
        self._pairs: list[tuple[Path, Path]] = []

    def path_for(self, target: Path) -> Path:
        tmp = temp_path(target)
        self._pairs.append((tmp, target))
        return tmp

    def adopt(self, tmp: Path, target: Path) -> None:
        """A temporary file someone else wrote beside ``target`` (a worker on this machine),
        published with the others. Refused unless it is one of papercast's temporary files
        in ``target``'s own folder."""
        if (
            tmp.parent.resolve() != target.parent.resolve()
            or not tmp.name.startswith(f".{target.name[:80]}{TEMP_MARK}")
            or not tmp.name.endswith(TEMP_SUFFIX)
            or not tmp.is_file()
            or tmp.is_symlink()
        ):
            raise PapercastError(f"{target}: the worker's file {tmp.name!r} is not there")
        self._pairs.append((tmp, target))

    def publish_all(self) -> None:
        """Rename every staged file into place. The MP3 goes last, so a reader that sees
        the episode sees its sidecars too."""
        try:
            for tmp, target in sorted(self._pairs, key=lambda p: p[1].suffix == ".mp3"):
                publish(tmp, target)
        finally:
            self.discard()

    def discard(self) -> None:
        for tmp, _ in self._pairs:
            remove_quietly(tmp)
        self._pairs = []


def write_text(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def remove_stale_temps(
    folder: Path, now: float | None = None, older_than_s: float = STALE_AFTER_S
) -> list[Path]:
    """Delete temporary files a killed run left in ``folder``; return what was removed."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        candidates = list(folder.glob(f".*{TEMP_MARK}*{TEMP_SUFFIX}"))
    except OSError:
        return removed
    for p in candidates:
        try:
            if now - p.stat().st_mtime > older_than_s:
                p.unlink()
                removed.append(p)
        except OSError:
            continue
    return removed


def sha256_file(path: Path, skip: int = 0) -> str:
    """sha256 of a file from byte ``skip`` on, read a megabyte at a time."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        f.seek(skip)
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
