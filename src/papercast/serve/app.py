"""The service's HTTP side: a Starlette application (run by uvicorn; docs/DECISIONS.md says
why these two).

  GET  /healthz                  ready once the voice is loaded (503 before)
  GET  /metrics                  Prometheus text: queue depth, jobs by state, renders, failures
  GET  /openapi.json             this API, described
  POST /api/articles             {"url"} or {"html" | "text" | "markdown"}, optional "id", "title",
                                 "date", "link"; or a raw body with Content-Type text/html,
                                 text/plain or text/markdown (id etc. as query parameters)
  GET  /api/articles[/{id}]      state (queued / published / held / failed), the error, episode
                                 URLs (a held one's: the studio's copy, behind its token)
  DELETE /api/articles/{id}      the episode leaves the feed
  POST /api/hooks/publish        a CMS webhook: {"url", "id", "action": publish | update |
                                 unpublish | delete}, signed: X-Papercast-Signature:
                                 sha256=HMAC-SHA256(secret, body) in hex
  POST /v1/audio/speech          OpenAI's speech API (speech.py); GET /v1/models
  GET  /...                      the site: feed.xml, index.html, episodes/ (HEAD, ranges, 304)

Errors are JSON ``{"error", "detail"}`` with their status, never a traceback; one JSON log
line per request goes to stderr.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import sys
import time
import uuid
from email.utils import format_datetime, formatdate, parsedate_to_datetime
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route

from papercast.errors import PapercastError
from papercast.feed.config import FeedConfig
from papercast.feed.review import waiting
from papercast.feed.sources import rfc2822
from papercast.feed.state import PUBLISHED_FILE, State, connect, latest_reviews
from papercast.fetch import fetch, kind_of
from papercast.markup import web_url
from papercast.serve import openapi as api_document
from papercast.serve.files import Published, SiteFiles, etag_of, not_modified
from papercast.serve.speech import FORMATS as _AUDIO
from papercast.serve.speech import json_object, models, speech, string_field
from papercast.serve.studio_http import COOKIE, studio_routes
from papercast.serve.worker import Worker, job_state
from papercast.voice.profiles import voice_spec

BODY_LIMIT = 8 * 1024 * 1024
KINDS = {"html": "html", "text": "text", "markdown": "markdown", "ssml": "ssml"}
RAW_TYPES = {"text/html": "html", "text/plain": "text", "text/markdown": "markdown",
             "application/ssml+xml": "ssml"}  # fmt: skip


class Service:
    """What the routes share: the feed, its database, the render worker, the secrets."""

    def __init__(
        self,
        cfg: FeedConfig,
        worker: Worker,
        token: str = "",
        webhook_secret: str = "",
        max_queue: int = 1000,
    ) -> None:
        self.cfg = cfg
        self.worker = worker
        self.token = token
        self.webhook_secret = webhook_secret
        self.max_queue = max_queue
        self.studio: Any = None  # set by studio_routes
        self.site = cfg.folder / "site"
        self.state_dir = cfg.folder / ".papercast"
        self.site.mkdir(parents=True, exist_ok=True)
        State(self.state_dir).close()  # the schema (and a migration) before the first request

    def db(self) -> Any:
        return connect(self.state_dir / "state.sqlite")

    # -- the queue ------------------------------------------------------------------------
    def submit(
        self,
        identity: str,
        body: bytes,
        kind: str,
        title: str,
        date: str,
        link: str,
        voice: str = "",
    ) -> str:
        db = self.db()
        try:
            with db:
                depth = db.execute("SELECT count(*) FROM submitted").fetchone()[0]
                exists = db.execute(
                    "SELECT 1 FROM submitted WHERE identity = ?", (identity,)
                ).fetchone()
                if not exists and depth - self._published(db) >= self.max_queue:
                    raise _Full()
                db.execute(
                    "INSERT INTO submitted (identity, body, kind, title, date, link, created, "
                    "voice) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(identity) DO UPDATE SET "
                    "body = excluded.body, kind = excluded.kind, title = excluded.title, "
                    "date = excluded.date, link = excluded.link, voice = excluded.voice, "
                    "attempts = 0, error = ''",
                    (identity, body, kind, title, date, link, time.time(), voice),
                )
                db.execute("DELETE FROM progress WHERE identity = ?", (identity,))
        finally:
            db.close()
        self.worker.wake()
        return identity

    def _published(self, db: Any) -> int:
        return int(
            db.execute(
                "SELECT count(*) FROM submitted s JOIN episodes e ON e.identity = s.identity"
            ).fetchone()[0]
        )

    def jobs(self, identity: str | None = None) -> list[dict[str, Any]]:
        db = self.db()
        try:
            # only the submitted articles' episodes (a feed may hold thousands of others)
            rows = db.execute(
                "SELECT s.identity, s.body, s.title, s.attempts, s.error, e.entry, p.done, "
                "p.total FROM submitted s LEFT JOIN episodes e ON e.identity = s.identity "
                "LEFT JOIN progress p ON p.identity = s.identity"
                + (" WHERE s.identity = ?" if identity is not None else " ORDER BY s.created"),
                (identity,) if identity is not None else (),
            ).fetchall()
            reviews = latest_reviews(db)
        finally:
            db.close()
        out = []
        for ident, body, title, attempts, error, raw, n_done, n_total in rows:
            entry = json.loads(raw) if raw else None
            done = (n_done, n_total) if n_total is not None else None
            why = waiting(entry, self.cfg.serve.review, reviews.get(ident)) if entry else ""
            state = job_state(attempts, entry, hashlib.sha256(body).hexdigest(), done, why)
            job: dict[str, Any] = {"id": ident, "state": state, "title": title}
            if state == "held" and entry is not None:
                job["held"] = why
                job["flagged"] = entry.get("flagged", [])
            if state in ("published", "held") and entry is not None:
                n = done[1] if done is not None else len(entry.get("cues", ()))
                job["progress"] = {"sentences_done": n, "sentences": n}
            elif done is not None and state == "rendering":
                job["progress"] = {"sentences_done": done[0], "sentences": done[1]}
            if error:
                job["error"] = error
                job["attempts"] = attempts
            if entry is not None:
                base = f"{self.cfg.base_url}episodes/{entry['slug']}"
                if state == "held":  # not served to the public: the studio's copy, behind its token
                    base = f"/studio/api/files/{entry['slug']}"
                job["episode"] = {
                    "guid": entry["guid"],
                    "title": entry["title"],
                    "mp3": f"{base}.mp3",
                    "vtt": f"{base}.vtt",
                    "transcript": f"{base}.transcript.json",
                    "page": f"{base}.html",
                    "duration_s": entry["duration_s"],
                    "length_bytes": entry["length_bytes"],
                    "synthesised": entry.get("synthesised", 0),
                    "up_to_date": state == "published",
                }
            out.append(job)
        return out

    def delete(self, identity: str) -> bool:
        db = self.db()
        try:
            with db:
                gone = db.execute("DELETE FROM submitted WHERE identity = ?", (identity,)).rowcount
                db.execute("DELETE FROM progress WHERE identity = ?", (identity,))
        finally:
            db.close()
        self.worker.wake()
        return bool(gone)

    def counts(self) -> dict[str, int]:
        counts = {"queued": 0, "rendering": 0, "held": 0, "published": 0, "failed": 0}
        for job in self.jobs():
            counts[job["state"]] = counts.get(job["state"], 0) + 1
        return counts


_KINDS = {
    400: "bad request",
    401: "unauthorised",
    404: "not found",
    405: "method not allowed",
    413: "body too large",
    415: "unsupported media type",
    422: "invalid request",
    429: "queue full",
}


class _Full(Exception):
    pass


def _error(status: int, error: str, detail: str, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse({"error": error, "detail": detail}, status_code=status, headers=headers)


def _authorised(service: Service, request: Request) -> bool:
    """The token, as ``Authorization: Bearer`` or (the studio's browser) its cookie."""
    if not service.token:
        return True
    given = request.headers.get("authorization", "")
    scheme, _, value = given.partition(" ")
    if scheme.lower() != "bearer":
        value = request.cookies.get(COOKIE, "") if request.url.path.startswith("/studio/") else ""
    return bool(value) and hmac.compare_digest(value.strip().encode(), service.token.encode())


async def _body(request: Request) -> bytes:
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > BODY_LIMIT:
        raise HTTPException(413, f"the body is {length} bytes; the limit is {BODY_LIMIT}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > BODY_LIMIT:
            raise HTTPException(413, f"the body is over the {BODY_LIMIT}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


UPLOAD_KINDS = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown",
                ".txt": "text", ".text": "text", ".ssml": "ssml"}  # fmt: skip


async def _upload(request: Request, raw: bytes) -> dict[str, Any]:
    """A multipart/form-data upload (an HTML form's or ``curl -F file=@story.html``): the
    article in the field "file" (its kind from its type or name), and the optional text
    fields of a JSON submission (id, title, date, link)."""

    async def replay() -> dict[str, Any]:  # the body was read (and its size checked) already
        return {"type": "http.request", "body": raw, "more_body": False}

    try:
        form = await Request(request.scope, replay).form(
            max_files=1, max_fields=20, max_part_size=BODY_LIMIT
        )
    except HTTPException as e:
        raise HTTPException(422, f"upload: {e.detail}") from None
    except Exception as e:  # noqa: BLE001 - the parser's own errors, for a malformed body
        why = f"upload: not a readable multipart body ({type(e).__name__})"
        raise HTTPException(422, why) from None
    doc: dict[str, Any] = {}
    for key in ("id", "guid", "title", "date", "link", "voice", "speaker"):
        value = form.get(key)
        if value is not None:
            if not isinstance(value, str):
                raise HTTPException(422, f"{key}: must be a text field, not a file")
            doc[key] = value
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise HTTPException(422, 'file: send the article as the file field "file"')
    data = await upload.read()
    await form.close()
    ctype = (upload.content_type or "").split(";")[0].strip().lower()
    suffix = Path(upload.filename or "").suffix.lower()
    kind = RAW_TYPES.get(ctype) or UPLOAD_KINDS.get(suffix)
    if kind is None:
        raise HTTPException(
            415, f"file: {upload.filename or 'the upload'!r} ({ctype or 'no type'}) is not "
            "HTML, Markdown, SSML or plain text"
        )  # fmt: skip
    try:
        doc[kind] = data.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(422, "file: not UTF-8 text") from None
    if not doc[kind].strip():
        raise HTTPException(422, "file: the upload is empty")
    return doc


def _date(value: str) -> str:
    if not value:
        return ""

    out = rfc2822(value)
    if not out:
        try:
            out = format_datetime(parsedate_to_datetime(value))
        except (TypeError, ValueError):
            raise HTTPException(422, f"date: {value[:60]!r} is not a date") from None
    return out


async def _article(service: Service, doc: dict[str, Any]) -> dict[str, Any]:
    """A submission from a JSON document: the article's bytes and what was said of it."""
    url = string_field(doc, "url")
    given = [k for k in ("url", *KINDS) if doc.get(k)]
    if len(given) != 1:
        raise HTTPException(422, 'give exactly one of "url", "html", "text", "markdown", "ssml"')
    identity = string_field(doc, "id", 1000) or string_field(doc, "guid", 1000)
    title, link = string_field(doc, "title", 500), string_field(doc, "link")
    if url:
        if web_url(url) is None:
            raise HTTPException(400, f"url: {url[:200]!r} is not an http(s) URL")
        try:
            got = await run_in_threadpool(fetch, url, policy=service.cfg.fetch_policy)
        except PapercastError as e:
            raise HTTPException(400, f"url: {e}") from None
        body, kind = got.body, kind_of(got.content_type, got.body)
        identity = identity or url
        link = link or url
    else:
        kind = given[0]
        text = string_field(doc, kind, BODY_LIMIT)
        body = text.encode("utf-8")
        identity = identity or f"urn:uuid:{uuid.uuid4()}"
    if link and web_url(link) is None:
        raise HTTPException(422, "link: must be an http(s) URL")
    voice, speaker = string_field(doc, "voice", 200), string_field(doc, "speaker", 100)
    if "/" in voice or "\\" in voice or voice.endswith((".onnx", ".toml")):
        raise HTTPException(422, "voice: name a voice profile or an installed voice, not a path")
    if voice or speaker:
        try:
            spec = await run_in_threadpool(voice_spec, voice, speaker, service.cfg.episode.voice)
        except PapercastError as e:
            raise HTTPException(422, f"voice: {e}") from None
    else:
        spec = ""
    return {
        "identity": identity,
        "body": body,
        "kind": KINDS.get(kind, "text"),
        "title": title,
        "date": _date(string_field(doc, "date", 100)),
        "link": link,
        "voice": spec,
    }


def _accepted(service: Service, sub: dict[str, Any]) -> Response:
    try:
        identity = service.submit(**sub)
    except _Full:
        return _error(
            429, "queue full", f"{service.max_queue} articles wait", {"Retry-After": "30"}
        )
    job = service.jobs(identity)[0]
    return JSONResponse(job, status_code=202, headers={"Location": f"/api/articles/{identity}"})


def make_app(service: Service) -> Starlette:
    async def healthz(request: Request) -> Response:
        ready = service.worker.ready.is_set()
        return JSONResponse(
            {"ready": ready, "error": service.worker.stats.last_error or None},
            status_code=200 if ready else 503,
        )

    async def metrics(request: Request) -> Response:
        st = service.worker.stats
        counts = await run_in_threadpool(service.counts)
        rtf = st.speech_seconds / st.render_seconds if st.render_seconds else 0.0
        lines = [
            "# HELP papercast_queue_depth Submitted articles not yet published.",
            "# TYPE papercast_queue_depth gauge",
            f"papercast_queue_depth {counts['queued'] + counts['rendering']}",
            "# HELP papercast_jobs Submitted articles by state.",
            "# TYPE papercast_jobs gauge",
            *(f'papercast_jobs{{state="{k}"}} {v}' for k, v in sorted(counts.items())),
            "# HELP papercast_builds_total Incremental builds run.",
            "# TYPE papercast_builds_total counter",
            f"papercast_builds_total {st.builds}",
            "# HELP papercast_episodes_rendered_total Episodes rendered.",
            "# TYPE papercast_episodes_rendered_total counter",
            f"papercast_episodes_rendered_total {st.rendered}",
            "# HELP papercast_render_seconds_total Seconds spent in builds.",
            "# TYPE papercast_render_seconds_total counter",
            f"papercast_render_seconds_total {st.render_seconds:.3f}",
            "# HELP papercast_speech_seconds_total Seconds of speech in the episodes rendered.",
            "# TYPE papercast_speech_seconds_total counter",
            f"papercast_speech_seconds_total {st.speech_seconds:.3f}",
            "# HELP papercast_real_time_factor Seconds of speech per second of building.",
            "# TYPE papercast_real_time_factor gauge",
            f"papercast_real_time_factor {rtf:.3f}",
            "# HELP papercast_failures_total Failures by kind.",
            "# TYPE papercast_failures_total counter",
            *(
                f'papercast_failures_total{{kind="{k}"}} {v}'
                for k, v in sorted(st.failures.items())
            ),
        ]
        return PlainTextResponse("\n".join(lines) + "\n", media_type="text/plain; version=0.0.4")

    async def post_article(request: Request) -> Response:
        raw = await _body(request)
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype in RAW_TYPES:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise HTTPException(422, "body: not UTF-8 text") from None
            doc = {RAW_TYPES[ctype]: text, **dict(request.query_params)}
        elif ctype in ("application/json", ""):
            doc = json_object(raw)
        elif ctype == "multipart/form-data":
            doc = await _upload(request, raw)
        else:
            raise HTTPException(
                415,
                f"Content-Type {ctype!r}: send JSON, text/html, text/plain, text/markdown, "
                "application/ssml+xml or a multipart/form-data upload",
            )
        return _accepted(service, await _article(service, doc))

    # Reading the state is a millisecond of SQLite on the event loop; sent to the thread pool,
    # it queued behind the file reads of every download (p50 86 ms under 100 downloaders).
    async def list_articles(request: Request) -> Response:
        return JSONResponse({"articles": service.jobs()})

    async def get_article(request: Request) -> Response:
        found = service.jobs(request.path_params["id"])
        if not found:
            raise HTTPException(404, f"no article {request.path_params['id']!r}")
        return JSONResponse(found[0])

    async def delete_article(request: Request) -> Response:
        identity = request.path_params["id"]
        if not await run_in_threadpool(service.delete, identity):
            raise HTTPException(404, f"no article {identity!r}")
        return JSONResponse({"id": identity, "state": "deleted"}, status_code=202)

    async def hook(request: Request) -> Response:
        raw = await _body(request)
        if not service.webhook_secret:
            raise HTTPException(404, "webhooks are off: set PAPERCAST_WEBHOOK_SECRET")
        sent = request.headers.get("x-papercast-signature", "")
        want = (
            "sha256=" + hmac.new(service.webhook_secret.encode(), raw, hashlib.sha256).hexdigest()
        )
        if not hmac.compare_digest(sent.encode(), want.encode()):
            return _error(401, "bad signature", "X-Papercast-Signature does not match the body")
        doc = json_object(raw)
        action = string_field(doc, "action") or "publish"
        if action in ("unpublish", "delete"):
            identity = string_field(doc, "id") or string_field(doc, "url")
            if not identity:
                raise HTTPException(422, 'id: give the "id" or "url" of the post')
            found = await run_in_threadpool(service.delete, identity)
            return JSONResponse({"id": identity, "state": "deleted" if found else "unknown"})
        if action not in ("publish", "update"):
            raise HTTPException(422, f"action: {action[:40]!r} is not publish, update, "
                                "unpublish or delete")  # fmt: skip
        doc.pop("action", None)
        return _accepted(service, await _article(service, doc))

    async def openapi(request: Request) -> Response:

        return JSONResponse(api_document.document())

    async def v1_speech(request: Request) -> Response:
        return await speech(service, request, await _body(request))

    async def v1_models(request: Request) -> Response:
        return JSONResponse(models())

    async def page(request: Request) -> Response:
        """feed.xml and the index pages, read whole through one open file: they are replaced
        (renamed over) after every episode, and a file response that takes its length from
        one stat and its bytes from a later open sent a length the new file did not have."""
        path = request.url.path.rsplit("/", 1)[-1] or "index.html"
        name = "feed.xml" if path == "feed.xml" else path
        if not re.fullmatch(r"feed\.xml|index\.html|page-\d{1,6}\.html", name):
            raise HTTPException(404, f"no {name[:80]!r}")
        try:
            with open(service.site / name, "rb") as f:
                st = os.fstat(f.fileno())
                data = f.read()
        except OSError:
            raise HTTPException(404, f"no {name} yet") from None
        etag = etag_of(st)
        headers = {
            "ETag": etag,
            "Last-Modified": formatdate(st.st_mtime, usegmt=True),
            "Cache-Control": "no-cache",
        }
        if not_modified(dict(request.headers), etag, st.st_mtime):
            return Response(status_code=304, headers=headers)
        kind = "application/xml" if name.endswith(".xml") else "text/html; charset=utf-8"
        return Response(data, media_type=kind, headers=headers)

    routes = [
        Route("/healthz", healthz),
        Route("/metrics", metrics),
        Route("/openapi.json", openapi),
        Route("/api/articles", post_article, methods=["POST"]),
        Route("/api/articles", list_articles, methods=["GET"]),
        Route("/api/articles/{id:path}", get_article, methods=["GET"]),
        Route("/api/articles/{id:path}", delete_article, methods=["DELETE"]),
        Route("/api/hooks/publish", hook, methods=["POST"]),
        Route("/v1/audio/speech", v1_speech, methods=["POST"]),
        Route("/v1/models", v1_models, methods=["GET"]),
        Route("/", page),
        Route("/feed.xml", page),
        Route("/index.html", page),
        Route("/page-{number:int}.html", page),
        *studio_routes(service, _body),
        # an episode's files for the studio's editors, held or not (behind the studio's token,
        # as every /studio/api/ path is); the site below serves published episodes' only
        Mount("/studio/api/files", app=SiteFiles(service.site / "episodes")),
        Mount("/", app=SiteFiles(service.site, Published(service.state_dir / PUBLISHED_FILE))),
    ]

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        kind = _KINDS.get(exc.status_code, "error")
        return _error(exc.status_code, kind, str(exc.detail))

    async def crash(request: Request, exc: Exception) -> Response:
        print(
            json.dumps({"event": "error", "path": request.url.path, "error": repr(exc)[:500]}),
            file=sys.stderr,
            flush=True,
        )
        return _error(500, "internal error", type(exc).__name__)

    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: http_error, Exception: crash},
    )
    # text compressed for clients that ask (feed.xml of 5,000 items is megabytes); audio and
    # images are compressed already, and a range must stay a range of the file
    app.add_middleware(
        GZipMiddleware,
        minimum_size=2048,
        exclude_content_types=(
            "text/event-stream",
            *_AUDIO.values(),
            "image/png",
            "image/jpeg",
        ),
    )
    app.add_middleware(_Guard, service=service)
    return app


class _Guard:
    """Token check for the API (when the service has a token), and one log line per request."""

    def __init__(self, app: Any, service: Service) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        t0 = time.perf_counter()
        status = [0]

        async def record(message: Any) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        guarded = (
            path.startswith(("/api/", "/v1/", "/metrics", "/studio/api/"))
            and path != "/api/hooks/publish"
        )
        if guarded and not _authorised(self.service, Request(scope)):
            response = _error(401, "unauthorised", "send Authorization: Bearer TOKEN")
            await response(scope, receive, record)
        else:
            await self.app(scope, receive, record)
        print(
            json.dumps(
                {
                    "method": scope.get("method"),
                    "path": path[:300],
                    "status": status[0],
                    "ms": round((time.perf_counter() - t0) * 1000, 1),
                }
            ),
            file=sys.stderr,
            flush=True,
        )


__all__ = ["Service", "make_app", "Path"]
