"""Ingest with reading on the executor's workers: the backfill of a large archive.

The client lists the work — the files of folders, the URLs given, the lines of JSONL dumps — and
skips whatever the store already has before anything is sent out (so an interrupted backfill run
again resumes where it stopped). Workers read each file or fetch each URL, extract the report and
parse its sentences, a few reports per task. Results come back in input order and are grouped at
the client one committed article at a time (``ingest_articles``), exactly as a plain ``ingest``
groups them: the same inputs give the same articles, stories and briefs on any executor.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, partial
from itertools import groupby, islice
from pathlib import Path
from typing import NamedTuple

from .dedupe import canonical_url
from .executor import PARSE_TOGETHER, Executor, extract_group, rebuild
from .errors import InputError
from .fetch import Fetcher
from .ingest import Grouper, IngestSummary, Progress, ingest_articles, reporter
from .records import Article, RawDocument
from .settings import Config
from .sources import Problem, SourceReader, is_url, unexpected, valid_http_url
from .store.base import Store

JSONL_SUFFIXES = {".jsonl", ".ndjson"}  # read at the client: one file holds many reports


class FileUnit(NamedTuple):
    """A file a worker reads: ``given`` is how the input named it (kept for messages and origins),
    ``path`` the absolute path a worker opens (its working directory may be elsewhere)."""

    given: str
    path: str


Unit = str | FileUnit | RawDocument  # an article URL, a file, or a document the client read itself
Extracted = tuple[list[Problem], list[tuple[Article | None, str, str]]]


def backfill(inputs: Iterable[str], store: Store, executor: Executor, config: Config | None = None,
             on_problem: Callable[[Problem], None] | None = None, on_progress: Progress | None = None,
             grouper: Grouper | None = None) -> IngestSummary:
    """Read, extract and parse the inputs on ``executor``'s workers; store and group the results
    here, in input order. Brief writing is left to the caller (``pipeline.refresh_briefs`` with the
    same executor)."""
    config = config or Config.load()
    summary = IngestSummary()
    report = reporter(summary, on_problem)
    task = partial(read_and_extract, config=config)

    def articles() -> Iterator[Article]:
        with Fetcher(config) as fetcher:
            units = plan(inputs, store, SourceReader(fetcher, report), summary)
            groups = iter(lambda: list(islice(units, PARSE_TOGETHER)), [])
            for problems, results in executor.map(task, groups):
                for problem in problems:
                    report(problem)
                for outcome in map(rebuild, results):
                    if isinstance(outcome, InputError):
                        report(Problem(outcome.source, outcome.reason))
                    else:
                        yield outcome

    return ingest_articles(articles(), store, summary, grouper=grouper, on_progress=on_progress)


def plan(inputs: Iterable[str], store: Store, reader: SourceReader, summary: IngestSummary) -> Iterator[Unit]:
    """The units of work, in the order a plain ingest reads them, without those already stored.
    ``reader`` reads here what is not worth sending out: JSONL files, and inputs that are neither
    files, folders nor URLs (it reports them)."""

    def stored(url: str) -> bool:
        if store.has_url(canonical_url(url)):
            summary.items += 1
            summary.already_stored += 1
            return True
        return False

    def documents(item: str) -> Iterator[RawDocument]:
        return (raw for raw in reader.read([item]) if not stored(raw.url))

    def file(item: str) -> Iterator[Unit]:
        path = Path(item)
        if path.suffix.lower() in JSONL_SUFFIXES:
            yield from documents(item)
        elif not stored(path.resolve().as_uri()):
            yield FileUnit(item, str(path.resolve()))

    for item in inputs:
        if is_url(item):
            if not (valid_http_url(item) and stored(item)):
                yield item  # an invalid one is reported by the worker's reader, as a plain ingest does
        elif (files := folder_files(Path(item))) is not None:
            for child in files:
                yield from file(str(child))
        elif Path(item).is_file():
            yield from file(item)
        else:
            yield from documents(item)  # reported: no such file


def folder_files(path: Path) -> list[Path] | None:
    """The files of a folder as ``SourceReader`` reads them (sorted, hidden ones left out); None if
    ``path`` is not a folder that holds any."""
    if not path.is_dir():
        return None
    files = [child for child in sorted(path.rglob("*"))
             if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts)]
    return files or None


def read_and_extract(units: list[Unit], config: Config) -> Extracted:
    """A task: read the units (files, URLs fetched together), extract each report and parse their
    sentences in one batch. Problems are returned, not raised: one bad report must not fail the
    task (the scheduler would send it out again) and the others must still be extracted."""
    problems: list[Problem] = []
    reader = SourceReader(_fetcher(config), problems.append)
    raws: list[RawDocument] = []
    for kind, run in groupby(units, key=type):
        if kind is RawDocument:
            raws += run  # type: ignore[arg-type]
        elif kind is FileUnit:
            for unit in run:
                seen = len(problems)
                for raw in reader.read([unit.path]):  # type: ignore[union-attr]
                    raw.origin = _as_given(raw.origin, unit)  # type: ignore[arg-type]
                    raws.append(raw)
                for problem in problems[seen:]:
                    problem.source = _as_given(problem.source, unit)  # type: ignore[arg-type]
        else:
            raws += reader.read(run)  # type: ignore[arg-type]
    return problems, _extract_each(raws)


def _extract_each(raws: list[RawDocument]) -> list[tuple[Article | None, str, str]]:
    """``extract_group``; if it fails on something it does not expect, each report on its own,
    so that only the report that fails is reported and skipped."""
    try:
        return extract_group(raws)
    except Exception:  # noqa: BLE001 (found again, and reported, below)
        results = []
        for raw in raws:
            try:
                results += extract_group([raw])
            except Exception as exc:  # noqa: BLE001 (this report's problem, with its type)
                results.append((None, raw.origin, unexpected(exc)))
        return results


def _as_given(origin: str, unit: FileUnit) -> str:
    return unit.given + origin[len(unit.path):] if origin.startswith(unit.path) else origin


@lru_cache(maxsize=4)
def _fetcher(config: Config) -> Fetcher:
    """One fetcher per worker process and configuration (its connection pool serves every task)."""
    return Fetcher(config)
