"""Whole-ingest throughput with a breakdown by stage, on local HTML files.

The 181 pages of ../shared/data/article-extraction-benchmark (or, with --corpus multinews, the
666 articles of the Multi-News sample as text files) are written to a temporary folder and
ingested into a fresh SQLite file the way `newsbrief ingest` does it: read files -> extract
(trafilatura, sentences, spaCy's parse of the sentences that need one; in NEWSBRIEF_WORKERS
processes, default: the cores, at most 4) -> dedupe, store and group -> write a brief for every
changed story (figures, quotes, statements, timeline, entities, the brief itself) on the same
worker processes.

Throughput is wall-clock time; the analysis share is measured in CPU time (this process and its
workers): the parse inside extraction, the analysis and the entity recogniser inside brief writing.

    python bench/ingest.py [--corpus pages|multinews] [--latency MS]
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from newsbrief.errors import InputError
from newsbrief.executor import PARSE_TOGETHER, WorkerPool, extract_all
from newsbrief.fetch import Fetcher
from newsbrief.ingest import Grouper, IngestSummary
from newsbrief.pipeline import refresh_briefs
from newsbrief.settings import Config
from newsbrief.sources import SourceReader
from newsbrief.store.sqlite import SQLiteStore

BENCH = Path(__file__).resolve().parents[2] / "shared" / "data" / "article-extraction-benchmark"


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pool's workers, once closed)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def write_pages(folder: Path) -> None:
    """The extraction benchmark's 181 pages: long, full web pages (173 KB of HTML on average)."""
    truth = json.loads((BENCH / "ground-truth.json").read_text("utf-8"))
    for key in truth:
        (folder / f"{key}.html").write_bytes(gzip.decompress((BENCH / "html" / f"{key}.html.gz").read_bytes()))


def write_multinews(folder: Path) -> None:
    """The Multi-News sample's 666 source articles as text files (~630 words each, 250 stories)."""
    from multinews import clusters

    for cluster in clusters():
        for n, text in enumerate(cluster.documents, start=1):
            (folder / f"story{cluster.number:03d}-report{n}.txt").write_text(text, "utf-8")


