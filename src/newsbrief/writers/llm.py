"""The LLM writer: an abstractive brief through any OpenAI-compatible endpoint, kept honest by the
same grounding check as the extractive writer.

The extractive writer runs first: its analysis (figures, quotes, disagreements, timeline, sources)
is shared, and its brief is the fallback. Every sentence the model writes must cite numbered
source sentences and pass the grounding check; those that fail are dropped and counted. When the
endpoint fails, times out, answers with something that is not the brief, or too little survives
the check, the extractive brief is returned and says why (``fallback``). For a story of several
events the model is asked for one section per event, and its sections are put under the events'
own headings, in time order.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import jsonschema

from ..analysis.attribution import speaker
from ..errors import NoArticlesError
from ..records import Article, Brief, Cited, Implication, Section
from ..settings import Config
from .endpoint import ChatEndpoint, EndpointError
from .extractive import ExtractiveWriter, evidence_for, originals_of
from .grounding import ground, problem
from .llm_prompt import ANSWER_SHAPE, SCHEMA, Prompt, build_prompt
from .scoring import dates_named, score_candidates

MIN_KEPT = 3  # sentences (lede included) that must pass the check for the model's brief to be used
MIN_KEPT_SHARE = 0.5


class LLMWriter:
    name = "llm"

    def __init__(self, config: Config, max_words: int | None = None, endpoint: ChatEndpoint | None = None) -> None:
        self.config = config
        self.max_words = max_words or config.max_words
        self.endpoint = endpoint or ChatEndpoint(config)
        self.extractive = ExtractiveWriter(max_words=self.max_words)

    def write(self, articles: list[Article], story_id: str | None = None) -> Brief:
        originals = originals_of(articles)
        pool = score_candidates(originals)
        if not pool:
            raise NoArticlesError("no sentences to write from")
        fallback = self.extractive.write_scored(articles, pool, story_id)
        prompt = build_prompt(pool, fallback, self.max_words, originals)
        try:
            answer, model = self.endpoint.ask(prompt.messages, SCHEMA)
            jsonschema.validate(answer, ANSWER_SHAPE)
        except EndpointError as exc:
            return _fell_back(fallback, str(exc))
        except jsonschema.ValidationError as exc:
            return _fell_back(fallback, f"the model's answer is not a brief ({exc.message[:120]})")
        brief = self._assemble(answer, prompt, fallback, articles)
        brief.model = model
        checked, reasons = len(brief.cited_passages()), []
        ground(brief, reasons)
        kept = len(brief.cited_passages()) - (0 if brief.lede.text else 1)
        brief.grounding = {"checked": checked, "dropped": checked - kept, "reasons": reasons}
        if prompt.held_back:
            brief.grounding["reasons"].append(
                f"{len(prompt.held_back)} source sentences held back: they read like instructions to a model")
        if not brief.lede.text or kept < max(MIN_KEPT, MIN_KEPT_SHARE * checked):
            return _fell_back(fallback, f"only {kept} of {checked} sentences from {model} passed the grounding check",
                              brief.grounding)
        return brief

    def _assemble(self, answer: dict[str, Any], prompt: Prompt, analysis: Brief, articles: list[Article]) -> Brief:
        by_id = {a.id: a for a in articles}
        sentences = {s.ref: s.text for a in articles for s in a.sentences}

        def refs(numbers: list[int]) -> list[str]:
            return list(dict.fromkeys(prompt.refs[n] for n in numbers if n in prompt.refs))

        def cited(item: dict[str, Any]) -> Cited:
            citations = refs(item["sources"])
            article = by_id.get(citations[0].split(":")[0]) if citations else None
            text = " ".join(str(item["text"]).split())
            return Cited(text, citations, dates_named(text, article) if article else [])

        implications = []
        for item in answer["implications"][:4]:
            c = cited(item)
            inferred = bool(item.get("inferred"))
            said_by = None if inferred or not c.citations else speaker(sentences.get(c.citations[0], ""))
            implications.append(Implication(c.text, c.citations, said_by, "inferred" if inferred else "sourced", c.dates))
        sections = [Section(" ".join(str(s["heading"]).split())[:80] or "Details", [cited(x) for x in s["sentences"] if str(x["text"]).strip()])
                    for s in answer["sections"][:6]]
        if len(analysis.events) > 1:
            sections = by_event(sections, analysis.events)
        brief = Brief(
            story_id=analysis.story_id, headline=analysis.headline, headline_source=analysis.headline_source,
            lede=cited(answer["lede"]), generated_at=analysis.generated_at, writer=self.name,
            implications=[i for i in implications if i.text],
            sections=[s for s in sections if s.sentences],
            figures=analysis.figures, quotes=analysis.quotes, statements=analysis.statements,
            entities=analysis.entities, disagreements=analysis.disagreements,
            timeline=analysis.timeline, events=analysis.events, sources=analysis.sources, recognised=analysis.recognised,
        )
        brief.evidence = evidence_for(brief, articles)
        headline = " ".join(str(answer["headline"]).split())
        all_cited = list(prompt.refs.values())
        if headline and problem(headline, all_cited, sentences) is None:
            brief.headline, brief.headline_source = headline, None
        return brief


def by_event(sections: list[Section], events: list[dict[str, Any]]) -> list[Section]:
    """The model's sections of a story of several events, each given to the event most of its
    citations come from, headed by that event's heading and put in the events' (time) order;
    two sections of one event become one."""
    event_of = {source: e["id"] for e in events for source in e.get("sources", [])}
    found: dict[str, Section] = {}
    for section in sections:
        votes = Counter(event_of.get(ref.split(":")[0]) for s in section.sentences for ref in s.citations[:1])
        votes.pop(None, None)
        if not votes:
            continue
        event = votes.most_common(1)[0][0]
        if event in found:
            found[event].sentences += section.sentences
        else:
            found[event] = Section(section.heading, section.sentences, event)
    headings = {e["id"]: e["heading"] for e in events}
    return [Section(headings[e["id"]], found[e["id"]].sentences, e["id"]) for e in events if e["id"] in found]


def _fell_back(brief: Brief, reason: str, grounding: dict[str, Any] | None = None) -> Brief:
    brief.fallback = f"the llm writer was not used: {reason}"
    if grounding:
        brief.grounding = grounding
    return brief


def make_writer(config: Config, max_words: int | None = None) -> ExtractiveWriter | LLMWriter:
    """The writer the settings ask for (``writer``: extractive or llm)."""
    if config.writer == "llm":
        return LLMWriter(config, max_words)
    if config.writer != "extractive":
        from ..errors import NewsbriefError

        raise NewsbriefError(f"unknown writer {config.writer!r}; use extractive or llm")
    return ExtractiveWriter(max_words=max_words or config.max_words)
