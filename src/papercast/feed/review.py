"""The review gate ([serve] review in papercast.toml): which episodes wait for an editor.

  "none"   every episode is published when it is rendered (the default)
  "names"  an episode whose script has names the lexicon does not cover and that are probably
           said wrong (the rules of ``papercast lexicon check``) waits until an editor
           approves it, or until every such name has an entry
  "all"    every episode waits for an editor's approval

An approval is of one version of the article (its content hash): an edit waits again. An
editor's "hold" keeps an episode out whatever the mode, until it is approved. Decisions are
rows of the state database (``reviews``: who, when, the note), newest last; the build reads
them each time it writes feed.xml, so a decision is published by the next build.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from papercast.voice.check import check_sentences
from papercast.voice.lexicon import Lexicon


def flagged_names(sentences: list[str], lexicon: Lexicon) -> list[dict[str, Any]]:
    """The names of a script that need an editor: [{word, reason, sentences (indexes)}]."""
    found = check_sentences(sentences, lexicon)["uncovered"]
    return [{"word": u["word"], "reason": u["reason"], "sentences": u["sentences"]} for u in found]


def waiting(entry: Mapping[str, Any], mode: str, review: dict[str, Any] | None) -> str:
    """Why this episode is kept out of the feed ("" when it is published): the mode asks for
    a review it has not had for this version, or an editor held it."""
    content = entry.get("content_sha256", "")
    decided = review is not None and review.get("content_sha256") == content
    if review is not None and review.get("decision") == "hold":
        return "held by an editor" + (f": {review['note']}" if review.get("note") else "")
    if decided and review is not None and review.get("decision") == "approve":
        return ""
    if mode == "all":
        return "waits for an editor's approval"
    if mode == "names" and entry.get("flagged"):
        words = ", ".join(f["word"] for f in entry["flagged"][:5])
        more = len(entry["flagged"]) - 5
        return f"unchecked names: {words}" + (f" and {more} more" if more > 0 else "")
    return ""
