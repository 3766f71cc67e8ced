"""Intelligibility by measurement: transcribe each sentence of an episode with
pocketsphinx (CMU's offline recogniser, English model shipped in its wheel) and
report the word error rate against the words papercast meant to say.

pocketsphinx is a weak recogniser and knows none of the foreign names, so the
absolute WER is high; what matters is the comparison (lexicon on/off, voice
settings) and sentences whose WER stands out (garbled or cut clips).

Usage: pip install pocketsphinx; python benchmarks/intelligibility.py [ARTICLE] [--voice NAME]
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
from pathlib import Path

import numpy as np
import soundfile
from scipy.signal import resample_poly

from papercast.pipeline import SpeakOptions, speak

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "belarus-prisoners.txt"


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower().replace("-", " "))


def wer(ref: list[str], hyp: list[str]) -> float:
    d = np.arange(len(hyp) + 1)
    for i, r in enumerate(ref, start=1):
        prev, d[0] = d.copy(), i
        for j, h in enumerate(hyp, start=1):
            d[j] = min(prev[j] + 1, d[j - 1] + 1, prev[j - 1] + (r != h))
    return float(d[len(hyp)]) / max(1, len(ref))


def rendered(description: str):  # type: ignore[no-untyped-def]
    """Parse ARTICLE and --voice, render the episode with the real voice, and return the
    arguments, the Episode, the decoded MP3 at 16 kHz, and a pocketsphinx Decoder."""
    from pocketsphinx import Decoder

    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("article", nargs="?", type=Path, default=SEED)
    ap.add_argument("--voice", default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ep.mp3"
        res = speak(str(args.article), out, SpeakOptions(voice=args.voice, quiet=True))
        audio, rate = soundfile.read(str(out), dtype="float64")
    if audio.ndim > 1:
        audio = audio.mean(axis=1)
    return args, res, resample_poly(audio, 16000, rate), Decoder(samprate=16000, loglevel="FATAL")


def pcm16(clip: np.ndarray) -> bytes:
    """A stretch of audio normalised to 70% of full scale, as pocketsphinx's raw input."""
    return (
        (np.clip(clip / max(1e-9, np.abs(clip).max()) * 0.7, -1, 1) * 32767).astype("<i2").tobytes()
    )


def main() -> int:
    _, res, audio16, decoder = rendered(__doc__ or "")
    scores = []
    for sentence, cue in zip(res.sentences, res.cues):
        a, b = int(cue.start_ms * 16), int(cue.end_ms * 16)
        pcm = np.frombuffer(pcm16(audio16[a:b]), dtype="<i2")
        decoder.start_utt()
        decoder.process_raw(pcm.tobytes(), full_utt=True)
        decoder.end_utt()
        hyp = decoder.hyp().hypstr if decoder.hyp() else ""
        scores.append((wer(words(sentence.spoken), words(hyp)), sentence.text, hyp))
    rates = [s[0] for s in scores]
    print(
        f"sentences: {len(rates)}, median WER {statistics.median(rates):.2f}, mean "
        f"{statistics.mean(rates):.2f}"
    )
    for w, text, hyp in sorted(scores, reverse=True)[:3]:
        print(f"  worst {w:.2f}: {text[:70]!r}\n        heard: {hyp[:70]!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
