"""The one-shot job: inputs -> articles -> brief. Each step is a plain function of records."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from .dedupe import collapse_duplicates
from .errors import InputError, NoArticlesError
from .extract import extract
from .fetch import Fetcher
from .records import Article, Brief
from .settings import Config
from .sources import OnProblem, Problem, SourceReader
from .writers.extractive import ExtractiveWriter


@dataclass
class ReadResult:
    articles: list[Article]
    problems: list[Problem] = field(default_factory=list)


def read_articles(
    inputs: Iterable[str],
    config: Config | None = None,
    on_problem: OnProblem | None = None,
    fetcher: Fetcher | None = None,
) -> ReadResult:
    """Read, fetch and extract every input; syndicated copies are marked, repeats dropped."""
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
        for raw in SourceReader(fetcher, report).read(inputs):
            try:
                articles.append(extract(raw, article_id=f"a{len(articles) + 1}"))
            except InputError as exc:
                report(Problem(exc.source, exc.reason))
    finally:
        if own_fetcher:
            fetcher.close()
    return ReadResult(collapse_duplicates(articles), problems)


def write_brief(articles: list[Article], writer: ExtractiveWriter | None = None) -> Brief:
    if not articles:
        raise NoArticlesError("no usable articles: every input failed or was empty (see the messages above)")
    return (writer or ExtractiveWriter()).write(articles)


def brief_from_inputs(
    inputs: Iterable[str],
    config: Config | None = None,
    on_problem: Callable[[Problem], None] | None = None,
) -> tuple[Brief, list[Problem]]:
    config = config or Config.load()
    result = read_articles(inputs, config, on_problem)
    return write_brief(result.articles, ExtractiveWriter(max_words=config.max_words)), result.problems
