"""text/markdown.py: Markdown to an Article, markup to the words a reader says."""

from __future__ import annotations

import pytest

from papercast.text.markdown import extract_markdown, inline


@pytest.mark.parametrize(
    ("markdown", "said"),
    [
        ("**Bold** and *italic* and _under_", "Bold and italic and under"),
        ("a [link text](https://example.com/x) here", "a link text here"),
        ("see <https://example.com/x>", "see https://example.com/x"),
        ("an ![photo of the quay](quay.jpg) image", "an image"),
        ("the `papercast` command", "the papercast command"),
        ("a <span class='x'>tag</span>", "a tag"),
        ("***both*** at once", "both at once"),
        ("spaced   out\twords", "spaced out words"),
    ],
)
def test_inline_markup_becomes_words(markdown: str, said: str) -> None:
    assert inline(markdown) == said


STORY = """---
title: "Ferry timetable changes"
author: Ana Ruiz
date: 2026-03-02
site: Harbour Weekly
---

# Ferry timetable changes

The morning ferry will leave at seven from next week, the operator said on Monday.

## What changes

The evening crossing moves half an hour later. A [new bus link](https://example.com) meets it.

```
code that must not be read
```

    an indented code block

| a | table |
|---|-------|

<!-- an HTML comment -->
Tickets bought before the change stay valid.
"""


def test_front_matter_headings_and_paragraphs() -> None:
    a = extract_markdown(STORY, "story.md")
    assert (a.title, a.byline, a.date, a.site) == (
        "Ferry timetable changes",
        "Ana Ruiz",
        "2026-03-02",
        "Harbour Weekly",
    )
    assert a.site_from_metadata
    assert [s.heading for s in a.sections] == ["", "What changes"]
    assert a.sections[0].paragraphs == (
        "The morning ferry will leave at seven from next week, the operator said on Monday.",
    )
    spoken = " ".join(a.sections[1].paragraphs)
    assert (
        "A new bus link meets it." in spoken
        and "Tickets bought before the change stay valid." in spoken
    )


def test_code_tables_and_comments_are_not_read() -> None:
    a = extract_markdown(STORY, "story.md")
    text = " ".join(p for s in a.sections for p in s.paragraphs)
    for never in ("code that must not be read", "indented code block", "| a |", "HTML comment"):
        assert never not in text
    reasons = {d.text: d.reason for d in a.dropped}
    assert (
        reasons.get("```") == "code block" and reasons.get("an indented code block") == "code block"
    )


def test_a_first_heading_that_repeats_the_front_matter_title_is_not_read_twice() -> None:
    a = extract_markdown(STORY, "story.md")
    assert {d.text: d.reason for d in a.dropped}["# Ferry timetable changes"] == "headline repeated"
    other = extract_markdown(
        "---\ntitle: Ferry news\n---\n# A different opening\n\nThe ferry left.\n", "x.md"
    )
    assert [s.heading for s in other.sections] == ["A different opening"]


def test_without_front_matter_the_first_heading_is_the_title() -> None:
    a = extract_markdown("# Night buses return\n\nThe night buses return on Friday.\n", "x.md")
    assert a.title == "Night buses return" and a.sections[0].paragraphs == (
        "The night buses return on Friday.",
    )
