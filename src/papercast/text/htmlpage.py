"""HTML pages to an Article, with trafilatura finding the main content.

trafilatura (Apache-2.0, actively maintained) scores 70/72 on the shared real
page set, against 41 for reading all visible text; writing our own DOM
heuristics would be months of work to match it. We ask it for XML so that
subheads (``<head>``) survive as sections, and run the same chrome rules as for
scraped text over what it keeps, so every input format speaks the same script.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from html import unescape as html_unescape
from typing import Any, NamedTuple

from lxml import etree
from lxml import html as lxml_html

from papercast.errors import InputError, NoArticleError
from papercast.text import chrome
from papercast.text.article import build_article
from papercast.text.textpage import (
    gallery_slides,
    is_byline,
    is_date_line,
    is_player_label,
    row_sentence,
    strip_dateline,
)
from papercast.types import Article, Dropped

_WS = re.compile(r"\s+")


_OPEN_RUN = re.compile(r"(?:<(?:div|span|section|font|center)\b[^<>]*>\s*){50,}", re.I)
_CLOSE_RUN = re.compile(r"(?:</(?:div|span|section|font|center)\s*>\s*){50,}", re.I)
MAX_DEPTH = (
    120  # trafilatura's parser gives up on deeper markup (libxml2 stops at 256 without huge_tree)
)


def flatten_deep(html: str, max_depth: int = MAX_DEPTH) -> str:
    """Markup nested deeper than ``max_depth`` with the wrappers beyond it unwrapped (their
    text and children kept): parsed once with lxml's huge_tree, which has no depth limit."""
    if html.count("<") < max_depth:
        return html
    # Long runs of bare wrapper tags (thousands deep, as generated or malicious pages have) are
    # dropped as text first: libxml2's HTML parser stops nesting at about 2,000 levels.
    html = _OPEN_RUN.sub("", html)
    html = _CLOSE_RUN.sub("", html)

    parser = lxml_html.HTMLParser(huge_tree=True, remove_comments=True)
    try:
        root = lxml_html.document_fromstring(html, parser=parser)
    except (etree.ParserError, ValueError):
        return html
    depth: dict[object, int] = {}
    for e in root.iter():  # document order: a parent comes before its children
        parent = e.getparent()
        depth[e] = 0 if parent is None else depth[parent] + 1
    if max(depth.values(), default=0) <= max_depth:
        return html
    wrappers = {
        "div",
        "span",
        "section",
        "article",
        "main",
        "font",
        "center",
        "b",
        "i",
        "em",
        "strong",
        "u",
    }

    def chain_link(e) -> bool:  # type: ignore[no-untyped-def]
        """A wrapper that holds nothing but one other element: unwrapping it loses nothing."""
        kids = list(e)
        return (
            isinstance(e.tag, str)
            and e.tag in wrappers
            and e.getparent() is not None
            and len(kids) == 1
            and not (e.text or "").strip()
            and not (kids[0].tail or "").strip()
        )

    victims = [e for e in root.iter() if chain_link(e)]
    if max(depth.values()) - len(victims) > max_depth:  # not just chains: unwrap deep wrappers too
        victims = [
            e
            for e in root.iter()
            if isinstance(e.tag, str)
            and e.tag in wrappers
            and depth[e] >= max_depth // 2
            and e.getparent() is not None
        ]
    for e in reversed(victims):  # deepest first, so each unwrap moves only its own children
        e.drop_tag()
    return etree.tostring(root, encoding="unicode", method="html")


