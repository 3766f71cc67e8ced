"""SSML input: what writers coming from Amazon Polly, Azure or Google already mark up.

A ``.ssml`` file (or ``--ssml``) is read as W3C SSML 1.1 (``speak`` at the root, in the SSML
namespace or none) and becomes the episode's script directly: what it says is what is read,
in its order (no headline is added; ``<meta name="title" content="...">`` names the episode,
else its first sentence does).

What each element does here:

- ``p`` and ``s``: paragraphs and sentences (text outside ``s`` is cut into sentences by the
  same NLTK segmenter as any article);
- ``break``: silence, ``time`` ("500ms", "1.5s") or ``strength`` (none 0, x-weak 100,
  weak 250, medium 400, strong 750, x-strong 1200 ms); inside a sentence it cuts the sentence
  there, and the silence replaces the pause that would follow;
- ``sub alias``: the alias is said, the text is written (transcripts, the read-along page);
- ``say-as interpret-as``: characters / spell-out / letters (each letter or digit said by its
  name), cardinal / number, ordinal, digits, date with ``format`` (mdy, dmy, ymd, md, dm, my,
  ym, y), time, telephone; the words go through the same normaliser as any article;
- ``phoneme alphabet="ipa"|"x-sampa" ph``: the phonemes reach the voice exactly as given
  (X-SAMPA converted to IPA); a symbol the voice cannot say is refused by the render;
- ``prosody rate`` (x-slow 60 %, slow 80 %, medium 100 %, fast 120 %, x-fast 150 %, or a
  percentage; the span is 100/rate times as long) and ``volume`` (silent, x-soft -12, soft
  -6, medium 0, loud +6, x-loud +12 dB, or "+3dB"); ``pitch``, ``range``, ``contour`` and
  ``duration`` are refused (a VITS voice has no pitch control to give them);
- ``emphasis``, approximated with the two controls a VITS voice has, pace and level, and
  short pauses: strong is read 20 % slower and 2 dB louder with 100 ms of silence either side,
  moderate 10 % slower and 1 dB louder with 50 ms, reduced 10 % faster and 2 dB softer;
- ``voice name`` / ``speaker``: another voice (a profile, an installed voice or a model) or
  another speaker of the episode's voice; ``lang xml:lang`` (and ``xml:lang`` on ``p``,
  ``s``, ``voice``): a voice of that language, found among the profiles and installed voices;
- ``mark name``: a chapter of that name starts there, and a cue boundary;
- ``audio src``: a local sound file (relative to the SSML file), played in its place;
  ``desc`` and fallback text inside it are the written form; URLs are refused;
- ``meta name content``: ``title`` names the episode; other names are kept out of the audio.

Anything else (unknown elements or attributes, other namespaces) is refused with its line
and column. The XML is read with defusedxml, as PLS lexicons are: a DTD, entity declarations
and external entities are refused, and so is nesting deeper than 32 elements.
"""

from __future__ import annotations

import calendar
import io
import re
import xml.sax
from dataclasses import dataclass, field, replace
from pathlib import Path

from defusedxml import DefusedXmlException
from defusedxml.sax import make_parser

from papercast.errors import InputError, LexiconError
from papercast.settings import DateOrder
from papercast.text.normalize import has_words, normalize, normalize_mapped
from papercast.text.numbers import cardinal, decimal, digits, ordinal, spelled, year
from papercast.text.segment import split_sentences
from papercast.text.xsampa import xsampa_to_ipa
from papercast.types import SPELL_OUT, Article, Role, Section, Sentence

SSML_NS = "http://www.w3.org/2001/10/synthesis"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
MAX_DEPTH = 32
CONTINUE_MS = 120  # between the parts of a sentence cut by a change of voice, rate or volume

