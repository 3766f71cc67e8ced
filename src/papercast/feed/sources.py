"""Where a feed's articles come from: files in ``articles/``, RSS/Atom feeds of articles (files
or URLs) and OPML lists of such feeds; and fetching pages politely.

Every article gets an identity that survives edits: its source guid or canonical URL when
it came from a feed or a page, else its path in ``articles/``. Never its content, never
where its audio ends up.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from defusedxml import ElementTree

from papercast.errors import InputError, PapercastError
from papercast.fetch import fetch

ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".md", ".markdown")
FULL_TEXT_WORDS = 150  # an item whose content has fewer words is a teaser: fetch the linked page


@dataclass(frozen=True)
class Source:
    """One article to render: where its text is and who it is."""

    identity: str  # stable: source guid, canonical URL, or "file:articles/NAME"
    kind: str  # "file" | "item"
    path: Path | None  # the file (kind "file")
    text: bytes | None  # the item's content or the fetched page (kind "item")
    text_kind: str  # "html" | "text" | "markdown" (for items: how to read ``text``)
    title_hint: str = ""
    date_rfc2822: str = ""  # publication date, if the source says
    link: str = ""

    @property
    def content_sha256(self) -> str:
        data = (
            self.text if self.text is not None else (self.path.read_bytes() if self.path else b"")
        )
        return hashlib.sha256(data).hexdigest()


def file_sources(articles: Path) -> list[Source]:
    if not articles.is_dir():
        return []
    out = []
    for p in sorted(articles.iterdir()):
        if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES and not p.name.startswith("."):
            kind = (
                "html"
                if p.suffix.lower() in (".html", ".htm")
                else "markdown"
                if p.suffix.lower() in (".md", ".markdown")
                else "text"
            )
            out.append(Source(f"file:articles/{p.name}", "file", p, None, kind))
    return out


# -- feeds of articles ---------------------------------------------------------------------


def read_feed_source(
    spec: str, folder: Path, *, timeout_s: float, max_bytes: int, cache: dict[str, Any]
) -> list[Source]:
    """The articles of one RSS or Atom feed (a file or a URL). ``cache`` keeps ETag/Last-Modified
    and bodies between builds, so an unchanged feed is not downloaded again."""
    import feedparser

    body = _read_spec(spec, folder, timeout_s=timeout_s, max_bytes=max_bytes, cache=cache)
    parsed = feedparser.parse(body)
    if parsed.bozo and not parsed.entries:
        raise InputError(f"{spec}: not an RSS or Atom feed ({parsed.bozo_exception})")
    out = []
    for entry in parsed.entries:
        link = entry.get("link", "")
        identity = entry.get("id") or entry.get("guid") or link
        if not identity:
            raise InputError(
                f"{spec}: an item has neither a guid nor a link: {entry.get('title', '')!r}"
            )
        html = ""
        for c in entry.get("content", []) or []:
            if len(c.get("value", "")) > len(html):
                html = c["value"]
        summary = entry.get("summary", "")
        if len(summary) > len(html):
            html = summary
        date = ""
        for key in ("published_parsed", "updated_parsed"):
            if entry.get(key):
                date = format_datetime(
                    datetime.fromtimestamp(calendar.timegm(entry[key]), tz=timezone.utc)
                )
                break
        title = entry.get("title", "")
        if _words(html) >= FULL_TEXT_WORDS:
            page = (
                f"<html><head><title>{_esc(title)}</title></head>"
                f"<body><article><h1>{_esc(title)}</h1>{html}</article></body></html>"
            )
            out.append(
                Source(identity, "item", None, page.encode("utf-8"), "html", title, date, link)
            )
        elif link:
            fetched = _read_spec(
                link, folder, timeout_s=timeout_s, max_bytes=max_bytes, cache=cache
            )
            out.append(Source(identity, "item", None, fetched, "html", title, date, link))
        else:
            raise InputError(
                f"{spec}: item {title!r} holds only a teaser and no link to the full article"
            )
    return out


def read_opml(
    spec: str, folder: Path, *, timeout_s: float, max_bytes: int, cache: dict[str, Any]
) -> list[str]:
    """Feed URLs listed in an OPML file (outline elements with xmlUrl), in order."""

    body = _read_spec(spec, folder, timeout_s=timeout_s, max_bytes=max_bytes, cache=cache)
    try:
        root = ElementTree.fromstring(body)
    except Exception as e:  # defusedxml raises ParseError and its own refusals
        raise InputError(f"{spec}: not a valid OPML file: {e}") from e
    return [o.get("xmlUrl") for o in root.iter("outline") if o.get("xmlUrl")]  # type: ignore[misc]


def _read_spec(
    spec: str, folder: Path, *, timeout_s: float, max_bytes: int, cache: dict[str, Any]
) -> bytes:
    if urlparse(spec).scheme in ("http", "https"):
        old = cache.get(spec, {})
        got = fetch(
            spec,
            timeout_s=timeout_s,
            max_bytes=max_bytes,
            etag=old.get("etag", ""),
            last_modified=old.get("last_modified", ""),
        )
        if got.not_modified and "body" in old:
            return bytes.fromhex(old["body"])
        cache[spec] = {"etag": got.etag, "last_modified": got.last_modified, "body": got.body.hex()}
        return got.body
    path = Path(spec) if Path(spec).is_absolute() else folder / spec
    try:
        data = path.read_bytes()
    except OSError as e:
        raise PapercastError(f"{path}: cannot read: {e.strerror}") from e
    if len(data) > max_bytes:
        raise InputError(f"{path}: more than the {max_bytes}-byte limit")
    return data


def _words(html: str) -> int:
    return len(re.sub(r"<[^>]+>", " ", html).split())


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def rfc2822(date: str) -> str:
    """A date the source gave (RFC 2822 or ISO 8601) as RFC 2822, or "" if it cannot be read."""

    if not date:
        return ""
    try:
        return format_datetime(parsedate_to_datetime(date))
    except (TypeError, ValueError, IndexError):
        pass
    m = re.search(r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?", date)
    if m:
        y, mo, d, hh, mm, ss = (int(x) if x else 0 for x in m.groups())
        try:
            return format_datetime(datetime(y, mo, d, hh, mm, ss, tzinfo=timezone.utc))
        except ValueError:
            return ""
    return ""
