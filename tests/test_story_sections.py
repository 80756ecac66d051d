"""A story's brief shaped like the seed: one section per event, in time order, each headed by a
phrase that names the event; a story of one event keeps themed sections headed by what they are
about. The articles are fictional: a tanker grounding off the invented island of Marrow Cay."""

from __future__ import annotations

import json
import re
from datetime import datetime

import pytest

from newsbrief import Config, validate
from newsbrief.extract import extract
from newsbrief.records import Article, Brief, RawDocument
from newsbrief.render import render
from newsbrief.writers.extractive import ExtractiveWriter
from newsbrief.writers.grounding import problem
from newsbrief.writers.llm import LLMWriter

from .conftest import LocalServer, Page

# (event, outlet, published, title, paragraphs)
TANKER = [
    ("grounding", "Cay Herald", "2026-05-04T08:00:00+00:00", "Tanker Orla Star runs aground off Marrow Cay", [
        "The fuel tanker Orla Star ran aground on a coral shoal off Marrow Cay early on Monday, the island's harbour authority said.",
        "All 22 crew members were taken off the vessel by a coast guard cutter before noon, according to the harbour authority.",
        "The tanker was carrying about 30,000 tonnes of diesel from Port Sallow to the mainland.",
        "Harbour master Dara Quist said tugs would try to pull the ship free at high tide.",
    ]),
    ("grounding", "Southern Wire", "2026-05-04T13:00:00+00:00", "Crew rescued as fuel tanker grounds on Marrow Cay shoal", [
        "A coast guard cutter rescued 22 crew members from the tanker Orla Star after it ran aground on a shoal off Marrow Cay on Monday.",
        "The ship struck the shoal in fog while entering the island's eastern channel, the coast guard said.",
        "Divers found a gash in the hull but no leak had been confirmed by Monday evening.",
    ]),
    ("grounding", "Tidewater Post", "2026-05-04T18:30:00+00:00", "Tugs fail to free grounded tanker", [
        "Two tugs failed to pull the grounded tanker Orla Star off the Marrow Cay shoal on Monday evening.",
        "Harbour master Dara Quist said a second attempt would be made at dawn on Tuesday.",
        "The eastern channel was closed to other shipping while the tanker remained stuck.",
    ]),
    ("spill", "Cay Herald", "2026-05-06T09:00:00+00:00", "Diesel from Orla Star washes onto Marrow Cay beaches", [
        "Diesel leaking from the stranded tanker Orla Star reached the beaches of Marrow Cay on Wednesday, covering rocks and sand with a brown film.",
        "The island council banned fishing within 10 kilometres of the wreck and closed four beaches.",
        "Volunteers collected dozens of oiled seabirds along the north shore.",
    ]),
    ("spill", "Reef Monitor", "2026-05-06T15:00:00+00:00", "Fishing banned as tanker spill spreads", [
        "An oil slick about 8 kilometres long spread from the tanker Orla Star along the north shore of Marrow Cay on Wednesday.",
        "Fishermen on the island said the ban on fishing would cost them their main season.",
        "Marine biologist Ilse Brandt said the spill threatened the nesting grounds of green turtles.",
    ]),
    ("spill", "Southern Wire", "2026-05-07T07:00:00+00:00", "Clean-up crews race to contain Marrow Cay spill", [
        "Clean-up crews laid floating booms around the tanker Orla Star on Thursday to stop more diesel from reaching the shore of Marrow Cay.",
        "The island council said about 400 tonnes of diesel had leaked since the hull cracked on Tuesday.",
        "Crews expect the work to take at least three weeks if the weather holds.",
    ]),
    ("inquiry", "Tidewater Post", "2026-05-09T10:00:00+00:00", "Inquiry opens into Orla Star grounding", [
        "The maritime safety board opened an inquiry into the grounding of the tanker Orla Star on Saturday.",
        "Investigators will examine why the ship entered the eastern channel in thick fog without a pilot on board.",
        "The board said it would publish its first findings within six months.",
    ]),
    ("inquiry", "Reef Monitor", "2026-05-09T16:00:00+00:00", "Safety board to question Orla Star captain", [
        "The maritime safety board said on Saturday that its inquiry into the grounding of the Orla Star would question the ship's captain next week.",
        "The tanker's owner, Sallow Shipping, said it would cooperate fully with the inquiry.",
    ]),
]

