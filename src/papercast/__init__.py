"""papercast: news articles to broadcast-ready spoken audio, offline, with Piper.

The public surface: ``Renderer`` makes episodes (``speak`` one at a time); the
stage functions are importable for tools that want one step. Everything is
imported on first use, so the command line starts fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.2.0"

_EXPORTS = {
    "PapercastError": "papercast.errors",
    "extract": "papercast.text.extract",
    "read_document": "papercast.text.inputs",
    "normalize": "papercast.text.normalize",
    "split_sentences": "papercast.text.segment",
    "Renderer": "papercast.pipeline",
    "EpisodeSettings": "papercast.pipeline",
    "RunFlags": "papercast.pipeline",
    "speak": "papercast.pipeline",
}

__all__ = [*_EXPORTS, "__version__"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'papercast' has no attribute {name!r}")
