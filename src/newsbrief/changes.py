"""What changed between two versions of a story's brief, in words a reader understands:
new outlets, figures that moved, new disagreements, new dated events, a new headline."""

from __future__ import annotations

from typing import Any

from .records import Brief


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def _latest(item: dict[str, Any]) -> dict[str, Any]:
    return max(item["claims"], key=lambda c: (c.get("date") or "", c["value"]))


def describe_changes(previous: Brief | None, current: Brief) -> list[str]:
    if previous is None:
        return []
    changes: list[str] = []
    old_outlets = {s.outlet for s in previous.sources}
    new_outlets = [s.outlet for s in current.sources if s.outlet not in old_outlets]
    if new_outlets:
        noun = "outlet" if len(new_outlets) == 1 else "outlets"
        changes.append(f"{len(new_outlets)} new {noun}: {', '.join(new_outlets)}")
    old_copies = sum(len(s.copies) for s in previous.sources)
    new_copies = sum(len(s.copies) for s in current.sources) - old_copies
    if new_copies > 0:
        changes.append(f"{new_copies} more syndicated {'copy' if new_copies == 1 else 'copies'}")
    before = {d["subject"]: d for d in previous.disagreements}
    for item in current.disagreements:
        latest = _latest(item)
        earlier = before.get(item["subject"])
        if earlier is None:
            if item["kind"] == "conflict":
                changes.append(f"sources now differ on {item['subject']}")
            continue
        was = _latest(earlier)
        if item["kind"] == "conflict":
            known = {(c["value"], c.get("claimed_by")) for c in earlier["claims"]}
            if (latest["value"], latest.get("claimed_by")) not in known:
                who = latest.get("claimed_by") or "a new report"
                changes.append(f"{item['subject']}: {who} now gives {latest['text']}; sources still differ")
            continue
        if latest["value"] != was["value"]:
            direction = "up" if latest["value"] > was["value"] else "down"
            who = f" by {latest['claimed_by']}" if latest.get("claimed_by") else ""
            changes.append(f"{item['subject']} now given as {_fmt(latest['value'])}{who}, "
                           f"{direction} from {_fmt(was['value'])}")
    old_days = {(e["date"], e["text"]) for e in previous.timeline}
    added = [e for e in current.timeline if (e["date"], e["text"]) not in old_days]
    if added:
        latest_day = max(e["date"] for e in added)
        changes.append(f"{len(added)} new {'event' if len(added) == 1 else 'events'} on the timeline, "
                       f"the latest on {latest_day}")
    if current.headline != previous.headline:
        changes.append(f"new headline: {current.headline}")
    return changes
