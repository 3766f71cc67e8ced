"""One sanitiser for everything papercast writes into HTML or XML (feed.xml, index.html,
descriptions, read-along pages): text escaped, characters XML 1.0 cannot hold removed, links
kept only when they are http(s). Whatever a source feed or an article contains, the feed it
ends up in stays well-formed and carries no live script link."""

from __future__ import annotations

import html
import re
from urllib.parse import SplitResult, urlsplit

# XML 1.0's Char production: tab, newline, carriage return, and the planes minus surrogates
# and U+FFFE/U+FFFF. lxml refuses a string with anything else ("All strings must be XML
# compatible"); browsers show it as garbage.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_SPACE_OR_CONTROL = re.compile(r"[\x00-\x20\x7f]+")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold."""
    return _NOT_XML.sub("", text)


def html_text(text: str, quote: bool = True) -> str:
    """``text`` for HTML: escaped, and XML-safe (the same page may be parsed as XHTML)."""
    return html.escape(xml_text(text), quote=quote)


def web_url(url: str) -> SplitResult | None:
    """``url``'s parts when it is a well-formed http(s) URL with a host, else None (urllib
    raises ValueError for some malformed ones, such as ``http://[::1``; that is None too)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a port out of range or not a number
    except ValueError:
        return None
    return parts if parts.scheme.lower() in ("http", "https") and host else None


def safe_link(url: str) -> str:
    """``url`` when it is an http(s) URL with a host, else "" (javascript:, data:, file:,
    relative and scheme-less links, whatever their case or the spaces and controls in them)."""
    if web_url(_SPACE_OR_CONTROL.sub("", xml_text(url))) is None:
        return ""
    return xml_text(url).strip()
