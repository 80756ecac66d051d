"""The database: ingest, idempotency, crash safety, concurrent readers, search, show."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from click.testing import CliRunner

from newsbrief.cli import main
from newsbrief.ingest import ingest
from newsbrief.store import SQLiteStore

from .conftest import EXAMPLES, HOLD_LIMIT, REPO, LocalServer, Page, run_on_a_terminal, split_sample
from .generated import write_articles
from .stories import BRIDGE, as_html

NEAR_MISS = REPO / "bench" / "data" / "near_miss.jsonl"


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsbrief.cli", *args]


def _snapshot(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT url, story_id, duplicate_of, content_hash FROM articles ORDER BY id").fetchall()
    finally:
        con.close()


def test_ingest_groups_the_sample_and_near_misses(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    result = CliRunner().invoke(main, ["ingest", "--db", str(db), str(EXAMPLES), str(NEAR_MISS)])
    assert result.exit_code == 0, result.output
    assert "20 new articles, 1 syndicated copies" in result.output
    listed = json.loads(CliRunner().invoke(main, ["stories", "--db", str(db), "--json"]).stdout)
    assert len(listed) == 7
    sample = listed[0]
    assert sample["article_count"] == 9 and sample["outlet_count"] == 6 and sample["event_count"] == 2
    assert "Selvan" in sample["headline"]
    assert {"id", "headline", "first_seen", "last_seen", "outlet_count", "urls"} <= set(sample)
    with SQLiteStore(db) as store:
        assert store.check() == []


def test_ingesting_the_same_inputs_twice_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    with SQLiteStore(db) as store:
        first = ingest([str(EXAMPLES)], store)
    before = _snapshot(db)
    with SQLiteStore(db) as store:
        again = ingest([str(EXAMPLES)], store)
        assert store.check() == []
    assert first.new_articles == 8 and first.copies == 1
    assert again.new_articles == 0 and again.copies == 0 and again.already_stored == 9
    assert not again.changed_stories
    assert _snapshot(db) == before


def test_show_search_and_versions(tmp_path: Path) -> None:
    db = tmp_path / "news.db"
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "--db", str(db), str(EXAMPLES)]).exit_code == 0
    story = json.loads(runner.invoke(main, ["stories", "--db", str(db), "--json"]).stdout)[0]["id"]
    shown = runner.invoke(main, ["show", str(story), "--db", str(db), "--format", "json"])
    brief = json.loads(shown.stdout)
    assert brief["story_id"] == str(story) and brief["version"] == 1
    hits = json.loads(runner.invoke(main, ["search", "levee", "--db", str(db), "--json"]).stdout)
    assert hits and all(h["story_id"] == story for h in hits) and "[levee]" in hits[0]["snippet"].lower()
    assert runner.invoke(main, ["search", 'unbalanced "quote AND (', "--db", str(db)]).exit_code == 0
    missing = runner.invoke(main, ["show", "999", "--db", str(db)])
    assert missing.exit_code != 0 and "no story 999" in missing.output


def test_commands_on_a_missing_database_say_what_to_do(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["stories", "--db", str(tmp_path / "none.db")])
    assert result.exit_code != 0 and "run `newsbrief ingest" in result.output


def test_brief_over_several_stories_writes_one_per_story_largest_first(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["brief", "--format", "json", str(EXAMPLES), str(NEAR_MISS)])
    assert result.exit_code == 0, result.output
    briefs = json.loads(result.stdout)
    assert isinstance(briefs, list) and len(briefs) == 7
    assert "Selvan" in briefs[0]["headline"]
    assert [len(b["sources"]) for b in briefs] == sorted((len(b["sources"]) for b in briefs), reverse=True)


def _committed(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        con = sqlite3.connect(db, timeout=5)
        try:
            return con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            con.close()
    except sqlite3.OperationalError:  # not created yet
        return 0


def _ingest_until_held(server: LocalServer, source: Path, db: Path, *extra: str) -> tuple[subprocess.Popen, str]:
    """Start `ingest` of ``source`` and then of a page the server holds: the ingest cannot end
    before the test lets the page go, whatever the speed of the machine."""
    server.routes["/held.html"] = Page(as_html(BRIDGE[0], server.url("/held.html")).encode(), hold=threading.Event())
    # the fetcher must wait for the held page as long as the server holds it (it gives up at 15 s)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src"), "NEWSBRIEF_READ_TIMEOUT": str(HOLD_LIMIT)}
    process = subprocess.Popen(_cli("ingest", "--allow-private", *extra, "--db", str(db), str(source),
                                    server.url("/held.html")),
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process, server.url("/held.html")


def test_sigkill_mid_ingest_loses_nothing_committed(server: LocalServer, tmp_path: Path) -> None:
    source = tmp_path / "many.jsonl"
    rows = write_articles(source, 200)
    db = tmp_path / "news.db"
    process, held = _ingest_until_held(server, source, db, "--no-briefs")
    try:
        assert server.held.wait(300), "the ingest never reached the held page"
        survivors = _committed(db)  # the ingest waits for the page: nothing more is stored now
        assert process.poll() is None
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
        server.release()
    with SQLiteStore(db) as store:
        assert store.check() == []
        assert store.article_count() == survivors
    assert 0 < survivors < len(rows) + 1
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    finished = subprocess.run(_cli("ingest", "--no-briefs", "--allow-private", "--db", str(db), str(source), held),
                              env=env, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert f"{survivors} already stored" in finished.stdout
    with SQLiteStore(db) as store:
        assert store.check() == []
        urls = [r[0] for r in store.db.execute("SELECT url FROM articles")]
    assert sorted(urls) == sorted([r["url"] for r in rows] + [held])


def test_readers_answer_while_an_ingest_runs(server: LocalServer, tmp_path: Path) -> None:
    source = tmp_path / "many.jsonl"
    write_articles(source, 600, seed=2)
    db = tmp_path / "news.db"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    with SQLiteStore(db) as store:
        ingest([str(EXAMPLES)], store)
    before = _committed(db)
    process, _ = _ingest_until_held(server, source, db)
    try:
        rounds = 0
        while rounds < 3 or _committed(db) == before:  # read at least once while the writer has written
            listed = subprocess.run(_cli("stories", "--db", str(db), "--json"), env=env, capture_output=True,
                                    text=True, timeout=60)
            shown = subprocess.run(_cli("show", "1", "--db", str(db)), env=env, capture_output=True, text=True,
                                   timeout=60)
            assert listed.returncode == 0 and json.loads(listed.stdout), listed.stderr
            assert shown.returncode == 0 and "Selvan" in shown.stdout, shown.stderr
            rounds += 1
            assert rounds < 200, "the ingest stored nothing"
        assert process.poll() is None  # it cannot have ended: the server holds its last page
    finally:
        process.kill()
        process.wait()


def test_progress_shows_on_a_terminal_and_not_when_piped(tmp_path: Path) -> None:
    source = tmp_path / "many.jsonl"
    write_articles(source, 800, seed=3)
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    piped = subprocess.run(_cli("ingest", "--no-briefs", "--db", str(tmp_path / "piped.db"), str(source)),
                           env=env, capture_output=True, text=True, timeout=300)
    assert piped.returncode == 0 and "\r" not in piped.stderr and "items," not in piped.stderr
    assert "800 items in" in piped.stdout  # the summary is always printed

    code, text = run_on_a_terminal(_cli("ingest", "--no-briefs", "--db", str(tmp_path / "tty.db"), str(source)), env)
    assert code == 0
    assert "items, " in text and "/s, " in text and " new, " in text and " errors" in text, text[-500:]


def test_an_older_database_is_migrated_in_place(tmp_path: Path) -> None:
    from newsbrief.store.migrations import MIGRATIONS

    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    con.executescript(f"BEGIN; {MIGRATIONS[0]}; PRAGMA user_version = 1; COMMIT;")
    con.close()
    with SQLiteStore(db) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        plan = " ".join(str(tuple(r)) for r in store.db.execute(
            "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM sentence_hashes WHERE article_id = 1"))
        assert "sentence_hashes_article" in plan
        ingest([str(EXAMPLES)], store)
        assert store.check() == []


def test_a_new_version_says_what_changed(tmp_path: Path) -> None:
    first, later = split_sample(tmp_path)
    db = tmp_path / "news.db"
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "--db", str(db), str(first)]).exit_code == 0
    assert runner.invoke(main, ["ingest", "--db", str(db), str(later)]).exit_code == 0
    brief = json.loads(runner.invoke(main, ["show", "1", "--db", str(db), "--format", "json"]).stdout)
    assert brief["version"] == 2
    assert "1 new outlet: Civic Radio Castavia" in brief["changes"]
    assert any(c.startswith("deaths now given as 23 by the Provincial Emergency Agency, up from 14")
               for c in brief["changes"]), brief["changes"]
    text = runner.invoke(main, ["show", "1", "--db", str(db)]).stdout
    assert "\nWhat changed since the last version\n- 1 new outlet: Civic Radio Castavia\n" in text


def test_briefs_a_run_did_not_write_are_written_by_the_next(tmp_path: Path) -> None:
    """A run killed after storing articles and before writing their briefs (here: --no-briefs)
    leaves the work recorded; the next run writes those briefs, even with nothing new to add."""
    db = str(tmp_path / "news.db")
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", "--no-briefs", "--db", db, str(EXAMPLES)]).exit_code == 0
    with SQLiteStore(Path(db)) as store:
        stories = [s.id for s in store.stories()]
        assert store.due_briefs() == sorted(stories) and not store.latest_brief(stories[0])
    again = runner.invoke(main, ["ingest", "--db", db, str(EXAMPLES)])
    assert again.exit_code == 0 and "0 new articles" in again.stdout
    assert f"briefs: {len(stories)} written" in again.stdout
    with SQLiteStore(Path(db)) as store:
        assert store.due_briefs() == [] and all(store.latest_brief(s) for s in stories)
    assert "briefs: 0 written" in runner.invoke(main, ["ingest", "--db", db, str(EXAMPLES)]).stdout


def test_a_story_whose_brief_cannot_be_written_is_reported_once(tmp_path: Path) -> None:
    """Its failure is reported, the other stories get briefs, and it is not tried again until it changes."""
    source = tmp_path / "mixed.jsonl"
    unreadable = {"url": "https://kurier.example/most", "title": "Мост закрыт", "outlet": "Kurier",
                  "text": "Мост через гавань закрыт после осмотра. Паромы ходят чаще обычного. "
                          "Ремонт займёт шесть недель, сказали инженеры."}
    source.write_text(json.dumps(unreadable, ensure_ascii=False) + "\n", "utf-8")
    db = str(tmp_path / "news.db")
    runner = CliRunner()
    first = runner.invoke(main, ["ingest", "--db", db, str(EXAMPLES), str(source)])
    assert first.exit_code == 0, first.output
    assert first.stderr.count("mixed.jsonl:1): no sentence to write from") == 1
    with SQLiteStore(Path(db)) as store:
        assert store.due_briefs() == []
        assert len([s.id for s in store.stories() if store.latest_brief(s.id)]) == len(store.stories()) - 1
    second = runner.invoke(main, ["ingest", "--db", db, str(EXAMPLES), str(source)])
    assert "briefs: 0 written" in second.stdout and "no sentence to write from" not in second.stderr