def serve(folder: Path, delay: float) -> ThreadingHTTPServer:
    """The folder's files over HTTP on 127.0.0.1, each answer after ``delay`` seconds (a publisher's latency)."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            time.sleep(delay)
            path = folder / self.path.lstrip("/")
            body = path.read_bytes() if path.is_file() else b""
            self.send_response(200 if body else 404)
            kind = "text/html" if path.suffix == ".html" else "text/plain"
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", choices=["pages", "multinews"], default="pages",
                        help="pages: the extraction benchmark's HTML (default); multinews: news texts as .txt files")
    parser.add_argument("--latency", type=float, default=None, metavar="MS",
                        help="fetch the files as URLs from a local HTTP server that answers after MS milliseconds "
                             "(reading then overlaps extraction: the read stage is counted in extract)")
    options = parser.parse_args()
    corpus = options.corpus
    workers = Config.load().workers
    wall = dict.fromkeys(["read", "extract", "store+group", "briefs"], 0.0)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "pages"
        folder.mkdir()
        (write_pages if corpus == "pages" else write_multinews)(folder)
        server = None if options.latency is None else serve(folder, options.latency / 1000)
        inputs = [str(folder)] if server is None else [
            f"http://127.0.0.1:{server.server_port}/{f.name}" for f in sorted(folder.iterdir())]
        store = SQLiteStore(Path(tmp) / "bench.db")
        grouper = Grouper(store)
        summary = IngestSummary()
        problems: list[object] = []
        pool = WorkerPool(workers)
        cpu_before = cpu_seconds()
        started = t = time.perf_counter()
        fetcher = Fetcher(Config.load(allow_private=True))
        read = SourceReader(fetcher, problems.append).read(inputs)
        raws = list(read) if server is None else read  # over HTTP: fetched while the workers extract
        wall["read"] = time.perf_counter() - t
        articles = []
        first_out = None  # when the first articles came back (a group of PARSE_TOGETHER): the workers have started
        t = time.perf_counter()
        for outcome in extract_all(raws, workers, pool):
            wall["extract"] += time.perf_counter() - t
            first_out = first_out or time.perf_counter()
            t = time.perf_counter()
            if isinstance(outcome, InputError):
                problems.append(outcome)
            else:
                grouper.add(outcome, summary)
                articles.append(outcome)
            wall["store+group"] += time.perf_counter() - t
            t = time.perf_counter()
        last_out = time.perf_counter()
        fetcher.close()
        documents = len(inputs) if server is not None else len(raws)  # type: ignore[arg-type]
        t = time.perf_counter()
        grouper.merge_converged(summary.changed_stories, summary)
        grouper.save_stats()
        wall["store+group"] += time.perf_counter() - t
        t = time.perf_counter()
        written = refresh_briefs(store, summary.changed_stories, workers=workers, pool=pool)
        wall["briefs"] = time.perf_counter() - t
        total = time.perf_counter() - started
        pool.close()
        cpu = cpu_seconds() - cpu_before
        # a later ingest re-briefs the stories it touches: new workers, nothing in their memory,
        # the parse and the names read from the store
        again_pool = WorkerPool(workers)
        t = time.perf_counter()
        again = refresh_briefs(store, summary.changed_stories, workers=workers, pool=again_pool)
        rebrief = time.perf_counter() - t
        again_pool.close()
        store.close()
    kind = "HTML pages" if corpus == "pages" else "text files"
    where = "local" if options.latency is None else f"over HTTP ({options.latency:.0f} ms a request)"
    print(f"{documents} {kind} {where} -> {len(articles)} articles ({len(problems)} rejected), "
          f"{len(summary.changed_stories)} stories, {len(written)} briefs; {workers} worker processes")
    before_briefs = total - wall["briefs"]
    print(f"whole ingest with briefs: {total:.1f} s = {documents / total:.1f} articles/s")
    print(f"ingest without briefs (read, extract, store, group): {before_briefs:.1f} s = "
          f"{documents / before_briefs:.1f} articles/s")
    assert first_out is not None
    print(f"  of which start-up (until the first article is out: workers start, load spaCy): "
          f"{first_out - started:.1f} s; then {(documents - PARSE_TOGETHER) / (last_out - first_out):.1f} articles/s")
    for stage, seconds in wall.items():
        print(f"  {stage:<12} {seconds:6.2f} s  {100 * seconds / total:5.1f}%  (wall)")
    parse = sum(a.parse_seconds for a in articles)
    analysis = sum(b.seconds.get("analysis", 0.0) for b in written)
    recognised = sum(b.seconds.get("entities", 0.0) for b in written)
    writing = sum(b.seconds.get("writing", 0.0) for b in written)
    parsed = sum(1 for a in articles for s in a.sentences if s.speech is not None)
    print(f"CPU time, this process and its workers: {cpu:.1f} s")
    print(f"  parse at extraction   {parse:6.2f} s  {100 * parse / cpu:5.1f}%  "
          f"({parsed} of {sum(len(a.sentences) for a in articles)} sentences)")
    print(f"  analysis in briefs    {analysis:6.2f} s  {100 * analysis / cpu:5.1f}%  "
          "(figures, disagreements, timeline, quotes, statements, speakers)")
    print(f"  entity recogniser     {recognised:6.2f} s  {100 * recognised / cpu:5.1f}%  (Who and where)")
    print(f"  brief writing         {writing:6.2f} s  {100 * writing / cpu:5.1f}%  (scoring, sections, grounding)")
    share = parse + analysis + recognised
    print(f"analysis (parse + analysis + entities) = {share:.1f} CPU-s = {100 * share / cpu:.1f}% of the CPU time")
    print(f"re-briefing every story in a new process (stored parse and names): {rebrief:.1f} s wall, "
          f"entity recogniser {sum(b.seconds.get('entities', 0.0) for b in again):.2f} CPU-s")


if __name__ == "__main__":
    main()
