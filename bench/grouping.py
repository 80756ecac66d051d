"""Story grouping: quality on the Multi-News stream, near-miss pairs, and speed at scale.

    python bench/grouping.py            # (a) quality, (b) near misses, (c) scale at 1k, 10k, 100k
    python bench/grouping.py --tune     # sweep the join and merge thresholds on (a) and (b)
    python bench/grouping.py --sizes 1000,10000
    python bench/grouping.py --ceiling  # what lexical grouping can reach on (a) at best
    python bench/grouping.py --threads  # (e) alone: real developing stories, dates given or stripped
    python bench/grouping.py --threads --seeds 42,1,2,3,4,5  # (e) over several stream orders, and the mean

(a) The 666 articles of ../shared/data/multinews-sample, shuffled (seed 42), are ingested one by one
    into a real SQLite store and scored with ../shared/data/tools/cluster_scores.py.
(b) bench/data/near_miss.jsonl: pairs of similar but distinct events that must stay apart.
(e) ../shared/data/threads: 74 real report excerpts grouped by hand into 6 developing stories of 21
    events, plus 8 near-miss distractors; about half carry no date. Shuffled (seed 42) and ingested
    with their dates as given, with the dates of a random half of the dated ones removed, and with all
    removed; scored at the event and the story level, with how many stories come out whole. On 74
    reports one order moves F1 by a few hundredths: --seeds gives the mean over several orders.
(c) Synthetic streams built from the Multi-News texts (see synthetic_stream) run through the
    grouping alone (features + candidate lookup + join/create of events, and of new events into
    stories by average link, in memory): articles/s, the time per article over the last 1,000
    articles at each size, and the process's peak memory.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from multinews import SAMPLE, clusters

from newsbrief.errors import InputError
from newsbrief.extract import extract
from newsbrief.ingest import CHECKPOINT_EVERY, Grouper, IngestSummary
from newsbrief.records import Article, RawDocument, Sentence
from newsbrief.sources import jsonl_document
from newsbrief.store.sqlite import SQLiteStore
from newsbrief.linking import Member, StoryLinker
from newsbrief.stories import STORY_LINKING, GroupingParams, StoryIndex, StoryState, TermStats, article_vector
from newsbrief.weekdays import named_weekday, possible_weekdays

TOOLS = SAMPLE.parents[1] / "tools" / "cluster_scores.py"
NEAR_MISS = Path(__file__).parent / "data" / "near_miss.jsonl"


def _scores_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("cluster_scores", TOOLS)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def multinews_articles(seed: int = 42) -> list[tuple[str, str, Article | None]]:
    """(doc id, gold cluster, article or None when extraction found no text), shuffled."""
    items = []
    for cluster in clusters():
        for n, text in enumerate(cluster.documents):
            doc_id = f"c{cluster.number}d{n}"
            raw = RawDocument(origin=doc_id, url=f"https://{doc_id}.multinews.invalid/", text=text, outlet=f"doc{n}")
            try:
                article: Article | None = extract(raw)
            except InputError:
                article = None
            items.append((doc_id, str(cluster.number), article))
    random.Random(seed).shuffle(items)
    return items


def group_into_store(articles: list[tuple[str, Article | None]], params: GroupingParams,
                     level: str = "event") -> dict[str, str]:
    """Ingest one by one into a fresh SQLite file; returns doc id -> event id (``level="event"``)
    or story id (``level="story"``)."""
    return group_both(articles, params)[0 if level == "event" else 1]


def group_both(articles: list[tuple[str, Article | None]], params: GroupingParams) -> tuple[dict[str, str], dict[str, str]]:
    """Ingest one by one into a fresh SQLite file; returns doc id -> event id and doc id -> story id
    (a document newsbrief does not read is its own event and story)."""
    with tempfile.TemporaryDirectory() as tmp:
        with SQLiteStore(Path(tmp) / "bench.db") as store:
            grouper = Grouper(store, params)
            summary = IngestSummary()
            placed: dict[str, int] = {}
            for doc_id, article in articles:
                if article is None:
                    continue
                grouper.add(replace(article, sentences=list(article.sentences)), summary)
                placed[doc_id] = store.db.execute("SELECT MAX(id) FROM articles").fetchone()[0]
            grouper.merge_converged(summary.changed_stories, summary)
            events, stories = {}, {}
            for doc_id, article in articles:
                if article is None:
                    events[doc_id] = stories[doc_id] = f"unread-{doc_id}"
                else:
                    row = store.db.execute("SELECT event_id, story_id FROM articles WHERE id = ?", (placed[doc_id],)).fetchone()
                    events[doc_id], stories[doc_id] = f"e{row[0]}", f"s{row[1]}"
    return events, stories


def quality(items: list[tuple[str, str, Article | None]], params: GroupingParams, show: bool) -> tuple[float, float]:
    gold = {doc_id: label for doc_id, label, _ in items}
    pred, story_pred = group_both([(doc_id, article) for doc_id, _, article in items], params)
    accepted = {doc_id for doc_id, _, article in items if article is not None}
    scores = _scores_module()
    gold_read = {d: g for d, g in gold.items() if d in accepted}
    _, _, pair_f1 = scores.pairwise(gold_read, pred)
    _, _, b_f1 = scores.bcubed(gold_read, pred)
    if show:
        print(f"(a) Multi-News stream: {len(items)} documents, {len(set(gold.values()))} gold clusters")
        print(f"    all {len(gold)} documents (each one newsbrief rejects as not an article is its own story):")
        _print_scores(gold, pred)
        print(f"    the {len(accepted)} documents newsbrief accepts as articles "
              f"({len(gold) - len(accepted)} rejected: tweets, archive notes, login pages ...):")
        _print_scores(gold_read, pred)
        print("    the same, as stories of events (each Multi-News cluster is another story):")
        _print_scores(gold_read, story_pred)
    return b_f1, pair_f1


def _print_scores(gold: dict[str, str], pred: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        g, p = Path(tmp) / "gold.tsv", Path(tmp) / "pred.tsv"
        g.write_text("".join(f"{k}\t{v}\n" for k, v in gold.items()))
        p.write_text("".join(f"{k}\t{v}\n" for k, v in pred.items()))
        out = subprocess.run([sys.executable, str(TOOLS), str(g), str(p)], capture_output=True, text=True, check=True)
    print(f"      {len(set(pred[d] for d in gold))} stories; " + out.stdout.strip().replace("\n", "; "))


def near_misses(params: GroupingParams, show: bool) -> bool:
    rows = [json.loads(line) for line in NEAR_MISS.read_text("utf-8").splitlines() if line.strip()]
    articles = [(row["event"], extract(jsonl_document(f"near_miss:{n}", json.dumps(row).encode())))
                for n, row in enumerate(rows)]
    pred, story_pred = group_both([(f"{n}", a) for n, (_, a) in enumerate(articles)], params)
    by_event: dict[str, set[str]] = {}
    for n, (event, _) in enumerate(articles):
        by_event.setdefault(event, set()).add(pred[f"{n}"])
    together = all(len(s) == 1 for s in by_event.values())
    apart = len({next(iter(s)) for s in by_event.values()}) == len(by_event)
    stories_apart = len({story_pred[f"{n}"] for n in range(len(articles))}) == len(by_event)
    if show:
        print(f"(b) near misses: {len(by_event)} events in {len(by_event) // 2} pairs; "
              f"each event's reports together: {together}; the events apart: {apart}; "
              f"in stories apart: {stories_apart}")
        for event, stories in sorted(by_event.items()):
            print(f"    {event:<18} -> stories {sorted(stories)}")
    return together and apart


# -- (e) real developing stories -------------------------------------------------------------------

THREADS = SAMPLE.parents[1] / "threads" / "reports.jsonl"


def thread_items(strip: float, seed: int = 42) -> list[tuple[dict, Article | None]]:
    """The threads' reports, shuffled, with the dates of a ``strip`` share of the dated ones removed."""
    rows = [json.loads(line) for line in THREADS.read_text("utf-8").splitlines() if line.strip()]
    rng = random.Random(seed)
    dated = [n for n, row in enumerate(rows) if row["published"]]
    stripped = set(rng.sample(dated, round(strip * len(dated))))
    items = []
    for n, row in enumerate(rows):
        record = {k: row[k] for k in ("url", "outlet", "title", "text")}
        if row["published"] and n not in stripped:
            record["published"] = row["published"] + "T12:00:00+00:00"
        try:
            article: Article | None = extract(jsonl_document(f"threads:{n + 1}", json.dumps(record).encode()))
        except InputError:
            article = None
        items.append((row, article))
    rng.shuffle(items)
    return items


