"""Generate tests/data/tone-voice.onnx: a tiny Piper-compatible voice for exact, fast tests.

Like piper1-gpl's test voice, its output length is known exactly: 256 samples
(one hop) per phoneme id at 22050 Hz. Instead of silence it sings a 440 Hz
tone at amplitude 0.25, so trimming, loudness and peak code see real signal.

tests/data/timed-voice.onnx is the same tone with lengths that differ by phoneme id:
(1 + id mod 3) hops per id, computed through a ``Ceil`` node as in VITS, so papercast
reads the voice's own durations from it (word timings) and a test can predict every
word's start to the sample.

tests/data/timed-high-voice.onnx is the timed voice a fifth higher (660 Hz): a second voice for
tests that give part of an episode another voice and tell the two apart by pitch.

tests/data/choir-voice.onnx is a three-speaker voice shaped like a multi-speaker VITS graph: a
``sid`` input picks a speaker embedding (here each speaker's pitch, 330, 440 and 660 Hz) that the
decoder takes beside the latent ``z``; both noises are ``RandomNormalLike`` nodes (the duration
predictor's from a ``ConstantOfShape`` template) and the decoder's nodes are named ``/dec/``, so
papercast prepares it as it prepares a real voice (seeded noise, the decoder split off and run in
windows). Its decoder works frame by frame (receptive field one frame), and the prior noise moves
each frame's level, so a windowed decode that got the noise or the speaker wrong would differ.

Usage: python tests/make_test_voice.py   (needs the `onnx` package; the outputs are committed)
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import onnx
from onnx import TensorProto, helper

HOP = 256
RATE_HZ = 22050
FREQ_HZ = 440.0
AMPLITUDE = 0.25
OUT = Path(__file__).parent / "data" / "tone-voice.onnx"
TIMED_OUT = Path(__file__).parent / "data" / "timed-voice.onnx"
HIGH_OUT = Path(__file__).parent / "data" / "timed-high-voice.onnx"
CHOIR_OUT = Path(__file__).parent / "data" / "choir-voice.onnx"
HIGH_HZ = 660.0
CHOIR_HZ = (330.0, 440.0, 660.0)
CHOIR_SPEAKERS = {"alto": 0, "tenor": 1, "soprano": 2}


def hops_per_id(phoneme_id: int) -> int:
    """The timed voice's frames for one phoneme id."""
    return 1 + phoneme_id % 3


def _model(nodes: list, inits: list, name: str, speakers: bool = False) -> onnx.ModelProto:  # type: ignore[type-arg]
    """A graph with Piper's inputs (and ``sid`` for a multi-speaker voice) and output."""
    inputs = [
        helper.make_tensor_value_info("input", TensorProto.INT64, [1, "n"]),
        helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
        helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
    ]
    if speakers:
        inputs.append(helper.make_tensor_value_info("sid", TensorProto.INT64, [1]))
    output = helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, "samples"])
    graph = helper.make_graph(nodes, name, inputs=inputs, outputs=[output], initializer=inits)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="papercast-tests"
    )
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


