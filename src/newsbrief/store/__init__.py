"""Storage: the only shared state between stages. One interface (``base.Store``), two backends:
SQLite (a file path; the embedded default) and PostgreSQL (a ``postgresql://`` URL)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .base import Store
from .feeds import FeedTable
from .sqlite import SQLiteStore, StoryRow, default_db_path

if TYPE_CHECKING:
    from .postgres_feeds import PostgresFeedTable

__all__ = ["SQLiteStore", "Store", "StoryRow", "default_db", "default_db_path", "feed_table", "is_postgres_url",
           "location_name", "open_store"]


def is_postgres_url(location: object) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


def location_name(location: str | Path) -> str:
    """The database's location for messages: a path, or a PostgreSQL URL without its password."""
    if is_postgres_url(location):
        from .postgres import _safe

        return _safe(str(location))
    return str(location)


def default_db() -> str | Path:
    """``NEWSBRIEF_DB`` (a path or a ``postgresql://`` URL), else the file in the user data directory."""
    value = os.environ.get("NEWSBRIEF_DB")
    return value if value and is_postgres_url(value) else default_db_path()


def open_store(location: str | Path, readonly: bool = False) -> Store:
    """A ``postgresql://`` URL opens a PostgresStore (psycopg is imported only then); anything else
    is a SQLite file path."""
    if is_postgres_url(location):
        from .postgres import PostgresStore

        return PostgresStore(str(location))
    return SQLiteStore(location, readonly)


def feed_table(store: Store) -> FeedTable | PostgresFeedTable:
    """The feeds table of either backend."""
    if isinstance(store, SQLiteStore):
        return FeedTable(store)
    from .postgres_feeds import PostgresFeedTable

    return PostgresFeedTable(store)  # type: ignore[arg-type]
