"""Sentence segmentation: golden rules, news cases, run-on splitting, one clip per sentence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import run_cli
from papercast.text.normalize import normalize
from papercast.text.segment import MAX_SENTENCE_CHARS, split_long, split_sentences
from papercast.voice.phonemize import phonemize_sentence


def test_golden_rules_at_least_47(eval_dir: Path) -> None:
    cases = json.loads((eval_dir / "sbd-golden-en.json").read_text(encoding="utf-8"))["cases"]
    failures = [c["id"] for c in cases if split_sentences(c["text"]) != c["sentences"]]
    assert len(cases) - len(failures) >= 47, failures


# Cases of the same classes as the golden rules, written for news text (not in the eval file).
CASES = [
    (
        "The U.S. Embassy said Mr. Coale met Dr. Smith at 5 p.m. on Saturday.",
        ["The U.S. Embassy said Mr. Coale met Dr. Smith at 5 p.m. on Saturday."],
    ),
    (
        "Sanctions came from the U.S. They were lifted in May.",
        ["Sanctions came from the U.S.", "They were lifted in May."],
    ),
    (
        "He is thankful to the U.S.A. and Trump for their efforts.",
        ["He is thankful to the U.S.A. and Trump for their efforts."],
    ),
    (
        "Talks opened in Washington, D.C. The envoy left on Nov. 26 for Minsk.",
        ["Talks opened in Washington, D.C.", "The envoy left on Nov. 26 for Minsk."],
    ),
    (
        "Output rose 3.5 per cent. Prices fell $1.20 a tonne.",
        ["Output rose 3.5 per cent.", "Prices fell $1.20 a tonne."],
    ),
    (
        "Write to news@example.com. Or visit www.example.org/tips today.",
        ["Write to news@example.com.", "Or visit www.example.org/tips today."],
    ),
    (
        "J. R. R. Tolkien wrote it. Gen. Petraeus read it.",
        ["J. R. R. Tolkien wrote it.", "Gen. Petraeus read it."],
    ),
    (
        "By 9 a.m. Ms. Khomich had called. She left at 6 p.m. Mr. Coale stayed.",
        ["By 9 a.m. Ms. Khomich had called.", "She left at 6 p.m.", "Mr. Coale stayed."],
    ),
    ("“Is it over?” she asked. “No!” he said.", ["“Is it over?” she asked.", "“No!” he said."]),
    ("It was late… but the vote came anyway.", ["It was late… but the vote came anyway."]),
    ("What now?! Nobody knew.", ["What now?!", "Nobody knew."]),
    (
        "Acme Corp. It was founded in 1990 by St. John's alumni.",
        ["Acme Corp.", "It was founded in 1990 by St. John's alumni."],
    ),
    ("See No. 10 and p. 4 (approx. 300 words).", ["See No. 10 and p. 4 (approx. 300 words)."]),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_news_cases(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_run_on_paragraph_is_cut_under_the_cap() -> None:
    words = (
        "the committee met again and the members argued about the budget while the chair waited "
        "for the clerk to read the minutes aloud and nobody agreed on anything at all "
    ).split()
    text = " ".join(words * 170)  # about 5,000 words, no punctuation
    pieces = split_long(text)
    assert len(text.split()) > 4900
    assert all(len(p) <= MAX_SENTENCE_CHARS for p in pieces)
    assert " ".join(pieces).split() == text.split()  # nothing lost or reordered


def test_long_sentence_prefers_clause_boundaries() -> None:
    s = (
        "The council approved the plan; "
        + "the developer promised jobs for local people, " * 8
        + "and the opposition said it would appeal the decision in the courts."
    )
    pieces = split_long(s, max_chars=200)
    assert pieces[0] == "The council approved the plan;"
    assert all(len(p) <= 200 for p in pieces)


def test_piper_gets_one_sentence_without_inner_breaks() -> None:
    text = "The U.S. Embassy said Mr. Coale met Dr. Smith at 5 p.m. on Saturday."
    sentences = split_sentences(text)
    assert len(sentences) == 1
    phonemes = phonemize_sentence(normalize(sentences[0]))
    assert phonemes.endswith(".")
    assert not any(mark in phonemes[:-1] for mark in ".!?")


def test_sentences_command_prints_one_per_line() -> None:
    r = run_cli(
        "sentences",
        "-",
        stdin=b"Mr. Smith went to Washington, D.C. He met the U.S. Senate.\n\nNew para!",
    )
    assert r.code == 0
    assert r.out.splitlines() == [
        "Mr. Smith went to Washington, D.C.",
        "He met the U.S. Senate.",
        "New para!",
    ]
