"""Citation markers: each cited article gets a number, in the order of the brief's source list."""

from __future__ import annotations

from typing import Any

from ..dating import DATE_NOTES
from ..records import Brief


def source_numbers(brief: Brief) -> dict[str, int]:
    return {source.id: n for n, source in enumerate(brief.sources, start=1)}


def marker_numbers(brief: Brief, citations: list[str]) -> list[int]:
    """Source numbers cited by ``citations`` (``a3:5``), each once, in citation order."""
    numbers = source_numbers(brief)
    found = (numbers.get(ref.split(":", 1)[0]) for ref in citations)
    return list(dict.fromkeys(n for n in found if n is not None))


def reported_span(event: dict[str, Any]) -> str:
    """ "(reported 2026-03-02 to 2026-03-04)" for a timeline event outlets reported over days, else "". """
    span = event.get("reported") or {}
    return f"(reported {span['first']} to {span['last']})" if span.get("first") != span.get("last") else ""


def source_date(published_at: str | None, date_source: str | None) -> str:
    """A source's day, saying where it came from when the source did not give it."""
    if not published_at:
        return ""
    inferred = DATE_NOTES.get(date_source or "")
    return f"{published_at[:10]} ({inferred})" if inferred else published_at[:10]


def source_line(source_outlet: str, title: str, published_at: str | None, date_source: str | None = None) -> str:
    date = source_date(published_at, date_source)
    return f"{source_outlet}: {title}, {date}" if date else f"{source_outlet}: {title}"
