"""The Ray engine: the same per-document work on Ray Data, for a cluster.

JSONL is read as raw lines (so a bad line is an error row, not a failed read) and Parquet as
record batches; ``map_batches`` runs :class:`RepairActor`, whose constructor builds the
pipeline once per actor.  Order is preserved and the driver streams the result into one
output file (local path, or ``s3://``/``gs://`` through pyarrow's filesystems), so the
output equals the local engine's.  Resume is a local-engine feature.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from repair.batch import local, work
from repair.batch.summary import Summary
from repair.config import RepairConfig

ERR = "_repair_error"
STATS = "_repair_stats"


def split_lines(batch: Any) -> Any:
    """Whole files (column ``bytes``) → one row per non-blank line (column ``line``)."""
    import pyarrow as pa

    lines: list[bytes] = []
    for data in batch.column("bytes").to_pylist():
        lines.extend(ln.rstrip(b"\r") for ln in data.split(b"\n") if ln.strip())
    return pa.table({"line": pa.array(lines, type=pa.binary())})


class RepairActor:
    """Loads the pipeline once; repairs a batch of JSONL lines or Parquet rows per call."""

    def __init__(self, config: RepairConfig, kind: str, text_field: str, max_bytes: int):
        work.init_worker(config, ignore_sigint=False)
        self.config, self.kind, self.text_field, self.max_bytes = (
            config,
            kind,
            text_field,
            max_bytes,
        )

    def _one(self, row: Any) -> tuple[dict[str, Any] | None, str | None]:
        err = local.row_error(row, self.text_field, self.max_bytes)
        if err is not None:
            return None, err
        res = work.process(("text", row[self.text_field], self.config.markup or "text"))
        return (None, res["error"]) if "error" in res else (res, None)

    def __call__(self, batch: Any) -> Any:
        import pyarrow as pa

        errors: list[str | None] = []
        stats: list[str | None] = []
        if self.kind == "jsonl":
            out: list[str | None] = []
            for line in batch.column("line").to_pylist():
                row, err = local.parse_line(line, self.max_bytes)
                res, err = (None, err) if err is not None else self._one(row)
                if res is None:
                    out.append(None)
                else:
                    kept = {k: v for k, v in row.items() if k not in local.ADDED}
                    out.append(
                        json.dumps({**kept, **{k: res[k] for k in local.ADDED}}, ensure_ascii=False)
                    )
                errors.append(err)
                stats.append(json.dumps(res["stats"]) if res else None)
            return pa.table(
                {
                    "out": pa.array(out, pa.string()),
                    ERR: pa.array(errors, pa.string()),
                    STATS: pa.array(stats, pa.string()),
                }
            )
        added = []
        for row in batch.to_pylist():
            res, err = self._one(row)
            added.append(
                {k: (res[k] if res else ([] if k == "edits" else None)) for k in local.ADDED}
            )
            errors.append(err)
            stats.append(json.dumps(res["stats"]) if res else None)
        table = local.add_columns(batch, added)
        table = table.append_column(ERR, pa.array(errors, pa.string()))
        return table.append_column(STATS, pa.array(stats, pa.string()))


def _open_output(output: str) -> tuple[Any, Any]:
    """(stream, finish) for a local path (temp file + rename) or a remote URI (pyarrow fs)."""
    if "://" in output:
        import pyarrow.fs as pafs

        fs, path = pafs.FileSystem.from_uri(output)
        stream = fs.open_output_stream(path)
        return stream, stream.close
    out = Path(output)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = local.partial_path(out)
    fh = open(tmp, "wb")

    def finish() -> None:
        fh.flush()
        os.fsync(fh.fileno())
        fh.close()
        local._replace_if_different(Path(tmp), out)

    return fh, finish


def run_ray(src: str, kind: str, output: str, opts: local.Options) -> Summary:
    import pyarrow as pa
    import pyarrow.parquet as pq
    import ray

    if not ray.is_initialized():
        ray.init(include_dashboard=False, log_to_driver=False)  # RAY_ADDRESS picks a cluster
    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = bool(opts.progress)
    if kind == "jsonl":
        ds = ray.data.read_binary_files(src).map_batches(split_lines, batch_format="pyarrow")
    else:
        ds = ray.data.read_parquet(src)
    if "://" not in src and Path(src).is_file():  # one file is one block: split it for the actors
        ds = ds.repartition(max(opts.jobs, 1) * 4)
    # Leave one CPU for the read tasks: actors that hold every CPU would starve them (a hang).
    cpus = float(ray.cluster_resources().get("CPU", 1))
    jobs = max(opts.jobs, 1)
    per_actor = min(1.0, max(0.1, (cpus - 1) / jobs))
    ds = ds.map_batches(
        RepairActor,
        num_cpus=per_actor,
        fn_constructor_kwargs={
            "config": opts.config,
            "kind": kind,
            "text_field": opts.text_field,
            "max_bytes": opts.max_bytes,
        },
        batch_size=max(opts.chunk, 1) * 4,
        batch_format="pyarrow",
        concurrency=jobs,
    )
    summary = opts.summary
    fh, finish = _open_output(output)
    writer = None
    n = 0
    try:
        batch: Any
        for batch in ds.iter_batches(batch_format="pyarrow", batch_size=None):
            errs = batch.column(ERR).to_pylist()
            stats = batch.column(STATS).to_pylist()
            ok = [i for i, e in enumerate(errs) if e is None]
            for i, (e, s) in enumerate(zip(errs, stats, strict=True)):
                if e is None:
                    summary.add_ok(json.loads(s))
                else:
                    summary.add_error({"row": n + i + 1}, e)
            n += len(errs)
            part = batch.take(pa.array(ok, type=pa.int64())).drop_columns([ERR, STATS])
            if kind == "jsonl":
                fh.write(
                    "".join(line + "\n" for line in part.column("out").to_pylist()).encode("utf-8")
                )
            else:
                if writer is None:
                    schema = (
                        pa.schema(
                            [f for f in pq.read_schema(src) if f.name not in local.ADDED]
                            + list(local.arrow_added_schema())
                        )
                        if "://" not in src
                        else part.schema
                    )
                    writer = pq.ParquetWriter(fh, schema)
                writer.write_table(part.cast(writer.schema))
        if kind == "parquet" and writer is None:  # no batches at all: still a valid file
            schema = pa.schema(
                [f for f in pq.read_schema(src) if f.name not in local.ADDED]
                + list(local.arrow_added_schema())
            )
            writer = pq.ParquetWriter(fh, schema)
        if writer is not None:
            writer.close()
        finish()
    except BaseException:
        if hasattr(fh, "close"):
            fh.close()
        raise
    return summary
