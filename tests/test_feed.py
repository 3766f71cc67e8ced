"""papercast feed: init, build, incremental rebuilds, identity across edits, crash safety, the
lock, sources from a feed served on loopback, and the checker against broken sites."""

from __future__ import annotations

import http.server
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from functools import partial
from pathlib import Path
from typing import Any

import feedparser
import pytest
import soundfile
from lxml import etree

from conftest import SAMPLES, chromium, run_cli
from papercast.feed.build import build
from papercast.feed.check import check
from papercast.feed.config import load_config
from papercast.feed.rss import PODCAST, podcast_guid
from papercast.feed.state import read_episodes

TONE = str(Path(__file__).parent / "data" / "tone-voice.onnx")
FEED_SAMPLES = ["wire-copper.txt", "broadcaster-lagoon.html", "blog-sourdough.txt"]


def make_folder(tmp: Path, samples: list[str] = FEED_SAMPLES, **show: str) -> Path:
    folder = tmp / "show"
    assert run_cli("feed", "init", str(folder), "--title", "Night & Day <News>").code == 0
    cfg = (folder / "papercast.toml").read_text(encoding="utf-8")
    cfg = cfg.replace('voice = "joe"', f'voice = "{TONE}"')
    for key, value in show.items():
        cfg = cfg.replace(f"\n{key} = ", f"\n{key} = {value}\n#{key} = ", 1)
    (folder / "papercast.toml").write_text(cfg, encoding="utf-8")
    for name in samples:
        shutil.copy(SAMPLES / name, folder / "articles" / name)
    (folder / "cover.png").write_bytes(_png(1400, 1400))
    (folder / "papercast.toml").write_text(
        cfg.replace('cover = ""', 'cover = "cover.png"'), encoding="utf-8"
    )
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    os.environ["PAPERCAST_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    folder = make_folder(tmp_path_factory.mktemp("feed"))
    report = build(folder, quiet=True)
    assert len(report.rendered) == 3 and not report.failed
    return folder


def test_feedparser_reads_every_item_with_true_lengths_and_durations(built: Path) -> None:
    site = built / "site"
    d = feedparser.parse((site / "feed.xml").read_bytes())
    assert not d.bozo, d.bozo_exception
    assert d.feed.title == "Night & Day <News>"
    explicit = etree.fromstring((site / "feed.xml").read_bytes()).find(
        "channel/{http://www.itunes.com/dtds/podcast-1.0.dtd}explicit"
    )
    assert explicit is not None and explicit.text == "false"  # Apple's form, present and false
    assert len(d.entries) == 3
    for e in d.entries:
        enc = e.enclosures[0]
        path = site / "episodes" / enc.href.rsplit("/", 1)[-1]
        assert int(enc.length) == path.stat().st_size
        assert abs(int(e.itunes_duration) - soundfile.info(str(path)).duration) <= 1
        assert e.guid.startswith("file:articles/")
    titles = {e.title for e in d.entries}
    assert "Council backs tidal lagoon as Ó Fearghail wins vote in Aberdaron" in titles


def test_podcast_namespace_tags_by_lxml(built: Path) -> None:
    root = etree.parse(str(built / "site" / "feed.xml")).getroot()
    ns = {"podcast": PODCAST, "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd"}
    ch = root.find("channel")
    assert ch.findtext("podcast:guid", namespaces=ns) == podcast_guid(
        "https://example.com/podcast/feed.xml"
    )
    assert ch.findtext("itunes:explicit", namespaces=ns) == "false"
    assert ch.find("podcast:txt", ns).get("purpose") == "ai-content"
    assert ch.find("itunes:category", ns).get("text") == "News"
    for item in ch.findall("item"):
        kinds = {t.get("type"): t.get("rel") for t in item.findall("podcast:transcript", ns)}
        assert kinds == {
            "text/vtt": "captions",
            "application/x-subrip": None,
            "application/json": None,
        }
        url = next(
            t.get("url")
            for t in item.findall("podcast:transcript", ns)
            if t.get("type") == "application/json"
        )
        doc = json.loads(
            (built / "site" / "episodes" / url.rsplit("/", 1)[-1]).read_text(encoding="utf-8")
        )
        bodies = [seg["body"] for seg in doc["segments"]]
        assert len(bodies) > 20 and all(" " not in b for b in bodies)  # one word per segment
        page = (
            built
            / "site"
            / "episodes"
            / url.rsplit("/", 1)[-1].replace(".transcript.json", ".html")
        )
        assert page.is_file() and 'class="w"' in page.read_text(encoding="utf-8")
        assert item.find("podcast:chapters", ns).get("type") == "application/json+chapters"
        assert item.find("guid").get("isPermaLink") == "false"
        assert "synthetic voice" in item.findtext("description")


def test_podcast_guid_matches_the_namespace_test_vectors() -> None:
    assert (
        podcast_guid("https://mp3s.nashownotes.com/pc20rss.xml")
        == "917393e3-1b1e-5cef-ace4-edaa54e1f810"
    )
    assert podcast_guid("podnews.net/rss////") == "9b024349-ccf0-5f69-a609-6b82873eab3c"


def test_feed_check_passes_the_build(built: Path) -> None:
    problems, checked = check(str(built / "site"))
    assert problems == []
    assert checked > 40
    r = run_cli("feed", "check", str(built / "site"))
    assert r.code == 0 and "0 problem(s)" in r.err


def test_rebuild_with_nothing_changed_renders_and_rewrites_nothing(built: Path) -> None:
    site = built / "site"
    before = {
        p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in site.rglob("*") if p.is_file()
    }
    report = build(built, quiet=True)
    assert (report.rendered, report.rerendered, len(report.reused)) == ([], [], 3)
    after = {p.name: (p.stat().st_mtime_ns, p.read_bytes()) for p in site.rglob("*") if p.is_file()}
    assert after == before  # feed.xml byte-identical and not even rewritten


def test_dry_run_prints_the_plan_and_writes_nothing(built: Path) -> None:
    (built / "articles" / "newsletter-tbilisi.txt").write_text(
        (SAMPLES / "newsletter-tbilisi.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    try:
        before = sorted(p.name for p in (built / "site").rglob("*"))
        r = run_cli("feed", "build", str(built), "--dry-run")
        assert r.code == 0, r.err
        assert (
            "new        newsletter-tbilisi" in r.out
            and "plan: 1 new, 0 changed, 3 unchanged" in r.out
        )
        assert sorted(p.name for p in (built / "site").rglob("*")) == before
    finally:
        (built / "articles" / "newsletter-tbilisi.txt").unlink()


def test_edit_rerenders_one_episode_in_place_with_the_same_guid(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERCAST_CACHE_DIR", str(tmp_path / "cache"))
    folder = make_folder(tmp_path)
    build(folder, quiet=True)
    first = feedparser.parse((folder / "site" / "feed.xml").read_bytes())
    article = folder / "articles" / "wire-copper.txt"
    article.write_text(
        article.read_text(encoding="utf-8").replace("copper", "copper and zinc", 1),
        encoding="utf-8",
    )
    report = build(folder, quiet=True)
    assert report.rerendered == ["file:articles/wire-copper.txt"] and len(report.reused) == 2
    second = feedparser.parse((folder / "site" / "feed.xml").read_bytes())
    a = {e.guid: e for e in first.entries}
    b = {e.guid: e for e in second.entries}
    assert a.keys() == b.keys()
    edited = b["file:articles/wire-copper.txt"]
    assert edited.enclosures[0].href == a["file:articles/wire-copper.txt"].enclosures[0].href
    assert edited.published == a["file:articles/wire-copper.txt"].published
    assert "Updated" in edited.description
    assert check(str(folder / "site"))[0] == []
    # Removing an article removes its episode.
    article.unlink()
    report = build(folder, quiet=True)
    assert report.removed == ["file:articles/wire-copper.txt"]
    assert len(feedparser.parse((folder / "site" / "feed.xml").read_bytes()).entries) == 2
    assert not list((folder / "site" / "episodes").glob("wire-copper*"))


def test_an_edit_to_dropped_text_leaves_the_item_and_an_edit_to_the_story_changes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERCAST_CACHE_DIR", str(tmp_path / "cache"))
    folder = make_folder(tmp_path, samples=[])
    page = folder / "articles" / "quay.html"
    story = (
        "<p>The harbour board approved the new sea wall on Tuesday after two years of "
        "debate.</p><p>Work on the north quay starts in May and should take two years.</p>"
    )

    def write(aside: str, body: str) -> None:
        page.write_text(
            "<html><head><title>Sea wall approved</title></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
            f"<article><h1>Sea wall approved</h1>{body}</article>"
            f"<aside class='newsletter-signup'><p>{aside}</p></aside></body></html>",
            encoding="utf-8",
        )

    def item() -> Any:
        (entry,) = feedparser.parse((folder / "site" / "feed.xml").read_bytes()).entries
        return entry

    write("Sign up for our morning newsletter.", story)
    build(folder, quiet=True)
    first = item()
    assert "Sign up" not in first.description  # the box is not part of the story
    write("Sign up for our evening newsletter, free every weekday.", story)  # dropped text
    report = build(folder, quiet=True)
    assert report.reused == ["file:articles/quay.html"] and not report.rerendered
    second = item()
    assert second.description == first.description and "Updated" not in second.description
    assert second.enclosures[0].length == first.enclosures[0].length
    write("Sign up.", story.replace("two years of debate", "three years of debate"))
    report = build(folder, quiet=True)
    assert report.rerendered == ["file:articles/quay.html"]
    third = item()
    assert "three years of debate" in third.description and "Updated" in third.description
    assert third.guid == first.guid


def test_bad_settings_are_refused_with_what_to_write(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, samples=[])
    cfg = folder / "papercast.toml"
    text = cfg.read_text(encoding="utf-8")
    for old, new, says in [
        ('category = "News"', 'category = "Newz"', "not an Apple Podcasts category"),
        ('subcategory = "Daily News"', 'subcategory = "Baseball"', "is not under 'News'"),
        (
            'base_url = "https://example.com/podcast/"',
            'base_url = "ftp://x/"',
            "must be an http(s) URL",
        ),
        ('cover = "cover.png"', 'cover = "nope.jpg"', "cannot read cover image"),
    ]:
        cfg.write_text(text.replace(old, new), encoding="utf-8")
        r = run_cli("feed", "build", str(folder))
        assert r.code == 2 and says in r.err and "Traceback" not in r.err, r.err


@pytest.mark.parametrize(
    "size,mode,says",
    [
        ((1000, 1000), "RGB", "1400 to 3000"),
        ((1500, 1400), "RGB", "square"),
        ((1400, 1400), "RGBA", "alpha"),
    ],
)
def test_cover_rules(tmp_path: Path, size: tuple[int, int], mode: str, says: str) -> None:
    from papercast.errors import PapercastError
    from papercast.feed.config import check_cover

    path = tmp_path / "c.png"
    path.write_bytes(_png(*size, alpha=mode == "RGBA"))
    with pytest.raises(PapercastError, match=says):
        check_cover(path)
    good = tmp_path / "good.png"
    good.write_bytes(_png(1400, 1400))
    assert check_cover(good) == (1400, 1400, "png")
    wrong_ext = tmp_path / "good.jpg"
    wrong_ext.write_bytes(_png(1400, 1400))
    with pytest.raises(PapercastError, match="is a PNG but its name ends in .jpg"):
        check_cover(wrong_ext)


def _png(w: int, h: int, alpha: bool = False) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    row = b"\x00" + bytes((4 if alpha else 3) * w)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6 if alpha else 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * h))
        + chunk(b"IEND", b"")
    )


def test_checker_finds_what_is_broken(built: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(built / "site", site)
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    first_mp3 = sorted((site / "episodes").glob("*.mp3"))[0]
    with first_mp3.open("ab") as f:
        f.write(b"\0" * 10)  # length no longer matches
    vtt = sorted((site / "episodes").glob("*.vtt"))[0]
    vtt.write_text("not a transcript", encoding="utf-8")
    feed = feed.replace(
        "<itunes:explicit>false</itunes:explicit>", "<itunes:explicit>no</itunes:explicit>", 1
    )
    guids = [line for line in feed.splitlines() if "<guid" in line]
    feed = feed.replace(guids[1], guids[0])  # a duplicate guid
    (site / "feed.xml").write_text(feed, encoding="utf-8")
    problems, _ = check(str(site))
    text = "\n".join(problems)
    assert "enclosure length" in text and "bytes" in text
    assert "does not start with WEBVTT" in text
    assert "itunes:explicit must be true or false" in text
    assert "is used twice" in text
    r = run_cli("feed", "check", str(site))
    assert r.code == 1


def test_a_second_build_is_refused_while_one_runs(built: Path) -> None:
    import fcntl

    lock = (built / ".papercast" / "build.lock").open("a+")
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        r = run_cli("feed", "build", str(built))
        assert r.code == 2 and "in use by" in r.err and "papercast feed build" in r.err
    finally:
        lock.close()


def test_build_killed_mid_way_then_rerun_gives_a_complete_valid_site(tmp_path: Path) -> None:
    folder = make_folder(
        tmp_path, samples=FEED_SAMPLES + ["newspaper-library.txt", "agency-drones.txt"]
    )
    env = dict(os.environ, PAPERCAST_CACHE_DIR=str(tmp_path / "cache"))
    p = subprocess.Popen(
        [sys.executable, "-m", "papercast.cli", "feed", "build", str(folder)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    episodes = folder / "site" / "episodes"
    deadline = time.time() + 120
    while (
        time.time() < deadline
        and len(list(episodes.glob("*.mp3")) if episodes.is_dir() else []) < 2
    ):
        time.sleep(0.02)
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=30)
    assert not (folder / "site" / "feed.xml").exists() or len(list(episodes.glob("*.mp3"))) == 5
    r = subprocess.run(
        [sys.executable, "-m", "papercast.cli", "feed", "build", str(folder)],
        env=env,
        capture_output=True,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr.decode()
    d = feedparser.parse((folder / "site" / "feed.xml").read_bytes())
    assert len(d.entries) == 5 and len({e.guid for e in d.entries}) == 5
    assert sorted(p.name for p in episodes.iterdir() if ".papercast-" in p.name) == []
    assert check(str(folder / "site"))[0] == []


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def test_articles_from_an_rss_feed_served_on_loopback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERCAST_CACHE_DIR", str(tmp_path / "cache"))
    www = tmp_path / "www"
    www.mkdir()
    shutil.copy(SAMPLES / "broadcaster-lagoon.html", www / "lagoon.html")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(www)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    body = " ".join(
        ["The harbour board met on Tuesday and agreed the plan for the new sea wall."] * 20
    )
    (www / "articles.xml").write_text(
        f"""<?xml version="1.0"?>
<rss version="2.0"><channel><title>Wire</title><link>{base}/</link><description>d</description>
<item><title>Lagoon vote</title><link>{base}/lagoon.html</link><guid>urn:wire:lagoon</guid>
<description>A teaser only.</description><pubDate>Tue, 17 Nov 2026 08:00:00 +0000</pubDate></item>
<item><title>Sea wall plan agreed</title><link>{base}/wall</link><guid>urn:wire:wall</guid>
<description>&lt;p&gt;{body}&lt;/p&gt;</description>
<pubDate>Wed, 18 Nov 2026 09:30:00 +0000</pubDate></item>
</channel></rss>""",
        encoding="utf-8",
    )
    try:
        folder = make_folder(tmp_path, samples=[])
        cfg = folder / "papercast.toml"
        cfg.write_text(
            cfg.read_text(encoding="utf-8")
            .replace("feeds = []", f'feeds = ["{base}/articles.xml"]')
            .replace("allow_networks = []", 'allow_networks = ["127.0.0.1/32"]'),
            encoding="utf-8",
        )
        report = build(folder, quiet=True)
        assert sorted(report.rendered) == ["urn:wire:lagoon", "urn:wire:wall"] and not report.failed
        d = feedparser.parse((folder / "site" / "feed.xml").read_bytes())
        by_guid = {e.guid: e for e in d.entries}
        assert (
            by_guid["urn:wire:lagoon"].title
            == "Council backs tidal lagoon as Ó Fearghail wins vote in Aberdaron"
        )
        assert by_guid["urn:wire:wall"].published == "Wed, 18 Nov 2026 09:30:00 +0000"
        assert [e.guid for e in d.entries] == ["urn:wire:wall", "urn:wire:lagoon"]  # newest first
        assert check(str(folder / "site"))[0] == []
        again = build(folder, quiet=True)
        assert len(again.reused) == 2 and not again.rendered
        # papercast speak takes a URL too; a server on this machine only when allowed by name
        args = (
            "speak",
            f"{base}/lagoon.html",
            "-o",
            str(tmp_path / "url.mp3"),
            "--voice",
            TONE,
            "-q",
        )
        refused = run_cli(*args)
        assert refused.code == 2 and "127.0.0.1 is a loopback address" in refused.err
        assert not (tmp_path / "url.mp3").exists()
        r = run_cli(*args, "--allow-network", "127.0.0.0/8")
        assert r.code == 0, r.err
        assert soundfile.info(str(tmp_path / "url.mp3")).duration > 10
    finally:
        server.shutdown()
        server.server_close()


def test_config_round_trip_from_init(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, samples=[])
    cfg = load_config(folder)
    assert cfg.title == "Night & Day <News>" and cfg.base_url == "https://example.com/podcast/"
    assert cfg.category == "News" and cfg.subcategory == "Daily News" and cfg.explicit is False
    r = run_cli("feed", "init", str(folder))
    assert r.code == 2 and "already exists" in r.err


def _chromium() -> str | None:
    return (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


def _page_report(browser: str, url: str, profile: Path) -> list[dict[str, object]]:
    import json

    dom = subprocess.run(
        chromium(
            browser,
            profile,
            "--allow-file-access-from-files",
            "--virtual-time-budget=15000",
            "--dump-dom",
            url,
        ),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    ).stdout
    import re

    m = re.search(r'<pre id="check-result"[^>]*>(.*?)</pre>', dom, re.S)
    assert m, dom[-2000:]
    return json.loads(m.group(1))  # type: ignore[no-any-return]


@pytest.mark.parametrize("where", ["loopback", "disk"])
def test_index_page_plays_every_episode_with_captions_in_chromium(
    built: Path, tmp_path: Path, where: str
) -> None:

    from papercast.feed import serve

    site = built / "site"
    page = (site / "index.html").read_text(encoding="utf-8")
    assert page.count("<audio") == 3 and page.count("<track") == 3 and "AI-generated audio" in page
    browser = _chromium()
    if browser is None:
        pytest.skip(
            "headless Chromium not installed (Debian package 'chromium'; .ci/run installs it)"
        )
    server, base = serve.start(site)
    try:
        url = (
            base + "index.html" if where == "loopback" else (site / "index.html").as_uri()
        ) + "#check"
        results = _page_report(browser, url, tmp_path / "profile")
    finally:
        server.shutdown()
        server.server_close()
    import webvtt

    cues = {p.stem: len(list(webvtt.read(str(p)))) for p in (site / "episodes").glob("*.vtt")}
    assert len(results) == 3
    for r in results:
        slug = str(r["src"]).split("/")[-1][:-4]
        assert r["error"] is None and float(r["duration"]) > 1, r  # type: ignore[arg-type]
        assert r["cues"] == cues[slug], r


def test_podcastparser_reads_every_item_and_its_links(built: Path) -> None:
    """gPodder's parser knows the podcast namespace only under its old URI: a test copy uses it."""
    import io

    import podcastparser

    xml = (
        (built / "site" / "feed.xml")
        .read_bytes()
        .replace(
            PODCAST.encode(),
            b"https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md",
        )
    )
    parsed = podcastparser.parse("https://example.com/podcast/feed.xml", io.BytesIO(xml))
    assert parsed["title"] == "Night & Day <News>"
    assert len(parsed["episodes"]) == 3
    for ep in parsed["episodes"]:
        enc = ep["enclosures"][0]
        local = built / "site" / "episodes" / enc["url"].rsplit("/", 1)[-1]
        assert enc["file_size"] == local.stat().st_size and enc["mime_type"] == "audio/mpeg"
        assert (
            abs(
                enc.get("total_time", ep.get("total_time", 0)) - soundfile.info(str(local)).duration
            )
            <= 1
        )
        for key in ("transcript_url", "chapters_json_url"):
            name = ep[key].rsplit("/", 1)[-1]
            assert (built / "site" / "episodes" / name).is_file(), key


def test_daily_digest_joins_each_days_articles_from_cached_clips(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    monkeypatch.setenv("PAPERCAST_CACHE_DIR", str(tmp_path / "cache"))
    folder = make_folder(
        tmp_path,
        samples=["wire-copper.txt", "blog-sourdough.txt", "agency-drones.txt"],
        daily_digest="true",
    )
    for name in (
        "wire-copper.txt",
        "blog-sourdough.txt",
        "agency-drones.txt",
    ):  # one day for all three
        os.utime(folder / "articles" / name, (1_795_000_000, 1_795_000_000))
    report = build(folder, quiet=True)
    assert not report.failed, report.failed
    state = read_episodes(folder)
    digests = {k: v for k, v in state.items() if k.startswith("digest:")}
    articles = {k: v for k, v in state.items() if not k.startswith("digest:")}
    days: dict[str, int] = {}
    from email.utils import parsedate_to_datetime

    for v in articles.values():
        day = parsedate_to_datetime(v["pub_date"]).date().isoformat()
        days[day] = days.get(day, 0) + 1
    assert sorted(digests) == sorted(f"digest:{d}" for d in days)
    for key, d in digests.items():
        n = days[key[len("digest:") :]]
        assert len(d["chapters"]) == 1 + n  # the digest's headline, then one chapter per article
        assert d["synthesised"] == 1  # only the digest's own headline is new speech
        member_titles = {v["title"] for v in articles.values()}
        assert {t for t, _ in d["chapters"][1:]} <= member_titles
    d = feedparser.parse((folder / "site" / "feed.xml").read_bytes())
    assert len(d.entries) == len(articles) + len(digests)
    assert check(str(folder / "site"))[0] == []


def test_max_items_and_pages_for_a_big_feed(tmp_path: Path) -> None:
    """feed.xml lists the newest max_items; index.html shows page_size episodes and links the
    older ones on page-2.html ...; a page the list no longer fills is removed."""
    import lxml.html

    folder = make_folder(tmp_path, max_items="2", page_size="2")
    dates = {"wire-copper.txt": 3, "broadcaster-lagoon.html": 2, "blog-sourdough.txt": 1}
    for name, days_ago in dates.items():  # newest: wire-copper
        stamp = 1_795_000_000 - days_ago * 86_400
        os.utime(folder / "articles" / name, (stamp, stamp))
    assert not build(folder, quiet=True).failed
    site = folder / "site"
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    titles = [e.title for e in feed.entries]
    assert len(titles) == 2
    assert len(list((site / "episodes").glob("*.mp3"))) == 3  # all stay on the site
    first = lxml.html.fromstring((site / "index.html").read_bytes())
    second = lxml.html.fromstring((site / "page-2.html").read_bytes())
    on_first = [a.get("id") for a in first.iter("article")]
    on_second = [a.get("id") for a in second.iter("article")]
    assert len(on_first) == 2 and len(on_second) == 1
    assert set(on_first + on_second) == {p.stem for p in (site / "episodes").glob("*.mp3")}
    # the page links, above and below the list
    assert [a.get("href") for a in first.iter("a") if a.get("rel") == "next"] == ["page-2.html"] * 2
    assert [a.get("href") for a in second.iter("a") if a.get("rel") == "prev"] == ["index.html"] * 2
    assert not [a for a in second.iter("a") if a.get("rel") == "next"]
    # the feed's two are the first page's two, newest first
    first_titles = [a.findtext("h2") for a in first.iter("article")]
    assert first_titles == titles
    assert check(str(site))[0] == []
    (folder / "articles" / "blog-sourdough.txt").unlink()
    assert not build(folder, quiet=True).failed
    assert not (site / "page-2.html").exists()
