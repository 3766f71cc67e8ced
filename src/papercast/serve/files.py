"""The site's files, served the way podcast apps fetch them: GET and HEAD, one byte range
(206, or 416 with the size), If-Range, ETag and Last-Modified with 304, the MIME types
podcast apps and browsers expect; nothing outside the site folder (``..``, encoded or not,
and symlinks that lead out are 404).

Why not Starlette's StaticFiles: it opens, seeks and reads every file in the thread pool,
three hand-overs between the event loop and a worker thread per request. Under 100
downloaders asking for 1,000-byte ranges those hand-overs were most of the event loop's time
(py-spy: 40 % of its samples in the range handler, most of it thread-pool waits), and
every feed.xml request queued behind them. The files here are episodes the server itself
wrote moments ago, so they are in the page cache: ``os.pread`` on the loop costs
microseconds for a range and a fraction of a millisecond per 256 KB chunk of a whole file.
"""

from __future__ import annotations

import json
import mimetypes
import os
import re
import stat
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from starlette.exceptions import HTTPException

CHUNK = 256 * 1024
TYPES = {
    ".mp3": "audio/mpeg",
    ".vtt": "text/vtt; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".srt": "application/x-subrip",
    ".pls": "audio/x-scpls",
    ".m3u": "audio/x-mpegurl",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def etag_of(st: os.stat_result) -> str:
    return f'"{st.st_mtime_ns:x}-{st.st_size:x}"'


def not_modified(headers: dict[str, str], etag: str, mtime: float) -> bool:
    """If-None-Match (any of its tags, or *) and, without it, If-Modified-Since."""
    match = headers.get("if-none-match")
    if match is not None:
        tags = {t.strip().removeprefix("W/") for t in match.split(",")}
        return "*" in tags or etag in tags
    since = headers.get("if-modified-since")
    if since:
        try:
            return int(mtime) <= parsedate_to_datetime(since).timestamp()
        except (TypeError, ValueError):
            return False
    return False


def byte_range(headers: dict[str, str], size: int, etag: str, modified: str) -> Any:
    """None (send the whole file), (start, end) inclusive, or "unsatisfiable". A Range this
    server does not take (several ranges, another unit, bad syntax) is ignored, as RFC 9110
    lets it be; so is one whose If-Range no longer matches the file."""
    given = headers.get("range", "").strip()
    m = _RANGE.fullmatch(given)
    if not m or (not m.group(1) and not m.group(2)):
        return None
    if_range = headers.get("if-range")
    if if_range is not None and if_range.strip() not in (etag, modified):
        return None
    if not m.group(1):  # the last N bytes
        n = int(m.group(2))
        if n == 0:
            return "unsatisfiable"
        return max(0, size - n), size - 1
    start = int(m.group(1))
    end = int(m.group(2)) if m.group(2) else size - 1
    if start >= size or end < start:
        return "unsatisfiable"
    return start, min(end, size - 1)


class Published:
    """The slugs of the episodes in the feed, as the last build wrote them (a JSON list in the
    state folder), read again when the file changes. None when no build has written it yet (a
    site from before it was kept): every episode is served then, as before."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._seen: tuple[int, int] | None = None
        self._slugs: frozenset[str] | None = None

    def slugs(self) -> frozenset[str] | None:
        try:
            st = os.stat(self.path)
        except OSError:
            return None
        if (st.st_mtime_ns, st.st_size) != self._seen:
            try:
                data = json.loads(self.path.read_bytes())
                self._slugs = frozenset(x for x in data if isinstance(x, str))
            except (OSError, ValueError, TypeError):
                self._slugs = frozenset()  # unreadable: serve no episode rather than a held one
            self._seen = (st.st_mtime_ns, st.st_size)
        return self._slugs


class SiteFiles:
    """An ASGI app serving one folder's files (mounted last, under the routes). With
    ``published``, an episode's files (episodes/SLUG.*) are served only when the episode is
    in the feed: one held for an editor, or rendered and not yet published, is 404."""

    def __init__(self, directory: Path, published: Published | None = None) -> None:
        self.directory = directory
        self.published = published

    def resolve(self, path: str) -> Path:
        """The file a URL path names, or HTTPException 404."""
        rel = unquote(path).lstrip("/")
        parts = [p for p in rel.split("/") if p]
        if "\x00" in rel or "\\" in rel or any(p in (".", "..") for p in parts):
            raise HTTPException(404, f"no {path[:80]!r}")
        root = os.path.realpath(self.directory)
        target = os.path.realpath(os.path.join(root, *parts))
        if os.path.commonpath([root, target]) != root:  # a symlink that leads out
            raise HTTPException(404, f"no {path[:80]!r}")
        if os.path.isdir(target):
            target = os.path.join(target, "index.html")
        return Path(target)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        method = scope.get("method", "GET")
        if method not in ("GET", "HEAD"):
            raise HTTPException(405, f"{method} is not allowed here: GET or HEAD")
        path, root = scope.get("path", "/"), scope.get("root_path", "")
        # mounted under a prefix, Starlette keeps the whole path and names the prefix root_path
        target = self.resolve(path[len(root) :] if root and path.startswith(root) else path)
        if (
            self.published is not None
            and target.parent == Path(os.path.realpath(self.directory)) / "episodes"
        ):
            slugs = self.published.slugs()
            if slugs is not None and target.name.split(".", 1)[0] not in slugs:
                raise HTTPException(404, f"no {scope.get('path', '')[:80]!r}")
        try:
            fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            raise HTTPException(404, f"no {scope.get('path', '')[:80]!r}") from None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise HTTPException(404, f"no {scope.get('path', '')[:80]!r}")
            await self._send(fd, st, target, scope, send, method == "HEAD")
        finally:
            os.close(fd)

    async def _send(
        self, fd: int, st: os.stat_result, target: Path, scope: Any, send: Any, head: bool
    ) -> None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        etag = etag_of(st)
        modified = formatdate(st.st_mtime, usegmt=True)
        kind = TYPES.get(target.suffix.lower()) or (
            mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        )
        out = [
            (b"etag", etag.encode()),
            (b"last-modified", modified.encode()),
            (b"accept-ranges", b"bytes"),
        ]
        if not_modified(headers, etag, st.st_mtime):
            await send({"type": "http.response.start", "status": 304, "headers": out})
            await send({"type": "http.response.body", "body": b""})
            return
        size = st.st_size
        span = byte_range(headers, size, etag, modified)
        if span == "unsatisfiable":
            out.append((b"content-range", f"bytes */{size}".encode()))
            out.append((b"content-type", b"application/json"))
            body = b'{"error": "range not satisfiable", "detail": "the file is %d bytes"}' % size
            out.append((b"content-length", str(len(body)).encode()))
            await send({"type": "http.response.start", "status": 416, "headers": out})
            await send({"type": "http.response.body", "body": b"" if head else body})
            return
        start, end = span if span is not None else (0, size - 1)
        length = end - start + 1 if size else 0
        out.append((b"content-type", kind.encode()))
        out.append((b"content-length", str(length).encode()))
        if span is not None:
            out.append((b"content-range", f"bytes {start}-{end}/{size}".encode()))
        status = 206 if span is not None else 200
        await send({"type": "http.response.start", "status": status, "headers": out})
        if head or not length:
            await send({"type": "http.response.body", "body": b""})
            return
        at, left = start, length
        while left > 0:
            data = os.pread(fd, min(CHUNK, left), at)
            if not data:  # the file shrank under us: end the body short (the client sees it)
                break
            at += len(data)
            left -= len(data)
            await send({"type": "http.response.body", "body": data, "more_body": left > 0})
        if left > 0:
            await send({"type": "http.response.body", "body": b""})
