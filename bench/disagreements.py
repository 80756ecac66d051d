"""Precision and recall of "Where sources differ" on hand-labelled pairs of real figures.

bench/data/figure_pairs.jsonl holds pairs of figures read in ../shared/data (the Multi-News sample,
the threads of developing stories, the extraction benchmark's pages): "same" when the two figures
are one quantity with different values (a toll that rose, two outlets' counts of one crowd), or
"different" when they look alike but count different things (another army's troops, the deaths of
another attack, a part and its whole), or "agree" when they are one quantity whose values agree as
writers round ("nearly 5 percent" and "4.7 percent"): a match for the frames, no disagreement. Each label keeps references only (dataset, story, document,
character offset, the figure's words); the texts are read from ../shared/data at run time.

Each story (a thread, a Multi-News cluster, a page) is analysed as the brief writer does it
(``claims_in``, ``quantities``), and each pair is scored twice:

- frames: whether the two figures' frames match (``comparable``): one quantity or not;
- disagreements: whether the analysis puts both in one quantity that it reports as a conflict or an
  update (what "Where sources differ" and "How the figures changed" show).

    python bench/disagreements.py [--list]
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import sys
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

from newsbrief.analysis.claims import Claim, claims_in, quantities
from newsbrief.analysis.figures import comparable, countable
from newsbrief.records import Article
from newsbrief.sentences import split_sentences

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
LABELS = Path(__file__).resolve().parent / "data" / "figure_pairs.jsonl"


def texts() -> dict[str, dict[str, list[tuple[str, str, datetime | None]]]]:
    """dataset -> story -> [(document id, text, publication date)], read from ../shared/data."""
    stories: dict[str, dict[str, list[tuple[str, str, datetime | None]]]] = defaultdict(lambda: defaultdict(list))
    with (DATA / "threads" / "reports.jsonl").open(encoding="utf-8") as handle:
        for line, row in enumerate(map(json.loads, handle)):
            day = datetime.fromisoformat(row["published"]).replace(tzinfo=timezone.utc) if row["published"] else None
            stories["threads"][row["thread"] if row["thread"] != "D" else row["event"]].append((str(line), row["text"], day))
    csv.field_size_limit(sys.maxsize)
    with (DATA / "multinews-sample" / "sample_test.csv").open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle)):
            documents = [d for d in ast.literal_eval(row["documents"]) if d.strip()]
            stories["multinews"][str(number)] = [(str(n), text, None) for n, text in enumerate(documents, start=1)]
    truth = json.loads((DATA / "article-extraction-benchmark" / "ground-truth.json").read_text("utf-8"))
    for key, page in truth.items():
        stories["pages"][key] = [(key, page["articleBody"], None)]
    return stories


def doc_id(side: dict[str, object]) -> str:
    return str(side["line"] if "line" in side else side["doc"])


def analyse(documents: list[tuple[str, str, datetime | None]]) -> tuple[list[Claim], dict[str, str]]:
    """The story's claims, with each document's article id."""
    articles, ids = [], {}
    for n, (doc, text, day) in enumerate(documents, start=1):
        article_id = f"a{n}"
        ids[doc] = article_id
        articles.append(Article(id=article_id, url=f"https://doc{n}.bench.invalid/", domain=f"doc{n}.bench.invalid",
                                outlet=f"doc{n}", title="", text=text, published_at=day,
                                sentences=split_sentences(article_id, text)))
    return claims_in(articles), ids


def find(claims: list[Claim], article_id: str, offset: int) -> Claim | None:
    """The claim whose figure stands at ``offset`` in its document."""
    best = None
    for claim in claims:
        if claim.article.id != article_id:
            continue
        sentence = claim.article.sentences[int(claim.ref.split(":")[1])]
        start, end = sentence.start + claim.figure.start, sentence.start + claim.figure.end
        if start - 3 <= offset <= end and (best is None or abs(start - offset) < abs(best[0] - offset)):
            best = (start, claim)
    return best[1] if best else None


def score(name: str, outcomes: list[tuple[bool, bool]]) -> str:
    tp = sum(1 for said, truth in outcomes if said and truth)
    fp = sum(1 for said, truth in outcomes if said and not truth)
    fn = sum(1 for said, truth in outcomes if not said and truth)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return f"{name:<14} precision {precision:.2f}  recall {recall:.2f}  (true {tp}, false {fp}, missed {fn})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--list", action="store_true", help="list the pairs the analysis gets wrong")
    options = parser.parse_args()
    labels = [json.loads(line) for line in LABELS.read_text("utf-8").splitlines() if line.strip()]
    stories = texts()
    analysed: dict[tuple[str, str], tuple[list[Claim], dict[str, str], dict[int, tuple[str, str, int]]]] = {}
    frames: list[tuple[bool, bool]] = []
    reported: list[tuple[bool, bool]] = []
    unread = 0
    for label in labels:
        key = (label["dataset"], label["group"])
        if key not in analysed:
            claims, ids = analyse(stories[key[0]][key[1]])
            grouped = {id(c): (q.kind, q.name, n) for n, q in enumerate(quantities(claims)) for c in q.claims}
            analysed[key] = (claims, ids, grouped)
        claims, ids, grouped = analysed[key]
        a = find(claims, ids[doc_id(label["a"])], label["a"]["offset"])
        b = find(claims, ids[doc_id(label["b"])], label["b"]["offset"])
        truth = label["verdict"] == "same"
        one_quantity = label["verdict"] in ("same", "agree")
        if a is None or b is None:
            unread += 1
            frames.append((False, one_quantity))
            reported.append((False, truth))
            said_frame = said_reported = False
        else:
            said_frame = countable(a.figure.frame) and countable(b.figure.frame) and comparable(a.figure.frame, b.figure.frame)
            one = grouped.get(id(a)) is not None and grouped.get(id(a)) == grouped.get(id(b))
            said_reported = one and grouped[id(a)][0] in ("conflict", "update")
            frames.append((said_frame, one_quantity))
            reported.append((said_reported, truth))
        if options.list and said_reported != truth:
            shown = grouped.get(id(a)) if a else None
            print(f"{'missed' if truth else 'false '}  {label['dataset']}/{label['group']}  "
                  f"{label['a']['figure']!r} | {label['b']['figure']!r}  ({label['quantity']}; "
                  f"frames {'match' if said_frame else 'differ'}; analysis: {shown[:2] if shown else None})")
    same = sum(1 for label in labels if label["verdict"] == "same")
    alike = sum(1 for label in labels if label["verdict"] == "agree")
    print(f"{len(labels)} labelled pairs ({same} same quantity with different values, {alike} with values that agree, "
          f"{len(labels) - same - alike} look-alikes); "
          f"{unread} with a figure the analysis does not read")
    print(score("frames", frames))
    print(score("disagreements", reported))


if __name__ == "__main__":
    main()
