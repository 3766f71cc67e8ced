"""text/markdown.py: Markdown to an Article, markup to the words a reader says."""

from __future__ import annotations

import pytest

from conftest import quickest
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


# A web page as html2text and its kin save it: the site's menus as lists of links, the story
# wrapped at 78 columns (a link's words and its address broken over lines), a box of related
# links, the footer.
NAV = "\n".join(f"  * [{w}](/{w.lower()} \"visit the {w} section\")"
                for w in ("News", "Sport", "Weather", "Business", "Culture", "Travel"))  # fmt: skip
SAVED_PAGE = f"""[Coast Times](/)

{NAV}

[Sign in](/account)

# Harbour board approves new sea wall for the north quay

By [Ana Ruiz](/people/ana-ruiz) | 2 March 2026

![The north quay at high tide](https://img.example/quay.jpg)

The harbour board voted on Tuesday to build a new sea wall along the north quay,
ending two years of debate about [how to protect the
homes](https://coast.example/flood-
defences-2026) behind it.

## What happens next

Engineers will start work in May. The wall will be four metres high and will
run for most of a kilometre, from the ferry slip to the old lifeboat station.

| Stage | Starts |
|---|---|
| North arm | May 2026 |
| South arm | March 2027 |

The cost, about twelve million pounds, will be shared by the council and the
national flood agency, which [confirmed its share](https://coast.example/agency/
funding-
2026 "The agency's statement") on Monday evening.

## Related stories

  * [Ferry timetable changes for the winter](/ferry)
  * [Lifeboat crew rescue two kayakers](/lifeboat)
  * [Council sets this year's harbour fees](/fees)

{NAV}

© Coast Times 2026. All rights reserved.
"""


def test_a_web_page_saved_as_markdown_is_read_as_the_page_it_was() -> None:
    """Menus, the related box and the footer are not read; the story is, whole, its links
    read as their words (one broken over two lines, its address too), its table row by
    row."""
    from papercast.text.extract import extract
    from papercast.text.inputs import Document

    a = extract(Document(SAVED_PAGE, "saved.md", "markdown"))
    said = a.text
    assert a.title == "Harbour board approves new sea wall for the north quay"
    assert "about how to protect the homes behind it." in said, said
    assert "Engineers will start work in May." in said, said
    assert "which confirmed its share on Monday evening." in said, said  # an address broken twice
    assert "What happens next" in said and "South arm" in said, said
    for chrome in (
        "Sign in",
        "Weather",
        "visit the",
        "Lifeboat crew",
        "All rights",
        "flood-",
        "statement",
    ):
        assert chrome not in said, (chrome, said)


def test_a_link_in_a_saved_page_s_heading_with_its_title_on_the_next_line_is_read() -> None:
    """A converter wraps a long link at its width wherever it falls: in a heading, between
    the address and its title ("## [What happens next](/next\\n"Read on")"). A heading is
    one line in CommonMark, so the link's markup and its title were read out. The heading is
    read as the link's words; its title is not read."""
    from papercast.text.extract import extract
    from papercast.text.inputs import Document

    page = SAVED_PAGE.replace(
        "## What happens next",
        '## [What happens next](/plans/sea-wall-2026/next-steps-for-the-north-quay\n"Read what'
        ' the board plans next")',
    )
    a = extract(Document(page, "saved.md", "markdown"))
    assert "What happens next" in [s.heading for s in a.sections], a.text
    assert "](" not in a.text and "Read what" not in a.text and "/plans" not in a.text, a.text


def test_a_saved_page_with_a_small_menu_is_read_as_the_page_it_was() -> None:
    """A small site's converted page has a short menu (five links), not a news site's dozens:
    still a saved page, its menu, footer and contact line not read."""
    from papercast.text.extract import extract
    from papercast.text.inputs import Document

    paragraphs = [
        "The harbour board voted on Tuesday to build a new sea wall along the north quay, "
        "ending two years of debate about how to protect the homes behind it.",
        "Engineers will start work in May. The wall will be four metres high and will run for "
        "most of a kilometre, from the ferry slip to the old lifeboat station.",
        "The cost, about twelve million pounds, will be shared by the council and the national "
        "flood agency. Work should finish before the winter of the year after next.",
    ]
    menu = "\n".join(f"  * [{w}](/{w.lower()})" for w in ("Blog", "Talks", "Projects", "About"))
    page = (
        f"# Tide Notes\n\n{menu}\n\n# Harbour board approves a new sea wall\n\n"
        + "\n\n".join(paragraphs)
        + "\n\n[Contact](/contact)\n\n(C) 2026 Tide Notes\n\nann@tidenotes.example\n"
    )
    said = extract(Document(page, "saved.md", "markdown")).text
    assert all(p in said for p in paragraphs), said
    for chrome in ("Talks", "Projects", "Contact", "(C) 2026", "ann@tidenotes"):
        assert chrome not in said, (chrome, said)


