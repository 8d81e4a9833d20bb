"""A tiny stand-in stage for the report/review tests: fixed, known proposals.

The real stages change as the project grows; these tests are about showing and deciding
changes, so they run the real pipeline with one stage whose proposals they know.
"""

from __future__ import annotations

import re

from repair.config import RepairConfig
from repair.diff import FileReport
from repair.edits import Edit, Finding
from repair.pipeline import Pipeline, Result, StageOutput, register

STAGE = "t_review_demo"
# wrong -> (right, confidence, kind): >= 0.9 is applied, below stays a suggestion.
PAIRS = {
    "mentioned": ("said", 0.95, "synonym"),
    "international locations": ("countries", 0.93, "synonym"),
    "Kir Stmper": ("Keir Starmer", 0.6, "name"),
}
FLAG = "Zelancesi"

TEXT = (
    "Officials mentioned that international locations backed the plan. "
    "Kir Stmper spoke to reporters.\n\n"
    "Zelancesi agreed. The minister mentioned the deal.\n"
)


@register(STAGE)
def demo_stage(doc, ctx) -> StageOutput:  # type: ignore[no-untyped-def]
    edits = []
    for wrong, (right, conf, kind) in PAIRS.items():
        for m in re.finditer(re.escape(wrong), doc.text):
            reason = f"spinner synonym: {wrong!r} is how a spinner rewrites {right!r}"
            edits.append(Edit(m.start(), m.end(), wrong, right, kind, reason, conf))
    flags = [
        Finding(m.start(), m.end(), "name", "unknown name; no spelling found", (), 0.4, FLAG)
        for m in re.finditer(FLAG, doc.text)
    ]
    return StageOutput(edits=edits, findings=flags, scores={"spun_score": 0.87})


def run(text: str) -> Result:
    return Pipeline(RepairConfig(), stages=[STAGE]).run(text)


def report(text: str, path: str = "article.txt") -> FileReport:
    return FileReport(path, run(text))
