"""The local engine: worker processes, ordered results, per-document checkpoints, atomic writes.

Resume works from a checkpoint file in the manifest folder: one JSON line per finished
document, appended (and flushed) as soon as its output is written, holding the hash of its
input (and of the configuration).  A rerun with ``--resume`` reuses every document whose
hash is unchanged and whose output is intact, and does only the rest; since each document
is repaired on its own, the final output is the same as an uninterrupted run's.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from repair.batch import work
from repair.batch.progress import Progress
from repair.batch.summary import Summary
from repair.config import RepairConfig
from repair.io import MAX_BYTES, write_atomic

TEXT_SUFFIXES = {
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
ADDED = ("repaired", "edits", "spun_score")
CHECKPOINT = "checkpoint.jsonl"


@dataclass
class Options:
    config: RepairConfig
    output: Path
    manifest: Path
    jobs: int = 1
    resume: bool = False
    text_field: str = "text"
    max_bytes: int = MAX_BYTES
    chunk: int = 8
    progress: bool = False
    fingerprint: str = ""
    summary: Summary = field(default_factory=Summary)


def fingerprint(config: RepairConfig, *extra: str) -> str:
    """What besides the input decides the output: a changed config invalidates every checkpoint."""
    from repair import __version__

    return hashlib.sha256("\0".join([__version__, repr(config), *extra]).encode()).hexdigest()[:16]


def digest(fp: str, data: bytes) -> str:
    return hashlib.sha256(fp.encode() + b"\0" + data).hexdigest()


# --- checkpoints -----------------------------------------------------------------------


class Checkpoint:
    """Append-only record of finished documents; the last record for a key wins."""

    def __init__(self, path: Path, *, resume: bool):
        self.path = path
        self.records: dict[str, dict[str, Any]] = {}
        path.parent.mkdir(parents=True, exist_ok=True)
        if resume and path.exists():
            with open(path, encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    try:
                        rec = json.loads(line)
                    except ValueError:  # the half-written last line of a killed run
                        continue
                    if isinstance(rec, dict) and "key" in rec:
                        self.records[rec["key"]] = rec
        elif path.exists():
            path.unlink()
        self._fh = open(path, "a+", encoding="utf-8")
        self._fh.seek(0, os.SEEK_END)
        if self._fh.tell():  # make sure a torn last line does not swallow the next record
            self._fh.seek(self._fh.tell() - 1)
            last = self._fh.read(1)
            self._fh.seek(0, os.SEEK_END)
            if last != "\n":
                self._fh.write("\n")

    def get(self, key: str, hash_: str) -> dict[str, Any] | None:
        rec = self.records.get(key)
        return rec if rec is not None and rec.get("hash") == hash_ else None

    def put(self, rec: dict[str, Any]) -> None:
        self._fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        self._fh.flush()

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()

    def rewrite(self, records: Iterable[dict[str, Any]]) -> None:
        """Replace the file by ``records`` (drops superseded ones); atomic."""
        self.close()
        write_atomic(self.path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


# --- ordered parallel map ----------------------------------------------------------------

Item = tuple[dict[str, Any], "tuple[Any, ...] | None"]


def ordered_map(
    items: Iterable[Item], *, jobs: int, config: RepairConfig, chunk: int
) -> Generator[tuple[dict[str, Any], dict[str, Any] | None], None, None]:
    """Run each item's task (None = nothing to run) and yield (meta, result) in input order.

    With ``jobs > 1`` chunks of tasks go to a process pool whose initializer builds the
    pipeline once per worker; at most ``3 * jobs`` chunks are in flight, so memory stays flat.
    """
    it = iter(items)
    if jobs <= 1:
        work.init_worker(config, ignore_sigint=False)
        for meta, task in it:
            yield meta, (work.process(task) if task is not None else None)
        return
    ctx = multiprocessing.get_context("spawn")
    ex = ProcessPoolExecutor(jobs, mp_context=ctx, initializer=work.init_worker, initargs=(config,))
    pending: deque[tuple[list[Item], Future[list[dict[str, Any]]] | None]] = deque()

    def submit() -> bool:
        batch = list(islice(it, chunk))
        if not batch:
            return False
        tasks = [t for _, t in batch if t is not None]
        pending.append((batch, ex.submit(work.process_chunk, tasks) if tasks else None))
        return True

    ok = False
    try:
        for _ in range(3 * jobs):
            if not submit():
                break
        while pending:
            batch, fut = pending.popleft()
            results = iter(fut.result() if fut is not None else ())
            for meta, task in batch:
                yield meta, (next(results) if task is not None else None)
            submit()
        ok = True
    finally:
        if ok:
            ex.shutdown(wait=True)
        else:  # interrupted: stop now, do not wait for queued chunks
            procs = list((getattr(ex, "_processes", None) or {}).values())
            ex.shutdown(wait=False, cancel_futures=True)
            for proc in procs:
                proc.terminate()


# --- folders -----------------------------------------------------------------------------


def list_files(src: Path, exclude: Iterable[Path]) -> list[Path]:
    skip = [p.resolve() for p in exclude]
    out = []
    for p in sorted(src.rglob("*")):
        rel = p.relative_to(src)
        if any(part.startswith(".") for part in rel.parts) or not p.is_file():
            continue
        rp = p.resolve()
        if any(rp == s or s in rp.parents for s in skip):
            continue
        out.append(p)
    return out


def run_folder(src: Path, opts: Options) -> Summary:
    """Repair every .txt/.md/.html under ``src`` into the same relative path under the output."""
    summary = opts.summary
    files = list_files(src, [opts.output, opts.manifest])
    ck = Checkpoint(opts.manifest / CHECKPOINT, resume=opts.resume)
    final: dict[str, dict[str, Any]] = {}
    prog = Progress(len(files), enabled=opts.progress)

    def items() -> Iterator[Item]:
        for p in files:
            rel = p.relative_to(src).as_posix()
            markup = TEXT_SUFFIXES.get(p.suffix.lower())
            meta: dict[str, Any] = {"key": rel, "src": p}
            if markup is None:
                meta["skip"] = True
                yield meta, None
                continue
            try:
                size = p.stat().st_size
                if size > opts.max_bytes:
                    meta["error"] = f"file is too large ({size} bytes; limit {opts.max_bytes})"
                    yield meta, None
                    continue
                data = p.read_bytes()
            except OSError as exc:
                meta["error"] = f"cannot read: {exc.strerror or exc}"
                yield meta, None
                continue
            meta["hash"] = digest(opts.fingerprint, data)
            rec = ck.get(rel, meta["hash"]) if opts.resume else None
            if rec is not None and _intact(opts.output / rel, rec):
                meta["cached"] = rec
                yield meta, None
                continue
            yield meta, ("file", rel, data, opts.config.markup or markup)

    results = ordered_map(items(), jobs=opts.jobs, config=opts.config, chunk=opts.chunk)
    try:
        for meta, res in results:
            rel = meta["key"]
            if meta.get("skip"):
                summary.add_skipped(rel)
            elif "cached" in meta:
                final[rel] = meta["cached"]
                summary.add_ok(meta["cached"]["stats"], reused=True)
                prog.advance(meta["cached"]["stats"].get("words", 0))
                continue
            elif (err := meta.get("error") or (res or {}).get("error")) is not None:
                summary.add_error({"path": rel}, err)
            else:
                assert res is not None
                target = opts.output / rel
                write_atomic(target, res["repaired"], newline=res["newline"], like=meta["src"])
                st = target.stat()
                rec = {
                    "key": rel,
                    "hash": meta["hash"],
                    "size": st.st_size,
                    "mtime_ns": st.st_mtime_ns,
                    "stats": res["stats"],
                }
                ck.put(rec)
                final[rel] = rec
                summary.add_ok(res["stats"])
                prog.advance(res["stats"]["words"])
                continue
            prog.advance()
    finally:
        results.close()
        prog.close()
    ck.rewrite(final[k] for k in sorted(final))
    return summary


def _intact(target: Path, rec: dict[str, Any]) -> bool:
    try:
        st = target.stat()
    except OSError:
        return False
    return st.st_size == rec.get("size") and st.st_mtime_ns == rec.get("mtime_ns")


# --- rows (JSONL, Parquet) ---------------------------------------------------------------


def row_error(row: Any, text_field: str, max_bytes: int) -> str | None:
    """Why this row cannot be repaired, or None when its text field is a string of sane size."""
    if not isinstance(row, dict):
        return f"row is a JSON {type(row).__name__}, not an object"
    if text_field not in row:
        return f"no {text_field!r} field (choose another with --text-field)"
    text = row[text_field]
    if not isinstance(text, str):
        return f"{text_field!r} is {type(text).__name__}, not a string"
    if len(text) > max_bytes:
        return f"text is too large ({len(text)} characters; limit {max_bytes})"
    return None


def parse_line(line: bytes, max_bytes: int) -> tuple[Any, str | None]:
    """(row, None) or (None, why the line is not a JSON row)."""
    if len(line) > max_bytes * 2:
        return None, f"line is too large ({len(line)} bytes)"
    try:
        return json.loads(line), None
    except ValueError as exc:  # includes bytes that are not UTF-8
        return None, f"bad JSON: {exc}"


def row_task(meta: dict[str, Any], row: Any, opts: Options, ck: Checkpoint) -> Item:
    """Check one row; return (meta, task) with ``meta["error"]`` or ``meta["cached"]`` set as due."""
    if isinstance(row, dict):
        meta["row"] = row
        if row.get("id") is not None:
            meta["ident"]["id"] = row["id"]
    err = row_error(row, opts.text_field, opts.max_bytes)
    if err is not None:
        meta["error"] = err
    else:
        text = row[opts.text_field]
        rec = ck.get(meta["key"], meta["hash"]) if opts.resume else None
        if rec is not None:
            meta["cached"] = rec
            return meta, None
        return meta, ("text", text, opts.config.markup or "text")
    return meta, None


def jsonl_items(path: Path, opts: Options, ck: Checkpoint) -> Iterator[Item]:
    with open(path, "rb") as fh:
        for n, raw in enumerate(fh, 1):
            line = raw.rstrip(b"\r\n")
            if not line.strip():
                continue
            meta: dict[str, Any] = {
                "key": str(n),
                "ident": {"line": n},
                "hash": digest(opts.fingerprint, line),
            }
            row, err = parse_line(line, opts.max_bytes)
            if err is not None:
                meta["error"] = err
                yield meta, None
                continue
            yield row_task(meta, row, opts, ck)


def parquet_items(path: Path, opts: Options, ck: Checkpoint) -> Iterator[Item]:
    import pyarrow.parquet as pq

    n = 0
    for b, batch in enumerate(pq.ParquetFile(path).iter_batches(batch_size=256)):
        for j, row in enumerate(batch.to_pylist()):
            n += 1
            blob = json.dumps(row, sort_keys=True, default=str, ensure_ascii=False).encode()
            meta: dict[str, Any] = {
                "key": str(n),
                "ident": {"row": n},
                "hash": digest(opts.fingerprint, blob),
                "batch": (b, batch),
                "pos": j,
            }
            yield row_task(meta, row, opts, ck)


def count_rows(path: Path, kind: str) -> int:
    if kind == "parquet":
        import pyarrow.parquet as pq

        return int(pq.ParquetFile(path).metadata.num_rows)
    n = 0
    with open(path, "rb") as fh:
        for raw in fh:
            n += bool(raw.strip())
    return n


class JsonlWriter:
    def __init__(self, fh: Any):
        self.fh = fh

    def add(self, meta: dict[str, Any], added: dict[str, Any]) -> None:
        row = {k: v for k, v in meta["row"].items() if k not in ADDED}
        self.fh.write((json.dumps({**row, **added}, ensure_ascii=False) + "\n").encode("utf-8"))

    def skip(self, meta: dict[str, Any]) -> None:
        pass

    def close(self) -> None:
        pass


def arrow_added_schema() -> Any:
    import pyarrow as pa

    edit = pa.struct(
        [
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("before", pa.string()),
            ("after", pa.string()),
            ("kind", pa.string()),
            ("reason", pa.string()),
            ("confidence", pa.float64()),
            ("stage", pa.string()),
        ]
    )
    return pa.schema(
        [("repaired", pa.string()), ("edits", pa.list_(edit)), ("spun_score", pa.float64())]
    )


def add_columns(table: Any, added: list[dict[str, Any]]) -> Any:
    """``table`` (a RecordBatch or Table) with the repair columns appended (replacing old ones)."""
    import pyarrow as pa

    for name in ADDED:
        if name in table.schema.names:
            table = (
                table.drop_columns([name]) if hasattr(table, "drop_columns") else table.drop([name])
            )
    schema = arrow_added_schema()
    arrays = [pa.array([a[f.name] for a in added], type=f.type) for f in schema]
    out = pa.Table.from_batches([table]) if isinstance(table, pa.RecordBatch) else table
    for f, arr in zip(schema, arrays, strict=True):
        out = out.append_column(f, arr)
    return out


class ParquetWriter:
    """Collects one input record batch's successful rows, then writes them with the new columns."""

    def __init__(self, fh: Any, src: Path):
        import pyarrow as pa
        import pyarrow.parquet as pq

        in_schema = pq.ParquetFile(src).schema_arrow
        keep = [f for f in in_schema if f.name not in ADDED]
        self.schema = pa.schema(keep + list(arrow_added_schema()))
        self.writer = pq.ParquetWriter(fh, self.schema)
        self.current: tuple[int, Any] | None = None
        self.pos: list[int] = []
        self.added: list[dict[str, Any]] = []

    def _batch(self, meta: dict[str, Any]) -> None:
        if self.current is not None and meta["batch"][0] != self.current[0]:
            self._flush()
        self.current = meta["batch"]

    def add(self, meta: dict[str, Any], added: dict[str, Any]) -> None:
        self._batch(meta)
        self.pos.append(meta["pos"])
        self.added.append(added)

    def skip(self, meta: dict[str, Any]) -> None:
        if "batch" in meta:
            self._batch(meta)

    def _flush(self) -> None:
        import pyarrow as pa

        if self.current is not None and self.pos:
            part = self.current[1].take(pa.array(self.pos, type=pa.int64()))
            self.writer.write_table(add_columns(part, self.added).cast(self.schema))
        self.pos, self.added = [], []

    def close(self) -> None:
        self._flush()
        self.writer.close()


