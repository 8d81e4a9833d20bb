"""Speed of the pre-commit hook: `repair check --no-model` over 50 article-sized files.

Target: at most 2 s for the whole run, start-up included, without the model (issue 9).
The files are a mix of plain text, Markdown (front matter, headings, a code block, links)
and HTML, each one article: BBC articles from ../shared when present (written only to a
temporary folder), else the seed article.  Reports the median of 3 runs of the command the
hook runs, the cold start on one file, and how much of the time markup parsing takes.
Writes work/bench_precommit.json.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SEED_FILE = ROOT / "seeds/ukraine_coalition_mt_spun.txt"
BBC = ROOT / "../shared/data/corpus/bbc_train.jsonl"
REPAIR = [sys.executable, "-m", "repair.cli"]


def articles(n: int) -> tuple[list[str], str]:
    if BBC.is_file():
        rows = [
            json.loads(line)
            for line in BBC.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        random.Random(9).shuffle(rows)
        return [r["text"] for r in rows[:n]], "BBC articles from ../shared"
    return [SEED_FILE.read_text(encoding="utf-8")] * n, "the seed article"


def as_markdown(text: str, i: int) -> str:
    paras = [p for p in text.split("\n") if p.strip()]
    body = "\n\n".join(paras)
    return (
        f"---\ntitle: Article {i}\ntags: [news]\n---\n# Article {i}\n\n{body}\n\n"
        "```python\nprint('{that a}')\n```\n\n"
        f"Read [the source](https://example.com/news/{i}) and `inline code`.\n"
    )


def as_html(text: str, i: int) -> str:
    paras = "\n".join(f"<p>{p}</p>" for p in text.split("\n") if p.strip())
    return (
        f"<!DOCTYPE html>\n<html><head><title>Article {i}</title>"
        "<style>p { margin: 0 }</style></head>\n<body>\n"
        f'<h1 class="title">Article {i}</h1>\n{paras}\n'
        f'<p>See <a href="https://example.com/{i}">the source</a>.</p>\n</body></html>\n'
    )


def write_files(folder: Path, n: int) -> tuple[list[str], int, str]:
    texts, source = articles(n)
    paths, words = [], 0
    for i, text in enumerate(texts):
        words += len(text.split())
        if i % 3 == 0:
            path, content = folder / f"a{i:02d}.md", as_markdown(text, i)
        elif i % 3 == 1:
            path, content = folder / f"a{i:02d}.html", as_html(text, i)
        else:
            path, content = folder / f"a{i:02d}.txt", text
        path.write_text(content, encoding="utf-8")
        paths.append(str(path))
    return paths, words, source


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"bench: {' '.join(cmd[:6])} … failed: {proc.stderr.strip()}")
    return elapsed


def markup_share(paths: list[str]) -> dict[str, float]:
    from repair.markup import detect_markup, protected_spans

    texts = [(Path(p).read_text(encoding="utf-8"), detect_markup(p)) for p in paths]
    t0 = time.perf_counter()
    for text, markup in texts:
        protected_spans(text, markup)
    return {"markup_parse_s": round(time.perf_counter() - t0, 4)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--files", type=int, default=50)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--output", default=str(ROOT / "work/bench_precommit.json"))
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths, words, source = write_files(Path(tmp), args.files)
        timed([*REPAIR, "check", "--no-model", paths[0]])  # warm the OS file cache
        cold = statistics.median(
            timed([*REPAIR, "check", "--no-model", paths[0]]) for _ in range(args.runs)
        )
        runs = [timed([*REPAIR, "check", "--no-model", *paths]) for _ in range(args.runs)]
        share = markup_share(paths)
    result = {
        "files": args.files,
        "words": words,
        "source": source,
        "check_all_s_median": round(statistics.median(runs), 3),
        "check_all_s_runs": [round(r, 3) for r in runs],
        "check_one_file_s": round(cold, 3),
        "target_s": 2.0,
        **share,
    }
    result["meets_target"] = result["check_all_s_median"] <= result["target_s"]
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"repair check --no-model on {args.files} files ({words} words, {source}): "
        f"{result['check_all_s_median']:.2f} s median of {args.runs} (target ≤ 2 s); "
        f"one file {cold:.2f} s; markup parsing {share['markup_parse_s']:.3f} s"
    )


if __name__ == "__main__":
    main()