def threads(params: GroupingParams, seeds: list[int] | None = None) -> None:
    scores = _scores_module()
    seeds = seeds or [42]
    print(f"(e) real developing stories ({THREADS.parent.name}/): event and story BCubed P / R / F1, "
          "stories whole, distractors joined to a story" + (f"; stream orders (seeds) {seeds}" if len(seeds) > 1 else ""))
    for strip, label in ((0.0, "dates as given"), (0.5, "half the dates stripped"), (1.0, "all dates stripped")):
        runs = []
        for seed in seeds:
            items = thread_items(strip, seed)
            pred, story_pred = group_both([(row["url"], article) for row, article in items], params)
            events = {row["url"]: row["event"] for row, _ in items}
            stories = {row["url"]: row["thread"] if row["thread"] != "D" else row["event"] for row, _ in items}
            whole = sum(1 for thread in {r["thread"] for r, _ in items} - {"D"}
                        if len({story_pred[r["url"]] for r, _ in items if r["thread"] == thread}) == 1)
            threaded = {story_pred[r["url"]] for r, _ in items if r["thread"] != "D"}
            joined = sum(1 for r, _ in items if r["thread"] == "D" and story_pred[r["url"]] in threaded)
            unread = sum(1 for _, article in items if article is None)
            runs.append((*scores.bcubed(events, pred), *scores.bcubed(stories, story_pred), whole, joined, unread))
            if len(seeds) > 1:
                print(f"    {label:<24} seed {seed:<3} " + _thread_line(runs[-1]))
        mean = tuple(sum(run[n] for run in runs) / len(runs) for n in range(len(runs[0])))
        print(f"    {label:<24} " + ("mean     " if len(seeds) > 1 else "") + _thread_line(mean))


