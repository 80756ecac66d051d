"""Watchlists in the web app: the followed list (`/follows`, and its JSON twin) and an Atom feed per
watchlist of the brief versions it matched (`/follows/{id}/feed.atom`, the same template as
`/feed.atom`). Read-only: watchlists are added with `newsbrief follow add`.

A webhook URL often carries a token, so pages show only its host."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import Environment
from pydantic import BaseModel, Field

from ..errors import NewsbriefError
from ..store.follows import Follow, FollowTable
from ..store.relational import RelationalStore
from . import data
from .app import INVALID, NOT_FOUND, AtomResponse, Id, _html_error_responses  # app.py imports this module late

Read = Callable[[], AbstractContextManager[RelationalStore]]
Page = Callable[..., HTMLResponse]


class FollowItem(BaseModel):
    id: int
    kind: str = Field(description="name, query or story")
    value: str = Field(description="The name, the query, or the story id followed")
    webhook_host: str | None = Field(description="The host of the watchlist's own webhook (None: NEWSBRIEF_WEBHOOKS)")
    created_at: str
    last_delivery_at: str | None
    last_error: str | None
    last_error_at: str | None
    pending: int = Field(description="Alerts not delivered yet")
    feed: str = Field(description="The watchlist's Atom feed of matching brief versions")


class FollowList(BaseModel):
    follows: list[FollowItem]


def follow_item(follow: Follow) -> dict[str, Any]:
    return {"id": follow.id, "kind": follow.kind, "value": follow.value,
            "webhook_host": urlsplit(follow.webhook).hostname if follow.webhook else None,
            "created_at": follow.created_at, "last_delivery_at": follow.last_delivery_at,
            "last_error": follow.last_error, "last_error_at": follow.last_error_at, "pending": follow.pending,
            "feed": f"/follows/{follow.id}/feed.atom"}


def add_follow_routes(app: FastAPI, read: Read, templates: Environment, page: Page) -> None:
    """Register the watchlist routes on ``app`` (``read`` and ``page`` as ``create_app`` has them)."""

    def listing() -> dict[str, Any]:
        with read() as store:
            return {"follows": [follow_item(f) for f in FollowTable(store).all()]}

    @app.get("/follows.json", tags=["pages"], summary="Watchlists and the state of their alerts")
    def follows_json() -> FollowList:
        return FollowList(**listing())

    @app.get("/follows", response_class=HTMLResponse, include_in_schema=False)
    def follows_html(request: Request) -> Response:
        return page("follows.html", request, "/follows.json", **listing())

    @app.get("/follows/{follow_id}/feed.atom", tags=["feeds"],
             summary="Atom feed of the brief versions a watchlist matched",
             response_class=AtomResponse, responses=_html_error_responses(NOT_FOUND, INVALID))
    def follow_atom(request: Request, follow_id: Id) -> Response:
        with read() as store:
            table = FollowTable(store)
            try:
                follow = table.get(follow_id)
            except NewsbriefError as exc:  # no such watchlist
                raise data.NotFound(str(exc)) from None
            entries = table.matched_versions(follow_id)
        base = str(request.base_url).rstrip("/")
        updated = entries[0]["generated_at"] if entries else follow.created_at
        xml = templates.get_template("feed.atom").render(
            title=f"newsbrief: {follow.label}", base=base, link="/follows", self_url=str(request.url),
            updated=updated, entries=entries)
        return AtomResponse(xml, media_type=f"{AtomResponse.media_type}; charset=utf-8")