def test_two_lists_a_converter_wrote_one_under_the_other_stay_two_lists() -> None:
    """A converter writes two lists one under the other with a blank line between them
    (the story's last list, then the page's details). CommonMark makes one loose list of
    them. The line between them is kept, as a text browser prints it, so the story's list
    ends where the page's details begin."""
    from papercast.text.extract import extract
    from papercast.text.inputs import Document
    from papercast.text.mdpage import page_lines

    ending = (
        "So the board has summed up what the town gets for its money in a few lines:\n\n"
        "  * the wall keeps out a one-in-two-hundred-year surge\n"
        "  * the quay stays open to boats through the works\n\n"
        "  * Author: Ann Lee\n  * Published: 3 December 2026\n\n"
    )
    lines = page_lines(ending).split("\n")
    k = lines.index("• the quay stays open to boats through the works")
    assert lines[k + 1 : k + 3] == ["", "• Author: Ann Lee"], lines
    page = SAVED_PAGE.replace("## Related stories", ending + "## Related stories")
    said = extract(Document(page, "saved.md", "markdown")).text.split("\n")
    assert "the quay stays open to boats through the works" in said, said
    assert not any("Ann Lee" in x for x in said), said


def test_an_article_written_in_markdown_is_read_as_written() -> None:
    """An article with a few links, however many lines it has, is no saved page: every
    paragraph and heading is read as the writer put it, short ones too."""
    from papercast.text.extract import extract
    from papercast.text.inputs import Document
    from papercast.text.mdpage import is_saved_page

    links = "\n".join(f"- [Source {k}](https://example.com/{k})" for k in range(1, 5))
    written = STORY + "\n\nYes.\n\n## Sources\n\n" + links + "\n"
    assert not is_saved_page(written) and is_saved_page(SAVED_PAGE)
    said = extract(Document(written, "story.md", "markdown")).text
    assert "Yes." in said and "Source 3" in said, said


def test_an_address_broken_over_thousands_of_lines_is_joined_in_linear_time() -> None:
    """Hostile input: a link's address broken over 32,000 lines was joined one break a pass
    (time in the square of the length). Timed against a saved page of the same length in
    the same process, so the measure is the work per line, not how fast this machine is:
    under 25 times the page (it was some 50 times; now under one)."""
    from papercast.text.mdpage import page_lines

    hostile = "[the plan](" + "x\n" * 32000 + ")\n"
    page = (SAVED_PAGE * (len(hostile) // len(SAVED_PAGE) + 1))[: len(hostile)]
    assert quickest(lambda: page_lines(hostile)) < 25 * quickest(lambda: page_lines(page))
    assert page_lines(hostile).strip() == "the plan"


def test_a_written_article_s_badges_and_links_over_two_lines_are_read_as_words() -> None:
    """Markdown someone wrote has a README's badge (a picture inside a link: "[![Build
    status](badge.svg)](ci)") and links whose words and address run over two lines, as an
    editor wraps them. Neither is read as markup: the badge is not read, and the link is
    read as its words, even when the wrapped line starts with a number and a bracket
    ("2026) is on ..."), which only a list starting at 1 could mean there."""
    written = (
        "# Tide tables\n\n"
        "[![Build status](https://ci.example/badge.svg)](https://ci.example/job) The harbour "
        "office publishes its tide tables every Monday.\n\n"
        "A [summary of the\nreadings](https://tides.example/summary-\n2026) is on the office's "
        'site, with [the full\ntables](https://tides.example/full "Full tables").\n\n'
        "To read them:\n1. open the summary\n2. pick your quay\n"
    )
    said = extract_markdown(written, "tides.md").text
    assert said.endswith("To read them:\nopen the summary\npick your quay"), said  # a list at 1
    assert "The harbour office publishes its tide tables every Monday." in said, said
    assert "A summary of the readings is on the office's site, with the full tables." in said
    for markup in ("](", "[", "badge", "https"):
        assert markup not in said, (markup, said)
