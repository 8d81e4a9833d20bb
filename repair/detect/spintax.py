"""Spintax residue: ``{that a}`` → ``that a``; ``{a|b|c}`` → the option that fits best."""

from __future__ import annotations

import re

from repair.document import Document
from repair.edits import Edit
from repair.pipeline import Context, StageOutput, register

# Braces around plain words (no code-like characters), at most 8 options of ≤ 6 words.
SPINTAX_RE = re.compile(r"\{([A-Za-z][\w'’ ,.-]{0,60}(?:\|[\w'’ ,.-]{0,60}){0,7})\}")


def _freq(phrase: str) -> float:
    from wordfreq import word_frequency

    words = phrase.split()
    if not words:
        return 0.0
    score = 1.0
    for w in words:
        score *= word_frequency(w.lower(), "en") or 1e-9
    return score ** (1 / len(words))


@register("spintax")
def fix_spintax(doc: Document, ctx: Context) -> StageOutput:
    edits = []
    for m in SPINTAX_RE.finditer(doc.text):
        options = [o.strip() for o in m.group(1).split("|")]
        if len(options) == 1:
            after = options[0]
            reason = "spintax residue: braces left by an article spinner"
        else:
            after = max(options, key=_freq)
            reason = f"spintax: picked {after!r} of {len(options)} options by word frequency"
        edits.append(Edit(m.start(), m.end(), m.group(0), after, "spintax", reason, 0.97))
    return StageOutput(edits=edits)
