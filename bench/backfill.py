"""Backfill throughput: a plain ingest beside `ingest --dask local:1` and `--dask local:2`, on one
synthetic archive, each in its own process (so that each one's peak memory is its own).

The archive is made from the 666 source articles of the Multi-News sample
(../shared/data/multinews-sample; 250 clusters): report i is article i mod 666, every even one an
HTML page (title, site name and publication time in the head, the text in <p> paragraphs of three
sentences, between a nav bar and a footer), every odd one a text file (title line, `outlet:` and
`published:` lines, the text). The first 666 reports are the texts as they are; each later round of
666 re-spells them: every word of four letters or more is replaced by another word of the corpus's
vocabulary through a permutation seeded by the round (capitalisation kept), so no report is a copy
of another (neither the same hash nor shared sentences), while lengths, sentence structure and the
words reports of one cluster share stay as they are. Titles are an article's first eight words.
Dates: cluster c of round r starts at 2025-01-01 + (250 r + c) hours, its reports 5 hours apart
(stories overlap, as in a news stream); files are named in publication order, 1,000 to a folder.

For each way of running: articles/s for the whole ingest with briefs (and without start-up: the
cluster and spaCy loading), the client's peak memory (ru_maxrss), the bytes Dask sends per article
(pickled task arguments and results, 1 task in 10 sampled), the time the client spends grouping
(``Grouper.add`` and merges), and the CPU time of the workers per article.

    python bench/backfill.py [--size 500] [--modes plain,local:1,local:2]
    python bench/backfill.py --size 100000      # the full measure (hours here)
"""

from __future__ import annotations

import argparse
import html
import json
import pickle
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from newsbrief.fetch import Fetcher
from newsbrief.ingest import Grouper, IngestSummary, ingest_documents, reporter
from newsbrief.dedupe import canonical_url
from newsbrief.pipeline import refresh_briefs
from newsbrief.settings import Config
from newsbrief.sources import SourceReader
from newsbrief.store.sqlite import SQLiteStore
from newsbrief.writers.extractive import ExtractiveWriter

WORD = re.compile(r"[A-Za-z]{4,}")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
START = datetime(2025, 1, 1, tzinfo=timezone.utc)
SAMPLE = 10  # one task in this many is pickled again here to count its bytes


# -- the archive ----------------------------------------------------------------------------------

def source_texts() -> list[tuple[int, int, str]]:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from multinews import clusters

    return [(cluster.number, n, " ".join(text.split())) for cluster in clusters()
            for n, text in enumerate(cluster.documents)]


def respeller(vocabulary: list[str], round_: int) -> Callable[[str], str]:
    """Round 0: the text itself; later rounds: every word of 4+ letters through a seeded permutation."""
    if round_ == 0:
        return lambda text: text
    shuffled = vocabulary[:]
    random.Random(round_).shuffle(shuffled)
    mapping = dict(zip(vocabulary, shuffled))

    def word(match: re.Match[str]) -> str:
        original = match.group(0)
        new = mapping.get(original.lower(), original)
        return new.upper() if original.isupper() else new.title() if original[0].isupper() else new
    return lambda text: WORD.sub(word, text)


def page(title: str, outlet: str, when: datetime, text: str) -> str:
    sentences = SENTENCE_END.split(text)
    paragraphs = "\n".join(f"<p>{html.escape(' '.join(sentences[i:i + 3]))}</p>" for i in range(0, len(sentences), 3))
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta property="og:site_name" content="{outlet}"><meta property="article:published_time" content="{when.isoformat()}">
</head><body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>
<article><h1>{html.escape(title)}</h1>
{paragraphs}</article><footer>Subscribe to our newsletter. Contact us. Privacy policy.</footer></body></html>"""


def make_archive(folder: Path, size: int) -> None:
    texts = source_texts()
    vocabulary = sorted({w.lower() for _, _, text in texts for w in WORD.findall(text)})
    clusters = 1 + max(number for number, _, _ in texts)
    reports: list[tuple[datetime, int, str, int]] = []  # (published, round, text, outlet)
    for i in range(size):
        round_, k = divmod(i, len(texts))
        number, n, text = texts[k]
        reports.append((START + timedelta(hours=clusters * round_ + number + 5 * n), round_, text, n))
    reports.sort(key=lambda r: r[0])
    spellers: dict[int, Callable[[str], str]] = {}
    for i, (when, round_, text, outlet) in enumerate(reports):
        speller = spellers.setdefault(round_, respeller(vocabulary, round_))
        text = speller(text)
        title = " ".join(text.split()[:8])
        target = folder / f"{i // 1000:04d}"
        target.mkdir(exist_ok=True)
        if i % 2 == 0:
            (target / f"{i:07d}.html").write_text(page(title, f"Outlet {outlet}", when, text), "utf-8")
        else:
            (target / f"{i:07d}.txt").write_text(
                f"{title}\noutlet: Outlet {outlet}\npublished: {when.isoformat()}\n\n{text}\n", "utf-8")


# -- one run --------------------------------------------------------------------------------------

class TimedGrouper(Grouper):
    """The client's grouping, timed: wall time (with SQLite's commits) and this thread's CPU time,
    and the wall time of each article's ``add`` (to see whether it grows as the store fills)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seconds = self.cpu = 0.0
        self.each: list[float] = []

    def add(self, *args: Any, **kwargs: Any) -> int:
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            return super().add(*args, **kwargs)
        finally:
            self.each.append(time.perf_counter() - started)
            self.seconds += self.each[-1]
            self.cpu += time.thread_time() - cpu

    def merge_converged(self, *args: Any, **kwargs: Any) -> None:
        started, cpu = time.perf_counter(), time.thread_time()
        try:
            super().merge_converged(*args, **kwargs)
        finally:
            self.seconds += time.perf_counter() - started
            self.cpu += time.thread_time() - cpu


