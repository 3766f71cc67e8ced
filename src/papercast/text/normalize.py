"""The normalize stage: written English to what a newsreader says (en-US).

Each rule is a regular expression and a function; they run in order over a
sentence's written form, and the result (``spoken``) is what the phonemizer
sees, while the written form stays for transcripts. Periods that could end a
sentence inside the spoken text (abbreviations) are expanded away, so Piper
never hears a sentence break we did not cut.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from contextvars import ContextVar

from papercast.settings import DateOrder
from papercast.text.numbers import cardinal, decimal, digits, ordinal, pairs, plural, spelled, year

# Numeric dates (10/06/2005): month first (en-US) unless the date_order setting says day first.
# A date whose first part is over 12 is read day first anyway. The rules are module-level
# functions, so normalize_mapped hands them the order through a ContextVar (threads and tasks
# never see each other's).
_DATE_ORDER: ContextVar[DateOrder] = ContextVar("papercast_date_order", default=DateOrder.MDY)

_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_MONTH_ABBR = {m[:3]: m for m in _MONTHS} | {"sept": "september"}
_MONTH_RX = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_CURRENCY = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "US$": ("US dollar", "US dollars", "cent", "cents"),
    "C$": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "A$": ("Australian dollar", "Australian dollars", "cent", "cents"),
    "€": ("euro", "euros", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "¥": ("yen", "yen", "", ""),
    "₹": ("rupee", "rupees", "", ""),
    "₩": ("won", "won", "", ""),
    "₽": ("ruble", "rubles", "kopek", "kopeks"),
    "₺": ("lira", "lira", "kuruş", "kuruş"),
    "NZ$": ("New Zealand dollar", "New Zealand dollars", "cent", "cents"),
    "HK$": ("Hong Kong dollar", "Hong Kong dollars", "cent", "cents"),
}

# Titles and abbreviations with their spoken form. Keys are matched case-sensitively with the
# period.
ABBREVIATIONS: dict[str, str] = {
    "Mr.": "Mister",
    "Mrs.": "Misses",
    "Ms.": "Miz",
    "Dr.": "Doctor",
    "Prof.": "Professor",
    "Sr.": "Senior",
    "Jr.": "Junior",
    "Gen.": "General",
    "Gov.": "Governor",
    "Sen.": "Senator",
    "Rep.": "Representative",
    "Lt.": "Lieutenant",
    "Col.": "Colonel",
    "Sgt.": "Sergeant",
    "Capt.": "Captain",
    "Rev.": "Reverend",
    "Hon.": "Honorable",
    "Pres.": "President",
    "Mt.": "Mount",
    "Ft.": "Fort",
    "Ave.": "Avenue",
    "Blvd.": "Boulevard",
    "Rd.": "Road",
    "vs.": "versus",
    "v.": "versus",
    "e.g.": "for example",
    "i.e.": "that is",
    "etc.": "et cetera",
    "approx.": "approximately",
    "est.": "estimated",
    "Inc.": "Incorporated",
    "Corp.": "Corporation",
    "Ltd.": "Limited",
    "Co.": "Company",
    "Dept.": "Department",
    "Univ.": "University",
    "a.k.a.": "also known as",
    "Ph.D.": "PhD",
    "Vol.": "volume",
    "pp.": "pages",
    "p.": "page",
    "Fig.": "figure",
    "Sept.": "September",
    "Art.": "Article",
    "Sec.": "Secretary",
    "Ch.": "Chapter",
    "Para.": "paragraph",
    "Eq.": "equation",
    "Supt.": "Superintendent",
    "Cmdr.": "Commander",
    "Adm.": "Admiral",
    "Maj.": "Major",
    "Sgt.Maj.": "Sergeant Major",
    "Atty.": "Attorney",
    "Msgr.": "Monsignor",
}
# Acronyms said as words; everything else in capitals of 2-5 letters is spelled by espeak.
WORD_ACRONYMS = {
    "NATO",
    "NASA",
    "UNESCO",
    "UNICEF",
    "OPEC",
    "FIFA",
    "UEFA",
    "AIDS",
    "COVID",
    "ASEAN",
    "NAFTA",
    "OSCE",
    "INTERPOL",
    "SWAT",
    "LASER",
    "RADAR",
    "SCOTUS",
    "POTUS",
    "FEMA",
    "NOAA",
}

Rule = tuple[re.Pattern[str], Callable[[re.Match[str]], str]]
_RULES: list[Rule] = []


def rule(
    pattern: str, flags: int = 0
) -> Callable[[Callable[[re.Match[str]], str]], Callable[[re.Match[str]], str]]:
    def register(fn: Callable[[re.Match[str]], str]) -> Callable[[re.Match[str]], str]:
        _RULES.append((re.compile(pattern, flags), fn))
        return fn

    return register


def literal(pattern: str, spoken: str, flags: int = 0) -> None:
    """A rule whose every match is said the same way."""
    _RULES.append((re.compile(pattern, flags), lambda m: spoken))


def normalize(text: str, date_order: DateOrder = DateOrder.MDY) -> str:
    """Return the spoken form of one sentence (``DateOrder.DMY``: 05/06 is the fifth of June)."""
    return normalize_mapped(text, date_order)[0]


_TOKEN = re.compile(r"\S+")


def normalize_mapped(text: str, date_order: DateOrder = DateOrder.MDY) -> tuple[str, list[int]]:
    """The spoken form of one sentence, and for each of its characters the position in
    ``text`` it was said for (word timings map spoken words back to written ones).

    Characters a rule leaves alone keep their position. A rule's output words are
    shared out in order over the written words its match covers ("$5 million" ->
    "five million dollars": five, million -> "$5", dollars -> "million")."""
    token = _DATE_ORDER.set(DateOrder(date_order))
    try:
        return _normalize_mapped(text)
    finally:
        _DATE_ORDER.reset(token)


_SPACE_RUN = re.compile(r"\s{2,}")


def _runs_as_one_space(text: str) -> tuple[str, list[int]]:
    """``text`` with each run of white space one space, and where each character was. Done
    before any rule looks (the output has one space there anyway): a rule free to start at
    any space of a run thousands long would try every one, time in the square of the run."""
    origin = list(range(len(text)))
    if not _SPACE_RUN.search(text):
        return text, origin
    pieces: list[str] = []
    where: list[int] = []
    end = 0
    for run in _SPACE_RUN.finditer(text):
        pieces += [text[end : run.start()], " "]
        where += [*origin[end : run.start()], run.start()]
        end = run.end()
    return "".join([*pieces, text[end:]]), [*where, *origin[end:]]


def _normalize_mapped(text: str) -> tuple[str, list[int]]:
    tokens = [m.span() for m in _TOKEN.finditer(text)]
    text, origin = _runs_as_one_space(text)
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
            covered = origin[a:b] or [
                origin[a] if a < len(origin) else (origin[-1] if origin else 0)
            ]
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
    covered = []
    k = bisect_right(tokens, (lo, 1 << 62)) - 1  # tokens are sorted and do not overlap
    for a, b in tokens[max(0, k) :]:
        if a >= hi:
            break
        if b > lo:
            covered.append(max(a, lo))
    covered = covered or [lo]
    where = [lo] * len(said)
    words = list(_TOKEN.finditer(said))
    for i, w in enumerate(words):
        at = covered[i * len(covered) // len(words)]
        where[w.start() : w.end()] = [at] * (w.end() - w.start())
    return where


def _num(s: str) -> int:
    return int(s.replace(",", ""))


MAX_DIGITS = (
    15  # longer runs of digits are identifiers, read digit by digit (and int() stays cheap)
)


def _long(*numbers: str) -> bool:
    """Digit runs _digit_run cannot see first: loosely comma-joined ("1,2,3...th") or
    space-grouped ones, which could pass int()'s 4,300-digit limit."""
    return any(sum(ch.isdigit() for ch in n) > MAX_DIGITS for n in numbers if n)


