"""The one-shot job: inputs -> articles -> stories -> one brief per story. Each step is a plain
function of records; grouping runs in an in-memory store with the same code as `ingest`."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import partial

from .alerts import Watchlists
from .changes import describe_changes
from .dedupe import collapse_duplicates
from .errors import InputError, NewsbriefError, NoArticlesError
from .executor import Executor, WorkerPool, extract_all, map_in_pool
from .fetch import Fetcher
from .ingest import ingest_articles
from .records import Article, Brief
from .settings import Config
from .sources import OnProblem, Problem, SourceReader, unexpected
from .store.base import Store
from .store.sqlite import SQLiteStore
from .writers.extractive import ExtractiveWriter
from .writers.llm import LLMWriter, make_writer

Writer = ExtractiveWriter | LLMWriter


@dataclass
class ReadResult:
    articles: list[Article]
    problems: list[Problem] = field(default_factory=list)


def read_articles(
    inputs: Iterable[str],
    config: Config | None = None,
    on_problem: OnProblem | None = None,
    fetcher: Fetcher | None = None,
    pool: Executor | None = None,
) -> ReadResult:
    """Read, fetch and extract every input, oldest publication first (so that the first of
    several syndicated copies is the original)."""
    config = config or Config.load()
    problems: list[Problem] = []

    def report(problem: Problem) -> None:
        problems.append(problem)
        if on_problem:
            on_problem(problem)

    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(config)
    articles: list[Article] = []
    try:
        for outcome in extract_all(SourceReader(fetcher, report).read(inputs), config.workers, pool):
            if isinstance(outcome, InputError):
                report(Problem(outcome.source, outcome.reason))
            else:
                outcome.id = f"a{len(articles) + 1}"
                for sentence in outcome.sentences:
                    sentence.article_id = outcome.id
                articles.append(outcome)
    finally:
        if own_fetcher:
            fetcher.close()
    never = datetime.max.replace(tzinfo=timezone.utc)
    articles.sort(key=lambda a: a.published_at or never)
    return ReadResult(articles, problems)


def write_brief(articles: list[Article], writer: Writer | None = None) -> Brief:
    """One brief from articles known to be about one story (syndicated copies are found here)."""
    if not articles:
        raise NoArticlesError("no usable articles: every input failed or was empty (see the messages above)")
    return (writer or ExtractiveWriter()).write(collapse_duplicates(articles))


def story_briefs(store: Store, writer: Writer, story_ids: Iterable[int] | None = None,
                 workers: int = 1, pool: Executor | None = None, on_problem: OnProblem | None = None) -> list[Brief]:
    """A brief for each story (all, or those given), largest story first."""
    wanted = set(story_ids) if story_ids is not None else None
    return list(write_briefs(store, [row.id for row in store.stories() if wanted is None or row.id in wanted],
                             writer, workers, pool, on_problem))


def write_briefs(store: Store, story_ids: Iterable[int], writer: Writer, workers: int = 1,
                 pool: Executor | None = None, on_problem: OnProblem | None = None) -> Iterator[Brief]:
    """A brief for each story, in the order given. The extractive writer runs on ``workers``
    processes (``pool``'s, when given: its workers have spaCy loaded already); a model endpoint
    is asked one brief at a time. A story whose brief cannot be written is reported to
    ``on_problem`` (logged without one), naming the story and its inputs, and the rest are written."""
    jobs = ((story_id, articles) for story_id in story_ids if (articles := store.story_articles(story_id)))
    if isinstance(writer, ExtractiveWriter) and workers > 1:
        outcomes = map_in_pool(partial(_write_job, writer), jobs, workers, pool, min_for_pool=MIN_BRIEFS_FOR_POOL,
                               chunksize=1)
    else:
        outcomes = map(partial(_write_job, writer), jobs)
    for outcome in outcomes:
        if isinstance(outcome, Problem):
            (on_problem or _log_problem)(outcome)
        else:
            yield outcome


def refresh_briefs(store: Store, story_ids: Iterable[int], writer: Writer | None = None,
                   workers: int = 1, pool: Executor | None = None,
                   on_problem: OnProblem | None = None, config: Config | None = None) -> list[Brief]:
    """Write and store a new brief version for each story given (e.g. those an ingest changed);
    a story whose brief cannot be written keeps its last one and is reported to ``on_problem``.
    Watchlist alerts are queued with each version, to ``config``'s webhooks and with its base URL
    in their links (``Config.load()`` when None)."""
    stored = []
    ids = sorted(set(story_ids))
    # each story's change count, read before its reports: a change made meanwhile stays due, and a
    # brief another writer stored of the same changes is not stored twice
    basis = {story_id: store.brief_basis(story_id) for story_id in ids}
    watchlists = Watchlists(store, config)
    for brief in write_briefs(store, ids, writer or ExtractiveWriter(), workers, pool, on_problem):
        brief.changes = describe_changes(store.latest_brief(int(brief.story_id)), brief)
        if brief.recognised:
            store.save_names(brief.recognised)  # the next brief of the story reads them from here
        with store.transaction():  # a stored version has its watchlist alerts queued with it
            if store.add_brief(brief, basis[int(brief.story_id)]) is not None:
                stored.append(brief)
                watchlists.queue(brief)
    store.briefs_tried({story_id: changes for story_id, (changes, _) in basis.items()})  # those that failed were reported; they are due again when they change
    return stored


MIN_BRIEFS_FOR_POOL = 4  # fewer stories than this are written in-process


def _write_job(writer: Writer, job: tuple[int, list[Article]]) -> Brief | Problem:
    """The story's brief, or the Problem that stopped it (returned, not raised: it comes back from
    a worker process, and the other stories' briefs must still be written)."""
    story_id, articles = job
    try:
        return writer.write(articles, story_id=str(story_id))
    except NewsbriefError as exc:
        return Problem(story_source(story_id, articles), str(exc))
    except Exception as exc:  # noqa: BLE001 (one story's failure, reported with its type)
        return Problem(story_source(story_id, articles), unexpected(exc))


def story_source(story_id: int, articles: list[Article], shown: int = 3) -> str:
    """A story named for messages: its id and the inputs its articles came from."""
    origins = list(dict.fromkeys(a.origin or a.url for a in articles))
    more = f" and {len(origins) - shown} more" if len(origins) > shown else ""
    return f"story {story_id} ({', '.join(origins[:shown])}{more})"


def _log_problem(problem: Problem) -> None:
    logging.getLogger("newsbrief").warning("%s", problem)


def show_brief(store: Store, story_id: int, writer: Writer | None = None) -> Brief:
    """The latest stored brief of a story (following merges), or a fresh one if none is stored
    or a ``writer`` is given (a fresh brief is not stored)."""
    story_id = store.resolve_story(story_id)
    brief = None if writer else store.latest_brief(story_id)
    if brief is None:
        articles = store.story_articles(story_id)
        if not articles:
            raise NoArticlesError(f"story {story_id} has no articles")
        brief = (writer or ExtractiveWriter()).write(articles, story_id=str(story_id))
    return brief


def briefs_from_inputs(
    inputs: Iterable[str],
    config: Config | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> tuple[list[Brief], list[Problem]]:
    """Read the inputs, group them into stories, and write one brief per story, largest first."""
    config = config or Config.load()
    pool = WorkerPool(config.workers)  # extraction, then brief writing, on the same workers
    try:
        result = read_articles(inputs, config, on_problem, pool=pool)
        if not result.articles:
            raise NoArticlesError("no usable articles: every input failed or was empty (see the messages above)")

        def report(problem: Problem) -> None:
            result.problems.append(problem)
            if on_problem:
                on_problem(problem)

        with SQLiteStore(":memory:") as store:
            ingest_articles(result.articles, store)
            briefs = story_briefs(store, make_writer(config), workers=config.workers, pool=pool, on_problem=report)
    finally:
        pool.close()
    if not briefs:
        raise NoArticlesError("no brief could be written from the inputs (see the messages above)")
    return briefs, result.problems


def brief_from_inputs(
    inputs: Iterable[str],
    config: Config | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> tuple[Brief, list[Problem]]:
    """The brief of the largest story in the inputs."""
    briefs, problems = briefs_from_inputs(inputs, config, on_problem)
    return briefs[0], problems
