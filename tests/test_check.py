"""feed/check.py on damaged sites (issue 20, finding 11): every malformed input a listed
problem, never a traceback; nothing outside the site is read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_limits import png

from conftest import SAMPLES, TONE_VOICE, run_cli
from papercast.feed.check import check


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("check") / "show"
    assert run_cli("feed", "init", str(folder)).code == 0
    cfg = (folder / "papercast.toml").read_text(encoding="utf-8")
    cfg = cfg.replace('voice = "joe"', f'voice = "{TONE_VOICE}"').replace(
        'cover = ""', 'cover = "cover.png"'
    )
    (folder / "papercast.toml").write_text(cfg, encoding="utf-8")
    (folder / "cover.png").write_bytes(png(1400))
    shutil.copy(SAMPLES / "wire-copper.txt", folder / "articles" / "wire-copper.txt")
    assert run_cli("feed", "build", str(folder)).code == 0
    assert check(str(folder / "site"))[0] == []
    return folder / "site"


def _copy(site: Path, tmp_path: Path) -> Path:
    out = tmp_path / "site"
    shutil.copytree(site, out)
    return out


@pytest.mark.parametrize(
    ("chapters", "says"),
    [
        ("[]", "must be an object with a list of chapter objects"),
        (
            '{"version": "1.2.0", "chapters": [1, 2]}',
            "must be an object with a list of chapter objects",
        ),
        (
            '{"version": "1.2.0", "chapters": [{"startTime": 0}, {"startTime": "5"}]}',
            "a number startTime",
        ),
        (
            '{"version": "1.2.0", "chapters": [{"startTime": 9}, {"startTime": 1}]}',
            "not in ascending order",
        ),
        ("not json", "is not JSON"),
        ("[" * 100_000, "is not JSON"),
    ],
)
def test_malformed_chapters_are_problems(
    site: Path, tmp_path: Path, chapters: str, says: str
) -> None:
    s = _copy(site, tmp_path)
    (s / "episodes" / "wire-copper.chapters.json").write_text(chapters, encoding="utf-8")
    problems, _ = check(str(s))
    assert any(says in p for p in problems), problems
    assert all("\n" not in p for p in problems)


def test_a_reference_outside_the_site_is_a_problem_and_not_read(site: Path, tmp_path: Path) -> None:
    s = _copy(site, tmp_path)
    (tmp_path / "secret.vtt").write_text(
        "WEBVTT\n\n00:00.000 --> 00:01.000\nsecret\n", encoding="utf-8"
    )
    feed = (s / "feed.xml").read_text(encoding="utf-8")
    feed = feed.replace("episodes/wire-copper.vtt", "episodes/../../secret.vtt")
    (s / "feed.xml").write_text(feed, encoding="utf-8")
    problems, _ = check(str(s))
    assert any("points outside the site" in p for p in problems), problems


@pytest.mark.parametrize("name", ["a b", "a%3F", "ünï"])
def test_enclosures_with_names_that_need_quoting(site: Path, tmp_path: Path, name: str) -> None:
    s = _copy(site, tmp_path)
    for f in list((s / "episodes").iterdir()):
        f.rename(f.with_name(f.name.replace("wire-copper", name)))
    feed = (s / "feed.xml").read_text(encoding="utf-8")
    from urllib.parse import quote

    (s / "feed.xml").write_text(
        feed.replace("episodes/wire-copper", "episodes/" + quote(name)), encoding="utf-8"
    )
    problems, checked = check(str(s))
    assert problems == [] and checked > 20