FIRE = [
    ("Harbour Gazette", "2026-02-10T07:00:00+00:00", "Fire destroys Marrow Cay library", [
        "A fire destroyed the public library of Marrow Cay overnight, the island's fire service said on Tuesday.",
        "Firefighters fought the blaze for six hours before bringing it under control.",
        "No one was injured, but about 40,000 books were lost, according to the library's director.",
        "The fire service said faulty wiring in the reading room was the likely cause.",
        "The island council said the library would be rebuilt within two years.",
    ]),
    ("Cay Herald", "2026-02-10T12:00:00+00:00", "Library fire: rare maps lost", [
        "The fire at the Marrow Cay public library destroyed a collection of rare sea charts dating from the 1800s, its director said on Tuesday.",
        "Director Tomas Wend said the charts had never been copied.",
        "Residents began collecting donated books at the town hall within hours of the fire.",
        "Firefighters said the blaze started in the reading room shortly after midnight.",
    ]),
    ("Southern Wire", "2026-02-10T18:00:00+00:00", "Island mourns library after blaze", [
        "Residents of Marrow Cay gathered outside the ruins of the public library on Tuesday after a fire gutted the building overnight.",
        "The fire service said an electrical fault in the reading room probably started the fire.",
        "The island council promised to rebuild the library and said insurance would cover most of the cost.",
        "Volunteers have already collected more than 2,000 donated books at the town hall.",
    ]),
]


def _article(n: int, outlet: str, published: str, title: str, paragraphs: list[str], event: str | None) -> Article:
    raw = RawDocument(origin=f"test{n}", url=f"https://{outlet.lower().replace(' ', '')}.example/{n}",
                      text="\n\n".join(paragraphs), title=title, outlet=outlet,
                      published_at=datetime.fromisoformat(published))
    article = extract(raw, article_id=f"a{n}")
    article.event_id = event
    article.story_id = "s-test"
    return article


def tanker_articles(with_events: bool = True) -> list[Article]:
    return [_article(n, outlet, published, title, paragraphs, f"e-{event}" if with_events else None)
            for n, (event, outlet, published, title, paragraphs) in enumerate(TANKER, start=1)]


def fire_articles() -> list[Article]:
    return [_article(n, *item, event="e-fire") for n, item in enumerate(FIRE, start=1)]


@pytest.fixture(scope="module")
def story_brief() -> Brief:
    return ExtractiveWriter().write(tanker_articles())


@pytest.fixture(scope="module")
def fire_brief() -> Brief:
    return ExtractiveWriter().write(fire_articles())


def _names_a_happening(heading: str, sentences: list[str]) -> None:
    """A phrase, not a lone word, not a bare name (every word capitalised), its words the sources'."""
    words = heading.split()
    assert len(words) >= 2, heading
    assert any(w[0].islower() or w[0].isdigit() for w in words[1:]), f"a bare name: {heading}"
    text = " ".join(sentences).lower()
    assert all(re.sub(r"[^\w'’-]", "", w.lower()) in text for w in words), heading


def test_one_section_per_event_in_time_order(story_brief: Brief) -> None:
    assert [s.event_id for s in story_brief.sections] == ["e-grounding", "e-spill", "e-inquiry"]
    assert [e["id"] for e in story_brief.events] == ["e-grounding", "e-spill", "e-inquiry"]
    for section in story_brief.sections:
        event = section.event_id.removeprefix("e-")
        ids = {f"a{n}" for n, item in enumerate(TANKER, start=1) if item[0] == event}
        for sentence in section.sentences:
            assert sentence.citations[0].split(":")[0] in ids, (section.heading, sentence.text)


