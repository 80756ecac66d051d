"""Ingest: articles into the store, each grouped into a story in the same transaction.

A crash loses at most the article in hand; ingesting the same inputs again changes nothing
(known URLs are skipped before extraction, repeated texts are recognised by their hash).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from .dating import infer_published
from .dedupe import COPY_CONTAINMENT, canonical_url, containment, shingles
from .errors import InputError
from .executor import WorkerPool, extract_all
from .fetch import Fetcher
from .records import Article, RawDocument
from .settings import Config
from .sources import Problem, SourceReader
from .store.sqlite import SQLiteStore, _iso
from .stories import GroupingParams, StoryIndex, StoryState, TermStats, article_vector

COPY_SHARED_SENTENCES = 0.6  # share of the shorter text's long sentences found verbatim in the other


@dataclass
class IngestSummary:
    items: int = 0
    new_articles: int = 0
    copies: int = 0
    already_stored: int = 0
    stories_created: set[int] = field(default_factory=set)
    stories_updated: set[int] = field(default_factory=set)
    merges: int = 0
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
            f"{self.merges} merged",
        ]
        if self.failed:
            out.append(f"{len(self.failed)} inputs failed:")
            out += [f"  {p.source}: {p.reason}" for p in self.failed]
        return out


class Grouper:
    """Keeps the story index and term statistics in step with the store."""

    def __init__(self, store: SQLiteStore, params: GroupingParams | None = None) -> None:
        self.store = store
        self.params = params or GroupingParams()
        df, documents = store.load_term_stats()
        self.stats = TermStats(df, documents)
        self.index = StoryIndex(self.params)
        newest = store.db.execute("SELECT MAX(last_seen) FROM stories").fetchone()[0]
        since = _iso(datetime.fromisoformat(newest) - timedelta(days=self.params.window_days)) if newest else None
        for row in store.active_stories(since):
            state = StoryState(row["id"], json.loads(row["representation"]), row["article_count"],
                               _dt(row["first_seen"]), _dt(row["last_seen"]))
            self.index.put(state)

    def save_stats(self) -> None:
        if self.stats.changed:
            self.store.save_term_stats(self.stats.changed, self.stats.documents)
            self.stats.changed = {}

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
        """Store ``article`` and put it in a story, in one transaction; returns the story id.
        An undated article is dated from the evidence it carries (``dating``), or stays undated and
        is grouped without a time discount; ``live``: it was just fetched from a followed feed."""
        copy_of = self.find_copy(article)
        infer_published(article, self.store.published_at(copy_of) if copy_of is not None else None, live)
        when = article.published_at
        vector = {} if copy_of else article_vector(article, self.stats, self.params)
        with self.store.transaction():
            article_id = self.store.add_article(article, copy_of, vector)
            if copy_of is not None:
                story_id = self.store.story_of(copy_of)
                assert story_id is not None
                story_id = self.store.resolve_story(story_id)
                self.store.join_story(story_id, article_id, _iso(when), None, None)
                summary.copies += 1
                summary.stories_updated.add(story_id)
                return story_id
            story, score = self.index.best(vector, when)
            if story is not None and score >= self.params.join_threshold:
                self.index.join(story, vector, when)
                self.store.join_story(story.id, article_id, _iso(when), score, story.total)
                summary.stories_updated.add(story.id)
            else:
                story_id = self.store.create_story(article_id, _iso(when), vector)
                story = StoryState(story_id, dict(vector), 1, when, when)
                self.index.put(story)
                summary.stories_created.add(story_id)
        self.stats.add(vector)
        summary.new_articles += 1
        return story.id

    def merge_converged(self, story_ids: Iterable[int], summary: IngestSummary) -> None:
        """Merge each given story into a converged neighbour (the larger one is kept)."""
        for story_id in sorted(story_ids):
            story = self.index.stories.get(story_id)
            if story is None:
                continue
            other, score = self.index.merge_partner(story)
            if other is None:
                continue
            keep, gone = (story, other) if (story.size, -story.id) > (other.size, -other.id) else (other, story)
            with self.store.transaction():
                self.index.merge(keep, gone)
                self.store.merge_stories(keep.id, gone.id, score, keep.total)
            summary.merges += 1
            summary.stories_updated.add(keep.id)
            summary.stories_created.discard(gone.id)
            summary.stories_updated.discard(gone.id)


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
        if summary.items % 1000 == 0:
            grouper.save_stats()
        if on_progress:
            summary.seconds = time.perf_counter() - started
            on_progress(summary)
    grouper.merge_converged(summary.changed_stories, summary)
    grouper.save_stats()
    summary.seconds = time.perf_counter() - started
    return summary


def ingest(inputs: Iterable[str], store: SQLiteStore, config: Config | None = None,
           on_problem: Callable[[Problem], None] | None = None, on_progress: Progress | None = None,
           pool: WorkerPool | None = None) -> IngestSummary:
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
                     stop: Callable[[], bool] | None = None, pool: WorkerPool | None = None,
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
