"""The order of work, in one place.

A ``Renderer`` is made once from the settings (voice, lexicon, music, cover,
cache) and renders any number of articles with the voice loaded once::

    read -> extract -> script (normalise, segment) -> phonemes (lexicon)
         -> synthesize (cache) -> assemble -> level -> resample -> mix -> encode
         -> measure the MP3 (correct if it missed) -> tags, chapters, transcripts -> publish

Audio streams through the chain a sentence at a time: nothing holds the whole
programme, so memory stays flat in article length. What went into the encoder
is spilled to a temporary file (16-bit PCM) in case the finished MP3 misses its
loudness target and must be corrected. Every output is staged under a temporary
name and all of them are renamed into place together at the end.

An episode whose inputs are unchanged and whose files are intact is not rendered
again (see manifest.py).
"""

from __future__ import annotations

import functools
import hashlib
import os
import queue
import re
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from papercast import manifest
from papercast.cpu import budget, plan
from papercast.errors import PapercastError, VoiceError
from papercast.fetch import Policy, charset, fetch, kind_of
from papercast.files import Staging, os_message, remove_stale_temps
from papercast.progress import Progress
from papercast.settings import EpisodeSettings, RunFlags, check_settings
from papercast.text.extract import extract
from papercast.text.inputs import Document, document_from_bytes, read_document
from papercast.text.script import sentences_of, with_quotations
from papercast.types import Article, Clip, Episode, Loudness, Phonemized, Sentence, Timeline
from papercast.voice.align import WordAligner
from papercast.voice.cache import ClipCache, cache_root, file_sha256
from papercast.voice.catalogue import voice_credit
from papercast.voice.lexicon import Lexicon
from papercast.voice.lexicon_files import default_files, load_lexicon
from papercast.voice.phonemize import phonemize_all
from papercast.voice.profiles import VoiceProfile, resolve_voice, voice_for_language
from papercast.voice.synthesize import Synthesizer

AUDIO_VERSION = "4"  # bump when a change alters what an episode sounds like or contains
OUTPUT_RATE_HZ = 44100


@dataclass(frozen=True)
class SpeakOptions(EpisodeSettings, RunFlags):
    """Both at once, for one-off calls (``speak``)."""

    def settings(self) -> EpisodeSettings:
        return EpisodeSettings(
            **{f: getattr(self, f) for f in EpisodeSettings.__dataclass_fields__}
        )

    def flags(self) -> RunFlags:
        return RunFlags(**{f: getattr(self, f) for f in RunFlags.__dataclass_fields__})


def article_of(doc: Document) -> Article:
    """The article in ``doc``, with the voice its source gives it (the article's own front
    matter wins)."""
    article = extract(doc)
    if doc.voice and not article.voice:
        article = replace(article, voice=doc.voice)
    return article


def sentences_for(article: Article, s: EpisodeSettings) -> list[Sentence]:
    """What these settings make of an article: the sentences to speak, with their spoken form
    (and the quotations' voice, when the settings give quotations one)."""

    out = sentences_of(article, s.intro, s.outro, date_order=s.date_order)
    if s.quote_voice or s.quote_speaker:
        speaker = f"#{s.quote_speaker}" if s.quote_speaker else ""
        out = with_quotations(out, f"{s.quote_voice or ''}{speaker}", s.date_order)
    return out


