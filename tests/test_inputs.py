from __future__ import annotations

from pathlib import Path

import pytest

from papercast.errors import InputError
from papercast.text.inputs import (
    MAX_INPUT_BYTES,
    clean_text,
    decode_text,
    guess_kind,
    read_document,
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"Minsk", "Minsk"),
        (b"\xef\xbb\xbfMinsk", "Minsk"),  # UTF-8 with BOM
        ("Minsk ✓".encode("utf-16"), "Minsk ✓"),  # UTF-16 with BOM
        ("Nicolás".encode(), "Nicolás"),
    ],
)
def test_decode_accepts_utf8_and_boms(data: bytes, expected: str) -> None:
    assert decode_text(data, "f.txt") == expected


def test_decode_refuses_legacy_encoding_and_names_the_fix() -> None:
    with pytest.raises(InputError) as e:
        decode_text("Trump’s envoy said Nicolás".encode("cp1252"), "page.txt")
    msg = str(e.value)
    assert msg.startswith("page.txt: not UTF-8 (byte 0x92 at offset 5)")
    assert "--encoding cp1252" in msg


def test_explicit_encoding_is_used() -> None:
    assert decode_text("Nicolás".encode("cp1252"), "f", encoding="cp1252") == "Nicolás"


def test_binary_is_refused() -> None:
    with pytest.raises(InputError, match="binary"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "img.txt")


def test_hygiene_removes_invisibles_and_keeps_curly_quotes() -> None:
    raw = "Bia\u00adliat\u200bski said\u00a0“yes”\r\nCafe\u0301\ufeff"
    assert clean_text(raw) == "Bialiatski said “yes”\nCafé"


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_document(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="is a directory"):
        read_document(str(tmp_path))


def test_huge_input_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_bytes(b"word " * (MAX_INPUT_BYTES // 5 + 10))
    with pytest.raises(InputError, match="larger than 8 MB"):
        read_document(str(big))


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("a.html", "x", "html"),
        ("a.md", "x", "markdown"),
        ("a.txt", "<html><body>", "text"),
        ("-", "<!DOCTYPE html><html>", "html"),
        ("-", "---\ntitle: x\n---\n# T", "markdown"),
        ("-", "Plain words here.", "text"),
    ],
)
def test_guess_kind(name: str, text: str, kind: str) -> None:
    assert guess_kind(name, text) == kind
