"""`repair batch INPUT -o OUTPUT`: a folder, a JSONL file or a Parquet file, in parallel."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click

from repair.cli import build_config, common_options, fail
from repair.io import MAX_BYTES

KINDS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".pq": "parquet"}


def input_kind(path: str) -> str | None:
    if "://" not in path and Path(path).is_dir():
        return "folder"
    return KINDS.get(Path(path.split("?")[0]).suffix.lower())


@click.command("batch")
@click.argument("input_path", metavar="INPUT")
@click.option(
    "-o",
    "--output",
    required=True,
    help="Output folder (for a folder INPUT) or file (same format as INPUT).",
)
@click.option(
    "--text-field",
    default="text",
    show_default=True,
    help="The field/column holding each row's text.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Worker processes (Ray: actors).",
)
@click.option(
    "--resume",
    is_flag=True,
    help="Reuse documents finished by an earlier run whose input is unchanged.",
)
@click.option(
    "--manifest",
    "manifest_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder for manifest.json, the checkpoint and mined phrases (default: OUTPUT.manifest).",
)
@click.option(
    "--mine",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the most frequent spun phrases here (default: MANIFEST/spun_phrases.tsv).",
)
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on stderr (default: when stderr is a terminal).",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(1),
    default=MAX_BYTES,
    show_default=True,
    help="Documents larger than this fail (recorded in the manifest).",
)
@click.option(
    "--chunk",
    type=click.IntRange(1),
    default=8,
    show_default=True,
    help="Documents per task sent to a worker.",
)
@common_options
def batch_command(
    input_path: str,
    output: str,
    text_field: str,
    jobs: int,
    resume: bool,
    manifest_dir: str | None,
    mine: str | None,
    engine: str,
    progress: bool | None,
    max_bytes: int,
    chunk: int,
    **opts: Any,
) -> None:
    """Repair every document of INPUT into OUTPUT: a folder of .txt/.md/.html files (mirrored),
    a JSONL file or a Parquet file (rows keep their fields and gain "repaired", "edits" and
    "spun_score").  Bad documents are listed in OUTPUT.manifest/manifest.json and do not stop
    the run.  Exit 0: nothing changed; 1: something changed or some documents failed; 2: usage.
    """
    from repair.batch import local
    from repair.batch.summary import Summary

    remote = "://" in input_path
    if not remote and not Path(input_path).exists():
        fail(f"{input_path}: no such file or folder")
    found = input_kind(input_path)
    if found is None:
        fail(f"{input_path}: not a folder, .jsonl or .parquet file; batch reads those")
    kind = str(found)
    out = output.rstrip("/") or output
    if kind != "folder" and "://" not in out and Path(out).is_dir():
        fail(f"{output}: is a folder; for a {kind} INPUT give an output file")
    if kind == "folder" and Path(out).is_file():
        fail(f"{output}: is a file; for a folder INPUT give an output folder")
    if not remote and "://" not in out and Path(out).resolve() == Path(input_path).resolve():
        fail(f"{output}: is the input; write the output somewhere else")
    if (
        kind != "folder"
        and "://" not in out
        and KINDS.get(Path(out).suffix.lower()) not in (None, kind)
    ):
        fail(
            f"{output}: a {kind} INPUT gives a {kind} output; use a .{'jsonl' if kind == 'jsonl' else 'parquet'} name"
        )
    if kind == "parquet" or engine == "ray":
        try:
            import pyarrow  # noqa: F401
        except ImportError:
            fail("Parquet needs pyarrow: pip install 'repair[parquet]'")
    if engine == "ray":
        if kind == "folder":
            fail(
                "--engine ray reads JSONL or Parquet; for a folder use the local engine (--jobs N)"
            )
        if resume:
            fail("--resume is a local-engine feature; Ray reruns the whole input")
        try:
            import ray  # noqa: F401
        except ImportError:
            fail("--engine ray needs Ray: pip install 'repair[ray]'")
    cfg = build_config((input_path if not remote else ".",), **opts)
    manifest = (
        Path(manifest_dir)
        if manifest_dir
        else Path((out.rsplit("/", 1)[-1] if "://" in out else out) + ".manifest")
    )
    options = local.Options(
        config=cfg,
        output=Path(out),
        manifest=manifest,
        jobs=jobs,
        resume=resume,
        text_field=text_field,
        max_bytes=max_bytes,
        chunk=chunk,
        progress=sys.stderr.isatty() if progress is None else progress,
        fingerprint=local.fingerprint(cfg, text_field, str(max_bytes)),
        summary=Summary(),
    )
    meta = {
        "input": input_path,
        "output": out,
        "engine": engine,
        "jobs": jobs,
        "config": cfg.source,
        "fingerprint": options.fingerprint,
    }
    started = time.perf_counter()
    try:
        if engine == "ray":
            from repair.batch.ray_engine import run_ray

            summary = run_ray(input_path, kind, out, options)
        else:
            summary = local.run(Path(input_path), kind, options)
    except KeyboardInterrupt:
        elapsed = time.perf_counter() - started
        options.summary.write(
            manifest,
            {**meta, "complete": False, "elapsed_s": round(elapsed, 2)},
            Path(mine) if mine else None,
        )
        click.echo(
            f"repair: interrupted after {options.summary.documents} documents; rerun with --resume to continue",
            err=True,
        )
        sys.exit(130)
    except OSError as exc:
        fail(f"{getattr(exc, 'filename', None) or out}: {exc.strerror or exc}")
    elapsed = time.perf_counter() - started
    path = summary.write(
        manifest,
        {**meta, "complete": True, "elapsed_s": round(elapsed, 2)},
        Path(mine) if mine else None,
    )
    click.echo(f"repair batch: {summary.line(elapsed)}", err=True)
    for e in summary.errors[:10]:
        ident = e.get("path") or ", ".join(f"{k} {v}" for k, v in e.items() if k != "error")
        click.echo(f"repair: failed: {ident}: {e['error']}", err=True)
    if len(summary.errors) > 10:
        click.echo(f"repair: ... and {len(summary.errors) - 10} more", err=True)
    click.echo(f"repair batch: manifest {path}", err=True)
    sys.exit(summary.exit_code)
