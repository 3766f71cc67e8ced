"""The studio in a real browser: Debian's headless Chromium driven by selenium (Debian's
chromium-driver) against the real server, started as a subprocess on loopback.

An article with three names the lexicon does not cover is held (review = "names"); a name is
fixed with a respelling using only key presses, its sentence heard with the new reading (the
audio element reports a duration and ends), saved: lexicon.toml on disk has the entry, the
episode is re-recorded synthesising only the sentences with that name, and approving puts it
in feed.xml. Two editors saving the same entry: the second is refused, both readings shown.
The seed's names all show as covered."""

from __future__ import annotations

import json
import os
import shutil
import urllib.parse
from pathlib import Path
from typing import Any

import pytest
import tomllib
from test_serve import Server, _folder, _free_port

from conftest import ROOT, SEED

pytest.importorskip("starlette")
selenium = pytest.importorskip("selenium")
feedparser = pytest.importorskip("feedparser")

from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

# screenshots go to the test's own folder; PAPERCAST_SCREENSHOTS=docs/studio makes README's
SHOTS_DIR = os.environ.get("PAPERCAST_SCREENSHOTS", "")
NAMES = ("Wojtkiewicz", "Szczepanik", "Przybyszewski")
ARTICLE = (
    "Harbour board approves sea wall\n\n"
    "The harbour board met on Tuesday and approved the plan for a new sea wall along the "
    "north quay.\n\n"
    "Councillor Wojtkiewicz said the work would start in May. Engineers led by Szczepanik "
    "will survey the quay first.\n\n"
    "The contract goes to a firm run by Przybyszewski. Wojtkiewicz said the wall would "
    "protect three hundred homes."
)


def _browser() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or "/usr/lib/chromium/chromedriver"
    if not chromium or not Path(driver).is_file():
        pytest.skip("Debian's chromium and chromium-driver are needed (.ci/run installs them)")
    return chromium, driver


def _driver(profile: Path) -> Any:
    chromium, driver = _browser()
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must not look for drivers online
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--autoplay-policy=no-user-gesture-required",
                 "--window-size=1200,1400", f"--user-data-dir={profile}"):  # fmt: skip
        options.add_argument(flag)
    return webdriver.Chrome(options=options, service=webdriver.ChromeService(driver))


def _studio_server(tmp_path: Path, *articles: tuple[str, str]) -> Server:
    port = _free_port()
    folder = _folder(tmp_path, port)
    toml = folder / "papercast.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('review = "none"', 'review = "names"'),
        encoding="utf-8",
    )
    for name, text in articles:
        (folder / "articles" / name).write_text(text, encoding="utf-8")
    os.environ["PAPERCAST_CACHE_DIR"] = str(tmp_path / "cache")
    return Server(folder, port)


def _episodes(s: Server) -> dict[str, dict[str, Any]]:
    status, _, data = s.get("/studio/api/episodes")
    assert status == 200, data
    return {e["slug"]: e for e in json.loads(data)["episodes"]}


def _wait(driver: Any, script: str, what: str) -> Any:
    """Until ``script`` returns something true in the page (an event the page records)."""
    return WebDriverWait(driver, 120, poll_frequency=0.1).until(
        lambda d: d.execute_script("return " + script), what
    )


def _tab_to(driver: Any, test: str, limit: int = 80) -> None:
    """Press Tab until the focused element passes ``test`` (a JS expression on ``el``)."""
    body = driver.find_element(By.TAG_NAME, "body")
    for _ in range(limit):
        if driver.execute_script(f"const el = document.activeElement; return !!({test});"):
            return
        webdriver.ActionChains(driver).send_keys(Keys.TAB).perform()
    raise AssertionError(f"no focusable element {test} (from {body.tag_name})")


def _keys(driver: Any, *keys: str) -> None:
    webdriver.ActionChains(driver).send_keys(*keys).perform()


def _ended(driver: Any) -> dict[str, Any]:
    """The last playback once it has ended (the page records each one)."""
    return dict(
        _wait(
            driver,
            "(() => { const p = window.studio.playback.at(-1); "
            "return p && (p.ended || p.error) ? p : null; })()",
            "playback ended",
        )
    )


