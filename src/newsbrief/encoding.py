"""Turning bytes into text without losing it: declared charset first, then UTF-8, then a guess."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding=["']([\w.:-]+)""", re.I)


def declared_charset(data: bytes, content_type: str | None = None) -> str | None:
    """The charset named by the Content-Type header, an XML declaration or an HTML meta tag."""
    if content_type:
        match = re.search(r"charset=[\"']?([\w.:-]+)", content_type, re.I)
        if match:
            return _known(match.group(1))
    head = data[:4096]
    for pattern in (_XML_ENCODING, _META_CHARSET):
        match = pattern.search(head)
        if match:
            return _known(match.group(1).decode("ascii", "replace"))
    return None


def _known(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode(data: bytes, content_type: str | None = None) -> tuple[str, str | None]:
    """Decode ``data``; returns the text and a warning when bytes had to be replaced or guessed."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        charset: str | None = "utf-8"
    else:
        charset = declared_charset(data, content_type)
    if charset:
        try:
            return data.decode(charset), None
        except UnicodeDecodeError as exc:
            return data.decode(charset, errors="replace"), (
                f"invalid {charset} at byte {exc.start}; undecodable bytes replaced with U+FFFD"
            )
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    guess = from_bytes(data).best()
    if guess is not None and guess.encoding not in {"utf_8", "ascii"}:
        return str(guess), f"not valid UTF-8 (byte {first_bad}) and no charset declared; read as {guess.encoding}"
    return data.decode("utf-8", errors="replace"), (
        f"invalid UTF-8 at byte {first_bad}; undecodable bytes replaced with U+FFFD"
    )