def extract_html(html: str, source: str) -> Article:
    try:
        import trafilatura
    except ImportError as e:  # pragma: no cover - a broken install
        raise InputError(f"HTML input needs trafilatura and lxml_html_clean: {e}") from e
    from trafilatura.deduplication import LRUCache

    html = flatten_deep(html)

    def run(links: bool, dedup: bool = True) -> Any:
        try:
            # Deduplication with a cache of this page only: trafilatura's default cache is
            # process-wide, so a page extracted twice in one process (a feed rebuild, an edited
            # article) would come back empty the second time.
            xml = trafilatura.extract(
                html,
                output_format="xml",
                with_metadata=True,
                include_comments=False,
                include_tables=True,
                include_images=False,
                include_links=links,
                # Recall first: papercast's own rules take out what does not belong, by kind;
                # measured on the development halves (news-html-more 73 -> 75/77, the web and
                # 12-page sets unchanged; held-out halves unchanged): docs/DECISIONS.md
                favor_recall=True,
                deduplicate=LRUCache(maxsize=4096) if dedup else False,
            )
        except Exception as e:  # trafilatura raises many kinds on malformed markup
            raise InputError(f"{source}: cannot parse HTML: {e}") from e
        if not xml and dedup:
            # trafilatura's document-level duplicate test counts the body against the segments
            # this same call counted (its fallback passes read a block more than once), so a
            # page can be discarded as a copy of itself; with this page's own cache it cannot be
            # a copy of anything else (an AppleInsider review in Zyte's benchmark read as empty)
            return run(links, dedup=False)
        if not xml:
            raise NoArticleError(source)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        return etree.fromstring(xml.encode("utf-8"), parser)

    root = run(links=False)
    main = root.find("main")
    if main is None:
        raise NoArticleError(source)
    page = _page_tree(html)
    title = _visible_headline(page) or _strip_site(
        _clean(root.get("title") or ""), _clean(root.get("sitename") or "")
    )
    body: list[tuple[str, str]] = []
    dropped: list[Dropped] = []
    blocks = [b for b in _walk(main) if b.text]
    # What is read comes from trafilatura's plain output; asked for its links too, it keeps
    # different blocks (more link lines, fewer headings) and drops spaces after some links, so
    # the links are read from a second pass only for how much of each block they cover.
    # (asked only when some run of blocks could be a link list if all of it were links)
    if any(_link_runs([b._replace(linked=1.0) for b in blocks])):
        linked_main = run(links=True).find("main")
        shares = (
            {_key(b.text): b.linked for b in _walk(linked_main)} if linked_main is not None else {}
        )
        blocks = [b._replace(linked=shares.get(_key(b.text), 0.0)) for b in blocks]
    links = _link_runs(blocks)
    texts = [b.text for b in blocks]
    for k in gallery_slides(texts):
        links[k] = links[k] or "photo gallery"  # a box of other stories' pictures
    rules = [chrome.line_rule(t) for t in texts]
    for k, t in enumerate(texts):
        if len(t) <= MAX_VIDEO_TITLE and chrome.is_titled_video_header(t):
            rules[k] = rules[k] or "video block"  # "Watch: Storm waves hit the quay"
            label = texts[k + 1] if k + 1 < len(texts) else ""
            if label and is_player_label(label):
                rules[k + 1] = rules[k + 1] or "video block"  # its player's "Duration 2:31"
    for k in chrome.in_reader_appeals(texts, rules):
        rules[k] = rules[k] or "reader appeal"
    names = chrome.author_names(
        texts + _credit_lines(page), tuple(re.split(r"[;,]| and ", root.get("author") or ""))
    )
    for k, t in enumerate(texts):
        if chrome.is_bio_of(t, names):
            rules[k] = rules[k] or "author bio"  # "Ann Lee is a ..." on a page "By Ann Lee"
    notes = _picture_notes(page)
    in_bio = False  # under an "About the author" heading: the biography, to the next heading
    for k, ((kind, text, _), link) in enumerate(zip(blocks, links)):
        reason = (
            rules[k]
            or link
            or ("byline" if is_byline(text) else None)
            or ("byline or date" if kind != "heading" and is_date_line(text) else None)
            or ("web address" if chrome.is_web_address(text) else None)
        )
        if kind == "heading" and chrome.about_person(text, texts[k + 1 : k + 3]):
            reason = "author bio"  # "About Ann Lee" over her biography
        if reason == "form field or rule" and any(ch.isalnum() for ch in text):
            reason = None  # a printed form field ("[ ]") is a text dump's; here it is text
        if kind == "heading":
            in_bio = reason == "author bio"
        elif in_bio:
            reason = "author bio"
        if reason:
            dropped.append(Dropped(text, reason))
        elif kind == "heading" and text == title:
            continue
        else:
            if kind == "para":
                text = _unglued(strip_dateline(text), notes)
            body.append((kind, text))
    if body and body[0][1] == title:
        body = body[1:]
    pulls = _pull_quotes(body, {_clean("".join(q.itertext())) for q in main.iter("quote")})
    dropped += [Dropped(t, "pull quote") for k, (_, t) in enumerate(body) if k in pulls]
    body = [b for k, b in enumerate(body) if k not in pulls]
    declared = declared_story(html)
    if declared:  # the page's scripts draw the story: what trafilatura found is the frame
        dropped += [Dropped(t, "outside the story the page declares") for _, t in body]
        body = declared
    body = _with_recipe(body, html)
    while body and body[-1][0] == "heading":
        dropped.append(Dropped(body.pop()[1], "heading with no text after it"))
    return build_article(
        title=title,
        body=body,
        source=source,
        dek=_standfirst(_clean(root.get("description") or ""), title, body),
        byline=_clean(root.get("author") or ""),
        date=root.get("date") or "",
        site=_clean(root.get("sitename") or ""),
        dropped=dropped,
        site_from_metadata=True,
    )


