"""Batch throughput: words/s for `repair batch` with 1 job, 2 jobs and the Ray engine.

    python benchmarks/bench_batch.py [--docs 400] [--no-ray] [--json]

Input: the first DOCS clean BBC articles from ../shared when present (read in place, never
copied into the project), otherwise synthetic news-like text.  Each run is the real CLI in
a subprocess, so start-up (worker processes, Ray actors) is included, as a user sees it.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BBC = ROOT.parent / "shared" / "data" / "corpus" / "bbc_train.jsonl"


def make_input(path: Path, docs: int) -> int:
    rows: list[str] = []
    if BBC.is_file():
        with open(BBC, encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                text = row.get("text") or row.get("body") or ""
                if text:
                    rows.append(text)
                if len(rows) >= docs:
                    break
    while len(rows) < docs:
        i = len(rows)
        rows.append(
            f"Report {i}. The council said {{that a}} plan for the road would go ahead in March. "
            "Local residents warned that prices had risen sharply, and the minister confirmed "
            "that a review was due before the summer. " * 6
        )
    with open(path, "w", encoding="utf-8") as fh:
        for i, text in enumerate(rows):
            fh.write(json.dumps({"id": i, "text": text}) + "\n")
    return sum(len(t.split()) for t in rows)


def run(src: Path, out: Path, *extra: str) -> float:
    cmd = [
        sys.executable,
        "-m",
        "repair.cli",
        "batch",
        str(src),
        "-o",
        str(out),
        "--no-model",
        "--no-progress",
        *extra,
    ]
    t = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if proc.returncode > 1:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    return wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--no-ray", action="store_true")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        src = d / "in.jsonl"
        words = make_input(src, args.docs)
        runs = {"jobs=1": ("--jobs", "1"), "jobs=2": ("--jobs", "2")}
        if not args.no_ray:
            try:
                import ray  # noqa: F401

                runs["ray(2 actors)"] = ("--engine", "ray", "--jobs", "2")
            except ImportError:
                print(
                    "ray not installed: skipping the Ray run (pip install '.[ray]')",
                    file=sys.stderr,
                )
        results = {}
        for name, extra in runs.items():
            wall = run(src, d / f"{len(results)}.jsonl", *extra)
            results[name] = {
                "wall_s": round(wall, 2),
                "words_per_s": round(words / wall),
                "docs_per_s": round(args.docs / wall, 1),
            }
        outs = [(d / f"{i}.jsonl").read_bytes() for i in range(len(results))]
        same = all(o == outs[0] for o in outs)
    report = {
        "docs": args.docs,
        "words": words,
        "source": "bbc" if BBC.is_file() else "synthetic",
        "outputs_identical": same,
        "runs": results,
    }
    if args.json:
        print(json.dumps(report))
        return
    print(
        f"repair batch: {args.docs} docs, {words:,} words ({report['source']}); outputs identical: {same}"
    )
    for name, r in results.items():
        print(
            f"  {name:<14} {r['wall_s']:>7.2f} s  {r['words_per_s']:>9,} words/s  {r['docs_per_s']:>7} docs/s"
        )


if __name__ == "__main__":
    main()
