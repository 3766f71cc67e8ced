"""The network half of the fuzz run: a loopback server that answers every request with HTTP
chosen at random (bad status lines, 1xx and odd codes, hundreds of headers, huge header
lines, bytes trickled slowly, wrong and contradictory lengths, broken chunking, endless and
compressed bodies, redirects to every scheme and to refused addresses, resets, garbage,
feeds with XML entity bombs and external entities, teasers linking anywhere), fetched
through each of papercast's network readers: ``fetch``, the ``speak URL`` path
(``fetch_document`` then extraction), a feed source (``Reader`` + ``read_feed_source``, its
teaser links fetched too) and ``feed check URL``.

Each case must end in a result or a ``PapercastError`` (one line, no traceback), within its
deadline (the policy's per-fetch deadline times the fetches the case may make, plus 3 s),
and two canaries must stay untouched: a file whose token must never appear in anything
read (``file:`` links, local paths, XML external entities), and a second loopback server on
127.0.0.2, outside the allowed network, that must never receive a connection.

Run by ``benchmarks/fuzz.py --half network``.
"""

from __future__ import annotations

import gzip
import random
import socket
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

DEADLINE_S = 1.5  # the fuzz policy's deadline per fetch (the real default is 30 s)
TIMEOUT_S = 1.0
MAX_BYTES = 256 * 1024
TOKEN = "CANARY-7f3a9c"
KINDS = (
    "ok-html",
    "ok-rss",
    "bad-status",
    "odd-status",
    "many-headers",
    "long-header",
    "slow-headers",
    "slow-body",
    "wrong-length",
    "chunked-bad",
    "bomb-body",
    "bomb-length",
    "gzip-bomb",
    "redirect",
    "close",
    "reset",
    "garbage",
    "http09",
)
SLOW = ("slow-headers", "slow-body")
WORDS = (
    "The harbour board met on Tuesday to approve a $4.5m plan for the north quay, which "
    "flooded twice in 2025. Dr. Okafor said 1,200 jobs depend on it."
).split()


