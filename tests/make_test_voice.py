"""Generate tests/data/tone-voice.onnx: a tiny Piper-compatible voice for exact, fast tests.

Like piper1-gpl's test voice, its output length is known exactly: 256 samples
(one hop) per phoneme id at 22050 Hz. Instead of silence it sings a 440 Hz
tone at amplitude 0.25, so trimming, loudness and peak code see real signal.

tests/data/timed-voice.onnx is the same tone with lengths that differ by phoneme id:
(1 + id mod 3) hops per id, computed through a ``Ceil`` node as in VITS, so papercast
reads the voice's own durations from it (word timings) and a test can predict every
word's start to the sample.

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


def hops_per_id(phoneme_id: int) -> int:
    """The timed voice's frames for one phoneme id."""
    return 1 + phoneme_id % 3


def build(timed: bool = False) -> onnx.ModelProto:
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
        c("omega", TensorProto.FLOAT, [], [2 * math.pi * FREQ_HZ / RATE_HZ]),
        c("amp", TensorProto.FLOAT, [], [AMPLITUDE]),
        c("out_shape", TensorProto.INT64, [3], [1, 1, -1]),
    ] + ([c("three", TensorProto.INT64, [], [3])] if timed else [])
    graph = helper.make_graph(
        nodes,
        "tone_voice",
        inputs=[
            helper.make_tensor_value_info("input", TensorProto.INT64, [1, "n"]),
            helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
            helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
        ],
        outputs=[helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, "samples"])],
        initializer=inits,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="papercast-tests"
    )
    model.ir_version = 7
    onnx.checker.check_model(model)
    return model


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
    for path, timed in ((OUT, False), (TIMED_OUT, True)):
        onnx.save(build(timed), str(path))
        Path(f"{path}.json").write_text(
            json.dumps(config(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(f"wrote {path} ({path.stat().st_size} bytes)")
