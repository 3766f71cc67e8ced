"""Command-line options that more than one command takes."""

from __future__ import annotations

import argparse

from papercast.cpu import ENV, budget, parse_threads, plan
from papercast.fetch import Policy, networks


def add_allow_network(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--allow-network",
        action="append",
        default=[],
        metavar="CIDR",
        help="a non-public network papercast may fetch from (e.g. 127.0.0.0/8 for a server on "
        "this machine); repeatable. By default only public addresses are fetched",
    )


def fetch_policy(args: argparse.Namespace) -> Policy:
    return Policy(allow_networks=networks(args.allow_network, "--allow-network "))


def add_threads(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--threads",
        metavar="N",
        help=f"the CPUs papercast may use (fractions allowed; default: what this process may "
        f"use, from its CPU affinity and cgroup quota, or ${ENV})",
    )
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="say the CPU budget and the thread plan"
    )


def threads(args: argparse.Namespace) -> float | None:
    return None if args.threads is None else parse_threads(args.threads, "--threads")


def budget_line(args: argparse.Namespace) -> str:
    """One line: the budget this run has and the plan made from it."""
    b = budget(threads(args))
    return f"papercast: CPU budget {b}; plan: {plan(b.cpus)}"
