"""Mojibake and HTML entities, fixed by ftfy, one edit per changed stretch.

ftfy is precise by design (a thousand false negatives before one false positive), so its
changes are auto-applied.  Its style changes are switched off: curly quotes, dashes,
ligatures, full-width characters, line breaks and Unicode normalisation stay as written.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from functools import lru_cache

from repair.document import Document
from repair.edits import Edit
from repair.pipeline import Context, StageOutput, register

# Lines that are plain ASCII with no entity or control character cannot change.
_SUSPECT_RE = re.compile(r"[^\x09\x0a\x0d\x20-\x7e]|&#?\w+;")
_ENTITY_RE = re.compile(r"&#?\w+;")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Characters outside printable ASCII.
_OTHER_RE = re.compile(r"[^\x09\x20-\x7e]")
# Characters that ftfy, as configured here, leaves alone when no two of them stand side by
# side and the line has no "&": none is a control, C1 or surrogate character, and every
# mojibake pattern of ftfy's badness heuristic either needs a character outside this set or
# two of them next to each other.  So a line of news with curly quotes, dashes, "£" or an
# accented name needs no ftfy (nor its import).  tests/test_encoding_fastpath.py proves this
# against the installed ftfy.
_FTFY_SAFE = frozenset(
    "’‘“”–—…•·°\u00a0«»£€"
    "àáâäçèéêëíìîïñóòôöúùûüÀÁÄÇÈÉÊËÍÎÏÑÓÔÖÚÙÛÜßøØåÅæÆ"
)
_MIN_GAP = 2  # positions between two such characters for a line to be safe


@lru_cache(maxsize=1)
def _config():  # type: ignore[no-untyped-def]
    import ftfy

    return ftfy.TextFixerConfig(
        uncurl_quotes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        fix_line_breaks=False,
        normalization=None,
        explain=True,
    )


def _lines(text: str) -> list[tuple[int, str]]:
    out = []
    pos = 0
    for line in text.splitlines(keepends=True):
        out.append((pos, line.rstrip("\r\n")))
        pos += len(line)
    return out


def _reason(before: str, after: str, steps: list[tuple[str, str]]) -> tuple[str, float]:
    """One sentence saying what was wrong, and how sure ftfy's evidence makes us."""
    if _ENTITY_RE.search(before):
        return f"HTML entity {before!r} left in plain text; it stands for {after!r}", 0.95
    if _CONTROL_RE.search(before) and not after:
        return "invisible control character left by a broken conversion", 0.9
    codecs = [name for op, name in steps if op in ("encode", "decode")]
    how = f" ({' then '.join(codecs)})" if codecs else ""
    if not after:
        return f"mojibake: stray {before!r} left by decoding with the wrong codec{how}", 0.95
    return f"mojibake: {before!r} is {after!r} decoded with the wrong codec{how}", 0.95


def explain_line(line: str) -> tuple[str, list[tuple[str, str]]]:
    """ftfy's fix of one line with its steps; the line itself when nothing applies."""
    import ftfy

    fixed = ftfy.fix_and_explain(line, _config())
    return fixed.text, list(fixed.explanation or [])


def ftfy_leaves_alone(line: str) -> bool:
    """True when ftfy cannot change ``line`` (see _FTFY_SAFE); False means: ask ftfy."""
    if "&" in line:
        return False
    last = -_MIN_GAP
    for m in _OTHER_RE.finditer(line):
        pos = m.start()
        if m.group() not in _FTFY_SAFE or pos - last < _MIN_GAP:
            return False
        last = pos
    return True


def line_edits(offset: int, line: str) -> list[Edit]:
    """Edits that turn ``line`` (at ``offset`` in the text) into ftfy's fixed line."""
    if not _SUSPECT_RE.search(line) or ftfy_leaves_alone(line):
        return []
    fixed, steps = explain_line(line)
    if fixed == line:
        return []
    matcher = difflib.SequenceMatcher(None, line, fixed, autojunk=False)
    opcodes = matcher.get_opcodes()
    regions = [[i1, i2] for op, i1, i2, _, _ in opcodes if op != "equal"]
    # An entity is one unit: "&amp;" -> "&", never "amp;" -> "".
    for m in _ENTITY_RE.finditer(line):
        for r in regions:
            if r[0] < m.end() and m.start() < r[1] or (r[0] == r[1] and m.start() < r[0] < m.end()):
                r[0], r[1] = min(r[0], m.start()), max(r[1], m.end())
    merged: list[list[int]] = []
    for r in sorted(regions):
        if merged and r[0] < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], r[1])
        else:
            merged.append(r)
    edits = []
    for i1, i2 in merged:
        j1, j2 = _map(opcodes, i1, "start"), _map(opcodes, i2, "end")
        before, after = line[i1:i2], fixed[j1:j2]
        if _joins_numbers(line, i1, i2, after):
            continue
        reason, conf = _reason(before, after, steps)
        edits.append(Edit(offset + i1, offset + i2, before, after, "encoding", reason, conf))
    return edits


def _joins_numbers(line: str, i1: int, i2: int, after: str) -> bool:
    """Deleting what stands between two digits ("1\\x002") would merge two numbers."""
    if after.strip():
        return False
    return 0 < i1 and i2 < len(line) and line[i1 - 1].isdigit() and line[i2].isdigit()


def _map(opcodes: Sequence[tuple[str, int, int, int, int]], i: int, side: str) -> int:
    """Where position ``i`` of the line lands in the fixed line (edges of changed blocks)."""
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal" and i1 <= i <= i2:
            return j1 + (i - i1)
        if op != "equal" and (
            i1 < i < i2 or (i == i1 and side == "start") or (i == i2 and side == "end")
        ):
            return j1 if i == i1 and side == "start" else j2
    return opcodes[-1][4] if opcodes else i


@register("encoding")
def fix_encoding(doc: Document, ctx: Context) -> StageOutput:
    if not _SUSPECT_RE.search(doc.text):
        return StageOutput()
    edits: list[Edit] = []
    for offset, line in _lines(doc.text):
        edits.extend(line_edits(offset, line))
    return StageOutput(edits=edits)
