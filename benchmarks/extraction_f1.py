"""Extraction on pages nobody here tuned to: word overlap with another extractor's gold.

Usage: python benchmarks/extraction_f1.py PAGES [--only NAME ...] [-v]

PAGES is one of two layouts, neither held in this repository (point PAGES at a checkout):
  * a folder of page folders, each with ``source.html`` (the page) and ``expected.html`` (the
    article as a person or a reference extractor cut it): Mozilla Readability's test pages
    (github.com/mozilla/readability, test/test-pages, Apache-2.0);
  * a folder with ``ground-truth.json`` (page id -> ``articleBody``, ``url``) and
    ``html/ID.html.gz``: Zyte's article extraction benchmark
    (github.com/scrapinghub/article-extraction-benchmark, MIT), 181 news and blog pages whose
    article bodies people marked;
  * a folder with ``html/NAME.html`` and ``text/NAME.txt`` (the article's text as the
    project's maintainers accepted it): newspaper3k's test data (github.com/codelucas/newspaper,
    tests/data, MIT), some 150 news and magazine pages of 2013-2015, two per site.
Pages that are not English or hold fewer than 150 words of article are left out.

For each page it scores, as precision, recall and F1 of the article's words (lower-case
letters and digits, counted with repeats) against the gold:
  trafilatura.extract() on the HTML (defaults), papercast on the HTML, and papercast on two
  text dumps of the page made with w3m (when w3m is installed): one at 80 columns, as
  ``w3m -dump`` gives by default (paragraphs broken at the width), one at 132 (a wide
  terminal's), and one 2,000 columns wide (a paragraph a line, as in shared/eval's dumps);
  and ``lynx -dump`` as it comes (when lynx is installed), its links numbered in the text
  and their addresses listed at the end; and the page saved as Markdown by html2text (when
  it is installed: pip install html2text).
Pages are split in two by a hash (the second byte of its SHA-256, so the split is independent
of benchmarks/extraction.py's) of the page folder's name, or, for Zyte's set, of the page's
site (two pages of one site land in the same half; newspaper's pages by their site's
name): rules may be tuned on "dev" only;
"held-out" judges them. Printed: mean F1 per half and reader, under it mean precision and
recall (whether a reader reads too much or too little), and how many pages each
papercast reader scores more than 0.02 below trafilatura.

The gold is not a listener's: neither set's article holds the headline, which papercast reads
first (a few points of precision on a short story, the same on both halves), and Readability's
cut keeps captions, "Related:" lines and contributor notes papercast leaves out on purpose;
some pages carry broken encodings (words are matched on ASCII letters and digits so that they
do not count). Read per-page differences before believing one.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import hashlib
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

from papercast.errors import PapercastError
from papercast.text.extract import extract
from papercast.text.inputs import read_document

MIN_WORDS = 150
_FUNCTION = set("the of and to a in is that for it on was with as by at from".split())
READERS = ("trafilatura", "html", "text-80", "text-132", "text-wide", "text-lynx", "markdown")


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


def lynx_dump(html: Path, out: Path) -> Path | None:
    """``lynx -dump`` as it comes: links numbered in the text and listed at the end."""
    if shutil.which("lynx") is None:
        return None
    run = subprocess.run(
        ["lynx", "-dump", "-force_html", "-assume_charset=utf-8", "-display_charset=utf-8",
         str(html)],
        capture_output=True,
        timeout=120,
        check=False,
    )  # fmt: skip
    out.write_bytes(run.stdout)
    return out


def markdown_dump(html: Path, out: Path) -> Path | None:
    """The page as html2text saves it as Markdown (its defaults: wrapped at 78 columns)."""
    try:
        import html2text
    except ImportError:
        return None
    out.write_text(html2text.HTML2Text().handle(html.read_text(encoding="utf-8", errors="replace")))
    return out


def papercast_text(path: Path | None) -> str | None:
    """What papercast reads of a page, less its headline: neither set's gold holds one, nor
    does trafilatura's text, so counting it would charge papercast for reading it."""
    if path is None:
        return None
    try:
        article = extract(read_document(str(path)))
    except PapercastError:
        return ""
    return dataclasses.replace(article, title="").text


