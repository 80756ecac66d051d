"""Citation markers: each cited article gets a number, in the order of the brief's source list."""

from __future__ import annotations

from ..records import Brief


def source_numbers(brief: Brief) -> dict[str, int]:
    return {source.id: n for n, source in enumerate(brief.sources, start=1)}


def marker_numbers(brief: Brief, citations: list[str]) -> list[int]:
    """Source numbers cited by ``citations`` (``a3:5``), each once, in citation order."""
    numbers = source_numbers(brief)
    found = (numbers.get(ref.split(":", 1)[0]) for ref in citations)
    return list(dict.fromkeys(n for n in found if n is not None))


def source_line(source_outlet: str, title: str, published_at: str | None) -> str:
    date = f", {published_at[:10]}" if published_at else ""
    return f"{source_outlet}: {title}{date}"