def _thread_line(run: tuple[float, ...]) -> str:
    ep, er, ef, sp, sr, sf, whole, joined, unread = run
    return (f"events {ep:.2f} / {er:.2f} / {ef:.3f}   stories {sp:.2f} / {sr:.2f} / {sf:.3f}   "
            f"whole {whole:.3g}/6   distractors joined {joined:.3g}/8" + (f"   ({unread:.3g} not read)" if unread else ""))


# -- (c) scale -------------------------------------------------------------------------------------

_SYLLABLES = ["ka", "lo", "ven", "dra", "mi", "sor", "tu", "bel", "ran", "qui", "zor", "pa", "nel", "vik", "ost"]


def _invented_name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def synthetic_stream(size: int, seed: int = 7) -> list[Article]:
    """``size`` articles in stories of 1-6 reports over a year, built from Multi-News texts.

    Each story takes one Multi-News article as its material and three invented names (its
    people and places); each report of the story keeps a random 60-90% of that article's
    sentences, in order, with one of the names added to its title and to some sentences.
    Reports follow their story's start by 0-72 hours; the stream is in publication order.
    """
    rng = random.Random(seed)
    sources = []
    for cluster in clusters():
        for doc in cluster.documents:
            if len(doc.split()) > 150:
                try:
                    sources.append([s.text for s in extract(RawDocument(origin="x", url="https://x.invalid/", text=doc)).sentences])
                except InputError:
                    continue
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    articles: list[Article] = []
    story = 0
    while len(articles) < size:
        story += 1
        material = rng.choice(sources)
        names = [_invented_name(rng) for _ in range(3)]
        begins = start + timedelta(days=rng.uniform(0, 365))
        for report in range(min(rng.randint(1, 6), size - len(articles))):
            kept = [s for s in material if rng.random() < rng.uniform(0.6, 0.9)] or material[:3]
            kept = [f"{s[:-1]} in {rng.choice(names)}." if rng.random() < 0.3 and s.endswith(".") else s for s in kept]
            text = "\n".join(kept)
            article_id = f"s{story}r{report}"
            article = Article(url=f"https://synthetic.invalid/{article_id}", outlet=f"outlet{report}", domain="x",
                              title=f"{names[0]} {kept[0][:60]}", text=text, id=article_id,
                              published_at=begins + timedelta(hours=rng.uniform(0, 72)))
            offset = 0
            for i, sentence in enumerate(kept):
                article.sentences.append(Sentence(article_id, i, sentence, offset, offset + len(sentence)))
                offset += len(sentence) + 1
            article.story_id = str(story)
            articles.append(article)
    articles.sort(key=lambda a: a.published_at)  # type: ignore[arg-type, return-value]
    return articles


