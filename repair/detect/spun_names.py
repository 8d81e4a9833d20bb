"""Spinner swaps inside names: "Downing Road", "the Commerce Division", "UK Independence Occasion".

A spinner swaps words whatever their case, so the names of streets, ministries, parties and
events come out with a synonym inside them ("Downing Street" → "Downing Road", "Electoral
Commission" → "Electoral Fee").  The lexicon's entries are not trusted there: a capitalised
word mid-sentence is usually part of a name, and names are protected.  Here a word the
lexicon knows as a spun form ("road" for "street"), in a run of capitalised words, goes back
when two sources agree:

* the whole name it gives is listed (the gazetteer: "Downing Street", "UK Independence
  Party") and the name as written is not;
* the n-gram table has never seen the written words together with a capitalised neighbour
  ("downing road"), so the name as written is nobody's ("National Safety Council" is).

The n-gram table alone (the restored pair at least ``MIN_PAIR_COUNT`` times and
``MIN_PAIR_RATIO`` times the written one) only makes a suggestion, and only in a text that
looks spun: it cannot tell "Downing Road" from a real "Red Road", whose restoration "Red
Line" is a common phrase.

The month "May" that a spinner read as the verb ("in Might.", "last Might 2005") comes back
too, where only a month fits: after "in", "last", "since"... and before punctuation or a
number ("This Might Get Loud" stays).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

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
        if not cur:
            if text[s].isupper() and text[s:e].isalpha():
                cur.append(k)
            continue
        w = text[s:e]
        if "\n" in text[spans[k - 1][1] : s]:
            close()
        if _cap_word(w):
            cur.append(k)
        elif cur and w.lower() in CONNECTORS:
            cur.append(k)
        elif cur:
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
    known: Callable[[str], bool] = lambda name: False,
    skip: frozenset[str] = frozenset(),
    sentence_initial: Callable[[int], bool] | None = None,
) -> list[Edit]:
    """Restore lexicon word swaps inside names.

    ``toks``: the document's normalised tokens; ``swaps``: spun word -> canonical words (from
    the lexicon); ``known(name)``: whether a name is listed (the gazetteer); ``skip``: words
    never changed (function words); ``sentence_initial(i)``: whether token ``i`` starts a
    sentence (such a word is capitalised for that reason).

    A restoration is applied (in a text that looks spun) only when the whole name it gives is
    listed and the name as written is not, and the n-gram table does not prefer the written
    words; the n-gram table alone ("Red Road" → "Red Line"?) makes it a suggestion.
    """
    if lm is None or not swaps:
        return []
    text, spans = doc.text, doc.tokens

    def word(j: int) -> str:
        return text[spans[j][0] : spans[j][1]]

    def neighbour(j: int, members: set[int]) -> str | None:
        """A capitalised word of the same run (not a connector): the name's evidence."""
        if j not in members:
            return None
        return toks[j] if _cap_word(word(j)) and toks[j] not in CONNECTORS else None

    # First the candidates of every name, then one batch of n-gram look-ups for all of them.
    plans: list[tuple[list[int], list[tuple[int, str | None, str | None, list[str]]]]] = []
    grams: set[tuple[str, str]] = set()
    for run in name_runs(doc):
        members = set(run)
        core = _core(run, word)
        specs = []
        for k in core:
            w, t = word(k), toks[k]
            if not (w[:1].isupper() and w[1:].islower() and w.isalpha()) or t in skip:
                continue
            if sentence_initial is not None and sentence_initial(k):
                continue
            left, right = neighbour(k - 1, members), neighbour(k + 1, members)
            cands = [c for c in swaps.get(t, ()) if c != t and c not in skip]
            if (left is None and right is None) or not cands:
                continue
            specs.append((k, left, right, cands))
            for c in (t, *cands):
                if left is not None:
                    grams.add((left, c))
                if right is not None:
                    grams.add((c, right))
        if specs:
            plans.append((core, specs))
    if not plans:
        return []
    ordered = sorted(grams)
    count = dict(zip(ordered, (float(x) for x in lm.counts(ordered)), strict=True))

    out: list[Edit] = []
    for core, specs in plans:
        # token -> [(canonical, [("restored pair|written pair", count restored, count written)])]
        slots: dict[int, list[tuple[str, list[tuple[str, float, float]]]]] = {}
        for k, left, right, cands in specs:
            t = toks[k]
            options = []
            for c in cands:
                sides = []
                if left is not None:
                    sides.append((f"{left} {c}|{left} {t}", count[(left, c)], count[(left, t)]))
                if right is not None:
                    sides.append((f"{c} {right}|{t} {right}", count[(c, right)], count[(t, right)]))
                if any(n_c < n_s for _, n_c, n_s in sides):
                    continue  # a neighbour prefers the name as written
                options.append((c, sides))
            if options:
                slots[k] = options
        if slots:  # a name listed as written is nobody's spun form ("Nationwide League")
            real = [
                seg for seg in _segments(core, word)
                if any(k in seg for k in slots) and known(text[spans[seg[0]][0] : spans[seg[-1]][1]])
            ]
            slots = {k: v for k, v in slots.items() if not any(k in seg for seg in real)}
        if not slots:
            continue
        listed = _listed_restoration(core, slots, word, text, spans, known)
        for k, options in slots.items():
            w = word(k)
            if listed is not None and k in listed:
                c, name = listed[k]
                sides = next(sd for cc, sd in options if cc == c)
                if any(n_s > 0 for _, _, n_s in sides):
                    continue  # the table knows the name as written ("National Safety Council")
                conf = CONFIDENCE if rho >= MIN_RHO else SUGGESTION
                evidence = f"{name!r} is a listed name and the written one is not"
            else:
                strong = [
                    (n_c, pair, n_s, c) for c, sides in options for pair, n_c, n_s in sides
                    if n_c >= MIN_PAIR_COUNT and n_s * MIN_PAIR_RATIO <= n_c
                ]
                if not strong or rho < MIN_RHO:
                    continue
                n_c, pairs, n_s, c = max(strong)
                conf = SUGGESTION
                pair, written = pairs.split("|")
                evidence = (
                    f"the n-gram table has {pair!r} {n_c:,.0f} times and {written!r} "
                    f"{'never' if n_s == 0 else f'{n_s:,.0f} times'}; no listed name confirms it"
                )
            after = c[:1].upper() + c[1:]
            reason = (
                f"spinner synonym inside a name: {w!r} is a spun form of {after!r} (lexicon); "
                f"{evidence} (document spun score {rho:.2f})"
            )
            out.append(Edit(spans[k][0], spans[k][1], w, after, "spun-phrase", reason, conf))
    return out


