"""feed/build.py's state and site folder under damage (issue 20, findings 8-10): a state of the
wrong shape, a slug that leaves the site, reserved and digest names, a killed build's
temporaries, a site inside articles/."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from conftest import SAMPLES, TONE_VOICE, run_cli
from papercast.feed.build import _unique_slug
from papercast.feed.state import read_episodes
from papercast.slugs import safe_slug


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "show"
    assert run_cli("feed", "init", str(folder)).code == 0
    cfg = (folder / "papercast.toml").read_text(encoding="utf-8")
    (folder / "papercast.toml").write_text(
        cfg.replace('voice = "joe"', f'voice = "{TONE_VOICE}"'), encoding="utf-8"
    )
    shutil.copy(SAMPLES / "wire-copper.txt", folder / "articles" / "wire-copper.txt")
    return folder


@pytest.mark.parametrize(
    ("slug", "ok"),
    [
        ("wire-copper", True),
        ("a", True),
        ("../../victim", False),
        ("/etc/x", False),
        (".hidden", False),
        ("a/b", False),
        ("", False),
        ("UPPER", False),
        ("x" * 81, False),
    ],
)
def test_safe_slugs(slug: str, ok: bool) -> None:
    assert safe_slug(slug) is ok


@pytest.mark.parametrize(
    ("wanted", "got"),
    [
        ("digest-2026-11-30", "digest-2026-11-30-article"),
        ("con", "con-article"),
        ("nul", "nul-article"),
        ("news", "news-2"),
        ("console", "console"),
    ],
)
def test_slugs_never_take_a_digest_or_device_name(wanted: str, got: str) -> None:
    assert _unique_slug(wanted, {"news"}) == got


DAMAGE = [
    {"episodes": []},
    {"episodes": {"file:articles/wire-copper.txt": "a string"}},
    {"episodes": {"file:articles/wire-copper.txt": {}}},
    {"podcast_guid": 5, "fetch": [1, 2]},
    {
        "episodes": {
            "file:articles/wire-copper.txt": {
                "slug": "../../victim",
                "guid": "g",
                "title": "t",
                "pub_date": "d",
                "length_bytes": 1,
                "duration_s": 1,
                "chapters": [],
                "cues": [],
            }
        }
    },
]


def _legacy_state(folder: Path) -> dict[str, object]:
    """The state as papercast 0.2 kept it (state.json), made from this build's database."""
    db = sqlite3.connect(folder / ".papercast" / "state.sqlite")
    meta = dict(db.execute("SELECT key, value FROM meta"))
    episodes = {i: json.loads(e) for i, e in db.execute("SELECT identity, entry FROM episodes")}
    db.close()
    return {
        "version": 1,
        "podcast_guid": meta["podcast_guid"],
        "fetch": json.loads(meta["fetch"]),
        "episodes": episodes,
    }


@pytest.mark.parametrize("damage", DAMAGE)
def test_a_damaged_legacy_state_is_migrated_without_a_traceback(
    tmp_path: Path, damage: dict[str, object]
) -> None:
    folder = _folder(tmp_path)
    victim = tmp_path / "victim.mp3"
    victim.write_bytes(b"not papercast's")
    assert run_cli("feed", "build", str(folder)).code == 0
    doc = _legacy_state(folder)
    doc.update(damage)
    (folder / ".papercast" / "state.sqlite").unlink()
    (folder / ".papercast" / "state.json").write_text(json.dumps(doc), encoding="utf-8")
    (folder / "articles" / "wire-copper.txt").unlink()  # a removal would delete the slug's files
    r = run_cli("feed", "build", str(folder))
    assert r.code == 0, r.err
    assert "Traceback" not in r.err
    assert victim.read_bytes() == b"not papercast's"  # nothing outside the site was touched
    assert (folder / ".papercast" / "state.json.migrated").is_file()
    assert not (folder / ".papercast" / "state.json").exists()
    guid = sqlite3.connect(folder / ".papercast" / "state.sqlite").execute(
        "SELECT value FROM meta WHERE key = 'podcast_guid'"
    )
    assert guid.fetchone()[0].strip()


