"""The per-document work, shared by the local worker processes and the Ray actors.

Every document is repaired on its own (fresh evidence), so the output does not depend on
how documents are split between workers: ``--jobs 4`` gives byte-for-byte ``--jobs 1``.
"""

from __future__ import annotations

import signal
from collections import Counter
from typing import Any

from repair.config import RepairConfig
from repair.errors import InputError
from repair.io import decode

# Finding kinds whose (before, suggestion) pairs are mined as lexicon candidates.
MINE_KINDS = frozenset({"spun-phrase", "spun-quote"})

_CONFIG: RepairConfig | None = None


def init_worker(config: RepairConfig, *, ignore_sigint: bool = True) -> None:
    """Build the pipeline once per worker (stages, data files, model), so documents only run it.

    Workers ignore Ctrl-C: the parent process catches it, stops the pool and saves the manifest.
    """
    global _CONFIG
    if ignore_sigint:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    _CONFIG = config
    from repair.runner import run_text

    run_text("Warm up.", config)  # imports every stage and loads its data now, not per document


def repair_text(text: str, config: RepairConfig, markup: str = "text") -> dict[str, Any]:
    """Repair one document; return the added output fields and the statistics for the summary."""
    from repair.runner import run_text

    res = run_text(text, config, markup=markup)
    edits = [
        {
            "start": f.start,
            "end": f.end,
            "before": f.before,
            "after": f.suggestions[0] if f.suggestions else "",
            "kind": f.kind,
            "reason": f.message,
            "confidence": round(f.confidence, 4),
            "stage": f.stage,
        }
        for f in res.findings
        if f.applied
    ]
    mined = [
        [f.before, f.suggestions[0] if f.suggestions else "", f.applied]
        for f in res.findings
        if f.kind in MINE_KINDS and f.before.strip()
    ]
    score = res.scores.get("spun_score")
    return {
        "repaired": res.text,
        "edits": edits,
        "spun_score": None if score is None else float(score),
        "stats": {
            "changed": res.changed,
            "kinds": dict(Counter(e["kind"] for e in edits)),
            "words": len(text.split()),
            "mined": mined,
        },
    }


def process(task: tuple[Any, ...]) -> dict[str, Any]:
    """Run one task in a worker: ``("text", text, markup)`` or ``("file", name, data, markup)``.

    Never raises for a bad document: the error comes back as ``{"error": ...}``.
    """
    assert _CONFIG is not None, "init_worker was not called"
    try:
        if task[0] == "file":
            _, name, data, markup = task
            text, newline = decode(data, name)
            out = repair_text(text, _CONFIG, markup)
            out["newline"] = newline
            return out
        _, text, markup = task
        return repair_text(text, _CONFIG, markup)
    except InputError as exc:
        return {"error": exc.problem}
    except Exception as exc:  # a stage bug must not stop a million-document batch
        return {"error": f"internal error: {type(exc).__name__}: {exc}"}


def process_chunk(tasks: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [process(t) for t in tasks]
