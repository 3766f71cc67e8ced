"""A feed folder's ``papercast.toml``: the show, its voice, its sources; each setting checked
with a message that says what to write instead."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from papercast.errors import PapercastError
from papercast.fetch import Policy, networks
from papercast.files import COVER_MAX_BYTES, read_regular, toml_document, write_text
from papercast.images import image_info
from papercast.markup import web_url
from papercast.settings import EpisodeSettings, from_toml, suggest, table_keys
from papercast.voice.profiles import voice_spec

if sys.version_info >= (3, 11):
    pass
else:  # pragma: no cover
    pass

CONFIG_NAME = "papercast.toml"

# Apple Podcasts categories and their subcategories (Apple's list for podcast RSS feeds).
APPLE_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts", "Visual Arts"),
    "Business": (
        "Careers",
        "Entrepreneurship",
        "Investing",
        "Management",
        "Marketing",
        "Non-Profit",
    ),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": (
        "Alternative Health",
        "Fitness",
        "Medicine",
        "Mental Health",
        "Nutrition",
        "Sexuality",
    ),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals", "Stories for Kids"),
    "Leisure": (
        "Animation & Manga",
        "Automotive",
        "Aviation",
        "Crafts",
        "Games",
        "Hobbies",
        "Home & Garden",
        "Video Games",
    ),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": (
        "Business News",
        "Daily News",
        "Entertainment News",
        "News Commentary",
        "Politics",
        "Sports News",
        "Tech News",
    ),
    "Religion & Spirituality": (
        "Buddhism",
        "Christianity",
        "Hinduism",
        "Islam",
        "Judaism",
        "Religion",
        "Spirituality",
    ),
    "Science": (
        "Astronomy",
        "Chemistry",
        "Earth Sciences",
        "Life Sciences",
        "Mathematics",
        "Natural Sciences",
        "Nature",
        "Physics",
        "Social Sciences",
    ),
    "Society & Culture": (
        "Documentary",
        "Personal Journals",
        "Philosophy",
        "Places & Travel",
        "Relationships",
    ),
    "Sports": (
        "Baseball",
        "Basketball",
        "Cricket",
        "Fantasy Sports",
        "Football",
        "Golf",
        "Hockey",
        "Rugby",
        "Running",
        "Soccer",
        "Swimming",
        "Tennis",
        "Volleyball",
        "Wilderness",
        "Wrestling",
    ),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews", "TV Reviews"),
}
FREQUENCIES = {
    "hourly": "FREQ=HOURLY",
    "daily": "FREQ=DAILY",
    "weekly": "FREQ=WEEKLY",
    "monthly": "FREQ=MONTHLY",
}


@dataclass(frozen=True)
class ServeConfig:
    """[serve]: how ``papercast serve`` runs this folder (its flags and the environment win)."""

    host: str = "127.0.0.1"
    port: int = 8080
    poll_minutes: float = 15.0
    max_queue: int = 1000
    token: str = ""  # PAPERCAST_TOKEN wins
    webhook_secret: str = ""  # PAPERCAST_WEBHOOK_SECRET wins
    review: str = "none"  # none | names (hold episodes with unchecked names) | all


REVIEW = ("none", "names", "all")
FEED_LEXICON = "lexicon.toml"  # the feed's own lexicon (the studio writes it), read last


@dataclass(frozen=True)
class FeedConfig:
    folder: Path
    title: str
    description: str
    author: str
    base_url: str  # where the site will be served, ending in "/"
    language: str = "en"
    category: str = "News"
    subcategory: str = "Daily News"
    explicit: bool = False
    licence: str = ""
    private: bool = False
    link: str = ""  # the show's web page (default: base_url)
    owner_email: str = ""
    update_frequency: str = "daily"
    daily_digest: bool = False  # also one episode per day joining that day's articles
    max_items: int = 0  # feed.xml lists the newest N episodes (0: all); the site keeps all
    page_size: int = 50  # episodes per page of index.html (page-2.html ... hold the rest)
    episode: EpisodeSettings = EpisodeSettings()  # [voice] and [show] cover, paths resolved
    # sources
    feeds: tuple[str, ...] = ()  # RSS/Atom files or URLs of articles
    opml: tuple[str, ...] = ()  # OPML lists of such feeds
    keep_removed: bool = False  # keep episodes whose article left the sources
    fetch_policy: Policy = (
        Policy()
    )  # [sources] allow_networks, timeout_s, deadline_s, max_fetch_bytes
    serve: ServeConfig = ServeConfig()
    # [sources] voices: a voice of its own for a feed (as written in feeds or opml) or for
    # "articles" (the folder): "VOICE", "VOICE#SPEAKER" or "#SPEAKER"
    source_voices: dict[str, str] = field(default_factory=dict, compare=False)
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def cover(self) -> str:
        return self.episode.cover or ""

    @property
    def articles_dir(self) -> Path:
        return self.folder / "articles"

    def path(self, value: str) -> Path:
        p = Path(value)
        return p if p.is_absolute() else self.folder / p

    @property
    def feed_url(self) -> str:
        return self.base_url + "feed.xml"


TEMPLATE = """# papercast feed settings. Every path is relative to this folder.
# Build with:  papercast feed build {folder}   (the site goes to {folder}/site unless --out says)