def trafilatura_text(path: Path) -> str:
    import trafilatura

    return trafilatura.extract(path.read_text(encoding="utf-8", errors="replace")) or ""


Page = tuple[str, str, Callable[[Path], Path], str]  # name, what splits it, the HTML, gold


def readability_pages(root: Path) -> Iterator[Page]:
    for d in sorted(root.iterdir()):
        if (d / "source.html").is_file() and (d / "expected.html").is_file():
            source = d / "source.html"
            yield d.name, d.name, lambda _tmp, source=source: source, gold_text(d / "expected.html")


def zyte_pages(root: Path) -> Iterator[Page]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for key in sorted(truth):
        page = root / "html" / f"{key}.html.gz"
        if not page.is_file():
            continue

        def unpack(tmp: Path, page: Path = page, key: str = key) -> Path:
            out = tmp / f"{key}.html"
            out.write_bytes(gzip.decompress(page.read_bytes()))
            return out

        site = (urlsplit(truth[key].get("url", "")).hostname or key).removeprefix("www.")
        yield key[:16], site, unpack, truth[key].get("articleBody", "")


def newspaper_pages(root: Path) -> Iterator[Page]:
    for text in sorted((root / "text").glob("*.txt")):
        source = root / "html" / f"{text.stem}.html"
        if source.is_file():
            site = text.stem.rstrip("0123456789")
            gold = text.read_text(encoding="utf-8", errors="replace")
            yield text.stem, site, lambda _tmp, source=source: source, gold


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("pages", type=Path)
    ap.add_argument("--only", nargs="*", default=[])
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if (args.pages / "ground-truth.json").is_file():
        pages = list(zyte_pages(args.pages))
    elif (args.pages / "text").is_dir() and (args.pages / "html").is_dir():
        pages = list(newspaper_pages(args.pages))
    elif args.pages.is_dir():
        pages = list(readability_pages(args.pages))
    else:
        pages = []
    if not pages:
        print(
            f"{args.pages}: no pages (page folders with source.html and expected.html,"
            " ground-truth.json with html/, or html/ with text/)",
            file=sys.stderr,
        )
        return 2
    if shutil.which("w3m") is None:
        print("w3m not installed: the w3m dump readers are skipped", file=sys.stderr)
    if shutil.which("lynx") is None:
        print("lynx not installed: the lynx dump reader is skipped", file=sys.stderr)
    rows: list[tuple[str, str, dict[str, tuple[float, float, float]]]] = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for name, split_by, html_of, gold in pages:
            if (args.only and name not in args.only) or not english(gold):
                continue
            g = words(gold)
            html = html_of(tmp)
            texts = {
                "trafilatura": trafilatura_text(html),
                "html": papercast_text(html),
                "text-80": papercast_text(dump(html, 80, tmp / f"{name}.80.txt")),
                "text-132": papercast_text(dump(html, 132, tmp / f"{name}.132.txt")),
                "text-wide": papercast_text(dump(html, 2000, tmp / f"{name}.w.txt")),
                "text-lynx": papercast_text(lynx_dump(html, tmp / f"{name}.lynx.txt")),
                "markdown": papercast_text(markdown_dump(html, tmp / f"{name}.md")),
            }
            scores = {k: prf(v, g) for k, v in texts.items() if v is not None}
            rows.append((name, half(split_by), scores))
            if args.verbose:
                cells = "  ".join(f"{k} F{v[2]:.2f}" for k, v in scores.items())
                print(f"{name:34} {half(split_by):8} {cells}")
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
        for label, k in (("  prec", 0), ("  recall", 1)):
            cells = []
            for reader in READERS:
                vs = [r[2][reader][k] for r in part if reader in r[2]]
                cells.append(f"{statistics.mean(vs):12.3f}" if vs else f"{'-':>12}")
            print(f"{label:9} {'':5} " + " ".join(cells))
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
