"""`newsbrief mcp` as a real subprocess, driven by the `mcp` SDK's own client: over stdio, and once
over streamable HTTP on 127.0.0.1. Every answer's citations must name stored source sentences and
carry their exact text; bad arguments must come back as MCP errors, and the server must go on."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client, MCPError, StdioServerParameters

from newsbrief.ingest import ingest
from newsbrief.pipeline import refresh_briefs
from newsbrief.store import open_store

from .conftest import LocalServer, Page
from .postgres_server import BACKENDS, database_location, postgres_server  # noqa: F401 (the fixture)
from .stories import BRIDGE, as_html
from .web_fixtures import free_port

READ_TOOLS = {"search_reports", "list_stories", "get_brief", "list_events", "list_versions", "what_changed",
              "figure_history", "who_said"}
STARTUP_LIMIT = 120.0  # seconds a server may take to answer its first request on a loaded machine


# A fictional story in two steps: the toll rises from 4 to 7 and a third outlet joins in the second.
FIRE_FIRST = [
    {"url": "https://brennickgazette.example/2026/05/04/halden-fire", "outlet": "Brennick Gazette",
     "published_at": "2026-05-04T10:00:00+00:00", "title": "Fire at Halden Chemical Works kills four in Brennick",
     "paragraphs": [
         "A fire at the Halden Chemical Works in the city of Brennick killed at least 4 people on Monday, the regional fire service said.",
         "About 1,200 residents living near the plant were told to leave their homes because of the smoke.",
         "\"Our crews are still fighting the blaze in the storage hall,\" said fire chief Maria Keller.",
         "The company said the fire began in a warehouse where solvents were stored."]},
    {"url": "https://northshoreherald.example/news/brennick-plant-blaze", "outlet": "Northshore Herald",
     "published_at": "2026-05-04T15:00:00+00:00", "title": "Brennick chemical plant blaze: shelters open for evacuated families",
     "paragraphs": [
         "Firefighters in Brennick were still battling a blaze at the Halden Chemical Works on Monday evening after an explosion in a storage hall.",
         "The regional fire service said 4 people had died and 11 were injured.",
         "Mayor Jonas Berg said the city would open two emergency shelters for evacuated families.",
         "\"Nobody should return home until the air has been tested,\" Berg said."]},
]
FIRE_LATER = [
    {"url": "https://valleyradio.example/brennick-fire-toll-7", "outlet": "Valley Radio",
     "published_at": "2026-05-05T09:00:00+00:00", "title": "Halden fire toll rises to seven",
     "paragraphs": [
         "The death toll from the fire at the Halden Chemical Works in Brennick rose to 7 on Tuesday, the regional fire service said.",
         "Fire chief Maria Keller said the blaze was under control but crews would stay at the plant for several days.",
         "Environmental inspectors began testing the air around the plant on Tuesday morning.",
         "\"We owe the families of the victims a full account of what happened,\" said Mayor Jonas Berg."]},
]
RADIO = FIRE_LATER[0]["url"]
BRIDGE_URL = "https://portavel.example/gull-bridge-0"  # the first Gull Bridge report, as the fixture stores it


def _jsonl(path: Path, articles: list[dict[str, Any]]) -> str:
    path.write_text("".join(json.dumps({
        "url": a["url"], "title": a["title"], "outlet": a["outlet"], "published_at": a.get("published_at") or a["published"],
        "text": "\n\n".join(a["paragraphs"])}) + "\n" for a in articles), "utf-8")
    return str(path)


def build(folder: Path, location: str) -> str:
    """The fire story ingested in two steps (its brief has two versions), and the Gull Bridge story."""
    bridge = [{**a, "url": f"https://{a['outlet'].split()[0].lower()}.example/gull-bridge-{n}"} for n, a in enumerate(BRIDGE)]
    with open_store(location) as store:
        for inputs in ([_jsonl(folder / "first.jsonl", FIRE_FIRST), _jsonl(folder / "bridge.jsonl", bridge)],
                       [_jsonl(folder / "later.jsonl", FIRE_LATER)]):
            refresh_briefs(store, ingest(inputs, store).changed_stories)
    return location


@pytest.fixture(scope="module", params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("mcp")
    return build(folder, database_location(request.param, request, folder))


def _rows(db: str, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
    """Rows of ``?`` SQL read straight from the database, on either backend."""
    with open_store(db) as store:
        return store._records(sql, params)


def _story_ids(db: str) -> dict[str, int]:
    rows = _rows(db, "SELECT url, story_id FROM articles WHERE url IN (?, ?)", (RADIO, BRIDGE_URL))
    return {"fire" if row["url"] == RADIO else "bridge": row["story_id"] for row in rows}


def run_client(db: str, check: Callable[[Client], Awaitable[None]], *extra: str) -> None:
    """Start `newsbrief mcp --db DB` as a subprocess and run ``check`` with a client connected to it."""
    params = StdioServerParameters(command=sys.executable, args=["-m", "newsbrief.cli", "mcp", "--db", str(db), *extra])

    async def go() -> None:
        async with Client(params, read_timeout_seconds=STARTUP_LIMIT) as client:
            await check(client)

    try:
        anyio.run(go)
    except BaseExceptionGroup as group:  # the client's task groups wrap a failed assertion
        raise _first_leaf(group) from None


def _first_leaf(error: BaseException) -> BaseException:
    while isinstance(error, BaseExceptionGroup):
        error = error.exceptions[0]
    return error


def assert_cited(db: str, citations: list[dict[str, Any]]) -> None:
    """Each citation is a stored sentence, with that sentence's exact text."""
    assert citations, "an answer without citations"
    for citation in citations:
        article, index = citation["ref"].removeprefix("a").split(":")
        rows = _rows(db, "SELECT text FROM sentences WHERE article_id = ? AND idx = ?", (int(article), int(index)))
        assert rows, citation["ref"]
        assert citation["text"] == rows[0]["text"]
        assert citation["article_id"] == int(article) and citation["url"].startswith("http")


