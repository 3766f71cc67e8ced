"""papercast/settings.py: one declaration, three ways in, each message naming the setting as
written."""

from __future__ import annotations

import argparse
from dataclasses import fields
from pathlib import Path

import pytest

from conftest import TONE_VOICE, run_cli
from papercast.errors import PapercastError
from papercast.settings import (
    DateOrder,
    EpisodeSettings,
    add_options,
    check_settings,
    from_cli,
    from_json,
    from_toml,
    specs,
)

SHOW = """[show]
title = "T"
description = "D"
author = "A"
base_url = "https://example.com/p/"
"""


def _cli(*argv: str) -> EpisodeSettings:
    parser = argparse.ArgumentParser()
    add_options(parser)
    return from_cli(parser.parse_args(list(argv)))


def test_every_field_is_declared_once_with_a_spec() -> None:
    names = [f.name for f in fields(EpisodeSettings)]
    assert names == [name for name, _ in specs()]
    assert all(spec.help for _, spec in specs())


@pytest.mark.parametrize(
    ("argv", "field", "value"),
    [
        (["--target-lufs", "-14"], "target_lufs", -14.0),
        (["--ceiling-dbtp", "-2"], "ceiling_dbtp", -2.0),
        (["--bitrate", "128"], "bitrate_kbps", 128),
        (["--rate", "80"], "rate", 80.0),
        (["--date-order", "dmy"], "date_order", DateOrder.DMY),
        (["--transcript", "vtt, json"], "transcripts", ("vtt", "json")),
        (["--lexicon", "a.toml", "--lexicon", "b.pls"], "lexicons", ("a.toml", "b.pls")),
        (["--outro"], "outro", "This article was read by a synthetic voice, made with papercast."),
        (["--outro", "Goodnight."], "outro", "Goodnight."),
        (["--bed", "bed.wav"], "bed", "bed.wav"),
        (["--intro"], "intro", True),
        ([], "target_lufs", -16.0),
    ],
)
def test_command_line_values(argv: list[str], field: str, value: object) -> None:
    assert getattr(_cli(*argv), field) == value


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--target-lufs", "99"], "--target-lufs 99: must be a number from -30 to -5 LUFS"),
        (["--target-lufs", "loud"], "--target-lufs loud: must be a number"),
        (["--target-lufs", "1e400"], "--target-lufs 1e400: must be"),
        (["--rate", "500"], "--rate 500: must be a number from 25 to 400 %"),
        (["--rate", "9" * 400], "must be a number from 25 to 400"),
        (["--bitrate", "65"], "--bitrate 65: must be one of 32, 40"),
        (["--transcript", "vtt,txt"], "--transcript vtt,txt: unknown value 'txt'"),
        (["--date-order", "ymd"], "--date-order ymd: must be mdy or dmy"),
    ],
)
def test_command_line_refusals_name_the_flag_and_value(argv: list[str], says: str) -> None:
    with pytest.raises(PapercastError) as e:
        _cli(*argv)
    assert says in str(e.value)


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("target_lufs = 99", "[voice] target_lufs = 99: must be a number from -30 to -5 LUFS"),
        ('target_lufs = "loud"', '[voice] target_lufs = "loud": must be a number'),
        ("target_lufs = " + "9" * 400, "[voice] target_lufs = "),
        ("rate = 500", "[voice] rate = 500: must be a number from 25 to 400 %"),
        ('date_order = "ymd"', '[voice] date_order = "ymd": must be mdy or dmy'),
        ('intro = "yes"', '[voice] intro = "yes": must be true or false'),
        ('lexicons = "a.toml"', '[voice] lexicons = "a.toml": must be a list of strings'),
        ("target_lfus = -14", "[voice] target_lfus: not a setting (did you mean target_lufs?)"),
    ],
)
def test_toml_refusals_name_the_file_table_and_key(tmp_path: Path, line: str, says: str) -> None:
    folder = tmp_path / "show"
    folder.mkdir()
    (folder / "papercast.toml").write_text(f"{SHOW}\n[voice]\n{line}\n", encoding="utf-8")
    r = run_cli("feed", "build", str(folder), "--dry-run")
    assert r.code == 2, r.err
    assert says in r.err and "papercast.toml" in r.err and "Traceback" not in r.err
    assert len(r.err.strip().splitlines()) == 1
    assert sorted(p.name for p in folder.iterdir()) == ["papercast.toml"]  # nothing written


