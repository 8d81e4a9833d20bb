"""Reviewer decisions, kept next to the files in ``.repair-decisions.json``.

A reviewer who rejects a change should never be asked again.  Offsets move as soon as
anything above a change is edited, so a decision is keyed by *what* changes and *where in
the words* it is: ``(kind, before, after, left context, right context)``, with the context
taken from the text the decision was saved into (within the line).  A re-run on that text recomputes the
same key for the same proposal, wherever it now sits.

``load_rejections(path)`` reads the keys for one file; ``drop_rejected(result, keys)``
removes matching proposals from a pipeline ``Result``: rejected suggestions disappear,
and applied changes that were rejected are reverted (their other edits in the same
changed region are kept as suggestions, so nothing is applied that the reviewer refused).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from repair.diff.terminal import Hunk, hunks
from repair.edits import Edit, Finding, Step
from repair.errors import InputError
from repair.pipeline import Result

SIDECAR = ".repair-decisions.json"
VERSION = 1
CONTEXT = 24  # characters of context on each side of a change in a key

Key = tuple[str, str, str, str, str]  # (kind, before, after, left, right)

_SPACE = re.compile(r"\s+")


def finding_id(start: int, end: int, before: str, after: str, kind: str) -> str:
    """A short stable id for one proposal in one text (used within a review session)."""
    raw = json.dumps([start, end, before, after, kind], ensure_ascii=False)
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]


def context_key(text: str, start: int, end: int, after: str, kind: str) -> Key:
    """The offset-free key of replacing ``text[start:end]`` by ``after``."""
    # Context stops at line ends, so a paragraph added above or below does not change it.
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    left = _SPACE.sub(" ", text[max(line_start, start - CONTEXT) : start])
    right = _SPACE.sub(" ", text[end : min(line_end, end + CONTEXT)])
    return (kind, text[start:end], after, left, right)


def finding_after(f: Finding) -> str:
    return f.suggestions[0] if f.suggestions else ""


def finding_key(text: str, f: Finding) -> Key:
    return context_key(text, f.start, f.end, finding_after(f), f.kind)


def hunk_kind(h: Hunk) -> str:
    """The kind of a changed region: the kinds of the edits that explain it."""
    kinds = sorted({f.kind for f in h.reasons})
    return "+".join(kinds) if kinds else "edit"


def hunk_key(text: str, h: Hunk) -> Key:
    return context_key(text, h.start, h.end, h.after, hunk_kind(h))


def sidecar_path(path: str | Path) -> Path:
    return Path(path).resolve().parent / SIDECAR


def read_sidecar(path: str | Path) -> dict[str, Any]:
    """The whole decisions file next to ``path`` (empty if there is none)."""
    side = sidecar_path(path)
    try:
        raw = side.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {"version": VERSION, "files": {}}
    except OSError as exc:
        raise InputError(str(side), f"cannot read decisions file: {exc.strerror or exc}") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InputError(str(side), f"decisions file is not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict) or not isinstance(data.get("files", {}), dict):
        raise InputError(str(side), "decisions file has an unexpected layout (expected {\"files\": {...}})")
    data.setdefault("files", {})
    return data


def entry_key(entry: dict[str, Any]) -> Key:
    return (
        str(entry.get("kind", "")),
        str(entry.get("before", "")),
        str(entry.get("after", "")),
        str(entry.get("left", "")),
        str(entry.get("right", "")),
    )


def load_rejections(path: str | Path) -> set[Key]:
    """Keys of every change a reviewer rejected in ``path`` (empty set if none recorded)."""
    if path in ("-", "<stdin>"):
        return set()
    if not sidecar_path(path).exists():
        return set()
    record = read_sidecar(path)["files"].get(Path(path).name, {})
    return {entry_key(e) for e in record.get("rejected", []) if isinstance(e, dict)}


def make_entry(text: str, start: int, end: int, after: str, kind: str, reason: str = "") -> dict[str, Any]:
    kind_, before, after_, left, right = context_key(text, start, end, after, kind)
    return {"kind": kind_, "before": before, "after": after_, "left": left, "right": right, "reason": reason}


def record(
    path: str | Path,
    *,
    accepted: Sequence[dict[str, Any]],
    rejected: Sequence[dict[str, Any]],
    replaces: Iterable[Key] = (),
) -> Path:
    """Merge decisions for ``path`` into its sidecar (atomically); ``replaces`` are dropped first."""
    from repair.io import write_atomic

    data = read_sidecar(path)
    name = Path(path).name
    old = data["files"].get(name, {})
    gone = set(replaces)
    out: dict[str, list[dict[str, Any]]] = {}
    for which, new in (("accepted", accepted), ("rejected", rejected)):
        merged: dict[Key, dict[str, Any]] = {}
        for e in [*old.get(which, []), *new]:
            if not isinstance(e, dict):
                continue
            k = entry_key(e)
            if e in new or k not in gone:
                merged[k] = e
        out[which] = list(merged.values())
    # A change accepted now is no longer rejected, and the other way round.
    acc = {entry_key(e) for e in accepted}
    rej = {entry_key(e) for e in rejected}
    out["rejected"] = [e for e in out["rejected"] if entry_key(e) not in acc]
    out["accepted"] = [e for e in out["accepted"] if entry_key(e) not in rej]
    data["version"] = VERSION
    data["files"][name] = out
    side = sidecar_path(path)
    write_atomic(side, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    return side


def drop_rejected(result: Result, rejected: set[Key]) -> Result:
    """``result`` without anything in ``rejected``: such suggestions go, such changes are undone."""
    if not rejected:
        return result
    text = result.original
    hs = hunks(result)
    revert: set[int] = set()
    refused: set[Finding] = set()
    for f in result.findings:
        if finding_key(text, f) in rejected:
            refused.add(f)
    for i, h in enumerate(hs):
        if hunk_key(text, h) in rejected or any(f in refused for f in h.reasons):
            revert.add(i)
    demote = {f for i in revert for f in hs[i].reasons if f not in refused}
    if not revert and not refused:
        return result
    findings = []
    for f in result.findings:
        if f in refused:
            continue
        findings.append(replace(f, applied=False) if f in demote else f)
    if not revert:
        return Result(result.original, result.text, result.plan, findings, dict(result.scores))
    kept = [h for i, h in enumerate(hs) if i not in revert]
    edits = tuple(
        Edit(h.start, h.end, h.before, h.after, hunk_kind(h), _reasons(h), _confidence(h), "review")
        for h in kept
    )
    new_text = compose(text, edits)
    plan = [Step("review", edits)] if edits else []
    return Result(result.original, new_text, plan, findings, dict(result.scores))


def compose(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (original offsets) to ``text``."""
    out = []
    pos = 0
    for e in sorted(edits, key=lambda e: (e.start, e.end)):
        out.append(text[pos : e.start])
        out.append(e.after)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def _reasons(h: Hunk) -> str:
    return "; ".join(sorted({f.message for f in h.reasons})) or "follows from the edits nearby"


def _confidence(h: Hunk) -> float:
    return min((f.confidence for f in h.reasons), default=1.0)
