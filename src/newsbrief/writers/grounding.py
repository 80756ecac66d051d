"""The check every writer's output passes before a brief is shown.

A sentence is grounded when it cites at least one real source sentence and every number, every
capitalised name and every quoted passage in it appears in the sentences it cites. Sentences
that fail are dropped (and counted), never shown.
"""

from __future__ import annotations

import re
from typing import Any

from ..analysis.places import place_forms
from ..records import Brief, Cited, Implication

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_NAME = re.compile(r"\b[A-Z][\w'’-]*")
_QUOTED = re.compile(r"[\"“]([^\"”]{3,})[\"”]")
# Capitalised words that may start a sentence without naming anything.
_COMMON_STARTS = {
    "The", "A", "An", "In", "On", "At", "It", "This", "That", "These", "Those", "He", "She", "They",
    "We", "I", "But", "And", "Or", "As", "After", "Before", "While", "When", "With", "For", "By",
    "From", "Some", "Many", "Most", "More", "Officials", "There", "Its", "Their", "His", "Her",
    "If", "Although", "Since", "Over", "About", "Nearly", "Almost", "Up", "Meanwhile",
    "However", "Still", "Yet", "Also", "So", "Even", "According", "Earlier", "Later", "Now", "Then",
}


def numbers_in(text: str) -> set[str]:
    """The numbers a text states, written without thousands separators ("12,000" -> "12000")."""
    return {n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text)}


def _names(text: str) -> list[str]:
    """Capitalised words in order of appearance, without a possessive 's."""
    return list(dict.fromkeys(re.sub(r"['’]s$", "", n) for n in _NAME.findall(text)))


def _sentence_starts(text: str) -> set[str]:
    """The words opening ``text`` and each sentence after a full stop inside it (a writer may join
    two sentences into one passage), without a possessive 's."""
    openings = re.findall(r"(?:^|[.!?][\"”’']?\s+)[\"“'‘(]*([\w'’-]+)", text.strip())
    return {re.sub(r"['’]s$", "", word) for word in openings}


def problem(text: str, citations: list[str], evidence: dict[str, str]) -> str | None:
    """Why ``text`` is not grounded in its citations, or None when it is."""
    if not citations:
        return "no citation"
    missing = [c for c in citations if c not in evidence]
    if missing:
        return f"citation {missing[0]} does not resolve to a source sentence"
    cited = " ".join(evidence[c] for c in citations)
    absent_numbers = numbers_in(text) - numbers_in(cited)
    if absent_numbers:
        return f"number {sorted(absent_numbers)[0]} is not in the cited sentences"
    starts = _sentence_starts(text)
    cited_names = set(_names(cited))
    cited_lower = cited.lower()
    for name in _names(text):
        if name in cited_names:
            continue
        if name in starts and (name in _COMMON_STARTS or name.lower() in cited_lower):
            continue
        return f"name {name!r} is not in the cited sentences"
    flat_cited = " ".join(cited.split())
    for quoted in _QUOTED.findall(text):
        if " ".join(quoted.split()).rstrip(".,;:!?") not in flat_cited:
            return f"quoted words {quoted[:40]!r} are not verbatim in the cited sentences"
    return None


def _verbatim(text: str, citations: list[str], evidence: dict[str, str]) -> bool:
    """``text`` (a figure as written, a timeline sentence) stands in one of its cited sentences
    (ignoring case, since a figure that opened a sentence is shown in lower case)."""
    flat = " ".join(text.split()).lower()
    return bool(citations) and any(flat in " ".join(evidence.get(ref, "").split()).lower() for ref in citations)


def ground(brief: Brief, reasons: list[str] | None = None) -> Brief:
    """Drop every sentence of ``brief`` that fails the check; count them in ``brief.dropped`` and,
    when ``reasons`` is given, say there why each one failed."""
    evidence = brief.evidence

    def keep(passage: Cited | Implication) -> bool:
        why = problem(passage.text, passage.citations, evidence)
        if why and reasons is not None:
            reasons.append(f"{why}: {passage.text[:80]!r}")
        return why is None

    before = len(brief.cited_passages())
    brief.implications = [i for i in brief.implications if keep(i)]
    for section in brief.sections:
        section.sentences = [s for s in section.sentences if keep(s)]
    brief.sections = [s for s in brief.sections if s.sentences]
    if not keep(brief.lede):
        # The first grounded section sentence moves up (once, even when a writer repeated it).
        brief.lede = brief.sections[0].sentences.pop(0) if brief.sections else Cited("", [])
        brief.sections = [s for s in brief.sections if s.sentences]
    after = len(brief.cited_passages()) - (0 if brief.lede.text else 1)
    brief.dropped += before - after
    brief.figures = [f for f in brief.figures if _verbatim(str(f["text"]), f["citations"], evidence)]
    brief.timeline = [t for t in brief.timeline if _verbatim(str(t["text"]), t["citations"], evidence)]
    brief.quotes = [q for q in brief.quotes if _verbatim(str(q["text"]), q["citations"], evidence)]
    brief.statements = [s for s in brief.statements if _verbatim(str(s["text"]), s["citations"], evidence)]
    for item in brief.disagreements:
        item["claims"] = [c for c in item["claims"] if _verbatim(str(c["text"]), c["citations"], evidence)]
    brief.disagreements = [d for d in brief.disagreements if len(d["claims"]) >= 2]
    brief.entities = ground_entities(brief.entities, evidence)
    return brief


def _names_any(text: str, names: set[str] | frozenset[str]) -> bool:
    """Whether the (lower-case) text holds one of the names as words ("iev" is not in "relieved")."""
    return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) for name in names if name in text)


def ground_entities(entities: list[dict[str, Any]], evidence: dict[str, str]) -> list[dict[str, Any]]:
    """Each name keeps the citations whose sentence names it (a person also by surname: "Varga", a
    place as sources write it: "Colo."); a name no cited sentence holds is dropped."""
    kept = []
    for entity in entities:
        name = str(entity["name"]).lower()
        needles = {name.split()[-1]} if entity["kind"] == "person" else (
            place_forms(name) if entity["kind"] == "place" else {name})
        entity["citations"] = [c for c in entity["citations"] if _names_any(evidence.get(c, "").lower(), needles)]
        if entity["citations"]:
            kept.append(entity)
    return kept
