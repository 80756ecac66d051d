"""Watchlists and webhook alerts: `follow add|list|remove` on both backends, matching new brief
versions (story, name, query), signed alerts checked by a real receiver on 127.0.0.1, at-least-once
delivery with backoff while the receiver is down (driven poll by poll with a test clock, never by
sleeping), the address guard, and the web app's followed list and per-watchlist Atom feeds."""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from newsbrief import Config
from newsbrief.cli import main
from newsbrief.ingest import ingest
from newsbrief.pipeline import refresh_briefs
from newsbrief.store import SQLiteStore, open_store
from newsbrief.store.feeds import FeedTable
from newsbrief.store.follows import FollowTable
from newsbrief.watch import Watcher
from newsbrief.web import create_app
from newsbrief.webhooks import DELIVERY_HEADER, FIRST_RETRY, MAX_RETRY, SIGNATURE_HEADER, deliver_due, retry_delay

from .conftest import LocalServer
from .postgres_server import BACKENDS, database_location, postgres_server  # noqa: F401 (the fixture)
from .stories import BRIDGE
from .test_story_events import CHESS, _write
from .test_watch import FERRY, ChangingFeed, Clock
from .web_fixtures import call

SECRET = "test-secret-not-a-real-one"
HEARING_DATE = {
    "title": "Portavel council sets Gull Bridge hearing for next Tuesday",
    "outlet": "Portavel Tribune",
    "published": "2026-03-05T09:00:00+00:00",
    "paragraphs": [
        "The Portavel city council will hold its hearing on the Gull Bridge closure next Tuesday, "
        "councillor Amara Osei said.",
        "Engineers will present the repair plan for the cracked girder of the Gull Bridge at the hearing.",
        "Mayor Ines Calder said ferry crossings would continue while the bridge stays closed to traffic.",
    ],
}


