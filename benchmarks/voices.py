"""Rates of a sentence's own (SSML prosody rate) and a second voice: what they cost and what
they give, against raw Piper in the same run.

For sentences of the sample articles (joe, one sentence at a time, no cache, as many ONNX
threads as raw Piper's session uses: onnxruntime's default, every core this process may use),
this prints medians of:

- the length a rate gives: Piper's length scale alone (``length_scale / rate``, what
  ``--rate`` does) against papercast's solved scale (a rate of the sentence's own), for 80 %
  and 125 %: the asked-for ratios are 1.25 and 0.8;
- the time each takes, as a ratio to raw Piper (``PiperVoice.synthesize`` at the same length
  scale) measured sentence by sentence, alternating, in the same run: the solved scale runs
  the voice's first part twice;
- loudness: the BS.1770 level of the episode's voice and of the quote test voice over the
  same sentences before and after papercast's matching gain.

Usage: python benchmarks/voices.py [--sentences N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def sentences(limit: int) -> list[str]:
    from papercast.text.extract import extract
    from papercast.text.inputs import read_document
    from papercast.text.script import sentences_of

    out: list[str] = []
    for path in sorted((ROOT / "samples").glob("*.txt")):
        article = extract(read_document(str(path)))
        out += [s.spoken for s in sentences_of(article) if len(s.spoken.split()) >= 8]
    return out[:limit]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sentences", type=int, default=30)
    args = ap.parse_args()

    from piper import PiperVoice, SynthesisConfig

    from papercast.audio.assemble import trim
    from papercast.audio.loudness import integrated_lufs
    from papercast.types import Phonemized, Sentence
    from papercast.voice.phonemize import phonemize_sentence
    from papercast.voice.profiles import resolve_voice
    from papercast.voice.synthesize import Synthesizer

    profile = resolve_voice("joe")
    threads = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    synth = Synthesizer(profile, workers=1, intra_op_threads=threads)
    base = float(profile.voice_config()["inference"]["length_scale"])
    slow = Synthesizer(profile.at_rate(80), workers=1, intra_op_threads=threads)
    fast = Synthesizer(profile.at_rate(125), workers=1, intra_op_threads=threads)
    raw = PiperVoice.load(profile.model)

    def seconds(fn) -> float:  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        fn()
        return time.perf_counter() - t0

    rows: dict[str, list[float]] = {}
    for text in sentences(args.sentences):
        ph = phonemize_sentence(text)
        plain = len(trim(synth.clip(Phonemized(Sentence(text, text, 0, 0), ph)).samples, 22050))
        for pct, scaled in ((80, slow), (125, fast)):
            rate = 100 / pct
            item = Phonemized(Sentence(text, text, 0, 0, rate=rate), ph)
            by_scale = len(trim(scaled.clip(Phonemized(Sentence(text, text, 0, 0), ph)).samples,
                                22050))  # fmt: skip
            solved = len(trim(synth.clip(item).samples, 22050))
            rows.setdefault(f"{pct}% length, length scale alone", []).append(by_scale / plain)
            rows.setdefault(f"{pct}% length, solved scale", []).append(solved / plain)
            config = SynthesisConfig(length_scale=base * rate)
            piper_s = seconds(lambda: list(raw.synthesize(text, config)))  # noqa: B023
            ours_s = seconds(lambda: synth._run(synth.ids(ph), "00" * 32, rate))  # noqa: B023
            scale_s = seconds(lambda: scaled._run(scaled.ids(ph), "00" * 32))  # noqa: B023
            rows.setdefault(f"{pct}% time / raw Piper, solved scale", []).append(ours_s / piper_s)
            rows.setdefault(f"{pct}% time / raw Piper, length scale alone", []).append(
                scale_s / piper_s
            )
    for name, values in rows.items():
        print(f"{name:44} median {statistics.median(values):.3f}  "
              f"(min {min(values):.3f}, max {max(values):.3f}, n={len(values)})")  # fmt: skip

    # loudness of two voices over the same sentences, and after the renderer's matching gain
    from papercast.pipeline import Renderer
    from papercast.settings import EpisodeSettings, RunFlags

    other = ROOT / "tests" / "data" / "timed-high-voice.onnx"
    renderer = Renderer(EpisodeSettings(), RunFlags(cache=False, quiet=True))
    quote, gain = renderer.voice_for(str(other))
    texts = sentences(10)
    own = [integrated_lufs(synth.clip(Phonemized(Sentence(t, t, 0, 0), phonemize_sentence(t)))
                           .samples, 22050) for t in texts]  # fmt: skip
    theirs = [integrated_lufs(quote.clip(Phonemized(Sentence(t, t, 0, 0), phonemize_sentence(t)))
                              .samples, quote.sample_rate_hz) for t in texts]  # fmt: skip
    diff = [a - b for a, b in zip(own, theirs, strict=True)]
    print(f"loudness, joe minus the quote test voice: median {statistics.median(diff):+.2f} LU "
          f"before matching, {statistics.median(diff) - gain:+.2f} LU after "
          f"(gain {gain:+.2f} dB, from one reference sentence)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
