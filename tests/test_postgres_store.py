"""The store behind one interface on both backends: SQLite files and a real PostgreSQL server
(started by ``postgres_server``) group the same fictional reports the same way and answer alike; the
commands, `watch` and `copy` on a postgresql:// URL; several writers on one PostgreSQL database."""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsbrief.cli import main
from newsbrief.ingest import Grouper, IngestSummary, ingest_articles
from newsbrief.pipeline import refresh_briefs
from newsbrief.records import Article
from newsbrief.store import Store, feed_table, open_store
from newsbrief.store.copy import TABLES
from newsbrief.stories import STORY_LINKING

from .conftest import LocalServer, Page
from .generated import write_articles
from .postgres_server import BACKENDS, PostgresServer, postgres_server  # noqa: F401 (the fixture)
from .postgres_server import database_location
from .stories import BRIDGE, as_html, rss
from .test_story_events import CHESS, HEARING, REOPENING, _articles, _write

CHESS_AGAIN = [{"title": "Okoro, 16, takes Velmora chess open title", "outlet": "Board Game Weekly",
                "published": "2026-03-15T19:00:00+00:00",
                "text": "Lina Okoro, aged sixteen, is the new Velmora chess open champion after she beat grandmaster "
                        "Piet Vanek in the last round on Sunday. The teenager scored seven points in nine games at the "
                        "open, which brought 212 players to Velmora's old market hall."}]


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Article]]:
    """The fictional reports, extracted once as ingest extracts them; a syndicated copy of the
    first bridge report (the same text at another outlet)."""
    folder = tmp_path_factory.mktemp("reports")
    copy_of_first = [dict(BRIDGE[0], outlet="Wire Copy Daily")]
    groups = {"bridge": [("closure", BRIDGE), ("copy", copy_of_first)], "hearing": [("hearing", HEARING)],
              "reopening": [("reopening", REOPENING)], "chess": [("chess", CHESS)],
              "chess_again": [("chess-again", CHESS_AGAIN)]}
    return {name: _articles(_write(folder / f"{name}.jsonl", group)) for name, group in groups.items()}


@pytest.fixture(params=BACKENDS)
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return database_location(request.param, request, tmp_path)


def _fresh(articles: list[Article]) -> list[Article]:
    return copy.deepcopy(articles)


def _all(reports: dict[str, list[Article]], *names: str) -> list[Article]:
    return [a for name in names for a in _fresh(reports[name])]


def _stories(store: Store) -> list[list[list[str]]]:
    """Each story's events, each the URLs of its reports (largest story first)."""
    urls = dict(store.db.execute("SELECT id, url FROM articles").fetchall())
    return [[[urls[a] for a in e["article_ids"]] for e in store.events_of(s.id)] for s in store.stories()]