def test_event_headings_name_the_event(story_brief: Brief) -> None:
    by_event = {f"e-{item[0]}": [] for item in TANKER}
    for event, _, _, title, paragraphs in TANKER:
        by_event[f"e-{event}"] += [title, *paragraphs]
    headings = [s.heading for s in story_brief.sections]
    assert len(set(headings)) == len(headings)
    for section in story_brief.sections:
        _names_a_happening(section.heading, by_event[section.event_id])
    assert [e["heading"] for e in story_brief.events] == headings


def test_headline_and_lede_come_from_the_newest_major_event(story_brief: Brief) -> None:
    inquiry = {"a7", "a8"}
    assert story_brief.headline_source in inquiry
    assert story_brief.lede.citations[0].split(":")[0] in inquiry


def test_events_are_listed_with_dates_and_sources_and_validate(story_brief: Brief) -> None:
    first = story_brief.events[0]
    assert first == {"id": "e-grounding", "heading": first["heading"], "first": "2026-05-04", "last": "2026-05-04",
                     "articles": 3, "sources": ["a1", "a2", "a3"]}
    spill = story_brief.events[1]
    assert (spill["first"], spill["last"], spill["articles"]) == ("2026-05-06", "2026-05-07", 3)
    data = json.loads(render(story_brief, "json"))
    validate(data)
    assert [s["event_id"] for s in data["sections"]] == ["e-grounding", "e-spill", "e-inquiry"]


def test_every_sentence_is_cited_and_grounded(story_brief: Brief) -> None:
    for passage in story_brief.cited_passages():
        assert passage.citations
        assert problem(passage.text, passage.citations, story_brief.evidence) is None, passage.text
    assert all(section.sentences for section in story_brief.sections)


def test_figures_statements_and_timeline_span_all_events(story_brief: Brief) -> None:
    event_of = {f"a{n}": f"e-{item[0]}" for n, item in enumerate(TANKER, start=1)}

    def events_cited(items: list[dict]) -> set[str]:
        return {event_of[ref.split(":")[0]] for item in items for ref in item["citations"]}

    everything = {"e-grounding", "e-spill", "e-inquiry"}
    assert events_cited(story_brief.figures) == everything
    assert events_cited(story_brief.statements) == everything
    assert events_cited(story_brief.timeline) == everything
    assert {"2026-05-04", "2026-05-06", "2026-05-09"} <= {item["date"] for item in story_brief.timeline}


def test_undated_event_follows_the_event_it_continues() -> None:
    articles = tanker_articles()
    for a in articles:
        if a.event_id == "e-spill":
            a.published_at = None
    brief = ExtractiveWriter().write(articles)
    assert [e["id"] for e in brief.events] == ["e-grounding", "e-spill", "e-inquiry"]
    assert brief.events[1]["first"] is None and brief.events[1]["last"] is None
    validate(json.loads(render(brief, "json")))


def test_renderers_show_each_event_s_dates_beside_its_heading(story_brief: Brief) -> None:
    spill = next(s for s in story_brief.sections if s.event_id == "e-spill")
    text = render(story_brief, "text")
    assert f"\n{spill.heading} — 6–7 May 2026\n" in text
    markdown = render(story_brief, "md")
    assert "\n## " in markdown and "6–7 May 2026" in markdown
    page = render(story_brief, "html")
    assert "4 May 2026" in page and "6–7 May 2026" in page


def test_heading_text_is_escaped_in_html(story_brief: Brief) -> None:
    brief = Brief.from_dict(story_brief.as_dict())
    brief.sections[0].heading = "<script>alert(1)</script> & co"
    page = render(brief, "html")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


def test_without_event_ids_the_sections_are_themes() -> None:
    brief = ExtractiveWriter().write(tanker_articles(with_events=False))
    assert brief.events == []
    assert all(s.event_id is None for s in brief.sections)


