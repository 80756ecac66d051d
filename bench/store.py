"""SQLite and PostgreSQL side by side: ingest speed, read latency, two writers, same grouping.

Storing and grouping articles (articles/s), `stories`, `show` and `search` latency (p50/p95) on the
larger database, two writer processes at once, and whether both backends group the same input the
same way (the same stories for the same input order):

(a) The Multi-News sample's 666 documents (617 articles after extraction; the store finds the
    copies among them).
(b) A synthetic stream (bench/grouping.py's ``synthetic_stream``) of --stream articles; `stories`
    (all of them, as the command lists them; --repeat / 5 calls), `show` (its store part: the
    story's articles and latest brief) and `search` (--repeat calls each) are timed on the database
    it leaves.
(c) The same stream into a fresh database by two writer processes at once, each ingesting every
    other article: with SQLite one waits for the other's file lock, with PostgreSQL for the
    database's writer lock (an advisory lock). Throughput is the whole stream over the wall time.

The articles are extracted once, in this process, and the same articles in the same order go to a
fresh SQLite file and a fresh PostgreSQL database: a server started in a temporary directory as
the tests start it (tests/postgres_server.py), or the one at --url (new databases are created
there). Extraction is the same code for both backends and is left out of the figures.

    python bench/store.py [--url postgresql://...] [--stream 100000] [--repeat 50]

On two shared cores a stream of 5,000 takes about 7 minutes for everything (both backends).
"""

from __future__ import annotations

import argparse
import copy
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from grouping import synthetic_stream
from multinews import clusters

from newsbrief.errors import InputError
from newsbrief.extract import content_hash, extract
from newsbrief.ingest import Grouper, ingest_articles
from newsbrief.records import Article, RawDocument
from newsbrief.store import Store, open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.postgres_server import running_server  # noqa: E402

QUERIES = ["election", "police shooting", "climate change", "president", "court ruling", "earthquake",
           "film", "\"white house\"", "company shares", "hospital"]
BACKENDS = ("SQLite", "PostgreSQL")


def load_articles() -> list[Article]:
    """Every document of the sample as an article (copies within a cluster too: the store finds them)."""
    articles = []
    for cluster in clusters():
        for n, text in enumerate(cluster.documents, start=1):
            raw = RawDocument(origin=f"cluster{cluster.number}/doc{n}", text=text, title=None, outlet=f"doc{n}",
                              url=f"https://doc{n}.multinews.invalid/{cluster.number}")
            try:
                articles.append(extract(raw, article_id=f"a{len(articles) + 1}"))
            except InputError:
                continue
    return articles