MAX_VIDEO_TITLE = 160  # a "Watch: ..." line longer than this is a sentence of the story
MAX_LINK_WORDS = 12  # a menu entry or a related story's headline, not a paragraph
LINK_SHARE = 0.9  # of its letters inside links
LABELLED_LINK_SHARE = 0.5


def _link_runs(blocks: list[Block]) -> list[str | None]:
    """For each block, "link list" when it belongs to a run of short blocks that are links to
    other pages: two or more that are nothing but a link (a menu, a related-stories list, a
    tag cloud), or three or more that are mostly one, after a label ("A SIMPLE GUIDE: How do I
    protect myself?", a box of promoted links). One linked line alone may be the story's own
    (the title of a report it cites), and so may a linked sentence."""
    out: list[str | None] = [None] * len(blocks)
    for share, least in ((LINK_SHARE, 2), (LABELLED_LINK_SHARE, 3)):
        link = [
            b.linked >= share and len(b.text.split()) <= MAX_LINK_WORDS and b.text[-1:] != "."
            for b in blocks
        ]  # a headline or a menu's entry; a linked sentence ending in a full stop is prose
        i = 0
        while i < len(link):
            j = i
            while j < len(link) and link[j]:
                j += 1
            if j - i >= least:
                out[i:j] = ["link list"] * (j - i)
            i = j + 1
    return out


# --- a recipe's lists, from the page's schema.org data ----------------------------------------

PULL_QUOTE_WORDS = (6, 50)  # a pull quote's length, in words
_SHINGLE = 6
_GRAM_HOSTS = 2  # blocks kept per run of words: enough to find one other, bounded for any page


def _pull_quotes(body: list[tuple[str, str]], quotes: set[str]) -> set[int]:
    """Short quotations whose words all stand, in order, in a longer block of the story: pull
    quotes, which a page prints large beside the paragraph they come from (a list of the
    story's points may repeat its words, and is read). Found by runs of six words, so the
    time is in the length of the story."""
    words = [re.findall(r"\w+", t.lower()) for _, t in body]
    grams = [{tuple(w[i : i + _SHINGLE]) for i in range(len(w) - _SHINGLE + 1)} for w in words]
    hosts: dict[tuple[str, ...], list[int]] = {}
    for k, gs in enumerate(grams):
        for g in gs:
            found = hosts.setdefault(g, [])
            if len(found) < _GRAM_HOSTS:
                found.append(k)
    low, high = PULL_QUOTE_WORDS
    pulls: set[int] = set()
    for k, (_, text) in enumerate(body):
        if text not in quotes or not low <= len(words[k]) <= high:
            continue
        shared: set[int] | None = None
        for g in grams[k]:
            others = {h for h in hosts[g] if h != k}
            shared = others if shared is None else shared & others
            if not shared:
                break
        joined = " ".join(words[k])
        if shared and any(
            len(words[h]) > len(words[k]) and joined in " ".join(words[h]) for h in shared
        ):
            pulls.add(k)
    return pulls


