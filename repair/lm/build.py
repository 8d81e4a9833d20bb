"""Build the shipped n-gram table ``repair/data/lm_ngrams.bin`` from the clean corpora in ../shared.

Reproduce (about a minute and ~6 GB of memory on one core)::

    .venv/bin/python -m repair.lm.build            # reads ../shared/data, writes repair/data/lm_ngrams.bin

Deterministic: the same corpora give the same bytes.  Sources: BBC train (less every tenth
article, held out for the clean-text check), AllSides news, English Wikipedia 2018 and the
WMT newstest English sides.  FLORES/NTREX/TICO are left out so that they stay clean held-out
text.  Only hashed fingerprints and quantised counts are written, no text and no vocabulary.

Every 1-3-gram counted twice is kept (25 MB), and each BBC paragraph counts three times (so
one BBC mention is kept too): against
the 2-3-3 cut and no weighting (13 MB), held-out spun news 0.275 -> 0.281 (P 0.755 -> 0.757),
clean held-out BBC 0.186 -> 0.163 tokens changed per 1,000, and the names stage's corpus
evidence ('brent bozell') finds more pairs (synthetic 173 -> 180 of 249, none wrong more).
Weighting BBC ten times was worse (0.279, P 0.754).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from repair.lm.ngram import (
    BOS,
    LM_TOKEN_RE,
    hash_bigrams,
    hash_trigrams,
    hash_unigrams,
    norm_token,
    word_hash,
    write_table,
)

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "repair" / "data" / "lm_ngrams.bin"
CHUNK = 4_000_000
BBC_WEIGHT = 3  # times each BBC paragraph counts


def heldout_bbc(index: int) -> bool:
    """Every tenth BBC train article is kept out of the LM, for clean-text checks."""
    return index % 10 == 0


def paragraphs(shared: Path, *, bbc_weight: int = BBC_WEIGHT) -> Iterator[tuple[str, str]]:
    """(source, paragraph) pairs from every training corpus, in a fixed order.

    ``bbc_weight``: how many times each BBC paragraph counts (the register of the news the
    tool repairs most is BBC-like; the other corpora are 40 times larger)."""
    with open(shared / "corpus" / "bbc_train.jsonl", encoding="utf-8") as f:
        for i, line in enumerate(f):
            if heldout_bbc(i):
                continue
            for para in json.loads(line)["text"].split("\n"):
                if para.strip():
                    for _ in range(bbc_weight):
                        yield "bbc", para
    for name, src in (
        ("corpus-allsides-news-en/allsides_news_sample16k.txt.gz", "allsides"),
        ("corpus-enwiki-2018-wikitasks/enwiki_docs.txt.gz", "enwiki"),
    ):
        with gzip.open(shared / name, "rt", encoding="utf-8") as f:
            for line in f:
                for para in line.rstrip("\n").split("\t")[1:]:
                    if para.strip():
                        yield src, para
    for path in sorted((shared / "corpus-wmt-newstest-en").glob("*.txt.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield "wmt", line


def _count_chunk(h: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    grams = [
        hash_unigrams(h),
        hash_bigrams(h[:-1], h[1:]),
        hash_trigrams(h[:-2], h[1:-1], h[2:]),
    ]
    return [np.unique(g, return_counts=True) for g in grams]


def _merge(parts: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    keys = np.concatenate([k for k, _ in parts])
    counts = np.concatenate([c for _, c in parts])
    uniq, inv = np.unique(keys, return_inverse=True)
    return uniq, np.bincount(inv, weights=counts).astype(np.int64)


def build(shared: Path, out: Path, *, max_tokens: int | None = None,
          min_counts: tuple[int, int, int] = (2, 2, 2), bbc_weight: int = BBC_WEIGHT) -> dict[str, int]:
    if bbc_weight < 1:
        raise ValueError(f"bbc_weight must be at least 1, got {bbc_weight}")
    t0 = time.perf_counter()
    cache: dict[str, int] = {}
    bos = word_hash(BOS)
    buf: list[int] = []
    parts: list[list[tuple[np.ndarray, np.ndarray]]] = [[], [], []]
    n_tokens = 0
    per_source: dict[str, int] = {}

    def flush() -> None:
        if len(buf) < 3:
            return
        h = np.array(buf, dtype=np.uint64)
        for order, part in enumerate(_count_chunk(h)):
            parts[order].append(part)
        if len(parts[2]) >= 6:  # keep memory bounded: fold chunks together
            for o in range(3):
                parts[o] = [_merge(parts[o])]
        buf.clear()  # chunks end at paragraph ends, so only <s>-crossing n-grams are lost

    for src, para in paragraphs(shared, bbc_weight=bbc_weight):
        buf.append(bos)
        for tok in LM_TOKEN_RE.findall(para):
            t = norm_token(tok)
            hv = cache.get(t)
            if hv is None:
                hv = cache[t] = word_hash(t)
            buf.append(hv)
        per_source[src] = per_source.get(src, 0) + 1
        if len(buf) >= CHUNK:
            n_tokens += len(buf)
            flush()
            print(f"  {n_tokens / 1e6:.0f}M tokens, {time.perf_counter() - t0:.0f}s", file=sys.stderr)
            if max_tokens and n_tokens >= max_tokens:
                break
    n_tokens += len(buf)
    flush()
    keys, counts, totals = [], [], {"tokens": n_tokens}
    for order in range(3):
        k, c = _merge(parts[order])
        keep = c >= min_counts[order]
        totals[f"order{order + 1}"] = int(keep.sum())
        keys.append(k[keep])
        counts.append(c[keep])
    all_keys = np.concatenate(keys)
    all_counts = np.concatenate(counts)
    all_keys, first = np.unique(all_keys, return_index=True)  # a cross-order hash clash is ~0
    write_table(out, all_keys, all_counts[first], totals=totals,
                meta={"sources": per_source, "min_counts": list(min_counts), "bbc_weight": bbc_weight})
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB) {totals} in "
          f"{time.perf_counter() - t0:.0f}s", file=sys.stderr)
    return totals


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--max-tokens", type=int, default=None)
    ap.add_argument("--min-counts", type=int, nargs=3, default=(2, 2, 2))
    ap.add_argument("--bbc-weight", type=int, default=BBC_WEIGHT, help="times each BBC paragraph counts")
    args = ap.parse_args(argv)
    if not args.shared.is_dir():
        print(f"repair: error: {args.shared}: corpora folder not found", file=sys.stderr)
        return 2
    build(args.shared, args.out, max_tokens=args.max_tokens, min_counts=tuple(args.min_counts),
          bbc_weight=args.bbc_weight)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
