"""Word timings (issue 12): from the voice's own durations to the episode's timeline,
caption-grade VTT/SRT, the Podcasting 2.0 JSON transcript and the read-along page."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
import srt
import webvtt

from conftest import SAMPLES, chromium
from papercast.audio.transcripts import MAX_CUE_MS, split_sentence
from papercast.pipeline import EpisodeSettings, Renderer, RunFlags
from papercast.text.normalize import normalize_mapped
from papercast.types import Word
from papercast.voice.align import word_chars

DATA = Path(__file__).parent / "data"
TIMED = str(DATA / "timed-voice.onnx")
TONE = str(DATA / "tone-voice.onnx")
HOP = 256
VOICE_RATE = 22050


def hops(phoneme_id: int) -> int:
    """tests/make_test_voice.py: the timed voice gives each id (1 + id mod 3) hops."""
    return 1 + phoneme_id % 3


def _render(tmp_path: Path, source: Path | str, voice: str = TIMED, **settings: object):  # type: ignore[no-untyped-def]
    r = Renderer(
        EpisodeSettings(voice=voice, **settings), RunFlags(quiet=True, cache_dir=tmp_path / "cache")
    )
    return r, r.render(str(source), tmp_path / "ep.mp3")


def test_word_starts_match_the_voice_durations_to_the_sample(tmp_path: Path) -> None:
    from piper.phoneme_ids import phonemes_to_ids

    article = tmp_path / "a.md"
    article.write_text(
        "# Court frees Bialiatski\n\nThe court freed him today. Crowds waited outside the gate.\n",
        encoding="utf-8",
    )
    r, ep = _render(tmp_path, article)
    assert ep.timeline.timed_by == "voice"
    items = r.script(
        __import__("papercast.text.inputs", fromlist=["read_document"]).read_document(str(article))
    )[1]
    assert [w.text for w in ep.timeline.words] == " ".join(i.sentence.text for i in items).split()
    for index, item in enumerate(items):
        tokens = item.phonemes.split(" ")
        assert len(tokens) == len(
            item.sentence.text.split()
        )  # one espeak word per written word here
        ids = phonemes_to_ids(list(item.phonemes))  # piper's own id mapping, not ours
        samples = [HOP * hops(i) for i in ids]
        # Expected: word k starts at the space before it (id of the space), word 0 at the PAD after
        # BOS.
        expected, pos = [sum(samples[:1])], 2  # ids: BOS, PAD, then (symbol, PAD) per character
        for ch in item.phonemes[:-1]:
            if ch == " ":
                expected.append(sum(samples[:pos]))
            pos += 2
        words = [w for w in ep.timeline.words if w.sentence == index]
        got = [w.start_ms * VOICE_RATE / 1000 for w in words]
        # every time is a whole sample at the voice's rate ...
        assert all(abs(g - round(g)) < 1e-6 for g in got), got
        # ... and the offsets inside the sentence are exactly the voice's durations
        assert [round(g - got[0]) for g in got] == [e - expected[0] for e in expected]
        # the sentence sits where its clip was placed (the tone starts at the clip's first sample,
        # so nothing is trimmed; cue times are rounded to ms)
        assert (
            abs(words[0].start_ms - ep.cues[index].start_ms - 1000 * expected[0] / VOICE_RATE)
            <= 0.5
        )


def test_chapter_starts_at_its_headings_first_word(tmp_path: Path) -> None:
    _, ep = _render(tmp_path, SAMPLES / "broadcaster-lagoon.txt")
    assert len(ep.chapters) >= 2
    for chapter in ep.chapters[1:]:
        first = next(
            w
            for w in ep.timeline.words
            if w.text == chapter.title.split()[0] and abs(w.start_ms - chapter.start_ms) <= 1
        )
        assert first.end_ms > first.start_ms


def test_voice_without_durations_gets_a_labelled_estimate(tmp_path: Path) -> None:
    _, ep = _render(tmp_path, SAMPLES / "broadcaster-lagoon.txt", voice=TONE, page=True)
    assert ep.timeline.timed_by == "estimate"
    words = ep.timeline.words
    assert all(a.start_ms <= b.start_ms for a, b in zip(words, words[1:]))
    for w in words:
        cue = ep.cues[w.sentence]
        assert cue.start_ms - 1 <= w.start_ms <= w.end_ms <= cue.end_ms + 1
    assert "Word timings are estimated" in (tmp_path / "ep.html").read_text(encoding="utf-8")


def test_spoken_words_map_back_to_written_ones() -> None:
    text = "Mr. Bialiatski paid $5 million on Tuesday."
    spoken, origin = normalize_mapped(text)
    assert spoken == "Mister Bialiatski paid five million dollars on Tuesday."
    written = {m.start(): m.group(0) for m in re.finditer(r"\S+", text)}

    def of(word: str) -> str:
        i = origin[spoken.index(word)]
        return next(w for s, w in written.items() if s <= i < s + len(w))

    assert of("Mister") == "Mr." and of("Bialiatski") == "Bialiatski" and of("five") == "$5"
    assert of("dollars") == "million" and of("Tuesday") == "Tuesday."


def test_words_espeak_joins_are_still_found() -> None:
    # "of the" said alone is two words; in running speech espeak joins them into one token
    groups = [("ʌv",), ("ðə",), ("wˈɜːld",)]
    ranges = word_chars(groups, "ʌvðə wˈɜːld.")
    assert ranges == [(0, 2), (2, 4), (5, 11)]


def _w(text: str, start: float, end: float) -> Word:
    return Word(text, start, end, 0)


def test_caption_cuts_prefer_punctuation_then_conjunctions_and_never_split_names() -> None:
    words = [
        _w(t, i * 300, i * 300 + 250)
        for i, t in enumerate(
            "The council leader, who spoke after the vote on Tuesday evening in the chamber, "
            "thanked Aoife "
            "Ó Fearghail and the harbour master for their patience".split()
        )
    ]
    ranges = split_sentence(words)
    texts = [" ".join(w.text for w in words[i:j]) for i, j in ranges]
    assert " ".join(texts) == " ".join(w.text for w in words)
    assert texts[0].endswith(",")  # cut after punctuation
    for t in texts:
        assert len(t) <= 84
    assert not any(t.endswith(("Aoife", "Ó")) for t in texts)  # never inside the name


def _check_caption_files(vtt_path: Path, srt_path: Path, written: str) -> None:
    vtt = list(webvtt.read(str(vtt_path)))
    subs = list(srt.parse(srt_path.read_text(encoding="utf-8")))
    assert len(vtt) == len(subs) > 0
    prev_end = 0.0
    for cue, sub in zip(vtt, subs):
        lines = cue.text.split("\n")
        assert len(lines) <= 2 and all(len(x) <= 42 for x in lines), cue.text
        start = _secs(cue.start)
        end = _secs(cue.end)
        assert end - start <= MAX_CUE_MS / 1000 + 1e-9, cue.text
        assert start >= prev_end - 1e-9, "cues overlap"
        prev_end = end
        assert sub.content == cue.text and abs(sub.start.total_seconds() - start) < 1e-6
    joined = " ".join(" ".join(c.text.split("\n")) for c in vtt)
    assert joined == written


def _secs(stamp: str) -> float:
    h, m, s = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)


def _written(ep) -> str:  # type: ignore[no-untyped-def]
    return " ".join(" ".join(s.text.split()) for s in ep.sentences)


@pytest.mark.parametrize("sample", sorted(p.name for p in SAMPLES.glob("*.*")))
def test_every_caption_of_the_samples_meets_the_limits(tmp_path: Path, sample: str) -> None:
    _, ep = _render(tmp_path, SAMPLES / sample, transcripts=("vtt", "srt", "json"))
    _check_caption_files(tmp_path / "ep.vtt", tmp_path / "ep.srt", _written(ep))
    doc = json.loads((tmp_path / "ep.transcript.json").read_text(encoding="utf-8"))
    assert doc["version"] == "1.0.0"
    segments = doc["segments"]
    assert " ".join(s["body"] for s in segments) == _written(ep)
    assert all(a["startTime"] <= b["startTime"] for a, b in zip(segments, segments[1:]))
    assert all(s["startTime"] <= s["endTime"] for s in segments)


def _chromium() -> str | None:
    return (
        shutil.which("chromium")
        or shutil.which("chromium-browser")
        or shutil.which("google-chrome")
    )


# The test's own driver, appended to a copy of the page: it seeks the audio to words' start
# times and reports which word the page highlights, then clicks words and reports where the
# audio went. It posts its report to a server the test runs on loopback, which also holds an
# image in the page until then, so Chromium's load (and so its exit) waits for the driver.
DRIVER = """
<img alt="" src="SERVER/hold">
<script>
(async function () {
  var audio = document.getElementById("player");
  var out = {highlighted: [], clicked: [], duration: 0};
  function seeked() {
    return new Promise(function (ok) { audio.addEventListener("seeked", ok, {once: true}); });
  }
  try {
    if (audio.readyState < 1) {
      await new Promise(function (ok) {
        audio.addEventListener("loadedmetadata", ok, {once: true});
      });
    }
    out.duration = audio.duration;
    var words = Array.prototype.slice.call(document.querySelectorAll(".w"));
    var picks = PICKS;
    for (var k = 0; k < picks.length; k++) {
      var w = words[picks[k]];
      var p = seeked(); audio.currentTime = parseFloat(w.dataset.s) + 0.002; await p;
      var now = document.querySelectorAll(".w.now");
      out.highlighted.push({want: picks[k],
                            got: now.length === 1 ? words.indexOf(now[0]) : -now.length,
                            aria: now.length === 1 ? now[0].getAttribute("aria-current") : null});
    }
    for (var k = picks.length - 1; k >= 0; k--) {
      var w = words[picks[k]];
      var p = seeked(); w.click(); await p;
      out.clicked.push({want: parseFloat(w.dataset.s), got: audio.currentTime});
    }
  } catch (e) { out.error = String(e); }
  fetch("SERVER/result", {method: "POST", body: JSON.stringify(out)});
})();
</script>
"""


class _Collector:
    """A loopback HTTP server that receives the driver's report."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.done = threading.Event()
        self.report: dict[str, object] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                outer.done.wait(60)
                self.send_response(204)
                self.end_headers()

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.report = json.loads(body)
                outer.done.set()
                self.send_response(204)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.done.set()
        self.server.shutdown()
        self.server.server_close()


