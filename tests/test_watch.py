"""`watch` against a real local HTTP server whose feeds change between polls: conditional GET,
new brief versions that say what changed, backoff and recovery, robots.txt, malformed items, the
one-watcher lock, and a watcher killed mid-poll or asked to stop."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from email.utils import formatdate
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsbrief import Config
from newsbrief.cli import main
from newsbrief.lock import AlreadyRunning, watch_lock
from newsbrief.store import SQLiteStore
from newsbrief.store.feeds import FeedTable
from newsbrief.watch import INGEST_BATCH, MAX_BACKOFF, Watcher

from .conftest import HOLD_LIMIT, LocalServer, Page, run_on_a_terminal
from .stories import BRIDGE, as_html, rss

FERRY = {
    "title": "Extra ferries carry Gull Bridge commuters across Portavel harbour",
    "outlet": "Bayside Daily",
    "published": "2026-03-04T07:00:00+00:00",
    "paragraphs": [
        "Ferry operators in Portavel added twelve extra crossings on Wednesday for commuters cut off by the closure of the Gull Bridge.",
        "Mayor Ines Calder said the city would keep paying for the ferries until the bridge reopens.",
        "Engineers said repairs to the cracked girder of the Gull Bridge were on schedule.",
    ],
}


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 5, 12, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class ChangingFeed:
    """A feed route that answers conditional GETs: 304 when the client has the current version."""

    def __init__(self, server: LocalServer, path: str, articles: list[dict], validator: str = "etag") -> None:
        self.server, self.path, self.validator = server, path, validator
        self.version = 0
        self.parsed_requests = 0
        self.not_modified = 0
        self.set(articles)
        server.routes[path] = self

    def set(self, articles: list[dict]) -> None:
        items = []
        for article in articles:
            page = f"/pages/{abs(hash(article['title']))}.html"
            self.server.routes[page] = Page(as_html(article, self.server.url(page)).encode())
            items.append((article, self.server.url(page)))
        self.body = rss(items, title=f"Feed {self.path}").encode()
        self.version += 1
        self.stamp = formatdate(1_700_000_000 + self.version * 100, usegmt=True)

    def __call__(self, headers) -> Page:  # type: ignore[no-untyped-def]
        if self.validator == "etag" and headers.get("If-None-Match") == f'"v{self.version}"':
            self.not_modified += 1
            return Page(b"", status=304)
        if self.validator == "last-modified" and headers.get("If-Modified-Since") == self.stamp:
            self.not_modified += 1
            return Page(b"", status=304)
        self.parsed_requests += 1
        extra = {"ETag": f'"v{self.version}"'} if self.validator == "etag" else {"Last-Modified": self.stamp}
        return Page(self.body, "application/rss+xml", headers=extra)


def _watcher(store: SQLiteStore, clock: Clock, every: float = 600) -> Watcher:
    import random

    return Watcher(store, Config.load(allow_private=True, workers=1), every=every, clock=clock, rng=random.Random(3))


def _page_requests(server: LocalServer) -> list[str]:
    return [r for r in server.requests if r.startswith("/pages/")]


def test_changed_feeds_give_a_new_brief_version_and_unchanged_ones_cost_a_304(server: LocalServer, tmp_path: Path) -> None:
    first = ChangingFeed(server, "/a.xml", BRIDGE[:2], "etag")
    second = ChangingFeed(server, "/b.xml", BRIDGE[2:], "last-modified")
    clock = Clock()
    with SQLiteStore(tmp_path / "news.db") as store, _watcher(store, clock) as watcher:
        FeedTable(store).add([server.url("/a.xml"), server.url("/b.xml")])
        poll = watcher.poll()
        assert (poll.parsed, poll.new_articles, poll.failed, poll.briefs_written) == (2, 3, 0, 1)
        story = store.stories()[0].id
        assert store.latest_brief(story).version == 1

        clock.advance(30)  # nothing is due yet
        assert watcher.poll().feeds_due == 0

        clock.advance(600)
        pages_before = len(_page_requests(server))
        poll = watcher.poll()
        assert (poll.feeds_due, poll.unchanged, poll.parsed, poll.new_articles) == (2, 2, 0, 0)
        assert first.not_modified == 1 and second.not_modified == 1
        assert len(_page_requests(server)) == pages_before  # nothing parsed, no page fetched

        first.set([*BRIDGE[:2], FERRY])
        clock.advance(600)
        poll = watcher.poll()
        assert (poll.unchanged, poll.parsed, poll.new_articles, poll.stories_updated) == (1, 1, 1, 1)
        assert len(_page_requests(server)) == pages_before + 1  # only the new entry's page
        brief = store.latest_brief(story)
        assert brief.version == 2
        assert any("new outlet" in change and "Bayside Daily" in change for change in brief.changes), brief.changes
        health = {f.url: f for f in FeedTable(store).all()}
        assert health[server.url("/a.xml")].items_seen == 3
        assert health[server.url("/a.xml")].articles_added == 3
        assert health[server.url("/b.xml")].last_success is not None
        assert store.check() == []


def test_a_failing_feed_backs_off_honours_retry_after_and_recovers(server: LocalServer, tmp_path: Path) -> None:
    feed = ChangingFeed(server, "/ok.xml", BRIDGE[:1])
    server.routes["/flaky.xml"] = Page(b"oops", "text/plain", status=500)
    clock = Clock()
    with SQLiteStore(tmp_path / "news.db") as store, _watcher(store, clock, every=600) as watcher:
        feeds = FeedTable(store)
        feeds.add([server.url("/flaky.xml")])
        poll = watcher.poll()
        assert poll.failed == 1 and "HTTP 500" in poll.errors[0]
        flaky = feeds.get(server.url("/flaky.xml"))
        assert flaky.failures == 1 and "HTTP 500" in flaky.last_error
        first_wait = (datetime.fromisoformat(flaky.next_poll) - clock.now).total_seconds()
        assert 600 * 2 * 0.8 <= first_wait <= 600 * 2 * 1.2  # doubled, with jitter

        clock.advance(600)  # a healthy feed would be due now; the failing one is not
        requests = len(server.requests)
        assert watcher.poll().feeds_due == 0 and len(server.requests) == requests

        clock.advance(first_wait)
        watcher.poll()
        flaky = feeds.get(server.url("/flaky.xml"))
        second_wait = (datetime.fromisoformat(flaky.next_poll) - clock.now).total_seconds()
        assert flaky.failures == 2 and second_wait > first_wait

        server.routes["/flaky.xml"] = Page(b"busy", "text/plain", status=503, headers={"Retry-After": "50000"})
        clock.advance(second_wait)
        watcher.poll()
        flaky = feeds.get(server.url("/flaky.xml"))
        assert (datetime.fromisoformat(flaky.next_poll) - clock.now).total_seconds() >= 50000
        assert "retry after 50000 s" in flaky.last_error

        server.routes["/flaky.xml"] = feed  # the server is back
        clock.advance(MAX_BACKOFF * 1.5)
        poll = watcher.poll()
        flaky = feeds.get(server.url("/flaky.xml"))
        assert poll.failed == 0 and poll.new_articles == 1
        assert flaky.failures == 0 and flaky.last_success == clock.now.isoformat()


def test_a_malformed_item_does_not_cost_the_feed_its_other_items(server: LocalServer, tmp_path: Path) -> None:
    urls = []
    for n, article in enumerate(BRIDGE):
        server.routes[f"/p{n}.html"] = Page(as_html(article, server.url(f"/p{n}.html")).encode())
        urls.append(server.url(f"/p{n}.html"))
    good = rss(list(zip(BRIDGE, urls, strict=True)))
    broken_item = ("<item><title>Broken & <b>unclosed</title><link>javascript:alert(1)</link>"
                   "<pubDate>not a date</pubDate></item>")
    server.routes["/feed.xml"] = Page(good.replace("<item>", broken_item + "<item>", 1).encode(), "application/rss+xml")
    with SQLiteStore(tmp_path / "news.db") as store, _watcher(store, Clock()) as watcher:
        FeedTable(store).add([server.url("/feed.xml")])
        poll = watcher.poll()
        assert poll.failed == 0 and poll.new_articles == 3
        assert store.article_count() == 3


def test_robots_txt_is_respected_for_article_pages(server: LocalServer, tmp_path: Path) -> None:
    server.routes["/robots.txt"] = Page(b"User-agent: *\nDisallow: /private/\n", "text/plain")
    allowed = server.url("/public/1.html")
    barred = server.url("/private/2.html")
    server.routes["/public/1.html"] = Page(as_html(BRIDGE[0], allowed).encode())
    server.routes["/private/2.html"] = Page(as_html(BRIDGE[1], barred).encode())
    server.routes["/feed.xml"] = Page(rss([(BRIDGE[0], allowed), (BRIDGE[1], barred)]).encode(), "application/rss+xml")
    with SQLiteStore(tmp_path / "news.db") as store, _watcher(store, Clock()) as watcher:
        FeedTable(store).add([server.url("/feed.xml")])
        assert watcher.poll().new_articles == 2
        assert "/private/2.html" not in server.requests and "/public/1.html" in server.requests
        note = store.db.execute("SELECT note FROM articles WHERE url LIKE '%private%'").fetchone()[0]
        assert "robots.txt" in note  # the entry's own text was used


def test_feeds_commands_import_list_and_export_opml(tmp_path: Path) -> None:
    db = str(tmp_path / "news.db")
    listing = tmp_path / "feeds.txt"
    listing.write_text("# my feeds\nhttps://news.example.org/rss\n\nhttps://wire.example.net/atom.xml\n")
    runner = CliRunner()
    assert "2 feeds added" in runner.invoke(main, ["feeds", "--db", db, "import", str(listing)]).output
    assert "0 feeds added, 1 already followed" in runner.invoke(main, ["feeds", "--db", db, "add", "https://news.example.org/rss"]).output
    exported = tmp_path / "out.opml"
    assert runner.invoke(main, ["feeds", "--db", db, "export", "-o", str(exported)]).exit_code == 0
    other = str(tmp_path / "other.db")
    assert "2 feeds added" in runner.invoke(main, ["feeds", "--db", other, "import", str(exported)]).output
    rows = json.loads(runner.invoke(main, ["feeds", "--db", other, "--json"]).output)
    assert [r["url"] for r in rows] == ["https://news.example.org/rss", "https://wire.example.net/atom.xml"]
    assert "not polled yet" in runner.invoke(main, ["feeds", "--db", other]).output
    listing.write_text("https://ok.example.org/rss\nftp://old.example.org/feed\n")
    result = runner.invoke(main, ["feeds", "--db", db, "import", str(listing)])
    assert result.exit_code == 1 and "feeds.txt:2: not an http(s) feed URL" in result.output


def test_a_second_watcher_refuses_to_start(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    listing = tmp_path / "feeds.txt"
    listing.write_text("https://news.example.org/rss\n")
    with watch_lock(db):
        with pytest.raises(AlreadyRunning, match=f"process {os.getpid()}"):
            watch_lock(db).acquire()
        result = CliRunner().invoke(main, ["watch", "--db", str(db), "--feeds", str(listing), "--once"])
        assert result.exit_code == 1 and f"another watcher (process {os.getpid()})" in result.output
    with watch_lock(db):  # released: the next one starts
        pass


def _feed(server: LocalServer, path: str, count: int, hold: threading.Event | None = None) -> list[str]:
    """A feed of ``count`` distinct reports; the feed document itself is held until ``hold`` is set."""
    urls = []
    articles = []
    for n in range(count):
        article = dict(BRIDGE[n % 3], title=f"{BRIDGE[n % 3]['title']} ({path} update {n})",
                       paragraphs=[f"Update {n} from {path}: " + p for p in BRIDGE[n % 3]["paragraphs"]])
        page = f"{path}/{n}.html"
        server.routes[page] = Page(as_html(article, server.url(page)).encode())
        urls.append(server.url(page))
        articles.append(article)
    server.routes[path] = Page(rss(list(zip(articles, urls, strict=True))).encode(), "application/rss+xml", hold=hold)
    return urls


def _stored_urls(db: Path) -> list[str]:
    if not db.exists():
        return []
    con = sqlite3.connect(db, timeout=30)
    try:
        return [r[0] for r in con.execute("SELECT url FROM articles")]
    except sqlite3.OperationalError:
        return []
    finally:
        con.close()


def _watch_process(db: Path, listing: Path, *extra: str, workers: int = 1) -> subprocess.Popen:
    # a held response must outlast any wait of the test's (the fetcher would give up on it at 15 s)
    env = {**os.environ, "NEWSBRIEF_WORKERS": str(workers), "NEWSBRIEF_READ_TIMEOUT": str(HOLD_LIMIT)}
    return subprocess.Popen([sys.executable, "-m", "newsbrief.cli", "watch", "--db", str(db), "--feeds", str(listing),
                             "--allow-private", "--every", "1", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)


def _lock_is_free(db: Path) -> bool:
    try:
        watch_lock(db).acquire().release()
    except AlreadyRunning:
        return False
    return True


def _wait_for(condition, what: str, timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    """Wait for a state the test knows will come (never for time to pass); ``timeout`` only
    turns a broken watcher into a failure instead of a hang."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def _mid_poll(server: LocalServer, other_host: LocalServer, tmp_path: Path, *extra: str, workers: int = 1,
              ) -> tuple[subprocess.Popen, threading.Event, list[str], list[str]]:
    """A watcher stopped in the middle of its poll by the test itself: the first feed fills one
    ingest batch, which is stored, while the second feed (on another host, so the one-request-
    per-host rule does not queue the first behind it) is held by its server until the test lets
    it go. Returns the process, the hold, the feeds' URLs and all the article URLs."""
    db, listing = tmp_path / "news.db", tmp_path / "feeds.txt"
    hold = threading.Event()
    urls = _feed(server, "/first.xml", INGEST_BATCH) + _feed(other_host, "/second.xml", 3, hold=hold)
    feeds = [server.url("/first.xml"), other_host.url("/second.xml")]
    listing.write_text("\n".join(feeds) + "\n")
    process = _watch_process(db, listing, *extra, workers=workers)
    _wait_for(lambda: len(_stored_urls(db)) == INGEST_BATCH or process.poll() is not None,
              "the first feed's articles")
    assert process.poll() is None and other_host.held.is_set()  # stopped mid-poll, waiting for the second feed
    return process, hold, feeds, urls


