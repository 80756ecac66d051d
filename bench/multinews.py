"""Reading the Multi-News sample (../shared/data/multinews-sample) as newsbrief articles."""

from __future__ import annotations

import ast
import csv
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from newsbrief.dedupe import collapse_duplicates
from newsbrief.errors import InputError
from newsbrief.extract import extract
from newsbrief.records import Article, RawDocument

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "multinews-sample" / "sample_test.csv"


@dataclass
class Cluster:
    number: int
    documents: list[str]
    summary: str


def clusters(path: Path = SAMPLE) -> Iterator[Cluster]:
    csv.field_size_limit(sys.maxsize)
    with path.open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            documents = [d for d in ast.literal_eval(row["documents"]) if d.strip()]
            yield Cluster(number, documents, row["summary"].lstrip("– ").strip())


def articles_of(cluster: Cluster) -> list[Article]:
    """The cluster's documents as articles (outlets are unknown: each document is its own)."""
    articles = []
    for n, text in enumerate(cluster.documents, start=1):
        raw = RawDocument(origin=f"cluster{cluster.number}/doc{n}", url=f"https://doc{n}.multinews.invalid/{cluster.number}",
                          text=text, title=None, outlet=f"doc{n}")
        try:
            articles.append(extract(raw, article_id=f"a{n}"))
        except InputError:
            continue
    return collapse_duplicates(articles)
