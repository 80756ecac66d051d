"""Bag-of-words vectors for sentences and documents: tokens, TF-IDF weights, cosine similarity.

Kept as sparse dicts: briefs work on a few hundred sentences, where this is fast and needs no
numeric stack.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

Vector = dict[str, float]

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from further
    had has have having he her here hers herself him himself his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours ourselves out
    over own same she should so some such than that the their theirs them themselves then there these
    they this those through to too under until up very was we were what when where which while who
    whom why will with would you your yours yourself yourselves said says say told according
    mr mrs ms dr one two three new also would could may might must shall us its it's i'm
    there's that's he's she's they're we're don't didn't can't won't isn't wasn't""".split()
)

_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?")


def stem(token: str) -> str:
    """A light suffix strip so that plurals and simple verb forms meet (troops ~ troop)."""
    for suffix, keep in (("ies", "y"), ("sses", "ss"), ("s", "")):
        if token.endswith(suffix) and len(token) > len(suffix) + 3 and not token.endswith("ss"):
            return token[: -len(suffix)] + keep
    return token


@lru_cache(maxsize=500_000)
def term(word: str) -> str | None:
    """The content term of a lower-cased word (possessive dropped, lightly stemmed), or None for
    a stop word: the one normalisation shared by sentence scoring and story grouping."""
    base = word.replace("’", "'").split("'")[0]
    if word in STOPWORDS or base in STOPWORDS or len(word) < 2 or not base:
        return None
    return stem(base)


def tokens(text: str) -> list[str]:
    """Content tokens: lower-cased, stop words dropped, lightly stemmed."""
    return [t for word in _TOKEN.findall(text.lower()) if (t := term(word))]


def idf_weights(documents: Iterable[Iterable[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency over token collections."""
    df: Counter[str] = Counter()
    n = 0
    for doc in documents:
        n += 1
        df.update(set(doc))
    return {term: math.log((n + 1) / (count + 1)) + 1.0 for term, count in df.items()}


def tfidf(doc_tokens: Sequence[str], idf: dict[str, float]) -> Vector:
    """Unit-length TF-IDF vector (sub-linear term frequency)."""
    counts = Counter(doc_tokens)
    vector = {t: (1.0 + math.log(c)) * idf.get(t, 1.0) for t, c in counts.items()}
    return normalise(vector)


def normalise(vector: Vector) -> Vector:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {t: v / norm for t, v in vector.items()} if norm else {}


def cosine(a: Vector, b: Vector) -> float:
    """Cosine of two unit vectors."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def centroid(vectors: Iterable[Vector]) -> Vector:
    total: dict[str, float] = {}
    for vector in vectors:
        for t, v in vector.items():
            total[t] = total.get(t, 0.0) + v
    return normalise(total)
