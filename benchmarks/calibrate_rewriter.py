"""Could the rewriter settle the lexicon's undecided suggestions?  (A measurement, not a stage.)

The idea (issue 6: "score candidate edits proposed by the lexicon"): add the model's gain,
weighted, to a suggestion's log-odds, and apply the suggestions it backs.  Measured with the
models trained so far it does not work: the gain ranks right and wrong suggestions no better
than chance (AUC <= 0.5; a denoiser prefers the commoner word whether or not the writer used
it), so the stage does not do this.  Rerun with a new model before trying again.

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
KINDS = ("spun-phrase", "spun-quote")
GAIN_CLIP = 8.0


def lexicon_candidates(doc, ctx):  # noqa: ANN001, ANN201
    """The lexicon's suggestions on this text that its own evidence left undecided (0.6-0.9)."""
    from repair.detect.lexicon import despin
    from repair.pipeline import Context

    out = despin(doc, Context(config=ctx.config, evidence=ctx.evidence, scores=dict(ctx.scores)))
    return [e for e in out.edits if e.kind in KINDS and 0.6 <= e.confidence < ctx.config.threshold_for(e.kind)]


def candidate_gains(rw, doc, edits) -> list[float | None]:  # noqa: ANN001
    """log P(sentence with the edit | sentence) - log P(sentence | sentence), per edit."""
    jobs = []
    for k, e in enumerate(edits):
        s, t = doc.sentence_of(e.start)
        if e.end > t:
            continue
        sent = doc.text[s:t]
        a, b = e.start - s, e.end - s
        jobs.append((k, " ".join(sent.split()), " ".join((sent[:a] + e.after + sent[b:]).split())))
    out: list[float | None] = [None] * len(edits)
    if jobs:
        srcs = [rw.encode(src) for _, src, _ in jobs]
        base = rw.token_logprobs(srcs, srcs)
        cand = rw.token_logprobs(srcs, [rw.encode(c) for _, _, c in jobs])
        for (k, _, _), b_, c_ in zip(jobs, base, cand, strict=True):
            out[k] = sum(c_) - sum(b_)
    return out


def rows_for(rows, lexicon, rw) -> list[tuple[float, float, bool]]:  # noqa: ANN001
    from repair.config import RepairConfig
    from repair.detect import lexicon as lx
    from repair.document import Document
    from repair.evaluation.metrics import distance, tokens
    from repair.pipeline import Context, Pipeline

    out = []
    original = lx.get_lexicon
    lx.get_lexicon = lambda: lexicon  # type: ignore[assignment]
    lx._expected_swaps_per_token.cache_clear()
    try:
        cfg = RepairConfig(model=False)
        for r in rows:
            # The text as the rewrite stage sees it: after the stages before it.
            res = Pipeline(cfg, stages=[s for s in cfg.active_stages() if s != "articles"]).run(r["text"])
            doc = Document(res.text)
            cands = lexicon_candidates(doc, Context(config=cfg, scores=dict(res.scores)))
            gains = candidate_gains(rw, doc, cands)
            gold = tokens(r["gold"])
            base = distance(tokens(res.text), gold)
            for e, g in zip(cands, gains, strict=True):
                if g is None:
                    continue
                fixed = res.text[: e.start] + e.after + res.text[e.end :]
                out.append((e.confidence, g, distance(tokens(fixed), gold) < base))
    finally:
        lx.get_lexicon = original  # type: ignore[assignment]
        lx._expected_swaps_per_token.cache_clear()
    return out


def reach(rows: list[tuple[float, float, bool]], weight: float, threshold: float = 0.9) -> tuple[int, int]:
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