def test_an_editor_fixes_a_name_by_keyboard_hears_it_saves_and_approves(tmp_path: Path) -> None:
    articles = [("wall.txt", ARTICLE)]
    if SEED.is_file():
        articles.append(("seed.txt", SEED.read_text(encoding="utf-8")))
    _browser()  # skips when Chromium is missing, before a server is started that would outlive it
    s = _studio_server(tmp_path, *articles)
    driver = _driver(tmp_path / "profile")
    shots = Path(SHOTS_DIR) if SHOTS_DIR else tmp_path / "shots"
    shots.mkdir(parents=True, exist_ok=True)
    try:
        s.wait(lambda: set(_episodes(s)) >= {a[0][:-4] for a in articles}, "rendered")
        wall = _episodes(s)["wall"]
        assert wall["state"] == "held" and {f["word"] for f in wall["flagged"]} == set(NAMES)
        assert "Harbour board" not in s.get("/feed.xml")[2].decode()  # held: not in the feed

        driver.get(s.url + "/studio/")
        _wait(driver, "document.querySelectorAll('#episodes tbody tr').length", "the list")
        row = driver.find_element(By.CSS_SELECTOR, '#episodes tr[data-id="file:articles/wall.txt"]')
        assert "held" in row.text and all(n in row.text for n in NAMES)
        assert driver.save_screenshot(str(shots / "review-list.png"))

        if SEED.is_file():  # every name the seed's lexicon check reports covered shows so
            from papercast.voice.check import check_article

            want = {c["word"] for c in check_article(str(SEED))["covered"]}
            assert len(want) >= 11
            driver.get(s.url + "/studio/#/episode/" + urllib.parse.quote("file:articles/seed.txt"))
            _wait(driver, "document.querySelectorAll('#script li').length > 10", "the seed")
            shown = {
                b.get_attribute("data-word")
                for b in driver.find_elements(By.CSS_SELECTOR, "#script .name.covered")
            }
            assert shown == want
            assert not driver.find_elements(By.CSS_SELECTOR, "#script .name.flagged")

        # the article view, by keyboard from here on
        driver.get(s.url + "/studio/#/episode/" + urllib.parse.quote("file:articles/wall.txt"))
        _wait(driver, "document.querySelectorAll('#script .name.flagged').length", "names")
        flagged = driver.find_elements(By.CSS_SELECTOR, "#script .name.flagged")
        assert sorted({b.get_attribute("data-word") for b in flagged}) == sorted(NAMES)
        assert driver.save_screenshot(str(shots / "article-view.png"))
        # the episode's read-along player is embedded: its page loads with its audio element
        driver.find_element(By.CSS_SELECTOR, "#readalong-box summary").click()
        frame = driver.find_element(By.ID, "readalong-frame")
        _wait(driver, "!!(document.querySelector('#readalong-frame').contentDocument && "
              "document.querySelector('#readalong-frame').contentDocument.querySelector("
              "'audio'))", "the read-along page")  # fmt: skip
        # held: the studio has it behind its token, the public site does not serve it at all
        assert frame.get_attribute("src").endswith("/studio/api/files/wall.html")
        assert s.get("/episodes/wall.html")[0] == 404 and s.get("/episodes/wall.mp3")[0] == 404
        _tab_to(driver, "el.id === 'who'")
        _keys(driver, "Test Editor", Keys.TAB)
        _tab_to(driver, "el.dataset && el.dataset.word === 'Wojtkiewicz'")
        _keys(driver, Keys.ENTER)
        _wait(driver, "document.activeElement.id === 'respell'", "the fix panel")
        _wait(driver, "document.querySelector('#fix-espeak').textContent", "espeak's reading")
        _keys(driver, "voyt-KYEH-vich", Keys.ENTER)  # Enter previews, then plays the sentence
        played = _ended(driver)
        assert not played.get("error") and played["ended"] and played["duration"] > 0.5
        assert "with the new reading" in played["label"]
        ipa = driver.find_element(By.ID, "fix-phonemes").text
        assert "vɔɪtkjˈɛvɪtʃ" in ipa  # the respelling's reading, in the phonemes Piper gets
        assert driver.save_screenshot(str(shots / "fix-panel.png"))
        # the sentence with the new reading, as the server sends it to Piper
        sentence = driver.execute_script("return window.studio.fix.n")
        status, h, _ = s.get(
            "/studio/api/sentence.wav?"
            + urllib.parse.urlencode(
                {
                    "id": "file:articles/wall.txt",
                    "n": sentence,
                    "word": "Wojtkiewicz",
                    "ipa": "vɔɪtkjˈɛvɪtʃ",
                }
            )  # fmt: skip
        )
        assert status == 200 and "vɔɪtkjˈɛvɪtʃ" in json.loads(h["x-phonemes"])[0]
        _tab_to(driver, "el.id === 'save'")
        _keys(driver, Keys.ENTER)
        summary = _wait(
            driver, "!document.querySelector('#saved').hidden && "
            "document.querySelector('#saved-summary').textContent", "saved"
        )  # fmt: skip
        assert "re-records 1 episode" in summary
        assert '+ipa = "vɔɪtkjˈɛvɪtʃ"' in driver.find_element(By.ID, "saved-diff").text

        entries = tomllib.loads((s.folder / "lexicon.toml").read_text(encoding="utf-8"))["entry"]
        assert [(e["word"], e["ipa"], e["respell"]) for e in entries] == [
            ("Wojtkiewicz", "vɔɪtkjˈɛvɪtʃ", "voyt-KYEH-vich")
        ]
        assert "Test Editor" in entries[0]["note"]
        # re-recorded with only the sentences holding the name made by the voice again
        with_name = sum("Wojtkiewicz" in s_ for p in ARTICLE.split("\n\n") for s_ in p.split(". "))
        assert with_name == 2
        s.wait(
            lambda: "Wojtkiewicz" not in {f["word"] for f in _episodes(s)["wall"]["flagged"]},
            "re-recorded",
        )
        wall = _episodes(s)["wall"]
        # the voice made the other sentence with the name; the one heard with the new reading
        # came from the clip cache (the audition made it); none of the rest
        assert wall["synthesised"] == with_name - 1 and wall["state"] == "held"  # two left

        # approve, by keyboard: the episode reaches the feed
        _tab_to(driver, "el.id === 'approve'")
        _keys(driver, Keys.ENTER)
        s.wait(lambda: "Harbour board" in s.get("/feed.xml")[2].decode(), "published")
        feed = feedparser.parse(s.get("/feed.xml")[2])
        assert [e.title for e in feed.entries if "Harbour" in e.title] == [
            "Harbour board approves sea wall"
        ]
        assert _episodes(s)["wall"]["review"]["who"] == "Test Editor"
        assert not any("Traceback" in line for line in s.log)
    finally:
        driver.quit()
        s.stop()


