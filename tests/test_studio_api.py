"""The studio's API against the real server (no browser): hold and approve in any review mode,
the symbol a voice cannot say refused with the CLI's own message, the lexicon page's search,
PLS import and export (read back by an XML parser), ``lexicon test`` results, and the token
kept in a cookie for the studio."""

from __future__ import annotations

import json
import os
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import feedparser
import pytest
import tomllib
from test_serve import TOKEN, Server, _folder, _free_port

from conftest import run_cli

pytest.importorskip("starlette")

STORY = (
    "Ferry returns to the island\n\n"
    "The island ferry sailed again on Monday after a month in dry dock, the operator said. "
    "Captain Oyelaran brought it in at noon."
)
PLS_NS = "http://www.w3.org/2005/01/pronunciation-lexicon"


@pytest.fixture
def live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    port = _free_port()
    folder = _folder(tmp_path, port)
    (folder / "articles" / "ferry.txt").write_text(STORY, encoding="utf-8")
    monkeypatch.setenv("PAPERCAST_CACHE_DIR", str(tmp_path / "cache"))
    s = Server(folder, port)
    s.wait(lambda: _episodes(s), "rendered")
    yield s
    s.stop()


def _episodes(s: Server) -> list[dict[str, Any]]:
    status, _, data = s.get("/studio/api/episodes")
    assert status == 200, data
    return list(json.loads(data)["episodes"])


def _json(s: Server, method: str, path: str, doc: Any, **headers: str) -> tuple[int, Any]:
    status, _, data = s.request(
        method, path, json.dumps(doc).encode(), {"Content-Type": "application/json", **headers}
    )
    return status, json.loads(data)


def _in_feed(s: Server) -> bool:
    return "Ferry returns" in s.get("/feed.xml")[2].decode()


def test_an_editor_holds_then_approves_and_both_are_recorded(live: Server) -> None:
    (ep,) = _episodes(live)
    assert ep["state"] == "published" and _in_feed(live)  # review = "none": at once
    feed = feedparser.parse(live.get("/feed.xml")[2])
    mp3 = urllib.parse.urlsplit(feed.entries[0].enclosures[0]["href"]).path
    files = [mp3, mp3.removesuffix(".mp3") + ".vtt", mp3.removesuffix(".mp3") + ".html"]
    status, _, audio = live.get(mp3)
    assert status == 200 and len(audio) == int(feed.entries[0].enclosures[0]["length"])
    hold = {"id": ep["id"], "decision": "hold", "who": "Ana", "note": "check quote"}
    status, _ = _json(live, "POST", "/studio/api/review", hold)
    assert status == 200
    live.wait(lambda: not _in_feed(live), "out of the feed")
    (ep,) = _episodes(live)
    assert ep["state"] == "held" and ep["why"] == "held by an editor: check quote"
    # held: its files are not served either, though they stay on disk for the studio
    assert [live.get(f)[0] for f in files] == [404, 404, 404]
    assert live.request("HEAD", mp3)[0] == 404
    status, _ = _json(live, "POST", "/studio/api/review",
                      {"id": ep["id"], "decision": "approve", "who": "Ben"})  # fmt: skip
    live.wait(lambda: _in_feed(live), "back in the feed")
    assert [live.get(f)[0] for f in files] == [200, 200, 200] and live.get(mp3)[2] == audio
    status, _, data = live.get("/studio/api/episode?" + urllib.parse.urlencode({"id": ep["id"]}))
    history = json.loads(data)["history"]
    assert [(h["decision"], h["who"], h["note"]) for h in history] == [
        ("hold", "Ana", "check quote"),
        ("approve", "Ben", ""),
    ]
    assert all(h["at"] > 0 for h in history)
    for doc, says in (
        ({"id": ep["id"], "decision": "publish", "who": "Ana"}, "decision"),
        ({"id": ep["id"], "decision": "approve", "who": " "}, "who"),
        ({"id": "nope", "decision": "approve", "who": "Ana"}, "no episode"),
    ):
        status, body = _json(live, "POST", "/studio/api/review", doc)
        assert status in (404, 422) and says in body["detail"], body


