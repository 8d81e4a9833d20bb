"""Run the pipeline on one file's text, honouring its markup, ignore comments and allow-lists."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from repair.config import RepairConfig
from repair.document import Span
from repair.edits import Finding
from repair.markup import overlaps_any, protected_spans
from repair.pipeline import Result, repair


def run_text(
    text: str,
    config: RepairConfig | None = None,
    *,
    markup: str = "text",
    evidence: dict[str, Any] | None = None,
) -> Result:
    cfg = config or RepairConfig()
    spans = protected_spans(text, markup) + name_spans(text, cfg.ignore_names)
    spans.sort(key=lambda s: (s.start, s.end))
    result = repair(text, cfg, protected=spans, evidence=evidence)
    return drop_unwanted(result, spans, cfg)


def name_spans(text: str, names: tuple[str, ...]) -> list[Span]:
    """Every occurrence of an allow-listed name, as an ``ignored`` span."""
    if not names:
        return []
    alts = "|".join(re.escape(n) for n in sorted(set(names), key=len, reverse=True) if n.strip())
    if not alts:
        return []
    rx = re.compile(rf"(?<!\w)(?:{alts})(?!\w)")
    return [Span(*m.span(), "ignored") for m in rx.finditer(text)]


def drop_unwanted(result: Result, spans: list[Span], config: RepairConfig) -> Result:
    """Drop suggestions inside markup or ignored regions, and those the allow-lists name.

    The pipeline turns an edit it may not apply into a suggestion; inside code or an ignored
    region that suggestion is noise the writer asked not to see.
    """
    blocked = [s for s in spans if s.label in ("markup", "ignored")]
    starts = [s.start for s in blocked]
    words = {w.lower() for w in config.ignore_words}
    names = set(config.ignore_names)
    kept = [f for f in result.findings if not _unwanted(f, blocked, starts, words, names)]
    if len(kept) == len(result.findings):
        return result
    return replace(result, findings=kept)


def _unwanted(
    f: Finding, blocked: list[Span], starts: list[int], words: set[str], names: set[str]
) -> bool:
    before = f.before.strip()
    if before.lower() in words or before in names:
        return True
    return not f.applied and overlaps_any(f.start, f.end, blocked, starts)
