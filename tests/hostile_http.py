"""A loopback server that answers HTTP the way an attacker (or a broken server) would; run as a
subprocess by the tests: ``python hostile_http.py MODE [ARG]``. It prints its port on the first
line, logs one line per connection to stderr, and serves until it is terminated.

Modes: ok, bad-status, many-headers, long-header, slow-headers, slow-body, short-body,
redirect URL (a 302 to URL), redirect-loop, huge-length.
"""

from __future__ import annotations

import socket
import sys
import threading
import time

PAGE = b"<html><body><p>" + b"The harbour board met on Tuesday. " * 20 + b"</p></body></html>"


def answer(conn: socket.socket, mode: str, arg: str) -> None:
    conn.recv(65536)  # the request (small: one GET)
    if mode == "ok":
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % len(PAGE)
            + PAGE
        )
    elif mode == "bad-status":
        conn.sendall(b"HTP/1.1 two hundred\r\n\r\nhello")
    elif mode == "many-headers":
        conn.sendall(
            b"HTTP/1.1 200 OK\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(150)) + b"\r\nx"
        )
    elif mode == "long-header":
        conn.sendall(b"HTTP/1.1 200 OK\r\nX-Long: " + b"a" * 70_000 + b"\r\n\r\nx")
    elif mode == "slow-headers":
        conn.sendall(b"HTTP/1.1 200 OK\r\n")
        while True:  # a header byte now and then, never the end of the headers
            conn.sendall(b"X")
            time.sleep(0.5)
    elif mode == "slow-body":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n")
        while True:
            conn.sendall(b"<p>")
            time.sleep(0.5)
    elif mode == "short-body":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n" + PAGE)
    elif mode == "huge-length":
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 999999999999\r\n\r\n" + PAGE)
    elif mode == "redirect":
        conn.sendall(
            b"HTTP/1.1 302 Found\r\nLocation: " + arg.encode() + b"\r\nContent-Length: 0\r\n\r\n"
        )
    elif mode == "redirect-loop":
        conn.sendall(b"HTTP/1.1 302 Found\r\nLocation: /again\r\nContent-Length: 0\r\n\r\n")


def main() -> int:
    mode, arg = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "")
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    print(server.getsockname()[1], flush=True)

    def handle(conn: socket.socket) -> None:
        try:
            answer(conn, mode, arg)
        except OSError:
            pass
        finally:
            conn.close()

    while True:
        conn, peer = server.accept()
        print(f"connection from {peer[0]}", file=sys.stderr, flush=True)
        threading.Thread(target=handle, args=(conn,), daemon=True).start()


if __name__ == "__main__":
    raise SystemExit(main())
