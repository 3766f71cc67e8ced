"""Normalisation to spoken English, as a table: written form -> what a newsreader says."""

from __future__ import annotations

import pytest

from conftest import quickest
from papercast.settings import DateOrder
from papercast.text.normalize import has_words, normalize
from papercast.text.numbers import cardinal, ordinal, year

TABLE = [
    # cardinals and separators
    (
        "put the number at 1,227 on the eve",
        "put the number at one thousand two hundred twenty-seven on the eve",
    ),
    ("freed 123 prisoners", "freed one hundred twenty-three prisoners"),
    (
        "up to 1,300 or 1,400 prisoners",
        "up to one thousand three hundred or one thousand four hundred prisoners",
    ),
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
    ("$0.50", "fifty cents"),
    # percentages
    ("rose 8.2%", "rose eight point two percent"),
    ("40% of the jobs", "forty percent of the jobs"),
    ("21.9 per cent", "twenty-one point nine percent"),
    # times
    ("at 5 p.m. on Saturday", "at five P.M on Saturday"),
    ("at 10 a.m.", "at ten A.M"),
    ("at 5:30 p.m.", "at five thirty P.M"),
    ("at 9:05 am", "at nine oh five A.M"),
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
    ("the 2011-12 season", "the twenty eleven to twelve season"),
    ("5–10 people", "five to ten people"),
    ("1/2 of them", "one half of them"),
    ("3/4 of voters", "three quarters of voters"),
    ("2/3 of seats", "two thirds of seats"),
    # phone-like numbers, digit by digit
    ("call 555-0199", "call five five five, oh one nine nine"),
    ("call (202) 555-0123", "call two oh two, five five five, oh one two three"),
    # titles and abbreviations
    ("Mr. Coale met Dr. Smith", "Mister Coale met Doctor Smith"),
    ("Mrs. Khomich and Ms. Babaryka", "Misses Khomich and Miz Babaryka"),
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
    # a dateline without an agency: the place said as a name, in any cased script
    ("SÃO PAULO — Rain fell.", "São Paulo, Rain fell."),
    ("WEST PALM BEACH — The family", "West Palm Beach, The family"),
    ("PRZEMYŚL – Trains ran late", "Przemyśl, Trains ran late"),
    ("FBI — agents said", "FBI, agents said"),  # a short word in capitals may be an acronym
]


@pytest.mark.parametrize(("written", "spoken"), TABLE)
def test_normalize_table(written: str, spoken: str) -> None:
    assert normalize(written) == spoken


def test_table_is_large_enough() -> None:
    assert len(TABLE) >= 60


def test_no_sentence_final_periods_left_inside() -> None:
    from papercast.voice.phonemize import phonemize_sentence

    s = normalize("The U.S. Embassy said Mr. Coale met Dr. Smith at 5 p.m. on Saturday.")
    assert "." not in s[:-1].replace(
        "P.M", ""
    )  # "P.M" (no final period) is read as letters, not an end
    phonemes = phonemize_sentence(s)
    assert "." not in phonemes[:-1] and "pˌiːʲˈɛm" in phonemes  # one clause; the letters P M


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (7, "seven"),
        (40, "forty"),
        (99, "ninety-nine"),
        (1001, "one thousand one"),
        (10**9 + 5, "one billion five"),
    ],
)
def test_cardinal(n: int, words: str) -> None:
    assert cardinal(n) == words


@pytest.mark.parametrize(
    ("n", "words"),
    [(1, "first"), (2, "second"), (12, "twelfth"), (20, "twentieth"), (33, "thirty-third")],
)
def test_ordinal(n: int, words: str) -> None:
    assert ordinal(n) == words


def test_year_and_has_words() -> None:
    assert year(1999) == "nineteen ninety-nine"
    assert not has_words(normalize("*** ### ---"))
    assert has_words(normalize("5"))


