"""index.html: a static page of the episodes, each with a player, captions, chapters and
the transcript. Relative links only, no scripts from elsewhere: it works from disk and
from any static host."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

from papercast.audio.transcripts import clock
from papercast.feed.config import FeedConfig
from papercast.feed.rss import AI_DISCLOSURE
from papercast.markup import html_text


@dataclass(frozen=True)
class PageEpisode:
    slug: str
    title: str
    pub_date: str
    description_html: str
    duration_s: int
    has_vtt: bool
    chapters: tuple[tuple[str, int], ...]  # (title, start_ms)
    cues: tuple[tuple[int, str], ...]  # (start_ms, text)


def page_name(number: int) -> str:
    """The file of page ``number`` of the episode list (1 is index.html)."""
    return "index.html" if number == 1 else f"page-{number}.html"


def render_pages(cfg: FeedConfig, episodes: list[PageEpisode], cover_name: str) -> list[bytes]:
    """index.html and, past ``cfg.page_size`` episodes (newest first), page-2.html ...: a page
    of 5,000 players and transcripts would be megabytes no browser wants."""
    size = max(1, cfg.page_size)
    chunks = [episodes[i : i + size] for i in range(0, len(episodes), size)] or [[]]
    return [
        render_page(cfg, chunk, cover_name, n, len(chunks)) for n, chunk in enumerate(chunks, 1)
    ]


def _nav(page: int, pages: int) -> str:
    if pages == 1:
        return ""
    links = []
    if page > 1:
        links.append(f'<a rel="prev" href="{page_name(page - 1)}">Newer episodes</a>')
    links.append(f"page {page} of {pages}")
    if page < pages:
        links.append(f'<a rel="next" href="{page_name(page + 1)}">Older episodes</a>')
    return '<nav class="pages">' + " · ".join(links) + "</nav>\n"


def render_page(
    cfg: FeedConfig, episodes: list[PageEpisode], cover_name: str, page: int = 1, pages: int = 1
) -> bytes:
    e = html_text
    parts = [
        f"""<!doctype html>
<html lang="{e(cfg.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(cfg.title)}</title>
<link rel="alternate" type="application/rss+xml" title="{e(cfg.title)}" href="feed.xml">
<style>
body {{ font: 17px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem;
       color: #222; }}
header img {{ width: 9rem; height: 9rem; float: right; margin-left: 1rem; border-radius: .5rem; }}
article {{ border-top: 1px solid #ccc; padding: 1rem 0; clear: both; }}
audio {{ width: 100%; }}
.disclosure {{ background: #fff6d6; padding: .5rem .75rem; border-radius: .25rem; }}
ol.chapters button {{ font: inherit; background: none; border: none; color: #0645ad;
                      cursor: pointer;
                      padding: 0; text-decoration: underline; }}
details p {{ margin: .25rem 0; }}
</style>
</head>
<body>
<header>
{f'<img src="{e(cover_name)}" alt="">' if cover_name else ""}
<h1>{e(cfg.title)}</h1>
<p>{e(cfg.description)}</p>
<p class="disclosure" role="note"><strong>AI-generated audio.</strong> {e(AI_DISCLOSURE)}</p>
<p><a href="feed.xml">Podcast feed (RSS)</a>: paste its address into any podcast app.</p>
</header>
{_nav(page, pages)}<main>
"""
    ]
    for ep in episodes:
        audio_id = f"audio-{ep.slug}"
        track = (
            (
                f'\n<track kind="captions" src="episodes/{e(ep.slug)}.vtt" '
                f'srclang="{e(cfg.language[:2])}" '
                f'label="Transcript" default>'
            )
            if ep.has_vtt
            else ""
        )
        chapters = "".join(
            f'<li><button type="button" data-audio="{audio_id}" data-start="{ms / 1000:.3f}">'
            f"{e(title)}</button> <span>{clock(ms)}</span></li>"
            for title, ms in ep.chapters
        )
        transcript = "".join(f"<p><span>{clock(ms)}</span> {e(text)}</p>" for ms, text in ep.cues)
        parts.append(f"""<article id="{e(ep.slug)}">
<h2>{e(ep.title)}</h2>
<p><time>{e(ep.pub_date)}</time> · {clock(ep.duration_s * 1000)}</p>
<audio id="{audio_id}" controls preload="metadata" src="episodes/{e(ep.slug)}.mp3">{track}
</audio>
<div>{ep.description_html}</div>
{f'<h3>Chapters</h3><ol class="chapters">{chapters}</ol>' if chapters else ""}
<details><summary>Transcript</summary>{transcript}</details>
<p><a href="episodes/{e(ep.slug)}.html">Read along</a> (the text highlighted as it is said) ·
<a href="episodes/{e(ep.slug)}.mp3" download>Download MP3</a></p>
</article>
""")
    parts.append(
        "</main>\n"
        + _nav(page, pages)
        + """<pre id="check-result" hidden></pre>
<script>
document.querySelectorAll("ol.chapters button").forEach(function (b) {
  b.addEventListener("click", function () {
    var a = document.getElementById(b.dataset.audio);
    a.currentTime = parseFloat(b.dataset.start);
    a.play();
  });
});
// Open as index.html#check to have the page report every player's duration and caption cues
// (used by papercast's tests; harmless otherwise).
if (location.hash === "#check") {
  var audios = Array.prototype.slice.call(document.querySelectorAll("audio"));
  var waits = [];
  audios.forEach(function (a) {
    waits.push(new Promise(function (done) {
      if (a.readyState >= 1) return done();
      a.addEventListener("loadedmetadata", done, {once: true});
      a.addEventListener("error", done, {once: true});
      a.load();
    }));
    Array.prototype.forEach.call(a.querySelectorAll("track"), function (t) {
      t.track.mode = "hidden";
      waits.push(new Promise(function (done) {
        if (t.readyState === 2 || t.readyState === 3) return done();
        t.addEventListener("load", done, {once: true});
        t.addEventListener("error", done, {once: true});
      }));
    });
  });
  Promise.all(waits).then(function () {
    document.getElementById("check-result").textContent = JSON.stringify(audios.map(function (a) {
      var t = a.querySelector("track");
      return {src: a.getAttribute("src"), duration: a.duration,
              error: a.error ? a.error.code : null,
              cues: t && t.track.cues ? t.track.cues.length : -1};
    }));
  });
}
</script>
<script type="application/json" id="episodes">"""
        + html.escape(json.dumps([ep.slug for ep in episodes]), quote=False)
        + """</script>
</body>
</html>
"""
    )
    return "".join(parts).encode("utf-8")
