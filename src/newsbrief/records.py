"""The records every stage passes along: plain, typed, and round-trippable through JSON."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


def _to_json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_json(getattr(value, f.name)) for f in dataclasses.fields(value)
                if not f.metadata.get("internal")}
    if isinstance(value, (list, tuple)):
        return [_to_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _to_json(v) for k, v in value.items()}
    return value


def _date(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class Record:
    """Mixin: ``as_dict()`` gives JSON-ready data (datetimes as ISO 8601 strings)."""

    def as_dict(self) -> dict[str, Any]:
        return _to_json(self)  # type: ignore[no-any-return]


@dataclass
class RawDocument(Record):
    """What a source yields before extraction: a page, a feed entry, a text file or a JSONL line."""

    origin: str  # the input it came from, for error messages (path, URL, path:line)
    url: str
    html: str | None = None  # markup to extract from, or
    text: str | None = None  # already-plain text
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    note: str | None = None  # e.g. "page could not be fetched (...); used the feed entry's text"
    outlet_fallback: str | None = None  # e.g. the feed's title, used when the page names no site


@dataclass
class Sentence(Record):
    """One sentence of an article: the unit every citation points to (``a3:5``)."""

    article_id: str
    index: int
    text: str
    start: int
    end: int
    # the attributions spaCy's parse found (analysis.speech.pack), or None: not parsed
    speech: list[list[int]] | None = field(default=None, metadata={"internal": True})
    # the names the entity recogniser found ([name, kind] pairs), or None: not read yet
    names: list[list[str]] | None = field(default=None, metadata={"internal": True})

    @property
    def ref(self) -> str:
        return f"{self.article_id}:{self.index}"


@dataclass
class Article(Record):
    url: str
    outlet: str  # display name
    domain: str
    title: str
    text: str
    id: str = ""
    author: str | None = None
    published_at: datetime | None = None
    fetched_at: datetime | None = None
    # where published_at came from (dating.DATE_SOURCES: "given", "url", "dateline", "copy", "fetched")
    date_source: str | None = None
    # an undated report's latest mentioned date (dating.not_before), set and used while grouping
    not_before: datetime | None = field(default=None, compare=False, metadata={"internal": True})
    language: str | None = None
    content_hash: str = ""
    duplicate_of: str | None = None  # id of the article this is a syndicated copy of
    story_id: str | None = None
    event_id: str | None = None  # the event (tight cluster of reports of one happening) inside the story
    origin: str = ""
    note: str | None = None
    sentences: list[Sentence] = field(default_factory=list)
    parse_seconds: float = field(default=0.0, compare=False, metadata={"internal": True})  # spent parsing at extraction

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Article":
        data = dict(data)
        data["published_at"] = _date(data.get("published_at"))
        data["fetched_at"] = _date(data.get("fetched_at"))
        data["sentences"] = [Sentence(**s) for s in data.get("sentences", [])]
        return cls(**data)


@dataclass
class Cited(Record):
    """A piece of brief text and the source sentences (``article:index``) it rests on."""

    text: str
    citations: list[str]
    dates: list[dict[str, str]] = field(default_factory=list)  # {"text": "on Monday", "date": "2026-11-09"}


@dataclass
class Implication(Record):
    text: str
    citations: list[str]
    attributed_to: str | None = None
    kind: str = "sourced"  # "sourced": stated by a source; "inferred": drawn by a writer
    dates: list[dict[str, str]] = field(default_factory=list)


@dataclass
class Section(Record):
    heading: str
    sentences: list[Cited]
    event_id: str | None = None  # set when the section tells one event of a story of several


@dataclass
class Copy(Record):
    url: str
    outlet: str


@dataclass
class Source(Record):
    id: str
    url: str
    outlet: str
    title: str
    published_at: str | None = None
    copies: list[Copy] = field(default_factory=list)
    note: str | None = None
    date_source: str | None = None  # set when the date was inferred ("url", "dateline", "copy", "fetched")


@dataclass
class Brief(Record):
    """A versioned, immutable situation brief for one story (schema: render/brief.schema.json)."""

    story_id: str
    headline: str
    lede: Cited
    version: int = 1
    generated_at: str = ""
    writer: str = "extractive"
    headline_source: str | None = None  # id of the source whose title the headline is
    implications: list[Implication] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    figures: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    statements: list[dict[str, Any]] = field(default_factory=list)  # reported speech: speaker, text
    entities: list[dict[str, Any]] = field(default_factory=list)  # people, organisations, places, equipment
    disagreements: list[dict[str, Any]] = field(default_factory=list)
    timeline: list[dict[str, Any]] = field(default_factory=list)
    # the story's events, oldest first: {"id", "heading", "first", "last", "articles", "sources"}
    events: list[dict[str, Any]] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)
    evidence: dict[str, str] = field(default_factory=dict)
    dropped: int = 0  # sentences the grounding check removed
    model: str | None = None  # the language model that wrote it (llm writer)
    fallback: str | None = None  # why the extractive writer wrote it instead of the one asked for
    grounding: dict[str, Any] = field(default_factory=dict)  # {"checked": n, "dropped": n, "reasons": [...]}
    # where the writer's time went ({"analysis": s, "entities": s, "writing": s}); measured, not stored
    seconds: dict[str, float] = field(default_factory=dict, compare=False, metadata={"internal": True})
    # names the writer's recogniser found in sentences that had none stored (ref -> [[name, kind]]);
    # the store keeps them with the sentences, so that the story's next brief does not read them again
    recognised: dict[str, list[list[str]]] = field(default_factory=dict, compare=False, metadata={"internal": True})

    def all_citations(self) -> list[str]:
        """Every citation in the brief (sentences, figures, disagreements, timeline), once each."""
        refs = [ref for passage in self.cited_passages() for ref in passage.citations]
        refs += [ref for item in self.figures + self.timeline + self.quotes + self.statements + self.entities for ref in item.get("citations", [])]
        refs += [ref for d in self.disagreements for claim in d["claims"] for ref in claim["citations"]]
        return list(dict.fromkeys(refs))

    def cited_passages(self) -> list[Cited | Implication]:
        """Every sentence of the brief that must carry citations, in reading order."""
        passages: list[Cited | Implication] = list(self.implications)
        passages.append(self.lede)
        for section in self.sections:
            passages.extend(section.sentences)
        return passages

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Brief":
        data = dict(data)
        data["lede"] = Cited(**data["lede"])
        data["implications"] = [Implication(**i) for i in data.get("implications", [])]
        data["sections"] = [
            Section(s["heading"], [Cited(**c) for c in s["sentences"]], s.get("event_id"))
            for s in data.get("sections", [])
        ]
        data["sources"] = [
            Source(**{**s, "copies": [Copy(**c) for c in s.get("copies", [])]})
            for s in data.get("sources", [])
        ]
        return cls(**data)
