"""An article's own voice and speaker through every way in: the service's API (JSON fields,
an upload's text fields, a raw SSML body), papercast.toml's [sources] voices, and a state
database from before the voice column; the speaker checked by pitch in the published MP3."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from test_serve import Server, _folder, _free_port
from test_serve_api import _article, _multipart, urlpath

from conftest import DATA, run_cli

pytest.importorskip("starlette")
sf = pytest.importorskip("soundfile")

CHOIR_KEY = "en_US-choir-test"  # the three-speaker test voice, installed under a catalogue key


def _install_choir(data_home: Path) -> None:
    folder = data_home / "papercast" / "voices" / CHOIR_KEY
    folder.mkdir(parents=True)
    shutil.copy(DATA / "choir-voice.onnx", folder / f"{CHOIR_KEY}.onnx")
    shutil.copy(DATA / "choir-voice.onnx.json", folder / f"{CHOIR_KEY}.onnx.json")


def _pitch(mp3: bytes, tmp: Path) -> float:
    f = tmp / "got.mp3"
    f.write_bytes(mp3)
    audio, rate = sf.read(str(f), dtype="float32")
    audio = audio if audio.ndim == 1 else audio.mean(axis=1)
    spectrum = np.abs(np.fft.rfft(audio))
    return float(np.argmax(spectrum) * rate / len(audio))


@pytest.fixture
def choir_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("PAPERCAST_CACHE_DIR", str(tmp_path / "cache"))
    _install_choir(tmp_path / "data")
    port = _free_port()
    s = Server(_folder(tmp_path, port), port)
    yield s
    s.stop()


ARTICLE = (
    "# The ferry timetable changes\n\nThe island ferry will sail every forty minutes from the "
    "first of March, the operator said on Friday.\n"
)


def test_the_api_takes_an_article_s_voice_and_speaker_and_ssml(
    choir_server: Server, tmp_path: Path
) -> None:
    server = choir_server
    status, data = server.post(
        "/api/articles",
        {"markdown": ARTICLE, "id": "high", "voice": CHOIR_KEY, "speaker": "soprano"},
    )
    assert status == 202, data
    body, headers = _multipart(
        {"id": "low", "voice": CHOIR_KEY, "speaker": "0"},
        {"file": ("story.md", "text/markdown", ARTICLE.encode())},
    )
    assert server.request("POST", "/api/articles", body, headers)[0] == 202
    ssml = (
        f'<speak><s>The ferry will sail <break time="400ms"/> every forty minutes.</s>'
        f'<s><voice name="{CHOIR_KEY}" speaker="tenor">From the first of March.</voice></s>'
        "</speak>"
    )
    status, _, data = server.request(
        "POST", "/api/articles?id=said", ssml.encode(), {"Content-Type": "application/ssml+xml"}
    )
    assert status == 202, data
    for bad, why in (
        ({"voice": CHOIR_KEY, "speaker": "bass"}, "no speaker 'bass'"),
        ({"voice": "nobody-here"}, "unknown voice 'nobody-here'"),
        ({"voice": str(DATA / "choir-voice.onnx")}, "not a path"),
    ):
        status, data = server.post("/api/articles", {"markdown": ARTICLE, **bad})
        assert status == 422 and why in data["detail"], data
    server.wait(
        lambda: all(server.states().get(i) == "published" for i in ("high", "low", "said")),
        "published",
    )
    pitches = {}
    for identity in ("high", "low", "said"):
        mp3 = server.get(urlpath(_article(server, identity)["episode"]["mp3"]))[2]
        pitches[identity] = round(_pitch(mp3, tmp_path) / 10) * 10
    assert pitches["high"] == 660 and pitches["low"] == 330
    assert pitches["said"] in (330, 440)  # the feed's tone voice (440) and the tenor (440)
    assert set(server.states()) == {"high", "low", "said"}


def test_a_feed_gives_its_articles_folder_a_voice_and_an_old_state_database_is_migrated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("PAPERCAST_CACHE_DIR", str(tmp_path / "cache"))
    _install_choir(tmp_path / "data")
    folder = _folder(tmp_path, 8080)
    (folder / "articles" / "ferry.md").write_text(ARTICLE, encoding="utf-8")
    # a state database from before schema 2: its submitted table has no voice column
    (folder / ".papercast").mkdir(exist_ok=True)
    db = sqlite3.connect(folder / ".papercast" / "state.sqlite")
    db.executescript(
        "CREATE TABLE submitted (identity TEXT PRIMARY KEY, body BLOB NOT NULL, kind TEXT NOT "
        "NULL, title TEXT NOT NULL DEFAULT '', date TEXT NOT NULL DEFAULT '', link TEXT NOT NULL "
        "DEFAULT '', created REAL NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, error TEXT NOT "
        "NULL DEFAULT ''); PRAGMA user_version=1;"
    )
    db.close()
    cfg = folder / "papercast.toml"
    text = cfg.read_text(encoding="utf-8")
    cfg.write_text(
        text.replace("voices = {}", f'voices = {{ "articles" = "{CHOIR_KEY}#soprano" }}'),
        encoding="utf-8",
    )
    r = run_cli("feed", "build", str(folder), "-q")
    assert r.code == 0, r.err
    mp3 = next((folder / "site" / "episodes").glob("*.mp3"))
    assert round(_pitch(mp3.read_bytes(), tmp_path) / 10) * 10 == 660
    columns = [row[1] for row in sqlite3.connect(folder / ".papercast" / "state.sqlite").execute(
        "PRAGMA table_info(submitted)")]  # fmt: skip
    assert columns[-1] == "voice"
    cfg.write_text(
        text.replace("voices = {}", f'voices = {{ "articles" = "{CHOIR_KEY}#bass" }}'),
        encoding="utf-8",
    )
    r = run_cli("feed", "build", str(folder), "-q")
    assert r.code == 2 and "[sources] voices 'articles'" in r.err and "no speaker 'bass'" in r.err
    assert len(r.err.strip().splitlines()) == 1
