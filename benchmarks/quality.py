"""Broadcast quality of one episode, measured on the decoded MP3.

Prints integrated loudness (BS.1770, pyloudnorm), true peak (4x oversampled),
chapters with times, cue count, and the silence heard between sentences
(10 ms frames below -45 dBFS) against the configured pause.

Usage: python benchmarks/quality.py [ARTICLE] [--voice NAME]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

import numpy as np
import pyloudnorm
import soundfile
from mutagen.id3 import ID3
from scipy.signal import resample_poly

from papercast.audio.assemble import pause_plan
from papercast.pipeline import SpeakOptions, speak
from papercast.voice.profiles import resolve_voice

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "belarus-prisoners.txt"
FRAME_MS = 10


def heard_silence_ms(audio: np.ndarray, rate: int, start_ms: int, end_ms: int) -> float:
    """Longest run of quiet 10 ms frames around the gap between two cues."""
    a = int((start_ms - 150) * rate / 1000)
    b = int((end_ms + 150) * rate / 1000)
    seg = audio[max(0, a) : b].astype(np.float64)
    n = int(rate * FRAME_MS / 1000)
    frames = seg[: len(seg) // n * n].reshape(-1, n)
    quiet = 20 * np.log10(np.sqrt((frames**2).mean(axis=1)) + 1e-12) < -45
    best = run = 0
    for q in quiet:
        run = run + 1 if q else 0
        best = max(best, run)
    return best * FRAME_MS


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("article", nargs="?", type=Path, default=SEED)
    ap.add_argument("--voice", default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "ep.mp3"
        res = speak(
            str(args.article), out, SpeakOptions(voice=args.voice, quiet=True, transcripts=("vtt",))
        )
        audio, rate = soundfile.read(str(out), dtype="float64")
        lufs = pyloudnorm.Meter(rate).integrated_loudness(audio)
        tp = 20 * np.log10(np.abs(resample_poly(audio, 4, 1)).max())
        chaps = sorted(ID3(str(out)).getall("CHAP"), key=lambda c: c.start_time)
        vtt_cues = out.with_suffix(".vtt").read_text(encoding="utf-8").count(" --> ")
    print(f"article: {args.article}")
    print(
        f"duration: {len(audio) / rate:.1f} s, sentences: {len(res.sentences)}, VTT cues: "
        f"{vtt_cues}"
    )
    print(f"integrated loudness: {lufs:.2f} LUFS (target -16 +/- 1)")
    print(f"true peak: {tp:.2f} dBTP (ceiling -1.0)")
    print(f"chapters: {len(chaps)}")
    for c in chaps:
        print(f"  {c.start_time / 1000:8.2f} - {c.end_time / 1000:8.2f} s  {c.sub_frames['TIT2']}")
    plan = pause_plan(res.sentences, resolve_voice(args.voice).pauses)
    cues = res.cues
    by_kind: dict[int, list[float]] = {}
    for i in range(len(cues) - 1):
        heard = heard_silence_ms(audio, rate, cues[i].end_ms, cues[i + 1].start_ms)
        by_kind.setdefault(plan[i], []).append(heard - plan[i])
    for pause, diffs in sorted(by_kind.items()):
        print(
            f"pause {pause:5d} ms: heard minus configured, median {statistics.median(diffs):+.0f} "
            f"ms, "
            f"range {min(diffs):+.0f} to {max(diffs):+.0f} ms over {len(diffs)} gaps"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
