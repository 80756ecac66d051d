"""Extraction in a process pool gives the same articles, in the same order, as in-process."""

from __future__ import annotations

from newsbrief.errors import InputError
from newsbrief.executor import extract_all
from newsbrief.records import RawDocument


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
