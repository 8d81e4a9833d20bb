"""Build damaged -> clean training pairs, deterministic for a seed, with a held-out split.

Sources (read from ``../shared``, never copied into the project):
- clean news and encyclopedia sentences, damaged by :class:`NoiseSimulator` (spinner
  substitutions from the inverse thesaurus, MT-style damage, untouched copies);
- real MT -> human post-edit pairs from MLQE-PE.

The split is by document (a hash of its id), so no held-out sentence has a sibling in
training.  Usage::

    python -m repair.training.pairs --out build/rewrite --max-sentences 400000
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from repair.document import Document
from repair.training.noise import NoiseSimulator

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data"
MIN_WORDS, MAX_WORDS = 4, 40


@dataclass(frozen=True)
class Pair:
    src: str
    tgt: str
    origin: str
    doc: str

    def to_json(self) -> str:
        return json.dumps({"src": self.src, "tgt": self.tgt, "origin": self.origin}, ensure_ascii=False)

    def to_tsv(self) -> str:
        """``src<TAB>tgt``: the compact form carried to a GPU machine (xz-compressed)."""
        return f"{' '.join(self.src.split())}\t{' '.join(self.tgt.split())}"


def is_heldout(doc_id: str, *, seed: int, heldout_pct: float) -> bool:
    """A document's split depends only on its id and the seed."""
    return (zlib.crc32(f"{seed}:{doc_id}".encode()) % 10000) < heldout_pct * 100


def _sentences(text: str) -> Iterator[str]:
    doc = Document(text)
    for s, e in doc.sentences:
        sent = " ".join(text[s:e].split())
        if MIN_WORDS <= len(sent.split()) <= MAX_WORDS:
            yield sent


def clean_documents(shared: Path, *, max_docs_per_source: int) -> Iterator[tuple[str, str, str]]:
    """(source, doc_id, text) from the clean corpora, a bounded number per source."""
    bbc = shared / "corpus" / "bbc_train.jsonl"
    if bbc.exists():
        with bbc.open(encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if i >= max_docs_per_source:
                    break
                row = json.loads(line)
                yield "bbc", row["id"], row["text"]
    for path, name in (
        (shared / "corpus-allsides-news-en" / "allsides_news_sample16k.txt.gz", "allsides"),
        (shared / "corpus-enwiki-2018-wikitasks" / "enwiki_docs.txt.gz", "enwiki"),
    ):
        if not path.exists():
            continue
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                if i >= max_docs_per_source:
                    break
                parts = line.rstrip("\n").split("\t")
                yield name, f"{name}/{i}", "\n".join(parts[1:])
    wmt = sorted((shared / "corpus-wmt-newstest-en").glob("wmt_newstest20*.txt.gz"))
    for path in wmt:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            lines = [ln.strip() for ln in fh]
        # Blocks of 20 lines stand in for documents (the files are sentence lists).
        for b in range(0, min(len(lines), max_docs_per_source * 20), 20):
            yield "wmt", f"{path.stem}/{b}", "\n".join(lines[b : b + 20])


def mlqe_pairs(shared: Path, *, split: str = "train", max_hter: float = 0.35) -> Iterator[Pair]:
    path = shared / "mlqe-pe" / f"{split}.jsonl"
    if not path.exists():
        return
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            mt, pe = row["mt"].strip(), row["pe"].strip()
            # Heavy post-edits teach free rewriting; the rewriter should stay local.
            if float(row.get("hter", 1.0)) > max_hter:
                continue
            if mt and pe and len(mt.split()) <= MAX_WORDS + 10:
                yield Pair(mt, pe, "mlqe-pe", row["id"])


def build_pairs(
    *,
    shared: Path = SHARED,
    seed: int = 0,
    heldout_pct: float = 2.0,
    max_docs_per_source: int = 4000,
    max_sentences: int | None = None,
    mlqe_repeat: int = 1,
    noise: NoiseSimulator | None = None,
) -> tuple[list[Pair], list[Pair]]:
    """Return (train, heldout) pairs; the same arguments always give the same lists."""
    noise = noise or NoiseSimulator(seed)
    train: list[Pair] = []
    heldout: list[Pair] = []
    n = 0
    for source, doc_id, text in clean_documents(shared, max_docs_per_source=max_docs_per_source):
        target = heldout if is_heldout(doc_id, seed=seed, heldout_pct=heldout_pct) else train
        for sent in _sentences(text):
            target.append(Pair(noise.damage(sent), sent, source, doc_id))
            n += 1
        if max_sentences is not None and n >= max_sentences:
            break
    for pair in mlqe_pairs(shared):
        if is_heldout(pair.doc, seed=seed, heldout_pct=heldout_pct):
            heldout.append(pair)
        else:
            train.extend([pair] * mlqe_repeat)
    random.Random(seed).shuffle(train)
    return train, heldout


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("build/rewrite"))
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--heldout-pct", type=float, default=2.0)
    ap.add_argument("--max-docs-per-source", type=int, default=4000)
    ap.add_argument("--max-sentences", type=int, default=None)
    ap.add_argument("--compact", action="store_true",
                    help="write train.tsv.xz / heldout.tsv.xz (src<TAB>tgt) instead of JSONL")
    args = ap.parse_args(argv)
    train, heldout = build_pairs(
        shared=args.shared,
        seed=args.seed,
        heldout_pct=args.heldout_pct,
        max_docs_per_source=args.max_docs_per_source,
        max_sentences=args.max_sentences,
    )
    args.out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("train", train), ("heldout", heldout)):
        if args.compact:
            import lzma

            with lzma.open(args.out / f"{name}.tsv.xz", "wt", encoding="utf-8", preset=9) as fh:
                for p in rows:
                    fh.write(p.to_tsv() + "\n")
            continue
        with (args.out / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for p in rows:
                fh.write(p.to_json() + "\n")
    changed = sum(p.src != p.tgt for p in train)
    print(f"train {len(train)} pairs ({changed} damaged), heldout {len(heldout)} -> {args.out}")


if __name__ == "__main__":
    main()
