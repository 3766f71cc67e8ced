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
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

from defusedxml import ElementTree

from papercast.errors import InputError, PapercastError
from papercast.fetch import Policy, fetch
from papercast.files import remove_quietly, write_bytes
from papercast.markup import web_url

ARTICLE_SUFFIXES = (".txt", ".html", ".htm", ".md", ".markdown")
FULL_TEXT_WORDS = 150  # an item whose content has fewer words is a teaser: fetch the linked page


@dataclass(frozen=True)
class Source:
    """One article to render: where its text is and who it is."""

    identity: str  # stable: source guid, canonical URL, or "file:articles/NAME"
    kind: str  # "file" | "item" (from a feed) | "api" (submitted to papercast serve)
    path: Path | None  # the file (kind "file")
    text: bytes | None  # the item's content or the fetched page (kind "item")
    text_kind: str  # "html" | "text" | "markdown" (for items: how to read ``text``)
    title_hint: str = ""
    date_rfc2822: str = ""  # publication date, if the source says
    link: str = ""
    voice: str = ""  # its own voice ("VOICE", "VOICE#SPEAKER"): [sources] voices, or the API's

    @property
    def content_sha256(self) -> str:
        data = (
            self.text if self.text is not None else (self.path.read_bytes() if self.path else b"")
        )
        return hashlib.sha256(data).hexdigest()


def file_sources(articles: Path, warnings: list[str] | None = None) -> list[Source]:
    """The articles in ``articles/``; a symbolic link that leads outside the feed's folder is
    skipped (and said in ``warnings``): a feed publishes what its folder holds, nothing else."""
    if not articles.is_dir():
        return []
    root = articles.parent.resolve()
    out = []
    for p in sorted(articles.iterdir()):
        if p.is_symlink() and not p.resolve().is_relative_to(root):
            if warnings is not None:
                warnings.append(f"{p}: a link to {p.resolve()}, outside {root}: not published")
            continue
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


@dataclass
class Reader:
    """Reads what a feed's sources name, under one policy.

    Only papercast.toml names local files (its feeds and OPML lists, relative to ``folder``);
    everything a source itself names (a teaser's link, an OPML entry) comes from the network,
    http(s) only, never from disk: whoever writes a remote feed must not make papercast read
    our files. Fetched bodies live in ``pages`` (one file per content hash); ``validators``
    (state.json's "fetch") keeps only each URL's ETag, Last-Modified and body hash, so the
    state stays small however large the pages are."""

    folder: Path
    pages: Path
    validators: dict[str, Any]
    policy: Policy = Policy()
    used: set[str] = field(default_factory=set)

    def named_in_config(self, spec: str) -> bytes:
        """A feed or OPML list the config names: an http(s) URL, or a file in the folder."""
        if web_url(spec) is not None:
            return self.url(spec, spec)
        path = Path(spec) if Path(spec).is_absolute() else self.folder / spec
        try:
            with path.open("rb") as f:
                data = f.read(self.policy.max_bytes + 1)
        except OSError as e:
            raise PapercastError(f"{path}: cannot read: {e.strerror}") from e
        if len(data) > self.policy.max_bytes:
            raise InputError(f"{path}: more than the {self.policy.max_bytes}-byte limit")
        return data

    def url(self, url: str, where: str) -> bytes:
        """A URL a source names: fetched (conditionally, when we have validators), or refused."""
        if web_url(url) is None:
            raise InputError(
                f"{where}: {url[:200]!r} is not an http(s) URL (links in a feed are "
                "fetched, never read from disk)"
            )
        self.used.add(url)
        old = self.validators.get(url, {})
        body = self._page(old.get("sha256", ""))
        got = fetch(
            url,
            policy=self.policy,
            etag=old.get("etag", "") if body is not None else "",
            last_modified=old.get("last_modified", "") if body is not None else "",
        )
        if got.not_modified and body is not None:
            return body
        digest = hashlib.sha256(got.body).hexdigest()
        if self._page(digest) is None:
            self.pages.mkdir(parents=True, exist_ok=True)
            write_bytes(self.pages / digest, got.body)
        self.validators[url] = {
            "etag": got.etag,
            "last_modified": got.last_modified,
            "sha256": digest,
        }
        return got.body

    def _page(self, digest: str) -> bytes | None:
        if not digest:
            return None
        try:
            data = (self.pages / digest).read_bytes()
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == digest else None

    def prune(self) -> None:
        """Forget URLs this build did not read, and the pages nobody refers to any more."""
        for url in [u for u in self.validators if u not in self.used]:
            del self.validators[url]
        keep = {v.get("sha256") for v in self.validators.values() if isinstance(v, dict)}
        if self.pages.is_dir():
            for f in self.pages.iterdir():
                if f.name not in keep:
                    remove_quietly(f)


def read_feed_source(
    spec: str, reader: Reader, failed: list[tuple[str, str]] | None = None
) -> list[Source]:
    """The articles of one RSS or Atom feed the config names (a file or a URL). An item that
    cannot be read (its teaser's page does not come) is added to ``failed`` as (identity,
    reason) and the others are still read; without ``failed`` it raises."""
    import feedparser

    parsed = feedparser.parse(reader.named_in_config(spec))
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
        else:
            try:
                if not link:
                    raise InputError(
                        f"{spec}: item {title!r} holds only a teaser and no link to the full "
                        "article"
                    )
                fetched = reader.url(link, f"{spec}: item {title[:80]!r}")
            except PapercastError as e:
                if failed is None:
                    raise
                failed.append((identity, str(e)))
                continue
            out.append(Source(identity, "item", None, fetched, "html", title, date, link))
    return out


def read_opml(spec: str, reader: Reader) -> list[str]:
    """Feed URLs listed in an OPML file the config names (outline elements with xmlUrl), in
    order; an entry that is not an http(s) URL is refused (OPML lists URLs)."""
    body = reader.named_in_config(spec)
    try:
        root = ElementTree.fromstring(body)
    except Exception as e:  # defusedxml raises ParseError and its own refusals
        raise InputError(f"{spec}: not a valid OPML file: {e}") from e
    urls = [o.get("xmlUrl") for o in root.iter("outline") if o.get("xmlUrl")]
    for u in urls:
        if web_url(u) is None:  # type: ignore[arg-type]
            raise InputError(f"{spec}: outline {u[:200]!r} is not an http(s) URL")  # type: ignore[index]
    return urls  # type: ignore[return-value]


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
