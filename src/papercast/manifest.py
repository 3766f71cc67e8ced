"""What an episode was made from, kept inside its MP3 (an ID3 TXXX frame).

The manifest holds two keys and the episode record. The quick key hashes the
inputs as files (article bytes, lexicon files, voice model, profile, settings,
music, cover, code version); the full key hashes what will actually be spoken
(every sentence's text, role and phoneme string), so an edit to a lexicon entry
the article never uses still finds the episode unchanged after extraction. The
audio's sha256 (everything after the ID3 tag) and each sidecar's let a later run
prove the files are intact before it trusts them.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from mutagen.id3 import ID3

from papercast.audio.tags import id3_size
from papercast.files import sha256_file
from papercast.types import Chapter, Cue, Episode, Loudness, Sentence, Timeline, Word

FRAME = "PAPERCAST_RENDER"


def audio_sha256(path: Path) -> str:
    return sha256_file(path, id3_size(path))


def to_json(
    episode: Episode, quick_key: str, full_key: str, audio_sha: str, sidecar_sha: dict[str, str]
) -> str:
    """``sidecar_sha``: each sidecar's final file name and the sha256 of its content."""
    doc: dict[str, Any] = {
        "quick_key": quick_key,
        "full_key": full_key,
        "audio_sha256": audio_sha,
        "sidecars": sidecar_sha,
        "episode": {
            "title": episode.title,
            "source": episode.source,
            "byline": episode.byline,
            "site": episode.site,
            "date": episode.date,
            "duration_ms": episode.duration_ms,
            "loudness": asdict(episode.loudness),
            "timeline": {
                **asdict(episode.timeline),
                "words": [
                    [w.text, w.start_ms, w.end_ms, w.sentence] for w in episode.timeline.words
                ],
            },
            "sentences": [_sentence_record(s) for s in episode.sentences],
        },
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def read(path: Path) -> dict[str, Any] | None:
    """The manifest in ``path``'s tag, or None (no file, no tag, damaged)."""
    try:
        frames = ID3(str(path)).getall(f"TXXX:{FRAME}")
        return json.loads(frames[0].text[0]) if frames else None  # type: ignore[no-any-return]
    except Exception:  # any unreadable file or tag is simply not a reusable episode
        return None


def intact(path: Path, manifest: dict[str, Any], sidecars: tuple[Path, ...]) -> bool:
    """The MP3's audio and every sidecar are byte for byte what the manifest recorded."""
    try:
        if audio_sha256(path) != manifest["audio_sha256"]:
            return False
        want = manifest["sidecars"]
        if sorted(want) != sorted(p.name for p in sidecars):
            return False
        return all(p.is_file() and sha256_file(p) == want[p.name] for p in sidecars)
    except (OSError, KeyError, TypeError):
        return False


def episode_from(path: Path, manifest: dict[str, Any], sidecars: tuple[Path, ...]) -> Episode:
    e = manifest["episode"]
    t = e["timeline"]
    timeline = Timeline(
        tuple(Cue(**c) for c in t["cues"]),
        tuple(Chapter(**c) for c in t["chapters"]),
        t["clips_ms"],
        t["pauses_ms"],
        t["speech_ms"],
        tuple(Word(*w) for w in t.get("words", ())),
        t.get("timed_by", "voice"),
    )
    return Episode(
        path=path,
        sidecars=sidecars,
        title=e["title"],
        source=e["source"],
        byline=e["byline"],
        site=e["site"],
        date=e["date"],
        duration_ms=e["duration_ms"],
        size_bytes=path.stat().st_size,
        sha256=sha256_file(path),
        loudness=Loudness(**e["loudness"]),
        timeline=timeline,
        sentences=tuple(sentence_from_record(s) for s in e["sentences"]),
        reused=True,
    )


def _sentence_record(s: Sentence) -> dict[str, Any]:
    """A sentence as the manifest keeps it (the spoken-to-written map is the render's own)."""
    record = asdict(s)
    del record["origin"]
    for name, f in Sentence.__dataclass_fields__.items():  # how it is read: only when not default
        if name in _READING and record[name] == f.default:
            del record[name]
    return record


_READING = ("voice", "rate", "gain_db", "pause_ms", "fixed", "mark", "audio")


def sentence_from_record(record: dict[str, Any]) -> Sentence:
    """A manifest's sentence record back as a Sentence."""
    fixed = tuple(tuple(span) for span in record.get("fixed", ()))
    return Sentence(**{**record, "fixed": fixed})
