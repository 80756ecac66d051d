"""One watcher per database: an exclusive lock on a file beside it, holding the owner's PID.
The operating system releases the lock when the process dies, however it dies (even SIGKILL),
so a crash never leaves a stale lock behind."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from .errors import NewsbriefError


class AlreadyRunning(NewsbriefError):
    """Another process holds the lock."""


class ProcessLock:
    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self.what = what
        self._handle: int | None = None

    def acquire(self) -> "ProcessLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 32, 0).decode("ascii", "replace").strip() or "unknown"
            os.close(handle)
            raise AlreadyRunning(f"another {self.what} (process {holder}) is already running on this database; "
                                 f"stop it first (lock file {self.path})") from None
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode("ascii"), 0)
        self._handle = handle
        return self

    def release(self) -> None:
        if self._handle is not None:
            os.ftruncate(self._handle, 0)
            fcntl.flock(self._handle, fcntl.LOCK_UN)
            os.close(self._handle)
            self._handle = None

    def __enter__(self) -> "ProcessLock":
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def watch_lock(db: Path) -> ProcessLock:
    return ProcessLock(db.with_name(db.name + ".watch.lock"), "watcher")
