"""The extractive writer: a brief made only of source sentences, each cited.

Sentences are scored by how central they are to the story (TF-IDF cosine to the centroid of the
articles), where they stand in their article (news puts the essentials first) and how many
independent outlets say the same thing; they are picked without repeating each other (MMR),
then grouped into themed sections (sections.py). A story whose reports belong to several events
gets one section per event instead, in time order, and its headline and lede from the newest
major event (events.py).
"""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from datetime import date, datetime, timezone

from ..analysis.claims import claims_in, disagreements, figures
from ..analysis.entities import entities, names_in
from ..analysis.quotes import quotes, statements, story_speakers
from ..analysis.speech import prepare
from ..analysis.timeline import timeline
from ..boilerplate import is_furniture
from ..dating import GIVEN
from ..errors import NoArticlesError
from ..records import Article, Brief, Copy, Implication, Source
from ..sentences import without_dateline
from ..textvec import cosine
from .grounding import ground, ground_entities
from .events import event_sections, major_event, story_events
from .scoring import Candidate, dates_named, score_candidates
from .sections import themed_sections

REPEAT_SIMILARITY = 0.55  # a candidate this close to a chosen sentence would repeat it
# Why a story gets no brief when none of its sentences has a word the scoring can weigh (the
# articles are in a script other than Latin, or hold nothing but stop words and symbols).
NO_SENTENCES = "no sentence to write from: none has a word the writer can weigh (it reads English text)"


def story_id_for(articles: list[Article]) -> str:
    digest = hashlib.sha256("\n".join(sorted(a.url for a in articles)).encode()).hexdigest()
    return "s" + digest[:10]


class ExtractiveWriter:
    name = "extractive"

    def __init__(self, max_words: int = 330, max_implications: int = 4, max_sections: int = 4) -> None:
        self.max_words = max_words
        self.max_implications = max_implications
        self.max_sections = max_sections

    # -- selection --------------------------------------------------------------------------------

    @staticmethod
    def _repeats(c: Candidate, chosen: list[Candidate]) -> float:
        return max((cosine(c.vector, s.vector) for s in chosen), default=0.0)

    def _pick(self, pool: list[Candidate], chosen: list[Candidate], budget: int) -> list[Candidate]:
        """MMR: the best-scoring candidate, discounted by its overlap with what is already chosen;
        overlaps are updated with each pick rather than recomputed."""
        picked: list[Candidate] = []
        used = 0
        remaining = sorted(pool, key=lambda c: -c.score)
        overlap: dict[int, float] = {}
        window = remaining[:60]
        for c in window:
            overlap[id(c)] = self._repeats(c, chosen)
        while remaining and used < budget:
            best, best_value = None, -1.0
            for c in window:
                if id(c) not in overlap:
                    overlap[id(c)] = self._repeats(c, chosen + picked)
                if overlap[id(c)] >= REPEAT_SIMILARITY:
                    continue
                value = c.score - 0.5 * overlap[id(c)] * c.score
                if value > best_value:
                    best, best_value = c, value
            if best is None:
                break
            remaining.remove(best)
            picked.append(best)
            used += best.words
            window = remaining[:60]
            for c in window:
                if id(c) in overlap:
                    overlap[id(c)] = max(overlap[id(c)], cosine(c.vector, best.vector))
        return picked

    def write(self, articles: list[Article], story_id: str | None = None) -> Brief:
        started = time.perf_counter()
        pool = score_candidates(originals_of(articles))
        scoring = time.perf_counter() - started
        brief = self.write_scored(articles, pool, story_id)
        brief.seconds["writing"] += scoring
        return brief

    def write_scored(self, articles: list[Article], pool: list[Candidate], story_id: str | None = None) -> Brief:
        """The brief from sentences already scored (the llm writer scores once for both writers)."""
        started = time.perf_counter()
        originals = originals_of(articles)
        if not pool:
            raise NoArticlesError(NO_SENTENCES)
        prepare([s for a in articles for s in a.sentences])  # the stored parse, or one batched parse
        speakers = story_speakers(articles)
        analysed = time.perf_counter() - started
        events = story_events(articles, originals, pool)
        newest = major_event(events) if events else None
        lead_pool = newest.candidates if newest and newest.candidates else pool
        lede = pick_lede(lead_pool)
        chosen = [lede]
        latest = max((a.published_at.date() for a in originals if a.published_at), default=None)
        forward = [c for c in pool if c.outlook > 0 and c is not lede and not overtaken(c, latest)]
        forward.sort(key=lambda c: -c.score * c.outlook)
        implications = self._pick_implications(forward, chosen)
        chosen += implications
        if events:
            sections = event_sections(events, pool, chosen, self.max_words - lede.words, self._pick)
        else:
            body = self._pick([c for c in pool if c not in chosen], chosen, self.max_words - lede.words)
            sections = themed_sections(body, pool, self.max_sections)
        headline_article = central_article(newest.originals if newest else originals, lead_pool)
        brief = Brief(
            story_id=story_id or story_id_for(articles),
            headline=clean_title(headline_article.title, headline_article.outlet),
            headline_source=headline_article.id,
            lede=lede.cited(),
            generated_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            writer=self.name,
            implications=[
                Implication(without_dateline(c.text), c.citations,
                            speakers.get(c.ref) or c.article.outlet, "sourced",
                            dates_named(without_dateline(c.text), c.article))
                for c in implications
            ],
            sections=sections,
            events=[e.record() for e in events or []],
        )
        t = time.perf_counter()
        claims = claims_in(originals)
        brief.figures = figures(claims)
        brief.disagreements = disagreements(claims)
        brief.timeline = timeline(originals)
        brief.quotes = quotes(originals, speakers=speakers)
        brief.statements = statements(originals, speakers=speakers)
        analysed += time.perf_counter() - t
        brief.sources = sources_of(articles)
        brief.evidence = evidence_for(brief, articles)
        brief = ground(brief)
        t = time.perf_counter()
        stored = {s.ref: s.names for a in articles for s in a.sentences if s.names is not None and s.ref in brief.evidence}
        brief.entities = ground_entities(entities(brief.evidence, {a.id: a.outlet for a in articles}, known=stored),
                                         brief.evidence)
        brief.recognised = {ref: names for ref, text in brief.evidence.items()
                            if ref not in stored and (names := names_in(text)) is not None}
        recognised = time.perf_counter() - t
        brief.seconds = {"analysis": analysed, "entities": recognised,
                         "writing": time.perf_counter() - started - analysed - recognised}
        return brief

    def _pick_implications(self, forward: list[Candidate], chosen: list[Candidate]) -> list[Candidate]:
        picked: list[Candidate] = []
        for c in forward:
            if len(picked) >= self.max_implications:
                break
            if self._repeats(c, chosen + picked) < REPEAT_SIMILARITY and c.words <= 45:
                picked.append(c)
        return picked


