"""Fit ``repair.rewrite.stage.GAIN_WEIGHT``: how much the rewriter's gain may raise a lexicon
suggestion's confidence.

For each spun dev article, the lexicon's undecided suggestions (confidence 0.6-0.9) are scored
by the model (gain in nats of its sentence's likelihood) and judged against the gold (does the
fix alone bring the article closer?).  Each fold's lexicon is built as in
``benchmarks/cv_lexicon.py`` (without entries attested only in the test articles), so the
confidences are held-out ones; the model never saw the dev articles.  For each weight the
script prints how many suggestions would reach the 0.9 threshold and how many of those are
right, per fold.

    .venv/bin/python benchmarks/calibrate_rewriter.py [--model DIR]
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0)


def rows_for(rows, lexicon, rw) -> list[tuple[float, float, bool]]:  # noqa: ANN001
    from repair.config import RepairConfig
    from repair.detect import lexicon as lx
    from repair.document import Document
    from repair.evaluation.metrics import distance, tokens
    from repair.pipeline import Context, Pipeline
    from repair.rewrite import stage

    out = []
    original = lx.get_lexicon
    lx.get_lexicon = lambda: lexicon  # type: ignore[assignment]
    lx._expected_swaps_per_token.cache_clear()
    try:
        cfg = RepairConfig(model=False)
        pipe = Pipeline(cfg)
        for r in rows:
            # The text as the rewrite stage sees it: after the stages before it.
            res = Pipeline(cfg, stages=[s for s in cfg.active_stages() if s != "articles"]).run(r["text"])
            doc = Document(res.text)
            cands = stage.lexicon_candidates(doc, Context(config=cfg, scores=dict(res.scores)))
            gains = stage.candidate_gains(rw, doc, cands)
            gold = tokens(r["gold"])
            base = distance(tokens(res.text), gold)
            for e, g in zip(cands, gains, strict=True):
                if g is None:
                    continue
                fixed = res.text[: e.start] + e.after + res.text[e.end :]
                out.append((e.confidence, g, distance(tokens(fixed), gold) < base))
        del pipe
    finally:
        lx.get_lexicon = original  # type: ignore[assignment]
        lx._expected_swaps_per_token.cache_clear()
    return out


def reach(rows: list[tuple[float, float, bool]], weight: float, threshold: float = 0.9) -> tuple[int, int]:
    from repair.rewrite.stage import GAIN_CLIP

    n = good = 0
    for conf, gain, ok in rows:
        if gain <= 0.0 or weight <= 0.0:
            continue
        logit = math.log(conf) - math.log1p(-conf) + weight * min(GAIN_CLIP, gain)
        if 1.0 / (1.0 + math.exp(-logit)) >= threshold:
            n += 1
            good += ok
    return n, good


def main(argv: list[str] | None = None) -> int:
    import cv_lexicon as cv

    from repair.rewrite.model import load

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default=None, help="model folder (default: the shipped one)")
    args = ap.parse_args(argv)
    path = cv.DATA / "dev/spun_news_dev.jsonl"
    if not path.exists():
        print("../shared is absent: nothing to calibrate on")
        return 0
    rw = load(args.model)
    if rw is None:
        print("no model (torch or weights missing)")
        return 1
    dev = cv.read_jsonl(path)
    legacy = cv.legacy_keys()
    odd = [r for i, r in enumerate(dev) if i % 2]
    even = [r for i, r in enumerate(dev) if i % 2 == 0]
    folds = {}
    for name, (train, test) in {"A": (even, odd), "B": (odd, even)}.items():
        lexicon, _ = cv.fold_lexicon(train, test, legacy)
        folds[name] = rows_for(test, lexicon, rw)
    for name, rows in folds.items():
        pos = [g for _, g, ok in rows if ok]
        neg = [g for _, g, ok in rows if not ok]
        auc = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg) / max(1, len(pos) * len(neg))
        print(f"fold {name}: {len(rows)} undecided suggestions ({len(pos)} right), AUC of the gain {auc:.3f}")
    print("weight  " + "  ".join(f"{n}: reach/right" for n in folds))
    for w in WEIGHTS:
        cells = []
        for rows in folds.values():
            n, good = reach(rows, w)
            cells.append(f"{n:4d}/{good:<4d}" + (f" P {good / n:.2f}" if n else "       "))
        print(f"{w:5.2f}   " + "   ".join(cells))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
