"""Extraction on pages nobody here tuned to: word overlap with another extractor's gold.

Usage: python benchmarks/extraction_f1.py PAGES [--only NAME ...] [-v]

PAGES is a folder of page folders, each with ``source.html`` (the page) and ``expected.html``
(the article as a person or a reference extractor cut it): the layout of Mozilla
Readability's test pages (github.com/mozilla/readability, test/test-pages, Apache-2.0),
which this repository does not hold; point PAGES at a checkout of them. Pages that are not
English or hold fewer than 150 words of article are left out.

For each page it scores, as precision, recall and F1 of the article's words (lower-case
letters and digits, counted with repeats) against ``expected.html``'s text:
  trafilatura.extract() on the HTML (defaults), papercast on the HTML, and papercast on two
  text dumps of the page made with w3m (when w3m is installed): one at 80 columns, as
  ``w3m -dump`` gives by default (paragraphs broken at the width), and one 2,000 columns
  wide (a paragraph a line, as in shared/eval's dumps).
Pages are split in two by a hash of the folder's name (the second byte of its SHA-256, so
the split is independent of benchmarks/extraction.py's): rules may be tuned on "dev" only;
"held-out" judges them. Printed: mean F1 per half and reader, and how many pages each
papercast reader scores more than 0.02 below trafilatura.

The gold is another extractor's cut, not a listener's: it keeps captions, "Related:" lines
and contributor notes papercast leaves out on purpose, and some of its pages carry broken
encodings (words are matched on ASCII letters and digits so that they do not count). Read
per-page differences before believing one.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from papercast.errors import PapercastError
from papercast.text.extract import extract
from papercast.text.inputs import read_document

MIN_WORDS = 150
_FUNCTION = set("the of and to a in is that for it on was with as by at from".split())
READERS = ("trafilatura", "html", "text-80", "text-wide")


def half(name: str) -> str:
    return "dev" if hashlib.sha256(name.encode()).digest()[1] % 2 == 0 else "held-out"


def words(text: str) -> Counter[str]:
    return Counter(re.findall(r"[a-z0-9]+", text.lower()))


def prf(pred: str, gold: Counter[str]) -> tuple[float, float, float]:
    p = words(pred)
    overlap = sum((p & gold).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    precision, recall = overlap / sum(p.values()), overlap / sum(gold.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def gold_text(path: Path) -> str:
    import lxml.html

    return str(lxml.html.fromstring(path.read_bytes()).text_content())


def english(text: str) -> bool:
    ws = re.findall(r"[^\W\d_]+", text.lower())
    return len(ws) >= MIN_WORDS and sum(w in _FUNCTION for w in ws) / len(ws) >= 0.12


def dump(html: Path, cols: int, out: Path) -> Path | None:
    if shutil.which("w3m") is None:
        return None
    run = subprocess.run(
        ["w3m", "-dump", "-T", "text/html", "-cols", str(cols), "-O", "UTF-8", str(html)],
        capture_output=True,
        timeout=120,
        check=False,
    )
    out.write_bytes(run.stdout)
    return out


def papercast_text(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return extract(read_document(str(path))).text
    except PapercastError:
        return ""


def trafilatura_text(path: Path) -> str:
    import trafilatura

    return trafilatura.extract(path.read_text(encoding="utf-8", errors="replace")) or ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("pages", type=Path)
    ap.add_argument("--only", nargs="*", default=[])
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    folders = (
        sorted(
            d
            for d in args.pages.iterdir()
            if (d / "source.html").is_file() and (d / "expected.html").is_file()
        )
        if args.pages.is_dir()
        else []
    )
    if not folders:
        print(f"{args.pages}: no page folders (source.html + expected.html)", file=sys.stderr)
        return 2
    if shutil.which("w3m") is None:
        print("w3m not installed: the text-dump readers are skipped", file=sys.stderr)
    rows: list[tuple[str, str, dict[str, tuple[float, float, float]]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for d in folders:
            if args.only and d.name not in args.only:
                continue
            gold = gold_text(d / "expected.html")
            if not english(gold):
                continue
            g = words(gold)
            html = d / "source.html"
            texts = {
                "trafilatura": trafilatura_text(html),
                "html": papercast_text(html),
                "text-80": papercast_text(dump(html, 80, Path(tmp) / f"{d.name}.80.txt")),
                "text-wide": papercast_text(dump(html, 2000, Path(tmp) / f"{d.name}.w.txt")),
            }
            scores = {k: prf(v, g) for k, v in texts.items() if v is not None}
            rows.append((d.name, half(d.name), scores))
            if args.verbose:
                cells = "  ".join(f"{k} F{v[2]:.2f}" for k, v in scores.items())
                print(f"{d.name:34} {half(d.name):8} {cells}")
    print(f"{'half':9} {'pages':>5} " + " ".join(f"{r:>12}" for r in READERS))
    for which in ("dev", "held-out"):
        part = [r for r in rows if r[1] == which]
        if not part:
            continue
        means = []
        for reader in READERS:
            fs = [r[2][reader][2] for r in part if reader in r[2]]
            means.append(f"{statistics.mean(fs):12.3f}" if fs else f"{'-':>12}")
        print(f"{which:9} {len(part):5} " + " ".join(means))
        worse = []
        for reader in READERS[1:]:
            n = sum(
                1
                for r in part
                if reader in r[2] and r[2][reader][2] < r[2]["trafilatura"][2] - 0.02
            )
            worse.append(f"{n:12}")
        print(f"{'  worse':9} {'':5} {'':>12} " + " ".join(worse))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
