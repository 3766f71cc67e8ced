"""The synthesize stage: one phoneme string in, one clip out (Piper's VITS graph on ONNX).

We build the ONNX sessions ourselves: one session per worker thread, each with
one intra-op thread and spinning off, so two sentences are synthesised at once
on two cores while the main thread levels and encodes (DESIGN.md: two one-thread
runs beat one two-thread run, RTF 0.040 against 0.044). Each clip's noise is
seeded by its cache key (see noise.py), so the same sentence always gives the
same audio, and the cache (cache.py) is keyed by content.
"""

from __future__ import annotations

import os
import queue
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

import numpy as np

from papercast.errors import LexiconError, VoiceError
from papercast.files import remove_quietly, temp_path
from papercast.types import Clip, Phonemized
from papercast.voice.cache import ClipCache, file_sha256
from papercast.voice.noise import NoiseInput, noise_feeds, patch_graph
from papercast.voice.phonemize import missing_symbols, to_ids
from papercast.voice.profiles import VoiceProfile


class Synthesizer:
    """A loaded voice that turns phoneme strings into float32 clips."""

    def __init__(self, profile: VoiceProfile, cache: ClipCache | None = None, workers: int | None = None) -> None:
        from piper.config import PiperConfig

        self.profile = profile
        try:
            self.config = PiperConfig.from_dict(profile.voice_config())
        except (KeyError, ValueError, TypeError) as e:
            raise VoiceError(f"voice {profile.name}: bad voice config {profile.config_path}: {e}") from e
        self.sample_rate_hz = self.config.sample_rate
        self.cache = cache
        self.workers = max(1, workers or min(2, os.cpu_count() or 1))
        self.model_sha256 = file_sha256(profile.model, cache.root if cache else None)
        self._model, self._noise = self._seeded_model()
        self._lock = threading.Lock()
        self._sessions: list[Any] = []  # every session loaded, at most one per worker
        self._idle: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._pool: ThreadPoolExecutor | None = None
        self.synthesised = 0  # clips made by the voice (not from the cache) in this process
        self._idle.put(self._load_session())  # load now: a bad model fails here, before any work

    # -- loading ---------------------------------------------------------------------------
    def _seeded_model(self) -> tuple[Path | bytes, list[NoiseInput]]:
        """The model with seedable noise: from the cache folder when it was patched before."""
        if self.cache is None:
            try:
                data, noise = patch_graph(self.profile.model)
                return data, noise
            except Exception:  # not a VITS graph we can patch (or no onnx): synthesis as Piper does it
                return self.profile.model, []
        folder = self.cache.root / "models"
        path = folder / f"{self.model_sha256}.seeded.onnx"
        meta = folder / f"{self.model_sha256}.seeded.txt"
        try:
            lines = meta.read_text(encoding="ascii").split()
            noise = [NoiseInput(n, int(c), int(p)) for n, c, p in (x.split(":") for x in lines)]
            if path.is_file() and noise:
                return path, noise
        except (OSError, ValueError):
            pass
        try:
            data, noise = patch_graph(self.profile.model)
        except Exception:
            return self.profile.model, []
        tmp = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = temp_path(path)
            tmp.write_bytes(data)
            os.replace(tmp, path)
            meta.write_text(" ".join(f"{n.name}:{n.channels}:{n.per_id}" for n in noise), encoding="ascii")
            return path, noise
        except Exception:  # a cache folder we cannot write: keep the graph in memory
            return data, noise
        finally:
            if tmp is not None:
                remove_quietly(tmp)

    def _checkout(self) -> Any:
        """An idle session, or a new one while fewer than ``workers`` exist."""
        with self._lock:
            if self._idle.empty() and len(self._sessions) < self.workers:
                return self._load_session()
        return self._idle.get()

    def _load_session(self) -> Any:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1 if self.workers > 1 else min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        # Idle ONNX threads spinning burn the CPU our encoder thread needs.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        model = str(self._model) if isinstance(self._model, Path) else self._model
        try:
            session = onnxruntime.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])
        except Exception as e:  # onnxruntime raises its own exception types
            raise VoiceError(f"voice {self.profile.name}: cannot load {self.profile.model}: {e}") from e
        self._sessions.append(session)
        return session

    # -- synthesis ---------------------------------------------------------------------------
    @property
    def id_map(self) -> dict[str, list[int]]:
        return {symbol: list(ids) for symbol, ids in self.config.phoneme_id_map.items()}

    def ids(self, phonemes: str) -> list[int]:
        try:
            return to_ids(phonemes, self.config.phoneme_id_map)
        except KeyError:
            bad = " ".join(missing_symbols(phonemes, self.config.phoneme_id_map))
            raise LexiconError(f"voice {self.profile.name} cannot say symbol(s) {bad} in /{phonemes}/") from None

    def _settings(self) -> tuple[int | None, float, float, float]:
        c, p = self.config, self.profile
        speaker = None if c.num_speakers <= 1 else (p.speaker if p.speaker is not None else 0)
        return (speaker, p.length_scale if p.length_scale is not None else c.length_scale,
                p.noise_scale if p.noise_scale is not None else c.noise_scale,
                p.noise_w_scale if p.noise_w_scale is not None else c.noise_w_scale)

    def key(self, ids: list[int]) -> str:
        from papercast.voice.cache import CODE_VERSION

        parts = (self.model_sha256, tuple(ids), self._settings(), bool(self._noise))
        if self.cache is not None:
            return self.cache.key(*parts)
        import hashlib

        return hashlib.sha256(repr((CODE_VERSION, *parts)).encode("utf-8")).hexdigest()

    def clip(self, item: Phonemized) -> Clip:
        """Audio for one sentence: from the cache, else from the voice (and then cached)."""
        ids = self.ids(item.phonemes)
        key = self.key(ids)
        cached = self.cache.get(key) if self.cache else None
        if cached is not None:
            return Clip(item=item, samples=cached, sample_rate_hz=self.sample_rate_hz)
        samples = self._run(ids, key)
        with self._lock:
            self.synthesised += 1
        if self.cache:
            self.cache.put(key, samples)
        return Clip(item=item, samples=samples, sample_rate_hz=self.sample_rate_hz)

    def _run(self, ids: list[int], key: str) -> np.ndarray:
        speaker, length_scale, noise_scale, noise_w = self._settings()
        feeds: dict[str, np.ndarray] = {
            "input": np.array([ids], dtype=np.int64),
            "input_lengths": np.array([len(ids)], dtype=np.int64),
            "scales": np.array([noise_scale, length_scale, noise_w], dtype=np.float32),
        }
        if speaker is not None:
            feeds["sid"] = np.array([speaker], dtype=np.int64)
        session = self._checkout()
        try:
            scale = max(1, int(np.ceil(length_scale)))
            for attempt in range(3):
                if self._noise:
                    feeds.update(noise_feeds(self._noise, len(ids), bytes.fromhex(key), scale * 4**attempt))
                try:
                    audio = session.run(None, feeds)[0]
                    break
                except Exception as e:  # noise too short for an unusually slow reading: more, same seed
                    if not self._noise or attempt == 2:
                        raise VoiceError(f"voice {self.profile.name}: synthesis failed: {e}") from e
        finally:
            self._idle.put(session)
        return np.clip(np.asarray(audio, dtype=np.float32).reshape(-1), -1.0, 1.0)

    def stream(self, items: Iterable[Phonemized]) -> Iterator[Clip]:
        """Clips in order, made by ``workers`` background threads (ONNX releases the GIL),
        so the caller places, levels and encodes one clip while the next ones are made."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=self.workers, thread_name_prefix="papercast-synth")
        futures = [self._pool.submit(self.clip, item) for item in items]
        try:
            for f in futures:
                yield f.result()
        finally:
            for f in futures:
                f.cancel()
            wait(futures)
