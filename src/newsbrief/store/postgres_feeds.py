"""The feeds `watch` follows, in a PostgreSQL store: ``FeedTable``'s methods and results."""

from __future__ import annotations

from datetime import datetime

from psycopg.rows import class_row

from .feeds import Feed
from .postgres import PostgresStore
from .relational import _now
from .sqlite import _iso

FEED_COLUMNS = """id, url, title, added_at, etag, last_modified, last_polled, last_success, last_error,
                  last_error_at, failures, items_seen, articles_added, next_poll"""


class PostgresFeedTable:
    """Reads and writes the ``feeds`` table of a PostgreSQL store."""

    def __init__(self, store: PostgresStore) -> None:
        self.db = store.db
        self.store = store

    def add(self, urls: list[str], titles: dict[str, str] | None = None) -> int:
        """Follow these feed URLs (already followed ones are kept as they are); returns how many are new."""
        titles = titles or {}
        added = 0
        with self.store.transaction():
            for url in urls:
                added += self.db.execute("INSERT INTO feeds(url, title, added_at) VALUES (%s, %s, %s) "
                                         "ON CONFLICT (url) DO NOTHING", (url, titles.get(url), _now())).rowcount
        return added

    def remove(self, url: str) -> bool:
        with self.store.transaction():
            return self.db.execute("DELETE FROM feeds WHERE url = %s", (url,)).rowcount > 0

    def all(self) -> list[Feed]:
        with self.db.cursor(row_factory=class_row(Feed)) as cursor:
            return cursor.execute(f"SELECT {FEED_COLUMNS} FROM feeds ORDER BY id").fetchall()

    def get(self, url: str) -> Feed | None:
        with self.db.cursor(row_factory=class_row(Feed)) as cursor:
            return cursor.execute(f"SELECT {FEED_COLUMNS} FROM feeds WHERE url = %s", (url,)).fetchone()

    def record_success(self, url: str, at: datetime, next_poll: datetime, *, etag: str | None,
                       last_modified: str | None, items: int | None, new_articles: int,
                       title: str | None = None) -> None:
        """A poll that worked. ``items`` is None when the feed was not modified (304)."""
        with self.store.transaction():
            self.db.execute(
                """UPDATE feeds SET last_polled = %s, last_success = %s, failures = 0, next_poll = %s,
                          etag = COALESCE(%s, etag), last_modified = COALESCE(%s, last_modified),
                          items_seen = COALESCE(%s, items_seen), articles_added = articles_added + %s,
                          title = COALESCE(title, %s)
                   WHERE url = %s""",
                (_iso(at), _iso(at), _iso(next_poll), etag, last_modified, items, new_articles, title, url))

    def record_failure(self, url: str, at: datetime, next_poll: datetime, error: str) -> None:
        with self.store.transaction():
            self.db.execute(
                """UPDATE feeds SET last_polled = %s, last_error = %s, last_error_at = %s,
                          failures = failures + 1, next_poll = %s WHERE url = %s""",
                (_iso(at), error, _iso(at), _iso(next_poll), url))
