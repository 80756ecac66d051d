"""What webhook alerts add to a `watch` poll: the time of ``deliver_due`` (which each poll calls
after its briefs) with nothing due, with N alerts to a live receiver on 127.0.0.1, to a port where
nothing listens, and to a receiver that accepts connections but never answers (one timeout per
target per poll); and the time to match and queue a version against W watchlists.

    .venv/bin/python bench/alerts.py [--alerts 100] [--watchlists 50]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from newsbrief.alerts import Watchlists
from newsbrief.ingest import ingest
from newsbrief.pipeline import refresh_briefs
from newsbrief.settings import Config
from newsbrief.store import SQLiteStore
from newsbrief.store.follows import FollowTable
from newsbrief.webhooks import deliver_due

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "selvan-dam"


class Quiet(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def queue(store: SQLiteStore, target: str, count: int, first_version: int) -> None:
    follow, _ = FollowTable(store).add("story", "1", webhook=target)
    with store.transaction():
        for n in range(count):
            FollowTable(store).queue_alert(follow.id, 1, first_version + n, target, f"{target}-{n}",
                                           '{"type":"newsbrief.alert","changes":["a new figure"]}')


def timed(store: SQLiteStore, config: Config) -> tuple[float, int, int]:
    report = deliver_due(store, config)
    return report.seconds, report.sent, report.failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=100)
    parser.add_argument("--watchlists", type=int, default=50)
    args = parser.parse_args()
    config = Config.load(allow_private=True, webhook_secret="bench", webhook_timeout=2.0)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    silent = socket.socket()  # accepts connections (the backlog) and never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as folder, SQLiteStore(Path(folder) / "news.db") as store:
        refresh_briefs(store, ingest([str(SAMPLE)], store).changed_stories)
        idle = []
        for _ in range(200):
            started = time.perf_counter()
            deliver_due(store, config)
            idle.append(time.perf_counter() - started)
        print(f"nothing due: {statistics.median(idle) * 1000:.2f} ms per poll (median of 200)")

        queue(store, f"http://127.0.0.1:{httpd.server_address[1]}/hook", args.alerts, 1)
        seconds, sent, _ = timed(store, config)
        each = seconds / max(1, sent) * 1000
        print(f"{sent} alerts to a live receiver: {seconds * 1000:.0f} ms ({each:.1f} ms each)")

        queue(store, f"http://127.0.0.1:{closed}/hook", args.alerts, 10_000)
        seconds, _, failed = timed(store, config)
        print(f"{failed} alerts to a port where nothing listens: {seconds * 1000:.1f} ms (one attempt per target)")

        queue(store, f"http://127.0.0.1:{silent.getsockname()[1]}/hook", args.alerts, 20_000)
        seconds, _, failed = timed(store, config)
        print(f"{failed} alerts to a receiver that never answers: {seconds:.2f} s "
              f"(webhook_timeout {config.webhook_timeout:g} s, once per target)")

        table = FollowTable(store)
        for n in range(args.watchlists):
            table.add(("name", "query")[n % 2], f"word{n}")
        brief = store.latest_brief(1)
        started = time.perf_counter()
        lists = Watchlists(store, config)
        with store.transaction():
            lists.queue(brief)
        print(f"matching one version against {len(lists.follows)} watchlists: "
              f"{(time.perf_counter() - started) * 1000:.1f} ms")
    httpd.shutdown()
    silent.close()


if __name__ == "__main__":
    main()
