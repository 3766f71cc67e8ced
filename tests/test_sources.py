"""feed/sources.py: where a feed's articles come from, and what a source may make papercast read."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import start_static_server
from papercast.errors import PapercastError
from papercast.feed.sources import Reader, file_sources, read_feed_source, read_opml, rfc2822
from papercast.fetch import Policy, networks

LOOPBACK = Policy(allow_networks=networks(["127.0.0.1"]))  # the test's own server
BODY = " ".join(["The harbour board met on Tuesday and agreed the plan for the new sea wall."] * 20)


def _rss(items: list[tuple[str, str, str]]) -> str:
    """items: (guid, link, description)"""
    out = [
        '<?xml version="1.0"?><rss version="2.0"><channel><title>W</title><link>x</link>'
        "<description>d</description>"
    ]
    for guid, link, desc in items:
        out.append(
            f"<item><title>{guid}</title><link>{link}</link><guid>{guid}</guid>"
            f"<description>{desc}</description></item>"
        )
    return "".join(out) + "</channel></rss>"


def test_file_sources_by_suffix_hidden_files_skipped(tmp_path: Path) -> None:
    for name in ("a.txt", "b.html", "c.md", "d.markdown", ".hidden.txt", "e.pdf"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    got = [(s.identity, s.text_kind) for s in file_sources(tmp_path)]
    assert got == [
        ("file:articles/a.txt", "text"),
        ("file:articles/b.html", "html"),
        ("file:articles/c.md", "markdown"),
        ("file:articles/d.markdown", "markdown"),
    ]


@pytest.mark.parametrize(
    "link",
    [
        "{canary}",
        "../canary/private.html",
        "file://{canary}",
        "/etc/passwd",
        "ftp://127.0.0.1/x",
        "javascript:alert(1)",
        "http://[::1",  # urllib raises ValueError for it: still one refused item
        "http://127.0.0.1:99999/",
    ],
)
def test_a_teaser_link_is_never_read_from_disk(tmp_path: Path, link: str) -> None:
    canary = tmp_path / "canary" / "private.html"
    canary.parent.mkdir()
    canary.write_text("<html><body><p>CANARY private text</p></body></html>", encoding="utf-8")
    folder = tmp_path / "show"
    folder.mkdir()
    (folder / "feed.xml").write_text(
        _rss(
            [
                ("urn:a", link.format(canary=canary), "A teaser."),
                ("urn:b", "", f"&lt;p&gt;{BODY}&lt;/p&gt;"),
            ]
        ),
        encoding="utf-8",
    )
    failed: list[tuple[str, str]] = []
    sources = read_feed_source("feed.xml", Reader(folder, tmp_path / "pages", {}), failed)
    assert [s.identity for s in sources] == ["urn:b"]  # the full-text item is still read
    assert failed[0][0] == "urn:a" and "is not an http(s) URL" in failed[0][1]
    assert all(b"CANARY" not in (s.text or b"") for s in sources)
    with pytest.raises(PapercastError, match="not an http"):
        read_feed_source(
            "feed.xml", Reader(folder, tmp_path / "pages", {})
        )  # without a list: raises


def test_opml_entries_must_be_urls(tmp_path: Path) -> None:
    (tmp_path / "list.opml").write_text(
        '<opml version="2.0"><body><outline xmlUrl="https://example.com/a.xml"/>'
        '<outline xmlUrl="/etc/passwd"/></body></opml>',
        encoding="utf-8",
    )
    with pytest.raises(PapercastError, match="'/etc/passwd' is not an http"):
        read_opml("list.opml", Reader(tmp_path, tmp_path / "pages", {}))
    (tmp_path / "ok.opml").write_text(
        '<opml version="2.0"><body><outline text="group"><outline xmlUrl="https://example.com/a.xml"/>'
        "</outline></body></opml>",
        encoding="utf-8",
    )
    assert read_opml("ok.opml", Reader(tmp_path, tmp_path / "pages", {})) == [
        "https://example.com/a.xml"
    ]


def test_fetched_pages_live_beside_the_state_not_in_it(tmp_path: Path) -> None:
    """100 teasers whose pages are 100 KB each: the validators stay small; bodies are files
    keyed by content, conditional GET reuses them, and pages no source names are pruned."""
    www = tmp_path / "www"
    www.mkdir()
    page = "<html><body><article>" + "<p>" + BODY + "</p>" * 1 + "</article></body></html>"
    for i in range(100):
        (www / f"p{i}.html").write_text(
            page + " " * (100_000 - len(page)) + f"<!-- {i} -->", encoding="utf-8"
        )
    server = start_static_server(www)
    try:
        (www / "feed.xml").write_text(
            _rss([(f"urn:{i}", f"{server.url}/p{i}.html", "A teaser.") for i in range(100)]),
            encoding="utf-8",
        )
        validators: dict[str, dict[str, str]] = {}
        reader = Reader(tmp_path, tmp_path / "pages", validators, LOOPBACK)
        sources = read_feed_source(f"{server.url}/feed.xml", reader)
        reader.prune()
        assert len(sources) == 100 and all(len(s.text or b"") > 100_000 for s in sources)
        state = json.dumps({"fetch": validators})
        assert len(state) < 40_000, len(state)  # about 200 bytes a URL, against 100 KB a page
        assert len(list((tmp_path / "pages").iterdir())) == 101  # the pages and the feed itself
        again = Reader(tmp_path, tmp_path / "pages", validators, LOOPBACK)
        assert [s.text for s in read_feed_source(f"{server.url}/feed.xml", again)] == [
            s.text for s in sources
        ]
        (www / "feed.xml").write_text(
            _rss([("urn:0", f"{server.url}/p0.html", "A teaser.")]), encoding="utf-8"
        )
        # http.server's Last-Modified has one-second resolution: date the edit later, so the
        # conditional GET sees the change however fast this runs
        later = (www / "feed.xml").stat().st_mtime + 10
        os.utime(www / "feed.xml", (later, later))
        fewer = Reader(tmp_path, tmp_path / "pages", validators, LOOPBACK)
        read_feed_source(f"{server.url}/feed.xml", fewer)
        fewer.prune()
        assert len(list((tmp_path / "pages").iterdir())) == 2 and set(validators) == {
            f"{server.url}/feed.xml",
            f"{server.url}/p0.html",
        }
    finally:
        log = server.requests()
    # the second read sent validators for every page (http.server answers 304 only to
    # If-Modified-Since, which it gets): it asked again, and the bodies came from pages/
    assert sum('"GET /p0.html' in line for line in log) == 3


@pytest.mark.parametrize(
    ("given", "want"),
    [
        ("Tue, 17 Nov 2026 08:00:00 +0000", "Tue, 17 Nov 2026 08:00:00 +0000"),
        ("2026-11-17", "Tue, 17 Nov 2026 00:00:00 +0000"),
        ("2026-11-17T08:30:00", "Tue, 17 Nov 2026 08:30:00 +0000"),
        ("yesterday", ""),
        ("", ""),
    ],
)
def test_dates_become_rfc_2822(given: str, want: str) -> None:
    assert rfc2822(given) == want
