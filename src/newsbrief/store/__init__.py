"""Storage: the only shared state between stages. SQLite now; PostgreSQL when archives need it."""

from .sqlite import SQLiteStore, StoryRow, default_db_path

__all__ = ["SQLiteStore", "StoryRow", "default_db_path"]