# --- a shell's prompt ------------------------------------------------------------

# A command as a how-to prints it, after its prompt ("$ make", "% ls", ">>> len(x)"): the
# prompt is not said (a "$" before a word, not a number, is no dollar)
literal(r"^(\$|%|>>>) +(?=[^\W\d])", "")


# --- a note's mark -----------------------------------------------------------------

# A reference's or a note's mark set against the word or full stop before it ("in 1961.[4]",
# "the gauge[a]", "[citation needed]"): the page's apparatus, not the sentence; a bracketed
# number after a space ("see table [2]") is left to be read
literal(
    r"(?<=[^\s\[\]])(\[(\d{1,3}|[a-z]|note \d{1,3})\])+|\s?\[(citation|clarification) needed\]",
    "",
    re.IGNORECASE,
)
# ... and an editor's "[sic]" ("(sic)", "[sic!]") in a quotation: a newsreader reads the
# quotation as written and does not say it
literal(r"\s?(\[sic!?\]|\(sic!?\))", "", re.IGNORECASE)


# --- very long numbers ----------------------------------------------------------


@rule(r"\d{16,}|\d{1,3}(?:,\d{3}){7,}")
def _digit_run(m: re.Match[str]) -> str:
    """More than 15 digits (or 21 with commas) is a code, not an amount: digit by digit,
    before any rule tries to read it as a number."""
    return spelled(m.group(0))


# --- addresses --------------------------------------------------------------


@rule(
    r"\b[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}\b"
)  # bounded: no quadratic scans of long tokens
def _email(m: re.Match[str]) -> str:
    user, _, host = m.group(0).partition("@")
    return f"{_dotted(user)} at {_dotted(host)}"


@rule(
    r"\b(?:https?://)?(?:www\.)?((?:[\w-]{1,63}\.){1,8}(?:com|org|net|edu|gov|io|co|ca|uk|de|fr|eu|"
    r"info|news|tv|me|us|au|int))\b(/[^\s]*)?(?<![.,;:!?])",
    re.I,
)
def _url(m: re.Match[str]) -> str:
    return _dotted(m.group(1))


def _dotted(s: str) -> str:
    return (
        " dot ".join(p for p in re.split(r"\.", s) if p)
        .replace("-", " dash ")
        .replace("_", " underscore ")
    )


# --- names made of numbers ----------------------------------------------------


@rule(r"\b(401|403|457|529)\(([kb])\)", re.I)
def _retirement_plan(m: re.Match[str]) -> str:  # 401(k): "four oh one k"
    return f"{pairs(int(m.group(1)))} {m.group(2).lower()}"


literal(r"(?<![\w/])9/11(?![\w/])", "nine eleven")


@rule(r"\b([1-4])Q ?(\d{2}|\d{4})\b|\bQ([1-4]) (\d{4}|\d{2})\b")
def _quarter(m: re.Match[str]) -> str:  # 2Q22, Q2 2022
    q, y = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return f"the {ordinal(int(q))} quarter of {year(int(y)) if len(y) == 4 else _two_digit_year(y)}"


def _two_digit_year(y: str) -> str:
    return f"oh {cardinal(int(y))}" if y.startswith("0") and y != "00" else cardinal(int(y))


@rule(r"(?<![\w.])(\d{1,3}(?:\.\d{1,3}){3})(?![\w]|\.\d)")
def _ip_address(m: re.Match[str]) -> str:  # 123.123.0.40
    return " dot ".join(spelled(part) for part in m.group(1).split("."))


@rule(r"(?<![\w-])(\d{3})-(\d{2})-(\d{4})(?![\w-])")
def _id_number(m: re.Match[str]) -> str:  # 111-11-1111 (social security and similar numbers)
    return digits(m.group(0))


