"""The command line, through click's CliRunner: exit codes, outputs, bad input."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from repair.cli import main

DAMAGED = "It is known {that a} meeting was held on Tuesday.\n"
CLEAN = "The meeting was held on Tuesday, officials said.\n"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_fix_stdin_to_stdout(runner: CliRunner) -> None:
    res = runner.invoke(main, ["fix", "--no-model", "-"], input=DAMAGED)
    assert res.exit_code == 1
    assert res.output == "It is known that a meeting was held on Tuesday.\n"


def test_fix_stdin_clean_exits_zero_and_echoes(runner: CliRunner) -> None:
    res = runner.invoke(main, ["fix", "--no-model", "-"], input=CLEAN)
    assert res.exit_code == 0
    assert res.output == CLEAN


def test_check_exit_codes(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(DAMAGED)
    good = tmp_path / "good.txt"
    good.write_text(CLEAN)
    res = runner.invoke(main, ["check", "--no-model", str(bad)])
    assert res.exit_code == 1
    assert f"{bad}:1:13: spintax:" in res.output
    assert runner.invoke(main, ["check", "--no-model", str(good)]).exit_code == 0


def test_check_json_format(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(DAMAGED)
    res = runner.invoke(main, ["check", "--no-model", "--format", "json", str(bad)])
    data = json.loads(res.output)
    [f] = [f for f in data["files"][0]["findings"] if f["kind"] == "spintax"]
    assert (f["line"], f["column"], f["before"], f["suggestions"]) == (1, 13, "{that a}", ["that a"])
    assert f["fails"] is True


def test_fail_on_above_every_confidence_passes(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text(DAMAGED)
    res = runner.invoke(main, ["check", "--no-model", "--fail-on", "1.0", str(bad)])
    assert res.exit_code == 0
    assert "spintax" in res.output  # still printed, as a suggestion


def test_fix_in_place_keeps_crlf_and_permissions(runner: CliRunner, tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_bytes(b"First line {that a} here.\r\nSecond line.\r\n")
    os.chmod(f, 0o640)
    res = runner.invoke(main, ["fix", "--no-model", "--in-place", str(f)])
    assert res.exit_code == 1, res.output
    assert f.read_bytes() == b"First line that a here.\r\nSecond line.\r\n"
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]  # no temp files left


def test_fix_output_file(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text(DAMAGED)
    out = tmp_path / "out.txt"
    res = runner.invoke(main, ["fix", "--no-model", "-o", str(out), str(src)])
    assert res.exit_code == 1
    assert out.read_text() == "It is known that a meeting was held on Tuesday.\n"
    assert src.read_text() == DAMAGED


def test_fix_files_needs_a_destination(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text(DAMAGED)
    res = runner.invoke(main, ["fix", str(src)])
    assert res.exit_code == 2
    assert "--in-place" in res.output


def test_fix_diff_prints_unified_diff(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text(DAMAGED)
    res = runner.invoke(main, ["fix", "--no-model", "--diff", str(src)])
    assert "-It is known {that a} meeting" in res.output
    assert "+It is known that a meeting" in res.output
    assert src.read_text() == DAMAGED


def test_diff_shows_reason(runner: CliRunner, tmp_path: Path) -> None:
    src = tmp_path / "in.txt"
    src.write_text(DAMAGED)
    res = runner.invoke(main, ["diff", "--no-model", "--no-color", str(src)])
    assert res.exit_code == 1
    assert "[-{that a}-]{+that a+}" in res.output
    assert "spintax" in res.output


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "no such file"),
        ("DIR", "is a directory"),
        (b"\x00\x01\x02binary", "binary"),
        (b"caf\xe9 au lait", "not valid UTF-8"),
        (b"", "is empty"),
    ],
)
def test_bad_input_one_line_exit_2_nothing_written(
    runner: CliRunner, tmp_path: Path, content: bytes | str | None, problem: str
) -> None:
    target = tmp_path / "input.txt"
    if content == "DIR":
        target.mkdir()
    elif isinstance(content, bytes):
        target.write_bytes(content)
    good = tmp_path / "good.txt"
    good.write_text(DAMAGED)
    before = sorted(p.name for p in tmp_path.iterdir())
    # The good file comes first: nothing may be written when a later input is bad.
    res = runner.invoke(main, ["fix", "--no-model", "--in-place", str(good), str(target)])
    assert res.exit_code == 2
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1
    assert lines[0].startswith(f"repair: error: {target}: ")
    assert problem in lines[0]
    assert good.read_text() == DAMAGED
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_config_discovered_from_pyproject(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.repair]\nthreshold = 0.99\n")
    src = tmp_path / "in.txt"
    src.write_text(DAMAGED)
    # spintax residue has confidence 0.97 < 0.99: it is now only a suggestion.
    res = runner.invoke(main, ["fix", "--no-model", "--diff", str(src)])
    assert res.exit_code == 0
    assert res.output == ""
    # The CLI flag wins over the file.
    res = runner.invoke(main, ["fix", "--no-model", "--threshold", "0.9", "--diff", str(src)])
    assert res.exit_code == 1


def test_bad_config_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "repair.toml").write_text("[repair]\nthreshhold = 0.5\n")
    src = tmp_path / "in.txt"
    src.write_text(DAMAGED)
    res = runner.invoke(main, ["check", str(src)])
    assert res.exit_code == 2
    assert "unknown key 'threshhold'" in res.output
    assert "threshold" in res.output


def test_importing_cli_does_not_import_torch() -> None:
    code = "import sys, repair.cli; print('torch' in sys.modules, 'transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_check_leaves_the_model_out_unless_asked(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import repair.cli as cli

    seen = []
    real = cli.run_one

    def spy(path: str, text: str, cfg: object) -> object:
        seen.append(cfg.model)  # type: ignore[attr-defined]
        return real(path, text, cfg)

    monkeypatch.setattr(cli, "run_one", spy)
    src = tmp_path / "a.txt"
    src.write_text(CLEAN)
    runner = CliRunner()
    runner.invoke(main, ["check", str(src)])
    runner.invoke(main, ["check", "--model", str(src)])
    assert seen == [False, True]


def test_fix_in_place_writes_through_a_symlink(runner: CliRunner, tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text(DAMAGED)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    res = runner.invoke(main, ["fix", "--no-model", "--in-place", str(link)])
    assert res.exit_code == 1
    assert link.is_symlink()
    assert "{" not in real.read_text()


def test_fix_in_place_keeps_a_byte_order_mark(runner: CliRunner, tmp_path: Path) -> None:
    p = tmp_path / "bom.txt"
    p.write_bytes(b"\xef\xbb\xbf" + DAMAGED.encode())
    res = runner.invoke(main, ["fix", "--no-model", "--in-place", str(p)])
    assert res.exit_code == 1
    data = p.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    assert b"{" not in data


def test_write_atomic_to_a_fifo_writes_into_it(tmp_path: Path) -> None:
    """Renaming over a pipe or device (-o /dev/stdout) would replace it with a plain file."""
    import threading

    from repair.io import write_atomic

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    write_atomic(fifo, "hello\n")
    reader.join(timeout=10)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert got == [b"hello\n"]


def test_fix_in_place_refuses_a_read_only_file(runner: CliRunner, tmp_path: Path) -> None:
    """Even for root (who may write anything): exit 2, one line, neither file rewritten."""
    ok = tmp_path / "ok.txt"
    ro = tmp_path / "ro.txt"
    ok.write_text(DAMAGED)
    ro.write_text(DAMAGED)
    ro.chmod(0o444)
    res = runner.invoke(main, ["fix", "--no-model", "--in-place", str(ok), str(ro)])
    assert res.exit_code == 2
    assert res.output.count("\n") == 1
    assert res.output.startswith(f"repair: error: {ro}: ") and "read-only" in res.output
    assert ok.read_text() == DAMAGED and ro.read_text() == DAMAGED
    assert stat.S_IMODE(ro.stat().st_mode) == 0o444



@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["check", "-", "-"], "repair: error: <stdin>: `-` is given more than once"),
        (["check", ""], "repair: error: '': is an empty path"),
    ],
)
def test_odd_path_arguments_are_one_line_errors(runner: CliRunner, args: list[str], says: str) -> None:
    res = runner.invoke(main, args, input=DAMAGED)
    assert res.exit_code == 2
    assert res.output.count("\n") == 1 and res.output.startswith(says)


def test_fix_in_place_keeps_mixed_line_endings(tmp_path: Path) -> None:
    f = tmp_path / "mixed.txt"
    f.write_bytes(b"First {that a} line.\r\nSecond line.\nThird line.\r\n")
    res = CliRunner().invoke(main, ["fix", "--no-model", "--in-place", str(f)])
    assert res.exit_code == 1, res.output
    assert f.read_bytes() == b"First that a line.\r\nSecond line.\nThird line.\r\n"


def test_skip_empty_leaves_empty_files_out_and_still_fails_on_bad_ones(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.md"
    empty.write_text("  \n")
    good = tmp_path / "good.txt"
    good.write_text(DAMAGED)
    res = runner.invoke(main, ["fix", "--no-model", "--in-place", "--skip-empty", str(empty), str(good)])
    assert res.exit_code == 1  # good.txt was repaired
    assert empty.read_text() == "  \n" and "{that a}" not in good.read_text()
    assert runner.invoke(main, ["check", "--no-model", "--skip-empty", str(empty)]).exit_code == 0
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x00\x01")
    res = runner.invoke(main, ["check", "--no-model", "--skip-empty", str(binary)])
    assert res.exit_code == 2 and "binary" in res.output
    res = runner.invoke(main, ["check", "--no-model", str(empty)])
    assert res.exit_code == 2 and "--skip-empty" in res.output
