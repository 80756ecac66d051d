"""What the extractive writer puts in the briefs of the 250 Multi-News clusters, beyond their text:
how many quotes have a speaker, statements, disagreements, names and timeline entries, and, with
--list, the items themselves to read through (the gold summaries do not label these, so their errors
are found by reading: a day taken for a speaker, "12 hours" compared with a death toll).

    python bench/brief_contents.py [--list speakers|disagreements|entities|timeline]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter

from multinews import articles_of, clusters

from newsbrief import ExtractiveWriter


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", choices=["speakers", "disagreements", "entities", "timeline"])
    options = parser.parse_args()
    writer = ExtractiveWriter()
    totals: Counter[str] = Counter()
    started = time.perf_counter()
    for cluster in clusters():
        articles = articles_of(cluster)
        if not articles:
            continue
        brief = writer.write(articles)
        totals["briefs"] += 1
        for field in ("quotes", "statements", "disagreements", "entities", "timeline"):
            totals[field] += len(getattr(brief, field))
        totals["updates"] += sum(1 for d in brief.disagreements if d["kind"] == "update")
        if options.list == "speakers":
            for item in brief.quotes + brief.statements:
                print(f"{cluster.number:3d}  {item['speaker']:<40.40}  {item['text'][:90]}")
        elif options.list == "disagreements":
            for item in brief.disagreements:
                claims = "; ".join(f"{c['text']} ({c.get('claimed_by')}, {c.get('date')})" for c in item["claims"])
                print(f"{cluster.number:3d}  {item['kind']:<8} {item['subject']}: {claims[:160]}")
        elif options.list == "entities":
            for item in brief.entities:
                print(f"{cluster.number:3d}  {item['kind']:<12} {item['name']}")
        elif options.list == "timeline":
            for item in brief.timeline:
                print(f"{cluster.number:3d}  {item['date']}  {item['text'][:110]}")
    seconds = time.perf_counter() - started
    print(f"Multi-News sample: {totals['briefs']} briefs in {seconds:.0f} s, with {totals['quotes']} quotes, "
          f"{totals['statements']} statements, {totals['disagreements']} disagreements "
          f"({totals['updates']} of them updates), {totals['entities']} names, {totals['timeline']} timeline entries")


if __name__ == "__main__":
    main()
