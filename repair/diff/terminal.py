"""An inline word diff of original vs repaired text, each change with its reason."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from repair.edits import Finding
from repair.pipeline import Result

_PIECES = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class Hunk:
    """One changed region: original ``start..end`` becomes ``after``; ``reasons`` explain it."""

    start: int
    end: int
    before: str
    after: str
    reasons: tuple[Finding, ...]


def hunks(result: Result) -> list[Hunk]:
    """Word-level hunks between original and repaired text, with the edits that made them."""
    a_text, b_text = result.original, result.text
    a = _PIECES.findall(a_text)
    b = _PIECES.findall(b_text)
    a_off = _offsets(a)
    b_off = _offsets(b)
    applied = result.applied
    out: list[Hunk] = []
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        s, e = a_off[i1], a_off[i2]
        bs, be = b_off[j1], b_off[j2]
        why = tuple(f for f in applied if (f.start < e and s < f.end) or (f.start == f.end and s <= f.start <= e) or (s == e and f.start <= s <= f.end))
        prev = out[-1] if out else None
        if prev is not None and why and set(map(id, why)) & set(map(id, prev.reasons)):
            # One edit shown as one hunk: "[-{that a}-]{+that a+}", not two brace hunks.
            merged = tuple(dict.fromkeys(prev.reasons + why))
            gap = a_text[prev.end : s]
            out[-1] = Hunk(prev.start, e, a_text[prev.start : e], prev.after + gap + b_text[bs:be], merged)
            continue
        out.append(Hunk(s, e, a_text[s:e], b_text[bs:be], why))
    return out


def _offsets(pieces: list[str]) -> list[int]:
    offs = [0]
    for p in pieces:
        offs.append(offs[-1] + len(p))
    return offs


def render(result: Result, *, color: bool = False, path: str = "", context: bool = False) -> str:
    """Plain: ``[-old-]{+new+}`` inline, then numbered reasons.  Colour uses rich markup.

    Only lines with a change are shown (prefixed ``N:``) unless ``context`` is true.
    """
    hs = hunks(result)
    if not hs:
        return ""
    text = result.original
    parts: list[str] = []
    notes: list[str] = []
    pos = 0
    for n, h in enumerate(hs, 1):
        parts.append(_esc(text[pos : h.start], color))
        if color:
            if h.before:
                parts.append(f"[red strike]{_esc(h.before, True)}[/]")
            if h.after:
                parts.append(f"[green]{_esc(h.after, True)}[/]")
            parts.append(f"[dim]⁽{n}⁾[/]")
        else:
            parts.append(f"[-{h.before}-]" if h.before else "")
            parts.append(f"{{+{h.after}+}}" if h.after else "")
            parts.append(f"⁽{n}⁾")
        pos = h.end
        why = "; ".join(sorted({f"{f.kind}: {f.message}" for f in h.reasons})) or "follows from the edits nearby"
        notes.append(f"  ({n}) {why}")
    parts.append(_esc(text[pos:], color))
    head = f"--- {path}\n" if path else ""
    body = "".join(parts).rstrip("\n")
    if not context:
        marker = "⁽"
        body = "\n".join(
            f"{n}: {line}" for n, line in enumerate(body.split("\n"), 1) if marker in line
        )
    return head + body + "\n\n" + "\n".join(notes) + "\n"


def _esc(s: str, color: bool) -> str:
    if not color:
        return s
    from rich.markup import escape

    return escape(s)
