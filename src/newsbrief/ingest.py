"""Ingest: articles into the store, each grouped into an event and a story in the same transaction.

A crash loses at most the article in hand; ingesting the same inputs again changes nothing
(known URLs are skipped before extraction, repeated texts are recognised by their hash).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .dating import infer_published
from .dedupe import COPY_CONTAINMENT, canonical_url, containment, shingles
from .errors import InputError
from .executor import Executor, extract_all
from .fetch import Fetcher
from .records import Article, RawDocument
from .refine import Report, better_events, event_state
from .settings import Config
from .sources import Problem, SourceReader
from .store.sqlite import SQLiteStore, _iso
from .linking import Member, StoryLinker, unit
from .stories import STORY_LINKING, GroupingParams, StoryIndex, StoryState, TermStats, article_vector
from .weekdays import LEAD_CHARS, named_weekday, possible_weekdays

COPY_SHARED_SENTENCES = 0.6  # share of the shorter text's long sentences found verbatim in the other
CHECKPOINT_EVERY = 1000  # articles between saving the term statistics and dropping idle clusters from memory


@dataclass
class IngestSummary:
    items: int = 0
    new_articles: int = 0
    copies: int = 0
    already_stored: int = 0
    stories_created: set[int] = field(default_factory=set)
    stories_updated: set[int] = field(default_factory=set)
    events_created: set[int] = field(default_factory=set)
    events_updated: set[int] = field(default_factory=set)
    merges: int = 0
    splits: int = 0
    moved: int = 0  # reports moved to a sibling event they fit better (refine.py)
    problems: list[Problem] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> list[Problem]:
        return [p for p in self.problems if p.skipped]

    @property
    def changed_stories(self) -> set[int]:
        return self.stories_created | self.stories_updated

    def lines(self) -> list[str]:
        rate = self.items / self.seconds if self.seconds else 0.0
        out = [
            f"{self.items} items in {self.seconds:.1f} s ({rate:.1f}/s): {self.new_articles} new articles, "
            f"{self.copies} syndicated copies, {self.already_stored} already stored",
            f"stories: {len(self.stories_created)} created, {len(self.stories_updated - self.stories_created)} updated, "
            f"{self.merges} merged" + (f", {self.splits} split" if self.splits else "")
            + f"; events: {len(self.events_created)} created, {len(self.events_updated - self.events_created)} updated"
            + (f", {self.moved} reports moved" if self.moved else ""),
        ]
        if self.failed:
            out.append(f"{len(self.failed)} inputs failed:")
            out += [f"  {p.source}: {p.reason}" for p in self.failed]
        return out


class Grouper:
    """Keeps the event and story indexes and the term statistics in step with the store."""

    def __init__(self, store: SQLiteStore, params: GroupingParams | None = None,
                 story_params: GroupingParams | None = None) -> None:
        self.store = store
        self.params = params or GroupingParams()
        self.story_params = story_params or STORY_LINKING
        df, documents = store.load_term_stats()
        self.stats = TermStats(df, documents)
        self.index = StoryIndex(self.params)  # events
        self.stories = StoryIndex(self.story_params)  # story centroids: the shortlist of candidates
        self.linker = StoryLinker(self.story_params, self._members)  # the score: average link
        self.earliest: datetime | None = None  # the earliest dated article added since the last forget_idle
        self.horizons: tuple[datetime, datetime] | None = None  # events, stories last active before: dropped
        since = self._since("events", self.params)
        reports: Counter[int] = Counter()  # an event's size counts the reports in its representation, not copies
        days: dict[int, set[int]] = {}
        bounds: dict[int, str] = {}  # the latest day an event's undated reports mention
        for event_id, title, lead, published, not_before in store.event_report_leads(since, LEAD_CHARS):
            reports[event_id] += 1
            days.setdefault(event_id, set()).update(possible_weekdays(named_weekday(title, lead), _dt(published)))
            if not_before and not_before > bounds.get(event_id, ""):
                bounds[event_id] = not_before
        for row in store.active_events(since):
            self.index.put(StoryState(row["id"], json.loads(row["representation"]),
                                      reports.get(row["id"], row["article_count"]), _dt(row["first_seen"]),
                                      _dt(row["last_seen"]), days.get(row["id"], set()), _dt(bounds.get(row["id"]))))
        for row in store.active_stories(self._since("stories", self.story_params)):
            self.stories.put(StoryState(row["id"], json.loads(row["representation"]), row["event_count"],
                                        _dt(row["first_seen"]), _dt(row["last_seen"])))
        if store.meta("stories_formed") == "0":  # a database from before events: let its stories form
            summary = IngestSummary()
            self.settle_stories(list(self.stories.stories), summary)
            store.set_meta("stories_formed", "1")

    def _since(self, table: str, params: GroupingParams) -> str | None:
        newest = self.store.newest_seen(table)
        return _iso(datetime.fromisoformat(newest) - timedelta(days=params.window_days)) if newest else None

    def forget_idle(self) -> None:
        """Drop from memory the events and stories whose last report came more than their window
        before the earliest dated article added since the last call. In an archive ingested in time
        order they can take no more reports, and memory stays flat however long the archive; in any
        other order the earliest article keeps them. A report older still starts a new event, as it
        would in a grouper started later (which loads only the window)."""
        if self.earliest is not None:
            self.horizons = (self.earliest - timedelta(days=self.params.window_days),
                             self.earliest - timedelta(days=self.story_params.window_days))
            self.earliest = None
        if self.horizons is not None:
            self.index.forget_before(self.horizons[0])
            for story_id in self.stories.forget_before(self.horizons[1]):
                self.linker.forget(story_id)

    def _forget_if_idle(self, story_id: int) -> None:
        """After the batch's end has settled a story that was dropped, drop it again."""
        story = self.stories.stories.get(story_id)
        if self.horizons and story is not None and story.last is not None and story.last < self.horizons[1]:
            del self.stories.stories[story_id]
            self.linker.forget(story_id)

    def save_stats(self) -> None:
        added, documents = self.stats.take_unsaved()
        if documents:
            self.store.add_term_stats(added, documents)

    def find_copy(self, article: Article) -> int | None:
        """The stored article this one is a syndicated copy of, if any."""
        same = self.store.article_by_hash(article.content_hash)
        if same is not None:
            return same
        mine = sum(1 for s in article.sentences if len(s.text.split()) >= 8)
        for other, shared, total in self.store.articles_sharing_sentences(article.sentences):
            if shared < COPY_SHARED_SENTENCES * max(1, min(mine, total)):
                continue
            if containment(shingles(article.text), shingles(self.store.article_text(other))) >= COPY_CONTAINMENT:
                return other
        return None

    def add(self, article: Article, summary: IngestSummary, live: bool = False) -> int:
        """Store ``article`` and put it in an event and a story, in one transaction; returns the
        story id. An undated article is dated from the evidence it carries (``dating``), or stays
        undated and is grouped without a time discount; ``live``: it was just fetched from a
        followed feed."""
        copy_of = self.find_copy(article)
        infer_published(article, self.store.published_at(copy_of) if copy_of is not None else None, live)
        when = article.published_at
        vector = {} if copy_of else article_vector(article, self.stats, self.params)
        with self.store.transaction():
            article_id = self.store.add_article(article, copy_of, vector)
            if self.store.event_of(article_id) is not None:
                # already grouped: another writer stored this URL since `has_url` said no, and
                # `add_article` returned its id (the store writes nothing more in this transaction)
                summary.already_stored += 1
                story_id = self.store.story_of(article_id)
                assert story_id is not None
                return story_id
            if copy_of is not None:
                event_id = self.store.event_of(copy_of)
                assert event_id is not None
                event_id = self.store.resolve_event(event_id)
                story_id = self.store.join_event(event_id, article_id, _iso(when), None, None)
                summary.copies += 1
                summary.events_updated.add(event_id)
                summary.stories_updated.add(story_id)
                return story_id
            weekday = named_weekday(article.title, article.text)
            bound = article.not_before
            event, score = self.index.best(vector, when, weekday, bound)
            if event is not None and score >= self.params.join_threshold:
                self.index.join(event, vector, when, possible_weekdays(weekday, when), bound)
                story_id = self.store.join_event(event.id, article_id, _iso(when), score, event.total)
                summary.events_updated.add(event.id)
                summary.stories_updated.add(story_id)
            else:
                event_id = self.store.create_event(article_id, _iso(when), vector)
                self.index.put(StoryState(event_id, dict(vector), 1, when, when, possible_weekdays(weekday, when),
                                          bound))
                summary.events_created.add(event_id)
                story_id = self._place_event(event_id, vector, when, summary)
        self.stats.add(vector)
        summary.new_articles += 1
        if when is not None and (self.earliest is None or when < self.earliest):
            self.earliest = when
        return story_id

    def _members(self, story_id: int) -> list[Member]:
        return [Member(e, unit(vector), _dt(first), _dt(last))
                for e, vector, first, last in self.store.story_event_rows(story_id)]

    def _place_event(self, event_id: int, vector: dict[str, float], when: datetime | None,
                     summary: IngestSummary) -> int:
        """Link a new event to the story it continues, or start a story with it."""
        member = Member(event_id, vector, when, when)
        best: tuple[StoryState | None, float] = (None, 0.0)
        for story in self.stories.candidates(vector):
            value = self.linker.score(story.id, member)
            if value > best[1]:
                best = (story, value)
        story, score = best
        if story is not None and score >= self.story_params.join_threshold:
            self.stories.join(story, vector, when)
            self.store.link_event(story.id, event_id, score, story.total)
            self.linker.add(story.id, member)
            summary.stories_updated.add(story.id)
            return story.id
        story_id = self.store.create_story(event_id, vector)
        self.stories.put(StoryState(story_id, dict(vector), 1, when, when))
        self.linker.add(story_id, member)
        summary.stories_created.add(story_id)
        return story_id

    def merge_converged(self, story_ids: Iterable[int], summary: IngestSummary) -> None:
        """Merge each changed event into a converged neighbour (the larger one is kept), then let
        the changed stories settle: split off events that drifted away, merge converged stories."""
        for event_id in sorted(summary.events_created | summary.events_updated):
            event = self.index.stories.get(event_id)
            if event is None:
                continue
            other, score = self.index.merge_partner(event)
            if other is None:
                continue
            keep, gone = (event, other) if (event.size, -event.id) > (other.size, -other.id) else (other, event)
            stories = {self.store.story_of_event(keep.id), self.store.story_of_event(gone.id)}
            with self.store.transaction():
                self.index.merge(keep, gone)
                self.store.merge_events(keep.id, gone.id, score, keep.total)
            summary.events_updated.add(keep.id)
            summary.events_created.discard(gone.id)
            summary.events_updated.discard(gone.id)
            summary.stories_updated.update(stories)
            for story_id in stories:
                self.linker.forget(story_id)
        self.settle_stories(sorted(set(story_ids) | summary.changed_stories), summary)
        self.refine_events(sorted(summary.changed_stories), summary)
        self.forget_idle()

    def refine_events(self, story_ids: Iterable[int], summary: IngestSummary) -> None:
        """Move reports of the stories to the sibling events they fit best, where the batch changed
        one of the two (refine.py)."""
        changed = {self.store.resolve_event(e) for e in summary.events_created | summary.events_updated}
        for story_id in dict.fromkeys(self.store.resolve_story(s) for s in story_ids):
            story = self.stories.stories.get(story_id)
            if story is not None and story.size < 2:
                continue  # one event: nowhere to move to
            rows = self.store.story_reports(story_id, LEAD_CHARS)
            reports = [Report(article_id, event_id, vector, _dt(published), _dt(bound))
                       for article_id, event_id, vector, published, bound, _, _ in rows]
            moves = better_events(reports, self.params, changed)
            if not moves:
                continue
            involved = {e for move in moves for e in (move.origin, move.event_id)}
            members = {e: [r for r in reports if r.event_id == e] for e in involved}
            leads = {row[0]: (row[5], row[6]) for row in rows}
            for report in (r for group in members.values() for r in group):  # the weekdays the index keeps
                report.days = possible_weekdays(named_weekday(*leads[report.article_id]), report.when)
            states = {e: event_state(e, members[e], self.params.story_terms) for e in involved}
            with self.store.transaction():
                spans = self.store.move_reports([(m.report.article_id, m.event_id, m.score) for m in moves],
                                                {e: state.total for e, state in states.items()})
            for event_id, state in states.items():
                state.first, state.last = (_dt(t) for t in spans[event_id])
                self.index.put(state)
                summary.events_updated.add(event_id)
            summary.moved += len(moves)
            summary.stories_updated.add(story_id)
            self._refresh_story(story_id)

    def settle_stories(self, story_ids: Iterable[int], summary: IngestSummary) -> None:
        for story_id in story_ids:
            story_id = self.store.resolve_story(story_id)
            self._settle(story_id, summary)
            self._forget_if_idle(self.store.resolve_story(story_id))

    def _settle(self, story_id: int, summary: IngestSummary) -> None:
        """Split off the story's drifted events, then merge it into a converged story."""
        if self._refresh_story(story_id):
            self._split_drifted(story_id, summary)
            story = self.stories.stories.get(story_id)
            if story is None:
                return
            best: tuple[StoryState | None, float] = (None, 0.0)
            for other in self.stories.candidates(unit(story.total), exclude=story_id):
                value = self.linker.between(story_id, other.id)
                if value >= self.story_params.merge_threshold and value > best[1]:
                    best = (other, value)
            other, score = best
            if other is None:
                return
            keep, gone = (story, other) if (story.size, -story.id) > (other.size, -other.id) else (other, story)
            with self.store.transaction():
                self.stories.merge(keep, gone)
                self.store.merge_stories(keep.id, gone.id, score, keep.total)
            self.linker.forget(gone.id)
            self._refresh_story(keep.id)
            summary.merges += 1
            summary.stories_updated.add(keep.id)
            summary.stories_created.discard(gone.id)
            summary.stories_updated.discard(gone.id)

    def _refresh_story(self, story_id: int) -> bool:
        """Rebuild the story's centroid and members from its events as they are now (they grow
        after they are linked); False if it has no events left."""
        self.linker.forget(story_id)
        members = self.linker.of(story_id)
        if not members:
            self.stories.stories.pop(story_id, None)
            return False
        total: dict[str, float] = {}
        for member in members:
            for term, weight in member.unit.items():
                total[term] = total.get(term, 0.0) + weight
        first, last = self.store.story_span(story_id)
        keep = self.story_params.story_terms
        self.stories.put(StoryState(story_id, dict(sorted(total.items(), key=lambda kv: (-kv[1], kv[0]))[:keep]),
                                    len(members), _dt(first), _dt(last)))
        return True

    def _split_drifted(self, story_id: int, summary: IngestSummary) -> None:
        """Events that no longer hold to the rest of their story leave it for a story of their own."""
        drifted = self.linker.drifted(story_id)
        for event_id, score in drifted:
            member = next(m for m in self.linker.of(story_id) if m.event_id == event_id)
            with self.store.transaction():
                new_story = self.store.split_event(event_id, score, member.unit)
            self._refresh_story(new_story)
            summary.splits += 1
            summary.stories_created.add(new_story)
            summary.stories_updated.add(story_id)
        if drifted:
            self._refresh_story(story_id)


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


