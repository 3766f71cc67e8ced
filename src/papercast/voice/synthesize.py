"""The synthesize stage: one phoneme string in, one clip out (Piper's VITS graph on ONNX).

We build the ONNX sessions ourselves (graph.py prepares the graph: seeded noise,
decoder split off): one pair of sessions with one intra-op thread each and spinning
off, run from two worker threads at once (onnxruntime's Run is thread-safe), so two
sentences are synthesised on two cores while the main thread levels and encodes
(docs/DECISIONS.md, "Synthesis threads": two one-thread runs beat one two-thread
run). One pair holds the weights once: peak RSS on the seed 482 MB against 533 MB with a
pair per worker, same speed.
Each clip's noise is seeded by its cache key, so the same sentence always gives the
same audio, and the cache (cache.py) is keyed by content.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import hashlib
import json
import os
import platform
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from papercast.cpu import budget, plan
from papercast.errors import LexiconError, PapercastError, VoiceError
from papercast.files import remove_quietly, temp_path
from papercast.types import Clip, Phonemized
from papercast.voice.cache import CODE_VERSION, ClipCache, cache_root, file_sha256, write_quietly
from papercast.voice.graph import NoiseInput, Prepared, noise_feeds, prepare
from papercast.voice.phonemize import missing_symbols, to_ids
from papercast.voice.profiles import VoiceProfile, speaker_id

GRAPH_VERSION = "g4"  # of the prepared graph files in the cache folder


@functools.lru_cache(maxsize=1)
def _machine_key() -> str:
    """What an optimised ONNX graph depends on besides the graph: onnxruntime's version and
    the CPU (its features decide the kernels and layouts the optimiser picks)."""

    import onnxruntime

    flags = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            flags = next((line for line in f if line.startswith(("flags", "Features"))), "")
    except OSError:
        pass
    ident = f"{onnxruntime.__version__}|{platform.machine()}|{platform.processor()}|{flags.strip()}"
    return hashlib.sha256(ident.encode("utf-8")).hexdigest()[:12]


class Synthesizer:
    """A loaded voice that turns phoneme strings into float32 clips."""

    loads = 0  # voices loaded in this process (tests check a renderer loads its voice once)

    def __init__(
        self,
        profile: VoiceProfile,
        cache: ClipCache | None = None,
        workers: int | None = None,
        model_dir: Path | None = None,
        intra_op_threads: int | None = None,
    ) -> None:
        """``cache``: the clip cache (None: synthesise everything); ``model_dir``: where the
        prepared graph is kept (default: beside the clip cache, or the user cache folder)."""
        from piper.config import PiperConfig

        self.profile = profile
        try:
            self.config = PiperConfig.from_dict(profile.voice_config())
        except (KeyError, ValueError, TypeError) as e:
            raise VoiceError(
                f"voice {profile.name}: bad voice config {profile.config_path}: {e}"
            ) from e
        self.sample_rate_hz = self.config.sample_rate
        self.speaker = speaker_id(profile, profile.voice_config())
        self.cache = cache
        # Sentences at once and ONNX threads per run: from the CPU budget (cpu.py) unless the
        # caller says; a caller that names only the runs gets one ONNX thread per run.
        planned = plan(budget().cpus) if workers is None else None
        self.workers = max(1, workers or (planned.runs if planned else 1))
        self.intra_op_threads = max(1, intra_op_threads or (planned.intra_op if planned else 1))
        root = cache.root if cache else cache_root()
        self.model_dir = model_dir or root / "models"
        self.model_sha256 = file_sha256(profile.model, root)
        self._graph = self._prepared()
        self._noise = list(self._graph.noise)
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._windows: ThreadPoolExecutor | None = (
            None  # decoder windows of one sentence, run side by side
        )
        self._active = 0  # sentences being synthesised right now
        self.synthesised = 0  # clips made by the voice (not from the cache) in this process
        try:
            self._sessions = (
                self._load_sessions()
            )  # load now: a bad model fails here, before any work
        except VoiceError:
            if not isinstance(self._graph.latent, str) or self._graph.latent == str(profile.model):
                raise
            for f in self.model_dir.glob(f"{self.model_sha256}.{GRAPH_VERSION}.*"):
                f.unlink(missing_ok=True)  # a damaged prepared graph: prepare it again
            self._graph = self._prepared()
            self._noise = list(self._graph.noise)
            self._sessions = self._load_sessions()

    # -- loading ---------------------------------------------------------------------------
    def _prepared(self) -> Prepared:
        """The seeded, split graph: from the cache folder when it was prepared before."""
        folder = self.model_dir
        stem = folder / f"{self.model_sha256}.{GRAPH_VERSION}"
        meta = Path(f"{stem}.json")
        try:
            doc = json.loads(meta.read_text(encoding="utf-8"))
            latent, decoder = Path(f"{stem}.latent.onnx"), Path(f"{stem}.decoder.onnx")
            if not latent.is_file() or (doc["split"] and not decoder.is_file()):
                raise ValueError("incomplete")
            return Prepared(
                str(latent),
                str(decoder) if doc["split"] else None,
                tuple(NoiseInput(*n) for n in doc["noise"]),
                doc["z_name"],
                doc["durations"],
                tuple(doc["conditions"]),
                doc["raw"],
            )
        except (OSError, ValueError, KeyError, TypeError):
            pass
        try:
            prepared = prepare(self.profile.model)
        except Exception:
            return Prepared(str(self.profile.model), None, ())
        latent, decoder = Path(f"{stem}.latent.onnx"), Path(f"{stem}.decoder.onnx")
        assert isinstance(prepared.latent, bytes) and not isinstance(
            prepared.decoder, str
        )  # fresh from prepare()
        kept = write_quietly(latent, prepared.latent) and (
            prepared.decoder is None or write_quietly(decoder, prepared.decoder)
        )
        kept = kept and write_quietly(
            meta,
            json.dumps(
                {
                    "split": prepared.decoder is not None,
                    "z_name": prepared.z_name,
                    "durations": prepared.durations,
                    "conditions": list(prepared.conditions),
                    "raw": prepared.raw,
                    "noise": [[n.name, n.channels, n.per_id] for n in prepared.noise],
                }
            ).encode("utf-8"),
        )
        if not kept:  # a cache folder we cannot write: keep the graph in memory
            return prepared
        return Prepared(
            str(latent),
            str(decoder) if prepared.decoder is not None else None,
            prepared.noise,
            prepared.z_name,
            prepared.durations,
            prepared.conditions,
            prepared.raw,
        )

    def _load_sessions(self) -> tuple[Any, Any]:
        try:
            pair = tuple(
                None if g is None else self._session(g)
                for g in (self._graph.latent, self._graph.decoder)
            )
        except Exception as e:  # onnxruntime raises its own exception types
            raise VoiceError(
                f"voice {self.profile.name}: cannot load {self.profile.model}: {e}"
            ) from e
        Synthesizer.loads += 1
        self._outputs = [o.name for o in pair[0].get_outputs()]  # type: ignore[union-attr]
        return pair  # type: ignore[return-value]

    def _options(self, optimize: bool) -> Any:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self.intra_op_threads
        options.inter_op_num_threads = 1
        # Idle ONNX threads spinning burn the CPU our encoder thread needs.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        if not optimize:
            options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
        return options

    def _session(self, graph: str | bytes) -> Any:
        """A session for one half of the prepared graph. onnxruntime optimises a graph every time
        it loads it (0.4 s of CPU for the voice's latent half, more than a one-sentence render
        after a lexicon edit synthesises); the optimised graph is kept beside the prepared one,
        keyed by this machine (onnxruntime's version, the CPU's features: the optimised graph
        may use this CPU's layouts), and loaded as it is (0.1 s)."""
        import onnxruntime

        def load(g: str | bytes, options: Any) -> Any:
            return onnxruntime.InferenceSession(
                g, sess_options=options, providers=["CPUExecutionProvider"]
            )

        if not isinstance(graph, str) or Path(graph).parent != self.model_dir:
            return load(
                graph, self._options(True)
            )  # the voice's own file, or a graph kept in memory
        kept = Path(f"{graph.removesuffix('.onnx')}.opt-{_machine_key()}.onnx")
        if kept.is_file():
            try:
                return load(str(kept), self._options(False))
            except Exception:  # damaged: optimise afresh below
                kept.unlink(missing_ok=True)
        options = self._options(True)
        options.log_severity_level = (
            3  # not its warning that the saved graph suits this machine only
        )
        try:
            tmp = temp_path(kept)
        except PapercastError:  # a folder we cannot write: optimise at every load
            return load(graph, options)
        options.optimized_model_filepath = str(tmp)
        try:
            session = load(graph, options)
            with contextlib.suppress(OSError):
                os.replace(tmp, kept)
        finally:
            remove_quietly(tmp)
        return session

    def as_speaker(self, speaker: int | str) -> Synthesizer:
        """The same loaded voice (its sessions shared) speaking as ``speaker``."""
        other = copy.copy(self)
        other.profile = replace(self.profile, speaker=speaker)
        other.speaker = speaker_id(other.profile, self.profile.voice_config())
        return other

    # -- synthesis ---------------------------------------------------------------------------
    @property
    def id_map(self) -> dict[str, list[int]]:
        return {symbol: list(ids) for symbol, ids in self.config.phoneme_id_map.items()}

    def ids(self, phonemes: str) -> list[int]:
        try:
            return to_ids(phonemes, self.config.phoneme_id_map)
        except KeyError:
            bad = " ".join(missing_symbols(phonemes, self.config.phoneme_id_map))
            raise LexiconError(
                f"voice {self.profile.name} cannot say symbol(s) {bad} in /{phonemes}/"
            ) from None

    def _settings(self, rate: float = 1.0) -> tuple[int | None, float, float, float]:
        """Speaker, length scale (times ``rate``: a sentence read slower, 1.25 for 80 %), noise
        scale and noise width."""
        c, p = self.config, self.profile
        return (
            self.speaker,
            (p.length_scale if p.length_scale is not None else c.length_scale) * rate,
            p.noise_scale if p.noise_scale is not None else c.noise_scale,
            p.noise_w_scale if p.noise_w_scale is not None else c.noise_w_scale,
        )

    def key(self, ids: list[int], rate: float = 1.0) -> str:
        parts = (self.model_sha256, tuple(ids), self._settings(rate), bool(self._noise))
        if self.cache is not None:
            return self.cache.key(*parts)
        return hashlib.sha256(repr((CODE_VERSION, *parts)).encode("utf-8")).hexdigest()

    def clip(self, item: Phonemized) -> Clip:
        """Audio for one sentence: from the cache, else from the voice (and then cached)."""
        ids = self.ids(item.phonemes)
        rate = item.sentence.rate
        key = self.key(ids, rate)
        cached = self.cache.get(key) if self.cache else None
        if cached is not None and (cached[1] is not None or not self._graph.durations):
            return Clip(
                item=item,
                samples=cached[0],
                sample_rate_hz=self.sample_rate_hz,
                id_samples=cached[1],
            )
        with self._lock:
            self._active += 1
        try:
            samples, id_samples = self._run(ids, key, rate)
        finally:
            with self._lock:
                self._active -= 1
        with self._lock:
            self.synthesised += 1
        if self.cache:
            self.cache.put(key, samples, id_samples)
        return Clip(
            item=item, samples=samples, sample_rate_hz=self.sample_rate_hz, id_samples=id_samples
        )

    @property
    def timed(self) -> bool:
        """True when clips come with the voice's own samples per phoneme id (word timings)."""
        return bool(self._graph.durations)

    def _run(
        self, ids: list[int], key: str, rate: float = 1.0
    ) -> tuple[np.ndarray, np.ndarray | None]:
        """The clip's samples, and the samples the voice gave each phoneme id (None: not
        exposed)."""
        speaker, length_scale, noise_scale, noise_w = self._settings()
        feeds: dict[str, np.ndarray] = {
            "input": np.array([ids], dtype=np.int64),
            "input_lengths": np.array([len(ids)], dtype=np.int64),
            "scales": np.array([noise_scale, length_scale * rate, noise_w], dtype=np.float32),
        }
        if speaker is not None:
            feeds["sid"] = np.array([speaker], dtype=np.int64)
        latent, decoder = self._sessions
        outs = self._latent(latent, feeds, ids, key, length_scale * max(1.0, rate))
        if rate != 1 and length_scale > 0 and self._graph.raw in outs:
            # the length the rate asks for, not what rounding each phoneme up makes of it
            at_one = outs[self._graph.raw] / (length_scale * rate)
            scale = calibrated_length_scale(at_one, length_scale, rate)
            feeds["scales"] = np.array([noise_scale, scale, noise_w], dtype=np.float32)
            outs = self._latent(latent, feeds, ids, key, scale)
        out = outs[self._outputs[0]]
        # the decoder's other inputs (a speaker embedding) come from the latent part
        conditions = {name: outs[name] for name in self._graph.conditions}
        pool = None
        if decoder is not None and self.workers > 1:
            with self._lock:
                alone = self._active == 1  # no other sentence keeps the other cores busy
                if alone and self._windows is None:
                    self._windows = ThreadPoolExecutor(
                        max_workers=self.workers, thread_name_prefix="papercast-decode"
                    )
                pool = self._windows if alone else None
        audio = (
            out
            if decoder is None
            else decode_in_windows(decoder, self._graph.z_name, out, pool=pool, given=conditions)
        )
        samples = np.clip(np.asarray(audio, dtype=np.float32).reshape(-1), -1.0, 1.0)
        id_samples = None
        if self._graph.durations and self._graph.durations in outs:
            frames = np.asarray(outs[self._graph.durations]).reshape(-1)
            if len(frames) == len(ids):
                id_samples = (frames * self.config.hop_length).astype(np.int64)
        return samples, id_samples

    def _latent(
        self, latent: Any, feeds: dict[str, np.ndarray], ids: list[int], key: str, scale: float
    ) -> dict[str, np.ndarray]:
        """The first part's outputs by name, with noise long enough for ``scale``."""
        budget = max(1, int(np.ceil(scale)))
        for attempt in range(3):
            if self._noise:
                feeds.update(
                    noise_feeds(self._noise, len(ids), bytes.fromhex(key), budget * 4**attempt)
                )
            try:
                return dict(zip(self._outputs, latent.run(None, feeds), strict=True))
            except Exception as e:  # noise too short for an unusually slow reading: more, same seed
                if not self._noise or attempt == 2:
                    raise VoiceError(f"voice {self.profile.name}: synthesis failed: {e}") from e
        raise AssertionError("unreachable")

    def stream(
        self, items: Iterable[Phonemized], clip: Callable[[Phonemized], Clip] | None = None
    ) -> Iterator[Clip]:
        """Clips in order, made by ``workers`` background threads (ONNX releases the GIL),
        so the caller places, levels and encodes one clip while the next ones are made.
        At most ``2 * workers`` clips are made ahead of the caller, and none is kept after
        it is handed over: memory does not grow with the article. The first clips are
        started at once, before the caller asks for them, so the voice is busy while the
        caller still prepares (imports the audio chain, opens files). When only a few
        sentences are missing from the cache (a lexicon edit), they are started at once
        too, wherever they are: the caller meanwhile streams the cached clips before them
        instead of waiting at the first missing one (within the same bound of clips ahead).

        ``clip``: what makes one item's clip (default: this voice's ``clip``; an episode with
        more than one voice passes one that picks the item's voice)."""

        items = list(items)
        make = clip or self.clip
        if self._pool is None:
            self._pool = ThreadPoolExecutor(
                max_workers=self.workers, thread_name_prefix="papercast-synth"
            )
        ahead = 2 * self.workers
        started = {i: self._pool.submit(make, items[i]) for i in self._few_misses(items, ahead)}
        pending: deque[Any] = deque()
        source = iter(enumerate(items))
        for i, item in source:
            pending.append(started.pop(i, None) or self._pool.submit(make, item))
            if len(pending) >= ahead:
                break
        return self._drain(source, pending, ahead, started, make)

    def _few_misses(self, items: list[Phonemized], most: int) -> list[int]:
        """Indices of the sentences the cache lacks, when there are at most ``most`` of them
        beyond the first ``most`` (which start anyway); else none."""
        if self.cache is None or len(items) <= most:
            return []
        misses = []
        for i in range(most, len(items)):
            try:
                item = items[i]
                if not self.cache.has(self.key(self.ids(item.phonemes), item.sentence.rate)):
                    misses.append(i)
            except LexiconError:
                return []  # reported in order, by clip()
            if len(misses) > most:
                return []
        return misses

    def _drain(
        self,
        source: Iterator[tuple[int, Phonemized]],
        pending: Any,
        ahead: int,
        started: dict[int, Any],
        make: Callable[[Phonemized], Clip],
    ) -> Iterator[Clip]:
        assert self._pool is not None
        try:
            while pending:
                clip = pending.popleft().result()
                for i, item in source:
                    pending.append(started.pop(i, None) or self._pool.submit(make, item))
                    if len(pending) >= ahead:
                        break
                yield clip
        finally:
            for f in [*pending, *started.values()]:
                f.cancel()
            wait([*pending, *started.values()])


def calibrated_length_scale(at_one: np.ndarray, length_scale: float, rate: float) -> float:
    """The length scale that makes a sentence ``rate`` times as long as at ``length_scale``.

    ``at_one``: each phoneme id's frames before rounding at a length scale of 1. The voice
    rounds every id's frames up, so scaling by ``rate`` lengthens the whole by less (joe:
    1.14-1.15 for 1.25); the frames are a step function of the scale, so the scale that comes
    closest is found by bisection."""
    w = np.asarray(at_one, dtype=np.float64).reshape(-1)
    target = rate * float(np.ceil(w * length_scale).sum())

    def frames(scale: float) -> float:
        return float(np.ceil(w * scale).sum())

    lo, hi = length_scale * rate * 0.25, length_scale * rate * 4
    for _ in range(40):
        mid = (lo + hi) / 2
        if frames(mid) < target:
            lo = mid
        else:
            hi = mid
    return hi if abs(frames(hi) - target) <= abs(frames(lo) - target) else lo


# Latent frames decoded at once (1.7 s of audio at 22.05 kHz, hop 256). Whole papercast process,
# seed, cold, peak RSS / CPU: 488 MB / 35.0 s at 64 frames, 511 / 34.4 at 100, 565 / 31.0-32.1 at
# 150,
# 670 / 31.2 at 300, 1.17 GB / 33.8 decoding whole sentences (raw Piper: 497 MB). Smaller tensors
# fit the CPU caches better, which pays for the 2 x 16 frames of context each window decodes twice.
WINDOW_FRAMES = 150
CONTEXT_FRAMES = (
    16  # on each side: the decoder's receptive field is smaller, so windows join exactly
)


def decode_in_windows(
    decoder: Any,
    z_name: str,
    z: np.ndarray,
    window: int | None = None,
    context: int = CONTEXT_FRAMES,
    pool: ThreadPoolExecutor | None = None,
    given: dict[str, np.ndarray] | None = None,
) -> np.ndarray:
    """The decoder run over windows of ``z`` ([1, channels, frames]), each with ``context``
    frames either side, keeping each window's middle: the same samples as one run over all
    of ``z``, with memory bounded by the window instead of the sentence.

    With a ``pool`` (one thread per core), the windows of one sentence are decoded side by
    side. The synthesizer passes one only when this sentence is the only one being made (after
    a lexicon edit, one or two sentences): then both cores work on it. When every core has a
    sentence of its own, windows run one after another (measured: side by side there cost
    about 3 s more CPU on the seed).

    ``given``: the decoder's other inputs (a multi-speaker voice's speaker embedding), the same
    for every window."""
    window = window or WINDOW_FRAMES
    given = given or {}
    frames = z.shape[2]
    if frames <= window + 2 * context:
        return np.asarray(decoder.run(None, {z_name: z, **given})[0]).reshape(-1)
    spans = []
    for start in range(0, frames, window):
        end = min(frames, start + window)
        spans.append((start, end, max(0, start - context), min(frames, end + context)))

    def run(span: tuple[int, int, int, int]) -> np.ndarray:
        start, end, lo, hi = span
        y = np.asarray(
            decoder.run(None, {z_name: np.ascontiguousarray(z[:, :, lo:hi]), **given})[0]
        ).reshape(-1)
        hop = len(y) // (hi - lo)
        return y[(start - lo) * hop : (end - lo) * hop]

    pieces = list(pool.map(run, spans)) if pool is not None else [run(span) for span in spans]
    return np.concatenate(pieces)
