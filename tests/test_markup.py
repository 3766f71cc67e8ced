"""papercast/markup.py: the one sanitiser for HTML and XML output, and a hostile source feed
built end to end."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from lxml import etree
from lxml import html as lxml_html

from conftest import run_cli
from papercast.markup import html_text, safe_link, xml_text


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.com/story", True),
        ("http://example.com/a?b=c&d=e", True),
        ("HTTPS://EXAMPLE.COM/", True),
        ("javascript:alert(1)", False),
        (" JaVaScRiPt:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("\x01javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("file:///etc/passwd", False),
        ("//example.com/protocol-relative", False),
        ("/relative/path", False),
        ("vbscript:msgbox", False),
        ("http://", False),
        ("http://[::1", False),
        ("", False),
    ],
)
def test_only_http_links_survive(url: str, kept: bool) -> None:
    assert bool(safe_link(url)) is kept


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ("plain", "plain"),
        ("a\x01b\x08c", "abc"),
        ("keeps\ttab\nand\rbreaks", "keeps\ttab\nand\rbreaks"),
        ("no \ufffe or \uffff here", "no  or  here"),
        ("a lone \ud800 surrogate", "a lone  surrogate"),
        ("emoji \U0001f600 stay", "emoji \U0001f600 stay"),
    ],
)
def test_characters_xml_cannot_hold_are_removed(text: str, clean: str) -> None:
    assert xml_text(text) == clean
    etree.fromstring(f"<x>{html_text(text)}</x>".encode("utf-8", "surrogatepass"))  # parses


def test_html_text_escapes() -> None:
    assert html_text('<a href="x">&</a>') == "&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;"


def test_a_hostile_source_feed_publishes_a_well_formed_feed_without_script_links(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "show"
    assert run_cli("feed", "init", str(folder)).code == 0
    cfg = (folder / "papercast.toml").read_text(encoding="utf-8")
    voice = Path(__file__).parent / "data" / "tone-voice.onnx"
    cfg = (
        cfg.replace('voice = "joe"', f'voice = "{voice}"')
        .replace('author = "Your newsroom"', 'author = "News\\u0001room \\uffff"')
        .replace("feeds = []", 'feeds = ["source.xml"]')
    )
    (folder / "papercast.toml").write_text(cfg, encoding="utf-8")
    body = " ".join(
        ["The harbour board met on Tuesday and agreed the plan for the new sea wall."] * 20
    )
    (folder / "source.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>W</title><link>https://example.com/</link>'
        "<description>d</description><item><title>Sea wall &#x1F600; plan</title>"
        "<link>javascript:alert(document.cookie)</link><guid>urn:x:1</guid>"
        f"<description>&lt;p&gt;{body}&lt;/p&gt;</description></item></channel></rss>",
        encoding="utf-8",
    )
    r = run_cli("feed", "build", str(folder))
    assert r.code == 0, r.err
    assert "link 'javascript:alert(document.cookie)' dropped" in r.err
    site = folder / "site"
    feed = (site / "feed.xml").read_bytes()
    etree.fromstring(feed)  # well-formed
    d = feedparser.parse(feed)
    assert not d.bozo and len(d.entries) == 1 and d.feed.author.strip() == "Newsroom"
    page = (site / "index.html").read_text(encoding="utf-8")
    for text in (feed.decode("utf-8"), page):
        assert "javascript:" not in text.lower() and "\x01" not in text and "\uffff" not in text
    hrefs = lxml_html.fromstring(page).xpath("//a/@href")
    assert hrefs and all(h.startswith(("episodes/", "feed.xml", "#", "https://")) for h in hrefs)
    again = run_cli("feed", "build", str(folder))  # and the next build is not wedged either
    assert again.code == 0, again.err
