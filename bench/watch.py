"""`watch` at scale: local feeds on several local hosts, polled twice with 10% new items.

Feeds are served by real HTTP servers on 127.0.0.1-127.0.0.N (so that "one request at a time per
host" holds as it would across publishers); each feed has an ETag. Articles are the synthetic
stream of bench/grouping.py (Multi-News texts, invented names, stories of 1-6 reports) as HTML
pages. Poll 1 reads everything; before poll 2 every feed drops its oldest tenth and gains as many
new items; poll 3 runs with nothing changed (every feed answers 304).

    python bench/watch.py [--feeds 200] [--items 50] [--hosts 10] [--no-briefs]
"""

from __future__ import annotations

import argparse
import tempfile
import threading
from datetime import datetime, timedelta, timezone
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from grouping import synthetic_stream

from newsbrief.records import Article
from newsbrief.settings import Config
from newsbrief.store.feeds import FeedTable
from newsbrief.store.sqlite import SQLiteStore
from newsbrief.watch import Watcher


class Site:
    """Routes shared by every local host: path -> (body, content type, etag)."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[bytes, str, str | None]] = {}
        self.requests = 0
        self.not_modified = 0


def serve(site: Site, host: str) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            site.requests += 1
            body, kind, etag = site.routes.get(self.path, (b"not found", "text/plain", None))
            if etag and self.headers.get("If-None-Match") == etag:
                site.not_modified += 1
                self.send_response(304)
                self.end_headers()
                return
            self.send_response(200 if self.path in site.routes else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            if etag:
                self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer((host, 0), Handler)
    httpd.daemon_threads = True
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


def page(article: Article, url: str) -> bytes:
    paragraphs = "".join(f"<p>{escape(s.text)}</p>" for s in article.sentences)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{escape(article.title)}</title>"
            f"<meta property='og:site_name' content='{escape(article.outlet)}'>"
            f"<meta property='article:published_time' content='{article.published_at.isoformat()}'></head>"
            f"<body><article><h1>{escape(article.title)}</h1>{paragraphs}</article></body></html>").encode()


def feed(title: str, items: list[tuple[Article, str]]) -> bytes:
    entries = "".join(f"<item><title>{escape(a.title)}</title><link>{escape(u)}</link>"
                      f"<guid>{escape(u)}</guid></item>" for a, u in items)
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{escape(title)}</title>"
            f"<link>http://example.invalid/</link><description>bench</description>{entries}</channel></rss>").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--items", type=int, default=50)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--no-briefs", action="store_true", help="measure polling and ingest without writing briefs")
    args = parser.parse_args()
    fresh = max(1, args.items // 10)
    stream = synthetic_stream(args.feeds * (args.items + fresh))
    site = Site()
    servers = [serve(site, f"127.0.0.{h + 1}") for h in range(args.hosts)]
    feed_urls, feed_paths = [], []
    for f in range(args.feeds):
        server = servers[f % args.hosts]
        feed_paths.append((f"/feeds/{f}.xml", server))
        feed_urls.append(f"http://127.0.0.{f % args.hosts + 1}:{server.server_address[1]}/feeds/{f}.xml")

    def publish(version: int, window: range) -> None:
        for f, (path, server) in enumerate(feed_paths):
            host = f"http://127.0.0.{f % args.hosts + 1}:{server.server_address[1]}"
            items = []
            for n in window:
                article = stream[n * args.feeds + f]
                url = f"{host}/articles/{article.id}.html"
                site.routes[f"/articles/{article.id}.html"] = (page(article, url), "text/html; charset=utf-8", None)
                items.append((article, url))
            site.routes[path] = (feed(f"Bench feed {f}", items[::-1]), "application/rss+xml", f'"v{version}"')

    config = Config.load(allow_private=True)
    print(f"{args.feeds} feeds x {args.items} items on {args.hosts} local hosts; "
          f"extraction in {config.workers} processes; briefs {'off' if args.no_briefs else 'on'}")
    with tempfile.TemporaryDirectory() as tmp, SQLiteStore(Path(tmp) / "watch.db") as store:
        FeedTable(store).add(feed_urls)
        clock_offset = [0.0]  # each poll runs a little after every feed is due again

        def clock() -> datetime:
            return datetime.now(timezone.utc) + timedelta(seconds=clock_offset[0])

        with Watcher(store, config, every=60, briefs=not args.no_briefs, clock=clock) as watcher:
            for number, (window, label) in enumerate([
                (range(args.items), "all items new"),
                (range(fresh, args.items + fresh), f"{fresh} of {args.items} items new per feed"),
                (range(fresh, args.items + fresh), "nothing changed"),
            ]):
                if number < 2:
                    publish(number + 1, window)
                requests_before, not_modified_before = site.requests, site.not_modified
                poll = watcher.poll()
                clock_offset[0] += 61
                rate = poll.new_articles / poll.seconds if poll.seconds else 0.0
                per = 1000 * poll.seconds / poll.new_articles if poll.new_articles else 0.0
                print(f"poll {number + 1} ({label}): {poll.seconds:7.1f} s, {poll.new_articles:5d} new articles "
                      f"({rate:5.1f}/s, {per:5.1f} ms each), {poll.stories_updated} stories updated, "
                      f"{poll.briefs_written} briefs, {site.requests - requests_before} requests "
                      f"({site.not_modified - not_modified_before} answered 304), {poll.failed} feeds failed")
    for server in servers:
        server.shutdown()


if __name__ == "__main__":
    main()
