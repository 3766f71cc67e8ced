"""Speech text on a public test suite: NVIDIA NeMo-text-processing's English
normalisation cases (../shared/eval/nemo-tn-en/, read there, never copied).

A case is right when the phonemes espeak-ng makes of our spoken form (what Piper
receives) equal those of an accepted spoken form, ignoring stress marks, spaces
and punctuation, with the leniency the eval README allows: "and" inside numbers
and "oh"/"zero" do not count. NeMo writes spelled letters in capitals ("one AM",
"five PM EST", "three CC per S"), which espeak would read as words ("AM" -> /æm/),
so a reference's all-capital tokens of 2-4 letters are scored as letters (A.M);
our own output is scored exactly as Piper would hear it. Plain Piper is espeak
reading the written text.

Prints a per-category table (ours, plain Piper, n) with the ten news categories
first, then every news-category failure (``--all`` prints every failure).

Usage: python benchmarks/normalization.py [--all] [--category money]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "nemo-tn-en"
NEWS = (
    "cardinal",
    "ordinal",
    "decimal",
    "money",
    "measure",
    "date",
    "time",
    "range",
    "address",
    "whitelist",
)


def cases(folder: Path = EVAL) -> Iterator[tuple[str, str, tuple[str, ...]]]:
    """(category, written, accepted spoken forms) for every case."""
    for path in sorted(folder.glob("test_cases_*.txt")):
        category = path.stem.removeprefix("test_cases_")
        lines = path.read_text(encoding="utf-8").splitlines()
        if category == "normalize_with_audio":
            written, accepted = None, []
            for line in lines + ["~"]:
                if line.startswith("~"):
                    if written is not None and accepted:
                        yield category, written, tuple(accepted)
                    written, accepted = line[1:], []
                elif line.strip():
                    accepted.append(line)
            continue
        for line in lines:
            if "~" not in line:
                continue
            written, *accepted = line.split("~")
            yield category, written, tuple(accepted)


_SKIP = re.compile(r"[ˈˌ\s.,;:!?\-–—'\"()]")


@cache
def sounds(spoken: str) -> str:
    """espeak's phonemes for a spoken form, without what we do not score."""
    from papercast.voice.phonemize import espeak_ipa

    text = spoken.lower()
    text = re.sub(r"\band\b", " ", text)
    text = re.sub(r"\boh\b", "zero", text)
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        return ""
    return _SKIP.sub("", espeak_ipa(text))


def ours(written: str) -> str:
    from papercast.text.normalize import normalize

    return normalize(written)


def as_letters(reference: str) -> str:
    """A reference's capitalised letter runs as letters: "one AM" -> "one A.M"."""
    return re.sub(r"\b[A-Z]{2,4}\b", lambda m: ".".join(m.group(0)), reference)


def right(spoken: str, accepted: tuple[str, ...]) -> bool:
    mine = sounds(spoken)
    return any(mine in (sounds(a), sounds(as_letters(a))) for a in accepted)


def main() -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--all", action="store_true", help="print the failures of every category")
    ap.add_argument("--category", help="only this category")
    args = ap.parse_args()
    if not EVAL.is_dir():
        print(f"NeMo cases not found at {EVAL}", file=sys.stderr)
        return 2
    table: dict[str, list[int]] = {}
    failures: list[tuple[str, str, str, str]] = []
    for category, written, accepted in cases():
        if args.category and category != args.category:
            continue
        row = table.setdefault(category, [0, 0, 0])
        spoken = ours(written)
        ok = right(spoken, accepted)
        row[0] += ok
        row[1] += right(written, accepted)
        row[2] += 1
        if not ok and (args.all or category in NEWS or args.category):
            failures.append((category, written, spoken, accepted[0]))
    order = [c for c in NEWS if c in table] + sorted(c for c in table if c not in NEWS)
    print(f"{'category':24s} {'papercast':>9s} {'plain':>6s} {'n':>4s}")
    totals = {"news": [0, 0, 0], "all": [0, 0, 0]}
    for c in order:
        r = table[c]
        print(f"{c:24s} {r[0]:9d} {r[1]:6d} {r[2]:4d}")
        for key in ("all",) + (("news",) if c in NEWS else ()):
            totals[key] = [a + b for a, b in zip(totals[key], r)]
    for key, (a, b, n) in totals.items():
        if n:
            print(
                f"{key:24s} {a:9d} {b:6d} {n:4d}   papercast {100 * a / n:.1f}%, plain Piper "
                f"{100 * b / n:.1f}%"
            )
    if failures:
        print("\nfailures (category | written | ours | accepted):")
        for c, w, s, a in failures:
            print(f"  {c:12s} | {w} | {s} | {a}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
