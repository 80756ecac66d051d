"""The days an event's reports span, written for a reader beside its section's heading."""

from __future__ import annotations

from datetime import date

from ..records import Brief, Section


def day_span(first: str | None, last: str | None) -> str:
    """ "12 Nov 2026", "12–13 Nov 2026", "30 Nov – 2 Dec 2026", "30 Dec 2026 – 2 Jan 2027", or ""
    when neither day is known."""
    if not (first or last):
        return ""
    start, end = date.fromisoformat(first or last or ""), date.fromisoformat(last or first or "")
    if start == end:
        return f"{start.day} {start:%b %Y}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{end.day} {end:%b %Y}"
    if start.year == end.year:
        return f"{start.day} {start:%b} – {end.day} {end:%b %Y}"
    return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"


def section_span(brief: Brief, section: Section) -> str:
    """The day span of the event a section tells ("" for a themed section or an undated event)."""
    if not section.event_id:
        return ""
    event = next((e for e in brief.events if e.get("id") == section.event_id), None)
    return day_span(event.get("first"), event.get("last")) if event else ""


def heading_with_span(brief: Brief, section: Section) -> str:
    """ "Dam inquiry opens — 12–13 Nov 2026" for an event's section; the heading alone otherwise."""
    span = section_span(brief, section)
    return f"{section.heading} — {span}" if span else section.heading
