"""Two writers on one database ingest the same articles: each article is counted as new
by exactly one of them, also when both passed the ``has_url`` check before either stored it."""

from __future__ import annotations

import copy
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsbrief.ingest import Grouper, IngestSummary, ingest_articles
from newsbrief.store import open_store
from newsbrief.stories import GroupingParams, TermStats, article_vector
from newsbrief.store.postgres import WRITER_LOCK

from .generated import write_articles
from .postgres_server import BACKENDS, PostgresServer, database_location, postgres_server  # noqa: F401
from .test_story_events import CHESS, HEARING, _articles, _write

WAIT_FOR_WRITERS = 180.0  # seconds for both writer processes to reach the lock (start-up, extraction)
COUNTS = re.compile(r"(\d+) new articles, (\d+) syndicated copies, (\d+) already stored")


@pytest.mark.parametrize("backend", BACKENDS)
def test_an_article_another_writer_stored_meanwhile_counts_as_already_stored(
        backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """``Grouper.add`` for an article another writer committed after this one checked ``has_url``:
    counted as already stored, not new (on SQLite: not a UNIQUE constraint error), and this
    writer's event index and statistics stay as they were."""
    url = database_location(backend, request, tmp_path)
    (article,) = _articles(_write(tmp_path / "chess.jsonl", [("chess", CHESS)]))
    with open_store(url) as mine, open_store(url) as other:
        grouper = Grouper(mine)
        ingest_articles([copy.deepcopy(article)], other)
        summary = IngestSummary()
        story_id = grouper.add(article, summary)  # as if has_url had said no just before `other` committed it
        assert (summary.new_articles, summary.copies, summary.already_stored) == (0, 0, 1)
        assert not summary.events_created and not summary.stories_created
        assert grouper.index.stories == {} and grouper.stats.documents == 0
        assert story_id == other.story_of(1) and mine.article_count() == 1 and mine.check() == []


def _ingest_process(url: str, inputs: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, NEWSBRIEF_WORKERS="1")
    return subprocess.Popen([sys.executable, "-m", "newsbrief.cli", "ingest", "--no-briefs", "--db", url, str(inputs)],
                            env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_two_writer_processes_count_each_article_as_new_once(postgres_server: PostgresServer,  # noqa: F811
                                                             tmp_path: Path) -> None:
    """Both processes ingest the same file. The writer lock is held here until both wait for it
    with their first article, which each found unknown: one stores it, the other finds it stored."""
    url = postgres_server.new_database()
    with open_store(url) as store:
        Grouper(store)  # lets the (empty) stories form now, so that the writers' first write is an article
    rows = write_articles(tmp_path / "same.jsonl", 6, seed=11)
    with open_store(url) as holder, open_store(url) as watcher:
        with holder.transaction():  # takes the writer lock
            writers = [_ingest_process(url, tmp_path / "same.jsonl") for _ in range(2)]
            deadline = time.monotonic() + WAIT_FOR_WRITERS
            waiting = 0
            while waiting < 2 and time.monotonic() < deadline and all(w.poll() is None for w in writers):
                time.sleep(0.05)  # a poll interval: the lock table is read again, the wait is bounded
                waiting = watcher.db.execute(
                    "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND objid = %s AND NOT granted "
                    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
                    (WRITER_LOCK,)).fetchone()[0]
            assert waiting == 2, [w.communicate() for w in writers if w.poll() is not None]
            assert watcher.article_count() == 0
        outcomes = [w.communicate(timeout=240) for w in writers]
    counts = []
    for writer, (out, err) in zip(writers, outcomes):
        assert writer.returncode == 0, err
        found = COUNTS.search(out)
        assert found, out
        counts.append([int(n) for n in found.groups()])
    assert [sum(c) for c in counts] == [len(rows), len(rows)]  # each writer accounts for every item
    assert sum(new + copies for new, copies, _ in counts) == len(rows)  # each article new to one writer
    assert all(copies == 0 for _, copies, _ in counts)  # the six fictional reports are all distinct
    with open_store(url) as store:
        assert store.article_count() == len(rows) and store.check() == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_writers_term_statistics_add_up(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    """Each writer saves the document frequencies it added, as increments: two writers that loaded
    the same statistics do not overwrite each other's counts."""
    url = database_location(backend, request, tmp_path)
    chess, hearing = (_articles(_write(tmp_path / f"{name}.jsonl", [(name, group)]))[0]
                      for name, group in (("chess", CHESS), ("hearing", HEARING)))
    with open_store(url) as first, open_store(url) as second:
        Grouper(first)  # lets the (empty) stories form before both load their statistics
        writers = [Grouper(first), Grouper(second)]
        for grouper, article in zip(writers, (chess, hearing)):
            grouper.add(article, IngestSummary())
            grouper.save_stats()
        df, documents = first.load_term_stats()
    assert documents == 2
    # both writers started from empty statistics, so each article's terms are those of a fresh vector
    one, other = (set(article_vector(a, TermStats(), GroupingParams())) for a in (chess, hearing))
    assert df == {term: (term in one) + (term in other) for term in one | other}
