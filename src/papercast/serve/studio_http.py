"""The studio's routes: its page (one HTML file, one script, one style sheet, all in the
package: nothing from elsewhere) and its JSON and audio API under /studio/api/.

  GET  /studio/                       the page (the review list, an episode, the lexicon)
  POST /studio/login                  {"token"}: a cookie for the browser (when a token is set)
  GET  /studio/api/episodes           every episode: held or published, why, flagged names
  GET  /studio/api/episode?id=        the spoken script, each name marked flagged or covered
  POST /studio/api/review             {"id", "decision": approve | hold, "who", "note"}
  GET  /studio/api/sentence.wav?id=&n=[&word=&respell=|&ipa=]   a sentence (cached clip)
  GET  /studio/api/word.wav?word=[&plain=1][&respell=|&ipa=]    a name alone
  GET  /studio/api/compare?word=      espeak's reading and the lexicon's
  POST /studio/api/preview            {"word", "respell" | "ipa"}: the IPA, or why not
  GET  /studio/api/lexicon[?q=]       the entries, with sources, notes and ETags
  PUT  /studio/api/lexicon            {"word", "respell" | "ipa", "note", "who"}, If-Match
  POST /studio/api/lexicon/import     a PLS document; GET /studio/api/lexicon/export
  POST /studio/api/lexicon/test       ``papercast lexicon test`` on the feed's lexicons
  GET  /studio/api/files/SLUG.*       an episode's files (its read-along page), held or not

Audio answers carry the phonemes sent to Piper in ``X-Phonemes`` (JSON, ASCII-escaped).
"""

from __future__ import annotations

import hmac
import json
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from papercast.serve.speech import json_object, string_field
from papercast.serve.studio import Studio, StudioError