MAX_LD_CHARS = 1_000_000  # a JSON-LD block larger than this is not read


def recipe_lists(html: str) -> list[tuple[str, list[str]]]:
    """A recipe's ingredients and steps as the page declares them for search engines
    (schema.org Recipe, as microdata ``itemprop`` or JSON-LD): ("Ingredients", [...]),
    ("Method", [...]); empty lists when the page declares none."""
    try:
        doc = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    ingredients = [
        _clean(e.text_content())
        for e in doc.xpath('//*[@itemprop="recipeIngredient" or @itemprop="ingredients"]')
    ]
    steps: list[str] = []
    for e in doc.xpath('//*[@itemprop="recipeInstructions"]'):
        items = e.xpath(".//li") or [e]
        steps += [_clean(i.text_content()) for i in items]
    if not ingredients and not steps:
        for data in _ld_objects(doc):
            for recipe in _ld_find(data, _is_recipe):
                ingredients += [_clean(str(x)) for x in recipe.get("recipeIngredient") or []
                                if isinstance(x, str)]  # fmt: skip
                steps += _ld_steps(recipe.get("recipeInstructions"))
    return [
        (name, list(dict.fromkeys(x for x in items if x)))  # a page may show a list twice
        for name, items in (("Ingredients", ingredients), ("Method", steps))
    ]


def _ld_objects(doc: Any) -> list[Any]:
    """What the page's JSON-LD blocks declare, each parsed (a block that is not JSON, or is
    larger than MAX_LD_CHARS, is passed over)."""
    out = []
    for script in doc.xpath('//script[@type="application/ld+json"]'):
        text = script.text or ""
        if len(text) > MAX_LD_CHARS:
            continue
        try:
            out.append(json.loads(text, strict=False))  # raw newlines in strings are common
        except (ValueError, RecursionError):  # not JSON, or nested past the parser's depth
            continue
    return out


def _ld_find(
    data: Any, wanted: Callable[[dict[str, Any]], bool], depth: int = 0
) -> list[dict[str, Any]]:
    """The objects under ``data`` (a JSON-LD block) that ``wanted`` picks, at any depth of a
    ``@graph``, a ``mainEntity`` or a list (six levels at most)."""
    if depth > 6:
        return []
    if isinstance(data, list):
        return [r for x in data for r in _ld_find(x, wanted, depth + 1)]
    if not isinstance(data, dict):
        return []
    found = [data] if wanted(data) else []
    return found + [
        r
        for v in data.values()
        if isinstance(v, (dict, list))
        for r in _ld_find(v, wanted, depth + 1)
    ]


def _declares_body(o: dict[str, Any]) -> bool:
    return isinstance(o.get("articleBody"), str)  # an Article, a NewsArticle, a BlogPosting


def _is_recipe(o: dict[str, Any]) -> bool:
    kind = o.get("@type")
    return "Recipe" in (kind if isinstance(kind, list) else [kind])


MIN_DECLARED_WORDS = 80  # a declared body shorter than this is a summary, not the story
SHOWN_SHARE = 0.5  # of the declared body's words that the page itself shows
_WORD = re.compile(r"\w+")
_MARKUP = re.compile(r"<(p|div|h[1-6]|ul|ol|li|br|blockquote|pre)\b", re.I)
_DECLARED_BLOCKS = "|".join(f".//{tag}" for tag in "p h1 h2 h3 h4 h5 h6 li pre blockquote".split())