async def call(client: Client, tool: str, **arguments: Any) -> dict[str, Any]:
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, result.content
    assert result.structured_content is not None
    return result.structured_content


async def error(client: Client, tool: str, **arguments: Any) -> str:
    result = await client.call_tool(tool, arguments)
    assert result.is_error, result.structured_content
    return result.content[0].text


def test_tools_are_typed_and_read_only_by_default(db: str) -> None:
    async def check(client: Client) -> None:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert set(tools) == READ_TOOLS  # no ingest_urls without --allow-ingest
        for tool in tools.values():
            assert tool.annotations.read_only_hint is True
            assert tool.output_schema and "citations" in tool.output_schema["properties"], tool.name
            assert tool.input_schema["type"] == "object" and tool.description
        assert tools["get_brief"].input_schema["required"] == ["story_id"]
        text = await error(client, "ingest_urls", urls=["https://example.org/a"])
        assert "Unknown tool" in text

    run_client(db, check)


def test_search_reports_with_dates_and_outlet(db: str) -> None:
    async def check(client: Client) -> None:
        found = await call(client, "search_reports", query="Brennick")
        assert found["query"] == "Brennick"
        assert {h["url"] for h in found["hits"]} == {a["url"] for a in FIRE_FIRST + FIRE_LATER}
        for hit in found["hits"]:
            assert_cited(db, hit["citations"])
            assert all("Brennick" in c["text"] for c in hit["citations"])
        assert_cited(db, found["citations"])
        toll = await call(client, "search_reports", query="toll")
        assert [h["url"] for h in toll["hits"]] == [RADIO]
        assert toll["hits"][0]["citations"][0]["text"] == FIRE_LATER[0]["paragraphs"][0]
        shelters = await call(client, "search_reports", query="shelters")  # in the title and one sentence
        assert [c["text"] for c in shelters["citations"]] == [FIRE_FIRST[1]["paragraphs"][2]]
        later = await call(client, "search_reports", query="Brennick", since="2026-05-05")
        assert [h["url"] for h in later["hits"]] == [RADIO]
        window = await call(client, "search_reports", query="Brennick", since="2026-05-04", until="2026-05-04")
        assert {h["url"] for h in window["hits"]} == {a["url"] for a in FIRE_FIRST}
        assert (await call(client, "search_reports", query="Brennick", until="2026-05-03"))["hits"] == []
        radio = await call(client, "search_reports", query="Brennick", outlet="Valley Radio")
        assert [h["url"] for h in radio["hits"]] == [RADIO] and radio["hits"][0]["outlet"] == "Valley Radio"
        by_domain = await call(client, "search_reports", query="Brennick", outlet="valleyradio.example")
        assert [h["article_id"] for h in by_domain["hits"]] == [h["article_id"] for h in radio["hits"]]
        assert len((await call(client, "search_reports", query="Brennick", limit=2))["hits"]) == 2
        none = await call(client, "search_reports", query="zeppelin")
        assert none["hits"] == [] and none["citations"] == []

    run_client(db, check)