def test_read_along_page_highlights_and_seeks_in_chromium(tmp_path: Path) -> None:
    _, ep = _render(tmp_path, SAMPLES / "broadcaster-lagoon.txt", page=True)
    page = tmp_path / "ep.html"
    html = page.read_text(encoding="utf-8")
    assert (
        'src="ep.mp3"' in html and "http://" not in html and "https://" not in html
    )  # works from disk
    spans = re.findall(
        r'<span class="w" data-s="([0-9.]+)" data-e="([0-9.]+)">([^<]*)</span>', html
    )
    assert len(spans) == len(ep.timeline.words)
    assert [float(s) for s, _, _ in spans] == [
        round(w.start_ms / 1000, 3) for w in ep.timeline.words
    ]
    assert np.all(np.diff([float(s) for s, _, _ in spans]) >= 0)
    assert html.count('tabindex="0"') == len(ep.sentences)  # every sentence reachable by keyboard
    for c in ep.chapters:
        assert f'data-t="{c.start_ms / 1000:.3f}"' in html
    browser = _chromium()
    if browser is None:
        pytest.skip(
            "headless Chromium not installed (Debian package 'chromium'; .ci/run installs it)"
        )
    n = len(spans)
    picks = sorted({1, 7, n // 3, n // 2, n - 2})
    picks = [p for p in picks if float(spans[p][0]) < float(spans[p + 1][0])]
    collector = _Collector()
    try:
        driver = DRIVER.replace("PICKS", json.dumps(picks)).replace("SERVER", collector.url)
        driven = tmp_path / "driven.html"  # beside ep.mp3: opened from disk, as a reader would
        driven.write_text(html.replace("</body>", driver + "</body>"), encoding="utf-8")
        subprocess.run(
            chromium(
                browser,
                tmp_path / "profile",
                "--allow-file-access-from-files",
                "--timeout=60000",
                "--dump-dom",
                driven.as_uri(),
            ),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert collector.done.is_set(), "the page never reported"
        result = collector.report
    finally:
        collector.close()
    assert "error" not in result, result
    assert result["duration"] == pytest.approx(ep.duration_ms / 1000, abs=0.1)
    assert [h["got"] for h in result["highlighted"]] == picks  # type: ignore[index]
    assert all(h["aria"] == "true" for h in result["highlighted"])  # type: ignore[index]
    for c in result["clicked"]:  # type: ignore[union-attr]
        assert c["got"] == pytest.approx(c["want"], abs=0.002)
