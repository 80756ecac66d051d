"""Online, time-aware grouping of articles into events, and of events into stories.

An *event* is a tight cluster of reports of one happening; a *story*, what users follow, links
events that share actors, places and subject over days or weeks. Both levels use the same index
(``StoryIndex``: clusters of unit vectors with a candidate lookup), with their own parameters
(``STORY_LINKING``: a lower threshold, a slower time discount); a story scores an event by its
average link to the story's events (linking.py).

Each article becomes a TF-IDF vector (title and lead weigh more than the body; names weigh more
than common words) over document frequencies that grow with the stream. A new article is compared
only with the candidate stories that an inverted index over the stories' strongest terms returns
(most recently active first, capped), never with every story; it joins the best one whose
similarity, discounted by the time between them, passes a threshold, or starts a new story.
A merge pass joins stories that have converged.

An event scores an article by average link, the mean similarity to the event's reports (the sum of
their vectors dotted with the article's, over their number): a centroid drifts towards whatever
joined last, and an undated report that tells of two events of one story would otherwise carry
the second event's reports into the first. An undated report that names another weekday than the
days of an event's dated reports is scored lower (weekdays.py); one that mentions a day more than the
window after an event's last report (dating.not_before) cannot be that event's report.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from wordfreq import zipf_frequency

from .records import Article
from .textvec import term as content_term
from .weekdays import disagree


@dataclass(frozen=True)
class GroupingParams:
    """Tuned with bench/grouping.py --tune on the Multi-News stream and the near-miss pairs."""

    join_threshold: float = 0.22  # least time-discounted cosine for an article to join a story
    merge_threshold: float = 0.3  # least cosine between two stories for a merge
    time_scale_days: float = 3.0  # similarity halves when the gap is this many days beyond a day
    window_days: float = 30.0  # stories idle for longer are not candidates
    article_terms: int = 60  # strongest terms kept per article
    story_terms: int = 150  # strongest terms kept in a story's representation
    lookup_terms: int = 12  # an article's terms used to look up candidates
    postings_per_term: int = 300  # most recently active stories read per term
    shortlist: int = 40  # candidates scored in full
    title_weight: float = 2.5
    lead_weight: float = 1.5
    lead_sentences: int = 4
    name_weight: float = 1.6
    body_words: int = 400  # the body's first words only: news puts what matters first
    split_threshold: float = 0.0  # (stories) an event less similar than this to the rest of its story leaves it
    weekday_penalty: float = 0.4  # (events) factor for an undated report naming a day the dated reports did not fall on


# Events into stories, tuned with bench/grouping.py on ../shared/data/threads (real developing stories
# of 3-4 events over days to months) against Multi-News (undated clusters of unrelated stories).
# Scores are average links (linking.py).
STORY_LINKING = GroupingParams(join_threshold=0.15, merge_threshold=0.18, time_scale_days=30.0, window_days=120.0,
                               article_terms=100, story_terms=300, split_threshold=0.05, weekday_penalty=1.0)


@lru_cache(maxsize=200_000)
def prior_idf(term: str) -> float:
    """IDF implied by the word's frequency in general English (wordfreq): the chance that a
    500-word article contains it. Lets a young stream, or a one-shot brief, tell rare words
    from common ones before it has seen enough documents of its own."""
    per_token = 10.0 ** (zipf_frequency(term, "en") - 9.0)
    in_document = -math.expm1(-500.0 * per_token)
    return min(MAX_PRIOR_IDF, math.log(1.0 / in_document)) if in_document > 0 else MAX_PRIOR_IDF


MAX_PRIOR_IDF = 12.0
STREAM_TRUST = 2000  # documents after which the stream's own IDF counts as much as the prior


class TermStats:
    """Document frequencies for IDF, grown one document at a time, blended with a prior."""

    def __init__(self, df: dict[str, int] | None = None, documents: int = 0) -> None:
        self.df: Counter[str] = Counter(df or {})
        self.documents = documents
        # what this process added since it last saved: saved as increments, so that two writers
        # on one database add up rather than overwrite each other's counts
        self.unsaved: Counter[str] = Counter()
        self.unsaved_documents = 0

    def idf(self, term: str) -> float:
        return self.idf_many([term])[term]

    def idf_many(self, terms: Iterable[str]) -> dict[str, float]:
        trust = self.documents / (self.documents + STREAM_TRUST)
        base, log, df, prior = math.log(self.documents + 1), math.log, self.df, prior_idf
        return {t: 1.0 + trust * (base - log(df.get(t, 0) + 1)) + (1.0 - trust) * prior(t) for t in terms}

    def add(self, terms: Iterable[str]) -> None:
        self.documents += 1
        self.unsaved_documents += 1
        for term in set(terms):
            self.df[term] += 1
            self.unsaved[term] += 1

    def take_unsaved(self) -> tuple[dict[str, int], int]:
        """The document frequencies and document count added since the last call."""
        unsaved = (dict(self.unsaved), self.unsaved_documents)
        self.unsaved, self.unsaved_documents = Counter(), 0
        return unsaved


_TERM_WORD = re.compile(r"[a-z0-9][a-z0-9'’-]*")
# A capitalised word that does not open a sentence is (part of) a name.
_NAME_WORD = re.compile(r"(?<![.!?\"“]\s)(?<!^)(?<!\n)\b[A-Z][a-zA-Z'’-]+")


def term_of(word: str) -> str | None:
    """The grouping term for a lower-cased word: stop words and bare numbers give None."""
    return None if word.isdigit() else content_term(word)


def _weighted_terms(text: str, weight: float, counts: dict[str, float], names: set[str]) -> None:
    for word in _TERM_WORD.findall(text.lower()):
        term = term_of(word)
        if term is not None:
            counts[term] = counts.get(term, 0.0) + weight
    for word in _NAME_WORD.findall(text):
        term = term_of(word.lower())
        if term is not None:
            names.add(term)


def article_vector(article: Article, stats: TermStats, params: GroupingParams) -> dict[str, float]:
    """Unit TF-IDF vector of an article's strongest terms."""
    counts: dict[str, float] = {}
    names: set[str] = set()
    _weighted_terms(article.title, params.title_weight, counts, names)
    sentences = article.sentences
    lead = " ".join(s.text for s in sentences[: params.lead_sentences])
    _weighted_terms(lead, params.lead_weight, counts, names)
    body = " ".join(s.text for s in sentences[params.lead_sentences :]) if sentences else article.text
    _weighted_terms(" ".join(body.split()[: params.body_words]), 1.0, counts, names)
    idf = stats.idf_many(counts)
    log, name_weight = math.log, params.name_weight
    weights = {
        term: (1.0 + log(count)) * idf[term] * (name_weight if term in names else 1.0)
        for term, count in counts.items()
    }
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[: params.article_terms]
    norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
    return {term: w / norm for term, w in top}


