"""``papercast feed check``: an offline validator of a podcast site against the files it serves.

Checks the feed's channel and items (Apple's required and recommended tags, the podcast
namespace's), then every file an item points to: enclosure length = bytes on disk,
duration = the decoded MP3's (to 1 s), transcripts parse and end before the audio does,
chapters are JSON 1.2.0 in ascending order, the cover follows Apple's rules, and a
loopback HTTP server over the site answers HEAD and byte-range requests as apps need.
Given a URL, it fetches the feed and its files instead.
"""

from __future__ import annotations

import http.client
import json
import re
import tempfile
import urllib.request
import uuid
from dataclasses import replace
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

from lxml import etree

from papercast.errors import PapercastError
from papercast.feed import serve
from papercast.feed.config import APPLE_CATEGORIES, check_cover
from papercast.feed.rss import ATOM, ITUNES, PODCAST
from papercast.fetch import Policy, fetch

NS = {"itunes": ITUNES, "podcast": PODCAST, "atom": ATOM}
_VTT_TIME = re.compile(
    r"(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})\s+-->\s+(?:(\d+):)?(\d{2}):(\d{2})\.(\d{3})"
)
_SRT_TIME = re.compile(r"(\d{2}):(\d{2}):(\d{2}),(\d{3})\s+-->\s+(\d{2}):(\d{2}):(\d{2}),(\d{3})")


class Checker:
    def __init__(self) -> None:
        self.problems: list[str] = []
        self.checked = 0

    def expect(self, ok: bool, message: str) -> bool:
        self.checked += 1
        if not ok:
            self.problems.append(message)
        return ok


def check(site_or_url: str, policy: Policy | None = None) -> tuple[list[str], int]:
    """Problems of a built site folder, or of a feed at a URL (fetched under ``policy``)."""
    if re.match(r"(?i)https?:", site_or_url):  # a URL (fetch refuses a malformed one)
        return _check_url(site_or_url, policy or Policy())
    site = Path(site_or_url)
    c = Checker()
    feed = site / "feed.xml"
    if not c.expect(feed.is_file(), f"{feed}: missing"):
        return c.problems, c.checked

    server, base = serve.start(site)
    try:
        _check_feed(c, feed.read_bytes(), lambda url: _local(site, url, c), base)
    finally:
        server.shutdown()
        server.server_close()
    return c.problems, c.checked


def _check_url(url: str, policy: Policy) -> tuple[list[str], int]:
    c = Checker()
    body = fetch(url, policy=policy).body
    media = replace(policy, max_bytes=512 * 1024 * 1024, deadline_s=max(policy.deadline_s, 600))
    with tempfile.TemporaryDirectory() as tmp:

        def local(u: str) -> Path | None:
            try:
                data = fetch(u, policy=media).body
            except Exception as e:  # reported as a problem, not raised
                c.expect(False, f"{u}: cannot fetch: {e}")
                return None
            p = Path(tmp) / re.sub(r"[^\w.-]", "_", urlparse(u).path.rsplit("/", 1)[-1] or "file")
            p.write_bytes(data)
            return p

        _check_feed(c, body, local, None)
    return c.problems, c.checked


def _local(site: Path, url: str, c: Checker) -> Path | None:
    """The file in ``site`` that ``url`` names (the part after the feed's base URL); a URL
    whose path leaves the site (``..``) is a problem, never a file read."""
    try:
        path = unquote(urlparse(url).path)
    except ValueError:
        c.expect(False, f"{url[:200]}: not a valid URL")
        return None
    parts = [p for p in path.split("/") if p]
    if ".." in parts:
        c.expect(False, f"{url}: points outside the site ('..' in its path)")
        return None
    root = site.resolve()
    for i in range(len(parts)):
        candidate = site.joinpath(*parts[i:])
        if candidate.is_file():
            if not candidate.resolve().is_relative_to(root):
                c.expect(False, f"{url}: {candidate} leads outside the site")
                return None
            return candidate
    c.expect(False, f"{url}: no such file in {site}")
    return None


