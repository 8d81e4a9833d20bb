"""Edits, findings, and the plan that replays them.

An ``Edit`` is a proposed replacement of ``text[start:end]`` (``before``) by ``after``.
Stages propose edits relative to the text they were given; the pipeline applies the
confident ones with :func:`apply` and records each step, so that :func:`replay` on the
original text gives the repaired text (like ftfy's ``apply_plan``).

Overlap policy (documented, tested): edits are considered in order of decreasing
confidence, then by position; an edit whose span overlaps a span already accepted is
rejected.  Two zero-width insertions at the same offset also conflict.  Adjacent edits
(one ends where the next starts) do not conflict.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from repair.errors import EditError


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace ``before`` (== ``text[start:end]``) with ``after``, and say why."""

    start: int
    end: int
    before: str
    after: str
    kind: str
    reason: str
    confidence: float
    stage: str = ""

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise EditError(f"bad span {self.start}..{self.end} for {self.kind} edit")
        if len(self.before) != self.end - self.start:
            raise EditError(
                f"{self.kind} edit: before {self.before!r} has length {len(self.before)},"
                f" span {self.start}..{self.end} has length {self.end - self.start}"
            )
        if not 0.0 <= self.confidence <= 1.0:
            raise EditError(f"{self.kind} edit: confidence {self.confidence} is not in 0..1")

    def check(self, text: str) -> None:
        """Raise EditError unless this edit's ``before`` is what ``text`` holds at its span."""
        if text[self.start : self.end] != self.before:
            raise EditError(
                f"{self.kind} edit expects {self.before!r} at {self.start}..{self.end},"
                f" text has {text[self.start:self.end]!r}"
            )

    def overlaps(self, other: Edit) -> bool:
        if self.start == self.end == other.start == other.end:
            return True
        return self.start < other.end and other.start < self.end

    def shifted(self, delta: int) -> Edit:
        return replace(self, start=self.start + delta, end=self.end + delta)

    def to_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "before": self.before,
            "after": self.after,
            "kind": self.kind,
            "reason": self.reason,
            "confidence": round(self.confidence, 4),
            "stage": self.stage,
        }

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> Edit:
        return cls(
            start=int(d["start"]),  # type: ignore[call-overload]
            end=int(d["end"]),  # type: ignore[call-overload]
            before=str(d["before"]),
            after=str(d["after"]),
            kind=str(d["kind"]),
            reason=str(d.get("reason", "")),
            confidence=float(d.get("confidence", 1.0)),  # type: ignore[arg-type]
            stage=str(d.get("stage", "")),
        )


@dataclass(frozen=True, slots=True)
class Finding:
    """Something worth a look that was not applied: a suggestion, or a flag with no fix."""

    start: int
    end: int
    kind: str
    message: str
    suggestions: tuple[str, ...] = ()
    confidence: float = 0.5
    before: str = ""
    applied: bool = False
    stage: str = ""

    @classmethod
    def from_edit(cls, edit: Edit, *, applied: bool) -> Finding:
        return cls(
            start=edit.start,
            end=edit.end,
            kind=edit.kind,
            message=edit.reason,
            suggestions=(edit.after,),
            confidence=edit.confidence,
            before=edit.before,
            applied=applied,
            stage=edit.stage,
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "start": self.start,
            "end": self.end,
            "kind": self.kind,
            "before": self.before,
            "suggestions": list(self.suggestions),
            "message": self.message,
            "confidence": round(self.confidence, 4),
            "applied": self.applied,
            "stage": self.stage,
        }


def resolve(edits: Iterable[Edit]) -> tuple[list[Edit], list[Edit]]:
    """Split edits into (kept, rejected) by the overlap policy; kept is sorted by position."""
    ordered = sorted(edits, key=lambda e: (-e.confidence, e.start, e.end))
    kept: list[Edit] = []
    rejected: list[Edit] = []
    keys: list[tuple[int, int]] = []
    for e in ordered:
        i = bisect.bisect_left(keys, (e.start, e.end))
        # Kept spans are disjoint and sorted, so only these neighbours can overlap.
        neighbours = kept[max(0, i - 1) : i + 2]
        if any(e.overlaps(k) for k in neighbours):
            rejected.append(e)
            continue
        kept.insert(i, e)
        keys.insert(i, (e.start, e.end))
    return kept, rejected