def days_between(when: datetime | None, first: datetime | None, last: datetime | None) -> float:
    """Days from ``when`` to the interval [first, last]; 0 inside it or when a time is unknown."""
    if when is None or first is None or last is None:
        return 0.0
    if when < first:
        return (first - when).total_seconds() / 86400
    if when > last:
        return (when - last).total_seconds() / 86400
    return 0.0


def too_late(not_before: datetime | None, last: datetime | None, window_days: float) -> bool:
    """True when a report published no earlier than ``not_before`` comes more than the window after
    ``last``: a bound from the dates an undated report mentions rules out only what is far older."""
    return bool(not_before and last and (not_before - last).total_seconds() > window_days * 86400)


@dataclass
class StoryState:
    id: int
    total: dict[str, float]  # sum of member vectors, trimmed to the strongest terms
    size: int = 0  # members (reports, or a story's events) whose vectors make up ``total``
    first: datetime | None = None
    last: datetime | None = None
    days: set[int] = field(default_factory=set)  # (events) weekdays its reports name or were published on (weekdays.py)
    not_before: datetime | None = None  # (events) the latest day its undated reports mention (dating.not_before)
    norm: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        self.norm = math.sqrt(sum(v * v for v in self.total.values())) or 1.0

    def similarity(self, vector: dict[str, float]) -> float:
        return sum(w * self.total.get(t, 0.0) for t, w in vector.items()) / self.norm

    def mean_similarity(self, vector: dict[str, float]) -> float:
        """Average link: the mean cosine of ``vector`` to the members (all unit vectors)."""
        return sum(w * self.total.get(t, 0.0) for t, w in vector.items()) / max(1, self.size)

    def absorb(self, vector: dict[str, float], size: int, keep: int) -> None:
        total = dict(self.total)
        for term, weight in vector.items():
            total[term] = total.get(term, 0.0) + weight
        self.total = dict(sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:keep])
        self.norm = math.sqrt(sum(v * v for v in self.total.values())) or 1.0
        self.size += size

    def widen(self, first: datetime | None, last: datetime | None) -> None:
        if first and (self.first is None or first < self.first):
            self.first = first
        if last and (self.last is None or last > self.last):
            self.last = last

    def bound(self, not_before: datetime | None) -> None:
        if not_before and (self.not_before is None or not_before > self.not_before):
            self.not_before = not_before

    def apart(self, other: "StoryState", window_days: float) -> bool:
        """True when one is undated and the days it mentions come more than the window after the other."""
        return (too_late(self.not_before, other.last, window_days) if self.first is None
                else too_late(other.not_before, self.last, window_days) if other.first is None else False)


