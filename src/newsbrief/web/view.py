"""A brief as the story page shows it: every cited passage with its markers, and each marker with
the source sentence it opens in place. Text stays text here; the templates escape it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..records import Brief
from ..render import claims
from ..render.spans import section_span
from ..render.markers import source_numbers
from .charts import figure_chart


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) link, else None (shown as text, never as a link)."""
    return url if url and url.lower().startswith(("http://", "https://")) else None


def article_number(ref_or_id: str) -> int | None:
    """The database id in a brief's article id ("a12") or citation ("a12:5")."""
    head = ref_or_id.split(":", 1)[0]
    return int(head[1:]) if head[:1] == "a" and head[1:].isdigit() else None


@dataclass
class Marker:
    number: int
    ref: str
    popup: str  # element id of the in-place source sentence
    sentence: str
    outlet: str
    title: str
    url: str | None
    article: int | None
    index: int | None


@dataclass
class Passage:
    text: str
    markers: list[Marker] = field(default_factory=list)


class BriefView:
    """Builds passages for one brief; popup ids are unique within the page."""

    def __init__(self, brief: Brief) -> None:
        self.brief = brief
        self.numbers = source_numbers(brief)
        self.sources = {s.id: s for s in brief.sources}
        self._next = 0

    def passage(self, text: str, citations: list[str]) -> Passage:
        markers = []
        for ref in dict.fromkeys(citations):
            article_id = ref.split(":", 1)[0]
            number = self.numbers.get(article_id)
            if number is None:
                continue
            self._next += 1
            source = self.sources[article_id]
            index = ref.split(":", 1)[1] if ":" in ref else ""
            markers.append(Marker(number, ref, f"cite-{self._next}", self.brief.evidence.get(ref, ""), source.outlet,
                                  source.title, safe_url(source.url), article_number(ref),
                                  int(index) if index.isdigit() else None))
        return Passage(text, markers)

    def context(self) -> dict[str, Any]:
        b = self.brief
        conflicts, updates = claims.split_disagreements(b.disagreements)

        def differences(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            out = []
            for item in items:
                label, parts, separator = claims.disagreement_parts(item)
                chart = figure_chart(item)  # escaped SVG markup built by the server
                out.append({"label": label, "separator": separator, "chart": Markup(chart) if chart else None,
                            "parts": [self.passage(text, refs) for text, refs in parts]})
            return out

        return {
            "implications": [dict(passage=self.passage(claims.with_dates(i.text, i.dates), i.citations), kind=i.kind)
                             for i in b.implications],
            "lede": self.passage(claims.with_dates(b.lede.text, b.lede.dates), b.lede.citations),
            "sections": [{"heading": s.heading, "span": section_span(b, s),
                          "passages": [self.passage(claims.with_dates(c.text, c.dates), c.citations) for c in s.sentences]}
                         for s in b.sections],
            "quotes": [{"passage": self.passage(q["text"], q["citations"]), "speaker": str(q["speaker"])} for q in b.quotes],
            "statements": [{"passage": self.passage(s["text"], s["citations"]), "speaker": claims.statement_speaker(s)}
                           for s in b.statements],
            "conflicts": differences(conflicts),
            "updates": differences(updates),
            "timeline": [{"date": e["date"], "passage": self.passage(e["text"], e["citations"])} for e in b.timeline],
            "entities": [{"label": label, "passages": [self.passage(e["name"], e["citations"][:1]) for e in items]}
                         for label, items in claims.entities_by_kind(b.entities)],
            "sources": [{"number": self.numbers[s.id], "outlet": s.outlet, "title": s.title, "url": safe_url(s.url),
                         "published_at": s.published_at, "article": article_number(s.id), "note": s.note,
                         "copies": [{"outlet": c.outlet, "url": safe_url(c.url)} for c in s.copies]}
                        for s in b.sources],
            "headings": {"conflicts": claims.CONFLICTS_HEADING, "updates": claims.UPDATES_HEADING,
                         "timeline": claims.TIMELINE_HEADING, "quotes": claims.QUOTES_HEADING, "statements": claims.STATEMENTS_HEADING,
                         "entities": claims.ENTITIES_HEADING,
                         "changes": claims.CHANGES_HEADING},
        }
