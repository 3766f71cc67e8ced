"""The studio: an editor checks and fixes the names of every episode in the browser, and
approves or holds episodes the review gate (feed/review.py) keeps out of the feed.

What it works on:
- the episodes of the feed's state database, each with the names ``lexicon check`` would flag
  (recorded when it was rendered) and the editors' decisions (``reviews``);
- the spoken script of an episode, read from the manifest its MP3 carries (the sentences as
  written and as handed to the phonemizer), checked again against the lexicon as it is now;
- the feed's own lexicon, ``lexicon.toml`` in the feed folder (read by every build after the
  shipped lexicon and [voice] lexicons, so its entries win). A save rewrites it whole,
  atomically, under a lock, only when the entry is still the one the editor started from
  (If-Match with the entry's ETag): two editors never silently overwrite each other.

Audio is synthesised with the service's renderer (voice loaded once) and its clip cache: a
sentence of a rendered episode is phonemized as the render phonemized it, so playing it is a
cache read. A save wakes the render worker; the build sees the lexicon changed, and every
episode is checked again: those without the name keep their audio (same phonemes), those
with it are re-made, synthesising only the sentences whose phonemes changed.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import json
import tempfile
import threading
import time
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import soundfile

from papercast import manifest
from papercast.errors import LexiconError, PapercastError
from papercast.feed.config import FEED_LEXICON
from papercast.feed.review import waiting
from papercast.feed.state import STATE_NAME, connect, latest_reviews
from papercast.files import write_text
from papercast.serve.speech import renderer_for
from papercast.types import Sentence
from papercast.voice.check import check_sentences, espeak_ipa, test_lexicon
from papercast.voice.lexicon import Entry, Lexicon
from papercast.voice.lexicon_files import load_lexicon, read_lexicon_file
from papercast.voice.pls import read_pls, to_pls, written_into
from papercast.voice.respell import RespellError, respell_to_ipa

PAUSE_S = 0.3  # between a word said two ways
MAX_SAY_CHARS = 1000


class StudioError(Exception):
    """A request the studio refuses: (status, message[, extra JSON fields])."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.extra = extra


def entry_etag(entry: Entry | None) -> str:
    """The version of a feed-lexicon entry an editor saw ("absent": there is none yet)."""
    if entry is None:
        return '"absent"'
    body = json.dumps([entry.word, entry.ipa, entry.respell, list(entry.variants), entry.note])
    return '"' + hashlib.sha256(body.encode()).hexdigest()[:20] + '"'


def _entry_json(e: Entry, own: bool) -> dict[str, Any]:
    return {
        "word": e.word,
        "ipa": e.ipa,
        "respell": e.respell,
        "variants": list(e.variants),
        "note": e.note,
        "source": e.where,
        "own": own,
        "etag": entry_etag(e) if own else '"absent"',
    }