def test_a_held_submission_s_job_names_the_studio_s_copy_not_a_public_url(live: Server) -> None:
    """An article sent to the API, published, then held: its job's episode links are the
    studio's copy (served behind the studio's token), not public URLs the site refuses."""
    story = "Quay reopens\n\nThe north quay reopened on Friday after repairs, the harbour said."
    status, _ = live.post("/api/articles", {"text": story, "id": "quay"})
    assert status == 202
    live.wait(lambda: live.states().get("quay") == "published", "published")
    status, _, data = live.get("/api/articles/quay")
    public = json.loads(data)["episode"]["mp3"]
    status, _, audio = live.get(urllib.parse.urlsplit(public).path)
    assert status == 200 and audio[:3] in (b"ID3", b"\xff\xfb")
    (ep,) = [e for e in _episodes(live) if e["title"] == "Quay reopens"]
    hold = {"id": ep["id"], "decision": "hold", "who": "Ana", "note": "check the date"}
    assert _json(live, "POST", "/studio/api/review", hold)[0] == 200
    live.wait(lambda: live.states().get("quay") == "held", "held")
    status, _, data = live.get("/api/articles/quay")
    episode = json.loads(data)["episode"]
    assert episode["mp3"] == "/studio/api/files/" + public.rsplit("/", 1)[1]
    assert episode["page"].startswith("/studio/api/files/") and not episode["up_to_date"]
    # the worker withdraws the public copy when it next builds the site (an event to wait for)
    live.wait(lambda: live.get(urllib.parse.urlsplit(public).path)[0] == 404, "withdrawn")
    assert live.get(episode["mp3"])[2] == audio  # the studio's is the same episode


def test_a_symbol_the_voice_cannot_say_is_refused_as_the_cli_refuses_it(
    live: Server, tmp_path: Path
) -> None:
    status, body = _json(
        live, "POST", "/studio/api/preview", {"word": "Oyelaran", "ipa": "oʊjɛ€ɑn"}
    )
    assert status == 422
    lexicon = tmp_path / "bad.toml"
    lexicon.write_text('[[entry]]\nword = "Oyelaran"\nipa = "oʊjɛ€ɑn"\n', encoding="utf-8")
    cli = run_cli("lexicon", "test", "--lexicon", str(lexicon))
    assert cli.code == 2
    said = cli.err.strip().split(": entry ", 1)[1]
    assert body["detail"].split(": entry ", 1)[1] == said  # the same words after the place
    # a respelling that is not one, and an empty reading
    status, body = _json(live, "POST", "/studio/api/preview", {"word": "Oyelaran", "respell": "!!"})
    assert status == 422 and body["detail"].startswith("respell:")
    status, body = _json(live, "POST", "/studio/api/preview", {"word": "Oyelaran"})
    assert status == 422 and "respelling" in body["detail"]
    assert not (live.folder / "lexicon.toml").exists()  # nothing was written


def test_lexicon_search_import_export_and_test(live: Server, tmp_path: Path) -> None:
    status, _, data = live.get("/studio/api/lexicon?q=bialiat")
    found = json.loads(data)["entries"]
    assert status == 200 and {e["word"] for e in found} >= {"Bialiatski"}
    assert all("bialiat" in (e["word"] + " ".join(e["variants"]) + e["note"]).lower()
               for e in found)  # fmt: skip
    pls = (
        f'<?xml version="1.0" encoding="UTF-8"?><lexicon version="1.0" xmlns="{PLS_NS}" '
        'alphabet="ipa" xml:lang="en-US"><lexeme><grapheme>Oyelaran</grapheme>'
        "<phoneme>oʊjˈɛlɑːɹɑːn</phoneme></lexeme></lexicon>"
    )
    status, _, data = live.request(
        "POST", "/studio/api/lexicon/import?who=Ana", pls.encode(),
        {"Content-Type": "application/pls+xml"},
    )  # fmt: skip
    assert status == 200 and json.loads(data)["imported"] == 1, data
    entries = tomllib.loads((live.folder / "lexicon.toml").read_text(encoding="utf-8"))["entry"]
    assert [(e["word"], e["ipa"]) for e in entries] == [("Oyelaran", "oʊjˈɛlɑːɹɑːn")]
    status, h, data = live.get("/studio/api/lexicon/export")
    assert status == 200 and h["content-type"].startswith("application/pls+xml")
    root = ET.fromstring(data)
    lexemes = {
        lx.findtext(f"{{{PLS_NS}}}grapheme"): lx.findtext(f"{{{PLS_NS}}}phoneme")
        for lx in root.iter(f"{{{PLS_NS}}}lexeme")
    }
    assert lexemes["Oyelaran"] == "oʊjˈɛlɑːɹɑːn" and "Bialiatski" in lexemes
    status, _, data = live.request("POST", "/studio/api/lexicon/test")
    result = json.loads(data)
    assert status == 200 and result["failures"] == [] and result["checked"] >= len(lexemes)
    # the imported name now covers the article's captain: the episode is re-recorded
    (ep,) = _episodes(live)
    status, _, data = live.get("/studio/api/episode?" + urllib.parse.urlencode({"id": ep["id"]}))
    assert "Oyelaran" in json.loads(data)["covered"]
    bad = b"<lexicon><lexeme>"
    status, _, data = live.request("POST", "/studio/api/lexicon/import", bad,
                                   {"Content-Type": "application/pls+xml"})  # fmt: skip
    assert status == 422 and "PLS" in json.loads(data)["detail"]


