"""GitHub Actions workflow commands: one ``::error``/``::warning`` annotation per finding.

Escaping follows GitHub's rules for workflow commands: in the message ``%``, CR and LF are
percent-encoded; in properties ``:`` and ``,`` are too, since they delimit properties.
"""

from __future__ import annotations

from repair.diff import FileReport, register
from repair.io import line_col


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


@register("github")
def format_github(reports: list[FileReport], fail_on: float) -> str:
    lines = []
    for rep in reports:
        text = rep.result.original
        for f in rep.result.findings:
            line, col = line_col(text, f.start)
            end_line, end_col = line_col(text, f.end)
            level = "error" if f.confidence >= fail_on else "warning"
            after = " | ".join(repr(s) for s in f.suggestions) if f.suggestions else "?"
            props = [
                f"file={escape_property(rep.path)}",
                f"line={line}",
                f"col={col}",
                f"endLine={end_line}",
                f"endColumn={end_col}",
                f"title={escape_property(f'repair {f.kind}')}",
            ]
            msg = f"{f.before!r} ==> {after} ({f.message}; confidence {f.confidence:.2f})"
            lines.append(f"::{level} {','.join(props)}::{escape_data(msg)}")
    return "\n".join(lines) + ("\n" if lines else "")
