"""Held-out figures for tortured phrases: 2-fold cross-validation over the phrase list.

Why: ``repair/data/tortured_swaps_seen.txt`` is mined from the same list of tortured phrases
(``../shared/data/dev/tortured_dev.jsonl``) that ``make eval`` samples, so the in-sample
figure flatters it.  Here the list is split in two by a hash of the intended term; each half
is scored with word swaps mined from the other half only, and with the term variants built
without any mined swap (the shipped ``term_variants.txt.gz`` of commit ``BASE_COMMIT``, plus
the training half's swaps).  Rows are those of ``make eval``'s tortured set (1,500 sampled).

Clean text: term edits (confidence >= 0.9) on held-out BBC articles, FLORES/NTREX/TICO,
MLQE-PE post-edits and 300k words of Wikipedia, with the shipped files.

    .venv/bin/python benchmarks/cv_tortured.py [--rows 1500] [--no-clean]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "../shared/data"
BASE_COMMIT = "08bd0ec"  # the last term_variants.txt.gz built without mined swaps
SEED = 13


def fold_of(correct: str) -> int:
    return zlib.crc32(correct.lower().encode("utf-8")) % 2


def install(seen: list[tuple[str, str]], base_variants) -> None:  # type: ignore[no-untyped-def]
    """Point the lexicon stage at a term index built from ``base_variants`` plus ``seen``."""
    from repair.detect import lexicon as lx

    variants = {k: set(v) for k, v in base_variants.items()}
    for a, b in seen:
        variants.setdefault(b, set()).add(a)
    frozen = {k: frozenset(v) for k, v in variants.items()}
    by_first = {k: lx._parse_terms(v) for k, v in lx._term_index(frozen).items()}
    inverse = {v: frozenset(ws.split(" ")) for v, ws in lx._inverse(frozen).items()}
    lx._GROUPS.clear()
    lx._TERM_SETS.clear()
    idx = lx.TermIndex(frozen, by_first, inverse)
    swaps = frozenset(seen)
    lx.get_terms = lambda: idx  # type: ignore[assignment]
    lx.seen_word_map = lambda: swaps  # type: ignore[assignment]


def base_variants():  # type: ignore[no-untyped-def]
    """The term variants as shipped before mined swaps existed (from git)."""
    from repair.lm.thesaurus import _split_frozenset, load_table

    blob = subprocess.run(
        ["git", "show", f"{BASE_COMMIT}:repair/data/term_variants.txt.gz"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout
    tmp = Path(tempfile.mkdtemp()) / "term_variants_base.txt.gz"
    tmp.write_bytes(blob)
    return load_table(tmp, _split_frozenset, "term-variants-cv")


def clean_texts() -> Iterator[tuple[str, str]]:
    rows = [json.loads(line) for line in open(DATA / "corpus/bbc_train.jsonl", encoding="utf-8")]
    for i, r in enumerate(rows):
        if i % 10 == 0:
            yield "bbc", r["text"]
    for path in sorted((DATA / "corpus-flores-tico-ntrex-en").glob("*.txt.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            lines = [s.strip() for s in fh if s.strip()]
        for i in range(0, len(lines), 20):
            yield "flores", "\n".join(lines[i : i + 20])
    pe = [json.loads(line)["pe"] for line in open(DATA / "mlqe-pe/dev.jsonl", encoding="utf-8")]
    for i in range(0, len(pe), 20):
        yield "post-edits", "\n".join(pe[i : i + 20])
    words = 0
    with gzip.open(DATA / "corpus-enwiki-2018-wikitasks/enwiki_docs.txt.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            text = "\n".join(line.rstrip("\n").split("\t")[1:])
            words += len(text.split())
            yield "wikipedia", text
            if words > 300_000:
                break


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rows", type=int, default=1500)
    ap.add_argument("--no-clean", action="store_true")
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        print("cv_tortured: skipped: ../shared is absent")
        return 0
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import eval_all

    from repair.config import discover
    from repair.detect import lexicon as lx
    from repair.document import Document
    from repair.evaluation.command import evaluate
    from repair.lm import swaps as sw
    from repair.lm.thesaurus import get_term_variants, read_tortured_swaps

    cfg = discover(ROOT).with_overrides(model=False)
    pairs = eval_all.read_jsonl(DATA / "dev/tortured_dev.jsonl")
    pairs = [p for p in pairs if p["tortured"].strip() and p["correct"].strip() and p["tortured"] != p["correct"]]
    # eval_all.tortured draws the same shuffle: row k is made from sampled[k]
    sampled = list(pairs)
    random.Random(SEED).shuffle(sampled)
    rows = eval_all.tortured(args.rows)
    curated = read_tortured_swaps()
    base = base_variants()
    original = (lx.get_terms, lx.seen_word_map)
    figs = {}
    try:
        for setting in ("without mined swaps", "with the other half's swaps"):
            test_rows = []
            for f in (0, 1):
                train = [(p["tortured"], p["correct"]) for p in pairs if fold_of(p["correct"]) == f]
                seen = sw.mine(train, exclude=curated) if setting.startswith("with ") else []
                install(seen, base)
                part = [r for p, r in zip(sampled, rows, strict=False) if fold_of(p["correct"]) != f]
                s = evaluate([("t", part)], cfg)
                test_rows.append(s)
            n = sum(s["rows"] for s in test_rows)
            figs[setting] = sum(s["repair"] * s["rows"] for s in test_rows) / n
            print(f"tortured, held out ({n} rows), {setting}: repair {figs[setting]:.3f}")
    finally:
        lx.get_terms, lx.seen_word_map = original  # type: ignore[assignment]
        lx._GROUPS.clear()
        lx._TERM_SETS.clear()
    if args.no_clean:
        return 0
    lm = lx.get_lm()
    fires: Counter[str] = Counter()
    words: Counter[str] = Counter()
    shown = []
    get_term_variants()  # the shipped files
    for src, text in clean_texts():
        doc = Document(text)
        edits, _ = lx._term_edits(doc, lx._norm_tokens(doc), set(), lm)
        words[src] += len(text.split())
        for e in edits:
            if e.confidence >= 0.9:
                fires[src] += 1
                shown.append(f"    {src}: {e.before!r} -> {e.after!r}")
    print(f"clean term edits: {sum(fires.values())} in {sum(words.values()):,} words "
          + ", ".join(f"{k} {fires[k]}/{words[k]:,}" for k in words))
    print("\n".join(shown))
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    sys.exit(main())
