"""Markup awareness: which parts of a file are prose.

``protected_spans(text, markup)`` returns spans (label ``markup`` or ``ignored``) that no
stage may touch: code, link targets, tags, and regions the writer asked us to ignore.
"""

from __future__ import annotations

import re
from pathlib import Path

from repair.document import Span

MARKUPS = ("text", "markdown", "html")
_EXT = {".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".html": "html", ".htm": "html"}
_IGNORE_LINE = re.compile(r"^.*repair:\s*ignore\s*$", re.MULTILINE)


def detect_markup(path: str, forced: str | None = None) -> str:
    if forced:
        return forced
    return _EXT.get(Path(path).suffix.lower(), "text")


def protected_spans(text: str, markup: str = "text") -> list[Span]:
    spans = [Span(m.start(), m.end(), "ignored") for m in _IGNORE_LINE.finditer(text)]
    return spans
