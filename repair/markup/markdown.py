"""Which parts of a Markdown file are prose, found with markdown-it-py's CommonMark parser.

markdown-it gives block tokens with line maps and, for each paragraph, heading or table
cell, an ``inline`` token whose content is the source with container markers (``>``, list
indentation) stripped.  We find each content line in its source line, then walk the inline
children with a cursor to locate what is not prose: code spans, link targets, autolinks,
images and raw HTML.  Everything outside the prose that remains is protected, so front
matter, code blocks, HTML blocks and link reference definitions need no rule of their own.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

FRONT_MATTER_RE = re.compile(
    r"\A(?:---|\+\+\+)[ \t]*\n(?:.*\n)*?(?:---|\.\.\.|\+\+\+)[ \t]*(?:\n|\Z)"
)


@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": True}).enable("table")
    # Keep escapes and entities as separate tokens whose markup is the source text.
    md.disable("text_join")
    return md


def front_matter(text: str) -> tuple[int, int] | None:
    """The span of a YAML/TOML front matter block at the very start, if any."""
    m = FRONT_MATTER_RE.match(text)
    return (0, m.end()) if m else None


def prose_spans(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(prose spans, code spans) of a Markdown text, as char offsets into ``text``.

    Code spans (fenced, indented and inline code) are returned separately so that ignore
    comments written inside code are not honoured.
    """
    fm = front_matter(text)
    source = text
    if fm:  # blank the front matter so line numbers stay put
        source = "\n" * text.count("\n", 0, fm[1]) + text[fm[1] :]
    line_starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            line_starts.append(i + 1)
    line_starts.append(len(text) + 1)
    prose: list[tuple[int, int]] = []
    code: list[tuple[int, int]] = []
    map_ = None
    for tok in _parser().parse(source):
        if tok.map is not None:
            map_ = tok.map
        if tok.type in ("fence", "code_block") and tok.map:
            a, b = tok.map
            code.append((line_starts[a], min(line_starts[b] - 1, len(text))))
        if tok.type != "inline" or map_ is None:
            continue
        segments = _locate_lines(text, tok.content, line_starts, map_)
        if segments is None:
            continue
        holes = _inline_holes(tok, segments, code)
        prose.extend(_subtract(_segment_spans(text, segments), holes))
    return prose, code


def _locate_lines(
    text: str, content: str, line_starts: list[int], line_map: list[int]
) -> list[tuple[int, int, int]] | None:
    """[(content_offset, source_offset, length)] for each line of ``content``, or None."""
    a, b = line_map
    lo, hi = line_starts[a], min(line_starts[b] - 1, len(text))
    cursor = lo
    out = []
    c_off = 0
    for line in content.split("\n"):
        stripped = line.lstrip(" \t")
        lead = len(line) - len(stripped)
        pos = text.find(line, cursor, hi) if line else cursor
        if pos < 0:
            pos = text.find(stripped, cursor, hi)
            if pos < 0:
                return None
            out.append((c_off + lead, pos, len(stripped)))
        else:
            out.append((c_off, pos, len(line)))
        cursor = out[-1][1] + out[-1][2]
        c_off += len(line) + 1
    return out


