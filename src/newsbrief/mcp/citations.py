"""Citations an agent can quote: refs (``a12:4``) resolved to their source sentence, and the
sentences of an article that hold a search query's words."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ..store.relational import RelationalStore
from ..web import data
from .models import Citation, Passage

_REF = re.compile(r"a(\d+):(\d+)")
_WORD = re.compile(r"[^\W_]+\*?")
FTS_OPERATORS = {"AND", "OR", "NOT", "NEAR"}
SENTENCES_PER_HIT = 3


def cite(store: RelationalStore, refs: Iterable[str], evidence: dict[str, str] | None = None) -> list[Citation]:
    """Each ref once, with its sentence's text (a brief's own evidence first, else the store's) and
    its article's URL and outlet. A ref that names no stored sentence is left out."""
    citations = []
    for ref in dict.fromkeys(refs):
        match = _REF.fullmatch(ref)
        if not match:
            continue
        article_id, index = int(match[1]), int(match[2])
        if article_id > data.MAX_ID or index > data.MAX_ID:
            continue
        row = store.cited_sentence(article_id, index) or {}
        text = (evidence or {}).get(ref) or row.get("text")
        if text is None:
            continue
        citations.append(Citation(ref=ref, text=text, article_id=article_id, url=row.get("url"),
                                  outlet=row.get("outlet"), published_at=row.get("published_at")))
    return citations


def passage(store: RelationalStore, text: str, refs: list[str], evidence: dict[str, str]) -> Passage:
    return Passage(text=text, citations=cite(store, refs, evidence))


def merged(groups: Iterable[list[Citation]]) -> list[Citation]:
    """Every citation of several answers, once each, in order."""
    seen: dict[str, Citation] = {}
    for group in groups:
        for citation in group:
            seen.setdefault(citation.ref, citation)
    return list(seen.values())


def _stem(word: str) -> str:
    """A crude stem, enough to find in sentences what the porter-stemmed index matched."""
    word = word.casefold()
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def query_words(query: str) -> list[str]:
    return [w for w in _WORD.findall(query) if w.upper() not in FTS_OPERATORS]


def matching_sentences(store: RelationalStore, article_id: int, query: str,
                       most: int = SENTENCES_PER_HIT) -> list[Citation]:
    """The article's sentences holding most of the query's words (its first sentence when the
    match was in the title only)."""
    info = data.article(store, article_id)
    words = query_words(query)
    prefixes = [w[:-1].casefold() for w in words if w.endswith("*")]
    stems = {_stem(w) for w in words if not w.endswith("*")}

    def score(text: str) -> int:
        tokens = [t.rstrip("*") for t in _WORD.findall(text)]
        found = {_stem(t) for t in tokens} & stems
        return len(found) + sum(1 for p in prefixes if any(t.casefold().startswith(p) for t in tokens))

    scored = sorted(((score(s["text"]), s["index"]) for s in info["sentences"]), key=lambda p: (-p[0], p[1]))
    chosen = sorted(index for points, index in scored[:most] if points > 0)
    if not chosen and info["sentences"]:
        chosen = [info["sentences"][0]["index"]]
    return cite(store, [f"a{article_id}:{index}" for index in chosen])
