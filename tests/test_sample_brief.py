"""The README's first command on the bundled sample, in every format."""

from __future__ import annotations

import json
import re

from click.testing import CliRunner

from newsbrief import brief_from_inputs, validate
from newsbrief.cli import main
from newsbrief.writers.grounding import problem

from .conftest import EXAMPLES


def _sample():
    brief, problems = brief_from_inputs([str(EXAMPLES)])
    return brief, problems


def test_sample_reads_every_input_without_problems() -> None:
    brief, problems = _sample()
    assert problems == []
    outlets = {s.outlet for s in brief.sources}
    assert outlets == {
        "Orrin Valley Courier", "Castavia Wire", "The Northern Ledger", "Meridian Post",
        "Civic Radio Castavia", "Eastshore Times",
    }


def test_syndicated_copy_is_listed_as_a_copy_not_a_source() -> None:
    brief, _ = _sample()
    wire = next(s for s in brief.sources if s.outlet == "Castavia Wire")
    assert [c.outlet for c in wire.copies] == ["Harbor Daily"]
    assert all(s.outlet != "Harbor Daily" for s in brief.sources)


def test_every_sentence_is_cited_and_grounded() -> None:
    brief, _ = _sample()
    passages = brief.cited_passages()
    assert len(passages) >= 8
    for passage in passages:
        assert passage.citations
        assert problem(passage.text, passage.citations, brief.evidence) is None, passage.text
    assert 2 <= len(brief.sections) <= 4
    assert brief.implications and all(i.attributed_to for i in brief.implications)


def test_a_forecast_the_story_has_overtaken_is_not_an_implication() -> None:
    """The rain forecast "by Thursday" (12 Nov), read in the 11 Nov report, is stale once the story
    has reports of 18 Nov; a forecast whose day is still ahead of the latest report stays."""
    from datetime import date

    from newsbrief.pipeline import read_articles
    from newsbrief.writers.extractive import overtaken
    from newsbrief.writers.scoring import score_candidates

    brief, _ = _sample()
    assert all("by Thursday" not in i.text for i in brief.implications)
    articles = read_articles([str(EXAMPLES)]).articles
    (forecast,) = [c for c in score_candidates(articles) if "by Thursday" in c.text and "rain" in c.text]
    assert overtaken(forecast, date(2026, 11, 18))
    assert not overtaken(forecast, date(2026, 11, 12)) and not overtaken(forecast, date(2026, 11, 11))


def test_headings_are_key_phrases_of_their_sentences() -> None:
    brief, _ = _sample()
    for section in brief.sections:
        assert not re.match(r"(?i)section \d", section.heading)
        words = section.heading.lower().split()
        assert any(all(w in s.text.lower() for w in words) for s in section.sentences), section.heading


def test_json_format_validates_and_carries_evidence() -> None:
    result = CliRunner().invoke(main, ["brief", "--format", "json", str(EXAMPLES)])
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    validate(data)
    cited = {c for p in [data["lede"], *data["implications"]] for c in p["citations"]}
    cited |= {c for s in data["sections"] for x in s["sentences"] for c in x["citations"]}
    cited |= {c for item in data["figures"] + data["timeline"] + data["quotes"] + data["statements"]
              for c in item["citations"]}
    cited |= {c for d in data["disagreements"] for claim in d["claims"] for c in claim["citations"]}
    assert cited == set(data["evidence"])


def test_text_format_follows_the_seed_layout() -> None:
    result = CliRunner().invoke(main, ["brief", str(EXAMPLES)])
    assert result.exit_code == 0
    brief, _ = _sample()
    text = result.stdout
    lines = text.splitlines()
    assert brief.implications[0].text.startswith(lines[0].split(" (")[0])  # "(18 Nov 2026)": a resolved date
    assert "by Thursday (12 Nov 2026)" in text  # relative dates are resolved against publication
    assert brief.headline in lines
    assert re.search(r"\[\d\]$", lines[lines.index(brief.headline) + 1])
    assert "\nSources\n[1] " in text
    for section in brief.sections:  # an event's heading is followed by its days: "... — 9–11 Nov 2026"
        assert re.search(rf"\n{re.escape(section.heading)}( — [^\n]+)?\n", text)
    assert len(brief.events) == 2 and [s.event_id for s in brief.sections] == [e["id"] for e in brief.events]


def test_markdown_and_html_formats(tmp_path) -> None:
    out = tmp_path / "brief.html"
    result = CliRunner().invoke(main, ["brief", "--format", "html", "-o", str(out), str(EXAMPLES)])
    assert result.exit_code == 0
    page = out.read_text()
    assert page.startswith("<!doctype html>") and "<h1>" in page and 'id="ev-a' in page
    assert "by Thursday (12 Nov 2026)" in page  # resolved dates in every format
    result = CliRunner().invoke(main, ["brief", "--format", "md", str(EXAMPLES)])
    assert result.exit_code == 0 and result.stdout.startswith("# ")
    assert "by Thursday \\(12 Nov 2026\\)" in result.stdout


def test_planted_disagreements_and_the_rising_toll_are_shown() -> None:
    brief, _ = _sample()
    by_subject = {d["subject"]: d for d in brief.disagreements}
    evacuated = by_subject["evacuated or displaced"]
    assert evacuated["kind"] == "conflict"
    claims = {(c["value"], c["claimed_by"]) for c in evacuated["claims"]}
    assert (12000, "the Provincial Emergency Agency") in claims and (15000, "the Castavian Red Cross") in claims
    damage = by_subject["damage"]
    assert {c["value"] for c in damage["claims"]} == {8e8, 1.2e9}
    deaths = by_subject["deaths"]
    assert deaths["kind"] == "update"
    assert [(c["value"], c["date"]) for c in deaths["claims"]] == [
        (6, "2026-11-09"), (14, "2026-11-10"), (23, "2026-11-11")]
    for item in brief.disagreements:
        for claim in item["claims"]:
            assert claim["text"].lower() in brief.evidence[claim["citations"][0]].lower()


def test_timeline_is_dated_in_order_and_cited() -> None:
    brief, _ = _sample()
    days = [event["date"] for event in brief.timeline]
    assert days == sorted(days) and days[0] == "2026-11-08"
    assert any(e["date"] == "2026-11-09" and "collapsed" in e["text"] for e in brief.timeline)
    for event in brief.timeline:
        assert event["text"] in brief.evidence[event["citations"][0]]


def test_text_format_has_where_sources_differ_and_timeline() -> None:
    text = CliRunner().invoke(main, ["brief", str(EXAMPLES)]).stdout
    assert "\nWhere sources differ\n" in text and "\nHow the figures changed\n" in text
    assert "more than 15,000 people, according to the Castavian Red Cross (2026-11-10)" in text
    assert "at least 6 people (2026-11-09) [1] → 14 (2026-11-10)" in text
    assert "\nTimeline\n2026-11-08  " in text


def test_quotes_keep_their_speakers_verbatim() -> None:
    brief, _ = _sample()
    speakers = {q["speaker"] for q in brief.quotes}
    assert {"Governor Elena Marsh", "Ana Ruiz", "Miriam Okafor"} <= speakers
    for quote in brief.quotes:
        assert quote["text"] in brief.evidence[quote["citations"][0]]
