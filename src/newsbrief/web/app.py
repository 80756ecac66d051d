"""`newsbrief serve`: pages rendered on the server, each with a `.json` twin, an `/api/` for
programs, Atom feeds of updated briefs, and writes only for holders of the token.

Every JSON error has one shape: ``{"error": {"status": 404, "message": "...", "path": "..."}}``.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections.abc import Callable
from urllib.parse import quote
from pathlib import Path
from typing import Annotated, Any

import fastapi
from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from pydantic import AfterValidator
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from .. import __version__
from ..errors import NewsbriefError
from ..render.claims import provenance
from ..settings import Config
from ..store import open_store
from ..store.readers import open_readers
from ..store.relational import RelationalStore
from . import data
from .errors import ApiError
from .models import (
    ArticleOut,
    ErrorResponse,
    EventWithBrief,
    IngestResult,
    OutletOut,
    SearchResult,
    StoryList,
    StoryWithBrief,
    Versions,
)
from .security import SECURITY_HEADERS
from .view import BriefView, safe_url
from .writes import JSONL_TYPES, Writer

HERE = Path(__file__).parent
log = logging.getLogger("newsbrief.web")


def _highlight(snippet: str) -> Markup:
    """A search snippet, escaped, with the matches (marked \\x02...\\x03 by the query) in <mark>."""
    return Markup(str(escape(snippet)).replace("\x02", "<mark>").replace("\x03", "</mark>"))


def _templates() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"),
                      autoescape=select_autoescape(["html", "xml", "atom"]), trim_blocks=True, lstrip_blocks=True)
    env.filters["highlight"] = _highlight
    env.filters["safe_url"] = safe_url
    env.filters["day"] = lambda value: (value or "")[:10]
    env.filters["minute"] = lambda value: (value or "")[:16].replace("T", " ")
    env.globals["version"] = __version__
    return env


def _wants_json(path: str) -> bool:
    return path.startswith("/api/") or path.endswith(".json")


# Ids and pages are bounded by what SQLite's 64-bit INTEGER holds: past that a number names no row
# and would overflow when bound, so it is refused (422) and the bounds are in the OpenAPI document.
Id = Annotated[int, fastapi.Path(ge=1, le=data.MAX_ID)]
PageNumber = Annotated[int, Query(alias="page", ge=1, le=data.MAX_PAGE)]
Limit = Annotated[int, Query(ge=1, le=data.MAX_LIMIT)]

CONTROL_CHARACTERS = r"\x00-\x1f\x7f-\x9f"  # C0, DEL and C1, as a regex character range


def _no_control_characters(text: str) -> str:
    """FTS5 reads a query only up to a NUL, and no one searches for a control character: a query
    holding one is refused (422) rather than half read."""
    if re.search(f"[{CONTROL_CHARACTERS}]", text):
        raise ValueError("control characters are not allowed")
    return text


SearchText = Annotated[str, AfterValidator(_no_control_characters)]
SearchQuery = Annotated[SearchText, Query(min_length=1, description="Words, or FTS5 query syntax",
                                          json_schema_extra={"pattern": f"^[^{CONTROL_CHARACTERS}]*$"})]

NOT_FOUND = (404, "No such story, version, article or outlet")
INVALID = (422, "A parameter is missing or invalid")


def _error_responses(*cases: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries: these statuses answer with the one JSON error shape."""
    return {status: {"model": ErrorResponse, "description": why} for status, why in cases}


