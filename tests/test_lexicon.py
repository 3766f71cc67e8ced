"""Pronunciation lexicon: format, matching, validation, PLS round trip, check, test, audition."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import SAMPLES, TONE_VOICE, audio_sheet_report, run_cli
from papercast.errors import LexiconError
from papercast.voice.lexicon import Lexicon, with_suffix
from papercast.voice.lexicon_files import load_lexicon, read_lexicon_file
from papercast.voice.phonemize import phonemize_sentence
from papercast.voice.pls import read_pls, to_pls, to_toml, xsampa_to_ipa
from papercast.voice.respell import respell_to_ipa

SEED_NAMES = {
    "Ales Bialiatski": "ɑːljˈɛs bjɑːljˈɑːtski",
    "Kalesnikava": "kɑːljˈɛsnɪkəvə",
    "Viktar Babaryka": "vˈɪktɑːɹ bɑːbɑːɹˈɪkə",
    "Tatsiana Khomich": "tɑːtsjˈɑːnə xˈɔːmɪtʃ",
    "Sviatlana Tsikhanouskaya": "svjɑːtlˈɑːnə tsɪxɐnˈoʊskəjə",
    "Alexander Lukashenko": "ˌælɪɡzˈændɚ luːkɐʃˈɛŋkoʊ",
    "Viasna": "vjɑːsnˈɑː",
    "Belta": "bˈɛltə",
    "Minsk": "mˈɪnsk",
    "Thilo Schmuelgen": "tˈiːloʊ ʃmˈʊlɡən",
    "Aachen": "ˈɑːxən",
    "Karlspreis": "kˈɑːɹlspɹaɪs",
    "Nicolás Maduro": "nˌɪkoʊlˈɑːs mɐdˈʊɹoʊ",
}


def write(tmp_path: Path, text: str, name: str = "lex.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture(scope="module")
def shipped() -> Lexicon:
    return load_lexicon()


def test_shipped_lexicon_has_every_seed_name(shipped: Lexicon) -> None:
    by_word = {e.word: e for e in shipped.entries}
    for name, ipa in SEED_NAMES.items():
        assert by_word[name].ipa == ipa
        assert "ˈ" in ipa and by_word[name].note


@pytest.mark.parametrize(
    ("sentence", "ipa"),
    [
        ("Kalesnikava’s sister spoke.", "kɑːljˈɛsnɪkəvəz"),  # possessive adds /z/ after a vowel
        ("KALESNIKAVA spoke.", "kɑːljˈɛsnɪkəvə"),  # any capitalisation
        ("Lukashenko-backed media said so.", "luːkɐʃˈɛŋkoʊ"),  # hyphenated compound
        ("Minsk, the capital, said so.", "mˈɪnsk,"),
        ("Nobel winner Ales Bialiatski was freed.", "ɑːljˈɛs bjɑːljˈɑːtski"),  # longest match first
    ],
)
def test_apply(shipped: Lexicon, sentence: str, ipa: str) -> None:
    assert ipa in phonemize_sentence(sentence, split=shipped.split)


def test_case_sensitive_entry_leaves_common_word_alone(shipped: Lexicon) -> None:
    assert "ɑːljˈɛs" not in phonemize_sentence("The brewery sold ales.", split=shipped.split)
    assert "ɑːljˈɛs" in phonemize_sentence("Ales spoke.", split=shipped.split)


@pytest.mark.parametrize(
    ("ipa", "suffix", "out"),
    [
        ("mˈɪnsk", "'s", "mˈɪnsks"),
        ("bˈɛltə", "’s", "bˈɛltəz"),
        ("vˈɪktɑːɹ", "s", "vˈɪktɑːɹz"),
        ("ˈɑːlɛs", "'s", "ˈɑːlɛsɪz"),
    ],
)
def test_possessive_sound(ipa: str, suffix: str, out: str) -> None:
    assert with_suffix(ipa, suffix) == out


def test_respelling_and_xsampa() -> None:
    assert respell_to_ipa("byah-LYAHT-skee") == "bjɑːljˈɑːtskiː"
    assert respell_to_ipa("MINSK") == "mˈɪnsk"
    assert xsampa_to_ipa('p@"kA:n') == "pəˈkɑːn"


def test_unsayable_symbol_is_refused_with_file_line_entry_symbol(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        '[[entry]]\nword = "Ok"\nipa = "ˈoʊkeɪ"\n\n[[entry]]\nword = "Tsar"\nipa = "t͡sˈɑːɹ"\n',
    )
    lex = load_lexicon([p], include_default=False)
    id_map = json.loads((TONE_VOICE.parent / "tone-voice.onnx.json").read_text())["phoneme_id_map"]
    with pytest.raises(LexiconError) as e:
        lex.validate(id_map)
    msg = str(e.value)
    assert f"{p}:6" in msg and "'Tsar'" in msg and "U+0361" in msg


def test_warnings_for_untrained_symbols_and_missing_stress(tmp_path: Path) -> None:
    p = write(
        tmp_path,
        '[[entry]]\nword = "Ryba"\nipa = "rˈɨba"\n\n[[entry]]\nword = "Flat"\nipa = "flat"\n',
    )
    id_map = json.loads((TONE_VOICE.parent / "tone-voice.onnx.json").read_text())["phoneme_id_map"]
    warnings = load_lexicon([p], include_default=False).validate(id_map)
    assert any("'Ryba'" in w and "ɨ" in w for w in warnings)
    assert any("'Flat'" in w and "no primary stress" in w for w in warnings)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[entry]]\nword = "X"\nipa = "ˈɛks"\n[[entry', "invalid TOML"),
        ('[[entry]]\nword = "Minsk"\nipa = ""\n', "empty pronunciation"),
        (
            '[[entry]]\nword = "Minsk"\nipa = "mˈɪnsk"\n[[entry]]\nword = "minsk"\nipa = '
            '"mˈiːnsk"\n',
            "duplicate entry",
        ),
        ('[[entry]]\nword = "Minsk"\nipa = "mˈɪnsk"\nalphabet = "arpabet"\n', "unknown alphabet"),
        ('[[entry]]\nword = "Minsk"\nipa = "mˈɪnsk"\nsound = "x"\n', "unknown key"),
    ],
)
def test_malformed_lexicons(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(LexiconError, match=message):
        read_lexicon_file(write(tmp_path, text))


def test_later_lexicon_overrides_and_conflict_is_reported(tmp_path: Path) -> None:
    p = write(tmp_path, '[[entry]]\nword = "Minsk"\nipa = "mˈiːnsk"\n')
    lex = load_lexicon([p])
    assert next(e for e in lex.entries if e.word == "Minsk").ipa == "mˈiːnsk"
    assert any("'Minsk'" in c and "overrides" in c for c in lex.conflicts)


POLLY_STYLE = """<?xml version="1.0" encoding="UTF-8"?>
<lexicon version="1.0"
      xmlns="http://www.w3.org/2005/01/pronunciation-lexicon"
      xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
      xsi:schemaLocation="http://www.w3.org/2005/01/pronunciation-lexicon
        http://www.w3.org/TR/2007/CR-pronunciation-lexicon-20071212/pls.xsd"
      alphabet="ipa" xml:lang="en-US">
  <lexeme>
    <grapheme>Gwynedd</grapheme>
    <phoneme>ˈɡwɪnɛð</phoneme>
  </lexeme>
  <lexeme>
    <grapheme>Caoimhe</grapheme>
    <grapheme>Keeva</grapheme>
    <phoneme>kˈiːvə</phoneme>
  </lexeme>
  <lexeme>
    <grapheme>UCEA</grapheme>
    <alias>Universities and Colleges Employers Association</alias>
  </lexeme>
  <lexeme>
    <grapheme>Aoife</grapheme>
    <phoneme alphabet="x-sampa">"i:f@</phoneme>
  </lexeme>
