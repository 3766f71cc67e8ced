"""The build state: what was published, per article identity, in SQLite.

One database per feed folder (``.papercast/state.sqlite``), in WAL mode: a reader (``feed
check``, the service's pages) never waits for the build that is writing, and a build killed
at any point leaves the last committed state. One row per episode, written when that
episode is finished: recording an episode costs the same at 100 episodes as at 5,000
(state.json was rewritten whole after every episode: 1.3 s at 5,000). The service's job
queue (``papercast serve``) lives in the same database, in tables of its own.

An existing ``state.json`` is migrated once (and kept beside as ``state.json.migrated``).
Every record is shape-checked when it is read: a damaged record is dropped with one warning
(its episode is rendered again, or found by the manifest in its MP3), a file that is not a
database is moved aside and the state rebuilt; never a traceback.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any, TypedDict

from papercast.errors import PapercastError
from papercast.slugs import safe_slug

SCHEMA_VERSION = 2  # 2: submitted.voice
STATE_NAME = "state.sqlite"
LEGACY_NAME = "state.json"
PUBLISHED_FILE = "published.json"  # in the state folder: the slugs of the published episodes
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS episodes (identity TEXT PRIMARY KEY, entry TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS submitted (
    identity TEXT PRIMARY KEY,  -- as the submitter named it (or a minted urn:uuid)
    body BLOB NOT NULL,         -- the article's bytes, as fetched or posted
    kind TEXT NOT NULL,         -- html | text | markdown
    title TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',   -- RFC 2822, when the submitter gave one
    link TEXT NOT NULL DEFAULT '',
    created REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,  -- failed renders of this version
    error TEXT NOT NULL DEFAULT '',
    voice TEXT NOT NULL DEFAULT ''        -- its own voice, VOICE or VOICE#SPEAKER ('': the feed's)
);
CREATE TABLE IF NOT EXISTS reviews (  -- editors' decisions (the studio), newest last
    n INTEGER PRIMARY KEY,
    identity TEXT NOT NULL,
    decision TEXT NOT NULL,        -- approve | hold
    content_sha256 TEXT NOT NULL,  -- the version of the article decided on
    who TEXT NOT NULL,
    at REAL NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS reviews_by_identity ON reviews (identity, n);
CREATE TABLE IF NOT EXISTS progress (  -- the render under way, per identity (the service's)
    identity TEXT PRIMARY KEY,
    done INTEGER NOT NULL,   -- sentences assembled
    total INTEGER NOT NULL,  -- sentences in the episode
    at REAL NOT NULL
);
"""


class _Entry(TypedDict):
    slug: str  # the episode's file name stem under episodes/
    guid: str  # from the article's identity, kept across edits
    title: str
    link: str
    pub_date: str  # RFC 2822, first publication
    updated: str  # RFC 2822 of the last edit that re-recorded it, or ""
    content_sha256: str  # of the article's bytes
    settings_key: str  # Renderer.settings_key the episode was made with
    summary: str
    source: str
    length_bytes: int
    duration_s: int
    duration_ms: float
    sha256: str  # of the MP3
    chapters: list[list[Any]]  # [title, start_ms]
    cues: list[list[Any]]  # [start_ms, text]


class StateEntry(_Entry, total=False):
    """One published episode."""

    synthesised: int  # sentences the voice made (the rest came from the clip cache)
    mtime_ns: int  # of the MP3 when it was published (its hash is checked once it changes)
    origin: str  # "api": submitted to papercast serve (it leaves when deleted there)
    flagged: list[dict[str, Any]]  # names probably said wrong: [{word, reason, sentences}]


_SHAPE = (
    ("slug", str),
    ("guid", str),
    ("title", str),
    ("pub_date", str),
    ("length_bytes", int),
    ("duration_s", int),
    ("chapters", list),
    ("cues", list),
)


def well_formed(entry: Any) -> bool:
    """A record with the fields a build reads, of their types, and a slug that is one safe
    path component (a slug of ``../../x`` in a state must never reach a file name)."""
    return (
        isinstance(entry, dict)
        and all(isinstance(entry.get(k), t) for k, t in _SHAPE)
        and safe_slug(entry["slug"])
    )


def note_progress(db: sqlite3.Connection, identity: str, done: int, total: int) -> None:
    """How far the render of ``identity`` is, in sentences (one small autocommit write)."""
    db.execute(
        "INSERT INTO progress (identity, done, total, at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(identity) DO UPDATE SET done = excluded.done, total = excluded.total, "
        "at = excluded.at",
        (identity, done, total, time.time()),
    )


