"""Quality figures for repaired text against a gold original, on word tokens.

Definitions (issue 3), all on ``tokens(s) = re.findall(r"\\w+|[^\\w\\s]", s)``:

- ``repair`` = 1 - dist(out, gold) / dist(in, gold), token Levenshtein: the share of the
  damage removed; negative means the output is further from gold than the input.  A row whose
  input already equals gold has no damage to remove, so its own ``repair`` is None; totals are
  micro-averaged, 1 - sum dist(out, gold) / sum dist(in, gold), None when that sum is 0.
- ``P``, ``R``, ``F0.5``: edit level.  An edit is a maximal run of adjacent non-equal Levenshtein
  opcodes, written ``(start, end, replacement tokens)`` over the input tokens.  Edits in->out are
  scored against edits in->gold by exact match.  ERRANT's convention for empty sets: P = 1 with
  no predicted edits, R = 1 with no gold edits, F = 0 when P + R = 0.
- ``fp_per_k``: tokens changed per 1,000 input tokens, where an in->out edit changes
  max(len(span), len(replacement)) tokens.  On clean text (gold == input) every change is wrong.
- ``wer_in`` / ``wer_out``: dist(in, gold) / len(gold) and dist(out, gold) / len(gold).
- kinds ``name:X->Y`` (X the real name, Y its damaged form): of the occurrences of X in gold
  that the input lacks, the share the output has back (``name_restored``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz.distance import Levenshtein

TOKEN = re.compile(r"\w+|[^\w\s]")

EditKey = tuple[int, int, tuple[str, ...]]


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text)


def distance(a: Sequence[str], b: Sequence[str]) -> int:
    """Token Levenshtein distance (unit costs)."""
    return int(Levenshtein.distance(a, b))


def edits(src: Sequence[str], dst: Sequence[str]) -> list[EditKey]:
    """The edits turning ``src`` into ``dst``: adjacent non-equal opcodes merged into one."""
    out: list[EditKey] = []
    start = end = -1
    repl: list[str] = []
    for op in Levenshtein.opcodes(src, dst):
        if op.tag == "equal":
            if start >= 0:
                out.append((start, end, tuple(repl)))
                start, repl = -1, []
            continue
        if start < 0:
            start = op.src_start
        end = op.src_end
        repl.extend(dst[op.dest_start : op.dest_end])
    if start >= 0:
        out.append((start, end, tuple(repl)))
    return out


def changed_tokens(found: Iterable[EditKey]) -> int:
    """Tokens an edit list touches: max(len(span), len(replacement)) per edit."""
    return sum(max(end - start, len(repl)) for start, end, repl in found)


def count_seq(haystack: Sequence[str], needle: Sequence[str]) -> int:
    """Non-overlapping occurrences of the token sequence ``needle`` in ``haystack``."""
    n = len(needle)
    if n == 0:
        return 0
    count = i = 0
    first = needle[0]
    last = len(haystack) - n
    while i <= last:
        if haystack[i] == first and list(haystack[i : i + n]) == list(needle):
            count += 1
            i += n
        else:
            i += 1
    return count


def parse_name_kind(kind: str) -> tuple[str, str] | None:
    """``name:X->Y`` -> (X, Y); None for other kinds."""
    if not kind.startswith("name:") or "->" not in kind:
        return None
    real, _, damaged = kind[5:].partition("->")
    return real, damaged


@dataclass
class RowScore:
    """Counts for one row; totals add these up so every figure is micro-averaged."""

    tokens_in: int = 0
    tokens_gold: int = 0
    dist_in: int = 0
    dist_out: int = 0
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0
    changed: int = 0
    names_missing: int = 0
    names_restored: int = 0

    @property
    def repair(self) -> float | None:
        return None if self.dist_in == 0 else 1 - self.dist_out / self.dist_in

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, **figures(self)}


def score_row(text: str, out: str, gold: str, kinds: Sequence[str] = ()) -> RowScore:
    t_in, t_out, t_gold = tokens(text), tokens(out), tokens(gold)
    pred = edits(t_in, t_out)
    want = edits(t_in, t_gold)
    s = RowScore(
        tokens_in=len(t_in),
        tokens_gold=len(t_gold),
        dist_in=distance(t_in, t_gold),
        dist_out=distance(t_out, t_gold),
        tp=len(set(pred) & set(want)),
        n_pred=len(pred),
        n_gold=len(want),
        changed=changed_tokens(pred),
    )
    for kind in kinds:
        pair = parse_name_kind(kind)
        if pair is None:
            continue
        name = tokens(pair[0])
        n_in = count_seq(t_in, name)
        missing = max(count_seq(t_gold, name) - n_in, 0)
        s.names_missing += missing
        s.names_restored += min(max(count_seq(t_out, name) - n_in, 0), missing)
    return s


@dataclass
class Totals(RowScore):
    rows: int = 0
    words: int = 0
    seconds: float = 0.0
    per_row_repair: list[float] = field(default_factory=list)

    def add(self, s: RowScore) -> None:
        self.rows += 1
        for k in RowScore.__dataclass_fields__:
            setattr(self, k, getattr(self, k) + getattr(s, k))
        if s.repair is not None:
            self.per_row_repair.append(s.repair)


def prf(tp: int, n_pred: int, n_gold: int, beta: float = 0.5) -> tuple[float, float, float]:
    """Precision, recall and F-beta with ERRANT's conventions for empty sets."""
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    b2 = beta * beta
    f = (1 + b2) * p * r / (b2 * p + r) if p + r else 0.0
    return p, r, f


def figures(s: RowScore) -> dict[str, Any]:
    """The reported figures for a row or a total (micro-averaged over its rows)."""
    p, r, f = prf(s.tp, s.n_pred, s.n_gold)
    return {
        "repair": s.repair,
        "P": p,
        "R": r,
        "F0.5": f,
        "fp_per_k": 1000 * s.changed / s.tokens_in if s.tokens_in else 0.0,
        "wer_in": s.dist_in / s.tokens_gold if s.tokens_gold else float(s.dist_in > 0),
        "wer_out": s.dist_out / s.tokens_gold if s.tokens_gold else float(s.dist_out > 0),
        "name_restored": s.names_restored / s.names_missing if s.names_missing else None,
    }


def summarize(t: Totals) -> dict[str, Any]:
    out = figures(t)
    per_row = sorted(t.per_row_repair)
    out.update(
        rows=t.rows,
        tokens_in=t.tokens_in,
        dist_in=t.dist_in,
        dist_out=t.dist_out,
        tp=t.tp,
        n_pred=t.n_pred,
        n_gold=t.n_gold,
        names_missing=t.names_missing,
        names_restored=t.names_restored,
        repair_row_median=per_row[len(per_row) // 2] if per_row else None,
        words=t.words,
        seconds=round(t.seconds, 3),
        words_per_s=round(t.words / t.seconds, 1) if t.seconds > 0 else None,
    )
    return out


def kind_groups(kinds: Sequence[str]) -> list[str]:
    """The per-kind buckets a row counts in: each kind, plus ``name`` for any ``name:X->Y``."""
    groups = list(dict.fromkeys(kinds))
    if any(parse_name_kind(k) for k in kinds):
        groups.append("name")
    return groups
