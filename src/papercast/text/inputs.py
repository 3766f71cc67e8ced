"""Reading input files: size and binary checks, decoding, text hygiene."""

from __future__ import annotations

import os
import re
import select
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from papercast.errors import InputError

MAX_INPUT_BYTES = 8 * 1024 * 1024  # a long feature is ~100 KB of text; 8 MB is not an article

_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # soft hyphen, zero-widths, BOM
_SPACES = re.compile("[\u00a0\u2007\u202f\u2009\u200a\u3000\t\f\v]")  # non-breaking & odd spaces
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Document:
    """Decoded input text and what kind of document it is."""

    text: str
    source: str  # shown in messages: a path or "<stdin>"
    kind: str  # "text" | "html" | "markdown" | "ssml"
    voice: str = ""  # the article's own voice as its source gives it ("VOICE", "VOICE#SPEAKER")


def read_document(path: str, encoding: str | None = None, kind: str | None = None) -> Document:
    """Read ``path`` (or ``-`` for stdin) and return clean text and its kind."""
    source = "<stdin>" if path == "-" else path
    data = _read_bytes(path, source)
    text = clean_text(decode_text(data, source, encoding))
    return Document(text=text, source=source, kind=kind or guess_kind(path, text))


def document_from_bytes(
    data: bytes, source: str, kind: str, encoding: str | None = None
) -> Document:
    """Text that did not come from a file (a fetched page, a feed item's content)."""
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(
            f"{source}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB; that is not one article"
        )
    return Document(text=clean_text(decode_text(data, source, encoding)), source=source, kind=kind)


WAIT_NOTICE_S = 3.0  # tell the user we are waiting when a pipe or FIFO stays silent this long


def _read_bytes(path: str, source: str) -> bytes:
    if path == "-":
        _notice_if_silent(
            sys.stdin.buffer,
            "standard input: waiting for the article's text (end it with Ctrl-D; Ctrl-C stops)",
        )
        data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    else:
        p = Path(path)
        if not p.exists():
            raise InputError(f"{source}: no such file")
        if p.is_dir():
            raise InputError(f"{source}: is a directory, expected an article file")
        try:
            if p.is_fifo():
                return _read_fifo(p, source)
            with p.open("rb") as f:
                data = f.read(MAX_INPUT_BYTES + 1)
        except OSError as e:
            raise InputError(f"{source}: cannot read: {e.strerror}") from e
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(
            f"{source}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB; "
            "that is not one article (split it, or use papercast feed for many)"
        )
    return data


def _notice_if_silent(stream, message: str) -> None:  # type: ignore[no-untyped-def]
    """Print ``message`` once if nothing arrives on ``stream`` within a few seconds."""

    try:
        ready, _, _ = select.select([stream], [], [], WAIT_NOTICE_S)
    except (OSError, ValueError, TypeError):  # not a selectable stream (a test's BytesIO)
        return
    if not ready:
        print(f"papercast: {message}", file=sys.stderr, flush=True)


def _read_fifo(p: Path, source: str) -> bytes:
    """A named pipe: opened without blocking, so a missing writer gets a message, not a silent
    hang."""

    fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK)
    try:
        chunks, size, noticed, seen_writer = [], 0, False, False
        start = time.monotonic()
        while size <= MAX_INPUT_BYTES:
            try:
                chunk = os.read(fd, 65536)
            except BlockingIOError:  # a writer is connected but has not written yet
                seen_writer = True
                chunk = None
            if chunk:
                seen_writer = True
                chunks.append(chunk)
                size += len(chunk)
                continue
            if chunk == b"" and seen_writer:
                break  # the writer closed: the end of the article
            if not noticed and time.monotonic() - start > WAIT_NOTICE_S:
                print(
                    f"papercast: {source}: waiting for a writer on this named pipe (Ctrl-C stops)",
                    file=sys.stderr,
                    flush=True,
                )
                noticed = True
            time.sleep(0.02)
    finally:
        os.close(fd)
    return b"".join(chunks)


def decode_text(data: bytes, source: str, encoding: str | None = None) -> str:
    """Decode bytes as UTF-8 (BOM optional), UTF-16 with a BOM, or ``encoding``.

    Anything else is refused with a message naming the offending byte and, when
    a legacy encoding fits, the ``--encoding`` to pass: guessing silently turns
    names into mojibake that is then read aloud.
    """
    if encoding:
        try:
            return data.decode(encoding)
        except LookupError as e:
            raise InputError(f"unknown encoding {encoding!r}") from e
        except UnicodeDecodeError as e:
            raise InputError(f"{source}: not valid {encoding} at byte {e.start}") from e
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise InputError(f"{source}: broken UTF-16 at byte {e.start}") from e
    utf16 = _bomless_utf16(data)
    if utf16:
        raise InputError(
            f"{source}: looks like UTF-16 without a byte-order mark; pass --encoding {utf16}"
        )
    if _looks_binary(data):
        raise InputError(
            f"{source}: looks like binary data, not an article (text, HTML or Markdown)"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        hint = _legacy_hint(data)
        raise InputError(
            f"{source}: not UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start})"
            + (f"; it looks like {hint}: pass --encoding {hint}" if hint else "")
        ) from e


def _bomless_utf16(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when every other byte is zero and the rest is text."""
    head = data[:4096]
    if len(head) < 8 or len(head) % 2:
        head = head[: len(head) // 2 * 2]
    if len(head) < 8:
        return None
    even, odd = head[0::2], head[1::2]
    for name, zeros, text in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) / len(zeros) > 0.9 and text.count(0) / len(text) < 0.1:
            try:
                data.decode(name)
                return name
            except UnicodeDecodeError:
                return None
    return None


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32 or b == 127)
    return len(head) > 0 and controls / len(head) > 0.05


def _legacy_hint(data: bytes) -> str | None:
    """Name a single-byte encoding that decodes ``data`` to plausible text, if one does."""
    for name in ("cp1252", "iso-8859-15"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        letters = sum(ch.isalpha() or ch.isspace() for ch in text)
        if letters / max(1, len(text)) > 0.8:
            return name
    return None


def clean_text(text: str) -> str:
    """NFC, one kind of newline, no invisible characters, plain spaces; quotes kept."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    return _CONTROL.sub("", text)


def looks_like_ssml(text: str) -> bool:
    """Whether a document without a telling name is SSML (it starts with ``<speak``)."""
    head = re.sub(r"^\s*(<\?xml[^>]*\?>\s*)?", "", text[:512])
    return head.startswith("<speak")


def guess_kind(path: str, text: str) -> str:
    suffix = Path(path).suffix.lower()
    if suffix in (".html", ".htm", ".xhtml"):
        return "html"
    if suffix in (".md", ".markdown", ".mdown"):
        return "markdown"
    if suffix in (".txt", ".text"):
        return "text"
    if suffix == ".ssml" or looks_like_ssml(text):
        return "ssml"
    head = text[:2048].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")) or "<body" in head:
        return "html"
    if head.startswith("---\n") or re.search(r"^#{1,6} \S", text[:4096], re.M):
        return "markdown"
    return "text"
