"""MCP tool latency on the Multi-News database: `newsbrief mcp` driven over stdio by the `mcp` SDK's
own client, as an agent would; start-up, then p50/p95/max per read tool.

The database is built from the Multi-News sample (../shared/data/multinews-sample) in two steps, as
news arrives: each cluster's first half of reports, briefs written, then the rest, briefs written
again, so that stories that grew have two brief versions for what_changed. Or --db: an existing
SQLite file or postgresql:// URL. Arguments are drawn from the database (seed 1): story ids,
words of story headlines, entity names, figure subjects and quote speakers of the latest briefs.
A call that comes back as a tool error is timed, counted and shown.

    python bench/mcp.py [--db PATH_OR_URL] [--calls 30]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import anyio

BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != BENCH]  # this file is mcp.py: the SDK's mcp, not it
from mcp import Client, StdioServerParameters  # noqa: E402

sys.path.insert(0, str(BENCH))
from multinews import articles_of, clusters  # noqa: E402
from web import percentile  # noqa: E402

from newsbrief.ingest import ingest_articles  # noqa: E402
from newsbrief.pipeline import refresh_briefs  # noqa: E402
from newsbrief.store import open_store  # noqa: E402

Arguments = Callable[[], dict[str, Any]]


def build(location: str) -> None:
    """The sample's clusters in two steps, briefs written after each (see the module docstring)."""
    started = time.perf_counter()
    halves: tuple[list[Any], list[Any]] = ([], [])
    for cluster in clusters():
        articles = articles_of(cluster)
        middle = (len(articles) + 1) // 2
        halves[0].extend(articles[:middle])
        halves[1].extend(articles[middle:])
    with open_store(location) as store:
        for half in halves:
            refresh_briefs(store, ingest_articles(half, store).changed_stories)
    print(f"database: {sum(map(len, halves))} Multi-News articles ingested in two steps, briefs written "
          f"after each, in {time.perf_counter() - started:.0f} s (not counted below)")


def tool_calls(location: str, rng: random.Random) -> tuple[dict[str, tuple[str, Arguments]], list[str]]:
    """label -> (tool, a maker of arguments drawn from the database), and notes on tools left out."""
    with open_store(location) as store:
        stories = store.stories()
        briefs = {s.id: b for s in stories if (b := store.latest_brief(s.id)) is not None}
        twice = [i for i in briefs if store.brief_count(i) >= 2]
    ids = list(briefs)
    words = sorted({w for s in stories for w in s.headline.split() if w.isalpha() and len(w) > 4})
    names = sorted({e["name"] for b in briefs.values() for e in b.entities if e.get("name")})
    figures = sorted({(i, f["subject"]) for i, b in briefs.items() for f in b.figures if f.get("subject")})
    speakers = sorted({q["speaker"] for b in briefs.values() for q in b.quotes if q.get("speaker")})
    print(f"{len(stories)} stories, {len(ids)} with a brief, {len(twice)} with two or more versions; "
          f"{len(words)} headline words, {len(names)} entity names, {len(figures)} (story, figure subject) "
          f"pairs, {len(speakers)} quote speakers to draw arguments from")
    pick = rng.choice
    wanted: dict[str, tuple[str, list[Any], Arguments]] = {
        "search_reports": ("search_reports", words, lambda: {"query": pick(words)}),
        "list_stories text": ("list_stories", words, lambda: {"text": pick(words)}),
        "list_stories name": ("list_stories", names, lambda: {"name": pick(names)}),
        "get_brief json": ("get_brief", ids, lambda: {"story_id": pick(ids)}),
        "get_brief md": ("get_brief", ids, lambda: {"story_id": pick(ids), "format": "md"}),
        "list_events": ("list_events", ids, lambda: {"story_id": pick(ids)}),
        "list_versions": ("list_versions", ids, lambda: {"story_id": pick(ids)}),
        "what_changed": ("what_changed", twice, lambda: {"story_id": pick(twice)}),
        "figure_history": ("figure_history", figures,
                           lambda: dict(zip(("story_id", "subject"), pick(figures)))),
        "who_said": ("who_said", speakers, lambda: {"name": pick(speakers)}),
    }
    calls = {label: (tool, make) for label, (tool, pool, make) in wanted.items() if pool}
    notes = [f"{label}: skipped, " + ("no story has two brief versions" if label == "what_changed" else
                                      "nothing in the database to call it with") for label in wanted if label not in calls]
    return calls, notes


async def measure(location: str, calls: dict[str, tuple[str, Arguments]],
                  count: int) -> tuple[float, dict[str, list[float]], dict[str, list[str]]]:
    """Start-up seconds (connected, tools listed); per label the call times (ms) and error messages."""
    params = StdioServerParameters(command=sys.executable, args=["-m", "newsbrief.cli", "mcp", "--db", location])
    times: dict[str, list[float]] = {label: [] for label in calls}
    errors: dict[str, list[str]] = {label: [] for label in calls}
    started = time.perf_counter()
    async with Client(params, read_timeout_seconds=120) as client:
        listed = {t.name for t in (await client.list_tools()).tools}
        startup = time.perf_counter() - started
        for label, (tool, _) in calls.items():
            if tool not in listed:
                errors[label].append(f"the server lists no tool {tool!r}")
        for _ in range(count):
            for label, (tool, make) in calls.items():
                arguments = make()
                t = time.perf_counter()
                try:
                    result = await client.call_tool(tool, arguments)
                    failure = result.content[0].text if result.is_error and result.content else (
                        "an error without a message" if result.is_error else None)
                except Exception as exc:  # an MCP protocol error: counted and shown like a tool error
                    failure = f"{type(exc).__name__}: {exc}"
                times[label].append(1000 * (time.perf_counter() - t))
                if failure:
                    errors[label].append(f"{arguments}: {failure}")
    return startup, times, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="an existing database (SQLite file or postgresql:// URL) instead of building one")
    parser.add_argument("--calls", type=int, default=30, help="calls timed per tool")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        location = args.db or str(Path(tmp) / "multinews.db")
        if not args.db:
            build(location)
        calls, notes = tool_calls(location, random.Random(1))
        startup, times, errors = anyio.run(measure, location, calls, args.calls)
    print(f"`newsbrief mcp` over stdio (mcp SDK client): start-up to tools listed {startup * 1000:.0f} ms; "
          f"{args.calls} calls per tool, in turn")
    print(f"{'tool':<20}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}{'errors':>8}")
    for label, values in times.items():
        print(f"{label:<20}{statistics.median(values):8.1f}{percentile(values, 95):8.1f}{max(values):8.1f}"
              f"{len(errors[label]):8d}")
    for note in notes:
        print(note)
    for label, messages in errors.items():
        for message in dict.fromkeys(messages):
            print(f"error, {label}: {message[:300]}")


if __name__ == "__main__":
    main()
