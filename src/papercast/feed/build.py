"""``papercast feed build``: articles in, a static podcast site out; incremental and crash-safe.

Order of work: lock the folder -> read the state -> collect sources (files, feeds, OPML)
-> plan (new, changed, unchanged, removed) -> render each new or changed episode (one
Renderer: the voice loads once), saving the state after each -> remove what left ->
write the cover, feed.xml and index.html last, and only when their bytes change.

Every file is written under a temporary name and renamed; the state is saved atomically
after every episode, so a build killed at any moment and run again finishes the job with
nothing lost or listed twice (an episode published just before the kill is recognised
by its manifest and not rendered again).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path
from typing import Any

from papercast.errors import PapercastError
from papercast.feed.config import FeedConfig, load_config
from papercast.feed.review import flagged_names, waiting
from papercast.feed.rss import AI_DISCLOSURE, Item, podcast_guid, render_feed, sort_key
from papercast.feed.site import PageEpisode, page_name, render_pages
from papercast.feed.sources import (
    Reader,
    Source,
    file_sources,
    read_feed_source,
    read_opml,
    rfc2822,
)
from papercast.feed.state import PUBLISHED_FILE, State, StateEntry, latest_reviews
from papercast.files import (
    COVER_MAX_BYTES,
    TEMP_MARK,
    Staging,
    read_regular,
    remove_quietly,
    remove_stale_temps,
    sha256_file,
    write_bytes,
)
from papercast.markup import html_text, safe_link
from papercast.pipeline import (
    CHAPTERS_SUFFIX,
    TRANSCRIPT_SUFFIXES,
    TRANSCRIPT_TYPES,
    Renderer,
    sentences_for,
    sidecar_paths,
)
from papercast.settings import TRANSCRIPT_FORMATS, EpisodeSettings, RunFlags
from papercast.slugs import slugify
from papercast.text.extract import extract
from papercast.text.inputs import document_from_bytes, read_document
from papercast.types import Article, Section
from papercast.voice.catalogue import UNCLEAR, licence_of, model_card
from papercast.voice.lexicon import Lexicon
from papercast.voice.lexicon_files import load_lexicon
from papercast.voice.profiles import resolve_voice

LONG_TEXT_CHARS = (
    12_000  # a text this long may hold more sentences than one cluster task should synthesise
)


@dataclass
class Report:
    rendered: list[str] = field(default_factory=list)
    rerendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # published, but something was dropped
    planned_bytes: int = 0
    handed_over: int = 0  # cluster episodes a worker staged in place (distributed.hand_over)

    def summary(self) -> str:
        return (
            f"{len(self.rendered)} rendered, {len(self.rerendered)} re-rendered, "
            f"{len(self.reused)} unchanged, "
            f"{len(self.removed)} removed, {len(self.failed)} failed"
        )


@contextlib.contextmanager
def build_lock(state_dir: Path, who: str = "papercast feed build") -> Iterator[None]:
    """One build per feed folder at a time; a second one is refused with who holds the lock
    (``papercast serve`` holds it for as long as it runs)."""
    path = state_dir / "build.lock"
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        f = path.open("a+")
    except OSError as e:
        raise PapercastError(f"{state_dir}: cannot keep the build state there: {e.strerror}") from e
    try:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            f.seek(0)
            holder = f.read().strip() or "another papercast feed build"
            raise PapercastError(
                f"{state_dir.parent}: in use by {holder}; run again when it has finished (a "
                "folder that papercast serve runs is built by the server: submit to it instead)"
            ) from None
        f.seek(0)
        f.truncate()
        f.write(f"{who}, pid {os.getpid()}")
        f.flush()
        yield
    finally:
        f.close()


def collect(cfg: FeedConfig, state: State, report: Report) -> tuple[list[Source], bool]:
    """Every source, in a stable order, and whether every feed and item could be read. A feed
    or an item that cannot be read is a failure, not the end (the others are read)."""
    sources = file_sources(cfg.articles_dir, report.warnings)
    if cfg.source_voices.get("articles"):  # [sources] voices: the folder's own voice
        sources = [replace(s, voice=cfg.source_voices["articles"]) for s in sources]
    reader = Reader(
        cfg.folder,
        state.path.parent / "pages",
        state.doc.setdefault("fetch", {}),
        cfg.fetch_policy,
    )
    feeds = list(cfg.feeds)
    complete = True
    for opml in cfg.opml:
        try:
            feeds += read_opml(opml, reader)
        except PapercastError as e:
            report.failed.append((opml, str(e)))
            complete = False
    seen = {s.identity for s in sources}
    for spec in feeds:
        failed: list[tuple[str, str]] = []
        try:
            for s in read_feed_source(spec, reader, failed):
                if s.link and not safe_link(s.link):
                    report.warnings.append(
                        f"{spec}: item {s.title_hint[:80]!r}: link {s.link[:80]!r} dropped "
                        "(only http(s) links are published)"
                    )
                    s = replace(s, link="")
                if cfg.source_voices.get(spec):
                    s = replace(s, voice=cfg.source_voices[spec])
                if s.identity not in seen:
                    seen.add(s.identity)
                    sources.append(s)
        except PapercastError as e:
            report.failed.append((spec, str(e)))
            complete = False
        report.failed += failed
        complete = complete and not failed
    if complete:
        reader.prune()  # a partial read keeps what the unread sources may still need
    for identity, body, kind, title, when, link, attempts, voice in state.submitted():
        if attempts >= MAX_ATTEMPTS and identity not in state.episodes:
            continue  # failed MAX_ATTEMPTS times: held until it is submitted again
        if identity not in seen:
            seen.add(identity)
            sources.append(Source(identity, "api", None, body, kind, title, when, link, voice))
    return sources, complete


MAX_ATTEMPTS = 3  # renders of one submitted version before it is held as failed


def _settings(cfg: FeedConfig) -> EpisodeSettings:
    """The feed's episode settings: papercast.toml's, with every sidecar the site serves."""
    return replace(
        cfg.episode, transcripts=TRANSCRIPT_FORMATS, chapters_json=True, page=True, album=cfg.title
    )


def _files(site: Path, slug: str) -> list[Path]:
    """An episode's MP3 and its sidecars: captions, JSON transcript, chapters, read-along page."""

    mp3 = site / "episodes" / f"{slug}.mp3"
    return [
        mp3,
        *sidecar_paths(
            mp3, EpisodeSettings(transcripts=TRANSCRIPT_FORMATS, chapters_json=True, page=True)
        ),
    ]


