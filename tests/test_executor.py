"""Extraction and brief writing in a process pool give the same results, in the same order, as in-process."""

from __future__ import annotations

from newsbrief.errors import InputError
from newsbrief.executor import WorkerPool, extract_all
from newsbrief.ingest import ingest
from newsbrief.pipeline import refresh_briefs
from newsbrief.records import RawDocument
from newsbrief.settings import Config
from newsbrief.store.sqlite import SQLiteStore

from .generated import write_articles


def _documents(count: int) -> list[RawDocument]:
    docs = []
    for n in range(count):
        text = (f"Report {n}: the council of the invented town of Velmor met on Tuesday to discuss harbour "
                f"repairs costing {n + 10} million dollars. Members said the work would take {n + 2} years.")
        if n % 7 == 3:
            text = "Too short."
        docs.append(RawDocument(origin=f"doc{n}", url=f"https://velmor.example/{n}", text=text, title=f"Report {n}"))
    return docs


def test_pool_and_in_process_agree_and_keep_order() -> None:
    docs = _documents(40)
    pooled = list(extract_all(docs, workers=2))
    local = list(extract_all(docs, workers=1))
    assert len(pooled) == len(local) == 40
    for n, (a, b) in enumerate(zip(pooled, local)):
        if n % 7 == 3:
            assert isinstance(a, InputError) and isinstance(b, InputError)
            assert (a.source, a.reason) == (b.source, b.reason) == (f"doc{n}", "not an article: only 2 words of text")
        else:
            assert not isinstance(a, InputError)
            assert a.url == b.url == f"https://velmor.example/{n}"
            assert [s.text for s in a.sentences] == [s.text for s in b.sentences]



def test_briefs_written_on_workers_equal_those_written_in_process(tmp_path) -> None:  # type: ignore[no-untyped-def]
    source = tmp_path / "reports.jsonl"
    write_articles(source, 40)
    briefs = {}
    for workers in (1, 2):
        config = Config.load(workers=workers)
        pool = WorkerPool(workers)  # extraction and brief writing on the same workers, as `ingest` does
        try:
            with SQLiteStore(tmp_path / f"w{workers}.db") as store:
                summary = ingest([str(source)], store, config, pool=pool)
                written = refresh_briefs(store, summary.changed_stories, workers=workers, pool=pool)
        finally:
            pool.close()
        briefs[workers] = [(b.story_id, b.headline, b.lede.text, [s.heading for s in b.sections], b.figures,
                            b.quotes, b.entities) for b in written]
    assert len(briefs[1]) >= 8  # enough stories for the pool to be used
    assert briefs[1] == briefs[2]