def apply(text: str, edits: Iterable[Edit]) -> tuple[str, list[Edit], list[Edit]]:
    """Apply non-conflicting edits to ``text``.

    Returns ``(new_text, applied, rejected)``; ``applied`` is sorted by position, with
    offsets relative to ``text``.  Every edit is checked against ``text`` first.
    """
    edits = list(edits)
    for e in edits:
        e.check(text)
    kept, rejected = resolve(edits)
    out: list[str] = []
    pos = 0
    for e in kept:
        out.append(text[pos : e.start])
        out.append(e.after)
        pos = e.end
    out.append(text[pos:])
    return "".join(out), kept, rejected


@dataclass(frozen=True, slots=True)
class Step:
    """One stage's applied edits, relative to the text that stage saw."""

    stage: str
    edits: tuple[Edit, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, object]:
        return {"stage": self.stage, "edits": [e.to_dict() for e in self.edits]}

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> Step:
        return cls(stage=str(d["stage"]), edits=tuple(Edit.from_dict(e) for e in d["edits"]))  # type: ignore[attr-defined]


def replay(original: str, plan: Sequence[Step]) -> str:
    """Re-apply a recorded plan to the original text; equals the pipeline's result."""
    text = original
    for step in plan:
        text, applied, rejected = apply(text, step.edits)
        if rejected:
            raise EditError(f"plan step {step.stage!r} has overlapping edits")
    return text


class OffsetMap:
    """Maps offsets in a step's output text back to the text it was given."""

    __slots__ = ("_edits", "_out_starts", "_ends")

    def __init__(self, applied: Sequence[Edit]):
        self._edits = sorted(applied, key=lambda e: (e.start, e.end))
        starts: list[int] = []
        delta = 0
        for e in self._edits:
            starts.append(e.start + delta)
            delta += len(e.after) - len(e.before)
        self._out_starts = starts
        self._ends = [e.end for e in self._edits]  # sorted: applied edits do not overlap

    def back(self, pos: int, *, side: str = "start") -> int:
        """Input offset for output offset ``pos``.

        Inside a replaced region a start snaps to the edit's start and an end to its end,
        so mapped spans cover whole edits.  A start at a region's end maps past the edit;
        an end at a region's start maps before it.
        """
        i = bisect.bisect_right(self._out_starts, pos) - 1
        if i < 0:
            return pos
        e = self._edits[i]
        out_start = self._out_starts[i]
        out_end = out_start + len(e.after)
        if pos > out_end:
            return e.end + (pos - out_end)
        if side == "start":
            return e.start if pos < out_end else e.end
        return e.end if pos > out_start else e.start


    def forward(self, pos: int, *, side: str = "start") -> int:
        """Output offset for input offset ``pos`` (the inverse of :meth:`back` on edit bounds).

        Inside a replaced region a start snaps to the replacement's start and an end to its
        end, so a span mapped forward covers whole edits, an insertion at its bounds included.
        """
        k = bisect.bisect_right(self._ends, pos)
        if k < len(self._ends) and self._edits[k].start < pos:  # inside a replaced region
            e, out_start = self._edits[k], self._out_starts[k]
            return out_start if side == "start" else out_start + len(e.after)
        i = k - 1
        if side == "start" and i >= 0 and self._edits[i].start == pos:  # insertion at pos
            i -= 1
        if i < 0:
            return pos
        return pos - self._edits[i].end + self._out_starts[i] + len(self._edits[i].after)


def map_span_back(start: int, end: int, maps: Sequence[OffsetMap]) -> tuple[int, int]:
    """Map a span through a list of offset maps (last step first) to the original text."""
    for m in reversed(maps):
        start, end = m.back(start, side="start"), m.back(end, side="end")
        if end < start:
            end = start
    return start, end
