"""The script: everything that will be spoken, in order, as Sentences (written and spoken form).

Headline, optional intro line (byline, site, date), dek, then each section's heading and
paragraphs split into sentences; an optional outro. Over-long sentences are cut.
"""

from __future__ import annotations

import re
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
    if article.voice:  # the article's own voice (front matter)
        out = [replace(s, voice=article.voice) if not s.voice else s for s in out]
    return out


# --- quotations read by a second voice --------------------------------------------------------

QUOTE_TURN_MS = 150  # between the narrator and the quote voice inside one sentence
MIN_QUOTE_WORDS = 3  # shorter quotations are scare quotes or titles, read by the narrator
_QUOTE_SPAN = re.compile(r"“[^“”]*(?:”|$)|\"[^\"]*(?:\"|$)")
_AFTER_QUOTE = re.compile(r"[,.;:!?…]*")


def with_quotations(
    sentences: list[Sentence], voice: str, date_order: DateOrder = DateOrder.MDY
) -> list[Sentence]:
    """The body's quotations (“…” and "..." pairs of at least three words, across sentences of
    a paragraph; a quotation left open runs to the paragraph's end, as a quotation that goes
    on into the next paragraph is written) read by ``voice``, the rest by the narrator. A
    sentence with both is cut at the quotation marks into parts read one after another,
    QUOTE_TURN_MS apart."""
    out: list[Sentence] = []
    i = 0
    while i < len(sentences):
        j = i
        while j < len(sentences) and _same_paragraph(sentences[i], sentences[j]):
            j += 1
        if sentences[i].role != Role.BODY:
            out.extend(sentences[i:j])
        else:
            out.extend(_quoted_paragraph(sentences[i:j], voice, date_order))
        i = max(j, i + 1)
    return out


def _same_paragraph(a: Sentence, b: Sentence) -> bool:
    return (a.role, a.section, a.paragraph) == (b.role, b.section, b.paragraph)


def _quoted_paragraph(
    paragraph: list[Sentence], voice: str, date_order: DateOrder
) -> list[Sentence]:
    text, starts = "", []
    for s in paragraph:
        starts.append(len(text) + (1 if text else 0))
        text += (" " if text else "") + s.text
    spans = []
    for m in _QUOTE_SPAN.finditer(text):
        end = m.end() + len(_AFTER_QUOTE.match(text, m.end()).group(0))  # type: ignore[union-attr]
        if len(re.findall(r"\w+", m.group(0))) >= MIN_QUOTE_WORDS:
            spans.append((m.start(), end))
    if not spans:
        return paragraph
    out: list[Sentence] = []
    for s, start in zip(paragraph, starts, strict=True):
        end = start + len(s.text)
        cuts = sorted({start, end, *(c for a, b in spans for c in (a, b) if start < c < end)})
        parts = []
        for a, b in zip(cuts, cuts[1:]):
            piece = text[a:b].strip()
            quoted = any(qa <= a < qb for qa, qb in spans)
            spoken, origin = speech_form_mapped(piece, date_order)
            if piece and has_words(spoken):
                parts.append(
                    replace(
                        s,
                        text=piece,
                        spoken=spoken,
                        origin=tuple(origin),
                        voice=voice if quoted else s.voice,
                        last_in_paragraph=False,
                    )  # fmt: skip
                )
        if len(parts) == 1 and parts[0].text == s.text:
            parts = [replace(s, voice=parts[0].voice)]
        for k, part in enumerate(parts):
            last = k == len(parts) - 1
            out.append(
                replace(
                    part,
                    pause_ms=s.pause_ms if last else QUOTE_TURN_MS,
                    last_in_paragraph=s.last_in_paragraph and last,
                )  # fmt: skip
            )
    return out


def _last(s: Sentence) -> Sentence:
    return replace(s, last_in_paragraph=True)