def check_outputs(source: str, output: Path, s: EpisodeSettings) -> None:
    """Refuse outputs that would overwrite an input or each other, or that cannot be written."""
    outputs = [output, *sidecar_paths(output, s)]
    inputs = [source, *s.files()]

    def same(a: Path, b: Path) -> bool:
        try:
            return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
        except OSError:
            return False

    for out in outputs:
        for name in inputs:
            if name and name != "-" and same(out, Path(name)):
                raise PapercastError(
                    f"{out}: would overwrite the input {name}; choose another output name"
                )
    for i, a in enumerate(outputs):
        for b in outputs[i + 1 :]:
            if same(a, b):
                raise PapercastError(
                    f"{a}: the MP3 and a sidecar would be the same file; give the output an .mp3 "
                    f"name"
                )
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise PapercastError(f"{output}: output folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise PapercastError(f"{output}: output folder {folder} is not writable")


# The files beside an episode's MP3: what each is called, and (transcripts) its type in a feed.
TRANSCRIPT_SUFFIXES = {"vtt": ".vtt", "srt": ".srt", "json": ".transcript.json"}
TRANSCRIPT_TYPES = {"vtt": "text/vtt", "srt": "application/x-subrip", "json": "application/json"}
CHAPTERS_SUFFIX = ".chapters.json"
PAGE_SUFFIX = ".html"


def sidecar_paths(output: Path, settings: EpisodeSettings) -> tuple[Path, ...]:
    paths = [output.with_suffix(TRANSCRIPT_SUFFIXES[kind]) for kind in settings.transcripts]
    if settings.chapters_json:
        paths.append(output.with_suffix(CHAPTERS_SUFFIX))
    if settings.page:
        paths.append(output.with_suffix(PAGE_SUFFIX))
    return tuple(paths)


class Renderer:
    """Renders articles to episodes with one voice, lexicon, music and cache, loaded once."""

    def __init__(
        self,
        settings: EpisodeSettings = EpisodeSettings(),
        flags: RunFlags = RunFlags(),
        synth_workers: int | None = None,
        intra_op_threads: int | None = None,
    ) -> None:
        check_settings(settings)
        for name in settings.files():  # a device or FIFO would be hashed, then read, forever
            if os.path.exists(name) and not os.path.isfile(name):
                raise PapercastError(f"{name}: not a regular file (a file setting names a file)")
        self.settings = settings
        self.flags = flags
        self.profile = (
            resolve_voice(settings.voice).at_rate(settings.rate).with_speaker(settings.speaker)
        )
        self.cache = ClipCache(flags.cache_dir) if flags.cache else None
        # The thread plan from the CPU budget (cpu.py), unless the caller names the threads
        # (a Dask worker: its share of its host's budget).
        self.budget = budget(flags.threads)
        self.plan = plan(self.budget.cpus)
        self.synth_workers = synth_workers or self.plan.runs  # sentences synthesised at once
        self.intra_op_threads = intra_op_threads or (  # ONNX threads per run
            self.plan.intra_op if synth_workers is None else 1
        )
        self._synth: Synthesizer | None = None
        self._voices: dict[str, tuple[Synthesizer, float]] = {}  # other voices and their gain
        self._voices_lock = threading.Lock()
        self._lexicon: Lexicon | None = None
        self._stings: Any = None
        self._cover: tuple[bytes, str] | None = None

    # The quick key hashes lexicon files; the full key hashes the phonemes they produce instead.
    @functools.cached_property
    def settings_key(self) -> str:
        """A digest of everything but the article that shapes this renderer's episodes."""
        return self._settings_key(with_lexicons=True)

    @functools.cached_property
    def voice_credit(self) -> str:
        """What this voice's licence asks to be credited (read once, not per episode)."""
        return voice_credit(self.profile.model)

    @functools.cached_property
    def _full_base(self) -> str:
        return self._settings_key(with_lexicons=False)

    # -- what is loaded once ---------------------------------------------------------------
    @property
    def lexicon(self) -> Lexicon:
        if self._lexicon is None:
            self._lexicon = load_lexicon(self.settings.lexicons)
            for msg in self._lexicon.conflicts:
                print(f"papercast: lexicon: {msg}", file=sys.stderr)
        return self._lexicon

    @property
    def synth(self) -> Synthesizer:
        if self._synth is None:
            synth = self._load(self.profile)
            self.lexicon.validate(synth.id_map)
            self._synth = synth
        return self._synth

    def _load(self, profile: VoiceProfile) -> Synthesizer:
        """A voice loaded with this renderer's cache and thread plan."""
        return Synthesizer(
            profile,
            cache=self.cache,
            workers=self.synth_workers,
            model_dir=(self.flags.cache_dir or cache_root()) / "models",
            intra_op_threads=self.intra_op_threads,
        )

    # -- more than one voice -------------------------------------------------------------------
    def profile_for(self, spec: str) -> VoiceProfile:
        """The profile a sentence's ``voice`` names: "VOICE", "VOICE#SPEAKER", "#SPEAKER" (the
        episode's voice as another speaker); "" is the episode's."""
        if not spec:
            return self.profile
        name, _, speaker = spec.partition("#")
        if name.startswith("lang:"):  # SSML xml:lang: a voice that speaks it
            found = voice_for_language(name[5:], self.profile)
            return found if found is self.profile else found.at_rate(self.settings.rate)
        base = resolve_voice(name).at_rate(self.settings.rate) if name else self.profile
        return base.with_speaker(speaker)

    def voice_for(self, spec: str) -> tuple[Synthesizer, float]:
        """The loaded voice for a sentence's ``voice``, and the gain (dB) that matches its
        loudness to the episode's voice: both read the same reference sentence, measured
        with BS.1770 (once per voice; the clips come from the cache after the first time)."""
        if not spec:
            return self.synth, 0.0
        with self._voices_lock:
            if spec not in self._voices:
                profile = self.profile_for(spec)
                if profile.model == self.profile.model:  # the same model: share its sessions
                    synth = self.synth.as_speaker(
                        profile.speaker if profile.speaker is not None else 0
                    )
                    synth.profile = profile
                else:
                    synth = self._load(profile)
                self.lexicon.validate(synth.id_map)
                self._voices[spec] = (synth, self._matching_gain(synth))
            return self._voices[spec]

    def _matching_gain(self, other: Synthesizer) -> float:
        from papercast.audio.loudness import integrated_lufs

        def loudness(synth: Synthesizer) -> float:
            language = synth.profile.espeak_voice
            sentence = Sentence(MATCH_SENTENCE, MATCH_SENTENCE, -1, -1)
            item = phonemize_all([sentence], None, language)[0]
            return integrated_lufs(synth.clip(item).samples, synth.sample_rate_hz)

        own, theirs = loudness(self.synth), loudness(other)
        if not (np.isfinite(own) and np.isfinite(theirs)):
            return 0.0
        return float(np.clip(own - theirs, -20.0, 20.0))

    def clip_maker(self, items: list[Phonemized]) -> Callable[[Phonemized], Clip] | None:
        """What makes each item's clip when the episode has more than one voice or plays a
        sound file (None: the episode's voice makes them all): the item's voice, its loudness
        matched and its clip brought to the episode voice's sample rate; a sound file read,
        mixed to mono and resampled."""
        if not any(i.sentence.voice or i.sentence.audio for i in items):
            return None
        rate = self.synth.sample_rate_hz

        def make(item: Phonemized) -> Clip:
            if item.sentence.audio:
                return sound_clip(item, rate)
            synth, gain_db = self.voice_for(item.sentence.voice)
            clip = synth.clip(item)
            if synth is self.synth and not gain_db:
                return clip
            from papercast.audio.loudness import resample

            samples, ids = clip.samples, clip.id_samples
            if clip.sample_rate_hz != rate:
                samples = resample(samples, clip.sample_rate_hz, rate)
                if ids is not None:
                    ids = _rescaled(ids, rate / clip.sample_rate_hz, len(samples))
            if gain_db:
                samples = samples * np.float32(10 ** (gain_db / 20))
            return Clip(item, np.clip(samples, -1.0, 1.0), rate, ids)

        return make

    def _music(self) -> Any:
        if self._stings is None:
            from papercast.audio.music import prepare

            s = self.settings
            self._stings = prepare(
                s.intro_music, s.outro_music, OUTPUT_RATE_HZ, s.target_lufs, s.bed
            )
        return self._stings

    def _cover_art(self) -> tuple[bytes, str] | None:
        if self.settings.cover and self._cover is None:
            from papercast.audio.tags import read_cover

            self._cover = read_cover(self.settings.cover)
        return self._cover

    # -- identity ----------------------------------------------------------------------------
    def _settings_key(self, with_lexicons: bool) -> str:
        """Everything but the article that an episode is made from, as files and values."""

        memo = self.cache.root if self.cache else cache_root()
        s = self.settings
        lexicons = [*default_files(), *map(Path, s.lexicons)] if with_lexicons else []
        others = [Path(p) for p in s.files() if p != s.voice and p not in s.lexicons]
        files = [self.profile.model, self.profile.config_path, *lexicons, *others]
        hashes = []
        for f in files:
            try:
                hashes.append(
                    file_sha256(f, memo) if f == self.profile.model else manifest.sha256_file(f)
                )
            except OSError:
                hashes.append(f"missing:{f}")  # loading it will say what is wrong
        settings = (s if with_lexicons else replace(s, lexicons=())).identity()
        return _digest(AUDIO_VERSION, settings, repr(self.profile), hashes)

    # -- rendering ---------------------------------------------------------------------------
    def render(self, source: str | Document, output: Path) -> Episode:
        """One article (a file, "-" for stdin, an http(s) URL, or a Document) to ``output``
        and its sidecars."""

        check_outputs(source if isinstance(source, str) else "-", output, self.settings)
        remove_stale_temps(output.parent if str(output.parent) else Path("."))
        sidecars = sidecar_paths(output, self.settings)
        if isinstance(source, Document):
            doc = source
        elif re.match(r"https?://", source):
            doc = fetch_document(source, self.flags.fetch_policy, self.flags.encoding)
        else:
            doc = read_document(source, encoding=self.flags.encoding, kind=self.flags.kind)
        quick_key = _digest(
            self.settings_key, doc.kind, doc.text, *([doc.voice] if doc.voice else [])
        )
        old = manifest.read(output) if self.flags.reuse else None
        if self._reusable(old, "quick_key", quick_key, output, sidecars):
            return manifest.episode_from(output, old, sidecars)  # type: ignore[arg-type]

        return self._render_parsed(lambda: article_of(doc), output, sidecars, quick_key, old)

    def script(self, doc: Document, phonemes: bool = True) -> tuple[Article, list[Phonemized]]:
        """What ``render`` would speak for ``doc``: the article and every sentence with its
        phonemes (``phonemes=False``: the sentences alone, phonemes left empty)."""

        article = article_of(doc)
        sentences = sentences_for(article, self.settings)
        if not phonemes:
            return article, [Phonemized(s, "") for s in sentences]
        return article, self._phonemize(sentences, self.lexicon)

    def render_article(self, article: Article, output: Path) -> Episode:
        """An Article built by the caller (a daily digest joining several) to ``output``."""
        check_outputs("-", output, self.settings)
        sidecars = sidecar_paths(output, self.settings)
        quick_key = _digest(self.settings_key, "article", repr(article))
        old = manifest.read(output) if self.flags.reuse else None
        if self._reusable(old, "quick_key", quick_key, output, sidecars):
            return manifest.episode_from(output, old, sidecars)  # type: ignore[arg-type]
        return self._render_parsed(lambda: article, output, sidecars, quick_key, old)

    def _render_parsed(
        self,
        get_article: Any,
        output: Path,
        sidecars: tuple[Path, ...],
        quick_key: str,
        old: dict[str, Any] | None,
    ) -> Episode:

        # only when something will be rendered ("nothing to do" needs none of it)
        preload_audio_chain()

        lexicon = self.lexicon
        with ThreadPoolExecutor(1, thread_name_prefix="papercast-load") as loader:
            voice = loader.submit(lambda: self.synth)  # ONNX loads while the text is prepared
            article = get_article()
            sentences = sentences_for(article, self.settings)
            items = self._phonemize(sentences, lexicon, article.source)
            voice.result()
        for n, item in enumerate(items, 1):  # refuse unknown voices and unsayable symbols
            if item.sentence.audio:  # before any audio
                continue
            try:
                self.voice_for(item.sentence.voice)[0].ids(item.phonemes)
            except VoiceError as e:
                if not item.sentence.voice:  # the episode's own voice: not this sentence's doing
                    raise
                raise _located(e, article.source, n, item.sentence) from None
        full_key = _digest(
            self._full_base,
            [(p.sentence, p.phonemes) for p in items],
            repr(article.sections),
            article.title,
            article.byline,
            article.site,
            article.date,
            article.source,
        )
        if self._reusable(old, "full_key", full_key, output, sidecars):
            return manifest.episode_from(output, old, sidecars)  # type: ignore[arg-type]
        return self._make(article, sentences, items, output, sidecars, quick_key, full_key)

    @staticmethod
    def _reusable(
        old: dict[str, Any] | None, kind: str, key: str, output: Path, sidecars: tuple[Path, ...]
    ) -> bool:
        """The earlier episode at ``output`` was made from the same inputs (its ``kind`` key
        matches) and its files are intact: keep it."""
        return bool(old) and old.get(kind) == key and manifest.intact(output, old, sidecars)  # type: ignore[union-attr,arg-type]

    @property
    def language(self) -> str:
        """The espeak voice the phonemes are made with."""
        return self.profile.espeak_voice

    def _phonemize(
        self, sentences: list[Sentence], lexicon: Lexicon, source: str = ""
    ) -> list[Phonemized]:
        if not any(s.voice for s in sentences):
            return phonemize_all(sentences, lexicon, self.language)
        languages: dict[str, str] = {}
        for n, s in enumerate(sentences, 1):
            if s.voice not in languages:
                try:
                    languages[s.voice] = self.profile_for(s.voice).espeak_voice
                except VoiceError as e:
                    raise _located(e, source, n, s) from None
        return [phonemize_all([s], lexicon, languages[s.voice])[0] for s in sentences]

    def aligner(self, spec: str = "") -> WordAligner:
        """Written words to samples of their clips (word timings), for the voice ``spec``
        names ("": the episode's)."""

        lexicon = self.lexicon
        synth = self.voice_for(spec)[0]  # "" is the episode's own
        return WordAligner(
            synth.config.phoneme_id_map,
            lexicon.split if lexicon.entries else None,
            synth.profile.espeak_voice,
        )

    def _locate(self) -> Callable[[Clip], list[tuple[str, int, int]]]:
        """Where each written word of a clip is said, by the aligner of the clip's voice."""
        aligners: dict[str, WordAligner] = {}

        def locate(c: Clip) -> list[tuple[str, int, int]]:
            spec = c.item.sentence.voice
            if spec not in aligners:
                aligners[spec] = self.aligner(spec)
            return aligners[spec].locate(c.item, c.id_samples, len(c.samples))

        return locate

    def _make(
        self,
        article: Article,
        sentences: list[Sentence],
        items: list[Phonemized],
        output: Path,
        sidecars: tuple[Path, ...],
        quick_key: str,
        full_key: str,
    ) -> Episode:
        s, synth = self.settings, self.synth
        before = self._synthesised()
        # The voice starts on the first sentences now; the audio chain's imports
        # and the music are prepared meanwhile instead of before it (measured: ~0.8 s less wall
        # time on the seed).
        clip_stream = synth.stream(items, self.clip_maker(items))

        from papercast.audio.assemble import Assembler
        from papercast.audio.loudness import Leveller, Targets, resample
        from papercast.audio.mp3 import Mp3Writer, to_pcm16
        from papercast.audio.music import MusicMixer

        targets = Targets(s.target_lufs, s.ceiling_dbtp)
        stings = self._music()
        rate = synth.sample_rate_hz
        staging = Staging()
        try:
            mp3_tmp = staging.path_for(output)
            with tempfile.TemporaryFile(prefix="papercast-pcm-") as spill:
                assembler = Assembler(sentences, self.profile.pauses, rate, self._locate())
                leveller = Leveller(rate, targets)
                mixer = MusicMixer(stings, targets.limit_dbtp)

                clips = _with_progress(
                    clip_stream, len(items), self.flags.quiet, self.flags.on_sentence
                )
                if any(x.gain_db for x in sentences):  # spans with a level of their own (SSML)
                    levelled = leveller.run_tagged(assembler.run_tagged(clips))
                else:
                    levelled = leveller.run(assembler.run(clips))  # assemble, level
                resampled = (resample(x, rate, OUTPUT_RATE_HZ) for x in levelled)  # resample
                mixed = ahead(mixer.run(resampled))  # mix
                with mp3_tmp.open("wb") as f:  # encode
                    writer = Mp3Writer(f, OUTPUT_RATE_HZ, s.bitrate_kbps)
                    for block in mixed:
                        pcm = to_pcm16(block)
                        writer.write_pcm16(pcm)
                        spill.write(pcm.tobytes())
                    writer.finish()
                measured, duration_ms = _measure(mp3_tmp)
                if _missed(measured, targets):
                    measured, duration_ms = self._correct(mp3_tmp, spill, measured, targets)

            timeline = assembler.timeline(
                [x.heading for x in article.sections],
                article.title,
                offset_ms=stings.offset_ms,
                tail_ms=MusicMixer.tail_ms(stings),
                timed_by="voice" if synth.timed else "estimate",
            )
            staged_sidecars = {p: staging.path_for(p) for p in sidecars}
            self._write_sidecars(staged_sidecars, timeline, article, sentences, output)
            episode = Episode(
                path=output,
                sidecars=sidecars,
                title=article.title,
                source=article.source,
                byline=article.byline,
                site=article.site,
                date=article.date,
                duration_ms=duration_ms,
                size_bytes=0,
                sha256="",
                loudness=measured,
                timeline=timeline,
                sentences=tuple(sentences),
                synthesised=self._synthesised() - before,
            )
            hashes = {
                target.name: manifest.sha256_file(tmp) for target, tmp in staged_sidecars.items()
            }
            self._tag(
                mp3_tmp,
                article,
                timeline,
                manifest.to_json(
                    episode, quick_key, full_key, manifest.audio_sha256(mp3_tmp), hashes
                ),
            )
            episode = replace(
                episode, size_bytes=mp3_tmp.stat().st_size, sha256=manifest.sha256_file(mp3_tmp)
            )
            staging.publish_all()
        except OSError as e:
            raise PapercastError(os_message(output, e)) from e
        finally:
            staging.discard()
        if self.cache is not None:
            self.cache.settle()
        return episode

    def _synthesised(self) -> int:
        """Clips made by this renderer's voices (not from the cache) so far."""
        others = {id(v): v for v, _ in self._voices.values() if v is not self._synth}
        return (self._synth.synthesised if self._synth else 0) + sum(
            v.synthesised for v in others.values()
        )

    def _correct(
        self, mp3: Path, spill: BinaryIO, measured: Loudness, targets: Any
    ) -> tuple[Loudness, float]:
        """Re-encode from the spilled PCM with the correction ``Targets`` gives for what the
        MP3 measured; measure again; twice at most."""
        from papercast.audio.loudness import limit
        from papercast.audio.mp3 import Mp3Writer

        gain_db = 0.0
        duration_ms = 0.0
        for _ in range(2):
            step_db, ceiling = targets.correction(measured)
            gain_db += step_db
            spill.seek(0)
            with mp3.open("wb") as f:
                writer = Mp3Writer(f, OUTPUT_RATE_HZ, self.settings.bitrate_kbps)
                for block in iter(lambda: spill.read(OUTPUT_RATE_HZ * 2 * 10), b""):
                    audio = np.frombuffer(block, dtype="<i2").astype(np.float32) / 32767.0
                    audio = limit(audio * np.float32(10 ** (gain_db / 20)), OUTPUT_RATE_HZ, ceiling)
                    writer.write(audio)
                writer.finish()
            measured, duration_ms = _measure(mp3)
            if not _missed(measured, targets):
                break
        return measured, duration_ms

    def _write_sidecars(
        self,
        staged: dict[Path, Path],
        timeline: Timeline,
        article: Article,
        sentences: list[Sentence],
        output: Path,
    ) -> None:
        from papercast.audio import readalong
        from papercast.audio.transcripts import (
            captions,
            to_chapters_json,
            to_srt,
            to_transcript_json,
            to_vtt,
        )

        cues = captions(timeline)
        for target, tmp in staged.items():
            if target.name.endswith(CHAPTERS_SUFFIX):
                text = to_chapters_json(timeline.chapters, article.title)
            elif target.name.endswith(TRANSCRIPT_SUFFIXES["json"]):
                text = to_transcript_json(timeline)
            elif target.suffix == PAGE_SUFFIX:
                text = readalong.page(
                    article.title,
                    output.name,
                    sentences,
                    timeline,
                    article.byline,
                    article.date,
                    self.language.split("-")[0],
                )
            elif target.suffix == TRANSCRIPT_SUFFIXES["srt"]:
                text = to_srt(cues)
            else:
                text = to_vtt(cues)
            tmp.write_text(text, encoding="utf-8")

    def _tag(self, mp3: Path, article: Article, timeline: Timeline, manifest_json: str) -> None:
        from papercast.audio.tags import Tags, write_tags

        s = self.settings
        cover = self._cover_art()
        # Artist and album come from real metadata only: a text page's "site" is a guess from
        # the line above the headline (the seed's is a section label, "Trends-CA").
        site = article.site if article.site_from_metadata else ""
        tags = Tags(
            title=article.title,
            artist=s.artist or article.byline or site or "papercast",
            album=s.album or site or "papercast",
            date=tag_date(article.date),
            comment=f"Source: {article.source}",
            cover=cover[0] if cover else None,
            cover_mime=cover[1] if cover else "image/jpeg",
            manifest=manifest_json,
            voice_credit=self.voice_credit,
        )
        write_tags(mp3, tags, timeline.chapters)


# Read by every voice of an episode to match their loudness (voice_for).
MATCH_SENTENCE = (
    "The committee met on Tuesday morning and agreed, after a long debate, to publish the report."
)


def sound_clip(item: Phonemized, rate_hz: int) -> Clip:
    """A local sound file (SSML ``audio``) as a clip at ``rate_hz``: mixed to mono, resampled."""
    import soundfile

    from papercast.audio.loudness import resample

    path = item.sentence.audio
    try:
        data, file_rate = soundfile.read(path, dtype="float32", always_2d=True)
    except (OSError, RuntimeError, soundfile.LibsndfileError) as e:
        raise PapercastError(f"{path}: cannot read the sound file: {e}") from e
    mono = data.mean(axis=1) if data.shape[1] > 1 else data[:, 0]
    return Clip(item, np.clip(resample(mono, file_rate, rate_hz), -1.0, 1.0), rate_hz)


def _rescaled(id_samples: np.ndarray, factor: float, total: int) -> np.ndarray:
    """Samples per phoneme id at another sample rate: the edges scaled, the last at ``total``."""
    edges = np.round(np.cumsum(id_samples) * factor).astype(np.int64)
    if len(edges):
        edges[-1] = total
    return np.diff(np.concatenate([[0], edges]))


def fetch_document(url: str, policy: Policy | None = None, encoding: str | None = None) -> Document:
    """An article page from the web, under the fetch policy; decoded as ``encoding`` says,
    else as the server's charset says, else as UTF-8."""
    got = fetch(url, policy=policy)
    return document_from_bytes(
        got.body,
        got.url,
        kind_of(got.content_type, got.body),
        encoding or charset(got.content_type),
    )


def _measure(mp3: Path) -> tuple[Loudness, float]:
    from papercast.audio.loudness import measure_blocks
    from papercast.audio.mp3 import read_blocks

    return measure_blocks(
        ahead(read_blocks(mp3), depth=2)
    )  # decode the next block while metering this one


def _missed(measured: Loudness, targets: Any) -> bool:
    from papercast.audio.loudness import missed

    return missed(measured, targets)


_PRELOAD: list[Any] = []


def preload_audio_chain() -> None:
    """Import the audio chain (numpy, LAME, libsndfile) on a background thread, once per
    process, while the article is read and the voice loads, so a render whose clips are all
    cached does not wait for it. A later import of the same modules waits for this one
    (Python's module locks). The measurement is in docs/DECISIONS.md ("Start-up and the
    import seams")."""
    if _PRELOAD:
        return

    def load() -> None:
        try:
            import papercast.audio.assemble  # noqa: F401
            import papercast.audio.loudness  # noqa: F401
            import papercast.audio.mp3  # noqa: F401
            import papercast.audio.music  # noqa: F401
        except Exception:  # noqa: S110 - the real import later reports any problem
            pass

    thread = threading.Thread(target=load, name="papercast-preload", daemon=True)
    _PRELOAD.append(thread)
    thread.start()


def ahead(items: Iterator[Any], depth: int = 4) -> Iterator[Any]:
    """``items`` produced by a thread of their own, up to ``depth`` ahead of the consumer:
    levelling and resampling (numpy and scipy release the GIL) overlap MP3 encoding."""

    q: queue.Queue[tuple[str, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        q.put(("item", item), timeout=0.1)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            q.put(("end", None))
        except BaseException as e:  # handed to the consumer, raised there
            q.put(("error", e))
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()  # runs the stages' own clean-up (the synthesis pool) in this thread

    worker = threading.Thread(target=produce, name="papercast-chain", daemon=True)
    worker.start()
    try:
        while True:
            kind, value = q.get()
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()
        while worker.is_alive():
            try:
                q.get_nowait()
            except queue.Empty:
                worker.join(0.05)


def _with_progress(
    clips: Iterator[Any],
    total: int,
    quiet: bool,
    on_sentence: Callable[[int, int], None] | None = None,
) -> Iterator[Any]:
    progress = Progress(total, enabled=False if quiet else None)
    done = 0
    try:
        if on_sentence is not None:
            on_sentence(0, total)
        for clip in clips:
            yield clip
            progress.step()
            done += 1
            if on_sentence is not None:
                on_sentence(done, total)
    finally:
        progress.close()


def _digest(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def tag_date(date: str) -> str:
    m = re.search(r"\b(1[89]\d\d|20\d\d)-(\d\d)-(\d\d)\b", date)
    if m:
        return m.group(0)
    m = re.search(r"\b(1[89]\d\d|20\d\d)\b", date)
    return m.group(1) if m else ""


def _located(e: VoiceError, source: str, n: int, sentence: Sentence) -> VoiceError:
    """A voice the markup names (SSML <voice>, a quote's speaker) that cannot be used, said
    with where: the file, the sentence's number and its opening words."""
    text = " ".join(sentence.text.split())
    text = text if len(text) <= 50 else text[:47] + "..."
    return VoiceError(f"{source or 'the article'}: sentence {n} ({text!r}): {e}")


def speak(input_path: str, output: Path, options: SpeakOptions = SpeakOptions()) -> Episode:
    """Make one MP3 episode (and any transcripts) from one article file."""
    return Renderer(options.settings(), options.flags()).render(input_path, output)
