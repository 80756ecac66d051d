"""Coverage-guided fuzzing (atheris, libFuzzer) of what reads untrusted bytes: decoding and telling
the kind of a document, feed and OPML parsing, JSONL lines, text files and article extraction.

Each input is read as `newsbrief brief FILE` reads a file (decode, sniff, then the feed, OPML,
JSONL, HTML or text path; entries' pages are not fetched), and every document it yields is
extracted (without the spaCy parse). An InputError is a clean rejection; anything else, or a
reason that says "unexpected error" (what the per-input safety nets report), is a crash: it is
counted, its input saved, and fuzzing goes on. Prints executions and crashes at the end.
Not run in CI.

    python bench/fuzz.py --seconds 60 [--crashes DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

import atheris

# Coverage is traced in the code that reads the bytes (not in spaCy and the rest newsbrief imports)
with atheris.instrument_imports(include=["newsbrief.sources", "newsbrief.extract", "newsbrief.encoding",
                                         "newsbrief.boilerplate", "newsbrief.sentences", "newsbrief.dates",
                                         "feedparser", "trafilatura", "htmldate", "courlan", "charset_normalizer"]):
    import feedparser  # noqa: F401 (imported here to be instrumented)
    import trafilatura  # noqa: F401

    from newsbrief.errors import InputError
    from newsbrief.extract import extract
    from newsbrief.records import RawDocument
    from newsbrief.sources import (Problem, decode_document, feed_entries, jsonl_documents, opml_feed_urls, sniff,
                                   text_document)

REPO = Path(__file__).resolve().parents[1]
URL = "https://fuzz.example/page"
SEEDS = [
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Velmor Gazette</title><item><title>Ferry strike</title>'
    b"<link>https://velmor.example/1</link><description>&lt;p&gt;Ferry workers in Velmor walked out on Monday, halting "
    b"crossings for about 4,000 commuters.&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;</description>"
    b"<pubDate>Mon, 02 Mar 2026 09:00:00 GMT</pubDate></item></channel></rss>",
    b'<feed xmlns="http://www.w3.org/2005/Atom"><title>Dunmere Daily</title><entry><title type="html">Fire</title>'
    b'<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>A fire swept through the north of Dunmere '
    b"on Friday, destroying 40 homes.</p><template><p>t</p></template></div></content></entry></feed>",
    b'<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY town "Corvo">]><rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel>'
    b"<title>&town; News</title></channel><item><title>Hospital</title><description><![CDATA[<p>The &town; council "
    b"approved a new hospital.</p>]]></description></item></rdf:RDF>",
    b'<?xml version="1.0"?><opml version="2.0"><body><outline text="a" xmlUrl="https://velmor.example/feed.xml"/>'
    b"</body></opml>",
    b'{"url": "https://velmor.example/2", "title": "Ferry strike", "published_at": "2026-03-02T09:00:00Z", '
    b'"text": "Union leader Jorn Hale said the strike was over pay and could last five days."}\n'
    b'{"url": "https://velmor.example/3", "html": "<p>Officials warned that the river could rise.</p>"}\n',
    b"Ferry strike in Velmor\nurl: https://velmor.example/4\npublished: 2026-03-02\n\nFerry workers in the invented "
    b"port of Velmor walked out on Monday. The harbour authority said it would run extra buses.",
]


class Tally:
    """Executions and crashes (by exception type and the line that raised), with the time limit."""

    def __init__(self, seconds: float, crashes: Path) -> None:
        self.deadline = time.monotonic() + seconds
        self.started = time.monotonic()
        self.crashes = crashes
        self.executions = 0
        self.kinds: Counter[str] = Counter()
        self.found: Counter[str] = Counter()

    def crash(self, data: bytes, what: str) -> None:
        self.found[what] += 1
        if self.found[what] == 1:  # keep the first input of each kind of crash
            (self.crashes / f"crash-{hashlib.sha1(data).hexdigest()[:12]}").write_bytes(data)
            print(f"\nCRASH {what}", file=sys.stderr)

    def report(self) -> None:
        seconds = time.monotonic() - self.started
        print(f"\nexecutions: {self.executions} in {seconds:.0f} s ({self.executions / seconds:.0f}/s); "
              f"by kind: {dict(self.kinds)}")
        print(f"crashes: {sum(self.found.values())} ({len(self.found)} distinct)")
        for what, count in self.found.most_common():
            print(f"  {count:>5}  {what}")
        if self.found:
            print(f"inputs saved in {self.crashes}")


def where(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}: {str(exc)[:100]}"


def documents(data: bytes, problems: list[Problem]) -> tuple[str, list[RawDocument]]:
    """What a file holding ``data`` is, and the documents it yields, read as SourceReader reads
    one (but no page is fetched)."""
    text, _ = decode_document(data)
    if not text.strip():
        return "empty", []
    kind = sniff(text, data)
    if kind == "feed":
        return kind, feed_entries("fuzz.xml", data)[0]
    if kind == "opml":
        opml_feed_urls("fuzz.opml", data)
        return kind, []
    if kind == "jsonl":
        return kind, list(jsonl_documents("fuzz.jsonl", data.splitlines(), problems.append))
    if kind == "html":
        return kind, [RawDocument(origin="fuzz.html", url=URL, html=text)]
    return kind, [text_document("fuzz.txt", URL, text)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60, help="How long to fuzz.")
    parser.add_argument("--crashes", type=Path, default=REPO / "bench" / "out" / "fuzz-crashes",
                        help="Where the first input of each kind of crash is saved.")
    args, libfuzzer_args = parser.parse_known_args()
    tally = Tally(args.seconds, args.crashes)

    def one_input(data: bytes) -> None:
        if time.monotonic() > tally.deadline:
            tally.report()
            os._exit(0)  # libFuzzer would otherwise go on: it knows nothing of the deadline
        tally.executions += 1
        problems: list[Problem] = []
        try:
            kind, docs = documents(data, problems)
            tally.kinds[kind] += 1
            for doc in docs:
                try:
                    extract(doc, parse=False)
                except InputError as exc:
                    problems.append(Problem(exc.source, exc.reason))
        except InputError:
            tally.kinds["rejected"] += 1
        except Exception as exc:  # noqa: BLE001 (a crash: counted and kept, and fuzzing goes on)
            tally.crash(data, where(exc))
        for problem in problems:
            if "unexpected error" in problem.reason:
                tally.crash(data, f"reported: {problem.reason[:140]}")

    corpus = Path(tempfile.mkdtemp(prefix="newsbrief-fuzz-"))
    for n, seed in enumerate(SEEDS):
        (corpus / f"seed-{n}").write_bytes(seed)
    for path in sorted((REPO / "examples" / "selvan-dam").iterdir()):
        (corpus / path.name).write_bytes(path.read_bytes())
    args.crashes.mkdir(parents=True, exist_ok=True)  # libFuzzer's own artifacts (slow units) go there too
    atheris.Setup([sys.argv[0], *libfuzzer_args, str(corpus), f"-max_total_time={int(args.seconds) + 5}",
                   "-rss_limit_mb=4096", f"-artifact_prefix={args.crashes}/"], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
