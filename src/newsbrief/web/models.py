"""The shapes the JSON API answers with, so that the OpenAPI document FastAPI generates describes
them. A brief is described by render/brief.schema.json; here it is an object."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorDetail(BaseModel):
    status: int
    message: str = Field(description="What went wrong, in words a person can act on")
    path: str


class ErrorResponse(BaseModel):
    """Every JSON error has this one shape."""

    error: ErrorDetail


class StoryItem(BaseModel):
    id: int
    headline: str | None
    lede: str | None = Field(description="The lede of the story's latest brief, if one is stored")
    outlets: int = Field(description="Independent outlets (syndicated copies not counted)")
    articles: int
    events: int = Field(description="Events (reports of one happening) the story is made of")
    first_seen: str | None
    last_seen: str | None
    updated_at: str
    brief_version: int | None
    brief_generated_at: str | None


class StoryList(BaseModel):
    stories: list[StoryItem]
    page: int
    per_page: int
    total: int


class OutletCount(BaseModel):
    id: int
    name: str
    domain: str
    articles: int


class EventReport(BaseModel):
    id: int
    url: str
    title: str
    published_at: str | None
    duplicate_of: int | None = Field(description="The report this one is a syndicated copy of")
    outlet: str


class EventMeta(BaseModel):
    id: int
    first_seen: str | None
    last_seen: str | None
    articles: int
    reports: list[EventReport]


class EventInStory(EventMeta):
    story_id: int


class EventWithBrief(BaseModel):
    event: EventInStory
    brief: dict[str, Any] = Field(description="The event's own brief, written from its reports alone")


class StoryMeta(BaseModel):
    id: int
    first_seen: str | None
    last_seen: str | None
    updated_at: str
    articles: int
    versions: int
    outlets: list[OutletCount]
    events: list[EventMeta] = Field(description="The story's events, oldest first")


class StoryWithBrief(BaseModel):
    story: StoryMeta
    brief: dict[str, Any] = Field(description="The brief (render/brief.schema.json)")


class Version(BaseModel):
    version: int
    generated_at: str
    writer: str
    headline: str | None
    changes: list[str]


class Versions(BaseModel):
    story: int
    versions: list[Version]


class Hit(BaseModel):
    id: int
    url: str
    title: str
    story_id: int | None
    published_at: str | None
    outlet: str
    outlet_id: int
    snippet: str


class SearchResult(BaseModel):
    query: str
    hits: list[Hit]


class ArticleSentence(BaseModel):
    index: int
    text: str


class ArticleOut(BaseModel):
    id: int
    url: str
    title: str
    author: str | None
    published_at: str | None
    fetched_at: str | None
    story_id: int | None
    duplicate_of: int | None
    note: str | None
    outlet_id: int
    outlet: str
    domain: str
    sentences: list[ArticleSentence]


class OutletArticle(BaseModel):
    id: int
    url: str
    title: str
    published_at: str | None
    story_id: int | None
    duplicate_of: int | None


class OutletStory(BaseModel):
    id: int
    headline: str | None
    last_seen: str | None
    articles: int


class OutletOut(BaseModel):
    id: int
    name: str
    domain: str
    articles: list[OutletArticle]
    stories: list[OutletStory]


class IngestProblem(BaseModel):
    source: str
    reason: str
    skipped: bool


class IngestResult(BaseModel):
    items: int
    new_articles: int
    copies: int
    already_stored: int
    stories_created: list[int]
    stories_updated: list[int]
    briefs_written: int
    problems: list[IngestProblem]