def test_toml_values_and_paths_relative_to_the_folder(tmp_path: Path) -> None:
    tables = {
        "voice": {
            "target_lufs": -14,
            "rate": 90,
            "bed": "music/bed.wav",
            "lexicons": ["names.toml"],
            "date_order": "dmy",
            "voice": "joe",
        },
        "show": {"cover": "/abs/cover.jpg", "title": "ignored: the show's own key"},
    }
    s = from_toml(tables, tmp_path / "papercast.toml", tmp_path)
    assert (s.target_lufs, s.rate, s.date_order, s.voice) == (-14.0, 90.0, DateOrder.DMY, "joe")
    assert s.bed == str(tmp_path / "music/bed.wav") and s.lexicons == (
        str(tmp_path / "names.toml"),
    )
    assert s.cover == "/abs/cover.jpg"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"target_lufs": 99}, "target_lufs: must be a number from -30 to -5 LUFS"),
        ({"target_lufs": "-14"}, "target_lufs: must be a number"),
        ({"rate": True}, "rate: must be a number"),
        ({"transcripts": ["vtt", 3]}, "transcripts: must be a list of strings"),
        ({"voise": "joe"}, "voise: not a setting (did you mean voice?)"),
    ],
)
def test_json_refusals_name_the_key(body: dict[str, object], says: str) -> None:
    with pytest.raises(PapercastError) as e:
        from_json(body)
    assert str(e.value).startswith(says)


def test_json_values() -> None:
    s = from_json({"target_lufs": -14, "rate": 120.5, "transcripts": ["srt"], "date_order": "dmy"})
    assert (s.target_lufs, s.rate, s.transcripts, s.date_order) == (
        -14.0,
        120.5,
        ("srt",),
        DateOrder.DMY,
    )


def test_settings_made_in_code_are_checked_too() -> None:
    with pytest.raises(PapercastError, match="ceiling_dbtp: must be a number from -9 to 0"):
        check_settings(EpisodeSettings(ceiling_dbtp=3.0))
    check_settings(EpisodeSettings(date_order="dmy"))  # type: ignore[arg-type]  # the plain string works


def test_files_and_with_files_cover_every_file_setting() -> None:
    s = EpisodeSettings(
        voice="v.onnx",
        lexicons=("a.toml",),
        cover="c.jpg",
        intro_music="i.wav",
        outro_music="o.wav",
        bed="b.wav",
    )
    assert sorted(s.files()) == ["a.toml", "b.wav", "c.jpg", "i.wav", "o.wav", "v.onnx"]
    moved = s.with_files(lambda p: "/w/" + p)
    assert sorted(moved.files()) == ["/w/" + p for p in sorted(s.files())]
    assert list(EpisodeSettings(voice="joe").files()) == []  # a profile name is not a file
    assert EpisodeSettings(voice="joe").with_files(lambda p: "/w/" + p).voice == "joe"


def test_identity_changes_with_every_setting() -> None:
    base = EpisodeSettings()
    changed = [
        EpisodeSettings(rate=90),
        EpisodeSettings(target_lufs=-14),
        EpisodeSettings(bed="b.wav"),
        EpisodeSettings(date_order=DateOrder.DMY),
        EpisodeSettings(page=True),
    ]
    keys = {base.identity(), *(c.identity() for c in changed)}
    assert len(keys) == 1 + len(changed)
    assert (
        EpisodeSettings(date_order="dmy").identity()
        == EpisodeSettings(  # type: ignore[arg-type]
            date_order=DateOrder.DMY
        ).identity()
    )


def test_script_reads_numeric_dates_in_the_order_given(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "Dates in the minutes\n\nThe council met on 03/04/2025 in the town hall. "
        "The minutes were read and approved.\n",
        encoding="utf-8",
    )
    dmy = run_cli("script", str(article), "--spoken", "--date-order", "dmy")
    mdy = run_cli("script", str(article), "--spoken")
    assert dmy.code == 0 and "on the third of April, twenty twenty-five" in dmy.out, dmy.err
    assert mdy.code == 0 and "on March fourth, twenty twenty-five" in mdy.out, mdy.err


def test_rate_sets_the_length_scale_and_the_clip_key(tmp_path: Path) -> None:
    from papercast.voice.profiles import resolve_voice
    from papercast.voice.synthesize import Synthesizer

    voice = resolve_voice(str(TONE_VOICE))
    own = float(voice.voice_config().get("inference", {}).get("length_scale", 1.0))
    assert voice.at_rate(80).length_scale == pytest.approx(own * 1.25)
    assert voice.at_rate(100) is voice
    keys = {
        Synthesizer(voice.at_rate(r), model_dir=tmp_path).key([1, 2, 3]) for r in (80, 100, 125)
    }
    assert len(keys) == 3
