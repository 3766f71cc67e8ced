"""Scraped text pages to an Article: find the story among the site chrome.

The page is cut into blocks (a line each, or blank-line paragraphs when the
text is hard-wrapped). Each block is chrome (a rule in ``chrome`` says why), a
paragraph (long, ends like prose), or a short line. The story is the run of
blocks with the most paragraph text net of chrome (a maximum-sum run, as
boilerplate detectors such as jusText and BTE do); headline, dek and byline come
from the short lines just above it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import islice

from papercast.text import chrome
from papercast.types import Dropped

# a sentence's end; or speech broken off, a dash inside its closing quote ("if he would--");
# or an emoji in the full stop's place ("... known to the world 🙂")
_EMOJI = "\U0001f300-\U0001faff\u2600-\u27bf"
_TERMINAL = re.compile(
    rf"([.!?…]['\"’”)\]]*|(--|—|–)['\"’”]+|[^\W\d_][.!?…]?\s?[{_EMOJI}]+\ufe0f?)$"
)
# A sentence that ends in a colon, leading into what follows it (a list, a quotation, code):
# "The council gave three reasons:"; six words at least, so labels ("Share this:") stay out.
_LEAD_IN = re.compile(r"[a-z0-9)’'\"”]:$")
_MONTH_DAY_YEAR = (
    r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}(st|nd|rd|th)?,? \d{4}"
)
_DATE = re.compile(
    r"^(updated|published|posted|last (modified|updated))\b.*\d|"
    r"^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,? \d|"
    r"^\w+ \d{1,2},? \d{4}\b.{0,40}$|^\d{1,2} \w+ \d{4}\b.{0,40}$|^\d{4}-\d\d-\d\d|"
    rf"^{_MONTH_DAY_YEAR}|"
    # a byline and its date on one line, no "By": "Ann Lee - Apr 16, 2015 8:02 pm UTC"
    rf"^([^\W\d_][\w'’.-]* ){{1,3}}[-–—|·] {_MONTH_DAY_YEAR}\b.{{0,30}}$",
    re.IGNORECASE,
)
_DATE_INSIDE = re.compile(
    rf"\b{_MONTH_DAY_YEAR}\b"
    r"|\b\d{1,2} (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{4}\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(by|words by|written by|story by|reporting by|posted by)\s+\S|"
    r"^([A-ZÀ-Ý][\w'’.-]+ ){1,3}[A-ZÀ-Ý][\w'’.-]+,? (\w+ ){0,2}(correspondent|editor|reporter|"
    r"writer|columnist|contributor)$",
    re.IGNORECASE,
)
# A dateline, in any cased script: PLACE[, Region][, date] [(Agency)] dash. Its parts are
# found by shape here and judged in _dateline (case is a property of letters, not of ASCII).
_PLACE_WORD = r"[^\W\d_](?:[^\W\d_]|[.'’-])*"
_DATELINE = re.compile(
    rf"^(?P<place>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,3}})"  # MINSK / SÃO PAULO / PRZEMYŚL
    rf"(?:,\s*(?P<region>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,2}}))?"  # , Poland / , N.Y.
    r"(?:,?\s+(?P<date>\d{1,2}\s+[^\W\d_]{3,9}\.?|[^\W\d_]{3,9}\.?\s+\d{1,2})(?:,?\s+\d{4})?)?"
    r"(?:\s*\((?P<agency>[^()\n]{1,40})\))?"  # (Reuters) / (AP) / (Thomson Reuters) / (dpa)
    r"\s*(?:--?|[–—―‒])\s*"  # any dash: - -- – — ―
)
# The same with no dash, its agency glued to the story's first word, as a page prints a
# dateline set in an element of its own: "Hong Kong (Coast Wire)Markets fell ...",
# "(Coast Wire)The president ...". With a space between, "Microsoft (MSFT) Shares rose" could be a
# sentence; glued, it cannot.
_GLUED_DATELINE = re.compile(
    rf"^(?:(?P<place>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,3}})"
    rf"(?:,\s*(?P<region>{_PLACE_WORD}(?: {_PLACE_WORD}){{0,2}}))?\s*)?"
    r"\((?P<agency>[^()\n]{1,40})\)(?=[^\W\d_])"
)

_CREDIT_LINE = re.compile(
    r"^[A-Z][\w'’.-]+ [A-Z][\w'’.-]+, [A-Z][\w&'’. -]{1,40}$"
)  # "Sasha Luccioni, Mila"
# (it starts at the link, a space before it: "\s+" first would try every space of a line
# that a wide table pads with thousands, time in the square of the line)
_EMBED_LINK = re.compile(r"(?<=\s)(pic\.twitter\.com|t\.co|bit\.ly)/\S+\s*$")

HARD_END_PENALTY = 5000


@dataclass
class Block:
    line: int  # 1-based line of the block's first line
    text: str
    reason: str | None = None  # chrome reason
    kind: str = "short"  # "chrome" | "para" | "short"
    in_list: bool = False  # a bullet item, or text indented under one
    row: bool = False  # a row of a table of data, read as a sentence
    listing: bool = False  # a line of a program that the story introduces ("... file:")
    lead_in: bool = False  # a sentence running into the program below it ("Simply run")
    program: bool = False  # a line of a listing set between paragraphs with no lead-in
    datum: bool = False  # an item of a list of data the story introduces (dates and venues)
    lines: int = 1  # lines of text it takes

    def next_to(self, after: Block) -> bool:
        """Whether this block is on the line right after ``after``'s last (no blank line)."""
        return self.line == after.line + after.lines

    @property
    def words(self) -> int:
        return len(self.text.split())


@dataclass
class TextPage:
    """What the cleaner found, before sections are built."""

    title: str
    dek: str
    byline: str
    date: str
    site: str
    body: list[tuple[str, str]]  # ("heading" | "para", text) in order
    dropped: list[Dropped]


# A picture with no description, as lynx prints it: its file's name in brackets, in the
# line where the picture sits ("... the chart [fff-277-finished.png] shows ..."). On a line of
# its own it is an image placeholder (chrome); within text it is taken out.
_IMAGE_EXTENSION = r"\.(?:gif|jpe?g|png|svg|webp)"
_IMAGE_NAME = re.compile(rf"\[[^\[\]\n]{{0,80}}{_IMAGE_EXTENSION}\]", re.I)


def _lines_block(start: int, lines: list[str], in_list: bool) -> Block:
    """The block of ``lines`` (stripped), the first on line ``start``."""
    return Block(start, " ".join(lines), in_list=in_list, lines=len(lines))


def split_blocks(text: str) -> list[Block]:
    lines = text.split("\n")
    width = _wrap_width(lines)
    edge = max((len(s.rstrip()) for s in lines), default=0)
    tables = _tables(lines)
    skip_to = 0  # the line after a table's last
    blocks: list[Block] = []
    current: list[str] = []
    start = 0
    list_indent = -1  # indentation of the bullet we are under, -1 outside lists
    in_list = False
    for i, raw in enumerate(lines, start=1):
        if i in tables:
            if current:
                blocks.append(_lines_block(start, current, in_list))
                current = []
            skip_to, rows = tables[i]
            blocks.extend(rows)
        if i < skip_to:
            continue
        line = raw.strip()
        if "[" in line:
            bare = _IMAGE_NAME.sub(" ", line)
            if bare != line and bare.strip():
                line = " ".join(bare.split())  # a picture's name in the text
        if not line:
            if current:
                blocks.append(_lines_block(start, current, in_list))
                current = []
            continue
        indent = _indent(raw)
        bullet = chrome.is_bullet(line) and not (
            current
            and not chrome.is_bullet(current[0])
            and _wrapped_number(lines[i - 2], raw, lines[i] if i < len(lines) else "", width)
        )  # a paragraph's wrapped line, not the next item of a list
        if bullet:
            list_indent = indent
        elif indent <= list_indent or indent == 0:
            list_indent = -1
        line_in_list = list_indent >= 0
        if (
            current
            and not bullet
            and (
                width
                and _continues(lines[i - 2], line, width)
                or not width
                and _broken_at_edge(lines[i - 2], line, edge)
            )
            and not (_TERMINAL.search(current[-1]) and chrome.line_rule(line) == "advertisement")
        ):  # an ad's label under a paragraph's last sentence ("Advertisement:") is not its next
            # line, however long a word it is (lynx leaves no blank line between them)
            current.append(line)
            continue
        if current:
            blocks.append(_lines_block(start, current, in_list))
        current, start, in_list = [line], i, line_in_list
    if current:
        blocks.append(_lines_block(start, current, in_list))
    return blocks


# --- tables of data, as a browser prints them: aligned columns, or cells between rules ------

MIN_ROWS = 3  # a header and two rows, or three rows
MAX_TABLE_LINES = (
    400  # a longer run of lines is not looked at as a table (its cost is lines x width)
)
MAX_CELL_WORDS = 8
_RULE_LINE = re.compile(r"^[\s─━│┃┌┐└┘├┤┬┴┼╋═║╔╗╚╝╠╣╦╩╬+|=-]*$")
_CELL_RULE = re.compile(r"[│┃║|]")  # the cells either side are stripped: "\s*" round it would
# try every space of a line a wide table pads with thousands


# a note's mark as a text browser prints a superscript: "over and over.^[8]^[9]",
# "^[citation needed]"
_NOTE_MARK = re.compile(r"\^\[[^\]\n]{1,24}\]")
# ... and a note's number set as a superscript after a word or a sentence's mark ("too many
# alerts,^22 which", "the Water-Making Spell^1.0"), which w3m prints with a caret; after a
# digit, a bracket or a name of one or two letters the caret is a power ("10^5", "(a+b)^2",
# "mc^2") and is read as one
_NOTE_NUMBER = re.compile(r"(?:(?<=[^\W\d_]{3})|(?<=[.,;:!?\"'”’]))\^\d+(?:\.\d+)*")
# lynx's mark for a button, after its label or before it, where the button sits
_BUTTON_MARK = re.compile(r"\((?:BUTTON|submit|reset)\)", re.I)  # the space before it goes with
# the runs of spaces the text is joined over


# a picture's file name printed in its cell ("Aguamenti.gif"), not a datum
_IMAGE_FILE = re.compile(rf"\S+{_IMAGE_EXTENSION}\b", re.I)


