"""Plain text in the layout of the seed brief: implications, headline, lede, sections, sources."""

from __future__ import annotations

from ..records import Brief
from .markers import marker_numbers, source_line


def _cite(brief: Brief, text: str, citations: list[str]) -> str:
    marks = "".join(f"[{n}]" for n in marker_numbers(brief, citations))
    return f"{text} {marks}" if marks else text


def render_text(brief: Brief) -> str:
    lines: list[str] = []
    for implication in brief.implications:
        lines.append(_cite(brief, implication.text, implication.citations))
    if lines:
        lines.append("")
    lines.append(brief.headline)
    lines.append(_cite(brief, brief.lede.text, brief.lede.citations))
    for section in brief.sections:
        lines.append("")
        lines.append(section.heading)
        lines.append(" ".join(_cite(brief, s.text, s.citations) for s in section.sentences))
    lines.append("")
    lines.append("Sources")
    for n, source in enumerate(brief.sources, start=1):
        lines.append(f"[{n}] {source_line(source.outlet, source.title, source.published_at)}")
        lines.append(f"    {source.url}")
        for copy in source.copies:
            lines.append(f"    also published by {copy.outlet}: {copy.url}")
        if source.note:
            lines.append(f"    note: {source.note}")
    return "\n".join(lines) + "\n"
