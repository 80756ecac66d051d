"""Repeats of a page are dropped; syndicated copies are marked as copies of the original."""

from __future__ import annotations

from datetime import datetime, timezone

from newsbrief.dedupe import canonical_url, collapse_duplicates
from newsbrief.extract import extract
from newsbrief.records import RawDocument

WIRE = ("The harbour authority said on Monday that the Gull Bridge would stay closed for six weeks. "
        "Engineers found a crack in a steel girder of the main span during a routine inspection. "
        "About 40,000 vehicles cross the bridge each day, according to the transport department.")


def _article(url: str, text: str, outlet: str, day: int, n: int):
    raw = RawDocument(origin=url, url=url, text=text, title="Bridge", outlet=outlet,
                      published_at=datetime(2026, 3, day, tzinfo=timezone.utc))
    return extract(raw, article_id=f"a{n}")


def test_canonical_url_drops_tracking_and_fragments() -> None:
    assert canonical_url("HTTPS://News.Example/a/b/?utm_source=rss&id=3#comments") == "https://news.example/a/b?id=3"


def test_wire_copy_on_another_site_is_a_copy_of_the_earliest() -> None:
    original = _article("https://wire.example/1", WIRE, "Wire", 2, 1)
    copy = _article("https://daily.example/x", "By Wire staff.\n" + WIRE + "\nRead more on our site.", "Daily", 3, 2)
    other = _article("https://other.example/z", "An unrelated report about a football match in a nearby town today, where the home side won by two goals after a late penalty.", "Other", 2, 3)
    kept = collapse_duplicates([copy, original, other])
    assert [a.id for a in kept] == ["a1", "a3", "a2"]
    assert copy.duplicate_of == "a1" and original.duplicate_of is None and other.duplicate_of is None


def test_same_page_twice_counts_once() -> None:
    a = _article("https://wire.example/1?utm_medium=feed", WIRE, "Wire", 2, 1)
    b = _article("https://wire.example/1", WIRE, "Wire", 2, 2)
    assert [x.id for x in collapse_duplicates([a, b])] == ["a1"]
