"""Numbers to English words (en-US newsreader style)."""

from __future__ import annotations

_ONES = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_SCALES = (
    (10**18, "quintillion"),
    (10**15, "quadrillion"),
    (10**12, "trillion"),
    (10**9, "billion"),
    (10**6, "million"),
    (1000, "thousand"),
)
_ORD_IRREGULAR = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}


def cardinal(n: int) -> str:
    """1227 -> 'one thousand two hundred twenty-seven'."""
    if n < 0:
        return "minus " + cardinal(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {cardinal(rest)}" if rest else "")
    for value, name in _SCALES:
        if n >= value:
            big, rest = divmod(n, value)
            return f"{cardinal(big)} {name}" + (f" {cardinal(rest)}" if rest else "")
    raise AssertionError("unreachable")


def ordinal(n: int) -> str:
    """21 -> 'twenty-first'."""
    words = cardinal(n)
    head, sep, last = (
        words.rpartition("-") if "-" in words.split(" ")[-1] else words.rpartition(" ")
    )
    if last in _ORD_IRREGULAR:
        last = _ORD_IRREGULAR[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head}{sep}{last}"


def year(n: int) -> str:
    """2022 -> 'twenty twenty-two', 1905 -> 'nineteen oh five', 2005 -> 'two thousand five'."""
    if 2000 <= n <= 2009 or n < 1000 or n >= 10000:
        return cardinal(n)
    hi, lo = divmod(n, 100)
    if lo == 0:
        return f"{cardinal(hi)} hundred"
    if lo < 10:
        return f"{cardinal(hi)} oh {cardinal(lo)}"
    return f"{cardinal(hi)} {cardinal(lo)}"


def plural(words: str) -> str:
    """'nineteen ninety' -> 'nineteen nineties', 'twenty' -> 'twenties'."""
    if words.endswith("y"):
        return words[:-1] + "ies"
    if words.endswith("x"):
        return words + "es"
    return words + "s"


def decimal(text: str) -> str:
    """'3.14' -> 'three point one four', '1,227' -> cardinal, '-0.1' -> 'minus zero point one',
    '.5' -> 'point five'."""
    text = text.replace(",", "")
    sign = "minus " if text.startswith(("-", "−")) else ""
    text = text.lstrip("-−+")
    whole, _, frac = text.partition(".")
    if not whole and frac:
        return sign + "point " + " ".join(_ONES[int(d)] for d in frac)
    out = sign + cardinal(int(whole or "0"))
    if frac:
        out += " point " + " ".join(_ONES[int(d)] for d in frac)
    return out


def digits(text: str) -> str:
    """'555-0199' -> 'five five five, oh one nine nine' (phone and ID numbers)."""
    groups = [g for g in __import__("re").split(r"[^\d]+", text) if g]
    return ", ".join(" ".join("oh" if d == "0" else _ONES[int(d)] for d in g) for g in groups)


def pairs(n: int) -> str:
    """A house number or a year-like number read in pairs: 2788 -> 'twenty-seven eighty-eight',
    123 -> 'one twenty-three', 708 -> 'seven oh eight', 1200 -> 'twelve hundred'."""
    if n < 100:
        return cardinal(n)
    hi, lo = divmod(n, 100)
    if n >= 10000:
        return cardinal(n)
    if lo == 0:
        return f"{cardinal(hi)} hundred"
    return f"{cardinal(hi)} " + (f"oh {cardinal(lo)}" if lo < 10 else cardinal(lo))


def spelled(text: str, zero: str = "zero") -> str:
    """Digits one by one: '004' -> 'zero zero four'."""
    return " ".join(zero if d == "0" else _ONES[int(d)] for d in text if d.isdigit())
