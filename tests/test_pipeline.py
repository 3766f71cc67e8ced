"""The Renderer: one voice for many articles, episode reuse, what a lexicon edit re-synthesises,
reproducible synthesis, and two processes rendering the same episode at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import soundfile

from conftest import SAMPLES
from papercast import manifest
from papercast.pipeline import EpisodeSettings, Renderer, RunFlags
from papercast.text.inputs import read_document
from papercast.text.script import load_article, sentences_of

TONE = str(Path(__file__).parent / "data" / "tone-voice.onnx")
LAGOON = SAMPLES / "broadcaster-lagoon.txt"


def test_one_renderer_renders_every_sample_with_the_voice_loaded_once(tmp_path: Path) -> None:
    from papercast.voice.synthesize import Synthesizer

    loads = Synthesizer.loads
    renderer = Renderer(
        EpisodeSettings(voice=TONE, transcripts=("vtt",)),
        RunFlags(quiet=True, cache_dir=tmp_path / "c"),
    )
    samples = sorted(SAMPLES.glob("*.*"))
    assert len(samples) >= 8
    episodes = [renderer.render(str(s), tmp_path / f"{s.stem}-{s.suffix[1:]}.mp3") for s in samples]
    synth = renderer.synth
    assert Synthesizer.loads == loads + 1
    assert renderer.synth is synth and synth.synthesised == sum(
        e.synthesised for e in episodes
    )  # one voice throughout
    # The cache starts empty and a clip is keyed by its phonemes: every distinct sentence of the
    # samples is synthesised exactly once, however many samples share it (.txt, .html, .md).
    spoken = {p.phonemes for s in samples for p in renderer.script(read_document(str(s)))[1]}
    assert sum(e.synthesised for e in episodes) == len(spoken)
    for src, ep in zip(samples, episodes):
        info = soundfile.info(str(ep.path))
        assert ep.duration_ms == pytest.approx(info.duration * 1000, abs=1)
        assert ep.size_bytes == ep.path.stat().st_size and ep.sha256 == manifest.sha256_file(
            ep.path
        )
        assert ep.title == load_article(str(src)).title
        assert len(ep.cues) == len(ep.sentences) >= ep.synthesised
        assert ep.path.with_suffix(".vtt").is_file()


def test_unchanged_episode_is_reused_and_says_so(tmp_path: Path) -> None:
    flags = RunFlags(quiet=True, cache_dir=tmp_path / "c")
    out = tmp_path / "ep.mp3"
    first = Renderer(EpisodeSettings(voice=TONE, chapters_json=True), flags).render(
        str(LAGOON), out
    )
    mtime = out.stat().st_mtime_ns
    again = Renderer(EpisodeSettings(voice=TONE, chapters_json=True), flags).render(
        str(LAGOON), out
    )
    assert again.reused and not first.reused
    assert out.stat().st_mtime_ns == mtime  # not rewritten
    assert (
        again.sha256 == first.sha256
        and again.cues == first.cues
        and again.chapters == first.chapters
    )
    # A changed setting is a new episode.
    louder = Renderer(
        EpisodeSettings(voice=TONE, chapters_json=True, target_lufs=-14), flags
    ).render(str(LAGOON), out)
    assert not louder.reused
    # A damaged sidecar or MP3 is not trusted.
    out.with_suffix(".chapters.json").write_text("{}", encoding="utf-8")
    assert (
        not Renderer(EpisodeSettings(voice=TONE, chapters_json=True, target_lufs=-14), flags)
        .render(str(LAGOON), out)
        .reused
    )
    data = bytearray(out.read_bytes())
    data[-500] ^= 0xFF
    out.write_bytes(bytes(data))
    assert (
        not Renderer(EpisodeSettings(voice=TONE, chapters_json=True, target_lufs=-14), flags)
        .render(str(LAGOON), out)
        .reused
    )


def test_cli_says_when_nothing_was_done(tmp_path: Path) -> None:
    from conftest import run_cli

    out = tmp_path / "ep.mp3"
    assert run_cli("speak", str(LAGOON), "-o", str(out), "--voice", TONE).code == 0
    r = run_cli("speak", str(LAGOON), "-o", str(out), "--voice", TONE)
    assert r.code == 0 and "unchanged" in r.err and "nothing to do" in r.err
    r = run_cli("speak", str(LAGOON), "-o", str(out), "--voice", TONE, "--force")
    assert r.code == 0 and "unchanged" not in r.err and "0 synthesised" in r.err  # clips all cached


def test_lexicon_edit_resynthesises_only_the_sentences_that_say_the_name(tmp_path: Path) -> None:
    flags = RunFlags(quiet=True, cache_dir=tmp_path / "cache")
    first = Renderer(EpisodeSettings(voice=TONE), flags).render(str(LAGOON), tmp_path / "ep.mp3")
    assert first.synthesised == len(first.sentences) == 16  # one clip per sentence, all distinct
    lex = tmp_path / "names.toml"
    lex.write_text('[[entry]]\nword = "Aberdaron"\nipa = "ˌæbɚdˈɑːɹɔn"\n', encoding="utf-8")
    edited = Renderer(EpisodeSettings(voice=TONE, lexicons=(str(lex),)), flags).render(
        str(LAGOON), tmp_path / "ep.mp3"
    )
    mentions = [s for s in sentences_of(load_article(str(LAGOON))) if "Aberdaron" in s.text]
    assert edited.synthesised == len(mentions) == 2
    # An edit to an entry this article never uses changes nothing that is spoken: reused.
    lex.write_text(
        lex.read_text(encoding="utf-8") + '[[entry]]\nword = "Zzyzx"\nipa = "zˈaɪzɪks"\n',
        encoding="utf-8",
    )
    other = Renderer(EpisodeSettings(voice=TONE, lexicons=(str(lex),)), flags).render(
        str(LAGOON), tmp_path / "ep.mp3"
    )
    assert other.reused and other.synthesised == 0


def _render_in_subprocess(out: Path, cache: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "papercast.cli",
            "speak",
            str(LAGOON),
            "-o",
            str(out),
            "--voice",
            TONE,
            "--transcript",
            "vtt",
            "-q",
        ],
        env={**__import__("os").environ, "PAPERCAST_CACHE_DIR": str(cache)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_two_processes_rendering_the_same_episode_both_succeed(tmp_path: Path) -> None:
    out = tmp_path / "ep.mp3"
    procs = [_render_in_subprocess(out, tmp_path / "cache") for _ in range(2)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err.decode()
    assert sorted(x.name for x in tmp_path.iterdir()) == [
        "cache",
        "ep.mp3",
        "ep.vtt",
    ]  # no temp files left
    info = soundfile.info(str(out))
    m = manifest.read(out)
    assert m is not None and manifest.intact(out, m, (out.with_suffix(".vtt"),))
    assert (
        info.duration * 1000 == pytest.approx(m["episode"]["duration_ms"], abs=1)
        and info.duration > 30
    )


def test_real_voice_synthesis_is_reproducible(tmp_path: Path) -> None:
    """The same sentence from two empty caches is the same audio, sample for sample."""
    from papercast.types import Phonemized, Role, Sentence
    from papercast.voice.cache import ClipCache
    from papercast.voice.phonemize import phonemize_sentence
    from papercast.voice.profiles import resolve_voice
    from papercast.voice.synthesize import Synthesizer

    text = "Ales Bialiatski was released on Saturday, the rights group said."
    item = Phonemized(Sentence(text, text, 0, 0, Role.BODY, True), phonemize_sentence(text))
    clips = [
        Synthesizer(resolve_voice("joe"), cache=ClipCache(tmp_path / f"c{i}")).clip(item)
        for i in range(2)
    ]
    assert clips[0].samples.size > 22050  # over a second of speech
    assert (clips[0].samples == clips[1].samples).all()
    unseeded = Synthesizer(resolve_voice("joe"), cache=None)
    assert unseeded._noise  # the graph was patched in memory too


def test_papercasts_own_processes_run_blas_on_one_thread_unless_told() -> None:
    """runtime.tune_process (the command line and Dask workers call it): OpenBLAS is held to one
    thread when numpy is not yet imported, an explicit setting wins, and it is not applied once
    numpy is loaded (too late to matter, so it says nothing)."""
    code = (
        "import os, sys\nfrom papercast.runtime import tune_process\n"
        "{pre}tune_process()\nprint(os.environ.get('OPENBLAS_NUM_THREADS'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    runs = {
        "fresh": (code.format(pre=""), env),
        "explicit": (code.format(pre=""), {**env, "OPENBLAS_NUM_THREADS": "2"}),
        "late": (code.format(pre="import numpy\n"), env),
    }
    out = {
        k: subprocess.run(
            [sys.executable, "-c", c], env=e, capture_output=True, text=True, check=True
        ).stdout.strip()
        for k, (c, e) in runs.items()
    }
    assert out == {"fresh": "1", "explicit": "2", "late": "None"}
