"""Which stories are due a brief, with several processes on one database (a `watch` beside an
`ingest`, two watchers on a shared PostgreSQL database): a change made while a brief of the story
is being written stays due, and two writers writing a brief of the same changes store it once.
Two connections on one database stand for the two processes; the interleaving is made explicit."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbrief.ingest import ingest
from newsbrief.pipeline import refresh_briefs
from newsbrief.store import open_store
from newsbrief.writers.extractive import ExtractiveWriter

from .postgres_server import BACKENDS, database_location, postgres_server  # noqa: F401 (the fixture)
from .stories import BRIDGE
from .test_story_events import _write


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_change_made_while_a_brief_is_written_stays_due(
        backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    url = database_location(backend, request, tmp_path)
    with open_store(url) as writer, open_store(url) as other:
        [story] = ingest([str(_write(tmp_path / "a.jsonl", [("a", BRIDGE[:2])]))], writer).changed_stories
        basis = writer.brief_basis(story)
        brief = ExtractiveWriter().write(writer.story_articles(story), story_id=str(story))
        # meanwhile another process adds a report to the story
        assert story in ingest([str(_write(tmp_path / "b.jsonl", [("b", BRIDGE[2:])]))], other).changed_stories
        assert writer.add_brief(brief, basis) is not None
        assert writer.due_briefs() == [story]  # the brief does not cover the new report
        [second] = refresh_briefs(writer, writer.due_briefs())
        assert second.version == 2 and writer.due_briefs() == []


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_writers_briefing_the_same_changes_store_one_version(
        backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    url = database_location(backend, request, tmp_path)
    with open_store(url) as first, open_store(url) as second:
        [story] = ingest([str(_write(tmp_path / "a.jsonl", [("a", BRIDGE)]))], first).changed_stories
        read = [(store, store.brief_basis(story), ExtractiveWriter().write(store.story_articles(story),
                                                                           story_id=str(story)))
                for store in (first, second)]
        stored = [store.add_brief(brief, basis) for store, basis, brief in read]
        assert stored[0] is not None and stored[0].version == 1 and stored[1] is None
        assert [v["version"] for v in second.brief_versions(story)] == [1] and second.due_briefs() == []
        # asked for by name, an unchanged story's brief is written again
        assert [brief.version for brief in refresh_briefs(second, [story])] == [2]