ASSETS = Path(__file__).resolve().parent / "assets"
COOKIE = "papercast_token"
_ASSET_TYPES = {
    "studio.html": "text/html; charset=utf-8",
    "studio.js": "text/javascript; charset=utf-8",
    "studio.css": "text/css; charset=utf-8",
}
_SECURITY = {
    # the page loads nothing from elsewhere, and nothing else may frame it
    "Content-Security-Policy": "default-src 'self'; media-src 'self' blob:; "
    "img-src 'self' data:; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}


def studio_routes(service: Any, read_body: Any) -> list[Route]:
    studio = Studio(service)
    service.studio = studio

    async def call(fn: Any, *args: Any) -> Any:
        try:
            return await run_in_threadpool(fn, *args)
        except StudioError as e:
            kinds = {404: "not found", 409: "conflict", 422: "invalid request",
                     428: "precondition required"}  # fmt: skip
            body = {"error": kinds.get(e.status, "error"), "detail": str(e), **e.extra}
            raise _Answer(JSONResponse(body, status_code=e.status)) from None

    async def guarded(handler: Any, request: Request) -> Response:
        try:
            return await handler(request)  # type: ignore[no-any-return]
        except _Answer as a:
            return a.response

    def wav(data: bytes, phonemes: list[str]) -> Response:
        return Response(
            data,
            media_type="audio/wav",
            headers={"X-Phonemes": json.dumps(phonemes), "Cache-Control": "no-store"},
        )

    def override(q: Any) -> Any:
        word, ipa, respell = q.get("word", ""), q.get("ipa", ""), q.get("respell", "")
        if not word or not (ipa or respell):
            return None
        return studio.reading(word, ipa, respell)

    async def page(request: Request) -> Response:
        name = request.path_params.get("name", "studio.html")
        if name not in _ASSET_TYPES:
            raise HTTPException(404, f"no {name[:80]!r}")
        data = (ASSETS / name).read_bytes()
        return Response(data, media_type=_ASSET_TYPES[name], headers=_SECURITY)

    async def login(request: Request) -> Response:
        doc = json_object(await read_body(request))
        token = string_field(doc, "token", 500)
        if not service.token:
            return JSONResponse({"ok": True, "detail": "no token is needed here"})
        if not hmac.compare_digest(token.encode(), service.token.encode()):
            return JSONResponse(
                {"error": "unauthorised", "detail": "that is not the token"}, status_code=401
            )
        response = JSONResponse({"ok": True})
        response.set_cookie(
            COOKIE, token, httponly=True, samesite="strict", path="/studio", max_age=86400 * 30
        )
        return response

    async def episodes(request: Request) -> Response:
        return JSONResponse({"episodes": await call(studio.episodes)})

    async def episode(request: Request) -> Response:
        return JSONResponse(await call(studio.episode, request.query_params.get("id", "")))

    async def review(request: Request) -> Response:
        doc = json_object(await read_body(request))
        f = string_field
        args = (f(doc, "id", 1000), f(doc, "decision", 20), f(doc, "who", 200), f(doc, "note"))
        return JSONResponse(await call(studio.review, *args))

    async def sentence_wav(request: Request) -> Response:
        q = request.query_params
        n = q.get("n", "")
        if not n.isdigit():
            raise HTTPException(422, "n: the sentence's number")

        def make() -> tuple[bytes, list[str]]:
            return studio.sentence_audio(q.get("id", ""), int(n), override(q))

        return wav(*await call(make))

    async def word_wav(request: Request) -> Response:
        q = request.query_params

        def make() -> tuple[bytes, list[str]]:
            return studio.word_audio(q.get("word", ""), override(q), q.get("plain") == "1")

        return wav(*await call(make))

    async def compare(request: Request) -> Response:
        word = request.query_params.get("word", "").strip()
        if not word or len(word) > 200:
            raise HTTPException(422, "word: 1 to 200 characters")
        return JSONResponse(await call(studio.compare, word))

    async def preview(request: Request) -> Response:
        doc = json_object(await read_body(request))
        word, ipa, respell = (
            string_field(doc, "word", 200),
            string_field(doc, "ipa", 400),
            string_field(doc, "respell", 400),
        )

        def make() -> dict[str, Any]:
            entry = studio.reading(word, ipa, respell)
            _, phonemes = studio.word_audio(word, entry, plain=False)
            return {"word": entry.word, "ipa": entry.ipa, "phonemes": phonemes,
                    "warnings": studio.warnings(entry)}  # fmt: skip

        return JSONResponse(await call(make))

    async def lexicon(request: Request) -> Response:
        if request.method == "GET":
            found = await call(studio.entries, request.query_params.get("q", ""))
            return JSONResponse({"entries": found})
        doc = json_object(await read_body(request))
        f = string_field
        args = (f(doc, "word", 200), f(doc, "ipa", 400), f(doc, "respell", 400),
                f(doc, "note", 4000), request.headers.get("if-match", ""),
                f(doc, "who", 200))  # fmt: skip
        saved = await call(studio.save, *args)
        return JSONResponse(saved, headers={"ETag": saved["entry"]["etag"]})

    async def import_pls(request: Request) -> Response:
        data = await read_body(request)
        who = request.query_params.get("who", "")
        return JSONResponse(await call(studio.import_pls, data, who))

    async def export_pls(request: Request) -> Response:
        text = await call(studio.export_pls)
        return Response(
            text,
            media_type="application/pls+xml",
            headers={"Content-Disposition": 'attachment; filename="lexicon.pls"'},
        )

    async def run_test(request: Request) -> Response:
        return JSONResponse(await call(studio.test))

    async def to_studio(request: Request) -> Response:
        return RedirectResponse("/studio/", status_code=308)

    def r(path: str, handler: Any, methods: list[str] | None = None) -> Route:
        async def endpoint(request: Request) -> Response:
            return await guarded(handler, request)

        return Route(path, endpoint, methods=methods or ["GET"])

    return [
        Route("/studio", to_studio),
        r("/studio/", page),
        r("/studio/{name}", page),
        r("/studio/login", login, ["POST"]),
        r("/studio/api/episodes", episodes),
        r("/studio/api/episode", episode),
        r("/studio/api/review", review, ["POST"]),
        r("/studio/api/sentence.wav", sentence_wav),
        r("/studio/api/word.wav", word_wav),
        r("/studio/api/compare", compare),
        r("/studio/api/preview", preview, ["POST"]),
        r("/studio/api/lexicon", lexicon, ["GET", "PUT"]),
        r("/studio/api/lexicon/import", import_pls, ["POST"]),
        r("/studio/api/lexicon/export", export_pls),
        r("/studio/api/lexicon/test", run_test, ["POST"]),
    ]


class _Answer(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response
