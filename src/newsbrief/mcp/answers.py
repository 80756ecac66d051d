"""The questions the MCP server answers, as plain functions over a (read-only) store: search,
stories, briefs and their versions, what changed, a figure's history, who said what. The web
app's queries (``web.data``) do the reading; this adds the filters and the resolved citations."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from ..changes import describe_changes
from ..errors import NewsbriefError
from ..records import Brief
from ..render import FORMATS, render
from ..store.relational import RelationalStore
from ..web import data
from .citations import cite, matching_sentences, merged, passage
from .models import (
    BriefResult,
    Changes,
    EventItem,
    EventList,
    FigureClaim,
    FigureHistory,
    Saying,
    Sayings,
    SearchHit,
    SearchResult,
    StoryListResult,
    StorySummary,
    VersionItem,
    VersionList,
)

# Filters (dates, outlet, a story's text) apply to this many best-ranked full-text matches.
SEARCH_WINDOW = 2000


class NotFound(data.NotFound):
    """Nothing answers the question asked (no such story, version, figure or outlet)."""


def _day(value: str | None) -> str:
    return (value or "")[:10]


# -- search ---------------------------------------------------------------------------------------

def _outlet_ids(store: RelationalStore, outlet: str) -> set[int]:
    wanted = outlet.strip().casefold()
    ids = {row["id"] for row in store.outlet_records() if wanted in (row["name"].casefold(), row["domain"].casefold())}
    if not ids:
        raise NotFound(f"no outlet named {outlet!r} (give an outlet's name or its domain, e.g. example.org)")
    return ids


def search_reports(store: RelationalStore, query: str, since: date | None = None, until: date | None = None,
                   outlet: str | None = None, limit: int = 20) -> SearchResult:
    """Full-text hits, best first, published within [since, until] and by ``outlet`` when given."""
    filtered = since is not None or until is not None or outlet is not None
    outlets = _outlet_ids(store, outlet) if outlet is not None else None
    hits = []
    for hit in store.search(query, SEARCH_WINDOW if filtered else limit):
        day = _day(hit["published_at"])
        if (since and (not day or day < since.isoformat())) or (until and (not day or day > until.isoformat())):
            continue
        if outlets is not None and hit["outlet_id"] not in outlets:
            continue
        hits.append(SearchHit(article_id=hit["id"], story_id=hit["story_id"], url=hit["url"], title=hit["title"],
                              outlet=hit["outlet"], published_at=hit["published_at"], snippet=hit["snippet"],
                              citations=matching_sentences(store, hit["id"], query)))
        if len(hits) == limit:
            break
    return SearchResult(query=query, hits=hits, citations=merged(h.citations for h in hits))


# -- stories --------------------------------------------------------------------------------------

def _stories_naming(store: RelationalStore, name: str) -> dict[int, list[str]]:
    """Stories whose latest brief names a person, organisation or place matching ``name``."""
    wanted = name.strip().casefold()
    found: dict[int, list[str]] = {}
    for story_id, body in store.latest_briefs_containing(name.strip()):
        for entity in json.loads(body).get("entities", []):
            if wanted in str(entity.get("name", "")).casefold():
                found.setdefault(story_id, []).append(entity["name"])
    return found


def _first_sentence(store: RelationalStore, story_id: int) -> list[str]:
    first = store.first_report(story_id)
    return [f"a{first['id']}:0"] if first else []


def story_row(store: RelationalStore, story_id: int) -> dict[str, Any]:
    """One story as ``web.data.story_list`` lists it."""
    meta = data.story_meta(store, story_id)
    brief = store.latest_brief(story_id)
    first = store.first_report(story_id)
    return {"id": story_id, "headline": brief.headline if brief else first["title"] if first else None,
            "outlets": len(meta["outlets"]),
            "articles": meta["articles"], "first_seen": meta["first_seen"], "last_seen": meta["last_seen"],
            "brief_version": brief.version if brief else None}


def story_summary(store: RelationalStore, row: dict[str, Any], names: list[str] | None = None) -> StorySummary:
    brief = store.latest_brief(row["id"])
    lede = passage(store, brief.lede.text, brief.lede.citations, brief.evidence) if brief else None
    extra: list[str] = []
    if brief and names:
        extra = [ref for e in brief.entities if e["name"] in names for ref in e.get("citations", [])]
    citations = merged([lede.citations if lede else cite(store, _first_sentence(store, row["id"])),
                        cite(store, extra, brief.evidence if brief else None)])
    return StorySummary(id=row["id"], headline=row["headline"], lede=lede, outlets=row["outlets"],
                        articles=row["articles"], first_seen=row["first_seen"], last_seen=row["last_seen"],
                        brief_version=row["brief_version"], matched_names=names or [], citations=citations)


def list_stories(store: RelationalStore, text: str | None = None, name: str | None = None,
                 since: date | None = None, limit: int = 20) -> StoryListResult:
    """Stories, latest activity first: about ``text`` (full text), naming ``name``, last seen on
    or after ``since``."""
    wanted: set[int] | None = None
    if text is not None:
        wanted = {hit["story_id"] for hit in store.search(text, SEARCH_WINDOW)}
    naming: dict[int, list[str]] = {}
    if name is not None:
        naming = _stories_naming(store, name)
        wanted = set(naming) if wanted is None else wanted & set(naming)
    stories: list[StorySummary] = []
    page = 1
    while wanted is None or wanted:
        listing = data.story_list(store, page, data.MAX_LIMIT)
        for row in listing["stories"]:
            if since and row["last_seen"] and _day(row["last_seen"]) < since.isoformat():
                return StoryListResult(stories=stories, citations=merged(s.citations for s in stories))
            if wanted is not None and row["id"] not in wanted:
                continue
            stories.append(story_summary(store, row, naming.get(row["id"])))
            if len(stories) == limit:
                return StoryListResult(stories=stories, citations=merged(s.citations for s in stories))
        if page * data.MAX_LIMIT >= listing["total"]:
            break
        page += 1
    return StoryListResult(stories=stories, citations=merged(s.citations for s in stories))


# -- briefs ---------------------------------------------------------------------------------------

FORMAT_NAMES = {"json": "json", "text": "text", "md": "md", "markdown": "md", "html": "html"}
assert set(FORMAT_NAMES.values()) == set(FORMATS), "a renderer is missing from FORMAT_NAMES"


def _brief(store: RelationalStore, story_id: int, version: int | None = None) -> tuple[int, Brief]:
    """The story (following merges when no version is named) and its brief."""
    if version is None:
        story_id = data.resolve(store, story_id)
    return story_id, data.brief_of(store, story_id, version)


def get_brief(store: RelationalStore, story_id: int, fmt: str = "json", version: int | None = None) -> BriefResult:
    """A story's brief rendered in ``fmt``, with every citation resolved to its sentence."""
    story_id, brief = _brief(store, story_id, version)
    fmt = FORMAT_NAMES[fmt]
    return BriefResult(story_id=story_id, version=brief.version, format=fmt, headline=brief.headline,
                       generated_at=brief.generated_at, rendered=render(brief, fmt),
                       brief=brief.as_dict() if fmt == "json" else None,
                       citations=cite(store, brief.all_citations(), brief.evidence))