def stream(size: int) -> list[Article]:
    """The synthetic stream, with the content hashes extraction would give its articles."""
    articles = synthetic_stream(size)
    for article in articles:
        article.content_hash = content_hash(article.text)
        article.story_id = None  # the stream's own label, not the store's
    return articles


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """p50 and p95 of ``repeat`` calls, in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))]


def ingest_rate(location: str, articles: list[Article]) -> tuple[float, list[list[str]], int]:
    """Articles/s storing and grouping ``articles`` into a fresh database; its stories (as sorted
    URL lists) and how many problems ``check()`` finds."""
    with open_store(location) as store:
        started = time.perf_counter()
        ingest_articles(copy.deepcopy(articles), store)
        seconds = time.perf_counter() - started
        return len(articles) / seconds, sorted(sorted(s.urls) for s in store.stories()), len(store.check())


def latencies(store: Store, repeat: int) -> dict[str, tuple[float, float]]:
    ids = [s.id for s in store.stories()]
    turn = iter(range(10**9))

    def show() -> None:
        story = ids[next(turn) % len(ids)]
        store.latest_brief(story)
        store.story_articles(story)

    def search() -> None:
        store.search(QUERIES[next(turn) % len(QUERIES)])

    return {"stories": timed(store.stories, max(5, repeat // 5)), "show": timed(show, repeat),
            "search": timed(search, repeat)}


def _write_half(location: str, articles: list[Article], start: Barrier) -> None:
    with open_store(location) as store:
        grouper = Grouper(store)
        start.wait()
        ingest_articles(articles, store, grouper=grouper)


def concurrent_rate(location: str, articles: list[Article]) -> tuple[float, int, int]:
    """Articles/s of two writer processes (forked: they inherit their halves) ingesting every other
    article each into one fresh database, from the moment both are ready; articles stored, problems."""
    with open_store(location) as store:
        Grouper(store)  # the schema and the (empty) stories are made before the writers start
    fork = multiprocessing.get_context("fork")
    start = fork.Barrier(3)
    writers = [fork.Process(target=_write_half, args=(location, articles[half::2], start)) for half in (0, 1)]
    for writer in writers:
        writer.start()
    start.wait(timeout=600)  # raises if a writer failed before it was ready
    started = time.perf_counter()
    for writer in writers:
        writer.join()
    seconds = time.perf_counter() - started
    if any(w.exitcode for w in writers):
        raise SystemExit(f"a writer process failed on {location}")
    with open_store(location) as store:
        return len(articles) / seconds, store.article_count(), len(store.check())


@contextmanager
def databases(url: str | None) -> Iterator[Callable[[str, str], str]]:
    """``fresh(backend, name)``: the location of a new, empty database of that backend."""
    with tempfile.TemporaryDirectory() as folder:
        if url:
            import psycopg

            def create(name: str) -> str:
                name = f"bench_{name}_{os.getpid()}"
                with psycopg.connect(url, autocommit=True) as admin:
                    admin.execute(f'CREATE DATABASE "{name}"')
                return urlsplit(url)._replace(path=f"/{name}").geturl()

            yield lambda backend, name: str(Path(folder) / f"{name}.db") if backend == "SQLite" else create(name)
        else:
            with running_server() as server:
                yield lambda backend, name: (str(Path(folder) / f"{name}.db") if backend == "SQLite"
                                             else server.new_database(name))


def measure(fresh: Callable[[str], str], sample: list[Article], synthetic: list[Article],
            repeat: int) -> tuple[dict[str, str], dict[str, list[list[str]]]]:
    """One backend's table column (label -> figure) and its stories of (a) and (b)."""
    column: dict[str, str] = {}
    rate, multinews, problems = ingest_rate(fresh("multinews"), sample)
    column[f"(a) Multi-News, {len(sample)}: art/s"] = f"{rate:.0f}"
    checks = [problems]
    location = fresh("stream")
    rate, stream_stories, problems = ingest_rate(location, synthetic)
    column[f"(b) stream of {len(synthetic):,}: art/s"] = f"{rate:.0f}"
    checks.append(problems)
    with open_store(location) as store:
        for what, (p50, p95) in latencies(store, repeat).items():
            column[f"    {what} p50 / p95 ms"] = f"{p50:.1f} / {p95:.1f}"
    rate, stored, problems = concurrent_rate(fresh("two_writers"), synthetic)
    column["(c) two writer processes: art/s"] = f"{rate:.0f}"
    column["    articles stored"] = f"{stored:,}"
    column["check() problems (a) / (b) / (c)"] = " / ".join(map(str, [*checks, problems]))
    return column, {"multinews": multinews, "stream": stream_stories}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a PostgreSQL server to create the databases on (default: start one in a "
                                      "temporary directory)")
    parser.add_argument("--stream", type=int, default=100_000, help="articles in the synthetic stream")
    parser.add_argument("--repeat", type=int, default=50, help="calls timed for each latency")
    args = parser.parse_args()
    started = time.perf_counter()
    sample, synthetic = load_articles(), stream(args.stream)
    documents = sum(len(c.documents) for c in clusters())
    print(f"{len(sample)} articles read from the {documents} Multi-News documents and a stream of "
          f"{len(synthetic):,} made in {time.perf_counter() - started:.0f} s (not counted below)")
    with databases(args.url) as fresh:
        results = {b: measure(lambda name, b=b: fresh(b, name), sample, synthetic, args.repeat) for b in BACKENDS}
    print(f"{'':34}" + "".join(f"{b:>16}" for b in BACKENDS))
    for label in results["SQLite"][0]:
        print(f"{label:34}" + "".join(f"{column[label]:>16}" for column, _ in results.values()))
    (_, sqlite), (_, postgres) = results.values()
    for part, name in (("multinews", "(a)"), ("stream", "(b)")):
        print(f"{name} stories: {len(sqlite[part]):,} / {len(postgres[part]):,}; identical grouping on both "
              f"backends: {'yes' if sqlite[part] == postgres[part] else 'NO'}")


if __name__ == "__main__":
    main()
