"""What a cover image is, read from its header: format, size, colour channels, alpha."""

from __future__ import annotations

from dataclasses import dataclass

from papercast.errors import PapercastError


@dataclass(frozen=True)
class ImageInfo:
    kind: str  # "png" | "jpeg"
    width: int
    height: int
    rgb: bool  # three colour channels (not grey, not paletted)
    alpha: bool  # an alpha channel or a transparent colour

    @property
    def mime(self) -> str:
        return f"image/{self.kind}"


def image_info(data: bytes, where: str) -> ImageInfo:
    """PNG or JPEG facts from ``data``; anything else is refused naming ``where``."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 26:
        w, h, colour = (
            int.from_bytes(data[16:20], "big"),
            int.from_bytes(data[20:24], "big"),
            data[25],
        )
        # colour type 2 = RGB, 6 = RGBA, 4 = grey + alpha, 0 = grey, 3 = palette
        alpha = colour in (4, 6) or b"tRNS" in data[: max(0, data.find(b"IDAT"))]
        return ImageInfo("png", w, h, colour in (2, 6), alpha)
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                break
            marker, length = data[i + 1], int.from_bytes(data[i + 2 : i + 4], "big")
            if marker in (0xC0, 0xC1, 0xC2):
                h, w = (
                    int.from_bytes(data[i + 5 : i + 7], "big"),
                    int.from_bytes(data[i + 7 : i + 9], "big"),
                )
                return ImageInfo("jpeg", w, h, data[i + 9] == 3, False)
            i += 2 + length
        raise PapercastError(f"{where}: cannot read the JPEG's size")
    raise PapercastError(f"{where}: cover image must be PNG or JPEG")