# Round 2 (issue 13): one table per rule, written form -> what a newsreader says.
TIMES = [
    ("at 9am", "at nine A.M"),
    ("at 9 a.m. today", "at nine A.M today"),
    ("9.30pm", "nine thirty P.M"),
    ("9:30 A.M.", "nine thirty A.M"),
    ("open 9am-5pm daily", "open nine A.M to five P.M daily"),
    ("4:00 am - 8:12 pm", "four A.M to eight twelve P.M"),
    ("at 1:59 p.m. EST", "at one fifty-nine P.M E.S.T"),
    ("11:30 GMT", "eleven thirty G.M.T"),
    ("at 20:00hrs", "at twenty hundred hours"),
    ("won in 2:05:09", "won in two hours five minutes and nine seconds"),
]
MEASURES = [
    ("120 km/h", "one hundred twenty kilometers per hour"),
    ("a 60 mph limit", "a sixty miles per hour limit"),
    ("12kg", "twelve kilograms"),
    ("1 kg", "one kilogram"),
    ("12KG", "twelve kilograms"),
    ("4 1/2 lbs", "four and a half pounds"),
    ("1°C", "one degree Celsius"),
    ("-3°F", "minus three degrees Fahrenheit"),
    ("5 mm of rain", "five millimeters of rain"),
    ("100 Mbps", "one hundred megabits per second"),
    ("2 GB", "two gigabytes"),
    ("30 kWh", "thirty kilowatt hours"),
    ("2-5lb", "two to five pounds"),
    ("12kg/kg", "twelve kilograms per kilogram"),
    ("an 80TB drive", "an eighty-terabyte drive"),
    ("5 in the morning", "five in the morning"),
    ("3 m people", "three m people"),
    ("a 100 m sprint", "a one hundred m sprint"),
    ("ran 100 m.", "ran one hundred meters."),
    ("2x8 m2", "two by eight square meters"),
    ("4.4x", "four point four x"),
]
MONEY = [
    ("$0.02", "two cents"),
    ("$.01", "one cent"),
    ("$20.506", "twenty point five zero six dollars"),
    ("$1.50", "one dollar and fifty cents"),
    ("£1.20", "one pound and twenty pence"),
    ("¥30B", "thirty billion yen"),
    ("₩460 billion", "four hundred sixty billion won"),
    ("€2bn", "two billion euros"),
    ("$5m", "five million dollars"),
    ("$3tn", "three trillion dollars"),
    ("$10k", "ten thousand dollars"),
    ("$250-$300", "two hundred fifty dollars to three hundred dollars"),
    # a shell's prompt before a command is not a dollar, and not said
    ("$ tides export", "tides export"),
    ("% make install", "make install"),
    ("$ 5 million", "five million dollars"),
    ("$5-10 million", "five to ten million dollars"),
    ("$20/mo", "twenty dollars per month"),
    ("$0.5/hr", "fifty cents per hour"),
    ("-$5", "minus five dollars"),
    ("50p", "fifty pence"),
    ("1080p video", "one thousand eighty p video"),
]
SIGNS = [
    ("-0.1", "minus zero point one"),
    (".1665", "point one six six five"),
    ("fell -2.5%", "fell minus two point five percent"),
    ("5-10%", "five to ten percent"),
    ("004", "zero zero four"),
    ("30 000 people", "thirty thousand people"),
]
DATES = [
    ("2006-08-05", "August fifth, two thousand six"),
    ("on 10/06/2005", "on October sixth, two thousand five"),
    ("15.01.2020", "the fifteenth of January, twenty twenty"),
    ("11/17/05", "November seventeenth, oh five"),
    ("2016/07/03", "July third, twenty sixteen"),
    ("on the 26th May", "on the twenty-sixth of May"),
    ("july 25 2012", "July twenty-fifth, twenty twelve"),
    ("SEPT. 15", "September fifteenth"),
    ("Jan-15-2020", "January fifteenth, twenty twenty"),
    ("the 1980s", "the nineteen eighties"),
    ("the 2024-25 season", "the twenty twenty-four to twenty-five season"),
    ("1960-1980", "nineteen sixty to nineteen eighty"),
    ("1960s-80s", "nineteen sixties to eighties"),
    ("the '80s", "the eighties"),
    ("9/11 attacks", "nine eleven attacks"),
    ("in 2Q22", "in the second quarter of twenty-two"),
    ("340 A.D", "three forty A.D"),
    ("you may 5 more", "you may five more"),
]
SCORES = [
    ("won 3-1", "won three to one"),
    ("a 52-48 vote", "a fifty-two to forty-eight vote"),
    ("pp. 12-14", "pages twelve to fourteen"),
    ("Nos. 3-5", "numbers three to five"),
    ("COVID-19", "Covid-nineteen"),
]
ROMAN = [
    ("King Charles III", "King Charles the third"),
    ("World War II", "World War two"),
    ("Super Bowl LVIII", "Super Bowl fifty-eight"),
    ("Pope Leo XIV", "Pope Leo the fourteenth"),
    ("Sam and I", "Sam and I"),
    ("Malcolm X", "Malcolm X"),
    ("Acme LLC", "Acme LLC"),
    ("But I’ve", "But I’ve"),
]
ABBREVIATIONS = [
    ("Baker St.", "Baker Street"),
    ("at St. Mary's", "at Saint Mary's"),
    ("From St. Thomas With", "From Saint Thomas With"),
    ("No. 5", "number five"),
    ("said No.", "said No."),
    ("Sen. Warren", "Senator Warren"),
    ("Sec. 230", "Section two hundred thirty"),
    ("Sec. Blinken", "Secretary Blinken"),
    ("Mt. Everest", "Mount Everest"),
    ("Ft. Worth", "Fort Worth"),
    ("Gen. Milley", "General Milley"),
    ("Rep. Ocasio-Cortez", "Representative Ocasio-Cortez"),
]
ADDRESSES = [
    (
        "2788 San Tomas Expy, Santa Clara, CA 95051",
        "twenty-seven eighty-eight San Tomas Expressway, Santa Clara, California nine five zero "
        "five one",
    ),
    ("708 N 1st St, San Jose", "seven oh eight North first Street, San Jose"),
    ("123 Laguna Ct", "one twenty-three Laguna Court"),
    ("Basic Books, New York, NY.", "Basic Books, New York, New York."),
    ("call 555-0199", "call five five five, oh one nine nine"),
    ("ssn 111-11-1111", "ssn one one one, one one, one one one one"),
    ("IP 10.0.0.1", "IP one zero dot zero dot zero dot one"),
    ("+1 202-555-0123", "plus one, two oh two, five five five, oh one two three"),
    ("a 401(k) plan", "a four oh one k plan"),
]
NOTE_MARKS = [
    # a note's mark against the word or full stop before it is not read; after a space it is
    ("built in 1961.[4]", "built in nineteen sixty-one."),
    ("the gauge[a][12] rose", "the gauge rose"),
    ("it was rebuilt [citation needed].", "it was rebuilt."),
    ("see table [2]", "see table two"),
    # an editor's mark in a quotation is not said either
    ('"their [sic] report was late," he wrote', '"their report was late," he wrote'),
    ("the goverment (sic) said", "the goverment said"),
    ("a basic rule [SIC!] now", "a basic rule now"),
]
FRACTIONS = [
    ("1/4th", "one quarter"),
    ("2 1/2 years", "two and a half years"),
    ("3 2/4", "three and two quarters"),
    ("1/3RD", "one third"),
    ("22/3", "twenty-two thirds"),
]


