"""Names the news corpus writes beside the same neighbour: evidence for people in no list.

A mangled name that no list knows ("Heizzo Takenaka", "Brent Bozelle", "Leytona Orient")
can still be restored when the shipped n-gram table (33M words of news and Wikipedia) holds
a one-letter variant of it next to the same neighbour ("heizo takenaka", "brent bozell",
"leyton orient") while the written word is unknown to the table.  The table stores hashed
counts only, so candidates are generated (the edits a mangling undoes: a letter dropped,
doubled, changed or swapped) and looked up; no vocabulary is needed.
"""

from __future__ import annotations

from dataclasses import dataclass

LETTERS = "abcdefghijklmnopqrstuvwxyz"
MIN_PAIR_COUNT = 2.5  # the pair is written at least three times in the corpus
DOMINANCE = 4.0  # the best variant's pair count over the runner-up's


@dataclass(frozen=True, slots=True)
class PairMatch:
    word: str  # the variant, lower case
    gram: tuple[str, ...]  # the n-gram the corpus writes, the variant included
    count: float  # corpus count of that n-gram
    runner_up: float  # n-gram count of the next variant (0 when none)


def one_edit_variants(word: str) -> list[str]:
    """Every lower-case spelling one deletion, insertion, substitution or swap away."""
    w = word.lower()
    out: set[str] = set()
    for i in range(len(w) + 1):
        left, right = w[:i], w[i:]
        if right:
            out.add(left + right[1:])
            if len(right) > 1:
                out.add(left + right[1] + right[0] + right[2:])
            out.update(left + c + right[1:] for c in LETTERS)
        out.update(left + c + right for c in LETTERS)
    out.discard(w)
    return sorted(v for v in out if len(v) >= 3)


def corpus_pair(
    word: str, left: tuple[str, ...] | None, right: tuple[str, ...] | None
) -> PairMatch | None:
    """The one variant of ``word`` that the corpus writes after ``left`` or before ``right``
    (one word, or two: 'irvine of' + 'lairg').

    None unless the written word is unknown to the table, some variant is known both alone
    and in the n-gram at least ``MIN_PAIR_COUNT`` times, and it clearly outnumbers any other.
    """
    from repair.lm import get_lm, norm_token

    lm = get_lm()
    if lm is None or (not left and not right):
        return None
    w = norm_token(word)
    if lm.count(w) > 0:
        return None
    variants = one_edit_variants(w)
    known = lm.counts([(v,) for v in variants])
    variants = [v for v, c in zip(variants, known, strict=True) if c > 0]
    if not variants:
        return None
    grams: list[tuple[str, ...]] = []
    owners: list[str] = []
    for v in variants:
        for gram in ((*left, v) if left else None, (v, *right) if right else None):
            if gram is not None:
                grams.append(gram)
                owners.append(v)
    found = sorted(zip(lm.counts(grams), owners, grams, strict=True), key=lambda x: -x[0])
    best_count, best, gram = found[0]
    if best_count < MIN_PAIR_COUNT:
        return None
    rival = next((c for c, v, _ in found[1:] if v != best), 0.0)
    if rival * DOMINANCE > best_count:
        return None
    return PairMatch(best, gram, float(best_count), float(rival))