def _check_feed(c: Checker, body: bytes, local, base: str | None) -> None:  # type: ignore[no-untyped-def]

    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as e:
        c.expect(False, f"feed.xml: not well-formed XML: {e}")
        return
    c.expect(
        root.tag == "rss" and root.get("version") == "2.0",
        'feed.xml: root must be <rss version="2.0">',
    )
    ch = root.find("channel")
    if not c.expect(ch is not None, "feed.xml: no <channel>"):
        return
    for tag in (
        "title",
        "link",
        "description",
        "language",
        "itunes:author",
        "itunes:image",
        "itunes:explicit",
        "itunes:category",
        "podcast:guid",
        "atom:link",
    ):
        c.expect(ch.find(tag, NS) is not None, f"channel: missing <{tag}>")
    explicit = ch.findtext("itunes:explicit", namespaces=NS)
    c.expect(
        explicit in ("true", "false"),
        f"channel: itunes:explicit must be true or false, not {explicit!r}",
    )
    cat = ch.find("itunes:category", NS)
    if cat is not None:
        name = cat.get("text", "")
        c.expect(name in APPLE_CATEGORIES, f"channel: {name!r} is not an Apple Podcasts category")
        sub = cat.find("itunes:category", NS)
        if sub is not None:
            c.expect(
                sub.get("text") in APPLE_CATEGORIES.get(name, ()),
                f"channel: {sub.get('text')!r} is not under {name!r}",
            )
    guid = ch.findtext("podcast:guid", namespaces=NS) or ""
    try:
        c.expect(uuid.UUID(guid).version == 5, f"channel: podcast:guid {guid!r} is not a UUIDv5")
    except ValueError:
        c.expect(False, f"channel: podcast:guid {guid!r} is not a UUID")
    self_link = ch.find("atom:link[@rel='self']", NS)
    c.expect(
        self_link is not None and bool(self_link.get("href")),
        "channel: atom:link rel=self needs an href",
    )
    image = ch.find("itunes:image", NS)
    if image is not None and image.get("href"):
        cover = local(image.get("href"))
        if cover is not None:
            try:
                check_cover(cover)
                c.expect(True, "")
            except PapercastError as e:
                c.expect(False, f"cover: {e}")
    guids, urls = set(), set()
    last = ch.findtext("lastBuildDate")
    if last is not None:
        _date(c, last, "channel lastBuildDate")
    for i, item in enumerate(ch.findall("item"), 1):
        where = f"item {i} ({item.findtext('title') or 'untitled'})"
        for tag in ("title", "guid", "pubDate", "enclosure", "itunes:duration"):
            c.expect(item.find(tag, NS) is not None, f"{where}: missing <{tag}>")
        g = item.findtext("guid")
        c.expect(g not in guids, f"{where}: guid {g!r} is used twice")
        guids.add(g)
        _date(c, item.findtext("pubDate") or "", f"{where} pubDate")
        enc = item.find("enclosure")
        if enc is None:
            continue
        url = enc.get("url", "")
        c.expect(url not in urls, f"{where}: enclosure URL {url} is used twice")
        urls.add(url)
        c.expect(enc.get("type") == "audio/mpeg", f"{where}: enclosure type must be audio/mpeg")
        mp3 = local(url)
        if mp3 is None:
            continue
        size = mp3.stat().st_size
        c.expect(
            enc.get("length") == str(size),
            f"{where}: enclosure length {enc.get('length')} but the file has {size} bytes",
        )
        import soundfile

        try:
            audio_s = soundfile.info(str(mp3)).duration
        except Exception as e:  # libsndfile's own errors
            c.expect(False, f"{where}: {mp3.name} does not decode: {e}")
            continue
        dur = item.findtext("itunes:duration", namespaces=NS) or ""
        c.expect(
            dur.isdigit() and abs(int(dur) - audio_s) <= 1.0,
            f"{where}: itunes:duration {dur!r} but the MP3 lasts {audio_s:.1f} s",
        )
        for t in item.findall("podcast:transcript", NS):
            _transcript(c, where, t.get("url", ""), t.get("type", ""), local, audio_s)
        chap = item.find("podcast:chapters", NS)
        if chap is not None:
            _chapters(c, where, chap.get("url", ""), local, audio_s)
        if base is not None:
            _served(c, where, base + quote(mp3.relative_to(mp3.parents[1]).as_posix()), size)


