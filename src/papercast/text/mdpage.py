"""A web page saved as Markdown (html2text, a browser's "save as Markdown", a reader
service) to the lines a text browser would print, for the text page cleaner."""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

_PARSER = MarkdownIt("commonmark").enable("table")

# A line that is only links (and images), with a list's bullet or none: a menu's item
_LINK_LINE = re.compile(r"^\s*([-*+]\s+|\d+[.)]\s+)?(!?\[[^\]]*\]\([^)]*\)[\s|·•,/-]*)+$")
SAVED_PAGE_LINK_LINES = 5  # a site's menus; Markdown written here has 1 to 3 (and a test 4)


def is_saved_page(text: str) -> bool:
    """Whether Markdown ``text`` is a whole web page converted, menus and all, rather than an
    article someone wrote: it has lines that are nothing but links, as a site's menus are."""
    return sum(1 for line in text.split("\n") if _LINK_LINE.match(line)) >= SAVED_PAGE_LINK_LINES


# A link's address that a converter wrapped at its line width ("](https://site/early-\n
# retirement)", once or more: the piece after a break runs to the address's title, its end
# or the next break), or that kept the page's own spaces ("](javascript:void\(0\); )", an
# escaped bracket in it). CommonMark allows no space in an address, so the link would be
# read as its raw markup. The address is put back together.
_ADDRESS_PIECE = r"(?:\\[()]|[^()\s\"])+"
_BROKEN_ADDRESS = re.compile(
    rf"\]\([ \t]*\n?[ \t]*(?:{_ADDRESS_PIECE}\s+)+(?=(?:{_ADDRESS_PIECE})?(?:\)|\"))"
)  # its pieces are taken in one match: joining one break a pass took time in the square


def _joined(m: re.Match[str]) -> str:
    before_title = m.string[m.end() : m.end() + 1] == '"'  # '](address "Its title")'
    return "".join(m.group(0).split()) + (" " if before_title else "")


def _inline(tok: Token) -> str:
    out: list[str] = []
    for child in tok.children or ():
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type == "image":
            out.append(" ")  # its description is never read
    return " ".join(html.unescape("".join(out)).split())


def page_lines(text: str) -> str:
    """Markdown ``text`` as plain lines: a paragraph a line, a list item a bulleted line, a
    heading a line between blank ones, a table's row its cells; links read as their text."""
    lines: list[str] = []
    lists: list[list[int]] = []  # per open list: [next number] or [] for bullets
    item_open = in_cell = False
    row: list[str] = []
    source = _BROKEN_ADDRESS.sub(_joined, text)
    source_lines = source.split("\n")
    first_item = False
    for tok in _PARSER.parse(source):
        kind = tok.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = tok.attrGet("start")
            lists.append([int(start) if start else 1] if kind == "ordered_list_open" else [])
            first_item = True
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            lines.append("")
        elif kind == "list_item_open":
            item_open = True
            if not first_item and tok.map and not source_lines[tok.map[0] - 1].strip():
                # a blank line between two items: CommonMark makes one loose list of them, but
                # a converter writes two lists one under the other so ("• last step" / "" /
                # "• Author: ..."), as a text browser prints them
                lines.append("")
            first_item = False
        elif kind == "tr_open":
            row = []
        elif kind == "tr_close":
            lines.append(" | ".join(row))
        elif kind == "table_close":
            lines.append("")
        elif kind in ("th_open", "td_open"):
            in_cell = True
        elif kind in ("th_close", "td_close"):
            in_cell = False
        elif kind in ("fence", "code_block"):
            lines += [*tok.content.rstrip("\n").split("\n"), ""]
        elif kind == "hr":
            lines += ["", "─" * 20, ""]
        elif kind == "inline":
            said = _inline(tok)
            if in_cell:
                row.append(said)
                continue
            if item_open and lists:
                marker = f"{lists[-1][0]}." if lists[-1] else "•"
                if lists[-1]:
                    lists[-1][0] += 1
                said = "  " * (len(lists) - 1) + f"{marker} {said}"
                item_open = False
                lines.append(said)
            else:
                lines += [said, ""] if said else []
    return "\n".join(lines) + "\n"
