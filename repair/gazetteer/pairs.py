"""Names the news corpus writes beside the same neighbour: evidence for people in no list.

A mangled name that no list knows ("Heizzo Takenaka", "Brent Bozelle", "Leytona Orient")
can still be restored when the shipped n-gram table (33M words of news and Wikipedia) holds
a one-letter variant of it next to the same neighbour ("heizo takenaka", "brent bozell",
"leyton orient") while the written word is unknown to the table.  The table stores hashed
counts only, so candidates are generated (the edits a mangling undoes: a letter dropped,
doubled, changed or swapped) and looked up; no vocabulary is needed.

The table is lower-cased, so a pair written often is not enough: 'florence could' and
'london road' come from ordinary sentences.  The variant must also be bound to its
neighbour (pointwise mutual information of at least ``MIN_ASSOCIATION`` nats): 'heizo
takenaka' 14.5, 'brent bozell' 10.9, 'university of zimbabwe' 5.1; 'florence could' 1.3,
'london road' 2.8, 'iowa city' 3.5.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Counts are the table's: BBC text counts three times, so one BBC mention passes.
MIN_PAIR_COUNT = 2.5
MIN_ASSOCIATION = 4.5  # log(pair * N / (count(variant) * count(neighbour))), in nats
DOMINANCE = 4.0  # the best variant's pair count over the runner-up's


@dataclass(frozen=True, slots=True)
class PairMatch:
    word: str  # the variant, lower case
    gram: tuple[str, ...]  # the n-gram the corpus writes, the variant included
    count: float  # corpus count of that n-gram
    runner_up: float  # n-gram count of the next variant (0 when none)
    association: float  # pointwise mutual information of the variant and its neighbour


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
    (one word, or two: 'irvine of' + 'lairg'), lower-cased.

    None unless the written word is unknown to the table, some variant is known alone and
    in the n-gram at least ``MIN_PAIR_COUNT`` times, bound to its neighbour
    (``MIN_ASSOCIATION``), and clearly more often written than any other variant.
    """
    from repair.lm import get_lm, norm_token

    for ctx in (left, right):
        if ctx is not None and not 1 <= len(ctx) <= 2:
            raise ValueError(f"corpus_pair: a neighbour is one or two words, got {ctx!r}")
    lm = get_lm()
    if lm is None or (not left and not right):
        return None
    w = norm_token(word)
    if lm.count(w) > 0:
        return None
    variants = one_edit_variants(w)
    known = lm.counts([(v,) for v in variants])
    alone = {v: float(c) for v, c in zip(variants, known, strict=True) if c > 0}
    if not alone:
        return None
    grams: list[tuple[str, ...]] = []
    owners: list[tuple[str, tuple[str, ...]]] = []
    for v in alone:
        for ctx, gram in ((left, (*left, v) if left else ()), (right, (v, *right) if right else ())):
            if ctx:
                grams.append(gram)
                owners.append((v, ctx))
    found = sorted(zip(lm.counts(grams), owners, grams, strict=True), key=lambda x: -x[0])
    best_count, (best, ctx), gram = found[0]
    if best_count < MIN_PAIR_COUNT:
        return None
    rival = next((c for c, (v, _), _ in found[1:] if v != best), 0.0)
    if rival * DOMINANCE > best_count:
        return None
    n = lm.totals.get("tokens", 1)
    ctx_count = lm.count(*ctx)
    if ctx_count <= 0:
        return None
    association = math.log(best_count * n / (alone[best] * ctx_count))
    if association < MIN_ASSOCIATION:
        return None
    return PairMatch(best, gram, float(best_count), float(rival), association)
