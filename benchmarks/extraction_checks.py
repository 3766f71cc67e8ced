"""Extraction on trafilatura's own evaluation pages that shared/eval did not take.

Usage: python benchmarks/extraction_checks.py TRAFILATURA [--only NAME ...] [-v]

TRAFILATURA is a checkout of github.com/adbar/trafilatura (Apache-2.0; not held in this
repository). Its ``tests/evaldata.json`` names, for each of some 990 cached pages (in
``tests/eval/`` and ``tests/cache/``), strings the article must contain and must not contain:
the same kind of check as shared/eval, which took 72 of those pages. This benchmark scores the
English pages among the rest (the page's ``lang`` is English or absent, its visible text reads
as English, and its checks are written in Latin letters), so that the rules tuned on
shared/eval meet pages nobody here tuned them to.

Readers: trafilatura.extract() on the HTML (defaults), papercast on the HTML, and papercast on
text dumps of the page, as a user gets them by saving it from a text browser: ``w3m -dump``
2,000 columns wide (a paragraph a line, as shared/eval's dumps are), ``w3m -dump`` at its
80 columns, and ``lynx -dump`` (each when installed); and the page saved as Markdown by
html2text (when it is installed: pip install html2text).

Pages are split in two halves by a hash of the page's site (two pages of one site land in the
same half), with the same byte and parity as benchmarks/extraction.py: rules may be tuned on
"dev" only; "held-out" judges them. The text scored is the speech script's article
(headline, dek, headings, paragraphs), as in benchmarks/extraction.py.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from extraction_f1 import dump, english, lynx_dump, markdown_dump, trafilatura_text

from papercast.errors import PapercastError
from papercast.text.extract import extract
from papercast.text.inputs import read_document

SHARED_EVAL = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
_LANG = re.compile(r"<html\b[^>]*\blang\s*=\s*[\"']?([A-Za-z-_]+)", re.I)
_TAGS = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<[^>]+>", re.I | re.S)


def half(site: str) -> str:
    """ "dev" or "held-out", by a hash of the page's site."""
    return "dev" if hashlib.sha256(site.encode()).digest()[0] % 2 == 0 else "held-out"


def shared_pages() -> set[str]:
    """Addresses and file names of the pages shared/eval already holds."""
    seen: set[str] = set()
    for s in ("news-html", "news-html-more", "web-html"):
        f = SHARED_EVAL / s / "expect.json"
        if f.is_file():
            for c in json.loads(f.read_text())["cases"]:
                seen.update(x for x in (c.get("url"), c["file"]) if x)
    return seen


def latin(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return sum(c.isascii() for c in letters) >= 0.9 * max(1, len(letters))


def pages(root: Path) -> list[dict[str, object]]:
    data = json.loads((root / "tests" / "evaldata.json").read_text(encoding="utf-8"))
    skip = shared_pages()
    out = []
    for url, case in data.items():
        path = next(
            (root / "tests" / d / case["file"] for d in ("eval", "cache")
             if (root / "tests" / d / case["file"]).is_file()),
            None,
        )  # fmt: skip
        if path is None or url in skip or case["file"] in skip:
            continue
        html = path.read_text(encoding="utf-8", errors="replace")
        lang = _LANG.search(html[:20000])
        if lang and not lang.group(1).lower().startswith("en"):
            continue
        checks = case.get("with", []) + case.get("without", [])
        if not english(_TAGS.sub(" ", html)) or not all(latin(s) for s in checks):
            continue
        site = (urlsplit(url).hostname or case["file"]).removeprefix("www.")
        if url.startswith("hard::"):  # a page named by its file: its site is the name's start
            site = case["file"].split(".html")[0].rsplit(".", 1)[0]
        out.append({"path": path, "site": site, "with": case.get("with", []),
                    "without": case.get("without", [])})  # fmt: skip
    return sorted(out, key=lambda p: str(p["path"]))


def papercast(path: Path | None) -> str | None:
    if path is None:
        return None
    try:
        return extract(read_document(str(path))).text
    except PapercastError:
        return ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("trafilatura", type=Path)
    ap.add_argument("--only", nargs="*", default=[])
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    if not (args.trafilatura / "tests" / "evaldata.json").is_file():
        print(
            f"{args.trafilatura}: no tests/evaldata.json (a trafilatura checkout)", file=sys.stderr
        )
        return 2
    found = [p for p in pages(args.trafilatura) if not args.only
             or any(o in str(p["path"]) for o in args.only)]  # fmt: skip
    for tool in ("w3m", "lynx"):
        if shutil.which(tool) is None:
            print(f"{tool} not installed: its dump readers are skipped", file=sys.stderr)
    if importlib.util.find_spec("html2text") is None:
        print("html2text not installed: the Markdown reader is skipped", file=sys.stderr)
    readers: dict[str, Callable[[Path, Path], str | None]] = {
        "trafilatura": lambda html, _tmp: trafilatura_text(html),
        "html": lambda html, _tmp: papercast(html),
        "text-wide": lambda html, tmp: papercast(dump(html, 2000, tmp / "wide.txt")),
        "text-80": lambda html, tmp: papercast(dump(html, 80, tmp / "80.txt")),
        "text-lynx": lambda html, tmp: papercast(lynx_dump(html, tmp / "lynx.txt")),
        "markdown": lambda html, tmp: papercast(markdown_dump(html, tmp / "page.md")),
    }
    totals: dict[tuple[str, str], list[int]] = {}
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        for page in found:
            path, which = Path(str(page["path"])), half(str(page["site"]))
            line = []
            for reader, read in readers.items():
                text = read(path, tmp)
                if text is None:
                    continue
                checks = [(s, s in text) for s in page["with"]]  # type: ignore[attr-defined]
                checks += [(s, s not in text) for s in page["without"]]  # type: ignore[attr-defined]
                got = sum(ok for _, ok in checks)
                t = totals.setdefault((reader, which), [0, 0])
                t[0] += got
                t[1] += len(checks)
                line.append(f"{reader} {got}/{len(checks)}")
                if args.verbose and reader != "trafilatura":
                    for s, ok in checks:
                        if not ok:
                            kind = "MISSING " if s in page["with"] else "INCLUDED"  # type: ignore[operator]
                            print(f"    {reader}: {kind} {s!r}")
            print(f"{path.name[:44]:44} {which:8} " + "  ".join(line), flush=True)
    print()
    print(f"{len(found)} pages")
    print(f"{'reader':12} {'dev':>9} {'held-out':>9}")
    for reader in readers:
        cells = [totals.get((reader, w)) for w in ("dev", "held-out")]
        if all(c is None for c in cells):
            continue
        print(f"{reader:12} " + " ".join(f"{f'{c[0]}/{c[1]}' if c else '-':>9}" for c in cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
