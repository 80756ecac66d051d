"""Like httpx: the public API is listed in __all__, and the list is complete."""

from __future__ import annotations

import newsbrief


def test_all_names_exist_and_public_names_are_listed() -> None:
    for name in newsbrief.__all__:
        assert hasattr(newsbrief, name), name
    public = {n for n, v in vars(newsbrief).items() if not n.startswith("_") and not isinstance(v, type(newsbrief))}
    assert public <= set(newsbrief.__all__)


def test_brief_json_round_trip() -> None:
    from .conftest import EXAMPLES

    brief, _ = newsbrief.brief_from_inputs([str(EXAMPLES)])
    again = newsbrief.Brief.from_dict(brief.as_dict())
    assert again == brief