def _html_error_responses(*cases: tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for paths that are neither /api/ nor .json (the feeds): their
    errors are pages, as a browser opening a feed link should show."""
    page = {"text/html": {"schema": {"type": "string"}}}
    return {status: {"description": why, "content": page} for status, why in cases}


class AtomResponse(Response):
    """An Atom feed; the class gives the OpenAPI document the feeds' media type."""

    media_type = "application/atom+xml"


URLS = {"type": "object", "required": ["urls"],
        "properties": {"urls": {"type": "array", "minItems": 1, "items": {"type": "string", "format": "uri"}}}}
JSON_LINES = {"type": "string", "description": "One JSON article per line"}
# The body is read by hand (it may be JSON lines), so it is described here for the OpenAPI document.
INGEST_BODY = {"required": True, "content": {"application/json": {"schema": URLS},
                                             **{kind: {"schema": JSON_LINES} for kind in JSONL_TYPES}}}


def create_app(db: str | Path, token: str | None = None, config: Config | None = None) -> FastAPI:
    """The web app over the database at ``db``, a file path or a ``postgresql://`` URL (migrated to
    the current schema first). ``app.state.readers.close()`` releases its read connections."""
    open_store(db).close()  # create or migrate, so that read-only connections find the tables
    read = open_readers(db)
    templates = _templates()
    writer = Writer(db, config or Config.load())
    # No /docs: the interactive viewers load scripts from a CDN (this app works offline and its
    # CSP forbids that); the OpenAPI document itself is at /openapi.json.
    app = FastAPI(title="newsbrief", version=__version__, docs_url=None, redoc_url=None,
                  description="Stories, cited briefs, articles and search over a newsbrief database.")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.state.readers = read

    # -- errors and headers ------------------------------------------------------------------------

    def error(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
        if _wants_json(request.url.path):
            return JSONResponse({"error": {"status": status, "message": message, "path": request.url.path}},
                                status_code=status, headers=headers)
        html = templates.get_template("error.html").render(status=status, message=message, q="", json_url=None,
                                                           atom_url="/feed.atom")
        return HTMLResponse(html, status_code=status, headers=headers)

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        return error(request, exc.status, exc.message)

    @app.exception_handler(data.NotFound)
    async def not_found(request: Request, exc: data.NotFound) -> Response:
        return error(request, 404, str(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"no page at {request.url.path}"
        return error(request, exc.status_code, message, exc.headers)  # a 405 keeps its Allow header

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'][1:]) or e['loc'][0]}: {e['msg']}" for e in exc.errors())
        return error(request, 422, f"invalid request: {problems}")

    @app.exception_handler(NewsbriefError)
    async def newsbrief_error(request: Request, exc: NewsbriefError) -> Response:
        return error(request, 400, str(exc))

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.exception("error serving %s", request.url.path)
        return error(request, 500, f"internal error ({exc.__class__.__name__}); see the server log")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable) -> Response:
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    def page(name: str, request: Request, json_url: str | None, atom_url: str = "/feed.atom", **context: Any) -> HTMLResponse:
        html = templates.get_template(name).render(json_url=json_url, atom_url=atom_url,
                                                   q=context.pop("q", ""), **context)
        return HTMLResponse(html)

    # -- data shared by pages, twins and the API ---------------------------------------------------

    def story_data(store: RelationalStore, story_id: int, version: int | None = None) -> dict[str, Any]:
        brief = data.brief_of(store, story_id, version)
        return {"story": data.story_meta(store, story_id), "brief": brief.as_dict()}

    def story_page(request: Request, story_id: int, version: int | None) -> Response:
        with read() as store:
            current = data.resolve(store, story_id)
            if current != story_id:
                return Response(status_code=308, headers={"Location": f"/stories/{current}"})
            brief = data.brief_of(store, story_id, version)
            meta = data.story_meta(store, story_id)
        suffix = f"/versions/{version}" if version is not None else ""
        return page("story.html", request, f"/stories/{story_id}{suffix}.json", f"/stories/{story_id}/feed.atom",
                    brief=brief, story=meta, v=BriefView(brief).context(), shown_version=version,
                    provenance=provenance(brief), outlet_ids={o["name"]: o["id"] for o in meta["outlets"]},
                    event_headings={str(e.get("id")): e.get("heading") for e in brief.events})

    # -- pages and their JSON twins ----------------------------------------------------------------
    # Each route declares the statuses it answers with; 405 (with Allow) answers other methods.

    lookup = _error_responses(NOT_FOUND, INVALID)
    invalid = _error_responses(INVALID)

    @app.get("/index.json", tags=["pages"], summary="The story list (JSON twin of /)", responses=invalid)
    @app.get("/stories.json", tags=["pages"], summary="The story list (JSON twin of /stories)", responses=invalid)
    def stories_json(page_number: PageNumber = 1) -> StoryList:
        with read() as store:
            return data.story_list(store, page_number)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/stories", response_class=HTMLResponse, include_in_schema=False)
    def stories_page(request: Request, page_number: PageNumber = 1) -> Response:
        with read() as store:
            listing = data.story_list(store, page_number)
        return page("stories.html", request, f"/stories.json?page={page_number}", **listing)

    @app.get("/stories/{story_id}.json", tags=["pages"], summary="A story and its latest brief", responses=lookup)
    def story_json(story_id: Id) -> StoryWithBrief:
        with read() as store:
            return story_data(store, data.resolve(store, story_id))

    @app.get("/stories/{story_id}/versions.json", tags=["pages"], summary="Every brief version of a story",
             responses=lookup)
    def versions_json(story_id: Id) -> Versions:
        with read() as store:
            return {"story": story_id, "versions": data.versions(store, story_id)}

    @app.get("/stories/{story_id}/versions/{version}.json", tags=["pages"], summary="One brief version",
             responses=lookup)
    def version_json(story_id: Id, version: Id) -> StoryWithBrief:
        with read() as store:
            return story_data(store, story_id, version)

    @app.get("/stories/{story_id}/feed.atom", tags=["feeds"], summary="Atom feed of one story's brief versions",
             response_class=AtomResponse, responses=_html_error_responses(NOT_FOUND, INVALID))
    def story_atom(request: Request, story_id: Id) -> Response:
        with read() as store:
            story_id = data.resolve(store, story_id)
            entries = data.updated_briefs(store, story_id)
            title = data.brief_of(store, story_id).headline if entries else f"Story {story_id}"
        return atom(request, f"newsbrief: {title}", f"/stories/{story_id}", entries)

    @app.get("/stories/{story_id}", response_class=HTMLResponse, include_in_schema=False)
    def story_html(request: Request, story_id: Id) -> Response:
        return story_page(request, story_id, None)

    @app.get("/stories/{story_id}/versions", response_class=HTMLResponse, include_in_schema=False)
    def versions_html(request: Request, story_id: Id) -> Response:
        with read() as store:
            items = data.versions(store, story_id)
            meta = data.story_meta(store, story_id)
        return page("versions.html", request, f"/stories/{story_id}/versions.json", f"/stories/{story_id}/feed.atom",
                    versions=items, story=meta)

    @app.get("/stories/{story_id}/versions/{version}", response_class=HTMLResponse, include_in_schema=False)
    def version_html(request: Request, story_id: Id, version: Id) -> Response:
        return story_page(request, story_id, version)

    @app.get("/events/{event_id}.json", tags=["pages"], summary="An event of a story, with its own brief",
             responses=lookup)
    def event_json(event_id: Id) -> EventWithBrief:
        with read() as store:
            found = data.event(store, event_id)
            return {"event": found, "brief": data.event_brief(store, found["id"]).as_dict()}

    @app.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
    def event_html(request: Request, event_id: Id) -> Response:
        with read() as store:
            found = data.event(store, event_id)
            if found["id"] != event_id:
                return Response(status_code=308, headers={"Location": f"/events/{found['id']}"})
            brief = data.event_brief(store, event_id)
        return page("event.html", request, f"/events/{event_id}.json", f"/stories/{found['story_id']}/feed.atom",
                    event=found, brief=brief, v=BriefView(brief).context())

    @app.get("/search.json", tags=["pages"], summary="Full-text search over articles", responses=invalid)
    def search_json(q: SearchQuery) -> SearchResult:
        with read() as store:
            hits = data.search(store, q)
        return {"query": q, "hits": [{**h, "snippet": h["snippet"].replace("\x02", "").replace("\x03", "")} for h in hits]}

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_html(request: Request, q: SearchText = "") -> Response:
        hits = []
        if q.strip():
            with read() as store:
                hits = data.search(store, q)
        return page("search.html", request, f"/search.json?q={quote(q)}" if q else None, q=q, hits=hits)

    @app.get("/outlets/{outlet_id}.json", tags=["pages"], summary="An outlet's articles and stories", responses=lookup)
    def outlet_json(outlet_id: Id) -> OutletOut:
        with read() as store:
            return data.outlet(store, outlet_id)

    @app.get("/outlets/{outlet_id}", response_class=HTMLResponse, include_in_schema=False)
    def outlet_html(request: Request, outlet_id: Id) -> Response:
        with read() as store:
            info = data.outlet(store, outlet_id)
        return page("outlet.html", request, f"/outlets/{outlet_id}.json", outlet=info)

    @app.get("/articles/{article_id}.json", tags=["pages"], summary="An article with its sentences", responses=lookup)
    def article_json(article_id: Id) -> ArticleOut:
        with read() as store:
            return data.article(store, article_id)

    @app.get("/articles/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def article_html(request: Request, article_id: Id) -> Response:
        with read() as store:
            info = data.article(store, article_id)
        return page("article.html", request, f"/articles/{article_id}.json", article=info)

    @app.get("/feed.atom", tags=["feeds"], summary="Atom feed of updated briefs, all stories",
             response_class=AtomResponse)
    def all_atom(request: Request) -> Response:
        with read() as store:
            entries = data.updated_briefs(store)
        return atom(request, "newsbrief: updated briefs", "/", entries)

    def atom(request: Request, title: str, link: str, entries: list[dict[str, Any]]) -> Response:
        base = str(request.base_url).rstrip("/")
        updated = entries[0]["generated_at"] if entries else "1970-01-01T00:00:00+00:00"
        xml = templates.get_template("feed.atom").render(title=title, base=base, link=link, self_url=str(request.url),
                                                         updated=updated, entries=entries)
        return AtomResponse(xml, media_type=f"{AtomResponse.media_type}; charset=utf-8")

    # -- the API -----------------------------------------------------------------------------------

    @app.get("/api/stories", tags=["api"], summary="Stories, latest activity first", responses=invalid)
    def api_stories(page_number: PageNumber = 1, limit: Limit = data.PAGE_SIZE) -> StoryList:
        with read() as store:
            return data.story_list(store, page_number, limit)

    @app.get("/api/stories/{story_id}", tags=["api"], summary="A story and its latest brief", responses=lookup)
    def api_story(story_id: Id) -> StoryWithBrief:
        return story_json(story_id)

    @app.get("/api/stories/{story_id}/briefs", tags=["api"], summary="A story's brief versions, newest first",
             responses=lookup)
    def api_versions(story_id: Id) -> Versions:
        return versions_json(story_id)

    @app.get("/api/stories/{story_id}/briefs/{version}", tags=["api"], summary="One brief version", responses=lookup)
    def api_version(story_id: Id, version: Id) -> dict[str, Any]:
        with read() as store:
            return data.brief_of(store, story_id, version).as_dict()

    @app.get("/api/articles/{article_id}", tags=["api"], summary="An article with its sentences", responses=lookup)
    def api_article(article_id: Id) -> ArticleOut:
        return article_json(article_id)

    @app.get("/api/outlets/{outlet_id}", tags=["api"], summary="An outlet's articles and stories", responses=lookup)
    def api_outlet(outlet_id: Id) -> OutletOut:
        return outlet_json(outlet_id)

    @app.get("/api/search", tags=["api"], summary="Full-text search over articles", responses=invalid)
    def api_search(q: SearchQuery) -> SearchResult:
        return search_json(q)

    @app.post("/api/ingest", tags=["api"], summary="Ingest URLs or JSONL articles (needs the server's token)",
              responses=_error_responses(
                  (400, "The body is not what was expected"), (401, "Missing or wrong token"),
                  (403, "The server was started without a token"), (413, "The body is too large"),
                  (415, "Neither JSON nor JSON lines")),
              openapi_extra={"requestBody": INGEST_BODY},
              description="Send `Authorization: Bearer TOKEN`. Body: `{\"urls\": [...]}` as application/json, "
                          "or JSON lines (one article per line, as `newsbrief ingest` reads them) as "
                          "application/x-ndjson. Writes are refused when the server was started without a token.")
    async def api_ingest(request: Request) -> IngestResult:
        # The token is read here, not declared as an OpenAPI security scheme: a read-only server
        # answers 403 even without the header, where a declared scheme promises 401.
        if token is None:
            raise ApiError(403, "writes are disabled: start `newsbrief serve --token TOKEN` (or set NEWSBRIEF_TOKEN) to allow them")
        given = request.headers.get("authorization", "")
        if not given.startswith("Bearer ") or not hmac.compare_digest(given[7:].encode(), token.encode()):
            raise ApiError(401, "missing or wrong token: send the header `Authorization: Bearer TOKEN`")
        body = await writer.read_body(request)
        return await run_in_threadpool(writer.ingest, body, request.headers.get("content-type", ""))

    from .follows import add_follow_routes  # watchlists: /follows, /follows.json, /follows/{id}/feed.atom
    add_follow_routes(app, read, templates, page)
    return app
