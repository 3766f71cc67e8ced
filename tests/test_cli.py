"""The CLI as a user meets it: exit status 2, one line on stderr, no traceback, nothing
half-written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import soundfile

from conftest import SAMPLES, TONE_VOICE, run_cli

LAGOON = SAMPLES / "broadcaster-lagoon.txt"


def assert_clean_failure(r, must_say: str) -> None:  # type: ignore[no-untyped-def]
    assert r.code == 2, (r.code, r.err)
    lines = r.err.strip().splitlines()
    assert len(lines) == 1, r.err
    assert "Traceback" not in r.err
    assert lines[0].startswith("papercast: ")
    assert must_say in lines[0], lines[0]


def no_mp3_left(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.suffix == ".mp3" or p.name.startswith(".")]


@pytest.mark.parametrize(
    ("make", "must_say"),
    [
        (lambda d: d / "missing.txt", "no such file"),
        (lambda d: d, "is a directory"),
        (lambda d: _write(d / "empty.txt", b""), "no article text found"),
        (lambda d: _write(d / "blank.txt", b"  \n\n\t \n"), "no article text found"),
        (
            lambda d: _write(
                d / "chrome.txt", b"Home\n\nShare on Facebook\n\nBack to top\n\nLeave a Reply\n"
            ),
            "no article text found",
        ),
        (lambda d: _write(d / "binary.txt", bytes(range(256)) * 40), "binary"),
        (
            lambda d: _write(
                d / "latin.txt",
                "Headline here\n\nThe café’s owner said it was “closed” for the day.".encode(
                    "cp1252"
                ),
            ),
            "not UTF-8",
        ),
        (
            lambda d: _write(
                d / "symbols.txt",
                "Headline ★★★\n\n★ ✦ ✧ ★ ✦ ✧ ★ ✦ ✧ ★ ✦ ✧ ★ ✦ ✧ ★ ✦ ✧ ★ ✦ ✧ ★ ✦ ✧ ★ ✦.".encode(),
            ),
            "no article text found",
        ),
        (
            lambda d: _write(
                d / "emoji.md", "# Headline\n\n🎉🎉 ★ ✦ 🚀 — ✧ ★ ✦ ✧ 🎉\n\n★ ✦ ✧ 🚀\n".encode()
            ),
            "no speakable text",
        ),
    ],
)
def test_bad_input(tmp_path: Path, make, must_say: str) -> None:  # type: ignore[no-untyped-def]
    src = make(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    r = run_cli("speak", str(src), "-o", str(out / "ep.mp3"), "--voice", str(TONE_VOICE), "-q")
    assert_clean_failure(r, must_say)
    assert no_mp3_left(out)


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_unknown_voice(tmp_path: Path) -> None:
    r = run_cli("speak", str(LAGOON), "-o", str(tmp_path / "ep.mp3"), "--voice", "nobody")
    assert_clean_failure(r, "unknown voice 'nobody'")
    assert no_mp3_left(tmp_path)


def test_output_folder_missing_or_unwritable(tmp_path: Path) -> None:
    r = run_cli(
        "speak", str(LAGOON), "-o", str(tmp_path / "no" / "ep.mp3"), "--voice", str(TONE_VOICE)
    )
    assert_clean_failure(r, "does not exist")
    if os.geteuid() != 0:  # root can write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        r = run_cli("speak", str(LAGOON), "-o", str(locked / "ep.mp3"), "--voice", str(TONE_VOICE))
        assert_clean_failure(r, "cannot write")


def test_bad_lexicon_is_refused_before_any_audio(tmp_path: Path) -> None:
    lex = tmp_path / "bad.toml"
    lex.write_text(
        '[[entry]]\nword = "Aberdaron"\nipa = "abɛrˈdarɔn"\n[[entry]\n', encoding="utf-8"
    )
    r = run_cli(
        "speak",
        str(LAGOON),
        "-o",
        str(tmp_path / "ep.mp3"),
        "--voice",
        str(TONE_VOICE),
        "--lexicon",
        str(lex),
    )
    assert_clean_failure(r, "invalid TOML")
    assert no_mp3_left(tmp_path)


def test_stdin_and_default_output_name(tmp_path: Path) -> None:
    r = run_cli(
        "speak", "-", "--voice", str(TONE_VOICE), "-q", cwd=tmp_path, stdin=LAGOON.read_bytes()
    )
    assert r.code == 0, r.err
    assert soundfile.info(str(tmp_path / "article.mp3")).samplerate == 44100
    r = run_cli("speak", str(LAGOON), "--voice", str(TONE_VOICE), "-q", cwd=tmp_path)
    assert r.code == 0, r.err
    assert (tmp_path / "broadcaster-lagoon.mp3").is_file()


def test_voices_lists_profiles() -> None:
    r = run_cli("voices")
    assert r.code == 0
    names = [line.split("\t")[0] for line in r.out.splitlines()]
    assert "joe (default)" in names and "joe-calm" in names


def test_script_json_has_everything() -> None:
    import json

    r = run_cli("script", str(LAGOON), "--json")
    doc = json.loads(r.out)
    assert doc["title"].startswith("Council backs tidal lagoon")
    assert [s["heading"] for s in doc["sections"]] == ["", "What happens next", "Money and the sea"]
    assert any(d["reason"] == "video block" for d in doc["dropped"])
    first = doc["sentences"][1]
    assert first["text"].startswith("Councillors in Gwynedd voted 31 to 12")
    assert first["spoken"].startswith("Councillors in Gwynedd voted thirty-one to twelve")
    assert first["phonemes"]


def test_script_spoken_reads_numbers_like_a_newsreader(seed_path: Path) -> None:
    out = run_cli("script", "--spoken", str(seed_path)).out
    assert "at one thousand two hundred twenty-seven on the eve" in out
    assert "co-winner of the twenty twenty-two Nobel Peace Prize" in out
    assert "1,227" not in out and "2022" not in out


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    import pty
    import subprocess
    import sys

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "papercast.cli",
            "speak",
            str(LAGOON),
            "-o",
            str(tmp_path / "a.mp3"),
            "--voice",
            str(TONE_VOICE),
        ],
        stdout=subprocess.DEVNULL,
        stderr=slave,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=120)
    shown = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    assert "synthesising 16/16 sentences 100%" in shown and "ETA" in shown
    piped = run_cli("speak", str(LAGOON), "-o", str(tmp_path / "b.mp3"), "--voice", str(TONE_VOICE))
    assert "synthesising" not in piped.err  # not a terminal: summary line only
    quiet = run_cli(
        "speak", str(LAGOON), "-o", str(tmp_path / "c.mp3"), "--voice", str(TONE_VOICE), "-q"
    )
    assert quiet.err == ""


def test_unsayable_lexicon_symbol_exits_2_with_file_and_line(tmp_path: Path) -> None:
    lex = tmp_path / "names.toml"
    lex.write_text(
        '# names\n\n[[entry]]\nword = "Gwynedd"\nipa = "ˈɡwɪnɛð"\n\n[[entry]]\nword = "Tsar"\n'
        'ipa = "t͡sˈɑːɹ"\n',
        encoding="utf-8",
    )
    r = run_cli("speak", str(LAGOON), "-o", str(tmp_path / "ep.mp3"), "--lexicon", str(lex))
    assert_clean_failure(r, f"{lex}:8: entry 'Tsar'")
    assert "U+0361" in r.err
    assert not (tmp_path / "ep.mp3").exists()