def _words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _WORD.findall(text))


def declared_story(html: str) -> list[tuple[str, str]]:
    """The story a page declares for search engines (schema.org ``articleBody`` in JSON-LD)
    when the page itself does not show it: a page drawn by its scripts, whose markup holds a
    headline, a byline and an empty frame. [] unless the declared body has MIN_DECLARED_WORDS
    words or more and fewer than SHOWN_SHARE of them are in the page's visible text.
    Paragraphs are the body's own (its markup's blocks, or its lines); a body that is one run
    of text is one paragraph."""
    if "articleBody" not in html:
        return []  # most pages: no second parse
    doc = _page_tree(html)
    if doc is None:
        return []
    bodies = [o["articleBody"] for d in _ld_objects(doc) for o in _ld_find(d, _declares_body)]
    best = max(bodies, key=len, default="")
    text = html_unescape(best)
    blocks: list[tuple[str, str]] = []
    if _MARKUP.search(text):  # a body given as markup
        try:
            fragment = lxml_html.fragment_fromstring(text, create_parent="div")
        except (etree.ParserError, ValueError):
            return []
        for e in fragment.xpath(".//script|.//style"):
            e.drop_tree()  # a body's own scripts are not its text
        for e in fragment.xpath(_DECLARED_BLOCKS):
            if e.xpath("ancestor::li|ancestor::blockquote"):
                continue  # read with its list item or quotation
            kind = "heading" if e.tag in ("h1", "h2", "h3", "h4", "h5", "h6") else "para"
            blocks.append((kind, _clean(e.text_content())))
        text = fragment.text_content()
    if not blocks:
        blocks = [("para", _clean(line)) for line in text.splitlines()]
    blocks = [b for b in blocks if b[1]]
    said = _words(text)
    if sum(said.values()) < MIN_DECLARED_WORDS:
        return []
    for e in doc.xpath("//script|//style|//noscript|//template"):
        e.drop_tree()
    shown = _words(doc.text_content())
    if sum((said & shown).values()) >= SHOWN_SHARE * sum(said.values()):
        return []  # the page shows its story: trafilatura read it there
    return blocks


def _ld_steps(value: Any, depth: int = 0) -> list[str]:
    if depth > 4 or value is None:
        return []
    if isinstance(value, str):
        return [_clean(lxml_html.fromstring(value).text_content())] if value.strip() else []
    if isinstance(value, list):
        return [s for v in value for s in _ld_steps(v, depth + 1)]
    if isinstance(value, dict):
        if value.get("itemListElement") is not None:
            return _ld_steps(value["itemListElement"], depth + 1)
        return _ld_steps(value.get("text"), depth + 1)
    return []


_METHOD = re.compile(
    r"(method|directions|instructions|preparation|steps|how to (make|prepare|cook)\b)", re.I
)


def _with_recipe(body: list[tuple[str, str]], html: str) -> list[tuple[str, str]]:
    """The body with a recipe's declared ingredients and steps where trafilatura dropped most
    of a list: the ingredients before the first step the body has (else before a heading such
    as "Method", else at the end), the steps at the end. A list the body mostly has already is
    left as it is."""
    if "recipe" not in html.lower():
        return body
    said = " ".join(_WS.sub(" ", t).lower() for _, t in body)
    lists = recipe_lists(html)
    steps = dict(lists).get("Method", [])
    out = list(body)
    for name, items in lists:
        missing = [x for x in items if _WS.sub(" ", x).lower() not in said]
        if len(items) < 2 or len(missing) * 2 < len(items):
            continue
        block = [("heading", name), *(("para", x) for x in items)]
        first_step = next(  # where the body's steps begin: the ingredients go before them
            (
                i
                for i, (k, t) in enumerate(out)
                if k == "para" and any(t[:40] in st for st in steps)
            ),
            len(out),
        )
        if first_step == len(out):  # steps not declared: before the method's own heading
            first_step = next(
                (i for i, (k, t) in enumerate(out) if k == "heading" and _METHOD.match(t)),
                len(out),
            )
        at = first_step if name == "Ingredients" else len(out)
        while name == "Ingredients" and 0 < at and out[at - 1][0] == "heading":
            at -= 1  # before the step's own heading ("1")
        out[at:at] = block
    return out