# The attributes each element may have, as (namespace, name); None is no namespace.
_LANG = (XML_NS, "lang")
ALLOWED: dict[str, frozenset[tuple[str | None, str]]] = {
    "speak": frozenset({(None, "version"), _LANG, (XML_NS, "base"), (XSI_NS, "schemaLocation")}),
    "p": frozenset({_LANG}),
    "s": frozenset({_LANG}),
    "break": frozenset({(None, "time"), (None, "strength")}),
    "sub": frozenset({(None, "alias")}),
    "say-as": frozenset({(None, "interpret-as"), (None, "format"), (None, "detail")}),
    "phoneme": frozenset({(None, "alphabet"), (None, "ph")}),
    "prosody": frozenset({(None, "rate"), (None, "volume")}),
    "emphasis": frozenset({(None, "level")}),
    "voice": frozenset({(None, "name"), (None, "speaker"), _LANG}),
    "lang": frozenset({_LANG}),
    "mark": frozenset({(None, "name")}),
    "audio": frozenset({(None, "src")}),
    "desc": frozenset({_LANG}),
    "meta": frozenset({(None, "name"), (None, "content")}),
}
UNSUPPORTED = {
    (None, "pitch"): "a VITS voice has no pitch control",
    (None, "range"): "a VITS voice has no pitch control",
    (None, "contour"): "a VITS voice has no pitch control",
    (None, "duration"): "give a rate instead",
    (None, "gender"): "name the voice",
    (None, "age"): "name the voice",
    (None, "variant"): "name the voice",
}
STRENGTH_MS = {
    "none": 0,
    "x-weak": 100,
    "weak": 250,
    "medium": 400,
    "strong": 750,
    "x-strong": 1200,
}
RATE_WORDS = {"x-slow": 60.0, "slow": 80.0, "medium": 100.0, "default": 100.0, "fast": 120.0,
              "x-fast": 150.0}  # fmt: skip
VOLUME_WORDS = {"silent": -96.0, "x-soft": -12.0, "soft": -6.0, "medium": 0.0, "default": 0.0,
                "loud": 6.0, "x-loud": 12.0}  # fmt: skip
# emphasis level: (length factor, gain dB, silence either side ms)
EMPHASIS = {
    "strong": (1.2, 2.0, 100),
    "moderate": (1.1, 1.0, 50),
    "none": (1.0, 0.0, 0),
    "reduced": (0.9, -2.0, 0),
}
MAX_BREAK_MS = 10_000


@dataclass
class _Node:
    name: str
    attrs: dict[tuple[str | None, str], str]
    line: int
    column: int
    children: list[_Node | str] = field(default_factory=list)


class _Tree(xml.sax.handler.ContentHandler):
    """The document as nodes, each with where it starts; refuses what SSML does not allow."""

    def __init__(self, source: str) -> None:
        super().__init__()
        self.source = source
        self.root: _Node | None = None
        self._stack: list[_Node] = []
        self.locator: xml.sax.xmlreader.Locator | None = None

    def setDocumentLocator(self, locator: xml.sax.xmlreader.Locator) -> None:  # noqa: N802 (SAX API)
        self.locator = locator

    def where(self) -> tuple[int, int]:
        if not self.locator:
            return 0, 0
        return self.locator.getLineNumber() or 0, (self.locator.getColumnNumber() or 0) + 1

    def fail(self, why: str, at: tuple[int, int] | None = None) -> InputError:
        line, column = at or self.where()
        return InputError(f"{self.source}:{line}:{column}: {why}")

    def startElementNS(self, name, qname, attrs):  # type: ignore[no-untyped-def]  # noqa: N802
        ns, local = name
        if ns not in (None, SSML_NS):
            raise self.fail(f"<{qname or local}>: an element from another namespace ({ns})")
        if self.root is None and local != "speak":
            raise self.fail(f"not SSML: the root element is <{local}>, not <speak>")
        if local not in ALLOWED:
            raise self.fail(f"<{local}>: not an SSML element papercast reads")
        if len(self._stack) >= MAX_DEPTH:
            raise self.fail(f"<{local}>: nested deeper than {MAX_DEPTH} elements")
        values: dict[tuple[str | None, str], str] = {}
        for key in attrs.getNames():
            if key in UNSUPPORTED and local in ("prosody", "voice"):
                raise self.fail(f"<{local} {key[1]}>: not supported ({UNSUPPORTED[key]})")
            if key not in ALLOWED[local]:
                shown = key[1] if key[0] is None else f"{{{key[0]}}}{key[1]}"
                raise self.fail(f"<{local}>: unknown attribute {shown!r}")
            values[key] = attrs.getValue(key)
        node = _Node(local, values, *self.where())
        if self._stack:
            self._stack[-1].children.append(node)
        else:
            self.root = node
        self._stack.append(node)

    def endElementNS(self, name, qname):  # type: ignore[no-untyped-def]  # noqa: N802
        self._stack.pop()

    def characters(self, content: str) -> None:
        if self._stack:
            self._stack[-1].children.append(content)


