"""Synthesis with the tone test voice (exact lengths) and the real voice's seeded noise."""

from __future__ import annotations

from pathlib import Path

import pytest

from papercast.errors import LexiconError
from papercast.types import Phonemized, Role, Sentence
from papercast.voice.cache import ClipCache
from papercast.voice.profiles import resolve_voice
from papercast.voice.synthesize import Synthesizer

TONE = str(Path(__file__).parent / "data" / "tone-voice.onnx")


def item(phonemes: str) -> Phonemized:
    return Phonemized(Sentence("x", "x", 0, 0, Role.BODY, True), phonemes)


def test_tone_voice_makes_256_samples_per_id_and_stream_keeps_order(tmp_path: Path) -> None:
    synth = Synthesizer(resolve_voice(TONE), cache=ClipCache(tmp_path))
    items = [item("a" * n) for n in (3, 40, 1, 12)]
    clips = list(synth.stream(items))
    assert [len(c.samples) for c in clips] == [256 * len(synth.ids(i.phonemes)) for i in items]
    assert synth.synthesised == 4
    assert [len(c.samples) for c in synth.stream(items)] == [len(c.samples) for c in clips]
    assert synth.synthesised == 4  # the second pass came from the cache


def test_unsayable_symbol_is_refused_with_its_name() -> None:
    synth = Synthesizer(resolve_voice(TONE))
    with pytest.raises(LexiconError, match="cannot say symbol.*☃"):
        synth.clip(item("a☃a"))


def test_real_voice_graph_gets_two_seeded_noise_inputs() -> None:
    synth = Synthesizer(resolve_voice("joe"))
    assert [(n.channels, n.per_id) for n in synth._noise] == [(2, 1), (192, 12)]


def test_windowed_decoding_equals_decoding_the_whole_sentence(tmp_path: Path) -> None:
    import numpy as np

    from papercast.voice.graph import noise_feeds
    from papercast.voice.phonemize import phonemize_sentence
    from papercast.voice.synthesize import decode_in_windows

    synth = Synthesizer(resolve_voice("joe"), cache=ClipCache(tmp_path))
    text = (
        "The embassy said the talks, which lasted until late in the evening, ended without a "
        "statement, "
        "and reporters waiting outside in the cold were told to come back on another day."
    )
    ids = synth.ids(phonemize_sentence(text))
    _, length, noise, noise_w = synth._settings()
    feeds = {
        "input": np.array([ids], np.int64),
        "input_lengths": np.array([len(ids)], np.int64),
        "scales": np.array([noise, length, noise_w], np.float32),
        **noise_feeds(synth._noise, len(ids), bytes.fromhex(synth.key(ids))),
    }
    latent, decoder = synth._sessions
    z = latent.run(None, feeds)[0]
    assert z.shape[2] > 500  # long enough for several windows
    whole = decoder.run(None, {synth._graph.z_name: z})[0].reshape(-1)
    for window in (64, 200):
        pieces = decode_in_windows(decoder, synth._graph.z_name, z, window=window)
        assert len(pieces) == len(whole) == z.shape[2] * 256
        assert float(np.abs(pieces - whole).max()) < 1e-5
    assert np.array_equal(
        synth.clip(item(phonemize_sentence(text))).samples,
        np.clip(decode_in_windows(decoder, synth._graph.z_name, z), -1, 1),
    )


def test_the_optimised_graph_is_kept_and_speaks_exactly_as_a_fresh_optimisation(
    tmp_path: Path,
) -> None:
    """The first load keeps onnxruntime's optimised graph beside the prepared one (keyed by this
    machine); the next load uses it as it is, and the same sentence comes out sample for sample
    the same. A damaged kept graph is optimised afresh, not trusted."""
    import numpy as np

    from papercast.voice.phonemize import phonemize_sentence

    sentence = item(phonemize_sentence("Ales Bialiatski was sentenced in March, the court said."))
    first = Synthesizer(resolve_voice("joe"), model_dir=tmp_path)
    kept = sorted(p.name for p in tmp_path.glob("*.opt-*.onnx"))
    assert [n.split(".")[-3] for n in kept] == ["decoder", "latent"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left
    again = Synthesizer(resolve_voice("joe"), model_dir=tmp_path)
    a, b = first.clip(sentence).samples, again.clip(sentence).samples
    assert len(a) > 22050 and np.array_equal(a, b)
    latent = next(tmp_path.glob("*.latent.opt-*.onnx"))
    latent.write_bytes(latent.read_bytes()[:1000])  # cut short
    third = Synthesizer(resolve_voice("joe"), model_dir=tmp_path)
    assert np.array_equal(third.clip(sentence).samples, a)
    assert latent.stat().st_size > 1_000_000  # written again


def test_the_few_sentences_missing_from_the_cache_start_first(tmp_path: Path) -> None:
    """After a lexicon edit only a sentence or two is missing: they start before the cached
    clips are read, wherever they are in the article; clips still come out in order. With
    everything missing (a cold render) sentences start in order."""
    calls: list[str] = []

    class Recording(Synthesizer):
        def clip(self, item: Phonemized):  # type: ignore[no-untyped-def]
            calls.append(item.phonemes)
            return super().clip(item)

    synth = Recording(resolve_voice(TONE), cache=ClipCache(tmp_path), workers=2)
    items = [item("a" * (n + 1)) for n in range(10)]
    assert [len(c.samples) for c in synth.stream(items)] == [
        256 * len(synth.ids(i.phonemes)) for i in items
    ]
    assert calls[:2] == [items[0].phonemes, items[1].phonemes]  # cold: in order
    edited = [*items[:7], item("b" * 5), *items[8:]]
    calls.clear()
    clips = list(synth.stream(edited))
    assert calls[0] == "b" * 5  # the one missing sentence (index 7) went first
    assert [c.item.phonemes for c in clips] == [i.phonemes for i in edited]
    assert synth.synthesised == 11


CHOIR = Path(__file__).parent / "data" / "choir-voice.onnx"


def _pitch_hz(samples, rate_hz: int = 22050) -> float:  # type: ignore[no-untyped-def]
    import numpy as np

    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.argmax(spectrum) * rate_hz / len(samples))


