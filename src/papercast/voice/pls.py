"""W3C Pronunciation Lexicon Specification 1.0: import and export.

PLS moves lexicons to and from Amazon Polly, Azure and ElevenLabs. We read it
with defusedxml's SAX parser: DTDs and external entities are refused (an XML
file must not make papercast read other files or the network), and the SAX
locator gives line numbers for messages.
"""

from __future__ import annotations

import json
import unicodedata
import xml.sax
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import tomlkit
from defusedxml import DefusedXmlException
from defusedxml.sax import make_parser
from tomlkit.items import AoT, Table

from papercast.errors import LexiconError
from papercast.text.xsampa import xsampa_to_ipa
from papercast.voice.lexicon import Entry, unique
from papercast.voice.phonemize import alias_ipa

PLS_NS = "http://www.w3.org/2005/01/pronunciation-lexicon"


@dataclass
class _Lexeme:
    line: int
    graphemes: list[str] = field(default_factory=list)
    phonemes: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)


class _Handler(xml.sax.handler.ContentHandler):
    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.alphabet = "ipa"
        self.lexemes: list[_Lexeme] = []
        self._text: list[str] = []
        self._current: _Lexeme | None = None
        self._phoneme_alphabet: str | None = None
        self._root_seen = False
        self.locator: xml.sax.xmlreader.Locator | None = None

    def setDocumentLocator(self, locator: xml.sax.xmlreader.Locator) -> None:  # noqa: N802 (SAX API)
        self.locator = locator

    @property
    def line(self) -> int:
        return (self.locator.getLineNumber() or 0) if self.locator else 0

    def startElementNS(self, name, qname, attrs):  # type: ignore[no-untyped-def]  # noqa: N802
        ns, local = name
        if not self._root_seen:
            if local != "lexicon":
                raise LexiconError(
                    f"{self.path}:{self.line}: not a PLS file (root element <{local}>)"
                )
            self._root_seen = True
            self.alphabet = attrs.get((None, "alphabet"), "ipa")
            _check_alphabet(self.alphabet, f"{self.path}:{self.line}")
            return
        self._text = []
        if local == "lexeme":
            self._current = _Lexeme(self.line)
        elif local == "phoneme":
            self._phoneme_alphabet = attrs.get((None, "alphabet"))
            if self._phoneme_alphabet:
                _check_alphabet(self._phoneme_alphabet, f"{self.path}:{self.line}")

    def characters(self, content: str) -> None:
        self._text.append(content)

    def endElementNS(self, name, qname):  # type: ignore[no-untyped-def]  # noqa: N802
        local = name[1]
        text = " ".join("".join(self._text).split())
        cur = self._current
        if cur is None:
            return
        if local == "grapheme":
            cur.graphemes.append(text)
        elif local == "phoneme":
            alphabet = self._phoneme_alphabet or self.alphabet
            cur.phonemes.append(
                xsampa_to_ipa(text, f"{self.path}:{self.line}") if alphabet == "x-sampa" else text
            )
        elif local == "alias":
            cur.aliases.append(text)
        elif local == "lexeme":
            self.lexemes.append(cur)
            self._current = None


def _check_alphabet(alphabet: str, where: str) -> None:
    if alphabet not in ("ipa", "x-sampa"):
        raise LexiconError(
            f"{where}: unknown phoneme alphabet {alphabet!r} (papercast reads ipa and x-sampa)"
        )


def read_pls(path: Path) -> list[Entry]:
    """Entries of a PLS file; any problem raises LexiconError and nothing is returned."""

    handler = _Handler(path)
    parser = make_parser()
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    parser.setContentHandler(handler)
    try:
        parser.parse(str(path))
    except DefusedXmlException as e:
        raise LexiconError(
            f"{path}:{handler.line}: refused: {e} (DTDs and external entities are not allowed)"
        ) from e
    except xml.sax.SAXParseException as e:
        raise LexiconError(f"{path}:{e.getLineNumber()}: malformed XML: {e.getMessage()}") from e
    except OSError as e:
        raise LexiconError(f"{path}: cannot read: {e}") from e
    entries: list[Entry] = []
    for lx in handler.lexemes:
        line = lx.line
        graphemes = [g for g in lx.graphemes if g]
        phonemes = [p for p in lx.phonemes if p]
        aliases = [a for a in lx.aliases if a]
        if not graphemes:
            raise LexiconError(f"{path}:{line}: <lexeme> without a <grapheme>")
        if not phonemes and not aliases:
            raise LexiconError(f"{path}:{line}: lexeme {graphemes[0]!r} has an empty pronunciation")
        ipa = unicodedata.normalize("NFC", phonemes[0]) if phonemes else alias_ipa(aliases[0])
        entries.append(
            Entry(
                word=graphemes[0],
                ipa=ipa,
                variants=tuple(graphemes[1:]),
                alias=aliases[0] if aliases and not phonemes else "",
                source=str(path),
                line=line,
            )
        )
    return unique(entries)