def test_one_event_has_themed_sections_named_by_what_they_are_about(fire_brief: Brief) -> None:
    assert fire_brief.events == []
    assert len(fire_brief.sections) >= 2
    # who the facts come from (outlets, speakers) and the names found are not what a theme is about
    sources = {s.outlet for s in fire_brief.sources} | {e["name"] for e in fire_brief.entities}
    sources |= {re.sub(r"^(the|its)\s+|^.*['’]s\s+", "", x["speaker"], flags=re.I)
                for x in fire_brief.statements + fire_brief.quotes}
    for section in fire_brief.sections:
        assert section.event_id is None
        assert section.heading.lower() not in {n.lower() for n in sources}, section.heading
        assert not all(w[0].isupper() for w in section.heading.split()) or len(section.heading.split()) == 1, section.heading
        words = section.heading.lower().split()
        assert any(all(w in s.text.lower() for w in words) for s in section.sentences), section.heading
    for passage in fire_brief.cited_passages():
        assert problem(passage.text, passage.citations, fire_brief.evidence) is None, passage.text


def _numbered(body: bytes) -> dict[str, int]:
    """The prompt's numbered sentences: text -> number."""
    prompt = json.loads(body)["messages"][1]["content"]
    return {m.group(2): int(m.group(1)) for m in re.finditer(r"^\[(\d+)\] \([^)]*\) (.+)$", prompt, re.M)}


def _completion(answer: dict) -> Page:
    return Page(json.dumps({"model": "scripted-model", "choices": [
        {"message": {"role": "assistant", "content": json.dumps(answer)}, "finish_reason": "stop"}]}).encode(),
        "application/json")


def test_the_llm_writer_is_asked_for_a_section_per_event(server: LocalServer) -> None:
    """A scripted endpoint on 127.0.0.1 answers with the events' sections out of order: the brief
    puts them in time order under the events' own headings."""
    prompts: list[str] = []

    def route(headers, body) -> Page:  # type: ignore[no-untyped-def]
        prompts.append(json.loads(body)["messages"][1]["content"])
        numbers = _numbered(body)

        def find(words: str) -> int:
            return next(n for text, n in numbers.items() if words in text)

        spill, grounding = find("banned fishing within 10 kilometres"), find("ran aground on a coral shoal")
        inquiry = find("opened an inquiry into the grounding")
        return _completion({
            "headline": "Safety board opens inquiry into Orla Star grounding",
            "lede": {"text": "The maritime safety board opened an inquiry into the grounding of the tanker Orla Star on Saturday.",
                     "sources": [inquiry]},
            "implications": [],
            "sections": [
                {"heading": "Spill", "sentences": [{"text": "The island council banned fishing within 10 kilometres of the wreck and closed four beaches.", "sources": [spill]}]},
                {"heading": "Grounding", "sentences": [{"text": "The fuel tanker Orla Star ran aground on a coral shoal off Marrow Cay early on Monday.", "sources": [grounding]}]},
            ],
        })

    server.routes["/v1/chat/completions"] = route
    config = Config.load(writer="llm", llm_base_url=server.url("/v1"), llm_model="scripted-model", llm_timeout=5.0)
    brief = LLMWriter(config).write(tanker_articles())
    assert "one section per event (events 1 to 3, oldest first" in prompts[0] and "(event 1; Cay Herald" in prompts[0]
    assert brief.writer == "llm", brief.fallback
    assert [s.event_id for s in brief.sections] == ["e-grounding", "e-spill"]
    headings = {e["id"]: e["heading"] for e in brief.events}
    assert [s.heading for s in brief.sections] == [headings["e-grounding"], headings["e-spill"]]
    validate(json.loads(render(brief, "json")))


def test_a_lone_newer_report_does_not_head_the_story() -> None:
    articles = tanker_articles()
    articles.append(_article(9, "Cay Herald", "2026-05-12T09:00:00+00:00", "Island choir sings for clean-up volunteers", [
        "A choir from Marrow Cay sang for the volunteers who cleaned the island's beaches after the Orla Star spill.",
        "The concert in the town hall raised money for the island's wildlife rescue centre.",
    ], "e-concert"))
    brief = ExtractiveWriter().write(articles)
    assert [e["id"] for e in brief.events][-1] == "e-concert"
    assert brief.headline_source in {"a7", "a8"}
    assert [s.event_id for s in brief.sections][-1] == "e-concert"  # still told, in its place in time