literal(r"(?<![\w.])No\.(?= ?\d)", "number")  # No. 5 (but "No." alone is the word)
literal(r"(?<![\w.])Nos\.(?= ?\d)", "numbers")
literal(r"(?<![\w.])Sec\.(?= ?\d)", "Section")  # Sec. 230 (else Secretary)


@rule(r"(?<![\w.£$])(\d{3,4})p\b")
def _resolution(m: re.Match[str]) -> str:  # 1080p
    return f"{cardinal(int(m.group(1)))} p"


@rule(r"(?<![\w.£$])(\d{1,2})p\b")
def _pence(m: re.Match[str]) -> str:  # 50p
    n = int(m.group(1))
    return "one penny" if n == 1 else f"{cardinal(n)} pence"


# --- money ----------------------------------------------------------------------

_CUR = r"(US\$|C\$|A\$|NZ\$|HK\$|\$|€|£|¥|₹|₩|₽|₺)"
_AMOUNT = r"(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_SCALE = r"(?:\s?(thousand|million|billion|trillion|mn|mln|bn|tn)\b|(k|K|m|M|b|B|t|T)\b)"
_PER_UNITS = {
    "mo": "month",
    "month": "month",
    "yr": "year",
    "year": "year",
    "wk": "week",
    "week": "week",
    "d": "day",
    "day": "day",
    "hr": "hour",
    "h": "hour",
    "hour": "hour",
    "min": "minute",
    "night": "night",
    "person": "person",
    "share": "share",
    "barrel": "barrel",
    "bbl": "barrel",
    "tonne": "tonne",
    "ton": "ton",
    "oz": "ounce",
    "gal": "gallon",
    "kg": "kilogram",
    "lb": "pound",
    "sq ft": "square foot",
    "ft": "foot",
    "kWh": "kilowatt hour",
    "MWh": "megawatt hour",
    "unit": "unit",
}
_PER = (
    r"(?:\s?/\s?("
    + "|".join(re.escape(k) for k in sorted(_PER_UNITS, key=len, reverse=True))
    + r")\b)?"
)
_SCALE_LETTER = {
    "k": "thousand",
    "m": "million",
    "b": "billion",
    "t": "trillion",
    "mn": "million",
    "mln": "million",
    "bn": "billion",
    "tn": "trillion",
}


def _scale_word(m: re.Match[str], word: int, letter: int) -> str:
    if m.group(word):
        w = m.group(word).lower()
        return _SCALE_LETTER.get(w, w)
    if m.group(letter):
        return _SCALE_LETTER[m.group(letter).lower()]
    return ""


def _amount(symbol: str, amount: str, scale: str, unit_only: bool = False) -> str:
    """An amount of money in words: '$0.02' -> 'two cents', '$20.506' -> 'twenty point five
    zero six dollars'. ``unit_only``: the number without the currency name (the first half
    of '$250-300')."""
    one, many, sub_one, sub_many = _CURRENCY[symbol]
    amount = amount.replace(",", "")
    whole, _, frac = amount.partition(".")
    if len(frac) > 2 and not frac[2:].strip("0"):
        frac = frac[:2]  # $0.010 is one cent
    if scale:
        return f"{decimal(amount)} {scale}" + ("" if unit_only else f" {many}")
    if len(frac) > 2 or (frac and not sub_one):
        return decimal(amount) + ("" if unit_only else f" {many}")
    n = int(whole or "0")
    cents = int(frac.ljust(2, "0")) if frac else 0
    if unit_only:
        return decimal(amount) if cents else cardinal(n)
    if n == 0 and cents:
        return f"{cardinal(cents)} {sub_one if cents == 1 else sub_many}"
    words = f"{cardinal(n)} {one if n == 1 else many}" if n or not cents else ""
    if cents:
        words += f" and {cardinal(cents)} {sub_one if cents == 1 else sub_many}"
    return words


def _per(unit: str | None) -> str:
    return f" per {_PER_UNITS[unit]}" if unit else ""


@rule(
    _CUR
    + r"\s?"
    + _AMOUNT
    + _SCALE
    + r"?\s?[-–—]\s?"
    + _CUR
    + r"?\s?"
    + _AMOUNT
    + _SCALE
    + "?"
    + _PER
)
def _money_range(m: re.Match[str]) -> str:  # $250-$300, $5-10 million, $50.00-$100.00
    sym, first_scale, second_scale = m.group(1), _scale_word(m, 3, 4), _scale_word(m, 7, 8)
    # "$5-10 million": the first amount shares the second's scale and currency name
    first = _amount(sym, m.group(2), first_scale, unit_only=not m.group(5))
    second = _amount(m.group(5) or sym, m.group(6), second_scale)
    return f"{first} to {second}{_per(m.group(9))}"


@rule(r"(-)?" + _CUR + r"\s?" + _AMOUNT + _SCALE + "?" + _PER)
def _money(m: re.Match[str]) -> str:
    words = _amount(m.group(2), m.group(3), _scale_word(m, 4, 5))
    return ("minus " if m.group(1) else "") + words + _per(m.group(6))


# --- percentages, measures ---------------------------------------------------------

_NUM = r"(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?|-?\.\d+)"


@rule(_NUM + r"\s?[-–]\s?" + _NUM + r"\s?(%|per ?cent\b|percent\b)")
def _percent_range(m: re.Match[str]) -> str:
    return f"{decimal(m.group(1))} to {decimal(m.group(2))} percent"


@rule(r"(?<![\w.])" + _NUM + r"\s?(%|per ?cent\b|percent\b)")
def _percent(m: re.Match[str]) -> str:
    return f"{decimal(m.group(1))} percent"