def _standfirst(description: str, title: str, body: list[tuple[str, str]]) -> str:
    """The page's own summary (its meta or Open Graph description) as the standfirst, when it
    reads as one: a sentence of eight words or more that the story does not already say (many
    pages repeat their first paragraph there) and that is not chrome ("Read the latest news
    on ...")."""
    if len(description.split()) < 8 or not re.search(r"[.!?…]['\"’”]?$", description):
        return ""
    if chrome.line_rule(description) or description == title:
        return ""
    said = " ".join(t for _, t in body).lower()
    head = _WS.sub(" ", description.lower())
    if head[:60] in said or head[-60:] in said:
        return ""
    return description


_BLOCKS = ("head", "p", "quote", "list", "table", "div", "section")
MAX_CELL_WORDS = 40  # a cell with more words than this holds the page's text, not a datum


class Block(NamedTuple):
    kind: str  # "heading" or "para"
    text: str
    linked: float  # the share of its letters inside links to another page


def _block(kind: str, e: Any) -> Block:
    text = _clean(_text_of(e))
    return Block(kind, text, _linked(e, text))


def _text_of(e: Any) -> str:
    """An element's text, a line break in it a space ("a unique dialogue.<br>For loved
    gifts" is two sentences, not "dialogue.For")."""
    parts = [e.text or ""]
    for child in e:
        parts += [" " if child.tag == "lb" else _text_of(child), child.tail or ""]
    return "".join(parts)


def _linked(e: Any, text: str) -> float:
    """The share of ``text``'s letters that are inside links to another page (a link to a
    place on the same page, "#method", is not one)."""
    letters = sum(ch.isalnum() for ch in text)
    if not letters:
        return 0.0
    refs = [] if e is None else [r for r in e.iter("ref") if _external(r)]
    inside = sum(ch.isalnum() for r in refs for ch in "".join(r.itertext()))
    return min(1.0, inside / letters)


def _external(ref: Any) -> bool:
    """A link to another page, not to a place on this one ("#method")."""
    return not (ref.get("target") or "#").startswith("#")


def _key(text: str) -> str:
    """A block's text as the two passes both give it: letters and digits only."""
    return re.sub(r"\W+", "", text).lower()


def _walk(element: object) -> list[Block]:
    """Blocks in reading order. A container's own loose text (text beside its blocks, as a
    page laid out in a table's cells has) is a paragraph of its own, a line break ending one;
    a short label ending in a colon ("MEANING:") joins the loose text that follows it."""
    out: list[Block] = []
    loose: list[str] = [element.text or ""]  # type: ignore[attr-defined]
    links: list[str] = []  # the loose text's letters inside links
    label = -1  # index in out of a label paragraph that loose text may still join

    def flush() -> None:
        nonlocal label
        text = _clean("".join(loose))
        letters = sum(ch.isalnum() for ch in text)
        linked = min(1.0, sum(ch.isalnum() for ch in "".join(links)) / letters) if letters else 0.0
        loose.clear()
        links.clear()
        if not text:
            return
        if label == len(out) - 1 >= 0:
            first = out[label]
            share = (first.linked * len(first.text) + linked * len(text)) / (
                len(first.text) + len(text)
            )  # the label's and the text's, by length
            out[label] = Block("para", f"{first.text} {text}", share)
        else:
            out.append(Block("para", text, linked))
        label = -1

    for child in element:  # type: ignore[attr-defined]
        tag = child.tag
        if tag == "lb":
            flush()
        elif tag not in _BLOCKS:
            piece = "".join(child.itertext())
            loose.append(piece)
            links.extend("".join(r.itertext()) for r in child.iter("ref") if _external(r))
        else:
            flush()
            if tag == "head":
                out.append(_block("heading", child))
            elif tag == "quote" and any(k.tag in _BLOCKS for k in child):
                out.extend(_walk(child))  # a quote of paragraphs: each its own, not run together
            elif tag in ("p", "quote"):
                out.append(_block("para", child))
                text = out[-1].text
                label = len(out) - 1 if text.endswith(":") and len(text.split()) <= 4 else -1
            elif tag == "list":
                out.extend(_block("para", item) for item in child.iter("item"))
            elif tag == "table":
                out.extend(_table(child))
            else:
                out.extend(_walk(child))
        loose.append(child.tail or "")
    flush()
    return out


