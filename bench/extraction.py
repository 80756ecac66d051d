"""Fetch-and-extract quality and speed on the article-extraction benchmark.

Every page of ../shared/data/article-extraction-benchmark is served by a local HTTP server,
fetched with newsbrief's Fetcher, decoded and extracted exactly as `newsbrief brief URL` does; the
texts are scored with the benchmark's own evaluate.py (in a temporary copy of its folder).

    python bench/extraction.py
"""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from newsbrief.encoding import decode
from newsbrief.errors import InputError
from newsbrief.extract import extract
from newsbrief.fetch import Fetcher
from newsbrief.records import RawDocument
from newsbrief.settings import Config

BENCH = Path(__file__).resolve().parents[2] / "shared" / "data" / "article-extraction-benchmark"


def serve(pages: dict[str, bytes]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            body = pages.get(self.path.lstrip("/"))
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "text/html")  # no charset: decoding is part of the test
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def main() -> None:
    truth = json.loads((BENCH / "ground-truth.json").read_text("utf-8"))
    pages = {key: gzip.decompress((BENCH / "html" / f"{key}.html.gz").read_bytes()) for key in truth}
    httpd = serve(pages)
    base = f"http://127.0.0.1:{httpd.server_address[1]}/"
    output: dict[str, dict[str, str]] = {}
    failures = 0
    started = time.perf_counter()
    with Fetcher(Config.load(allow_private=True, concurrency=1)) as fetcher:
        for key, response in fetcher.get_many(base + key for key in truth):
            key = key.rsplit("/", 1)[1]
            body = ""
            if not isinstance(response, Exception):
                html, _ = decode(response.body, response.content_type)
                try:
                    body = extract(RawDocument(origin=key, url=truth[key]["url"], html=html)).text
                except InputError:
                    failures += 1
            output[key] = {"articleBody": body}
    elapsed = time.perf_counter() - started
    httpd.shutdown()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copy(BENCH / "evaluate.py", folder)
        shutil.copy(BENCH / "ground-truth.json", folder)
        (folder / "output").mkdir()
        (folder / "output" / "newsbrief.json").write_text(json.dumps(output), "utf-8")
        shutil.copy(BENCH / "output" / "trafilatura.json", folder / "output")
        scores = subprocess.run([sys.executable, "evaluate.py", "--n-bootstrap", "200"], cwd=folder,
                                capture_output=True, text=True, check=True).stdout
    print(scores.rstrip())
    print(f"newsbrief fetch+decode+extract: {len(truth)} pages in {elapsed:.1f} s = "
          f"{len(truth) / elapsed:.1f} pages/s on one thread; {failures} pages without text")


if __name__ == "__main__":
    main()
