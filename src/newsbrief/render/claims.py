"""Wording shared by every format for the brief's disagreements, timeline and statements."""

from __future__ import annotations

import re
from typing import Any

Part = tuple[str, list[str]]


def with_dates(text: str, dates: list[dict[str, str]]) -> str:
    """``text`` with each relative date followed by the day it names: "on Monday (9 Nov 2026)".

    A date the sentence gives itself ("Nov. 18", "Sunday 19 January": its expression holds the day of
    the month) gets nothing beside it, since the reader has it already; only inside brackets is its
    year added: "(Nov. 18)" -> "(Nov. 18, 2019)"."""
    from datetime import date as _date

    for item in sorted(dates, key=lambda d: -len(d["text"])):
        if re.search(r"\d{4}", item["text"]):
            continue  # already a full date
        explicit = bool(re.search(r"\d", item["text"]))
        day = _date.fromisoformat(item["date"])
        full = f"{day.day} {day.strftime('%b')} {day.year}"
        pattern = re.compile(rf"(?<!\w){re.escape(item['text'])}(?!\w)(?! \()(?!, \d)")
        match = pattern.search(text)
        if match is None:
            continue
        in_brackets = text[match.end() : match.end() + 1] == ")"
        if explicit and not (in_brackets and text[match.start() - 1 : match.start()] == "("):
            continue  # "Sunday 19 January", "Thursday (Feb. 22)": nothing to add
        if in_brackets:  # already in brackets: "(Nov. 18)" -> "(Nov. 18, 2019)", "(on Tuesday, 17 Nov 2026)"
            shown = f"{match.group(0)}, {day.year if explicit else full}"
        else:
            shown = f"{match.group(0)} ({full})"
        text = text[: match.start()] + shown + text[match.end() :]
    return text  # a piece of text and the citations that follow it


def statement_speaker(statement: dict[str, Any]) -> str:
    """"Ana Ruiz denied": the speaker with the verb the source used, when the statement keeps one
    (a denial or a warning is not a plain claim)."""
    cue = statement.get("cue")
    return f"{statement['speaker']} {cue}" if cue else str(statement["speaker"])


def disagreement_parts(item: dict[str, Any]) -> tuple[str, list[Part], str]:
    """``(label, parts, separator)``: "Deaths: at least 6 people (2026-11-09) → 14 (2026-11-10)"; the
    label names the quantity ("North Korean troops in Russia"), keeping the case of its names."""
    label = quantity_label(item)
    parts: list[Part] = []
    for claim in item["claims"]:
        date = f" ({claim['date']})" if claim.get("date") else ""
        who = f", according to {claim['claimed_by']}" if claim.get("claimed_by") else ""
        if item["kind"] == "update":
            parts.append((f"{claim['text']}{date}", claim["citations"]))
        else:
            parts.append((f"{claim['text']}{who}{date}", claim["citations"]))
    return label, parts, " → " if item["kind"] == "update" else "; "


def quantity_label(item: dict[str, Any]) -> str:
    """What a disagreement is about, as a label: its quantity's name with a capital first letter."""
    name = str(item.get("quantity") or item["subject"])
    return name[:1].upper() + name[1:]


def split_disagreements(items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(conflicts, updates): sources that differ, and figures that changed over time."""
    return [i for i in items if i["kind"] != "update"], [i for i in items if i["kind"] == "update"]


CONFLICTS_HEADING = "Where sources differ"
UPDATES_HEADING = "How the figures changed"
TIMELINE_HEADING = "Timeline"
QUOTES_HEADING = "In their words"
STATEMENTS_HEADING = "Who says what"
CHANGES_HEADING = "What changed since the last version"
ENTITIES_HEADING = "Who and where"
ENTITY_KINDS = {"person": "People", "organisation": "Organisations", "place": "Places", "equipment": "Equipment"}


def entities_by_kind(entities: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """[("People", [...]), ("Places", [...])]: the brief's entities under a label per kind."""
    return [(label, [e for e in entities if e["kind"] == kind]) for kind, label in ENTITY_KINDS.items()
            if any(e["kind"] == kind for e in entities)]


def provenance(brief: Any) -> str | None:
    """Who wrote the brief, when that is worth saying: the model and how much of its text passed
    the grounding check, or why the extractive writer stood in for the one asked for."""
    if brief.fallback:
        return f"Written by the extractive writer; {brief.fallback}."
    if brief.writer == "llm":
        checked, dropped = brief.grounding.get("checked", 0), brief.grounding.get("dropped", 0)
        return (f"Written by the llm writer with {brief.model or 'an unnamed model'}; "
                f"{checked - dropped} of {checked} sentences passed the grounding check.")
    return None
