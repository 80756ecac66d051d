"""Markdown: the text layout with headings, and source text escaped so it cannot become markup."""

from __future__ import annotations

import re

from ..records import Brief
from . import claims
from .markers import marker_numbers, reported_span, source_line
from .spans import heading_with_span

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def escape(text: str) -> str:
    """Markdown punctuation backslash-escaped and <, >, & as entities, so no renderer sees markup."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def _link(label: str, url: str) -> str:
    if not url.lower().startswith(("http://", "https://")):
        return f"{label} ({escape(url)})"
    return f"[{label}]({url.replace(' ', '%20').replace('(', '%28').replace(')', '%29').replace('<', '%3C').replace('>', '%3E')})"


def _cite(brief: Brief, text: str, citations: list[str]) -> str:
    marks = "".join(f"[\\[{n}\\]](#source-{n})" for n in marker_numbers(brief, citations))
    return f"{escape(text)} {marks}".rstrip()


def render_markdown(brief: Brief) -> str:
    out: list[str] = [f"# {escape(brief.headline)}", ""]
    if brief.implications:
        out.append("**What this may lead to**")
        out.append("")
        out += [f"- {_cite(brief, claims.with_dates(i.text, i.dates), i.citations)}" for i in brief.implications]
        out.append("")
    out += [_cite(brief, claims.with_dates(brief.lede.text, brief.lede.dates), brief.lede.citations), ""]
    if brief.changes:
        out += [f"**{claims.CHANGES_HEADING}**", ""] + [f"- {escape(change)}" for change in brief.changes] + [""]
    for section in brief.sections:
        out += [f"## {escape(heading_with_span(brief, section))}", ""]
        out += [" ".join(_cite(brief, claims.with_dates(s.text, s.dates), s.citations) for s in section.sentences), ""]
    if brief.quotes:
        out += [f"## {claims.QUOTES_HEADING}", ""]
        out += [f"> {_cite(brief, q['text'], q['citations'])} — {escape(str(q['speaker']))}\n" for q in brief.quotes]
    if brief.statements:
        out += [f"## {claims.STATEMENTS_HEADING}", ""]
        out += [f"- **{escape(claims.statement_speaker(s))}**: {_cite(brief, s['text'], s['citations'])}" for s in brief.statements] + [""]
    conflicts, updates = claims.split_disagreements(brief.disagreements)
    for heading, items in ((claims.CONFLICTS_HEADING, conflicts), (claims.UPDATES_HEADING, updates)):
        if items:
            out += [f"## {heading}", ""]
            for item in items:
                label, parts, separator = claims.disagreement_parts(item)
                out.append(f"- **{escape(label)}**: " + separator.join(_cite(brief, t, r) for t, r in parts))
            out.append("")
    if brief.entities:
        out += [f"## {claims.ENTITIES_HEADING}", ""]
        out += [f"- **{label}**: " + ", ".join(_cite(brief, e["name"], e["citations"][:1]) for e in items)
                for label, items in claims.entities_by_kind(brief.entities)] + [""]
    if brief.timeline:
        out += [f"## {claims.TIMELINE_HEADING}", ""]
        for event in brief.timeline:  # an event several outlets reported over days says over which
            later = f" {span}" if (span := reported_span(event)) else ""
            out.append(f"- **{event['date']}** {_cite(brief, event['text'], event['citations'])}{later}")
        out.append("")
    out += ["## Sources", ""]
    for n, source in enumerate(brief.sources, start=1):
        label = escape(source_line(source.outlet, source.title, source.published_at, source.date_source))
        out.append(f'{n}. <a id="source-{n}"></a>{_link(label, source.url)}')
        for copy in source.copies:
            out.append(f"   - also published by {_link(escape(copy.outlet), copy.url)}")
        if source.note:
            out.append(f"   - note: {escape(source.note)}")
    if note := claims.provenance(brief):
        out += ["", f"_{escape(note)}_"]
    return "\n".join(out) + "\n"
