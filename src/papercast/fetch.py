"""Reading from the network: one module, one policy, for every fetch papercast makes (feed
sources, teaser links, ``speak URL``, ``feed check URL``; the service's submissions next).

The policy (``Policy``), at every redirect hop:
- http and https only;
- the host's addresses are resolved once and each checked: loopback, private, link-local,
  multicast, reserved, unspecified and other non-global addresses (IPv4 and IPv6, IPv4-mapped
  IPv6 read as the IPv4 it maps) are refused unless a network the user named allows them;
  the connection goes to the address that was checked, so a DNS answer that changes between
  the check and the connect cannot move it (no rebinding);
- a deadline for the whole fetch (default 30 s) as well as a timeout per read (20 s): a
  server that sends a byte every few seconds is cut off at the deadline;
- at most 100 headers and 64 KB per header line (http.client's own limits), a body under
  ``max_bytes``; anything malformed is one line naming the URL, never a traceback.
Proxies from the environment are not used: a proxy would connect to addresses we did not
check.
"""

from __future__ import annotations

import codecs
import ipaddress
import re
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from papercast.errors import InputError

USER_AGENT = "papercast/0.2 (+https://pypi.org/project/papercast/; article-to-podcast)"
ACCEPT = (
    "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, "
    "application/xml;q=0.9, */*;q=0.5"
)
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class Policy:
    """What one fetch may do."""

    allow_networks: tuple[Network, ...] = ()  # non-public networks the user allows by name
    timeout_s: float = 20.0  # per read (and for connecting)
    deadline_s: float = 30.0  # for the whole fetch, redirects included
    max_bytes: int = 8 * 1024 * 1024
    max_redirects: int = 5


def networks(specs: Iterable[str], where: str = "") -> tuple[Network, ...]:
    """``["127.0.0.0/8", "10.1.2.3"]`` as networks; a bad one is refused naming it."""
    out = []
    for spec in specs:
        try:
            out.append(ipaddress.ip_network(spec, strict=False))
        except ValueError:
            raise InputError(
                f"{where}{spec!r}: not an IP network (such as 10.0.0.0/8 or ::1)"
            ) from None
    return tuple(out)


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    body: bytes
    content_type: str
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False


def refusal(address: str, policy: Policy) -> str:
    """Why ``address`` may not be fetched from ("a loopback address"), or "" when it may."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in net for net in policy.allow_networks):
        return ""
    for test, kind in (
        ("is_loopback", "loopback"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
        ("is_unspecified", "unspecified"),
        ("is_reserved", "reserved"),
        ("is_private", "private"),
    ):
        if getattr(ip, test):
            return f"a {kind} address"
    if not ip.is_global:
        return "not a public address"
    return ""


def resolve(host: str, port: int, policy: Policy, url: str) -> str:
    """The address to connect to: every address the name resolves to must be allowed (a name
    that points at a private address next to a public one is refused)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise InputError(f"{url}: cannot resolve {host}: {e}") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for address in addresses:
        why = refusal(address, policy)
        if why:
            named = (
                f"{host} is {why}" if host == address else f"{host} resolves to {address}, {why}"
            )
            raise InputError(
                f"{url[:200]}: {named}; papercast fetches only public addresses unless a network "
                "is allowed (--allow-network, or [sources] allow_networks)"
            )
    if not addresses:
        raise InputError(f"{url}: cannot resolve {host}")
    return addresses[0]


def fetch(
    url: str,
    *,
    policy: Policy | None = None,
    timeout_s: float | None = None,
    max_bytes: int | None = None,
    etag: str = "",
    last_modified: str = "",
) -> Fetched:
    """GET ``url`` under ``policy``, conditionally when ``etag``/``last_modified`` are given."""
    policy = policy or Policy()
    if timeout_s is not None or max_bytes is not None:
        policy = Policy(
            policy.allow_networks,
            timeout_s or policy.timeout_s,
            policy.deadline_s,
            max_bytes or policy.max_bytes,
            policy.max_redirects,
        )
    deadline = time.monotonic() + policy.deadline_s
    current = url
    for _ in range(policy.max_redirects + 1):
        status, headers, body = _get(current, policy, deadline, etag, last_modified)
        if status in REDIRECTS:
            location = headers.get("Location", "")
            if not location:
                raise InputError(f"{current}: HTTP {status} without a Location")
            current = urljoin(current, location.strip())
            continue
        if status == 304:
            return Fetched(current, b"", "", etag, last_modified, not_modified=True)
        if not 200 <= status < 300:
            raise InputError(f"{current}: HTTP {status} {headers.get('reason', '')}".rstrip())
        return Fetched(
            current,
            body,
            headers.get("Content-Type", ""),
            headers.get("ETag", ""),
            headers.get("Last-Modified", ""),
        )
    raise InputError(f"{url}: more than {policy.max_redirects} redirects")


