"""A story of several events, as the seed's brief tells one: a section per event, in time order.

An event is a tight cluster of reports of one happening (``Article.event_id``); a developing
story is made of several. Its brief gives each event a section headed by a clause that names it
("North Korea deployed troops to Kursk"), spreads the sentence budget across events (newer and
larger ones get more, each at least one sentence) and lists the events with their dates and
sources (``Brief.events``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from ..analysis.dates import resolve_dates
from ..boilerplate import is_furniture
from ..records import Article, Section
from ..textvec import Vector, centroid, cosine, idf_weights, tokens
from . import headings
from .scoring import Candidate

# An event is major when it holds at least this share of the story's reports (and two of them):
# a lone report of a side happening, however recent, does not head a story many outlets follow.
MAJOR_SHARE = 0.2
NEWER_WEIGHT = 0.5  # the newest event's share of the sentence budget is this much above the oldest's

Pick = Callable[[list[Candidate], list[Candidate], int], list[Candidate]]


@dataclass(eq=False)
class Event:
    id: str
    articles: list[Article]  # every report of the event, syndicated copies included
    originals: list[Article]
    candidates: list[Candidate] = field(default_factory=list)
    heading: str = ""
    when: date | None = None  # its earliest dated report's day, or a day its reports name

    @property
    def days(self) -> list[date]:
        return sorted(a.published_at.date() for a in self.articles if a.published_at)

    def record(self) -> dict[str, object]:
        days = self.days
        sources = sorted(self.originals, key=lambda a: (a.published_at.timestamp() if a.published_at else math.inf, a.id))
        return {"id": self.id, "heading": self.heading,
                "first": days[0].isoformat() if days else None, "last": days[-1].isoformat() if days else None,
                "articles": len(self.articles), "sources": [a.id for a in sources]}


def story_events(articles: list[Article], originals: list[Article], pool: list[Candidate]) -> list[Event] | None:
    """The events of the story in time order, or None when its originals belong to fewer than two
    (then the brief's sections are themes). An original without an event id joins the event it
    shares most words with; a syndicated copy, its original's event."""
    ids = list(dict.fromkeys(a.event_id for a in originals if a.event_id))
    if len(ids) < 2:
        return None
    events = {i: Event(i, [], []) for i in ids}
    vectors = _article_vectors(originals, pool)
    centres = {i: centroid(vectors[a.id] for a in originals if a.event_id == i) for i in ids}
    home: dict[str, str] = {}
    for a in originals:
        home[a.id] = a.event_id if a.event_id in events else max(ids, key=lambda i: cosine(vectors[a.id], centres[i]))
        events[home[a.id]].originals.append(a)
    for a in articles:
        event = a.event_id if a.event_id in events and a.duplicate_of is None else home.get(a.duplicate_of or a.id)
        events[event or home[originals[0].id]].articles.append(a)
    for c in pool:
        events[home[c.article.id]].candidates.append(c)
    return in_time_order([e for e in events.values() if e.originals], centres)


def _article_vectors(originals: list[Article], pool: list[Candidate]) -> dict[str, Vector]:
    by_article: dict[str, list[Vector]] = {a.id: [] for a in originals}
    for c in pool:
        by_article[c.article.id].append(c.vector)
    return {a: centroid(v) if v else {} for a, v in by_article.items()}


def in_time_order(events: list[Event], centres: dict[str, Vector]) -> list[Event]:
    """Events by their earliest dated report. An undated event takes the earliest full date its
    leading sentences name ("on November 11, 2024"); one that names none follows the dated event
    it shares most words with (it most likely tells what followed it); with no dated event at
    all, the larger come first."""
    for e in events:
        dated = [a.published_at.date() for a in e.originals if a.published_at]
        named = [d.day for a in e.originals for s in a.sentences[:3] for d in resolve_dates(s.text, None) if d.explicit]
        e.when = min(dated) if dated else min(named) if named else None
    dated = sorted((e for e in events if e.when), key=lambda e: (e.when, -len(e.originals), e.id))
    undated = sorted((e for e in events if not e.when), key=lambda e: (-len(e.originals), e.id))
    if not dated:
        return undated
    ordered = list(dated)
    for e in undated:
        nearest = max(dated, key=lambda d: cosine(centres.get(e.id, {}), centres.get(d.id, {})))
        place = ordered.index(nearest) + 1
        while place < len(ordered) and ordered[place].when is None:
            place += 1
        ordered.insert(place, e)
    return ordered


def major_event(events: list[Event]) -> Event:
    """The newest major event: the newest of those holding at least MAJOR_SHARE of the story's
    reports and two of them (of all, when none does); undated ones only when none is dated, then
    the largest. The headline and lede come from it, since a developing story's brief should say
    where it stands now, and a lone report of a side happening, however recent, should not."""
    total = sum(len(e.originals) for e in events)
    major = [e for e in events if len(e.originals) >= max(2, MAJOR_SHARE * total)] or events
    dated = [e for e in major if e.when]
    return max(dated, key=lambda e: (e.when, len(e.originals))) if dated else max(major, key=lambda e: len(e.originals))


def budgets(events: list[Event], words: int) -> dict[str, int]:
    """Words per event: in proportion to the square root of its reports, newer events up to
    NEWER_WEIGHT more."""
    last = max(1, len(events) - 1)
    weight = {e.id: math.sqrt(len(e.originals)) * (1.0 + NEWER_WEIGHT * n / last) for n, e in enumerate(events)}
    total = sum(weight.values())
    return {i: int(words * w / total) for i, w in weight.items()}


def event_sections(events: list[Event], pool: list[Candidate], chosen: list[Candidate], words: int, pick: Pick) -> list[Section]:
    """One section per event, in time order: its share of the budget picked from its own sentences
    (larger shares first), each with at least one sentence when it has one not already in the brief
    (an event whose only sentence is the lede is told by the lede)."""
    share = budgets(events, words)
    picked: dict[str, list[Candidate]] = {}
    taken = list(chosen)
    for e in sorted(events, key=lambda e: -share[e.id]):
        fresh = [c for c in e.candidates if c not in taken]
        found = pick(fresh, taken, share[e.id]) or sorted(fresh, key=lambda c: -c.score)[:1]
        picked[e.id] = found
        taken += found
    name_events(events, pool)
    return [Section(e.heading, [c.cited() for c in picked[e.id]], e.id) for e in events if picked[e.id]]


def name_events(events: list[Event], pool: list[Candidate]) -> None:
    """Each event's heading: the clause of its most central lead sentence or title, else the noun
    phrase its sentences are most about, else its central report's title."""
    from .extractive import clean_title

    idf = idf_weights(tokens(c.text) for c in pool)
    leads = {e.id: [(s.text, 1.0 if s.index == 0 else 0.7) for a in e.originals for s in a.sentences[:2]]
             + [(a.title, 0.8) for a in e.originals if a.title and not is_furniture(a.title)] for e in events}
    if headings.available():
        headings.parse(text for texts in leads.values() for text, _ in texts)
    used: set[str] = set()
    rarity = None  # the story's word rarity, computed once if an event needs a theme phrase
    for e in events:
        texts = leads[e.id]
        centre = centroid(c.vector for c in e.candidates) if e.candidates else {}
        heading = headings.clause_heading(texts, centre, idf, used) if headings.available() else None
        if heading is None and headings.available():
            others = [c.text for o in events if o is not e for c in o.candidates]
            rarity = rarity if rarity is not None else headings.story_rarity([c.text for c in pool])
            phrase = headings.theme_phrase([c.text for c in e.candidates], others, rarity, used, strict=False)
            heading = phrase if phrase and " " in phrase else None  # an event is never named by a lone word
        if heading is None:
            central = max(e.originals, key=lambda a: sum(c.score for c in e.candidates if c.article is a))
            heading = " ".join(clean_title(central.title, central.outlet).split()[:10]) or f"Event {e.id}"
        used.add(heading.lower())
        e.heading = heading
