"""papercast serve, second part: a file upload, progress in sentences, the real-time factor in
/metrics, the [serve] table of papercast.toml, how the site's files are served (ranges,
If-Range, HEAD, symlinks), and one server run with the real voice."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from test_serve import TOKEN, Server, _folder, _free_port, server_fixture  # noqa: F401

from conftest import TONE_VOICE, run_cli

pytest.importorskip("starlette")
pytest.importorskip("multipart")
sf = pytest.importorskip("soundfile")

MARKDOWN = (
    "# Ferry timetable changes from March\n\n"
    "The island ferry will sail every forty minutes from the first of March, the operator "
    "said on Friday. Early sailings move to half past five.\n\n"
    "## Fares\n\n"
    "Fares stay the same for residents. Visitors pay two pounds more at weekends."
)


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, str, bytes]]) -> Any:
    """A multipart/form-data body, as an HTML form or ``curl -F`` sends it."""
    boundary = "papercast-test-boundary-7d41"
    out = b""
    for name, value in fields.items():
        out += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
        ).encode()
    for name, (filename, ctype, data) in files.items():
        out += (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {ctype}\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    out += f"--{boundary}--\r\n".encode()
    return out, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def _article(server: Server, identity: str) -> dict[str, Any]:
    status, _, data = server.get(f"/api/articles/{identity}")
    assert status == 200, data
    return dict(json.loads(data))


def test_an_uploaded_file_is_published_with_its_fields_and_progress(server: Server) -> None:
    body, headers = _multipart(
        {"id": "ferry-1", "title": "Ferry timetable"},
        {"file": ("ferry.md", "application/octet-stream", MARKDOWN.encode())},
    )
    status, _, data = server.request("POST", "/api/articles", body, headers)
    assert status == 202, data
    server.wait(lambda: server.states().get("ferry-1") == "published", "published")
    job = _article(server, "ferry-1")
    # the file's kind came from its name (.md): the subhead is a chapter, not read as "#"
    status, _, transcript = server.get(urlpath(job["episode"]["transcript"]))
    words = " ".join(w["body"] for w in json.loads(transcript)["segments"]).lower()
    assert "fares" in words and "#" not in words
    # progress in sentences: every sentence of the episode's script (the studio reads it
    # from the manifest in the MP3)
    n = len(_script(server, "ferry-1"))
    assert job["progress"] == {"sentences_done": n, "sentences": n} and n >= 6
    assert job["episode"]["synthesised"] == n  # an empty cache: all made by the voice
    assert job["title"] == "Ferry timetable"
    # what is not an article, or not a file, is refused with the field named
    for files, fields, want, says in (
        ({"file": ("scan.pdf", "application/pdf", b"%PDF-1.4")}, {}, 415, "file:"),
        ({}, {"id": "x"}, 422, "file:"),
        ({"file": ("a.txt", "text/plain", b"\xff\xfe")}, {}, 422, "not UTF-8"),
        ({"file": ("a.txt", "text/plain", b"text")}, {"id": "x", "date": "no date"}, 422, "date"),
    ):
        body, headers = _multipart(fields, files)
        status, _, data = server.request("POST", "/api/articles", body, headers)
        assert status == want and says in json.loads(data)["detail"], (status, data)
    status, _, data = server.request(
        "POST", "/api/articles", b"--x\r\ngarbage", {"Content-Type": "multipart/form-data"}
    )
    assert status == 422 and json.loads(data)["error"] == "invalid request", data
    assert set(server.states()) == {"ferry-1"}  # nothing bad was queued
    assert not any("Traceback" in line for line in server.log)


def _script(server: Server, identity: str) -> list[dict[str, Any]]:
    status, _, data = server.get("/studio/api/episode?id=" + identity)
    assert status == 200, data
    return list(json.loads(data)["sentences"])


def urlpath(url: str) -> str:
    return "/" + url.split("/", 3)[3]


def test_metrics_give_the_real_time_factor(server: Server) -> None:
    status, _ = server.post("/api/articles", {"markdown": MARKDOWN, "id": "m"})
    assert status == 202
    server.wait(lambda: server.states().get("m") == "published", "published")
    duration_s = _article(server, "m")["episode"]["duration_s"]
    metrics = server.get("/metrics")[2].decode()
    values = dict(re.findall(r"^(papercast_\w+) ([\d.]+)$", metrics, re.M))
    speech, building = (
        float(values["papercast_speech_seconds_total"]),
        float(values["papercast_render_seconds_total"]),
    )
    assert abs(speech - duration_s) <= 1.0  # the one episode's speech, to the second
    assert float(values["papercast_real_time_factor"]) == pytest.approx(speech / building, 0.01)


def test_progress_counts_every_sentence_in_order(tmp_path: Path) -> None:
    """The callback the service's render process writes to the database: from 0 to the
    sentence count, one step at a time, for the identity being rendered."""
    from papercast.feed.build import build

    port = _free_port()
    folder = _folder(tmp_path, port)
    (folder / "articles" / "ferry.md").write_text(MARKDOWN, encoding="utf-8")
    os.environ["PAPERCAST_CACHE_DIR"] = str(tmp_path / "cache")
    calls: list[tuple[str, int, int]] = []
    build(folder, quiet=True, progress=lambda i, d, t: calls.append((i, d, t)))
    assert calls, "no progress was reported"
    identities = {i for i, _, _ in calls}
    assert len(identities) == 1 and next(iter(identities)).endswith("ferry.md")
    total = calls[0][2]
    assert [d for _, d, _ in calls] == list(range(total + 1))
    from papercast import manifest

    found = manifest.read(folder / "site" / "episodes" / "ferry.mp3")
    assert found is not None
    assert total == len(found["episode"]["sentences"])  # as many as the script has


def test_a_rendering_job_says_how_far_it_is(tmp_path: Path) -> None:
    """The state the API reports while the render process's progress row says the render is
    under way, read from a real database (the render itself is too quick to catch)."""
    from papercast.feed.config import load_config
    from papercast.feed.state import STATE_NAME, connect, note_progress
    from papercast.serve.app import Service
    from papercast.serve.worker import Worker

    folder = _folder(tmp_path, _free_port())
    cfg = load_config(folder)
    service = Service(cfg, Worker(cfg, 15.0, None, None, None))
    service.submit("a-1", b"Headline\n\nA body.", "text", "", "", "")
    assert service.jobs("a-1")[0]["state"] == "queued"
    db = connect(folder / ".papercast" / STATE_NAME)
    note_progress(db, "a-1", 3, 10)
    job = service.jobs("a-1")[0]
    assert job["state"] == "rendering"
    assert job["progress"] == {"sentences_done": 3, "sentences": 10}
    assert service.counts()["rendering"] == 1
    service.submit("a-1", b"Headline\n\nAn edited body.", "text", "", "", "")  # an edit
    assert service.jobs("a-1")[0]["state"] == "queued"  # its old progress is gone
    db.close()


def test_the_serve_table_sets_port_and_token(tmp_path: Path) -> None:
    port = _free_port()
    folder = _folder(tmp_path, port)
    toml = folder / "papercast.toml"
    text = toml.read_text(encoding="utf-8")
    assert "[serve]" in text  # feed init writes the table
    toml.write_text(
        text.replace("port = 8080", f"port = {port}").replace('token = ""', f'token = "{TOKEN}"'),
        encoding="utf-8",
    )
    os.environ["PAPERCAST_CACHE_DIR"] = str(tmp_path / "cache")
    s = Server(folder, port, env={"PAPERCAST_TOKEN": ""})
    try:
        assert s.get("/api/articles")[0] == 401
        ok = s.get("/api/articles", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok[0] == 200 and json.loads(ok[2]) == {"articles": []}
    finally:
        assert s.stop() == 0
    # a bad value is one line naming the table and key, exit 2, before anything listens
    for bad, says in (
        ('review = "sometimes"', "[serve] review"),
        ("max_queue = 0", "[serve] max_queue"),
        ('token = "short"', "[serve] token"),
        ("colour = 1", "[serve] colour: not a setting"),
    ):
        key = bad.split(" =")[0]
        lines = [bad if line.startswith(f"{key} =") else line for line in text.splitlines()]
        if key == "colour":
            lines.append(bad)
        toml.write_text("\n".join(lines) + "\n", encoding="utf-8")
        r = subprocess.run(
            [sys.executable, "-m", "papercast.cli", "serve", str(folder), "--port", "0"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert r.returncode == 2 and says in r.stderr, (bad, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_site_files_serve_ranges_if_range_head_and_stay_inside(server: Server) -> None:
    status, _ = server.post("/api/articles", {"markdown": MARKDOWN, "id": "f"})
    server.wait(lambda: server.states().get("f") == "published", "published")
    mp3 = urlpath(_article(server, "f")["episode"]["mp3"])
    status, h, whole = server.get(mp3)
    assert status == 200 and h["accept-ranges"] == "bytes" and h["content-type"] == "audio/mpeg"
    size, etag = len(whole), h["etag"]
    status, h, tail = server.get(mp3, headers={"Range": "bytes=-100"})
    assert status == 206 and tail == whole[-100:]
    assert h["content-range"] == f"bytes {size - 100}-{size - 1}/{size}"
    status, h, rest = server.get(mp3, headers={"Range": f"bytes={size - 10}-"})
    assert status == 206 and rest == whole[-10:]
    status, h, past = server.get(mp3, headers={"Range": f"bytes={size - 5}-{size + 500}"})
    assert status == 206 and past == whole[-5:]  # an end past the file is cut to it
    status, h, _ = server.get(mp3, headers={"Range": f"bytes={size}-"})
    assert status == 416 and h["content-range"] == f"bytes */{size}"
    # a range for an older version of the file (If-Range), or several ranges: the whole file
    status, _, data = server.get(mp3, headers={"Range": "bytes=0-9", "If-Range": '"old"'})
    assert status == 200 and data == whole
    status, _, data = server.get(mp3, headers={"Range": "bytes=0-9", "If-Range": etag})
    assert status == 206 and data == whole[:10]
    status, _, data = server.get(mp3, headers={"Range": "bytes=0-1,5-6"})
    assert status == 200 and data == whole
    status, h, data = server.request("HEAD", mp3)
    assert status == 200 and data == b"" and int(h["content-length"]) == size
    assert server.get(mp3, headers={"If-None-Match": f'W/{etag}, "x"'})[0] == 304
    status, h, _ = server.get("/episodes/" + mp3.rsplit("/", 1)[1].replace(".mp3", ".vtt"))
    assert status == 200 and h["content-type"].startswith("text/vtt")
    # a symlink in the site that leads out of it is not followed; a directory gives index.html
    outside = server.folder / "papercast.toml"
    (server.folder / "site" / "episodes" / "leak.txt").symlink_to(outside)
    status, _, data = server.get("/episodes/leak.txt")
    assert status == 404 and b"[show]" not in data
    status, h, data = server.get("/episodes/")
    assert status == 404  # no index.html there
    assert server.request("POST", "/episodes/x.mp3", b"")[0] == 405
    status, h, page = server.get("/")
    assert status == 200 and b"<html" in page.lower()


def test_the_real_voice_renders_a_submission(tmp_path: Path) -> None:
    """The server with the default voice (joe): the episode's audio is speech-length, loud as
    the target, and every sentence is in the transcript."""
    port = _free_port()
    folder = _folder(tmp_path, port)
    toml = folder / "papercast.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(f'voice = "{TONE_VOICE}"', 'voice = "joe"'),
        encoding="utf-8",
    )
    os.environ["PAPERCAST_CACHE_DIR"] = str(tmp_path / "cache")
    s = Server(folder, port)
    try:
        assert s.post("/api/articles", {"markdown": MARKDOWN, "id": "joe-1"})[0] == 202
        s.wait(lambda: s.states().get("joe-1") == "published", "published")
        job = _article(s, "joe-1")
        status, _, data = s.get(urlpath(job["episode"]["mp3"]))
        assert status == 200
        mp3 = tmp_path / "joe.mp3"
        mp3.write_bytes(data)
        audio, rate = sf.read(str(mp3))
        seconds = len(audio) / rate
        words = len(re.findall(r"[A-Za-z]+", MARKDOWN))
        # a newsreader's pace: 1.5 to 4 words a second (the tone voice is not speech at all)
        assert words / 4 <= seconds <= words / 1.5, (words, seconds)
        assert job["episode"]["duration_s"] == round(seconds)
        assert job["progress"]["sentences"] == len(_script(s, "joe-1")) >= 5
    finally:
        s.stop()
    assert run_cli("feed", "check", str(folder / "site")).code == 0
