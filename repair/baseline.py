"""A baseline of known findings, so that `repair check --baseline FILE` reports only new ones.

Keys survive line shifts: a finding is known by (path, kind, before, first suggestion,
occurrence), where occurrence counts earlier findings with the same four values in the
same file.  Offsets are not part of the key, so adding a paragraph above a known finding
does not make it new; adding one more copy of a known finding does.  Each entry also keeps
a short hash of its line, so that when a file has more copies than the baseline, the copies
on lines the baseline knows are matched first and the new copy is the one reported.

The file is JSON, sorted, one entry per finding, so that it diffs well under review.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from repair.diff import FileReport
from repair.edits import Finding
from repair.errors import ConfigError, InputError
from repair.io import write_atomic

VERSION = 1
Key = tuple[str, str, str, str, int]
Base = tuple[str, str, str, str]


def _norm_path(path: str, baseline: str | Path) -> str:
    """``path`` relative to the baseline's folder, with ``/``: stable whatever the cwd."""
    if path in ("-", "<stdin>"):
        return "<stdin>"
    base = Path(os.path.abspath(baseline)).parent
    try:
        return Path(os.path.relpath(os.path.abspath(path), base)).as_posix()
    except ValueError:  # another drive on Windows
        return Path(os.path.abspath(path)).as_posix()


def _line_hash(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : end if end >= 0 else len(text)].strip()
    return hashlib.sha1(line.encode("utf-8")).hexdigest()[:12]


def keys(report: FileReport, baseline: str | Path) -> list[tuple[Key, str]]:
    """(key, line hash) per finding of ``report``, in the report's order."""
    path = _norm_path(report.path, baseline)
    text = report.result.original
    seen: Counter[Base] = Counter()
    out = []
    for f in report.result.findings:
        base = (path, f.kind, f.before, f.suggestions[0] if f.suggestions else "")
        out.append(((*base, seen[base]), _line_hash(text, f.start)))
        seen[base] += 1
    return out


def write(path: str | Path, reports: Iterable[FileReport]) -> None:
    """Record every current finding of ``reports`` in the baseline file ``path``."""
    entries = sorted({k for rep in reports for k in keys(rep, path)})
    data = {
        "tool": "repair",
        "version": VERSION,
        "findings": [
            {"path": p, "kind": k, "before": b, "suggestion": s, "occurrence": n, "line": h}
            for (p, k, b, s, n), h in entries
        ],
    }
    try:
        write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
    except OSError as exc:
        raise InputError(str(path), f"cannot write baseline: {exc.strerror or exc}") from None


def load(path: str | Path) -> dict[Base, list[str]]:
    """The keys recorded in a baseline file; a clear error if it is missing or malformed."""
    p = Path(path)
    if not p.exists():
        raise InputError(str(path), "no such baseline file; create it with --update-baseline")
    if p.is_dir():
        raise InputError(str(path), "is a directory, not a baseline file")
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read baseline: {exc}") from None
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{path}: not a repair baseline: invalid JSON at line {exc.lineno}, column {exc.colno}"
            " (recreate it with --update-baseline)"
        ) from None
    if (
        not isinstance(data, dict)
        or data.get("tool") != "repair"
        or not isinstance(data.get("findings"), list)
    ):
        raise ConfigError(
            f'{path}: not a repair baseline (expected a JSON object with tool "repair" and findings)'
        )
    if data.get("version") != VERSION:
        raise ConfigError(
            f"{path}: baseline version {data.get('version')!r} is not supported (expected {VERSION});"
            " recreate it with --update-baseline"
        )
    out: dict[Base, list[str]] = {}
    for i, e in enumerate(data["findings"]):
        try:
            base = (str(e["path"]), str(e["kind"]), str(e["before"]), str(e["suggestion"]))
            int(e["occurrence"])
        except (KeyError, TypeError, ValueError):
            raise ConfigError(
                f"{path}: baseline entry {i + 1} needs path, kind, before, suggestion and occurrence"
            ) from None
        out.setdefault(base, []).append(str(e.get("line", "")))
    return out


def filter_reports(path: str | Path, reports: list[FileReport]) -> list[FileReport]:
    """``reports`` less every finding recorded in the baseline ``path``."""
    known = load(path)
    out = []
    for rep in reports:
        out.append(FileReport(rep.path, replace(rep.result, findings=_fresh(rep, path, known))))
    return out


def _fresh(rep: FileReport, path: str | Path, known: dict[Base, list[str]]) -> list[Finding]:
    """Findings of ``rep`` the baseline does not cover: same line first, then by count."""
    ks = keys(rep, path)
    left = {base: Counter(lines) for base, lines in known.items()}
    budget = {base: len(lines) for base, lines in known.items()}
    matched = [False] * len(ks)
    for i, (key, line) in enumerate(ks):  # pass 1: the same finding on the same line
        base = key[:4]
        if left.get(base, Counter())[line] > 0:
            left[base][line] -= 1
            budget[base] -= 1
            matched[i] = True
    for i, (key, _) in enumerate(ks):  # pass 2: its line was edited; match by count
        base = key[:4]
        if not matched[i] and budget.get(base, 0) > 0:
            budget[base] -= 1
            matched[i] = True
    return [f for f, m in zip(rep.result.findings, matched, strict=True) if not m]
