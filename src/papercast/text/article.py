"""Grouping extracted blocks into an Article: shared by the text, HTML and Markdown readers
(kept below them, so none of them needs the extract stage that calls it)."""

from __future__ import annotations

from pathlib import Path

from papercast.text.chrome import without_edit_link
from papercast.types import Article, Dropped, Section


def build_article(
    *,
    title: str,
    body: list[tuple[str, str]],
    source: str,
    dek: str = "",
    byline: str = "",
    date: str = "",
    site: str = "",
    dropped: list[Dropped] | tuple[Dropped, ...] = (),
    site_from_metadata: bool = False,
) -> Article:
    """Group ("heading"|"para", text) items into sections; the lead section has no heading."""
    sections: list[Section] = []
    heading, paras = "", []  # type: str, list[str]
    for kind, text in body:
        if kind == "heading":
            if paras or heading:
                sections.append(Section(heading, tuple(paras)))
            heading, paras = without_edit_link(text), []
        else:
            paras.append(text)
    if paras or heading:
        sections.append(Section(heading, tuple(paras)))
    empty = [
        Dropped(s.heading, "heading with no text under it") for s in sections if not s.paragraphs
    ]
    sections = [s for s in sections if s.paragraphs]
    if not title:
        title = _title_from_source(source)
    return Article(
        title=title,
        sections=tuple(sections),
        source=source,
        dek=dek,
        byline=byline,
        date=date,
        site=site,
        dropped=(*dropped, *empty),
        site_from_metadata=site_from_metadata and bool(site),
    )


def _title_from_source(source: str) -> str:
    stem = Path(source).stem if source != "<stdin>" else ""
    return stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Untitled article"
