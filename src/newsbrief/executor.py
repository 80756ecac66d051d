"""Running extraction on every core: trafilatura and sentence splitting are CPU-bound, so raw
documents are extracted in batches by a process pool (in-process for small inputs, where starting
workers would cost more than it saves). Results come back in input order."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from itertools import islice

from .errors import InputError
from .extract import extract
from .records import Article, RawDocument

BATCH = 32
MIN_FOR_POOL = 16  # fewer documents than this are extracted in-process

Outcome = Article | InputError


def _extract_one(raw: RawDocument) -> tuple[Article | None, str, str]:
    try:
        return extract(raw), "", ""
    except InputError as exc:  # exceptions with custom arguments do not pickle; send the parts
        return None, exc.source, exc.reason


def _rebuild(result: tuple[Article | None, str, str]) -> Outcome:
    article, source, reason = result
    return article if article is not None else InputError(source, reason)


def extract_all(raws: Iterable[RawDocument], workers: int) -> Iterator[Outcome]:
    """Each raw document's Article, or the InputError that says why it has none."""
    iterator = iter(raws)
    pool: ProcessPoolExecutor | None = None
    try:
        while batch := list(islice(iterator, BATCH)):
            if pool is None and workers > 1 and len(batch) >= MIN_FOR_POOL:
                pool = ProcessPoolExecutor(max_workers=workers)
            if pool is None:
                results = map(_extract_one, batch)
            else:
                results = pool.map(_extract_one, batch, chunksize=4)
            yield from map(_rebuild, results)
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
