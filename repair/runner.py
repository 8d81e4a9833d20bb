"""Run the pipeline on one file's text, honouring its markup and ignore comments."""

from __future__ import annotations

from typing import Any

from repair.config import RepairConfig
from repair.markup import protected_spans
from repair.pipeline import Result, repair


def run_text(
    text: str,
    config: RepairConfig | None = None,
    *,
    markup: str = "text",
    evidence: dict[str, Any] | None = None,
) -> Result:
    return repair(text, config, protected=protected_spans(text, markup), evidence=evidence)