SITE_MARK = ".papercast-site"  # in a site papercast built: whose site it is
_OWN_NAMES = re.compile(
    r"feed\.xml|index\.html|page-\d+\.html|cover\.(?:jpe?g|png)|episodes|" + re.escape(SITE_MARK)
)
_EPISODE_FILE = re.compile(
    r"[a-z0-9][a-z0-9-]{0,79}(?:\.mp3|\.vtt|\.srt|\.transcript\.json|\.chapters\.json|\.html)"
)


def claim_site(site: Path, state_dir: Path, guid: str, built_before: bool, force: bool) -> bytes:
    """Refuse to build into a folder holding files papercast did not write: the build rewrites
    index.html and feed.xml and deletes episodes that left the feed, so a user's own folder
    (or another feed's site) would lose files. A site papercast built carries ``SITE_MARK``
    naming its feed (a hash of the feed folder, and the podcast GUID: a feed that has built
    before and has that GUID is the same feed moved); an unmarked one is taken
    only when this feed has built before and everything in it has a name papercast writes (a
    site built before the mark existed). ``force`` takes any folder. Returns the mark to write."""
    # the folder as a hash: the mark is published with the site, a local path must not be
    here = {
        "podcast_guid": guid,
        "folder": hashlib.sha256(str(state_dir.resolve()).encode()).hexdigest()[:24],
    }
    mark = site / SITE_MARK
    if mark.is_file():
        try:
            found = json.loads(read_regular(mark, 4096, "site mark"))
            owner = {k: str(found.get(k) or "") for k in here}
        except (ValueError, AttributeError, PapercastError):
            owner = {}
        mine = owner.get("folder") == here["folder"] or (
            built_before and owner.get("podcast_guid") == guid
        )
        if any(owner.values()) and not mine and not force:
            raise PapercastError(
                f"{site}: the site of another feed (podcast GUID {owner['podcast_guid'] or '?'}"
                "); building here would delete its episodes: give another --out, or --force "
                "to take it over"
            )
    elif site.is_dir() and not force:
        episodes = site / "episodes"
        foreign = sorted(p.name for p in site.iterdir() if not _OWN_NAMES.fullmatch(p.name))
        if episodes.is_dir():
            foreign += sorted(
                f"episodes/{p.name}"
                for p in episodes.iterdir()
                if not _EPISODE_FILE.fullmatch(p.name) and TEMP_MARK not in p.name
            )
        if foreign or (not built_before and any(site.iterdir())):
            named = ", ".join(foreign[:3]) or ", ".join(sorted(p.name for p in site.iterdir())[:3])
            more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
            raise PapercastError(
                f"{site}: holds files papercast did not write ({named}{more}); the build would "
                "overwrite or delete them: give an empty or new --out, or --force"
            )
    return json.dumps(here).encode() + b"\n"