def _snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every grouping decision the store recorded, in a form both backends give alike."""
    queries = {
        "articles": "SELECT id, url, story_id, event_id, duplicate_of, terms FROM articles ORDER BY id",
        "events": "SELECT id, story_id, merged_into, article_count, first_seen, last_seen, representation "
                  "FROM events ORDER BY id",
        "stories": "SELECT id, merged_into, article_count, event_count, first_seen, last_seen, representation, "
                   "brief_due FROM stories ORDER BY id",
        "event_history": "SELECT kind, event_id, article_id, other_event_id, score FROM event_history ORDER BY id",
        "story_history": "SELECT kind, story_id, event_id, other_story_id, score FROM story_history ORDER BY id",
        "term_stats": "SELECT term, df FROM term_stats ORDER BY term",
        "meta": "SELECT key, value FROM meta ORDER BY key",
    }
    return {name: [tuple(row) for row in store.db.execute(sql).fetchall()] for name, sql in queries.items()}


def _methods(cls: type) -> set[str]:
    return {name for name in dir(cls) if not name.startswith("_") and callable(getattr(cls, name))}


def test_both_backends_offer_the_whole_interface() -> None:
    """A method added to one backend (or the interface) and not the others fails here."""
    from newsbrief.store.postgres import PostgresStore
    from newsbrief.store.sqlite import SQLiteStore

    interface = {name for name in Store.__dict__ if not name.startswith("_") and callable(Store.__dict__[name])}
    assert _methods(SQLiteStore) == _methods(PostgresStore) == interface


def test_reports_group_into_events_and_stories_with_copies(location: str,
                                                           reports: dict[str, list[Article]]) -> None:
    with open_store(location) as store:
        summary = ingest_articles(_all(reports, "bridge", "hearing", "reopening", "chess"), store)
        assert summary.new_articles == 8 and summary.copies == 1
        assert store.check() == []
        stories = _stories(store)
        assert store.article_count() == 9
    assert [len(s) for s in stories] == [3, 1]  # the bridge story's three events, then chess
    events = [{url.split("/")[2].split(".")[0] for url in event} for event in stories[0]]
    assert events == [{"closure", "copy"}, {"hearing"}, {"reopening"}]
    with open_store(location) as store:  # ingesting the same reports again changes nothing
        again = ingest_articles(_all(reports, "bridge", "chess"), store)
        assert again.already_stored == 5 and again.new_articles == 0 and store.article_count() == 9


def _merge_and_split(location: str, reports: dict[str, list[Article]]) -> dict[str, list[tuple[Any, ...]]]:
    """Stories formed apart and merged when they settle; an unrelated event forced into the story
    splits off (test_story_events' scenario); returns the store's snapshot."""
    with open_store(location) as store:
        grouper = Grouper(store, story_params=replace(STORY_LINKING, join_threshold=2.0))  # never links
        summary = IngestSummary()
        for article in _all(reports, "bridge", "hearing"):
            grouper.add(article, summary)
        assert len(_stories(store)) == 2
        Grouper(store).settle_stories(sorted(s.id for s in store.stories()), summary)
        assert summary.merges == 1 and [[len(e) for e in s] for s in _stories(store)] == [[4, 2]]
        (bridge,) = [s.id for s in store.stories()]
        for article in _all(reports, "chess"):
            Grouper(store).add(article, summary)
        (chess,) = [e for e in summary.events_created if store.story_of_event(e) != bridge]
        with store.transaction():
            store.link_event(bridge, chess, None, {})
        Grouper(store).settle_stories([bridge], summary)
        assert summary.splits == 1 and store.check() == []
        assert sorted(len(s) for s in _stories(store)) == [1, 2]
        return _snapshot(store)


def test_merges_and_splits_are_recorded(location: str, reports: dict[str, list[Article]]) -> None:
    snapshot = _merge_and_split(location, reports)
    kinds = [row[0] for row in snapshot["story_history"]]
    assert "merged" in kinds and "split" in kinds


def test_both_backends_group_the_same_input_the_same_way(request: pytest.FixtureRequest, tmp_path: Path,
                                                         reports: dict[str, list[Article]]) -> None:
    snapshots = []
    for backend in BACKENDS:
        location = database_location(backend, request, tmp_path, "same")
        with open_store(location) as store:
            ingest_articles(_all(reports, "bridge", "chess", "reopening", "hearing"), store)
            snapshots.append((_snapshot(store), [r.as_dict() | {"updated_at": None} for r in store.stories()]))
        snapshots.append((_merge_and_split(database_location(backend, request, tmp_path, "merge"), reports), []))
    sqlite_ingest, sqlite_merge, postgres_ingest, postgres_merge = snapshots
    assert sqlite_ingest == postgres_ingest
    assert sqlite_merge == postgres_merge


def test_search_briefs_meta_and_feeds(location: str, reports: dict[str, list[Article]]) -> None:
    with open_store(location) as store:
        ingest_articles(_all(reports, "bridge", "chess"), store)
        hits = store.search("girder")
        assert hits and {"id", "url", "title", "story_id", "published_at", "outlet", "outlet_id", "snippet"} == set(hits[0])
        assert "[girder]" in hits[0]["snippet"].lower() and all(h["story_id"] == hits[0]["story_id"] for h in hits)
        assert store.search("chess OR girder", limit=50) and store.search('unbalanced "quote AND (') == []
        assert "<b>" in store.search("chess", marks=("<b>", "</b>"))[0]["snippet"]
        [title_only] = store.search("shut")  # a word of one title, in no text: the title is the snippet
        assert "[shut]" in title_only["snippet"].lower()

        due = store.due_briefs()
        assert len(due) == 2
        written = refresh_briefs(store, due)
        assert len(written) == 2 and store.due_briefs() == []
        story = written[0].story_id
        stored = store.latest_brief(int(story))
        assert stored is not None and stored.as_dict() == written[0].as_dict() and stored.version == 1
        assert refresh_briefs(store, [int(story)])[0].version == 2

        store.set_meta("probe", "1")
        store.set_meta("probe", "2")
        assert store.meta("probe") == "2" and store.meta("missing") is None

        feeds = feed_table(store)
        assert feeds.add(["https://a.example/feed", "https://b.example/feed"], {"https://a.example/feed": "A"}) == 2
        assert feeds.add(["https://a.example/feed"]) == 0
        now = datetime(2026, 3, 2, 9, tzinfo=timezone.utc)
        feeds.record_success("https://a.example/feed", now, now + timedelta(minutes=15), etag='"x"',
                             last_modified=None, items=4, new_articles=3)
        feeds.record_failure("https://b.example/feed", now, now + timedelta(hours=1), "HTTP 503")
        a, b = feeds.all()
        assert (a.title, a.etag, a.items_seen, a.articles_added, a.failures) == ("A", '"x"', 4, 3, 0)
        assert (b.failures, b.last_error) == (1, "HTTP 503") and not b.due(now)
        assert feeds.remove("https://b.example/feed") and feeds.get("https://b.example/feed") is None


def test_commands_take_a_postgresql_url(postgres_server: PostgresServer, tmp_path: Path,  # noqa: F811
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    url = postgres_server.new_database()
    inputs = _write(tmp_path / "reports.jsonl", [("closure", BRIDGE), ("chess", CHESS)])
    runner = CliRunner()
    ingested = runner.invoke(main, ["ingest", "--db", url, str(inputs)])
    assert ingested.exit_code == 0, ingested.output
    assert "4 new articles" in ingested.output and "briefs: 2 written" in ingested.output
    monkeypatch.setenv("NEWSBRIEF_DB", url)  # the same database, named by the environment
    listed = json.loads(runner.invoke(main, ["stories", "--json"]).stdout)
    assert [s["article_count"] for s in listed] == [3, 1]
    shown = json.loads(runner.invoke(main, ["show", str(listed[0]["id"]), "--format", "json"]).stdout)
    assert shown["story_id"] == str(listed[0]["id"]) and shown["version"] == 1
    hits = json.loads(runner.invoke(main, ["search", "girder", "--json"]).stdout)
    assert hits and "[girder]" in hits[0]["snippet"].lower()
    assert runner.invoke(main, ["feeds", "add", "https://a.example/feed"]).exit_code == 0
    assert "https://a.example/feed" in runner.invoke(main, ["feeds"]).output
    missing = runner.invoke(main, ["show", "999"])
    assert missing.exit_code != 0 and "no story 999" in missing.output
    for command in ("serve", "mcp"):  # they serve PostgreSQL too (tests/test_web_api.py, test_mcp.py)
        unreachable = runner.invoke(main, [command, "--db", postgres_server.url("no_such_database")])
        assert unreachable.exit_code != 0 and "cannot connect" in unreachable.output, unreachable.output


def test_a_writer_with_outdated_indexes_keeps_memberships_valid(location: str,
                                                                 reports: dict[str, list[Article]]) -> None:
    """What another writer process does between two of this one's transactions: stores the very
    article this one is about to store (it checked has_url before), merges away an event this one
    still has in its index. Nothing fails, the article is stored once, memberships stay valid. On
    SQLite too: an `ingest` beside a `watch` on one file."""
    url = location
    with open_store(url) as mine, open_store(url) as other:
        ingest_articles(_all(reports, "chess"), other)
        Grouper(other)  # lets the (empty) stories form before both start
        grouper = Grouper(mine)  # knows the chess event, not what `other` writes next
        first, second, *_ = _fresh(reports["bridge"])
        ingest_articles([copy.deepcopy(first)], other)
        summary = IngestSummary()
        grouper.add(first, summary)  # as if has_url had said no just before `other` committed it
        assert other.article_count() == 2 and other.check() == []
        (chess_event,) = [e["id"] for s in other.stories() for e in other.events_of(s.id)
                          if e["article_ids"] == [1]]
        bridge_event = other.event_of(2)
        assert bridge_event is not None
        with other.transaction():  # `other` merges the chess event away (as its merge pass might)
            other.merge_events(bridge_event, chess_event, 0.9, {})
        (chess_again,) = _fresh(reports["chess_again"])
        grouper.add(chess_again, summary)  # joins the chess event of `mine`'s index: merged away now
        grouper.add(second, summary)
        grouper.merge_converged(summary.changed_stories, summary)
        assert mine.check() == [] and mine.article_count() == 4
        (joined,) = mine._records("SELECT event_id FROM articles WHERE url = ?", (chess_again.url,))
        assert joined["event_id"] == bridge_event  # followed the merge


def test_writers_take_turns_and_readers_never_wait(postgres_server: PostgresServer,  # noqa: F811
                                                   reports: dict[str, list[Article]]) -> None:
    """A second writer waits for the first one's transaction (the advisory lock), seen from the
    server's own view of who waits on what; a reader answers meanwhile and sees only committed work."""
    url = postgres_server.new_database()
    with open_store(url) as first, open_store(url) as second, open_store(url) as reader:
        ingest_articles(_all(reports, "chess"), first)
        entered = threading.Event()

        def write() -> None:
            with second.transaction():
                entered.set()

        with first.transaction():
            first.add_article(_fresh(reports["hearing"])[0], None, {})  # not committed yet
            waiting = threading.Thread(target=write)
            waiting.start()
            pid = second.db.info.backend_pid
            for _ in range(200):  # bounded: until the server shows the second writer waiting
                state = reader.db.execute("SELECT wait_event FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()
                if state and state[0] == "advisory":
                    break
                time.sleep(0.05)
            assert state and state[0] == "advisory" and not entered.is_set()
            assert reader.article_count() == 1 and [s.article_count for s in reader.stories()] == [1]
        waiting.join(timeout=30)
        assert entered.is_set() and reader.article_count() == 2


def _writer(url: str, *inputs: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, NEWSBRIEF_WORKERS="1")
    return subprocess.Popen([sys.executable, "-m", "newsbrief.cli", "ingest", "--no-briefs", "--db", url,
                             *map(str, inputs)], env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_two_writer_processes_store_every_url_once(postgres_server: PostgresServer,  # noqa: F811
                                                   tmp_path: Path) -> None:
    url = postgres_server.new_database()
    with open_store(url):
        pass  # the schema is made before the writers race for it
    rows = write_articles(tmp_path / "all.jsonl", 16, seed=7)
    shared, own_a, own_b = rows[:8], rows[8:12], rows[12:]
    files = []
    for name, part in (("a", shared + own_a), ("b", shared + own_b)):
        files.append(tmp_path / f"{name}.jsonl")
        files[-1].write_text("".join(json.dumps(r) + "\n" for r in part), "utf-8")
    writers = [_writer(url, f) for f in files]
    outcomes = [w.communicate(timeout=240) for w in writers]
    for writer, (out, err) in zip(writers, outcomes):
        assert writer.returncode == 0, err
        assert "Traceback" not in err and "serializ" not in err and "deadlock" not in err, err
    with open_store(url) as store:
        stored = [r[0] for r in store.db.execute("SELECT url FROM articles").fetchall()]
        assert sorted(stored) == sorted(r["url"] for r in rows)  # every URL, once
        assert store.check() == []
        assert sum(s.article_count for s in store.stories()) == len(rows)


def _table_rows(location: str) -> dict[str, list[tuple[Any, ...]]]:
    with open_store(location) as store:
        return {table: [tuple(r) for r in store.db.execute(f"SELECT {columns} FROM {table} ORDER BY {order}")]
                for table, columns, order in TABLES}


def test_copy_round_trips_a_database(postgres_server: PostgresServer, tmp_path: Path,  # noqa: F811
                                     reports: dict[str, list[Article]]) -> None:
    """SQLite -> PostgreSQL -> SQLite: every table equal, and each copy answers as the original."""
    original, copied, back = str(tmp_path / "original.db"), postgres_server.new_database(), str(tmp_path / "back.db")
    with open_store(original) as store:
        ingest_articles(_all(reports, "bridge", "hearing", "chess"), store)
        refresh_briefs(store, store.due_briefs())
        ingest_articles(_all(reports, "reopening"), store)
        refresh_briefs(store, store.due_briefs())  # a second version of the bridge story's brief
        feed_table(store).add(["https://a.example/feed"], {"https://a.example/feed": "A"})
    runner = CliRunner()
    for source, destination in ((original, copied), (copied, back)):
        result = runner.invoke(main, ["copy", "--from", source, "--to", destination])
        assert result.exit_code == 0 and "copied" in result.output, result.output
    tables = _table_rows(original)
    assert tables["briefs"] and tables["story_history"] and tables["feeds"] and tables["sentences"]
    assert _table_rows(copied) == tables and _table_rows(back) == tables

    def answers(location: str) -> tuple[Any, ...]:
        listed = json.loads(runner.invoke(main, ["stories", "--db", location, "--json"]).stdout)
        shown = [runner.invoke(main, ["show", str(s["id"]), "--db", location, "--format", "json"]).stdout
                 for s in listed]
        hits = json.loads(runner.invoke(main, ["search", "girder", "--db", location, "--json"]).stdout)
        return listed, shown, hits

    first, on_postgres, last = answers(original), answers(copied), answers(back)
    assert first == last
    assert on_postgres[:2] == first[:2]  # the same stories and briefs
    assert {h["id"] for h in on_postgres[2]} == {h["id"] for h in first[2]}  # ranked by each engine's own score
    again = runner.invoke(main, ["copy", "--from", original, "--to", copied])
    assert again.exit_code != 0 and "empty database" in again.output
    with open_store(copied) as store:  # new rows take ids after the copied ones
        ingest_articles(_all(reports, "chess_again"), store)
        assert store.check() == [] and store.article_count() == len(tables["articles"]) + 1


def test_watch_follows_feeds_into_postgresql(server: LocalServer, postgres_server: PostgresServer,  # noqa: F811
                                             tmp_path: Path) -> None:
    url = postgres_server.new_database()
    items = []
    for n, article in enumerate(BRIDGE):
        page = f"/pg/{n}.html"
        server.routes[page] = Page(as_html(article, server.url(page)).encode())
        items.append((article, server.url(page)))
    server.routes["/pg.xml"] = Page(rss(items).encode(), "application/rss+xml")
    listing = tmp_path / "feeds.txt"
    listing.write_text(server.url("/pg.xml") + "\n", "utf-8")
    for _ in range(2):  # watchers on one PostgreSQL database need no lock file: the second finds nothing due
        result = CliRunner().invoke(main, ["watch", "--db", url, "--feeds", str(listing), "--once", "--allow-private",
                                           "--no-briefs"])
        assert result.exit_code == 0, result.output
    with open_store(url) as store:
        assert store.article_count() == 3 and store.check() == [] and len(store.stories()) == 1
        (feed,) = feed_table(store).all()
        assert feed.articles_added == 3 and feed.items_seen == 3 and feed.last_success is not None


def test_without_postgresql_the_tests_skip_unless_it_is_required(monkeypatch: pytest.MonkeyPatch) -> None:
    from . import postgres_server as server_module

    monkeypatch.setattr(server_module, "_bin", lambda name: None)
    with pytest.raises(server_module.PostgresUnavailable, match="initdb, pg_ctl, pg_isready not found"):
        with server_module.running_server():
            pass
    monkeypatch.delenv("NEWSBRIEF_REQUIRE_POSTGRES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="install Debian's postgresql"):
        server_module._unavailable("initdb not found")
    monkeypatch.setenv("NEWSBRIEF_REQUIRE_POSTGRES", "1")
    with pytest.raises(pytest.fail.Exception, match="required"):
        server_module._unavailable("initdb not found")
