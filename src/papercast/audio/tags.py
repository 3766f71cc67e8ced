"""ID3v2.3 tags (mutagen): title, artist, album, date, the synthetic-voice disclosure,
CHAP/CTOC chapters, cover art; and the render manifest papercast keeps in the file
so an unchanged episode is recognised without rendering it again."""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass
from pathlib import Path

from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCOP,
    TDRC,
    TIT2,
    TPE1,
    TSSE,
    TXXX,
    CTOCFlags,
)

from papercast.errors import AudioError, PapercastError
from papercast.files import COVER_MAX_BYTES, atomic_path, read_regular
from papercast.images import image_info
from papercast.types import Chapter

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
    manifest: str = ""  # what the episode was made from (papercast.manifest), JSON
    voice_credit: str = ""  # the credit a voice's licence asks for (TCOP and a comment)


def write_tags(path: Path, tags: Tags, chapters: tuple[Chapter, ...]) -> None:
    """ID3v2.3: title, artist, album, date, comment, disclosure, chapters, cover."""

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
    if tags.voice_credit:
        id3.add(TCOP(encoding=1, text=[tags.voice_credit]))
        id3.add(COMM(encoding=1, lang="eng", desc="voice credit", text=[tags.voice_credit]))
    if chapters:
        ids = [f"chp{i}" for i in range(len(chapters))]
        id3.add(
            CTOC(
                element_id="toc",
                flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                child_element_ids=ids,
                sub_frames=[TIT2(encoding=1, text=["Chapters"])],
            )
        )
        for cid, ch in zip(ids, chapters):
            id3.add(
                CHAP(
                    element_id=cid,
                    start_time=int(ch.start_ms),
                    end_time=int(ch.end_ms),
                    sub_frames=[TIT2(encoding=1, text=[ch.title])],
                )
            )
    if tags.manifest:
        id3.add(TXXX(encoding=1, desc="PAPERCAST_RENDER", text=[tags.manifest]))
    if tags.cover:
        id3.add(APIC(encoding=1, mime=tags.cover_mime, type=3, desc="Cover", data=tags.cover))
    tag = io.BytesIO()
    try:
        id3.save(tag, v2_version=3)
    except Exception as e:  # mutagen raises MutagenError and OSError
        raise AudioError(f"{path}: cannot write ID3 tags: {e}") from e
    _put_in_front(path, tag.getvalue())


def _put_in_front(path: Path, tag: bytes) -> None:
    """``path`` becomes ``tag`` + its audio (any tag it had is replaced), written to a sibling
    temporary file and renamed over it. mutagen inserts a tag by moving the file's bytes
    through a memory map, which counts the whole MP3 in the process's memory (+28 MB at the
    end of a 55-minute episode); this copies it in 1 MB pieces."""

    with atomic_path(path) as tmp, path.open("rb") as src, tmp.open("wb") as dst:
        src.seek(id3_size(path))
        dst.write(tag)
        shutil.copyfileobj(src, dst, 1 << 20)


def id3_size(path: Path) -> int:
    """Bytes of the ID3v2 tag at the start of ``path`` (0 when there is none)."""
    with path.open("rb") as f:
        head = f.read(10)
    if len(head) < 10 or head[:3] != b"ID3":
        return 0
    size = (
        (head[6] & 0x7F) << 21 | (head[7] & 0x7F) << 14 | (head[8] & 0x7F) << 7 | (head[9] & 0x7F)
    )
    return 10 + size + (10 if head[5] & 0x10 else 0)


def read_cover(path: str) -> tuple[bytes, str]:
    """A cover image must be PNG or JPEG, square, 300-3000 px (podcast directories' rule)."""

    data = read_regular(path, COVER_MAX_BYTES, "cover image")
    info = image_info(data, path)
    if info.width != info.height or not 300 <= info.width <= 3000:
        raise PapercastError(
            f"{path}: cover image is {info.width}x{info.height}; it must be square, 300 to 3000 "
            f"pixels"
        )
    return data, info.mime
