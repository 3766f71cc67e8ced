"""text/htmlpage.py: an HTML page to an Article (trafilatura, then our rules), and deep markup."""

from __future__ import annotations

from conftest import quickest
from papercast.text.htmlpage import _page_tree, _picture_notes, extract_html, flatten_deep

PARAGRAPHS = [
    "The council approved the harbour wall plan on Tuesday evening, ending a debate that has "
    "lasted three years and divided the town's residents.",
    "The wall will be built in two stages, starting in May, and is expected to cost 4.2 million "
    "pounds, the council's treasurer said after the vote.",
    "Work on the first stage will close the promenade for six weeks, and the lifeboat station "
    "will move to the north quay while it lasts.",
]

PAGE = f"""<!doctype html><html><head><title>Harbour wall plan approved | Harbour Weekly</title>
<meta property="og:site_name" content="Harbour Weekly"></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Harbour wall plan approved after three-year debate</h1>
<p class="byline">By Ana Ruiz</p>
<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]}</p>
<h2>What happens next</h2><p>{PARAGRAPHS[2]}</p>
</article>
<aside><h3>Related stories</h3><ul><li><a href="/a">Tide tables for March</a></li></ul></aside>
<footer>Copyright 2026 Harbour Weekly. All rights reserved.</footer></body></html>"""


def test_headline_site_story_and_subhead() -> None:
    a = extract_html(PAGE, "page.html")
    assert a.title == "Harbour wall plan approved after three-year debate"  # the visible h1
    assert a.site == "Harbour Weekly" and a.site_from_metadata
    text = [p for s in a.sections for p in s.paragraphs]
    assert text == PARAGRAPHS
    assert [s.heading for s in a.sections] == ["", "What happens next"]
    spoken = " ".join(text)
    for chrome in ("Home", "Related stories", "Tide tables", "Copyright"):
        assert chrome not in spoken


def test_markup_deeper_than_the_parser_allows_keeps_its_text() -> None:
    deep = "<div>" * 3000 + f"<p>{PARAGRAPHS[0]}</p>" + "</div>" * 3000
    flat = flatten_deep(f"<html><body>{deep}</body></html>")
    assert flat.count("<div") < 600 and PARAGRAPHS[0] in flat
    shallow = f"<html><body><p>{PARAGRAPHS[1]}</p></body></html>"
    assert flatten_deep(shallow) == shallow  # nothing to do: returned as it was


def test_a_story_trafilatura_counts_as_a_copy_of_itself_is_still_read() -> None:
    """trafilatura's document-level duplicate test counts the body against the segments the
    same call has already counted; when its fallback passes read one short block several times
    the page is discarded as a copy of itself. Nothing else is in the cache, so it cannot be a
    copy: the page is read again without that test."""
    story = (
        "The Harbour Works Cost Guide lists the newest tenders and the dates the town council "
        "has set for the new quay."
    )
    page = (
        "<html><head><title>Harbour works run late</title></head><body><div id='content'> "
        "<div class='article'> <span><strong><a href='/guide'>Harbour Works Cost Guide</a>"
        "</strong> lists the newest <a href='/t'>tenders</a> and the dates the town council has "
        "set for the new quay.</span> </div> </div></body></html>"
    )
    assert extract_html(page, "page.html").text.endswith(story.removeprefix("The "))


def _with_picture_in_first_paragraph(picture: str, first: str) -> str:
    return PAGE.replace(f"<p>{PARAGRAPHS[0]}</p>", f"<p><strong>{picture}{first}</strong></p>")


def test_a_picture_s_credit_glued_to_the_first_sentence_is_not_read() -> None:
    """A picture set inside the first paragraph's element, its credit marked by class: the
    credit is not read and the sentence it was glued to is read whole, from the start."""
    picture = (
        '<span class="image-container"><img src="quay.jpg" alt="">'
        '<span class="photo-source">Tom Rendell/Harbour Weekly</span>'
        '<span class="caption">The north quay at high tide.</span></span>'
    )
    a = extract_html(_with_picture_in_first_paragraph(picture, PARAGRAPHS[0]), "page.html")
    text = [p for s in a.sections for p in s.paragraphs]
    assert text == PARAGRAPHS, text


def test_a_sentence_that_begins_with_a_caption_s_words_keeps_them() -> None:
    """A caption that is a name, and a first sentence that begins with that name and a space:
    the sentence is read as written."""
    first = "Tidewater is the harbour town's first company to open a second office this year."
    picture = (
        '<figure><img src="logo.png" alt="">'
        '<figcaption class="wp-caption-text">Tidewater</figcaption></figure>'
    )
    a = extract_html(_with_picture_in_first_paragraph(picture, first), "page.html")
    text = [p for s in a.sections for p in s.paragraphs]
    assert text[0] == first, text


def test_a_page_of_many_marked_captions_is_read_in_linear_time() -> None:
    """Thousands of elements marked as credits with no picture near them (the page's one
    picture far below): looking for each one's picture takes time in the page's size, not in
    its square (measured against a page of the same length with no such marks, in the same
    process); none of them is a picture's credit."""

    def page(mark: str) -> str:
        cells = f'<span class="{mark}">Tom Rendell</span>' * 20000
        picture = '<div><div><div><div><div><img src="q.jpg" alt=""></div></div></div></div></div>'
        return f"<html><body><div><div>{cells}</div></div>{picture}</body></html>"

    marked, plain = _page_tree(page("photo-credit")), _page_tree(page("name"))
    assert _picture_notes(marked) == set()
    assert quickest(lambda: _picture_notes(marked)) < 25 * quickest(lambda: _picture_notes(plain))
