"""Spacing: "£ 1.6bn" → "£1.6bn", "word ," → "word,", "two  spaces" → "two spaces".

Every fix only removes whitespace, so the digits of an amount never change.  Left alone:
ellipses (" ..."), emoticons (" :)"), decimals (" .5"), file names and domains (" .com"),
leading indentation, aligned columns, and two spaces after a full stop (a style choice).
"""

from __future__ import annotations

import re

from repair.document import Document
from repair.edits import Edit
from repair.pipeline import Context, StageOutput, register

# A currency symbol, spaces, then digits: "£ 30m".
CURRENCY_RE = re.compile(r"(?<![^\s(\[“\"'‘/])([£$€¥₹])([ \t\u00a0]+)(?=\d)")
# Spaces before , . ; : ! ? that end a word, after a word or closing bracket/quote.
BEFORE_PUNCT_RE = re.compile(r"(?<=[^\W\d_]|[)\]”’\"])([ \t]+)([,.;:!?])(?=[ \t]|\n|$|[”’\")])")
# Two or more spaces between two non-space characters.
MULTI_SPACE_RE = re.compile(r"(?<=\S)( {2,})(?=\S)")
SENTENCE_END = '.!?:”’")'


def currency_edits(doc: Document) -> list[Edit]:
    edits = []
    for m in CURRENCY_RE.finditer(doc.text):
        sym, spaces = m.group(1), m.group(2)
        reason = f"currency spacing: no space between {sym!r} and its amount"
        edits.append(Edit(m.start(2), m.end(2), spaces, "", "currency", reason, 0.95))
    return edits


def _line_at(text: str, pos: int) -> tuple[int, str]:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return start, text[start : end if end >= 0 else len(text)]


def punct_edits(doc: Document) -> list[Edit]:
    text = doc.text
    edits = []
    for m in BEFORE_PUNCT_RE.finditer(text):
        mark = m.group(2)
        after = text[m.end(2) : m.end(2) + 1]
        if mark == "." and text[m.end(2) : m.end(2) + 2] in ("..", ".)"):
            continue
        if mark == "." and (text[m.end(2) : m.end(2) + 2] == " ." or text[max(0, m.start(1) - 2) : m.start(1)] == ". "):
            continue  # a spaced ellipsis: "transactions . . . and"
        if mark in ":;" and after in (")", "(", "-", "P", "D"):  # emoticons
            continue
        conf = 0.92 if mark in ",.;" else 0.9
        reason = f"spacing: no space before {mark!r}"
        edits.append(Edit(m.start(1), m.end(1), m.group(1), "", "spacing", reason, conf))
    return edits


def _aligned(text: str, line_start: int, line: str) -> bool:
    """Columns: several space runs on the line, a tab, a table, or runs on a next-door line."""
    if len(MULTI_SPACE_RE.findall(line)) >= 2 or "\t" in line or line.lstrip().startswith("|"):
        return True
    prev_start, prev = _line_at(text, line_start - 1) if line_start else (0, "")
    line_end = line_start + len(line)
    nxt = _line_at(text, line_end + 1)[1] if line_end < len(text) else ""
    return any(MULTI_SPACE_RE.search(x) for x in (prev, nxt) if x.strip())


def space_run_edits(doc: Document) -> list[Edit]:
    text = doc.text
    edits = []
    for m in MULTI_SPACE_RE.finditer(text):
        prev = text[m.start() - 1]
        if prev in SENTENCE_END:
            continue  # two spaces after a sentence: a typing style, not damage
        line_start, line = _line_at(text, m.start())
        if _aligned(text, line_start, line):
            continue  # aligned columns or a table
        conf = 0.9 if len(m.group(1)) == 2 else 0.7
        reason = "spacing: several spaces inside a sentence"
        edits.append(Edit(m.start(), m.end(), m.group(1), " ", "spacing", reason, conf))
    return edits


@register("spacing")
def fix_spacing(doc: Document, ctx: Context) -> StageOutput:
    return StageOutput(edits=currency_edits(doc) + punct_edits(doc) + space_run_edits(doc))
