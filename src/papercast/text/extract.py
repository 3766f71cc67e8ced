"""The extract stage: an input document to an Article (title, sections, dropped)."""

from __future__ import annotations

from papercast.errors import NoArticleError
from papercast.text.article import build_article
from papercast.text.inputs import Document
from papercast.text.markdown import extract_markdown, without_front_matter
from papercast.text.mdpage import is_saved_page, page_lines
from papercast.text.ssml import parse_ssml
from papercast.text.textpage import extract_text_page
from papercast.types import Article


def extract(doc: Document) -> Article:
    """Find the story in ``doc`` and return it as an Article.

    Raises NoArticleError when nothing that could be read aloud is left.
    """
    if doc.kind == "html":
        from papercast.text.htmlpage import extract_html

        article = extract_html(doc.text, doc.source)
    elif doc.kind == "markdown":
        if is_saved_page(doc.text):  # a whole page converted, menus and all: cleaned
            article = _from_text(page_lines(without_front_matter(doc.text)), doc.source)
        else:
            article = extract_markdown(doc.text, doc.source)
    elif doc.kind == "ssml":
        article = parse_ssml(doc.text, doc.source)
    else:
        article = _from_text(doc.text, doc.source)
    if not any(s.paragraphs for s in article.sections):
        raise NoArticleError(doc.source)
    return article


def _from_text(text: str, source: str) -> Article:
    page = extract_text_page(text)
    return build_article(
        title=page.title,
        body=page.body,
        source=source,
        dek=page.dek,
        byline=page.byline,
        date=page.date,
        site=page.site,
        dropped=page.dropped,
    )
