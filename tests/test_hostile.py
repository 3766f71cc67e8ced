"""Hostile and mistaken invocations through the real CLI: exit status, one line on stderr with
no traceback, and exactly which files exist afterwards (compared with before)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import SAMPLES, run_cli

TONE = str(Path(__file__).parent / "data" / "tone-voice.onnx")
ARTICLE = (SAMPLES / "wire-copper.txt").read_text(encoding="utf-8")


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def one_clear_line(err: str) -> bool:
    lines = [x for x in err.strip().splitlines() if x.strip()]
    return len(lines) == 1 and lines[0].startswith("papercast: ") and "Traceback" not in err


@pytest.mark.parametrize(
    "args,says",
    [
        (["a.txt", "-o", "a.txt"], "would overwrite the input a.txt"),
        (
            ["a.txt", "-o", "x.vtt", "--transcript", "vtt"],
            "MP3 and a sidecar would be the same file",
        ),
        (
            ["a.txt", "-o", "a.mp3", "--transcript", "vtt,txt"],
            "--transcript vtt,txt: unknown value 'txt' (use vtt, srt, json)",
        ),
        (
            ["a.txt", "-o", "a.mp3", "--target-lufs", "nan"],
            "--target-lufs nan: must be a number from -30 to -5",
        ),
        (["a.txt", "-o", "a.mp3", "--target-lufs", "inf"], "--target-lufs inf"),
        (
            ["a.txt", "-o", "a.mp3", "--target-lufs", "50"],
            "--target-lufs 50: must be a number from -30 to -5 LUFS",
        ),
        (["a.txt", "-o", "a.mp3", "--target-lufs", "0"], "--target-lufs 0: must be"),
        (["a.txt", "-o", "a.mp3", "--target-lufs", "-70"], "--target-lufs -70: must be"),
        (
            ["a.txt", "-o", "a.mp3", "--ceiling-dbtp", "-60"],
            "--ceiling-dbtp -60: must be a number from -9 to 0 dBTP",
        ),
        (["a.txt", "-o", "a.mp3", "--ceiling-dbtp", "10"], "--ceiling-dbtp 10: must be"),
        (["a.txt", "-o", "a.mp3", "--bitrate", "65"], "--bitrate 65: must be one of 32, 40"),
        (
            ["a.txt", "-o", "a.mp3", "--rate", "500"],
            "--rate 500: must be a number from 25 to 400 %",
        ),
        (["a.txt", "-o", "a.mp3", "--rate", "1" + "0" * 400], "--rate 1000"),
        (["a.txt", "-o", "a.mp3", "--date-order", "ymd"], "--date-order ymd: must be mdy or dmy"),
        (["a.txt", "-o", "nowhere/a.mp3"], "output folder nowhere does not exist"),
        (["a.txt", "-o", "a.mp3", "--lexicon", "a.mp3"], "would overwrite the input a.mp3"),
        (["empty.txt", "-o", "a.mp3"], "empty.txt"),
        (["missing.txt", "-o", "a.mp3"], "missing.txt"),
    ],
)
def test_refused_before_any_work_and_nothing_written(
    tmp_path: Path, args: list[str], says: str
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    before = files(tmp_path)
    r = run_cli("speak", *args, "--voice", TONE, cwd=tmp_path)
    assert r.code == 2, r.err
    assert one_clear_line(r.err), r.err
    assert says in r.err
    assert files(tmp_path) == before
    assert _clips() == []  # refused up front: nothing synthesised


def test_lexicon_say_refuses_an_empty_phrase_and_limits_the_file_name(tmp_path: Path) -> None:
    r = run_cli("lexicon", "say", "  ", "--voice", TONE, cwd=tmp_path)
    assert r.code == 2 and one_clear_line(r.err) and "empty" in r.err
    long = "Bialiatski " * 30
    r = run_cli("lexicon", "say", long, "--voice", TONE, cwd=tmp_path)
    assert r.code == 0, r.err
    [made] = [p.name for p in tmp_path.iterdir()]
    assert made.endswith(".mp3") and len(made) <= 64


def test_sigterm_mid_render_leaves_no_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE * 20, encoding="utf-8")
    p = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "papercast.cli",
            "speak",
            "a.txt",
            "-o",
            "a.mp3",
            "--no-cache",
            "--transcript",
            "vtt",
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 60
    while time.time() < deadline and not any(".papercast-" in x.name for x in tmp_path.iterdir()):
        time.sleep(0.05)
    assert any(".papercast-" in x.name for x in tmp_path.iterdir()), (
        "the render never started writing"
    )
    p.send_signal(signal.SIGTERM)
    _, err = p.communicate(timeout=60)
    assert p.returncode == 143 and "terminated; no output written" in err.decode()
    assert sorted(x.name for x in tmp_path.iterdir()) == ["a.txt"]


def test_stale_temp_of_a_killed_run_is_removed_and_fresh_one_kept(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    stale = tmp_path / ".a.mp3.papercast-abc123.tmp"
    fresh = tmp_path / ".b.mp3.papercast-def456.tmp"
    stale.write_bytes(b"half an mp3")
    fresh.write_bytes(b"another run, still going")
    old = time.time() - 7 * 3600
    os.utime(stale, (old, old))
    r = run_cli("speak", "a.txt", "-o", "a.mp3", "--voice", TONE, "-q", cwd=tmp_path)
    assert r.code == 0, r.err
    assert sorted(x.name for x in tmp_path.iterdir()) == [fresh.name, "a.mp3", "a.txt"]


def test_zero_byte_cache_entries_are_not_fatal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.setenv("PAPERCAST_CACHE_DIR", str(tmp_path / "cache"))
    assert run_cli("speak", "a.txt", "-o", "a.mp3", "--voice", TONE, "-q", cwd=tmp_path).code == 0
    entries = list((tmp_path / "cache").rglob("*.clip"))
    assert entries
    for e in entries:
        e.write_bytes(b"")  # power loss
    r = run_cli("speak", "a.txt", "-o", "a.mp3", "--voice", TONE, "--force", cwd=tmp_path)
    assert r.code == 0 and "Traceback" not in r.err
    assert f"({len(entries)} synthesised)" in r.err


def test_bomless_utf16_is_named_with_the_option_that_reads_it(tmp_path: Path) -> None:
    (tmp_path / "u16.txt").write_bytes(ARTICLE.encode("utf-16-le"))
    r = run_cli("speak", "u16.txt", "-o", "a.mp3", "--voice", TONE, cwd=tmp_path)
    assert r.code == 2 and one_clear_line(r.err) and "--encoding utf-16-le" in r.err
    r = run_cli(
        "speak",
        "u16.txt",
        "-o",
        "a.mp3",
        "--voice",
        TONE,
        "--encoding",
        "utf-16-le",
        "-q",
        cwd=tmp_path,
    )
    assert r.code == 0, r.err


def _clips() -> list[Path]:
    """The clips synthesised into this test's cache (conftest gives each test its own)."""
    from papercast.voice.cache import cache_root

    return sorted((cache_root() / "clips").rglob("*.clip"))


