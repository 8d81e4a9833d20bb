"""`make eval`: quality figures on every development set, as one table.

Sets (all read from ../shared, never copied; sampled with a fixed seed so runs compare):
  spun_news   data/dev/spun_news_dev.jsonl (spinner + MT damage on BBC news, gold = original)
  tortured    data/dev/tortured_dev.jsonl pairs placed in real sentences: a clean news sentence
              that contains the correct phrase gets the tortured phrase instead (gold = sentence)
  mlqe_pe     data/mlqe-pe/dev.jsonl, real NMT output (mt) against its human post-edit (pe)
  clean       BBC articles from data/corpus/bbc_train.jsonl with gold == text: any change is wrong

Writes work/eval.json.  Skips with a message (exit 0) when ../shared is absent.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / "../shared"
DATA = SHARED / "data"
SEED = 13
COLUMNS = ("repair", "P", "R", "F0.5", "fp_per_k", "wer_in", "wer_out", "name_restored")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
TEMPLATE = "In the study, the authors described the {} in some detail."


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def spun_news() -> list[dict[str, Any]]:
    return read_jsonl(DATA / "dev/spun_news_dev.jsonl")


def sentences() -> Iterator[str]:
    """Clean sentences in a fixed order: FLORES/NTREX/TICO, WMT newstest, then Wikipedia.

    Tortured phrases are mostly scientific terms, which news rarely uses; Wikipedia finds them.
    """
    for folder in ("corpus-flores-tico-ntrex-en", "corpus-wmt-newstest-en"):
        for path in sorted((DATA / folder).glob("*.txt.gz")):
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                for line in fh:
                    line = line.strip()
                    if 6 <= len(line.split()) <= 40:
                        yield line
    wiki = DATA / "corpus-enwiki-2018-wikitasks/enwiki_docs.txt.gz"
    if wiki.is_file():
        with gzip.open(wiki, "rt", encoding="utf-8") as fh:
            for line in fh:
                for para in line.rstrip("\n").split("\t")[1:]:
                    for sent in SENTENCE_END.split(para):
                        if 6 <= len(sent.split()) <= 40:
                            yield sent.strip()


def tortured(sample: int) -> list[dict[str, Any]]:
    """Tortured phrases substituted into sentences that use the correct phrase."""
    from repair.evaluation.metrics import tokens

    pairs = read_jsonl(DATA / "dev/tortured_dev.jsonl")
    pairs = [p for p in pairs if p["tortured"].strip() and p["correct"].strip() and p["tortured"] != p["correct"]]
    random.Random(SEED).shuffle(pairs)
    pairs = pairs[:sample]
    wanted: dict[str, list[tuple[str, ...]]] = {}
    for p in pairs:
        toks = tuple(tokens(p["correct"]))
        if toks:
            wanted.setdefault(toks[0], []).append(toks)
    found: dict[tuple[str, ...], list[str]] = {}
    per_phrase = 3
    todo = sum(len(v) for v in wanted.values())
    for sent in sentences():
        if todo == 0:
            break
        toks = tokens(sent)
        for i, tok in enumerate(toks):
            for phrase in wanted.get(tok, ()):
                hits = found.setdefault(phrase, [])
                if len(hits) < per_phrase and tuple(toks[i : i + len(phrase)]) == phrase and sent not in hits:
                    hits.append(sent)
                    if len(hits) == per_phrase:
                        todo -= 1
    rows = []
    seen: dict[tuple[str, ...], int] = {}
    for n, p in enumerate(pairs):
        correct, bad = p["correct"], p["tortured"]
        toks = tuple(tokens(correct))
        hits = found.get(toks, [])
        k = seen.get(toks, 0)
        seen[toks] = k + 1
        placed = _place(hits[k % len(hits)], correct, bad) if hits else None
        if placed is None:
            gold, text, where = TEMPLATE.format(correct), TEMPLATE.format(bad), "tortured:template"
        else:
            gold, text, where = hits[k % len(hits)], placed, "tortured:corpus"
        rows.append({"id": f"tortured/{n}", "text": text, "gold": gold, "kinds": ["tortured", where]})
    return rows


def _place(sentence: str, correct: str, bad: str) -> str | None:
    """Replace the first whole-word occurrence of ``correct`` with ``bad``."""
    m = re.search(r"(?<!\w)" + re.escape(correct) + r"(?!\w)", sentence)
    if m is None:
        return None
    return sentence[: m.start()] + bad + sentence[m.end() :]


def mlqe_pe(sample: int) -> list[dict[str, Any]]:
    rows = read_jsonl(DATA / "mlqe-pe/dev.jsonl")
    random.Random(SEED).shuffle(rows)
    return [{"id": r["id"], "text": r["mt"], "gold": r["pe"], "kinds": [r.get("lp", "mt")]} for r in rows[:sample]]


def clean(sample: int) -> list[dict[str, Any]]:
    rows = read_jsonl(DATA / "corpus/bbc_train.jsonl")
    random.Random(SEED).shuffle(rows)
    return [{"id": r["id"], "text": r["text"], "gold": r["text"], "kinds": ["clean"]} for r in rows[:sample]]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-model", action="store_true", help="do not use the seq2seq rewriter")
    ap.add_argument("--limit", type=int, default=None, help="at most N rows per set")
    ap.add_argument("--tortured", type=int, default=500, help="tortured pairs to sample (default 500)")
    ap.add_argument("--mlqe", type=int, default=1000, help="MLQE-PE rows to sample (default 1000)")
    ap.add_argument("--clean", type=int, default=50, help="clean BBC articles (default 50)")
    ap.add_argument("--output", default=str(ROOT / "work/eval.json"), help="where the JSON goes")
    args = ap.parse_args(argv)
    if not DATA.is_dir():
        print(f"eval: skipped: {SHARED} is absent (the development data lives there)")
        return 0

    sys.path.insert(0, str(ROOT))
    from repair.config import discover
    from repair.evaluation.command import evaluate, render_table

    cfg = discover(ROOT)
    if args.no_model:
        cfg = cfg.with_overrides(model=False)
    builders = {
        "spun_news": spun_news,
        "tortured": lambda: tortured(args.tortured),
        "mlqe_pe": lambda: mlqe_pe(args.mlqe),
        "clean": lambda: clean(args.clean),
    }
    results: dict[str, Any] = {}
    started = time.perf_counter()
    for name, build in builders.items():
        rows = build()[: args.limit]
        t0 = time.perf_counter()
        results[name] = evaluate([(name, rows)], cfg)
        results[name].pop("files", None)
        print(f"eval: {name}: {len(rows)} rows in {time.perf_counter() - t0:.1f}s", file=sys.stderr)
    report = {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "stages": list(cfg.active_stages()),
        "seconds": round(time.perf_counter() - started, 1),
        "sets": results,
    }
    print(render_table(list(results.items()), COLUMNS), end="")
    tk = results["tortured"]["per_kind"]
    for k in ("tortured:corpus", "tortured:template"):
        if k in tk:
            r = tk[k]["repair"]
            print(f"  {k}: {tk[k]['rows']} rows, repair {'-' if r is None else f'{r:.3f}'}")
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"eval: wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