def list_versions(store: RelationalStore, story_id: int, limit: int = 20) -> VersionList:
    items = []
    for row in data.versions(store, story_id)[:limit]:
        brief = data.brief_of(store, story_id, row["version"])
        items.append(VersionItem(**row, lede=passage(store, brief.lede.text, brief.lede.citations, brief.evidence)))
    return VersionList(story_id=story_id, versions=items, citations=merged(v.lede.citations for v in items))


def _claim(store: RelationalStore, item: dict[str, Any], evidence: dict[str, str]) -> FigureClaim:
    return FigureClaim(subject=item.get("subject") or item.get("counted") or "", value=item["value"],
                       text=item.get("text") or str(item["value"]), qualifier=item.get("qualifier"),
                       unit=item.get("unit"), claimed_by=item.get("claimed_by"), date=item.get("date"),
                       citations=cite(store, item.get("citations", []), evidence))


def _all_figures(brief: Brief) -> list[dict[str, Any]]:
    """The brief's figures and every claim of its disagreements (earlier values of a figure); a
    claim without a subject of its own (a bare count) takes its disagreement's."""
    return brief.figures + [{**claim, "subject": claim.get("subject") or group.get("subject")}
                            for group in brief.disagreements for claim in group["claims"]]


def what_changed(store: RelationalStore, story_id: int, from_version: int | None = None,
                 to_version: int | None = None) -> Changes:
    """What a later brief version holds that an earlier one did not (by default: the latest
    version against the one before it)."""
    latest = data.versions(store, story_id)
    if not latest:
        raise NotFound(f"story {story_id} has no stored brief versions")
    newest = latest[0]["version"]
    to_version = to_version or newest
    from_version = from_version or to_version - 1
    if from_version < 1:
        raise NotFound(f"story {story_id} has only version {to_version}: nothing to compare it with")
    if from_version >= to_version:
        raise NewsbriefError(f"from_version ({from_version}) must be earlier than to_version ({to_version})")
    before, after = data.brief_of(store, story_id, from_version), data.brief_of(store, story_id, to_version)
    evidence = {**before.evidence, **after.evidence}
    old_urls = {s.url for s in before.sources}
    old_figures = {(f["subject"], f["value"], f.get("claimed_by")) for f in _all_figures(before)}
    old_days = {(e["date"], e["text"]) for e in before.timeline}
    old_words = {(q.get("speaker"), q["text"]) for q in before.quotes + before.statements}
    new_keys = {(f["subject"], f["value"], f.get("claimed_by")): f for f in _all_figures(after)}
    figures = [_claim(store, f, evidence) for key, f in new_keys.items() if key not in old_figures]
    timeline = [passage(store, f"{e['date']}: {e['text']}", e["citations"], evidence) for e in after.timeline
                if (e["date"], e["text"]) not in old_days]
    quotes = [passage(store, f"{q.get('speaker') or 'unattributed'}: {q['text']}", q["citations"], evidence)
              for q in after.quotes + after.statements if (q.get("speaker"), q["text"]) not in old_words]
    new_sources = [s for s in after.sources if s.url not in old_urls]
    source_refs = [ref for ref in after.all_citations() if ref.split(":")[0] in {s.id for s in new_sources}]
    citations = merged([*(f.citations for f in figures), *(p.citations for p in timeline + quotes),
                        cite(store, source_refs, evidence)])
    return Changes(story_id=story_id, from_version=from_version, to_version=to_version,
                   changes=describe_changes(before, after), new_sources=[s.url for s in new_sources],
                   new_figures=figures, new_timeline=timeline, new_quotes=quotes, citations=citations)