def latest_reviews(db: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    """Each episode's newest decision: {identity: {decision, content_sha256, who, at, note}}."""
    rows = db.execute(
        "SELECT identity, decision, content_sha256, who, at, note FROM reviews r WHERE n = "
        "(SELECT max(n) FROM reviews WHERE identity = r.identity)"
    ).fetchall()
    keys = ("decision", "content_sha256", "who", "at", "note")
    return {row[0]: dict(zip(keys, row[1:], strict=True)) for row in rows}


def connect(path: Path) -> sqlite3.Connection:
    """The feed folder's database, in WAL mode, with the schema in place."""
    try:
        db = sqlite3.connect(path, timeout=30, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # WAL: durable at each checkpoint, never corrupt
        db.executescript(_SCHEMA)
        columns = {row[1] for row in db.execute("PRAGMA table_info(submitted)")}
        if "voice" not in columns:  # a database from before schema 2
            db.execute("ALTER TABLE submitted ADD COLUMN voice TEXT NOT NULL DEFAULT ''")
        db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
    except sqlite3.OperationalError as e:  # read-only, locked, no such folder: not damage
        raise PapercastError(f"{path}: cannot open the build state: {e}") from e
    except sqlite3.DatabaseError as e:  # "file is not a database", "malformed"
        raise _Damaged(str(e)) from e
    return db


class _Damaged(Exception):
    pass


class Episodes(MutableMapping[str, StateEntry]):
    """identity -> record, read once at open; each change is one row written at once."""

    def __init__(self, db: sqlite3.Connection, rows: dict[str, StateEntry]) -> None:
        self._db = db
        self._rows = rows

    def __getitem__(self, identity: str) -> StateEntry:
        return self._rows[identity]

    def __setitem__(self, identity: str, entry: StateEntry) -> None:
        text = json.dumps(entry, ensure_ascii=False, sort_keys=True)
        self._db.execute(
            "INSERT INTO episodes (identity, entry) VALUES (?, ?) "
            "ON CONFLICT(identity) DO UPDATE SET entry = excluded.entry",
            (identity, text),
        )
        self._rows[identity] = entry

    def __delitem__(self, identity: str) -> None:
        self._db.execute("DELETE FROM episodes WHERE identity = ?", (identity,))
        del self._rows[identity]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._rows))

    def __len__(self) -> int:
        return len(self._rows)


