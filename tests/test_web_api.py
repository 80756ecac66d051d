"""The web app in-process (httpx ASGI transport) and once over a real uvicorn: pages and their
JSON twins, the API, one error shape, OpenAPI, Atom, security headers and token-guarded writes."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import feedparser
import httpx
import lxml.html
import pytest
from openapi_spec_validator import validate

from newsbrief.web import create_app

from .generated import write_articles
from .postgres_server import BACKENDS, database_location, postgres_server  # noqa: F401 (the fixture)
from .web_fixtures import RealServer, build_database, call

TOKEN = "s3cret-token"


@pytest.fixture(scope="module", params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str | Path:
    folder = tmp_path_factory.mktemp("web")
    return build_database(folder, database_location(request.param, request, folder))


@pytest.fixture(scope="module")
def app(db: str | Path):  # type: ignore[no-untyped-def]
    app = create_app(db)
    yield app
    app.state.readers.close()


@pytest.fixture
def make_app():  # type: ignore[no-untyped-def]
    """``create_app``, with each app's read connections closed after the test."""
    made = []

    def make(*args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(create_app(*args, **kwargs))
        return made[-1]

    yield make
    for app in made:
        app.state.readers.close()


@pytest.fixture(params=BACKENDS)
def location(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database on each backend, for the tests that write."""
    return database_location(request.param, request, tmp_path)


def _sample_story(app) -> dict:  # type: ignore[no-untyped-def]
    stories = call(app, "GET", "/api/stories").json()["stories"]
    return next(s for s in stories if "Selvan" in s["headline"])


def test_story_list_is_latest_activity_first_with_lede_and_outlets(app) -> None:  # type: ignore[no-untyped-def]
    listing = call(app, "GET", "/stories.json").json()
    assert listing["total"] == 7 and len(listing["stories"]) == 7
    seen = [s["last_seen"] for s in listing["stories"]]
    assert seen == sorted(seen, reverse=True)
    sample = _sample_story(app)
    assert sample["outlets"] == 6 and sample["articles"] == 9 and sample["events"] == 2 and sample["brief_version"] == 2
    assert sample["lede"] and ("Selvan Dam" in sample["lede"] or "inquiry" in sample["lede"])  # the newest event
    page = call(app, "GET", "/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert sample["headline"] in page.text and "6 outlets" in page.text
    assert call(app, "GET", "/index.json").json() == listing


def test_story_page_and_its_twin_carry_the_whole_brief(app) -> None:  # type: ignore[no-untyped-def]
    story = _sample_story(app)["id"]
    twin = call(app, "GET", f"/stories/{story}.json").json()
    assert twin == call(app, "GET", f"/api/stories/{story}").json()
    brief = twin["brief"]
    assert brief["version"] == 2 and "1 new outlet: Civic Radio Castavia" in brief["changes"]
    html = call(app, "GET", f"/stories/{story}").text
    for heading in ("What this may lead to", "What changed since the last version", "Where sources differ",
                    "How the figures changed", "Timeline", "Sources"):
        assert heading in html, heading
    assert html.count('class="cite"') >= len(brief["sections"])  # markers on the sentences
    chart = lxml.html.fromstring(html).xpath('//section[contains(@class, "updates")]//figure[@class="figure-chart"]/svg')
    assert chart and len(chart[0].xpath(".//circle")) >= 3  # the rising toll: 6, 14, 23 by day
    assert "<script" not in lxml.html.tostring(chart[0]).decode()
    event_sections = [s for s in brief["sections"] if s.get("event_id")]
    assert len(event_sections) == 2 and all(f"{s['heading']} <span" in html for s in event_sections)
    first_ref = brief["lede"]["citations"][0]
    assert f'href="/articles/{first_ref[1:].split(":")[0]}#s{first_ref.split(":")[1]}"' in html
    from markupsafe import escape

    assert str(escape(brief["evidence"][first_ref])) in html  # the source sentence, ready to open
    outlet = twin["story"]["outlets"][0]
    assert f'<a href="/outlets/{outlet["id"]}">{escape(outlet["name"])}</a>' in html


def test_versions_pages(app) -> None:  # type: ignore[no-untyped-def]
    story = _sample_story(app)["id"]
    versions = call(app, "GET", f"/stories/{story}/versions.json").json()["versions"]
    assert [v["version"] for v in versions] == [2, 1]
    assert versions[0]["changes"] and versions[1]["changes"] == []
    old = call(app, "GET", f"/stories/{story}/versions/1.json").json()["brief"]
    assert old["version"] == 1 and old == call(app, "GET", f"/api/stories/{story}/briefs/1").json()
    page = call(app, "GET", f"/stories/{story}/versions/1").text
    assert "You are reading version 1 of 2" in page
    assert "Version 2" in call(app, "GET", f"/stories/{story}/versions").text


def test_search_highlights_matches(app) -> None:  # type: ignore[no-untyped-def]
    hits = call(app, "GET", "/search.json", params={"q": "spillway"}).json()["hits"]
    assert hits and all("\x02" not in h["snippet"] for h in hits)
    assert hits == call(app, "GET", "/api/search", params={"q": "spillway"}).json()["hits"]
    page = call(app, "GET", "/search", params={"q": "spillway"}).text
    assert "<mark>spillway</mark>" in page.lower()
    assert call(app, "GET", "/search.json", params={"q": 'unbalanced "quote'}).status_code == 200


def test_outlet_and_article_pages(app) -> None:  # type: ignore[no-untyped-def]
    story = call(app, "GET", f"/stories/{_sample_story(app)['id']}.json").json()
    outlet = story["story"]["outlets"][0]
    info = call(app, "GET", f"/outlets/{outlet['id']}.json").json()
    assert info["name"] == outlet["name"] and info["stories"] and info["articles"]
    assert outlet["name"] in call(app, "GET", f"/outlets/{outlet['id']}").text
    article = info["articles"][0]["id"]
    data = call(app, "GET", f"/articles/{article}.json").json()
    assert data["sentences"] and data == call(app, "GET", f"/api/articles/{article}").json()
    assert f'id="s{data["sentences"][0]["index"]}"' in call(app, "GET", f"/articles/{article}").text


@pytest.mark.parametrize(("path", "status", "words"), [
    ("/api/stories/99999", 404, "no story 99999"),
    ("/stories/99999.json", 404, "no story 99999"),
    ("/api/stories/1/briefs/77", 404, "no brief version 77"),
    ("/api/articles/99999", 404, "no article 99999"),
    ("/outlets/99999.json", 404, "no outlet 99999"),
    ("/api/stories/abc", 422, "story_id"),
    ("/api/search", 422, "q: Field required"),
    ("/api/stories?limit=0", 422, "limit"),
    ("/api/nothing-here", 404, "no page at /api/nothing-here"),
])
def test_every_json_error_has_one_shape(app, path: str, status: int, words: str) -> None:  # type: ignore[no-untyped-def]
    response = call(app, "GET", path)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "message", "path"}
    assert body["error"]["status"] == status and words in body["error"]["message"]


def test_html_errors_are_pages(app) -> None:  # type: ignore[no-untyped-def]
    response = call(app, "GET", "/stories/99999")
    assert response.status_code == 404 and "no story 99999" in response.text and "<html" in response.text


def test_openapi_document_validates(app) -> None:  # type: ignore[no-untyped-def]
    document = call(app, "GET", "/openapi.json").json()
    validate(document)
    assert {"/api/stories", "/api/stories/{story_id}", "/api/stories/{story_id}/briefs/{version}",
            "/api/articles/{article_id}", "/api/search", "/api/ingest"} <= set(document["paths"])
    schemas = document["components"]["schemas"]
    assert {"StoryList", "StoryWithBrief", "SearchResult", "ArticleOut", "ErrorResponse"} <= set(schemas)
    not_found = document["paths"]["/api/stories/{story_id}"]["get"]["responses"]["404"]
    assert not_found["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")


def test_atom_feeds_list_updated_briefs(app) -> None:  # type: ignore[no-untyped-def]
    response = call(app, "GET", "/feed.atom")
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo and len(feed.entries) == 8  # 7 first versions + 1 second
    story = _sample_story(app)["id"]
    own = feedparser.parse(call(app, "GET", f"/stories/{story}/feed.atom").content)
    assert [e.link.rsplit("/", 1)[-1] for e in own.entries] == ["2", "1"]
    assert "What changed: 1 new outlet" in own.entries[0].summary


def test_security_headers_on_pages_and_json(app) -> None:  # type: ignore[no-untyped-def]
    for path in ("/", "/api/stories", "/api/stories/99999", "/static/app.js"):
        headers = call(app, "GET", path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"


def test_writes_need_the_token(tmp_path: Path, location: str, make_app) -> None:
    db = build_database(tmp_path, location)
    read_only = make_app(db)
    refused = call(read_only, "POST", "/api/ingest", json={"urls": ["https://example.org/a"]})
    assert refused.status_code == 403 and "--token" in refused.json()["error"]["message"]
    app = make_app(db, token=TOKEN)
    assert call(app, "POST", "/api/ingest", json={"urls": ["https://example.org/a"]}).status_code == 401
    wrong = call(app, "POST", "/api/ingest", json={}, headers={"Authorization": "Bearer nope"})
    assert wrong.status_code == 401 and wrong.json()["error"]["message"].startswith("missing or wrong token")
    auth = {"Authorization": f"Bearer {TOKEN}"}
    assert call(app, "POST", "/api/ingest", content=b"x", headers={**auth, "Content-Type": "image/png"}).status_code == 415
    bad = call(app, "POST", "/api/ingest", content=b"{not json", headers={**auth, "Content-Type": "application/json"})
    assert bad.status_code == 400 and "not valid JSON" in bad.json()["error"]["message"]
    lines = write_articles(tmp_path / "new.jsonl", 3, seed=11)
    body = (tmp_path / "new.jsonl").read_bytes() + b"{broken\n"
    done = call(app, "POST", "/api/ingest", content=body, headers={**auth, "Content-Type": "application/x-ndjson"})
    assert done.status_code == 200, done.text
    result = done.json()
    assert result["new_articles"] == 3 and result["briefs_written"] >= 1
    assert any("invalid JSON" in p["reason"] for p in result["problems"])
    titles = {s["headline"] for s in call(app, "GET", "/api/stories", params={"limit": 100}).json()["stories"]}
    assert len(titles) > 7 and lines


def test_a_real_server_answers_while_an_ingest_writes(tmp_path: Path, location: str) -> None:
    db = build_database(tmp_path, location)
    write_articles(tmp_path / "many.jsonl", 400, seed=5)
    server = RealServer(db)
    failures: list[str] = []
    stop = threading.Event()

    def read_loop() -> None:
        with httpx.Client(base_url=server.base, timeout=10) as client:
            while not stop.is_set():
                for path in ("/api/stories", "/", "/search.json?q=council", "/feed.atom"):
                    response = client.get(path)
                    if response.status_code != 200:
                        failures.append(f"{path}: {response.status_code} {response.text[:200]}")

    reader = threading.Thread(target=read_loop)
    reader.start()
    try:
        subprocess.run([sys.executable, "-m", "newsbrief.cli", "ingest", "--db", str(db), str(tmp_path / "many.jsonl")],
                       check=True, capture_output=True, timeout=300)
    finally:
        stop.set()
        reader.join()
        listing = httpx.get(server.base + "/api/stories", params={"limit": 500}).json()
        server.stop()
    assert failures == []
    assert listing["total"] > 7
    assert json.loads(json.dumps(listing))  # plain JSON over the wire


def test_a_story_ingested_without_briefs_still_has_a_page(tmp_path: Path, location: str, make_app) -> None:
    from newsbrief.ingest import ingest
    from newsbrief.store import open_store

    write_articles(tmp_path / "few.jsonl", 2, seed=3)
    with open_store(location) as store:
        ingest([str(tmp_path / "few.jsonl")], store)  # as `newsbrief ingest --no-briefs` does
        story = store.stories()[0].id
    app = make_app(location)
    listed = call(app, "GET", "/api/stories").json()["stories"]
    assert listed and listed[0]["lede"] is None
    page = call(app, "GET", f"/stories/{story}")
    assert page.status_code == 200 and 'class="cite"' in page.text
    assert call(app, "GET", f"/stories/{story}/versions.json").json()["versions"] == []


def test_writes_can_ingest_urls(server, location: str, make_app) -> None:  # type: ignore[no-untyped-def]
    from newsbrief import Config

    from .stories import BRIDGE, as_html
    from .conftest import Page

    urls = []
    for n, article in enumerate(BRIDGE):
        server.routes[f"/bridge/{n}.html"] = Page(as_html(article, server.url(f"/bridge/{n}.html")).encode())
        urls.append(server.url(f"/bridge/{n}.html"))
    db = location
    auth = {"Authorization": f"Bearer {TOKEN}"}
    guarded = make_app(db, token=TOKEN)  # the address guard holds over HTTP too
    refused = call(guarded, "POST", "/api/ingest", json={"urls": urls[:1]}, headers=auth).json()
    assert refused["new_articles"] == 0 and "loopback" in refused["problems"][0]["reason"]
    app = make_app(db, token=TOKEN, config=Config.load(allow_private=True))
    result = call(app, "POST", "/api/ingest", json={"urls": urls}, headers=auth).json()
    assert result["new_articles"] == 3 and result["briefs_written"] == 1 and not result["problems"]
    story = call(app, "GET", "/api/stories").json()["stories"][0]
    assert "Gull Bridge" in story["headline"] and story["outlets"] == 3
