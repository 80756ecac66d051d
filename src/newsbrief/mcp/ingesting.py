"""The MCP server's one write, allowed only with ``--allow-ingest``: URLs in, through the same code
as `POST /api/ingest` of `newsbrief serve` (so also as `newsbrief ingest`): the fetcher's limits
and its refusal of private addresses apply unless the configuration allows them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import NewsbriefError
from ..settings import Config
from ..store.relational import RelationalStore
from ..web.errors import ApiError
from ..web.writes import Writer
from .answers import story_row, story_summary
from .citations import merged
from .models import IngestResult


class Ingester:
    def __init__(self, db: str | Path, config: Config) -> None:
        self.writer = Writer(db, config)

    def ingest(self, urls: list[str]) -> dict[str, Any]:
        """Ingest the URLs and write the changed stories' briefs; an error when nothing could be
        ingested (every URL refused or failed), naming each URL's reason."""
        try:
            result = self.writer.ingest(json.dumps({"urls": urls}).encode(), "application/json")
        except ApiError as exc:
            raise NewsbriefError(exc.message) from None
        failed = [p for p in result["problems"] if p["skipped"]]
        if result["items"] == 0 and failed:
            raise NewsbriefError("nothing could be ingested: " + "; ".join(f"{p['source']}: {p['reason']}" for p in failed))
        return result

    @staticmethod
    def with_stories(store: RelationalStore, result: dict[str, Any]) -> IngestResult:
        """The result, with each changed story's new lede and citations."""
        changed = sorted(set(result["stories_created"]) | set(result["stories_updated"]))
        stories = [story_summary(store, story_row(store, story_id)) for story_id in changed]
        return IngestResult(items=result["items"], new_articles=result["new_articles"],
                            already_stored=result["already_stored"], stories_created=result["stories_created"],
                            stories_updated=result["stories_updated"], briefs_written=result["briefs_written"],
                            problems=[f"{p['source']}: {p['reason']}" for p in result["problems"]],
                            stories=stories, citations=merged(s.citations for s in stories))