@pytest.mark.parametrize(
    ("speaker", "sid", "pitch_hz"), [("alto", 0, 330), ("tenor", 1, 440), ("2", 2, 660)]
)
def test_multi_speaker_graph_is_seeded_and_windowed_and_speaks_as_the_whole_graph(
    tmp_path: Path, speaker: str, sid: int, pitch_hz: float
) -> None:
    """The three-speaker test voice (a speaker embedding into the decoder, as in a VITS
    multi-speaker graph) is split like a single-speaker one; decoded in windows with the
    speaker's embedding it gives the samples of the whole seeded graph, speaker by speaker."""
    import numpy as np
    import onnx
    import onnxruntime

    from papercast.voice.graph import _seed_noise, noise_feeds
    from papercast.voice.synthesize import decode_in_windows

    synth = Synthesizer(resolve_voice(str(CHOIR)).with_speaker(speaker), cache=ClipCache(tmp_path))
    assert synth.speaker == sid
    assert synth._graph.decoder is not None and synth._graph.conditions == ("g",)
    assert [(n.channels, n.per_id) for n in synth._noise] == [(2, 1), (192, 12)]
    phonemes = "ðə tˈɔːks ˈɛndᵻd wɪðˈaʊt ɐ stˈeɪtmənt " * 12
    clip = synth.clip(item(phonemes))
    ids = synth.ids(phonemes)
    assert len(clip.samples) == sum(256 * (1 + i % 3) for i in ids) > 256 * 400  # many windows

    whole_model = onnx.load(str(CHOIR))
    noise = _seed_noise(whole_model)  # the same seeded noise, the graph left whole
    whole = onnxruntime.InferenceSession(whole_model.SerializeToString())
    _, length, noise_scale, noise_w = synth._settings()
    feeds = {
        "input": np.array([ids], np.int64),
        "input_lengths": np.array([len(ids)], np.int64),
        "scales": np.array([noise_scale, length, noise_w], np.float32),
        "sid": np.array([sid], np.int64),
        **noise_feeds(noise, len(ids), bytes.fromhex(synth.key(ids))),
    }
    expected = np.clip(whole.run(None, feeds)[0].reshape(-1), -1, 1)
    assert np.array_equal(clip.samples, expected)  # windows of 150 frames, the speaker in each
    latent, decoder = synth._sessions
    outs = dict(zip([o.name for o in latent.get_outputs()], latent.run(None, feeds)))
    z, g = outs[synth._graph.z_name], outs["g"]
    small = decode_in_windows(decoder, synth._graph.z_name, z, window=40, given={"g": g})
    assert float(np.abs(np.clip(small, -1, 1) - expected).max()) < 1e-6
    assert abs(_pitch_hz(clip.samples) - pitch_hz) < 2  # the speaker's own voice
    quiet = {
        k: np.zeros_like(v) if k.startswith("papercast_noise_") else v for k, v in feeds.items()
    }
    assert not np.allclose(whole.run(None, quiet)[0].reshape(-1), expected)  # the noise is heard


def test_an_unknown_speaker_is_refused_naming_the_voices_speakers() -> None:
    from papercast.errors import VoiceError

    with pytest.raises(VoiceError, match=r"no speaker 'bass' \(it has 3: alto, tenor, soprano"):
        Synthesizer(resolve_voice(str(CHOIR)).with_speaker("bass"))
    with pytest.raises(VoiceError, match="no speaker 3"):
        Synthesizer(resolve_voice(str(CHOIR)).with_speaker("3"))
    with pytest.raises(VoiceError, match="has one speaker"):
        Synthesizer(resolve_voice(TONE).with_speaker("alto"))