HAND_WRITTEN = (
    "# Names in our island news, checked with the harbour office.\n"
    "\n"
    "[[entry]]\n"
    'word = "Tobermory"  # the old port\n'
    'respell = "toh-ber-MOR-ee"\n'
    "\n"
    "# the ferry's crew\n"
    "[[entry]]\n"
    'word = "Oyelaran"\n'
    'ipa = "oʊjˈɛlɑːn"\n'
)


def test_a_save_and_an_import_keep_what_the_file_says_besides(live: Server) -> None:
    """The feed's lexicon.toml, written by hand with comments and an entry given only as a
    respelling: a studio save of another entry and a PLS import change only their own entries;
    the comments and the other entry stay as written, byte for byte."""
    own = live.folder / "lexicon.toml"
    own.write_text(HAND_WRITTEN, encoding="utf-8")
    status, _, data = live.get("/studio/api/compare?word=Oyelaran")
    etag = json.loads(data)["etag"]
    assert status == 200 and etag != "absent"
    status, saved = _json(live, "PUT", "/studio/api/lexicon",
                          {"word": "Oyelaran", "respell": "oh-yeh-LAH-rahn", "who": "Ana"},
                          **{"If-Match": etag})  # fmt: skip
    assert status == 200, saved
    after = own.read_text(encoding="utf-8")
    tobermory = HAND_WRITTEN[: HAND_WRITTEN.index("# the ferry's crew")]
    assert after.startswith(tobermory + "# the ferry's crew\n[[entry]]\n"), after
    entries = tomllib.loads(after)["entry"]
    assert [e["word"] for e in entries] == ["Tobermory", "Oyelaran"]
    assert entries[0] == {"word": "Tobermory", "respell": "toh-ber-MOR-ee"}
    assert entries[1]["respell"] == "oh-yeh-LAH-rahn" and entries[1]["ipa"] != "oʊjˈɛlɑːn"
    changed = [ln for ln in saved["diff"].splitlines()[2:] if ln[:1] in "+-"]
    assert changed and all("Tobermory" not in ln and "#" not in ln for ln in changed), changed
    pls = (
        f'<?xml version="1.0" encoding="UTF-8"?><lexicon version="1.0" xmlns="{PLS_NS}" '
        'alphabet="ipa" xml:lang="en-US"><lexeme><grapheme>Ulva</grapheme>'
        "<phoneme>ˈʌlvə</phoneme></lexeme></lexicon>"
    )
    status, _, data = live.request("POST", "/studio/api/lexicon/import?who=Ana", pls.encode(),
                                   {"Content-Type": "application/pls+xml"})  # fmt: skip
    assert status == 200 and json.loads(data) == {"imported": 1, "entries": 3}, data
    imported = own.read_text(encoding="utf-8")
    assert imported.startswith(after), imported
    entries = tomllib.loads(imported)["entry"]
    assert [(e["word"], e.get("ipa")) for e in entries][2:] == [("Ulva", "ˈʌlvə")]


def test_with_a_token_the_studio_signs_in_once_with_a_cookie(tmp_path: Path) -> None:
    port = _free_port()
    folder = _folder(tmp_path, port)
    os.environ["PAPERCAST_CACHE_DIR"] = str(tmp_path / "cache")
    s = Server(folder, port, "--token", TOKEN)
    try:
        assert s.get("/studio/")[0] == 200  # the page itself (it asks for the token)
        assert s.get("/studio/api/episodes")[0] == 401
        status, body = _json(s, "POST", "/studio/login", {"token": "wrong-token-123456789"})
        assert status == 401
        status, h, data = s.request("POST", "/studio/login", json.dumps({"token": TOKEN}).encode(),
                                    {"Content-Type": "application/json"})  # fmt: skip
        cookie = h["set-cookie"]
        assert status == 200 and "HttpOnly" in cookie and "SameSite=strict" in cookie
        assert "Path=/studio" in cookie
        value = cookie.split(";", 1)[0]
        ok = s.get("/studio/api/episodes", headers={"Cookie": value})
        assert ok[0] == 200 and json.loads(ok[2]) == {"episodes": []}
        # an episode's files for editors (held ones too) are behind the same token
        assert s.get("/studio/api/files/ferry.html")[0] == 401
        assert s.get("/studio/api/files/ferry.html", headers={"Cookie": value})[0] == 404
        # the cookie is the studio's only: the API still wants the header
        assert s.get("/api/articles", headers={"Cookie": value})[0] == 401
    finally:
        s.stop()
