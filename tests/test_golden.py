"""Golden cases: damaged sentences with the output we want, and clean ones that must stay.

The rule-stage cases run with only the rule stages, so that later stages (lexicon, names)
can neither help nor break them.  Clean sentences go through the full default pipeline
too: clean text must never change, whatever stage runs.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repair.config import RepairConfig
from repair.pipeline import Pipeline

CASES = Path(__file__).parent / "cases"
RULE_STAGES = ("encoding", "spintax", "loops", "hyphens", "spacing", "articles")


def load(name: str) -> list[dict[str, str]]:
    rows = json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))
    assert len({r["id"] for r in rows}) == len(rows), f"{name}: duplicate ids"
    return rows


def params(name: str) -> list:  # type: ignore[type-arg]
    return [pytest.param(r, id=r["id"]) for r in load(name)]


@pytest.fixture(scope="module")
def rules() -> Pipeline:
    return Pipeline(RepairConfig(), stages=RULE_STAGES)


@pytest.fixture(scope="module")
def full() -> Pipeline:
    return Pipeline(RepairConfig(model=False))


@pytest.mark.parametrize("case", params("synthetic"))
def test_synthetic(rules: Pipeline, case: dict[str, str]) -> None:
    assert case["input"] != case["expected"], "a synthetic case must need a fix"
    assert rules.run(case["input"]).text == case["expected"]


@pytest.mark.parametrize("case", params("in_the_wild"))
def test_in_the_wild(rules: Pipeline, case: dict[str, str]) -> None:
    assert rules.run(case["input"]).text == case["expected"]


@pytest.mark.parametrize("case", params("negative"))
def test_negative_rules(rules: Pipeline, case: dict[str, str]) -> None:
    result = rules.run(case["input"])
    assert result.text == case["input"]
    assert not result.applied


@pytest.mark.parametrize("case", params("negative"))
def test_negative_full_pipeline(full: Pipeline, case: dict[str, str]) -> None:
    assert full.run(case["input"]).text == case["input"]


def test_enough_negative_cases() -> None:
    rows = load("negative")
    assert len(rows) >= 40
    assert all(r["input"] == r["expected"] for r in rows)


@pytest.mark.parametrize("case", params("known_failures"))
@pytest.mark.xfail(strict=True, reason="known failure: see the case's note")
def test_known_failures(rules: Pipeline, case: dict[str, str]) -> None:
    assert rules.run(case["input"]).text == case["expected"]


def test_seed_bar(seed_text: str) -> None:
    """The issue's bar on the seed article, through the default pipeline."""
    out = Pipeline(RepairConfig(model=False)).run(seed_text).text
    assert "{" not in out and "}" not in out
    assert " -" not in out.replace(" – ", "")
    assert "£ " not in out
    assert "who, who" not in out
    assert out.count("to save itself") == 1
    assert "800 billion euros" in out