def parse_ssml(text: str, source: str, date_order: DateOrder = DateOrder.MDY) -> Article:
    """The SSML document as an Article whose ``script`` is what it says; InputError naming the
    line and column of anything papercast does not read."""
    tree = _Tree(source)
    parser = make_parser()
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    parser.setContentHandler(tree)
    stream = xml.sax.xmlreader.InputSource(source)
    stream.setCharacterStream(io.StringIO(text))  # decoded already: its declaration is not obeyed
    try:
        parser.parse(stream)
    except DefusedXmlException as e:
        line, column = tree.where()
        raise InputError(
            f"{source}:{line}:{column}: refused: {e} (DTDs, entity declarations and external "
            f"entities are not allowed in SSML)"
        ) from e
    except xml.sax.SAXParseException as e:
        raise InputError(
            f"{source}:{e.getLineNumber()}:{(e.getColumnNumber() or 0) + 1}: malformed XML: "
            f"{e.getMessage()}"
        ) from e
    if tree.root is None:
        raise InputError(f"{source}: empty SSML document")
    base = Path(source).parent if source not in ("-", "<stdin>") else Path(".")
    reader = _Reader(tree, base, date_order)
    reader.walk(tree.root, _Style())
    return reader.article(source)


# --- from nodes to sentences ------------------------------------------------------------------


@dataclass(frozen=True)
class _Style:
    voice: str = ""
    rate: float = 1.0  # length factor
    gain_db: float = 0.0


@dataclass
class _Run:
    """A piece of a sentence: its written form and, when markup decides it, its spoken form or
    phonemes."""

    written: str
    style: _Style
    spoken: str | None = None
    ipa: str | None = None
    spell: bool = False  # say each letter and digit by its name


@dataclass
class _Break:
    ms: int


@dataclass
class _Mark:
    name: str


@dataclass
class _Audio:
    path: str
    written: str
    style: _Style


_Item = _Run | _Break | _Mark | _Audio


