"""Extraction score on real news pages (shared/eval): HTML path and text cleaner.

Usage: python benchmarks/extraction.py [--eval DIR] [-v]

For each page, expect.json lists strings the extracted text must contain and
must not contain. The extracted text scored is the speech script's article
(headline, dek, section headings, paragraphs): what papercast would speak.

Every set is split in two by a hash of each page's name (stable, blind to the content): a
development half, the one rules may be tuned on, and a held-out half. Each half is printed
with trafilatura's own ``extract()`` (defaults) on the same pages' HTML, side by side: a rule
that raises the development half and lowers the held-out half is not kept.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

from papercast.errors import PapercastError
from papercast.text.extract import extract
from papercast.text.inputs import read_document
from papercast.types import Article

DEFAULT_EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"


def article_text(a: Article) -> str:
    return a.text


SETS = (
    ("news-html", "news-html", ".html", "news-html"),
    ("news-text", "news-text", ".txt", "news-html"),
    ("news-html-more", "news-html-more", ".html", "news-html-more"),
    ("news-text-more", "news-text-more", ".txt", "news-html-more"),
    ("web-html", "web-html", ".html", "web-html"),
    ("web-text", "web-text", ".txt", "web-html"),
)


def half(name: str) -> str:
    """ "dev" or "held-out", by a hash of the page's name."""
    return "dev" if hashlib.sha256(Path(name).stem.encode()).digest()[0] % 2 == 0 else "held-out"


def trafilatura_text(path: Path) -> str:
    import trafilatura

    return trafilatura.extract(path.read_text(encoding="utf-8", errors="replace")) or ""


def score(
    eval_dir: Path,
    folder: str,
    suffix: str,
    verbose: bool,
    expect: str = "news-html",
    which: str = "",
    reader: str = "papercast",
) -> tuple[int, int]:
    """Checks passed and checks in all, over the pages of ``which`` half ("" for all)."""
    cases = json.loads((eval_dir / expect / "expect.json").read_text())["cases"]
    passed = total = 0
    for case in cases:
        if which and half(case["file"]) != which:
            continue
        path = eval_dir / folder / (Path(case["file"]).stem + suffix)
        try:
            if reader == "trafilatura":
                text = trafilatura_text(eval_dir / expect / (Path(case["file"]).stem + ".html"))
            else:
                text = article_text(extract(read_document(str(path))))
        except PapercastError as e:
            text = ""
            if verbose:
                print(f"  {path.name}: {e}")
        for s in case["with"]:
            ok = s in text
            passed += ok
            total += 1
            if verbose and not ok:
                print(f"  {path.name}: MISSING  {s!r}")
        for s in case["without"]:
            ok = s not in text
            passed += ok
            total += 1
            if verbose and not ok:
                print(f"  {path.name}: INCLUDED {s!r}")
    return passed, total


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--eval", type=Path, default=DEFAULT_EVAL)
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if not (args.eval / "news-html" / "expect.json").exists():
        print(f"eval data not found at {args.eval}", file=sys.stderr)
        return 2
    for label, folder, suffix, expect in SETS:
        if not (args.eval / expect / "expect.json").exists():
            continue
        p, t = score(args.eval, folder, suffix, args.verbose, expect)
        print(f"{label}: {p}/{t}")
    print()
    print(f"{'set':16} {'half':9} {'papercast':>10} {'trafilatura (HTML)':>19}")
    for label, folder, suffix, expect in SETS:
        if not (args.eval / expect / "expect.json").exists():
            continue
        for which in ("dev", "held-out"):
            p, t = score(args.eval, folder, suffix, False, expect, which)
            tp, tt = score(args.eval, folder, suffix, False, expect, which, "trafilatura")
            print(f"{label:16} {which:9} {f'{p}/{t}':>10} {f'{tp}/{tt}':>19}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
