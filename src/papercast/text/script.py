"""The script: everything that will be spoken, in order, as Sentences (written and spoken form).

Headline, optional intro line (byline, site, date), dek, then each section's heading and
paragraphs split into sentences; an optional outro. Over-long sentences are cut.
"""

from __future__ import annotations

from dataclasses import replace

from papercast.errors import InputError
from papercast.settings import DateOrder
from papercast.text.extract import extract
from papercast.text.inputs import read_document
from papercast.text.normalize import has_words, normalize_mapped
from papercast.text.segment import split_long, split_sentences
from papercast.types import Article, Role, Sentence


def load_article(path: str, encoding: str | None = None) -> Article:
    return extract(read_document(path, encoding=encoding))


def speech_form_mapped(text: str, date_order: DateOrder = DateOrder.MDY) -> tuple[str, list[int]]:
    """The spoken form of a written sentence, and where in ``text`` each spoken character
    comes from. Headings in capitals are read as words, not letters."""
    if text.isupper() and len(text) > 5:
        text = text.title()  # same length: positions still hold
    return normalize_mapped(text, date_order)


def sentences_of(
    article: Article, intro: bool = False, outro: str = "", date_order: DateOrder = DateOrder.MDY
) -> list[Sentence]:
    """Everything that will be spoken, in order, each with its written and spoken form and
    the map between them (``date_order``: how numeric dates are read)."""
    out: list[Sentence] = []
    if article.script:  # the input said sentence by sentence what to read (SSML)
        out = list(article.script)
        paragraph = max(s.paragraph for s in out) + 1
        for text in split_sentences(outro) if outro else []:
            spoken, origin = speech_form_mapped(text, date_order)
            out.append(Sentence(text, spoken, -1, paragraph, Role.OUTRO, False, tuple(origin)))
        return out

    def add(text: str, section: int, paragraph: int, role: str, last: bool) -> None:
        for piece in split_long(text):
            spoken, origin = speech_form_mapped(piece, date_order)
            if has_words(spoken):
                out.append(Sentence(piece, spoken, section, paragraph, role, False, tuple(origin)))
        if out and last:
            out[-1] = _last(out[-1])

    add(article.title, -1, -1, Role.TITLE, True)
    if intro:
        bits = [f"By {article.byline}" if article.byline else "", article.site, article.date]
        line = ", ".join(b for b in bits if b)
        if line:
            add(line + ".", -1, -1, Role.INTRO, True)
    if article.dek:
        for s in split_sentences(article.dek):
            add(s, -1, -1, Role.INTRO, False)
        if out:
            out[-1] = _last(out[-1])
    paragraph = 0
    for i, section in enumerate(article.sections):
        if section.heading:
            add(section.heading, i, paragraph, Role.HEADING, True)
        for para in section.paragraphs:
            sents = split_sentences(para)
            for j, s in enumerate(sents):
                add(s, i, paragraph, Role.BODY, j == len(sents) - 1)
            paragraph += 1
    if outro:
        for s in split_sentences(outro):
            add(s, -1, paragraph, Role.OUTRO, False)
    if not any(s.role == Role.BODY for s in out):
        raise InputError(f"{article.source}: no speakable text (only symbols or punctuation)")
    return out


def _last(s: Sentence) -> Sentence:
    return replace(s, last_in_paragraph=True)
