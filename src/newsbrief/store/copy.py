"""Copy a whole database from one store to another (either backend to either), ids and all:
articles, sentences, events, stories with their histories, brief versions, feeds, term statistics,
meta, and watchlists with their matches and alert queue. The destination must hold no articles,
stories or feeds yet; it is written in one transaction, so a failed copy leaves it as it was.

The source is read in one snapshot (a SQLite read transaction, a PostgreSQL REPEATABLE READ one), so
a database that `watch` or `ingest` keeps writing copies as it was at one moment: table by table,
an article committed between two tables would arrive without its story."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..errors import NewsbriefError
from .base import Store
from .sqlite import SQLiteStore

# (table, columns, order): parents before children; forward references (a story merged into a
# later one) are checked at commit
TABLES: list[tuple[str, str, str]] = [
    ("outlets", "id, domain, name", "id"),
    ("stories", "id, created_at, first_seen, last_seen, updated_at, headline, article_count, merged_into, "
                "representation, brief_due, event_count, briefed", "id"),
    ("events", "id, story_id, created_at, first_seen, last_seen, updated_at, article_count, merged_into, "
               "representation", "id"),
    ("articles", "id, url, outlet_id, title, author, published_at, fetched_at, language, text, content_hash, "
                 "duplicate_of, story_id, origin, note, terms, date_source, event_id, not_before", "id"),
    ("sentences", 'article_id, idx, text, start, "end", speech, names', "article_id, idx"),
    ("sentence_hashes", "hash, article_id", "hash, article_id"),
    ("event_history", "id, at, kind, event_id, article_id, other_event_id, score", "id"),
    ("story_history", "id, at, kind, story_id, event_id, other_story_id, score", "id"),
    ("briefs", "story_id, version, generated_at, writer, body", "story_id, version"),
    ("term_stats", "term, df", "term"),
    ("meta", "key, value", "key"),
    ("feeds", "id, url, title, added_at, etag, last_modified, last_polled, last_success, last_error, "
              "last_error_at, failures, items_seen, articles_added, next_poll", "id"),
    ("follows", "id, kind, value, webhook, created_at, last_delivery_at, last_error, last_error_at", "id"),
    ("follow_matches", "follow_id, story_id, version, matched_at", "follow_id, story_id, version"),
    ("alerts", "id, follow_id, story_id, version, target, delivery_id, body, created_at, attempts, next_attempt_at, "
               "delivered_at, last_error", "id"),
]
BATCH = 1000


@dataclass
class CopySummary:
    rows: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        return [", ".join(f"{count} {table}" for table, count in self.rows.items())]


def copy_store(source: Store, destination: Store, on_table: Callable[[str, int], None] | None = None) -> CopySummary:
    """Copy every table of ``source`` into the empty ``destination``."""
    for table in ("articles", "stories", "feeds"):
        if destination.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]:
            raise NewsbriefError(f"the destination already holds {table}; copy into a new, empty database")
    summary = CopySummary()
    sqlite = isinstance(destination, SQLiteStore)
    mark = "?" if sqlite else "%s"
    with _snapshot(source), destination.transaction():
        destination.db.execute("PRAGMA defer_foreign_keys = ON" if sqlite else "SET CONSTRAINTS ALL DEFERRED")
        destination.db.execute("DELETE FROM meta")  # a new database's own marks give way to the source's
        for table, columns, order in TABLES:
            insert = f"INSERT INTO {table}({columns}) VALUES ({', '.join([mark] * len(columns.split(',')))})"
            count = 0
            for rows in _batches(source, f"SELECT {columns} FROM {table} ORDER BY {order}"):
                _insert_many(destination, insert, rows)
                count += len(rows)
            summary.rows[table] = count
            if on_table:
                on_table(table, count)
            if not sqlite and "id" == order:
                destination.db.execute(  # the next id after the copied ones
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) "
                    f"FROM {table}")
    return summary


@contextmanager
def _snapshot(store: Store) -> Iterator[None]:
    """Every read of ``store`` inside sees the database as it was at the first one."""
    if isinstance(store, SQLiteStore):
        store.db.execute("BEGIN")  # deferred: a read transaction, which a WAL writer does not disturb
        try:
            yield
        finally:
            store.db.execute("ROLLBACK")
        return
    with store.db.transaction():
        store.db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _batches(store: Store, sql: str) -> Iterator[list[tuple[Any, ...]]]:
    """The query's rows, a batch at a time (from PostgreSQL through a server-side cursor, inside
    the snapshot's transaction)."""
    if isinstance(store, SQLiteStore):
        cursor = store.db.execute(sql)
        while rows := cursor.fetchmany(BATCH):
            yield [tuple(row) for row in rows]
        return
    with store.db.cursor(name="newsbrief_copy") as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(BATCH):
            yield rows


def _insert_many(store: Store, sql: str, rows: list[tuple[Any, ...]]) -> None:
    if isinstance(store, SQLiteStore):
        store.db.executemany(sql, rows)
    else:
        with store.db.cursor() as cursor:
            cursor.executemany(sql, rows)