def test_list_stories_by_text_name_and_date(db: str) -> None:
    ids = _story_ids(db)

    async def check(client: Client) -> None:
        every = await call(client, "list_stories")
        assert {s["id"] for s in every["stories"]} == set(ids.values())
        for story in every["stories"]:
            assert story["lede"]["text"] and story["brief_version"] >= 1
            assert_cited(db, story["lede"]["citations"])
        assert [s["id"] for s in (await call(client, "list_stories", text="girder"))["stories"]] == [ids["bridge"]]
        named = (await call(client, "list_stories", name="keller"))["stories"]
        assert [s["id"] for s in named] == [ids["fire"]] and named[0]["matched_names"] == ["Maria Keller"]
        assert_cited(db, named[0]["citations"])
        assert any("Keller" in c["text"] for c in named[0]["citations"])
        recent = await call(client, "list_stories", since="2026-05-01")
        assert [s["id"] for s in recent["stories"]] == [ids["fire"]]
        assert (await call(client, "list_stories", since="2027-01-01"))["stories"] == []
        assert (await call(client, "list_stories", name="Keller", text="girder"))["stories"] == []
        assert len((await call(client, "list_stories", limit=1))["stories"]) == 1

    run_client(db, check)


def test_get_brief_in_every_format_with_evidence(db: str) -> None:
    fire = _story_ids(db)["fire"]
    with open_store(db) as store:
        stored = store.latest_brief(fire)

    async def check(client: Client) -> None:
        as_json = await call(client, "get_brief", story_id=fire)
        assert as_json["format"] == "json" and as_json["version"] == 2 and as_json["story_id"] == fire
        assert json.loads(as_json["rendered"]) == as_json["brief"] == stored.as_dict()
        assert {c["ref"] for c in as_json["citations"]} == set(stored.all_citations())
        assert {c["ref"]: c["text"] for c in as_json["citations"]} == {r: stored.evidence[r] for r in stored.all_citations()}
        assert_cited(db, as_json["citations"])
        text = await call(client, "get_brief", story_id=fire, format="text")
        assert text["rendered"].startswith(stored.headline) or stored.headline in text["rendered"]
        assert text["brief"] is None and text["citations"] == as_json["citations"]
        for fmt in ("md", "markdown"):
            markdown = await call(client, "get_brief", story_id=fire, format=fmt)
            assert markdown["format"] == "md" and f"# {stored.headline}" in markdown["rendered"]
        html = await call(client, "get_brief", story_id=fire, format="html")
        assert html["rendered"].lstrip().lower().startswith("<!doctype html")
        first = await call(client, "get_brief", story_id=fire, version=1)
        assert first["version"] == 1 and first["headline"] != stored.headline
        assert RADIO not in {c["url"] for c in first["citations"]}
        assert_cited(db, first["citations"])

    run_client(db, check)


