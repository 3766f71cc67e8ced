"""Reading from the network: one module, one policy, for every fetch papercast makes (feed
sources, teaser links, ``speak URL``, ``feed check URL``)."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlparse

from papercast.errors import InputError

USER_AGENT = "papercast/0.2 (+https://pypi.org/project/papercast/; article-to-podcast)"


@dataclass(frozen=True)
class Fetched:
    url: str
    body: bytes
    content_type: str
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False


def fetch(
    url: str,
    *,
    timeout_s: float = 20.0,
    max_bytes: int = 8 * 1024 * 1024,
    etag: str = "",
    last_modified: str = "",
) -> Fetched:
    """GET with a timeout, a size limit, our user agent and a conditional request."""

    if urlparse(url).scheme not in ("http", "https"):
        raise InputError(f"{url}: only http and https URLs can be fetched")
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "text/html, application/xhtml+xml, application/rss+xml, "
        "application/atom+xml, application/xml;q=0.9, */*;q=0.5",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:  # noqa: S310 (http(s) only)
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise InputError(f"{url}: {int(length)} bytes is over the {max_bytes}-byte limit")
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise InputError(f"{url}: more than the {max_bytes}-byte limit")
            return Fetched(
                response.geturl(),
                body,
                response.headers.get("Content-Type", ""),
                response.headers.get("ETag", ""),
                response.headers.get("Last-Modified", ""),
            )
    except urllib.error.HTTPError as e:
        if e.code == 304:
            return Fetched(url, b"", "", etag, last_modified, not_modified=True)
        raise InputError(f"{url}: HTTP {e.code} {e.reason}") from e
    except urllib.error.URLError as e:
        raise InputError(f"{url}: cannot fetch: {e.reason}") from e
    except TimeoutError as e:
        raise InputError(f"{url}: no answer within {timeout_s:g} s") from e
    except OSError as e:
        raise InputError(f"{url}: cannot fetch: {e}") from e


def kind_of(content_type: str, body: bytes) -> str:
    ct = content_type.lower()
    if "html" in ct or body.lstrip()[:200].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    if "markdown" in ct:
        return "markdown"
    return "text"
