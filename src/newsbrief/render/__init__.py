"""Briefs rendered as text, Markdown, JSON or a standalone HTML page; all from the Brief record."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import Any

import jsonschema

from ..errors import NewsbriefError, SchemaError
from ..records import Brief
from .html import render_html
from .markdown import render_markdown
from .text import render_text


@lru_cache(maxsize=1)
def brief_schema() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("brief.schema.json").read_text("utf-8"))  # type: ignore[no-any-return]


def validate(data: dict[str, Any]) -> None:
    """Raise SchemaError if ``data`` (a brief as JSON) does not match brief.schema.json."""
    try:
        jsonschema.validate(data, brief_schema())
    except jsonschema.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top)"
        raise SchemaError(f"brief does not match brief.schema.json at {where}: {exc.message}") from None


def render_json(brief: Brief) -> str:
    data = brief.as_dict()
    validate(data)
    return json.dumps(data, ensure_ascii=False, indent=2)


FORMATS: dict[str, Callable[[Brief], str]] = {
    "text": render_text,
    "md": render_markdown,
    "json": render_json,
    "html": render_html,
}


def render(brief: Brief, fmt: str = "text") -> str:
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise NewsbriefError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}") from None
    return renderer(brief)
