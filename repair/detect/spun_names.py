"""Spinner swaps inside names: "Downing Road", "the Commerce Division", "NUJ Common Secretary".

A spinner swaps words whatever their case, so the names of streets, ministries, unions and
events come out with a synonym inside them ("Downing Street" → "Downing Road", "Electoral
Commission" → "Electoral Fee").  The lexicon's entries are not trusted there: a capitalised
word mid-sentence is usually part of a name, and names are protected.  Inside a run of
capitalised words the n-gram table can decide instead.  A word the lexicon knows as a spun
form ("road" for "street") is restored when, next to a capitalised neighbour of the same
run, the pair with the canonical word is common ("downing street", at least
``MIN_PAIR_COUNT``) and the pair as written is at least ``MIN_PAIR_RATIO`` times rarer
("downing road").  A real name keeps its word because the table knows it as written ("BBC
Worldwide", "Abbey Road", "Nationwide Building Society").

Measured on 608k words of clean BBC, AllSides and Wikipedia text read as spun: no change.
Only the lexicon's own word swaps are candidates; the inverted thesaurus proposes "school"
for "Law Society" and "draw" for "the Vantage", so it is left out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from repair.document import Document
from repair.edits import Edit

MIN_PAIR_COUNT = 20.0  # the restored pair, in the n-gram table's (weighted) counts
MIN_PAIR_RATIO = 50.0  # ... at least this many times the pair as written
CONFIDENCE = 0.95  # in a document that looks spun (spun score at least MIN_RHO)
SUGGESTION = 0.7  # elsewhere: a suggestion
MIN_RHO = 0.5
# Words that join a name's capitalised words ("Department of Health", "Marks & Spencer").
CONNECTORS = frozenset({"of", "and", "&", "for", "the", "de", "on", "in"})
# The month "May" that a spinner read as the verb: "in Might", "last Might", "Might 2005".
MONTH_BEFORE = frozenset(
    {"in", "last", "next", "early", "late", "mid", "since", "until", "till", "by", "from", "this",
     "during", "before", "after", "between"}
)
SPUN_MAY = frozenset({"Might"})


def _cap_word(w: str) -> bool:
    """A capitalised word ("Road") or an acronym ("NUJ", "UK"), not a number."""
    return w[:1].isupper() and w.isalpha()


def name_runs(doc: Document) -> list[list[int]]:
    """Token indexes of each run of capitalised words (with connectors between them), cut at
    line breaks; only runs with two or more capitalised words."""
    text, spans = doc.text, doc.tokens
    runs: list[list[int]] = []
    cur: list[int] = []

    def close() -> None:
        while cur and not _cap_word(text[spans[cur[-1]][0] : spans[cur[-1]][1]]):
            cur.pop()  # a trailing connector
        if sum(1 for k in cur if _cap_word(text[spans[k][0] : spans[k][1]])) >= 2:
            runs.append(list(cur))
        cur.clear()

    for k, (s, e) in enumerate(spans):
        w = text[s:e]
        if cur and "\n" in text[spans[k - 1][1] : s]:
            close()
        if _cap_word(w):
            cur.append(k)
        elif cur and w.lower() in CONNECTORS:
            cur.append(k)
        else:
            close()
    close()
    return runs


def name_swap_edits(
    doc: Document,
    toks: Sequence[str],
    lm,
    rho: float,
    swaps: Mapping[str, tuple[str, ...]],
    *,
    skip: frozenset[str] = frozenset(),
    sentence_initial=None,
) -> list[Edit]:
    """Restore lexicon word swaps inside names where the n-gram table confirms the name.

    ``toks``: the document's normalised tokens; ``swaps``: spun word -> canonical words (from
    the lexicon); ``skip``: words never changed (function words); ``sentence_initial(i)``
    says whether token ``i`` starts a sentence (such a word is capitalised for that reason).
    """
    if lm is None or not swaps:
        return []
    text, spans = doc.text, doc.tokens

    def neighbour(j: int, members: set[int]) -> str | None:
        """A capitalised word of the same run (not a connector): the name's evidence."""
        if j not in members:
            return None
        w = text[spans[j][0] : spans[j][1]]
        return toks[j] if _cap_word(w) and toks[j] not in CONNECTORS else None

    out: list[Edit] = []
    for run in name_runs(doc):
        members = set(run)
        for k in run:
            w = text[spans[k][0] : spans[k][1]]
            t = toks[k]
            if not (w[:1].isupper() and w[1:].islower() and w.isalpha()) or t in skip:
                continue
            cands = [c for c in swaps.get(t, ()) if c != t and c not in skip]
            if not cands or (sentence_initial is not None and sentence_initial(k)):
                continue
            left, right = neighbour(k - 1, members), neighbour(k + 1, members)
            if left is None and right is None:
                continue
            best: tuple[float, str, tuple[str, str], float] | None = None
            for c in cands:
                sides = []
                if left is not None:
                    sides.append(((left, c), lm.count(left, c), lm.count(left, t)))
                if right is not None:
                    sides.append(((c, right), lm.count(c, right), lm.count(t, right)))
                if any(n_c < n_s for _, n_c, n_s in sides):
                    continue  # one neighbour prefers the name as written
                strong = [(n_c, pair, n_s) for pair, n_c, n_s in sides
                          if n_c >= MIN_PAIR_COUNT and n_s * MIN_PAIR_RATIO <= n_c]
                if not strong:
                    continue
                n_c, pair, n_s = max(strong)
                if best is None or n_c > best[0]:
                    best = (n_c, c, pair, n_s)
            if best is None:
                continue
            n_c, c, pair, n_s = best
            conf = CONFIDENCE if rho >= MIN_RHO else SUGGESTION
            spun_pair = " ".join(t if x == c else x for x in pair)
            after = c[:1].upper() + c[1:]
            reason = (
                f"spinner synonym inside a name: {w!r} is a spun form of {after!r} (lexicon); "
                f"the n-gram table has {' '.join(pair)!r} {n_c:,.0f} times and {spun_pair!r} "
                f"{'never' if n_s == 0 else f'{n_s:,.0f} times'} (document spun score {rho:.2f})"
            )
            out.append(Edit(spans[k][0], spans[k][1], w, after, "spun-phrase", reason, round(conf, 4)))
    return out


def month_edits(doc: Document, toks: Sequence[str], rho: float) -> list[Edit]:
    """"in Might", "last Might 2005": the month May, which a spinner swapped as the verb."""
    if rho < MIN_RHO:
        return []
    text, spans = doc.text, doc.tokens
    out = []
    for k, (s, e) in enumerate(spans):
        w = text[s:e]
        if w not in SPUN_MAY or k == 0:
            continue
        prev = text[spans[k - 1][0] : spans[k - 1][1]]
        nxt = text[spans[k + 1][0] : spans[k + 1][1]] if k + 1 < len(spans) else ""
        if "\n" in text[spans[k - 1][1] : s]:
            continue
        if not (prev.lower() in MONTH_BEFORE or nxt[:1].isdigit()):
            continue
        reason = (
            f"spinner synonym: {w!r} after {prev!r} is the month 'May', which a spinner swapped "
            f"as the verb (document spun score {rho:.2f})"
        )
        out.append(Edit(s, e, w, "May", "spun-phrase", reason, CONFIDENCE))
    return out
