"""Running CPU-bound work on every core: extraction (trafilatura, sentence splitting, the parse)
and brief writing run in batches on a process pool (in-process for small inputs, where starting
workers would cost more than it saves), or on a Dask cluster (``dask_executor.DaskExecutor``).
Results come back in input order."""

from __future__ import annotations

import ctypes
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from typing import Protocol, TypeVar

from .analysis.speech import annotate
from .errors import InputError
from .extract import extract
from .records import Article, RawDocument

PR_SET_PDEATHSIG = 1  # linux/prctl.h
BATCH = 32  # items handed to the pool at a time (inputs are read, and fetched, only that far ahead)
MIN_FOR_POOL = 16  # fewer documents than this are extracted in-process
PARSE_TOGETHER = 8  # documents one worker task extracts, their sentences parsed in one batch

Outcome = Article | InputError
Item = TypeVar("Item")
Result = TypeVar("Result")


def extract_group(raws: list[RawDocument]) -> list[tuple[Article | None, str, str]]:
    """Extract a few documents, then parse their sentences in one batch (spaCy is ~17% faster on
    one batch of a hundred sentences than on ten batches of ten)."""
    results: list[tuple[Article | None, str, str]] = []
    for raw in raws:
        try:
            results.append((extract(raw, parse=False), "", ""))
        except InputError as exc:  # exceptions with custom arguments do not pickle; send the parts
            results.append((None, exc.source, exc.reason))
    articles = [article for article, _, _ in results if article is not None]
    seconds = annotate([s for article in articles for s in article.sentences])
    sentences = sum(len(article.sentences) for article in articles) or 1
    for article in articles:
        article.parse_seconds = seconds * len(article.sentences) / sentences
    return results


def rebuild(result: tuple[Article | None, str, str]) -> Outcome:
    article, source, reason = result
    return article if article is not None else InputError(source, reason)


def _worker_init() -> None:
    # Ctrl-C reaches the whole process group; the parent decides when to stop, not the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A forked worker inherits the parent's handlers: `watch`'s SIGTERM handler would turn the
    # death signal below into "stop after the article in hand", and the orphan would live on,
    # holding the parent's lock file open. A worker ends on SIGTERM.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # If the parent is killed outright (SIGKILL, OOM), forked workers would wait for work forever:
    # on Linux, ask the kernel to end them with their parent.
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


class Executor(Protocol):
    """Where CPU-bound work runs; pipeline code sees this, never a backend. Two implementations:
    ``WorkerPool`` (processes on this machine) and ``dask_executor.DaskExecutor`` (a Dask cluster)."""

    workers: int  # how many items it works on at once: more than one means worth sending work to

    def map(self, function: Callable[[Item], Result], items: Iterable[Item], min_for_pool: int = MIN_FOR_POOL,
            chunksize: int = 4, batch_size: int = BATCH) -> Iterator[Result]:
        """``function`` of each item, in order, reading ``items`` only a bounded way ahead.
        ``min_for_pool``, ``chunksize`` and ``batch_size`` are hints a backend may ignore."""
        ...

    def close(self) -> None: ...


class WorkerPool:
    """A process pool started on first need and kept until closed, so that a long-running caller
    (the watcher, one extraction per feed) does not pay for starting workers each time, and brief
    writing after an ingest reuses the workers that already loaded spaCy."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def get(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, initializer=_worker_init)
        return self._pool

    def map(self, function: Callable[[Item], Result], items: Iterable[Item], min_for_pool: int = MIN_FOR_POOL,
            chunksize: int = 4, batch_size: int = BATCH) -> Iterator[Result]:
        """Batches of ``batch_size`` items on the workers when a batch is large enough (the next
        batch is read, e.g. fetched, while the workers are busy with this one), else in-process."""
        iterator = iter(items)
        batch = list(islice(iterator, batch_size))
        while batch:
            if self.workers > 1 and len(batch) >= min_for_pool:
                results = self.get().map(function, batch, chunksize=chunksize)  # submitted at once
                batch = list(islice(iterator, batch_size))
                yield from results
            else:
                yield from map(function, batch)
                batch = list(islice(iterator, batch_size))

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def map_in_pool(function: Callable[[Item], Result], items: Iterable[Item], workers: int,
                pool: Executor | None = None, min_for_pool: int = MIN_FOR_POOL, chunksize: int = 4,
                batch_size: int = BATCH) -> Iterator[Result]:
    """``function`` of each item, in order, on ``pool`` (used and left open), or on a WorkerPool
    of ``workers`` processes started if needed and closed at the end."""
    owned = pool is None
    executor = pool or WorkerPool(workers)
    try:
        yield from executor.map(function, items, min_for_pool, chunksize, batch_size)
    finally:
        if owned:
            executor.close()


def extract_all(raws: Iterable[RawDocument], workers: int, pool: Executor | None = None) -> Iterator[Outcome]:
    """Each raw document's Article, or the InputError that says why it has none."""
    iterator = iter(raws)
    groups = iter(lambda: list(islice(iterator, PARSE_TOGETHER)), [])
    for results in map_in_pool(extract_group, groups, workers, pool, MIN_FOR_POOL // PARSE_TOGETHER, chunksize=1,
                               batch_size=2 * BATCH // PARSE_TOGETHER):
        yield from map(rebuild, results)
