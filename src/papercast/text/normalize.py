"""The normalize stage: written English to what a newsreader says (en-US).

Each rule is a regular expression and a function; they run in order over a
sentence's written form, and the result (``spoken``) is what the phonemizer
sees, while the written form stays for transcripts. Periods that could end a
sentence inside the spoken text (abbreviations) are expanded away, so Piper
never hears a sentence break we did not cut.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from papercast.text.numbers import cardinal, decimal, digits, ordinal, plural, year

_MONTHS = ("january february march april may june july august september october november december").split()
_MONTH_ABBR = {m[:3]: m for m in _MONTHS} | {"sept": "september"}
_MONTH_RX = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_CURRENCY = {"$": ("dollar", "dollars", "cent", "cents"), "US$": ("US dollar", "US dollars", "cent", "cents"),
             "C$": ("Canadian dollar", "Canadian dollars", "cent", "cents"), "A$": ("Australian dollar", "Australian dollars", "cent", "cents"),
             "€": ("euro", "euros", "cent", "cents"), "£": ("pound", "pounds", "penny", "pence"),
             "¥": ("yen", "yen", "", ""), "₹": ("rupee", "rupees", "", "")}
_SCALE_WORDS = {"k": "thousand", "m": "million", "bn": "billion", "b": "billion", "tn": "trillion",
                "thousand": "thousand", "million": "million", "billion": "billion", "trillion": "trillion"}

# Titles and abbreviations with their spoken form. Keys are matched case-sensitively with the period.
ABBREVIATIONS: dict[str, str] = {
    "Mr.": "Mister", "Mrs.": "Missus", "Ms.": "Miz", "Dr.": "Doctor", "Prof.": "Professor", "Sr.": "Senior",
    "Jr.": "Junior", "Gen.": "General", "Gov.": "Governor", "Sen.": "Senator", "Rep.": "Representative",
    "Lt.": "Lieutenant", "Col.": "Colonel", "Sgt.": "Sergeant", "Capt.": "Captain", "Rev.": "Reverend",
    "Hon.": "Honorable", "Pres.": "President", "Mt.": "Mount", "Ft.": "Fort", "Ave.": "Avenue",
    "Blvd.": "Boulevard", "Rd.": "Road", "vs.": "versus", "v.": "versus", "e.g.": "for example",
    "i.e.": "that is", "etc.": "et cetera", "approx.": "approximately", "est.": "estimated", "Inc.": "Incorporated",
    "Corp.": "Corporation", "Ltd.": "Limited", "Co.": "Company", "Dept.": "Department", "Univ.": "University",
    "a.k.a.": "also known as", "Ph.D.": "PhD", "No.": "number", "Nos.": "numbers", "Vol.": "volume",
    "pp.": "pages", "p.": "page", "Fig.": "figure", "Sept.": "September",
}
# Acronyms said as words; everything else in capitals of 2-5 letters is spelled by espeak.
WORD_ACRONYMS = {"NATO", "NASA", "UNESCO", "UNICEF", "OPEC", "FIFA", "UEFA", "AIDS", "COVID", "ASEAN",
                 "NAFTA", "OSCE", "INTERPOL", "SWAT", "LASER", "RADAR", "SCOTUS", "POTUS", "FEMA", "NOAA"}

Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
_RULES: list[Rule] = []


def rule(pattern: str, flags: int = 0) -> Callable[[Callable[[re.Match[str]], str]], Callable[[re.Match[str]], str]]:
    def register(fn: Callable[[re.Match[str]], str]) -> Callable[[re.Match[str]], str]:
        _RULES.append((re.compile(pattern, flags), fn))
        return fn
    return register


def literal(pattern: str, spoken: str, flags: int = 0) -> None:
    """A rule whose every match is said the same way."""
    _RULES.append((re.compile(pattern, flags), lambda m: spoken))


def normalize(text: str) -> str:
    """Return the spoken form of one sentence."""
    return normalize_mapped(text)[0]


_TOKEN = re.compile(r"\S+")


def normalize_mapped(text: str) -> tuple[str, list[int]]:
    """The spoken form of one sentence, and for each of its characters the position in
    ``text`` it was said for (word timings map spoken words back to written ones).

    Characters a rule leaves alone keep their position. A rule's output words are
    shared out in order over the written words its match covers ("$5 million" ->
    "five million dollars": five, million -> "$5", dollars -> "million")."""
    tokens = [m.span() for m in _TOKEN.finditer(text)]
    origin = list(range(len(text)))
    for rx, fn in _RULES:
        pieces: list[str] = []
        where: list[int] = []
        pos = 0
        for m in rx.finditer(text):
            a, b = m.span()
            said = fn(m)
            if said == m.group(0):
                continue
            pieces.append(text[pos:a])
            where.extend(origin[pos:a])
            covered = origin[a:b] or [origin[a] if a < len(origin) else (origin[-1] if origin else 0)]
            pieces.append(said)
            where.extend(_share(said, min(covered), max(covered) + 1, tokens))
            pos = b
        if pieces:
            pieces.append(text[pos:])
            where.extend(origin[pos:])
            text, origin = "".join(pieces), where
    # Runs of white space become one space; none at the ends.
    out: list[str] = []
    kept: list[int] = []
    for ch, o in zip(text, origin):
        if ch.isspace():
            if out and out[-1] != " ":
                out.append(" ")
                kept.append(o)
            continue
        out.append(ch)
        kept.append(o)
    if out and out[-1] == " ":
        out.pop()
        kept.pop()
    return "".join(out), kept


def _share(said: str, lo: int, hi: int, tokens: list[tuple[int, int]]) -> list[int]:
    """Written positions for the characters of a rule's output covering ``text[lo:hi]``."""
    covered = [max(a, lo) for a, b in tokens if a < hi and b > lo] or [lo]
    where = [lo] * len(said)
    words = list(_TOKEN.finditer(said))
    for i, w in enumerate(words):
        at = covered[i * len(covered) // len(words)]
        where[w.start() : w.end()] = [at] * (w.end() - w.start())
    return where


def _num(s: str) -> int:
    return int(s.replace(",", ""))


# --- addresses --------------------------------------------------------------

@rule(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
def _email(m: re.Match[str]) -> str:
    user, _, host = m.group(0).partition("@")
    return f"{_dotted(user)} at {_dotted(host)}"


@rule(r"\b(?:https?://)?(?:www\.)?((?:[\w-]+\.)+(?:com|org|net|edu|gov|io|co|ca|uk|de|fr|eu|info|news|tv|me|us|au|int))\b(/[^\s]*)?(?<![.,;:!?])", re.I)
def _url(m: re.Match[str]) -> str:
    return _dotted(m.group(1))


def _dotted(s: str) -> str:
    return " dot ".join(p for p in re.split(r"\.", s) if p).replace("-", " dash ").replace("_", " underscore ")


# --- money, percentages -------------------------------------------------------

@rule(r"(US\$|C\$|A\$|\$|€|£|¥|₹)\s?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s?(k|m|bn|b|tn|thousand|million|billion|trillion)\b)?")
def _money(m: re.Match[str]) -> str:
    one, many, sub_one, sub_many = _CURRENCY[m.group(1)]
    amount, scale = m.group(2), m.group(3)
    if scale:
        return f"{decimal(amount)} {_SCALE_WORDS[scale.lower()]} {many}"
    whole, _, cents = amount.replace(",", "").partition(".")
    n = int(whole)
    words = f"{cardinal(n)} {one if n == 1 else many}"
    if cents and int(cents) and sub_one:
        c = int(cents.ljust(2, "0")[:2])
        words += f" and {cardinal(c)} {sub_one if c == 1 else sub_many}"
    return words


@rule(r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?(%|per ?cent\b|percent\b)")
def _percent(m: re.Match[str]) -> str:
    return f"{decimal(m.group(1))} percent"


@rule(r"(\d)\s?°\s?([CF])\b")
def _degrees(m: re.Match[str]) -> str:
    return f"{m.group(1)} degrees {'Celsius' if m.group(2) == 'C' else 'Fahrenheit'}"


# --- times and dates -----------------------------------------------------------

@rule(r"\b(\d{1,2})(?::(\d\d))?\s?([ap])\.?\s?m\b\.?", re.I)
def _clock_ampm(m: re.Match[str]) -> str:
    h, mins = int(m.group(1)), m.group(2)
    words = cardinal(h)
    if mins and int(mins):
        words += " " + (f"oh {cardinal(int(mins))}" if int(mins) < 10 else cardinal(int(mins)))
    return f"{words} {m.group(3).upper()} M"


@rule(r"\b([01]?\d|2[0-3]):([0-5]\d)\b")
def _clock(m: re.Match[str]) -> str:
    h, mins = int(m.group(1)), int(m.group(2))
    if mins == 0:
        return f"{cardinal(h)} o'clock" if h <= 12 else f"{cardinal(h)} hundred hours"
    return f"{cardinal(h)} " + (f"oh {cardinal(mins)}" if mins < 10 else cardinal(mins))


@rule(r"\b(\d{1,2})(?:st|nd|rd|th)? (" + _MONTH_RX + r")(?:,? (\d{4}))?\b")
def _day_month(m: re.Match[str]) -> str:
    out = f"the {ordinal(int(m.group(1)))} of {_month(m.group(2))}"
    return out + (f", {year(int(m.group(3)))}" if m.group(3) else "")


@rule(r"\b(" + _MONTH_RX + r") (\d{1,2})(?:st|nd|rd|th)?\b(?:,? (\d{4})\b)?")
def _month_day(m: re.Match[str]) -> str:
    out = f"{_month(m.group(1))} {ordinal(int(m.group(2)))}"
    return out + (f", {year(int(m.group(3)))}" if m.group(3) else "")


@rule(r"\b(" + _MONTH_RX + r"),? (\d{4})\b")
def _month_year(m: re.Match[str]) -> str:
    return f"{_month(m.group(1))} {year(int(m.group(2)))}"


def _month(s: str) -> str:
    return _MONTH_ABBR.get(s.rstrip(".").lower()[:4] if s.lower().startswith("sept") else s.rstrip(".").lower()[:3], s).capitalize()


# --- ranges, years, ordinals ------------------------------------------------------

@rule(r"\b(1[5-9]\d\d|20\d\d)\s?[–—-]\s?(1[5-9]\d\d|20\d\d|\d\d)\b")
def _year_range(m: re.Match[str]) -> str:
    a, b = m.group(1), m.group(2)
    if len(b) == 2:
        b = a[:2] + b
    return f"{year(int(a))} to {year(int(b))}"


@rule(r"\b(\d[\d,]*)\s?[–—]\s?(\d[\d,]*)\b")
def _range(m: re.Match[str]) -> str:
    return f"{cardinal(_num(m.group(1)))} to {cardinal(_num(m.group(2)))}"


@rule(r"\b(1[0-9]|20)(\d0)['’]?s\b")
def _decade(m: re.Match[str]) -> str:
    return plural(year(int(m.group(1) + m.group(2))))


@rule(r"(?<![\d,.$£€])\b(1[1-9]\d\d|20\d\d)\b(?![\d,.]\d)")
def _year(m: re.Match[str]) -> str:
    return year(int(m.group(1)))


@rule(r"\b(\d[\d,]*)(st|nd|rd|th)\b")
def _ordinal(m: re.Match[str]) -> str:
    return ordinal(_num(m.group(1)))


# --- phone-like and ID numbers, fractions, plain numbers ----------------------

@rule(r"(?<![\w$])(\(?\d{3}\)?[ -]\d{3}-\d{4}|\d{3}-\d{4})\b")
def _phone(m: re.Match[str]) -> str:
    return digits(m.group(1))


@rule(r"\b(\d+)/(\d+)\b")
def _fraction(m: re.Match[str]) -> str:
    a, b = int(m.group(1)), int(m.group(2))
    names = {2: ("half", "halves"), 4: ("quarter", "quarters")}
    if b in names:
        return f"{cardinal(a)} {names[b][0] if a == 1 else names[b][1]}"
    if 2 < b < 100 and b < 32:
        den = ordinal(b)
        return f"{cardinal(a)} {den if a == 1 else den + 's'}"
    return f"{cardinal(a)} slash {cardinal(b)}"


@rule(r"(?<![\w.])(-?\d{1,3}(?:,\d{3})+|-?\d+)(\.\d+)?(?![\w])")
def _number(m: re.Match[str]) -> str:
    if m.group(2):
        return decimal(m.group(1) + m.group(2))
    return cardinal(_num(m.group(1)))


# --- abbreviations, initialisms, symbols ------------------------------------------

_ABBR_RX = "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True))


literal(r"(?<![\w.])St\.(?= [A-Z])", "Saint")  # St. Michael's
literal(r"(?<=\w )St\.", "Street")  # 5th St.


@rule(r"(?<![\w.])(" + _ABBR_RX + r")(?=[\s,;:)\"'”’]|$)")
def _abbreviation(m: re.Match[str]) -> str:
    return ABBREVIATIONS[m.group(1)]


@rule(r"\b((?:[A-Z]\.){2,})(?=\W|$)")
def _initialism(m: re.Match[str]) -> str:
    return m.group(1).replace(".", "")


@rule(r"\b([A-Z]{2,})\b")
def _acronym(m: re.Match[str]) -> str:
    w = m.group(1)
    return w.capitalize() if w in WORD_ACRONYMS else w


literal(r"\band/or\b", "and or")


@rule(r"\s?(&|\+|=|@|°|/)\s?")
def _symbol(m: re.Match[str]) -> str:
    return {"&": " and ", "+": " plus ", "=": " equals ", "@": " at ", "°": " degrees ", "/": " or "}[m.group(1)]


literal(r"\s*(?:—|–|--)\s*|\s*(?:\.\s?){3}\s*|\s*…\s*", ", ")  # dashes and ellipses: a short pause
literal(r"[#*_~^<>|\\{}\[\]]", " ")  # markup symbols are not read


literal(r",(\s*,)+", ",")


def has_words(text: str) -> bool:
    """True when ``text`` has anything a voice can say (letters or digits)."""
    return any(ch.isalnum() for ch in text)
