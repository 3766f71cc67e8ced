"""Hearing names and voices: ``lexicon say`` renders one name, ``lexicon audition`` a static
HTML sheet of every entry, each with the lexicon's pronunciation and espeak's default, and
``voices audition`` a sheet with one paragraph read by each speaker of a voice."""

from __future__ import annotations

import html
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from papercast.audio import loudness
from papercast.audio.assemble import OUTPUT_RATE_HZ, fade, trim_bounds
from papercast.audio.mp3 import encode_mp3
from papercast.errors import PapercastError
from papercast.files import write_bytes
from papercast.text.normalize import normalize_mapped
from papercast.types import Phonemized, Role, Sentence
from papercast.voice.align import WordAligner
from papercast.voice.lexicon import Entry, Lexicon
from papercast.voice.phonemize import phonemize_sentence
from papercast.voice.synthesize import Synthesizer

CARRIER = "Today we spoke to {} about the news."


def render(synth: Synthesizer, text: str, lexicon: Lexicon | None) -> tuple[np.ndarray, str]:
    """Audio (voice rate) and phonemes for one phrase, with or without the lexicon."""
    audio, phonemes, _ = render_timed(synth, text, lexicon)
    return audio, phonemes


def render_timed(
    synth: Synthesizer, text: str, lexicon: Lexicon | None
) -> tuple[np.ndarray, str, list[tuple[str, int, int]]]:
    """Audio, phonemes, and each written word's samples in that audio (the episode's word
    timings)."""

    spoken, origin = normalize_mapped(text)
    split = lexicon.split if lexicon else None
    phonemes = phonemize_sentence(spoken, synth.config.espeak_voice, split)
    clip = synth.clip(
        Phonemized(Sentence(text, spoken, -1, -1, Role.BODY, True, tuple(origin)), phonemes)
    )
    rate = synth.sample_rate_hz
    lo, hi = trim_bounds(clip.samples, rate)
    words = WordAligner(synth.config.phoneme_id_map, split, synth.config.espeak_voice).locate(
        clip.item, clip.id_samples, len(clip.samples)
    )
    placed = [(w, min(max(a - lo, 0), hi - lo), min(max(b - lo, 0), hi - lo)) for w, a, b in words]
    return fade(clip.samples[lo:hi], rate), phonemes, placed


def to_mp3(parts: list[np.ndarray], rate_hz: int, path: Path, gap_ms: int = 600) -> None:
    gap = np.zeros(int(rate_hz * gap_ms / 1000), np.float32)
    audio = np.concatenate([x for p in parts for x in (p, gap)] or [gap])
    audio = loudness.level_whole(audio, rate_hz, -16.0, -2.0)
    data = encode_mp3(loudness.resample(audio, rate_hz, OUTPUT_RATE_HZ), OUTPUT_RATE_HZ)
    write_bytes(path, data)


GAP_MS = 600


def say(synth: Synthesizer, lexicon: Lexicon, phrase: str, out: Path, compare: bool) -> list[str]:
    """Write the phrase alone and in a carrier sentence; return lines describing what was said,
    with where the phrase is heard in the MP3 (from the voice's own word timings)."""
    parts, report = [], []
    rate = synth.sample_rate_hz
    at = 0  # samples into the MP3
    n_words = len(phrase.split())
    for label, lex in [("lexicon", lexicon)] + ([("espeak", None)] if compare else []):
        alone, ph_alone, _ = render_timed(synth, phrase, lex)
        carried, _, words = render_timed(synth, CARRIER.format(phrase), lex)
        offset = at + len(alone) + int(rate * GAP_MS / 1000)
        k = len(CARRIER.split("{}")[0].split())
        name = words[k : k + n_words]
        start, end = (offset + name[0][1]) / rate, (offset + name[-1][2]) / rate
        parts += [alone, carried]
        at = offset + len(carried) + int(rate * GAP_MS / 1000)
        report.append(
            f"{label}: /{ph_alone}/ alone {len(alone) / rate:.2f} s; in the sentence "
            f"{start:.2f}-{end:.2f} s of the MP3 ({end - start:.2f} s)"
        )
    to_mp3(parts, rate, out, GAP_MS)
    return report


def audition(synth: Synthesizer, lexicon: Lexicon, out_dir: Path) -> Path:
    """A static page (no server) listing every entry with audio both ways; returns index.html."""

    def write(audio_dir: Path) -> str:
        rows = []
        for i, entry in enumerate(lexicon.entries, start=1):
            for label, lex in (("lexicon", lexicon), ("espeak", None)):
                audio, _ = render(synth, CARRIER.format(entry.word), lex)
                to_mp3([audio], synth.sample_rate_hz, audio_dir / f"{i:03d}-{label}.mp3", 300)
            rows.append(_row(i, entry))
        return _page(rows, synth.profile.name)

    return _sheet(out_dir, write)


# Read by every speaker in ``voices audition``: names, numbers, a question and a quotation, so
# a publisher hears how each speaker handles what news copy holds.
AUDITION_PARAGRAPH = (
    "Good evening. The council voted seven to two on Tuesday to close the old bridge by "
    "March 2027, at a cost of 4.5 million dollars. “We had no other choice,” the mayor said. "
    "Will the ferry be enough for the twelve thousand people who cross each day?"
)
DEFAULT_SPEAKERS = 12  # a sheet of the first dozen unless asked for more (some voices have 900)


