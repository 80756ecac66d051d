"""Web latency with 10k stories in the database, while an ingest writes to it.

Builds a database of synthetic stories (bench/grouping.py's stream: Multi-News texts, invented
names, 1-6 reports each) until it holds ``--stories`` stories; real briefs are written for a few
hundred of them and their JSON reused (with the right story id) for the rest, since the page cost
depends on the brief's size, not on who wrote it. Then `newsbrief serve` runs on 127.0.0.1 and,
while `newsbrief ingest` adds ``--ingest`` generated articles in another process, one client
requests the story list, story pages and searches in turn. Prints p50/p95/max per page.

    python bench/web.py [--stories 10000] [--requests 300] [--ingest 3000]
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from grouping import synthetic_stream

from newsbrief.extract import content_hash
from newsbrief.pipeline import refresh_briefs
from newsbrief.store.sqlite import SQLiteStore

REPO = Path(__file__).resolve().parents[1]


def build(db: Path, stories: int, real_briefs: int) -> None:
    """``stories`` stories of synthetic reports, placed by the stream's own story labels (grouping
    is not what this bench measures, and it would join stories that share Multi-News material)."""
    started = time.perf_counter()
    with SQLiteStore(db) as store:
        placed: dict[str, int] = {}
        with store.transaction():
            for article in synthetic_stream(int(stories * 4)):
                if article.story_id not in placed and len(placed) >= stories:
                    continue
                article.content_hash = content_hash(article.text)
                article_id = store.add_article(article, None, {})
                when = article.published_at.isoformat() if article.published_at else None
                if article.story_id in placed:
                    store.join_story(placed[article.story_id], article_id, when, None, None)
                else:
                    placed[article.story_id] = store.create_story(article_id, when, {})
        ids = list(placed.values())
        written = refresh_briefs(store, ids[:: max(1, len(ids) // real_briefs)][:real_briefs])
        bodies = [b.as_dict() for b in written]
        with store.transaction():
            for n, story_id in enumerate(ids):
                body = dict(bodies[n % len(bodies)], story_id=str(story_id), version=1)
                store.db.execute("INSERT OR IGNORE INTO briefs(story_id, version, generated_at, writer, body) "
                                 "VALUES (?, 1, ?, 'extractive', ?)", (story_id, body["generated_at"], json.dumps(body)))
        articles = store.article_count()
    print(f"database: {len(ids)} stories of {articles} articles; {len(written)} real briefs, reused for the rest; "
          f"built in {time.perf_counter() - started:.0f} s")


def generated_jsonl(path: Path, count: int) -> None:
    rng = random.Random(9)
    towns = ["Velmor", "Ostrava Bay", "Marisol", "Dunmere", "Halvard", "Brindle", "Corvo", "Tamsin"]
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            town = rng.choice(towns)
            text = (f"The {town} council voted on Monday to approve a new hospital with {rng.randint(5, 400)} beds, "
                    f"the mayor said. Construction in {town} is expected to start next spring. "
                    f"Residents of {town} have waited a decade for the hospital, the council said.")
            out.write(json.dumps({"url": f"https://bench{i % 9}.example/{i}", "outlet": f"Bench {i % 9}",
                                  "title": f"{town} approves hospital plan {i}", "text": text,
                                  "published_at": "2026-11-20T08:00:00Z"}) + "\n")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=300, help="requests per page kind")
    parser.add_argument("--ingest", type=int, default=3000, help="articles the concurrent ingest adds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "web.db"
        build(db, args.stories, real_briefs=300)
        with SQLiteStore(db) as store:
            ids = [r[0] for r in store.db.execute("SELECT story_id FROM briefs")]
            words = [w for (t,) in store.db.execute("SELECT title FROM articles ORDER BY random() LIMIT 400")
                     for w in t.split() if w.isalpha() and len(w) > 4]
        generated_jsonl(Path(tmp) / "incoming.jsonl", args.ingest)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([sys.executable, "-m", "newsbrief.cli", "serve", "--db", str(db), "--port", str(port)],
                                  stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        rng = random.Random(1)
        kinds = {
            "story list": lambda: "/",
            "story list, page 40": lambda: "/?page=40",
            "story page": lambda: f"/stories/{rng.choice(ids)}",
            "story JSON": lambda: f"/stories/{rng.choice(ids)}.json",
            "search": lambda: f"/search?q={rng.choice(words)}",
        }
        times: dict[str, list[float]] = {k: [] for k in kinds}
        try:
            with httpx.Client(base_url=base, timeout=30) as client:
                for _ in range(100):
                    try:
                        client.get("/api/stories")
                        break
                    except httpx.TransportError:
                        time.sleep(0.2)
                for make in kinds.values():  # warm up each thread's connection and the templates
                    client.get(make())
                writer = subprocess.Popen([sys.executable, "-m", "newsbrief.cli", "ingest", "--db", str(db),
                                           str(Path(tmp) / "incoming.jsonl")], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                for _ in range(args.requests):
                    for kind, make in kinds.items():
                        t = time.perf_counter()
                        response = client.get(make())
                        times[kind].append(1000 * (time.perf_counter() - t))
                        assert response.status_code == 200, (kind, response.status_code, response.text[:200])
                still_writing = writer.poll() is None
                writer.wait()
        finally:
            server.terminate()
            server.wait()
    print(f"{args.requests} requests per page over real HTTP to `newsbrief serve` (uvicorn, 127.0.0.1); "
          f"a concurrent `newsbrief ingest` of {args.ingest} articles {'was still writing at the end' if still_writing else 'finished during the run'}")
    print(f"{'page':<22}{'p50 ms':>8}{'p95 ms':>8}{'max ms':>8}")
    for kind, values in times.items():
        print(f"{kind:<22}{statistics.median(values):8.1f}{percentile(values, 95):8.1f}{max(values):8.1f}")


if __name__ == "__main__":
    main()