def test_a_bare_count_in_a_disagreement_is_a_claim_with_its_subject() -> None:
    """A disagreement's claim may carry no subject of its own (a count of people, say): it takes
    its group's, rather than failing the answer's validation (found by bench/mcp.py)."""
    from newsbrief.mcp.answers import _all_figures, _claim
    from newsbrief.records import Brief, Cited
    from newsbrief.store import SQLiteStore

    claims = [{"subject": None, "counted": None, "value": value, "text": f"{value} people", "claimed_by": who,
               "citations": []} for value, who in ((40, "police"), (55, "organisers"))]
    brief = Brief(story_id="1", headline="h", lede=Cited("l", []),
                  disagreements=[{"subject": "people at the march", "kind": "conflict", "claims": claims}])
    with SQLiteStore(":memory:") as store:
        made = [_claim(store, item, {}) for item in _all_figures(brief)]
    assert [(c.subject, c.value, c.claimed_by) for c in made] == [
        ("people at the march", 40, "police"), ("people at the march", 55, "organisers")]


def test_versions_changes_figures_and_sayings(db: str) -> None:
    fire = _story_ids(db)["fire"]

    async def check(client: Client) -> None:
        versions = await call(client, "list_versions", story_id=fire)
        assert [v["version"] for v in versions["versions"]] == [2, 1]
        assert "1 new outlet: Valley Radio" in versions["versions"][0]["changes"]
        assert versions["versions"][1]["changes"] == []
        for version in versions["versions"]:
            assert_cited(db, version["lede"]["citations"])

        changed = await call(client, "what_changed", story_id=fire)
        assert (changed["from_version"], changed["to_version"]) == (1, 2)
        assert "1 new outlet: Valley Radio" in changed["changes"]
        assert changed["new_sources"] == [RADIO]
        seven = [f for f in changed["new_figures"] if f["value"] == 7]
        assert seven and seven[0]["claimed_by"] == "the regional fire service" and seven[0]["date"] == "2026-05-05"
        assert [c["url"] for c in seven[0]["citations"]] == [RADIO]
        assert 4 not in [f["value"] for f in changed["new_figures"]]
        assert any("rose to 7" in entry["text"] for entry in changed["new_timeline"])
        assert any("We owe the families" in quote["text"] for quote in changed["new_quotes"])
        assert_cited(db, changed["citations"])
        assert any(c["url"] == changed["new_sources"][0] for c in changed["citations"])
        explicit = await call(client, "what_changed", story_id=fire, from_version=1, to_version=2)
        assert explicit["changes"] == changed["changes"]

        deaths = await call(client, "figure_history", story_id=fire, subject="deaths")
        assert [(c["value"], c["date"]) for c in deaths["claims"]] == [(4, "2026-05-04"), (7, "2026-05-05")]
        assert {c["claimed_by"] for c in deaths["claims"]} == {"the regional fire service"}
        assert deaths["sources_differ"] is False
        for claim in deaths["claims"]:
            assert_cited(db, claim["citations"])
            assert any(claim["text"].casefold() in c["text"].casefold() for c in claim["citations"])
        at_first = await call(client, "figure_history", story_id=fire, subject="deaths", version=1)
        assert [c["value"] for c in at_first["claims"]] == [4]

        said = await call(client, "who_said", name="Berg")
        assert said["sayings"] and all(s["story_id"] == fire for s in said["sayings"])
        quotes = {s["text"] for s in said["sayings"] if s["by_name"] and s["kind"] == "quote"}
        assert quotes == {"Nobody should return home until the air has been tested",
                          "We owe the families of the victims a full account of what happened"}
        for saying in said["sayings"]:
            assert_cited(db, saying["citations"])
            assert any(saying["text"][:30] in c["text"] for c in saying["citations"])
        about = await call(client, "who_said", name="Halden Chemical Works", story_id=fire)
        assert about["sayings"] and all(s["about_name"] and not s["by_name"] for s in about["sayings"])
        assert "the regional fire service" in {s["speaker"] for s in about["sayings"]}
        assert (await call(client, "who_said", name="Calder", story_id=fire))["sayings"] == []

    run_client(db, check)


