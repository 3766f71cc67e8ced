"""Markdown files to an Article: headings are sections, front matter is metadata.

Links are read as their text; images, code blocks, HTML comments and tables are
not read. A small line-based reader is enough here and keeps the dependency list
short: we need structure, not HTML rendering.
"""

from __future__ import annotations

import re
from dataclasses import replace

from papercast.errors import InputError
from papercast.text.article import build_article
from papercast.types import Article, Dropped

_FRONT = re.compile(r"\A---\n(.*?)\n(---|\.\.\.)\n", re.S)
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]+)\]\[[^\]]*\]")  # "[](x)": a badge's
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
_EMPH = re.compile(r"(\*\*|__|\*|_|~~)(?=\S)(.+?)(?<=\S)\1")
_CODE = re.compile(r"`([^`]+)`")
_REFDEF = re.compile(r"^\s*\[[^\]]+\]:\s+\S+")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>")
_LIST = re.compile(r"^\s*([-*+]|\d+[.)])\s+")


def extract_markdown(text: str, source: str) -> Article:
    meta, text = _front_matter(text)
    text = _HTML_COMMENT.sub("", text)
    body: list[tuple[str, str]] = []
    dropped: list[Dropped] = []
    title = meta.get("title", "")
    para: list[str] = []
    fence: str | None = None

    in_item = False  # the paragraph being read is a list's item

    def flush() -> None:
        nonlocal in_item
        in_item = False
        if para:
            body.append(("para", inline(" ".join(para))))  # a link may run over lines
            para.clear()

    for n, raw in enumerate(text.split("\n"), start=1):
        line = raw.rstrip()
        stripped = line.strip()
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            continue
        if stripped.startswith(("```", "~~~")):
            flush()
            fence = stripped[:3]
            dropped.append(Dropped(stripped, "code block", n))
            continue
        if not stripped or re.fullmatch(r"[-*_=]{3,}", stripped) or _REFDEF.match(line):
            flush()
            continue
        if line.startswith(("    ", "\t")) and not para:
            dropped.append(Dropped(stripped, "code block", n))
            continue
        if stripped.startswith("|"):
            flush()
            dropped.append(Dropped(stripped, "table", n))
            continue
        m = _HEADING.match(stripped)
        if m:
            flush()
            heading = inline(m.group(2))
            if len(m.group(1)) == 1 and not title:
                title = heading
            elif len(m.group(1)) == 1 and _same_words(heading, title):
                dropped.append(Dropped(stripped, "headline repeated", n))  # front matter had it
            elif heading:
                body.append(("heading", heading))
            continue
        if _IMAGE.fullmatch(stripped):
            flush()
            dropped.append(Dropped(stripped, "image", n))
            continue
        item = _LIST.match(stripped)
        if (
            item
            and para
            and not in_item
            and item.group(1)[0].isdigit()
            and item.group(1)[:-1] != "1"
        ):
            item = None  # CommonMark: only a list starting at 1 breaks into a paragraph, so
            # "2026) is on the site" is a wrapped line's start, not an item
        if item or stripped.startswith(">"):
            flush()
            in_item = bool(item)
        para.append((_LIST.sub("", stripped) if item else stripped).lstrip("> ").strip())
    flush()
    if not title and body and body[0][0] == "heading":
        title = body.pop(0)[1]
    article = build_article(
        title=title,
        body=[(k, t) for k, t in body if t],
        source=source,
        byline=meta.get("author", ""),
        date=meta.get("date", ""),
        dek=meta.get("description", ""),
        site=meta.get("site", ""),
        dropped=dropped,
        site_from_metadata=True,
    )
    voice, speaker = meta.get("voice", "").strip(), meta.get("speaker", "").strip()
    if "#" in voice + speaker:
        raise InputError(f"{source}: front matter voice or speaker with '#'")
    if voice or speaker:  # the article's own voice and speaker
        article = replace(article, voice=f"{voice}#{speaker}" if speaker else voice)
    return article


def _same_words(a: str, b: str) -> bool:
    return re.findall(r"\w+", a.casefold()) == re.findall(r"\w+", b.casefold())


def inline(text: str) -> str:
    """Markdown inline markup to the words a reader says."""
    text = _IMAGE.sub("", text)
    text = _LINK.sub(lambda m: m.group(1) or m.group(2) or "", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _CODE.sub(r"\1", text)
    text = _TAG.sub("", text)
    for _ in range(2):
        text = _EMPH.sub(r"\2", text)
    return re.sub(r"\s+", " ", text).strip()


def without_front_matter(text: str) -> str:
    return _front_matter(text)[1]


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """YAML-style ``key: value`` front matter (flat keys only; no YAML dependency)."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group(1).split("\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip() and not key.startswith((" ", "-")):
            meta[key.strip().lower()] = value.strip().strip("\"'")
    if "authors" in meta and "author" not in meta:
        meta["author"] = meta["authors"].strip("[]")
    return meta, text[m.end() :]