class _Reader:
    def __init__(self, tree: _Tree, base: Path, date_order: DateOrder) -> None:
        self.tree = tree
        self.base = base
        self.date_order = date_order
        self.title = ""
        self.paragraphs: list[list[list[_Item]]] = []  # paragraphs of sentences of items
        self._loose: list[_Item] = []  # items not inside an <s>, segmented when the run ends
        self._sentence: list[_Item] | None = None  # inside an <s>
        self._paragraph: list[list[_Item]] = []

    def fail(self, node: _Node, why: str) -> InputError:
        return self.tree.fail(f"<{node.name}>: {why}", (node.line, node.column))

    # -- the walk ------------------------------------------------------------------------------
    def _add(self, item: _Item) -> None:
        (self._sentence if self._sentence is not None else self._loose).append(item)

    def walk(self, node: _Node, style: _Style) -> None:
        name = node.name
        if name == "meta":
            if node.attrs.get((None, "name")) == "title":
                self.title = " ".join(node.attrs.get((None, "content"), "").split())
            return
        if name == "p":
            self._end_paragraph()
            self._children(node, self._lang(node, style))
            self._end_paragraph()
            return
        if name == "s":
            if self._sentence is not None:
                raise self.fail(node, "a sentence inside a sentence")
            self._flush_loose()
            self._sentence = []
            self._children(node, self._lang(node, style))
            self._paragraph.append(self._sentence)
            self._sentence = None
            return
        if name == "break":
            self._add(_Break(self._break_ms(node)))
            return
        if name == "mark":
            mark = node.attrs.get((None, "name"), "").strip()
            if not mark:
                raise self.fail(node, "needs a name")
            self._add(_Mark(mark))
            return
        if name == "audio":
            self._add(self._audio(node, style))
            return
        if name == "sub":
            alias = node.attrs.get((None, "alias"))
            if alias is None or not alias.strip():
                raise self.fail(node, "needs an alias (what is said)")
            self._add(_Run(self._text_only(node), style, spoken=" ".join(alias.split())))
            return
        if name == "say-as":
            written = self._text_only(node)
            said = self._say_as(node, written)
            self._add(_Run(written, style, spoken=said or written, spell=not said))
            return
        if name == "phoneme":
            self._add(_Run(self._text_only(node), style, ipa=self._phonemes(node)))
            return
        if name == "prosody":
            self._children(node, self._prosody(node, style))
            return
        if name == "emphasis":
            level = node.attrs.get((None, "level"), "moderate")
            if level not in EMPHASIS:
                raise self.fail(node, f"level {level!r} is not one of {', '.join(EMPHASIS)}")
            factor, gain, around = EMPHASIS[level]
            if around:
                self._add(_Break(around))
            self._children(
                node, replace(style, rate=style.rate * factor, gain_db=style.gain_db + gain)
            )
            if around:
                self._add(_Break(around))
            return
        if name == "voice":
            self._children(node, self._voice(node, style))
            return
        if name == "lang":
            if _LANG not in node.attrs:
                raise self.fail(node, "needs xml:lang")
            self._children(node, self._lang(node, style))
            return
        if name == "desc":
            return  # an audio's description: read as its written form (_audio)
        self._children(node, style)  # speak

    def _children(self, node: _Node, style: _Style) -> None:
        for child in node.children:
            if isinstance(child, str):
                if child:
                    self._add(_Run(child, style))
            else:
                self.walk(child, style)

    def _text_only(self, node: _Node) -> str:
        """The text of an element that may hold nothing but text (sub, say-as, phoneme)."""
        for child in node.children:
            if not isinstance(child, str):
                raise self.fail(child, f"not allowed inside <{node.name}> (text only)")
        text = " ".join("".join(node.children).split())  # type: ignore[arg-type]
        if not text:
            raise self.fail(node, "is empty")
        return text

    # -- attributes ------------------------------------------------------------------------
    def _break_ms(self, node: _Node) -> int:
        time = node.attrs.get((None, "time"))
        if time is not None:
            m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*", time)
            if not m:
                raise self.fail(node, f"time {time!r} is not a duration such as 500ms or 1.5s")
            ms = float(m.group(1)) * (1000 if m.group(2) == "s" else 1)
            if ms > MAX_BREAK_MS:
                raise self.fail(node, f"time {time!r} is longer than {MAX_BREAK_MS // 1000} s")
            return int(round(ms))
        strength = node.attrs.get((None, "strength"), "medium")
        if strength not in STRENGTH_MS:
            raise self.fail(node, f"strength {strength!r} is not one of {', '.join(STRENGTH_MS)}")
        return STRENGTH_MS[strength]

    def _prosody(self, node: _Node, style: _Style) -> _Style:
        rate, volume = node.attrs.get((None, "rate")), node.attrs.get((None, "volume"))
        if rate is not None:
            percent = RATE_WORDS.get(rate.strip())
            m = re.fullmatch(r"\s*([+-]?\d+(?:\.\d+)?)\s*%\s*", rate)
            if percent is None and m:
                value = float(m.group(1))
                percent = 100 + value if m.group(1)[0] in "+-" else value
            if percent is None or not 25 <= percent <= 400:
                raise self.fail(
                    node, f"rate {rate!r} is not x-slow..x-fast or a percentage from 25% to 400%"
                )
            style = replace(style, rate=style.rate * 100.0 / percent)
        if volume is not None:
            gain = VOLUME_WORDS.get(volume.strip())
            m = re.fullmatch(r"\s*([+-]?\d+(?:\.\d+)?)\s*dB\s*", volume)
            if gain is None and m:
                gain = float(m.group(1))
            if gain is None or not -96 <= gain <= 24:
                raise self.fail(
                    node, f"volume {volume!r} is not silent..x-loud or a gain such as +3dB"
                )
            style = replace(style, gain_db=style.gain_db + gain)
        return style

    def _voice(self, node: _Node, style: _Style) -> _Style:
        name = node.attrs.get((None, "name"), "").strip()
        speaker = node.attrs.get((None, "speaker"), "").strip()
        if "#" in name or "#" in speaker:
            raise self.fail(node, "a voice name or speaker with '#'")
        if not name and not speaker:
            return self._lang(node, style) if _LANG in node.attrs else style
        if not name:  # another speaker of the voice in use
            name = style.voice.partition("#")[0]
        return replace(style, voice=f"{name}#{speaker}" if speaker else name)

    def _lang(self, node: _Node, style: _Style) -> _Style:
        lang = node.attrs.get(_LANG)
        if lang is None:
            return style
        if not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*", lang.strip()):
            raise self.fail(node, f"xml:lang {lang!r} is not a language tag such as en-GB")
        return replace(style, voice=f"lang:{lang.strip()}")

    def _phonemes(self, node: _Node) -> str:
        ph = node.attrs.get((None, "ph"))
        if ph is None or not ph.strip():
            raise self.fail(node, "needs ph (the phonemes)")
        alphabet = node.attrs.get((None, "alphabet"), "ipa")
        if alphabet == "ipa":
            return " ".join(ph.split())
        if alphabet == "x-sampa":
            try:
                return xsampa_to_ipa(" ".join(ph.split()), "")
            except LexiconError as e:
                raise self.fail(node, str(e).lstrip(": ")) from None
        raise self.fail(node, f"alphabet {alphabet!r} is not ipa or x-sampa")

    def _audio(self, node: _Node, style: _Style) -> _Audio:
        src = node.attrs.get((None, "src"), "").strip()
        if not src:
            raise self.fail(node, "needs src (a local sound file)")
        if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", src) and not re.match(r"[A-Za-z]:[\\/]", src):
            raise self.fail(node, f"src {src!r}: only local files are played, not URLs")
        path = (self.base / src).resolve()
        if not path.is_file():
            raise self.fail(node, f"src {src!r}: no such file ({path})")
        written = " ".join(
            "".join(
                c if isinstance(c, str) else "".join(x for x in c.children if isinstance(x, str))
                for c in node.children
            ).split()
        )
        return _Audio(str(path), written, style)

    def _say_as(self, node: _Node, text: str) -> str:
        kind = node.attrs.get((None, "interpret-as"), "")
        fmt = node.attrs.get((None, "format"), "")
        try:
            if kind in ("characters", "spell-out", "letters", "verbatim"):
                return ""  # spelled by the phonemizer (a SPELL_OUT span)
            if kind in ("cardinal", "number"):
                return _cardinal(text)
            if kind == "ordinal":
                return ordinal(_whole(text.rstrip("stndrhSTNDRH.")))
            if kind == "digits":
                return digits(re.sub(r"\D", "", text) or text)
            if kind == "date":
                return _date(text, fmt or ("dmy" if self.date_order == DateOrder.DMY else "mdy"))
            if kind == "time":
                return normalize(text)
            if kind == "telephone":
                return ", ".join(spelled(g, zero="oh") for g in re.findall(r"\d+", text))
        except ValueError as e:
            raise self.fail(node, f"{text!r} is not a {kind}: {e}") from None
        raise self.fail(
            node,
            f"interpret-as {kind!r} is not one of characters, spell-out, cardinal, ordinal, "
            f"digits, date, time, telephone",
        )

    # -- sentences -----------------------------------------------------------------------------
    def _flush_loose(self) -> None:
        """Text outside ``s`` elements, cut into sentences by the segmenter."""
        items, self._loose = self._loose, []
        if not any(isinstance(i, (_Run, _Audio)) and _said(i) for i in items):
            if self._paragraph and items:  # breaks and marks between sentences: on the last one
                self._paragraph[-1].extend(items)
            elif items:
                self._paragraph.append(items)
            return
        self._paragraph.extend(_segment(items))

    def _end_paragraph(self) -> None:
        self._flush_loose()
        if self._paragraph:
            self.paragraphs.append(self._paragraph)
        self._paragraph = []

    def article(self, source: str) -> Article:
        self._end_paragraph()
        script: list[Sentence] = []
        written: list[str] = []
        mark = [""]  # a mark waiting for the next sentence
        for p, paragraph in enumerate(self.paragraphs):
            start = len(script)
            for items in paragraph:
                self._sentences(items, p, script, mark)
            if len(script) > start:
                script[-1] = replace(script[-1], last_in_paragraph=True)
                written.append(" ".join(s.text for s in script[start:] if s.text))
        if not script:
            raise InputError(f"{source}: the SSML says nothing (no text and no audio)")
        first = next((s.text for s in script if s.text), "")
        title = self.title or (first if len(first) <= 80 else first[:80].rsplit(" ", 1)[0] + "…")
        title = title or Path(source).stem
        return Article(
            title=title,
            sections=(Section("", tuple(w for w in written if w)),),
            source=source,
            script=tuple(script),
        )

    def _sentences(
        self, items: list[_Item], paragraph: int, script: list[Sentence], mark: list[str]
    ) -> None:
        """One sentence's items as Sentences added to ``script``: cut where a break, a mark, a
        sound file or a change of voice, rate or volume falls. A break's silence follows the
        sentence before it (a break before anything is said is dropped)."""
        runs: list[_Run] = []

        def close(pause_ms: int) -> None:
            nonlocal runs
            if runs:
                made = self._sentence_of(runs, paragraph, mark[0])
                if made is not None:
                    script.append(made)
                    mark[0] = ""
                runs = []
            if script and pause_ms >= 0:
                script[-1] = replace(script[-1], pause_ms=max(0, script[-1].pause_ms) + pause_ms)

        for item in items:
            if isinstance(item, _Break):
                close(item.ms)
            elif isinstance(item, _Mark):
                close(0 if any(_said(r) for r in runs) else -1)  # inside a sentence: no pause
                mark[0] = item.name
            elif isinstance(item, _Audio):
                close(-1)
                script.append(
                    Sentence(
                        item.written,
                        "",
                        0,
                        paragraph,
                        Role.BODY,
                        voice=item.style.voice,
                        gain_db=item.style.gain_db,
                        mark=mark[0],
                        audio=item.path,
                    )  # fmt: skip
                )
                mark[0] = ""
            else:
                if runs and runs[-1].style != item.style and _said(item):
                    close(CONTINUE_MS)
                runs.append(item)
        close(-1)

    def _sentence_of(self, runs: list[_Run], paragraph: int, mark: str) -> Sentence | None:
        written, spoken, origin, fixed = "", "", [], []
        style = next((r.style for r in runs if _said(r)), runs[0].style)
        for run in runs:
            at = len(written)
            gap = bool(written) and (written[-1].isspace() or run.written[:1].isspace())
            written += run.written
            if run.spoken is None and run.ipa is None:
                said, where = normalize_mapped(run.written, self.date_order)
                said, where = _strip_mapped(said, where)
                where = [at + w for w in where]
            else:
                said = run.spoken if run.spoken is not None else run.written.strip()
                where = [at + len(run.written) - len(run.written.lstrip())] * len(said)
            if not said:
                continue
            if spoken and (gap or said[0].isalnum() and spoken[-1].isalnum()):
                spoken += " "
                origin.append(where[0])
            if run.ipa is not None:
                fixed.append((len(spoken), len(spoken) + len(said), run.ipa))
            elif run.spell:
                fixed.append((len(spoken), len(spoken) + len(said), SPELL_OUT))
            spoken += said
            origin.extend(where)
        text = " ".join(written.split())
        if not has_words(spoken) and not fixed:
            return None
        squeezed = _squeezed(written)
        origin = [squeezed[min(o, len(squeezed) - 1)] for o in origin]
        return Sentence(
            text,
            spoken,
            0,
            paragraph,
            Role.BODY,
            False,
            tuple(origin),
            voice=style.voice,
            rate=round(style.rate, 6),
            gain_db=style.gain_db,
            fixed=tuple(fixed),
            mark=mark,
        )


