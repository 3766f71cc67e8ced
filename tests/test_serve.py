"""papercast serve, started for real as a subprocess on loopback: articles in by URL, by body
and by signed webhook; the feed read back by feedparser from the server; edits, deletions,
``feed check`` against the running server; kill -9 mid-work and a restart; the security
rules; OpenAI's speech API through the ``openai`` client."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from test_feed import _png

from conftest import SAMPLES, TONE_VOICE, run_cli, start_static_server

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
feedparser = pytest.importorskip("feedparser")

SECRET = "webhook-secret-for-tests"
TOKEN = "a-token-of-twenty-chars"
STORY = (
    "Harbour board approves sea wall\n\nThe harbour board met on Tuesday and approved the plan "
    "for a new sea wall along the north quay. Work starts in May and should take two years.\n\n"
    "The board's chair said the wall would protect 300 homes from winter storms."
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _folder(tmp: Path, port: int) -> Path:
    folder = tmp / "show"
    assert run_cli("feed", "init", str(folder)).code == 0
    cfg = (folder / "papercast.toml").read_text(encoding="utf-8")
    cfg = cfg.replace('voice = "joe"', f'voice = "{TONE_VOICE}"')
    cfg = cfg.replace(
        'base_url = "https://example.com/podcast/"', f'base_url = "http://127.0.0.1:{port}/"'
    )
    cfg = cfg.replace("allow_networks = []", 'allow_networks = ["127.0.0.1/32"]')
    cfg = cfg.replace('cover = ""', 'cover = "cover.png"')
    (folder / "papercast.toml").write_text(cfg, encoding="utf-8")
    (folder / "cover.png").write_bytes(_png(1400, 1400))
    return folder


class Server:
    def __init__(self, folder: Path, port: int, *extra: str, env: dict[str, str] | None = None):
        self.folder, self.port = folder, port
        self.url = f"http://127.0.0.1:{port}"
        self.log: list[str] = []
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "papercast.cli",
                "serve",
                str(folder),
                "--port",
                str(port),
                *extra,
            ],
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PAPERCAST_WEBHOOK_SECRET": SECRET, **(env or {})},
        )
        assert self.proc.stderr is not None
        for line in self.proc.stderr:  # the event: it says where it listens
            self.log.append(line)
            if line.startswith("papercast serve: http://"):
                break
        else:
            raise AssertionError("".join(self.log))
        import threading

        threading.Thread(target=self._drain, daemon=True).start()
        self.wait(lambda: self.get("/healthz")[0] == 200, "ready")

    def _drain(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.log.append(line)

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, str], bytes]:
        req = urllib.request.Request(
            self.url + path, data=body, method=method, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def get(self, path: str, **kw: Any) -> tuple[int, dict[str, str], bytes]:
        return self.request("GET", path, **kw)

    def post(self, path: str, doc: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        body = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
        status, _, data = self.request(
            "POST", path, body, {"Content-Type": "application/json", **(headers or {})}
        )
        return status, json.loads(data) if data else None

    def wait(self, done: Any, what: str, limit_s: float = 240) -> None:
        """Until ``done()``: each check is an event the server reports; the limit only stops a
        hung server from hanging the test run."""
        end = time.monotonic() + limit_s
        while not done():
            assert self.proc.poll() is None, "".join(self.log)[-3000:]
            assert time.monotonic() < end, f"not {what}:\n" + "".join(self.log)[-3000:]
            time.sleep(0.2)

    def states(self) -> dict[str, str]:
        status, _, data = self.get("/api/articles")
        assert status == 200, data
        return {a["id"]: a["state"] for a in json.loads(data)["articles"]}

    def stop(self) -> int:
        """SIGTERM, as systemd stops it; the exit status."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=30)
        return self.proc.returncode


@pytest.fixture(name="server")
def server_fixture(tmp_path: Path) -> Any:
    """A server on a feed folder of the tone voice (test_serve_api.py uses it too)."""
    port = _free_port()
    os.environ["PAPERCAST_CACHE_DIR"] = str(tmp_path / "cache")
    s = Server(_folder(tmp_path, port), port)
    yield s
    s.stop()


