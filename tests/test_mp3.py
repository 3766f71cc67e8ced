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


def test_tags_go_in_front_of_the_audio_and_replace_an_earlier_tag(tmp_path: Path) -> None:
    """write_tags streams tag + audio into a new file (no memory map of the episode): the audio
    bytes are untouched, a second tagging replaces the first, chapters and the manifest read
    back with mutagen, and no temporary file is left beside the episode."""
    from mutagen.id3 import ID3

    from papercast.audio.tags import Tags, id3_size, write_tags
    from papercast.types import Chapter

    t = np.arange(44100 * 3) / 44100
    mp3 = tmp_path / "ep.mp3"
    mp3.write_bytes(encode_mp3((0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32), 44100))
    audio = mp3.read_bytes()
    chapters = (Chapter("One", 0, 1500), Chapter("Two", 1500, 3000))
    write_tags(mp3, Tags(title="First", manifest='{"a": 1}'), chapters)
    write_tags(
        mp3,
        Tags(title="Second", manifest='{"a": 2}', cover=b"\x89PNG fake", cover_mime="image/png"),
        chapters,
    )
    data = mp3.read_bytes()
    assert data[id3_size(mp3) :] == audio
    tags = ID3(mp3)
    assert str(tags["TIT2"]) == "Second"
    assert [str(f) for f in tags.getall("TXXX:PAPERCAST_RENDER")] == ['{"a": 2}']
    assert [(c.start_time, c.end_time) for c in tags.getall("CHAP")] == [(0, 1500), (1500, 3000)]
    assert tags.getall("APIC")[0].data == b"\x89PNG fake"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ep.mp3"]
    assert soundfile.info(str(mp3)).frames == len(t)