def test_killed_mid_poll_the_watcher_loses_nothing_and_stores_nothing_twice(
        server: LocalServer, other_host: LocalServer, tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    process, hold, feeds, urls = _mid_poll(server, other_host, tmp_path, workers=2)  # with a pool of workers
    process.send_signal(signal.SIGKILL)
    process.wait()
    hold.set()
    assert len(_stored_urls(db)) == INGEST_BATCH < len(urls)
    # the workers end with their parent and the lock goes with them (orphans held it, refusing a restart)
    _wait_for(lambda: _lock_is_free(db), "the killed watcher's workers to end")
    result = _watch_process(db, tmp_path / "feeds.txt", "--once")
    assert result.wait(timeout=300) == 0, result.stderr.read()
    stored = _stored_urls(db)
    assert sorted(stored) == sorted(urls)  # every entry once
    with SQLiteStore(db) as store:
        assert store.check() == []
        health = {feed.url: feed for feed in FeedTable(store).all()}
        assert health[feeds[1]].last_success is not None and health[feeds[1]].items_seen == 3
        assert health[feeds[0]].items_seen == INGEST_BATCH
        # the stories the killed poll changed got their briefs from the next one
        assert store.due_briefs() == [] and all(store.latest_brief(s.id) for s in store.stories())


def test_sigterm_stops_the_watcher_cleanly_after_the_article_in_hand(
        server: LocalServer, other_host: LocalServer, tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    process, hold, feeds, _ = _mid_poll(server, other_host, tmp_path, "--log-format", "json")
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stderr], daemon=True)
    reader.start()
    process.send_signal(signal.SIGTERM)
    events = [json.loads(lines.get(timeout=120))]
    while events[-1]["event"] != "stopping":  # the watcher has the signal: only now does the held feed come
        events.append(json.loads(lines.get(timeout=120)))
    hold.set()
    assert process.wait(timeout=300) == 0
    reader.join(timeout=60)
    events += [json.loads(lines.get_nowait()) for _ in range(lines.qsize())]
    assert events[-1]["event"] == "poll" and events[-1]["stopped"] is True, events[-1]
    with SQLiteStore(db) as store:
        assert store.check() == []
        health = {feed.url: feed for feed in FeedTable(store).all()}
        assert health[feeds[0]].last_success is not None  # its articles were all stored
        assert health[feeds[1]].last_success is None  # left due: the next poll reads it
        assert store.article_count() == INGEST_BATCH
    with watch_lock(db):  # the lock was released
        pass


