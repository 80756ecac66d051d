"""Candidate sentences and their scores: centrality, position, support from other outlets.

A sentence is central when its TF-IDF vector is close to the centroid of the story's articles;
news puts essentials first, so earlier sentences weigh more; a claim that independent outlets
repeat weighs more, and those outlets' sentences are cited with it.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..analysis.dates import resolve_dates
from ..analysis.outlook import outlook_strength
from ..boilerplate import is_furniture, reads_like_instructions
from ..records import Article, Cited
from ..sentences import without_dateline, word_count
from ..textvec import Vector, centroid, cosine, idf_weights, normalise, tfidf, tokens
from .grounding import numbers_in

SUPPORT_SIMILARITY = 0.5  # a sentence of another outlet this close says the same thing,
SUPPORT_WITH_NUMBER = 0.35  # or this close when both give the same figure
CONTEXT_WEIGHT = 0.5  # share of the neighbouring sentences in a sentence's context vector
POSITION_WEIGHT = 0.3  # how much of a sentence's score depends on how early it comes
SUPPORT_BONUS = 0.2  # score added per independent outlet that says the same (up to 3)
FULL_LENGTH = 12  # sentences shorter than this many words score proportionally less

_ENDS_LIKE_SENTENCE = re.compile(r"[.!?][\"'”’)]*$|[\"”]$")
def dates_named(text: str, article: Article) -> list[dict[str, str]]:
    """The dates a sentence names, resolved against its article's publication date."""
    return [{"text": d.expression, "date": d.day.isoformat()} for d in resolve_dates(text, article.published_at)]


def is_candidate(text: str, words: int) -> bool:
    """A sentence worth quoting: complete, of readable length, not page furniture, not words
    addressed to a language model."""
    return (
        6 <= words <= 70
        and bool(_ENDS_LIKE_SENTENCE.search(text))
        and not text[0].islower()
        and not is_furniture(text)
        and not reads_like_instructions(text)
        and sum(c.isalpha() for c in text) > 0.6 * len(text)
    )


@dataclass(eq=False)
class Candidate:
    article: Article
    index: int
    text: str
    vector: Vector
    words: int
    score: float = 0.0
    outlook: float = 0.0
    context: Vector = field(default_factory=dict)  # the sentence with its neighbours, for themes
    support: list[str] = field(default_factory=list)  # refs of the same claim in other outlets

    @property
    def ref(self) -> str:
        return f"{self.article.id}:{self.index}"

    @property
    def citations(self) -> list[str]:
        return [self.ref, *self.support]

    def cited(self) -> Cited:
        text = without_dateline(self.text)
        return Cited(text, self.citations, dates_named(text, self.article))


def score_candidates(originals: list[Article]) -> list[Candidate]:
    """Every quotable sentence of ``originals`` with its score, support and context."""
    per_sentence = [
        (article, s.index, s.text, tokens(s.text), word_count(s.text))
        for article in originals
        for s in article.sentences
    ]
    idf = idf_weights(toks for *_, toks, _ in per_sentence)
    story = centroid(tfidf(tokens(a.text), idf) for a in originals)
    vectors = {(a.id, i): tfidf(toks, idf) for a, i, _, toks, _ in per_sentence}
    pool = [
        Candidate(article, index, text, vectors[article.id, index], words)
        for article, index, text, toks, words in per_sentence
        if toks and is_candidate(text, words)
    ]
    if not pool:  # nothing looks like a clean sentence: better something than nothing
        pool = [Candidate(a, i, t, vectors[a.id, i], w) for a, i, t, k, w in per_sentence if k]
    by_outlet: dict[str, list[Candidate]] = defaultdict(list)
    for c in pool:
        by_outlet[c.article.outlet.lower()].append(c)
    closest = _closest_by_outlet(pool)
    for c in pool:
        for outlet in by_outlet:
            if outlet != c.article.outlet.lower() and outlet in closest[id(c)]:
                _add_support(c, *closest[id(c)][outlet])
        position = 1.0 / math.sqrt(1.0 + c.index)
        length = min(1.0, c.words / FULL_LENGTH)
        c.score = cosine(c.vector, story) * (1.0 - POSITION_WEIGHT + POSITION_WEIGHT * position) * length
        c.score *= 1.0 + SUPPORT_BONUS * min(len(c.support), 3)
        c.outlook = outlook_strength(c.text)
        neighbours = [vectors.get((c.article.id, c.index + d), {}) for d in (-1, 1)]
        context = dict(c.vector)
        for vector in neighbours:
            for term, weight in vector.items():
                context[term] = context.get(term, 0.0) + CONTEXT_WEIGHT * weight
        c.context = normalise(context)
    return pool


def _closest_by_outlet(pool: list[Candidate]) -> dict[int, dict[str, tuple[float, Candidate]]]:
    """For each candidate, the most similar sentence of every other outlet (each pair computed once)."""
    closest: dict[int, dict[str, tuple[float, Candidate]]] = {id(c): {} for c in pool}
    outlets = [c.article.outlet.lower() for c in pool]
    for i, c in enumerate(pool):
        mine = closest[id(c)]
        for j in range(i + 1, len(pool)):
            if outlets[j] == outlets[i]:
                continue
            other = pool[j]
            similarity = cosine(c.vector, other.vector)
            if outlets[j] not in mine or similarity > mine[outlets[j]][0]:
                mine[outlets[j]] = (similarity, other)
            theirs = closest[id(other)]
            if outlets[i] not in theirs or similarity > theirs[outlets[i]][0]:
                theirs[outlets[i]] = (similarity, c)
    return closest


def _add_support(c: Candidate, similarity: float, best: Candidate) -> None:
    if similarity >= SUPPORT_SIMILARITY or (
        similarity >= SUPPORT_WITH_NUMBER and numbers_in(c.text) & numbers_in(best.text)
    ):
        c.support.append(best.ref)
