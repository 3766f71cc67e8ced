"""The whole pipeline in one place: extract -> normalize/segment -> lexicon/phonemes
-> synthesize -> assemble -> loudness -> encode (+ transcripts)."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import loudness
from .assemble import OUTPUT_RATE_HZ, Assembler
from .encode import (
    DEFAULT_BITRATE_KBPS,
    Mp3Stream,
    Tags,
    atomic_path,
    decode,
    encode_mp3,
    read_cover,
    write_tags,
    write_text,
)
from .errors import InputError, PapercastError
from .extract import extract
from .inputs import read_document
from .lexicon import Lexicon, load_lexicon
from .music import MusicMixer
from .music import prepare as prepare_music
from .normalize import has_words, normalize
from .phonemize import phonemize_sentence
from .progress import Progress
from .segment import split_long, split_sentences
from .transcripts import to_chapters_json, to_srt, to_vtt
from .types import Article, Phonemized, Programme, Role, Sentence


@dataclass(frozen=True)
class SpeakOptions:
    voice: str | None = None  # profile name, .toml or .onnx path
    lexicons: tuple[str, ...] = ()  # extra lexicon files, later ones win
    bitrate_kbps: int = DEFAULT_BITRATE_KBPS
    target_lufs: float = loudness.DEFAULT_TARGET_LUFS
    ceiling_dbtp: float = loudness.DEFAULT_CEILING_DBTP
    intro: bool = False  # read "By <byline>, <site>, <date>" after the headline
    outro: str = ""  # text read at the end (e.g. a synthetic-voice disclosure)
    transcripts: tuple[str, ...] = ()  # "vtt", "srt"
    chapters_json: bool = False
    artist: str = ""
    album: str = ""
    cover: str | None = None
    intro_music: str | None = None  # audio file played before the headline, ducked under it
    outro_music: str | None = None  # audio file played after the last sentence
    bed_music: str | None = None  # audio file looped quietly under the whole reading
    encoding: str | None = None
    cache: bool = True  # reuse clips synthesised before (keyed by voice, phonemes, settings)
    cache_dir: Path | None = None  # None: the user cache folder
    quiet: bool = False


@dataclass
class SpeakResult:
    path: Path
    programme: Programme
    sentences: list[Sentence]
    measured: loudness.Loudness
    extra_files: list[Path] = field(default_factory=list)


def load_article(path: str, encoding: str | None = None) -> Article:
    return extract(read_document(path, encoding=encoding))


def _speech_form(text: str) -> str:
    """Headings in capitals read as words, not letters."""
    if text.isupper() and len(text) > 5:
        text = text.title()
    return normalize(text)


def sentences_of(article: Article, intro: bool = False, outro: str = "") -> list[Sentence]:
    """Everything that will be spoken, in order, each with its written and spoken form."""
    out: list[Sentence] = []

    def add(text: str, section: int, paragraph: int, role: str, last: bool) -> None:
        for piece in split_long(text):
            spoken = _speech_form(piece)
            if has_words(spoken):
                out.append(Sentence(piece, spoken, section, paragraph, role, False))
        if out and last:
            out[-1] = _last(out[-1])

    add(article.title, -1, -1, Role.TITLE, True)
    if intro:
        bits = [f"By {article.byline}" if article.byline else "", article.site, article.date]
        line = ", ".join(b for b in bits if b)
        if line:
            add(line + ".", -1, -1, Role.INTRO, True)
    if article.dek:
        for s in split_sentences(article.dek):
            add(s, -1, -1, Role.INTRO, False)
        if out:
            out[-1] = _last(out[-1])
    paragraph = 0
    for i, section in enumerate(article.sections):
        if section.heading:
            add(section.heading, i, paragraph, Role.HEADING, True)
        for para in section.paragraphs:
            sents = split_sentences(para)
            for j, s in enumerate(sents):
                add(s, i, paragraph, Role.BODY, j == len(sents) - 1)
            paragraph += 1
    if outro:
        for s in split_sentences(outro):
            add(s, -1, paragraph, Role.OUTRO, False)
    if not any(s.role == Role.BODY for s in out):
        raise InputError(f"{article.source}: no speakable text (only symbols or punctuation)")
    return out


def _last(s: Sentence) -> Sentence:
    return Sentence(s.text, s.spoken, s.section, s.paragraph, s.role, True)


def phonemize_all(sentences: Iterable[Sentence], lexicon: Lexicon | None, language: str = "en-us") -> list[Phonemized]:
    split = lexicon.split if lexicon and lexicon.entries else None
    return [Phonemized(s, phonemize_sentence(s.spoken, language, split)) for s in sentences]


def speak(input_path: str, output: Path, options: SpeakOptions = SpeakOptions()) -> SpeakResult:
    """Make one MP3 episode (and any transcripts) from one article file.

    Clips are synthesised in a background thread while this thread places them,
    sets their level and encodes them; the finished MP3 is decoded and measured,
    and re-encoded from the whole programme if it missed the loudness target.
    """
    from .synthesize import Synthesizer, default_cache_dir, synth_stream
    from .voices import resolve_voice

    article = load_article(input_path, options.encoding)
    profile = resolve_voice(options.voice)
    cover = read_cover(options.cover) if options.cover else None
    lexicon = load_lexicon(options.lexicons)
    for msg in lexicon.conflicts:
        print(f"papercast: lexicon: {msg}", file=sys.stderr)
    cache_dir = (options.cache_dir or default_cache_dir()) if options.cache else None
    synth = Synthesizer(profile, cache_dir=cache_dir)
    lexicon.validate(synth.id_map)
    sentences = sentences_of(article, options.intro, options.outro)
    items = phonemize_all(sentences, lexicon, synth.config.espeak_voice)
    for item in items:
        synth.ids(item.phonemes)  # refuse unsayable symbols before any audio is made

    stings = prepare_music(options.intro_music, options.outro_music, OUTPUT_RATE_HZ, options.target_lufs,
                           options.bed_music)

    rate = synth.sample_rate_hz
    encoder = Mp3Stream(OUTPUT_RATE_HZ, options.bitrate_kbps)
    processed: list[np.ndarray] = []  # what went into the encoder, for a cheap correction

    def encode(audio: np.ndarray) -> None:
        processed.append(audio)
        encoder.write(audio)

    mixer = MusicMixer(stings, encode, options.ceiling_dbtp - loudness.MP3_MARGIN_DB)
    planner = loudness.LevelPlanner(rate, options.target_lufs, options.ceiling_dbtp,
                                    sink=lambda audio: mixer(loudness.resample(audio, rate, OUTPUT_RATE_HZ)))
    asm = Assembler(sentences, profile.pauses, rate)
    planner.feed(asm.lead_in())
    progress = Progress(len(items), enabled=False if options.quiet else None)
    try:
        for clip in synth_stream(synth, items):
            planner.feed(asm.place(clip))
            progress.step()
    finally:
        progress.close()
    planner.finish()
    mixer.finish()
    programme = asm.programme([s.heading for s in article.sections], article.title, offset_ms=stings.offset_ms,
                              tail_ms=MusicMixer.tail_ms(stings))
    tags = Tags(title=article.title, artist=options.artist or article.byline or article.site or "papercast",
                album=options.album or article.site or "papercast", date=_tag_date(article.date),
                comment=f"Source: {article.source}", cover=cover[0] if cover else None,
                cover_mime=cover[1] if cover else "image/jpeg")
    with atomic_path(output) as tmp:
        tmp.write_bytes(encoder.finish())
        measured = _measure_file(tmp)
        if loudness.missed(measured, options.target_lufs, options.ceiling_dbtp):
            measured = _reencode(tmp, np.concatenate(processed), options, measured)
        write_tags(tmp, tags, programme.chapters)
    extra = write_sidecars(output, programme, article.title, options)
    return SpeakResult(output, programme, sentences, measured, extra)


def _measure_file(path: Path) -> loudness.Loudness:
    """Loudness and true peak of the encoded file, measured side by side (both release the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    audio, rate = decode(path)
    if audio.size < int(0.4 * rate) or not np.any(audio):
        return loudness.measure(audio, rate)
    with ThreadPoolExecutor(max_workers=2) as pool:
        lufs = pool.submit(loudness.integrated_lufs, audio, rate)
        peak = pool.submit(loudness.true_peak, audio)
        return loudness.Loudness(lufs.result(), loudness.db(peak.result()))


def _reencode(tmp: Path, audio: np.ndarray, options: SpeakOptions, measured: loudness.Loudness) -> loudness.Loudness:
    """Correct an MP3 that missed: scale what was encoded by the measured error (limiting
    if that would pass the ceiling), encode again and measure again; twice at most."""
    for _ in range(2):
        gain_db = options.target_lufs - measured.integrated_lufs
        over_db = measured.true_peak_dbtp + gain_db - options.ceiling_dbtp
        audio = audio * np.float32(10 ** (gain_db / 20))
        if over_db > 0:
            ceiling = options.ceiling_dbtp - loudness.MP3_MARGIN_DB - over_db / 2
            audio = loudness.limit(audio, OUTPUT_RATE_HZ, ceiling)
        tmp.write_bytes(encode_mp3(audio, OUTPUT_RATE_HZ, options.bitrate_kbps))
        measured = _measure_file(tmp)
        if not loudness.missed(measured, options.target_lufs, options.ceiling_dbtp):
            break
    return measured


def write_sidecars(output: Path, programme: Programme, title: str, options: SpeakOptions) -> list[Path]:
    written = []
    for kind in options.transcripts:
        if kind not in ("vtt", "srt"):
            raise PapercastError(f"unknown transcript format {kind!r} (use vtt, srt)")
        path = output.with_suffix(f".{kind}")
        write_text(path, to_vtt(programme.cues) if kind == "vtt" else to_srt(programme.cues))
        written.append(path)
    if options.chapters_json:
        path = output.with_suffix(".chapters.json")
        write_text(path, to_chapters_json(programme.chapters, title))
        written.append(path)
    return written


def _tag_date(date: str) -> str:
    m = re.search(r"\b(1[89]\d\d|20\d\d)-(\d\d)-(\d\d)\b", date)
    if m:
        return m.group(0)
    m = re.search(r"\b(1[89]\d\d|20\d\d)\b", date)
    return m.group(1) if m else ""