# unit as written -> (singular, plural); case-sensitive unless marked with "(?i)" handling below
UNITS: dict[str, tuple[str, str]] = {
    "km/h": ("kilometer per hour", "kilometers per hour"),
    "kph": ("kilometer per hour", "kilometers per hour"),
    "mph": ("mile per hour", "miles per hour"),
    "m/s": ("meter per second", "meters per second"),
    "km²": ("square kilometer", "square kilometers"),
    "km2": ("square kilometer", "square kilometers"),
    "m²": ("square meter", "square meters"),
    "m2": ("square meter", "square meters"),
    "km³": ("cubic kilometer", "cubic kilometers"),
    "m³": ("cubic meter", "cubic meters"),
    "sq ft": ("square foot", "square feet"),
    "sq mi": ("square mile", "square miles"),
    "km": ("kilometer", "kilometers"),
    "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"),
    "m": ("meter", "meters"),
    "mi": ("mile", "miles"),
    "ft": ("foot", "feet"),
    "yd": ("yard", "yards"),
    "in": ("inch", "inches"),
    "kg": ("kilogram", "kilograms"),
    "mg": ("milligram", "milligrams"),
    "g": ("gram", "grams"),
    "lbs": ("pound", "pounds"),
    "lb": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "t": ("tonne", "tonnes"),
    "ml": ("milliliter", "milliliters"),
    "mL": ("milliliter", "milliliters"),
    "l": ("liter", "liters"),
    "L": ("liter", "liters"),
    "gal": ("gallon", "gallons"),
    "°C": ("degree Celsius", "degrees Celsius"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "ºC": ("degree Celsius", "degrees Celsius"),
    "ºF": ("degree Fahrenheit", "degrees Fahrenheit"),
    "kWh": ("kilowatt hour", "kilowatt hours"),
    "MWh": ("megawatt hour", "megawatt hours"),
    "GWh": ("gigawatt hour", "gigawatt hours"),
    "kW": ("kilowatt", "kilowatts"),
    "MW": ("megawatt", "megawatts"),
    "GW": ("gigawatt", "gigawatts"),
    "W": ("watt", "watts"),
    "kV": ("kilovolt", "kilovolts"),
    "V": ("volt", "volts"),
    "Hz": ("hertz", "hertz"),
    "kHz": ("kilohertz", "kilohertz"),
    "MHz": ("megahertz", "megahertz"),
    "GHz": ("gigahertz", "gigahertz"),
    "KB": ("kilobyte", "kilobytes"),
    "MB": ("megabyte", "megabytes"),
    "GB": ("gigabyte", "gigabytes"),
    "TB": ("terabyte", "terabytes"),
    "kbps": ("kilobit per second", "kilobits per second"),
    "Mbps": ("megabit per second", "megabits per second"),
    "Gbps": ("gigabit per second", "gigabits per second"),
    "ha": ("hectare", "hectares"),
    "cc": ("C.C", "C.C"),
    "mAh": ("milliamp hour", "milliamp hours"),
    "sec": ("second", "seconds"),
    "min": ("minute", "minutes"),
    "hrs": ("hour", "hours"),
    "hr": ("hour", "hours"),
}
# Written in any case (12KG, 3 MBPS): units that are never words.
_ANY_CASE = {
    "km/h",
    "kph",
    "mph",
    "km",
    "cm",
    "mm",
    "kg",
    "mg",
    "lbs",
    "kwh",
    "mwh",
    "gwh",
    "kbps",
    "mbps",
    "gbps",
    "mah",
}
# Said only when attached to the number or before punctuation (else "5 in the" or "3 m people" could
# be words).
_ATTACHED_ONLY = {"in", "m", "t", "l", "L", "W", "V", "g", "min", "sec", "ha"}
_UNIT_KEYS = sorted(UNITS, key=len, reverse=True)
_UNIT_RX = "|".join(re.escape(k) for k in _UNIT_KEYS)
_MEASURE_SCALE = r"(?:\s(thousand|million|billion|trillion))?"


def _unit(written: str) -> tuple[str, str] | None:
    if written in UNITS:
        return UNITS[written]
    low = written.lower()
    for k in UNITS:
        if k.lower() == low and low in _ANY_CASE:
            return UNITS[k]
    return None


def _is_one(number: str) -> bool:
    return number.replace(",", "").lstrip("+") == "1"


def _measure_words(number: str, unit: str, scale: str = "") -> str:
    sing, plur = _unit(unit) or (unit, unit)
    words = decimal(number) + (f" {scale}" if scale else "")
    return f"{words} {sing if _is_one(number) and not scale else plur}"


def _unit_ok(m: re.Match[str], unit_group: int, gap_group: int) -> bool:
    unit = m.group(unit_group)
    if _unit(unit) is None:
        return False
    if unit in _ATTACHED_ONLY and m.group(gap_group):
        after = m.string[m.end() : m.end() + 1]
        return after in ("", ".", ",", ";", ":", ")", "/") and not (unit == "in" and after == ".")
    return True


_UNIT_CASELESS = (
    r"(?i:" + "|".join(re.escape(k) for k in _UNIT_KEYS if k.lower() in _ANY_CASE) + r")"
)
_UNIT_ALT = r"(" + _UNIT_CASELESS + "|" + _UNIT_RX + r")"


_NOT_A_NOUN = set(
    """of per in to and or a an the is are was were be been for from at on with by than more less
    each every apiece away ago long wide high deep tall old down up later earlier off over under
    into per""".split()
)


def _attributive(m: re.Match[str]) -> bool:
    """A measure written on its number, after an article and before a noun: said in the singular."""
    if m.group(3) or m.group(2) or m.group(5):
        return False
    before = m.string[max(0, m.start() - 6) : m.start()]
    after = re.match(r" ([a-z][a-z-]*)", m.string[m.end() : m.end() + 40])
    return (
        bool(re.search(r"\b(?:a|an|the)\s$", before, re.I))
        and after is not None
        and after.group(1) not in _NOT_A_NOUN
    )