def build(timed: bool = False, freq_hz: float = FREQ_HZ) -> onnx.ModelProto:
    c = helper.make_tensor
    if timed:
        length = [
            helper.make_node("Mod", ["input", "three"], ["rest"]),
            helper.make_node("Add", ["rest", "one"], ["frames_i"]),
            helper.make_node("Cast", ["frames_i"], ["frames_f"], to=TensorProto.FLOAT),
            helper.make_node("Ceil", ["frames_f"], ["w_ceil"]),
            helper.make_node("ReduceSum", ["w_ceil"], ["total_f"], keepdims=0),
            helper.make_node("Cast", ["total_f"], ["total"], to=TensorProto.INT64),
            helper.make_node("Mul", ["total", "hop"], ["n_samples"]),
        ]
    else:
        length = [
            helper.make_node("Shape", ["input"], ["shape"]),
            helper.make_node("Gather", ["shape", "one"], ["n_ids"], axis=0),
            helper.make_node("Mul", ["n_ids", "hop"], ["n_samples"]),
        ]
    nodes = [
        *length,
        helper.make_node("Cast", ["n_samples"], ["n_samples_f"], to=TensorProto.FLOAT),
        helper.make_node("Range", ["zero_f", "n_samples_f", "one_f"], ["t"]),
        helper.make_node("Mul", ["t", "omega"], ["phase"]),
        helper.make_node("Sin", ["phase"], ["wave"]),
        helper.make_node("Mul", ["wave", "amp"], ["scaled"]),
        helper.make_node("Reshape", ["scaled", "out_shape"], ["output"]),
    ]
    inits = [
        c("one", TensorProto.INT64, [], [1]),
        c("hop", TensorProto.INT64, [], [HOP]),
        c("zero_f", TensorProto.FLOAT, [], [0.0]),
        c("one_f", TensorProto.FLOAT, [], [1.0]),
        c("omega", TensorProto.FLOAT, [], [2 * math.pi * freq_hz / RATE_HZ]),
        c("amp", TensorProto.FLOAT, [], [AMPLITUDE]),
        c("out_shape", TensorProto.INT64, [3], [1, 1, -1]),
    ] + ([c("three", TensorProto.INT64, [], [3])] if timed else [])
    return _model(nodes, inits, "tone_voice")


