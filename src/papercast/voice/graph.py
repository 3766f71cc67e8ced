"""The voice's graph, prepared once: seeded noise, and the decoder split off.

1. Reproducible synthesis: Piper's random noise becomes an input we seed per clip.

A VITS voice draws Gaussian noise twice per run (``RandomNormalLike`` nodes: the
duration predictor's and the prior's). onnxruntime seeds such a node once per
session and advances its generator on every run, so the same sentence comes out
different each time (the seed episode's length varied 306.5-308.3 s between cold
runs). Setting the node's ``seed`` attribute does not help: the generator state
still depends on how many runs came before, and on which thread.

So we rewrite the graph: each ``RandomNormalLike(x)`` becomes
``Slice(noise_k, 0, Shape(x))`` where ``noise_k`` is a new float input of the
same rank, large enough for any sentence. We fill it from a generator seeded by
the clip's cache key, so a clip depends only on what it says and how. The noise
is still standard normal, multiplied by the same noise scales inside the graph:
the voice sounds as before (benchmarks/speed.py and tests compare levels and
lengths with the unpatched graph).

2. Flat memory: the graph is cut in two at the decoder's input (the latent ``z``,
192 channels by audio frames). The first part (text encoder, duration predictor,
flow) is small; the HiFi-GAN decoder's activations grow with the sentence's length
and were most of papercast's peak memory (two long sentences decoded at once). The
decoder's receptive field is under 16 frames: decoding windows of ``z`` with 16
frames of context on each side and keeping each window's middle gives the same
samples as decoding the whole, to float rounding (largest difference 1.4e-7; a test checks it). So a
sentence of any length is decoded in windows of bounded size.

A multi-speaker voice's decoder takes a second tensor from the rest of the graph: the speaker
embedding ``g`` (one vector per sentence, [1, channels, 1], made from the ``sid`` input). The
cut then has two tensors: ``z``, the one that depends on the phoneme ids and grows with the
sentence, and the conditions (every other tensor the decoder takes, which do not depend on the
ids). The first part returns both; every window of ``z`` is decoded with the same conditions,
so windowed decoding stays exact for every speaker (a test checks it speaker by speaker with
a three-speaker test voice).

3. Word timings and exact rates: the duration predictor's rounded output (the ``Ceil`` tensor,
``w_ceil``: audio frames per phoneme id, what piper's ``patch_voice_with_alignment``
exposes) becomes a second output of the first part, so every clip comes with the
exact number of samples each phoneme id was given (frames x hop length). The ``Ceil``'s input
(the durations before rounding, times the length scale) is an output too: rounding each
phoneme up makes a length scale of 1.25 lengthen joe's speech by only 1.14-1.15, so a sentence
read at a rate of its own gets the length scale that gives it the asked-for length
(synthesize.py, ``calibrated_length_scale``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

NOISE_PREFIX = "papercast_noise_"


@dataclass(frozen=True)
class NoiseInput:
    name: str
    channels: int  # second dimension of the noise (2 for durations, 192 for the prior)
    per_id: int  # length along the time axis per phoneme id (upper bound)


@dataclass(frozen=True)
class Prepared:
    """The prepared graph: whole (``latent`` only) or split (``latent`` then ``decoder``)."""

    latent: bytes | str  # ids -> z (or -> audio when there is no decoder part); a graph or its file
    decoder: bytes | str | None  # z -> audio
    noise: tuple[NoiseInput, ...]
    z_name: str = ""  # the tensor between the two parts
    durations: str = (
        ""  # the latent part's output with frames per phoneme id ("": the voice has none)
    )
    conditions: tuple[str, ...] = ()  # the latent part's outputs the decoder also takes (speaker)
    raw: str = ""  # the durations before rounding (the Ceil's input): frames x length scale


DECODER_INPUT_OP = "Conv"
DECODER_PREFIX = "/dec/"


def prepare(model_path: Path) -> Prepared:
    """Seed the noise; split off the decoder when the graph has the usual VITS shape."""
    import onnx

    model = onnx.load(str(model_path))
    noise = _seed_noise(model)
    durations = duration_tensor(model)
    raw = next((n.input[0] for n in model.graph.node if durations in n.output), "")
    split = _split(model, durations, raw)
    if split is None:
        for name in (durations, raw) if durations else ():
            model.graph.output.append(onnx.helper.make_empty_tensor_value_info(name))
        return Prepared(model.SerializeToString(), None, tuple(noise), "", durations, (), raw)
    latent, decoder, z_name, conditions = split
    return Prepared(latent, decoder, tuple(noise), z_name, durations, conditions, raw)


def duration_tensor(model) -> str:  # type: ignore[no-untyped-def]
    """The one ``Ceil`` output (frames per phoneme id) of a VITS graph; "" when there is not exactly
    one."""
    names = {out for n in model.graph.node if n.op_type == "Ceil" for out in n.output}
    if len(names) != 1 or any(o.name in names for o in model.graph.output):
        return ""
    return next(iter(names))


def _split(
    model, durations: str = "", raw: str = ""
) -> tuple[bytes, bytes, str, tuple[str, ...]] | None:  # type: ignore[no-untyped-def]
    """Cut where the decoder takes tensors from the rest of the graph: ``z`` (the one made from
    the phoneme ids) and any conditions (made without them: a speaker embedding), if the graph
    has that shape."""
    from onnx import TensorProto, helper, utils

    nodes = list(model.graph.node)
    dec = [n for n in nodes if n.name.startswith(DECODER_PREFIX)]
    if not dec:
        return None
    producers = {out: n for n in nodes for out in n.output}
    inside = {n.name for n in dec}
    outside_inputs = sorted(
        {i for n in dec for i in n.input if i in producers and producers[i].name not in inside}
    )
    graph_inputs = {i.name for i in model.graph.input}
    if not outside_inputs or any(i in graph_inputs for n in dec for i in n.input):
        return None
    from_ids = [t for t in outside_inputs if _depends_on(t, "input", producers)]
    if len(from_ids) != 1:
        return None
    z_name = from_ids[0]
    conditions = tuple(t for t in outside_inputs if t != z_name)
    last = dec[-1].output[0]
    after = [n for n in nodes[nodes.index(dec[-1]) + 1 :]]
    if any(n.op_type not in ("Unsqueeze", "Squeeze", "Identity") for n in after):
        return None
    known = {v.name for v in (*model.graph.value_info, *model.graph.output)}
    timing = [durations, raw] if durations and raw else []
    for name in {z_name, *timing, *conditions} - known:  # the cut needs their types
        model.graph.value_info.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, None))
    ex = utils.Extractor(model)
    latent = ex.extract_model([i.name for i in model.graph.input], [z_name, *timing, *conditions])
    decoder = ex.extract_model([z_name, *conditions], [last])
    return latent.SerializeToString(), decoder.SerializeToString(), z_name, conditions


def _depends_on(tensor: str, graph_input: str, producers: dict) -> bool:  # type: ignore[type-arg]
    """Whether ``tensor`` is computed (at any depth) from the graph input ``graph_input``."""
    seen, todo = set(), [tensor]
    while todo:
        t = todo.pop()
        if t == graph_input:
            return True
        if t in seen or t not in producers:
            continue
        seen.add(t)
        todo.extend(producers[t].input)
    return False


def _seed_noise(model) -> list[NoiseInput]:  # type: ignore[no-untyped-def]
    """Turn the graph's random nodes into inputs (in place); returns them."""
    from onnx import TensorProto, helper

    graph = model.graph
    inputs: list[NoiseInput] = []
    nodes = list(graph.node)
    producers = {out: n for n in nodes for out in n.output}
    for node in nodes:
        if node.op_type not in ("RandomNormalLike", "RandomNormal"):
            continue
        if node.op_type == "RandomNormal":
            raise ValueError("graphs with RandomNormal (static shape) are not supported")
        k = len(inputs)
        name = f"{NOISE_PREFIX}{k}"
        # VITS draws the duration predictor's noise as randn(batch, 2, ids) (a ConstantOfShape
        # template) and the prior's as randn_like(m_p) (192 channels, one value per audio frame
        # of 256 samples). joe speaks 2.2-3.9 frames per phoneme id at length_scale 1; we allow
        # 12 and the synthesizer retries with more for very slow voices.
        made_by = producers.get(node.input[0])
        durations = made_by is not None and made_by.op_type == "ConstantOfShape"
        channels, per_id = (2, 1) if durations else (192, 12)
        inputs.append(NoiseInput(name, channels, per_id))
        graph.input.append(
            helper.make_tensor_value_info(name, TensorProto.FLOAT, [1, channels, None])
        )
        shape_out = f"{name}_shape"
        zeros = f"{name}_starts"
        graph.initializer.append(helper.make_tensor(zeros, TensorProto.INT64, [3], [0, 0, 0]))
        idx = list(graph.node).index(node)
        graph.node.remove(node)
        graph.node.insert(
            idx, helper.make_node("Shape", [node.input[0]], [shape_out], name=f"{name}_Shape")
        )
        graph.node.insert(
            idx + 1,
            helper.make_node(
                "Slice", [name, zeros, shape_out], [node.output[0]], name=f"{name}_Slice"
            ),
        )
    return inputs


def noise_feeds(
    inputs: list[NoiseInput], n_ids: int, seed: bytes, scale: int = 1
) -> dict[str, np.ndarray]:
    """Standard normal noise for one run, from a generator seeded by ``seed`` (a cache key)."""
    rng = np.random.Generator(np.random.PCG64(int.from_bytes(seed[:16], "big")))
    return {
        i.name: rng.standard_normal(
            (1, i.channels, max(16, n_ids * i.per_id * scale)), dtype=np.float32
        )
        for i in inputs
    }
