"""`copy` reads its source in one snapshot: a database another process writes to while it is
copied arrives as it was when the copy began, never with an article whose story was not copied.

The other writer commits from ``copy_store``'s own per-table callback, after the stories were
copied and before the articles are: the interleaving is made explicit, not left to timing."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbrief.ingest import ingest_articles
from newsbrief.store import open_store
from newsbrief.store.copy import copy_store

from .postgres_server import BACKENDS, database_location, postgres_server  # noqa: F401 (the fixture)
from .stories import BRIDGE
from .test_story_events import CHESS, _articles, _write


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_database_written_during_the_copy_arrives_as_it_was(backend: str, request: pytest.FixtureRequest,
                                                              tmp_path: Path) -> None:
    source = database_location(backend, request, tmp_path, "source")
    destination = str(tmp_path / "copy.db")
    bridge = _articles(_write(tmp_path / "bridge.jsonl", [("bridge", BRIDGE)]))
    chess = _articles(_write(tmp_path / "chess.jsonl", [("chess", CHESS)]))
    with open_store(source) as store:
        ingest_articles(bridge, store)
        before = sorted(r[0] for r in store.db.execute("SELECT url FROM articles").fetchall())

    def another_writer(table: str, count: int) -> None:
        if table == "stories":  # a new story and its article, committed by another connection
            with open_store(source) as writer:
                ingest_articles(chess, writer)

    with open_store(source) as src, open_store(destination) as dst:
        summary = copy_store(src, dst, on_table=another_writer)
    with open_store(source) as store:
        assert store.article_count() == len(before) + len(chess)  # the write happened, during the copy
    with open_store(destination) as copied:
        assert copied.check() == []
        assert sorted(r[0] for r in copied.db.execute("SELECT url FROM articles").fetchall()) == before
        assert summary.rows["articles"] == len(before) and summary.rows["stories"] == len(copied.stories())