[show]
title = "{title}"
description = "Articles read aloud by papercast."
author = "Your newsroom"
owner_email = ""                 # shown to directories (itunes:owner), optional
language = "en"                  # ISO 639 code, e.g. en, en-GB, de
category = "News"                # an Apple Podcasts category ...
subcategory = "Daily News"       # ... and one of its subcategories (or "")
explicit = false
cover = ""                       # square JPEG/PNG, 1400-3000 px, RGB, no alpha: "cover.jpg"
base_url = "https://example.com/podcast/"   # where the site will be served (http or https)
link = ""                        # the show's web page (default: base_url)
licence = ""                     # e.g. "CC BY 4.0" (podcast:license)
private = false                  # true: directories should not list it (itunes:block, locked)
update_frequency = "daily"       # hourly, daily, weekly or monthly
daily_digest = false             # also one episode per day joining its articles (one chapter each)
max_items = 0                    # feed.xml lists the newest N episodes (0: all; the site keeps all)
page_size = 50                   # episodes per page of index.html (1 to 1000)

[voice]
voice = "joe"                    # papercast voices lists them; or a path to a Piper .onnx
lexicons = []                    # pronunciation lexicons (TOML or PLS) beside the shipped one
target_lufs = -16.0              # integrated loudness, LUFS (-30 to -5)
ceiling_dbtp = -1.0              # true-peak ceiling, dBTP (-9 to 0)
bitrate_kbps = 64                # MP3 bitrate
rate = 100                       # speaking rate, percent of the voice's own pace (25 to 400)
date_order = "mdy"               # numeric dates (10/06/2025): "mdy" (en-US) or "dmy" (day first)
intro = false                    # read byline, site and date after the headline
outro = ""                       # a closing line read after each article
intro_music = ""
outro_music = ""
bed = ""

[sources]
# Files in articles/ (.txt, .html, .md) are always read. Add RSS or Atom feeds of articles
# (files or http(s) URLs) and OPML lists of them:
feeds = []
opml = []
keep_removed = false             # keep episodes whose article is no longer in the sources
allow_networks = []              # non-public networks papercast may fetch from, e.g. ["10.0.0.0/8"]
timeout_s = 20                   # per read of a fetch (1 to 300)
deadline_s = 30                  # for a whole fetch, redirects included (1 to 600)
max_fetch_bytes = 8388608        # largest page or feed fetched (1 KB to 100 MB)
voices = {{}}                      # a voice of its own for a feed (as written above) or "articles":
                                 # {{ "https://example.com/opinion.xml" = "en_GB-alba-medium" }}

