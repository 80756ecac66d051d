"""Publication dates: parsed, made timezone-aware (naive times are taken as UTC)."""

from __future__ import annotations

from datetime import datetime, timezone

import dateparser
from dateutil import parser as dateutil_parser

from .errors import InputError


def aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def parse_datetime(value: object, where: str) -> datetime:
    """Parse a publication date given as ISO 8601, RFC 2822, a Unix time or plain English."""
    if isinstance(value, datetime):
        return aware(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, tz=timezone.utc)
    if isinstance(value, str) and value.strip():
        text = value.strip()
        try:
            return aware(datetime.fromisoformat(text.replace("Z", "+00:00")))
        except ValueError:
            pass
        try:
            return aware(dateutil_parser.parse(text))
        except (ValueError, OverflowError):
            pass
        parsed = dateparser.parse(text, settings={"RETURN_AS_TIMEZONE_AWARE": True, "TO_TIMEZONE": "UTC"})
        if parsed:
            return aware(parsed)
    raise InputError(where, f"cannot read the date {value!r}; use ISO 8601, e.g. 2026-11-09T14:30:00Z")
