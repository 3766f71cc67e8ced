"""The synthesize stage: one phoneme string in, one clip out (Piper, ONNX).

Everything goes through ``Synthesizer.clip``, so caching and parallel workers
slot in without changing callers. We build the ONNX session ourselves. On the
2-core machine, for the seed article: one session run from two threads with
one intra-op thread each took 11.7-12.1 s, against 12.2-13.1 s for one thread
with ``intra_op_num_threads=2`` and 16.6 s for Piper's default load (which
also reads the page chrome); see benchmarks/speed.py.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from .errors import LexiconError, VoiceError
from .phonemize import missing_symbols, to_ids
from .types import Clip, Phonemized
from .voices import VoiceProfile

CACHE_VERSION = "1"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "papercast" / "clips"


class Synthesizer:
    """A loaded voice that turns phoneme strings into float32 clips."""

    def __init__(self, profile: VoiceProfile, workers: int | None = None, cache_dir: Path | None = None) -> None:
        import onnxruntime
        from piper import PiperVoice
        from piper.config import PiperConfig, SynthesisConfig

        self.profile = profile
        config = profile.voice_config()
        try:
            self.config = PiperConfig.from_dict(config)
        except (KeyError, ValueError, TypeError) as e:
            raise VoiceError(f"voice {profile.name}: bad voice config {profile.config_path}: {e}") from e
        options = onnxruntime.SessionOptions()
        self.workers = max(1, workers or min(4, os.cpu_count() or 1))
        options.intra_op_num_threads = 1 if self.workers > 1 else min(2, os.cpu_count() or 1)
        options.inter_op_num_threads = 1
        # Idle ONNX threads spinning burn the CPU our encoder thread needs (measured: 10-15% of
        # synthesis CPU time saved, same wall time for synthesis alone).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        try:
            session = onnxruntime.InferenceSession(str(profile.model), sess_options=options,
                                                   providers=["CPUExecutionProvider"])
        except Exception as e:  # onnxruntime raises its own exception types
            raise VoiceError(f"voice {profile.name}: cannot load {profile.model}: {e}") from e
        self.voice = PiperVoice(session=session, config=self.config)
        self.syn_config = SynthesisConfig(
            speaker_id=profile.speaker, length_scale=profile.length_scale, noise_scale=profile.noise_scale,
            noise_w_scale=profile.noise_w_scale, normalize_audio=False,
        )
        self.sample_rate_hz = self.config.sample_rate
        self.cache_dir = cache_dir
        self._model_key = _file_key(profile.model)

    @property
    def id_map(self) -> dict[str, list[int]]:
        return {symbol: list(ids) for symbol, ids in self.config.phoneme_id_map.items()}

    def ids(self, phonemes: str) -> list[int]:
        try:
            return to_ids(phonemes, self.config.phoneme_id_map)
        except KeyError:
            bad = " ".join(missing_symbols(phonemes, self.config.phoneme_id_map))
            raise LexiconError(f"voice {self.profile.name} cannot say symbol(s) {bad} in /{phonemes}/") from None

    def clip(self, item: Phonemized) -> Clip:
        """Audio for one sentence (cached by voice, phonemes and settings)."""
        key = self._key(item.phonemes)
        cached = self._load(key)
        if cached is not None:
            return Clip(item=item, samples=cached, sample_rate_hz=self.sample_rate_hz)
        audio = self.voice.phoneme_ids_to_audio(self.ids(item.phonemes), self.syn_config)
        samples = np.clip(np.asarray(audio, dtype=np.float32).reshape(-1), -1.0, 1.0)
        self._store(key, samples)
        return Clip(item=item, samples=samples, sample_rate_hz=self.sample_rate_hz)

    def _key(self, phonemes: str) -> str:
        s = self.syn_config
        parts = (CACHE_VERSION, self._model_key, phonemes, s.speaker_id, s.length_scale, s.noise_scale, s.noise_w_scale)
        return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()

    def _load(self, key: str) -> np.ndarray | None:
        if self.cache_dir is None:
            return None
        path = self.cache_dir / key[:2] / f"{key}.npy"
        try:
            return np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None

    def _store(self, key: str, samples: np.ndarray) -> None:
        if self.cache_dir is None:
            return
        folder = self.cache_dir / key[:2]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                np.save(f, samples, allow_pickle=False)
            os.replace(tmp, folder / f"{key}.npy")
        except OSError:
            pass  # a cache that cannot be written is only slower


def _file_key(path: Path) -> str:
    st = path.stat()
    return f"{path.resolve()}:{st.st_size}:{int(st.st_mtime)}"


def synth_stream(synth: Synthesizer, items: list[Phonemized]) -> Iterator[Clip]:
    """Clips in order, made by ``synth.workers`` background threads (ONNX releases the GIL),
    so the caller places, levels and encodes one clip while the next ones are made."""
    pool = ThreadPoolExecutor(max_workers=synth.workers, thread_name_prefix="papercast-synth")
    try:
        yield from pool.map(synth.clip, items)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