@dataclass
class Delivery:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """A webhook receiver on 127.0.0.1 that records every POST and answers ``status``."""

    status: int = 200
    seen: list[Delivery] = field(default_factory=list)
    url: str = ""

    @property
    def accepted(self) -> list[dict]:
        """The alerts it answered 2xx to, as JSON."""
        return [json.loads(d.body) for d in self.seen if 200 <= d.status < 300]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            status = state.status
            state.seen.append(Delivery(status, {k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/hooks/newsbrief?token=abc"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()


def verified(delivery: Delivery, secret: str = SECRET) -> bool:
    """What a receiver does: the HMAC-SHA256 of the exact body, compared in constant time."""
    expected = "sha256=" + hmac.new(secret.encode(), delivery.body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, delivery.headers.get(SIGNATURE_HEADER.lower(), ""))


@pytest.fixture(params=BACKENDS)
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return database_location(request.param, request, tmp_path)


def _invoke(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(main, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


# -- the watchlists, on both backends ------------------------------------------------------------

def test_follow_add_list_remove_and_matches_on_both_backends(location: str, tmp_path: Path) -> None:
    runner = CliRunner()
    _invoke("ingest", str(_write(tmp_path / "bridge.jsonl", [("bridge", BRIDGE[:2])])), "--db", location)
    story = json.loads(_invoke("stories", "--db", location, "--json"))[0]["id"]

    assert "watchlist 1" in _invoke("follow", "add", "--story", str(story), "--db", location)
    assert "watchlist 2" in _invoke("follow", "add", "--name", "Ines Calder", "--db", location)
    refused = "http://127.0.0.1:9/hook"  # a loopback target: refused by the address guard
    assert "watchlist 3" in _invoke("follow", "add", "--query", "girder", "--webhook", refused, "--db", location)
    assert "already following" in _invoke("follow", "add", "--name", "Ines Calder", "--db", location)
    for bad in (["--story", "999"], ["--name", "A", "--query", "B"], ["--query", "x", "--webhook", "ftp://a.example/"]):
        result = runner.invoke(main, ["follow", "add", *bad, "--db", location])
        assert result.exit_code != 0 and "Traceback" not in result.output, result.output

    # a new version: every watchlist matches; only the query one has a webhook
    _invoke("ingest", str(_write(tmp_path / "more.jsonl", [("more", BRIDGE[2:])])), "--db", location,
            env={"NEWSBRIEF_WEBHOOKS": ""})
    listed = json.loads(_invoke("follow", "list", "--json", "--db", location))
    assert [(f["id"], f["kind"], f["value"]) for f in listed] == [
        (1, "story", str(story)), (2, "name", "Ines Calder"), (3, "query", "girder")]
    assert "loopback" in listed[2]["last_error"] and listed[2]["pending"] == 1
    assert listed[0]["pending"] == 0 and listed[0]["last_error"] is None
    text = _invoke("follow", "list", "--db", location)
    assert "last delivery never" in text and "loopback" in text and "$NEWSBRIEF_WEBHOOKS" in text
    with open_store(location) as store:
        table = FollowTable(store)
        for follow_id in (1, 2, 3):
            assert [(e["story_id"], e["version"]) for e in table.matched_versions(follow_id)] == [(story, 2)]
        assert [(a["follow_id"], a["version"], a["attempts"]) for a in table.alerts()] == [(3, 2, 1)]

    assert "removed watchlist 3" in _invoke("follow", "remove", "3", "--db", location)
    assert runner.invoke(main, ["follow", "remove", "3", "--db", location]).exit_code != 0
    assert [f["id"] for f in json.loads(_invoke("follow", "list", "--json", "--db", location))] == [1, 2]
    with open_store(location) as store:
        assert FollowTable(store).alerts() == []

    # a new story that matches a query watchlist: its first version matches
    added = _invoke("follow", "add", "--query", "chess", "--db", location)
    chess_follow = int(added.rsplit("watchlist ", 1)[1].rstrip(")\n"))
    _invoke("ingest", str(_write(tmp_path / "chess.jsonl", [("chess", CHESS)])), "--db", location)
    with open_store(location) as store:
        matched = [(e["story_id"], e["version"]) for e in FollowTable(store).matched_versions(chess_follow)]
        assert len(matched) == 1 and matched[0][0] != story and matched[0][1] == 1


def test_copy_carries_watchlists_matches_and_the_alert_queue(postgres_server, tmp_path: Path) -> None:  # noqa: F811
    original, copied = tmp_path / "news.db", postgres_server.new_database()
    _store_with_a_version(original, ("name", "calder"), "https://hooks.example.net/a").close()
    _invoke("copy", "--from", str(original), "--to", copied)

    def rows(location: str) -> tuple[list, list, list]:
        with open_store(location) as store:
            table = FollowTable(store)
            return ([f.as_dict() for f in table.all()], table.matched_versions(1), table.alerts())

    assert rows(copied) == rows(str(original)) and rows(copied)[2]
    with open_store(copied) as store:  # the next id after the copied ones
        assert FollowTable(store).add("query", "ferry")[0].id == 2


# -- signing and delivery ------------------------------------------------------------------------

def _store_with_a_version(path: Path, follow: tuple[str, str], webhook: str) -> SQLiteStore:
    """A store whose bridge story has a watchlist, then a second brief version (with changes)."""
    store = SQLiteStore(path)
    refresh_briefs(store, ingest([str(_write(path.parent / "a.jsonl", [("a", BRIDGE[:2])]))], store).changed_stories)
    FollowTable(store).add(*follow, webhook=webhook)
    refresh_briefs(store, ingest([str(_write(path.parent / "b.jsonl", [("b", BRIDGE[2:])]))], store).changed_stories)
    return store


def test_an_alert_is_signed_over_its_exact_body_and_marked_delivered(receiver: Receiver, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSBRIEF_BASE_URL", "https://news.example.org/")  # links are written when queued
    with _store_with_a_version(tmp_path / "news.db", ("name", "calder"), receiver.url) as store:
        config = Config.load(allow_private=True, webhook_secret=SECRET)
        report = deliver_due(store, config)
        assert (report.sent, report.failed) == (1, 0)
        [delivery] = receiver.seen
        assert verified(delivery)
        assert not verified(Delivery(200, delivery.headers, delivery.body + b" "))  # a changed body fails
        assert not verified(delivery, "another secret")
        alert = json.loads(delivery.body)
        assert delivery.headers[DELIVERY_HEADER.lower()] == alert["delivery_id"]
        assert delivery.headers["content-type"] == "application/json"
        story = store.stories()[0].id
        assert (alert["story_id"], alert["version"], alert["follow"]["kind"]) == (story, 2, "name")
        assert alert["matched"] == ["Ines Calder"] and alert["changes"] == store.latest_brief(story).changes
        assert alert["changes"] and alert["headline"] and alert["lede"]
        assert alert["links"]["story"] == f"https://news.example.org/stories/{story}"
        assert deliver_due(store, config).attempted == 0  # delivered: never sent again
        [follow] = FollowTable(store).all()
        assert follow.last_delivery_at and follow.pending == 0


def test_the_callers_settings_decide_where_alerts_go_and_what_they_link_to(
        receiver: Receiver, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`refresh_briefs` queues alerts with the settings it is given (as `serve` and `watch` pass
    theirs), not with what the environment says."""
    monkeypatch.delenv("NEWSBRIEF_WEBHOOKS", raising=False)
    monkeypatch.setenv("NEWSBRIEF_BASE_URL", "https://environment.example/")
    config = Config.load(allow_private=True, webhook_secret=SECRET, webhooks=receiver.url,
                         base_url="https://caller.example/")
    with SQLiteStore(tmp_path / "news.db") as store:
        first = ingest([str(_write(tmp_path / "a.jsonl", [("a", BRIDGE[:2])]))], store, config)
        refresh_briefs(store, first.changed_stories, config=config)
        FollowTable(store).add("name", "calder")  # no webhook of its own: the configured ones
        second = ingest([str(_write(tmp_path / "b.jsonl", [("b", BRIDGE[2:])]))], store, config)
        refresh_briefs(store, second.changed_stories, config=config)
        assert deliver_due(store, config).sent == 1
        alert = json.loads(receiver.seen[0].body)
        assert alert["links"]["story"].startswith("https://caller.example/stories/")


def test_without_a_secret_alerts_go_unsigned(receiver: Receiver, tmp_path: Path) -> None:
    with _store_with_a_version(tmp_path / "news.db", ("query", "girder"), receiver.url) as store:
        assert deliver_due(store, Config.load(allow_private=True, webhook_secret="")).sent == 1
        assert SIGNATURE_HEADER.lower() not in receiver.seen[0].headers


def test_private_targets_are_refused_unless_allowed_and_failures_back_off(receiver: Receiver, tmp_path: Path) -> None:
    with socket.socket() as s:  # a port with nothing listening
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}/hook"
    with _store_with_a_version(tmp_path / "news.db", ("query", "girder"), receiver.url) as store:
        FollowTable(store).add("name", "calder", webhook=closed)
        refresh_briefs(store, ingest([str(_write(tmp_path / "c.jsonl", [("c", [FERRY])]))], store).changed_stories)
        now = datetime(2026, 3, 6, tzinfo=timezone.utc)
        report = deliver_due(store, Config.load(allow_private=False, webhook_secret=SECRET), now)
        assert report.sent == 0 and report.failed == 3 and receiver.seen == []
        assert all("loopback" in a["last_error"] for a in FollowTable(store).alerts())

        report = deliver_due(store, Config.load(allow_private=True, webhook_secret=SECRET), now)
        assert report.attempted == 0  # nothing is due before its backoff
        later = now + timedelta(seconds=FIRST_RETRY)
        report = deliver_due(store, Config.load(allow_private=True, webhook_secret=SECRET), later)
        assert (report.sent, report.failed) == (2, 1)  # the receiver's two; the closed port's one
        [stuck] = [a for a in FollowTable(store).alerts() if a["delivered_at"] is None]
        assert stuck["attempts"] == 2 and "could not post" in stuck["last_error"]
        assert stuck["next_attempt_at"] == (later + timedelta(seconds=2 * FIRST_RETRY)).isoformat()
    assert [retry_delay(n) for n in (1, 2, 3)] == [FIRST_RETRY, 2 * FIRST_RETRY, 4 * FIRST_RETRY]
    assert retry_delay(50) == MAX_RETRY and retry_delay(1, retry_after=10 * MAX_RETRY) == MAX_RETRY
    assert retry_delay(5000) == MAX_RETRY  # a receiver down for years: no overflow


# -- the test: `watch` on a growing feed, a receiver that goes down and comes back ---------

def test_watch_sends_one_signed_alert_per_new_version_and_catches_up_after_an_outage(
        server: LocalServer, receiver: Receiver, tmp_path: Path) -> None:
    feed = ChangingFeed(server, "/feed.xml", BRIDGE[:2])
    clock = Clock()
    config = Config.load(allow_private=True, workers=1, webhook_secret=SECRET)
    with SQLiteStore(tmp_path / "news.db") as store, \
            Watcher(store, config, every=600, clock=clock, rng=random.Random(3)) as watcher:
        FeedTable(store).add([server.url("/feed.xml")])
        assert watcher.poll().briefs_written == 1
        story = store.stories()[0].id
        FollowTable(store).add("story", str(story), webhook=receiver.url)

        def grow(article: dict) -> None:
            feed.set([*feed_articles, article])
            feed_articles.append(article)
            clock.advance(600)
            assert watcher.poll().new_articles == 1

        feed_articles = list(BRIDGE[:2])
        grow(FERRY)  # version 2: delivered at once
        assert [(a["story_id"], a["version"]) for a in receiver.accepted] == [(story, 2)]

        receiver.status = 503  # the receiver goes down for two versions
        grow(BRIDGE[2])
        grow(HEARING_DATE)
        assert store.latest_brief(story).version == 4
        assert [d.status for d in receiver.seen] == [200, 503, 503]  # each tried once, at its poll
        [follow] = FollowTable(store).all()
        assert "HTTP 503" in follow.last_error and follow.pending == 2

        tried = len(receiver.seen)
        clock.advance(FIRST_RETRY / 2)
        watcher.poll()  # nothing is due yet: no feed, and no alert before its backoff
        assert len(receiver.seen) == tried

        receiver.status = 200  # back
        clock.advance(4 * FIRST_RETRY)
        watcher.poll()
        for _ in range(3):  # later polls send nothing again
            clock.advance(MAX_RETRY)
            watcher.poll()

    versions = [(a["story_id"], a["version"]) for a in receiver.accepted]
    assert versions == [(story, 2), (story, 3), (story, 4)]  # each version once, none twice
    for delivery in receiver.seen:
        assert verified(delivery)
    for alert in receiver.accepted:
        assert alert["changes"], alert  # what changed, in each
    assert len({d.headers[DELIVERY_HEADER.lower()] for d in receiver.seen}) == 3  # a retry keeps its id
    [follow] = FollowTable(SQLiteStore(tmp_path / "news.db")).all()
    assert follow.pending == 0 and follow.last_delivery_at


# -- the web app ----------------------------------------------------------------------------------

def test_followed_list_and_a_feed_per_watchlist_in_the_web_app(tmp_path: Path) -> None:
    path = tmp_path / "news.db"
    webhook = "https://hooks.example.net/secret-path?token=t0ps3cret"
    with _store_with_a_version(path, ("name", "calder"), webhook) as store:
        FollowTable(store).add("query", "<script>alert(1)</script> & girder")
        story = store.stories()[0].id
    app = create_app(path)

    page = call(app, "GET", "/follows")
    assert page.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; girder" in page.text and "<script>alert" not in page.text
    assert "hooks.example.net" in page.text and "t0ps3cret" not in page.text and "secret-path" not in page.text
    assert 'href="/follows/1/feed.atom"' in page.text

    listed = call(app, "GET", "/follows.json").json()["follows"]
    assert [(f["id"], f["kind"], f["webhook_host"]) for f in listed] == [(1, "name", "hooks.example.net"),
                                                                         (2, "query", None)]
    assert "t0ps3cret" not in json.dumps(listed)

    feed = call(app, "GET", "/follows/1/feed.atom")
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/atom+xml")
    atom = "{http://www.w3.org/2005/Atom}"
    root = ElementTree.fromstring(feed.content)
    entries = root.findall(f"{atom}entry")
    assert [e.find(f"{atom}link").get("href") for e in entries] == [f"http://testserver/stories/{story}/versions/2"]
    assert "What changed" in entries[0].find(f"{atom}summary").text
    empty = ElementTree.fromstring(call(app, "GET", "/follows/2/feed.atom").content)
    assert empty.findall(f"{atom}entry") == [] and "&lt;script&gt;" in call(app, "GET", "/follows/2/feed.atom").text
    assert call(app, "GET", "/follows/99/feed.atom").status_code == 404
