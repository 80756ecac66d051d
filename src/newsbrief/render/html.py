"""One standalone HTML page. Every piece of source or writer text is escaped; only http(s)
URLs become links; each citation marker links to the source sentence it rests on."""

from __future__ import annotations

from html import escape

from ..records import Brief
from . import claims
from .markers import reported_span, source_date, source_numbers
from .spans import section_span

_STYLE = """
body{font:17px/1.55 Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem;color:#1d1d1f}
h1{font-size:1.7rem;line-height:1.25}h2{font-size:1.15rem;margin-top:1.6rem}
.implications{border-left:3px solid #8a6d3b;padding-left:1rem;color:#333}
sup a{text-decoration:none;font-size:.75em;padding:0 .1em}
.evidence li,.sources li{font-size:.9rem;margin:.3rem 0}.meta{color:#666;font-size:.85rem}
"""


def safe_href(url: str) -> str | None:
    return escape(url, quote=True) if url.lower().startswith(("http://", "https://")) else None


def _anchor(ref: str) -> str:
    return "ev-" + "".join(ch if ch.isalnum() else "-" for ch in ref)


def _cite(brief: Brief, text: str, citations: list[str]) -> str:
    numbers = source_numbers(brief)
    marks = []
    for ref in dict.fromkeys(citations):
        n = numbers.get(ref.split(":", 1)[0])
        if n is None:
            continue
        tip = escape(brief.evidence.get(ref, ""), quote=True)
        marks.append(f'<sup><a href="#{_anchor(ref)}" title="{tip}">[{n}]</a></sup>')
    return escape(text) + "".join(marks)


def _link(url: str, label: str) -> str:
    href = safe_href(url)
    return f'<a href="{href}" rel="noopener noreferrer nofollow">{escape(label)}</a>' if href else escape(label)


def render_html(brief: Brief) -> str:
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(brief.headline)}</title><style>{_STYLE}</style></head><body>",
        "<article>",
    ]
    if brief.implications:
        parts.append('<section class="implications"><h2>What this may lead to</h2><ul>')
        parts += [f"<li>{_cite(brief, claims.with_dates(i.text, i.dates), i.citations)}</li>" for i in brief.implications]
        parts.append("</ul></section>")
    parts.append(f"<h1>{escape(brief.headline)}</h1>")
    parts.append(f'<p class="lede">{_cite(brief, claims.with_dates(brief.lede.text, brief.lede.dates), brief.lede.citations)}</p>')
    if brief.changes:
        parts.append(f'<section class="changes"><h2>{claims.CHANGES_HEADING}</h2><ul>')
        parts += [f"<li>{escape(change)}</li>" for change in brief.changes]
        parts.append("</ul></section>")
    for section in brief.sections:
        span = section_span(brief, section)
        when = f' <span class="meta">— {escape(span)}</span>' if span else ""
        parts.append(f"<h2>{escape(section.heading)}{when}</h2>")
        parts.append("<p>" + " ".join(_cite(brief, claims.with_dates(s.text, s.dates), s.citations) for s in section.sentences) + "</p>")
    if brief.quotes:
        parts.append(f"<h2>{claims.QUOTES_HEADING}</h2>")
        parts += [f"<blockquote>{_cite(brief, q['text'], q['citations'])}<footer>{escape(str(q['speaker']))}</footer></blockquote>"
                  for q in brief.quotes]
    if brief.statements:
        parts.append(f"<h2>{claims.STATEMENTS_HEADING}</h2><ul class=\"statements\">")
        parts += [f"<li><strong>{escape(claims.statement_speaker(s))}</strong>: {_cite(brief, s['text'], s['citations'])}</li>" for s in brief.statements]
        parts.append("</ul>")
    conflicts, updates = claims.split_disagreements(brief.disagreements)
    for heading, items in ((claims.CONFLICTS_HEADING, conflicts), (claims.UPDATES_HEADING, updates)):
        if items:
            parts.append(f"<h2>{escape(heading)}</h2><ul>")
            for item in items:
                label, pieces, separator = claims.disagreement_parts(item)
                body = escape(separator).join(_cite(brief, t, r) for t, r in pieces)
                parts.append(f"<li><strong>{escape(label)}</strong>: {body}</li>")
            parts.append("</ul>")
    if brief.entities:
        parts.append(f'<h2>{claims.ENTITIES_HEADING}</h2><ul class="entities">')
        parts += [f"<li><strong>{label}</strong>: " + ", ".join(_cite(brief, e["name"], e["citations"][:1]) for e in items)
                  + "</li>" for label, items in claims.entities_by_kind(brief.entities)]
        parts.append("</ul>")
    if brief.timeline:
        parts.append(f'<h2>{claims.TIMELINE_HEADING}</h2><ul class="timeline">')
        for e in brief.timeline:  # an event several outlets reported over days says over which
            later = f' <span class="meta">{escape(span)}</span>' if (span := reported_span(e)) else ""
            parts.append(f"<li><time>{escape(e['date'])}</time> {_cite(brief, e['text'], e['citations'])}{later}</li>")
        parts.append("</ul>")
    parts.append('<h2>Sources</h2><ol class="sources">')
    for source in brief.sources:
        day = source_date(source.published_at, source.date_source)
        date = f' <span class="meta">{escape(day)}</span>' if day else ""
        item = f"{escape(source.outlet)}: {_link(source.url, source.title)}{date}"
        if source.copies:
            copies = ", ".join(_link(c.url, c.outlet) for c in source.copies)
            item += f'<br><span class="meta">also published by {copies}</span>'
        if source.note:
            item += f'<br><span class="meta">note: {escape(source.note)}</span>'
        parts.append(f"<li>{item}</li>")
    parts.append('</ol><h2>Evidence</h2><ol class="evidence">')
    numbers = source_numbers(brief)
    for ref, text in brief.evidence.items():
        n = numbers.get(ref.split(":", 1)[0], "?")
        parts.append(f'<li id="{_anchor(ref)}">[{n}] sentence {escape(ref)}: {escape(text)}</li>')
    note = claims.provenance(brief)
    parts.append(f'</ol><p class="meta">{escape(note)}</p>' if note else "</ol>")
    parts.append(
        f'<p class="meta">Written by the {escape(brief.writer)} writer, '
        f"version {brief.version}, {escape(brief.generated_at)}.</p></article></body></html>"
    )
    return "\n".join(parts) + "\n"
