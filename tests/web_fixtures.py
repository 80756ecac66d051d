"""A database for the web tests: the sample story written in two steps (so its brief has two
versions), the near-miss stories, and helpers to call the app in-process or a real server."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from newsbrief.ingest import ingest
from newsbrief.pipeline import refresh_briefs
from newsbrief.store import open_store

from .conftest import REPO, split_sample

NEAR_MISS = REPO / "bench" / "data" / "near_miss.jsonl"


def build_database(folder: Path, location: str | Path | None = None) -> str | Path:
    """The web tests' database at ``location`` (a SQLite file or a postgresql:// URL; a file in
    ``folder`` by default)."""
    first, later = split_sample(folder)
    db = location or folder / "news.db"
    with open_store(db) as store:
        for inputs in ([str(first), str(NEAR_MISS)], [str(later)]):
            summary = ingest(inputs, store)
            refresh_briefs(store, summary.changed_stories)
    return db


def call(app, method: str, path: str, **kwargs) -> httpx.Response:  # type: ignore[no-untyped-def]
    """One request to the app in-process (httpx's ASGI transport, no sockets)."""

    async def go() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return await client.request(method, path, **kwargs)

    return asyncio.run(go())


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RealServer:
    """`newsbrief serve` in a subprocess on 127.0.0.1 (uvicorn, real sockets)."""

    def __init__(self, db: str | Path, *extra: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "newsbrief.cli", "serve", "--db", str(db), "--port", str(self.port), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ}, text=True)
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(self.base + "/api/stories", timeout=1)
                return
            except httpx.TransportError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"serve did not start: {self.process.stderr.read()}") from None
                time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
