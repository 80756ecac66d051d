"""Duplicates: the same page twice (canonical URL or content hash) and syndicated copies
(the same wire story on several sites, found by word-shingle containment)."""

from __future__ import annotations

import re
import zlib
from datetime import datetime, timezone
from urllib.parse import urlsplit, urlunsplit

import courlan

from .records import Article

SHINGLE_SIZE = 5
COPY_CONTAINMENT = 0.8  # share of the shorter text's shingles found in the longer one
MIN_SHINGLES = 8


def canonical_url(url: str) -> str:
    """Lower-cased scheme and host, no fragment, no tracking parameters (utm_*, fbclid ...)."""
    if not url.lower().startswith(("http://", "https://")):
        return url
    scheme, rest = url.split("://", 1)
    url = f"{scheme.lower()}://{rest}"
    normalised = courlan.normalize_url(url, strict=True) or url
    parts = urlsplit(normalised)
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, parts.query, ""))


def shingles(text: str, size: int = SHINGLE_SIZE) -> set[int]:
    words = re.findall(r"\w+", text.lower())
    return {
        zlib.crc32(" ".join(words[i : i + size]).encode("utf-8"))
        for i in range(max(0, len(words) - size + 1))
    }


def containment(a: set[int], b: set[int]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _original_first(article: Article) -> tuple[datetime, int]:
    when = article.published_at or datetime.max.replace(tzinfo=timezone.utc)
    return (when, -len(article.text))


def collapse_duplicates(articles: list[Article]) -> list[Article]:
    """Drop repeats of the same page; mark syndicated copies with ``duplicate_of``.

    Returns the articles kept (originals and copies), originals before their copies.
    """
    seen_urls: set[str] = set()
    seen_hashes: dict[str, Article] = {}
    unique: list[Article] = []
    for article in articles:
        url = canonical_url(article.url)
        if url in seen_urls:
            continue
        seen_urls.add(url)
        article.url = url
        unique.append(article)
    ordered = sorted(unique, key=_original_first)
    originals: list[tuple[Article, set[int]]] = []
    for article in ordered:
        same = seen_hashes.get(article.content_hash)
        if same is not None:
            article.duplicate_of = same.id
            continue
        seen_hashes[article.content_hash] = article
        signature = shingles(article.text)
        for original, original_signature in originals:
            if (
                min(len(signature), len(original_signature)) >= MIN_SHINGLES
                and containment(signature, original_signature) >= COPY_CONTAINMENT
            ):
                article.duplicate_of = original.id
                break
        else:
            originals.append((article, signature))
    return [a for a in ordered if a.duplicate_of is None] + [a for a in ordered if a.duplicate_of]
