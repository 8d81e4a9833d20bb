"""Spintax residue: ``{that a}`` → ``that a``; ``{a|b|c}`` → the option that fits best.

Article spinners write alternatives as ``{a|b|c}`` and sometimes leak them, or leak the
braces around a phrase they already picked.  Braces around plain words are not English
prose, so removing them is safe; braces in code, JSON, LaTeX or templates are left alone.
"""

from __future__ import annotations

import math
import re

from repair.document import Document
from repair.edits import Edit
from repair.pipeline import Context, StageOutput, register

# A single pair of braces around text without braces or newlines, not escaped or doubled.
BRACES_RE = re.compile(r"(?<![\w\\$%#{@])\{([^{}\n]{1,300})\}(?![}\w])")
# One option: plain words (letters, apostrophes, inner hyphens, commas, full stops).
OPTION_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*(?:[ ,.]+[^\W\d_]+(?:[-'’][^\W\d_]+)*)*\.?")
# A line with these is code or a template: its braces are not spintax.
CODE_HINTS_RE = re.compile(r"\{\{|\}\}|\$\{|\\[a-zA-Z]|=>|;\s*$|\bfunction\b|\w\(|\":|\w=")
MAX_OPTIONS = 8
MAX_WORDS = 6


def _zipf(word: str) -> float:
    from repair.freq import zipf

    return zipf(word.lower())


def _score(option: str) -> float:
    """Mean Zipf frequency of an option's words: common phrasing scores higher."""
    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", option)
    if not words:
        return 0.0
    return sum(_zipf(w) for w in words) / len(words)


def parse_options(inner: str) -> list[str] | None:
    """The options of a spintax group, or None when the braces hold something else."""
    options = [o.strip() for o in inner.split("|")]
    if not 1 <= len(options) <= MAX_OPTIONS:
        return None
    if len(options) > 1 and all(len(o) == 1 for o in options):  # {a|b}: a set or a pattern
        return None
    for o in options:
        if not OPTION_RE.fullmatch(o) or len(o.split()) > MAX_WORDS:
            return None
    return options


def _prose_of_line(doc: Document, pos: int) -> str:
    """The line around ``pos`` with HTML tags (protected markup) blanked out.

    ``<p class="x">`` is markup, not code in the prose: its ``x=`` must not make the
    sentence's braces look like a template.
    """
    text = doc.text
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    end = end if end >= 0 else len(text)
    line = list(text[start:end])
    for sp in doc.protected_at(start, end):
        if sp.label == "markup" and text.startswith("<", sp.start):
            for i in range(max(sp.start, start), min(sp.end, end)):
                line[i - start] = " "
    return "".join(line)


def residue_edit(doc: Document, m: re.Match[str], options: list[str]) -> Edit | None:
    """``{that a}``: the spinner already chose; drop the braces."""
    (phrase,) = options
    words = phrase.split()
    if len(words) == 1:
        w = words[0]
        if any(c.isupper() for c in w[1:]):  # camelCase: a template placeholder
            return None
        if _zipf(w) < 3.0:
            return None
        # One word may be a template placeholder ("Dear {name}"): suggest only.
        conf = 0.8
    else:
        conf = 0.97
    reason = f"spintax residue: braces around {phrase!r} left by an article spinner"
    return Edit(m.start(), m.end(), m.group(0), phrase, "spintax", reason, conf)


def choice_edit(doc: Document, m: re.Match[str], options: list[str]) -> Edit:
    """``{a|b|c}``: keep the most common option; sure when it clearly beats the rest."""
    ranked = sorted(options, key=_score, reverse=True)
    best, second = ranked[0], ranked[1]
    gap = _score(best) - _score(second)  # Zipf is log10: 0.3 is a factor of two
    clear = gap >= math.log10(2)
    conf = 0.96 if clear else 0.9
    how = "clearly the most common" if clear else "the most common, narrowly"
    reason = (
        f"spintax: the spinner's {len(options)} alternatives leaked;"
        f" kept {best!r}, {how} by word frequency"
    )
    return Edit(m.start(), m.end(), m.group(0), best, "spintax", reason, conf)


@register("spintax")
def fix_spintax(doc: Document, ctx: Context) -> StageOutput:
    if "{" not in doc.text:
        return StageOutput()
    edits = []
    for m in BRACES_RE.finditer(doc.text):
        options = parse_options(m.group(1))
        if options is None or CODE_HINTS_RE.search(_prose_of_line(doc, m.start())):
            continue
        edit = residue_edit(doc, m, options) if len(options) == 1 else choice_edit(doc, m, options)
        if edit is not None:
            edits.append(edit)
    return StageOutput(edits=edits)
