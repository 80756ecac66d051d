"""`newsbrief mcp`: the database served to AI agents over the Model Context Protocol (the official
`mcp` SDK), on stdio or streamable HTTP. Read-only unless started with ``allow_ingest``.

Tools answer with typed, structured content whose ``citations`` resolve to source sentences; a
bad argument or an unknown id gives an error result (``isError``) with a message to act on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError, ToolError
from mcp.types import ToolAnnotations
from pydantic import Field

from .. import __version__
from ..errors import NewsbriefError
from ..settings import Config
from ..web import data
from ..store import is_postgres_url
from ..store.readers import open_readers
from ..web.app import CONTROL_CHARACTERS
from . import answers
from .ingesting import Ingester
from .models import (
    BriefResult,
    Changes,
    EventList,
    FigureHistory,
    IngestResult,
    Sayings,
    SearchResult,
    StoryListResult,
    VersionList,
)

NO_CONTROL = f"^[^{CONTROL_CHARACTERS}]*$"
StoryId = Annotated[int, Field(ge=1, le=data.MAX_ID, description="A story id (from list_stories or search_reports)")]
Version = Annotated[int, Field(ge=1, le=data.MAX_ID, description="A brief version (from list_versions)")]
Words = Annotated[str, Field(min_length=1, max_length=500, pattern=NO_CONTROL)]
Limit = Annotated[int, Field(ge=1, le=100)]
Format = Literal["json", "text", "md", "markdown", "html"]

READ_ONLY = ToolAnnotations(read_only_hint=True, open_world_hint=False)
INSTRUCTIONS = """newsbrief groups news reports into stories and writes a cited brief for each.
Find stories with list_stories or search_reports, read one with get_brief (list_events shows
the happenings it is made of), follow it with list_versions and what_changed. Every answer carries citations: refs like a12:4 (article 12,
sentence 4) with the source sentence's text; quote those, not your own paraphrase."""


@contextmanager
def _answering() -> Iterator[None]:
    """newsbrief's own errors (no such story, a bad range...) reach the agent as tool errors."""
    try:
        yield
    except NewsbriefError as exc:
        raise ToolError(str(exc)) from None