def _first_line(p: subprocess.Popen[bytes]) -> str:
    """The first line the process writes to stderr (read in a thread, so that a process that
    never writes one fails the test after a minute instead of hanging it)."""
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(p.stderr.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(timeout=60)
    return got[0].decode() if got else ""


def test_a_fifo_with_no_writer_says_it_is_waiting_then_reads_what_comes(tmp_path: Path) -> None:
    fifo = tmp_path / "in.txt"
    os.mkfifo(fifo)
    p = subprocess.Popen(
        [sys.executable, "-m", "papercast.cli", "script", str(fifo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    # the writer comes only once the notice is out: an event, whatever the machine's speed
    assert "waiting for a writer on this named pipe" in _first_line(p)
    with open(fifo, "w", encoding="utf-8") as w:
        w.write(ARTICLE)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err.decode()
    assert "copper" in out.decode().lower()


def test_stdin_with_nothing_arriving_says_it_is_waiting(tmp_path: Path) -> None:
    p = subprocess.Popen(
        [sys.executable, "-m", "papercast.cli", "script", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    notice = _first_line(p)
    out, err = p.communicate(input=ARTICLE.encode("utf-8"), timeout=60)
    assert p.returncode == 0 and "waiting for the article's text" in notice, err.decode()
    assert "copper" in out.decode().lower()


def test_voice_model_through_a_symlink_finds_its_config_beside_the_link(tmp_path: Path) -> None:
    blobs = tmp_path / "blobs"
    blobs.mkdir()
    (blobs / "abc123").write_bytes(Path(TONE).read_bytes())
    (blobs / "def456").write_bytes(Path(TONE + ".json").read_bytes())
    snap = tmp_path / "snapshot"
    snap.mkdir()
    (snap / "voice.onnx").symlink_to(blobs / "abc123")
    (snap / "voice.onnx.json").symlink_to(blobs / "def456")
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    r = run_cli(
        "speak", "a.txt", "-o", "a.mp3", "--voice", str(snap / "voice.onnx"), "-q", cwd=tmp_path
    )
    assert r.code == 0, r.err
    (snap / "gone.onnx").symlink_to(blobs / "missing")
    r = run_cli("speak", "a.txt", "-o", "b.mp3", "--voice", str(snap / "gone.onnx"), cwd=tmp_path)
    assert r.code == 2 and "broken symbolic link" in r.err and one_clear_line(r.err)


def test_tags_never_use_a_line_the_extractor_dropped(tmp_path: Path, seed_path: Path) -> None:
    from mutagen.id3 import ID3

    r = run_cli("speak", str(seed_path), "-o", "seed.mp3", "--voice", TONE, "-q", cwd=tmp_path)
    assert r.code == 0, r.err
    tags = ID3(str(tmp_path / "seed.mp3"))
    assert "Trends-CA" not in (str(tags.get("TPE1")), str(tags.get("TALB")))
    r = run_cli(
        "speak",
        str(SAMPLES / "broadcaster-lagoon.html"),
        "-o",
        "html.mp3",
        "--voice",
        TONE,
        "-q",
        cwd=tmp_path,
    )
    assert r.code == 0, r.err
    html_tags = ID3(str(tmp_path / "html.mp3"))
    assert str(html_tags["TALB"]) not in ("", "papercast")  # og:site_name is real metadata


def test_disk_full_while_writing_the_mp3_is_one_line_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno

    from papercast.audio import mp3
    from papercast.cli import main

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PAPERCAST_CACHE_DIR", str(tmp_path / "cache"))
    calls = {"n": 0}
    real = mp3.Mp3Writer._put

    def full(self, data):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] > 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(mp3.Mp3Writer, "_put", full)
    assert (
        main(["speak", "a.txt", "-o", "a.mp3", "--voice", TONE, "--transcript", "vtt", "-q"]) == 2
    )
    err = capsys.readouterr().err
    assert one_clear_line(err) and "disk full" in err and "a.mp3" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "cache"]


def test_disk_full_in_the_cache_leaves_no_temp_files_and_the_episode_is_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from papercast.pipeline import EpisodeSettings, Renderer, RunFlags
    from papercast.voice import cache as cache_module

    real = Path.write_bytes

    def full(self: Path, data: bytes) -> int:
        if "clips" in self.parts:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", full)
    r = Renderer(EpisodeSettings(voice=TONE), RunFlags(quiet=True, cache_dir=tmp_path / "cache"))
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    ep = r.render(str(tmp_path / "a.txt"), tmp_path / "a.mp3")
    assert ep.path.is_file() and ep.synthesised == len(ep.sentences)
    assert not [p for p in (tmp_path / "cache").rglob("*") if p.is_file() and "clips" in p.parts]
    assert cache_module.ClipCache(tmp_path / "cache").info().entries == 0


@pytest.mark.parametrize("depth", [300, 5000])
def test_html_nested_hundreds_of_levels_keeps_its_body(tmp_path: Path, depth: int) -> None:
    page = (SAMPLES / "broadcaster-lagoon.html").read_text(encoding="utf-8")
    start = page.index(">", page.index("<body")) + 1
    end = page.index("</body>")
    deep = page[:start] + "<div>" * depth + page[start:end] + "</div>" * depth + page[end:]
    (tmp_path / "deep.html").write_text(deep, encoding="utf-8")
    (tmp_path / "flat.html").write_text(page, encoding="utf-8")
    deep_script = run_cli("script", "deep.html", cwd=tmp_path)
    assert deep_script.code == 0, deep_script.err
    assert deep_script.out == run_cli("script", "flat.html", cwd=tmp_path).out


@pytest.mark.parametrize("declares", ["articleBody", "Recipe"])
def test_json_ld_nested_past_the_parser_s_depth_is_passed_over(
    tmp_path: Path, declares: str
) -> None:
    """A page's JSON-LD is read for a declared story and a recipe's lists; nested deeper than
    Python's JSON parser goes, it is not JSON papercast can read, and the page is read
    without it."""
    page = (SAMPLES / "broadcaster-lagoon.html").read_text(encoding="utf-8")
    ld = f'<script type="application/ld+json">{{"@type": "{declares}", "articleBody": '
    ld += "[" * 100_000 + "</script>"
    (tmp_path / "deep.html").write_text(page.replace("</head>", ld + "</head>"), "utf-8")
    (tmp_path / "flat.html").write_text(page, encoding="utf-8")
    deep_script = run_cli("script", "deep.html", cwd=tmp_path)
    assert deep_script.code == 0 and "Traceback" not in deep_script.err, deep_script.err
    assert deep_script.out == run_cli("script", "flat.html", cwd=tmp_path).out


def test_unwritable_output_folder_is_refused_before_the_voice_loads(tmp_path: Path) -> None:
    """Root writes anywhere a mode allows, so as root the folder is made immutable (chattr +i)."""
    import shutil as sh

    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "a.txt").write_text(ARTICLE, encoding="utf-8")
    if os.geteuid() == 0:
        if (
            not sh.which("chattr")
            or subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode
        ):
            pytest.skip("running as root and cannot make a folder immutable here (chattr +i)")
    else:
        os.chmod(folder, 0o555)
    try:
        r = run_cli("speak", "a.txt", "-o", "a.mp3", "--voice", TONE, cwd=folder)
        assert r.code == 2 and "not writable" in r.err and one_clear_line(r.err), r.err
        assert _clips() == []  # refused before any synthesis
        assert sorted(x.name for x in folder.iterdir()) == ["a.txt"]
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(folder)], check=False)
        else:
            os.chmod(folder, 0o755)


def test_input_over_the_size_limit_says_what_to_do(tmp_path: Path) -> None:
    from papercast.text.inputs import MAX_INPUT_BYTES

    (tmp_path / "big.txt").write_bytes(b"word " * (MAX_INPUT_BYTES // 5 + 10))
    before = files(tmp_path)
    r = run_cli("speak", "big.txt", "-o", "big.mp3", "--voice", TONE, cwd=tmp_path)
    assert r.code == 2 and one_clear_line(r.err)
    assert "larger than 8 MB" in r.err and "papercast feed" in r.err  # the command it names exists
    assert run_cli("feed", "--help").code == 0
    assert files(tmp_path) == before
