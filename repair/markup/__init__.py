"""Markup awareness: which parts of a file are prose, and which the writer asked us to skip.

``protected_spans(text, markup)`` returns spans that no stage may touch:

* ``markup``: everything in a Markdown or HTML file that is not prose (code, link targets,
  tags, attributes, scripts, styles, comments, front matter), found with a real parser;
* ``ignored``: regions the writer excluded with ``<!-- repair: ignore-next-line -->``,
  ``<!-- repair: ignore-start -->`` … ``<!-- repair: ignore-end -->``, or a line that ends
  in ``repair: ignore``.

Ignore comments inside code are not honoured: they are code, not instructions.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from repair.document import Span

MARKUPS = ("text", "markdown", "html")
_EXT = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".mdx": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
_IGNORE_LINE = re.compile(r"^.*repair:\s*ignore[ \t]*(?:-->)?[ \t]*$", re.MULTILINE)
_DIRECTIVE = re.compile(r"<!--\s*repair:\s*(ignore-next-line|ignore-start|ignore-end)\s*-->")
_warned: set[str] = set()


def detect_markup(path: str, forced: str | None = None) -> str:
    """The file type: ``forced`` when given, else from the extension (default plain text)."""
    if forced:
        return forced
    return _EXT.get(Path(path).suffix.lower(), "text")


def prose_and_code(
    text: str, markup: str
) -> tuple[list[tuple[int, int]] | None, list[tuple[int, int]]]:
    """(prose spans or None for all-prose, code spans) of ``text`` read as ``markup``."""
    if markup == "markdown":
        try:
            from repair.markup import markdown
        except ImportError:  # pragma: no cover - markdown-it-py is a core dependency
            _warn("markdown-it-py is not installed; reading Markdown as plain text")
            return None, []
        try:
            return markdown.prose_spans(text)
        except ImportError:
            _warn("markdown-it-py is not installed; reading Markdown as plain text")
            return None, []
    if markup == "html":
        from repair.markup import html

        return html.prose_spans(text)
    return None, []


def protected_spans(text: str, markup: str = "text") -> list[Span]:
    """Spans of ``text`` that no stage may touch, labelled ``markup`` or ``ignored``."""
    prose, code = prose_and_code(text, markup)
    spans: list[Span] = []
    if prose is not None:
        spans += [Span(a, b, "markup") for a, b in _gaps(prose, len(text))]
    spans += [Span(a, b, "ignored") for a, b in ignored_regions(text, code)]
    spans.sort(key=lambda s: (s.start, s.end))
    return spans


def ignored_regions(text: str, code: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Regions excluded by ignore comments (outside ``code``) and ``repair: ignore`` lines."""
    out = [m.span() for m in _IGNORE_LINE.finditer(text) if not _inside(m.start(), code)]
    open_at: int | None = None
    for m in _DIRECTIVE.finditer(text):
        if _inside(m.start(), code):
            continue
        what = m.group(1)
        if what == "ignore-next-line":
            out.append(_next_line(text, m.end()))
        elif what == "ignore-start":
            if open_at is None:
                open_at = m.start()
        elif open_at is not None:
            out.append((open_at, m.end()))
            open_at = None
    if open_at is not None:  # an unclosed ignore-start runs to the end of the file
        out.append((open_at, len(text)))
    return sorted(out)


def _next_line(text: str, pos: int) -> tuple[int, int]:
    """The first non-blank line after the line holding ``pos``."""
    nl = text.find("\n", pos)
    while nl >= 0:
        start = nl + 1
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if text[start:end].strip():
            return start, end
        nl = end if end < len(text) else -1
    return len(text), len(text)


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in spans)


def _gaps(spans: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """The complement of ``spans`` in ``0..length``."""
    out = []
    pos = 0
    for a, b in sorted(spans):
        if a > pos:
            out.append((pos, a))
        pos = max(pos, b)
    if pos < length:
        out.append((pos, length))
    return out


def overlaps_any(
    start: int, end: int, spans: Sequence[Span], starts: Sequence[int] | None = None
) -> bool:
    """Does ``start..end`` overlap one of ``spans`` (sorted; zero width: strictly inside)?"""
    starts = starts if starts is not None else [s.start for s in spans]
    i = bisect.bisect_left(starts, end if end > start else start + 1)
    for s in spans[:i]:
        if start == end:
            if s.start < start < s.end:
                return True
        elif s.start < end and start < s.end:
            return True
    return False


def _warn(message: str) -> None:
    if message not in _warned:
        _warned.add(message)
        print(f"repair: warning: {message}", file=sys.stderr)