class Studio:
    """The studio's work, for the routes in app.py (each method is called off the event loop
    where it synthesises or writes)."""

    def __init__(self, service: Any) -> None:
        self.service = service
        self.cfg = service.cfg
        self.own_path: Path = self.cfg.folder / FEED_LEXICON
        self._save_lock = threading.Lock()
        self._lexicon: tuple[Any, Lexicon] | None = None
        self._lex_lock = threading.Lock()

    # -- the lexicon as builds read it ------------------------------------------------------
    def _files(self) -> list[Path]:
        files = [Path(p) for p in self.cfg.episode.lexicons if Path(p) != self.own_path]
        return [*files, self.own_path] if self.own_path.is_file() else files

    def lexicon(self) -> Lexicon:
        """The shipped lexicon, [voice] lexicons and the feed's own, reloaded when a file
        changes (by size and mtime)."""
        files = self._files()
        stamp = []
        for f in files:
            try:
                st = f.stat()
                stamp.append((str(f), st.st_mtime_ns, st.st_size))
            except OSError:
                stamp.append((str(f), 0, 0))
        with self._lex_lock:
            if self._lexicon is None or self._lexicon[0] != stamp:
                self._lexicon = (stamp, load_lexicon(files))
            return self._lexicon[1]

    def own_entries(self) -> list[Entry]:
        return read_lexicon_file(self.own_path) if self.own_path.is_file() else []

    def entries(self, query: str = "") -> list[dict[str, Any]]:
        own = {e.key for e in self.own_entries()}
        q = query.casefold().strip()
        out = []
        for e in sorted(self.lexicon().entries, key=lambda e: e.word.casefold()):
            if q and not any(q in f.casefold() for f in e.forms) and q not in e.note.casefold():
                continue
            out.append(_entry_json(e, e.key in own and e.source == str(self.own_path)))
        return out

    # -- episodes ---------------------------------------------------------------------------
    def _db(self) -> Any:
        return connect(self.cfg.folder / ".papercast" / STATE_NAME)

    def episodes(self) -> list[dict[str, Any]]:
        db = self._db()
        try:
            rows = db.execute("SELECT identity, entry FROM episodes").fetchall()
            reviews = latest_reviews(db)
        finally:
            db.close()
        out = []
        for identity, raw in rows:
            entry = json.loads(raw)
            review = reviews.get(identity)
            why = waiting(entry, self.cfg.serve.review, review)
            out.append(
                {
                    "id": identity,
                    "title": entry.get("title", ""),
                    "slug": entry.get("slug", ""),
                    "state": "held" if why else "published",
                    "why": why,
                    "flagged": entry.get("flagged", []),
                    "review": review,
                    "pub_date": entry.get("pub_date", ""),
                    "synthesised": entry.get("synthesised", 0),
                    "sentences": len(entry.get("cues", ())),
                }
            )
        out.sort(key=lambda e: (e["state"] != "held", e["title"].casefold()))
        return out

    def _entry(self, identity: str) -> dict[str, Any]:
        db = self._db()
        try:
            row = db.execute(
                "SELECT entry FROM episodes WHERE identity = ?", (identity,)
            ).fetchone()
        finally:
            db.close()
        if row is None:
            raise StudioError(404, f"no episode {identity[:200]!r}")
        return dict(json.loads(row[0]))

    def sentences(self, identity: str) -> tuple[dict[str, Any], list[Sentence]]:
        """An episode's state entry and its spoken script (from the MP3's manifest)."""
        entry = self._entry(identity)
        mp3 = self.service.site / "episodes" / f"{entry['slug']}.mp3"
        found = manifest.read(mp3)
        if not found:
            raise StudioError(404, f"{entry['slug']}.mp3: no script in the episode (re-render it)")
        records: list[dict[str, Any]] = found["episode"]["sentences"]
        sentences = [manifest.sentence_from_record(r) for r in records]
        return entry, sentences

    def episode(self, identity: str) -> dict[str, Any]:
        entry, sentences = self.sentences(identity)
        lexicon = self.lexicon()
        checked = check_sentences([s.text for s in sentences], lexicon)
        marks: list[list[dict[str, Any]]] = [[] for _ in sentences]
        for u in checked["uncovered"]:
            for n in u["sentences"]:
                marks[n].append(
                    {"word": u["word"], "kind": "flagged", "reason": u["reason"],
                     "espeak_ipa": u["espeak_ipa"]}
                )  # fmt: skip
        for c in checked["covered"]:
            for n in c["sentences"]:
                marks[n].append(
                    {"word": c["word"], "kind": "covered", "ipa": c["ipa"], "source": c["source"]}
                )
        starts = [c[0] for c in entry.get("cues", [])]
        db = self._db()
        try:
            history = db.execute(
                "SELECT decision, who, at, note FROM reviews WHERE identity = ? ORDER BY n",
                (identity,),
            ).fetchall()
            review = latest_reviews(db).get(identity)
        finally:
            db.close()
        base = f"{self.cfg.base_url}episodes/{entry['slug']}"
        return {
            "id": identity,
            "title": entry["title"],
            "why": waiting(entry, self.cfg.serve.review, review),
            "review_mode": self.cfg.serve.review,
            "mp3": f"/episodes/{entry['slug']}.mp3",
            "page": f"/studio/api/files/{entry['slug']}.html",  # served held or not
            "vtt": f"/episodes/{entry['slug']}.vtt",
            "url": f"{base}.mp3",
            "synthesised": entry.get("synthesised", 0),
            "flagged": [u["word"] for u in checked["uncovered"]],
            "covered": [c["word"] for c in checked["covered"]],
            "history": [{"decision": d, "who": w, "at": a, "note": n} for d, w, a, n in history],
            "sentences": [
                {
                    "n": i,
                    "text": s.text,
                    "role": s.role,
                    "start_ms": starts[i] if i < len(starts) else None,
                    "marks": marks[i],
                }
                for i, s in enumerate(sentences)
            ],
        }

    def review(self, identity: str, decision: str, who: str, note: str) -> dict[str, Any]:
        if decision not in ("approve", "hold"):
            raise StudioError(422, f"decision: {decision[:20]!r} is not approve or hold")
        if not who.strip():
            raise StudioError(422, "who: say who decides (your name)")
        entry = self._entry(identity)
        db = self._db()
        try:
            with db:
                db.execute(
                    "INSERT INTO reviews (identity, decision, content_sha256, who, at, note) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (identity, decision, entry["content_sha256"], who.strip()[:200], time.time(),
                     note[:2000]),
                )  # fmt: skip
        finally:
            db.close()
        self.service.worker.wake()  # the next build writes feed.xml with the decision
        return {"id": identity, "decision": decision, "who": who.strip()[:200]}

    # -- hearing ----------------------------------------------------------------------------
    def reading(self, word: str, ipa: str = "", respell: str = "") -> Entry:
        """An entry for ``word`` from an IPA string or a respelling, checked against the voice
        (the same message as the CLI for a symbol it cannot say)."""
        word = unicodedata.normalize("NFC", word.strip())
        if not word or len(word) > 200:
            raise StudioError(422, "word: give the name (1 to 200 characters)")
        if not ipa.strip() and respell.strip():
            try:
                ipa = respell_to_ipa(respell)
            except RespellError as e:
                raise StudioError(422, f"respell: {e}") from None
        if not ipa.strip():
            raise StudioError(422, "give a respelling (bee-ah-LYAHT-skee) or IPA")
        entry = Entry(
            word=word,
            ipa=unicodedata.normalize("NFC", ipa.strip()),
            respell=respell.strip(),
            source=str(self.own_path),
        )
        try:
            Lexicon(entries=[entry]).validate(self._renderer().synth.id_map)
        except LexiconError as e:
            raise StudioError(422, str(e)) from None
        return entry

    def warnings(self, entry: Entry) -> list[str]:
        return Lexicon(entries=[entry]).validate(self._renderer().synth.id_map)

    def _renderer(self) -> Any:
        return renderer_for(self.cfg, self.service.worker.threads, "", 100.0)

    def _with(self, override: Entry | None) -> Lexicon:
        lexicon = self.lexicon()
        if override is None:
            return lexicon
        out = Lexicon()
        for e in lexicon.entries:
            if e.key != override.key:
                out.add(e)
        out.add(override)
        return out

    def say(self, sentences: list[Sentence], lexicon: Lexicon | None) -> tuple[bytes, list[str]]:
        """A WAV of these sentences (one after another) and the phonemes sent to Piper."""
        renderer = self._renderer()
        items = renderer._phonemize(sentences, lexicon or Lexicon())  # each in its own voice
        synth = renderer.synth
        rate = synth.sample_rate_hz
        parts: list[np.ndarray] = []
        for n, clip in enumerate(synth.stream(items, renderer.clip_maker(items))):
            if n:
                parts.append(np.zeros(int(PAUSE_S * rate), dtype=np.float32))
            parts.append(np.asarray(clip.samples, dtype=np.float32))
        audio = np.concatenate(parts) if parts else np.zeros(1, dtype=np.float32)
        buf = io.BytesIO()
        soundfile.write(buf, np.clip(audio, -1, 1), rate, format="WAV", subtype="PCM_16")
        return buf.getvalue(), [i.phonemes for i in items]

    def sentence_audio(
        self, identity: str, n: int, override: Entry | None = None
    ) -> tuple[bytes, list[str]]:
        _, sentences = self.sentences(identity)
        if not 0 <= n < len(sentences):
            raise StudioError(404, f"sentence {n}: the episode has {len(sentences)}")
        return self.say([sentences[n]], self._with(override))

    def word_audio(self, word: str, override: Entry | None, plain: bool) -> tuple[bytes, list[str]]:
        """The word alone: with espeak's own reading (``plain``), the lexicon's, or
        ``override``'s."""
        if not word.strip() or len(word) > MAX_SAY_CHARS:
            raise StudioError(422, f"text: 1 to {MAX_SAY_CHARS} characters")
        s = Sentence(text=word, spoken=word, section=0, paragraph=0)
        return self.say([s], None if plain else self._with(override))

    def compare(self, word: str) -> dict[str, Any]:
        """What espeak would say and what the lexicon says now, as IPA."""
        current = next((e for e in self.lexicon().entries if word.casefold() in
                        (f.casefold() for f in e.forms)), None)  # fmt: skip
        own = next((e for e in self.own_entries() if e.key == Entry(word, "").key), None)
        return {
            "word": word,
            "espeak_ipa": espeak_ipa(word).rstrip(".,;:!?"),
            "current": _entry_json(current, own is not None) if current else None,
            "etag": entry_etag(own),
        }

    # -- saving -----------------------------------------------------------------------------
    def save(
        self, word: str, ipa: str, respell: str, note: str, if_match: str, who: str
    ) -> dict[str, Any]:
        """Write the entry to the feed's lexicon if it is still the version the editor saw;
        else StudioError 409 with both readings."""
        if not if_match:
            raise StudioError(428, 'If-Match: send the entry\'s ETag ("absent" for a new one)')
        new = self.reading(word, ipa, respell)
        if note or who:
            stamp = time.strftime("%Y-%m-%d", time.gmtime())
            note = (note.strip() + " " if note.strip() else "") + f"(studio, {who or '?'}, {stamp})"
            new = replace(new, note=note.strip())
        with self._save_lock:
            entries = self.own_entries()
            old = next((e for e in entries if e.key == new.key), None)
            if entry_etag(old) != if_match.strip():
                raise StudioError(
                    409,
                    f"{new.word!r} was changed by someone else since you opened it",
                    yours={"word": new.word, "ipa": new.ipa, "respell": new.respell},
                    theirs=_entry_json(old, True) if old else None,
                    etag=entry_etag(old),
                )
            if old is not None:
                new = replace(new, variants=old.variants, case_sensitive=old.case_sensitive)
            before = self.own_path.read_text(encoding="utf-8") if self.own_path.is_file() else ""
            after = written_into(before, [new])
            write_text(self.own_path, after)
        affected = self.affected(new)
        self.service.worker.wake()
        diff = "".join(
            difflib.unified_diff(
                before.splitlines(True), after.splitlines(True), FEED_LEXICON, FEED_LEXICON
            )
        )
        return {
            "entry": _entry_json(new, True),
            "diff": diff,
            "affected": affected,
            "warnings": self.warnings(new),
        }

    def affected(self, entry: Entry) -> list[dict[str, Any]]:
        """The episodes whose script holds the entry's word (they are re-recorded)."""
        one = Lexicon(entries=[entry])
        out = []
        db = self._db()
        try:
            rows = db.execute("SELECT identity, entry FROM episodes").fetchall()
        finally:
            db.close()
        for identity, raw in rows:
            e = json.loads(raw)
            n = sum(1 for _, text in e.get("cues", ()) if one.find(str(text)))
            if n:
                out.append({"id": identity, "title": e.get("title", ""), "sentences": n})
        return out

    # -- the lexicon page -------------------------------------------------------------------
    def import_pls(self, data: bytes, who: str) -> dict[str, Any]:
        with tempfile.NamedTemporaryFile(suffix=".pls") as f:
            f.write(data)
            f.flush()
            try:
                imported = read_pls(Path(f.name))
            except (LexiconError, PapercastError) as e:
                raise StudioError(422, str(e).replace(f.name, "the PLS file")) from None
        renderer = self._renderer()
        for one in imported:
            try:
                Lexicon(entries=[one]).validate(renderer.synth.id_map)
            except LexiconError as err:
                raise StudioError(422, str(err).replace(str(one.source), "the PLS file")) from None
        with self._save_lock:
            entries = {e.key for e in self.own_entries()} | {one.key for one in imported}
            before = self.own_path.read_text(encoding="utf-8") if self.own_path.is_file() else ""
            write_text(self.own_path, written_into(before, imported))
        self.service.worker.wake()
        return {"imported": len(imported), "entries": len(entries)}

    def export_pls(self) -> str:
        return to_pls(self.lexicon().entries)

    def test(self) -> dict[str, Any]:
        failures, total = test_lexicon([str(p) for p in self._files()], self.cfg.episode.voice)
        return {"checked": total, "failures": failures}