@pytest.mark.parametrize(
    ("written", "spoken"),
    TIMES
    + MEASURES
    + MONEY
    + SIGNS
    + DATES
    + SCORES
    + ROMAN
    + ABBREVIATIONS
    + ADDRESSES
    + NOTE_MARKS
    + FRACTIONS,
)
def test_round_two_tables(written: str, spoken: str) -> None:
    assert normalize(written) == spoken


def test_numeric_dates_follow_the_date_order_setting() -> None:
    assert normalize("on 05/06/2024") == "on May sixth, twenty twenty-four"
    assert normalize("on 05/06/2024", DateOrder.DMY) == "on the fifth of June, twenty twenty-four"
    assert (
        normalize("on 25/06/2024") == "on the twenty-fifth of June, twenty twenty-four"
    )  # 25 cannot be a month


def test_time_letters_reach_piper_as_letters() -> None:
    from papercast.voice.phonemize import phonemize_sentence

    phonemes = phonemize_sentence(normalize("The vote closes at 9:30 a.m. on Friday."))
    assert "ˌeɪˈɛm" in phonemes and "ɐ ˈɛm" not in phonemes  # "A M" was read "uh em"


def test_nemo_cases_news_at_least_90_percent_and_all_at_least_80(eval_dir) -> None:  # type: ignore[no-untyped-def]
    """Issue 13's floor on NVIDIA NeMo's English cases, scored by espeak phonemes
    (benchmarks/normalization.py)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "benchmarks" / "normalization.py"
    spec = importlib.util.spec_from_file_location("nemo_scoring", path)
    assert spec and spec.loader
    scoring = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scoring)
    news = everything = news_n = all_n = 0
    for category, written, accepted in scoring.cases(eval_dir / "nemo-tn-en"):
        ok = scoring.right(normalize(written), accepted)
        everything += ok
        all_n += 1
        if category in scoring.NEWS:
            news += ok
            news_n += 1
    assert news_n >= 260 and all_n >= 560
    assert news >= 0.90 * news_n, f"news categories {news}/{news_n}"
    assert everything >= 0.80 * all_n, f"all categories {everything}/{all_n}"
    # and the scorer can fail: espeak reading the written text scores far lower
    plain = sum(
        scoring.right(w, a)
        for c, w, a in scoring.cases(eval_dir / "nemo-tn-en")
        if c in scoring.NEWS
    )
    assert plain < 0.5 * news_n


@pytest.mark.parametrize(
    "text",
    [
        "1" * 20000,
        "$" + "9" * 20000,
        "1" * 9000 + "th",
        "1-" * 8000,
        "a-" * 20000 + "@b.com",
        "www." + "a." * 5000,
        "St. " * 5000,
        ", CA " * 5000,
        "1 " * 10000,
        "The board voted" + " " * 30000 + "on Tuesday — to build" + " " * 30000 + "a wall.",
        "It rose" + "\n" * 20000 + "... and fell.",
    ],
)
def test_long_or_repetitive_input_is_fast_and_never_crashes(text: str) -> None:
    """Hostile input: a 20,000-digit number once raised (int() refuses over 4,300 digits), and
    unbounded e-mail and domain patterns scanned long tokens quadratically (29 s for 40 KB,
    hundreds of times what prose of that length takes), and a run of 30,000 spaces made the
    dash and ellipsis rules try every space of it (SSML keeps such runs: 28 s). Timed
    against ordinary prose of the same length in the same process, so the measure is the
    work per character, not how fast this machine is: each of these is under 7 times the
    prose, a quadratic scan of such lengths far over 25."""
    from papercast.text.segment import split_sentences

    def seconds(t: str) -> float:
        return quickest(lambda: (normalize(t), split_sentences(t)))

    prose = "The council met on Tuesday and voted to rebuild the harbour wall before winter. "
    reference = seconds((prose * (len(text) // len(prose) + 1))[: len(text)])
    assert seconds(text) < 25 * reference
    spoken = normalize(text)
    assert has_words(spoken)
    if text.isdigit():
        assert (
            spoken.startswith("one one one") and "thousand" not in spoken
        )  # a code, digit by digit
