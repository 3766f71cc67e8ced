"""audio/readalong.py: the read-along page's structure, read back with an HTML parser (the
browser test in test_timings.py plays it)."""

from __future__ import annotations

import json

from lxml import html as lxml_html

from papercast.audio.readalong import page
from papercast.types import Chapter, Role, Sentence, Timeline, Word

SENTENCES = [
    Sentence("Storm <closes> the quay", "Storm closes the quay", -1, -1, Role.TITLE, True),
    Sentence("The quay closed at noon.", "The quay closed at noon.", 0, 0, Role.BODY, False),
    Sentence("Boats stayed in.", "Boats stayed in.", 0, 0, Role.BODY, True),
    Sentence("What next", "What next", 1, 1, Role.HEADING, True),
    Sentence("It reopens Monday.", "It reopens Monday.", 1, 1, Role.BODY, True),
]


def _timeline(timed_by: str = "voice") -> Timeline:
    words, t = [], 500.0
    for i, s in enumerate(SENTENCES):
        for w in s.text.split():
            words.append(Word(w, t, t + 300, i))
            t += 350
    chapters = (Chapter("Storm closes the quay", 0, 4000), Chapter("What next", 4000, t))
    return Timeline((), chapters, t, 0.0, t, tuple(words), timed_by)


def test_every_word_is_a_timed_span_in_order() -> None:
    doc = lxml_html.fromstring(page("Storm <closes> the quay", "ep.mp3", SENTENCES, _timeline()))
    spans = doc.xpath("//span[@class='w']")
    words = [w for s in SENTENCES for w in s.text.split()]
    assert [s.text_content() for s in spans] == words
    starts = [float(s.get("data-s")) for s in spans]
    assert starts == sorted(starts) and starts[0] == 0.5
    assert all(float(s.get("data-e")) > float(s.get("data-s")) for s in spans)


def test_structure_headline_paragraphs_headings_chapters_and_player() -> None:
    doc = lxml_html.fromstring(
        page(
            "Storm <closes> the quay",
            "ep 1.mp3",
            SENTENCES,
            _timeline(),
            "By Ana Ruiz",
            "2 March 2026",
            "en",
        )
    )
    assert doc.get("lang") == "en"
    assert doc.xpath("string(//h1)").strip() == "Storm <closes> the quay"  # escaped, not markup
    paragraphs = [p.text_content() for p in doc.xpath("//main/p")]
    assert paragraphs == ["The quay closed at noon. Boats stayed in.", "It reopens Monday."]
    assert [h.text_content() for h in doc.xpath("//main/h3")] == ["What next"]
    assert [a.text_content() for a in doc.xpath("//nav//a")] == [
        "Storm closes the quay",
        "What next",
    ]
    assert [a.get("href") for a in doc.xpath("//nav//a")] == ["#t=0.000", "#t=4.000"]
    assert doc.xpath("//audio/@src") == ["ep 1.mp3"]
    assert all(
        s.get("tabindex") == "0" for s in doc.xpath("//span[@class='s']")
    )  # keyboard reachable
    assert "By Ana Ruiz · 2 March 2026" in doc.text_content()


def test_estimated_timings_are_said_on_the_page() -> None:
    estimated = lxml_html.fromstring(page("T", "ep.mp3", SENTENCES, _timeline("estimate")))
    assert "Word timings are estimated" in estimated.text_content()
    assert json.loads(estimated.xpath("string(//script[@id='timing'])")) == {"timed_by": "estimate"}
    voiced = lxml_html.fromstring(page("T", "ep.mp3", SENTENCES, _timeline()))
    assert "estimated" not in voiced.text_content()