def _date(c: Checker, text: str, where: str) -> None:
    try:
        parsedate_to_datetime(text)
        ok = bool(
            re.match(
                r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} "
                r"[+-]\d{4}$",
                text,
            )
        )
    except (TypeError, ValueError, IndexError):
        ok = False
    c.expect(ok, f"{where}: {text!r} is not an RFC 2822 date")


def _transcript(c: Checker, where: str, url: str, kind: str, local, audio_s: float) -> None:  # type: ignore[no-untyped-def]
    path = local(url)
    if path is None:
        return
    text = path.read_text(encoding="utf-8", errors="replace")
    if kind == "application/json":
        try:
            doc = json.loads(text)
            segments = doc["segments"]
            times = [float(x["endTime"]) for x in segments if isinstance(x.get("body"), str)]
            starts = [float(x["startTime"]) for x in segments]
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            c.expect(False, f"{where}: {path.name} is not a Podcasting 2.0 JSON transcript: {e}")
            return
        c.expect(doc.get("version") == "1.0.0", f"{where}: {path.name} version must be 1.0.0")
        c.expect(starts == sorted(starts), f"{where}: {path.name} segments are not in time order")
    elif kind == "text/vtt":
        c.expect(text.startswith("WEBVTT"), f"{where}: {path.name} does not start with WEBVTT")
        times = [_secs(m.groups()[4:]) for m in _VTT_TIME.finditer(text)]
    else:
        times = [
            _secs((h, mi, s, ms))
            for h, mi, s, ms in (m.groups()[4:] for m in _SRT_TIME.finditer(text))
        ]
    if c.expect(bool(times), f"{where}: {path.name} has no cues"):
        c.expect(
            max(times) <= audio_s + 0.05,
            f"{where}: {path.name} runs to {max(times):.2f} s, past the audio's {audio_s:.2f} s",
        )


def _secs(parts) -> float:  # type: ignore[no-untyped-def]
    h, m, s, ms = (int(x) if x else 0 for x in parts)
    return h * 3600 + m * 60 + s + ms / 1000


def _chapters(c: Checker, where: str, url: str, local, audio_s: float) -> None:  # type: ignore[no-untyped-def]
    path = local(url)
    if path is None:
        return
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, RecursionError) as e:
        c.expect(False, f"{where}: {path.name} is not JSON: {e}")
        return
    chapters = doc.get("chapters") if isinstance(doc, dict) else None
    if not isinstance(chapters, list) or not all(isinstance(ch, dict) for ch in chapters):
        c.expect(False, f"{where}: {path.name} must be an object with a list of chapter objects")
        return
    c.expect(doc.get("version") == "1.2.0", f"{where}: {path.name} version must be 1.2.0")
    starts = [ch.get("startTime") for ch in chapters]
    numbers = [s for s in starts if isinstance(s, (int, float)) and not isinstance(s, bool)]
    c.expect(
        bool(starts) and len(numbers) == len(starts),
        f"{where}: {path.name} needs chapters with a number startTime",
    )
    c.expect(
        numbers == sorted(numbers), f"{where}: {path.name} chapters are not in ascending order"
    )
    c.expect(all(s <= audio_s for s in numbers), f"{where}: a chapter starts after the audio ends")


def _served(c: Checker, where: str, url: str, size: int) -> None:
    try:
        _head_and_range(c, where, url, size)
    except (OSError, ValueError, http.client.HTTPException) as e:
        c.expect(False, f"{where}: the loopback server could not serve {url}: {e}")


def _head_and_range(c: Checker, where: str, url: str, size: int) -> None:
    head = urllib.request.Request(url, method="HEAD")
    with urllib.request.urlopen(head, timeout=10) as r:  # noqa: S310 (loopback)
        c.expect(
            r.status == 200 and r.headers.get("Content-Length") == str(size),
            f"{where}: HEAD {url} answered {r.status} with length "
            f"{r.headers.get('Content-Length')}",
        )
    ranged = urllib.request.Request(url, headers={"Range": "bytes=100-199"})
    with urllib.request.urlopen(ranged, timeout=10) as r:  # noqa: S310 (loopback)
        body = r.read()
        c.expect(
            r.status == 206
            and len(body) == 100
            and r.headers.get("Content-Range") == f"bytes 100-199/{size}",
            f"{where}: a byte-range request for {url} was answered {r.status} with {len(body)} "
            f"bytes",
        )