def run_rows(src: Path, kind: str, opts: Options) -> Summary:
    """Repair each row's text field; write the rows that worked, in order, to a temp file, then rename."""
    summary = opts.summary
    ck = Checkpoint(opts.manifest / CHECKPOINT, resume=opts.resume)
    out = opts.output
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = partial_path(out)  # a fixed name: a killed run's leftover is overwritten, not left behind
    prog = Progress(count_rows(src, kind), enabled=opts.progress)
    source = jsonl_items if kind == "jsonl" else parquet_items
    results = ordered_map(
        source(src, opts, ck), jobs=opts.jobs, config=opts.config, chunk=opts.chunk
    )
    done = False
    try:
        with open(tmp, "wb") as fh:
            writer: JsonlWriter | ParquetWriter = (
                JsonlWriter(fh) if kind == "jsonl" else ParquetWriter(fh, src)
            )
            for meta, res in results:
                rec = meta.get("cached")
                err = meta.get("error") or (res or {}).get("error")
                if rec is None and err is None:
                    assert res is not None
                    rec = {
                        "key": meta["key"],
                        "hash": meta["hash"],
                        "added": {k: res[k] for k in ADDED},
                        "stats": res["stats"],
                    }
                    ck.put(rec)
                if err is not None:
                    summary.add_error(meta["ident"], err)
                    writer.skip(meta)
                    prog.advance()
                    continue
                assert rec is not None
                writer.add(meta, rec["added"])
                summary.add_ok(rec["stats"], reused="cached" in meta)
                prog.advance(rec["stats"].get("words", 0))
            writer.close()
            fh.flush()
            os.fsync(fh.fileno())
        _replace_if_different(Path(tmp), out)
        done = True
    finally:
        results.close()
        prog.close()
        ck.close()
        if not done and os.path.exists(tmp):
            os.unlink(tmp)
    return summary


def partial_path(out: Path) -> str:
    return str(out.with_name(f".{out.name}.partial"))


def _replace_if_different(tmp: Path, out: Path) -> None:
    """Rename ``tmp`` over ``out``, unless ``out`` already has the same bytes (then keep it untouched)."""
    if out.is_file() and out.stat().st_size == tmp.stat().st_size and _sha(out) == _sha(tmp):
        tmp.unlink()
        return
    os.replace(tmp, out)


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def run(src: Path, kind: str, opts: Options) -> Summary:
    return run_folder(src, opts) if kind == "folder" else run_rows(src, kind, opts)
