"""Measure the rewrite stage alone: token-Levenshtein repair, edit precision, clean-text churn.

repair = 1 - dist(out, gold) / dist(in, gold) over all rows (token Levenshtein); an edit is
*good* when applying it alone brings its row closer to the gold.  ``--threshold`` sets the
rewrite kind's auto-apply threshold, so ``--threshold 0`` measures every suggestion.

    python -m repair.training.evaluate --threshold 0 --mlqe 200
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from repair.config import RepairConfig
from repair.document import TOKEN_RE
from repair.edits import Edit, apply
from repair.pipeline import Pipeline
from repair.training.pairs import SHARED


def toks(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


def dist(a: str, b: str) -> int:
    return Levenshtein.distance(toks(a), toks(b))


def measure(rows: list[tuple[str, str]], pipe: Pipeline) -> dict[str, float]:
    d_in = d_out = good = edits = words = 0
    t0 = time.perf_counter()
    outs = []
    for src, _gold in rows:
        res = pipe.run(src)
        outs.append(res)
        words += len(src.split())
    secs = time.perf_counter() - t0
    for (src, gold), res in zip(rows, outs, strict=True):
        d_in += dist(src, gold)
        d_out += dist(res.text, gold)
        base = dist(src, gold)
        for f in res.applied:
            e = Edit(f.start, f.end, f.before, f.suggestions[0], f.kind, f.message, f.confidence)
            one, _, _ = apply(src, [e])
            edits += 1
            good += dist(one, gold) < base
    return {
        "rows": len(rows),
        "repair": round(1 - d_out / d_in, 4) if d_in else 0.0,
        "edits": edits,
        "precision": round(good / edits, 4) if edits else float("nan"),
        "words_per_s": round(words / secs, 1),
    }


def clean_churn(texts: list[str], pipe: Pipeline) -> dict[str, float]:
    changed = total = 0
    for t in texts:
        res = pipe.run(t)
        total += len(toks(t))
        changed += dist(t, res.text)
    return {"clean_tokens": total, "changed_per_1000": round(1000 * changed / max(total, 1), 3)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--threshold", type=float, default=0.9)
    ap.add_argument("--mlqe", type=int, default=200)
    ap.add_argument("--news", type=int, default=30)
    ap.add_argument("--model", default=None, help="model folder (default: the shipped one)")
    args = ap.parse_args(argv)
    if args.model:
        import os

        os.environ["REPAIR_MODEL_DIR"] = args.model
    cfg = RepairConfig(kind_thresholds={"rewrite": args.threshold})
    # Alone, the stage never sees the lexicon's spun score, which gates it in the pipeline:
    # open the gate, so every row is scored (on clean news this over-states its churn).
    from repair.rewrite import stage

    stage.SPUN_SCORE = 0.0
    pipe = Pipeline(cfg, stages=["rewrite"])
    news = [json.loads(x) for x in (args.shared / "dev" / "spun_news_dev.jsonl").open(encoding="utf-8")]
    news = news[: args.news]
    mlqe = [json.loads(x) for x in (args.shared / "mlqe-pe" / "dev.jsonl").open(encoding="utf-8")]
    mlqe = mlqe[: args.mlqe]
    report = {
        "threshold": args.threshold,
        "spun_news": measure([(r["text"], r["gold"]) for r in news], pipe),
        "mlqe_pe": measure([(r["mt"], r["pe"]) for r in mlqe], pipe),
        "clean_news": clean_churn([r["gold"] for r in news], pipe),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
