"""Faults and load: SIGKILLs during `ingest` and `watch`, then `serve` under concurrent clients.

(a) Faults. A real HTTP server on 127.0.0.1 publishes RSS feeds of generated fictional reports
    (invented towns, people, outlets and figures; several reports per event). `newsbrief ingest
    FEED_URL...` and `newsbrief watch --feeds FILE --every 1` run as real processes with
    --allow-private; before each run a new edition is published (ingest: one more feed; watch:
    more items in every feed, with a new ETag), and the run gets SIGKILL at a random moment
    (seeded), then the next one starts. After --kills kills (half to each command) a last run is
    left to finish (`ingest` of every feed; `watch --once`), and the database is compared with
    what was published: articles lost (published URLs not stored), articles stored twice (rows
    sharing a URL or a content hash, or joined to a story twice), rows nobody published,
    SQLite's `PRAGMA integrity_check`, the store's own check (`SQLiteStore.check()`), the FTS5
    index's integrity-check, foreign keys, and stories left without a brief or with a brief
    older than their newest article. Each kill says what it interrupted (start-up, storing
    articles, writing briefs, or an idle watcher) and whether the command's worker processes
    outlived it.
(b) Load. `newsbrief serve` runs on a free port of 127.0.0.1 over a copy of (a)'s ingest
    database while `newsbrief ingest` keeps adding new feeds of reports to it; --clients
    concurrent httpx clients (one asyncio loop) request a mix of pages, JSON twins, API routes,
    search and Atom feeds for --seconds. Prints requests, errors (status >= 400 or an exception),
    requests/s and p50/p95/p99 latency, per route and in all, and any server traceback.

No traffic leaves 127.0.0.1: every URL is a loopback URL and proxies are taken out of the
environment. Every loop is bounded in count and in time.

    python bench/soak.py [--kills 20] [--seconds 60] [--clients 50] [--seed 7]
                         [--ingest-window 2,25] [--watch-window 2,25] [--per-run 20] [--keep DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from web import percentile  # bench/web.py

from newsbrief.dedupe import canonical_url
from newsbrief.lock import AlreadyRunning, watch_lock
from newsbrief.store.sqlite import SQLiteStore

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.stories import as_html  # noqa: E402  (the page markup the tests use)

NEWSBRIEF = [sys.executable, "-m", "newsbrief.cli"]
PROXY_VARIABLES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}
GROUP_EXIT_WAIT = 5.0  # seconds the killed command's worker processes get to follow it
FINAL_RUN_LIMIT = 900.0  # seconds a last, uninterrupted run may take
SERVER_START_LIMIT = 60.0


# -- fictional reports ------------------------------------------------------------------------------

TOWNS = ["Velmora", "Hollin Ford", "Caskbridge", "Port Averly", "Drennick", "Saltmere", "Orvale",
         "Kestrin Hills", "Lowfen", "Marrowgate", "Tessaly Point", "Brackwater", "Eldham Cross", "Syrna",
         "Quillon", "Fenwick Bay", "Ardlow", "Mistral Heights", "Corran", "Whitlock Vale"]
RIVERS = ["Sabre", "Ennet", "Harrow", "Lune Water", "Calder Run", "Mosswick"]
FIRST = ["Ilsa", "Teodor", "Maren", "Joss", "Anouk", "Piers", "Rhea", "Oskar", "Lena", "Dario", "Yusra",
         "Callum", "Noor", "Brigid", "Tarek", "Sunniva"]
LAST = ["Vantreck", "Holloway", "Quist", "Marlowe", "Adeyemi", "Strand", "Korvin", "Delacour", "Ferreira",
        "Oduya", "Lindqvist", "Sorell", "Pashkov", "Ambrose", "Keel", "Barrowman"]
OUTLETS = ["Northgate Courier", "Harbourline Times", "The Meridian Dispatch", "Valley Gazette", "Coastal Record",
           "Eastmarch Radio", "The Lantern Post", "Ridgeway Herald", "Tidewater News", "Crossroads Wire",
           "Summit Observer", "The Old Quay Journal"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# Each kind of event: headlines, then facts, each fact in two wordings (reports of one event by
# different outlets share the facts, not the sentences, as real coverage does).
EVENTS: list[tuple[list[str], list[tuple[str, str]]]] = [
    (["The {river} floods {n} streets in {town}", "{town} moves residents as the {river} rises",
      "Floodwater reaches the centre of {town}"],
     [("The {river} burst its banks at {town} on {day}, flooding {n} streets near the old market, {role} {person} said.",
       "Water from the {river} spilled into {n} streets of {town} on {day}, according to {role} {person}."),
      ("About {m} residents spent the night in a school gym and two church halls.",
       "Some {m} people were moved to a school gym and two church halls overnight, officials said."),
      ("The regional water board said the river peaked {x} metres above its usual level.",
       "Gauges showed the water {x} metres above normal at its peak, the regional water board said."),
      ("\"We are asking everyone to keep off the bridges until the water drops,\" {person} told reporters.",
       "{person} urged residents of {town} to keep away from the bridges until the river falls."),
      ("Forecasters expect more rain across the valley by the weekend, which could slow the clean-up.",
       "More rain is forecast for the valley before the weekend and could delay the clean-up, forecasters said."),
      ("No deaths have been reported, but {y} people were treated for minor injuries.",
       "Medics treated {y} people for minor injuries; nobody has died, the hospital in {town} said.")]),
    (["Fire destroys a warehouse on the edge of {town}", "{n} firefighters battle a blaze in {town}",
      "Warehouse fire in {town} burns through the night"],
     [("A fire destroyed a storage warehouse on the edge of {town} on {day}, {role} {person} said.",
       "Flames gutted a warehouse on the outskirts of {town} late on {day}, according to {role} {person}."),
      ("{n} firefighters from three stations worked through the night to keep the fire from spreading.",
       "Crews from three stations, {n} firefighters in all, kept the blaze from reaching nearby homes."),
      ("The owner estimated the damage at about {m} million dollars.",
       "Damage could reach {m} million dollars, the warehouse's owner told insurers."),
      ("Police closed the ring road for {x} hours while smoke drifted over the town.",
       "The ring road around {town} stayed shut for {x} hours because of the smoke, police said."),
      ("\"The cause is not known yet, and we will not guess,\" {person} said on {day}.",
       "{person} said investigators had not yet found what started the fire."),
      ("{y} nearby households were told to keep their windows closed until the smoke cleared.",
       "Residents of {y} houses near the site were asked to shut their windows, the council said.")]),
    (["Ferry crews walk out in {town}", "Strike halts ferries between {town} and the islands",
      "{town} ferry strike strands {m} commuters"],
     [("Ferry crews in {town} walked out on {day}, halting crossings for about {m} commuters, union leader {person} said.",
       "About {m} commuters were left without ferries on {day} after crews in {town} went on strike, said union leader {person}."),
      ("The union says wages have fallen behind prices for {x} years.",
       "Pay has not kept pace with prices for {x} years, according to the crews' union."),
      ("The harbour authority said it would run {n} extra buses around the bay.",
       "To carry stranded passengers, the harbour authority promised {n} additional buses around the bay."),
      ("Talks between the operator and the union are due to resume later in the week.",
       "The operator and the union are expected back at the table before the week is out."),
      ("\"Nobody wants to leave people on the quay, but we have run out of patience,\" {person} said.",
       "{person} said the crews regretted the disruption but saw no other way to be heard."),
      ("Island shops reported that {y} deliveries had been postponed because of the strike.",
       "Shops on the islands said {y} deliveries were put off while the ferries stood idle.")]),
    (["{town} closes its old viaduct after inspectors find cracks", "Cracks shut the viaduct in {town}",
      "Detours in {town} as the viaduct closes"],
     [("The council in {town} closed the old viaduct on {day} after inspectors found cracks in a pier, {role} {person} said.",
       "Inspectors found cracks in one of the viaduct's piers, and {town} shut it on {day}, according to {role} {person}."),
      ("About {m} vehicles used the viaduct on an average weekday.",
       "Traffic counts put weekday use of the viaduct at roughly {m} vehicles."),
      ("Drivers face detours of up to {x} kilometres while the repairs go on.",
       "Detours add as much as {x} kilometres to some journeys, the roads office said."),
      ("Engineers expect the repairs to take at least {n} weeks.",
       "The repairs could last {n} weeks or more, engineers told the council."),
      ("\"We will reopen it only when we are sure it is safe,\" {person} said.",
       "{person} promised that the viaduct would not reopen before engineers were satisfied."),
      ("A report in {year} had recommended strengthening the piers, council papers show.",
       "Council papers show that strengthening the piers was first recommended in {year}.")]),
    (["Power cut leaves {m} homes in {town} dark", "Storm knocks out power across {town}",
      "{town} waits for power after the storm"],
     [("A storm brought down power lines across {town} on {day}, leaving about {m} homes without electricity, {role} {person} said.",
       "About {m} households in {town} lost power when a storm felled lines on {day}, according to {role} {person}."),
      ("The grid operator said {n} repair crews were working to restore supplies.",
       "{n} crews were out repairing lines, the grid operator said."),
      ("Gusts reached {x} kilometres an hour at the harbour, the weather office said.",
       "The weather office measured gusts of {x} kilometres an hour at the harbour."),
      ("Schools in the northern districts stayed closed on {day}.",
       "Several schools in the north of the town did not open on {day}."),
      ("\"Most homes should have power back within two days,\" {person} said.",
       "{person} said most supplies should be restored within two days."),
      ("Volunteers opened {y} warming centres for older residents.",
       "{y} warming centres were opened by volunteers for older people, the council said.")]),
    (["Landslide cuts the mountain road above {town}", "Road to {town} buried by a landslide",
      "{town} cut off after the mountain road gives way"],
     [("A landslide buried the mountain road above {town} on {day}, {role} {person} said.",
       "Rock and mud covered the road above {town} on {day}, according to {role} {person}."),
      ("About {m} residents of the upper valley can reach the town only on foot.",
       "Roughly {m} people in the upper valley are cut off from the town except on foot."),
      ("The road office said clearing the {x} metres of debris could take {n} days.",
       "Clearing {x} metres of debris may take {n} days, the road office estimated."),
      ("Geologists will inspect the slope before any machines are sent in.",
       "No machines will go up until geologists have checked the slope, officials said."),
      ("\"We were lucky that nobody was driving past at the time,\" {person} said.",
       "{person} said it was fortunate that no vehicles were on the road when it gave way."),
      ("A helicopter delivered {y} crates of food and medicine to the upper villages.",
       "{y} crates of food and medicine reached the upper villages by helicopter.")]),
]


@dataclass
class Report:
    """One fictional report: ``path`` is where the publisher serves its page."""

    path: str
    title: str
    outlet: str
    published: datetime
    paragraphs: list[str]

    def page(self, url: str) -> bytes:
        return as_html({"title": self.title, "outlet": self.outlet, "published": self.published.isoformat(),
                        "paragraphs": self.paragraphs}, url).encode("utf-8")


class Newsroom:
    """Makes fictional events and their reports from a seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.events = 0
        self.start = datetime(2026, 4, 1, 7, 0, tzinfo=timezone.utc)

    def person(self) -> str:
        return f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"

    def reports(self, prefix: str, count: int) -> list[Report]:
        """``count`` reports about consecutive events (2-5 reports each, by different outlets)."""
        out: list[Report] = []
        while len(out) < count:
            self.events += 1
            headlines, facts = self.rng.choice(EVENTS)
            values = {"town": self.rng.choice(TOWNS), "river": self.rng.choice(RIVERS), "person": self.person(),
                      "role": self.rng.choice(["Mayor", "fire chief", "council leader", "emergency coordinator"]),
                      "day": self.rng.choice(DAYS), "n": self.rng.randint(4, 90), "m": self.rng.randint(300, 9000),
                      "x": self.rng.randint(2, 40), "y": self.rng.randint(3, 60), "year": self.rng.randint(1998, 2024)}
            when = self.start + timedelta(days=self.events * 2)
            outlets = self.rng.sample(OUTLETS, self.rng.randint(2, 5))
            for n, outlet in enumerate(outlets[: count - len(out)]):
                values["m"] += self.rng.randint(0, 400) * n  # later reports update the figures
                chosen = self.rng.sample(facts, self.rng.randint(4, len(facts)))
                paragraphs = [self.rng.choice(pair).format(**values) for pair in chosen]
                reporter = self.person()
                the_outlet = outlet if outlet.startswith("The ") else f"the {outlet}"
                paragraphs.append(f"{reporter} reported this story for {the_outlet} from {values['town']}, "
                                  f"speaking to {self.rng.randint(2, 12)} residents and officials on {values['day']}.")
                out.append(Report(path=f"/{prefix}/{self.events:04d}-{n}.html",
                                  title=self.rng.choice(headlines).format(**values),
                                  outlet=outlet, published=when + timedelta(hours=3 * n), paragraphs=paragraphs))
        return out