</lexicon>
"""


def test_pls_import_export_round_trip(tmp_path: Path) -> None:
    pls = write(tmp_path, POLLY_STYLE, "polly.pls")
    r = run_cli("lexicon", "import", str(pls), "-o", str(tmp_path / "imported.toml"))
    assert r.code == 0, r.err
    entries = read_lexicon_file(tmp_path / "imported.toml")
    assert [(e.word, e.variants) for e in entries] == [
        ("Gwynedd", ()),
        ("Caoimhe", ("Keeva",)),
        ("UCEA", ()),
        ("Aoife", ()),
    ]
    assert entries[3].ipa == "ˈiːfə"  # X-SAMPA converted
    assert entries[2].alias == "Universities and Colleges Employers Association"
    r = run_cli(
        "lexicon",
        "export",
        "--format",
        "pls",
        "--only",
        "--lexicon",
        str(tmp_path / "imported.toml"),
        "-o",
        str(tmp_path / "back.pls"),
    )
    assert r.code == 0, r.err
    again = read_pls(tmp_path / "back.pls")
    assert [(e.word, e.variants, e.ipa, e.alias) for e in again] == [
        (e.word, e.variants, e.ipa, e.alias) for e in entries
    ]


def test_pls_parsed_by_an_independent_xml_reader(shipped: Lexicon) -> None:
    from xml.etree import ElementTree

    root = ElementTree.fromstring(to_pls(shipped.entries).encode())
    ns = {"p": "http://www.w3.org/2005/01/pronunciation-lexicon"}
    assert root.get("alphabet") == "ipa"
    lexemes = root.findall("p:lexeme", ns)
    assert len(lexemes) == len(shipped.entries)
    assert lexemes[0].find("p:grapheme", ns).text == shipped.entries[0].word


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        (
            '<?xml version="1.0"?>\n<!DOCTYPE lexicon [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
            '<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" '
            'alphabet="ipa">'
            "<lexeme><grapheme>&x;</grapheme><phoneme>a</phoneme></lexeme></lexicon>",
            "refused",
        ),
        (
            '<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" '
            'alphabet="ipa">\n'
            "<lexeme><grapheme>A</grapheme><phoneme>a</phoneme></lexeme>\n<lexeme>",
            "malformed XML",
        ),
        (
            '<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" '
            'alphabet="arpabet">'
            "</lexicon>",
            "unknown phoneme alphabet",
        ),
        (
            '<lexicon version="1.0" xmlns="http://www.w3.org/2005/01/pronunciation-lexicon" '
            'alphabet="ipa">\n'
            "<lexeme><grapheme>A</grapheme><phoneme></phoneme></lexeme></lexicon>",
            "empty pronunciation",
        ),
    ],
)
def test_bad_pls_is_refused_and_nothing_written(tmp_path: Path, xml: str, message: str) -> None:
    pls = write(tmp_path, xml, "bad.pls")
    r = run_cli("lexicon", "import", str(pls), "-o", str(tmp_path / "out.toml"))
    assert r.code == 2 and message in r.err and "Traceback" not in r.err
    assert not (tmp_path / "out.toml").exists()


def test_toml_writer_round_trip(shipped: Lexicon, tmp_path: Path) -> None:
    p = write(tmp_path, to_toml(shipped.entries))
    again = read_lexicon_file(p)
    assert [(e.word, e.ipa, e.variants, e.note, e.case_sensitive) for e in again] == [
        (e.word, e.ipa, e.variants, e.note, e.case_sensitive) for e in shipped.entries
    ]


def test_check_seed_covers_every_name(seed_path: Path) -> None:
    r = run_cli("lexicon", "check", str(seed_path), "--json")
    report = json.loads(r.out)
    assert report["uncovered"] == []
    covered = {c["word"] for c in report["covered"]}
    assert {"Ales Bialiatski", "Kalesnikava", "Lukashenko", "Viasna", "Minsk", "Belta"} <= covered


def test_check_flags_hard_names_not_common_words() -> None:
    r = run_cli("lexicon", "check", str(SAMPLES / "newspaper-library.txt"), "--json")
    report = json.loads(r.out)
    flagged = {u["word"] for u in report["uncovered"]}
    assert {"Szabó", "Mészöly", "Grzegorz", "Zsófia"} <= flagged
    assert not flagged & {
        "library",
        "Budapest",
        "restoration",
        "ceilings",
        "queued",
        "Hungary",
        "Restorers",
    }
    first = next(u for u in report["uncovered"] if u["word"] == "Grzegorz")
    assert first["count"] == 1 and first["espeak_ipa"] and "Grzegorz" in first["sentence"]


@pytest.mark.parametrize("voice", ["joe", str(TONE_VOICE)])
def test_lexicon_test_passes_for_shipped_entries(voice: str) -> None:
    r = run_cli("lexicon", "test", "--voice", voice)
    assert r.code == 0, r.err
    last = r.out.strip().splitlines()[-1]
    assert (
        last.endswith(" passed, 0 failed") and int(last.split()[0]) >= 30
    )  # entries and their variants


def test_script_phonemes_show_lexicon_for_seed_names(seed_path: Path) -> None:
    out = run_cli("script", "--phonemes", str(seed_path)).out
    for ipa in SEED_NAMES.values():
        if ipa in ("ˈɑːxən", "kˈɑːɹlspɹaɪs", "tˈiːloʊ ʃmˈʊlɡən"):
            continue  # these names appear only in the dropped photo caption
        assert ipa in out, ipa
    assert "kɑːljˈɛsnɪkəvəz sˈɪstɚ" in out  # possessive: "Kalesnikava’s sister"
    assert "/bjɑːljˈɑːtski," in out  # sentence-initial "Bialiatski,"


def test_audition_page_loads_every_audio_in_chromium(tmp_path: Path) -> None:
    lex = write(
        tmp_path,
        '[[entry]]\nword = "Viasna"\nipa = "vjɑːsnˈɑː"\nnote = "rights group"\n\n'
        '[[entry]]\nword = "Belta"\nipa = "bˈɛltə"\n',
    )
    out = tmp_path / "sheet"
    r = run_cli(
        "lexicon", "audition", "--out", str(out), "--voice", str(TONE_VOICE), "--lexicon", str(lex)
    )
    assert r.code == 0, r.err
    page = (out / "index.html").read_text(encoding="utf-8")
    assert page.count("<audio") >= 2 * 2 and "vjɑːsnˈɑː" in page
    results = audio_sheet_report(out / "index.html", tmp_path / "profile")
    assert len(results) == page.count("<audio")
    for item in results:
        assert item["error"] is None and item["duration"] > 0, item


def test_say_renders_name_both_ways(tmp_path: Path) -> None:
    import soundfile

    out = tmp_path / "name.mp3"
    r = run_cli(
        "lexicon",
        "say",
        "Sviatlana Tsikhanouskaya",
        "--compare",
        "-o",
        str(out),
        "--voice",
        str(TONE_VOICE),
    )
    assert r.code == 0, r.err
    lines = r.out.strip().splitlines()
    assert lines[0].startswith("lexicon: /svjɑːtlˈɑːnə tsɪxɐnˈoʊskəjə/ ")
    assert lines[1].startswith("espeak: /") and "svjɑːtlˈɑːnə" not in lines[1]
    info = soundfile.info(str(out))
    assert info.samplerate == 44100 and info.duration > 2.0  # name, carrier sentence, twice


def test_say_reports_where_the_name_is_heard_from_the_voices_timings(tmp_path: Path) -> None:
    from piper.phoneme_ids import phonemes_to_ids

    timed = TONE_VOICE.parent / "timed-voice.onnx"
    r = run_cli(
        "lexicon",
        "say",
        "Sviatlana Tsikhanouskaya",
        "--compare",
        "-o",
        str(tmp_path / "n.mp3"),
        "--voice",
        str(timed),
    )
    assert r.code == 0, r.err
    spans = []
    for line in r.out.strip().splitlines():
        ipa = line.split("/")[1]
        m = re.search(r"alone ([0-9.]+) s; in the sentence ([0-9.]+)-([0-9.]+) s of the MP3", line)
        assert m, line
        spans.append((ipa, float(m.group(1)), float(m.group(2)), float(m.group(3))))
    for ipa, _, start, end in spans:
        # In the carrier the name runs from the word boundary before it to the pad after its
        # last symbol: with the timed voice that is (1 + id mod 3) hops for each of those ids.
        ids = phonemes_to_ids(list(" " + ipa))[2:-1]  # drop BOS and its pad, and EOS
        want = sum(256 * (1 + i % 3) for i in ids) / 22050
        assert end - start == pytest.approx(want, abs=0.011), (ipa, end - start, want)
    # the espeak reading comes after the lexicon's, later in the file
    assert spans[1][2] > spans[0][3]


_VOWELS = set("aeiouyɑɐæɛɪɨʊʌəɔɒɜɚɝøœɯɤᵻ")


def _stressed_syllable(ipa: str) -> int:
    """How many vowel nuclei come before the primary stress mark (diphthongs count once)."""
    before = ipa.split("ˈ")[0]
    nuclei, prev = 0, False
    for ch in before:
        vowel = ch in _VOWELS
        nuclei += vowel and not prev
        prev = vowel or (prev and ch in "ːˑ")
    return nuclei


def test_every_shipped_entry_cites_the_source_of_its_stress(shipped: Lexicon) -> None:
    """Each entry's note gives the name's pronunciation in its own language (or the English
    usage it follows) in [brackets], and the entry stresses the same syllable of every word."""
    for e in shipped.entries:
        m = re.search(r"\[([^\]]+)\]", e.note)
        assert m, f"{e.word}: no cited pronunciation in the note"
        cited, ours = m.group(1).split(), e.ipa.split()
        assert len(cited) == len(ours), (e.word, cited, ours)
        for c, o in zip(cited, ours):
            if "ˈ" in c:
                assert _stressed_syllable(c) == _stressed_syllable(o), (e.word, c, o)


def test_ales_is_stressed_on_its_second_syllable(shipped: Lexicon) -> None:
    ales = next(e for e in shipped.entries if e.word == "Ales")
    assert _stressed_syllable(ales.ipa) == 1 and _stressed_syllable("ˈɑːlɛs") == 0


def test_check_flags_names_espeak_says_unlike_the_dictionary_and_every_non_ascii_word(
    tmp_path: Path,
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "On Monday Joaquin met Aoife Ó Fearghail in Washington.\n\nThe talks in Budapest and "
        "Tbilisi "
        "ended early on Nov. 30, officials said.\n",
        encoding="utf-8",
    )
    report = json.loads(run_cli("lexicon", "check", str(article), "--json").out)
    why = {u["word"]: u["reason"] for u in report["uncovered"]}
    assert why["Joaquin"].startswith(
        "espeak disagrees with the dictionary (W AA2 K IY1 N"
    )  # espeak: "joe-kwin"
    assert why["Tbilisi"].startswith("espeak disagrees")
    assert why["Ó"] == "letters outside ASCII"  # short, but never skipped
    assert why["Fearghail"] == "not in the dictionary"
    assert not set(why) & {"Washington", "Budapest", "Nov", "talks", "officials", "early"}


def test_check_flags_at_most_one_common_word_across_the_samples() -> None:
    flagged: set[str] = set()
    lowercase_words: set[str] = set()
    from papercast.voice.check import check_article

    for sample in sorted(SAMPLES.glob("*.*")):
        report = check_article(str(sample))  # the CLI's --json is this report (tested above)
        flagged |= {u["word"] for u in report["uncovered"]}
        lowercase_words |= set(re.findall(r"\b[a-z][a-z'-]+\b", sample.read_text(encoding="utf-8")))
    # a common word: one the samples also use in lower case
    common = {w for w in flagged if w.lower() in lowercase_words}
    assert len(common) <= 1, common
    assert {"Tbilisi", "Giorgi", "Ó", "Ní"} <= flagged
