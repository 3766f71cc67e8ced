"""OpenAI's speech API on papercast: ``POST /v1/audio/speech`` and ``GET /v1/models``.

The input goes through papercast's own text pipeline (sentences, the news normaliser, the
feed's lexicons and voice), then is synthesised sentence by sentence and streamed: the first
sentence's audio is sent while the rest are still being made. ``response_format``: mp3
(LAME, 64 kbit/s), wav (16-bit PCM at the voice's rate; the header's sizes say "unknown",
as a stream must), pcm (raw 16-bit little-endian mono at 24 kHz, what OpenAI sends).
``speed`` (0.25-4) is the speaking rate: the voice's length scale divided by it. ``voice``
names a papercast voice profile; OpenAI's names (alloy, echo ...) mean the feed's voice.
"""

from __future__ import annotations

import json
import math
import struct
import sys
import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import lameenc
import numpy as np
import soxr
from starlette.concurrency import iterate_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from papercast.errors import PapercastError
from papercast.feed.build import _settings
from papercast.pipeline import Renderer, RunFlags
from papercast.text.script import sentences_of
from papercast.types import Article, Section
from papercast.voice.profiles import list_profiles

MAX_INPUT = 4096
FORMATS = {"mp3": "audio/mpeg", "wav": "audio/wav", "pcm": "audio/pcm"}
PAUSE_S = 0.35  # between sentences
PCM_RATE = 24_000
_RENDERERS: dict[tuple[str, float], Any] = {}
_LOCK = threading.Lock()


def models() -> dict[str, Any]:
    names = ["papercast", "tts-1", "tts-1-hd", *(p.name for p in list_profiles())]
    return {
        "object": "list",
        "data": [{"id": n, "object": "model", "owned_by": "papercast"} for n in names],
    }


def renderer_for(cfg: Any, threads: float | None, voice: str, rate: float) -> Any:
    """The feed's renderer for ``voice`` (a profile name, else the feed's) at ``rate``, made
    once per process and kept (the service loads the speed-1 one before it is ready)."""
    settings = _settings(cfg)
    if voice in {p.name for p in list_profiles()}:
        settings = replace(settings, voice=voice)
    settings = replace(settings, rate=rate)
    key = (str(settings.voice), rate)
    with _LOCK:
        if key not in _RENDERERS:
            _RENDERERS[key] = Renderer(settings, RunFlags(quiet=True, threads=threads))
        return _RENDERERS[key]


def phonemes_for(renderer: Any, text: str) -> list[Any]:
    """The sentences of ``text`` with their phonemes, as papercast speaks them."""

    paragraphs = tuple(p.strip() for p in text.split("\n\n") if p.strip())
    article = Article(title="", sections=(Section("", paragraphs),), source="input")
    sentences = sentences_of(article, date_order=renderer.settings.date_order)
    return renderer._phonemize(sentences, renderer.lexicon)  # type: ignore[no-any-return]


def json_object(body: bytes) -> dict[str, Any]:
    """A request body that must be a JSON object, or 422 saying what it is instead."""
    try:
        doc = json.loads(body)
    except (ValueError, RecursionError) as e:
        raise HTTPException(422, f"body: not valid JSON ({e})") from None
    if not isinstance(doc, dict):
        raise HTTPException(422, "body: must be a JSON object")
    return doc


def string_field(doc: dict[str, Any], key: str, limit: int = 2000) -> str:
    """A request's optional string field ("" when absent), or 422 naming it."""
    value = doc.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str):
        raise HTTPException(422, f"{key}: must be a string")
    if len(value) > limit:
        raise HTTPException(422, f"{key}: at most {limit} characters")
    return value


async def speech(service: Any, request: Request, raw: bytes) -> Response:
    doc = json_object(raw)
    text = doc.get("input")
    if not isinstance(text, str) or not text.strip():
        raise HTTPException(422, "input: give the text to speak")
    if len(text) > MAX_INPUT:
        raise HTTPException(422, f"input: {len(text)} characters; at most {MAX_INPUT}")
    fmt = doc.get("response_format", "mp3")
    if fmt not in FORMATS:
        raise HTTPException(
            422, f"response_format: {str(fmt)[:20]!r} is not one of {', '.join(FORMATS)}"
        )
    speed = doc.get("speed", 1.0)
    if (
        isinstance(speed, bool)
        or not isinstance(speed, (int, float))
        or not math.isfinite(speed)
        or not 0.25 <= speed <= 4
    ):
        raise HTTPException(422, "speed: must be a number from 0.25 to 4")
    voice = doc.get("voice", "")
    if not isinstance(voice, str):
        raise HTTPException(422, "voice: must be a string")
    try:
        renderer = renderer_for(
            service.cfg, service.worker.threads, voice, round(float(speed) * 100, 2)
        )
        items = phonemes_for(renderer, text)
    except PapercastError as e:
        raise HTTPException(422, f"input: {e}") from None
    return StreamingResponse(
        iterate_in_threadpool(_logged(_audio(renderer, items, fmt))), media_type=FORMATS[fmt]
    )


def _logged(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The stream, with a failure after the headers went out as one log line (the status
    is sent already: the client sees the stream end early), never a traceback."""
    try:
        yield from chunks
    except Exception as e:  # noqa: BLE001 - reported, the stream ends
        print(json.dumps({"event": "speech failed", "error": repr(e)[:500]}), file=sys.stderr)


def _audio(renderer: Any, items: list[Any], fmt: str) -> Iterator[bytes]:
    """The encoded stream, one sentence at a time."""
    synth = renderer.synth
    rate = synth.sample_rate_hz
    out_rate = PCM_RATE if fmt == "pcm" else rate
    pause = np.zeros(int(PAUSE_S * out_rate), dtype=np.int16)
    encoder = None
    if fmt == "mp3":
        encoder = lameenc.Encoder()
        encoder.set_bit_rate(64)
        encoder.set_in_sample_rate(rate)
        encoder.set_channels(1)
        encoder.set_quality(5)
    elif fmt == "wav":
        yield _wav_header(rate)
    # the first sentence alone, then the rest side by side: run with the second, the first
    # took 1.5x as long to arrive (they share the cores); while it plays, the rest are made
    clips = (clip for part in (items[:1], items[1:]) if part for clip in synth.stream(part))
    for n, clip in enumerate(clips):
        samples = clip.samples
        if out_rate != rate:
            samples = soxr.resample(samples, rate, out_rate)
        pcm = (np.clip(samples, -1, 1) * 32767).astype("<i2")
        if n:
            pcm = np.concatenate([pause, pcm])
        data = pcm.tobytes()
        yield bytes(encoder.encode(data)) if encoder is not None else data
    if encoder is not None:
        yield bytes(encoder.flush())


def _wav_header(rate: int) -> bytes:
    """A WAV header for a stream of unknown length (sizes 0xFFFFFFFF, as streamers write)."""
    unknown = 0xFFFFFFFF
    return (
        b"RIFF"
        + struct.pack("<I", unknown)
        + b"WAVEfmt "
        + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
        + b"data"
        + struct.pack("<I", unknown)
    )
