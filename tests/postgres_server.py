"""A real PostgreSQL server for the tests, started by a fixture in a temporary directory.

The server listens only on a Unix socket in that directory (no TCP port to collide with), runs with
fsync off (a test database need not survive a power cut), and is stopped at the end of the session.
``initdb`` refuses to run as root: as root, the server runs as the ``postgres`` system user (Debian's
``postgresql`` package creates it) through ``runuser``. Without PostgreSQL the tests that need it
skip, saying why, unless NEWSBRIEF_REQUIRE_POSTGRES=1 (CI), where they fail."""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

import pytest

READY_WITHIN = 30.0  # seconds for the server to accept connections
PORT = 5432  # names the socket file only: the server listens on no TCP port


def _bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _unavailable(reason: str) -> NoReturn:
    if os.environ.get("NEWSBRIEF_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"PostgreSQL is required (NEWSBRIEF_REQUIRE_POSTGRES=1) but {reason}")
    pytest.skip(f"{reason}; install Debian's postgresql package (or set NEWSBRIEF_REQUIRE_POSTGRES=1 to fail)")


@dataclass
class PostgresServer:
    socket_dir: Path
    _names: Iterator[int] = field(default_factory=itertools.count)

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@/{dbname}?host={self.socket_dir}&port={PORT}"

    def new_database(self, prefix: str = "t") -> str:
        """A fresh, empty database; returns its URL."""
        import psycopg

        name = f"{prefix}_{os.getpid()}_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def _as_server_user(args: list[str], user: str | None) -> list[str]:
    return ["runuser", "-u", user, "--", *args] if user else args


def _wait_until_ready(pg_isready: str, socket_dir: Path, log: Path) -> None:
    deadline = time.monotonic() + READY_WITHIN
    while time.monotonic() < deadline:
        if subprocess.run([pg_isready, "-q", "-h", str(socket_dir), "-p", str(PORT)]).returncode == 0:
            return
        time.sleep(0.1)  # a poll interval: the state is checked again, the wait is bounded
    raise RuntimeError(f"PostgreSQL did not accept connections within {READY_WITHIN:.0f} s:\n{log.read_text()}")


class PostgresUnavailable(Exception):
    """Why no server can be started here."""


@contextmanager
def running_server() -> Iterator[PostgresServer]:
    """A fresh server in a temporary directory, stopped and removed on exit (also used by bench/store.py)."""
    tools = {name: _bin(name) for name in ("initdb", "pg_ctl", "pg_isready")}
    missing = [name for name, path in tools.items() if path is None]
    if missing:
        raise PostgresUnavailable(f"{', '.join(missing)} not found on the PATH or in /usr/lib/postgresql/*/bin")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise PostgresUnavailable("psycopg is not installed (pip install -e .)") from None
    user = None
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable("running as root and there is no `postgres` user to run the server as") from None
    root = Path(tempfile.mkdtemp(prefix="nbpg-"))
    data, log = root / "data", root / "server.log"
    if user:
        os.chown(root, user.pw_uid, user.pw_gid)
    name = user.pw_name if user else None
    initdb, pg_ctl, pg_isready = tools["initdb"], tools["pg_ctl"], tools["pg_isready"]
    assert initdb and pg_ctl and pg_isready
    try:
        subprocess.run(_as_server_user([initdb, "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                                        "--locale=C", "--no-sync"], name), check=True, capture_output=True)
        options = f"-k {root} -p {PORT} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
        subprocess.run(_as_server_user([pg_ctl, "-D", str(data), "-l", str(log), "-o", options, "-W", "start"], name),
                       check=True, capture_output=True)
        try:
            _wait_until_ready(pg_isready, root, log)
            yield PostgresServer(root)
        finally:
            subprocess.run(_as_server_user([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"], name),
                           capture_output=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    with ExitStack() as stack:
        try:
            server = stack.enter_context(running_server())
        except PostgresUnavailable as exc:
            _unavailable(str(exc))
        yield server


BACKENDS = ["sqlite", "postgres"]


def database_location(backend: str, request: pytest.FixtureRequest, folder: Path, name: str = "news") -> str:
    """A new, empty database on ``backend``: a SQLite file in ``folder``, or a database on the
    session's PostgreSQL server (started on first use)."""
    if backend == "sqlite":
        return str(folder / f"{name}.db")
    return request.getfixturevalue("postgres_server").new_database()
