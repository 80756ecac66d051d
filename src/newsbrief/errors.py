"""Errors newsbrief raises, each with a message that says what went wrong and what to do.

    NewsbriefError
    ├── InputError        an input (file, URL, feed, JSONL line) could not be read or used
    │   ├── FetchError    an HTTP fetch failed (status, timeout, size, content type)
    │   │   └── AddressRefused  the host resolves to a private/loopback address
    │   └── ExtractionError     no article text could be found in a page
    ├── NoArticlesError   nothing usable was left to write a brief from
    └── SchemaError       a brief does not match brief.schema.json
"""

from __future__ import annotations


class NewsbriefError(Exception):
    """Base class of every error newsbrief raises on purpose."""


class InputError(NewsbriefError):
    """An input could not be used. ``source`` names the input (path, URL, or path:line)."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


class FetchError(InputError):
    """An HTTP fetch failed. ``status`` is the HTTP status when there was one; ``retry_after`` the
    seconds the server asked us to wait (Retry-After on 429/503), when it said."""

    def __init__(self, source: str, reason: str, status: int | None = None,
                 retry_after: float | None = None) -> None:
        super().__init__(source, reason)
        self.status = status
        self.retry_after = retry_after


class AddressRefused(FetchError):
    """The URL's host resolves to an address newsbrief does not fetch from by default."""


class ExtractionError(InputError):
    """A page was fetched but holds no article text."""


class NoArticlesError(NewsbriefError):
    """Every input failed or was empty, so there is nothing to write about."""


class SchemaError(NewsbriefError):
    """A brief failed validation against brief.schema.json (a bug in a writer)."""