class HostileServer:
    """Answers ``GET /c/SEED[/fast]`` with the response ``SEED`` picks; ``fast`` never picks
    a slow kind (for the enclosures ``feed check`` fetches under its long media deadline)."""

    def __init__(self, canary_file: Path, canary_port: int) -> None:
        self.canary_file = canary_file
        self.canary_port = canary_port
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        _serve(
            self.sock,
            lambda conn: threading.Thread(target=self._answer, args=(conn,), daemon=True).start(),
        )

    def url(self, seed: int, fast: bool = False, prefer: str = "") -> str:
        """``prefer`` ("rss", "html") makes that kind of answer likelier."""
        return (
            f"http://127.0.0.1:{self.port}/c/{seed}"
            + ("/fast" if fast else "")
            + (f"/{prefer}" if prefer else "")
        )

    def _answer(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(10)
            request = conn.recv(65536).decode("latin-1")
            parts = request.split(" ", 2)
            path = parts[1] if len(parts) > 1 else "/"
            bits = path.strip("/").split("/")
            seed = int(bits[1]) if len(bits) > 1 and bits[1].isdigit() else 0
            fast = "fast" in bits
            rng = random.Random(seed)
            kinds = [k for k in KINDS if not (fast and k in SLOW)]
            kind = rng.choice(kinds)
            if "rss" in bits and rng.random() < 0.5:  # a reader of feeds: mostly a feed
                kind = "ok-rss"
            elif "html" in bits and rng.random() < 0.3:
                kind = "ok-html"
            self.respond(conn, kind, rng, fast)
        except OSError:
            pass
        finally:
            try:
                conn.close()
            except OSError:
                pass

    def _child(self, rng: random.Random, fast: bool) -> str:
        return self.url(rng.randrange(1 << 30), fast, rng.choice(["", "html"]))

    def hostile_link(self, rng: random.Random, fast: bool) -> str:
        cp, p = self.canary_port, self.port
        return rng.choice(
            [
                self._child(rng, fast),
                self._child(rng, fast),
                f"file://{self.canary_file}",
                str(self.canary_file),
                "../" * rng.randint(1, 8) + self.canary_file.name,
                f"ftp://127.0.0.1:{p}/",
                f"gopher://127.0.0.1:{p}/",
                "javascript:alert(1)",
                "data:text/html,<p>hi</p>",
                f"http://127.0.0.2:{cp}/admin",
                f"http://[::ffff:127.0.0.2]:{cp}/",
                f"http://2130706434:{cp}/",  # 127.0.0.2 as one decimal number
                f"http://127.0.0.2.nip.invalid:{cp}/",
                f"http://localhost:{cp}/",
                f"http://[::1]:{cp}/",
                "http://169.254.169.254/latest/meta-data/",
                "http://0.0.0.0/",
                f"http://127.0.0.1:{p}/c/{rng.randrange(1 << 30)}?" + "q" * rng.randint(0, 9000),
                "http://[::1",
                "http://a b/",
                f"https://127.0.0.1:{p}/",  # TLS to a plain-text server
                "",
            ]
        )

    def respond(self, conn: socket.socket, kind: str, rng: random.Random, fast: bool) -> None:
        send = conn.sendall
        if kind == "ok-html":
            body = self._page(rng)
            ct = rng.choice(
                [
                    "text/html",
                    "text/html; charset=utf-8",
                    "text/html; charset=windows-1252",
                    "text/html; charset=nonsense",
                    "text/plain",
                    "application/octet-stream",
                    "",
                ]
            )
            send(
                b"HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n"
                % (ct.encode(), len(body))
                + body
            )
        elif kind == "ok-rss":
            body = self._feed(rng, fast)
            send(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"
                b"Content-Length: %d\r\n\r\n" % len(body) + body
            )
        elif kind == "bad-status":
            send(rng.choice([b"HTP/1.1 two hundred", b"HTTP/1.1", b"HTTP/9.9 200 OK", b"\x00" * 9]))
            send(b"\r\n\r\nhello")
        elif kind == "odd-status":
            code = rng.choice([100, 101, 102, 199, 204, 205, 304, 305, 306, 399, 418, 599, 600])
            send(b"HTTP/1.1 %d Odd\r\nContent-Length: 5\r\n\r\nhello" % code)
        elif kind == "many-headers":
            n = rng.randint(90, 400)
            send(b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(n)) + b"\r\n")
            send(self._page(rng))
        elif kind == "long-header":
            send(b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * rng.randint(10_000, 300_000) + b"\r\n\r\n")
        elif kind == "slow-headers":
            send(b"HTTP/1.1 200 OK\r\n")
            while True:
                send(b"X")
                time.sleep(rng.uniform(0.1, 0.6))
        elif kind == "slow-body":
            send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html><body>")
            while True:
                send(b"<p>word ")
                time.sleep(rng.uniform(0.1, 0.6))
        elif kind == "wrong-length":
            body = self._page(rng)
            length = rng.choice(
                [
                    str(len(body) * 3).encode(),
                    str(len(body) // 2).encode(),
                    b"-5",
                    b"ten",
                    b"%d\r\nContent-Length: 3" % len(body),
                    b"99999999999999999999999999",
                ]
            )
            send(b"HTTP/1.1 200 OK\r\nContent-Length: " + length + b"\r\n\r\n" + body)
        elif kind == "chunked-bad":
            send(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
            send(
                rng.choice([b"zz\r\nhello\r\n", b"ffffffffffff\r\nabc", b"5\r\nhello", b"5\r\nhel"])
            )
        elif kind == "bomb-body":
            send(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
            chunk = b"<p>" + b"a" * 65533
            for _ in range(4096):  # 256 MB, far over any limit, unless the client hangs up
                send(chunk)
        elif kind == "bomb-length":
            send(b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\n\r\n" + self._page(rng))
        elif kind == "gzip-bomb":
            body = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
            send(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\n"
                b"Content-Length: %d\r\n\r\n" % len(body) + body
            )
        elif kind == "redirect":
            target = rng.choice(
                [
                    self.hostile_link(rng, fast),
                    f"/c/{rng.randrange(1 << 30)}",
                    "/c/1/../../etc/passwd",
                    "",
                    "http://\u00e9x\u00e4mple.invalid/",
                    "x" * rng.randint(1, 20_000),
                ]
            ).encode("utf-8", "replace")
            code = rng.choice([301, 302, 303, 307, 308])
            send(b"HTTP/1.1 %d Moved\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n" % (code, target))
        elif kind == "close":
            return
        elif kind == "reset":
            conn.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00"
            )
        elif kind == "garbage":
            send(rng.randbytes(rng.randint(1, 20_000)))
        elif kind == "http09":
            send(self._page(rng))

    def _page(self, rng: random.Random) -> bytes:
        style = rng.choice(["article", "deep", "bytes", "controls", "empty"])
        if style == "deep":
            d = rng.randint(100, 20_000)
            return b"<div>" * d + b"<p>" + " ".join(WORDS).encode() + b"</p>" + b"</div>" * d
        if style == "bytes":
            return rng.randbytes(rng.randint(1, 30_000))
        if style == "controls":
            return "".join(chr(rng.randint(0, 0x2FFF)) for _ in range(3000)).encode(
                "utf-8", "replace"
            )
        if style == "empty":
            return b""
        paragraphs = "".join(
            "<p>" + " ".join(rng.choice(WORDS) for _ in range(rng.randint(5, 60))) + "</p>"
            for _ in range(rng.randint(1, 20))
        )
        head = "<html><head><title>T</title></head><body><h1>A headline</h1>"
        return f"{head}{paragraphs}</body></html>".encode()

    def _feed(self, rng: random.Random, fast: bool) -> bytes:
        style = rng.choice(["items", "items", "laughs", "xxe", "broken", "deep"])
        if style == "laughs":
            ents = '<!ENTITY a0 "ha">' + "".join(
                f'<!ENTITY a{i} "' + f"&a{i - 1};" * 10 + '">' for i in range(1, 10)
            )
            return (
                f'<?xml version="1.0"?><!DOCTYPE rss [{ents}]><rss version="2.0"><channel>'
                "<title>&a9;</title><item><title>&a9;</title><description>&a9;</description>"
                "<guid>x</guid></item></channel></rss>"
            ).encode()
        if style == "xxe":
            return (
                f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{self.canary_file}">]>'
                '<rss version="2.0"><channel><title>&x;</title><item><title>&x;</title>'
                "<description>&x; " + "word " * 200 + "</description><guid>g</guid>"
                f'<enclosure url="file://{self.canary_file}" length="1" type="audio/mpeg"/>'
                "</item></channel></rss>"
            ).encode()
        if style == "broken":
            return (
                b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>x'
                + rng.randbytes(200)
            )
        if style == "deep":
            d = rng.randint(1000, 100_000)
            return (
                b'<rss version="2.0"><channel>'
                + b"<item>" * d
                + b"</item>" * d
                + b"</channel></rss>"
            )
        items = []
        for i in range(rng.randint(0, 3)):
            link = self.hostile_link(rng, fast)
            words = rng.choice([10, 10, 400])  # a teaser (its link is fetched) or the full text
            items.append(
                f"<item><title>Item {i}</title><link>{_xml(link)}</link>"
                f"<guid>g{i}-{rng.random()}</guid>"
                f"<description>{' '.join(rng.choice(WORDS) for _ in range(words))}</description>"
                f'<enclosure url="{_xml(self.hostile_link(rng, True))}" '
                f'length="{rng.randint(0, 99)}" type="audio/mpeg"/></item>'
            )
        return (
            '<?xml version="1.0"?><rss version="2.0" '
            'xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel><title>F</title>'
            f"<link>http://127.0.0.1:{self.port}/</link><description>d</description>"
            + "".join(items)
            + "</channel></rss>"
        ).encode()


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


class CanaryServer:
    """A loopback server outside the allowed network: every connection it sees is a failure."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.2", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        _serve(self.sock, self._refuse)

    def _refuse(self, conn: socket.socket) -> None:
        self.connections += 1
        conn.close()


def _serve(sock: socket.socket, handle: Callable[[socket.socket], None]) -> None:
    """Accept connections on ``sock`` in a background thread, each handed to ``handle``."""

    def loop() -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:
                return
            handle(conn)

    threading.Thread(target=loop, daemon=True).start()


def readers(folder: Path) -> dict[str, tuple[Callable[[str], object], int]]:
    """Each network reader, and how many fetches (each with its own deadline) it may make."""
    from papercast.feed.check import check
    from papercast.feed.sources import Reader, read_feed_source
    from papercast.fetch import Policy, fetch, networks
    from papercast.pipeline import fetch_document
    from papercast.text.extract import extract

    policy = Policy(
        allow_networks=networks(["127.0.0.1/32"]),
        timeout_s=TIMEOUT_S,
        deadline_s=DEADLINE_S,
        max_bytes=MAX_BYTES,
    )

    def page(url: str) -> object:
        return extract(fetch_document(url, policy))

    def feed(url: str) -> object:
        reader = Reader(folder, folder / "pages", {}, policy)
        failed: list[tuple[str, str]] = []
        got = read_feed_source(url, reader, failed)
        return [(s.identity, s.title_hint, s.text) for s in got], failed

    return {
        "fetch": (lambda url: fetch(url, policy=policy), 1 + policy.max_redirects),
        "page": (page, 1 + policy.max_redirects),
        "feed": (feed, 4 * (1 + policy.max_redirects)),
        "check": (lambda url: check(url, policy), 1 + policy.max_redirects),
    }


def run(cases: int, seed: int, log: Callable[[str], None]) -> tuple[int, dict[str, int]]:
    """``cases`` network cases; returns (failures, outcome counts)."""
    from papercast.errors import PapercastError

    rng = random.Random(seed)
    failures = 0
    outcomes: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        canary_file = folder / "secret.txt"
        canary_file.write_text(f"{TOKEN} private notes " * 30, encoding="utf-8")
        canary = CanaryServer()
        server = HostileServer(canary_file, canary.port)
        entry = readers(folder)
        slowest = 0.0
        for i in range(cases):
            name = rng.choice(sorted(entry))
            call, fetches = entry[name]
            fast = name == "check"
            prefer = {"feed": "rss", "check": "rss", "page": "html"}.get(name, "")
            url = server.url(rng.randrange(1 << 30), fast, prefer)
            t0 = time.monotonic()
            try:
                result = call(url)
                outcome = "result"
                leaked = TOKEN in repr(result)
            except PapercastError as e:
                outcome, leaked = "refused", TOKEN in str(e)
                if "\n" in str(e):
                    failures += 1
                    log(f"network case {i} ({name} {url}): a message of several lines: {e!r}")
            except Exception:  # noqa: BLE001 - the traceback is what this run looks for
                outcome, leaked = "traceback", False
                failures += 1
                log(f"network case {i} ({name} {url}):\n{traceback.format_exc()[-3000:]}")
            took = time.monotonic() - t0
            slowest = max(slowest, took)
            allowed = DEADLINE_S * fetches + 3
            if name == "check":  # and up to 3 enclosures, from kinds that answer at once (feed
                allowed += 30  # check's own media deadline is 600 s: MP3s are large)
            if took > allowed:
                failures += 1
                log(f"network case {i} ({name} {url}): {took:.1f} s, over its {allowed:g} s")
            if leaked:
                failures += 1
                log(f"network case {i} ({name} {url}): the canary file's text was read")
            outcomes[f"{name}:{outcome}"] = outcomes.get(f"{name}:{outcome}", 0) + 1
        if canary.connections:
            failures += 1
            log(
                f"the canary server outside the allowed network saw {canary.connections} "
                "connection(s)"
            )
        outcomes["slowest_ms"] = int(slowest * 1000)
        outcomes["canary_connections"] = canary.connections
    return failures, outcomes