def test_list_events(db: str) -> None:
    ids = _story_ids(db)
    articles = {story: {r["id"] for r in _rows(db, "SELECT id FROM articles WHERE story_id = ?", (story_id,))}
                for story, story_id in ids.items()}

    async def check(client: Client) -> None:
        for story, story_id in ids.items():
            listed = await call(client, "list_events", story_id=story_id)
            events = listed["events"]
            assert listed["story_id"] == story_id and events
            assert set().union(*(e["article_ids"] for e in events)) == articles[story]
            assert sum(e["article_count"] for e in events) == len(articles[story])
            starts = [e["first_seen"] for e in events]
            assert starts == sorted(starts)
            for event in events:
                assert_cited(db, event["citations"])
            assert_cited(db, listed["citations"])
        assert "no story 999" in await error(client, "list_events", story_id=999)

    run_client(db, check)


def test_resources_and_prompt(db: str) -> None:
    fire = _story_ids(db)["fire"]

    async def check(client: Client) -> None:
        templates = (await client.list_resource_templates()).resource_templates
        assert [t.uri_template for t in templates] == ["newsbrief://stories/{story_id}"]
        listed = [r.uri for r in (await client.list_resources()).resources]
        assert listed == ["newsbrief://stories"]
        stories = json.loads((await client.read_resource("newsbrief://stories")).contents[0].text)
        assert fire in [s["id"] for s in stories["stories"]]
        contents = (await client.read_resource(f"newsbrief://stories/{fire}")).contents[0]
        brief = json.loads(contents.text)
        assert contents.mime_type == "application/json" and brief["version"] == 2
        assert brief["evidence"] and set(brief["evidence"]) >= set(brief["lede"]["citations"])
        for uri in ("newsbrief://stories/999", "newsbrief://stories/abc", "newsbrief://stories/0"):
            with pytest.raises(MCPError):
                await client.read_resource(uri)

        prompts = (await client.list_prompts()).prompts
        assert [p.name for p in prompts] == ["brief_me"] and prompts[0].arguments[0].name == "topic"
        prompt = await client.get_prompt("brief_me", {"topic": "Halden fire"})
        text = prompt.messages[0].content.text
        assert text.startswith("Brief me on Halden fire") and brief["headline"] in text
        assert f"[{brief['lede']['citations'][0]}] {brief['evidence'][brief['lede']['citations'][0]]}" in text
        with pytest.raises(MCPError):
            await client.get_prompt("brief_me", {})

    run_client(db, check)


def test_bad_arguments_are_mcp_errors_and_the_server_goes_on(db: str) -> None:
    fire = _story_ids(db)["fire"]
    cases: list[tuple[str, dict[str, Any], str]] = [
        ("get_brief", {"story_id": 999}, "no story 999"),
        ("get_brief", {"story_id": 0}, "greater than or equal to 1"),
        ("get_brief", {"story_id": 2**70}, "less than or equal to"),
        ("get_brief", {"story_id": "twelve"}, "story_id"),
        ("get_brief", {}, "story_id"),
        ("get_brief", {"story_id": fire, "format": "pdf"}, "format"),
        ("get_brief", {"story_id": fire, "version": 7}, "no brief version 7"),
        ("list_versions", {"story_id": 999}, "no story 999"),
        ("what_changed", {"story_id": fire, "from_version": 2, "to_version": 1}, "must be earlier"),
        ("what_changed", {"story_id": fire, "to_version": 1}, "nothing to compare"),
        ("what_changed", {"story_id": fire, "from_version": 1, "to_version": 9}, "no brief version 9"),
        ("figure_history", {"story_id": fire, "subject": "zebras"}, "its figures are about: "),
        ("search_reports", {"query": ""}, "query"),
        ("search_reports", {"query": "toll\x00"}, "query"),
        ("search_reports", {"query": "toll", "since": "yesterday"}, "since"),
        ("search_reports", {"query": "toll", "outlet": "Nowhere Gazette"}, "no outlet named"),
        ("search_reports", {"query": "toll", "limit": 0}, "limit"),
        ("list_stories", {"since": "2026-13-45"}, "since"),
        ("who_said", {"name": "   "}, "give a name"),
        ("who_said", {"name": "Varga", "story_id": 999}, "no story 999"),
    ]

    async def check(client: Client) -> None:
        for tool, arguments, expected in cases:
            text = await error(client, tool, **arguments)
            assert expected in text, (tool, arguments, text)
            assert "Traceback" not in text
        # odd but valid queries are answered, not refused
        for query in ('"unclosed', "AND OR", "NEAR(", "*"):
            assert (await call(client, "search_reports", query=query))["query"] == query
        assert (await call(client, "get_brief", story_id=fire))["version"] == 2  # still serving

    run_client(db, check)