[serve]
# papercast serve {folder}: its flags and the environment win over these
host = "127.0.0.1"               # loopback; any other address needs a token
port = 8080
poll_minutes = 15                # how often the feeds above are read
max_queue = 1000                 # submissions waiting before the API answers 429
token = ""                       # 16+ characters, or PAPERCAST_TOKEN (keep this file private)
webhook_secret = ""              # HMAC key of POST /api/hooks/publish, or PAPERCAST_WEBHOOK_SECRET
review = "none"                  # "names": an episode with unchecked names waits for an editor;
                                 # "all": every episode does; "none": published at once
"""


def init_folder(folder: Path, title: str = "My papercast") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / CONFIG_NAME
    if target.exists():
        raise PapercastError(f"{target}: already exists; edit it, or init another folder")
    write_text(target, TEMPLATE.format(folder=folder, title=title.replace('"', "'")))
    (folder / "articles").mkdir(exist_ok=True)
    return target


def load_config(folder: Path) -> FeedConfig:
    path = folder / CONFIG_NAME
    if not path.exists():
        raise PapercastError(f"{path}: not found; make one with: papercast feed init {folder}")
    try:
        text = read_regular(path, 1024 * 1024, "feed settings").decode("utf-8")
    except UnicodeDecodeError as e:
        raise PapercastError(f"{path}: cannot read: {e}") from e
    data = toml_document(text, path)
    show, voice, sources, served = (data.get(k, {}) for k in ("show", "voice", "sources", "serve"))
    tables = (("show", show), ("voice", voice), ("sources", sources), ("serve", served))
    for name, table in tables:
        if not isinstance(table, dict):
            raise PapercastError(f"{path}: [{name}] must be a table")
    known = {"show", "voice", "sources", "serve"}
    if set(data) - known:
        raise PapercastError(f"{path}: unknown section(s) {', '.join(sorted(set(data) - known))}")
    for name, table in tables:
        allowed = [*TABLE_KEYS[name], *table_keys(name)]
        for key in table:
            if key not in allowed:
                raise PapercastError(
                    f"{path}: [{name}] {key}: not a setting{suggest(key, allowed)}"
                )

    def get(table: dict[str, Any], section: str, key: str, kind: type, default: Any) -> Any:
        value = table.get(key, default)
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind):
            raise PapercastError(
                f"{path}: [{section}] {key} must be {kind.__name__}, not {value!r}"
            )
        return value

    def strings(table: dict[str, Any], section: str, key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise PapercastError(f"{path}: [{section}] {key} must be a list of strings")
        return tuple(value)

    base_url = get(show, "show", "base_url", str, "")
    cfg = FeedConfig(
        folder=folder,
        title=get(show, "show", "title", str, "").strip(),
        description=get(show, "show", "description", str, "").strip(),
        author=get(show, "show", "author", str, "").strip(),
        base_url=base_url if base_url.endswith("/") else base_url + "/",
        language=get(show, "show", "language", str, "en"),
        category=get(show, "show", "category", str, "News"),
        subcategory=get(show, "show", "subcategory", str, ""),
        explicit=get(show, "show", "explicit", bool, False),
        licence=get(show, "show", "licence", str, ""),
        private=get(show, "show", "private", bool, False),
        link=get(show, "show", "link", str, ""),
        owner_email=get(show, "show", "owner_email", str, ""),
        update_frequency=get(show, "show", "update_frequency", str, "daily"),
        daily_digest=get(show, "show", "daily_digest", bool, False),
        max_items=_count(show, "max_items", 0, 0, 1_000_000, path),
        page_size=_count(show, "page_size", 50, 1, 1000, path),
        episode=_with_own_lexicon(from_toml({"show": show, "voice": voice}, path, folder), folder),
        feeds=strings(sources, "sources", "feeds"),
        opml=strings(sources, "sources", "opml"),
        keep_removed=get(sources, "sources", "keep_removed", bool, False),
        fetch_policy=_policy(sources, path),
        serve=_serve(served, path),
    )
    cfg = replace(cfg, source_voices=_source_voices(sources, path, cfg.episode.voice))
    validate(cfg, path)
    return cfg


def _source_voices(sources: dict[str, Any], path: Path, default: str | None) -> dict[str, str]:
    """[sources] voices, each checked (the voice known, the speaker one of its speakers)."""
    table = sources.get("voices", {})
    if not isinstance(table, dict):
        raise PapercastError(f'{path}: [sources] voices must be a table ({{ "URL" = "VOICE" }})')
    out = {}
    for key, value in table.items():
        if not isinstance(value, str) or not value.strip():
            raise PapercastError(f"{path}: [sources] voices {key!r} must be a voice name")
        voice, _, speaker = value.strip().partition("#")
        try:
            out[key] = voice_spec(voice, speaker, default)
        except PapercastError as e:
            raise PapercastError(f"{path}: [sources] voices {key!r} = {value!r}: {e}") from None
    return out


def _count(table: dict[str, Any], key: str, default: int, low: int, high: int, path: Path) -> int:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise PapercastError(
            f"{path}: [show] {key} = {str(value)[:40]}: must be a whole number from {low} to {high}"
        )
    return value


def _with_own_lexicon(episode: EpisodeSettings, folder: Path) -> EpisodeSettings:
    """The feed folder's lexicon.toml, when there is one, after [voice] lexicons (it wins)."""
    own = folder / FEED_LEXICON
    if not own.is_file() or any(Path(p) == own for p in episode.lexicons):
        return episode
    return replace(episode, lexicons=(*episode.lexicons, str(own)))