def _get(
    url: str, policy: Policy, deadline: float, etag: str, last_modified: str
) -> tuple[int, dict[str, str], bytes]:
    # http.client with ssl costs 30 ms to import: only when something is fetched (every
    # command imports this module with the settings, which name the fetch policy)
    import http.client
    import ssl

    try:
        parts = urlsplit(url)
        parts.hostname  # noqa: B018 - raises ValueError for a malformed IPv6 literal
    except ValueError:
        raise InputError(f"{url[:200]}: not a valid URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{url[:200]}: only http and https URLs can be fetched")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise InputError(f"{url[:200]}: bad port") from None
    address = resolve(parts.hostname, port, policy, url)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise InputError(f"{url}: no answer within {policy.deadline_s:g} s")
    timeout = min(policy.timeout_s, remaining)
    conn: http.client.HTTPConnection
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(
            parts.hostname, port, timeout=timeout, context=ssl.create_default_context()
        )
    else:
        conn = http.client.HTTPConnection(parts.hostname, port, timeout=timeout)
    # connect to the address that was checked (the Host header and TLS name stay the host's)
    conn._create_connection = (  # type: ignore[attr-defined]
        lambda _addr, t=None, src=None: socket.create_connection((address, port), t, src)
    )
    fired = threading.Event()
    opened: list[socket.socket] = []  # http.client forgets conn.sock once an answer will close

    def cut_off() -> None:
        fired.set()
        for sock in opened or ([conn.sock] if conn.sock is not None else []):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    watchdog = threading.Timer(remaining, cut_off)
    watchdog.daemon = True
    watchdog.start()
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        conn.connect()
        opened.append(conn.sock)
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        got = {k: v for k, v in response.getheaders()}
        got["reason"] = response.reason
        body = b""
        if response.status not in REDIRECTS and response.status != 304:
            length = response.getheader("Content-Length", "")
            if length.strip().isdigit() and int(length) > policy.max_bytes:
                raise InputError(
                    f"{url}: {int(length)} bytes is over the {policy.max_bytes}-byte limit"
                )
            chunks, size = [], 0
            while True:
                chunk = response.read(min(65536, policy.max_bytes + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if size > policy.max_bytes:
                    raise InputError(f"{url}: more than the {policy.max_bytes}-byte limit")
            body = b"".join(chunks)
            if length.strip().isdigit() and size != int(length) and not fired.is_set():
                raise InputError(f"{url}: the answer was cut short ({size} of {int(length)} bytes)")
        if fired.is_set():  # the watchdog closed the socket: what came is not the whole body
            raise InputError(f"{url}: not finished within {policy.deadline_s:g} s")
        return response.status, got, body
    except InputError:
        raise
    except TimeoutError:
        raise InputError(f"{url}: no answer within {policy.timeout_s:g} s") from None
    except ssl.SSLError as e:
        raise InputError(f"{url}: TLS failed: {e.reason or e}") from None
    except (http.client.HTTPException, OSError, ValueError) as e:
        if fired.is_set():
            raise InputError(f"{url}: not finished within {policy.deadline_s:g} s") from None
        detail = " ".join(str(e).split())[:120]  # one line, whatever the server sent
        what = f"{type(e).__name__}: {detail}" if detail else type(e).__name__
        raise InputError(f"{url}: malformed or broken HTTP answer ({what})") from None
    finally:
        watchdog.cancel()
        conn.close()


def charset(content_type: str) -> str | None:
    """The charset a Content-Type names, when Python knows it (else None: read as UTF-8)."""
    m = re.search(r"charset\s*=\s*\"?([\w.:-]{1,40})", content_type, re.I)
    if not m:
        return None
    try:
        return codecs.lookup(m.group(1)).name
    except LookupError:
        return None


def kind_of(content_type: str, body: bytes) -> str:
    ct = content_type.lower()
    if "html" in ct or body.lstrip()[:200].lower().startswith((b"<!doctype html", b"<html")):
        return "html"
    if "markdown" in ct:
        return "markdown"
    return "text"
