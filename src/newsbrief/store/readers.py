"""Read-only access for the servers (`serve`, `mcp`): each request reads one consistent snapshot,
on a connection of its own, and never waits for a writer.

SQLite: one read-only connection per server thread, each request in one transaction (WAL readers
see the last commit and never block the writer). PostgreSQL: a pool of connections (psycopg_pool),
each request in one REPEATABLE READ, READ ONLY transaction (MVCC: readers take no locks a writer
waits for)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, Protocol

from . import is_postgres_url
from .relational import RelationalStore
from .sqlite import SQLiteStore

POOL_SIZE = 8  # PostgreSQL connections a server holds at most; more requests at once wait their turn
POOL_TIMEOUT = 30.0  # seconds a request waits for a connection before it fails


class Readers(Protocol):
    def __call__(self) -> AbstractContextManager[RelationalStore]: ...
    def close(self) -> None: ...


class SQLiteReaders:
    """One read-only connection per server thread; each request reads in one transaction, so a
    page is a consistent snapshot even while an ingest commits."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._opened: list[SQLiteStore] = []

    @contextmanager
    def __call__(self) -> Iterator[SQLiteStore]:
        store = getattr(self._local, "store", None)
        if store is None:
            store = self._local.store = SQLiteStore(self.path, readonly=True)
            self._opened.append(store)
        store.db.execute("BEGIN")
        try:
            yield store
        finally:
            store.db.execute("COMMIT")

    def close(self) -> None:
        """Close the connections opened so far (call when no request is running)."""
        for store in self._opened:
            store.close()
        self._opened.clear()
        self._local = threading.local()


class PostgresReaders:
    """A pool of read-only connections to a PostgreSQL database."""

    def __init__(self, url: str, size: int = POOL_SIZE) -> None:
        from psycopg import IsolationLevel
        from psycopg_pool import ConnectionPool

        from .postgres import reader_store

        def configure(connection: Any) -> None:
            connection.isolation_level = IsolationLevel.REPEATABLE_READ
            connection.read_only = True

        self.url = url
        self._store = reader_store
        self._pool = ConnectionPool(url, kwargs={"autocommit": True}, configure=configure, min_size=1,
                                    max_size=size, timeout=POOL_TIMEOUT, open=True, name="newsbrief-readers")

    @contextmanager
    def __call__(self) -> Iterator[RelationalStore]:
        with self._pool.connection() as connection, connection.transaction():
            yield self._store(connection, self.url)

    def close(self) -> None:
        self._pool.close()


def open_readers(location: str | Path) -> SQLiteReaders | PostgresReaders:
    """Readers of the database at ``location`` (a file path or a ``postgresql://`` URL)."""
    return PostgresReaders(str(location)) if is_postgres_url(location) else SQLiteReaders(location)
