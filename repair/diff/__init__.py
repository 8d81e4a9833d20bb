"""Reporters: they only read results.  ``FORMATTERS`` maps a ``--format`` name to a function.

Each formatter takes the per-file reports and the fail-on threshold, and returns a string.
Formatters in other modules (SARIF, GitHub) register themselves here on import.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from repair.edits import Finding
from repair.io import line_col
from repair.pipeline import Result


@dataclass
class FileReport:
    path: str
    result: Result

    def located(self) -> list[tuple[int, int, Finding]]:
        text = self.result.original
        return [(*line_col(text, f.start), f) for f in self.result.findings]


Formatter = Callable[[list[FileReport], float], str]
FORMATTERS: dict[str, Formatter] = {}
FORMATTER_MODULES = {"sarif": "repair.diff.sarif", "github": "repair.diff.github"}


def formatter(name: str) -> Formatter:
    if name not in FORMATTERS and name in FORMATTER_MODULES:
        importlib.import_module(FORMATTER_MODULES[name])
    return FORMATTERS[name]


def register(name: str) -> Callable[[Formatter], Formatter]:
    def deco(fn: Formatter) -> Formatter:
        FORMATTERS[name] = fn
        return fn

    return deco


def describe(f: Finding) -> str:
    after = " | ".join(f.suggestions) if f.suggestions else "?"
    return f"{f.before!r} ==> {after!r}"


@register("text")
def format_text(reports: list[FileReport], fail_on: float) -> str:
    lines = []
    for rep in reports:
        for line, col, f in rep.located():
            mark = "" if f.confidence >= fail_on else " [suggestion]"
            after = " | ".join(f.suggestions) if f.suggestions else "?"
            lines.append(
                f"{rep.path}:{line}:{col}: {f.kind}: {f.before} ==> {after}"
                f" ({f.message}; confidence {f.confidence:.2f}){mark}"
            )
    return "\n".join(lines) + ("\n" if lines else "")


@register("json")
def format_json(reports: list[FileReport], fail_on: float) -> str:
    out = []
    for rep in reports:
        items = []
        for line, col, f in rep.located():
            d = f.to_dict()
            d.update(line=line, column=col, fails=f.confidence >= fail_on)
            items.append(d)
        out.append({"path": rep.path, "scores": rep.result.scores, "changed": rep.result.changed, "findings": items})
    return json.dumps({"files": out}, ensure_ascii=False, indent=2) + "\n"