def test_watch_shows_a_line_per_poll_on_a_terminal_and_is_quiet_when_piped(server: LocalServer, tmp_path: Path) -> None:
    ChangingFeed(server, "/a.xml", BRIDGE[:2])
    server.routes["/down.xml"] = Page(b"gone", "text/plain", status=503)
    listing = tmp_path / "feeds.txt"
    listing.write_text(server.url("/a.xml") + "\n" + server.url("/down.xml") + "\n")
    env = {**os.environ, "NEWSBRIEF_WORKERS": "1"}
    args = ["watch", "--feeds", str(listing), "--allow-private", "--once", "--no-briefs"]
    piped = subprocess.run([sys.executable, "-m", "newsbrief.cli", *args, "--db", str(tmp_path / "piped.db")],
                           env=env, capture_output=True, text=True, timeout=120)
    assert piped.returncode == 0 and piped.stdout == "" and piped.stderr == ""

    code, text = run_on_a_terminal([sys.executable, "-m", "newsbrief.cli", *args, "--db", str(tmp_path / "tty.db")], env)
    assert code == 0
    assert "HTTP 503" in text and "(retry after" in text
    assert re.search(r"poll 1 at \d\d:\d\d:\d\d: 2 feeds \(0 unchanged, 1 failed\), 2 new articles", text), text
