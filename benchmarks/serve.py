"""papercast serve under load (not a test): 200 article submissions from 20 concurrent
clients while 100 concurrent clients download episodes with byte ranges, and pollers read
GET /feed.xml and GET /api/articles/{id}. Prints the statuses (only intended 429s may fail),
whether every accepted job was published once, the p50/p99 latency of the two reads while
renders run, the renders' real-time factor (seconds of speech per second of rendering), and
the time to the first audio bytes of /v1/audio/speech against the time to synthesise that
first sentence alone.

Usage: python benchmarks/serve.py [--voice joe|tone] [--articles 200] [--max-queue 1000]
                                 [--download-rate R]

The downloaders ask as fast as they can by default (a closed loop): every request then waits
behind the others, about 100 / (requests per second) by Little's law, whatever the server
does. ``--download-rate`` gives them a fixed total rate instead (an open loop), which is
how a server's latency at a given load is measured.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TONE = str(ROOT / "tests" / "data" / "tone-voice.onnx")
PLACES = ["harbour", "library", "depot", "market", "school", "bridge", "station", "clinic"]


def article(i: int) -> str:
    a, b = PLACES[i % 8], PLACES[(i * 3 + 1) % 8]
    return (
        f"Council backs plan {i} for the {a}\n\nThe council voted on Tuesday to back plan {i} "
        f"for the {a}, which has waited {i % 12 + 2} years for repairs. Work on the {b} will "
        f"follow in week {i % 40 + 1}, officials said."
    )


def call(url: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            data = r.read()
            return r.status, data, time.perf_counter() - t0
    except urllib.error.HTTPError as e:
        return e.code, e.read(), time.perf_counter() - t0


def downloaders(
    mp3s: list[str], sizes: list[int], n: int, stop: Any, results: Any, rate: float = 0.0
) -> None:
    """n clients, each asking for one random 1,000-byte range after another until stop; with
    ``rate``, all of them together at most that many a second (each waits its turn)."""
    lat: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def one() -> None:
        rng = random.Random()
        every = n / rate if rate else 0.0
        due = time.monotonic() + rng.random() * every
        while not stop.is_set():
            if every:
                time.sleep(max(0.0, due - time.monotonic()))
                due += every
            k = rng.randrange(len(mp3s))
            start = rng.randrange(sizes[k] - 1000)
            status, _, dt = call(mp3s[k], headers={"Range": f"bytes={start}-{start + 999}"})
            with lock:
                lat.append(dt)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=one, daemon=True) for _ in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=130)
    results.put((lat, statuses))


def served_folder(tmp: Path, voice: str = "joe") -> tuple[Path, int, str]:
    """A feed folder in ``tmp`` for a server on a free loopback port: (folder, port, base URL)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    folder = tmp / "show"
    subprocess.run(
        [sys.executable, "-m", "papercast.cli", "feed", "init", str(folder)],
        check=True,
        capture_output=True,
    )
    cfg = (folder / "papercast.toml").read_text(encoding="utf-8")
    if voice == "tone":
        cfg = cfg.replace('voice = "joe"', f'voice = "{TONE}"')
    cfg = cfg.replace('base_url = "https://example.com/podcast/"', f'base_url = "{base}/"')
    (folder / "papercast.toml").write_text(cfg, encoding="utf-8")
    return folder, port, base


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--voice", choices=["joe", "tone"], default="joe")
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--max-queue", type=int, default=1000)
    ap.add_argument(
        "--download-rate",
        type=float,
        default=0.0,
        help="range requests a second from all downloaders together (0: each as fast as it can)",
    )
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        folder, port, base = served_folder(tmp, args.voice)
        env = dict(os.environ, PAPERCAST_CACHE_DIR=str(tmp / "cache"))
        server = subprocess.Popen(
            [sys.executable, "-m", "papercast.cli", "serve", str(folder), "--port", str(port),
             "--max-queue", str(args.max_queue)],
            stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        assert server.stderr is not None
        for line in server.stderr:
            if line.startswith("papercast serve: http://"):
                break
        log: list[str] = []
        threading.Thread(target=lambda: log.extend(server.stderr), daemon=True).start()  # type: ignore[arg-type]
        while call(f"{base}/healthz")[0] != 200:
            time.sleep(0.2)
        try:
            return run(base, args, log)
        finally:
            server.terminate()
            server.wait(timeout=30)


def run(base: str, args: argparse.Namespace, log: list[str]) -> int:
    post = {"Content-Type": "application/json"}
    # a few episodes first, for the downloaders
    for i in range(3):
        call(
            f"{base}/api/articles",
            "POST",
            json.dumps({"text": article(10_000 + i), "id": f"seed-{i}"}).encode(),
            post,
        )
    while not all(
        json.loads(call(f"{base}/api/articles/seed-{i}")[1]).get("state") == "published"
        for i in range(3)
    ):
        time.sleep(0.3)
    mp3s = [
        json.loads(call(f"{base}/api/articles/seed-{i}")[1])["episode"]["mp3"] for i in range(3)
    ]
    sizes = [
        int(json.loads(call(f"{base}/api/articles/seed-{i}")[1])["episode"]["length_bytes"])
        for i in range(3)
    ]

    # first audio of /v1/audio/speech, against synthesising that first sentence alone
    def speech_body(text: str) -> bytes:
        return json.dumps(
            {"model": "tts-1", "voice": "alloy", "input": text, "response_format": "wav"}
        ).encode()

    firsts, alones = [], []
    for k in range(5):  # new words each time, so nothing comes from the clip cache
        speech = speech_body(article(500 + k))
        first_sentence = speech_body(article(600 + k).split("\n\n")[0])  # a headline alike
        req = urllib.request.Request(f"{base}/v1/audio/speech", data=speech, headers=post)
        t0 = time.perf_counter()
        with urllib.request.urlopen(req) as r:
            r.read(44 + 2048)  # the header and the first audio
            firsts.append(time.perf_counter() - t0)
            r.read()
        alones.append(call(f"{base}/v1/audio/speech", "POST", first_sentence, post)[2])
    statuses: dict[int, int] = {}
    accepted: list[str] = []
    lock = threading.Lock()
    done = threading.Event()
    lat: dict[str, list[float]] = {"feed": [], "article": [], "range": []}

    def submit(i: int) -> None:
        status, data, _ = call(
            f"{base}/api/articles",
            "POST",
            json.dumps({"text": article(i), "id": f"a-{i}"}).encode(),
            post,
        )
        with lock:
            statuses[status] = statuses.get(status, 0) + 1
            if status == 202:
                accepted.append(f"a-{i}")

    def poll() -> None:
        while not done.is_set():
            s1, _, d1 = call(f"{base}/feed.xml")
            s2, _, d2 = call(f"{base}/api/articles/seed-0")
            with lock:
                lat["feed"].append(d1)
                lat["article"].append(d2)
                for s in (s1, s2):
                    statuses[s] = statuses.get(s, 0) + 1
            time.sleep(0.05)

    t0 = time.perf_counter()
    # the downloaders run in a process of their own: in this one, 100 client threads held
    # the interpreter lock the pollers' clocks run under, and their waits for it were
    # measured as the server's latency
    ctx = multiprocessing.get_context("spawn")
    stop, results = ctx.Event(), ctx.Queue()
    loader = ctx.Process(
        target=downloaders, args=(mp3s, sizes, 100, stop, results, args.download_rate)
    )
    loader.start()
    threads = [threading.Thread(target=poll, daemon=True) for _ in range(2)]
    for th in threads:
        th.start()
    with ThreadPoolExecutor(20) as pool:
        list(pool.map(submit, range(args.articles)))
    submitted_s = time.perf_counter() - t0
    while True:
        states = {
            a["id"]: a["state"] for a in json.loads(call(f"{base}/api/articles")[1])["articles"]
        }
        if all(states.get(i) == "published" for i in accepted):
            break
        if any(states.get(i) == "failed" for i in accepted):
            break
        time.sleep(0.5)
    render_s = time.perf_counter() - t0
    done.set()
    stop.set()
    for th in threads:
        th.join(timeout=30)
    ranges, range_statuses = results.get(timeout=120)
    loader.join(timeout=30)
    lat["range"] = ranges
    for code, n in range_statuses.items():
        statuses[code] = statuses.get(code, 0) + n
    feed = call(f"{base}/feed.xml")[1].decode()
    listed = {i for i in accepted if f">{i}</guid>" in feed}
    episodes = json.loads(call(f"{base}/api/articles")[1])["articles"]
    speech_s = sum(
        a["episode"]["duration_s"] for a in episodes if a.get("episode") and a["id"] in accepted
    )

    def pct(xs: list[float], q: float) -> float:
        return sorted(xs)[min(len(xs) - 1, int(q * len(xs)))] * 1000

    once = len(listed) == len(accepted) and all(feed.count(f">{i}</guid>") == 1 for i in accepted)
    published = sum(1 for a in episodes if a["id"] in accepted and a["state"] == "published")
    first, alone = statistics.median(firsts), statistics.median(alones)
    print(f"submissions: {len(accepted)} accepted of {args.articles} in {submitted_s:.1f} s")
    mode = f"{args.download_rate:g} a second together" if args.download_rate else "each at once"
    print(f"downloaders: 100, 1,000-byte ranges, {mode}")
    print(f"statuses: {dict(sorted(statuses.items()))}")
    print(f"published: {published} of {len(accepted)} accepted; each once in the feed: {once}")
    for k in ("feed", "article", "range"):
        print(
            f"GET {k}: {len(lat[k])} requests while rendering, p50 {pct(lat[k], 0.5):.1f} ms, "
            f"p99 {pct(lat[k], 0.99):.1f} ms"
        )
    print(
        f"renders: {speech_s} s of speech in {render_s:.1f} s: {speech_s / render_s:.1f}x real time"
    )
    print(
        f"/v1/audio/speech first audio: median {first * 1000:.0f} ms; the first sentence alone: "
        f"{alone * 1000:.0f} ms ({first / alone:.2f}x, target <= 1.5x)"
    )
    print(f"tracebacks in the server log: {sum('Traceback' in line for line in log)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
