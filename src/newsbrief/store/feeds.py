"""The feeds `watch` follows, and each one's health: validators for conditional GET, the last
success and error, consecutive failures (the backoff exponent) and when it may be polled next."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from .relational import _now
from .sqlite import SQLiteStore, _iso


@dataclass
class Feed:
    id: int
    url: str
    title: str | None
    added_at: str
    etag: str | None
    last_modified: str | None
    last_polled: str | None
    last_success: str | None
    last_error: str | None
    last_error_at: str | None
    failures: int
    items_seen: int
    articles_added: int
    next_poll: str | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def due(self, now: datetime) -> bool:
        return self.next_poll is None or datetime.fromisoformat(self.next_poll) <= now


class FeedTable:
    """Reads and writes the ``feeds`` table of a store."""

    def __init__(self, store: SQLiteStore) -> None:
        self.db = store.db
        self.store = store

    def add(self, urls: list[str], titles: dict[str, str] | None = None) -> int:
        """Follow these feed URLs (already followed ones are kept as they are); returns how many are new."""
        titles = titles or {}
        with self.store.transaction():
            before = self.db.total_changes
            self.db.executemany("INSERT OR IGNORE INTO feeds(url, title, added_at) VALUES (?, ?, ?)",
                                [(url, titles.get(url), _now()) for url in urls])
            return self.db.total_changes - before

    def remove(self, url: str) -> bool:
        with self.store.transaction():
            return self.db.execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount > 0

    def all(self) -> list[Feed]:
        return [Feed(**dict(row)) for row in self.db.execute("SELECT * FROM feeds ORDER BY id")]

    def get(self, url: str) -> Feed | None:
        row = self.db.execute("SELECT * FROM feeds WHERE url = ?", (url,)).fetchone()
        return Feed(**dict(row)) if row else None

    def record_success(self, url: str, at: datetime, next_poll: datetime, *, etag: str | None,
                       last_modified: str | None, items: int | None, new_articles: int,
                       title: str | None = None) -> None:
        """A poll that worked. ``items`` is None when the feed was not modified (304)."""
        with self.store.transaction():
            self.db.execute(
                """UPDATE feeds SET last_polled = ?, last_success = ?, failures = 0, next_poll = ?,
                          etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified),
                          items_seen = COALESCE(?, items_seen), articles_added = articles_added + ?,
                          title = COALESCE(title, ?)
                   WHERE url = ?""",
                (_iso(at), _iso(at), _iso(next_poll), etag, last_modified, items, new_articles, title, url))

    def record_failure(self, url: str, at: datetime, next_poll: datetime, error: str) -> None:
        with self.store.transaction():
            self.db.execute(
                """UPDATE feeds SET last_polled = ?, last_error = ?, last_error_at = ?,
                          failures = failures + 1, next_poll = ? WHERE url = ?""",
                (_iso(at), error, _iso(at), _iso(next_poll), url))