def test_a_legacy_state_is_migrated_once_and_nothing_renders_again(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    assert run_cli("feed", "build", str(folder)).code == 0
    feed_before = (folder / "site" / "feed.xml").read_bytes()
    doc = _legacy_state(folder)
    (folder / ".papercast" / "state.sqlite").unlink()
    (folder / ".papercast" / "state.json").write_text(json.dumps(doc), encoding="utf-8")
    r = run_cli("feed", "build", str(folder))
    assert r.code == 0, r.err
    assert "0 rendered, 0 re-rendered, 1 unchanged" in r.err
    assert (folder / "site" / "feed.xml").read_bytes() == feed_before  # same guid, same feed
    assert read_episodes(folder) == doc["episodes"]


@pytest.mark.parametrize("row", ["{not json", '"a string"', "{}", json.dumps({"slug": "../x"})])
def test_a_damaged_row_is_dropped_and_rendered_again(tmp_path: Path, row: str) -> None:
    folder = _folder(tmp_path)
    assert run_cli("feed", "build", str(folder)).code == 0
    db = sqlite3.connect(folder / ".papercast" / "state.sqlite")
    db.execute("UPDATE episodes SET entry = ?", (row,))
    db.commit()
    db.close()
    r = run_cli("feed", "build", str(folder))
    assert r.code == 0 and "Traceback" not in r.err
    assert "1 episode record(s) damaged" in r.err
    assert "1 rendered" in r.err or "1 unchanged" in r.err  # found again by its manifest
    assert [e["slug"] for e in read_episodes(folder).values()] == ["wire-copper"]


def test_a_state_that_is_not_a_database_is_moved_aside(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    assert run_cli("feed", "build", str(folder)).code == 0
    (folder / ".papercast" / "state.sqlite").write_bytes(b"garbage " * 1000)
    r = run_cli("feed", "build", str(folder))
    assert r.code == 0 and "Traceback" not in r.err, r.err
    assert "not a readable database" in r.err
    assert any(
        p.name.startswith("state.sqlite.damaged-") for p in (folder / ".papercast").iterdir()
    )
    assert [e["slug"] for e in read_episodes(folder).values()] == ["wire-copper"]


def test_recording_an_episode_is_one_row(tmp_path: Path) -> None:
    from papercast.feed.state import State

    with State(tmp_path / "state") as state:
        for i in range(3):
            state.episodes[f"id{i}"] = {"slug": f"s{i}"}  # type: ignore[typeddict-item]
        changes = state.db.total_changes
        state.episodes["id1"] = {"slug": "s1b"}  # type: ignore[typeddict-item]
        assert state.db.total_changes - changes == 1
        del state.episodes["id0"]
        assert list(state.episodes) == ["id1", "id2"]
    db = sqlite3.connect(tmp_path / "state" / "state.sqlite")
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    rows = db.execute("SELECT identity, entry FROM episodes ORDER BY rowid").fetchall()
    assert rows == [("id1", '{"slug": "s1b"}'), ("id2", '{"slug": "s2"}')]


def test_a_killed_builds_temporaries_never_stay_in_the_site(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    assert run_cli("feed", "build", str(folder)).code == 0
    partial = folder / "site" / "episodes" / ".wire-copper.mp3.papercast-abcd.tmp"
    partial.write_bytes(b"half an MP3")  # as kill -9 leaves it, however recent
    assert run_cli("feed", "build", str(folder)).code == 0
    assert not partial.exists()


def test_the_site_may_not_be_inside_articles(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    r = run_cli("feed", "build", str(folder), "--out", str(folder / "articles" / "site"))
    assert r.code == 2 and "must not be inside" in r.err
    assert sorted(p.name for p in (folder / "articles").iterdir()) == ["wire-copper.txt"]


def test_an_unwritable_state_folder_is_one_line(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / ".papercast").write_text("a file where the folder should be", encoding="utf-8")
    r = run_cli("feed", "build", str(folder))
    assert r.code == 2 and "cannot keep the build state there" in r.err and "Traceback" not in r.err


def test_a_link_in_articles_that_leaves_the_folder_is_not_published(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    private = tmp_path / "private.txt"
    private.write_text(
        "Private memo\n\nThe PRIVATE-CANARY salary table is attached for the board.\n",
        encoding="utf-8",
    )
    (folder / "articles" / "memo.txt").symlink_to(private)
    inside = folder / "drafts"
    inside.mkdir()
    shutil.copy(SAMPLES / "blog-sourdough.txt", inside / "sourdough.txt")
    (folder / "articles" / "sourdough.txt").symlink_to(inside / "sourdough.txt")  # inside: fine
    r = run_cli("feed", "build", str(folder))
    assert r.code == 0, r.err
    assert "memo.txt: a link to" in r.err and "not published" in r.err
    site = folder / "site"
    published = (site / "feed.xml").read_text(encoding="utf-8") + (site / "index.html").read_text(
        encoding="utf-8"
    )
    assert "PRIVATE-CANARY" not in published and "Private memo" not in published
    assert len(list((site / "episodes").glob("*.mp3"))) == 2  # wire-copper and sourdough


def test_a_damaged_mp3_of_the_same_size_is_rendered_again(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    assert run_cli("feed", "build", str(folder)).code == 0
    mp3 = folder / "site" / "episodes" / "wire-copper.mp3"
    good = mp3.read_bytes()
    damaged = bytearray(good)
    damaged[len(good) // 2 : len(good) // 2 + 64] = b"\0" * 64
    published = mp3.stat().st_mtime_ns
    mp3.write_bytes(bytes(damaged))
    # a write is a new modification time; said outright, so a coarse file-system clock
    # cannot make the damage look untouched
    os.utime(mp3, ns=(published + 2_000_000_000, published + 2_000_000_000))
    r = run_cli("feed", "build", str(folder))
    assert r.code == 0 and "1 re-rendered" in r.err, r.err
    assert mp3.read_bytes() == good  # synthesis is reproducible: the same bytes again


def test_out_onto_a_folder_of_the_users_own_files_is_refused(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    mine = tmp_path / "www"
    mine.mkdir()
    (mine / "index.html").write_text("<p>my own home page</p>", encoding="utf-8")
    (mine / "feed.xml").write_text("<rss>my own feed</rss>", encoding="utf-8")
    r = run_cli("feed", "build", str(folder), "--out", str(mine), "-q")
    assert r.code == 2 and "Traceback" not in r.err
    assert "holds files papercast did not write" in r.err and "--force" in r.err
    assert len(r.err.strip().splitlines()) == 1
    # nothing was written or removed there
    assert sorted(p.name for p in mine.iterdir()) == ["feed.xml", "index.html"]
    assert (mine / "index.html").read_text(encoding="utf-8") == "<p>my own home page</p>"
    (mine / "notes.txt").write_text("keep", encoding="utf-8")  # a foreign name is named
    r = run_cli("feed", "build", str(folder), "--out", str(mine), "-q")
    assert r.code == 2 and "notes.txt" in r.err
    r = run_cli("feed", "build", str(folder), "--out", str(mine), "-q", "--force")
    assert r.code == 0, r.err
    assert "wire-copper" in (mine / "feed.xml").read_text(encoding="utf-8")
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep"
    # now the folder is this feed's site: later builds need no --force, and keep notes.txt
    r = run_cli("feed", "build", str(folder), "--out", str(mine), "-q")
    assert r.code == 0, r.err


def test_one_feeds_site_is_not_taken_by_another(tmp_path: Path) -> None:
    first = _folder(tmp_path / "a")
    second = _folder(tmp_path / "b")
    shared = tmp_path / "site"
    assert run_cli("feed", "build", str(first), "--out", str(shared), "-q").code == 0
    mp3s = sorted(p.name for p in (shared / "episodes").glob("*.mp3"))
    assert mp3s == ["wire-copper.mp3"]
    mark = json.loads((shared / ".papercast-site").read_text(encoding="utf-8"))
    assert str(tmp_path) not in json.dumps(mark)  # published with the site: no local path
    # the second feed would delete the first one's episodes: refused, nothing touched
    (second / "articles" / "wire-copper.txt").unlink()
    r = run_cli("feed", "build", str(second), "--out", str(shared), "-q")
    assert r.code == 2 and "the site of another feed" in r.err and "Traceback" not in r.err
    assert sorted(p.name for p in (shared / "episodes").glob("*.mp3")) == mp3s
    # a site built before the mark existed (only papercast's names, this feed's state) is kept
    (shared / ".papercast-site").unlink()
    assert run_cli("feed", "build", str(first), "--out", str(shared), "-q").code == 0
    assert (shared / ".papercast-site").is_file()
    # the default site folder of a new feed is created without --force
    assert run_cli("feed", "build", str(second), "-q").code == 0
