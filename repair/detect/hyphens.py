"""Broken hyphenation: "state -of -the -art" → "state-of-the-art", "one -month" → "one-month".

MT output often puts a space before a compound's hyphen.  A hyphen with a space before it
and a letter right after it, between two words, is such a break.  Real dashes have spaces
on both sides ("a - b", "a – b"), minus signs and ranges have digits after them ("-5",
"3 -4"), and bullets start a line: none of those match.  Command-line flags ("ls -la")
are short non-words and are left alone too; the short particles that end compounds ("set -up",
"day -to-day") are not flags.
"""

from __future__ import annotations

import re

from repair.document import Document
from repair.edits import Edit
from repair.pipeline import Context, StageOutput, register

# word, spaces, hyphen, word: the spaces are the damage.
BROKEN_RE = re.compile(r"(?<=[^\W_])([ \t]+)-(?=([^\W\d_]+))")
# A chain of broken hyphens ("state -of -the -art") is unmistakable.
CHAIN_RE = re.compile(r"[^\W_]+(?:[ \t]+-[^\W\d_]+){2,}")
# Short second halves of compounds ("set -up", "day -to-day", "check -in").  Flags can be
# words too ("grep -in", "ls -on"), so a particle counts only after a word that heads such
# compounds, or when the compound goes on intact ("day -to-day").
PARTICLES = frozenset({"up", "in", "on", "by", "to", "of", "off", "out"})
COMPOUND_HEADS = frozenset(
    """set check warm build follow break take log sign run lay kick hand drop walk sell play
    stand shake mix line start pick back lock make clean cover round wind push pull sit drive
    lead plug add spin face tip cut knock carry turn look black bail work fall time shut hang
    roll hold catch call write wash dug cash top pay buy stop fly pass by mock send""".split()
)


def _zipf(word: str) -> float:
    from repair.freq import zipf

    return zipf(word.lower())


def _chain_at(text: str, pos: int) -> str | None:
    """The whole broken chain ("state -of -the -art") around ``pos``, if there is one."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    line = text[start : end if end >= 0 else len(text)]
    for m in CHAIN_RE.finditer(line):
        if m.start() <= pos - start < m.end():
            return m.group()
    return None


def hyphen_edit(doc: Document, m: re.Match[str]) -> Edit | None:
    text = doc.text
    right = m.group(2)
    left_start = m.start(1)
    while left_start > 0 and (text[left_start - 1].isalnum()):
        left_start -= 1
    left = text[left_start : m.start(1)]
    if not left:
        return None
    chain = _chain_at(text, m.start())
    after = m.end(1) + 1 + len(right)
    if text[after : after + 1] == "=":
        return None  # "--opt=value"
    tail = ""
    if text[after : after + 1] == "-":
        t = re.match(r"-[^\W\d_]+", text[after:])
        if t is None:
            return None
        tail = t.group()  # "command -and-control": the rest of the compound is intact
    particle = right.lower() in PARTICLES and left.isalpha() and (
        bool(tail) or left.lower() in COMPOUND_HEADS
    )
    if chain is None and not particle and (
        len(right) < 3 or (right[0].islower() and _zipf(right) < 2.5)
    ):
        return None  # "ls -la", "rm -rf": a flag, not half of a compound
    spaces = m.group(1)
    if chain is not None:
        conf = 0.95
    elif right[0].islower() or left[0].isupper():
        conf = 0.92
    else:
        conf = 0.85
    broken = chain or f"{left}{spaces}-{right}{tail}"
    compound = re.sub(r"[ \t]+-", "-", broken)
    reason = f"broken hyphenation: {broken!r} is the compound {compound!r}"
    return Edit(m.start(1), m.end(1), spaces, "", "hyphen", reason, conf)


@register("hyphens")
def fix_hyphens(doc: Document, ctx: Context) -> StageOutput:
    if " -" not in doc.text and "\t-" not in doc.text:
        return StageOutput()
    edits = []
    for m in BROKEN_RE.finditer(doc.text):
        e = hyphen_edit(doc, m)
        if e is not None:
            edits.append(e)
    return StageOutput(edits=edits)