def _said(item: _Item) -> bool:
    if isinstance(item, _Audio):
        return True
    return isinstance(item, _Run) and (
        item.spoken is not None or item.ipa is not None or bool(item.written.strip())
    )


def _segment(items: list[_Item]) -> list[list[_Item]]:
    """Items cut into sentences where the segmenter cuts their joined written text; a run whose
    form markup decides (sub, say-as, phoneme) is never cut."""
    text = "".join(i.written for i in items if isinstance(i, _Run))
    cuts, pos = [], 0
    for sentence in split_sentences(text):
        found = text.find(sentence, pos)
        if found < 0:
            return [items]
        pos = found + len(sentence)
        cuts.append(pos)
    cuts = cuts[:-1]
    out: list[list[_Item]] = [[]]
    at = 0
    for item in items:
        if not isinstance(item, _Run):
            out[-1].append(item)
            continue
        piece, start = item.written, at
        at += len(piece)
        while cuts and start < cuts[0] < at:
            if item.spoken is not None or item.ipa is not None:
                cuts.pop(0)  # inside a marked-up word: the cut moves after it
                continue
            k = cuts.pop(0) - start
            out[-1].append(replace(item, written=piece[:k]))
            out.append([])
            piece, start = piece[k:], start + k
        out[-1].append(replace(item, written=piece))
        if cuts and cuts[0] == at:
            cuts.pop(0)
            out.append([])
    return [sentence for sentence in out if sentence]


