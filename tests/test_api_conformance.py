"""The API against its own OpenAPI document, with schemathesis: every operation of `serve`, over
the web tests' database, answers with no server error, only the statuses and media types it
declares, bodies that fit their schemas, and 405 (with Allow) for methods it does not declare.
Then the regressions schemathesis found, one by one: ids past 64 bits, control characters in a
search, undeclared methods and feeds declared as JSON."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from fastapi import FastAPI

from newsbrief.web import create_app
from newsbrief.web.writes import JSONL_TYPES

from .postgres_server import BACKENDS, database_location, postgres_server  # noqa: F401 (the fixture)
from .web_fixtures import RealServer, build_database, call

EXAMPLES = 50  # per operation, in the fuzzing phase (as in the issue)
SERVER_EXAMPLES = 10  # the same over real sockets: a smoke run of the uvicorn stack, not a second search


def _config(max_examples: int) -> schemathesis.Config:
    """Every check, and every phase the pytest plugin runs (examples, coverage, fuzzing) with
    positive and negative data; derandomized and with no saved examples, so each run is the same."""
    return schemathesis.Config.from_dict({
        "generation": {"max-examples": max_examples, "deterministic": True, "database": "none", "mode": "all"},
        "checks": {"enabled": True},
    })


def _document() -> dict[str, Any]:
    """The OpenAPI document, which does not depend on the data: read at import, where the plugin
    needs it, from an app over an empty database (the filled one is built once, by a fixture).
    (schemathesis.pytest.from_fixture, which would defer this, fails under pytest 9.2: it sets
    Node._nodeid, which pytest 9.2 no longer has.)"""
    with tempfile.TemporaryDirectory() as folder:
        return create_app(Path(folder) / "empty.db").openapi()


# The ingest body may be JSON lines, under several media types: sent as generated, like text.
schemathesis.serializer.alias([kind for kind in JSONL_TYPES if kind != "text/plain"], "text/plain")

DOCUMENT = _document()
in_process = schemathesis.openapi.from_dict(DOCUMENT, config=_config(EXAMPLES))
over_sockets = schemathesis.openapi.from_dict(DOCUMENT, config=_config(SERVER_EXAMPLES))


@pytest.fixture(scope="module", params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str | Path:
    folder = tmp_path_factory.mktemp("conformance")
    return build_database(folder, database_location(request.param, request, folder))


@pytest.fixture(scope="module")
def app(db: str | Path) -> Iterator[FastAPI]:
    app = create_app(db)  # read-only (no token): the ingest operation must answer 403
    yield app
    app.state.readers.close()


@pytest.fixture(scope="module")
def server(db: str | Path) -> Iterator[RealServer]:
    running = RealServer(db)
    yield running
    running.stop()


@in_process.parametrize()
def test_the_app_answers_as_its_openapi_document_says(case: schemathesis.Case, app: FastAPI) -> None:
    case.call_and_validate(app=app)


@over_sockets.parametrize()
def test_a_real_server_answers_as_its_openapi_document_says(case: schemathesis.Case, server: RealServer) -> None:
    case.call_and_validate(base_url=server.base)


def _error(app: FastAPI, method: str, path: str) -> httpx.Response:
    """An error answer, after checking it has the one JSON error shape."""
    response = call(app, method, path)
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == response.status_code, body
    return response


@pytest.mark.parametrize("path", [
    "/api/outlets/10583416583747306258432",
    f"/api/stories/{2**64}/briefs",
    f"/api/stories/1/briefs/{2**63}",
    f"/api/stories?page={2**64}",
    f"/api/stories?page={2**62}&limit=500",  # a page whose OFFSET would overflow
    f"/stories/{2**63}.json",
    f"/articles/{2**63 - 1}.json",  # the largest id SQLite holds: valid, and no such article
    "/api/stories/0",
    "/api/articles/-1",
])
def test_ids_outside_64_bits_are_refused_not_a_crash(app: FastAPI, path: str) -> None:
    assert _error(app, "GET", path).status_code in (404, 422)


@pytest.mark.parametrize("path", [f"/stories/{2**64}", f"/stories/{2**64}/feed.atom", f"/outlets/{2**63}",
                                  f"/?page={2**64}"])
def test_pages_and_feeds_refuse_huge_ids_too(app: FastAPI, path: str) -> None:
    assert call(app, "GET", path).status_code in (404, 422)


@pytest.mark.parametrize("path", ["/api/search", "/search.json", "/search"])
@pytest.mark.parametrize("q", ["\x00\x98", "]\x00\xb7", "a\x00b", "\x01", "\x7f", "spillway\n"])
def test_control_characters_in_a_search_are_refused(app: FastAPI, path: str, q: str) -> None:
    response = call(app, "GET", path, params={"q": q})
    assert response.status_code == 422 and "control characters are not allowed" in response.text


def test_the_query_from_the_issue_is_refused(app: FastAPI) -> None:
    assert _error(app, "GET", "/api/search?q=%00%C2%98").status_code == 422


@pytest.mark.parametrize("q", ["\u2028", "\ufeff", "\U0001f600", '"', "*", "NEAR(", "\u00a0spillway", "spill\u0301way"])
def test_odd_unicode_in_a_search_is_an_answer(app: FastAPI, q: str) -> None:
    response = call(app, "GET", "/api/search", params={"q": q})
    assert response.status_code == 200 and response.json()["query"] == q


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("PUT", "/api/stories/1", "GET"),
    ("DELETE", "/api/stories/1", "GET"),
    ("PATCH", "/api/search?q=dam", "GET"),
    ("DELETE", "/stories/1.json", "GET"),
    ("GET", "/api/ingest", "POST"),
])
def test_undeclared_methods_are_405_with_allow(app: FastAPI, method: str, path: str, allowed: str) -> None:
    response = _error(app, method, path)
    assert response.status_code == 405 and response.headers["allow"] == allowed


def test_undeclared_methods_on_feeds_are_405_pages(app: FastAPI) -> None:
    response = call(app, "DELETE", "/feed.atom")
    assert response.status_code == 405 and response.headers["allow"] == "GET"
    assert response.headers["content-type"].startswith("text/html")


def test_feeds_are_declared_as_atom(app: FastAPI) -> None:
    paths = call(app, "GET", "/openapi.json").json()["paths"]
    for path in ("/feed.atom", "/stories/{story_id}/feed.atom"):
        assert set(paths[path]["get"]["responses"]["200"]["content"]) == {"application/atom+xml"}
    assert set(paths["/stories/{story_id}/feed.atom"]["get"]["responses"]["404"]["content"]) == {"text/html"}
    assert call(app, "GET", "/feed.atom").headers["content-type"].startswith("application/atom+xml")
    missing = call(app, "GET", "/stories/99999/feed.atom")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")


def test_every_operation_declares_what_it_answers(app: FastAPI) -> None:
    served = call(app, "GET", "/openapi.json").json()
    assert served == DOCUMENT  # the document the runs above were generated from
    statuses = {path: set(item[next(iter(item))]["responses"]) for path, item in served["paths"].items()}
    assert statuses["/feed.atom"] == {"200"}
    assert statuses["/api/stories"] == statuses["/api/search"] == {"200", "422"}
    assert statuses["/api/stories/{story_id}"] == {"200", "404", "422"}
    assert statuses["/api/ingest"] == {"200", "400", "401", "403", "413", "415"}
