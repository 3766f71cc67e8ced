"""Sentence segmentation score on the golden rules (shared/eval/sbd-golden-en.json).

Usage: python benchmarks/segmentation.py [-v]
pySBD passes 47 of 48, untrained NLTK Punkt 19.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from papercast.text.segment import split_sentences

GOLDEN = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "sbd-golden-en.json"


def score(path: Path = GOLDEN, verbose: bool = False) -> tuple[int, int]:
    cases = json.loads(path.read_text(encoding="utf-8"))["cases"]
    passed = 0
    for case in cases:
        got = split_sentences(case["text"])
        if got == case["sentences"]:
            passed += 1
        elif verbose:
            print(f"FAIL {case['id']} {case['rule']}: {got!r}")
    return passed, len(cases)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--golden", type=Path, default=GOLDEN)
    args = ap.parse_args()
    if not args.golden.is_file():
        print(f"golden rules not found at {args.golden}", file=sys.stderr)
        return 2
    p, t = score(args.golden, args.verbose)
    print(f"golden rules: {p}/{t} (pySBD 47/48, untrained Punkt 19/48)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