def _table(table: Any) -> list[Block]:
    """A table's text. A table that lays out the page (a cell holding paragraphs or headings,
    or one column only) is read cell by cell like any container; a table of data is read row
    by row as sentences (``row_sentence``), with the header row's names when it has one."""
    rows = [list(r.iter("cell")) for r in table.iter("row")]
    rows = [r for r in rows if r]
    cells = [c for r in rows for c in r]
    texts = [[_clean("".join(c.itertext())) for c in r] for r in rows]
    layout = max((sum(1 for t in r if t) for r in texts), default=0) <= 1 or any(
        len(c) and any(k.tag in _BLOCKS for k in c) or len(t.split()) > MAX_CELL_WORDS
        for c, t in zip(cells, (t for r in texts for t in r))
    )
    if layout:
        return [b for c in cells for b in _walk(c)]
    head: list[str] = []
    out: list[Block] = []
    for row, text in zip(rows, texts):
        if not any(text):
            continue
        if not head and all(c.get("role") == "head" for c in row):
            head = text
            continue
        line = row_sentence(head, text)
        linked = sum(_linked(c, t) * len(t) for c, t in zip(row, text)) / max(
            1, sum(map(len, text))
        )
        out.append(Block("para", line, linked))
    return out


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _page_tree(html: str) -> Any:
    """The page as lxml reads it, for what trafilatura's output leaves out (the <h1>, the
    credit lines); None when lxml cannot read it."""
    try:
        return lxml_html.fromstring(html)
    except (ValueError, TypeError):
        return None


def _in_furniture(e: Any) -> bool:
    """Inside the page's navigation, a side box or the footer, where other stories sit."""
    return any(a.tag in ("nav", "footer", "aside") for a in e.iterancestors())


def _visible_headline(doc: Any) -> str:
    """The page's own <h1> (what a reader sees), when it reads like a headline.

    og:title is often a social-media rewrite ("Falsely reporting a contact ... will
    receive £1,000 fine") of the visible "Coronavirus: £1,000 fine for ...".
    """

    if doc is None:
        return ""
    h1s = list(doc.iter("h1"))
    # schema.org's own mark for the headline first; then the others in order
    h1s.sort(key=lambda h: (h.get("itemprop") or "").lower() != "headline")
    for h1 in h1s:
        if _in_furniture(h1):
            continue
        if any("logo" in f"{e.get('class') or ''} {e.get('id') or ''}".lower() for e in h1.iter()):
            continue  # the site's name as its logo ("msn back to msn home"), not the story's
        text = _clean(" ".join(h1.itertext()))
        first = h1[0] if len(h1) else None
        if first is not None and not (h1.text or "").strip():
            label = _clean(" ".join(first.itertext()))
            rest = _clean(text[len(label) :]) if text.startswith(label) else ""
            if label and len(label.split()) <= 3 and len(rest.split()) >= 3:
                text = rest  # a rubric ("Open Progress") set inside the <h1> before the headline
        if 3 <= len(text.split()) <= 40:
            return text
    return ""


_CREDIT_MARK = re.compile(r"author|byline|reviewer|checker|fact-?check|contributor", re.I)