Progress = Callable[[IngestSummary], None]


def ingest_articles(articles: Iterable[Article], store: SQLiteStore, summary: IngestSummary | None = None,
                    grouper: Grouper | None = None, on_progress: Progress | None = None,
                    live: bool = False) -> IngestSummary:
    """Store and group already-extracted articles (skipping URLs the store has). ``live``: they were
    just fetched from followed feeds, so an undated one may take its fetch time as its date."""
    summary = summary or IngestSummary()
    grouper = grouper or Grouper(store)
    started = time.perf_counter()
    for article in articles:
        summary.items += 1
        article.url = canonical_url(article.url)
        if store.has_url(article.url):
            summary.already_stored += 1
        else:
            grouper.add(article, summary, live)
        if summary.items % CHECKPOINT_EVERY == 0:
            grouper.save_stats()
            grouper.forget_idle()
        if on_progress:
            summary.seconds = time.perf_counter() - started
            on_progress(summary)
    grouper.merge_converged(summary.changed_stories, summary)
    grouper.save_stats()
    summary.seconds = time.perf_counter() - started
    return summary


def ingest(inputs: Iterable[str], store: SQLiteStore, config: Config | None = None,
           on_problem: Callable[[Problem], None] | None = None, on_progress: Progress | None = None,
           pool: Executor | None = None) -> IngestSummary:
    """Read every input and ingest what it yields, one committed article at a time."""
    config = config or Config.load()
    summary = IngestSummary()
    report = reporter(summary, on_problem)
    with Fetcher(config) as fetcher:
        reader = SourceReader(fetcher, report, known=lambda url: store.has_url(canonical_url(url)))
        return ingest_documents(reader.read(inputs), store, config, summary, report, on_progress=on_progress,
                                pool=pool)


