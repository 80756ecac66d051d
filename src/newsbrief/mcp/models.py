"""What the MCP tools answer with: typed records, so that each tool publishes an output schema and
an agent gets structured content. Every answer carries ``citations``: source sentences, each with
its ref (``a12:4``: article 12, sentence 4) and its text, so that an agent can quote them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Citation(BaseModel):
    ref: str = Field(description="The source sentence, as article:index (e.g. a12:4)")
    text: str = Field(description="The full text of that source sentence")
    article_id: int
    url: str | None = None
    outlet: str | None = None
    published_at: str | None = None


class Passage(BaseModel):
    """A piece of brief text with the citations it rests on."""

    text: str
    citations: list[Citation]


class SearchHit(BaseModel):
    article_id: int
    story_id: int | None
    url: str
    title: str
    outlet: str
    published_at: str | None
    snippet: str = Field(description="The matching part of the text, matches in [brackets]")
    citations: list[Citation] = Field(description="The article's sentences that hold the query's words")


class SearchResult(BaseModel):
    query: str
    hits: list[SearchHit]
    citations: list[Citation] = Field(description="Every hit's citations, once each")


class StorySummary(BaseModel):
    id: int
    headline: str | None
    lede: Passage | None = Field(description="The lede of the latest brief, if one is stored")
    outlets: int = Field(description="Independent outlets (syndicated copies not counted)")
    articles: int
    first_seen: str | None
    last_seen: str | None
    brief_version: int | None
    matched_names: list[str] = Field(default_factory=list, description="Names in the brief matching `name`")
    citations: list[Citation]


class StoryListResult(BaseModel):
    stories: list[StorySummary]
    citations: list[Citation] = Field(description="Every listed story's citations, once each")


class BriefResult(BaseModel):
    story_id: int
    version: int
    format: str
    headline: str
    generated_at: str
    rendered: str = Field(description="The brief rendered in `format` (json: the brief as JSON text)")
    brief: dict[str, Any] | None = Field(description="The brief as data (format json only)")
    citations: list[Citation] = Field(description="The evidence: every citation of the brief, resolved")


class VersionItem(BaseModel):
    version: int
    generated_at: str
    writer: str
    headline: str
    changes: list[str]
    lede: Passage


class VersionList(BaseModel):
    story_id: int
    versions: list[VersionItem] = Field(description="Newest first")
    citations: list[Citation]


class FigureClaim(BaseModel):
    subject: str
    value: float
    text: str = Field(description="The figure as the source words it")
    qualifier: str | None = None
    unit: str | None = None
    claimed_by: str | None = None
    date: str | None = Field(None, description="The day the figure was given for (YYYY-MM-DD)")
    citations: list[Citation]


class Changes(BaseModel):
    story_id: int
    from_version: int
    to_version: int
    changes: list[str] = Field(description="What changed, in words (as stored with each new version)")
    new_sources: list[str] = Field(description="URLs of sources the later version cites and the earlier does not")
    new_figures: list[FigureClaim]
    new_timeline: list[Passage]
    new_quotes: list[Passage]
    citations: list[Citation]


class FigureHistory(BaseModel):
    story_id: int
    version: int
    subject: str
    claims: list[FigureClaim] = Field(description="Every value given, oldest first")
    sources_differ: bool = Field(description="True when sources give different values for the same time")
    citations: list[Citation]


class Saying(BaseModel):
    story_id: int
    speaker: str | None
    text: str
    kind: str = Field(description="quote (verbatim) or statement (reported speech)")
    by_name: bool = Field(description="The speaker matches the name")
    about_name: bool = Field(description="The words mention the name")
    citations: list[Citation]


class Sayings(BaseModel):
    name: str
    sayings: list[Saying]
    citations: list[Citation]


class IngestResult(BaseModel):
    items: int
    new_articles: int
    already_stored: int
    stories_created: list[int]
    stories_updated: list[int]
    briefs_written: int
    problems: list[str]
    stories: list[StorySummary] = Field(description="The changed stories, with their new ledes")
    citations: list[Citation]


class EventItem(BaseModel):
    """One event of a story: a tight cluster of reports of one happening."""

    id: int
    heading: str | None = Field(description="The heading of the event's section in the brief, if it has one")
    first_seen: str | None
    last_seen: str | None
    article_count: int
    article_ids: list[int]
    citations: list[Citation] = Field(description="The event's sentences in the brief (else its first report's lead)")


class EventList(BaseModel):
    story_id: int
    events: list[EventItem] = Field(description="Oldest first")
    citations: list[Citation]