def overtaken(candidate: Candidate, latest: date | None) -> bool:
    """A forward-looking sentence whose expected time passed before the story's latest report: it
    names a day after its own report's ("rain is expected by Thursday"), and that day came before
    the latest report was published. What it foresaw has happened or not; either way it no longer
    says what the story may lead to."""
    published = candidate.article.published_at
    if latest is None or published is None:
        return False
    ahead = [day for named in dates_named(candidate.text, candidate.article)
             if (day := date.fromisoformat(named["date"])) > published.date()]
    return bool(ahead) and max(ahead) < latest


def originals_of(articles: list[Article]) -> list[Article]:
    """The articles that are not syndicated copies (all of them if every one is a copy)."""
    return [a for a in articles if a.duplicate_of is None] or articles


def pick_lede(pool: list[Candidate]) -> Candidate:
    """An opening sentence of a report that carries the story; among the strong ones (within
    85% of the best), the latest, since a developing story's lede should say where it stands."""
    leads = [c for c in pool if c.index <= 2] or pool
    best = max(c.score for c in leads)
    strong = [c for c in leads if c.score >= 0.85 * best]
    never = datetime.min.replace(tzinfo=timezone.utc)
    return max(strong, key=lambda c: (c.article.published_at or never, c.score))


def central_article(originals: list[Article], pool: list[Candidate]) -> Article:
    """The article whose title heads the brief: among those that carry much of the story
    (at least 3/4 of the most central one's weight), the latest, since stories develop. A title
    that is page furniture ("FILE - In this 2010 file photo, ...") heads nothing while another will do."""
    titled = [a for a in originals if not is_furniture(a.title)] or originals
    weight: Counter[str] = Counter()
    for c in pool:
        weight[c.article.id] += c.score
    top = max((weight[a.id] for a in titled), default=0.0)
    central = [a for a in titled if weight[a.id] >= 0.75 * top] or titled
    never = datetime.min.replace(tzinfo=timezone.utc)
    return max(central, key=lambda a: (a.published_at or never, weight[a.id]))


def clean_title(title: str, outlet: str) -> str:
    """A page title without the outlet's name tacked on ("... | Harbor Daily")."""
    for sep in (" | ", " - ", " — ", " – ", " :: "):
        head, _, tail = title.rpartition(sep)
        if head and (tail.strip().lower() == outlet.lower() or len(tail.split()) <= 3 and tail.istitle()):
            title = head
    return title.strip()


# -- sources and evidence --------------------------------------------------------------------------


def sources_of(articles: list[Article]) -> list[Source]:
    originals = [a for a in articles if a.duplicate_of is None]
    copies: dict[str, list[Copy]] = defaultdict(list)
    for a in articles:
        if a.duplicate_of:
            copies[a.duplicate_of].append(Copy(a.url, a.outlet))
    never = datetime.max.replace(tzinfo=timezone.utc)
    originals.sort(key=lambda a: (a.published_at or never, a.id))
    return [
        Source(
            id=a.id,
            url=a.url,
            outlet=a.outlet,
            title=a.title,
            published_at=a.published_at.isoformat() if a.published_at else None,
            copies=copies.get(a.id, []),
            note=a.note,
            date_source=a.date_source if a.published_at and a.date_source != GIVEN else None,
        )
        for a in originals
    ]


def evidence_for(brief: Brief, articles: list[Article]) -> dict[str, str]:
    sentences = {s.ref: s.text for a in articles for s in a.sentences}
    return {ref: sentences[ref] for ref in brief.all_citations() if ref in sentences}