def measured(executor: Any, counts: dict[str, int]) -> Any:
    """``executor.map`` with the pickled size of 1 task in SAMPLE counted (arguments and result)."""
    plain_map = executor.map

    def map_(function: Callable[[Any], Any], items: Iterable[Any], *args: Any) -> Iterator[Any]:
        def sent() -> Iterator[Any]:
            for n, item in enumerate(items):
                counts["tasks"] += 1
                if n % SAMPLE == 0:
                    counts["sampled"] += 1
                    counts["out"] += len(pickle.dumps((function, item), protocol=5))
                yield item
        for n, result in enumerate(plain_map(function, sent(), *args)):
            if n % SAMPLE == 0:
                counts["back"] += len(pickle.dumps(result, protocol=5))
            yield result
    executor.map = map_
    return executor


def cpu_now() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run(mode: str, archive: Path, db: Path) -> dict[str, Any]:
    from newsbrief.backfill import backfill
    from newsbrief.executor import WorkerPool

    config = Config.load()
    started = time.perf_counter()
    counts = {"tasks": 0, "sampled": 0, "out": 0, "back": 0}
    if mode == "plain":
        executor: Any = WorkerPool(config.workers)
    else:
        from newsbrief.dask_executor import DaskExecutor

        executor = measured(DaskExecutor(mode), counts)
    startup = time.perf_counter() - started
    store = SQLiteStore(db)
    grouper = TimedGrouper(store)
    t = time.perf_counter()
    if mode == "plain":  # `ingest` as the CLI runs it, with the grouper timed
        summary = IngestSummary()
        report = reporter(summary, None)
        with Fetcher(config) as fetcher:
            reader = SourceReader(fetcher, report, known=lambda url: store.has_url(canonical_url(url)))
            ingest_documents(reader.read([str(archive)]), store, config, summary, report, grouper=grouper, pool=executor)
    else:
        summary = backfill([str(archive)], store, executor, config, grouper=grouper)
    ingested = time.perf_counter() - t
    extraction_counts = dict(counts)
    counts.update(tasks=0, sampled=0, out=0, back=0)
    t = time.perf_counter()
    written = refresh_briefs(store, store.due_briefs(), ExtractiveWriter(), executor.workers, executor)
    briefs = time.perf_counter() - t
    if mode == "plain":
        executor.close()  # waits for the workers: their CPU time is then the children's
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        worker_cpu = children.ru_utime + children.ru_stime
    else:
        def own_cpu() -> float:
            usage = resource.getrusage(resource.RUSAGE_SELF)
            return usage.ru_utime + usage.ru_stime
        worker_cpu = sum(executor.client.run(own_cpu).values())
        executor.close()
    store.close()
    articles = summary.new_articles + summary.copies

    def per_article(c: dict[str, int]) -> dict[str, float]:
        if not c["sampled"] or not articles:
            return {"out": 0.0, "back": 0.0}
        return {"out": c["out"] / c["sampled"] * c["tasks"] / articles, "back": c["back"] / c["sampled"] * c["tasks"] / articles}

    return {
        "mode": mode, "articles": articles, "failed": len(summary.failed), "stories": len(summary.changed_stories),
        "briefs": len(written), "startup": startup, "ingest": ingested, "brief_seconds": briefs,
        "grouping": grouper.seconds, "grouping_cpu": grouper.cpu,
        "grouping_first_tenth": _median(grouper.each[:max(1, len(grouper.each) // 10)]),
        "grouping_last_tenth": _median(grouper.each[-max(1, len(grouper.each) // 10):]),
        "client_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "client_cpu": cpu_now(), "client_main_thread_cpu": time.thread_time(), "worker_cpu": worker_cpu,
        "bytes_extraction": per_article(extraction_counts), "bytes_briefs": per_article(counts),
    }


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2] if values else 0.0


# -- the comparison -------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=500, help="reports in the synthetic archive (default 500)")
    parser.add_argument("--modes", default="plain,local:1,local:2", help="comma-separated: plain, local:N, tcp://...")
    parser.add_argument("--run", help=argparse.SUPPRESS)  # one mode, in a child process
    parser.add_argument("--archive", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.run:
        print(json.dumps(run(options.run, options.archive, options.db)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "archive"
        archive.mkdir()
        t = time.perf_counter()
        make_archive(archive, options.size)
        print(f"archive: {options.size} reports (HTML and text, from the Multi-News sample) written in "
              f"{time.perf_counter() - t:.1f} s")
        results = []
        for n, mode in enumerate(options.modes.split(",")):
            out = subprocess.run([sys.executable, __file__, "--run", mode, "--archive", str(archive),
                                  "--db", str(Path(tmp) / f"run{n}.db")], capture_output=True, text=True, check=False)
            if out.returncode:
                sys.exit(f"{mode} failed:\n{out.stderr[-3000:]}")
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print_table(results)


def print_table(results: list[dict[str, Any]]) -> None:
    rows: list[tuple[str, Callable[[dict[str, Any]], str]]] = [
        ("articles stored / failed", lambda r: f"{r['articles']} / {r['failed']}"),
        ("stories / briefs written", lambda r: f"{r['stories']} / {r['briefs']}"),
        ("start-up (workers, spaCy) s", lambda r: f"{r['startup']:.1f}"),
        ("ingest (read..group) s", lambda r: f"{r['ingest']:.1f}"),
        ("briefs s", lambda r: f"{r['brief_seconds']:.1f}"),
        ("articles/s, whole", lambda r: f"{r['articles'] / (r['startup'] + r['ingest'] + r['brief_seconds']):.1f}"),
        ("articles/s, without start-up", lambda r: f"{r['articles'] / (r['ingest'] + r['brief_seconds']):.1f}"),
        ("articles/s, ingest only", lambda r: f"{r['articles'] / r['ingest']:.1f}"),
        ("client peak memory MB", lambda r: f"{r['client_peak_mb']:.0f}"),
        ("client CPU / article", lambda r: f"{r['client_cpu'] / r['articles'] * 1000:.1f} ms"),
        ("  of which its main thread", lambda r: f"{r['client_main_thread_cpu'] / r['articles'] * 1000:.1f} ms"),
        ("grouping at client / article", lambda r: f"{r['grouping'] / r['articles'] * 1000:.1f} ms"),
        ("  of it CPU (rest: waiting, I/O)", lambda r: f"{r['grouping_cpu'] / r['articles'] * 1000:.1f} ms"),
        ("  median, first / last tenth", lambda r: f"{r['grouping_first_tenth'] * 1000:.0f} / {r['grouping_last_tenth'] * 1000:.0f} ms"),
        ("grouping share of ingest wall", lambda r: f"{100 * r['grouping'] / r['ingest']:.0f}%"),
        ("worker CPU / article", lambda r: f"{r['worker_cpu'] / r['articles'] * 1000:.0f} ms"),
        ("bytes/article out, extraction", lambda r: _bytes(r, "bytes_extraction", "out")),
        ("bytes/article back, extraction", lambda r: _bytes(r, "bytes_extraction", "back")),
        ("bytes/article out, briefs", lambda r: _bytes(r, "bytes_briefs", "out")),
        ("bytes/article back, briefs", lambda r: _bytes(r, "bytes_briefs", "back")),
    ]
    width = 32
    print(f"{'':<{width}}" + "".join(f"{r['mode']:>14}" for r in results))
    for label, cell in rows:
        print(f"{label:<{width}}" + "".join(f"{cell(r):>14}" for r in results))


def _bytes(result: dict[str, Any], phase: str, way: str) -> str:
    return "-" if result["mode"] == "plain" else f"{result[phase][way]:,.0f}"


if __name__ == "__main__":
    main()