def build_server(db: str | Path, allow_ingest: bool = False, config: Config | None = None) -> MCPServer:
    """The MCP server over the database at ``db``, a file path or a ``postgresql://`` URL (read
    through ``store.readers``: per-thread read-only SQLite connections or a PostgreSQL pool)."""
    read = open_readers(db)
    server: MCPServer = MCPServer("newsbrief", version=__version__, instructions=INSTRUCTIONS,
                                  log_level="WARNING")

    @server.tool(annotations=READ_ONLY)
    def search_reports(
        query: Annotated[Words, Field(description='Words, "quoted phrases", OR between alternatives '
                                                 '(a SQLite database also reads FTS5 query syntax)')],
        since: Annotated[date | None, Field(description="Published on or after this day (YYYY-MM-DD)")] = None,
        until: Annotated[date | None, Field(description="Published on or before this day (YYYY-MM-DD)")] = None,
        outlet: Annotated[Words | None, Field(description="Only this outlet: its name or its domain")] = None,
        limit: Limit = 20,
    ) -> SearchResult:
        """Full-text search over the stored reports, best match first; each hit cites the
        sentences of the report that hold the query's words. The date and outlet filters look at
        the 2,000 best matches."""
        with _answering(), read() as store:
            return answers.search_reports(store, query, since, until, outlet, limit)

    @server.tool(annotations=READ_ONLY)
    def list_stories(
        text: Annotated[Words | None, Field(description="Only stories with reports matching these words")] = None,
        name: Annotated[Words | None, Field(description="Only stories whose brief names this person, "
                                                         "organisation or place (part of the name is enough)")] = None,
        since: Annotated[date | None, Field(description="Only stories last seen on or after this day")] = None,
        limit: Limit = 20,
    ) -> StoryListResult:
        """Stories, latest activity first, with the lede of each one's latest brief and its citations."""
        with _answering(), read() as store:
            return answers.list_stories(store, text, name, since, limit)

    @server.tool(annotations=READ_ONLY)
    def get_brief(story_id: StoryId, format: Format = "json", version: Version | None = None) -> BriefResult:
        """A story's brief (the latest version unless `version` is given) rendered as json, text,
        md (markdown) or html, with its evidence: every citation resolved to its source sentence."""
        with _answering(), read() as store:
            return answers.get_brief(store, story_id, format, version)

    @server.tool(annotations=READ_ONLY)
    def list_versions(story_id: StoryId, limit: Limit = 20) -> VersionList:
        """A story's brief versions, newest first: when each was written, its headline, its lede
        and what changed since the version before."""
        with _answering(), read() as store:
            return answers.list_versions(store, story_id, limit)

    @server.tool(annotations=READ_ONLY)
    def list_events(story_id: StoryId) -> EventList:
        """A story's events (tight clusters of reports of one happening), oldest first, with the
        reports of each and its part of the brief."""
        with _answering(), read() as store:
            return answers.list_events(store, story_id)

    @server.tool(annotations=READ_ONLY)
    def what_changed(story_id: StoryId, from_version: Version | None = None,
                     to_version: Version | None = None) -> Changes:
        """What a later brief version of a story says that an earlier one did not: new sources,
        figures, timeline entries and quotes (by default, the latest version against the one before)."""
        with _answering(), read() as store:
            return answers.what_changed(store, story_id, from_version, to_version)

    @server.tool(annotations=READ_ONLY)
    def figure_history(
        story_id: StoryId,
        subject: Annotated[Words, Field(description="What the figure counts, e.g. deaths, evacuated, damage")],
        version: Version | None = None,
    ) -> FigureHistory:
        """Every value a story's brief gives for one figure, oldest first, with who gave it, for
        which day, and whether sources differ."""
        with _answering(), read() as store:
            return answers.figure_history(store, story_id, subject, version)

    @server.tool(annotations=READ_ONLY)
    def who_said(
        name: Annotated[Words, Field(description="A person, organisation or place")],
        story_id: StoryId | None = None,
        limit: Limit = 50,
    ) -> Sayings:
        """Quotes and reported statements by or about a name, in one story's brief or in every
        story's latest brief."""
        with _answering(), read() as store:
            return answers.who_said(store, name, story_id, limit)

    if allow_ingest:
        ingester = Ingester(db, config or Config.load())

        @server.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False,
                                                 idempotent_hint=True, open_world_hint=True))
        def ingest_urls(urls: Annotated[list[Annotated[str, Field(pattern=r"^https?://\S+$", max_length=2000)]],
                                        Field(min_length=1, max_length=50)]) -> IngestResult:
            """Fetch the articles or feeds at these http(s) URLs, add them to the database, group
            them into stories and write the changed stories' briefs."""
            with _answering():
                result = ingester.ingest(urls)
            with read() as store:
                return ingester.with_stories(store, result)

    @server.resource("newsbrief://stories", mime_type="application/json", name="stories",
                     description="The stories, latest activity first (the first 50), with their ledes")
    def stories_resource() -> str:
        with read() as store:
            return answers.list_stories(store, limit=50).model_dump_json(indent=2)

    @server.resource("newsbrief://stories/{story_id}", mime_type="application/json", name="brief",
                     description="A story's latest brief as JSON; `evidence` holds every cited source sentence")
    def brief_resource(story_id: str) -> str:
        if not re.fullmatch(r"[1-9][0-9]{0,18}", story_id) or int(story_id) > data.MAX_ID:
            raise ResourceNotFoundError(f"no story {story_id!r}: story ids are whole numbers from 1")
        with read() as store:
            try:
                brief = answers.get_brief(store, int(story_id)).brief
            except data.NotFound as exc:
                raise ResourceNotFoundError(str(exc)) from None
            except NewsbriefError as exc:
                raise ResourceError(str(exc)) from None
        return json.dumps(brief, ensure_ascii=False, indent=2)

    @server.prompt(name="brief_me", title="Brief me on ...")
    def brief_me(topic: Annotated[Words, Field(description="A story, a place, a person, an event")]) -> str:
        """Ask for a cited briefing on a topic, with the best matching story's current brief attached."""
        with read() as store:
            found = answers.list_stories(store, text=topic, limit=3).stories
            attached = ""
            if found:
                brief = answers.get_brief(store, found[0].id, "md")
                evidence = "\n".join(f"- [{c.ref}] {c.text}" for c in brief.citations)
                attached = (f"\n\nThe best matching story is {found[0].id}; its current brief "
                            f"(version {brief.version}):\n\n{brief.rendered}\n\nIts evidence (ref, source sentence):\n"
                            f"{evidence}")
            others = ", ".join(f"{s.id} ({s.headline})" for s in found[1:])
        return (f"Brief me on {topic}. Use the newsbrief tools (list_stories, get_brief, what_changed, "
                f"figure_history, who_said) to find what the sources say; attribute every figure and claim "
                f"to who makes it, say where sources differ, and cite source sentences by their refs "
                f"(like a12:4)." + attached + (f"\n\nOther matching stories: {others}." if others else ""))

    return server


def parse_address(address: str) -> tuple[str, int]:
    """HOST:PORT (an IPv6 host in brackets: [::1]:8000)."""
    match = re.fullmatch(r"\[?([^\[\]]*?)\]?:(\d{1,5})", address.strip())
    if not match or not match[1] or not 0 < int(match[2]) < 65536:
        raise NewsbriefError(f"--http wants HOST:PORT, e.g. 127.0.0.1:8765; got {address!r}")
    return match[1], int(match[2])


def run_server(db: str | Path, http: str | None = None, allow_ingest: bool = False,
               config: Config | None = None) -> None:
    """Serve until the client goes away (stdio) or the process is stopped (HTTP, at /mcp)."""
    if not is_postgres_url(db) and not Path(db).exists():
        raise NewsbriefError(f"no database at {db}; run `newsbrief ingest INPUT...` first or pass --db")
    server = build_server(db, allow_ingest, config)
    if http is None:
        server.run("stdio")
    else:
        host, port = parse_address(http)
        server.run("streamable-http", host=host, port=port)
