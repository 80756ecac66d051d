"""Writes over HTTP: ingest URLs or JSONL articles, one request at a time, through the same code
as `newsbrief ingest` (so the result is exactly what the command line would store)."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

from fastapi import Request

from ..ingest import IngestSummary, reporter, ingest, ingest_documents
from ..pipeline import refresh_briefs
from ..writers.llm import make_writer
from ..settings import Config
from ..sources import is_url, jsonl_documents
from ..store import open_store
from .errors import ApiError

JSONL_TYPES = ("application/x-ndjson", "application/jsonl", "application/json-lines", "text/plain")


class Writer:
    def __init__(self, db: str | Path, config: Config) -> None:
        self.db = db
        self.config = config
        self._lock = threading.Lock()  # one ingest at a time: the database has one grouping writer anyway

    async def read_body(self, request: Request) -> bytes:
        limit = self.config.max_bytes
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise ApiError(413, f"the body is over the {limit:,}-byte limit (max_bytes)")
            chunks.append(chunk)
        return b"".join(chunks)

    def ingest(self, body: bytes, content_type: str) -> dict[str, Any]:
        kind = content_type.split(";")[0].strip().lower()
        summary = IngestSummary()
        report = reporter(summary, None)
        with self._lock, open_store(self.db) as store:
            if kind == "application/json":
                urls = self._urls(body)
                summary = ingest(urls, store, self.config)
            elif kind in JSONL_TYPES:
                documents = list(jsonl_documents("body line", body.splitlines(), report))
                if not documents and not summary.problems:
                    raise ApiError(400, "the body has no JSON lines")
                ingest_documents(documents, store, self.config, summary, report)
            else:
                raise ApiError(415, "send application/json ({\"urls\": [...]}) or application/x-ndjson (one article per line)")
            written = refresh_briefs(store, summary.changed_stories, make_writer(self.config),
                                     on_problem=summary.problems.append,  # a brief not written is said
                                     config=self.config)
        return {
            "items": summary.items, "new_articles": summary.new_articles, "copies": summary.copies,
            "already_stored": summary.already_stored, "stories_created": sorted(summary.stories_created),
            "stories_updated": sorted(summary.stories_updated - summary.stories_created),
            "briefs_written": len(written),
            "problems": [{"source": p.source, "reason": p.reason, "skipped": p.skipped} for p in summary.problems],
        }

    @staticmethod
    def _urls(body: bytes) -> list[str]:
        try:
            payload = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ApiError(400, f"the body is not valid JSON ({exc})") from None
        urls = payload.get("urls") if isinstance(payload, dict) else None
        if not isinstance(urls, list) or not urls or not all(isinstance(u, str) and is_url(u) for u in urls):
            raise ApiError(400, 'expected {"urls": ["https://...", ...]} with at least one http(s) URL')
        return urls

