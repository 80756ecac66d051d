"""Story-level analysis: the figures sources give, where they differ, how they changed, and a
timeline of dated events — each item citing the source sentences it comes from."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from ..boilerplate import report_sentences
from ..records import Article
from ..sentences import without_dateline
from ..textvec import cosine, idf_weights, tfidf, tokens
from .dates import resolve_dates
from .figures import FigureMention, figures_in
from .names import canonical_names
from .outlook import outlook_strength

_REFERS_BACK = re.compile(r"\bthe (figure|number|toll|estimate|total)\b|\bits own (estimate|assessment|count)\b", re.I)
MAX_TIMELINE = 8


@dataclass
class Claim:
    figure: FigureMention
    article: Article
    ref: str
    day: date | None

    @property
    def claimant(self) -> str:
        name = self.figure.claimed_by or self.article.outlet
        return "the" + name[3:] if re.match(r"The [a-z]", name) else name

    def as_dict(self) -> dict[str, object]:
        f = self.figure
        text = f.text[0].lower() + f.text[1:] if f.qualifier and f.text[0].isupper() else f.text
        return {
            "subject": f.measure or f.counted, "value": f.value, "text": text, "qualifier": f.qualifier,
            "unit": f.unit, "counted": f.counted, "claimed_by": self.claimant,
            "date": self.day.isoformat() if self.day else None, "citations": [self.ref],
        }


def claims_in(articles: list[Article]) -> list[Claim]:
    """Every figure in the articles' sentences, dated by the sentence's own date when it has one."""
    claims = []
    for article in articles:
        previous: list[FigureMention] = []
        for sentence in report_sentences(article.sentences):
            found = figures_in(sentence.text)
            dates = resolve_dates(sentence.text, article.published_at)
            for figure in found:
                if figure.measure is None and previous and _REFERS_BACK.search(sentence.text):
                    same_unit = [p for p in previous if p.unit == figure.unit and p.measure]
                    figure.measure = same_unit[-1].measure if same_unit else None
                nearest = min(dates, key=lambda d: abs(d.start - figure.end), default=None)
                day = nearest.day if nearest and abs(nearest.start - figure.end) < 40 else (
                    article.published_at.date() if article.published_at else None)
                claims.append(Claim(figure, article, sentence.ref, day))
            previous = found or previous
    names = canonical_names([c.figure.claimed_by for c in claims if c.figure.claimed_by])
    for claim in claims:  # "the agency" and "the Provincial Emergency Agency" are one claimant
        if claim.figure.claimed_by:
            claim.figure.claimed_by = names.get(claim.figure.claimed_by, claim.figure.claimed_by)
    return claims


def _differ(values: list[float]) -> bool:
    return max(values) > min(values) * 1.05


def disagreements(claims: list[Claim]) -> list[dict[str, object]]:
    """Figures about one measure that differ across sources: an "update" when the value moves one
    way over time (a rising toll), else a "conflict" (sources differ on the same thing)."""
    by_measure: dict[tuple[str, str | None], list[Claim]] = defaultdict(list)
    for claim in claims:
        if claim.figure.measure and claim.figure.unit != "%":
            by_measure[(claim.figure.measure, claim.figure.unit)].append(claim)
    found = []
    for (measure, _unit), group in by_measure.items():
        if len({(c.article.id, c.claimant.lower()) for c in group}) < 2 or not _differ([c.figure.value for c in group]):
            continue
        per_day: dict[date | None, list[Claim]] = defaultdict(list)
        for claim in group:
            per_day[claim.day].append(claim)
        days = sorted(d for d in per_day if d is not None)
        day_values = [sorted({c.figure.value for c in per_day[d]}) for d in days]
        one_value_a_day = all(len(v) == 1 or not _differ(v) for v in day_values) and None not in per_day
        series = [v[0] for v in day_values]
        monotonic = all(a <= b for a, b in zip(series, series[1:])) or all(a >= b for a, b in zip(series, series[1:]))
        kind = "update" if one_value_a_day and len(days) > 1 and monotonic else "conflict"
        ordered = sorted(group, key=lambda c: (c.day or date.max, c.figure.value))
        unique: dict[tuple[float, str], Claim] = {}
        for claim in ordered:
            who = str(claim.day) if kind == "update" else claim.claimant.lower()
            unique.setdefault((claim.figure.value, who), claim)
        found.append({"subject": measure, "kind": kind, "claims": [c.as_dict() for c in unique.values()]})
    return found


def figures(claims: list[Claim], limit: int = 12) -> list[dict[str, object]]:
    """The distinct figures of a story about something recognisable, earliest first."""
    seen = set()
    out = []
    for claim in sorted(claims, key=lambda c: (c.day or date.max, c.ref)):
        f = claim.figure
        if not (f.measure or f.counted):
            continue
        key = (f.measure or f.counted, f.value, f.unit)
        if key in seen:
            continue
        seen.add(key)
        out.append(claim.as_dict())
    return out[:limit]


def timeline(articles: list[Article], limit: int = MAX_TIMELINE) -> list[dict[str, object]]:
    """Dated events: sentences that say what happened on a day they name, one per event, in date order."""
    events = []
    for article in articles:
        for sentence in report_sentences(article.sentences):
            if outlook_strength(sentence.text) >= 1.0 or len(sentence.text.split()) < 6:
                continue
            dated = [d for d in resolve_dates(sentence.text, article.published_at)
                     if not article.published_at or d.day <= article.published_at.date()]
            if dated:
                events.append((dated[0].day, sentence.ref, sentence.text, article))
    if not events:
        return []
    idf = idf_weights(tokens(text) for _, _, text, _ in events)
    vectors = [tfidf(tokens(text), idf) for _, _, text, _ in events]
    kept: list[int] = []
    for i, event in enumerate(events):
        day = event[0]
        if any(events[j][0] == day and cosine(vectors[i], vectors[j]) >= 0.35 for j in kept):
            continue
        kept.append(i)
    # one entry per day at most when space is short: the earliest report of that day
    chosen: dict[date, int] = {}
    for i in kept:
        chosen.setdefault(events[i][0], i)
    picked = sorted(chosen.values(), key=lambda i: events[i][0])
    if len(picked) < limit:
        extra = [i for i in kept if i not in picked][: limit - len(picked)]
        picked = sorted(picked + extra, key=lambda i: (events[i][0], events[i][1]))
    return [{"date": events[i][0].isoformat(), "text": without_dateline(events[i][2]), "citations": [events[i][1]]}
            for i in picked[:limit]]