@rule(r"(?<![\w./$£€¥])" + _NUM + r"\s?[-–]\s?" + _NUM + r"(\s?)" + _UNIT_ALT + r"(?![\w²³])")
def _measure_range(m: re.Match[str]) -> str:  # 2-5lb, 1234-123kg
    if not _unit_ok(m, 4, 3):
        return m.group(0)
    return f"{decimal(m.group(1))} to {_measure_words(m.group(2), m.group(4))}"


@rule(
    r"(?<![\w./:$£€¥])"
    + _NUM
    + _MEASURE_SCALE
    + r"(\s?)"
    + _UNIT_ALT
    + r"(?![\w²³])(?:\s?/\s?"
    + _UNIT_ALT
    + r"(?![\w²³]))?"
)
def _measure(m: re.Match[str]) -> str:  # 12kg, 120 km/h, 100 million kg, 24°C, 12kg/kg
    if not _unit_ok(m, 4, 3):
        return m.group(0)
    words = _measure_words(m.group(1), m.group(4), m.group(2) or "")
    if _attributive(m):  # "an 80TB drive": "an eighty-terabyte drive"
        sing = (_unit(m.group(4)) or (m.group(4),))[0]
        words = (
            f"{decimal(m.group(1))}-{sing}" if " " not in sing else f"{decimal(m.group(1))} {sing}"
        )
    if m.group(5):
        per = _unit(m.group(5))
        words += f" per {per[0] if per else m.group(5)}"
    return words


@rule(r"(?<![\w.])" + _NUM + r"\s?/\s?" + _UNIT_ALT + r"(?![\w²³])")
def _per_unit(m: re.Match[str]) -> str:  # 12/kg
    unit = _unit(m.group(2))
    if unit is None:
        return m.group(0)
    return f"{decimal(m.group(1))} per {unit[0]}"


@rule(r"(?<![\w.])(\d+) (\d+)/(\d+)(\s?)" + _UNIT_ALT + r"(?![\w²³])")
def _fraction_measure(m: re.Match[str]) -> str:  # 4 1/2 lbs
    if not _unit_ok(m, 5, 4):
        return m.group(0)
    part = _fraction_words(int(m.group(2)), int(m.group(3)))
    said = f"{cardinal(int(m.group(1)))} and {'a half' if part == 'one half' else part}"
    return f"{said} {(_unit(m.group(5)) or ('', m.group(5)))[1]}"


@rule(r"(\d)\s?[°º]\s?([CF])\b")
def _degrees(m: re.Match[str]) -> str:
    return f"{m.group(1)} degrees {'Celsius' if m.group(2) == 'C' else 'Fahrenheit'}"


@rule(r"\b(\d+(?:\.\d+)?)x\b")
def _times(m: re.Match[str]) -> str:  # 4.4x
    return f"{decimal(m.group(1))} x"


@rule(r"\b(\d+(?:\.\d+)?)\s?x\s?(\d+(?:\.\d+)?)(?:(\s?)" + _UNIT_ALT + r"(?![\w²³]))?(?![\w.])")
def _by(m: re.Match[str]) -> str:  # 2x8, 2x8 m2 ("two by eight square meters")
    said = f"{decimal(m.group(1))} by {decimal(m.group(2))}"
    if m.group(4) and _unit_ok(m, 4, 3):
        return f"{said} {(_unit(m.group(4)) or ('', m.group(4)))[1]}"
    return said + (m.group(3) or "") + (m.group(4) or "")


# --- addresses: house numbers, street types, states, ZIP codes ---------------------------

STREET_TYPES = {
    "St": "Street",
    "Ave": "Avenue",
    "Av": "Avenue",
    "Rd": "Road",
    "Blvd": "Boulevard",
    "Ct": "Court",
    "Ln": "Lane",
    "Dr": "Drive",
    "Pl": "Place",
    "Pkwy": "Parkway",
    "Hwy": "Highway",
    "Expy": "Expressway",
    "Sq": "Square",
    "Ter": "Terrace",
    "Cir": "Circle",
    "Trl": "Trail",
    "Fwy": "Freeway",
}
_STREET_RX = "|".join(sorted(STREET_TYPES, key=len, reverse=True))
STATES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "DC": "D.C",
}
_DIRECTIONS = {
    "N": "North",
    "S": "South",
    "E": "East",
    "W": "West",
    "NE": "Northeast",
    "NW": "Northwest",
    "SE": "Southeast",
    "SW": "Southwest",
}
_STREET_NAME = r"(?:[A-Z][\w'’-]*|\d+(?:st|nd|rd|th))(?: [A-Z][\w'’-]*)*"


@rule(
    r"(?<![\w,.$])(\d{1,5})((?: (?:N|S|E|W|NE|NW|SE|SW)\.?)?) ("
    + _STREET_NAME
    + r") (?i:("
    + _STREET_RX
    + r"))\b\.?"
)
def _street_address(m: re.Match[str]) -> str:  # 2788 San Tomas Expy, 708 N 1st St
    number = m.group(1)
    said = spelled(number) if len(number) == 5 else pairs(int(number))
    direction = m.group(2).strip().rstrip(".")
    street_type = next(v for k, v in STREET_TYPES.items() if k.lower() == m.group(4).lower())
    name = m.group(3)
    name = re.sub(r"\b(\d+)(st|nd|rd|th)\b", lambda x: ordinal(int(x.group(1))), name)
    return f"{said} {_DIRECTIONS[direction] + ' ' if direction else ''}{name} {street_type}"