def _signed(doc: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(doc).encode()
    sig = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    return body, {"X-Papercast-Signature": sig}


def test_articles_by_url_body_and_webhook_are_published_edited_and_deleted(
    server: Server, tmp_path: Path
) -> None:
    www = tmp_path / "www"
    www.mkdir()
    (www / "story.html").write_text(
        (SAMPLES / "broadcaster-lagoon.html").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (www / "hooked.html").write_text(
        "<html><head><title>Depot reopens</title></head><body><article><h1>Depot reopens</h1>"
        "<p>The bus depot on Mill Road reopened on Monday after a year of repairs, and the "
        "first buses left at six in the morning.</p></article></body></html>",
        encoding="utf-8",
    )
    www_server = start_static_server(www)
    try:
        by_body = server.post("/api/articles", {"text": STORY, "id": "story-1"})
        assert by_body[0] == 202 and by_body[1]["id"] == "story-1", by_body
        by_url = server.post("/api/articles", {"url": f"{www_server.url}/story.html"})
        assert by_url[0] == 202, by_url
        body, headers = _signed({"url": f"{www_server.url}/hooked.html", "action": "publish"})
        hooked = server.post("/api/hooks/publish", body, headers)
        assert hooked[0] == 202, hooked
        ids = {"story-1", by_url[1]["id"], hooked[1]["id"]}
        server.wait(
            lambda: set(server.states().items()) == {(i, "published") for i in ids}, "published"
        )
    finally:
        www_server.requests()  # stops it
    status, headers, feed_bytes = server.get("/feed.xml")
    assert status == 200 and headers["content-type"].startswith("application/xml")
    feed = feedparser.parse(feed_bytes)
    assert not feed.bozo
    by_guid = {e.id: e for e in feed.entries}
    assert set(by_guid) == ids
    assert by_guid["story-1"].title == "Harbour board approves sea wall"
    first = by_guid["story-1"].enclosures[0]
    # the enclosure is served, its length true, ranges and 304 work
    mp3 = urlparse(first.href).path
    status, h, data = server.get(mp3)
    assert status == 200 and len(data) == int(first.length) and h["content-type"] == "audio/mpeg"
    status, h, part = server.get(mp3, headers={"Range": "bytes=100-199"})
    assert (
        status == 206 and part == data[100:200] and h["content-range"].startswith("bytes 100-199/")
    )
    status, _, _ = server.get(mp3, headers={"Range": f"bytes={len(data) + 10}-"})
    assert status == 416
    status, _, _ = server.get(mp3, headers={"If-None-Match": h["etag"]})
    assert status == 304
    # an edit: the same id again keeps its guid and enclosure URL, and re-records
    edited = STORY.replace("Work starts in May", "Work starts in June")
    assert server.post("/api/articles", {"text": edited, "id": "story-1"})[0] == 202
    server.wait(
        lambda: server.states()["story-1"] == "published" and b"June" in _transcript(server),
        "edited",
    )
    again = {e.id: e for e in feedparser.parse(server.get("/feed.xml")[2]).entries}
    assert again["story-1"].enclosures[0].href == first.href
    # feed check passes against the running server (HEAD, ranges, 304 on every enclosure)
    r = subprocess.run(
        [sys.executable, "-m", "papercast.cli", "feed", "check", f"{server.url}/feed.xml",
         "--allow-network", "127.0.0.1"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    # DELETE: the episode leaves the feed
    status, _, _ = server.request("DELETE", "/api/articles/story-1")
    assert status == 202
    server.wait(
        lambda: (
            "story-1" not in {e.id for e in feedparser.parse(server.get("/feed.xml")[2]).entries}
        ),
        "deleted",
    )
    assert server.get("/api/articles/story-1")[0] == 404
    # a webhook unpublish of the hooked post
    body, headers = _signed({"url": f"{www_server.url}/hooked.html", "action": "unpublish"})
    assert server.post("/api/hooks/publish", body, headers)[0] == 200
    server.wait(
        lambda: len(feedparser.parse(server.get("/feed.xml")[2]).entries) == 1, "unpublished"
    )
    assert not any("Traceback" in line for line in server.log)


def _transcript(server: Server) -> bytes:
    return server.get("/episodes/story-1.vtt")[2]


def test_a_feed_build_beside_the_server_is_refused(server: Server) -> None:
    r = run_cli("feed", "build", str(server.folder))
    assert r.code == 2 and "in use by papercast serve" in r.err


def test_bad_requests_get_json_reasons_and_leave_nothing(server: Server) -> None:
    cases = [
        (server.post("/api/articles", {"url": "file:///etc/passwd"}), 400, "not an http(s) URL"),
        (
            server.post("/api/articles", {"url": f"http://127.0.0.2:{server.port}/x"}),
            400,
            "loopback",
        ),
        (server.post("/api/articles", {"url": "http://10.1.2.3/x"}), 400, "private address"),
        (server.post("/api/articles", b"{not json"), 422, "not valid JSON"),
        (server.post("/api/articles", {"text": 5}), 422, "text: must be a string"),
        (server.post("/api/articles", {"text": "a", "html": "b"}), 422, "exactly one of"),
        (server.post("/api/hooks/publish", {"url": "http://example.org/"}), 401, "does not match"),
        (
            server.post("/v1/audio/speech", {"input": "Hello.", "response_format": "opus"}),
            422,
            "opus",
        ),
    ]
    for (status, doc), want, says in cases:
        assert status == want and says in doc["detail"], (status, doc)
        assert set(doc) == {"error", "detail"}
    # an oversized body is refused from its Content-Length, before it is read
    with socket.create_connection(("127.0.0.1", server.port)) as c:
        c.sendall(
            b"POST /api/articles HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 9437184\r\n\r\n" + b'{"text": "' + b"a" * 1000
        )
        answer = ""
        while not answer.endswith("}"):  # the headers, then the JSON reason
            chunk = c.recv(65536).decode("latin-1")
            if not chunk:
                break
            answer += chunk
    assert answer.startswith("HTTP/1.1 413") and "limit is 8388608" in answer, answer
    for path in (
        "/../.papercast/state.sqlite",
        "/%2e%2e/papercast.toml",
        "/episodes/../../papercast.toml",
    ):
        status, _, data = server.get(path)
        assert status == 404, (path, status)
        assert b"[show]" not in data
    assert server.states() == {}  # nothing was queued
    assert not any("Traceback" in line for line in server.log)


def test_beyond_loopback_a_token_is_needed(tmp_path: Path) -> None:
    port = _free_port()
    folder = _folder(tmp_path, port)
    r = subprocess.run(
        [sys.executable, "-m", "papercast.cli", "serve", str(folder), "--host", "0.0.0.0",
         "--port", str(port)],
        capture_output=True, text=True,
        env={k: v for k, v in os.environ.items() if k != "PAPERCAST_TOKEN"},
    )  # fmt: skip
    assert r.returncode == 2 and "set a token" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    os.environ["PAPERCAST_CACHE_DIR"] = str(tmp_path / "cache")
    s = Server(folder, port, "--token", TOKEN)
    try:
        assert s.get("/api/articles")[0] == 401
        assert (
            s.get("/api/articles", headers={"Authorization": "Bearer wrong-token-xxxxxxx"})[0]
            == 401
        )
        ok = s.get("/api/articles", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok[0] == 200 and json.loads(ok[2]) == {"articles": []}
        assert s.get("/feed.xml")[0] in (200, 404)  # the site is public
    finally:
        code = s.stop()
    assert code == 0 and any("papercast serve: stopped" in line for line in s.log)


def test_kill_9_at_three_moments_then_every_job_is_published_once(tmp_path: Path) -> None:
    port = _free_port()
    os.environ["PAPERCAST_CACHE_DIR"] = str(tmp_path / "cache")
    folder = _folder(tmp_path, port)
    episodes = folder / "site" / "episodes"
    texts = {
        f"s{i}": STORY.replace("Tuesday", day)
        for i, day in enumerate(["Monday", "Wednesday", "Friday"])
    }
    moments = [
        lambda s: True,  # at once, as soon as the submissions are accepted
        # mid-render: an MP3's temporary file exists (or, on a machine fast enough that no
        # poll saw one, everything is done: the kill then comes after, still a valid moment)
        lambda s: (
            any(p.name.endswith(".tmp") for p in episodes.glob(".*"))
            or "queued" not in s.states().values()
        ),
        lambda s: "published" in s.states().values(),  # after one episode was published
    ]
    for n, moment in enumerate(moments):
        s = Server(folder, port)
        if n == 0:
            for ident, text in texts.items():
                assert s.post("/api/articles", {"text": text, "id": ident})[0] == 202
        s.wait(lambda m=moment, srv=s: m(srv), f"moment {n}")
        s.proc.send_signal(signal.SIGKILL)
        s.proc.wait()
    s = Server(folder, port)
    try:
        s.wait(lambda: set(s.states().values()) == {"published"}, "all published")
        entries = feedparser.parse(s.get("/feed.xml")[2]).entries
        assert sorted(e.id for e in entries) == sorted(texts)  # each once
        r = subprocess.run(
            [sys.executable, "-m", "papercast.cli", "feed", "check", str(folder / "site")],
            capture_output=True, text=True,
        )  # fmt: skip
        assert r.returncode == 0, r.stdout + r.stderr
        assert not [p for p in episodes.iterdir() if p.name.endswith(".tmp")]
    finally:
        s.stop()


def test_openai_client_gets_mp3_and_wav(server: Server) -> None:
    openai = pytest.importorskip("openai")
    import soundfile

    client = openai.OpenAI(base_url=f"{server.url}/v1", api_key="unused", max_retries=0)
    for fmt in ("wav", "mp3"):
        audio = client.audio.speech.create(
            model="tts-1", voice="alloy", input=STORY, response_format=fmt
        ).content
        samples, rate = soundfile.read(io.BytesIO(audio))
        assert rate == 22050 and len(samples) / rate > 2.0, (fmt, len(samples), rate)
    models = {m.id for m in client.models.list()}
    assert {"tts-1", "papercast"} <= models
    assert not any("Traceback" in line for line in server.log)


def test_speech_applies_the_lexicon() -> None:
    from papercast.pipeline import Renderer, RunFlags
    from papercast.serve.speech import phonemes_for
    from papercast.settings import EpisodeSettings

    renderer = Renderer(EpisodeSettings(voice=str(TONE_VOICE)), RunFlags(quiet=True))
    items = phonemes_for(renderer, "Ales Bialiatski was sentenced on Friday.")
    assert "bjɑːljˈɑːtski" in items[0].phonemes  # the shipped lexicon's entry, not espeak's guess


def test_an_article_that_cannot_be_rendered_is_failed_with_its_reason(server: Server) -> None:
    assert server.post("/api/articles", {"text": "!!! ??? ...", "id": "noise"})[0] == 202
    assert server.post("/api/articles", {"text": STORY, "id": "good"})[0] == 202
    server.wait(lambda: server.states() == {"noise": "failed", "good": "published"}, "settled")
    status, _, data = server.get("/api/articles/noise")
    job = json.loads(data)
    assert status == 200 and job["state"] == "failed" and "no article text" in job["error"]
    # the failure blocked nothing, and resubmitting starts it again
    fixed = server.post(
        "/api/articles", {"text": STORY.replace("sea wall", "breakwater"), "id": "noise"}
    )
    assert fixed[0] == 202
    server.wait(lambda: server.states()["noise"] == "published", "resubmitted")
    metrics = server.get("/metrics")[2].decode()
    assert 'papercast_jobs{state="published"} 2' in metrics
    assert "papercast_failures_total" in metrics


def test_feed_xml_is_whole_while_episodes_are_published(server: Server) -> None:
    """feed.xml is renamed over after every episode: every read must be one whole file."""
    for i in range(4):
        text = STORY.replace("Tuesday", ["Monday", "Wednesday", "Thursday", "Friday"][i])
        assert server.post("/api/articles", {"text": text, "id": f"w{i}"})[0] == 202
    reads, broken = 0, []

    def settled() -> bool:
        nonlocal reads
        status, headers, data = server.get("/feed.xml")
        if status == 200:
            reads += 1
            if int(headers["content-length"]) != len(data) or feedparser.parse(data).bozo:
                broken.append(data[-200:])
        return set(server.states().values()) == {"published"} and len(server.states()) == 4

    server.wait(settled, "all published")
    assert reads and not broken
    assert len(feedparser.parse(server.get("/feed.xml")[2]).entries) == 4


def test_renders_on_a_local_dask_cluster(tmp_path: Path) -> None:
    pytest.importorskip("distributed")
    port = _free_port()
    os.environ["PAPERCAST_CACHE_DIR"] = str(tmp_path / "cache")
    s = Server(_folder(tmp_path, port), port, "--workers", "1")
    try:
        assert s.post("/api/articles", {"text": STORY, "id": "on-dask"})[0] == 202
        s.wait(lambda: s.states() == {"on-dask": "published"}, "published on the cluster")
        assert [e.id for e in feedparser.parse(s.get("/feed.xml")[2]).entries] == ["on-dask"]
        assert s.request("DELETE", "/api/articles/on-dask")[0] == 202
        s.wait(lambda: not feedparser.parse(s.get("/feed.xml")[2]).entries, "deleted")
    finally:
        assert s.stop() == 0
