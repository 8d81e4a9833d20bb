"""Mine the word swaps of a scientific-text spinner from published tortured phrases.

Paper mills run whole articles through a spinner whose thesaurus is fixed, so the same word
swaps come back in phrase after phrase: "profound" for "deep", "woodland" for "forest",
"clamor" for "noise".  A list of tortured phrases with their intended terms ("profound
learning" -> "deep learning") shows those swaps word by word.  This module aligns such
pairs position by position and keeps each (tortured word, term word) pair, so that the
lexicon stage can recognise tortured variants of terms that no list has seen.

Only word pairs are kept, never the phrases.  A pair is skipped when the phrases differ in
length, when either word is a function word or not a plain word, and when the two words
share their first four letters (an inflection or a spelling, not a swap), and when the swap
shows in both directions.  Pairs already in the curated ``tortured_swaps.txt`` are left out.

Source: the Problematic Paper Screener's tortured-phrase list (Cabanac, Labbé & Magazinov
2021, CC BY 4.0), as ``../shared/data/dev/tortured_dev.jsonl``.  Rebuild (deterministic)::

    .venv/bin/python -m repair.lm.swaps          # writes repair/data/tortured_swaps_seen.txt
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from repair.lm.ngram import lm_tokens
from repair.lm.thesaurus import FUNCTION_WORDS, SEEN_SWAPS, read_tortured_swaps

SOURCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "dev" / "tortured_dev.jsonl"
_PLAIN = re.compile(r"[a-z]+")
HEADER = """\
# Word swaps that published tortured phrases show: tortured word -> the term's word.
# Mined by `python -m repair.lm.swaps` from the Problematic Paper Screener's list of tortured
# phrases (Cabanac, Labbe & Magazinov 2021, CC BY 4.0): each phrase is aligned word by word
# with its intended term; only the word pairs are kept.  One a line, sorted, lower case.
# Unlike tortured_swaps.txt many are ordinary synonyms ("information" for "data"), so the
# lexicon stage uses them only with a kept word and a stronger context LM margin.
"""


def swap_pairs(tortured: str, correct: str) -> set[tuple[str, str]]:
    """The (tortured word, term word) swaps one phrase pair shows; empty if they do not align."""
    a = [t.lower() for t in lm_tokens(tortured)]
    b = [t.lower() for t in lm_tokens(correct)]
    if len(a) != len(b):
        return set()
    return {
        (x, y)
        for x, y in zip(a, b, strict=True)
        if x != y and _PLAIN.fullmatch(x) and _PLAIN.fullmatch(y)
        and x not in FUNCTION_WORDS and y not in FUNCTION_WORDS and x[:4] != y[:4]
    }


def mine(pairs: Iterable[tuple[str, str]], *, min_count: int = 1,
         exclude: frozenset[tuple[str, str]] = frozenset()) -> list[tuple[str, str]]:
    """Every swap shown by at least ``min_count`` phrase pairs, sorted, less ``exclude``.

    A swap seen in both directions ("information" for "data" and back) is two ordinary
    synonyms, which writers use either way: both are dropped."""
    counts: Counter[tuple[str, str]] = Counter()
    for tortured, correct in pairs:
        counts.update(swap_pairs(tortured, correct))
    return sorted(p for p, n in counts.items()
                  if n >= min_count and p not in exclude and (p[1], p[0]) not in counts)


def write(swaps: Iterable[tuple[str, str]], out: Path = SEEN_SWAPS) -> int:
    """Write ``tortured->term`` lines under the header, atomically."""
    lines = [f"{a}->{b}" for a, b in swaps]
    tmp = out.with_suffix(".tmp")
    tmp.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    tmp.replace(out)
    return len(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    src = Path(args[0]) if args else SOURCE
    if not src.is_file():
        print(f"swaps: {src}: no such file (the tortured-phrase list lives in ../shared)", file=sys.stderr)
        return 2
    with open(src, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    pairs = [(r["tortured"], r["correct"]) for r in rows if r.get("tortured") and r.get("correct")]
    n = write(mine(pairs, exclude=read_tortured_swaps()))
    print(f"swaps: wrote {n} word swaps from {len(pairs)} phrase pairs to {SEEN_SWAPS.name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
