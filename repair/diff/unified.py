"""A unified diff of original vs repaired text, as `diff -u` prints it."""

from __future__ import annotations

import difflib

from repair.pipeline import Result


def render(result: Result, path: str = "text") -> str:
    a = result.original.splitlines(keepends=True)
    b = result.text.splitlines(keepends=True)
    lines = difflib.unified_diff(a, b, fromfile=f"a/{path}", tofile=f"b/{path}")
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)
