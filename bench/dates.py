"""How well newsbrief resolves the dates real reports name, against hand labels.

Each label in ``bench/data/date_labels.jsonl`` points at a date mention in a text of ../shared/data
(dataset, document, character offset and length) and gives the report's publication date, the day
the mention names (null: not a date, such as "USA TODAY" or "Black Friday") and the kind of
mention. The texts are read from ../shared/data at run time (they belong to their publishers and
are not copied here). For each mention the script takes its sentence, runs newsbrief's resolver on
it with the publication date and compares the day found with the label; a mention labelled null is
right when the resolver leaves it alone. It also counts, over every sentence of the labelled
documents, the annotations the brief would write beside a date the sentence already gives
("Sunday (12 Jan 2025) 19 January").

    python bench/dates.py [--errors]
"""

from __future__ import annotations

import argparse
import ast
import csv
import json
import re
import sys
from collections import Counter, defaultdict
from datetime import date, datetime, timezone
from pathlib import Path

from newsbrief.analysis.dates import MONTH, resolve_dates
from newsbrief.render.claims import with_dates
from newsbrief.sentences import split_sentences

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data"
LABELS = HERE / "data" / "date_labels.jsonl"

_EXPLICIT = re.compile(rf"\b{MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}", re.I)
_ANNOTATION = re.compile(r" \(\d{1,2} [A-Z][a-z]{2} \d{4}\)|, \d{1,2} [A-Z][a-z]{2} \d{4}\)")


def documents(needed: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The texts the labels point into, keyed by (dataset, document id)."""
    texts: dict[tuple[str, str], str] = {}
    if any(d == "threads" for d, _ in needed):
        for line in (DATA / "threads" / "reports.jsonl").read_text(encoding="utf-8").splitlines():
            report = json.loads(line)
            texts[("threads", report["url"])] = report["text"]
    if any(d == "pages" for d, _ in needed):
        truth = json.loads((DATA / "article-extraction-benchmark" / "ground-truth.json").read_text(encoding="utf-8"))
        texts.update((("pages", key), value["articleBody"]) for key, value in truth.items())
    if any(d == "multinews" for d, _ in needed):
        csv.field_size_limit(sys.maxsize)
        with open(DATA / "multinews-sample" / "sample_test.csv", encoding="utf-8", newline="") as handle:
            for row_number, row in enumerate(csv.DictReader(handle)):
                for number, text in enumerate(ast.literal_eval(row["documents"])):
                    texts[("multinews", f"{row_number}:{number}")] = text
    return {key: texts[key] for key in needed if key in texts}


def noon(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time().replace(hour=12), tzinfo=timezone.utc)


def beside_explicit(text: str, published: datetime) -> int:
    """Annotations the brief would write next to a date the sentence itself gives."""
    named = [{"text": d.expression, "date": d.day.isoformat()} for d in resolve_dates(text, published)]
    shown = with_dates(text, named)
    count = 0
    for match in _ANNOTATION.finditer(shown):
        before, after = shown[max(0, match.start() - 30) : match.start()], shown[match.end() : match.end() + 30]
        annotated = next((d["text"] for d in named if before.endswith(d["text"])), "")
        if (_EXPLICIT.search(annotated) or re.match(rf"[,\s(]*{_EXPLICIT.pattern}", after, re.I)
                or re.search(rf"{_EXPLICIT.pattern}[,\s(]*$", before[: len(before) - len(annotated)], re.I)):
            count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--errors", action="store_true", help="print each wrong mention with its sentence")
    options = parser.parse_args()
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = documents({(label["dataset"], label["doc"]) for label in labels})
    sentences = {key: split_sentences("d", text) for key, text in texts.items()}
    right: dict[str, Counter[str]] = defaultdict(Counter)
    missing = 0
    for label in labels:
        key = (label["dataset"], label["doc"])
        if key not in texts or texts[key][label["offset"] : label["offset"] + label["length"]] != label["mention"]:
            missing += 1
            continue
        sentence = next(s for s in sentences[key] if s.start <= label["offset"] < s.end)
        at = label["offset"] - sentence.start
        found = next((r for r in resolve_dates(sentence.text, noon(label["published"])) if r.start <= at < r.end), None)
        got = found.day.isoformat() if found else None
        ok = got == label["date"]
        future = label["marker"] not in (None, "past", "explicit date")
        for group in ("all", f"kind: {label['kind']}", f"dataset: {label['dataset']}",
                      f"marker: {'future or scheduled' if future else label['marker'] or 'none'}"):
            right[group]["n"] += 1
            right[group]["ok"] += ok
        if options.errors and not ok:
            print(f"{label['dataset']} {label['doc'][:40]} @{label['offset']} [{label['published']}] "
                  f"{label['mention']!r}: labelled {label['date']}, resolved {got}\n    {sentence.text[:300]}")
    beside = sum(beside_explicit(s.text, noon(label["published"]))
                 for key, label in {(l["dataset"], l["doc"]): l for l in labels}.items() if key in sentences
                 for s in sentences[key])
    print(f"labelled mentions: {right['all']['n']} (texts not found: {missing})")
    for group in sorted(right, key=lambda g: (g != "all", g)):
        n, ok = right[group]["n"], right[group]["ok"]
        print(f"  {group:<40} {ok:4d}/{n:<4d} {ok / n:.3f}")
    print(f"annotations beside an explicit date (all sentences of the labelled documents): {beside}")


if __name__ == "__main__":
    main()
