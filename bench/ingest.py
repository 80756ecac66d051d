"""Whole-ingest throughput with a breakdown by stage, on local HTML files.

The 181 pages of ../shared/data/article-extraction-benchmark are written to a temporary folder
and ingested into a fresh SQLite file: read files -> extract (trafilatura, sentences; in
NEWSBRIEF_WORKERS processes, default: the cores, at most 4) -> dedupe,
store and group -> analyse (spaCy's parse of the sentences that need one, figures, quotes,
statements, dates, timeline) -> write briefs for the changed stories.

    python bench/ingest.py
"""

from __future__ import annotations

import gzip
import json
import tempfile
import time
from pathlib import Path

from newsbrief.analysis.claims import claims_in, timeline
from newsbrief.analysis.quotes import quotes, statements
from newsbrief.analysis.speech import prepare
from newsbrief.errors import InputError
from newsbrief.executor import extract_all
from newsbrief.fetch import Fetcher
from newsbrief.ingest import Grouper, IngestSummary
from newsbrief.pipeline import refresh_briefs
from newsbrief.sources import SourceReader
from newsbrief.settings import Config
from newsbrief.store.sqlite import SQLiteStore

BENCH = Path(__file__).resolve().parents[2] / "shared" / "data" / "article-extraction-benchmark"


def main() -> None:
    workers = Config.load().workers
    truth = json.loads((BENCH / "ground-truth.json").read_text("utf-8"))
    timings = dict.fromkeys(["read", "extract", "store+group", "analyse", "briefs"], 0.0)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        for key in truth:
            (folder / f"{key}.html").write_bytes(gzip.decompress((BENCH / "html" / f"{key}.html.gz").read_bytes()))
        store = SQLiteStore(Path(tmp) / "bench.db")
        grouper = Grouper(store)
        summary = IngestSummary()
        problems = []
        started = time.perf_counter()
        t = time.perf_counter()
        raws = list(SourceReader(Fetcher(), problems.append).read([str(folder)]))
        timings["read"] = time.perf_counter() - t
        articles = []
        t = time.perf_counter()
        for outcome in extract_all(raws, workers):
            timings["extract"] += time.perf_counter() - t
            t = time.perf_counter()
            if isinstance(outcome, InputError):
                problems.append(outcome)
            else:
                grouper.add(outcome, summary)
                articles.append(outcome)
            timings["store+group"] += time.perf_counter() - t
            t = time.perf_counter()
        t = time.perf_counter()
        grouper.merge_converged(summary.changed_stories, summary)
        grouper.save_stats()
        timings["store+group"] += time.perf_counter() - t
        t = time.perf_counter()
        for article in articles:  # what the writer reads from each article: the batched parse first
            prepare(article.sentences)
            claims_in([article])
            quotes([article])
            statements([article])
            timeline([article])
        timings["analyse"] = time.perf_counter() - t
        t = time.perf_counter()
        written = refresh_briefs(store, summary.changed_stories)
        timings["briefs"] = time.perf_counter() - t
        total = time.perf_counter() - started
        store.close()
    print(f"{len(raws)} local HTML pages -> {len(articles)} articles ({len(problems)} rejected), "
          f"{len(summary.changed_stories)} stories, {len(written)} briefs; extraction in {workers} processes")
    print(f"whole ingest: {total:.1f} s = {len(raws) / total:.1f} articles/s")
    for stage, seconds in timings.items():
        print(f"  {stage:<12} {seconds:6.2f} s  {100 * seconds / total:5.1f}%")
    parse = sum(a.parse_seconds for a in articles)
    analysis = parse / workers + timings["analyse"]
    print(f"  (extract includes spaCy's parse in the workers: {parse:.2f} CPU-s over {workers} processes, "
          f"{sum(1 for a in articles for s in a.sentences if s.speech is not None)} of "
          f"{sum(len(a.sentences) for a in articles)} sentences parsed)")
    print(f"analysis (parse + analyse) ~ {analysis:.2f} s = {100 * analysis / total:.1f}% of the whole ingest; "
          f"without briefs: {len(raws) / (total - timings['briefs']):.1f} articles/s")


if __name__ == "__main__":
    main()