def to_pls(entries: list[Entry], lang: str = "en-US") -> str:
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<lexicon version="1.0" xmlns="{PLS_NS}" alphabet="ipa" xml:lang="{lang}">',
    ]
    for e in entries:
        if e.note:
            lines.append(f"  <!-- {escape(e.note).replace('--', '—')} -->")
        lines.append("  <lexeme>")
        for g in e.forms:
            lines.append(f"    <grapheme>{escape(g)}</grapheme>")
        if e.alias:
            lines.append(f"    <alias>{escape(e.alias)}</alias>")
        else:
            lines.append(f"    <phoneme>{escape(e.ipa)}</phoneme>")
        lines.append("  </lexeme>")
    lines.append("</lexicon>")
    return "\n".join(lines) + "\n"


def _toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)  # a JSON string is a valid TOML basic string


def _fields(e: Entry) -> list[tuple[str, str | list[str] | bool]]:
    """An entry's keys and values as its [[entry]] table holds them, in the order written."""
    out: list[tuple[str, str | list[str] | bool]] = [("word", e.word)]
    if e.variants:
        out.append(("variants", list(e.variants)))
    out.append(("alias", e.alias) if e.alias else ("ipa", e.ipa))
    if e.respell:
        out.append(("respell", e.respell))
    if e.note:
        out.append(("note", e.note))
    if e.case_sensitive:
        out.append(("case_sensitive", True))
    return out


def _toml_value(v: str | list[str] | bool) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "[" + ", ".join(_toml_str(x) for x in v) + "]"
    return _toml_str(v)


def to_toml(entries: list[Entry]) -> str:
    out = [TOML_HEADER, ""]
    for e in entries:
        out.append("[[entry]]")
        out += [f"{k} = {_toml_value(v)}" for k, v in _fields(e)]
        out.append("")
    return "\n".join(out)


TOML_HEADER = "# papercast pronunciation lexicon (see lexicon/README.md)"


def written_into(text: str, entries: list[Entry]) -> str:
    """The lexicon file ``text`` with each of ``entries`` written in: an entry with the key of
    one of its tables is written over that table's keys where it stands, a new one is added at
    the end; every other table, and every comment, stays as written (an editor's notes in the
    file, an entry in X-SAMPA). ``text`` is a file ``read_lexicon_file`` accepted."""
    doc = tomlkit.parse(text) if text.strip() else tomlkit.parse(TOML_HEADER + "\n\n")
    tables = doc.get("entry")
    if not isinstance(tables, AoT):
        tables = tomlkit.aot()
        doc.append("entry", tables)
    by_key: dict[str, Table] = {}
    for table in tables:
        word = table.get("word")
        if isinstance(word, str):
            sensitive = bool(table.get("case_sensitive"))
            by_key[Entry(word.strip(), "", case_sensitive=sensitive).key] = table
    for e in entries:
        fields = dict(_fields(e))
        table = by_key.get(e.key)
        new = table is None
        if table is None:
            if len(tables) and not tables[-1].as_string().endswith("\n\n"):
                tables[-1].add(tomlkit.nl())  # a blank line between tables, as to_toml writes
            table = by_key[e.key] = tomlkit.table()
        for k in [k for k in table if k not in fields]:
            del table[k]
        for k, v in fields.items():
            if table.get(k) != v:
                table[k] = v
        if new:
            tables.append(table)
    return tomlkit.dumps(doc)
