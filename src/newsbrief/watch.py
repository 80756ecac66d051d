"""`watch`: poll feeds politely and keep the database and its briefs current.

Each poll fetches the feeds that are due (concurrently across hosts, one request at a time per
host, conditional GET so an unchanged feed costs one 304 and no parsing), ingests new entries with
the same code as `ingest`, and writes a new brief version for every story that changed. A feed's
validators and schedule are saved only after all its articles are stored, so a watcher killed
mid-poll re-reads that feed next time and finds the stored articles already there.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from .dedupe import canonical_url
from .errors import FetchError, InputError
from .executor import WorkerPool
from .fetch import Fetcher, Response
from .ingest import Grouper, IngestSummary, ingest_documents
from .pipeline import Writer, refresh_briefs
from .records import RawDocument
from .robots import Robots
from .settings import Config
from .sources import Problem, SourceReader
from .store import feed_table
from .store.feeds import Feed
from .store.base import Store
from .webhooks import deliver_due

MAX_BACKOFF = 24 * 3600.0  # a failing feed is still tried at least once a day
JITTER = 0.2  # backoff delays vary by ±20% so that feeds failing together do not return together


def backoff_delay(every: float, failures: int, retry_after: float | None, rng: random.Random) -> float:
    """Seconds until a feed that has failed ``failures`` times in a row is tried again:
    doubling from ``every``, capped, jittered, and never sooner than the server's Retry-After."""
    delay = min(MAX_BACKOFF, every * 2 ** max(0, failures)) * rng.uniform(1 - JITTER, 1 + JITTER)
    return max(delay, retry_after or 0.0)


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class PollSummary:
    number: int
    started: datetime
    feeds_due: int = 0
    unchanged: int = 0  # answered 304 Not Modified
    parsed: int = 0
    failed: int = 0
    new_articles: int = 0
    stories_updated: int = 0
    briefs_written: int = 0
    seconds: float = 0.0
    stopped: bool = False
    errors: list[str] = field(default_factory=list)

    def line(self) -> str:
        text = (f"poll {self.number} at {self.started:%H:%M:%S}: {self.feeds_due} feeds "
                f"({self.unchanged} unchanged, {self.failed} failed), {self.new_articles} new articles, "
                f"{self.stories_updated} stories updated, {self.briefs_written} briefs, {self.seconds:.1f} s")
        return text + (" (stopped early)" if self.stopped else "")

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["started"] = self.started.isoformat(timespec="seconds")
        return data


Event = Callable[[str, dict[str, Any]], None]
INGEST_BATCH = 64  # new entries gathered from several feeds before they are extracted together


@dataclass
class _Parsed:
    feed: Feed
    response: Response
    at: datetime
    documents: list[RawDocument]
    fresh: list[RawDocument]  # entries whose pages are not stored yet


