"""`make bench`: how fast `repair` is, next to codespell, on this machine.

Reports words/s for `check` (pipeline + text report) and `fix` (pipeline + repaired text) with
  rules     the rule stages only (encoding, spintax, loops, hyphens, spacing, articles)
  no-model  every configured stage except the seq2seq rewriter (what `--no-model` runs)
  model     the full pipeline, only when repair/rewrite exists and models/ has weights
on 1 and 2 processes (documents spread over a multiprocessing pool), words/s per stage inside a
no-model run, the cold start of `repair check` on the seed article (median of 5), peak memory,
and codespell on the same text as a peer.  Text: BBC articles from ../shared, or the seed
article repeated when ../shared is absent.  Writes work/bench.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from multiprocessing import get_context
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
SEED_FILE = ROOT / "seeds/ukraine_coalition_mt_spun.txt"
BBC = ROOT / "../shared/data/corpus/bbc_train.jsonl"
RULE_STAGES = ("encoding", "spintax", "loops", "hyphens", "spacing", "articles")


def documents(words: int) -> tuple[list[str], str]:
    """About ``words`` words of text, as documents, and where they came from."""
    if BBC.is_file():
        rows = [json.loads(line) for line in BBC.read_text(encoding="utf-8").splitlines() if line.strip()]
        random.Random(7).shuffle(rows)
        source = "BBC news articles (../shared/data/corpus/bbc_train.jsonl)"
        pool = [r["text"] for r in rows]
    else:
        source = f"{SEED_FILE.relative_to(ROOT)} repeated"
        pool = [SEED_FILE.read_text(encoding="utf-8")] * 10_000
    docs, n = [], 0
    for text in pool:
        if n >= words:
            break
        docs.append(text)
        n += len(text.split())
    return docs, source


def configs() -> dict[str, Any]:
    from repair.config import discover

    base = discover(ROOT)
    out = {
        "rules": base.with_overrides(stages=RULE_STAGES, model=False),
        "no-model": base.with_overrides(model=False),
    }
    weights = any((ROOT / "models").rglob("*.safetensors")) or any((ROOT / "models").rglob("*.bin"))
    if importlib.util.find_spec("repair.rewrite") is not None and weights:
        out["model"] = base.with_overrides(model=True)
    return out


# Work functions run in this process or in pool workers (top level, so they pickle).
_CFG: Any = None


def _init(cfg: Any) -> None:
    global _CFG
    _CFG = cfg
    _fix("warm up the pipeline and its data")


def _fix(text: str) -> int:
    from repair.runner import run_text

    return len(run_text(text, _CFG).text)


def _check(text: str) -> int:
    from repair.diff import FileReport, formatter
    from repair.runner import run_text

    res = run_text(text, _CFG)
    return len(formatter("text")([FileReport("doc.txt", res)], _CFG.fail_threshold))


def throughput(cfg: Any, fn: Callable[[str], int], docs: list[str], procs: int) -> float:
    words = sum(len(d.split()) for d in docs)
    if procs == 1:
        _init(cfg)
        t0 = time.perf_counter()
        for d in docs:
            fn(d)
        return words / (time.perf_counter() - t0)
    with get_context("fork").Pool(procs, initializer=_init, initargs=(cfg,)) as pool:
        pool.map(_fix, ["warm"] * procs)
        t0 = time.perf_counter()
        pool.map(fn, docs, chunksize=1)
        return words / (time.perf_counter() - t0)


def per_stage(cfg: Any, docs: list[str]) -> dict[str, float]:
    """Words/s of each stage, timed inside a real pipeline run (all passes added up)."""
    from repair.pipeline import Pipeline

    pipe = Pipeline(cfg)
    spent = {name: 0.0 for name, _ in pipe.stages}

    def timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def run(doc: Any, ctx: Any) -> Any:
            t0 = time.perf_counter()
            try:
                return fn(doc, ctx)
            finally:
                spent[name] += time.perf_counter() - t0

        return run

    pipe.stages = [(name, timed(name, fn)) for name, fn in pipe.stages]
    pipe.run("warm up")
    for k in spent:
        spent[k] = 0.0
    t0 = time.perf_counter()
    for d in docs:
        pipe.run(d)
    total = time.perf_counter() - t0
    words = sum(len(d.split()) for d in docs)
    out = {name: words / s if s > 0 else float("inf") for name, s in spent.items()}
    out["(document model + apply)"] = words / max(total - sum(spent.values()), 1e-9)
    return out


def cold_start(runs: int = 5) -> float | None:
    exe = BIN / "repair"
    if not exe.exists():
        return None
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([str(exe), "check", str(SEED_FILE)], cwd=ROOT, capture_output=True, check=False)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def codespell(docs: list[str]) -> dict[str, Any] | None:
    exe = BIN / "codespell" if (BIN / "codespell").exists() else shutil.which("codespell")
    if exe is None:
        return None
    words = sum(len(d.split()) for d in docs)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "text.txt"
        path.write_text("\n\n".join(docs), encoding="utf-8")
        t0 = time.perf_counter()
        subprocess.run([str(exe), str(path)], capture_output=True, check=False)
        big = time.perf_counter() - t0
    starts = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([str(exe), str(SEED_FILE)], capture_output=True, check=False)
        starts.append(time.perf_counter() - t0)
    return {"words_per_s": words / big, "seconds": big, "cold_start_s": statistics.median(starts)}


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
    }


def _speed(v: float) -> str:
    """Words/s; a stage that costs next to nothing (nothing to do yet) shows as > 10M."""
    return "> 10,000,000" if v > 1e7 else f"{v:,.0f}"


def table(head: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    fmt = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))) for r in [head, *rows]]
    return "\n".join(fmt) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--words", type=int, default=30_000, help="words of text to time (default 30000)")
    ap.add_argument("--model-words", type=int, default=3_000, help="words for the model pipeline (default 3000)")
    ap.add_argument("--output", default=str(ROOT / "work/bench.json"))
    args = ap.parse_args(argv)

    docs, source = documents(args.words)
    n_words = sum(len(d.split()) for d in docs)
    info = machine()
    print(f"bench: {info['cpu']}, {info['cpus']} CPUs, Python {info['python']}, {info['platform']}")
    print(f"bench: {n_words} words in {len(docs)} documents from {source}")
    report: dict[str, Any] = {"date": time.strftime("%Y-%m-%d %H:%M:%S %z"), "machine": info, "words": n_words, "source": source, "throughput": {}}

    rows = []
    for name, cfg in configs().items():
        use = docs if name != "model" else documents(args.model_words)[0]
        figures = {}
        for label, fn in (("check", _check), ("fix", _fix)):
            for procs in (1, 2):
                figures[f"{label}/{procs}"] = throughput(cfg, fn, use, procs)
        report["throughput"][name] = {"stages": list(cfg.active_stages()), "words_per_s": figures}
        rows.append([name, *(f"{v:,.0f}" for v in figures.values())])
        print(f"bench: timed {name}", file=sys.stderr)
    print()
    print(table(["words/s", "check 1p", "check 2p", "fix 1p", "fix 2p"], rows), end="")

    stage_speed = per_stage(configs()["no-model"], docs)
    report["per_stage_words_per_s"] = stage_speed
    print()
    print(table(["stage (no-model run)", "words/s"], [[k, _speed(v)] for k, v in stage_speed.items()]), end="")

    cold = cold_start()
    peer = codespell(docs)
    report["cold_start_s"] = cold
    report["codespell"] = peer
    fix1 = report["throughput"]["no-model"]["words_per_s"]["fix/1"]
    rules1 = report["throughput"]["rules"]["words_per_s"]["fix/1"]
    print()
    lines = [["repair check seed (cold start, median of 5)", f"{cold:.2f} s" if cold else "-"]]
    if peer:
        report["ratio_no_model_to_codespell"] = fix1 / peer["words_per_s"]
        report["ratio_rules_to_codespell"] = rules1 / peer["words_per_s"]
        lines += [
            ["codespell seed (cold start, median of 5)", f"{peer['cold_start_s']:.2f} s"],
            ["codespell on the same text (incl. start)", f"{peer['words_per_s']:,.0f} words/s"],
            ["repair fix no-model / codespell", f"{report['ratio_no_model_to_codespell']:.2f}x"],
            ["repair fix rules / codespell", f"{report['ratio_rules_to_codespell']:.2f}x"],
        ]
    else:
        lines.append(["codespell", "not installed"])
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    report["peak_rss_mib"] = {"bench_process": self_kb / 1024, "largest_child": child_kb / 1024}
    lines.append(["peak memory (this process, max child)", f"{self_kb / 1024:.0f} MiB, {child_kb / 1024:.0f} MiB"])
    print(table(["", ""], lines).split("\n", 1)[1], end="")

    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"bench: wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