@rule(r"(?<=, )(" + "|".join(STATES) + r")(?:,?(?: (\d{5})(?:-(\d{4}))?))?(?=$|[\s.,;])")
def _state_zip(m: re.Match[str]) -> str:  # , CA 95051 / , NY
    before = m.string[max(0, m.start() - 60) : m.start()]
    if not m.group(2) and not re.search(
        r"(?:" + "|".join(STREET_TYPES.values()) + r"|[A-Z][a-z]+),\s$", before
    ):
        return m.group(0)
    out = STATES[m.group(1)]
    if m.group(2):
        out += " " + spelled(m.group(2)) + (" " + spelled(m.group(3)) if m.group(3) else "")
    return out


# --- times -------------------------------------------------------------------------------

_ZONE = (
    r"(?:\s?\(?(?<![a-z])(e\.?s\.?t|e\.?d\.?t|c\.?s\.?t|c\.?d\.?t|m\.?s\.?t|m\.?d\.?t|p\.?s\.?t"
    r"|p\.?d\.?t|gmt|utc|bst|cet|cest|et|pt|ct|mt)\b\.?\)?)?"
)


@rule(r"\b(\d{1,2})(?:[:.]([0-5]\d))?(?::([0-5]\d))?\s?([ap])\.?\s?m\b\.?" + _ZONE, re.I)
def _clock_ampm(m: re.Match[str]) -> str:
    h, mins = int(m.group(1)), m.group(2)
    words = cardinal(h)
    if mins and int(mins):
        words += " " + (f"oh {cardinal(int(mins))}" if int(mins) < 10 else cardinal(int(mins)))
    # "A.M" with no final period: espeak says the letters and sees no sentence end ("A M" was
    # read "uh em": a lone A is the article).
    out = f"{words} {m.group(4).upper()}.M"
    zone = m.group(5)
    if zone:
        out += " " + ".".join(zone.replace(".", "").upper())
    return out


literal(r"(?<=[AP]\.M)\s?[-–—]\s?(?=\w)", " to ")  # 9am-5pm, 4:00 am - 8:12 pm


@rule(r"\b(\d{1,2}):([0-5]\d):([0-5]\d)\b")
def _clock_seconds(m: re.Match[str]) -> str:  # 1:01:01, 14:10:30
    parts = [(int(m.group(1)), "hour"), (int(m.group(2)), "minute"), (int(m.group(3)), "second")]
    said = [f"{cardinal(n)} {unit}{'' if n == 1 else 's'}" for n, unit in parts]
    return f"{said[0]} {said[1]} and {said[2]}"


@rule(
    r"\b([01]?\d|2[0-3]):([0-5]\d)(?:\s?(?<![A-Za-z])(EST|EDT|CST|CDT|MST|MDT|PST|PDT|GMT|UTC|BST|"
    r"CET|CEST|ET|PT|CT))?"
    r"(\s?(?:hrs|hours|h)\b)?\b"
)
def _clock(m: re.Match[str]) -> str:
    h, mins = int(m.group(1)), int(m.group(2))
    if m.group(4) and mins == 0:  # 20:00hrs
        return f"{cardinal(h)} hundred hours"
    if mins == 0:
        said = f"{cardinal(h)} o'clock" if h <= 12 else f"{cardinal(h)} hundred hours"
    else:
        said = f"{cardinal(h)} " + (f"oh {cardinal(mins)}" if mins < 10 else cardinal(mins))
    return said + (" " + ".".join(m.group(3)) if m.group(3) else "")


# --- dates ---------------------------------------------------------------------------------


def _date(month: int, day: int, year_text: str | None, day_first: bool, the: bool = True) -> str:
    name = _MONTHS[month - 1].capitalize()
    said = (
        f"{'the ' if the else ''}{ordinal(day)} of {name}"
        if day_first
        else f"{name} {ordinal(day)}"
    )
    if year_text:
        said += ", " + (year(int(year_text)) if len(year_text) == 4 else _two_digit_year(year_text))
    return said


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


@rule(r"(?<![\d/.-])(\d{4})-(\d{2})-(\d{2})(?![\d-])")
def _iso_date(m: re.Match[str]) -> str:  # 2006-08-05
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    return _date(mo, d, m.group(1), False) if _valid(mo, d) and y >= 1000 else m.group(0)


@rule(r"(?<![\d/.])(\d{4})/(\d{1,2})/(\d{1,2})(?![\d/])")
def _ymd_date(m: re.Match[str]) -> str:  # 2016/07/03
    mo, d = int(m.group(2)), int(m.group(3))
    return _date(mo, d, m.group(1), False) if _valid(mo, d) else m.group(0)


@rule(r"(?<![\d/.,-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/.-]\d)")
def _numeric_date(m: re.Match[str]) -> str:  # 10/06/2005, 15.01.2020, 11/17/05
    a, b = int(m.group(1)), int(m.group(3))
    day_first = _DATE_ORDER.get() == DateOrder.DMY
    if a > 12 and b <= 12:
        day_first = True
    elif b > 12 and a <= 12:
        day_first = False
    mo, d = (b, a) if day_first else (a, b)
    if not _valid(mo, d):
        return m.group(0)
    return _date(mo, d, m.group(4), day_first, the=not _after_the(m))


def _after_the(m: re.Match[str]) -> bool:
    return bool(re.search(r"\bthe\s+$", m.string[max(0, m.start() - 5) : m.start()], re.I))


