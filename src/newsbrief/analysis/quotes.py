"""Direct quotes with their speakers, kept verbatim."""

from __future__ import annotations

import re

from ..records import Article
from .attribution import speaker

_QUOTE = re.compile(r"[\"“]([^\"“”]{12,400}?)[\"”]")
MIN_WORDS = 4


def quotes(articles: list[Article], limit: int = 6) -> list[dict[str, object]]:
    """Quoted passages of at least four words whose speaker the sentence names, each once
    (syndicated repeats collapse), in the order the sources published them."""
    found: dict[str, dict[str, object]] = {}
    for article in articles:
        for sentence in article.sentences:
            who = speaker(sentence.text)
            if not who:
                continue
            for match in _QUOTE.finditer(sentence.text):
                text = match.group(1).strip().rstrip(",")
                if len(text.split()) < MIN_WORDS:
                    continue
                key = " ".join(re.findall(r"\w+", text.lower()))
                if key in found:
                    found[key]["citations"].append(sentence.ref)  # type: ignore[attr-defined]
                    continue
                found[key] = {"speaker": who, "text": text, "citations": [sentence.ref]}
    return list(found.values())[:limit]
