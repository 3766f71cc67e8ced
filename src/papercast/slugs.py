"""Names made from titles: episode file names and URL parts."""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str, limit: int = 60) -> str:
    """ASCII, lowercase, hyphens: "Ó Fearghail wins" -> "o-fearghail-wins"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "episode"


def safe_slug(slug: str) -> bool:
    """A single, plain path component: no separators, no dot names, nothing hidden."""
    return bool(re.fullmatch(r"[a-z0-9][a-z0-9-]{0,79}", slug))
