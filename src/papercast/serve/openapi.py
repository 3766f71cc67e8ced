"""The service's OpenAPI 3.1 document (served at /openapi.json), written out by hand: eight
routes do not need a framework to describe them."""

from __future__ import annotations

import sys
from typing import Any

_ERROR = {"$ref": "#/components/schemas/Error"}
_JOB = {"$ref": "#/components/schemas/Article"}


def _responses(ok: str, schema: Any, *errors: int) -> dict[str, Any]:
    out: dict[str, Any] = {
        ok: {"description": "ok", "content": {"application/json": {"schema": schema}}}
    }
    for code in errors:
        out[str(code)] = {
            "description": "error",
            "content": {"application/json": {"schema": _ERROR}},
        }
    return out


def document() -> dict[str, Any]:
    version = getattr(sys.modules.get("papercast"), "__version__", "")  # the package root
    submission = {
        "type": "object",
        "properties": {
            "url": {"type": "string", "format": "uri"},
            "html": {"type": "string"},
            "text": {"type": "string"},
            "markdown": {"type": "string"},
            "ssml": {"type": "string", "description": "SSML 1.1, read as a .ssml file is"},
            "voice": {
                "type": "string",
                "description": "this article's voice (default: the feed's)",
            },
            "speaker": {"type": "string", "description": "a speaker of that voice, name or number"},
            "id": {"type": "string", "description": "identity; the same id again is an edit"},
            "title": {"type": "string"},
            "date": {"type": "string"},
            "link": {"type": "string", "format": "uri"},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {"title": "papercast serve", "version": version},
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "properties": {"error": {"type": "string"}, "detail": {"type": "string"}},
                    "required": ["error", "detail"],
                },
                "Article": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "state": {"enum": ["queued", "rendering", "held", "published", "failed"]},
                        "held": {"type": "string"},
                        "flagged": {"type": "array"},
                        "title": {"type": "string"},
                        "progress": {
                            "type": "object",
                            "properties": {
                                "sentences_done": {"type": "integer"},
                                "sentences": {"type": "integer"},
                            },
                        },
                        "error": {"type": "string"},
                        "episode": {"type": "object"},
                    },
                },
                "Submission": submission,
            },
        },
        "security": [{"token": []}],
        "paths": {
            "/api/articles": {
                "post": {
                    "summary": "submit an article (by URL or body); the same id is an edit",
                    "requestBody": {"content": {"application/json": {"schema": submission}}},
                    "responses": _responses("202", _JOB, 400, 401, 413, 415, 422, 429),
                },
                "get": {
                    "summary": "every submitted article and its state",
                    "responses": _responses("200", {"type": "object"}, 401),
                },
            },
            "/api/articles/{id}": {
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "get": {"summary": "one article", "responses": _responses("200", _JOB, 401, 404)},
                "delete": {
                    "summary": "the episode leaves the feed",
                    "responses": _responses("202", {"type": "object"}, 401, 404),
                },
            },
            "/api/hooks/publish": {
                "post": {
                    "summary": "a CMS webhook, signed with X-Papercast-Signature: sha256=HMAC",
                    "responses": _responses("202", _JOB, 401, 422),
                }
            },
            "/v1/audio/speech": {
                "post": {
                    "summary": "OpenAI-compatible speech, streamed sentence by sentence",
                    "responses": {"200": {"description": "audio/mpeg, audio/wav or audio/pcm"}},
                }
            },
            "/v1/models": {
                "get": {"summary": "the models", "responses": _responses("200", {"type": "object"})}
            },
            "/healthz": {"get": {"summary": "ready once the voice is loaded", "security": []}},
            "/metrics": {"get": {"summary": "Prometheus text format"}},
        },
    }