def list_events(store: RelationalStore, story_id: int) -> EventList:
    """The story's events, oldest first, each with its section's heading and citations in the brief."""
    story_id = data.resolve(store, story_id)
    brief = store.latest_brief(story_id)
    headings: dict[str, str] = {}
    refs: dict[str, list[str]] = {}
    if brief:
        headings = {str(e["id"]): e["heading"] for e in brief.events if e.get("heading")}
        for section in brief.sections:
            if section.event_id is not None:
                headings.setdefault(str(section.event_id), section.heading)
                refs.setdefault(str(section.event_id), []).extend(r for s in section.sentences for r in s.citations)
    events = []
    for event in store.events_of(story_id):
        key = str(event["id"])
        cited = refs.get(key) or [f"a{article}:0" for article in event["article_ids"][:1]]
        events.append(EventItem(id=event["id"], heading=headings.get(key), first_seen=event["first_seen"],
                                last_seen=event["last_seen"], article_count=event["article_count"],
                                article_ids=event["article_ids"],
                                citations=cite(store, cited, brief.evidence if brief else None)))
    return EventList(story_id=story_id, events=events, citations=merged(e.citations for e in events))


# -- figures and sayings --------------------------------------------------------------------------

def _mentions(text: str | None, wanted: str) -> bool:
    return bool(text) and wanted.casefold() in str(text).casefold()


def figure_history(store: RelationalStore, story_id: int, subject: str, version: int | None = None) -> FigureHistory:
    """Every value a brief gives for what ``subject`` names (``deaths``, ``evacuated``...), with who
    gave it and for what day, oldest first."""
    story_id, brief = _brief(store, story_id, version)
    items: list[dict[str, Any]] = []
    differ = False
    for group in brief.disagreements:
        if _mentions(group["subject"], subject) or _mentions(group.get("quantity"), subject):
            items += group["claims"]
            differ = differ or group.get("kind") == "conflict"
    items += [f for f in brief.figures if _mentions(f["subject"], subject) or _mentions(f.get("counted"), subject)]
    if not items:
        known = sorted({f["subject"] for f in brief.figures} | {d["subject"] for d in brief.disagreements})
        raise NotFound(f"no figure about {subject!r} in story {story_id}'s brief; its figures are about: "
                       f"{', '.join(known) or 'nothing'}")
    unique = {(i["value"], i.get("claimed_by"), i.get("date"), tuple(i.get("citations", []))): i for i in items}
    claims = sorted((_claim(store, i, brief.evidence) for i in unique.values()),
                    key=lambda c: (c.date or "", c.value))
    return FigureHistory(story_id=story_id, version=brief.version, subject=subject, claims=claims,
                         sources_differ=differ, citations=merged(c.citations for c in claims))


def _latest_briefs_mentioning(store: RelationalStore, name: str) -> list[Brief]:
    return [Brief.from_dict(json.loads(body)) for _, body in store.latest_briefs_containing(name)]


def who_said(store: RelationalStore, name: str, story_id: int | None = None, limit: int = 50) -> Sayings:
    """Quotes and reported statements by or about ``name``, in one story's brief or all latest briefs."""
    name = name.strip()
    if not name:
        raise NewsbriefError("give a name (a person, organisation or place)")
    briefs = [_brief(store, story_id)[1]] if story_id is not None else _latest_briefs_mentioning(store, name)
    sayings: list[Saying] = []
    for brief in briefs:
        for kind, items in (("quote", brief.quotes), ("statement", brief.statements)):
            for item in items:
                by, about = _mentions(item.get("speaker"), name), _mentions(item["text"], name)
                if (by or about) and len(sayings) < limit:
                    sayings.append(Saying(story_id=int(brief.story_id), speaker=item.get("speaker"), text=item["text"],
                                          kind=kind, by_name=by, about_name=about,
                                          citations=cite(store, item.get("citations", []), brief.evidence)))
    return Sayings(name=name, sayings=sayings, citations=merged(s.citations for s in sayings))