class State:
    """What was published, per article identity, and the feed's own facts (its podcast GUID,
    the fetch validators of its sources). ``doc`` keeps the shape state.json had."""

    def __init__(self, folder: Path) -> None:
        """``folder``: the feed's ``.papercast`` folder (made when missing)."""
        self.folder = folder
        self.path = folder / STATE_NAME
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise PapercastError(f"{folder}: cannot keep the build state there: {e}") from e
        fresh = not self.path.exists()
        try:
            self.db = connect(self.path)
            rows, meta = self._read()
        except _Damaged as e:
            aside = self.path.with_name(f"{STATE_NAME}.damaged-{int(time.time())}")
            for suffix in ("", "-wal", "-shm"):
                src = Path(f"{self.path}{suffix}")
                if src.exists():
                    src.replace(Path(f"{aside}{suffix}"))
            print(
                f"papercast: warning: {self.path}: not a readable database ({e}); moved to "
                f"{aside.name}, the state is rebuilt (the episodes' manifests make it cheap)",
                file=sys.stderr,
            )
            fresh = True
            self.db = connect(self.path)
            rows, meta = {}, {}
        except sqlite3.Error as e:
            raise PapercastError(f"{self.path}: cannot open the build state: {e}") from e
        self.doc: dict[str, Any] = {
            "podcast_guid": meta.get("podcast_guid", ""),
            "fetch": meta.get("fetch", {}),
            "episodes": Episodes(self.db, rows),
        }
        self.built_before = not fresh or bool(rows)
        legacy = folder / LEGACY_NAME
        if fresh and legacy.is_file():
            self._migrate(legacy)
            self.built_before = True

    @property
    def episodes(self) -> Episodes:
        return self.doc["episodes"]  # type: ignore[no-any-return]

    def _read(self) -> tuple[dict[str, StateEntry], dict[str, Any]]:
        try:
            found = self.db.execute(
                "SELECT identity, entry FROM episodes ORDER BY rowid"
            ).fetchall()
            meta_rows = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        except sqlite3.DatabaseError as e:
            raise _Damaged(str(e)) from e
        rows: dict[str, StateEntry] = {}
        dropped = []
        for identity, text in found:
            try:
                entry = json.loads(text)
            except (ValueError, RecursionError):
                entry = None
            if well_formed(entry):
                rows[identity] = entry
            else:
                dropped.append(identity)
        meta: dict[str, Any] = {}
        guid = meta_rows.get("podcast_guid", "")
        meta["podcast_guid"] = guid if isinstance(guid, str) else ""
        try:
            fetch = json.loads(meta_rows.get("fetch", "{}"))
        except (ValueError, RecursionError):
            fetch = {}
        meta["fetch"] = (
            {k: v for k, v in fetch.items() if isinstance(v, dict)}
            if isinstance(fetch, dict)
            else {}
        )
        if dropped:
            _warn(self.path, len(dropped))
            with self.db:
                self.db.executemany(
                    "DELETE FROM episodes WHERE identity = ?", [(i,) for i in dropped]
                )
        return rows, meta

    def _migrate(self, legacy: Path) -> None:
        """state.json (papercast 0.2) into the database, once; what is damaged is dropped."""
        try:
            loaded = json.loads(legacy.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):
            loaded = None
        if not isinstance(loaded, dict):
            _warn(legacy, "all")
            return
        guid = loaded.get("podcast_guid", "")
        self.doc["podcast_guid"] = guid if isinstance(guid, str) else ""
        fetch = loaded.get("fetch", {})
        self.doc["fetch"] = (
            {k: v for k, v in fetch.items() if isinstance(v, dict)}
            if isinstance(fetch, dict)
            else {}
        )
        episodes = loaded.get("episodes", {})
        if not isinstance(episodes, dict):
            _warn(legacy, "all")
            episodes = {}
        dropped = 0
        self.db.execute("BEGIN")
        for identity, entry in episodes.items():
            if isinstance(identity, str) and well_formed(entry):
                self.episodes[identity] = entry
            else:
                dropped += 1
        self.db.execute("COMMIT")
        if dropped:
            _warn(legacy, dropped)
        self.save()
        try:
            legacy.replace(legacy.with_name(f"{LEGACY_NAME}.migrated"))
        except OSError:
            pass

    def submitted(self) -> list[tuple[str, bytes, str, str, str, str, int, str]]:
        """Articles submitted to ``papercast serve``, oldest first: (identity, body, kind,
        title, date, link, failed attempts, voice)."""
        return self.db.execute(
            "SELECT identity, body, kind, title, date, link, attempts, voice FROM submitted "
            "ORDER BY created"
        ).fetchall()

    def note_failure(self, identity: str, why: str, attempts: int = 1) -> None:
        """A submitted article's render failed (``attempts``: how many tries it counts for)."""
        self.db.execute(
            "UPDATE submitted SET attempts = attempts + ?, error = ? WHERE identity = ?",
            (attempts, why[:2000], identity),
        )

    def save(self) -> None:
        """The feed's own facts (episodes are written as they change)."""
        with self.db:
            self.db.executemany(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [
                    ("podcast_guid", str(self.doc["podcast_guid"])),
                    ("fetch", json.dumps(self.doc["fetch"], sort_keys=True)),
                ],
            )

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> State:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _validators(fetch: Any) -> dict[str, Any]:
    """The fetch table's records that are records (URL -> ETag, Last-Modified, body hash)."""
    if not isinstance(fetch, dict):
        return {}
    return {k: v for k, v in fetch.items() if isinstance(k, str) and isinstance(v, dict)}


def _warn(path: Path, dropped: int | str) -> None:
    print(
        f"papercast: warning: {path}: {dropped} episode record(s) damaged; they will be rebuilt",
        file=sys.stderr,
    )


def read_episodes(folder: Path) -> dict[str, StateEntry]:
    """The published episodes of a feed folder's state, read-only (for benchmarks, tests and
    the service's pages); {} when there is none."""
    path = folder / ".papercast" / STATE_NAME
    if not path.is_file():
        return {}
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = db.execute("SELECT identity, entry FROM episodes ORDER BY rowid").fetchall()
    finally:
        db.close()
    return {i: json.loads(t) for i, t in rows}