def _core(run: list[int], word: Callable[[int], str]) -> list[int]:
    """A run without a leading "The"/"the" and connectors: the name itself."""
    i = 0
    while i < len(run) and (word(run[i]).lower() in CONNECTORS):
        i += 1
    return run[i:]


def _segments(core: list[int], word: Callable[[int], str]) -> list[list[int]]:
    """The core and its parts between joining words other than "of" and "&": "Downing Road on
    Monday" holds "Downing Road"; "Department of Health" stays whole."""
    parts: list[list[int]] = [[]]
    for k in core:
        if word(k).lower() in CONNECTORS and word(k).lower() not in ("of", "&"):
            parts.append([])
        else:
            parts[-1].append(k)
    return [core] + [p for p in parts if 2 <= len(p) < len(core)]


def _listed_restoration(
    core: list[int],
    slots: Mapping[int, list[tuple[str, list[tuple[str, float, float]]]]],
    word: Callable[[int], str],
    text: str,
    spans: Sequence[tuple[int, int]],
    known: Callable[[str], bool],
) -> dict[int, tuple[str, str]] | None:
    """The restorations (token -> (canonical, whole name)) that turn a whole name into a
    listed one, trying one or two swapped words ("Information Worldwide" -> "News
    International"); None when nothing listed comes out.  A name is the run of capitalised
    words, or a part of it between joining words ("Downing Road" in "Downing Road on
    Monday"), and it must not be listed as written."""
    keys = list(slots)[:4]
    choices: list[dict[int, str]] = [{k: c} for k in keys for c, _ in slots[k]]
    choices += [
        {a: ca, b: cb} for i, a in enumerate(keys) for b in keys[i + 1 :]
        for ca, _ in slots[a] for cb, _ in slots[b]
    ]
    segments = _segments(core, word)
    for choice in choices:
        for seg in segments:
            if not all(k in seg for k in choice):
                continue
            start, end = spans[seg[0]][0], spans[seg[-1]][1]
            parts, pos = [], start
            for k in sorted(choice):
                s, e = spans[k]
                c = choice[k]
                parts += [text[pos:s], c[:1].upper() + c[1:]]
                pos = e
            parts.append(text[pos:end])
            name = "".join(parts)
            if known(name) and not known(text[start:end]):
                return {k: (c, name) for k, c in choice.items()}
    return None


def listed_names_at(doc: Document, positions: Sequence[int], known: Callable[[str], bool]) -> list[tuple[int, int]]:
    """Character spans of listed names, as written, that hold one of ``positions``: a word
    there belongs to a real name ("the Nationwide League"), not to a spinner."""
    if not positions:
        return []
    text, spans = doc.text, doc.tokens

    def word(j: int) -> str:
        return text[spans[j][0] : spans[j][1]]

    out = []
    for run in name_runs(doc):
        lo, hi = spans[run[0]][0], spans[run[-1]][1]
        if not any(lo <= p < hi for p in positions):
            continue
        for seg in _segments(_core(run, word), word):
            start, end = spans[seg[0]][0], spans[seg[-1]][1]
            if any(start <= p < end for p in positions) and known(text[start:end]):
                out.append((start, end))
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
        if not (prev.lower() in MONTH_BEFORE or prev.isdigit()) or not (nxt == "" or nxt[:1].isdigit() or not nxt[:1].isalnum()):
            continue  # "in Might 2005", "in Might.": not "This Might Get Loud", "From Might to Right"
        reason = (
            f"spinner synonym: {w!r} after {prev!r} is the month 'May', which a spinner swapped "
            f"as the verb (document spun score {rho:.2f})"
        )
        out.append(Edit(s, e, w, "May", "spun-phrase", reason, CONFIDENCE))
    return out
