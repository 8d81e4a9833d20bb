"""`repair batch --engine ray` on a local Ray instance gives the local engine's output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from repair.cli import main

ray = pytest.importorskip("ray")
pytest.importorskip("ray.data")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

pytestmark = pytest.mark.slow  # starting Ray and its actors takes 20-60 s on two cores


def text(i: int) -> str:
    spin = " Officials said {that a} ruling was near." if i % 2 else ""
    return f"Story {i}: the board met on Tuesday and approved {i} new posts.{spin}\n"


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def run(*args: str) -> int:
    res = CliRunner().invoke(main, ["batch", *args, "--no-model", "--no-progress"])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.output
    return res.exit_code


def test_ray_jsonl_equals_local(local_ray: None, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    rows = [json.dumps({"id": i, "text": text(i), "tag": ["a", i]}) for i in range(30)]
    rows.insert(5, "{broken")
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert run(str(src), "-o", str(tmp_path / "local.jsonl")) == 1
    assert (
        run(
            str(src),
            "-o",
            str(tmp_path / "ray.jsonl"),
            "--engine",
            "ray",
            "-j",
            "2",
            "--chunk",
            "2",
        )
        == 1
    )
    assert (tmp_path / "ray.jsonl").read_bytes() == (tmp_path / "local.jsonl").read_bytes()
    manifest = json.loads((tmp_path / "ray.jsonl.manifest" / "manifest.json").read_text())
    assert manifest["failed"] == 1 and manifest["repaired"] == 30 and manifest["changed"] == 15


def test_ray_parquet_equals_local(local_ray: None, tmp_path: Path) -> None:
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist([{"id": i, "text": text(i)} for i in range(25)]), src)
    assert run(str(src), "-o", str(tmp_path / "local.parquet")) == 1
    assert run(str(src), "-o", str(tmp_path / "ray.parquet"), "--engine", "ray", "-j", "2") == 1
    local = pq.read_table(tmp_path / "local.parquet")
    got = pq.read_table(tmp_path / "ray.parquet")
    assert got.schema == local.schema
    assert got.to_pylist() == local.to_pylist()
