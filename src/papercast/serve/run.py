"""Starting and stopping ``papercast serve``."""

from __future__ import annotations

import ipaddress
import os
import signal
import socket
import sys
from pathlib import Path

from papercast.errors import PapercastError
from papercast.feed.build import build_lock
from papercast.feed.config import load_config
from papercast.serve.worker import Worker


def serve(
    folder: Path,
    host: str | None = None,
    port: int | None = None,
    token: str | None = None,
    poll_minutes: float | None = None,
    threads: float | None = None,
    max_queue: int | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
) -> int:
    """Run ``folder`` as a service until SIGTERM. Each setting left None comes from the
    environment (the token and the webhook secret), else [serve] in papercast.toml."""
    try:
        import uvicorn

        from papercast.serve.app import Service, make_app
    except ImportError as e:
        raise PapercastError(
            f"papercast serve needs Starlette and uvicorn: pip install 'papercast[serve]' ({e})"
        ) from None

    cfg = load_config(folder)
    conf = cfg.serve
    host = host or conf.host
    port = conf.port if port is None else port
    token = token or os.environ.get("PAPERCAST_TOKEN", "") or conf.token
    secret = os.environ.get("PAPERCAST_WEBHOOK_SECRET", "") or conf.webhook_secret
    poll_minutes = conf.poll_minutes if poll_minutes is None else poll_minutes
    max_queue = conf.max_queue if max_queue is None else max_queue
    if poll_minutes <= 0 or max_queue < 1:
        raise PapercastError("--poll-minutes and --max-queue must be above 0")
    if not _loopback(host) and not token:
        raise PapercastError(
            f"--host {host}: other machines could reach the API; set a token "
            "(PAPERCAST_TOKEN, --token or [serve] token) to serve beyond this machine"
        )
    if token and len(token) < 16:
        raise PapercastError("the token must be at least 16 characters")
    if not 0 <= port <= 65535:
        raise PapercastError(f"--port {port}: not a port")
    with build_lock(folder / ".papercast", who="papercast serve"):
        try:
            sock = socket.create_server(
                (host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET
            )
        except OSError as e:
            raise PapercastError(f"{host}:{port}: cannot listen: {e.strerror}") from None
        worker = Worker(cfg, poll_minutes, threads, scheduler, workers)
        service = Service(
            cfg,
            worker,
            token=token,
            webhook_secret=secret,
            max_queue=max_queue,
        )
        app = make_app(service)
        worker.start()
        bound = sock.getsockname()[1]
        shown = f"[{host}]" if ":" in host else host
        print(
            f"papercast serve: http://{shown}:{bound}/ serving {folder} (feed.xml, /api, /v1)",
            file=sys.stderr,
            flush=True,
        )
        config = uvicorn.Config(
            app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=8
        )
        server = uvicorn.Server(config)
        # uvicorn handles SIGTERM and SIGINT (a graceful shutdown) and raises them again once
        # it has stopped; here that second one must not turn a clean stop into an error
        signal.signal(signal.SIGTERM, lambda *_: None)
        signal.signal(signal.SIGINT, lambda *_: None)
        try:
            server.run(sockets=[sock])
        finally:
            worker.stop(timeout=10)
    print("papercast serve: stopped", file=sys.stderr, flush=True)
    return 0


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
