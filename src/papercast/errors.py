"""papercast's own exceptions: each carries a message a user can act on."""

from __future__ import annotations


class PapercastError(Exception):
    """A problem the user can fix (bad input, bad option, bad lexicon).

    The CLI prints ``str(error)`` as one line on stderr and exits with status 2.
    """


class InputError(PapercastError):
    """The input file cannot be read as an article."""


class NoArticleError(InputError):
    """The input holds no article text (only chrome, or nothing at all)."""

    def __init__(self, source: str) -> None:
        super().__init__(f"no article text found in {source}")


class LexiconError(PapercastError):
    """A lexicon file is malformed or an entry cannot be spoken by the voice."""


class VoiceError(PapercastError):
    """A voice cannot be found or loaded."""


class AudioError(PapercastError):
    """Audio could not be decoded, encoded or written."""