def _serve(table: dict[str, Any], path: Path) -> ServeConfig:
    """[serve], each value checked (a bad one is named with its table and key)."""

    def text(key: str, default: str) -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            raise PapercastError(f"{path}: [serve] {key} must be a string")
        return value

    def number(key: str, default: float, low: float, high: float, whole: bool) -> float:
        value = table.get(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, int if whole else (int, float))
            or not low <= value <= high
        ):
            kind = "a whole number" if whole else "a number"
            raise PapercastError(
                f"{path}: [serve] {key} = {str(value)[:40]}: must be {kind} from {low:g} to "
                f"{high:g}"
            )
        return value

    review = text("review", "none")
    if review not in REVIEW:
        raise PapercastError(
            f"{path}: [serve] review = {review[:40]!r}: must be one of {', '.join(REVIEW)}"
        )
    token = text("token", "")
    if token and len(token) < 16:
        raise PapercastError(f"{path}: [serve] token: at least 16 characters")
    return ServeConfig(
        host=text("host", "127.0.0.1") or "127.0.0.1",
        port=int(number("port", 8080, 0, 65535, whole=True)),
        poll_minutes=float(number("poll_minutes", 15, 0.1, 10080, whole=False)),
        max_queue=int(number("max_queue", 1000, 1, 1_000_000, whole=True)),
        token=token,
        webhook_secret=text("webhook_secret", ""),
        review=review,
    )


def _policy(sources: dict[str, Any], path: Path) -> Policy:
    """[sources]' fetching settings, each checked with a range before use."""

    def number(key: str, default: float, low: float, high: float) -> float:
        value = sources.get(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not (low <= value <= high)
        ):
            raise PapercastError(
                f"{path}: [sources] {key} = {str(value)[:40]}: must be a number from {low:g} to "
                f"{high:g}"
            )
        return float(value)

    allowed = sources.get("allow_networks", [])
    if not isinstance(allowed, list) or not all(isinstance(a, str) for a in allowed):
        raise PapercastError(f"{path}: [sources] allow_networks must be a list of strings")
    return Policy(
        allow_networks=networks(allowed, f"{path}: [sources] allow_networks: "),
        timeout_s=number("timeout_s", 20, 1, 300),
        deadline_s=number("deadline_s", 30, 1, 600),
        max_bytes=int(number("max_fetch_bytes", 8 * 1024 * 1024, 1024, 100 * 1024 * 1024)),
    )


