"""The read-along page: one self-contained HTML file with the player and the text.

The word being said is highlighted as the audio plays; clicking a word plays from
there; chapters are links. No network and no files but the MP3 beside it: the
styles and the script are inline, so it works opened from disk. Keyboard: the
player's own controls, chapter links, and every sentence is focusable (Tab) and
plays from its first word on Enter or Space. ``#t=SECONDS`` in the address seeks.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from papercast.audio.transcripts import clock
from papercast.markup import html_text
from papercast.types import Role, Sentence, Timeline, Word

_STYLE = """
body{font:1.1rem/1.6 system-ui,sans-serif;max-width:42rem;margin:0 auto;padding:1rem;
color:#1b1b1b;background:#fff}
header{position:sticky;top:0;background:inherit;padding:.5rem 0;border-bottom:1px solid #ccc}
audio{width:100%}
nav ol{padding-left:1.2rem;margin:.3rem 0}
.w{cursor:pointer;border-radius:.2rem}
.w.now{background:#ffe066;color:#000}
.s:focus{outline:2px solid #1a5fb4;outline-offset:2px}
.note{color:#555;font-size:.9rem}
@media (prefers-color-scheme:dark){body{background:#161616;color:#eee}.note{color:#aaa}}
"""

_SCRIPT = """
(function () {
  var audio = document.getElementById("player");
  var words = Array.prototype.slice.call(document.querySelectorAll(".w"));
  var starts = words.map(function (w) { return parseFloat(w.dataset.s); });
  var current = null;
  function find(t) {  // the last word that has started by time t
    var lo = 0, hi = starts.length - 1, best = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (starts[mid] <= t + 1e-4) { best = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    if (best >= 0 && t > parseFloat(words[best].dataset.e) + 0.75) return -1;  // in a long pause
    return best;
  }
  function show() {
    var i = find(audio.currentTime);
    var w = i >= 0 ? words[i] : null;
    if (w === current) return;
    if (current) { current.classList.remove("now"); current.removeAttribute("aria-current"); }
    current = w;
    if (w) {
      w.classList.add("now"); w.setAttribute("aria-current", "true");
      if (!audio.paused) {
        var r = w.getBoundingClientRect();
        if (r.top < 80 || r.bottom > window.innerHeight) w.scrollIntoView({block: "center"});
      }
    }
  }
  function tick() { show(); if (!audio.paused) requestAnimationFrame(tick); }
  function seek(t) { audio.currentTime = t; show(); }
  audio.addEventListener("timeupdate", show);
  audio.addEventListener("seeked", show);
  audio.addEventListener("play", function () { requestAnimationFrame(tick); });
  document.addEventListener("click", function (ev) {
    var w = ev.target.closest(".w");
    if (w) { seek(parseFloat(w.dataset.s)); return; }
    var a = ev.target.closest("a[data-t]");
    if (a) { ev.preventDefault(); seek(parseFloat(a.dataset.t)); }
  });
  document.addEventListener("keydown", function (ev) {
    var s = ev.target.closest && ev.target.closest(".s");
    if (s && (ev.key === "Enter" || ev.key === " ")) {
      ev.preventDefault();
      var first = s.querySelector(".w");
      if (first) { seek(parseFloat(first.dataset.s)); audio.play().catch(function () {}); }
    }
  });
  var m = /^#t=([0-9.]+)$/.exec(location.hash);
  if (m) seek(parseFloat(m[1]));
})();
"""


def _sec(ms: float) -> str:
    return f"{ms / 1000:.3f}"


def _sentence_html(words: Sequence[Word], fallback: str) -> str:
    if not words:
        return html_text(fallback)
    return " ".join(
        f'<span class="w" data-s="{_sec(w.start_ms)}" '
        f'data-e="{_sec(w.end_ms)}">{html_text(w.text)}</span>'
        for w in words
    )


def page(
    title: str,
    mp3_name: str,
    sentences: Sequence[Sentence],
    timeline: Timeline,
    byline: str = "",
    date: str = "",
    language: str = "en",
) -> str:
    """The read-along page for an episode whose MP3 is ``mp3_name`` beside it."""
    e = html_text
    by_sentence: dict[int, list[Word]] = {}
    for w in timeline.words:
        by_sentence.setdefault(w.sentence, []).append(w)
    chapters = "".join(
        f'<li><a href="#t={_sec(c.start_ms)}" data-t="{_sec(c.start_ms)}">{e(c.title)}</a> '
        f'<span class="note">{clock(c.start_ms)}</span></li>'
        for c in timeline.chapters
    )
    body: list[str] = []
    para: list[str] = []
    last_paragraph = None
    headline: str | None = None  # the spoken headline, highlighted like the rest

    def flush() -> None:
        if para:
            body.append("<p>" + " ".join(para) + "</p>")
            para.clear()

    for i, s in enumerate(sentences):
        inner = _sentence_html(by_sentence.get(i, []), s.text)
        span = f'<span class="s" tabindex="0">{inner}</span>'
        if s.role == Role.TITLE and headline is None:
            headline = span
        elif s.role == Role.TITLE:
            flush()
            body.append(f"<h2>{span}</h2>")
        elif s.role == Role.HEADING:
            flush()
            body.append(f"<h3>{span}</h3>")
        else:
            if last_paragraph is not None and s.paragraph != last_paragraph:
                flush()
            para.append(span)
            last_paragraph = s.paragraph
            if s.last_in_paragraph:
                flush()
                last_paragraph = None
    flush()
    meta = " · ".join(x for x in (byline, date) if x)
    note = (
        "Word timings are estimated (this voice does not report its own)."
        if timeline.timed_by == "estimate"
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="{e(language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<header>
<h1>{headline or e(title)}</h1>
{f'<p class="note">{e(meta)}</p>' if meta else ""}
<audio id="player" controls preload="metadata" src="{e(mp3_name)}"></audio>
<p class="note">Click a word to play from there; Tab to a sentence and press Enter to play it.
AI-generated audio. {e(note)}</p>
</header>
<nav aria-label="Chapters"><ol>{chapters}</ol></nav>
<main>
{chr(10).join(body)}
</main>
<script type="application/json" id="timing">
{e(json.dumps({"timed_by": timeline.timed_by}), quote=False)}
</script>
<script>{_SCRIPT}</script>
</body>
</html>
"""
