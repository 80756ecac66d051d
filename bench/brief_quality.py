"""Brief quality on the Multi-News sample: ROUGE of a 260-word brief against the human summary.

For each of the 250 clusters in ../shared/data/multinews-sample, newsbrief writes a brief from the
cluster's documents; its sentences in reading order are cut at 260 words and scored with
rouge-score (stemmed) against the reference summary. Baselines computed in the same run, with the
same sentence splitter: First-3 (the first three sentences of each document), lead round-robin (first sentences of
each document in turn) and a TF-IDF centroid ranking.

    python bench/brief_quality.py [--limit N] [--writer llm]

With ``--writer llm`` the llm writer also writes each brief through the endpoint configured in
NEWSBRIEF_LLM_BASE_URL / NEWSBRIEF_LLM_MODEL; its ROUGE is printed beside the extractive writer's,
with how many briefs it wrote (the rest fell back) and the share of its sentences the grounding
check dropped.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from multinews import articles_of, clusters
from rouge_score import rouge_scorer

from newsbrief.sentences import split_sentences
from newsbrief.records import Article, Brief
from newsbrief.textvec import centroid, cosine, idf_weights, tfidf, tokens
from newsbrief.settings import Config
from newsbrief.writers.extractive import ExtractiveWriter
from newsbrief.writers.llm import LLMWriter

WORDS = 260


def cut(sentences: list[str], words: int = WORDS) -> list[str]:
    out, used = [], 0
    for sentence in sentences:
        if used >= words:
            break
        tokens_ = sentence.split()
        out.append(" ".join(tokens_[: words - used]))
        used += len(tokens_)
    return out


def first3(articles: list[Article]) -> list[str]:
    """The first three sentences of each document."""
    return [s.text for a in articles for s in a.sentences[:3]]


def lead_round_robin(articles: list[Article]) -> list[str]:
    out = []
    for i in range(max(len(a.sentences) for a in articles)):
        out += [a.sentences[i].text for a in articles if i < len(a.sentences)]
    return out


def tfidf_centroid(articles: list[Article]) -> list[str]:
    sentences = [s.text for a in articles for s in a.sentences]
    toks = [tokens(s) for s in sentences]
    idf = idf_weights(toks)
    vectors = [tfidf(t, idf) for t in toks]
    middle = centroid(vectors)
    return [s for _, s in sorted(zip(vectors, sentences), key=lambda p: -cosine(p[0], middle))]


def brief_sentences(brief: Brief, with_implications: bool) -> list[str]:
    passages = brief.cited_passages()
    if not with_implications:
        passages = passages[len(brief.implications):]
    return [p.text for p in passages]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="score only the first N clusters")
    parser.add_argument("--writer", choices=["extractive", "llm"], default="extractive",
                        help="llm: also score the llm writer through the configured endpoint")
    args = parser.parse_args()
    llm = LLMWriter(Config.load(writer="llm"), max_words=WORDS) if args.writer == "llm" else None
    llm_stats = {"briefs": 0, "used": 0, "checked": 0, "dropped": 0, "seconds": 0.0, "fallbacks": {}}
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    writer = ExtractiveWriter(max_words=WORDS)
    systems: dict[str, Callable[[list[Article]], list[str]]] = {
        "First-3": first3,
        "Lead round-robin": lead_round_robin,
        "TF-IDF centroid": tfidf_centroid,
    }
    scores: dict[str, list[tuple[float, float, float]]] = {}
    lengths: dict[str, list[int]] = {}
    brief_seconds: list[float] = []
    for cluster in clusters():
        if args.limit is not None and cluster.number >= args.limit:
            break
        articles = articles_of(cluster)
        reference = "\n".join(s.text for s in split_sentences("ref", cluster.summary))  # for R-Lsum
        started = time.perf_counter()
        brief = writer.write(articles)
        brief_seconds.append(time.perf_counter() - started)
        outputs = {name: system(articles) for name, system in systems.items()}
        outputs["newsbrief (as rendered)"] = brief_sentences(brief, with_implications=True)
        outputs["newsbrief (lede+sections)"] = brief_sentences(brief, with_implications=False)
        if llm is not None:
            started = time.perf_counter()
            written = llm.write(articles)
            llm_stats["seconds"] += time.perf_counter() - started
            llm_stats["briefs"] += 1
            llm_stats["checked"] += written.grounding.get("checked", 0)
            llm_stats["dropped"] += written.grounding.get("dropped", 0)
            if written.fallback is None:
                llm_stats["used"] += 1
            else:
                reason = written.fallback.split(": ", 1)[-1].split(" (")[0]
                reason = "too little passed the grounding check" if "grounding check" in reason else reason[:70]
                llm_stats["fallbacks"][reason] = llm_stats["fallbacks"].get(reason, 0) + 1
            outputs["llm writer (as rendered)"] = brief_sentences(written, with_implications=True)
        for name, sentences in outputs.items():
            summary = cut(sentences)
            result = scorer.score(reference, "\n".join(summary))
            scores.setdefault(name, []).append(
                (result["rouge1"].fmeasure, result["rouge2"].fmeasure, result["rougeLsum"].fmeasure)
            )
            lengths.setdefault(name, []).append(sum(len(s.split()) for s in summary))
    n = len(brief_seconds)
    print(f"Multi-News sample, {n} clusters, briefs cut at {WORDS} words; ROUGE F1 x 100 (rouge-score, stemmed)")
    print(f"{'system':<28} {'R-1':>6} {'R-2':>6} {'R-Lsum':>7} {'words':>6}")
    for name, rows in scores.items():
        r1, r2, rl = (100 * statistics.mean(col) for col in zip(*rows))
        print(f"{name:<28} {r1:6.1f} {r2:6.1f} {rl:7.1f} {statistics.mean(lengths[name]):6.0f}")
    print(f"writer time per brief: median {1000 * statistics.median(brief_seconds):.0f} ms, "
          f"max {1000 * max(brief_seconds):.0f} ms")
    if llm is not None:
        checked = llm_stats["checked"] or 1
        print(f"llm writer ({llm.config.llm_model or 'default model'} at {llm.config.llm_base_url}): "
              f"{llm_stats['used']} of {llm_stats['briefs']} briefs written by the model (the rest fell back "
              f"to the extractive brief); {llm_stats['dropped']} of {llm_stats['checked']} model sentences "
              f"({100 * llm_stats['dropped'] / checked:.0f}%) dropped by the grounding check; "
              f"{llm_stats['seconds'] / max(1, llm_stats['briefs']):.1f} s per brief")
        for reason, count in sorted(llm_stats["fallbacks"].items(), key=lambda kv: -kv[1]):
            print(f"  fell back {count}x: {reason}")


if __name__ == "__main__":
    main()
