"""Markdown: the text layout with headings, and source text escaped so it cannot become markup."""

from __future__ import annotations

import re

from ..records import Brief
from .markers import marker_numbers, source_line

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _cite(brief: Brief, text: str, citations: list[str]) -> str:
    marks = "".join(f"[\\[{n}\\]](#source-{n})" for n in marker_numbers(brief, citations))
    return f"{escape(text)} {marks}".rstrip()


def render_markdown(brief: Brief) -> str:
    out: list[str] = [f"# {escape(brief.headline)}", ""]
    if brief.implications:
        out.append("**What this may lead to**")
        out.append("")
        out += [f"- {_cite(brief, i.text, i.citations)}" for i in brief.implications]
        out.append("")
    out += [_cite(brief, brief.lede.text, brief.lede.citations), ""]
    for section in brief.sections:
        out += [f"## {escape(section.heading)}", ""]
        out += [" ".join(_cite(brief, s.text, s.citations) for s in section.sentences), ""]
    out += ["## Sources", ""]
    for n, source in enumerate(brief.sources, start=1):
        label = escape(source_line(source.outlet, source.title, source.published_at))
        url = source.url.replace(")", "%29").replace(" ", "%20")
        out.append(f'{n}. <a id="source-{n}"></a>[{label}]({url})')
        for copy in source.copies:
            out.append(f"   - also published by {escape(copy.outlet)}: <{copy.url.replace('>', '%3E')}>")
        if source.note:
            out.append(f"   - note: {escape(source.note)}")
    return "\n".join(out) + "\n"