def row_sentence(head: list[str], cells: list[str], described: bool = False) -> str:
    """A table's row as a newsreader says it: "Cherry: Pot size 20 litres, Plants per pot 2."
    with the header row's names for the columns after the first, or the cells in order. In
    a table whose last column ``described`` its rows, the description follows the data:
    "Groundhog Day: Year 1993. A weatherman relives the same day."."""
    cells = [_IMAGE_FILE.sub("", _NOTE_MARK.sub("", c)).strip() for c in cells]
    if not any(cells):
        return ""  # a row of pictures only
    if described and len(cells) >= 2 and cells[-1]:
        last = cells[-1] if _TERMINAL.search(cells[-1]) else cells[-1] + "."
        if len(cells) == 2:
            return f"{cells[0]}: {last}" if cells[0] else last
        if not any(cells[:-1]):  # a row under cells spanning it: its description only
            return last
        return f"{row_sentence(head[:-1], cells[:-1])} {last}"
    if head and len(head) == len(cells):
        parts = [f"{h} {v}" if h else v for h, v in zip(head[1:], cells[1:]) if v]
        line = (
            f"{cells[0]}: {', '.join(parts)}"
            if cells[0] and parts
            else ", ".join([c for c in cells[:1] if c] + parts)
        )
    else:
        line = ", ".join(c for c in cells if c)
    return line if re.search(r"[.!?:;]$", line) else line + "."


def _tables(lines: list[str]) -> dict[int, tuple[int, list[Block]]]:
    """Tables of data among the lines, by the 1-based line each starts on: the line after
    its last, and its rows as sentences, the first row taken as the header when it has no
    digits and the rows under it mostly do. A run of lines is a table when its cells line up
    (columns of spaces every line shares, wider than a word gap in some row; or cells between
    rules) in three rows or more, each with two cells or more of a few words, most rows with
    a number: a menu laid out in columns has no numbers, prose no shared gaps."""
    found: dict[int, tuple[int, list[Block]]] = {}
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].strip():
            j += 1
        boxed = _boxed_rows(lines[i:j])
        rows = boxed if boxed is not None else _cells(lines[i:j])
        if rows is not None:
            texts = [r for _, r in rows]
            digits = [any(ch.isdigit() for ch in " ".join(r)) for r in texts]
            head = (
                texts[0]
                if not digits[0] and (boxed is not None or sum(digits[1:]) * 2 > len(texts) - 1)
                else []
            )
            body = rows[1:] if head else rows
            if boxed is not None or sum(digits[1 if head else 0 :]) * 2 >= len(body):
                described = any(
                    len(r[-1].split()) > MAX_CELL_WORDS or _TERMINAL.search(r[-1]) for _, r in body
                )
                found[i + 1] = (
                    j + 1,
                    [
                        Block(i + 1 + k, said, row=True)
                        for k, r in body
                        if (said := row_sentence(head, r, described))
                    ],
                )
        i = j
    return found


_BOX_CORNER = re.compile(r"\s*[┌╔+]")


def _boxed_rows(run: list[str]) -> list[tuple[int, list[str]]] | None:
    """(line offset, cells) of each row of a table drawn in a box with a rule under every
    row, as w3m draws one: a cell's words wrapped over the lines between two rules are one
    cell ("Hermione" over "Granger"). Drawn so, a table's rows are rows whatever their cells
    hold, sentences too; None when ``run`` is not such a box (three rows at least)."""
    if not run or not _BOX_CORNER.match(run[0]) or not _RULE_LINE.match(run[0]):
        return None
    groups: list[list[tuple[int, list[str]]]] = []
    current: list[tuple[int, list[str]]] = []
    for k, x in enumerate(run):
        if _RULE_LINE.match(x):
            if current:
                groups.append(current)
            current = []
        else:
            current.append((k, [c.strip() for c in _CELL_RULE.split(x.strip().strip("│┃║|"))]))
    if current:
        groups.append(current)
    if len(groups) < MIN_ROWS or any(len(c) < 2 for g in groups for _, c in g):
        return None
    rows = []
    for g in groups:
        width = max(len(c) for _, c in g)
        rows.append(
            (g[0][0], [" ".join(c[m] for _, c in g if m < len(c) and c[m]) for m in range(width)])
        )
    return rows


def _cells(run: list[str]) -> list[tuple[int, list[str]]] | None:
    """(line offset, cells) of each row of ``run`` when its lines are a table's, else None."""
    if not MIN_ROWS <= len(run) <= MAX_TABLE_LINES or any(chrome.is_bullet(x.strip()) for x in run):
        return None
    tight = False
    if (
        sum(bool(_CELL_RULE.search(x.strip(" │┃║|"))) for x in run if not _RULE_LINE.match(x))
        >= MIN_ROWS
    ):
        rows = [
            (k, [c.strip() for c in _CELL_RULE.split(x.strip().strip("│┃║|"))])
            for k, x in enumerate(run)
            if not _RULE_LINE.match(x)
        ]
    else:
        width = max(len(x) for x in run)
        padded = [x.ljust(width) for x in run]
        ends = [len(x.rstrip()) for x in run]
        gutter = [
            c > 0 and all(x[c] == " " for x in padded) and sum(e > c for e in ends) * 2 > len(run)
            for c in range(width)
        ]
        cuts: list[tuple[int, int]] = []  # (start, end) of each column
        c = 0
        while c < width:
            if gutter[c]:
                c += 1
                continue
            k = c
            while k < width and not gutter[k]:
                k += 1
            cuts.append((c, k))
            c = k
        cuts = [(a, b) for a, b in cuts if any(x[a:b].strip() for x in run)]  # not margins
        apart = [
            any(x[a - 2 : a] == "  " and x[:a].strip() and x[a:].strip() for x in run)
            for a, _ in cuts[1:]
        ]  # every column apart from its neighbour by more than a word gap in some row ...
        if len(cuts) < 2 or not all(apart[:-1]):
            return None
        tight = not apart[-1]  # ... but a description, which may follow one space after
        rows = [(k, [x[a:b].strip() for a, b in cuts]) for k, x in enumerate(padded)]
    rows = [(k, r) for k, r in rows if any(r)]
    if any(len(c.split()) > MAX_CELL_WORDS for _, r in rows for c in r[:-1]):
        return None  # a datum is a few words (a wrapped description is not read as cells)
    prose = sum(bool(_TERMINAL.search(r[-1] or "")) for _, r in rows) * 2 > len(rows) or any(
        len(r[-1].split()) > MAX_CELL_WORDS for _, r in rows
    )
    if prose or tight:
        rows = _join_descriptions(rows)
        if not _described(rows):
            return None  # rows that end like sentences: prose, not cells
    if len(rows) < MIN_ROWS or any(sum(1 for c in r if c) < 2 for _, r in rows[1:]):
        return None
    return rows