def _credit_lines(doc: Any) -> list[str]:
    """The page's credit lines as it marks them (class, id, itemprop or rel naming an author,
    a byline, a reviewer or a fact checker: "Fact checked by Anna Berg"), outside its
    navigation, side boxes and footer, where other stories' credits sit; trafilatura leaves
    them out of the story it returns."""
    if doc is None:
        return []
    lines = []
    for e in doc.iter():
        if not isinstance(e.tag, str):
            continue
        marks = " ".join(e.get(a) or "" for a in ("class", "id", "itemprop", "rel"))
        if not _CREDIT_MARK.search(marks):
            continue
        text = _clean(" ".join(e.itertext()))
        if not text or len(text) > 120:
            continue
        if _in_furniture(e):
            continue
        lines.append(text if re.search(r"(?i)\bby\b", text) else f"By {text}")
    return lines


# a picture's credit or caption as a page marks it: "photo-credit", "image__source",
# itemprop="copyrightHolder", "wp-caption-text"
_PICTURE_NOTE = re.compile(
    r"(?:^|[-_ ])(?:caption|credits?|source|copyright\w*|photographer|attribution)(?:$|[-_ ])",
    re.I,
)
MAX_NOTE_WORDS = 40
NOTE_REACH = 4  # ancestors in which the picture it belongs to is looked for
MAX_BOX_WORDS = 2 * MAX_NOTE_WORDS  # a picture's box: the picture, its credit and caption


def _picture_notes(doc: Any) -> set[str]:
    """The texts of the page's picture credits and captions: elements marked so (class or
    itemprop) whose nearest ancestor holding a picture (<img>, <picture>, <figure>) is one of
    their NOTE_REACH nearest and is the picture's own box: MAX_BOX_WORDS words at most, not
    the story or the page around it."""
    notes: set[str] = set()
    if doc is None:
        return notes
    # the elements that hold a picture, found from the pictures up: asking each marked
    # element's ancestors for a picture below them would read a page of many marked
    # elements in the square of its size. (The set holds the elements, so lxml hands back
    # the same objects for them below.)
    holders = {a for p in doc.iter("img", "picture", "figure") for a in p.iterancestors()}
    holders |= set(doc.iter("figure"))
    small: dict[Any, bool] = {}  # holder -> whether it is a picture's own box
    for e in doc.iter():
        if not isinstance(e.tag, str):
            continue
        if not _PICTURE_NOTE.search(f"{e.get('class') or ''} {e.get('itemprop') or ''}"):
            continue
        text = _clean(" ".join(e.itertext()))
        if not text or len(text.split()) > MAX_NOTE_WORDS:
            continue
        box = next((a for a in list(e.iterancestors())[:NOTE_REACH] if a in holders), None)
        if box is None:
            continue
        if box not in small:
            small[box] = _words_at_most(box, MAX_BOX_WORDS)
        if small[box]:
            notes.add(text)
    return notes


def _words_at_most(e: Any, limit: int) -> bool:
    """Whether ``e`` holds at most ``limit`` words (read only as far as the limit)."""
    n = 0
    for chunk in e.itertext():
        n += len(chunk.split())
        if n > limit:
            return False
    return True


def _unglued(text: str, notes: set[str]) -> str:
    """A paragraph without the picture credit glued to its first word: a picture set inside
    the paragraph's element gives trafilatura its credit and the story's first sentence as
    one text with no space between ("Anna Berg/Coast TimesThe harbour board voted ..."). A
    sentence that begins with a word a caption also holds ("Tidewater is ...") has its
    space."""
    for note in notes:
        if text.startswith(note) and text[len(note) : len(note) + 1].isupper():
            return text[len(note) :]
    return text


def _strip_site(title: str, site: str) -> str:
    """'Losing face ... | The Japan Times' -> 'Losing face ...'."""
    for sep in (" | ", " - ", " — ", " – "):
        head, _, tail = title.rpartition(sep)
        if head and (tail.strip() == site or len(tail.split()) <= 4):
            return head.strip()
    return title