def test_streamable_http(db: str) -> None:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "newsbrief.cli", "mcp", "--db", str(db), "--http",
                                f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + STARTUP_LIMIT
        while True:  # bounded wait until the port accepts connections
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"newsbrief mcp --http did not start: {process.stderr.read()}") from None
                time.sleep(0.1)

        async def go() -> None:
            async with Client(f"http://127.0.0.1:{port}/mcp") as client:
                assert {t.name for t in (await client.list_tools()).tools} == READ_TOOLS
                fire = _story_ids(db)["fire"]
                brief = await call(client, "get_brief", story_id=fire, format="md")
                assert brief["version"] == 2
                assert_cited(db, brief["citations"])
                assert "no story 999" in await error(client, "list_versions", story_id=999)

        anyio.run(go)
    finally:
        process.terminate()
        process.wait(timeout=30)


HEARING = {
    "title": "Portavel council sets Gull Bridge hearing for Thursday",
    "outlet": "Portavel Evening Post",
    "published": "2026-03-04T17:00:00+00:00",
    "paragraphs": [
        "Portavel city council will hold a public hearing on the Gull Bridge closure on Thursday, councillor Amara Osei said.",
        "The structural engineer Lena Thornbury will present the results of the new inspection of the cracked girder.",
        "Ferry operators said demand for crossings had doubled since the bridge was closed on Monday.",
    ],
}


@pytest.mark.parametrize("backend", BACKENDS)
def test_ingest_only_when_allowed_and_private_addresses_refused(backend: str, request: pytest.FixtureRequest,
                                                               tmp_path: Path, server: LocalServer) -> None:
    copy = build(tmp_path, database_location(backend, request, tmp_path))
    url = server.url("/hearing")
    server.routes["/hearing"] = Page(as_html(HEARING, url).encode())

    async def refused(client: Client) -> None:
        assert "ingest_urls" in {t.name for t in (await client.list_tools()).tools}
        text = await error(client, "ingest_urls", urls=[url])
        assert "nothing could be ingested" in text and "private" in text.lower(), text
        assert "urls" in await error(client, "ingest_urls", urls=["ftp://example.org/x"])
        assert "urls" in await error(client, "ingest_urls", urls=[])

    run_client(copy, refused, "--allow-ingest")
    assert server.requests == []  # refused before any request was made

    async def allowed(client: Client) -> None:
        tool = {t.name: t for t in (await client.list_tools()).tools}["ingest_urls"]
        assert tool.annotations.read_only_hint is False
        result = await call(client, "ingest_urls", urls=[url])
        assert result["new_articles"] == 1 and result["briefs_written"] == 1 and result["problems"] == []
        changed = result["stories_created"] + result["stories_updated"]
        assert len(changed) == 1 and [s["id"] for s in result["stories"]] == changed
        assert result["stories"][0]["lede"]["text"]
        assert_cited(copy, result["citations"])
        again = await call(client, "ingest_urls", urls=[url])
        assert again["new_articles"] == 0 and again["already_stored"] == 1
        found = await call(client, "search_reports", query="Thornbury")
        assert [h["url"] for h in found["hits"]] == [url]
        assert found["hits"][0]["story_id"] == changed[0]
        assert [c["text"] for c in found["citations"]] == [HEARING["paragraphs"][1]]

    run_client(copy, allowed, "--allow-ingest", "--allow-private")
    assert set(server.requests) == {"/hearing"}  # fetched only when allowed
