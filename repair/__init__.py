"""repair: fix English text damaged by machine translation and article spinners.

>>> from repair import repair
>>> repair("It is known {that a} meeting was held.").text
'It is known that a meeting was held.'
"""

from __future__ import annotations

from repair.config import RepairConfig
from repair.edits import Edit, Finding, Step, apply, replay
from repair.pipeline import Pipeline, Result, repair

__all__ = ["Edit", "Finding", "Pipeline", "RepairConfig", "Result", "Step", "apply", "check", "repair", "replay"]
__version__ = "0.1.0"


def check(text: str, config: RepairConfig | None = None) -> list[Finding]:
    """Every finding for ``text``: applied fixes and suggestions, in original offsets."""
    return repair(text, config).findings
