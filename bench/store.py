"""SQLite and PostgreSQL side by side: storing and grouping the Multi-News sample's 666 articles
(articles/s; the store finds the copies), whether both backends group them the same way, then `stories`, `show` (its store
part: the story's articles and latest brief) and `search` latency (p50/p95) on the result.

The articles are extracted once, in this process, and the same articles in the same order go to a
fresh SQLite file and a fresh PostgreSQL database: a server started in a temporary directory as
the tests start it (tests/postgres_server.py), or the one at --url (its database must be empty).
Extraction is the same code for both backends and is left out of the figures.

    python bench/store.py [--url postgresql://...] [--repeat 50]
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from multinews import clusters

from newsbrief.errors import InputError
from newsbrief.extract import extract
from newsbrief.ingest import ingest_articles
from newsbrief.records import Article, RawDocument
from newsbrief.store import Store, open_store

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.postgres_server import running_server  # noqa: E402

QUERIES = ["election", "police shooting", "climate change", "president", "court ruling", "earthquake",
           "film", "\"white house\"", "company shares", "hospital"]


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


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """p50 and p95 of ``repeat`` calls, in milliseconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))]


def measure(store: Store, articles: list[Article], repeat: int) -> dict[str, Any]:
    started = time.perf_counter()
    ingest_articles(copy.deepcopy(articles), store)
    seconds = time.perf_counter() - started
    stories = store.stories()
    groups = sorted(sorted(s.urls) for s in stories)
    ids = [s.id for s in stories]
    turn = iter(range(10**9))

    def show() -> None:
        story = ids[next(turn) % len(ids)]
        store.latest_brief(story)
        store.story_articles(story)

    def search() -> None:
        store.search(QUERIES[next(turn) % len(QUERIES)])

    return {"rate": len(articles) / seconds, "seconds": seconds, "groups": groups, "problems": store.check(),
            "stories": timed(store.stories, repeat), "show": timed(show, repeat), "search": timed(search, repeat)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="an empty PostgreSQL database (default: start a server in a temporary directory)")
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    started = time.perf_counter()
    articles = load_articles()
    print(f"{len(articles)} articles extracted in {time.perf_counter() - started:.0f} s (not counted below)")
    with ExitStack() as stack, tempfile.TemporaryDirectory() as folder:
        url = args.url or stack.enter_context(running_server()).new_database("bench")
        results = {}
        for name, location in (("SQLite", str(Path(folder) / "bench.db")), ("PostgreSQL", url)):
            with open_store(location) as store:
                results[name] = measure(store, articles, args.repeat)
    print(f"{'':24}{'SQLite':>16}{'PostgreSQL':>16}")
    print(f"{'store + group':24}" + "".join(f"{r['rate']:>10.0f} art/s" for r in results.values()))
    for what in ("stories", "show", "search"):
        print(f"{what + ' p50 / p95 (ms)':24}" + "".join(f"{r[what][0]:>8.1f} /{r[what][1]:>6.1f}" for r in results.values()))
    sqlite, postgres = results.values()
    print(f"stories: {len(sqlite['groups'])} / {len(postgres['groups'])}; identical grouping: "
          f"{'yes' if sqlite['groups'] == postgres['groups'] else 'NO'}; check(): "
          f"{len(sqlite['problems'])} / {len(postgres['problems'])} problems")


if __name__ == "__main__":
    main()
