"""``papercast feed init|build|check``: parses arguments and calls the feed layer."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from papercast.cli.options import add_allow_network, add_threads, budget_line, fetch_policy, threads


def add_feed_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    f = sub.add_parser("feed", help="a podcast feed from a folder of articles: init, build, check")
    fsub = f.add_subparsers(metavar="ACTION")
    i = fsub.add_parser("init", help="write a commented papercast.toml and an articles/ folder")
    i.add_argument("folder", type=Path)
    i.add_argument("--title", default="My papercast")
    i.set_defaults(func=cmd_init)
    b = fsub.add_parser(
        "build", help="render new and changed articles, then feed.xml and index.html"
    )
    b.add_argument("folder", type=Path)
    b.add_argument("--out", type=Path, help="the site folder (default FOLDER/site)")
    b.add_argument("--dry-run", action="store_true", help="print the plan and write nothing")
    b.add_argument(
        "--force",
        action="store_true",
        help="build into --out even when it holds files papercast did not write",
    )
    b.add_argument("-q", "--quiet", action="store_true", help="no line per article")
    b.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="render on a local Dask cluster of N worker processes",
    )
    b.add_argument(
        "--scheduler", metavar="ADDRESS", help="render on a running Dask cluster (tcp://HOST:8786)"
    )
    add_threads(b)
    b.set_defaults(func=cmd_build)
    c = fsub.add_parser(
        "check", help="validate a built site (folder) or a feed URL against the files it serves"
    )
    c.add_argument("site", help="the site folder, or the feed's http(s) URL")
    add_allow_network(c)
    c.set_defaults(func=cmd_check)
    f.set_defaults(func=lambda args: f.print_help() or 2)


def cmd_init(args: argparse.Namespace) -> int:
    from papercast.feed.config import init_folder

    path = init_folder(args.folder, args.title)
    print(
        f"{path}: written; put articles in {args.folder / 'articles'}, set base_url, then: "
        f"papercast feed build {args.folder}"
    )
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    from papercast.feed.build import build

    if args.workers is not None and args.workers < 1:
        from papercast.errors import PapercastError

        raise PapercastError(f"--workers {args.workers}: give one or more worker processes")
    if args.verbose:
        line = budget_line(args)
        if args.workers:
            from papercast.cpu import budget, plan, share

            each = share(budget(threads(args)).cpus, args.workers)
            line += f"; each of {args.workers} local workers: {each:g} CPUs, {plan(each)}"
        print(line, file=sys.stderr)
    report = build(
        args.folder,
        args.out,
        dry_run=args.dry_run,
        quiet=args.quiet,
        scheduler=args.scheduler,
        workers=args.workers,
        force=args.force,
        threads=threads(args),
    )
    for what, why in report.failed:
        print(f"papercast: failed: {what}: {why}", file=sys.stderr)
    for warning in report.warnings:
        print(f"papercast: warning: {warning}", file=sys.stderr)
    if not args.dry_run:
        print(f"{args.out or args.folder / 'site'}: {report.summary()}", file=sys.stderr)
    return 1 if report.failed else 0


def cmd_check(args: argparse.Namespace) -> int:
    from papercast.feed.check import check

    problems, checked = check(args.site, fetch_policy(args))
    for p in problems:
        print(p)
    print(f"{args.site}: {checked} checks, {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0
