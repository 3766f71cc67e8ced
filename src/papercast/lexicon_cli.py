"""`papercast lexicon ...`: check an article's names, test and hear lexicon entries."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .errors import PapercastError


def add_lexicon_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    lx = sub.add_parser("lexicon", help="check, test, hear, import and export pronunciation lexicons")
    lsub = lx.add_subparsers(metavar="ACTION")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--lexicon", action="append", default=[], metavar="PATH", help="extra lexicon (repeatable)")
        p.add_argument("--voice", help="voice profile or .onnx model (default: joe)")

    c = lsub.add_parser("check", help="list names in an article that no lexicon covers")
    c.add_argument("input")
    c.add_argument("--json", action="store_true")
    common(c)
    c.set_defaults(func=cmd_check)

    t = lsub.add_parser("test", help="check every entry reaches Piper intact, in a carrier sentence")
    common(t)
    t.set_defaults(func=cmd_test)

    lx.set_defaults(func=lambda a: (lx.print_help(), 2)[1])


def cmd_check(args: argparse.Namespace) -> int:
    from .check import check_article

    report = check_article(args.input, args.lexicon)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"uncovered ({len(report['uncovered'])}):")
    for u in report["uncovered"]:
        print(f"  {u['word']}  x{u['count']}  espeak /{u['espeak_ipa']}/  — {u['sentence']}")
    print(f"covered ({len(report['covered'])}):")
    for c in report["covered"]:
        print(f"  {c['word']}  x{c['count']}  /{c['ipa']}/  ({c['source']})")
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    from .check import test_lexicon

    failures, total = test_lexicon(args.lexicon, args.voice)
    for f in failures:
        print(f"FAIL {f}")
    print(f"{total - len(failures)} passed, {len(failures)} failed")
    if failures:
        raise PapercastError(f"{len(failures)} lexicon entr{'y' if len(failures) == 1 else 'ies'} would not reach Piper intact")
    return 0