# The keys of each table that are the feed's own (the episode settings' keys come from
# papercast.settings).
TABLE_KEYS = {
    "show": (
        "title",
        "description",
        "author",
        "base_url",
        "language",
        "category",
        "subcategory",
        "explicit",
        "licence",
        "private",
        "link",
        "owner_email",
        "update_frequency",
        "daily_digest",
        "max_items",
        "page_size",
    ),
    "voice": (),
    "sources": (
        "feeds",
        "opml",
        "keep_removed",
        "allow_networks",
        "timeout_s",
        "deadline_s",
        "max_fetch_bytes",
        "voices",
    ),
    "serve": (
        "host",
        "port",
        "poll_minutes",
        "max_queue",
        "token",
        "webhook_secret",
        "review",
    ),
}


def validate(cfg: FeedConfig, path: Path) -> None:
    for key in ("title", "description", "author"):
        if not getattr(cfg, key):
            raise PapercastError(f"{path}: [show] {key} is empty; podcast directories require it")
    if web_url(cfg.base_url) is None:
        raise PapercastError(
            f"{path}: [show] base_url {cfg.base_url!r} must be an http(s) URL such as "
            "https://example.com/podcast/"
        )
    if cfg.link and web_url(cfg.link) is None:
        raise PapercastError(f"{path}: [show] link {cfg.link!r} must be an http(s) URL")
    if cfg.category not in APPLE_CATEGORIES:
        raise PapercastError(
            f"{path}: [show] category {cfg.category!r} is not an Apple Podcasts category "
            f"(one of: {', '.join(APPLE_CATEGORIES)})"
        )
    subs = APPLE_CATEGORIES[cfg.category]
    if cfg.subcategory and cfg.subcategory not in subs:
        choice = ", ".join(subs) if subs else "none: leave it empty"
        raise PapercastError(
            f"{path}: [show] subcategory {cfg.subcategory!r} is not under {cfg.category!r} "
            f"(one of: {choice})"
        )
    if not re.fullmatch(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*", cfg.language):
        raise PapercastError(
            f"{path}: [show] language {cfg.language!r} must be a language code such as en or en-GB"
        )
    if cfg.update_frequency not in FREQUENCIES:
        raise PapercastError(
            f"{path}: [show] update_frequency must be one of {', '.join(FREQUENCIES)}"
        )
    if cfg.cover:
        check_cover(cfg.path(cfg.cover))
    for key in ("intro_music", "outro_music", "bed"):
        value = getattr(cfg.episode, key)
        if value and not Path(value).is_file():
            raise PapercastError(f"{path}: [voice] {key} {value!r}: no such file")
    for lex in cfg.episode.lexicons:
        if not Path(lex).is_file():
            raise PapercastError(f"{path}: [voice] lexicons {lex!r}: no such file")


def check_cover(path: Path) -> tuple[int, int, str]:
    """Apple's cover rules: JPEG or PNG, square, 1400-3000 px, RGB, no alpha, extension matching."""

    data = read_regular(path, COVER_MAX_BYTES, "cover image")
    info = image_info(data, str(path))
    if info.alpha:
        raise PapercastError(
            f"{path}: cover image has an alpha channel; Apple requires RGB without transparency"
        )
    if not info.rgb:
        raise PapercastError(
            f"{path}: cover image must be RGB (this one is grey, CMYK or paletted)"
        )
    ext = path.suffix.lower()
    if ext not in ({"png": (".png",), "jpeg": (".jpg", ".jpeg")}[info.kind]):
        raise PapercastError(
            f"{path}: cover image is a {info.kind.upper()} but its name ends in {ext or 'nothing'}"
        )
    if info.width != info.height or not 1400 <= info.width <= 3000:
        raise PapercastError(
            f"{path}: cover image is {info.width}x{info.height}; Apple requires a square from "
            "1400 to 3000 pixels"
        )
    return info.width, info.height, info.kind
