"""Normalisation to spoken English, as a table: written form -> what a newsreader says."""

from __future__ import annotations

import pytest

from papercast.text.normalize import has_words, normalize
from papercast.text.numbers import cardinal, ordinal, year

TABLE = [
    # cardinals and separators
    ("put the number at 1,227 on the eve", "put the number at one thousand two hundred twenty-seven on the eve"),
    ("freed 123 prisoners", "freed one hundred twenty-three prisoners"),
    ("up to 1,300 or 1,400 prisoners", "up to one thousand three hundred or one thousand four hundred prisoners"),
    ("about 160,000 homes", "about one hundred sixty thousand homes"),
    ("shipped 196,400 tonnes", "shipped one hundred ninety-six thousand four hundred tonnes"),
    ("a 9.5-kilometre wall", "a nine point five-kilometre wall"),
    ("0 votes", "zero votes"),
    ("2,000,000 people", "two million people"),
    ("-5 degrees", "minus five degrees"),
    # years and decades
    ("the 2022 Nobel Peace Prize", "the twenty twenty-two Nobel Peace Prize"),
    ("in jail since 2021", "in jail since twenty twenty-one"),
    ("protests in 2020", "protests in twenty twenty"),
    ("founded in 1905", "founded in nineteen oh five"),
    ("built in 1900", "built in nineteen hundred"),
    ("since 2005", "since two thousand five"),
    ("in the 1990s", "in the nineteen nineties"),
    ("in the 1950s", "in the nineteen fifties"),
    ("the 2010s", "the twenty tens"),
    # ordinals
    ("the 5th floor", "the fifth floor"),
    ("her 21st birthday", "her twenty-first birthday"),
    ("the 19th-century room", "the nineteenth-century room"),
    ("the 3rd time", "the third time"),
    ("the 102nd session", "the one hundred second session"),
    # money
    ("She has $49.95.", "She has forty-nine dollars and ninety-five cents."),
    ("It cost $1.", "It cost one dollar."),
    ("US$1.2 billion", "one point two billion US dollars"),
    ("€300", "three hundred euros"),
    ("£5m", "five million pounds"),
    ("a £420 million lagoon", "a four hundred twenty million pounds lagoon"),
    ("$9,845 a tonne", "nine thousand eight hundred forty-five dollars a tonne"),
    ("¥40,000", "forty thousand yen"),
    ("$0.50", "zero dollars and fifty cents"),
    # percentages
    ("rose 8.2%", "rose eight point two percent"),
    ("40% of the jobs", "forty percent of the jobs"),
    ("21.9 per cent", "twenty-one point nine percent"),
    # times
    ("at 5 p.m. on Saturday", "at five P M on Saturday"),
    ("at 10 a.m.", "at ten A M"),
    ("at 5:30 p.m.", "at five thirty P M"),
    ("at 9:05 am", "at nine oh five A M"),
    ("at 8:00", "at eight o'clock"),
    ("at 17:30", "at seventeen thirty"),
    ("at 20:00", "at twenty hundred hours"),
    # dates
    ("since July 2021", "since July twenty twenty-one"),
    ("on Nov. 26", "on November twenty-sixth"),
    ("on Feb. 21 and", "on February twenty-first and"),
    ("26 November 2026", "the twenty-sixth of November, twenty twenty-six"),
    ("March 3, 2026", "March third, twenty twenty-six"),
    ("Sept. 1", "September first"),
    # ranges and fractions
    ("from 2020–2022", "from twenty twenty to twenty twenty-two"),
    ("the 2011-12 season", "the twenty eleven to twenty twelve season"),
    ("5–10 people", "five to ten people"),
    ("1/2 of them", "one half of them"),
    ("3/4 of voters", "three quarters of voters"),
    ("2/3 of seats", "two thirds of seats"),
    # phone-like numbers, digit by digit
    ("call 555-0199", "call five five five, oh one nine nine"),
    ("call (202) 555-0123", "call two oh two, five five five, oh one two three"),
    # titles and abbreviations
    ("Mr. Coale met Dr. Smith", "Mister Coale met Doctor Smith"),
    ("Mrs. Khomich and Ms. Babaryka", "Missus Khomich and Miz Babaryka"),
    ("St. Michael's Church on 5th St. near", "Saint Michael's Church on fifth Street near"),
    ("Mt. Fuji", "Mount Fuji"),
    ("No. 10", "number ten"),
    ("France vs. Spain", "France versus Spain"),
    ("fruit, e.g. apples", "fruit, for example apples"),
    ("the capital, i.e. Minsk", "the capital, that is Minsk"),
    ("approx. 300 words", "approximately three hundred words"),
    ("Gov. Newsom", "Governor Newsom"),
    # initialisms and acronyms
    ("The U.S. Embassy", "The US Embassy"),
    ("thankful to the U.S.A. and", "thankful to the USA and"),
    ("the E.U. said", "the EU said"),
    ("NATO allies", "Nato allies"),
    ("the EU and UN", "the EU and UN"),
    # addresses
    ("mail jane.doe@example.com", "mail jane dot doe at example dot com"),
    ("see example.com today", "see example dot com today"),
    ("at https://www.example.org/news/today", "at example dot org"),
    # symbols and pauses
    ("Pitt, Briggs & Co.", "Pitt, Briggs and Company"),
    ("at 24°C", "at twenty-four degrees Celsius"),
    ("and/or", "and or"),
    ("a degree — an effort", "a degree, an effort"),
    ("he said... then left", "he said, then left"),
    ("wait… what", "wait, what"),
]


@pytest.mark.parametrize(("written", "spoken"), TABLE)
def test_normalize_table(written: str, spoken: str) -> None:
    assert normalize(written) == spoken


def test_table_is_large_enough() -> None:
    assert len(TABLE) >= 60


def test_no_sentence_final_periods_left_inside() -> None:
    s = normalize("The U.S. Embassy said Mr. Coale met Dr. Smith at 5 p.m. on Saturday.")
    assert "." not in s[:-1]


@pytest.mark.parametrize(("n", "words"), [(7, "seven"), (40, "forty"), (99, "ninety-nine"), (1001, "one thousand one"),
                                          (10**9 + 5, "one billion five")])
def test_cardinal(n: int, words: str) -> None:
    assert cardinal(n) == words


@pytest.mark.parametrize(("n", "words"), [(1, "first"), (2, "second"), (12, "twelfth"), (20, "twentieth"), (33, "thirty-third")])
def test_ordinal(n: int, words: str) -> None:
    assert ordinal(n) == words


def test_year_and_has_words() -> None:
    assert year(1999) == "nineteen ninety-nine"
    assert not has_words(normalize("*** ### ---"))
    assert has_words(normalize("5"))
