"""The encode stage: MP3 in-process (libsndfile's LAME via soundfile), ID3v2.3 tags
and CHAP/CTOC chapters (mutagen). Files are written to a temporary file beside
the target and renamed into place, so a failure or Ctrl-C leaves nothing half-written.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import AudioError, PapercastError
from .types import Chapter

DEFAULT_BITRATE_KBPS = 64  # mono speech; 64-96 kbps is the podcast norm
DISCLOSURE = "This audio was generated with a synthetic voice (Piper text-to-speech) by papercast."


@dataclass(frozen=True)
class Tags:
    title: str
    artist: str = ""
    album: str = ""
    date: str = ""  # YYYY or YYYY-MM-DD
    comment: str = ""
    disclosure: str = DISCLOSURE
    cover: bytes | None = None
    cover_mime: str = "image/jpeg"


@contextlib.contextmanager
def atomic_path(target: Path, suffix: str = "") -> Iterator[Path]:
    """A temporary path beside ``target``; renamed to ``target`` only on success."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise PapercastError(f"{target}: output folder {folder} does not exist")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix or target.suffix, dir=folder)
    except OSError as e:
        raise PapercastError(f"{target}: cannot write to {folder}: {e.strerror}") from e
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; the result is an ordinary file
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_text(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")


_MPEG1_KBPS = (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)
_MPEG1_RATES = (44100, 48000, 32000)


class Mp3Stream:
    """MP3 encoding a piece at a time (LAME through lameenc), so encoding overlaps synthesis.

    We use lameenc rather than soundfile's MP3 writer because it encodes
    incrementally and lets us pick LAME's speed/quality trade-off: at speech
    bitrates quality 5 is indistinguishable from 2 and twice as fast, which is
    what keeps papercast faster than raw Piper. libsndfile still decodes the
    result for the loudness check. lameenc writes bare frames, so ``finish``
    prepends a Xing "Info" frame (frame count, byte count, seek table) as LAME's
    own CLI does, so players show the right duration.
    """

    def __init__(self, rate_hz: int, bitrate_kbps: int = DEFAULT_BITRATE_KBPS, quality: int = 7) -> None:
        import lameenc

        if bitrate_kbps not in _MPEG1_KBPS[1:]:
            raise PapercastError(f"MP3 bitrate must be one of {', '.join(map(str, _MPEG1_KBPS[1:]))} kbps, not {bitrate_kbps}")
        if rate_hz not in _MPEG1_RATES:
            raise PapercastError(f"MP3 sample rate must be 32000, 44100 or 48000 Hz, not {rate_hz}")
        self.rate_hz = rate_hz
        self._enc = lameenc.Encoder()
        self._enc.set_bit_rate(bitrate_kbps)
        self._enc.set_in_sample_rate(rate_hz)
        self._enc.set_out_sample_rate(rate_hz)
        self._enc.set_channels(1)
        self._enc.set_quality(quality)
        self._chunks: list[bytes] = []
        self.samples = 0

    def write(self, samples: np.ndarray) -> None:
        pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")
        self.samples += len(pcm)
        self._chunks.append(bytes(self._enc.encode(pcm.tobytes())))

    def finish(self) -> bytes:
        self._chunks.append(bytes(self._enc.flush()))
        frames = b"".join(self._chunks)
        return xing_info_frame(frames, self.samples) + frames


def encode_mp3(samples: np.ndarray, rate_hz: int, bitrate_kbps: int = DEFAULT_BITRATE_KBPS) -> bytes:
    """A whole signal to MP3 bytes in one go (the streaming path uses Mp3Stream directly)."""
    enc = Mp3Stream(rate_hz, bitrate_kbps)
    enc.write(samples)
    return enc.finish()


def _frames(data: bytes) -> list[int]:
    """Offsets of the MPEG-1 Layer III frames in ``data``."""
    offsets, pos = [], 0
    while pos + 4 <= len(data):
        b1, b2 = data[pos + 1], data[pos + 2]
        if data[pos] != 0xFF or (b1 & 0xE0) != 0xE0 or (b1 >> 3) & 3 != 3 or (b1 >> 1) & 3 != 1:
            raise AudioError(f"MP3 stream is not MPEG-1 Layer III at byte {pos}")
        kbps, rate = _MPEG1_KBPS[b2 >> 4], _MPEG1_RATES[(b2 >> 2) & 3]
        offsets.append(pos)
        pos += 144 * kbps * 1000 // rate + ((b2 >> 1) & 1)
    return offsets


ENCODER_DELAY = 576  # samples LAME puts before the audio (decoders add their own 529)


def _crc16(data: bytes) -> int:
    """CRC-16/ARC, as LAME uses for its tag."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


def xing_info_frame(frames: bytes, samples: int) -> bytes:
    """A silent first frame with the Xing "Info" tag (CBR: frames, bytes, seek table) and
    the LAME extension (encoder delay and padding), so players show the right duration
    and gapless decoders (mpg123, hence libsndfile) return exactly ``samples`` samples."""
    offsets = _frames(frames)
    if not offsets:
        raise AudioError("MP3 stream has no frames")
    h = frames[:4]
    mono = (h[3] >> 6) == 3
    rate = _MPEG1_RATES[(h[2] >> 2) & 3]
    index = max(h[2] >> 4, _MPEG1_KBPS.index(64))  # room for the tag
    header = bytes([h[0], h[1], (index << 4) | (h[2] & 0x0C), h[3]])
    size = 144 * _MPEG1_KBPS[index] * 1000 // rate
    total = size + len(frames)
    toc = bytes(min(255, offsets[min(len(offsets) - 1, len(offsets) * i // 100)] * 256 // len(frames)) for i in range(100))
    xing = b"Info" + (0x0F).to_bytes(4, "big") + len(offsets).to_bytes(4, "big") + total.to_bytes(4, "big") + toc \
        + (0).to_bytes(4, "big")
    padding = max(0, len(offsets) * 1152 - ENCODER_DELAY - samples)
    kbps = _MPEG1_KBPS[frames[2] >> 4]
    lame = (b"LAME3.100" + bytes([0x01, 0x00]) + bytes(4) + bytes(4) + bytes([0x00, min(255, kbps)])
            + ((ENCODER_DELAY << 12) | min(padding, 0xFFF)).to_bytes(3, "big") + bytes([0, 0]) + bytes(2)
            + total.to_bytes(4, "big") + bytes(2))
    body = header + bytes(17 if mono else 32) + xing + lame
    body += _crc16(body).to_bytes(2, "big")  # over every byte of the frame before it (190 in stereo)
    return body + bytes(size - len(body))


def decode(path: Path) -> tuple[np.ndarray, int]:
    import soundfile

    try:
        data, rate = soundfile.read(str(path), dtype="float32", always_2d=False)
    except (soundfile.LibsndfileError, RuntimeError) as e:
        raise AudioError(f"{path}: cannot decode audio: {e}") from e
    if data.ndim == 2:
        data = data.mean(axis=1)
    return data.astype(np.float32), int(rate)


def write_tags(path: Path, tags: Tags, chapters: tuple[Chapter, ...]) -> None:
    """ID3v2.3: title, artist, album, date, comment, disclosure, chapters, cover."""
    from mutagen.id3 import (
        APIC,
        CHAP,
        COMM,
        CTOC,
        ID3,
        TALB,
        TDRC,
        TIT2,
        TPE1,
        TSSE,
        TXXX,
        CTOCFlags,
    )

    id3 = ID3()
    id3.add(TIT2(encoding=1, text=[tags.title]))
    if tags.artist:
        id3.add(TPE1(encoding=1, text=[tags.artist]))
    if tags.album:
        id3.add(TALB(encoding=1, text=[tags.album]))
    if tags.date:
        id3.add(TDRC(encoding=1, text=[tags.date]))
    if tags.comment:
        id3.add(COMM(encoding=1, lang="eng", desc="", text=[tags.comment]))
    id3.add(COMM(encoding=1, lang="eng", desc="disclosure", text=[tags.disclosure]))
    id3.add(TXXX(encoding=1, desc="SYNTHETIC_VOICE", text=[tags.disclosure]))
    id3.add(TSSE(encoding=1, text=["papercast (Piper TTS, LAME)"]))
    if chapters:
        ids = [f"chp{i}" for i in range(len(chapters))]
        id3.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids,
                     sub_frames=[TIT2(encoding=1, text=["Chapters"])]))
        for cid, ch in zip(ids, chapters):
            id3.add(CHAP(element_id=cid, start_time=int(ch.start_ms), end_time=int(ch.end_ms),
                         sub_frames=[TIT2(encoding=1, text=[ch.title])]))
    if tags.cover:
        id3.add(APIC(encoding=1, mime=tags.cover_mime, type=3, desc="Cover", data=tags.cover))
    try:
        id3.save(str(path), v2_version=3)
    except Exception as e:  # mutagen raises MutagenError and OSError
        raise AudioError(f"{path}: cannot write ID3 tags: {e}") from e


def read_cover(path: str) -> tuple[bytes, str]:
    """A cover image must be PNG or JPEG, square, 300-3000 px (podcast directories' rule)."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise PapercastError(f"{path}: cannot read cover image: {e.strerror}") from e
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 24:
        w, h, mime = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big"), "image/png"
    elif data.startswith(b"\xff\xd8"):
        w, h = _jpeg_size(data, path)
        mime = "image/jpeg"
    else:
        raise PapercastError(f"{path}: cover image must be PNG or JPEG")
    if w != h or not 300 <= w <= 3000:
        raise PapercastError(f"{path}: cover image is {w}x{h}; it must be square, 300 to 3000 pixels")
    return data, mime


def _jpeg_size(data: bytes, path: str) -> tuple[int, int]:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            break
        marker, length = data[i + 1], int.from_bytes(data[i + 2 : i + 4], "big")
        if marker in (0xC0, 0xC1, 0xC2):
            return int.from_bytes(data[i + 7 : i + 9], "big"), int.from_bytes(data[i + 5 : i + 7], "big")
        i += 2 + length
    raise PapercastError(f"{path}: cannot read JPEG size")
