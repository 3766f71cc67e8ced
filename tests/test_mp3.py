"""The MP3 writer: streamed frames, the Info/LAME header, exact decoded length."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
import soundfile

from papercast.audio.mp3 import Mp3Writer, encode_mp3, read_blocks
from papercast.errors import PapercastError


def tone(seconds: float, rate: int = 44100) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)


def test_pieces_and_whole_give_the_same_file_and_exact_length(tmp_path: Path) -> None:
    from mutagen.mp3 import MP3

    x = tone(3.7)
    buf = io.BytesIO()
    w = Mp3Writer(buf, 44100, 64)
    for piece in np.array_split(x, 13):
        w.write(piece)
    size = w.finish()
    assert size == len(buf.getvalue())
    assert buf.getvalue() == encode_mp3(x, 44100, 64)
    path = tmp_path / "t.mp3"
    path.write_bytes(buf.getvalue())
    decoded, rate = soundfile.read(str(path), dtype="float32")
    assert rate == 44100 and len(decoded) == len(x)  # the LAME tag's delay and padding are honoured
    assert MP3(str(path)).info.length == pytest.approx(len(x) / 44100, abs=0.03)
    blocks = list(read_blocks(path, block_s=1.0))
    assert sum(len(b) for b, _ in blocks) == len(x) and len(blocks) == 4


@pytest.mark.parametrize("rate,kbps", [(22050, 64), (44100, 65)])
def test_refuses_rates_and_bitrates_mpeg1_does_not_have(rate: int, kbps: int) -> None:
    with pytest.raises(PapercastError):
        Mp3Writer(io.BytesIO(), rate, kbps)
