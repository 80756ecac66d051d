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
    assert cited == set(data["evidence"])


def test_text_format_follows_the_seed_layout() -> None:
    result = CliRunner().invoke(main, ["brief", str(EXAMPLES)])
    assert result.exit_code == 0
    brief, _ = _sample()
    text = result.stdout
    lines = text.splitlines()
    assert lines[0].startswith(brief.implications[0].text)
    assert brief.headline in lines
    assert re.search(r"\[\d\]$", lines[lines.index(brief.headline) + 1])
    assert "\nSources\n[1] " in text
    for section in brief.sections:
        assert f"\n{section.heading}\n" in text


def test_markdown_and_html_formats(tmp_path) -> None:
    out = tmp_path / "brief.html"
    result = CliRunner().invoke(main, ["brief", "--format", "html", "-o", str(out), str(EXAMPLES)])
    assert result.exit_code == 0
    page = out.read_text()
    assert page.startswith("<!doctype html>") and "<h1>" in page and 'id="ev-a' in page
    result = CliRunner().invoke(main, ["brief", "--format", "md", str(EXAMPLES)])
    assert result.exit_code == 0 and result.stdout.startswith("# ")