def test_two_editors_saving_one_entry_conflict_and_nothing_is_lost(tmp_path: Path) -> None:
    """Two browser sessions (two Chromium processes, two profiles) open the same name."""
    _browser()  # skips when Chromium is missing, before a server is started that would outlive it
    s = _studio_server(tmp_path, ("wall.txt", ARTICLE))
    editors = [_driver(tmp_path / "profile-a"), _driver(tmp_path / "profile-b")]
    try:
        s.wait(lambda: "wall" in _episodes(s), "rendered")
        url = s.url + "/studio/#/episode/" + urllib.parse.quote("file:articles/wall.txt")
        for driver, respelling in zip(editors, ("SHCHEH-pah-nik", "sheh-PAH-nik"), strict=True):
            driver.get(url)  # both open the same entry before either saves
            _wait(driver, "document.querySelector('[data-word=\"Szczepanik\"]')", "names")
            driver.find_element(By.CSS_SELECTOR, '[data-word="Szczepanik"]').click()
            _wait(driver, "window.studio.fix && window.studio.fix.etag", "the entry's version")
            if driver is editors[0]:  # a symbol the voice cannot say is refused in the panel
                driver.find_element(By.ID, "ipa").send_keys("ʃ€pɑnɪk")
                driver.find_element(By.ID, "preview").click()
                error = _wait(driver, "document.querySelector('#fix-error').textContent", "no")
                assert "'€' (U+20AC) is not in the voice's phoneme set" in error
                assert driver.find_element(By.ID, "save").get_attribute("disabled")
                driver.find_element(By.ID, "ipa").clear()
            driver.find_element(By.ID, "respell").send_keys(respelling)
            driver.find_element(By.ID, "preview").click()
            _wait(driver, "!document.querySelector('#save').disabled", "a reading")
        first_editor, second_editor = editors
        first_editor.find_element(By.ID, "save").click()
        _wait(first_editor, "!document.querySelector('#saved').hidden", "the first save")
        first = tomllib.loads((s.folder / "lexicon.toml").read_text(encoding="utf-8"))
        second_editor.find_element(By.ID, "save").click()
        _wait(second_editor, "!document.querySelector('#conflict').hidden", "the conflict")
        yours = second_editor.find_element(By.ID, "conflict-yours").text
        theirs = second_editor.find_element(By.ID, "conflict-theirs").text
        assert "sheh-PAH-nik" in yours and "SHCHEH-pah-nik" in theirs
        # the refused save changed nothing on disk
        again = tomllib.loads((s.folder / "lexicon.toml").read_text(encoding="utf-8"))
        assert again == first and first["entry"][0]["respell"] == "SHCHEH-pah-nik"
        # the second editor, having seen both, saves over the first knowingly
        second_editor.find_element(By.ID, "save-mine").click()
        _wait(second_editor, "!document.querySelector('#saved').hidden", "the second save")
        last = tomllib.loads((s.folder / "lexicon.toml").read_text(encoding="utf-8"))
        assert [e["respell"] for e in last["entry"]] == ["sheh-PAH-nik"]
        # and a save without the version it started from is refused, not applied
        body = json.dumps({"word": "Szczepanik", "respell": "x-Y"}).encode()
        status, _, data = s.request(
            "PUT", "/studio/api/lexicon", body, {"Content-Type": "application/json"}
        )
        assert status == 428 and "If-Match" in json.loads(data)["detail"]
    finally:
        for driver in editors:
            driver.quit()
        s.stop()


def test_the_studio_page_is_small_and_loads_nothing_from_elsewhere() -> None:
    assets = ROOT / "src" / "papercast" / "serve" / "assets"
    total = sum(p.stat().st_size for p in assets.iterdir())
    assert total < 200 * 1024, total
    for p in assets.iterdir():
        text = p.read_text(encoding="utf-8")
        assert "http://" not in text and "https://" not in text, p.name
