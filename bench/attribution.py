"""Attribution quality on PolNeAR (../shared/data/polnear): does newsbrief find who said what?

Two predictors. The default (no model): for every sentence, the pattern speaker finder names a
source or nothing; its content is the sentence. With spaCy (the default): every
attribution the dependency parse shows (several per sentence: "X said", "according to X", "..., saying",
"SPEAKER: ...", sign-offs), its content the sentence or the neighbouring sentences a quotation spans.
Pronoun sources count: PolNeAR annotates "he" where it is the source. A gold
attribution (brat standoff: Source, Cue, Content) is found when a prediction's sentence overlaps
its Content and the predicted source matches its Source: by span overlap, or exactly (same words).
Precision counts predictions that match some gold attribution. Split by direct quotes (content in
quotation marks) and reported speech.

    python bench/attribution.py
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from newsbrief.analysis.attribution import pattern_speaker
from newsbrief.sentences import split_sentences

POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "data" / "polnear" / "data"
_QUOTE = re.compile(r"[\"“”]")


@dataclass
class Span:
    start: int
    end: int
    text: str

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass
class Attribution:
    source: Span
    contents: list[Span]
    direct: bool


def read_gold(path: Path) -> list[Attribution]:
    spans: dict[str, list[Span]] = {}
    kinds: dict[str, str] = {}
    events = []
    for line in path.read_text("utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            kind, *offsets = parts[1].split(" ")
            ranges = " ".join(offsets).split(";")
            spans[parts[0]] = [Span(int(r.split()[0]), int(r.split()[1]), parts[2]) for r in ranges]
            kinds[parts[0]] = kind
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split(" ") if ":" in arg))
    gold = []
    for event in events:
        source = [s for key, value in event.items() if key.startswith("Source") for s in spans.get(value, [])]
        content = [s for key, value in event.items() if key.startswith("Content") for s in spans.get(value, [])]
        if source and content:
            gold.append(Attribution(source[0], content, any(_QUOTE.search(c.text) for c in content)))
    return gold


def predict_parsed(text: str) -> list[Attribution]:
    """With spaCy's parser (newsbrief.analysis.speech): every attribution of every sentence, its
    source as the sentence describes it, its content the sentences holding what was said."""
    from newsbrief.analysis.speech import attributions, content_sentences, quote_openings
    from newsbrief.nlp import parser

    sentences = split_sentences("x", text)
    texts = [s.text for s in sentences]
    inside = quote_openings(texts)
    found = []
    for i, doc in enumerate(parser().pipe(texts, batch_size=64)):
        sentence = sentences[i]
        for said in attributions(doc, inside[i]):
            start, end = said.source
            first, last = content_sentences(texts, i, said)
            content = Span(sentences[first].start, sentences[last].end, "")
            found.append(Attribution(Span(sentence.start + start, sentence.start + end, sentence.text[start:end]),
                                     [content], bool(_QUOTE.search(text[content.start:content.end]))))
    return found


def predict(text: str) -> list[Attribution]:
    found = []
    for sentence in split_sentences("x", text):
        name = pattern_speaker(sentence.text, pronouns=True)
        if not name:
            continue
        at = sentence.text.find(name)
        start = sentence.start + max(at, 0)
        found.append(Attribution(Span(start, start + len(name), name), [Span(sentence.start, sentence.end, sentence.text)],
                                 bool(_QUOTE.search(sentence.text))))
    return found


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", text.lower()).split())


def matches(p: Attribution, g: Attribution, exact: bool) -> bool:
    if not any(pc.overlaps(gc) for pc in p.contents for gc in g.contents):
        return False
    return _norm(p.source.text) == _norm(g.source.text) if exact else p.source.overlaps(g.source)


def main() -> None:
    if not POLNEAR.exists():
        sys.exit(f"{POLNEAR} not found")
    print("patterns (the fallback when spaCy is missing):")
    score(predict)
    try:
        from newsbrief.nlp import parser

        parser()
    except Exception as exc:  # noqa: BLE001 - report why the parsed run is skipped
        print(f"spaCy dependency parse: skipped ({exc})")
        return
    print("spaCy dependency parse (the default; newsbrief.analysis.speech):")
    score(predict_parsed)


def _tally(counts, mode: str, items: list[Attribution], found, column: int) -> None:  # type: ignore[no-untyped-def]
    """Add hits and totals of ``items`` (predictions: column 0, gold: column 2) by quote kind."""
    for item in items:
        hit = found(item)
        for key in ((mode, "direct" if item.direct else "reported"), (mode, "all")):
            counts[key][column] += hit
            counts[key][column + 1] += 1


def score(predictor) -> None:  # type: ignore[no-untyped-def]
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # tp_pred, pred, tp_gold, gold
    articles = 0
    for split in ("dev", "test"):
        for text_path in sorted((POLNEAR / split / "text").glob("*.txt")):
            annotations = sorted((POLNEAR / split / "attributions").glob(text_path.stem + "_*.ann"))
            if not annotations:
                continue
            ann = annotations[0]  # one annotator's file per article
            articles += 1
            text = text_path.read_text("utf-8")
            gold, pred = read_gold(ann), predictor(text)
            for mode in ("overlap", "exact"):
                exact = mode == "exact"
                _tally(counts, mode, pred, lambda p: any(matches(p, g, exact) for g in gold), column=0)
                _tally(counts, mode, gold, lambda g: any(matches(p, g, exact) for p in pred), column=2)
    print(f"PolNeAR dev+test: {articles} articles, {counts[('exact', 'all')][3]} gold attributions, "
          f"{counts[('exact', 'all')][1]} predicted")
    print(f"{'match':<8} {'kind':<9} {'P':>6} {'R':>6} {'F1':>6}")
    for mode in ("overlap", "exact"):
        for kind in ("all", "direct", "reported"):
            tp_pred, pred, tp_gold, gold = counts[(mode, kind)]
            p = tp_pred / pred if pred else 0.0
            r = tp_gold / gold if gold else 0.0
            f1 = 2 * p * r / (p + r) if p + r else 0.0
            print(f"{mode:<8} {kind:<9} {p:6.3f} {r:6.3f} {f1:6.3f}")


if __name__ == "__main__":
    main()