def reporter(summary: IngestSummary, on_problem: Callable[[Problem], None] | None) -> Callable[[Problem], None]:
    def report(problem: Problem) -> None:
        summary.problems.append(problem)
        if on_problem:
            on_problem(problem)
    return report


def ingest_documents(documents: Iterable[RawDocument], store: SQLiteStore, config: Config,
                     summary: IngestSummary, report: Callable[[Problem], None],
                     grouper: Grouper | None = None, on_progress: Progress | None = None,
                     stop: Callable[[], bool] | None = None, pool: Executor | None = None,
                     live: bool = False) -> IngestSummary:
    """Extract and ingest raw documents, skipping known URLs before the cost of extraction.
    ``stop()`` is asked between articles: when it says so, the article in hand is finished and
    the rest are left for next time."""

    def new_documents() -> Iterable[RawDocument]:
        for raw in documents:
            if stop and stop():
                return
            if store.has_url(canonical_url(raw.url)):
                summary.items += 1
                summary.already_stored += 1
                continue
            yield raw

    def articles() -> Iterable[Article]:
        for outcome in extract_all(new_documents(), config.workers, pool):
            if isinstance(outcome, InputError):
                report(Problem(outcome.source, outcome.reason))
            else:
                yield outcome
            if stop and stop():
                return

    return ingest_articles(articles(), store, summary, grouper=grouper, on_progress=on_progress, live=live)
