"""Command-line options that more than one command takes."""

from __future__ import annotations

import argparse

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