def _strip_mapped(said: str, where: list[int]) -> tuple[str, list[int]]:
    lead = len(said) - len(said.lstrip())
    stripped = said.strip()
    return stripped, where[lead : lead + len(stripped)]


def _squeezed(written: str) -> list[int]:
    """For each position of ``written``, its position in ``" ".join(written.split())``."""
    out, j, after_word = [], 0, False
    for ch in written:
        out.append(j)
        if not ch.isspace():
            j += 1
            after_word = True
        elif after_word:
            j += 1  # the one space kept between words
            after_word = False
    return out or [0]


def _whole(text: str) -> int:
    clean = text.replace(",", "").strip()
    if not re.fullmatch(r"-?\d{1,15}", clean):
        raise ValueError("not a whole number")
    return int(clean)


def _cardinal(text: str) -> str:
    clean = text.replace(",", "").strip()
    if re.fullmatch(r"-?\d{1,15}", clean):
        n = int(clean)
        return ("minus " if n < 0 else "") + cardinal(abs(n))
    if re.fullmatch(r"-?\d{1,15}\.\d{1,15}", clean):
        return ("minus " if clean.startswith("-") else "") + decimal(clean.lstrip("-"))
    raise ValueError("not a number")


def _date(text: str, fmt: str) -> str:
    """A date written with numbers in the order ``fmt`` names (m, d, y), said in words."""
    fmt = fmt.lower()
    if not re.fullmatch(r"[mdy]{1,3}", fmt) or len(set(fmt)) != len(fmt):
        raise ValueError(f"format {fmt!r} is not one of mdy, dmy, ymd, md, dm, my, ym, y")
    parts = re.findall(r"\d+", text)
    if len(parts) != len(fmt):
        raise ValueError(f"format {fmt!r} needs {len(fmt)} number(s)")
    got = dict(zip(fmt, (int(p) for p in parts), strict=True))
    month, day, yr = got.get("m"), got.get("d"), got.get("y")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1-12")
    if day is not None and not 1 <= day <= 31:
        raise ValueError(f"day {day} is not 1-31")
    said = []
    if month is not None:
        name = calendar.month_name[month]
        if day is None:
            said.append(name)
        elif fmt.index("d") < fmt.index("m"):
            said.append(f"the {ordinal(day)} of {name}")
        else:
            said.append(f"{name} {ordinal(day)}")
    elif day is not None:
        said.append(f"the {ordinal(day)}")
    if yr is not None:
        said.append(year(yr) if yr >= 100 else year(2000 + yr if yr < 50 else 1900 + yr))
    return ", ".join(said)
