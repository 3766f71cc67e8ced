"""Resource limits on what settings and files name (issue 20, finding 7): devices, FIFOs,
padded images, huge entries and deep TOML are refused with one line, before any work."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest

from conftest import TONE_VOICE, run_cli

ARTICLE = (
    "Sea wall approved\n\nThe harbour board met on Tuesday and agreed the plan for the sea wall.\n"
)


def png(size: int, pad: int = 0) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\x80\x40\x20" * size for _ in range(size))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"tEXt", b"pad\x00" + b"x" * pad)
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(tmp_path / "cover.fifo")
    (tmp_path / "padded.png").write_bytes(png(400, pad=11 * 1024 * 1024))
    (tmp_path / "deep.toml").write_text("a = " + "[" * 200_000 + "]" * 200_000, encoding="utf-8")
    (tmp_path / "long.toml").write_text(
        '[[entry]]\nword = "Quay"\nipa = "' + "k" * 5_000_000 + '"\n', encoding="utf-8"
    )
    return tmp_path


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--cover", "/dev/zero"], "/dev/zero: not a regular file"),
        (["--cover", "cover.fifo"], "cover.fifo: not a regular file"),
        (["--bed", "/dev/zero"], "/dev/zero: not a regular file"),
        (["--cover", "padded.png"], "the limit is 10485760"),
        (["--lexicon", "deep.toml"], "deep.toml: invalid TOML: nested too deeply"),
        (["--lexicon", "long.toml"], "'ipa' is 5000000 characters; at most 400"),
        (["--cover", "c" * 300 + ".png"], "not a usable file name"),
        (["--bed", "a/" * 2100 + "x.wav"], "not a usable file name"),
        (["--lexicon", "n" * 256], "not a usable file name"),
        (["-o", "o" * 300 + ".mp3"], "(304 chars): File name too long"),
    ],
)
def test_refused_with_one_line_and_nothing_written(
    folder: Path, args: list[str], says: str
) -> None:
    before = sorted(p.name for p in folder.iterdir())
    r = run_cli("speak", "a.txt", "-o", "a.mp3", "--voice", str(TONE_VOICE), *args, cwd=folder)
    assert r.code == 2, r.err
    lines = r.err.strip().splitlines()
    assert len(lines) == 1 and says in lines[0] and "Traceback" not in r.err
    assert sorted(p.name for p in folder.iterdir()) == before


def test_a_feed_config_nested_too_deep_is_refused(tmp_path: Path) -> None:
    (tmp_path / "papercast.toml").write_text(
        "[show]\nx = " + "[" * 200_000 + "]" * 200_000, encoding="utf-8"
    )
    r = run_cli("feed", "build", str(tmp_path))
    assert r.code == 2 and "nested too deeply" in r.err and len(r.err.strip().splitlines()) == 1


def test_a_file_setting_in_papercast_toml_too_long_to_open_is_one_line(tmp_path: Path) -> None:
    assert run_cli("feed", "init", str(tmp_path / "show")).code == 0
    cfg = tmp_path / "show" / "papercast.toml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace(
            'intro_music = ""', f'intro_music = "{"m" * 5000}"'
        ),
        encoding="utf-8",
    )
    r = run_cli("feed", "build", str(tmp_path / "show"), "--dry-run")
    assert r.code == 2 and "Traceback" not in r.err
    assert "[voice] intro_music" in r.err and "not a usable file name" in r.err
    assert len(r.err.strip().splitlines()) == 1
