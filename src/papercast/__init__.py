"""papercast: news articles to broadcast-ready spoken audio, offline, with Piper.

The public surface: ``speak`` makes an episode; the stage functions are
importable for tools that want one step.
"""

__version__ = "0.1.0"

from .errors import PapercastError  # noqa: E402
from .extract import extract  # noqa: E402
from .inputs import read_document  # noqa: E402
from .normalize import normalize  # noqa: E402
from .segment import split_sentences  # noqa: E402

__all__ = ["PapercastError", "extract", "normalize", "read_document", "speak", "split_sentences", "__version__"]


def speak(*args, **kwargs):  # type: ignore[no-untyped-def]
    """See ``papercast.pipeline.speak`` (imported lazily: it loads ONNX)."""
    from .pipeline import speak as _speak

    return _speak(*args, **kwargs)
