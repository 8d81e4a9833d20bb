"""`repair batch`: folders, JSONL and Parquet; parallel equals serial; manifest; resume."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from repair.cli import main

SUBJECTS = [
    "The council",
    "A spokesman",
    "The minister",
    "Local residents",
    "The company",
    "Scientists",
]
VERBS = ["said", "warned", "announced", "confirmed", "argued", "reported"]
OBJECTS = [
    "the plan would go ahead",
    "prices rose in March",
    "talks had stalled",
    "the road would close",
    "a review was due",
    "the vote was delayed",
]


def article(i: int, *, spun: bool) -> str:
    """A small news-like article; ``spun`` ones carry spintax residue the spintax stage removes."""
    lines = [f"Report number {i} from the newsroom."]
    for j in range(4):
        k = i + j
        lines.append(f"{SUBJECTS[k % 6]} {VERBS[(k * 5) % 6]} that {OBJECTS[(k * 7) % 6]}.")
    if spun:
        lines.append(f"Officials said {{that a}} decision on item {i} would follow.")
    return "\n".join(lines) + "\n"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    (src / "world").mkdir(parents=True)
    for i in range(20):
        folder = src / "world" if i % 3 == 0 else src
        ext = ".md" if i % 5 == 0 else ".txt"
        (folder / f"article{i:02d}{ext}").write_text(article(i, spun=i % 2 == 0), encoding="utf-8")
    (src / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01")
    (src / "latin1.txt").write_bytes(
        "Caf\u00e9 au lait, na\u00efve r\u00e9sum\u00e9.\n".encode("latin-1")
    )
    return src


def batch(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(main, ["batch", *args])
    return res.exit_code, res.output


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def write_jsonl(path: Path, rows: list[object], *, extra_lines: tuple[bytes, ...] = ()) -> None:
    data = b"".join(json.dumps(r).encode() + b"\n" for r in rows) + b"".join(extra_lines)
    path.write_bytes(data)


def test_folder_gives_one_output_per_good_file_and_lists_bad_ones(
    corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    code, _ = batch(str(corpus), "-o", str(out), "--no-model")
    assert code == 1  # the spun articles changed and two files failed: at most 1
    outputs = tree(out)
    assert len(outputs) == 20
    assert "broken.txt" not in outputs and "latin1.txt" not in outputs
    assert "world/article00.md" in outputs  # sub-folders are mirrored
    fixed = outputs["article02.txt"].decode()
    assert "{that a}" not in fixed and "Officials said that a decision on item 2" in fixed
    assert outputs["article01.txt"].decode() == article(1, spun=False)  # untouched text stays
    manifest = json.loads((tmp_path / "out.manifest" / "manifest.json").read_text())
    assert sorted(e["path"] for e in manifest["errors"]) == ["broken.txt", "latin1.txt"]
    assert "UTF-8" in next(e["error"] for e in manifest["errors"] if e["path"] == "latin1.txt")
    assert manifest["failed"] == 2 and manifest["repaired"] == 20 and manifest["changed"] == 10
    assert manifest["edits_by_kind"]["spintax"] == 10
    assert manifest["complete"] is True


def test_clean_folder_exits_zero(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        (src / f"a{i}.txt").write_text(article(i, spun=False), encoding="utf-8")
    code, _ = batch(str(src), "-o", str(tmp_path / "out"), "--no-model")
    assert code == 0
    assert tree(tmp_path / "out") == tree(src)


def test_two_jobs_equal_one_job(corpus: Path, tmp_path: Path) -> None:
    code1, _ = batch(str(corpus), "-o", str(tmp_path / "one"), "--no-model", "--jobs", "1")
    code2, _ = batch(
        str(corpus), "-o", str(tmp_path / "two"), "--no-model", "--jobs", "2", "--chunk", "3"
    )
    assert code1 == code2 == 1
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
    m1 = json.loads((tmp_path / "one.manifest" / "manifest.json").read_text())
    m2 = json.loads((tmp_path / "two.manifest" / "manifest.json").read_text())
    for key in ("repaired", "changed", "failed", "edits_by_kind", "errors"):
        assert m1[key] == m2[key]


def test_resume_leaves_finished_outputs_untouched(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    batch(str(corpus), "-o", str(out), "--no-model")
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    contents = tree(out)
    time.sleep(0.02)
    # One input changes and one output goes missing: only those two are redone.
    changed_src = corpus / "article01.txt"
    changed_src.write_text(article(1, spun=True), encoding="utf-8")
    (out / "article04.txt").unlink()
    code, _ = batch(str(corpus), "-o", str(out), "--no-model", "--resume")
    assert code == 1
    after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    redone = {p.name for p in after if before.get(p) != after[p]}
    assert redone == {"article01.txt", "article04.txt"}
    assert "Officials said that a decision" in (out / "article01.txt").read_text()
    assert tree(out)["article04.txt"] == contents["article04.txt"]
    manifest = json.loads((tmp_path / "out.manifest" / "manifest.json").read_text())
    assert manifest["reused"] == 18 and manifest["repaired"] == 20


def test_resume_after_a_torn_checkpoint_gives_the_full_output(corpus: Path, tmp_path: Path) -> None:
    ref, out = tmp_path / "ref", tmp_path / "out"
    batch(str(corpus), "-o", str(ref), "--no-model")
    batch(str(corpus), "-o", str(out), "--no-model")
    # Simulate a kill: the last checkpoint line half-written and the later outputs never written.
    ck = tmp_path / "out.manifest" / "checkpoint.jsonl"
    lines = ck.read_text().splitlines(keepends=True)
    ck.write_text("".join(lines[:8]) + lines[8][: len(lines[8]) // 2])
    for line in lines[8:]:
        (out / json.loads(line)["key"]).unlink()
    code, _ = batch(str(corpus), "-o", str(out), "--no-model", "--resume")
    assert code == 1
    assert tree(out) == tree(ref)
    assert json.loads((tmp_path / "out.manifest" / "manifest.json").read_text())["reused"] == 8


def test_jsonl_in_jsonl_out_keeps_fields_and_lists_bad_rows(tmp_path: Path) -> None:
    rows = [
        {"id": f"d{i}", "text": article(i, spun=i % 2 == 0), "source": "test", "n": i}
        for i in range(6)
    ]
    src = tmp_path / "in.jsonl"
    write_jsonl(
        src,
        rows[:3] + [{"id": "no-text", "body": "x"}] + rows[3:],
        extra_lines=(b"{not json\n", b"\n", b'{"id": "num", "text": 5}\n'),
    )
    out = tmp_path / "out.jsonl"
    code, _ = batch(str(src), "-o", str(out), "--no-model")
    assert code == 1
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [g["id"] for g in got] == [r["id"] for r in rows]
    for row, g in zip(rows, got, strict=True):
        assert {k: g[k] for k in row} == row  # every input field kept as it was
        assert set(g) == set(row) | {"repaired", "edits", "spun_score"}
        assert ("{that a}" in row["text"]) == bool(g["edits"])
        for e in g["edits"]:
            assert row["text"][e["start"] : e["end"]] == e["before"]  # original offsets
            assert {"before", "after", "kind", "reason", "confidence", "start", "end"} <= set(e)
        assert "{that a}" not in g["repaired"]
    errors = json.loads((tmp_path / "out.jsonl.manifest" / "manifest.json").read_text())["errors"]
    assert [e["line"] for e in errors] == [4, 8, 10]
    assert errors[0]["id"] == "no-text" and "'text'" in errors[0]["error"]
    assert "bad JSON" in errors[1]["error"]


def test_jsonl_text_field_and_jobs(tmp_path: Path) -> None:
    rows = [{"body": article(i, spun=True), "k": i} for i in range(12)]
    src = tmp_path / "in.jsonl"
    write_jsonl(src, rows)
    batch(str(src), "-o", str(tmp_path / "a.jsonl"), "--no-model", "--text-field", "body")
    batch(
        str(src),
        "-o",
        str(tmp_path / "b.jsonl"),
        "--no-model",
        "--text-field",
        "body",
        "-j",
        "2",
        "--chunk",
        "2",
    )
    a = (tmp_path / "a.jsonl").read_bytes()
    assert a == (tmp_path / "b.jsonl").read_bytes()
    assert len(a.splitlines()) == 12


def test_jsonl_resume_keeps_a_complete_output_untouched(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"text": article(i, spun=True)} for i in range(5)])
    out = tmp_path / "out.jsonl"
    batch(str(src), "-o", str(out), "--no-model")
    mtime = out.stat().st_mtime_ns
    time.sleep(0.02)
    code, _ = batch(str(src), "-o", str(out), "--no-model", "--resume")
    assert code == 1
    assert out.stat().st_mtime_ns == mtime
    assert (
        json.loads((tmp_path / "out.jsonl.manifest" / "manifest.json").read_text())["reused"] == 5
    )


def test_jsonl_killed_mid_run_resumes_to_the_same_output(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"id": i, "text": article(i, spun=i % 3 == 0) * 20} for i in range(120)])
    ref = tmp_path / "ref.jsonl"
    batch(str(src), "-o", str(ref), "--no-model")
    out = tmp_path / "out.jsonl"
    ck = tmp_path / "out.jsonl.manifest" / "checkpoint.jsonl"
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
    ]
    proc = subprocess.Popen(cmd, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline and proc.poll() is None:
        if ck.exists() and ck.stat().st_size > 20_000:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.005)
    proc.wait()
    killed = proc.returncode == -signal.SIGKILL
    if killed:
        assert not out.exists()  # nothing half-written in place of the output
    code, _ = batch(str(src), "-o", str(out), "--no-model", "--resume")
    assert code == 1
    assert out.read_bytes() == ref.read_bytes()
    if killed:
        assert (
            json.loads((tmp_path / "out.jsonl.manifest" / "manifest.json").read_text())["reused"]
            > 0
        )
    assert not list(tmp_path.glob(".out.jsonl*partial"))


def test_parquet_in_parquet_out(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    rows = [
        {"id": i, "text": article(i, spun=i % 2 == 0) if i != 3 else None, "lang": "en"}
        for i in range(7)
    ]
    src = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(rows), src)
    code, _ = batch(str(src), "-o", str(tmp_path / "out.parquet"), "--no-model")
    assert code == 1
    got = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert [g["id"] for g in got] == [0, 1, 2, 4, 5, 6]
    for g in got:
        assert g["lang"] == "en" and "{that a}" not in g["repaired"]
        assert bool(g["edits"]) == (g["id"] % 2 == 0)
    errors = json.loads((tmp_path / "out.parquet.manifest" / "manifest.json").read_text())["errors"]
    assert [(e["row"], e["id"]) for e in errors] == [(4, 3)]
    batch(str(src), "-o", str(tmp_path / "two.parquet"), "--no-model", "-j", "2", "--chunk", "2")
    assert pq.read_table(tmp_path / "two.parquet").to_pylist() == got


def test_mined_phrases_are_counted_and_sorted(tmp_path: Path) -> None:
    from repair.batch.summary import Summary

    s = Summary()
    s.add_ok(
        {
            "changed": True,
            "words": 3,
            "kinds": {"spun-phrase": 1},
            "mined": [["international  locations", "countries", True]],
        }
    )
    s.add_ok(
        {
            "changed": False,
            "words": 3,
            "kinds": {},
            "mined": [
                ["International locations", "countries", False],
                ["big sum", "large amount", False],
            ],
        }
    )
    lines = s.mined_table().splitlines()
    assert lines[1:] == ["2\t1\tinternational locations\tcountries", "1\t0\tbig sum\tlarge amount"]
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"text": "Plain text."}])
    mine = tmp_path / "mined.tsv"
    batch(str(src), "-o", str(tmp_path / "out.jsonl"), "--no-model", "--mine", str(mine))
    assert mine.read_text().startswith("# count")


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing-dir", "-o", "out"], "no such file or folder"),
        (["notes.csv", "-o", "out.csv"], "not a folder, .jsonl or .parquet"),
        (["in.jsonl", "-o", "in.jsonl"], "is the input"),
        (["in.jsonl", "-o", "out.parquet"], "gives a jsonl output"),
        (["in", "--engine", "ray", "-o", "out"], "for a folder use the local engine"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes.csv").write_text("a,b\n")
    (tmp_path / "in.jsonl").write_text('{"text": "x"}\n')
    (tmp_path / "in").mkdir()
    code, output = batch(*args)
    assert code == 2
    assert output.startswith("repair: error: ") and message in output
    assert output.count("\n") == 1


def test_ctrl_c_with_workers_stops_cleanly_and_resumes(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    write_jsonl(src, [{"id": i, "text": article(i, spun=True) * 20} for i in range(150)])
    out = tmp_path / "out.jsonl"
    ck = tmp_path / "out.jsonl.manifest" / "checkpoint.jsonl"
    cmd = [
        sys.executable,
        "-m",
        "repair.cli",
        "batch",
        str(src),
        "-o",
        str(out),
        "--no-model",
        "-j",
        "2",
        "--chunk",
        "2",
    ]
    proc = subprocess.Popen(cmd, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None:
        if ck.exists() and ck.stat().st_size > 20_000:
            proc.send_signal(signal.SIGINT)
            break
        time.sleep(0.005)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 or out.exists(), err  # stopped cleanly, or had just finished
    if proc.returncode == 130:
        assert "rerun with --resume" in err and not out.exists()
        assert (
            json.loads((tmp_path / "out.jsonl.manifest" / "manifest.json").read_text())["complete"]
            is False
        )
    code, _ = batch(str(src), "-o", str(out), "--no-model", "--resume")
    assert code == 1
    assert len(out.read_text().splitlines()) == 150