class Watcher:
    """Polls the store's feeds. ``clock`` and ``rng`` are injectable so schedules can be tested."""

    def __init__(self, store: Store, config: Config | None = None, every: float = 900.0,
                 briefs: bool = True, on_event: Event | None = None,
                 clock: Callable[[], datetime] = utc_now, rng: random.Random | None = None,
                 writer: Writer | None = None) -> None:
        self.store = store
        self.config = replace(config or Config.load(), per_host=1)  # one request at a time per host
        self.every = every
        self.briefs = briefs
        self.writer = writer
        self.emit = on_event or (lambda kind, data: None)
        self.clock = clock
        self.rng = rng or random.Random()
        self.feeds = feed_table(store)
        self.fetcher = Fetcher(self.config)
        self.robots = Robots(self.fetcher)
        self.pool = WorkerPool(self.config.workers)
        self.polls = 0
        self._stop = threading.Event()

    def close(self) -> None:
        self.pool.close()
        self.fetcher.close()

    def __enter__(self) -> "Watcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- stopping ---------------------------------------------------------------------------------

    def stop(self) -> None:
        """Ask the watcher to stop after the article in hand (safe to call from a signal handler)."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    # -- the loop ---------------------------------------------------------------------------------

    def run(self, polls: int | None = None) -> None:
        """Poll until stopped (or ``polls`` times), sleeping until the next feed is due."""
        while not self.stopping:
            self.poll()
            if polls is not None and self.polls >= polls:
                return
            self._stop.wait(self.seconds_until_due())

    def seconds_until_due(self) -> float:
        now = self.clock()
        times = [datetime.fromisoformat(f.next_poll) for f in self.feeds.all() if f.next_poll]
        if not times:
            return self.every
        return min(self.every, max(1.0, (min(times) - now).total_seconds()))

    def poll(self) -> PollSummary:
        """Poll every due feed once; returns what happened."""
        self.polls += 1
        started = time.perf_counter()
        now = self.clock()
        due = [feed for feed in self.feeds.all() if feed.due(now)]
        poll = PollSummary(self.polls, now, feeds_due=len(due))
        ingested = IngestSummary()
        grouper = Grouper(self.store)  # rebuilt each poll: `ingest` may have written in between
        batch: list[_Parsed] = []
        for feed, outcome in self._fetch(due):
            if self.stopping:
                poll.stopped = True
                break
            parsed = self._parse(feed, outcome, poll, ingested)
            if parsed is not None:
                batch.append(parsed)
            if sum(len(p.fresh) for p in batch) >= INGEST_BATCH:
                self._ingest(batch, poll, ingested, grouper)
                batch = []
            self.emit("progress", poll.as_dict())
        self._ingest(batch, poll, ingested, grouper)
        changed = ingested.changed_stories
        poll.stories_updated = len(changed)
        due = self.store.due_briefs() if self.briefs else []  # this poll's, and any a killed watcher left
        if due:
            poll.briefs_written = len(refresh_briefs(self.store, due, self.writer, self.config.workers, self.pool,
                                                     on_problem=self._brief_problem, config=self.config))
        self._deliver_alerts()
        poll.seconds = time.perf_counter() - started
        self.emit("poll", poll.as_dict())
        return poll

    def _fetch(self, feeds: list[Feed]) -> Iterator[tuple[Feed, Response | FetchError]]:
        """(feed, Response or FetchError) for each feed, fetched concurrently with its validators."""
        by_url = {feed.url: feed for feed in feeds}

        def validators(url: str) -> dict[str, str]:
            feed = by_url[url]
            headers = {"If-None-Match": feed.etag} if feed.etag else {}
            if feed.last_modified:
                headers["If-Modified-Since"] = feed.last_modified
            return headers

        for url, outcome in self.fetcher.get_many(by_url, validators):
            yield by_url[url], outcome

    def _known(self, url: str) -> bool:
        return self.store.has_url(canonical_url(url))

    def _parse(self, feed: Feed, outcome: Response | FetchError, poll: PollSummary,
               ingested: IngestSummary) -> _Parsed | None:
        """A changed feed's entries with their new pages fetched; failures and 304s are recorded here."""
        now = self.clock()
        if isinstance(outcome, FetchError):
            self._failed(feed, now, outcome.reason, outcome.retry_after, poll)
            return None
        if outcome.not_modified:
            poll.unchanged += 1
            self.feeds.record_success(feed.url, now, now + timedelta(seconds=self.every), etag=None,
                                      last_modified=None, items=None, new_articles=0)
            return None

        reader = SourceReader(self.fetcher, self._reporter(ingested), known=self._known, may_fetch=self.robots.allowed)
        try:
            documents = list(reader.feed(feed.url, outcome.body))
        except InputError as exc:
            self._failed(feed, now, exc.reason, None, poll)
            return None
        poll.parsed += 1
        return _Parsed(feed, outcome, now, documents, [d for d in documents if not self._known(d.url)])

    def _deliver_alerts(self) -> None:
        """Send the watchlist alerts that are due (this poll's new versions, and retries), with
        short timeouts; a receiver that is down costs one timeout and waits for a later poll."""
        report = deliver_due(self.store, self.config, self.clock())
        if report.attempted:
            self.emit("alerts", report.as_dict())

    def _brief_problem(self, problem: Problem) -> None:
        """A story whose brief could not be written: it keeps its last brief, and the log says why."""
        self.emit("brief_problem", {"story": problem.source, "reason": problem.reason})

    def _reporter(self, ingested: IngestSummary) -> Callable[[Problem], None]:
        def report(problem: Problem) -> None:  # problem.source names the entry and its feed
            ingested.problems.append(problem)
            self.emit("item_problem", {"item": problem.source, "reason": problem.reason, "skipped": problem.skipped})
        return report

    def _ingest(self, batch: list[_Parsed], poll: PollSummary, ingested: IngestSummary, grouper: Grouper) -> None:
        """Ingest the new entries of several feeds in one pass (so extraction runs in parallel),
        then save each feed's validators and schedule, unless asked to stop part way."""
        if not batch:
            return
        documents = [doc for parsed in batch for doc in parsed.fresh]
        ingest_documents(documents, self.store, self.config, ingested, self._reporter(ingested), grouper=grouper,
                         stop=lambda: self.stopping, pool=self.pool, live=True)
        for parsed in batch:
            added = sum(1 for doc in parsed.fresh if self._known(doc.url))
            poll.new_articles += added
            if self.stopping:
                poll.stopped = True
                if added < len(parsed.fresh):  # entries may be unread: leave the feed due, the next poll finishes it
                    continue
            title = next((d.outlet_fallback for d in parsed.documents if d.outlet_fallback), None)
            self.feeds.record_success(
                parsed.feed.url, parsed.at, parsed.at + timedelta(seconds=self.every),
                etag=parsed.response.headers.get("etag"), last_modified=parsed.response.headers.get("last-modified"),
                items=len(parsed.documents), new_articles=added, title=title)

    def _failed(self, feed: Feed, now: datetime, reason: str, retry_after: float | None,
                poll: PollSummary) -> None:
        delay = backoff_delay(self.every, feed.failures + 1, retry_after, self.rng)
        next_poll = now + timedelta(seconds=delay)
        self.feeds.record_failure(feed.url, now, next_poll, reason)
        poll.failed += 1
        poll.errors.append(f"{feed.url}: {reason}")
        self.emit("feed_error", {"feed": feed.url, "reason": reason, "failures": feed.failures + 1,
                                 "next_poll": next_poll.isoformat(timespec="seconds")})