def voice_audition(synth_for: Any, count: int, speakers: int | None, out_dir: Path) -> Path:
    """A static page with the audition paragraph read by each of the first ``speakers`` of a
    voice's ``count`` speakers (``synth_for(i)``: the voice as speaker ``i``); returns
    index.html."""
    shown = max(1, min(count, speakers or DEFAULT_SPEAKERS))

    def write(audio_dir: Path) -> str:
        rows, name = [], ""
        for i in range(shown):
            synth = synth_for(i)
            name = synth.profile.name
            audio, _ = render(synth, AUDITION_PARAGRAPH, None)
            to_mp3([audio], synth.sample_rate_hz, audio_dir / f"speaker-{i:03d}.mp3", 300)
            rows.append((i, len(audio) / synth.sample_rate_hz))
        return _voice_page(rows, name, count, _speaker_names(synth_for(0).profile))

    return _sheet(out_dir, write)


def _speaker_names(profile: Any) -> dict[int, str]:
    names = profile.voice_config().get("speaker_id_map") or {}
    return {int(v): str(k) for k, v in names.items()}


def _sheet(out_dir: Path, write: Any) -> Path:
    """Build a sheet in a staging folder beside ``out_dir`` (``write(audio_dir)`` makes the
    audio and returns the page), then move its files into place, the page last."""
    if out_dir.exists() and not out_dir.is_dir():
        raise PapercastError(f"{out_dir}: exists and is not a folder")
    parent = out_dir.resolve().parent
    if not parent.is_dir():
        raise PapercastError(f"{out_dir}: parent folder {parent} does not exist")
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=parent))
    try:
        (staging / "audio").mkdir()
        (staging / "index.html").write_text(write(staging / "audio"), encoding="utf-8")
        out_dir.mkdir(exist_ok=True)
        (out_dir / "audio").mkdir(exist_ok=True)
        for f in sorted((staging / "audio").iterdir()):
            f.replace(out_dir / "audio" / f.name)
        (staging / "index.html").replace(out_dir / "index.html")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out_dir / "index.html"


def _row(i: int, e: Entry) -> str:
    esc = html.escape
    forms = esc(e.word) + (
        f"<br><small>also: {esc(', '.join(e.variants))}</small>" if e.variants else ""
    )
    return (
        f"<tr><td>{forms}</td><td class=ipa>/{esc(e.ipa)}/</td><td>{esc(e.note)}</td>"
        f'<td><audio controls preload="metadata" src="audio/{i:03d}-lexicon.mp3"></audio></td>'
        f'<td><audio controls preload="metadata" src="audio/{i:03d}-espeak.mp3"></audio></td></tr>'
    )


def _page(rows: list[str], voice: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>papercast lexicon audition</title>
<style>
body {{ font: 15px/1.4 system-ui, sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .4em .6em; vertical-align: top; }}
.ipa {{ font-family: "DejaVu Sans", "Noto Sans", sans-serif; white-space: nowrap; }}
</style></head><body>
<h1>Lexicon audition</h1>
<p>Voice: {html.escape(voice)}. Each name is read in the sentence
“{html.escape(CARRIER.format("…"))}”,
once with the lexicon and once as espeak-ng would say it without one.</p>
<table><thead><tr><th>Name</th><th>IPA</th><th>Note</th>
<th>With lexicon</th><th>espeak default</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
{_CHECK}
</body></html>
"""


def _voice_page(
    rows: list[tuple[int, float]], voice: str, count: int, names: dict[int, str]
) -> str:
    esc = html.escape
    body = "\n".join(
        f"<tr><td>{i}</td><td>{esc(names.get(i, ''))}</td><td>{seconds:.1f} s</td>"
        f'<td><audio controls preload="metadata" src="audio/speaker-{i:03d}.mp3"></audio></td></tr>'
        for i, seconds in rows
    )
    more = (
        f" The first {len(rows)} of its {count} speakers are here (--speakers N for more)."
        if len(rows) < count
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>papercast voice audition</title>
<style>
body {{ font: 15px/1.4 system-ui, sans-serif; margin: 2em; max-width: 60em; }}
table {{ border-collapse: collapse; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .4em .6em; }}
</style></head><body>
<h1>Voice audition: {esc(voice)}</h1>
<p>Each speaker reads the same paragraph; choose one with <code>--speaker NAME|ID</code> (or
<code>speaker</code> in a profile, front matter or papercast.toml).{more}</p>
<blockquote>{esc(AUDITION_PARAGRAPH)}</blockquote>
<table><thead><tr><th>ID</th><th>Name</th><th>Length</th><th>Listen</th></tr></thead>
<tbody>
{body}
</tbody></table>
{_CHECK}</body></html>
"""


_CHECK = """<pre id="check-result"></pre>
<script>
// Open as index.html#check to have the page report each audio element's duration (used by tests).
if (location.hash === "#check") {
  const audios = Array.from(document.querySelectorAll("audio"));
  const report = () => { document.getElementById("check-result").textContent =
    JSON.stringify(audios.map(a => ({src: a.getAttribute("src"), duration: a.duration,
                                      error: a.error ? a.error.code : null}))); };
  let pending = audios.length;
  audios.forEach(a => {
    const done = () => { pending -= 1; if (pending === 0) report(); };
    if (a.readyState >= 1) done();
    else {
      a.addEventListener("loadedmetadata", done, {once: true});
      a.addEventListener("error", done, {once: true});
      a.load();
    }
  });
  if (audios.length === 0) report();
}
</script>
"""