def _join_descriptions(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """A description's second paragraph, on a line of its own with the row's other cells
    empty, joined to the row it describes."""
    out: list[tuple[int, list[str]]] = []
    for k, r in rows:
        if not out and not any(r[:-1]):
            continue  # the table's caption, over its header: not a row
        if out and not any(r[:-1]):
            prev = out[-1][1]
            out[-1] = (out[-1][0], [*prev[:-1], f"{prev[-1]} {r[-1]}".strip()])
        else:
            out.append((k, r))
    return out


# a figure in a cell ("1993", "£4.50", "12:01", "3rd"), not a list's number ("1.", "2)")
_FIGURE = re.compile(r"(?!\d{1,3}[.)]$)[$£€]?\d[\d.,:/%–-]*(s|st|nd|rd|th|m|km|kg)?")


def _described(rows: list[tuple[int, list[str]]]) -> bool:
    """Whether a table's last column describes its rows in sentences (a list of films:
    title, year, what happens in it) while a column before it holds a figure in most rows
    (the year): prose laid out with gaps that happen to line up has no such column."""
    body = [r for _, r in rows[1:]]
    if not body:
        return False
    return any(
        sum(c < len(r) - 1 and bool(_FIGURE.fullmatch(r[c])) for r in body) * 4 >= 3 * len(body)
        for c in range(len(rows[0][1]) - 1)
    )


MAX_WRAP = 100  # few wrap text wider than this ...
MAX_WIDE_WRAP = 160  # ... and none wider than a wide terminal
WRAPPED_SHARE = 0.5  # of the long lines within 15 columns of the width
MIN_WRAPPED_SHARE = 0.4  # ... or this many, when they broke before a word that would not fit
WRAP_SLACK = 5  # columns a line may end short of the width and still have been wrapped
# Wider wraps give paragraphs fewer lines, so fewer of them end near the width; there the
# lines that do must also have broken where the next line's first word would not fit
WIDE_WRAP_SHARE = 0.1  # few: a page's lists of headlines are long lines too, never wrapped
BROKEN_SHARE = 0.8
MIN_BROKEN = 5
MIN_ALL_BROKEN = 3  # a short page's few wrapped lines, when every one broke before a word


def _wrap_width(lines: list[str]) -> int:
    """The width prose is wrapped at (e-mail, terminal copy, a text browser's dump at its
    window's width), or 0 when it is not: most long lines end within a few columns of one
    width. A few lines a dump could not break (a long address, a table) may run past it.
    A width over MAX_WRAP is taken only when the lines that end near it broke where the next
    line's first word would not have fitted."""
    # a line of one word (an address, a file name, a rule) could not be broken anywhere
    long = [
        (i, s.rstrip()) for i, s in enumerate(lines) if len(s.strip()) >= 40 and " " in s.strip()
    ]
    return _wrapped_at(lines, long, MAX_WRAP) or _wrapped_at(lines, long, MAX_WIDE_WRAP, True)


def _wrapped_at(
    lines: list[str], long: list[tuple[int, str]], most: int, wide: bool = False
) -> int:
    """The wrap width found among ``long`` lines (index, text) no wider than ``most``."""
    # a column of a page laid out in a table is indented: its right edge is where lines
    # wrap, its text no wider than anyone wraps text
    fit = [(i, s) for i, s in long if len(s.strip()) <= most]
    if len(fit) < 6 or len(fit) < 0.8 * len(long):
        return 0
    ends = sorted(len(s) for _, s in fit)
    counts = Counter(ends)
    least = max(3, len(ends) // 20)  # a width many lines reach, not one stray line
    width = next(
        (n for n in reversed(ends) if sum(counts[k] for k in range(n - 2, n + 1)) >= least),
        ends[-1],
    )
    near = [(i, s) for i, s in fit if width - 15 <= len(s) <= width]
    followed = [(s, lines[i + 1].split()) for i, s in near if i + 1 < len(lines)]
    breaks = [len(s) + 1 + len(nxt[0]) > width for s, nxt in followed if nxt]
    if not wide:
        # wrapped dumps measured 0.55 to 0.93 at 80 columns (their menus' and headlines'
        # lines are long too); unwrapped ones that pass the first test 0.22 to 0.48. Between
        # the two, lines that end near the width broke where the next word would not have
        # fitted (0.90 to 1.00 of them in wrapped development dumps, at most 0.33 in
        # unwrapped ones)
        share = len(near) / len(fit)
        broken = len(breaks) >= MIN_BROKEN and sum(breaks) >= BROKEN_SHARE * len(breaks)
        return width if share > WRAPPED_SHARE or share > MIN_WRAPPED_SHARE and broken else 0
    wrapped = (
        width > MAX_WRAP - 15  # a narrower width was the first test's to find
        and len(near) / len(fit) > WIDE_WRAP_SHARE
        and (
            len(breaks) >= MIN_BROKEN
            and sum(breaks) >= BROKEN_SHARE * len(breaks)
            or len(breaks) >= MIN_ALL_BROKEN
            and all(breaks)
        )
    )
    return width if wrapped else 0


_NUMBER_START = re.compile(r"\d+\.\s")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _wrapped_number(previous: str, raw: str, after: str, width: int) -> bool:
    """Whether ``raw``, which starts like a numbered item ("3. The evolution of ..."), is a
    wrapped paragraph's next line: the number was the last word of a sentence broken before
    it ("... tests passed on Python" / "3. The ..."). The line above stops on a word, with no
    mark after it, at the wrap width, and the line is indented as the paragraph is; a list's
    item under a paragraph follows a finished sentence or a colon, and a text browser
    indents it further, and an item's own wrapped lines further still: the line ``after``
    it, unless blank, is indented as the paragraph is too. (The caller asks only inside a
    paragraph: an item's next item is an item.)"""
    indent = _indent(raw)
    return bool(
        width
        and _NUMBER_START.match(raw.lstrip())
        and indent == _indent(previous)
        and (not after.strip() or _indent(after) == indent)
        and previous.strip()
        and previous.rstrip()[-1:].isalpha()  # a word, no mark after it: mid-clause
        and _continues(previous, raw.strip(), width)
    )


def _broken_at_edge(previous: str, line: str, edge: int) -> bool:
    """On a page not wrapped as a whole, a line as long as the page's longest, ending mid-clause,
    broken before a word that would not have fitted: the one long paragraph a dump wrapped."""
    p = previous.rstrip()
    return (
        edge <= MAX_WIDE_WRAP  # a terminal's width: a page wider was not wrapped at all
        and len(p) >= edge - WRAP_SLACK
        and len(p) >= 60
        and p[-1:].isalnum()
        and _continues(previous, line, edge)
    )


def _continues(previous: str, line: str, width: int) -> bool:
    """Whether ``line`` goes on the paragraph ``previous`` ended: ``previous`` was broken
    because the next word would not fit in ``width`` (a paragraph's short last line was not)."""
    word = line.split(maxsplit=1)[0]  # ``line`` is never blank: a blank line ends a block
    return len(previous.rstrip()) + 1 + len(word) > width - WRAP_SLACK


# The alt text of an author's picture, which a text browser prints glued to the byline
# ("Avatar photo by Ann Lee November 8, 2023"): not a picture credit.
_AVATAR = re.compile(r"^(avatar|author|profile|headshot)( photo| image| picture)?\s+(?=by\s)", re.I)


# An image's placeholder that a text browser prints glued before the paragraph after it
# ("[logo-300x193]A senior official has said ... so."): the sentence is read without it.
_GLUED_IMAGE = re.compile(
    r"^\[[^\[\]\n]{0,30}[^\W\d_][^\[\]\n]{0,30}\]\s*(?=\S.{40,}[.!?…]['\"’”)]*$)"
)


# A breadcrumb trail that ends in the page's own title ("Front Page » Transport » Transit tax
# trust rejects ..."): the title is its last part.
_TRAIL = re.compile(r"^(you are here:?\s*)?([^»›\n]{1,40}\s*[»›]\s*){1,6}(?P<last>[^»›\n]+)$", re.I)


def _doubled(text: str) -> bool:
    """A line that is one text twice, glued ("how to grow lemonshow to grow lemons") or a
    space between (lynx prints a picture's description, then its caption, the same words,
    with no blank line between, and the lines are put back together as one block): an
    image's alt text and its title printed together."""
    t = text.lower()
    half = len(t) // 2
    if len(t) % 2:
        return len(t) >= 21 and t[half] == " " and t[:half] == t[half + 1 :]
    return len(t) >= 20 and t[:half] == t[half:]


# lynx prints inserted and deleted text (<ins>, <del>) between marks of its own: "[INS: new
# words :INS]", "[DEL: struck words :DEL]". The inserted words are read, the struck ones not.
_INSERTED = re.compile(r"\[INS:\s*(.*?)\s*:INS\]")
_DELETED = re.compile(r"\[DEL:.*?:DEL\]")  # its space before goes when the text is joined
# and a formula's MathML source between "[MATH:" and ":MATH]": its symbols are read, as the
# HTML page's are, its tags and its TeX annotation not; a wiki's formula leaves its TeX source
# as text too ("{\displaystyle a_{ij}=...}"), which is not read either.
_MATHML = re.compile(r"\[MATH:(.*?):MATH\]", re.S)
_MATH_TAG = re.compile(r"<annotation\b.*?</annotation>|<[^>]*>", re.S)
_TEX_START = "{\\displaystyle"


def _math_text(m: re.Match[str]) -> str:
    return " ".join(_MATH_TAG.sub(" ", m.group(1)).split())


def without_tex(text: str) -> str:
    """``text`` less each "{\\displaystyle ...}" span, its braces balanced."""
    out, i = [], 0
    while (k := text.find(_TEX_START, i)) >= 0:
        out.append(text[i:k])
        depth, j = 0, k
        while j < len(text):
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            j += 1
            if depth == 0:
                break
        i = j
    out.append(text[i:])
    return " ".join("".join(out).split())


# A ranked list printed as one line ("1 Hunter catches plague 2 Obama aides left notes 3
# ..."): numbers 1, 2, 3 in turn, each before a capital, with no sentence ending between
# them (steps of a method glued the same way end theirs: "1 Mix the flour. 2 Add ...").
_RANKED_LINE = re.compile(
    r"1\s+[A-Z'\"‘“][^.]{10,200}?\s2\s+[A-Z'\"‘“][^.]{10,200}?\s3\s+[A-Z'\"‘“]"
)


def classify(blocks: list[Block]) -> None:
    for b in blocks:
        if "^" in b.text:
            b.text = _NOTE_NUMBER.sub("", _NOTE_MARK.sub("", b.text))
        if "S:" in b.text:
            b.text = _INSERTED.sub(r"\1", _DELETED.sub("", b.text))
        if "MATH:" in b.text:
            b.text = _MATHML.sub(_math_text, b.text).strip()
        if _TEX_START in b.text:
            b.text = without_tex(b.text)
        b.text = _GLUED_IMAGE.sub("", _AVATAR.sub("", b.text))
        trail = _TRAIL.match(b.text)
        if trail and len(trail.group("last").split()) >= 4:
            b.text = trail.group("last").strip()
        b.reason = None if b.row or is_shell_or_tree(b.text) else chrome.line_rule(b.text)
        if b.reason is None and _RANKED_LINE.match(b.text):
            b.reason = "ranked list of other stories"
        if b.reason is None and _doubled(b.text):
            b.reason = "image alt text"
    texts = [b.text for b in blocks]
    for i, b in enumerate(blocks):
        if b.reason is None and chrome.about_person(b.text, texts[i + 1 : i + 3]):
            b.reason = "author bio"
    names = chrome.author_names(texts)
    for b in blocks:
        if b.reason is None and chrome.is_bio_of(b.text, names):
            b.reason = "author bio"  # "Ann Lee is a ..." on a page "By Ann Lee"
    for i in chrome.in_reader_appeals(texts, [b.reason for b in blocks]):
        blocks[i].reason = blocks[i].reason or "reader appeal"
    _mark_video_blocks(blocks)
    _mark_galleries(blocks)
    _mark_caption_twins(blocks)
    _mark_twins(blocks)
    _mark_cards(blocks)
    _mark_copies(blocks)
    _mark_contents_lines(blocks)
    for b in blocks:
        if b.reason:
            b.kind = "chrome"
        elif b.row or _is_paragraph(b):
            b.kind = "para"
        else:
            b.kind = "short"
    _mark_listings(blocks)
    _mark_data_lists(blocks)


def _mark_listings(blocks: list[Block]) -> None:
    """Lines of a program right after a sentence that leads into it ("... add this line to
    your test file:", or with no colon: "Simply invoking" over a command). A how-to goes on
    after its listing, so its lines are no sign that the story has ended."""
    for i, b in enumerate(blocks):
        nxt = blocks[i + 1].text if i + 1 < len(blocks) else ""
        # over a command or a tree, not any line with brackets (a Markdown link has them)
        if b.kind != "chrome" and _runs_into(b) and is_shell_or_tree(nxt):
            b.lead_in = True
        if b.kind != "chrome" and _leads_in(b):
            j = i + 1
            while (
                j < len(blocks)
                and j - i <= MAX_CODE_LINES
                and (_is_code(blocks[j]) or _CLOSING.fullmatch(blocks[j].text))
            ):
                blocks[j].listing = True
                j += 1
    _mark_programs(blocks)


_CLOSING = re.compile(r"[\])}>;,]+")  # a line that closes a program's blocks ("});")
MIN_PROGRAM_LINES = 3
_ELISION = re.compile(r"\.\.\.|…")  # lines left out of a listing
_COMMENT = re.compile(r"(#|//|--|/\*|\*) ")  # a comment's line inside a listing
# a program's statement, by the keywords lines of code open with (in lower case, as no
# sentence opens): "import os", "from x import y", "def f(", "class A:", "@decorator",
# "return x", "const a =", "#include", "fn main", "package main"
_STATEMENT = re.compile(
    r"(import [\w.]+|from [\w.]+ import |def \w+\(|class \w+[(:]|@\w[\w.]*(\(|$)|return\b|"
    r"(const|let|var) \w+ ?=|function\b|#include\b|fn \w+\(|func \w+\(|package [\w.]+$|"
    r"(public|private|static) \w|"
    # an instruction in capitals before its arguments: a Dockerfile's, a query's, a
    # makefile's ("FROM python:3.12", "RUN make", "SELECT * FROM tides"); not two words in
    # capitals ("NEW YORK"), not a label with its colon ("UPDATE: ...")
    r"[A-Z]{2,} +(?![A-Z]{2,}\b)[\w./*$\-\[\"'](?!.*[.!?]$))"
)


def _is_program(b: Block) -> bool:
    """A line that only a program has: a command at a prompt, a tree's branch, a statement,
    or one dense with a program's marks."""
    t = b.text
    return b.kind != "para" and (
        is_shell_or_tree(t)
        or bool(_STATEMENT.match(t))
        or _is_code(b)
        and sum(ch in "=;{}()[]<>._" for ch in t) >= 3
        or bool(_CLOSING.fullmatch(t))
    )


def _goes_with_listing(blocks: list[Block], j: int, start: int) -> bool:
    """Whether block ``j`` belongs to a listing that began at ``start``: a program's line; a
    "..." before more of them; after its first line, a comment, or a line of other words
    between two program lines."""
    b = blocks[j]
    if _is_program(b):
        return True
    more = j + 1 < len(blocks) and _is_program(blocks[j + 1])
    if _ELISION.fullmatch(b.text):
        return more
    return j > start and b.kind == "short" and (bool(_COMMENT.match(b.text)) or more)


def _mark_programs(blocks: list[Block]) -> None:
    """A listing set between two paragraphs with no sentence leading into it: three lines or
    more that only a program has, one after another (a line of other words between two of
    them, a comment, goes with them), prose on both sides. Its lines are the story's, read
    in place, as the HTML page's <pre> is."""
    i = 0
    while i < len(blocks):
        j = i
        while j < len(blocks) and _goes_with_listing(blocks, j, i):
            j += 1
        if (
            j - i >= MIN_PROGRAM_LINES
            and i > 0
            and blocks[i - 1].kind == "para"
            and j < len(blocks)
            and (blocks[j].kind == "para" or _is_heading(blocks[j]))
        ):
            for b in blocks[i:j]:
                b.listing = b.program = not _ELISION.fullmatch(b.text)
        i = max(j, i + 1)


# A list of data: dates and venues ("June 9 – Tampa, FL @ Amalie Arena"), teams and records
# ("England (Group A): 10th appearance"), one datum a line. Its items share their shape, the
# marks between their words, which a list of other stories' headlines does not.
MIN_DATA_ITEMS = 4
DATA_SHARE = 0.75  # of the items with the most common shape
MAX_DATUM_WORDS = 20
_SHAPE_MARKS = re.compile(r"[:@|()\[\]/–—,;=+]| - ")
_ITEM_MARK = re.compile(r"^\s*([•◦▪□■●*·‣⁃+-]|\d+[.)])\s+")


# the marks a date or a time of day carries ("Nov. 20, 2019 12:00 AM"), which a list of
# headlines with their dates would otherwise share
_STAMP = re.compile(rf"{_MONTH_DAY_YEAR}|\b\d{{1,2}}:\d\d\b", re.I)


def _shape(text: str) -> str:
    """The marks between an item's words, its bullet or number and its dates left out."""
    text = _STAMP.sub(" ", _ITEM_MARK.sub("", text))
    return "".join(m.group().strip() for m in _SHAPE_MARKS.finditer(text))


def _data_list_end(blocks: list[Block], i: int) -> int:
    """The index after the list of data starting at ``i``, or ``i`` when none starts there.
    Its items share a shape of two kinds of mark or more ("–", ",", "@"; "()", ":"): a menu's
    "Sports (1379)", a form's "( ) Login with Google" and a player's "Loaded: 0%" have one."""
    j = i
    while (
        j < len(blocks)
        and blocks[j].kind == "short"
        and not blocks[j].listing
        and 2 <= blocks[j].words <= MAX_DATUM_WORDS
        and not _TERMINAL.search(blocks[j].text)
        and not _ADDRESS.search(blocks[j].text)
    ):
        j += 1
    shapes = [_shape(b.text) for b in blocks[i:j]]
    if len(shapes) < MIN_DATA_ITEMS:
        return i
    kinds = _mark_kinds(Counter(shapes).most_common(1)[0][0])
    fits = [kinds <= _mark_kinds(x) for x in shapes]  # an item may add a note "(north berth)"
    while fits and not fits[-1]:  # the short lines after the list are not its items
        fits.pop()
    if len(kinds) < 2 or len(fits) < MIN_DATA_ITEMS or sum(fits) < DATA_SHARE * len(fits):
        return i
    return i + len(fits)


def _mark_kinds(shape: str) -> set[str]:
    return set(shape.translate(_BRACKETS))


_BRACKETS = str.maketrans("[])", "(((")
_ADDRESS = re.compile(r"://|\bwww\.")


def _mark_data_lists(blocks: list[Block]) -> None:
    """Items of a list of data after a paragraph leading into it ("The band's tour dates:")
    or under a subhead right after a paragraph: read as the story's, each a line, though short
    and with no full stop, and worth to the story what they say. (An opener follows a
    paragraph, so no two look over the same items: time in the length of the page.)"""
    i = 0
    while i < len(blocks):
        b = blocks[i]
        j = i + 1
        if (
            b.kind == "para"
            and _leads_in(b)
            or (b.kind == "short" and _is_heading(b) and i > 0 and blocks[i - 1].kind == "para")
        ):
            j = _data_list_end(blocks, i + 1)
            for item in blocks[i + 1 : j]:
                item.datum = True
        i = max(j, i + 1)


def _is_paragraph(b: Block) -> bool:
    b.text = _EMBED_LINK.sub("", b.text).strip() or b.text  # strip: the space before it
    if b.in_list:
        return b.words >= 12 and bool(_TERMINAL.search(b.text))
    return _paragraph_shaped(b)


def _paragraph_shaped(b: Block) -> bool:
    """A sentence of eight words or more, or 25 words of anything."""
    return (b.words >= 8 and bool(_TERMINAL.search(b.text))) or b.words >= 25


VIDEO_LABEL_WORDS = 6  # a player's label under a titled header: "Duration 2:31", "Watch now"


def is_player_label(text: str) -> bool:
    """A video player's label under a header that holds the video's title ("Duration 2:31"):
    a few words, no full stop."""
    return len(text.split()) <= VIDEO_LABEL_WORDS and not _TERMINAL.search(text)


def _mark_video_blocks(blocks: list[Block]) -> None:
    """A video header, its title, and the title's blurb are not the story. A header that
    carries the title ("Watch: Storm waves hit the quay") has at most a player's label after
    it ("Duration 2:31"), and the sentence after that is the story's again."""
    i = 0
    while i < len(blocks):
        if chrome.is_video_header(blocks[i].text):
            blocks[i].reason = "video block"
            j = i + 1
            if chrome.is_titled_video_header(blocks[i].text):
                label = blocks[j] if j < len(blocks) else None
                if label and is_player_label(label.text):
                    label.reason = label.reason or "video block"
                    i = j
            elif j < len(blocks):
                title = blocks[j]
                title.reason = title.reason or "video block"
                if not _TERMINAL.search(title.text) and title.words <= 20 and j + 1 < len(blocks):
                    blurb = blocks[j + 1]
                    if _TERMINAL.search(blurb.text) and blurb.words <= 80:
                        blurb.reason = blurb.reason or "video block"
                        j += 1
            i = j
        i += 1


# A picture's credit on a line of its own: an agency or a photographer's service, nothing else.
_AGENCY_LINE = re.compile(
    r"^((\w+ )?(via )?(getty( images)?|ap( photo)?|afp|reuters|epa(-efe)?|pa( wire| media)?|"
    r"shutterstock|alamy|rex|rex features|ansa|dpa|xinhua|anadolu|bloomberg|nurphoto|"
    r"sopa images|zuma( press)?|efe|kyodo|yonhap|eyevine|istock(photo)?|associated press|"
    r"the associated press)(\s*/\s*\S+)?|"
    r"(\w+ ){1,3}via getty images|[\w .'’&-]{2,40}, (the )?associated press)$",  # "ITV, AP"
    re.IGNORECASE,
)
# A slide counter a text browser glues to a gallery's title ("1/50UK news in pictures"), or
# the gallery's own button ("Show all 50").
_COUNTER = r"(\d{1,3})\s*/\s*(\d{1,3})(?=[^\d\s/]|\s+[A-Z])"  # "12/50", before its title
_GALLERY = re.compile(
    rf"^([•·]\s*)?({_COUNTER}|(show|view) all \d+\b|"
    r"\d+ (show|view) all\b|\d{1,3}\s*[-–]\s*\d{1,3} of \d{1,3}$)",  # "1-3 of 18"
    re.I,
)


def _mark_galleries(blocks: list[Block]) -> None:
    """A picture's caption is the block just above its credit line ("PA", "AFP via Getty
    Images"). A gallery, from its slide counter or button to its last slide, is one box set
    into the page: its captions, credits, dates and the title it repeats on every slide."""
    for i, b in enumerate(blocks):
        if _AGENCY_LINE.match(b.text):
            b.reason = b.reason or "photo credit"
            if i > 0 and not blocks[i - 1].reason and not blocks[i - 1].row:
                blocks[i - 1].reason = "photo caption"
        elif (
            b.reason == "image placeholder"
            and i + 2 < len(blocks)
            and not blocks[i + 1].reason
            and blocks[i + 2].reason == "photo credit"
        ):  # a picture, its caption, its credit ("Photo: Ann Lee")
            blocks[i + 1].reason = "photo caption"
    counts = Counter(b.text for b in blocks)
    i = 0
    while i < len(blocks):
        if not (_GALLERY.match(blocks[i].text) and blocks[i].words <= 20):
            i += 1
            continue
        start = i
        while start > 0 and counts[blocks[start - 1].text] >= 3 and blocks[start - 1].words <= 8:
            start -= 1  # the gallery's title, above its button
        j = i
        while j < len(blocks) and (
            blocks[j].reason
            in ("photo caption", "photo credit", "photo caption with credit", "empty")
            or _GALLERY.match(blocks[j].text)
            or _DATE.search(blocks[j].text)
            and blocks[j].words <= 6
            or counts[blocks[j].text] >= 3
            and blocks[j].words <= 8
        ):
            j += 1
        for b in blocks[start:j]:
            b.reason = "photo gallery"
        i = max(j, i + 1)
    for k in gallery_slides([b.text for b in blocks]):
        blocks[k].reason = "photo gallery"


_SLIDE = re.compile(rf"^([•·]\s*)?{_COUNTER}")
MIN_SLIDES = 3


def gallery_slides(texts: list[str]) -> list[int]:
    """Indices of a photo gallery whose slides each open with a counter of one total ("40/50
    The first lady of high street banks", then its caption and credit): three or more
    counters numbered upwards; everything from the first to the last is the gallery, and so
    is the last slide, as long as the slides before it were. (A story that says "9/11" three
    times numbers nothing upwards.) Shared by the text and the HTML readers."""
    by_total: dict[str, list[tuple[int, int]]] = {}
    for k, t in enumerate(texts):
        m = _SLIDE.match(t)
        if m and int(m.group(2)) <= int(m.group(3)):
            by_total.setdefault(m.group(3), []).append((k, int(m.group(2))))
    out: list[int] = []
    for found in by_total.values():
        slides = [k for n, (k, number) in enumerate(found) if n == 0 or number > found[n - 1][1]]
        if len(slides) < MIN_SLIDES:
            continue
        gaps = sorted(b - a for a, b in zip(slides, slides[1:]))
        out += range(slides[0], min(len(texts), slides[-1] + gaps[len(gaps) // 2]))
    return out


def _mark_caption_twins(blocks: list[Block]) -> None:
    """A caption often appears twice: bare, then again with its credit (sometimes edited:
    "after an Israeli attack" above "after Israeli attacks ... Photo: ..."): a block most of
    whose words the credited caption just below it has."""
    for i, b in enumerate(blocks):
        if b.reason:
            continue
        words = set(re.findall(r"\w+", b.text.lower()))
        for later in blocks[i + 1 : i + 4]:
            if later.reason != "photo caption with credit":
                continue
            if later.text.startswith(b.text[:60]) or (
                len(words) >= 6
                and len(words & set(re.findall(r"\w+", later.text.lower()))) >= 0.8 * len(words)
            ):
                b.reason = "photo caption"
                break
    captions = {b.text for b in blocks if b.reason == "photo caption"}
    for b in blocks:  # the same caption elsewhere on the page (above a second copy of it)
        if not b.reason and b.text in captions:
            b.reason = "photo caption"


def _mark_twins(blocks: list[Block]) -> None:
    """The same paragraph twice in a row is a picture's description, then its caption: a story
    never says a paragraph twice over, one straight after the other. (A headline printed twice
    in a row, once by the site's header and once over the story, is a headline: it is not
    paragraph-shaped.)"""
    for before, b in zip(blocks, blocks[1:]):
        if _paragraph_shaped(b) and not b.reason and before.text == b.text:
            before.reason = before.reason or "image alt text"
            b.reason = "photo caption"


MIN_CARDS = 3  # cards in a stream of other stories
CARD_SPAN = 4  # blocks from a card's title to its title printed again


def _mark_cards(blocks: list[Block]) -> None:
    """A stream of other stories' cards, each an item of a list: its title, its section and
    source, its title again (the picture's link, then the headline's) and its blurb. Three
    such cards or more on a page are a stream: their titles and blurbs are teasers. (A story's
    headline printed twice is not a list's item; one card alone may be a box's.)"""
    cards: list[tuple[int, int]] = []  # (title, title again)
    for i, b in enumerate(blocks):
        title = chrome.strip_bullet(b.text)
        if not b.in_list or b.reason or len(title.split()) < 3 or _TERMINAL.search(title):
            continue
        for j in range(i + 1, min(i + 1 + CARD_SPAN, len(blocks))):
            if chrome.strip_bullet(blocks[j].text) == title:
                cards.append((i, j))
                break
    if len(cards) < MIN_CARDS:
        return
    for i, j in cards:
        for k in (i, j):
            blocks[k].reason = blocks[k].reason or "teaser (links elsewhere)"
        blurb = blocks[j + 1] if j + 1 < len(blocks) else None
        if blurb is not None and blurb.in_list and not blurb.reason:
            blurb.reason = "teaser (links elsewhere)"


COPY_MIN_WORDS = 40
COPY_SHARE = 0.8  # of a block's runs of words already printed above it
_SHINGLE = 6


def _mark_copies(blocks: list[Block]) -> None:
    """A long block whose text was all printed above it: the story again, as a page's
    metadata or a print version carries it (paragraphs run together, subheads glued into
    them). A story does not say its paragraphs twice; the first printing is read. A block
    that repeats a single block above it is not taken for one: a page may mean to say a
    paragraph twice, and a caption under its picture's description is another rule's."""
    seen: dict[tuple[str, ...], int] = {}  # a run of words -> the block it was first in
    for i, b in enumerate(blocks):
        if b.reason:
            continue
        w = re.findall(r"\w+", b.text.lower())
        grams = {tuple(w[k : k + _SHINGLE]) for k in range(len(w) - _SHINGLE + 1)}
        earlier = [seen[g] for g in grams if g in seen]
        if (
            b.words >= COPY_MIN_WORDS
            and len(earlier) >= COPY_SHARE * len(grams)
            and len(set(earlier)) >= 2  # paragraphs run together, not one said twice
        ):
            b.reason = "the story printed again"
        for g in grams:
            seen.setdefault(g, i)


MIN_CONTENTS_ENTRIES = 3
CONTENTS_SHARE = 0.7  # of the line's letters that are its entries


def _mark_contents_lines(blocks: list[Block]) -> None:
    """A table of contents a text browser printed on one line: three or more of the
    subheads below it, run together, making up most of the line ("Overview Installation
    API Reference Local setup ..."), with no full stop at its end. Read, it is the page's
    subheads said before the story."""
    later: dict[str, set[str]] = {}  # the short lines below, by their first word
    for b in reversed(blocks):
        t = b.text.strip()
        if b.reason is None and b.words >= 2 * MIN_CONTENTS_ENTRIES and not _TERMINAL.search(t):
            words = t.split(" ")
            found: set[str] = set()
            at = 0
            for w in words:
                found.update(e for e in later.get(w, ()) if t.startswith(e, at))
                at += len(w) + 1
            if len(found) >= MIN_CONTENTS_ENTRIES and sum(
                len(e) for e in found
            ) >= CONTENTS_SHARE * len(t):
                b.reason = "table of contents"
        if 1 <= b.words <= 8 and not _TERMINAL.search(t):
            later.setdefault(t.split(" ")[0], set()).add(t)


# Chrome that sits inside stories (captions, players, ads, promos) barely separates
# story from story; menus, forms and footers separate the story from the page.
_IN_STORY = {
    "image alt text",
    "photo caption",
    "photo gallery",
    "photo caption with credit",
    "photo credit",
    "video block",
    "advertisement",
    "share/follow button",
    "audio player",
    "image placeholder",
    "teaser (cut off, links elsewhere)",
}


def _score(b: Block) -> float:
    if b.kind == "para":
        return float(len(b.text))
    if b.listing:
        return -1.0
    if b.datum:
        return float(len(b.text))
    if b.kind == "chrome":
        if chrome.is_hard_end(b.text, b.reason):
            return -HARD_END_PENALTY
        if b.reason == "photo gallery":
            return -1.0  # a gallery's many parts are one box set into the page
        if b.reason in _IN_STORY and not b.in_list:
            return -10.0
        return -max(25.0, min(float(len(b.text)), 200.0))
    if _story_lead_in(b):
        return float(len(b.text))  # a sentence leading into what follows: the story's prose
    return -max(10.0, 0.4 * len(b.text))


def _story_lead_in(b: Block) -> bool:
    """A lead-in (``_leads_in``) written as a sentence: the story's own prose, leading into
    what follows ("I know it's a lot of graphs, so I'll summarize them:")."""
    return _leads_in(b) and _sentence_case(b.text)


def _sentence_case(text: str) -> bool:
    """Written as a sentence, not as a title: at most one word in three after the first is
    written with a capital and then small letters ("Twitter seemed a bit confused by the
    campaign:", "base URL to the REST API", not "Related coverage from How to Do Everything:
    Money:"). A word in capitals is a name or an acronym in either."""
    words = text.split()[1:]
    return 3 * sum(bool(_TITLE_WORD.match(w)) for w in words) <= len(words)


_TITLE_WORD = re.compile(r"[\"“‘'(\[]*[A-Z][a-z]")  # "[": Markdown's link


INLINE_BOX_PENALTY = 200.0
STORY_BEGUN = 400.0  # characters of story before a hard end that it ends: a comment count
# in the page's header ("75 with 51 posters participating") comes before any story
RESUME_WITHIN = 15  # blocks after a box's header in which the story must go on
RESUME_PARAGRAPHS = 3  # ... with this many paragraphs of RESUME_CHARS or more
RESUME_CHARS = 150
# Under "More Politics" the site's other stories come as title, writer, date and lead, never
# three paragraphs in a row: any three, however short, anywhere in this many blocks after the
# header mean the box was set into a story of one-sentence paragraphs, which goes on.
MORE_OF_WITHIN = 100


def _story_resumes(
    blocks: list[Block], i: int, within: int = RESUME_WITHIN, chars: float = RESUME_CHARS
) -> bool:
    """Whether the story goes on after the header at ``i`` ("Most read", "Related"): within
    the next ``within`` blocks, before any other such header, come RESUME_PARAGRAPHS
    paragraphs of ``chars`` characters or more one after another: a box set into the
    article (its items are dropped as related links), not the article's end. Teasers under a
    "Related" header alternate a title and a blurb, so they never make such a run."""
    run = 0
    for b in blocks[i + 1 : i + 1 + within + RESUME_PARAGRAPHS]:
        if b.kind == "chrome" and chrome.is_hard_end(b.text, b.reason):
            return False
        run = run + 1 if b.kind == "para" and len(b.text) >= chars else 0
        if run >= RESUME_PARAGRAPHS:
            return True
    return False


EMPTY_HEADER_PARAGRAPHS = 2


def _empty_header(blocks: list[Block], i: int) -> bool:
    """Whether the header at ``i`` ("Tags:", "Related") has nothing under it: the next blocks,
    past pictures, are EMPTY_HEADER_PARAGRAPHS paragraphs of RESUME_CHARS or more. A box's
    links were not printed (a script fills them), and the story goes on; a box's own items
    start with a title, never with a long paragraph."""
    after = (blocks[k] for k in range(i + 1, len(blocks)))  # lazily: not all the page, per header
    shown = (b for b in after if b.reason not in _PICTURE and b.reason != "empty")
    first = list(islice(shown, EMPTY_HEADER_PARAGRAPHS))
    return len(first) == EMPTY_HEADER_PARAGRAPHS and all(
        b.kind == "para" and len(b.text) >= RESUME_CHARS for b in first
    )


HEADER_COUNT_WITHIN = 2  # blocks between a byline or date and the story's comment count


def _header_count(blocks: list[Block], i: int) -> bool:
    """Whether block ``i`` is a comment count in a story's header ("11 Comments" under "Ann
    Lee, Associated Press, December 2, 2016"): it links to the comments; they are not here."""
    b = blocks[i]
    return (
        b.reason == "comments"
        and any(ch.isdigit() for ch in b.text)
        and b.words <= 4
        and any(
            _is_meta(x) or (x.words <= MAX_DATED_WORDS and _STAMP_DATE.search(x.text))
            for x in blocks[max(0, i - HEADER_COUNT_WITHIN) : i]
        )
    )


MAX_DATED_WORDS = 8  # a line of a header that holds a date: "Associated PressDecember 2, 2016"
_STAMP_DATE = re.compile(_MONTH_DAY_YEAR, re.I)


def _run_scores(blocks: list[Block]) -> list[float]:
    """Each block's score (``_score``), the items of a list that a sentence of the story
    leads into ("I'll sum them up:") scored as the story's prose they are: at the story's end
    such a list, of short items, would otherwise weigh as a box of links after it."""
    scores = [_score(b) for b in blocks]
    for i, b in enumerate(blocks):
        if b.kind == "chrome" or b.in_list or not _story_lead_in(b):
            continue
        j = i + 1
        while (
            j < len(blocks)
            and blocks[j].in_list
            and blocks[j].kind != "chrome"
            and (j == i + 1 or blocks[j].next_to(blocks[j - 1]))
        ):  # to the blank line that ends the list
            scores[j] = max(scores[j], float(len(blocks[j].text)))
            j += 1
    return scores


def best_run(blocks: list[Block]) -> tuple[int, int]:
    """Indices [start, end) of the maximum-sum run of block scores.

    Text after a hard end ("Most popular") counts half, after a comments header a quarter:
    teasers and comments there can be long, but the story comes first on a page.
    """
    best, best_span = 0.0, (0, 0)
    total, start = 0.0, 0
    weight = 1.0
    scores = _run_scores(blocks)
    for i, b in enumerate(blocks):
        if total <= 0:
            total, start = 0.0, i
        score = scores[i]
        if score == -HARD_END_PENALTY and _header_count(blocks, i):
            score = -INLINE_BOX_PENALTY  # the story's own count, under its byline: not its end
        if (
            score == -HARD_END_PENALTY
            and chrome.is_related_header(b.reason)
            and (
                _story_resumes(blocks, i, MORE_OF_WITHIN, 0)
                if chrome.is_more_of(b.text)
                else _story_resumes(blocks, i) or _empty_header(blocks, i)
            )
        ):
            score = -INLINE_BOX_PENALTY  # a box set into the story ("Most read"), not its end
        if score == -HARD_END_PENALTY and best >= STORY_BEGUN:
            # readers' comments, however long, are never the story: a quarter
            weight = min(weight, 0.25 if b.reason == "comments" else 0.5)
        total += score * weight if score > 0 else score
        if total > best:
            best, best_span = total, (start, i + 1)
    return best_span


# The list of the page's link addresses a text browser prints at the end when it numbers
# links (lynx's default, w3m's -o display_link_number=1): "References", "Visible links:" and
# "Hidden links:" (lynx), and one line per link numbered up from 1, "1. https://..." or
# "[1] https://...", to the end of the text (an image map's links after its "[USEMAP]" and
# address, numbered from 1 again). The numbers it puts before each link in the
# text ("and [40]the results are in") go with it.
_LINK_LIST_HEAD = re.compile(r"^References:?[ \t]*$", re.M)
_LINK_LIST_PART = re.compile(r"(visible|hidden) links:?", re.I)
_LINK_ENTRY = re.compile(r"(\d+)\.|\[(\d+)\]")
_LINK_NUMBER = re.compile(r"\[\d+\]")
LINK_LIST_OTHER = 0.1  # lines that are no link, per link in the list
# lynx's first line, the page's <link> elements (its feeds, its edit page, its other
# languages) as numbered links after a "#": "#[1]Edit this page [2]Wikipedia Atom feed".
# Not the page's text, and no headline.
_HEAD_LINKS = re.compile(r"#(\[\d+\][^\[\]]+)+")


def _link_list_at(text: str) -> int | None:
    """Where a text browser's list of link addresses starts, if the text ends in one: after
    its header, its parts' names and links numbered from 1 upwards (lynx leaves out a
    number here and there), and few other lines (an address written over several lines).
    Only the last header is looked at: the list holds no other, and looking after each of
    many would take time in the square of the text's length."""
    heads = list(_LINK_LIST_HEAD.finditer(text))
    if not heads:
        return None
    m = heads[-1]
    last, entries, other = 0, 0, 0
    for line in text[m.end() :].split("\n"):
        parts = line.split()
        if not parts or _LINK_LIST_PART.fullmatch(line.strip()):
            continue
        if parts[0] == "[USEMAP]":
            last = -1  # an image map's own list follows its address, numbered from 1
            continue
        if len(parts) == 1 and "://" in parts[0]:
            continue  # the image map's address, or the rest of a long one
        entry = _LINK_ENTRY.fullmatch(parts[0])
        if entry is None or len(parts) < 2 or ":" not in parts[1]:
            other += 1
            continue
        number = int(entry.group(1) or entry.group(2))
        if number <= last or (last <= 0 and number != 1):
            return None
        last, entries = number, entries + 1
    return m.start() if entries and other <= LINK_LIST_OTHER * entries else None


def _without_link_list(text: str) -> list[Block]:
    """The blocks of ``text`` less a text browser's list of link addresses, and less the
    link numbers that point into it (taken out after the lines are joined: the browser
    counted them in the width it wrapped at)."""
    at = _link_list_at(text)
    if at is None:
        return split_blocks(text)
    blocks = split_blocks(text[:at])
    if blocks and _HEAD_LINKS.fullmatch(blocks[0].text):
        blocks = blocks[1:]
    for b in blocks:
        b.text = " ".join(_LINK_NUMBER.sub(" ", b.text).split())
    return [b for b in blocks if b.text]


def extract_text_page(text: str) -> TextPage:
    blocks = _without_link_list(text)
    classify(blocks)
    start, end = best_run(blocks)
    end = _before_boxed_tail(blocks, start, end)
    if (
        start + 1 < end
        and _question_headline(blocks[start])
        and (blocks[start + 1].kind == "para" or _is_meta(blocks[start + 1]))
    ):
        start += 1  # a headline that asks, read as a paragraph: the header's, not the story's
    start = _story_starts_earlier(blocks, start)
    dropped: list[Dropped] = []
    title, dek, byline, date, site = _header(blocks[:start], dropped)
    body = _body(blocks[start:end], dropped, blocks[end:])
    for b in blocks[end:]:
        dropped.append(Dropped(b.text, b.reason or "after the story", b.line))
    if body and title and body[0][1] == title:
        body = body[1:]
    # a dump's runs of spaces (between inline elements, "My Top  10") are one word gap, and
    # lynx's mark where a button sits in what is read ("Share (BUTTON)") is not read
    body = [(kind, " ".join(_BUTTON_MARK.sub("", text).split())) for kind, text in body]
    title, dek = " ".join(title.split()), " ".join(dek.split())
    return TextPage(title, dek, byline, date, site, body, dropped)


# A rule across the page as a browser or a converter prints <hr>: w3m's "━━━", lynx's "___",
# html2text's "* * *" (papercast's Markdown reader draws "───")
_HR = re.compile(r"[━─_=*\s-]{10,}|(\*\s*){3,}")
BOXED_TAIL_SHARE = 0.5  # of the story above the rule, at most, that a box's blurb may be


def _is_rule(b: Block) -> bool:
    return b.reason == "form field or rule" and bool(_HR.fullmatch(b.text.strip()))


def _before_boxed_tail(blocks: list[Block], start: int, end: int) -> int:
    """The run's end, moved back to the last rule in it when what follows the rule runs
    straight into a sign-up box (a promotion, with only a form's fields between): the
    paragraphs the rule opens are that box's blurb ("Short of time? Our weekly letter ...")
    or a press release's company boilerplate above its form ("Tidewater makes cranes for
    ports in nine countries ..."), printed as prose in a dump, not the story. A story's own
    sections after a rule end in its last paragraph, not in a sign-up box; and a section
    longer than half the story above the rule is kept: the story is never the lesser part."""
    j = end
    while j < len(blocks) and blocks[j].reason in ("empty", "form field or rule"):
        if _is_rule(blocks[j]):
            return end
        j += 1
    if j == len(blocks) or blocks[j].reason != "promotion":
        return end
    k = end - 1
    while k > start and not _is_rule(blocks[k]):
        k -= 1
    if k <= start:
        return end
    cut = sum(len(b.text) for b in blocks[k:end] if b.kind == "para")
    kept = sum(len(b.text) for b in blocks[start:k] if b.kind == "para")
    return k if cut <= BOXED_TAIL_SHARE * kept else end


def _story_starts_earlier(blocks: list[Block], start: int) -> int:
    """The story's start, moved back over the short sentences a blog opens with ("The
    refreshing autumn sky!"), which cost the best run more than they were worth, and over
    the pictures between them; never past the headline, standfirst, byline or date."""
    header = {t for t in _header(blocks[:start], []) if t}
    k = start
    while k > 0:
        b = blocks[k - 1]
        if b.text in header or (b.kind == "chrome" and b.reason not in _PICTURE):
            break
        if b.kind != "chrome" and not (_TERMINAL.search(b.text) and b.words >= 3 and not b.in_list):
            break
        k -= 1
    while k < start and blocks[k].kind == "chrome":
        k += 1  # a picture before the first sentence stays outside the story
    return k


_PICTURE = {"image placeholder", "photo caption", "photo credit", "photo caption with credit"}


def _is_title_like(b: Block, min_words: int) -> bool:
    if b.kind == "chrome" or b.in_list:
        return False
    t = b.text
    if _question_headline(b):
        return True
    return (
        min_words <= b.words <= 30
        and not t.endswith((".", ":", ";", ","))
        and not _DATE.search(t)
        and not (b.words <= 6 and _DATE_INSIDE.search(t))  # a rubric and its date
        and not _BYLINE.match(t)
    )


def _question_headline(b: Block) -> bool:
    """A short block ending in a question mark, its sentences capitalised like a title ("The
    GOP Is the Problem. Is Identity Politics the Solution?")."""
    words = b.text.split()
    capitals = sum(w[:1].isupper() for w in words if len(w) > 3)
    long_words = sum(1 for w in words if len(w) > 3)
    return (
        b.text.endswith("?")
        and 4 <= len(words) <= 20
        and long_words > 0
        and capitals >= 0.75 * long_words
    )


def _is_meta(b: Block) -> bool:
    text = chrome.strip_bullet(b.text)
    return bool(_BYLINE.match(text) or _DATE.search(text))


def _title_score(zone: list[Block], i: int, last_nav: int) -> float:
    """How headline-like candidate ``i`` is: long enough, near byline/date, not a dek or alt
    text."""
    after = [b for b in zone[i + 1 :] if not b.reason][:6]
    before = [b for b in zone[:i] if not b.reason][-2:]
    score = min(zone[i].words, 20) + 3.0 * (i > last_nav) - 0.05 * (len(zone) - i)
    meta_at = next((k for k, b in enumerate(after) if _is_meta(b)), None)
    if meta_at is not None:
        score += 10 if meta_at < 4 else 6  # byline or date just below
    if any(_is_meta(b) for b in before):
        score += 6
    if after and after[0].kind == "para":
        score += 4  # a dek or the lead follows
    if _twinned(zone, i):
        score -= 15  # a teaser printed twice (its picture's alt text, then its link)
    elif i > 0 and _is_title_like(zone[i - 1], 4) and not _twinned(zone, i - 1):
        score -= 10  # a dek right under its headline
    if i + 1 < len(zone) and (zone[i + 1].reason or "").startswith("photo"):
        score -= 20  # an image's alt text above its caption
    if meta_at is None and _meta_belongs_above(zone, i):
        score -= 8  # below a line that has its byline or date: the standfirst
    return score


def _twinned(zone: list[Block], i: int) -> bool:
    """Whether block ``i`` is one of a run of teasers each printed twice in a row, as a dump
    prints other stories' (a picture's alt text, then its link): two such pairs or more. (A
    headline alone may be printed twice, as a share card's title and as itself.)"""

    def pair_at(k: int) -> bool:  # blocks k and k + 1 the same text
        return 0 <= k and k + 1 < len(zone) and zone[k].text == zone[k + 1].text

    first = i - 1 if pair_at(i - 1) else i if pair_at(i) else None
    return first is not None and (pair_at(first - 2) or pair_at(first + 2))


def _meta_belongs_above(zone: list[Block], i: int) -> bool:
    """Whether a byline or date above ``i`` is nearer to an earlier headline-like line than to
    ``i`` (within 15 blocks): that line is the headline, ``i`` the standfirst under it."""
    for m in range(i - 1, max(-1, i - 16), -1):
        if zone[m].reason or not _is_meta(zone[m]):
            continue
        return any(_is_title_like(zone[j], 3) and m - j < i - m for j in range(max(0, m - 5), m))
    return False


def _header(zone: list[Block], dropped: list[Dropped]) -> tuple[str, str, str, str, str]:
    """Headline, dek, byline, date and site from the blocks above the story."""
    last_nav = -1
    for i, b in enumerate(zone):
        if (b.in_list or b.reason in ("form field or rule", "navigation")) and (
            b.reason != "share/follow button"
        ):  # the site's menus, not the share bar under a headline
            last_nav = i
    candidates = [i for i, b in enumerate(zone) if _is_title_like(b, 3)]
    title_i = max(candidates, key=lambda i: _title_score(zone, i, last_nav), default=None)
    tagline = next((i for i, b in enumerate(zone) if b.reason == chrome.WIKI_TAGLINE), None)
    if tagline and _is_title_like(zone[tagline - 1], 1):
        title_i = tagline - 1  # a wiki prints its tagline right under the page's title
    if title_i is None and zone and last_nav < 0 and _is_title_like(zone[0], 1):
        title_i = 0
    title = dek = byline = date = site = ""
    if title_i is not None:
        title = zone[title_i].text
        if (
            title_i > 0
            and zone[title_i - 1].kind != "chrome"
            and zone[title_i - 1].words <= 3
            and not zone[title_i - 1].in_list
            and not _DATE.search(zone[title_i - 1].text)
            and zone[title_i - 1].text.lower() not in ("updated", "published", "live", "breaking")
        ):
            site = zone[title_i - 1].text
    # a headline printed twice (above its standfirst and byline, and again over the story):
    # what stands under its first copy is its header
    first = next((k for k, b in enumerate(zone) if b.text == title), title_i)
    for i, b in enumerate(zone):
        used = i == title_i
        reason = ""
        if first is not None and i > first and i != title_i and not b.reason:
            if not byline and _BYLINE.match(b.text):
                byline, used = (
                    re.sub(r"^(by|words by|written by|story by)\s+", "", b.text, flags=re.I),
                    True,
                )
            elif not date and _DATE.search(b.text):
                date, used = b.text, True
            elif b.text == title:
                reason = "repeated headline"
            elif not dek and b.words >= 6 and not chrome.is_bullet(b.text) and not b.in_list:
                dek, used = b.text, True
        if not used:
            reason = (
                reason
                if b.text == title
                else b.reason or ("site name" if b.text == site else "page chrome before the story")
            )
            dropped.append(Dropped(b.text, reason, b.line))
    return title, dek, byline, date, site


# A list item that starts with a quantity: "1 large or 1200 g whole chicken", "2½ cups rice",
# "½ teaspoon salt", "A pinch of salt", "Two eggs" (ingredients, materials, specifications).
_QUANTITY_WORDS = "an?|one|two|three|four|five|six|eight|ten|twelve|a few|a pinch|a handful"
_QUANTITY_ITEM = re.compile(rf"^[\W_]*(\d|[¼½¾⅓⅔⅛]|({_QUANTITY_WORDS})\s)", re.I)


def _measured_lists(run: list[Block]) -> set[int]:
    """Indices of blocks in runs of three or more bullet items that each start with a quantity:
    a list of measures (a recipe's ingredients, a kit's parts), part of the story although
    each item is short and ends without a full stop."""
    out: set[int] = set()
    streak: list[int] = []
    for i, b in enumerate([*run, Block(0, "")]):
        if (
            b.text
            and chrome.is_bullet(b.text)
            and _QUANTITY_ITEM.match(chrome.strip_bullet(b.text))
        ):
            streak.append(i)
            continue
        if len(streak) >= 3:
            out.update(streak)
        streak = []
    return out


def _introduced_lists(run: list[Block]) -> set[int]:
    """Indices of bullet items of lists the story introduces: right after a sentence leading
    into them ("... you should have at hand:") or a subhead, with the story going on after
    the list (a paragraph or another subhead), as a how-to's kit list and its steps' bullets
    are. A list whose items repeat the story's own subheads (a table of contents) is not;
    a program's lines may repeat another listing's ("FROM python:3.12")."""
    out: set[int] = set()
    texts = [b.text for b in run]
    counts = Counter(texts)
    i = 0
    while i < len(run):
        b = run[i]
        opens = b.kind != "chrome" and (
            not chrome.is_bullet(b.text) and (_LEAD_IN.search(b.text) and b.words >= 4
                                              or _is_heading(b) or b.lead_in)
            or _numbered_heading(b)
        )  # fmt: skip
        j = i + 1
        while j < len(run) and chrome.is_bullet(run[j].text) and not run[j].reason:
            j += 1  # the bullets under it
        if not opens and b.kind == "para":  # a paragraph, over a list of what it goes on to say
            opens = _said_in_items(run[i + 1 : j])
        if not opens:
            j = i + 1
        if opens and j == i + 1 and _leads_in(b):  # or the code it introduces, line by line
            while (
                j < len(run)
                and j - i <= MAX_CODE_LINES
                and (_is_code(run[j]) or _is_command(run[j]))
            ):
                j += 1
        if (
            opens
            and i + 1 < j == len(run)
            and chrome.is_bullet(run[i + 1].text)
            and _story_lead_in(b)
        ):  # the story's last list, which only the page's furniture may follow
            k = i + 2
            while k < j and run[k].next_to(run[k - 1]):
                k += 1  # to the blank line that ends it
            if all(_a_clause(chrome.strip_bullet(run[m].text)) for m in range(i + 1, k)):
                out.update(range(i + 1, k))
                i = k
                continue
        after = run[j] if j < len(run) else None
        items = range(i + 1, j)
        if (
            items
            and after is not None
            and (
                after.kind == "para"
                or _leads_in(after)
                or _is_heading(after)
                or _numbered_heading(after)
            )
            # a label repeated over a page's tabs opens none; one that ends in a colon, over
            # each section's list ("Pros:", "Cons:"), opens each
            and (counts[b.text] == 1 or b.text.endswith(":"))
            and not {
                chrome.strip_bullet(run[k].text) for k in items if chrome.is_bullet(run[k].text)
            }
            & (set(texts[: i + 1]) | set(texts[j:]))  # a program's lines may repeat
        ):
            out.update(items)
        i = max(j, i + 1)
    return out


MAX_CODE_LINES = 40
MIN_ITEM_WORDS = 3


def _a_clause(text: str) -> bool:
    """An item that says something ("Slotted classes save a lot of memory"), not a title in
    a list of links ("Related Topics", "How We Test Laptops")."""
    return len(text.split()) > MIN_ITEM_WORDS and _sentence_case(text)


def _said_in_items(items: list[Block]) -> bool:
    """Items that carry the story on from the paragraph above them: two or more, each of a
    few words at least and each a sentence with its full stop or a clause in lower case
    ("the x-axis shows the stack's depth"). A list of links to other stories between two
    paragraphs has its headlines' style instead: a capital, and no full stop."""
    texts = [chrome.strip_bullet(b.text) for b in items]
    return len(texts) >= 2 and all(
        len(t.split()) >= MIN_ITEM_WORDS and (bool(_TERMINAL.search(t)) or t[:1].islower())
        for t in texts
    )


_CODE_MARK = re.compile(r"^(>>>|\.\.\.|\$ |#|//)|[=;{}()\[\]<>]")


# a shell's prompt before a command ("$ pip freeze", "% make", ">>> len(x)"); a directory
# tree's branch or a directory ("|-- bin/", "└── src/", "venv/")
_PROMPT = re.compile(r"(\$|%|>>>) (?!\d)\S")  # "$ 5 million ..." is money, as the normaliser says
_TREE_LINE = re.compile(r"(?:[|│]\s*)*(?:[|`]--|[├└]──)\s*\S.*|[\w.-]+/")


def is_shell_or_tree(text: str) -> bool:
    """A command at a shell's prompt or a directory tree's line: a program's, whatever marks
    it carries ("$ ls > files.txt" is no breadcrumb trail)."""
    return bool(_PROMPT.match(text) or _TREE_LINE.fullmatch(text))


MAX_COMMAND_WORDS = 12


def _is_command(b: Block) -> bool:
    """A command as a how-to prints it with no prompt ("pip install tides", "make -j4"):
    a short line that opens in lower case and ends with no mark a sentence or a label ends
    with. Only what a sentence leads into is taken for one."""
    t = b.text
    return (
        b.kind != "para"
        and not b.reason
        and 1 <= b.words <= MAX_COMMAND_WORDS
        and (t[:1].islower() or t.startswith(("./", "-")) or bool(_STATEMENT.match(t)))
        and not chrome.is_bullet(t)
        and not re.search(r"[.!?:;,]$", t)
    )


def _is_code(b: Block) -> bool:
    """A line of a program or a terminal session: prompts, brackets, operators, a comment, a
    directory tree's branch."""
    t = b.text
    if b.kind == "para":
        return False
    if is_shell_or_tree(t):
        return True
    symbols = sum(ch in "=;{}()[]<>#$:._" for ch in t)
    return bool(_CODE_MARK.search(t)) and symbols >= max(2, len(t) // 25)


def _closes_widget(b: Block) -> bool:
    """A sign-up widget's last part: another promotion, or the form's field as a browser prints
    it ("Email [ ] [Sign up]")."""
    return b.reason == "promotion" or (b.reason == "form field or rule" and "[" in b.text)


_READ_MORE = re.compile(r"(read|see|continue reading|learn) more\W*", re.I)


def _read_more_follows(blocks: list[Block]) -> bool:
    """The first of ``blocks`` that is not an empty bullet is a bare "Read more" link, or the
    card's date on a line of its own ("March 17, 2016", as a list of related posts gives
    each title, its blurb and its date)."""
    nxt = next((n for n in blocks if n.reason != "empty"), None)
    return nxt is not None and (
        chrome.is_related_header(nxt.reason)
        and bool(_READ_MORE.fullmatch(nxt.text.strip()))
        or nxt.kind != "para"
        and nxt.words <= 6
        and bool(_DATE.match(nxt.text.strip()))
    )


def _body(
    run: list[Block], dropped: list[Dropped], after: list[Block] | None = None
) -> list[tuple[str, str]]:
    """The story's blocks as headings and paragraphs; ``after``: the blocks after the run (a
    widget that began inside it may close there)."""
    body: list[tuple[str, str]] = []
    seen: set[str] = set()
    introduced = _introduced_lists(run)
    measured = _measured_lists(run) | introduced
    in_related = False
    numbered = -1  # the number of the story's last numbered subhead ("4. Hotel rooms ...")
    last_promo: tuple[int, int] | None = None  # (block index, len(body)) at the last promotion
    for i, b in enumerate(run):
        # a sign-up widget: a promotion, then its blurb, then another promotion or the form's
        # field ("Email [ ] [Sign up]"): the blurb is not the story
        if _closes_widget(b) and last_promo is not None and i - last_promo[0] <= 4:
            while len(body) > last_promo[1]:
                dropped.append(Dropped(body.pop()[1], "subscription widget", b.line))
        if b.reason == "promotion":
            last_promo = (i, len(body))
        if b.kind == "para":
            if in_related and _read_more_follows([*run[i + 1 :], *(after or ())]):
                # a card in a list of the site's other stories: its title, its blurb, then
                # "READ MORE"; the blurb is a teaser, not the story going on
                dropped.append(Dropped(b.text, "teaser (links elsewhere)", b.line))
                continue
            in_related = False
        if b.kind == "chrome":
            if chrome.is_related_header(b.reason):
                in_related = True
                if body and body[-1][0] == "heading" and b.text.lower().startswith("read"):
                    dropped.append(Dropped(body.pop()[1], "promoted link", b.line))
            dropped.append(Dropped(b.text, b.reason or "chrome", b.line))
            continue
        if b.text in seen and not (b.program or i in introduced and not chrome.is_bullet(b.text)):
            # a program repeats its lines ("@classmethod", a second Dockerfile's "FROM ...")
            dropped.append(Dropped(b.text, "repeated text", b.line))
            continue
        if b.kind == "para":
            seen.add(b.text)
            body.append(("para", strip_dateline(b.text)))
            continue
        nxt = next((n for n in run[i + 1 :] if n.kind != "chrome"), None)
        opens_list = i + 1 in introduced  # a subhead over a list the story introduces
        numbering = _NUMBERED.match(b.text)
        number = int(b.text[: numbering.start(1)].strip(" .)")) if numbering else None
        if (
            in_related
            and number == numbered + 1
            and _numbered_heading(b)
            and nxt is not None
            and nxt.kind == "para"
        ):
            in_related = False  # "5. ..." after the story's "4. ...": the story goes on
        if in_related and not b.in_list and _story_lead_in(b):
            in_related = False  # the story's own sentence, leading into what follows: it goes on
            prev = run[i - 1] if i else None
            if (
                prev is not None
                and dropped
                and (dropped[-1].line, dropped[-1].reason) == (prev.line, "related link")
                and _is_heading(prev)
            ):  # under the subhead the box seemed to hold
                body.append(("heading", dropped.pop().text))
        if in_related:
            dropped.append(Dropped(b.text, "related link", b.line))
        elif b.datum:
            seen.add(b.text)
            body.append(("para", chrome.strip_bullet(b.text)))
        elif i in introduced:
            # an item of a list the story introduces ("1. Finland", "2. Norway") or a line of
            # the program it leads into: read as an item, not as a subhead over the next one
            seen.add(b.text)
            body.append(("para", chrome.strip_bullet(b.text)))
        elif _BYLINE.match(b.text) or _DATE.search(b.text):
            dropped.append(Dropped(b.text, "byline or date", b.line))
        elif chrome.is_web_address(b.text):
            dropped.append(Dropped(b.text, "web address", b.line))
        elif _CREDIT_LINE.match(b.text):
            dropped.append(Dropped(b.text, "quote attribution or credit", b.line))
        elif _is_heading(b) and i + 1 < len(run) and run[i + 1].reason == "promotion":
            # a sign-up widget's own heading ("Get the morning briefing"), right above its
            # "Sign up for our newsletter": the widget, not a subhead of the story
            dropped.append(Dropped(b.text, "subscription widget", b.line))
        elif (
            _is_heading(b)
            and nxt is not None
            and (nxt.kind == "para" or _leads_in(nxt) or opens_list or nxt.datum)
        ):
            body.append(("heading", b.text))
        elif _numbered_heading(b) and (
            nxt is not None and nxt.kind == "para" and nxt.words >= 12 or opens_list
        ):
            # "1. Choose the right pot" above its paragraph: a numbered section of a how-to
            # or a list article, not a list item (those follow one another)
            body.append(("heading", b.text))
            if number is not None:
                numbered = number
        elif (
            (_TERMINAL.search(b.text) and b.words >= 3 or _leads_in(b))
            and not chrome.is_bullet(b.text)
            or _step(b)
            or _answers(run, i)
        ):
            seen.add(b.text)
            body.append(("para", strip_dateline(b.text)))
        elif i in measured or b.program:
            seen.add(b.text)
            body.append(("para", chrome.strip_bullet(b.text)))
        else:
            dropped.append(Dropped(b.text, "short line (link or label)", b.line))
    # a widget that closes just after the story's run with its form's field: the one short
    # blurb between its title and the field goes with it (a story's last section after a lone
    # "Subscribe" button, closed by a sign-off, is still the story)
    for k, b in enumerate((after or [])[:2]):
        if b.reason != "form field or rule" or "[" not in b.text or last_promo is None:
            continue
        blurb = body[last_promo[1] :]
        if len(run) + k - last_promo[0] <= 3 and len(blurb) == 1 and len(blurb[0][1]) <= 200:
            dropped.append(Dropped(body.pop()[1], "subscription widget", b.line))
        break
    while body and body[-1][0] == "heading":
        dropped.append(Dropped(body.pop()[1], "heading with no text after it"))
    return body


_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+(\S.*)$")
_TURN = re.compile(r"(Q|A)[:.] +\S")  # an interview's question and answer, "Q: ...", "A: ..."


def _answers(run: list[Block], i: int) -> bool:
    """An interview's answer under its question ("Q: Favourite meal?" / "A: Fish stew"),
    however short: the story, as the question is."""
    m = _TURN.match(run[i].text)
    if not m or m.group(1) != "A":
        return False
    prev = next((p for p in reversed(run[:i]) if p.kind != "chrome"), None)
    return prev is not None and prev.text.startswith(("Q:", "Q."))


def _leads_in(b: Block) -> bool:
    """A sentence of six words or more ending in a colon: it introduces what follows (or one
    that runs on into the program under it, ``Block.lead_in``)."""
    return bool(_LEAD_IN.search(b.text)) and b.words >= 6 or b.lead_in


MIN_RUN_ON_WORDS = 8
_RUN_ON_END = re.compile(r"[a-z][\w-]*$")  # "... is simply invoking", "... by calling"


def _runs_into(b: Block) -> bool:
    """Prose that stops mid-sentence, on a word in lower case with no mark after it, eight
    words at least (or goes on from the program above it: "will create it. Activate it
    with"). Over a program's line, it leads into that line as a colon would."""
    return b.words >= MIN_RUN_ON_WORDS and not b.in_list and bool(_RUN_ON_END.search(b.text))


def _step(b: Block) -> bool:
    """A numbered step written as a clause without its full stop ("5. After two weeks, when
    the roots are an inch long, plant the seeds in soil"): too long for a subhead."""
    m = _NUMBERED.match(b.text)
    return m is not None and b.words > 16 and m.group(1)[:1].isupper()


def _numbered_heading(b: Block) -> bool:
    """A short numbered line: its text a heading's, or a question ("37. What did ...?")."""
    m = _NUMBERED.match(b.text)
    if not m or not 2 <= b.words <= 16 or len(b.text) > 120:
        return False
    rest = m.group(1)
    return rest[:1].isupper() and not re.search(r"[.!:;,]['\"’”)]*$", rest)


def _is_heading(b: Block) -> bool:
    t = b.text
    if b.words == 1 and t.isupper():
        return False  # a lone word in capitals is a logo or a label, not a subhead
    if _leads_in(b):
        return False  # a sentence leading into a list or a quotation: read as one
    return (
        1 <= b.words <= 14
        and len(t) <= 100
        and not _TERMINAL.search(t)
        and not t.endswith((",", ";"))
        and (t[0].isupper() or t[0].isdigit() or t[0] in "\"“‘'")
        and not chrome.is_bullet(t)
    )


MAX_DATE_LINE_WORDS = 20


def is_date_line(text: str) -> bool:
    """A post's date line, with what a blog prints beside it ("January 13, 2020 at 08:45 AM |
    categories: Python | View Comments"; "Updated 3 May 2026"): opens with the date, short,
    no full stop at its end."""
    return (
        bool(_DATE.search(text))
        and len(text.split()) <= MAX_DATE_LINE_WORDS
        and not _TERMINAL.search(text)
    )


def is_byline(text: str) -> bool:
    """A line that is a byline ("By Ann Lee, BBC News, New York"; "Posted by Ann Lee"), not
    a sentence: short, no full stop at its end."""
    return bool(_BYLINE.match(text)) and len(text.split()) <= 12 and not _TERMINAL.search(text)


def strip_dateline(text: str) -> str:
    """'MINSK, Nov 14 (Reuters) - The...' -> 'Minsk — The...': the place (and its region) is
    read, the date and the agency are not, in any cased script and after any dash. A dateline
    without an agency ("SÃO PAULO — The...") has nothing to drop and is kept as written; the
    normaliser says its place as a name, not as letters (normalize.py, _dateline_place)."""
    m = _DATELINE.match(text)
    if not m or m.group("agency") is None or not _dateline(m):
        g = _GLUED_DATELINE.match(text)
        if g is None or not text[g.end()].isupper() or not _dateline(g):
            return text
        m = g
        if m.group("place") is None:
            return text[m.end() :]  # "(Coast Wire)The president ...": the agency alone
    place = m.group("place")
    if place.isupper():
        place = place.title()
    region = m.group("region")
    return f"{place}{', ' + region if region else ''} — {text[m.end() :]}"


def _dateline(m: re.Match[str]) -> bool:
    """Whether the shape that matched is a dateline, judged by the case of its letters."""
    place, region, agency = (m.group(k) for k in ("place", "region", "agency"))
    date = m.groupdict().get("date")
    place = place or ""
    capitals = place.isupper()
    if region and not region[:1].isupper():
        return False
    if date and not any(w[:1].isupper() for w in date.split() if w[:1].isalpha()):
        return False  # "3 March", "Nov. 14": the month is capitalised
    if agency is not None:
        words = agency.split()
        wire = len(words) <= 4 and (
            all(w[:1].isupper() or w[:1] == "&" for w in words)
            or (len(words) == 1 and 2 <= len(words[0]) <= 4 and words[0].isalpha())
        )
        titled = all(w[:1].isupper() for w in place.split())
        return wire and (capitals or titled)
    return False
