"""One file under review: its changes, the reviewer's decisions, and the text they give.

Pure logic (no HTTP) so it can be tested directly.  An *item* is either a changed region
the pipeline applied (a word-level hunk, accepted unless the reviewer rejects it), a
suggestion it did not apply (pending until accepted), or a flag with no fix (can only be
dismissed).  The result is always the original text plus the accepted items; accepting
an item that overlaps another accepted one puts the other back to pending.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from repair.diff.terminal import hunks
from repair.edits import Finding
from repair.errors import InputError
from repair.pipeline import Result
from repair.review import decisions as dec

ACCEPT, REJECT, PENDING = "accept", "reject", "pending"


@dataclass
class Item:
    id: str
    n: int
    type: str  # "edit" (applied by the pipeline), "suggestion", or "flag" (no fix offered)
    start: int
    end: int
    before: str
    after: str  # the replacement used when accepted (the reviewer may edit it)
    proposed: str  # what the pipeline proposed
    options: list[str]
    kind: str
    reason: str
    confidence: float
    decision: str
    context: str = ""
    context_at: int = 0  # where the change starts inside ``context``
    reasons: list[tuple[int, int, str, str]] = field(default_factory=list)  # (start, end, after, kind)

    def overlaps(self, other: Item) -> bool:
        if self.start == self.end == other.start == other.end:
            return True
        return self.start < other.end and other.start < self.end

    def public(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("reasons")
        return d


def build_items(result: Result) -> list[Item]:
    text = result.original
    items: list[Item] = []
    for h in hunks(result):
        kind = dec.hunk_kind(h)
        reason = "; ".join(sorted({f.message for f in h.reasons})) or "follows from the edits nearby"
        conf = min((f.confidence for f in h.reasons), default=1.0)
        inner = [
            (f.start, f.end, dec.finding_after(f), f.kind)
            for f in h.reasons
            if h.start <= f.start and f.end <= h.end
        ]
        items.append(
            Item(dec.finding_id(h.start, h.end, h.before, h.after, kind), 0, "edit", h.start, h.end,
                 h.before, h.after, h.after, [h.after], kind, reason, conf, ACCEPT, reasons=inner)
        )
    seen: set[str] = {i.id for i in items}
    for f in result.suggestions:
        if f.end > len(text):
            continue
        items.append(_suggestion(text, f, seen))
    items.sort(key=lambda i: (i.start, i.end, i.type != "edit"))
    for n, it in enumerate(items, 1):
        it.n = n
        a = max(0, text.rfind("\n", 0, it.start) + 1, it.start - 90)
        b = text.find("\n", it.end)
        b = min(len(text) if b < 0 else b, it.end + 90)
        it.context = text[a:b]
        it.context_at = it.start - a
    return items


def _suggestion(text: str, f: Finding, seen: set[str]) -> Item:
    after = dec.finding_after(f)
    before = text[f.start : f.end]
    ident = dec.finding_id(f.start, f.end, before, after, f.kind)
    while ident in seen:  # two findings with the same span and fix: keep both, distinct ids
        ident = dec.finding_id(f.start, f.end, before, after + ident, f.kind)
    seen.add(ident)
    kind_type = "suggestion" if f.suggestions else "flag"
    return Item(ident, 0, kind_type, f.start, f.end, before, after, after, list(f.suggestions),
                f.kind, f.message, f.confidence, PENDING)


class ConflictError(Exception):
    """The file on disk changed since the review started."""


class ReviewSession:
    """Decisions for one file; thread-safe (the server handles requests in threads)."""

    def __init__(self, path: str, original: str, newline: str, result: Result):
        self.path = path
        self.original = original
        self.newline = newline
        self.result = result
        self.items = build_items(result)
        self.by_id = {i.id: i for i in self.items}
        self.on_disk = original  # what we last read or wrote, to notice edits made elsewhere
        self.saved_text: str | None = None
        self.written: set[dec.Key] = set()  # sidecar keys this session wrote (replaced on re-save)
        self.version = 0  # bumped by every decision
        self.saved_version = 0
        self.lock = threading.Lock()

    # -- decisions -------------------------------------------------------------------
    def decide(self, ident: str, decision: str, after: str | None = None) -> list[str]:
        """Record a decision; returns notes for the reviewer (e.g. an overlap undone)."""
        with self.lock:
            item = self.by_id.get(ident)
            if item is None:
                raise KeyError(ident)
            if decision not in (ACCEPT, REJECT, PENDING):
                raise ValueError(f"unknown decision {decision!r}")
            notes: list[str] = []
            if after is not None:
                if item.type == "flag" and not after:
                    raise ValueError("give the replacement text to accept a flag")
                item.after = after
                if item.type == "flag":
                    item.type = "suggestion"
            if decision == ACCEPT and item.type == "flag":
                raise ValueError("this flag has no fix to accept; press e to write one")
            item.decision = decision
            self.version += 1
            if decision == ACCEPT:
                for other in self.items:
                    if other is not item and other.decision == ACCEPT and other.overlaps(item):
                        other.decision = PENDING
                        notes.append(f"#{other.n} overlaps #{item.n} and is back to pending")
            return notes

    def accepted(self) -> list[Item]:
        return sorted((i for i in self.items if i.decision == ACCEPT), key=lambda i: (i.start, i.end))

    def compose(self) -> tuple[str, list[dict[str, Any]]]:
        """The text from the original and the accepted items, and its pieces for display."""
        pieces: list[dict[str, Any]] = []
        out: list[str] = []
        pos = 0
        for it in self.accepted():
            if it.start < pos:  # cannot happen through decide(); be safe
                continue
            if it.start > pos:
                pieces.append({"t": self.original[pos : it.start]})
            pieces.append({"t": it.after, "id": it.id, "n": it.n})
            out.append(self.original[pos : it.start])
            out.append(it.after)
            pos = it.end
        if pos < len(self.original):
            pieces.append({"t": self.original[pos:]})
        out.append(self.original[pos:])
        return "".join(out), pieces

    def state(self) -> dict[str, Any]:
        with self.lock:
            text, pieces = self.compose()
            counts = {d: sum(1 for i in self.items if i.decision == d) for d in (ACCEPT, REJECT, PENDING)}
            return {
                "path": self.path,
                "items": [i.public() for i in self.items],
                "text": text,
                "pieces": pieces,
                "counts": counts,
                "changed": text != self.original,
                "dirty": self.version != self.saved_version or text != self.on_disk,
                "saved": self.saved_text is not None,
                "spun_score": self.result.scores.get("spun_score"),
            }

    # -- saving ----------------------------------------------------------------------
    def save(self) -> dict[str, Any]:
        """Write the text atomically and record the decisions next to the file."""
        from repair.io import read_text, write_atomic

        with self.lock:
            try:
                current, _ = read_text(self.path)
            except InputError:
                current = None
            if current is not None and current != self.on_disk:
                raise ConflictError(f"{self.path} changed on disk since the review started; not saved")
            text, _ = self.compose()
            write_atomic(self.path, text, newline=self.newline, like=self.path)
            self.on_disk = text
            self.saved_text = text
            self.saved_version = self.version
            shift = _shifter(self.accepted())
            accepted, rejected = [], []
            for it in self.items:
                if it.decision == PENDING:
                    continue
                if it.decision == ACCEPT:
                    s = shift(it.start)
                    entry = dec.make_entry(text, s, s + len(it.after), it.after, it.kind, it.reason)
                    entry["before"] = it.before  # what was there before, for humans
                    entry["after"] = it.after
                    accepted.append(entry)
                    continue
                # Rejected: the original words are still in the saved text, at shifted offsets.
                s, e = shift(it.start), shift(it.start) + (it.end - it.start)
                rejected.append(dec.make_entry(text, s, e, it.proposed, it.kind, it.reason))
                for fs, fe, fafter, fkind in it.reasons:
                    a = shift(fs)
                    rejected.append(dec.make_entry(text, a, a + (fe - fs), fafter, fkind, it.reason))
            side = dec.record(self.path, accepted=accepted, rejected=rejected, replaces=self.written)
            self.written = {dec.entry_key(e) for e in accepted + rejected}
            return {
                "saved": str(Path(self.path)),
                "sidecar": str(side),
                "accepted": len(accepted),
                "rejected": sum(1 for i in self.items if i.decision == REJECT),
            }


def _shifter(accepted: list[Item]) -> Any:
    """Map an original offset outside the accepted items to its offset in the composed text."""
    import bisect

    ends = [i.end for i in accepted]
    deltas = [0]
    for i in accepted:
        deltas.append(deltas[-1] + len(i.after) - (i.end - i.start))

    def shift(pos: int) -> int:
        k = bisect.bisect_right(ends, pos)
        # zero-width accepted insertions at pos go before a rejected item that starts there
        return pos + deltas[k]

    return shift