def _segment_spans(text: str, segments: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Join consecutive content lines into prose spans when only whitespace lies between."""
    spans: list[tuple[int, int]] = []
    for _, s, n in segments:
        if spans and s >= spans[-1][1] and text[spans[-1][1] : s].isspace():
            spans[-1] = (spans[-1][0], s + n)
        else:
            spans.append((s, s + n))
    return spans


def _to_source(segments: list[tuple[int, int, int]], c: int) -> int:
    """Map an offset in inline content to the source text."""
    best = segments[0]
    for seg in segments:
        if seg[0] <= c:
            best = seg
        else:
            break
    c0, s0, n = best
    return s0 + max(0, min(c - c0, n))


def _inline_holes(
    tok: Any, segments: list[tuple[int, int, int]], code: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Source spans inside an inline token that are not prose."""
    content: str = tok.content
    holes: list[tuple[int, int]] = []
    cur = 0
    children = tok.children or []
    i = 0

    def hole(a: int, b: int, *, is_code: bool = False) -> None:
        span = (_to_source(segments, a), _to_source(segments, b))
        holes.append(span)
        if is_code:
            code.append(span)

    while i < len(children):
        c = children[i]
        t = c.type
        if t == "text":
            if content.startswith(c.content, cur):
                cur += len(c.content)
        elif t == "text_special":
            if content.startswith(c.markup, cur):
                if c.info == "entity":  # keep "&amp;" whole
                    hole(cur, cur + len(c.markup))
                cur += len(c.markup)
        elif t in ("softbreak", "hardbreak"):
            nl = content.find("\n", cur)
            if nl >= 0:
                cur = nl + 1
                while cur < len(content) and content[cur] in " \t":
                    cur += 1
        elif t == "code_inline":
            start = _find_run(content, c.markup, cur)
            if start >= 0:
                end = _find_run(content, c.markup, start + len(c.markup))
                end = len(content) if end < 0 else end + len(c.markup)
                hole(start, end, is_code=True)
                cur = end
        elif t == "html_inline":
            start = content.find(c.content, cur)
            if start >= 0:
                hole(start, start + len(c.content))
                cur = start + len(c.content)
        elif t == "link_open" and c.markup in ("autolink", "linkify"):
            start = content.find("<", cur) if c.markup == "autolink" else cur
            j = i + 1
            while j < len(children) and children[j].type != "link_close":
                j += 1
            if start >= 0:
                end = content.find(">", start) + 1 if c.markup == "autolink" else -1
                if end <= 0:
                    text_len = sum(len(x.content) for x in children[i + 1 : j])
                    end = start + text_len
                hole(start, end)
                cur = end
            i = j
        elif t == "link_open":
            start = content.find("[", cur)
            if start >= 0:
                hole(start, start + 1)
                cur = start + 1
        elif t == "link_close":
            start = content.find("]", cur)
            if start >= 0:
                end = _link_tail(content, start + 1)
                hole(start, end)
                cur = end
        elif t == "image":
            start = content.find("![", cur)
            if start >= 0:
                close = _matching_bracket(content, start + 1)
                end = _link_tail(content, close + 1) if close >= 0 else len(content)
                hole(start, end)
                cur = end
        elif c.markup and t.endswith(("_open", "_close")):
            if content.startswith(c.markup, cur):
                cur += len(c.markup)
            else:
                pos = content.find(c.markup, cur)
                if pos >= 0:
                    cur = pos + len(c.markup)
        i += 1
    return holes


def _find_run(s: str, run: str, start: int) -> int:
    """Position of a backtick run of exactly ``run``'s length at or after ``start``."""
    ch = run[0]
    pos = s.find(run, start)
    while pos >= 0:
        before_ok = pos == 0 or s[pos - 1] != ch or pos == start
        after_ok = pos + len(run) >= len(s) or s[pos + len(run)] != ch
        if before_ok and after_ok:
            return pos
        nxt = pos + 1
        while nxt < len(s) and s[nxt] == ch:
            nxt += 1
        pos = s.find(run, nxt)
    return -1


def _matching_bracket(s: str, open_pos: int) -> int:
    """Index of the ``]`` closing the ``[`` at ``open_pos`` (backslash escapes skipped)."""
    depth = 0
    i = open_pos
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


def _link_tail(s: str, pos: int) -> int:
    """End of a link's destination part starting at ``pos``: ``(url "title")`` or ``[ref]``."""
    if pos < len(s) and s[pos] == "(":
        depth = 0
        quote = ""
        i = pos
        while i < len(s):
            ch = s[i]
            if ch == "\\":
                i += 2
                continue
            if quote:
                if ch == quote:
                    quote = ""
            elif ch in "\"'" and i > pos and s[i - 1] in " \t\n":
                quote = ch
            elif ch == "<" and i == pos + 1:
                close = s.find(">", i)
                i = close if close >= 0 else i
            elif ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1
        return len(s)
    if pos < len(s) and s[pos] == "[":
        close = s.find("]", pos)
        return close + 1 if close >= 0 else len(s)
    return pos


def _subtract(spans: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` minus ``holes`` (both lists of half-open intervals)."""
    if not holes:
        return spans
    holes = sorted(holes)
    out = []
    for a, b in spans:
        pos = a
        for h0, h1 in holes:
            if h1 <= pos or h0 >= b:
                continue
            if h0 > pos:
                out.append((pos, h0))
            pos = max(pos, h1)
        if pos < b:
            out.append((pos, b))
    return out