def build_choir() -> onnx.ModelProto:
    """The three-speaker voice (see the module's docstring)."""
    c, n = helper.make_tensor, helper.make_node
    nodes = [
        # duration predictor: (1 + id mod 3) frames per id, plus its noise times zero
        n("Shape", ["input"], ["ids_shape"]),
        n("Gather", ["ids_shape", "one"], ["n_ids"], axis=0),
        n("Unsqueeze", ["n_ids", "axis0"], ["n_ids_1"]),
        n("Concat", ["one_1", "two_1", "n_ids_1"], ["dp_shape"], axis=0),
        n("ConstantOfShape", ["dp_shape"], ["dp_template"]),
        n("RandomNormalLike", ["dp_template"], ["dp_noise"], dtype=TensorProto.FLOAT),
        n("ReduceSum", ["dp_noise"], ["dp_sum"], keepdims=0),
        n("Mul", ["dp_sum", "zero_f"], ["dp_zero"]),
        n("Mod", ["input", "three"], ["rest"]),
        n("Add", ["rest", "one"], ["frames_i"]),
        n("Cast", ["frames_i"], ["frames_f"], to=TensorProto.FLOAT),
        n("Add", ["frames_f", "dp_zero"], ["frames_w"]),
        n("Ceil", ["frames_w"], ["w_ceil"]),
        n("ReduceSum", ["w_ceil"], ["total_f"], keepdims=0),
        # the prior: frame index and noise (scaled by noise_scale) in two channels
        n("Range", ["zero_f", "total_f", "one_f"], ["t"]),
        n("Reshape", ["t", "row_shape"], ["t_row"]),
        n("Concat", ["t_row", "t_row"], ["prior_template"], axis=1),
        n("RandomNormalLike", ["prior_template"], ["prior_noise"], dtype=TensorProto.FLOAT),
        n("Gather", ["scales", "zero_i"], ["noise_scale"], axis=0),
        n("Mul", ["prior_noise", "noise_scale"], ["scaled_noise"]),
        n("Slice", ["scaled_noise", "one_1", "two_1", "one_1"], ["noise_row"]),
        n("Concat", ["t_row", "noise_row"], ["z"], axis=1),
        # the speaker embedding: each speaker's pitch, [1, 1, 1]
        n("Gather", ["speaker_omega", "sid"], ["g_flat"], axis=0),
        n("Reshape", ["g_flat", "g_shape"], ["g"]),
        # the decoder, frame by frame: sample k of frame f is A (1 + 0.1 noise_f) sin(w (256 f + k))
        n("Slice", ["z", "zero_1", "one_1", "one_1"], ["/dec/frame"], name="/dec/Slice"),
        n("Slice", ["z", "one_1", "two_1", "one_1"], ["/dec/noise"], name="/dec/Slice_1"),
        n("Transpose", ["/dec/frame"], ["/dec/frame_t"], perm=[0, 2, 1], name="/dec/Transpose"),
        n("Mul", ["/dec/frame_t", "hop_f"], ["/dec/start"], name="/dec/Mul"),
        n("Add", ["/dec/start", "within"], ["/dec/tick"], name="/dec/Add"),
        n("Mul", ["/dec/tick", "g"], ["/dec/phase"], name="/dec/Mul_1"),
        n("Sin", ["/dec/phase"], ["/dec/wave"], name="/dec/Sin"),
        n("Transpose", ["/dec/noise"], ["/dec/noise_t"], perm=[0, 2, 1], name="/dec/Transpose_1"),
        n("Mul", ["/dec/noise_t", "tenth"], ["/dec/wobble"], name="/dec/Mul_2"),
        n("Add", ["/dec/wobble", "one_f"], ["/dec/level"], name="/dec/Add_1"),
        n("Mul", ["/dec/wave", "/dec/level"], ["/dec/shaped"], name="/dec/Mul_3"),
        n("Mul", ["/dec/shaped", "amp"], ["/dec/scaled"], name="/dec/Mul_4"),
        n("Reshape", ["/dec/scaled", "out_shape"], ["output"], name="/dec/Reshape"),
    ]
    inits = [
        c("zero_i", TensorProto.INT64, [], [0]),
        c("one", TensorProto.INT64, [], [1]),
        c("three", TensorProto.INT64, [], [3]),
        c("axis0", TensorProto.INT64, [1], [0]),
        c("zero_1", TensorProto.INT64, [1], [0]),
        c("one_1", TensorProto.INT64, [1], [1]),
        c("two_1", TensorProto.INT64, [1], [2]),
        c("zero_f", TensorProto.FLOAT, [], [0.0]),
        c("one_f", TensorProto.FLOAT, [], [1.0]),
        c("tenth", TensorProto.FLOAT, [], [0.1]),
        c("hop_f", TensorProto.FLOAT, [], [float(HOP)]),
        c("within", TensorProto.FLOAT, [1, 1, HOP], [float(k) for k in range(HOP)]),
        c("row_shape", TensorProto.INT64, [3], [1, 1, -1]),
        c("g_shape", TensorProto.INT64, [3], [1, 1, 1]),
        c("speaker_omega", TensorProto.FLOAT, [3], [2 * math.pi * f / RATE_HZ for f in CHOIR_HZ]),
        c("amp", TensorProto.FLOAT, [], [AMPLITUDE]),
        c("out_shape", TensorProto.INT64, [3], [1, 1, -1]),
    ]
    return _model(nodes, inits, "choir_voice", speakers=True)


def config() -> dict:
    from piper.phoneme_ids import DEFAULT_PHONEME_ID_MAP

    return {
        "audio": {"sample_rate": RATE_HZ},
        "espeak": {"voice": "en-us"},
        "inference": {"noise_scale": 0.667, "length_scale": 1, "noise_w": 0.8},
        "phoneme_type": "espeak",
        "num_symbols": 256,
        "num_speakers": 1,
        "phoneme_id_map": {k: v for k, v in DEFAULT_PHONEME_ID_MAP.items() if len(k) == 1},
    }


if __name__ == "__main__":
    OUT.parent.mkdir(exist_ok=True)
    choir = {**config(), "num_speakers": 3, "speaker_id_map": CHOIR_SPEAKERS}
    for path, model, conf in (
        (OUT, build(), config()),
        (TIMED_OUT, build(timed=True), config()),
        (HIGH_OUT, build(timed=True, freq_hz=HIGH_HZ), config()),
        (CHOIR_OUT, build_choir(), choir),
    ):
        onnx.save(model, str(path))
        Path(f"{path}.json").write_text(
            json.dumps(conf, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(f"wrote {path} ({path.stat().st_size} bytes)")