def group_in_memory(articles: list[Article], params: GroupingParams) -> tuple[float, float]:
    """Grouping alone, into events and events into stories (the story's average link, as ingest
    scores it; idle clusters dropped at each checkpoint, as ingest drops them): returns (articles per
    second, mean seconds per article over the last 1,000)."""
    stats = TermStats()
    index = StoryIndex(params)
    stories = StoryIndex(STORY_LINKING)
    members: dict[int, list[Member]] = {}
    linker = StoryLinker(STORY_LINKING, lambda story_id: members.setdefault(story_id, []))
    next_id = 0
    earliest: datetime | None = None  # the earliest article since the last checkpoint
    timings: list[float] = []
    started = time.perf_counter()
    for article in articles:
        t0 = time.perf_counter()
        vector = article_vector(article, stats, params)
        when = article.published_at
        weekday = named_weekday(article.title, article.text)
        event, score = index.best(vector, when, weekday)
        if event is not None and score >= params.join_threshold:
            index.join(event, vector, when, possible_weekdays(weekday, when))
        else:
            next_id += 1
            index.put(StoryState(next_id, dict(vector), 1, when, when, possible_weekdays(weekday, when)))
            member = Member(next_id, vector, when, when)
            scored = [(linker.score(s.id, member), s) for s in stories.candidates(vector)]
            value, story = max(scored, key=lambda pair: pair[0], default=(0.0, None))
            if story is not None and value >= STORY_LINKING.join_threshold:
                stories.join(story, vector, when)
                linker.add(story.id, member)
            else:
                stories.put(StoryState(next_id, dict(vector), 1, when, when))
                linker.add(next_id, member)
        stats.add(vector)
        earliest = when if earliest is None or (when is not None and when < earliest) else earliest
        if len(timings) % CHECKPOINT_EVERY == CHECKPOINT_EVERY - 1 and earliest is not None:
            # as Grouper.forget_idle: drop what can take no more reports
            index.forget_before(earliest - timedelta(days=params.window_days))
            for story_id in stories.forget_before(earliest - timedelta(days=STORY_LINKING.window_days)):
                linker.forget(story_id)
                members.pop(story_id, None)
            earliest = None
        timings.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    tail = timings[-1000:]
    return len(articles) / elapsed, sum(tail) / len(tail)


def scale(sizes: list[int], params: GroupingParams) -> None:
    print("(c) scale: synthetic streams from Multi-News texts, grouping alone, one process per size")
    print(f"    {'articles':>9} {'articles/s':>11} {'ms/article (last 1,000)':>24} {'peak RSS MB':>12}")
    for size in sizes:
        run = subprocess.run([sys.executable, __file__, "--scale-one", str(size)], capture_output=True, text=True,
                             cwd=Path(__file__).parent)
        if run.returncode:
            raise SystemExit(f"scale run for {size} articles failed:\n{run.stderr[-2000:]}")
        rate, per_article, rss = (float(x) for x in run.stdout.split())
        print(f"    {size:>9,} {rate:>11.0f} {1000 * per_article:>24.2f} {rss:>12.0f}")


