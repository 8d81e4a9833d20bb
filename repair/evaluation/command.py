"""`repair eval`: run the pipeline on gold-annotated JSONL rows and report quality figures.

Each row is ``{"id", "text", "gold"}`` with an optional ``"kinds"`` list.  The pipeline is the
same call `repair batch` makes (``repair.runner.run_text`` on each row alone, with fresh
evidence), so the outputs scored here are the outputs `repair batch` writes.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from repair.evaluation.metrics import (
    Totals,
    kind_groups,
    parse_name_kind,
    score_row,
    summarize,
)

FIGURES = ("repair", "P", "R", "F0.5", "fp_per_k", "wer_in", "wer_out", "name_restored")


def load_rows(path: str) -> list[dict[str, Any]]:
    """Read gold rows; a malformed file raises InputError naming the line."""
    from repair.errors import InputError

    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(path, f"cannot read: {exc}") from None
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(path, f"line {n}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("text"), str) or not isinstance(row.get("gold"), str):
            raise InputError(path, f"line {n}: a row needs string fields \"text\" and \"gold\"")
        kinds = row.get("kinds", [])
        if not isinstance(kinds, list):
            raise InputError(path, f"line {n}: \"kinds\" must be a list")
        row.setdefault("id", f"{Path(path).name}:{n}")
        rows.append(row)
    return rows


class Evaluation:
    """Accumulates row scores overall, per kind and per file (all micro-averaged)."""

    def __init__(self) -> None:
        self.total = Totals()
        self.per_kind: dict[str, Totals] = {}
        self.per_file: dict[str, Totals] = {}

    def add(self, row: dict[str, Any], out: str, seconds: float, *, file: str = "") -> dict[str, Any]:
        text, gold = row["text"], row["gold"]
        kinds = [str(k) for k in row.get("kinds", [])]
        s = score_row(text, out, gold, kinds)
        words = len(text.split())
        buckets = [self.total, self.per_file.setdefault(file, Totals())]
        buckets += [self.per_kind.setdefault(g, Totals()) for g in kind_groups(kinds)]
        for b in buckets:
            b.add(s)
            b.words += words
            b.seconds += seconds
        return {"id": row.get("id"), "file": file, "kinds": kinds, "text": text, "output": out, "gold": gold, **s.to_dict()}

    def summary(self) -> dict[str, Any]:
        out = summarize(self.total)
        out["per_kind"] = {k: summarize(v) for k, v in sorted(self.per_kind.items())}
        out["files"] = {k: summarize(v) for k, v in self.per_file.items()}
        return out


def evaluate(
    files: Sequence[tuple[str, Sequence[dict[str, Any]]]],
    config: Any = None,
    *,
    keep: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Repair the rows of each (name, rows) pair and return the summary.

    Each row is repaired on its own, as `repair batch` does (so its output does not depend on
    the other rows).  Pass ``keep`` to collect every row with its output and scores.
    """
    from repair.runner import run_text

    ev = Evaluation()
    for name, rows in files:
        for row in rows:
            t0 = time.perf_counter()
            out = run_text(row["text"], config, markup="text").text
            scored = ev.add(row, out, time.perf_counter() - t0, file=name)
            if keep is not None:
                keep.append(scored)
    return ev.summary()


def _fmt(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float) and abs(v) >= 100:
        return f"{v:,.0f}"
    if isinstance(v, float):
        return f"{v:.3f}"
    return str(v)


def render_table(named: Sequence[tuple[str, dict[str, Any]]], columns: Sequence[str] = FIGURES) -> str:
    """A plain aligned table: one line per (name, summary)."""
    head = ["", "rows", *columns, "words/s"]
    body = [[name, str(s["rows"]), *(_fmt(s.get(c)) for c in columns), _fmt(s.get("words_per_s"))] for name, s in named]
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(len(head))]
    lines = []
    for r in [head, *body]:
        lines.append("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip())
    return "\n".join(lines) + "\n"


def text_report(summary: dict[str, Any]) -> str:
    named: list[tuple[str, dict[str, Any]]] = [("overall", summary)]
    # One line per kind; the many `name:X->Y` kinds are shown rolled up as `name`.
    named += [(k, v) for k, v in summary["per_kind"].items() if parse_name_kind(k) is None]
    return render_table(named)


@click.command("eval")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Score only the first N rows (over all files).")
@click.option("--output-jsonl", type=click.Path(dir_okay=False), default=None, help="Write each row with its output and scores here.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="A repair.toml or pyproject.toml to use instead of discovery.")
@click.option("--threshold", type=click.FloatRange(0, 1), default=None, help="Auto-apply edits at or above this confidence.")
@click.option("--no-model", is_flag=True, help="Do not use the seq2seq rewriter.")
def eval_command(files: tuple[str, ...], fmt: str, limit: int | None, output_jsonl: str | None, config_file: str | None, threshold: float | None, no_model: bool) -> None:
    """Score the pipeline on JSONL FILES of {"id", "text", "gold", "kinds"?} rows.

    Figures: repair (share of token-level damage removed), edit P/R/F0.5, fp_per_k (tokens
    changed per 1,000 input tokens), wer_in/wer_out, and name_restored for name:X->Y kinds.
    With --format json the last line is one JSON object.
    """
    from repair.cli import build_config, fail
    from repair.errors import RepairError
    from repair.io import write_atomic

    cfg = build_config(files, config_file, threshold, no_model, (), None)
    try:
        loaded = [(f, load_rows(f)) for f in files]
    except RepairError as exc:
        fail(str(exc))
    parts = []
    left = limit
    for path, rows in loaded:
        if left is not None:
            rows = rows[:left]
            left -= len(rows)
        parts.append((path, rows))
    keep: list[dict[str, Any]] | None = [] if output_jsonl else None
    summary = evaluate(parts, cfg, keep=keep)
    if output_jsonl and keep is not None:
        try:
            write_atomic(output_jsonl, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in keep))
        except OSError as exc:
            fail(f"{output_jsonl}: cannot write: {exc.strerror or exc}")
    if fmt == "json":
        click.echo(json.dumps(summary, ensure_ascii=False))
    else:
        click.echo(text_report(summary), nl=False)
        if len(parts) > 1:
            click.echo()
            click.echo(render_table(list(summary["files"].items())), nl=False)
    sys.exit(0)
