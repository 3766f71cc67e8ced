"""Transcripts and chapter files from real clip timings: WebVTT, SRT, and
Podcasting 2.0 chapters JSON (version 1.2.0). Cues carry the written text,
never the phonetic spelling."""

from __future__ import annotations

import json
import textwrap

from papercast.types import Chapter, Cue

MAX_LINE_CHARS = 42  # common subtitle guidance: two lines of ~42 characters per cue


def _stamp(ms: int, sep: str) -> str:
    h, rest = divmod(max(0, int(ms)), 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{milli:03d}"


def _lines(text: str) -> str:
    return "\n".join(textwrap.wrap(text, MAX_LINE_CHARS)) or text


def to_vtt(cues: tuple[Cue, ...]) -> str:
    out = ["WEBVTT", ""]
    for i, c in enumerate(cues, start=1):
        out += [str(i), f"{_stamp(c.start_ms, '.')} --> {_stamp(c.end_ms, '.')}", _lines(c.text), ""]
    return "\n".join(out)


def to_srt(cues: tuple[Cue, ...]) -> str:
    out = []
    for i, c in enumerate(cues, start=1):
        out += [str(i), f"{_stamp(c.start_ms, ',')} --> {_stamp(c.end_ms, ',')}", _lines(c.text), ""]
    return "\n".join(out)


def to_chapters_json(chapters: tuple[Chapter, ...], title: str) -> str:
    doc = {
        "version": "1.2.0",
        "title": title,
        "chapters": [{"startTime": round(c.start_ms / 1000, 3), "endTime": round(c.end_ms / 1000, 3),
                      "title": c.title} for c in chapters],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
