"""Briefs for 20 real Multi-News clusters: every sentence cites real source sentences and passes
the grounding check."""

from __future__ import annotations

import itertools
import sys

import pytest

from newsbrief import ExtractiveWriter, validate
from newsbrief.writers.grounding import problem

from .conftest import REPO, SHARED_DATA

sys.path.insert(0, str(REPO / "bench"))
from multinews import SAMPLE, articles_of, clusters  # noqa: E402

pytestmark = pytest.mark.skipif(not SAMPLE.exists(), reason=f"{SAMPLE} not found (shared data missing)")


def test_twenty_clusters_are_fully_cited_and_grounded() -> None:
    assert SAMPLE.is_relative_to(SHARED_DATA)
    writer = ExtractiveWriter()
    for cluster in itertools.islice(clusters(), 20):
        articles = articles_of(cluster)
        brief = writer.write(articles)
        validate(brief.as_dict())
        sentences = {s.ref: s.text for a in articles for s in a.sentences}
        passages = brief.cited_passages()
        assert len(passages) >= 3, cluster.number
        for passage in passages:
            assert passage.citations, (cluster.number, passage.text)
            for ref in passage.citations:
                assert sentences[ref] == brief.evidence[ref]
            assert problem(passage.text, passage.citations, brief.evidence) is None, (cluster.number, passage.text)