def rss(title: str, items: list[tuple[Report, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{escape(r.title)}</title><link>{escape(url)}</link><guid>{escape(url)}</guid>"
        f"<pubDate>{format_datetime(r.published)}</pubDate><description>{escape(r.paragraphs[0])}</description></item>"
        for r, url in items)
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{escape(title)}</title>"
            f"<link>http://127.0.0.1/</link><description>soak bench</description>{entries}</channel></rss>").encode()


# -- the publisher: a real HTTP server on 127.0.0.1 ---------------------------------------------------

class Publisher:
    """Serves pages and feeds on 127.0.0.1 with ETags (conditional GET answers 304)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[bytes, str, str | None]] = {
            "/robots.txt": (b"User-agent: *\nAllow: /\n", "text/plain; charset=utf-8", None)}
        self.lock = threading.Lock()
        self.requests = 0
        self.not_modified = 0
        self.dropped = 0  # connections the client closed mid-answer (a killed command)
        publisher = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                with publisher.lock:
                    publisher.requests += 1
                    body, kind, etag = publisher.routes.get(self.path, (b"not found", "text/plain", None))
                    found = self.path in publisher.routes
                    unchanged = etag is not None and self.headers.get("If-None-Match") == etag
                    publisher.not_modified += unchanged
                try:
                    self.send_response(304 if unchanged else 200 if found else 404)
                    if etag:
                        self.send_header("ETag", etag)
                    if not unchanged:
                        self.send_header("Content-Type", kind)
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if not unchanged:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    with publisher.lock:
                        publisher.dropped += 1

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                with publisher.lock:
                    publisher.dropped += 1

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def url(self, path: str) -> str:
        return self.base + path

    def put(self, path: str, body: bytes, kind: str, etag: str | None = None) -> None:
        with self.lock:
            self.routes[path] = (body, kind, etag)

    def publish_feed(self, path: str, title: str, reports: list[Report], etag: str | None = None) -> None:
        """Each report's page, and the feed listing them (newest first)."""
        for report in reports:
            self.put(report.path, report.page(self.url(report.path)), "text/html; charset=utf-8")
        items = [(r, self.url(r.path)) for r in reversed(reports)]
        self.put(path, rss(title, items), "application/rss+xml; charset=utf-8", etag)

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# -- running and killing the commands ------------------------------------------------------------------

def command_env() -> dict[str, str]:
    """This environment without proxies (every request must go straight to 127.0.0.1)."""
    return {k: v for k, v in os.environ.items() if k.lower() not in PROXY_VARIABLES} | {"PYTHONUNBUFFERED": "1"}


def count(db: Path, sql: str) -> int:
    """One number from the database (0 while the file or its tables do not exist yet)."""
    if not db.exists():
        return 0
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)
    try:
        return int(connection.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:
        return 0
    finally:
        connection.close()


def group_members(group: int) -> list[int]:
    """Live (not zombie) processes in process group ``group``, from /proc."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            state, _ppid, pgrp = (entry / "stat").read_text().rsplit(")", 1)[1].split()[:3]
        except (OSError, ValueError):
            continue
        if int(pgrp) == group and state != "Z":
            members.append(int(entry.name))
    return members


def memory_mb(pid: int, line: str = "VmRSS") -> float:
    """A process's resident memory (or its peak, ``VmHWM``) in MB; 0 once it is gone."""
    try:
        for text in Path(f"/proc/{pid}/status").read_text().splitlines():
            if text.startswith(line + ":"):
                return int(text.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def wait_for_group(group: int, limit: float,
                   before_cleanup: Callable[[], None] = lambda: None) -> tuple[float, int, float]:
    """Seconds until the group's processes were gone, how many were still alive after ``limit``,
    and their memory in MB (they are then killed, after ``before_cleanup()``: they belong to a
    command this script started)."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if not group_members(group):
            return time.monotonic() - started, 0, 0.0
        time.sleep(0.05)
    before_cleanup()
    left = group_members(group)
    memory = sum(memory_mb(pid) for pid in left)
    if left:
        os.killpg(group, signal.SIGKILL)
    return time.monotonic() - started, len(left), memory


def lock_held(db: Path) -> bool:
    """Whether a new `watch` on ``db`` would be refused as "already running"."""
    try:
        watch_lock(db).acquire().release()
    except AlreadyRunning:
        return True
    return False


@dataclass
class Run:
    """One run of a command, killed or not."""

    delay: float | None  # when SIGKILL was due (None: left to finish)
    killed: bool
    exit_code: int | None
    seconds: float
    articles: tuple[int, int]  # stored before and after the run
    briefs: tuple[int, int]
    group_exit: float  # seconds the command's other processes took to go after it
    left_alive: int  # of those, still alive GROUP_EXIT_WAIT seconds later
    left_mb: float  # and the memory they held
    polls: int  # polls `watch` finished (its JSON log's "poll" events)
    locked: bool  # the watch lock was still held GROUP_EXIT_WAIT seconds after the kill

    @property
    def aftermath(self) -> str:
        if not self.left_alive:
            return ""
        return (f"; {self.left_alive} worker processes ({self.left_mb:.0f} MB) still alive {GROUP_EXIT_WAIT:.0f} s later"
                + (", still holding the watch lock" if self.locked else ""))

    @property
    def stage(self) -> str:
        """What the kill interrupted, as the database and the log show it."""
        if not self.killed:
            return "had finished" if self.exit_code == 0 else f"had exited with code {self.exit_code}"
        if self.polls:
            return "idle watcher (edition done, polling again)"
        if self.briefs[1] > self.briefs[0]:
            return "writing briefs"
        if self.articles[1] > self.articles[0]:
            return "storing articles"
        return "start-up, fetching or extracting"


def run_command(args: list[str], db: Path, log: Path, kill_after: float | None, limit: float,
                watch: bool = False) -> Run:
    """Run ``args`` in its own process group, its output in ``log``; SIGKILL its main process after
    ``kill_after`` seconds (or after ``limit`` seconds if it is left to finish and has not). For
    ``watch``, whether its lock outlived it too."""
    before = (count(db, "SELECT COUNT(*) FROM articles"), count(db, "SELECT COUNT(*) FROM briefs"))
    started = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(args, stdout=out, stderr=out, env=command_env(), start_new_session=True)
        killed = False
        try:
            process.wait(timeout=kill_after if kill_after is not None else limit)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)  # the main process only, as an OOM killer or a power cut would
            process.wait()
            killed = True
        seconds = time.monotonic() - started
        locked: list[bool] = []
        group_exit, left, left_mb = wait_for_group(process.pid, GROUP_EXIT_WAIT,
                                                   lambda: locked.append(watch and lock_held(db)))
    after = (count(db, "SELECT COUNT(*) FROM articles"), count(db, "SELECT COUNT(*) FROM briefs"))
    polls = log.read_text("utf-8", "replace").count('"event": "poll"')
    return Run(kill_after, killed, process.returncode, seconds, (before[0], after[0]), (before[1], after[1]),
               group_exit, left, left_mb, polls, any(locked))


# -- auditing a database against what was published ------------------------------------------------------

@dataclass
class Audit:
    expected: int
    stored: int
    lost: list[str]
    unexpected: list[str]
    same_url: int  # extra rows sharing a URL
    same_content: int  # extra rows sharing a content hash
    joined_twice: int  # articles with more than one created/joined event
    copies: int  # stored as syndicated copies of another report (kept, marked duplicate_of)
    integrity: list[str]  # PRAGMA integrity_check
    store_check: list[str]  # SQLiteStore.check(), less what integrity_check already says
    fts: str
    foreign_keys: int
    stories: int
    without_brief: int
    stale_brief: int

    @property
    def twice(self) -> int:
        return self.same_url + self.same_content + self.joined_twice


def audit(db: Path, expected_urls: set[str], maybe: frozenset[str] = frozenset()) -> Audit:
    """``db`` against the URLs that must be stored; ``maybe`` lists URLs that may be (not counted
    as lost, nor as rows nobody published). Read as it is: no migration (the code under test may
    be newer than this process's import of it)."""
    with SQLiteStore(db, readonly=True) as store:
        store_check = store.check()
    connection = sqlite3.connect(db, timeout=30)
    try:
        q = connection.execute
        stored = {row[0] for row in q("SELECT url FROM articles")}
        integrity = [r[0] for r in q("PRAGMA integrity_check") if r[0] != "ok"]
        store_problems = [p for p in store_check if p not in integrity]
        try:
            q("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
            fts = "ok"
        except sqlite3.DatabaseError as exc:
            fts = str(exc)
        live = "s.merged_into IS NULL AND s.article_count > 0"
        return Audit(
            expected=len(expected_urls), stored=q("SELECT COUNT(*) FROM articles").fetchone()[0],
            lost=sorted(expected_urls - stored), unexpected=sorted(stored - expected_urls - maybe),
            same_url=q("SELECT COALESCE(SUM(n - 1), 0) FROM (SELECT COUNT(*) n FROM articles GROUP BY url)").fetchone()[0],
            same_content=q("SELECT COALESCE(SUM(n - 1), 0) FROM "
                           "(SELECT COUNT(*) n FROM articles GROUP BY content_hash)").fetchone()[0],
            joined_twice=q("SELECT COUNT(*) FROM (SELECT article_id FROM event_history WHERE kind IN ('created', 'joined') "
                           "GROUP BY article_id HAVING COUNT(*) > 1)").fetchone()[0],
            copies=q("SELECT COUNT(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0],
            integrity=integrity, store_check=store_problems, fts=fts,
            foreign_keys=len(q("PRAGMA foreign_key_check").fetchall()),
            stories=q(f"SELECT COUNT(*) FROM stories s WHERE {live}").fetchone()[0],
            without_brief=q(f"SELECT COUNT(*) FROM stories s WHERE {live} AND NOT EXISTS "
                            "(SELECT 1 FROM briefs b WHERE b.story_id = s.id)").fetchone()[0],
            stale_brief=q(f"""SELECT COUNT(*) FROM stories s WHERE {live}
                              AND (SELECT MAX(generated_at) FROM briefs b WHERE b.story_id = s.id)
                                  < (SELECT MAX(at) FROM event_history h JOIN events e ON e.id = h.event_id
                                     WHERE e.story_id = s.id)""").fetchone()[0],
        )
    finally:
        connection.close()


def audit_lines(name: str, a: Audit) -> list[str]:
    def listed(problems: list[str]) -> str:
        return "ok" if not problems else f"{len(problems)} problems: " + "; ".join(problems[:5])

    lines = [
        f"{name}: {a.expected} published, {a.stored} stored -> lost {len(a.lost)}, stored twice {a.twice} "
        f"(same URL {a.same_url}, same text {a.same_content} [no two published reports share one], "
        f"joined a story twice {a.joined_twice}), "
        f"rows nobody published {len(a.unexpected)}",
        f"  PRAGMA integrity_check: {listed(a.integrity)}; SQLiteStore.check(): {listed(a.store_check)}; "
        f"FTS5 integrity-check: {a.fts}; foreign_key_check: {a.foreign_keys} rows",
        f"  {a.stories} stories: {a.without_brief} without a brief, {a.stale_brief} with a brief older than their "
        f"newest article; {a.copies} reports stored as syndicated copies (kept, marked duplicate_of)",
    ]
    lines += [f"  lost: {url}" for url in a.lost[:5]] + [f"  not published: {url}" for url in a.unexpected[:5]]
    return lines


# -- (a) faults ------------------------------------------------------------------------------------------

@dataclass
class FaultPhase:
    name: str
    runs: list[Run] = field(default_factory=list)
    final: Run | None = None
    audit: Audit | None = None

    def lines(self) -> list[str]:
        kills = [r for r in self.runs if r.killed]
        stages = Counter(r.stage for r in kills)
        slowest = max((r.group_exit for r in kills), default=0.0)
        out = [f"{self.name}: {len(kills)} SIGKILLs in {len(self.runs)} runs (interrupted: "
               + ", ".join(f"{n} {stage}" for stage, n in stages.most_common()) + "); "
               f"worker processes alive {GROUP_EXIT_WAIT:.0f} s after a kill: {sum(r.left_alive for r in kills)} "
               f"(after {sum(r.left_alive > 0 for r in kills)} of the kills, "
               f"{max((r.left_mb for r in kills), default=0):.0f} MB at most; slowest group exit {slowest:.2f} s)"
               + (f"; the watch lock was still held then after {sum(r.locked for r in kills)} kills "
                  "(a restart would be refused as \"already running\")" if self.name == "watch" else "")]
        if self.final is not None:
            out.append(f"  last run (not killed): {self.final.seconds:.1f} s, exit code {self.final.exit_code}, "
                       f"+{self.final.articles[1] - self.final.articles[0]} articles, "
                       f"+{self.final.briefs[1] - self.final.briefs[0]} briefs")
        if self.audit is not None:
            out += ["  " + line for line in audit_lines("database", self.audit)]
        return out


def kill_ingest(newsroom: Newsroom, publisher: Publisher, folder: Path, kills: int, window: tuple[float, float],
                per_run: int, rng: random.Random) -> FaultPhase:
    """`newsbrief ingest` of every feed published so far, one more feed before each run, each run
    killed at a random moment; then one run left to finish."""
    db = folder / "ingest.db"
    phase = FaultPhase("ingest")
    feeds: list[str] = []
    published: list[Report] = []
    for attempt in range(3 * kills):  # runs that finish before their kill are not counted
        if sum(r.killed for r in phase.runs) >= kills:
            break
        reports = newsroom.reports("ingest", per_run)
        published += reports
        feeds.append(f"/ingest/feed{attempt}.xml")
        publisher.publish_feed(feeds[-1], f"Soak ingest feed {attempt}", reports)
        delay = rng.uniform(*window)
        run = run_command([*NEWSBRIEF, "ingest", "--db", str(db), "--allow-private",
                           *(publisher.url(f) for f in feeds)], db, folder / f"ingest-{attempt:02d}.log", delay,
                          FINAL_RUN_LIMIT)
        phase.runs.append(run)
        print(f"  ingest run {len(phase.runs):2d}: {'SIGKILL at' if run.killed else 'no kill at'} {delay:5.1f} s "
              f"({run.stage}), articles {run.articles[0]} -> {run.articles[1]}, "
              f"briefs {run.briefs[0]} -> {run.briefs[1]}{run.aftermath}", flush=True)
    phase.final = run_command([*NEWSBRIEF, "ingest", "--db", str(db), "--allow-private",
                               *(publisher.url(f) for f in feeds)], db, folder / "ingest-last.log", None,
                              FINAL_RUN_LIMIT)
    phase.audit = audit(db, {canonical_url(publisher.url(r.path)) for r in published})
    return phase


def kill_watch(newsroom: Newsroom, publisher: Publisher, folder: Path, kills: int, window: tuple[float, float],
               feeds: int, per_feed: int, rng: random.Random) -> FaultPhase:
    """`newsbrief watch --every 1` over ``feeds`` feeds; before each run every feed gains
    ``per_feed`` items and a new ETag; each run is killed at a random moment; then a last edition
    and one `watch --once` left to finish."""
    db = folder / "watch.db"
    phase = FaultPhase("watch")
    paths = [f"/watch/feed{f}.xml" for f in range(feeds)]
    (folder / "feeds.txt").write_text("".join(publisher.url(p) + "\n" for p in paths), "utf-8")
    items: list[list[Report]] = [[] for _ in paths]

    def publish(edition: int) -> None:
        for f, path in enumerate(paths):
            items[f] += newsroom.reports(f"watch/f{f}", per_feed)
            publisher.publish_feed(path, f"Soak watch feed {f}", items[f], etag=f'"e{edition}"')

    base = [*NEWSBRIEF, "watch", "--feeds", str(folder / "feeds.txt"), "--db", str(db), "--allow-private",
            "--every", "1", "--log-format", "json"]
    for edition in range(kills):
        publish(edition)
        delay = rng.uniform(*window)
        log = folder / f"watch-{edition:02d}.log"
        run = run_command(base, db, log, delay, FINAL_RUN_LIMIT, watch=True)
        phase.runs.append(run)
        stage = run.stage if run.killed else f"{run.stage}: see {log}"
        print(f"  watch run {len(phase.runs):2d}: SIGKILL at {delay:5.1f} s ({stage}), "
              f"articles {run.articles[0]} -> {run.articles[1]}, briefs {run.briefs[0]} -> {run.briefs[1]}"
              f"{run.aftermath}", flush=True)
    publish(kills)
    time.sleep(1.5)  # every feed due again (--every 1)
    phase.final = run_command([*base, "--once"], db, folder / "watch-last.log", None, FINAL_RUN_LIMIT, watch=True)
    phase.audit = audit(db, {canonical_url(publisher.url(r.path)) for feed in items for r in feed})
    return phase


# -- (b) load ----------------------------------------------------------------------------------------------

@dataclass
class Targets:
    """What the clients may ask for: ids and words read from the database before the load."""

    stories: list[int]
    unbriefed: set[int]  # stories without a stored brief: the app writes one for each request
    articles: list[int]
    outlets: list[int]
    words: list[str]
    pages: int

    @classmethod
    def read(cls, db: Path) -> "Targets":
        with SQLiteStore(db, readonly=True) as store:
            q = store.db.execute
            stories = [r[0] for r in q("SELECT id FROM stories WHERE merged_into IS NULL AND article_count > 0")]
            unbriefed = {r[0] for r in q("SELECT id FROM stories s WHERE NOT EXISTS "
                                         "(SELECT 1 FROM briefs b WHERE b.story_id = s.id)")}
            return cls(stories=stories, unbriefed=unbriefed, articles=[r[0] for r in q("SELECT id FROM articles")],
                       outlets=[r[0] for r in q("SELECT id FROM outlets")],
                       words=[t.split()[0] for t in TOWNS] + ["viaduct", "ferry", "landslide", "flood", "power"],
                       pages=max(1, (len(stories) + 49) // 50))

    def routes(self) -> dict[str, tuple[int, Callable[[random.Random], str]]]:
        """Route kind -> (weight, path maker)."""
        pick = random.Random.choice
        return {
            "story list /": (3, lambda r: "/"),
            "story list page": (1, lambda r: f"/stories?page={r.randint(1, self.pages)}"),
            "story page": (4, lambda r: f"/stories/{pick(r, self.stories)}"),
            "story .json": (2, lambda r: f"/stories/{pick(r, self.stories)}.json"),
            "story versions": (1, lambda r: f"/stories/{pick(r, self.stories)}/versions"),
            "story Atom": (1, lambda r: f"/stories/{pick(r, self.stories)}/feed.atom"),
            "search": (2, lambda r: f"/search?q={pick(r, self.words)}"),
            "article page": (2, lambda r: f"/articles/{pick(r, self.articles)}"),
            "outlet page": (1, lambda r: f"/outlets/{pick(r, self.outlets)}"),
            "Atom, all": (1, lambda r: "/feed.atom"),
            "API stories": (2, lambda r: f"/api/stories?page={r.randint(1, self.pages)}"),
            "API story": (2, lambda r: f"/api/stories/{pick(r, self.stories)}"),
            "API briefs": (1, lambda r: f"/api/stories/{pick(r, self.stories)}/briefs"),
            "API search": (1, lambda r: f"/api/search?q={pick(r, self.words)}"),
            "API article": (1, lambda r: f"/api/articles/{pick(r, self.articles)}"),
        }


@dataclass
class Load:
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)  # ms, by route kind
    errors: Counter[str] = field(default_factory=Counter)  # by route kind
    statuses: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)  # an error's path and what came back
    # the routes that show a story's latest brief, split by whether the story had one stored
    by_brief: dict[str, list[float]] = field(default_factory=lambda: {"stored": [], "not stored": []})
    by_brief_errors: Counter[str] = field(default_factory=Counter)


SHOWS_LATEST_BRIEF = {"story page", "story .json", "API story"}


async def hammer(base: str, targets: Targets, clients: int, seconds: float, seed: int) -> Load:
    """``clients`` concurrent clients, each sending its next request as soon as the last one is answered."""
    routes = targets.routes()
    kinds, weights = list(routes), [w for w, _ in routes.values()]
    load = Load(latencies={k: [] for k in kinds})
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits, trust_env=False) as client:
        started = time.monotonic()
        deadline = started + seconds

        async def one_client(number: int) -> None:
            rng = random.Random(seed * 1000 + number)
            for _ in range(1_000_000):  # bounded; the deadline ends it long before
                if time.monotonic() >= deadline:
                    return
                kind = rng.choices(kinds, weights)[0]
                path = routes[kind][1](rng)
                t = time.perf_counter()
                try:
                    response = await client.get(path)
                    status = str(response.status_code)
                    failed = response.status_code >= 400
                    said = response.text[:300] if failed else ""
                except httpx.HTTPError as exc:
                    status, failed, said = exc.__class__.__name__, True, str(exc)[:300]
                took = 1000 * (time.perf_counter() - t)
                load.latencies[kind].append(took)
                load.statuses[status] += 1
                if failed:
                    load.errors[kind] += 1
                    load.examples.setdefault(status, f"GET {path} -> {status}: {said}")
                if kind in SHOWS_LATEST_BRIEF:
                    story = int(path.rstrip("/").split("/")[-1].removesuffix(".json"))
                    split = "not stored" if story in targets.unbriefed else "stored"
                    load.by_brief[split].append(took)
                    load.by_brief_errors[split] += failed

        await asyncio.gather(*(one_client(n) for n in range(clients)))
        load.seconds = time.monotonic() - started
    return load


@dataclass
class IngestRun:
    reports: list[Report]
    exit_code: int | None  # None: still running when the load ended, and stopped
    seconds: float


class BackgroundIngest:
    """`newsbrief ingest` of one new feed after another into the served database, until stopped."""

    def __init__(self, newsroom: Newsroom, publisher: Publisher, db: Path, folder: Path, per_feed: int,
                 max_feeds: int) -> None:
        self.newsroom, self.publisher, self.db, self.folder = newsroom, publisher, db, folder
        self.per_feed, self.max_feeds = per_feed, max_feeds
        self.stop = threading.Event()
        self.runs: list[IngestRun] = []
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        for n in range(self.max_feeds):
            if self.stop.is_set():
                return
            reports = self.newsroom.reports("load", self.per_feed)
            self.publisher.publish_feed(f"/load/feed{n}.xml", f"Soak load feed {n}", reports)
            started = time.monotonic()
            with (self.folder / f"load-ingest-{n:02d}.log").open("wb") as log:
                process = subprocess.Popen([*NEWSBRIEF, "ingest", "--db", str(self.db), "--allow-private",
                                            self.publisher.url(f"/load/feed{n}.xml")],
                                           stdout=log, stderr=log, env=command_env(), start_new_session=True)
                code: int | None = None
                while not self.stop.wait(0.2) and time.monotonic() - started < FINAL_RUN_LIMIT:
                    if (code := process.poll()) is not None:
                        break
                if code is None:  # the load is over: stop it as Ctrl-C would
                    code = process.poll()
                if code is None:
                    process.send_signal(signal.SIGINT)
                    try:
                        process.wait(timeout=20)
                    except subprocess.TimeoutExpired:
                        os.killpg(process.pid, signal.SIGKILL)
                        process.wait()
                wait_for_group(process.pid, GROUP_EXIT_WAIT)
            self.runs.append(IngestRun(reports, code, time.monotonic() - started))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_answering(base: str, server: subprocess.Popen[bytes], limit: float) -> float:
    started = time.monotonic()
    with httpx.Client(base_url=base, timeout=5, trust_env=False) as client:
        while time.monotonic() - started < limit:
            if server.poll() is not None:
                break
            try:
                if client.get("/api/stories").status_code == 200:
                    return time.monotonic() - started
            except httpx.TransportError:
                pass
            time.sleep(0.2)
    raise RuntimeError(f"`newsbrief serve` did not answer within {limit:.0f} s (exit code {server.poll()})")


@dataclass
class LoadPhase:
    load: Load
    clients: int
    startup: float
    ingest: BackgroundIngest
    articles: tuple[int, int]
    tracebacks: list[str]
    audit: Audit
    server_peak_mb: float
    unbriefed: int

    def lines(self) -> list[str]:
        load = self.load
        every = [v for values in load.latencies.values() for v in values]
        total, errors = len(every), sum(load.errors.values())
        codes = Counter("stopped at the end" if r.exit_code is None else f"exit {r.exit_code}" for r in self.ingest.runs)
        out = [f"serve: answering {self.startup:.1f} s after start; {self.clients} clients for {load.seconds:.1f} s "
               f"while `ingest` wrote {self.articles[1] - self.articles[0]} new articles into the same database "
               f"({len(self.ingest.runs)} ingest runs: " + ", ".join(f"{n} {c}" for c, n in codes.items()) + ")",
               f"  {total} requests, {errors} errors ({100 * errors / max(1, total):.2f}%), "
               f"{total / max(load.seconds, 1e-9):.1f} requests/s; latency p50 {percentile(every, 50):.0f} ms, "
               f"p95 {percentile(every, 95):.0f} ms, p99 {percentile(every, 99):.0f} ms, max {max(every):.0f} ms",
               "  statuses: " + ", ".join(f"{s}: {n}" for s, n in sorted(load.statuses.items()))
               + f"; serve's peak memory {self.server_peak_mb:.0f} MB",
               f"  {'route':<18}{'requests':>9}{'errors':>7}{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"]
        for kind, values in load.latencies.items():
            if values:
                out.append(f"  {kind:<18}{len(values):>9}{load.errors[kind]:>7}{percentile(values, 50):>8.0f}"
                           f"{percentile(values, 95):>8.0f}{percentile(values, 99):>8.0f}")
        for split, values in load.by_brief.items():
            if values:
                out.append(f"  {', '.join(sorted(SHOWS_LATEST_BRIEF))} of stories whose brief is {split}"
                           f"{f' ({self.unbriefed} stories: the app writes one per request)' if split == 'not stored' else ''}: "
                           f"{len(values)} requests, {load.by_brief_errors[split]} errors, p50 {percentile(values, 50):.0f} ms, "
                           f"p95 {percentile(values, 95):.0f} ms")
        out += [f"  error example: {text}" for text in load.examples.values()]
        out += [f"  server traceback ({len(self.tracebacks)} in all):\n" + self.tracebacks[0]] if self.tracebacks else []
        out += ["  " + line for line in audit_lines("served database after the load", self.audit)]
        return out


def serve_under_load(newsroom: Newsroom, publisher: Publisher, folder: Path, source: Path, clients: int,
                     seconds: float, seed: int) -> LoadPhase:
    """`serve` over a copy of ``source`` under ``clients`` concurrent clients for ``seconds``, while
    `ingest` writes new feeds into the same database."""
    db = folder / "served.db"
    original, copy = sqlite3.connect(source), sqlite3.connect(db)
    original.backup(copy)
    original.close()
    copy.close()
    with SQLiteStore(db, readonly=True) as store:
        before_load = {row[0] for row in store.db.execute("SELECT url FROM articles")}
    targets = Targets.read(db)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    writer = BackgroundIngest(newsroom, publisher, db, folder, per_feed=25, max_feeds=max(4, int(seconds)))
    with (folder / "serve.log").open("wb") as server_log:
        server = subprocess.Popen([*NEWSBRIEF, "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
                                  stdout=server_log, stderr=server_log, env=command_env(), start_new_session=True)
        try:
            startup = wait_until_answering(base, server, SERVER_START_LIMIT)
            before = count(db, "SELECT COUNT(*) FROM articles")
            writer.thread.start()
            load = asyncio.run(hammer(base, targets, clients, seconds, seed))
            peak = memory_mb(server.pid, "VmHWM")
            writer.stop.set()
            writer.thread.join(timeout=FINAL_RUN_LIMIT)
            after = count(db, "SELECT COUNT(*) FROM articles")
        finally:
            writer.stop.set()
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
    log = (folder / "serve.log").read_text("utf-8", "replace")
    tracebacks = ["Traceback" + part[:4000] for part in log.split("Traceback")[1:]]

    def urls(runs: list[IngestRun]) -> set[str]:
        return {canonical_url(publisher.url(r.path)) for run in runs for r in run.reports}

    # the feeds whose ingest finished must be stored whole; the one the load's end stopped, in part
    finished = urls([r for r in writer.runs if r.exit_code == 0])
    stopped = urls([r for r in writer.runs if r.exit_code != 0])
    result = audit(db, before_load | finished, maybe=frozenset(stopped))
    return LoadPhase(load, clients, startup, writer, (before, after), tracebacks, result, peak,
                     len(set(targets.stories) & targets.unbriefed))


# -- main --------------------------------------------------------------------------------------------------

def window(text: str) -> tuple[float, float]:
    low, high = (float(x) for x in text.split(","))
    if not 0 < low <= high:
        raise argparse.ArgumentTypeError("expected LOW,HIGH seconds with 0 < LOW <= HIGH")
    return low, high


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs in all, half during ingest, half during watch")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load on serve")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients of serve")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--ingest-window", type=window, default=(2.0, 25.0), metavar="LOW,HIGH",
                        help="each ingest run is killed at a random moment in this many seconds (default 2,25)")
    parser.add_argument("--watch-window", type=window, default=(2.0, 25.0), metavar="LOW,HIGH",
                        help="each watch run is killed at a random moment in this many seconds (default 2,25)")
    parser.add_argument("--per-run", type=int, default=20, help="reports published before each ingest run")
    parser.add_argument("--keep", type=Path, default=None, help="keep the databases and logs in this folder")
    args = parser.parse_args()
    started = time.monotonic()
    rng = random.Random(args.seed)
    newsroom = Newsroom(args.seed)
    publisher = Publisher()
    ingest_kills = args.kills - args.kills // 2
    print(f"newsbrief soak: seed {args.seed}; {ingest_kills} SIGKILLs during ingest, {args.kills // 2} during watch; "
          f"then serve with {args.clients} clients for {args.seconds:.0f} s; feeds served at {publisher.base}; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print("(a) faults", flush=True)
        t = time.monotonic()
        ingest_phase = kill_ingest(newsroom, publisher, folder, ingest_kills, args.ingest_window, args.per_run, rng)
        ingest_time = time.monotonic() - t
        t = time.monotonic()
        watch_phase = kill_watch(newsroom, publisher, folder, args.kills // 2, args.watch_window, feeds=4,
                                 per_feed=args.per_run // 4, rng=rng)
        watch_time = time.monotonic() - t
        print("(b) load", flush=True)
        t = time.monotonic()
        load_phase = serve_under_load(newsroom, publisher, folder, folder / "ingest.db", args.clients, args.seconds,
                                      args.seed)
        load_time = time.monotonic() - t
    publisher.close()

    print("\n== summary ==")
    print(f"(a) faults ({ingest_time:.0f} s ingest, {watch_time:.0f} s watch); the feed server answered "
          f"{publisher.requests} requests ({publisher.not_modified} with 304 Not Modified, "
          f"{publisher.dropped} dropped by a killed client)")
    for phase in (ingest_phase, watch_phase):
        for line in phase.lines():
            print("  " + line)
    print(f"(b) load ({load_time:.0f} s)")
    for line in load_phase.lines():
        print("  " + line)
    lost = sum(len(p.audit.lost) for p in (ingest_phase, watch_phase) if p.audit)
    twice = sum(p.audit.twice for p in (ingest_phase, watch_phase) if p.audit)
    broken = [p.name for p in (ingest_phase, watch_phase)
              if p.audit and (p.audit.integrity or p.audit.store_check or p.audit.fts != "ok" or p.audit.foreign_keys)]
    server_errors = sum(n for s, n in load_phase.load.statuses.items() if s.startswith("5"))
    unbriefed = sum(p.audit.without_brief + p.audit.stale_brief for p in (ingest_phase, watch_phase) if p.audit)
    orphans = sum(r.left_alive for p in (ingest_phase, watch_phase) for r in p.runs)
    print(f"verdict: {lost} articles lost, {twice} stored twice, integrity problems in {broken or 'no database'}; "
          f"{unbriefed} stories left without a current brief; {orphans} worker processes outlived a kill; "
          f"{server_errors} 5xx answers and {sum(load_phase.load.errors.values())} errors under load; "
          f"{time.monotonic() - started:.0f} s in all (load average at the end {os.getloadavg()[0]:.1f})")


if __name__ == "__main__":
    main()