def ceilings(items: list[tuple[str, str, Article | None]], params: GroupingParams) -> None:
    """What lexical grouping can reach on this set, with the same article vectors: offline
    average-link clustering (no online constraint), and an oracle that places every accepted
    document whose most similar same-cluster document has cosine >= 0.1 and leaves the rest alone."""
    from newsbrief.textvec import cosine

    accepted = [(d, g, a) for d, g, a in items if a is not None]
    gold = {d: g for d, g, _ in accepted}
    stats = TermStats()
    for _, _, article in accepted:
        stats.add(article_vector(article, stats, params))
    vectors = {d: article_vector(a, stats, params) for d, _, a in accepted}
    ids = list(vectors)
    sim = [[cosine(vectors[a], vectors[b]) for b in ids] for a in ids]
    scores = _scores_module()
    best_same = {d: max((sim[i][j] for j, e in enumerate(ids) if e != d and gold[e] == gold[d]), default=0.0)
                 for i, d in enumerate(ids)}
    lonely = sum(1 for v in best_same.values() if v <= 0.1)
    oracle = {d: gold[d] if best_same[d] >= 0.1 else f"alone-{d}" for d in ids}
    print(f"(d) ceilings on the {len(ids)} accepted documents ({lonely} have cosine <= 0.1 to all of their own cluster):")
    print(f"    oracle (cosine >= 0.1 placed perfectly): BCubed F1 {scores.bcubed(gold, oracle)[2]:.4f}")
    for threshold in (0.16, 0.2):
        groups = [[i] for i in range(len(ids))]
        while True:
            best = None
            for a in range(len(groups)):
                for b in range(a + 1, len(groups)):
                    ga, gb = groups[a][:6], groups[b][:6]  # average link over up to 6 members each
                    value = sum(sim[i][j] for i in ga for j in gb) / (len(ga) * len(gb))
                    if best is None or value > best[0]:
                        best = (value, a, b)
            if best is None or best[0] < threshold:
                break
            groups[best[1]] += groups.pop(best[2])
        pred = {ids[i]: str(n) for n, group in enumerate(groups) for i in group}
        print(f"    offline average-link at {threshold}: BCubed F1 {scores.bcubed(gold, pred)[2]:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description="story grouping benchmark")
    parser.add_argument("--tune", action="store_true", help="sweep the thresholds")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--ceiling", action="store_true", help="print what lexical grouping can reach on (a)")
    parser.add_argument("--threads", action="store_true", help="only (e): real developing stories")
    parser.add_argument("--seeds", default="42", help="(e): stream orders, comma-separated; the mean is printed")
    parser.add_argument("--scale-one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    params = GroupingParams()
    if args.scale_one:
        stream = synthetic_stream(args.scale_one)
        rate, per_article = group_in_memory(stream, params)
        print(rate, per_article, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        return
    seeds = [int(s) for s in args.seeds.split(",")]
    if args.threads:
        threads(params, seeds)
        return
    items = multinews_articles()
    if args.ceiling:
        ceilings(items, params)
        return
    if args.tune:
        print(f"{'join':>6} {'merge':>6} {'BCubed F1':>10} {'pairwise F1':>12} {'near misses':>12}")
        for join in (0.14, 0.18, 0.22, 0.26, 0.3, 0.34):
            for merge in (0.2, 0.3, 0.45):
                p = replace(params, join_threshold=join, merge_threshold=merge)
                b, pw = quality(items, p, show=False)
                print(f"{join:6.2f} {merge:6.2f} {b:10.4f} {pw:12.4f} {'ok' if near_misses(p, False) else 'FAIL':>12}")
        return
    quality(items, params, show=True)
    near_misses(params, show=True)
    threads(params, seeds)
    scale([int(s) for s in args.sizes.split(",")], params)


if __name__ == "__main__":
    main()
