"""Plain text in the layout of the seed brief: implications, headline, lede, sections, sources."""

from __future__ import annotations

from ..records import Brief
from . import claims
from .markers import marker_numbers, reported_span, source_line
from .spans import heading_with_span


def _cite(brief: Brief, text: str, citations: list[str]) -> str:
    marks = "".join(f"[{n}]" for n in marker_numbers(brief, citations))
    return f"{text} {marks}" if marks else text


def render_text(brief: Brief) -> str:
    lines: list[str] = []
    for implication in brief.implications:
        lines.append(_cite(brief, claims.with_dates(implication.text, implication.dates), implication.citations))
    if lines:
        lines.append("")
    lines.append(brief.headline)
    lines.append(_cite(brief, claims.with_dates(brief.lede.text, brief.lede.dates), brief.lede.citations))
    if brief.changes:
        lines += ["", claims.CHANGES_HEADING]
        lines += [f"- {change}" for change in brief.changes]
    for section in brief.sections:
        lines.append("")
        lines.append(heading_with_span(brief, section))
        lines.append(" ".join(_cite(brief, claims.with_dates(s.text, s.dates), s.citations) for s in section.sentences))
    if brief.quotes:
        lines += ["", claims.QUOTES_HEADING]
        lines += [_cite(brief, f"“{q['text']}” ({q['speaker']})", q["citations"]) for q in brief.quotes]
    if brief.statements:
        lines += ["", claims.STATEMENTS_HEADING]
        lines += [_cite(brief, f"{claims.statement_speaker(s)}: {s['text']}", s["citations"]) for s in brief.statements]
    conflicts, updates = claims.split_disagreements(brief.disagreements)
    for heading, items in ((claims.CONFLICTS_HEADING, conflicts), (claims.UPDATES_HEADING, updates)):
        if items:
            lines += ["", heading]
            for item in items:
                label, parts, separator = claims.disagreement_parts(item)
                lines.append(f"{label}: " + separator.join(_cite(brief, text, refs) for text, refs in parts) + ".")
    if brief.entities:
        lines += ["", claims.ENTITIES_HEADING]
        lines += [f"{label}: " + ", ".join(_cite(brief, e["name"], e["citations"][:1]) for e in items)
                  for label, items in claims.entities_by_kind(brief.entities)]
    if brief.timeline:
        lines += ["", claims.TIMELINE_HEADING]
        for event in brief.timeline:  # an event several outlets reported over days says over which
            later = f" {span}" if (span := reported_span(event)) else ""
            lines.append(f"{event['date']}  {_cite(brief, event['text'], event['citations'])}{later}")
    lines.append("")
    lines.append("Sources")
    for n, source in enumerate(brief.sources, start=1):
        lines.append(f"[{n}] {source_line(source.outlet, source.title, source.published_at, source.date_source)}")
        lines.append(f"    {source.url}")
        for copy in source.copies:
            lines.append(f"    also published by {copy.outlet}: {copy.url}")
        if source.note:
            lines.append(f"    note: {source.note}")
    if note := claims.provenance(brief):
        lines += ["", note]
    return "\n".join(lines) + "\n"