def _mp3_intact(mp3: Path, old: StateEntry) -> bool:
    """The published MP3 is the one the state recorded: by content, not size (a damaged MP3
    of the same length is rendered again). Hashing every MP3 on every build is 3 GB of reads
    at 5,000 episodes, so the file's size and modification time stand in for its hash while
    they are the ones recorded (as rsync and git do); a file touched since is hashed."""
    try:
        st = mp3.stat()
    except OSError:
        return False
    if st.st_size != old.get("length_bytes"):
        return False
    if old.get("mtime_ns") == st.st_mtime_ns:
        return True
    return sha256_file(mp3) == old.get("sha256")


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, ValueError):
        return False


# An article's slug must not take a name a digest, a reserved device name or a sidecar needs.
_RESERVED_SLUG = re.compile(r"digest-\d{4}-\d{2}-\d{2}|con|prn|aux|nul|com\d|lpt\d")


def _unique_slug(wanted: str, taken: set[str]) -> str:
    if _RESERVED_SLUG.fullmatch(wanted):
        wanted = f"{wanted}-article"
    slug, n = wanted, 2
    while slug in taken:
        slug = f"{wanted}-{n}"
        n += 1
    return slug


def build(
    folder: Path,
    out: Path | None = None,
    dry_run: bool = False,
    quiet: bool = False,
    scheduler: str | None = None,
    workers: int | None = None,
    force: bool = False,
    threads: float | None = None,
    take_lock: bool = True,
    publish_each: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> Report:
    """Build the site of ``folder``; with ``scheduler`` (a Dask address) or ``workers`` (a local
    Dask cluster of that many processes) the renders run on the cluster. ``force`` builds into
    a folder holding files papercast did not write (see ``claim_site``). ``take_lock`` False:
    the caller holds the build lock (``papercast serve`` holds it while it runs);
    ``publish_each``: feed.xml and the pages are rewritten after every episode; ``progress``
    is called (identity, sentences done, sentences in all) as a plain build renders."""
    cfg = load_config(folder)
    if not cfg.cover:
        _say(
            quiet,
            f"papercast: warning: {folder}: no cover image; Apple Podcasts and most directories "
            f"require one "
            "(square JPEG or PNG, 1400-3000 px): set [show] cover",
        )
    if not cfg.private:
        _warn_voice_licence(cfg, quiet)
    site = out or folder / "site"
    if _inside(site, cfg.articles_dir):
        raise PapercastError(
            f"{site}: the site must not be inside {cfg.articles_dir} "
            "(the next build would read its pages as articles)"
        )
    state_dir = folder / ".papercast"
    report = Report()
    with (
        build_lock(state_dir) if take_lock else contextlib.nullcontext(),
        State(state_dir) as state,
    ):
        for place in (site, site / "episodes"):  # a killed build's temporaries: never published
            remove_stale_temps(place, older_than_s=-1)  # (the lock says no build is running)
        built_before = state.built_before
        if not state.doc["podcast_guid"]:
            state.doc["podcast_guid"] = podcast_guid(
                cfg.feed_url
            )  # minted once, kept if the URL moves
        mark = claim_site(site, state_dir, state.doc["podcast_guid"], built_before, force)
        if not dry_run:
            site.mkdir(parents=True, exist_ok=True)
            _write_if_changed(site / SITE_MARK, mark)
        sources, complete = collect(cfg, state, report)
        settings = _settings(cfg)
        rendering = [""]  # the identity being rendered, for progress
        renderer = Renderer(
            settings,
            RunFlags(
                quiet=True,
                threads=threads,
                on_sentence=(lambda d, t: progress(rendering[0], d, t)) if progress else None,
            ),
        )
        settings_key = renderer.settings_key
        credit = renderer.voice_credit
        taken = {e["slug"] for e in state.episodes.values()}
        plan: list[tuple[str, Source, str]] = []  # (status, source, slug)
        for s in sources:
            old = state.episodes.get(s.identity)
            if old is None:
                slug = _unique_slug(
                    slugify(s.title_hint or (s.path.stem if s.path else s.identity)), taken
                )
                taken.add(slug)
                plan.append(("new", s, slug))
                continue
            files_ok = all(p.is_file() for p in _files(site, old["slug"])) and _mp3_intact(
                site / "episodes" / f"{old['slug']}.mp3", old
            )
            same = (
                old.get("content_sha256") == s.content_sha256
                and old.get("settings_key") == settings_key
            )
            plan.append(("unchanged" if same and files_ok else "changed", s, old["slug"]))
        current = {s.identity for s in sources}
        # An episode leaves the feed when its article left the sources: a file removed from
        # articles/, or an item gone from a feed that was read in full. While a feed or an
        # item fails to come, episodes from feeds stay.
        gone = [
            i
            for i in state.episodes
            if i not in current
            and not i.startswith(DIGEST)
            and not cfg.keep_removed
            and (
                complete
                or i.startswith("file:")
                or state.episodes[i].get("origin") == "api"  # deleted through the service
            )
        ]
        if dry_run:
            _print_plan(plan, gone, state, site)
            return report
        (site / "episodes").mkdir(parents=True, exist_ok=True)
        todo = [p for p in plan if p[0] != "unchanged"]
        report.reused += [s.identity for status, s, _ in plan if status == "unchanged"]
        publish = (
            (lambda: _publish(cfg, site, state, renderer.profile.name, credit))
            if publish_each
            else None
        )
        if scheduler or workers:
            facts = _render_on_cluster(
                cfg,
                site,
                state,
                todo,
                settings,
                settings_key,
                report,
                quiet,
                scheduler,
                workers,
                threads,
                publish,
            )
            report.handed_over = int(facts.get("staged", 0))
        for n, (status, s, slug) in enumerate([] if scheduler or workers else todo, 1):
            t0 = time.perf_counter()
            rendering[0] = s.identity
            try:
                entry, reused = _render_one(
                    renderer, cfg, site, s, slug, state.episodes.get(s.identity), settings_key
                )
            except PapercastError as e:
                _failed(report, state, s, str(e), permanent=True)
                _say(quiet, f"[{n}/{len(todo)}] failed    {slug}: {e}")
                continue
            _record(state, s, entry, publish)  # publish: the service's listeners see it now
            verb = "unchanged" if reused else "rendered" if status == "new" else "re-rendered"
            (
                report.reused
                if reused
                else report.rendered
                if status == "new"
                else report.rerendered
            ).append(s.identity)
            _say(
                quiet,
                f"[{n}/{len(todo)}] {verb:11} {slug} "
                f"({entry['duration_s']} s of audio in {time.perf_counter() - t0:.1f} s)",
            )
        for identity in gone:
            _remove(site, state, identity, report)
        if cfg.daily_digest:
            _digests(
                cfg,
                site,
                state,
                renderer,
                {s.identity: s for s in sources},
                settings_key,
                report,
                quiet,
            )
        else:
            for identity in [i for i in state.episodes if i.startswith(DIGEST)]:
                _remove(site, state, identity, report)
        state.save()
        _publish(cfg, site, state, renderer.profile.name, credit)
    return report


DIGEST = "digest:"
SUMMARY_CHARS = 400  # an episode's description: its first words, cut at a word boundary


def _summary(text: str) -> str:
    """The first SUMMARY_CHARS of ``text``, cut at a word boundary and marked when cut."""
    if len(text) <= SUMMARY_CHARS:
        return text
    return text[:SUMMARY_CHARS].rsplit(" ", 1)[0] + "…"


def _warn_voice_licence(cfg: FeedConfig, quiet: bool) -> None:
    """A public feed whose voice's model card does not make its licence clear: say so (a
    voice without a card beside its model is not judged)."""
    try:
        profile = resolve_voice(cfg.episode.voice)
    except PapercastError:
        return  # the build says what is wrong with the voice when it loads it
    card = model_card(profile.model)
    if card is None:
        return
    lic = licence_of(card)
    if lic.kind == UNCLEAR:
        _say(
            quiet,
            f"papercast: warning: voice {profile.name}: licence {lic.kind}: {lic.reason}; check "
            "it before publishing this feed (papercast voices info)",
        )


def _names_lexicon(cfg: FeedConfig, renderer: Any) -> Lexicon | None:
    """The lexicon to flag names with when the feed's review gate asks for names."""
    return renderer.lexicon if cfg.serve.review == "names" else None  # type: ignore[no-any-return]


def _remove(site: Path, state: State, identity: str, report: Report) -> None:
    for p in _files(site, state.episodes[identity]["slug"]):
        remove_quietly(p)
    del state.episodes[identity]
    report.removed.append(identity)
    state.save()


def _digests(
    cfg: FeedConfig,
    site: Path,
    state: State,
    renderer: Any,
    sources: dict[str, Source],
    settings_key: str,
    report: Report,
    quiet: bool,
) -> None:
    """One episode per day joining that day's articles, one chapter per article. Their sentences
    are the articles' own, so every clip comes from the cache; only the digest's headline is new."""

    days: dict[str, list[tuple[float, str]]] = {}
    for identity, e in state.episodes.items():
        if identity.startswith(DIGEST) or identity not in sources:
            continue
        when = parsedate_to_datetime(e["pub_date"])
        days.setdefault(when.date().isoformat(), []).append((when.timestamp(), identity))
    for identity in [
        i for i in state.episodes if i.startswith(DIGEST) and i[len(DIGEST) :] not in days
    ]:
        _remove(site, state, identity, report)
    for day, members in sorted(days.items()):
        members.sort()
        identity = f"{DIGEST}{day}"
        content = hashlib.sha256(
            repr([(i, state.episodes[i]["content_sha256"]) for _, i in members]).encode()
        ).hexdigest()
        old = state.episodes.get(identity)
        slug = f"digest-{day}"
        if (
            old
            and old.get("content_sha256") == content
            and old.get("settings_key") == settings_key
            and (site / "episodes" / f"{slug}.mp3").is_file()
        ):
            report.reused.append(identity)
            continue
        try:
            article = _digest_article(cfg, day, [sources[i] for _, i in members])
            ep = renderer.render_article(article, site / "episodes" / f"{slug}.mp3")
        except PapercastError as e:
            report.failed.append((identity, str(e)))
            continue
        newest = max(state.episodes[i]["pub_date"] for _, i in members)
        entry = _entry(
            ep,
            slug,
            identity,
            "",
            newest if not old else old["pub_date"],
            old,
            content,
            settings_key,
            _names_lexicon(cfg, renderer),
        )
        entry["summary"] = (
            "Today's articles: " + "; ".join(state.episodes[i]["title"] for _, i in members) + "."
        )
        state.episodes[identity] = entry
        state.save()
        (report.rerendered if old else report.rendered).append(identity)
        _say(
            quiet,
            f"digest {day}: {len(members)} articles, {ep.synthesised} sentence(s) synthesised",
        )


def _digest_article(cfg: FeedConfig, day: str, members: list[Source]):  # type: ignore[no-untyped-def]

    sections = []
    for s in members:
        a = extract(_document(s))
        sections.append(Section(a.title, tuple(p for sec in a.sections for p in sec.paragraphs)))
    when = date.fromisoformat(day)
    title = f"{cfg.title}, {when.strftime('%A')} {when.day} {when.strftime('%B %Y')}"
    return Article(
        title=title,
        sections=tuple(sections),
        source=f"{cfg.title} daily digest {day}",
        site=cfg.title,
        date=day,
    )


def _document(s: Source):  # type: ignore[no-untyped-def]

    if s.kind == "file" and s.path is not None:
        doc = read_document(str(s.path))
    else:
        doc = document_from_bytes(s.text or b"", s.link or s.identity, s.text_kind)
    return replace(doc, voice=s.voice) if s.voice else doc


def _say(quiet: bool, line: str) -> None:
    if not quiet:
        print(line, file=sys.stderr, flush=True)


def _print_plan(
    plan: list[tuple[str, Source, str]], gone: list[str], state: State, site: Path
) -> None:
    for status, s, slug in plan:
        size = ""
        if status != "new":
            size = f" ({state.episodes[s.identity].get('length_bytes', 0)} bytes now)"
        print(f"{status:10} {slug}  <- {s.identity}{size}")
    for identity in gone:
        print(f"{'removed':10} {state.episodes[identity]['slug']}  <- {identity}")
    counts = {k: sum(1 for p in plan if p[0] == k) for k in ("new", "changed", "unchanged")}
    print(
        f"plan: {counts['new']} new, {counts['changed']} changed, {counts['unchanged']} unchanged, "
        f"{len(gone)} removed; nothing written (dry run)"
    )


def _render_one(
    renderer: Any,
    cfg: FeedConfig,
    site: Path,
    s: Source,
    slug: str,
    old: StateEntry | None,
    settings_key: str,
) -> tuple[StateEntry, bool]:
    """Render one source; its state entry, and whether the earlier episode was kept."""
    mp3 = site / "episodes" / f"{slug}.mp3"
    ep = renderer.render(str(s.path) if s.kind == "file" and not s.voice else _document(s), mp3)
    entry = _entry(
        ep,
        slug,
        s.identity,
        s.link,
        _pub_date(s, ep, old),
        old,
        s.content_sha256,
        settings_key,
        _names_lexicon(cfg, renderer),
    )
    return entry, ep.reused


def _pub_date(s: Source, ep: Any, old: StateEntry | None) -> str:
    """The date an episode keeps: first publication, else the source's, the article's, the
    file's."""
    return (
        (old.get("pub_date", "") if old else "")
        or s.date_rfc2822
        or rfc2822(ep.date)
        or _file_date(s)
    )


def _record(state: State, s: Source, entry: StateEntry, publish: Any = None) -> None:
    """An episode into the state; with ``publish``, the feed is rewritten before the row is
    committed, so whoever reads the state (the service's API) never sees an episode as
    published that feed.xml does not list yet."""
    if s.kind == "api":
        entry["origin"] = "api"  # it leaves the feed when it is deleted through the service
    if publish is None:
        state.episodes[s.identity] = entry
    else:
        state.db.execute("BEGIN IMMEDIATE")
        try:
            state.episodes[s.identity] = entry
            publish()
        except BaseException:
            state.db.execute("ROLLBACK")
            raise
        state.db.execute("COMMIT")
    state.save()


def _failed(report: Report, state: State, s: Source, why: str, permanent: bool) -> None:
    """A source that did not render. A submitted article's bytes are stored, so a render
    that failed for its input fails the same way again: it is held until submitted again."""
    report.failed.append((s.identity, why))
    if s.kind == "api" and permanent:
        state.note_failure(s.identity, why, MAX_ATTEMPTS)


def _render_on_cluster(
    cfg: FeedConfig,
    site: Path,
    state: State,
    todo: list[tuple[str, Source, str]],
    settings: Any,
    settings_key: str,
    report: Report,
    quiet: bool,
    scheduler: str | None,
    workers: int | None,
    threads: float | None,
    after_each: Any = None,
) -> dict[str, Any]:
    """The renders of ``todo`` as Dask tasks; the files come back and are published here
    (``after_each``: called after each episode is recorded, as the service republishes)."""

    from papercast.feed.distributed import SHARE_NAME, Cluster, render_all

    # the names to flag (review = "names"), with the lexicon the workers read
    lexicon = load_lexicon(settings.lexicons) if cfg.serve.review == "names" else None
    jobs, meta = [], {}
    for status, s, slug in todo:
        try:
            doc = _document(s)
            # Only a long text can need batches; counting sentences means extracting it here.
            n = len(sentences_for(extract(doc), settings)) if len(doc.text) > LONG_TEXT_CHARS else 0
        except PapercastError as e:
            report.failed.append((s.identity, str(e)))
            continue
        # the headline it was named from, before "-2" made it unique: one story, one at a time
        story = slugify(s.title_hint or (s.path.stem if s.path else s.identity))
        jobs.append((s.identity, doc, slug, n, story))
        meta[s.identity] = (status, s, slug)

    def on_done(identity: str, result: Any) -> None:
        status, s, slug = meta[identity]
        if isinstance(result, BaseException):
            why = (
                str(result)
                if isinstance(result, PapercastError)
                else f"{type(result).__name__}: {result}"
            )
            _failed(report, state, s, why, permanent=isinstance(result, PapercastError))
            return
        staging = Staging()
        try:
            paths = {}
            for name, staged in result.get("staged", {}).items():  # made here by the worker
                target = site / "episodes" / Path(name).name
                staging.adopt(Path(staged), target)
                paths[name] = target
            for name, data in result.get("files", {}).items():
                target = site / "episodes" / Path(name).name
                staging.path_for(target).write_bytes(data)
                paths[name] = target
            staging.publish_all()
        finally:
            staging.discard()
        ep = result["episode"]
        ep = replace(
            ep, path=paths[ep.path.name], sidecars=tuple(paths[p.name] for p in ep.sidecars)
        )
        old = state.episodes.get(identity)
        entry = _entry(
            ep,
            slug,
            identity,
            s.link,
            _pub_date(s, ep, old),
            old,
            s.content_sha256,
            settings_key,
            lexicon,
        )
        _record(state, s, entry, after_each)
        (report.rendered if status == "new" else report.rerendered).append(identity)

    if not jobs:
        return {}
    cluster = Cluster(scheduler, workers, threads)
    # a worker that finds this probe sees the client's episodes folder: it stages its files
    # there instead of sending their bytes (distributed.hand_over)
    token = uuid.uuid4().hex
    probe = site / "episodes" / SHARE_NAME.format(token=token)
    try:
        write_bytes(probe, token.encode("ascii"))
        files = [x for x in settings.files() if Path(x).is_file()]
        if settings.voice and settings.voice.endswith(".onnx"):
            files.append(settings.voice + ".json")
        return render_all(
            cluster,
            settings,
            cluster.ship(files),
            jobs,
            on_done,
            quiet,
            handover=(str((site / "episodes").resolve()), token),
        )
    finally:
        remove_quietly(probe)
        cluster.close()


def _entry(
    ep: Any,
    slug: str,
    identity: str,
    link: str,
    date: str,
    old: StateEntry | None,
    content: str,
    settings_key: str,
    lexicon: Lexicon | None,
) -> StateEntry:
    """The state's record of a published episode (with the names an editor should check)."""
    first_body = _summary(" ".join(x.text for x in ep.sentences if x.role == "body"))
    updated = old.get("updated", "") if old else ""
    script = [c.text for c in ep.cues]
    if old and old.get("content_sha256") != content and [t for _, t in old["cues"]] != script:
        # "Updated: the article was edited and this episode re-recorded" only when what is
        # said changed: an edit inside text extraction drops (a sidebar, a sign-up box)
        # leaves the item as it was
        updated = format_datetime(_now())
    st = ep.path.stat()
    return {
        "slug": slug,
        "guid": (old.get("guid", "") if old else "") or identity,
        "title": ep.title,
        "link": link,
        "pub_date": date,
        "updated": updated,
        "content_sha256": content,
        "settings_key": settings_key,
        "summary": first_body,
        "source": ep.source,
        "length_bytes": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "duration_s": int(round(ep.duration_ms / 1000)),
        "duration_ms": ep.duration_ms,
        "sha256": ep.sha256,
        "chapters": [[c.title, c.start_ms] for c in ep.chapters],
        "cues": [[c.start_ms, c.text] for c in ep.cues],
        "synthesised": ep.synthesised,  # sentences the voice made (the rest: the clip cache)
        # the names an editor must check (only with review = "names": 3-10 ms an episode)
        "flagged": flagged_names([x.text for x in ep.sentences], lexicon) if lexicon else [],
    }


def _now():  # type: ignore[no-untyped-def]

    return datetime.now(timezone.utc).replace(microsecond=0)


def _file_date(s: Source) -> str:
    mtime = s.path.stat().st_mtime if s.path else time.time()
    return format_datetime(datetime.fromtimestamp(int(mtime), tz=timezone.utc))


def _description(entry: StateEntry, credit: str = "") -> str:
    parts = [f"<p>{html_text(entry['summary'])}</p>"]
    link = safe_link(entry.get("link", ""))
    if link:
        parts.append(f'<p>Read the article: <a href="{html_text(link)}">{html_text(link)}</a></p>')
    if entry.get("updated"):
        parts.append(
            f"<p>Updated {html_text(entry['updated'])}: the article was edited and this episode "
            "re-recorded.</p>"
        )
    parts.append(f"<p><em>{html_text(AI_DISCLOSURE)}</em></p>")
    if credit:  # what the voice's licence asks to be credited
        parts.append(f"<p>{html_text(credit)}</p>")
    return "".join(parts)


def _publish(cfg: FeedConfig, site: Path, state: State, voice_name: str, credit: str = "") -> None:
    """Cover, feed.xml and index.html, each rewritten only when its bytes change; ``credit``:
    what the voice's licence asks to be credited, in every item's description."""
    cover_name = ""
    if cfg.cover:
        src = cfg.path(cfg.cover)
        cover_name = "cover" + src.suffix.lower()
        _write_if_changed(site / cover_name, read_regular(src, COVER_MAX_BYTES, "cover image"))
    base = cfg.base_url
    items, pages = [], []
    published: list[str] = []
    reviews = latest_reviews(state.db)
    for identity, entry in state.episodes.items():
        slug = entry["slug"]
        if not (site / "episodes" / f"{slug}.mp3").is_file():
            continue
        if waiting(entry, cfg.serve.review, reviews.get(identity)):
            continue  # held for an editor (feed/review.py)
        published.append(slug)
        url = f"{base}episodes/{slug}"
        items.append(
            Item(
                guid=entry["guid"],
                title=entry["title"],
                description_html=_description(entry, credit),
                link=entry.get("link", ""),
                pub_date=entry["pub_date"],
                mp3_url=f"{url}.mp3",
                length_bytes=entry["length_bytes"],
                duration_s=entry["duration_s"],
                transcripts=tuple(
                    (
                        f"{url}{TRANSCRIPT_SUFFIXES[k]}",
                        TRANSCRIPT_TYPES[k],
                        "captions" if k == "vtt" else "",
                    )
                    for k in TRANSCRIPT_FORMATS
                ),
                chapters_url=f"{url}{CHAPTERS_SUFFIX}",
                voice=voice_name,
            )
        )
        pages.append(
            (
                entry,
                PageEpisode(
                    slug,
                    entry["title"],
                    entry["pub_date"],
                    _description(entry, credit),
                    entry["duration_s"],
                    True,
                    tuple((t, ms) for t, ms in entry["chapters"]),
                    tuple((ms, t) for ms, t in entry["cues"]),
                ),
            )
        )

    # The episodes a listener may fetch: ``papercast serve`` serves no other episode's files,
    # so one held for an editor cannot be heard by guessing its URL (serve/files.py).
    _write_if_changed(state.folder / PUBLISHED_FILE, json.dumps(sorted(published)).encode())
    items.sort(key=sort_key)
    order = {it.guid: i for i, it in enumerate(items)}
    pages.sort(key=lambda p: order[p[0]["guid"]])
    listed = items[: cfg.max_items] if cfg.max_items else items  # feed.xml: the newest N
    _write_if_changed(
        site / "feed.xml",
        render_feed(
            cfg,
            listed,
            state.doc["podcast_guid"],
            f"{base}{cover_name}" if cover_name else "",
            voice_name,
        ),
    )
    rendered = render_pages(cfg, [p for _, p in pages], cover_name)
    for number, page in enumerate(rendered, 1):
        _write_if_changed(site / page_name(number), page)
    for stale in site.glob("page-*.html"):  # pages the list no longer fills
        m = re.fullmatch(r"page-(\d+)\.html", stale.name)
        if m and int(m.group(1)) > len(rendered):
            remove_quietly(stale)


def _write_if_changed(path: Path, data: bytes) -> None:
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    write_bytes(path, data)
