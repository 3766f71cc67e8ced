"""Transcripts and chapter files from the voice's own word timings: WebVTT and SRT
captions, a Podcasting 2.0 JSON transcript with one segment per word, and
Podcasting 2.0 chapters JSON (version 1.2.0). Everything carries the written
text, never a lexicon's respelling.

Captions follow common subtitle guidance (BBC, Netflix): a cue holds at most two
lines of at most 42 characters and lasts at most 7 s. A long sentence is cut at
its best phrase boundary: after punctuation, else before a conjunction or
preposition, else between any two words, but never inside a name (a run of
capitalised words), and a cue is never cut to less than 40% of what would fit.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from papercast.types import Chapter, Cue, Timeline, Word

MAX_LINE_CHARS = 42
MAX_LINES = 2
MAX_CUE_MS = 7000.0
MIN_FILL = 0.4  # a cut leaves the cue at least this share of the words that would fit
_PHRASE_END = (",", ";", ":", "—", "–", ")", "”", '"')
_PHRASE_START = set(
    """and but or nor so yet because although though while whereas if unless until when
    where after before since as than that which who whom whose of in on at to for from with by
    about into onto over under between among through during without within against across
    toward towards""".split()
)


def clock(ms: float) -> str:
    """A time for people to read: "4:05", "1:02:03"."""
    s = int(ms // 1000)
    return (
        f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
    )


def _stamp(ms: float, sep: str) -> str:
    h, rest = divmod(max(0, int(round(ms))), 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{milli:03d}"


def lines(text: str, width: int = MAX_LINE_CHARS) -> list[str]:
    """``text`` as one line, or two lines cut at the space that balances them best
    (after punctuation when that costs little); a single word is never broken."""
    if len(text) <= width:
        return [text]
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    fitting = [i for i in spaces if i <= width and len(text) - i - 1 <= width]
    if not fitting:  # does not fit two lines: cut as near the middle as words allow
        fitting = spaces
    if not fitting:
        return [text]

    def badness(i: int) -> float:
        left, right = text[:i].rsplit(" ", 1)[-1], text[i + 1 :].split(" ", 1)[0]
        inside_name = _name_like(left) and _name_like(right) and not left.endswith(_PHRASE_END)
        return (
            abs(len(text) - 2 * i) - (8 if text[i - 1] in ",;:" else 0) + (30 if inside_name else 0)
        )

    cut = min(fitting, key=badness)
    return [text[:cut], text[cut + 1 :]]


def fits(text: str) -> bool:
    got = lines(text)
    return len(got) <= MAX_LINES and all(len(x) <= MAX_LINE_CHARS for x in got)


def _name_like(word: str) -> bool:
    core = word.strip("\"'“”‘’([")
    return bool(core) and core[0].isupper()


def _cut_quality(words: Sequence[Word], k: int) -> int:
    """How good a cue boundary before ``words[k]`` is: 3 after punctuation, 2 before a
    conjunction or preposition, 1 anywhere else, 0 inside a name."""
    left, right = words[k - 1].text, words[k].text
    if left.endswith(_PHRASE_END) or left.endswith((".", "?", "!")):
        return 3
    if _name_like(left) and _name_like(right):
        return 0
    if right.lower().strip("\"'“”‘’(") in _PHRASE_START:
        return 2
    return 1


def _fit_end(words: Sequence[Word], i: int) -> int:
    """The largest j such that words[i:j] fit one cue (at least one word)."""
    j = i + 1
    while j < len(words):
        text = " ".join(w.text for w in words[i : j + 1])
        if not fits(text) or words[j].end_ms - words[i].start_ms > MAX_CUE_MS:
            break
        j += 1
    return j


def split_sentence(words: Sequence[Word]) -> list[tuple[int, int]]:
    """Word ranges [i, j) of one sentence's caption cues."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(words):
        j = _fit_end(words, i)
        if j < len(words):
            least = i + max(1, int((j - i) * MIN_FILL))
            best = max(range(least, j + 1), key=lambda k: (_cut_quality(words, k), k))
            if _cut_quality(words, best) > 0 or best == j:
                j = best
        out.append((i, j))
        i = j
    return out


def captions(timeline: Timeline) -> tuple[Cue, ...]:
    """Caption cues from word timings; without words, one cue per sentence."""
    if not timeline.words:
        return timeline.cues
    by_sentence: dict[int, list[Word]] = {}
    for w in timeline.words:
        by_sentence.setdefault(w.sentence, []).append(w)
    out: list[Cue] = []
    for index in sorted(by_sentence):
        words = by_sentence[index]
        sentence_end = (
            timeline.cues[index].end_ms if index < len(timeline.cues) else words[-1].end_ms
        )
        ranges = split_sentence(words)
        for n, (i, j) in enumerate(ranges):
            start = words[i].start_ms
            last_said = max(w.end_ms for w in words[i:j])
            follow = words[ranges[n + 1][0]].start_ms if n + 1 < len(ranges) else sentence_end
            end = max(last_said, min(follow, start + MAX_CUE_MS))
            out.append(
                Cue(int(round(start)), int(round(end)), " ".join(w.text for w in words[i:j]))
            )
    # Rounding to ms must not make neighbours overlap.
    fixed: list[Cue] = []
    for c in out:
        if fixed and c.start_ms < fixed[-1].end_ms:
            prev = fixed[-1]
            fixed[-1] = Cue(prev.start_ms, c.start_ms, prev.text)
        fixed.append(c)
    return tuple(fixed)


def to_vtt(cues: Sequence[Cue]) -> str:
    out = ["WEBVTT", ""]
    for i, c in enumerate(cues, start=1):
        out += [
            str(i),
            f"{_stamp(c.start_ms, '.')} --> {_stamp(c.end_ms, '.')}",
            *lines(c.text),
            "",
        ]
    return "\n".join(out)


def to_srt(cues: Sequence[Cue]) -> str:
    out = []
    for i, c in enumerate(cues, start=1):
        out += [
            str(i),
            f"{_stamp(c.start_ms, ',')} --> {_stamp(c.end_ms, ',')}",
            *lines(c.text),
            "",
        ]
    return "\n".join(out)


def to_transcript_json(timeline: Timeline) -> str:
    """Podcasting 2.0 JSON transcript, one segment per spoken word (written spelling)."""
    segments = [
        {
            "startTime": round(w.start_ms / 1000, 3),
            "endTime": round(w.end_ms / 1000, 3),
            "body": w.text,
        }
        for w in timeline.words
    ]
    if not segments:
        segments = [
            {
                "startTime": round(c.start_ms / 1000, 3),
                "endTime": round(c.end_ms / 1000, 3),
                "body": c.text,
            }
            for c in timeline.cues
        ]
    rows = ",\n".join(json.dumps(x, ensure_ascii=False) for x in segments)  # one segment per line
    return f'{{"version": "1.0.0", "segments": [\n{rows}\n]}}\n'


def to_chapters_json(chapters: tuple[Chapter, ...], title: str) -> str:
    doc = {
        "version": "1.2.0",
        "title": title,
        "chapters": [
            {
                "startTime": round(c.start_ms / 1000, 3),
                "endTime": round(c.end_ms / 1000, 3),
                "title": c.title,
            }
            for c in chapters
        ],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
