"""Configuration discovery and validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from repair.config import RepairConfig, discover, load_file
from repair.errors import ConfigError


def test_defaults_when_nothing_is_found(tmp_path: Path) -> None:
    assert discover(tmp_path) == RepairConfig()


def test_nearest_file_wins(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.repair]\nthreshold = 0.8\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert discover(sub / "x.txt").threshold == 0.8
    (tmp_path / "a" / "repair.toml").write_text("threshold = 0.95\nignore-words = ['assembly']\n")
    cfg = discover(sub / "x.txt")
    assert cfg.threshold == 0.95
    assert cfg.ignore_words == ("assembly",)
    assert cfg.source and cfg.source.endswith("repair.toml")


def test_pyproject_without_section_is_skipped(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.other]\nx = 1\n")
    assert load_file(tmp_path / "pyproject.toml") is None
    assert discover(tmp_path) == RepairConfig()


@pytest.mark.parametrize(
    ("body", "msg"),
    [
        ("threshold = 2\n", "0..1"),
        ("stages = 'spintax'\n", "list of strings"),
        ("colour = true\n", "unknown key 'colour'"),
        ("threshold = \n", "cannot read config"),
        ("threshold = true\n", "0..1"),
        ("fail-on = false\n", "0..1"),
        ("kind-thresholds = {spintax = 'x'}\n", "kind = number"),
        ("kind-thresholds = {spintax = 2}\n", "kind = number"),
        ("kind-thresholds = 0.5\n", "kind = number"),
        ("markup = 'pdf'\n", "one of text, markdown, html"),
        ("model = 'no'\n", "true or false"),
        ("ignore-words = [1, 2]\n", "list of strings"),
        ("repair = 3\n", "must be a table"),
    ],
)
def test_bad_values_name_the_file(tmp_path: Path, body: str, msg: str) -> None:
    f = tmp_path / "repair.toml"
    f.write_text(body)
    with pytest.raises(ConfigError) as info:
        load_file(f)
    assert str(f) in str(info.value) and msg in str(info.value)


def test_no_model_drops_rewrite_stage() -> None:
    cfg = RepairConfig(model=False)
    assert "rewrite" not in cfg.active_stages()
    assert "rewrite" in RepairConfig().active_stages()


def test_gazetteer_paths_resolve_against_config_file(tmp_path: Path) -> None:
    (tmp_path / "repair.toml").write_text("gazetteer = ['names.tsv']\n")
    cfg = discover(tmp_path)
    assert cfg.gazetteer == (str((tmp_path / "names.tsv").resolve()),)


def test_a_non_table_tool_repair_in_pyproject_is_an_error(tmp_path: Path) -> None:
    f = tmp_path / "pyproject.toml"
    f.write_text("[tool]\nrepair = 5\n")
    with pytest.raises(ConfigError, match="must be a table"):
        load_file(f)
    f.write_text("tool = 5\n")  # not ours: no repair section at all
    assert load_file(f) is None


def test_cli_unknown_stage_in_config_is_a_one_line_usage_error(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from repair.cli import main

    (tmp_path / "pyproject.toml").write_text("[tool.repair]\nstages = ['spintax', 'nonexistent']\n")
    doc = tmp_path / "a.txt"
    doc.write_text("It is known {that a} meeting was held.\n")
    res = CliRunner().invoke(main, ["check", str(doc)])
    assert res.exit_code == 2
    assert res.exception is None or isinstance(res.exception, SystemExit)
    assert res.output.count("\n") == 1
    assert res.output.startswith(f"repair: error: {tmp_path / 'pyproject.toml'}: unknown stage 'nonexistent'")
