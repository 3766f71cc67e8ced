"""The extract stage: an input document to an Article (title, sections, dropped)."""

from __future__ import annotations

from pathlib import Path

from .errors import NoArticleError
from .inputs import Document
from .types import Article, Dropped, Section


def extract(doc: Document) -> Article:
    """Find the story in ``doc`` and return it as an Article.

    Raises NoArticleError when nothing that could be read aloud is left.
    """
    if doc.kind == "html":
        from .htmlpage import extract_html

        article = extract_html(doc.text, doc.source)
    elif doc.kind == "markdown":
        from .markdown import extract_markdown

        article = extract_markdown(doc.text, doc.source)
    else:
        article = _from_text(doc.text, doc.source)
    if not any(s.paragraphs for s in article.sections):
        raise NoArticleError(doc.source)
    return article


def _from_text(text: str, source: str) -> Article:
    from .textpage import extract_text_page

    page = extract_text_page(text)
    return build_article(
        title=page.title, body=page.body, source=source, dek=page.dek, byline=page.byline,
        date=page.date, site=page.site, dropped=page.dropped,
    )


def build_article(
    *, title: str, body: list[tuple[str, str]], source: str, dek: str = "", byline: str = "",
    date: str = "", site: str = "", dropped: list[Dropped] | tuple[Dropped, ...] = (),
) -> Article:
    """Group ("heading"|"para", text) items into sections; the lead section has no heading."""
    sections: list[Section] = []
    heading, paras = "", []  # type: str, list[str]
    for kind, text in body:
        if kind == "heading":
            if paras or heading:
                sections.append(Section(heading, tuple(paras)))
            heading, paras = text, []
        else:
            paras.append(text)
    if paras or heading:
        sections.append(Section(heading, tuple(paras)))
    sections = [s for s in sections if s.paragraphs]
    if not title:
        title = _title_from_source(source)
    return Article(title=title, sections=tuple(sections), source=source, dek=dek, byline=byline,
                   date=date, site=site, dropped=tuple(dropped))


def _title_from_source(source: str) -> str:
    stem = Path(source).stem if source != "<stdin>" else ""
    return stem.replace("-", " ").replace("_", " ").strip().capitalize() or "Untitled article"