_MONTH_ANY = (
    r"(?i:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_YEAR_AFTER = r"(?:(?:,\s?|\s|-)(\d{4})\b(?![-–]\d))?"


@rule(r"\b(\d{1,2})(?:st|nd|rd|th)?[ -](" + _MONTH_ANY + r")(?![\w])" + _YEAR_AFTER)
def _day_month(m: re.Match[str]) -> str:
    out = f"{'' if _after_the(m) else 'the '}{ordinal(int(m.group(1)))} of {_month(m.group(2))}"
    return out + (f", {year(int(m.group(3)))}" if m.group(3) else "")


@rule(
    r"\b("
    + _MONTH_ANY
    + r")[ -](\d{1,2})(?:st|nd|rd|th)?\b(?![:.]\d|-\d{1,2}\b(?!-))"
    + _YEAR_AFTER
)
def _month_day(m: re.Match[str]) -> str:
    if m.group(1).islower() and m.group(1).rstrip(".") in ("may", "march", "jan", "mar"):
        tail = m.string[m.end() : m.end() + 8]
        at_end = not tail.strip() and m.end() + 8 >= len(m.string)
        if not at_end and not re.match(r"\s*[,.;]|\s\d{4}", tail) and not m.group(3):
            return m.group(0)  # "may 5 people": too likely the verb
    out = f"{_month(m.group(1))} {ordinal(int(m.group(2)))}"
    return out + (f", {year(int(m.group(3)))}" if m.group(3) else "")


@rule(r"\b(" + _MONTH_RX + r"),? (\d{4})\b")
def _month_year(m: re.Match[str]) -> str:
    return f"{_month(m.group(1))} {year(int(m.group(2)))}"


def _month(s: str) -> str:
    s = s.rstrip(".").lower()
    return _MONTH_ABBR.get(s[:4] if s.startswith("sept") else s[:3], s).capitalize()


@rule(r"\b(\d{1,4}) ?(A\.?D|B\.?C\.?E?|C\.?E)\b\.?")
def _era(m: re.Match[str]) -> str:  # 340 A.D, 44 BC
    return f"{pairs(int(m.group(1)))} {'.'.join(m.group(2).replace('.', ''))}"


# --- ranges, years, ordinals ------------------------------------------------------


@rule(r"\b(1[0-9]|20)(\d0)s\s?[–—-]\s?((?:1[0-9]|20)?\d0)s\b")
def _decade_range(m: re.Match[str]) -> str:  # 1960s-80s
    second = m.group(3)
    said = plural(year(int(second))) if len(second) == 4 else plural(cardinal(int(second)))
    return f"{plural(year(int(m.group(1) + m.group(2))))} to {said}"


@rule(r"\b(1[5-9]\d\d|20\d\d)\s?[–—-]\s?(1[5-9]\d\d|20\d\d|\d\d)\b(?![-–]\d)")
def _year_range(
    m: re.Match[str],
) -> str:  # 1960-1980, 2024-25 ("twenty twenty-four to twenty-five")
    a, b = m.group(1), m.group(2)
    if len(b) == 2:
        return f"{year(int(a))} to {_two_digit_year(b)}"
    return f"{year(int(a))} to {year(int(b))}"


@rule(r"(?<![\w.,/-])(\d{1,3}(?:,\d{3})*|\d+)\s?[–—]\s?(\d{1,3}(?:,\d{3})*|\d+)(?![\d/-])")
def _range(m: re.Match[str]) -> str:
    return f"{cardinal(_num(m.group(1)))} to {cardinal(_num(m.group(2)))}"


@rule(r"(?<![\w.,/-])(\d{1,3})-(\d{1,3})(?![\d/.-]|,\d)")
def _score(m: re.Match[str]) -> str:  # 52-48, won 3-1, pp. 12-14
    return f"{cardinal(int(m.group(1)))} to {cardinal(int(m.group(2)))}"


@rule(r"\b(1[0-9]|20)(\d0) ?['’]?s\b")
def _decade(m: re.Match[str]) -> str:
    return plural(year(int(m.group(1) + m.group(2))))


@rule(r"(?<![\w$£€])['’]([1-9]0)s\b|(?<=mid-)([1-9]0)s\b")
def _short_decade(m: re.Match[str]) -> str:  # the '80s, mid-80s
    return plural(cardinal(int(m.group(1) or m.group(2))))


@rule(r"(?<![\d,.$£€])\b(1[1-9]\d\d|20\d\d)\b(?![\d,.]\d)")
def _year(m: re.Match[str]) -> str:
    return year(int(m.group(1)))


@rule(r"\b(\d+)/(\d+)(?:st|nd|rd|th|ST|ND|RD|TH)\b")
def _ordinal_fraction(m: re.Match[str]) -> str:  # 1/4th, 1/3RD
    return _fraction_words(int(m.group(1)), int(m.group(2)))


@rule(r"\b(\d[\d,]*)(st|nd|rd|th|ST|ND|RD|TH)\b")
def _ordinal(m: re.Match[str]) -> str:
    if _long(m.group(1)):
        return spelled(m.group(1)) + " " + m.group(2)
    return ordinal(_num(m.group(1)))


# --- phone-like and ID numbers, fractions, plain numbers ----------------------


@rule(r"(?<![\w$])(\+\d{1,3}[ -]?)?(\(?\d{3}\)?[ -.]?\d{3}[-.]\d{4}(?:-\d{1,4})?|\d{3}-\d{4})\b")
def _phone(m: re.Match[str]) -> str:
    country = m.group(1)
    said = digits(m.group(2))
    return (f"plus {digits(country)}, " if country else "") + said


@rule(r"\b(\d+) (\d+)/(\d+)(?:th|TH|rd|RD|nd|ND)?\b")
def _mixed_fraction(m: re.Match[str]) -> str:  # 4 1/2, 3 2/4
    whole = cardinal(int(m.group(1)))
    part = _fraction_words(int(m.group(2)), int(m.group(3)))
    if part == "one half":
        return f"{whole} and a half"
    return f"{whole} and {part}"


def _fraction_words(a: int, b: int) -> str:
    names = {2: ("half", "halves"), 4: ("quarter", "quarters")}
    if b in names:
        return f"{cardinal(a)} {names[b][0] if a == 1 else names[b][1]}"
    if 2 < b < 100:
        den = ordinal(b)
        return f"{cardinal(a)} {den if a == 1 else den + 's'}"
    return f"{cardinal(a)} over {cardinal(b)}"


@rule(r"\b(\d+)/(\d+)(?:th|TH|rd|RD|nd|ND)?\b")
def _fraction(m: re.Match[str]) -> str:
    return _fraction_words(int(m.group(1)), int(m.group(2)))


@rule(r"(?<![\d,.])(\d{1,3})((?:[ \u00a0\u202f]\d{3})+)(?![\d,.])")
def _spaced_thousands(m: re.Match[str]) -> str:  # 30 000 (thousands separated by spaces)
    if _long(m.group(0)):
        return m.group(0)  # a long run of digit groups is a code: each group said as a number below
    return cardinal(int(m.group(1) + re.sub(r"\D", "", m.group(2))))


@rule(r"(?<![\w.,])0\d+(?![\w.,]\d)")
def _leading_zeros(m: re.Match[str]) -> str:  # 004: an identifier, said digit by digit
    return spelled(m.group(0))


@rule(r"(?<![\w.])(?:(-?\d{1,3}(?:,\d{3})+|-?\d+)(\.\d+)?|(-?\.\d+))(?![\w])")
def _number(m: re.Match[str]) -> str:
    if m.group(3):
        return decimal(m.group(3))
    if m.group(2):
        return decimal(m.group(1) + m.group(2))
    return cardinal(_num(m.group(1)))


# --- roman numerals ---------------------------------------------------------------------

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN_RX = r"(?=[MDCLXVI]+\b)M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
# After these words a numeral is a number (World War Two, Super Bowl Fifty-Eight); after a
# name it is an ordinal (Charles the Third).
_COUNTED = {
    "war",
    "bowl",
    "part",
    "chapter",
    "act",
    "scene",
    "volume",
    "vol",
    "book",
    "phase",
    "stage",
    "title",
    "article",
    "section",
    "apollo",
    "rocky",
    "class",
    "category",
    "level",
    "round",
    "grade",
    "vatican",
}


def _roman_value(s: str) -> int:
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN[ch]
        total += -v if i + 1 < len(s) and _ROMAN[s[i + 1]] > v else v
    return total


@rule(r"\b([A-Z][a-z]+|[A-Z]+) (" + _ROMAN_RX + r")\b(?!\.\w|['’]\w)")
def _roman(m: re.Match[str]) -> str:
    word, numeral = m.group(1), m.group(2)
    if not numeral:
        return m.group(0)
    if (
        numeral
        in (
            "I",
            "V",
            "X",
            "C",
            "D",
            "M",
            "L",
            "MD",
            "DC",
            "CD",
            "CC",
            "MM",
            "DI",
            "MI",
            "LI",
            "CV",
            "CM",
            "XL",
            "MC",
            "DIV",
            "CI",
            "MCC",
        )
        and word.lower() not in _COUNTED
    ):
        return m.group(
            0
        )  # "Sam and I", initials, common words: only numerals that cannot be anything else
    if word.isupper() and word.lower() not in _COUNTED:
        return m.group(0)
    n = _roman_value(numeral)
    if word.lower() in _COUNTED:
        return f"{word} {cardinal(n)}"
    return f"{word} the {ordinal(n)}"


# --- abbreviations, initialisms, symbols ------------------------------------------

_ABBR_RX = "|".join(re.escape(k) for k in sorted(ABBREVIATIONS, key=len, reverse=True))


@rule(r"(?<![\w.])St\.")
def _saint_or_street(m: re.Match[str]) -> str:
    """Street after a street's name (Elm St., 5th St.), Saint before a name (St. Michael's)."""
    before = m.string[max(0, m.start() - 60) : m.start()]  # a window: no quadratic scans
    prev = re.search(r"(\S+)\s+$", before)
    name_follows = bool(re.match(r"\s+[A-Z]", m.string[m.end() : m.end() + 3]))
    after_number = prev is not None and prev.group(1)[0].isdigit()
    after_name = (
        prev is not None and prev.group(1)[0].isupper() and bool(before[: prev.start()].strip())
    )
    if after_number or (after_name and not name_follows) or not name_follows:
        return "Street"
    return "Saint"


@rule(r"(?<![\w.])(" + _ABBR_RX + r")(?=[\s,;:)\"'”’]|$)")
def _abbreviation(m: re.Match[str]) -> str:
    return ABBREVIATIONS[m.group(1)]


@rule(r"^((?:[^\W\d_]|['’.-])+(?: (?:[^\W\d_]|['’.-])+){0,3})(?=\s*(?:--?|[–—―‒])\s)")
def _dateline_place(m: re.Match[str]) -> str:
    """A sentence that opens with a place in capitals and a dash, a dateline without an
    agency ("SÃO PAULO — ..."), in any cased script: the place said as a name. Only two words
    or more, or one of six letters or more: "FBI —" may be an acronym, spelled as ever."""
    place = m.group(1)
    letters = sum(ch.isalpha() for ch in place)
    if place.isupper() and (" " in place or letters >= 6):
        return place.title()
    return m.group(0)


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
    return {
        "&": " and ",
        "+": " plus ",
        "=": " equals ",
        "@": " at ",
        "°": " degrees ",
        "/": " or ",
    }[m.group(1)]


literal(r"\s*(?:—|–|--)\s*|\s*(?:\.\s?){3}\s*|\s*…\s*", ", ")  # dashes and ellipses: a short pause
literal(r"[#*_~^<>|\\{}\[\]]", " ")  # markup symbols are not read


literal(r",(\s*,)+", ",")


def has_words(text: str) -> bool:
    """True when ``text`` has anything a voice can say (letters or digits)."""
    return any(ch.isalnum() for ch in text)