class StoryIndex:
    """The in-memory candidate index over active clusters — events, or stories of events (rebuilt
    from the store on start)."""

    def __init__(self, params: GroupingParams | None = None) -> None:
        self.params = params or GroupingParams()
        self.stories: dict[int, StoryState] = {}
        self.postings: dict[str, dict[int, None]] = {}  # term -> story ids, least recently touched first

    def __len__(self) -> int:
        return len(self.stories)

    def _index(self, story: StoryState) -> None:
        strongest = sorted(story.total.items(), key=lambda kv: (-kv[1], kv[0]))[: self.params.lookup_terms * 3]
        for term, _ in strongest:
            posting = self.postings.setdefault(term, {})
            posting.pop(story.id, None)
            posting[story.id] = None  # most recent at the end

    def put(self, story: StoryState) -> None:
        self.stories[story.id] = story
        self._index(story)

    def forget_before(self, since: datetime) -> list[int]:
        """Drop the dated clusters last active before ``since``; returns their ids. (A grouper
        started later loads only the clusters active within the window of the newest one.)"""
        idle = [s for s, state in self.stories.items() if state.last is not None and state.last < since]
        for story_id in idle:
            del self.stories[story_id]
        if idle:  # postings also drop stale entries of clusters merged away
            self.postings = {term: kept for term, posting in self.postings.items()
                             if (kept := {s: None for s in posting if s in self.stories})}
        return idle

    def candidates(self, vector: dict[str, float], exclude: int | None = None) -> list[StoryState]:
        """Stories sharing the article's strongest terms (the most recently active ones per term),
        the ``shortlist`` with the most weight in common first."""
        terms = sorted(vector.items(), key=lambda kv: (-kv[1], kv[0]))[: self.params.lookup_terms]
        overlap: dict[int, float] = {}
        for term, weight in terms:
            posting = self.postings.get(term)
            if not posting:
                continue
            for n, story_id in enumerate(reversed(posting)):
                if n >= self.params.postings_per_term:
                    break
                overlap[story_id] = overlap.get(story_id, 0.0) + weight
        overlap.pop(exclude, None)  # type: ignore[arg-type]
        ranked = sorted(overlap, key=lambda s: (-overlap[s], s))
        return [self.stories[s] for s in ranked[: self.params.shortlist] if s in self.stories]

    def score(self, story: StoryState, vector: dict[str, float], when: datetime | None,
              weekday: int | None = None, not_before: datetime | None = None) -> float:
        """Average link, discounted by the time between (``discount``)."""
        return story.mean_similarity(vector) * self.discount(story, when, weekday, not_before)

    def discount(self, story: StoryState, when: datetime | None, weekday: int | None = None,
                 not_before: datetime | None = None) -> float:
        """The factor for the time between an article and the story; for an undated article
        (``when`` None), lower when the ``weekday`` it names is not one the story's dated reports fell
        on, and 0 when the days it mentions (``not_before``) come more than the window after them."""
        gap = days_between(when, story.first, story.last)
        if gap > self.params.window_days:
            return 0.0
        if (too_late(not_before, story.last, self.params.window_days) if when is None
                else story.first is None and too_late(story.not_before, when, self.params.window_days)):
            return 0.0
        discount = 1.0 / (1.0 + max(0.0, gap - 1.0) / self.params.time_scale_days)
        if weekday is not None and when is None and story.first and disagree({weekday}, story.days):
            discount *= self.params.weekday_penalty
        return discount

    def best(self, vector: dict[str, float], when: datetime | None, weekday: int | None = None,
             not_before: datetime | None = None) -> tuple[StoryState | None, float]:
        best: tuple[StoryState | None, float] = (None, 0.0)
        for story in self.candidates(vector):
            value = self.score(story, vector, when, weekday, not_before)
            if value > best[1] or (value == best[1] and best[0] is not None and story.id < best[0].id):
                best = (story, value)
        return best

    def join(self, story: StoryState, vector: dict[str, float], when: datetime | None,
             days: set[int] | None = None, not_before: datetime | None = None) -> None:
        story.absorb(vector, 1, self.params.story_terms)
        story.widen(when, when)
        story.days |= days or set()
        story.bound(not_before)
        self._index(story)

    def merge_partner(self, story: StoryState) -> tuple[StoryState | None, float]:
        """The story most similar to ``story`` above the merge threshold, if any."""
        unit = {t: w / story.norm for t, w in story.total.items()}
        best: tuple[StoryState | None, float] = (None, 0.0)
        for other in self.candidates(unit, exclude=story.id):
            gap = max(days_between(story.first, other.first, other.last),
                      days_between(story.last, other.first, other.last)) if story.first else 0.0
            if story.first and other.first and story.first <= other.last and other.first <= story.last:
                gap = 0.0
            if gap > self.params.window_days or story.apart(other, self.params.window_days):
                continue
            value = other.mean_similarity(unit) * story.norm / max(1, story.size)  # average link
            value /= 1.0 + max(0.0, gap - 1.0) / self.params.time_scale_days
            # an undated event against a dated one: the weekdays are the only time evidence
            if (story.first is None) != (other.first is None) and disagree(story.days, other.days):
                value *= self.params.weekday_penalty
            if value >= self.params.merge_threshold and value > best[1]:
                best = (other, value)
        return best

    def merge(self, keep: StoryState, gone: StoryState) -> None:
        keep.absorb(gone.total, gone.size, self.params.story_terms)
        keep.widen(gone.first, gone.last)
        keep.days |= gone.days
        keep.bound(gone.not_before)
        self.stories.pop(gone.id, None)  # its postings go stale; candidates() skips them
        self._index(keep)
