"""papercast/fetch.py: one policy for every network read. Addresses, schemes at every redirect,
deadlines, malformed answers; servers are real subprocesses on loopback."""

from __future__ import annotations

import ipaddress
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from papercast.errors import InputError
from papercast.fetch import Policy, charset, fetch, networks, refusal, resolve

HERE = Path(__file__).parent
LOOPBACK = Policy(allow_networks=networks(["127.0.0.1/32"]))


class Hostile:
    def __init__(self, mode: str, arg: str = "") -> None:
        self.p = subprocess.Popen(
            [sys.executable, "-u", str(HERE / "hostile_http.py"), mode, arg],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert self.p.stdout is not None
        self.url = f"http://127.0.0.1:{int(self.p.stdout.readline())}"

    def connections(self) -> int:
        """How many connections the server saw (it is stopped to read its log)."""
        self.p.terminate()
        _, err = self.p.communicate(timeout=30)
        return err.count("connection from")


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[Hostile]:
    mode, *arg = request.param.split(" ", 1)
    h = Hostile(mode, *arg)
    yield h
    if h.p.poll() is None:
        h.p.kill()
        h.p.wait()


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("0.0.0.0", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("100.64.0.1", "not a public address"),  # carrier-grade NAT
        ("240.0.0.1", "reserved"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6 read as the IPv4 it maps
        ("::ffff:10.0.0.1", "private"),
        ("::", "unspecified"),
        ("ff02::1", "multicast"),
        ("93.184.216.34", ""),  # public
        ("2606:4700:4700::1111", ""),
        ("::ffff:93.184.216.34", ""),
    ],
)
def test_address_table(address: str, refused: str) -> None:
    why = refusal(address, Policy())
    assert (refused in why) if refused else why == ""


def test_a_named_network_is_allowed_and_nothing_else() -> None:
    policy = Policy(allow_networks=networks(["10.0.0.0/8", "::1"]))
    assert refusal("10.200.0.1", policy) == "" and refusal("::1", policy) == ""
    assert "private" in refusal("192.168.0.1", policy) and "loopback" in refusal(
        "127.0.0.1", policy
    )
    with pytest.raises(InputError, match="not an IP network"):
        networks(["10.0.0.0/33"])


def test_a_name_that_resolves_to_a_private_address_is_refused() -> None:
    with pytest.raises(
        InputError, match=r"localhost resolves to .*(127\.0\.0\.1|::1), a loopback address"
    ):
        resolve("localhost", 80, Policy(), "http://localhost/x")
    assert resolve(
        "localhost", 80, Policy(allow_networks=networks(["127.0.0.0/8", "::1"])), "u"
    ) in ("127.0.0.1", "::1")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://127.0.0.1/x",
        "gopher://x/",
        "javascript:alert(1)",
        "data:text/html,hi",
        "http://",
        "http://[::1",
        "http://example.com:99999/",
    ],
)
def test_only_http_and_https(url: str) -> None:
    with pytest.raises(InputError):
        fetch(url, policy=LOOPBACK)


@pytest.mark.parametrize("server", ["ok"], indirect=True)
def test_a_loopback_server_is_refused_unless_allowed_and_sees_no_request(server: Hostile) -> None:
    with pytest.raises(InputError, match="127.0.0.1 is a loopback address"):
        fetch(server.url + "/admin")
    got = fetch(server.url + "/page", policy=LOOPBACK)
    assert got.body.startswith(b"<html>") and got.content_type == "text/html"
    assert server.connections() == 1  # the refused fetch never connected


ALLOWED_HOPS = ("http://127.0.0.1:{port}/admin", "http://[::ffff:127.0.0.1]:{port}/admin")
REFUSED_HOPS = (
    "ftp://127.0.0.1:{port}/",
    "file:///etc/passwd",
    "gopher://127.0.0.1:{port}/",
    "http://10.255.255.1:{port}/",
    "http://[::1]:{port}/",
)


@pytest.mark.parametrize("target", [*REFUSED_HOPS, *ALLOWED_HOPS])
def test_every_redirect_hop_is_checked_and_the_canary_sees_nothing(target: str) -> None:
    """A server allowed by name redirects to ``target``: another scheme or a network nobody
    allowed is refused at that hop, and the canary server there sees no connection; a hop
    within the allowed network (an IPv4-mapped address is the IPv4 it maps) is followed."""
    canary = Hostile("ok")
    try:
        redirect = Hostile("redirect", target.format(port=canary.url.rsplit(":", 1)[1]))
        try:
            with pytest.raises(InputError):  # nothing allowed: refused at the first hop
                fetch(redirect.url + "/start")
            if target in ALLOWED_HOPS:
                assert fetch(redirect.url + "/start", policy=LOOPBACK).url.endswith("/admin")
            else:
                with pytest.raises(InputError):
                    fetch(redirect.url + "/start", policy=LOOPBACK)
        finally:
            redirect.connections()
    finally:
        seen = canary.connections()
    assert seen == (1 if target in ALLOWED_HOPS else 0)


@pytest.mark.parametrize(
    ("server", "says"),
    [
        ("bad-status", "malformed or broken HTTP answer"),
        ("many-headers", "malformed or broken HTTP answer"),
        ("long-header", "malformed or broken HTTP answer"),
        ("short-body", "the answer was cut short"),
        ("huge-length", "over the"),
        ("redirect-loop", "more than 5 redirects"),
    ],
    indirect=["server"],
)
def test_malformed_answers_are_one_line_naming_the_url(server: Hostile, says: str) -> None:
    with pytest.raises(InputError) as e:
        fetch(server.url + "/x", policy=LOOPBACK)
    message = str(e.value)
    assert says in message and message.startswith(server.url) and "\n" not in message


@pytest.mark.parametrize("server", ["slow-headers", "slow-body"], indirect=True)
def test_a_server_that_trickles_is_cut_off_at_the_deadline(server: Hostile) -> None:
    """A byte every half second keeps every read inside its timeout; the deadline still ends it."""
    policy = Policy(allow_networks=LOOPBACK.allow_networks, timeout_s=5, deadline_s=2)
    with pytest.raises(InputError, match="not finished within 2 s"):
        fetch(server.url + "/x", policy=policy)


@pytest.mark.parametrize(
    ("content_type", "name"),
    [
        ("text/html; charset=windows-1252", "cp1252"),
        ('text/html; charset="ISO-8859-1"', "iso8859-1"),
        ("text/html; charset=utf-8", "utf-8"),
        ("text/html; charset=no-such-codec", None),
        ("text/html", None),
    ],
)
def test_the_servers_charset(content_type: str, name: str | None) -> None:
    assert charset(content_type) == name


def test_connects_to_the_address_it_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """A name checked as public connects to that address, whatever a second lookup would say."""
    calls: list[tuple[str, int]] = []
    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, **kw: [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))
        ],
    )

    def connect(addr: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        calls.append(addr)
        raise ConnectionRefusedError("no network in tests")

    monkeypatch.setattr(socket, "create_connection", connect)
    with pytest.raises(InputError):
        fetch("http://rebinding.example/x")
    assert calls == [("93.184.216.34", 80)]
    assert ipaddress.ip_address(calls[0][0]).is_global
