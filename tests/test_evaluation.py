"""The evaluation metrics against hand-computed examples and a naive reference implementation."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from repair.cli import main
from repair.evaluation.metrics import (
    Totals,
    changed_tokens,
    count_seq,
    distance,
    edits,
    figures,
    score_row,
    summarize,
    tokens,
)

SHARED = Path(__file__).parents[1] / "../shared"
DEV = SHARED / "data/dev/spun_news_dev.jsonl"
KEYS = {"repair", "P", "R", "F0.5", "fp_per_k", "wer_in", "wer_out", "name_restored", "per_kind", "rows", "files"}


# --- naive reference, written from the definition only ------------------------------------


def ref_tokens(s: str) -> list[str]:
    return re.findall(r"\w+|[^\w\s]", s)


def ref_distance(a: list[str], b: list[str]) -> int:
    """Textbook dynamic programme, unit costs."""
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
        prev = cur
    return prev[len(b)]


def ref_repair(triples: list[tuple[str, str, str]]) -> float:
    """1 - sum dist(out, gold) / sum dist(in, gold) over (in, out, gold) rows."""
    d_in = sum(ref_distance(ref_tokens(t), ref_tokens(g)) for t, _, g in triples)
    d_out = sum(ref_distance(ref_tokens(o), ref_tokens(g)) for _, o, g in triples)
    return 1 - d_out / d_in


def apply_edits(src: list[str], found: list[tuple[int, int, tuple[str, ...]]]) -> list[str]:
    out: list[str] = []
    pos = 0
    for start, end, repl in found:
        out += src[pos:start] + list(repl)
        pos = end
    return out + src[pos:]


# --- hand-computed examples ---------------------------------------------------------------


def test_tokens_split_words_and_punctuation() -> None:
    assert tokens("Mr Starmer's £30m, (2024).") == ["Mr", "Starmer", "'", "s", "£", "30m", ",", "(", "2024", ")", "."]


def test_edits_merge_adjacent_operations() -> None:
    src = "a b c d".split()
    assert edits(src, "a x y d".split()) == [(1, 3, ("x", "y"))]
    assert edits(src, "a b c d e".split()) == [(4, 4, ("e",))]
    assert edits(src, "b c".split()) == [(0, 1, ()), (3, 4, ())]
    assert edits(src, src) == []


def test_row_figures_by_hand() -> None:
    # gold inserts "the"; the output makes that fix and also a wrong one (cat -> dog).
    s = score_row("the cat sat on mat", "the dog sat on the mat", "the cat sat on the mat")
    f = figures(s)
    assert (s.dist_in, s.dist_out, s.tp, s.n_pred, s.n_gold) == (1, 1, 1, 2, 1)
    assert f["repair"] == 0.0
    assert f["P"] == 0.5 and f["R"] == 1.0
    assert f["F0.5"] == pytest.approx(1.25 * 0.5 / (0.25 * 0.5 + 1))
    assert f["fp_per_k"] == pytest.approx(1000 * 2 / 5)
    assert f["wer_in"] == pytest.approx(1 / 6) and f["wer_out"] == pytest.approx(1 / 6)


def test_full_repair_and_made_worse() -> None:
    assert figures(score_row("a b c", "a x c", "a x c"))["repair"] == 1.0
    assert figures(score_row("a b c", "a y z", "a x c"))["repair"] == -1.0


def test_clean_text_has_no_repair_figure_and_counts_every_change() -> None:
    clean = "The minister said that the plan would work ."
    untouched = figures(score_row(clean, clean, clean))
    assert untouched["repair"] is None
    assert (untouched["P"], untouched["R"], untouched["fp_per_k"]) == (1.0, 1.0, 0.0)
    touched = figures(score_row(clean, clean.replace("said", "stated"), clean))
    assert touched["P"] == 0.0 and touched["F0.5"] == 0.0
    assert touched["fp_per_k"] == pytest.approx(1000 / len(tokens(clean)))


def test_totals_are_micro_averaged() -> None:
    t = Totals()
    t.add(score_row("a b c", "x b c", "x y c"))  # dist_in 2, dist_out 1
    t.add(score_row("a b c d", "a b c d", "w x y z"))  # dist_in 4, dist_out 4
    t.add(score_row("same", "same", "same"))  # no damage: no row figure, counts nothing
    s = summarize(t)
    assert s["repair"] == pytest.approx(1 - 5 / 6)
    assert s["rows"] == 3


def test_name_restoration_counts_only_occurrences_missing_from_input() -> None:
    gold = "Keir Starmer met Macron. Keir Starmer left."
    damaged = "Kir Stmper met Macron. Keir Starmer left."
    kind = ["name:Keir Starmer->Kir Stmper"]
    assert score_row(damaged, damaged, gold, kind).names_missing == 1
    assert figures(score_row(damaged, damaged, gold, kind))["name_restored"] == 0.0
    assert figures(score_row(damaged, gold, gold, kind))["name_restored"] == 1.0
    assert figures(score_row(damaged, damaged, gold, ["spin"]))["name_restored"] is None


def test_count_seq_is_non_overlapping_and_whole_token() -> None:
    assert count_seq("a a a".split(), "a a".split()) == 1
    assert count_seq(tokens("Starmers Starmer"), ["Starmer"]) == 1


# --- agreement with the naive reference -----------------------------------------------------

words = st.lists(st.sampled_from(["a", "b", "c", "d", ",", "the"]), max_size=12)


@settings(max_examples=300, deadline=None)
@given(words, words)
def test_distance_and_edits_agree_with_reference(a: list[str], b: list[str]) -> None:
    d = ref_distance(a, b)
    assert distance(a, b) == d
    found = edits(a, b)
    assert apply_edits(a, found) == b
    # Merged blocks of an optimal alignment cost max(span, replacement) each: they add up to d.
    assert changed_tokens(found) == d
    assert all(end > start or repl for start, end, repl in found)
    assert all(found[i][1] < found[i + 1][0] for i in range(len(found) - 1))  # equal tokens between


@settings(max_examples=200, deadline=None)
@given(words, words, words)
def test_row_repair_agrees_with_reference(i: list[str], o: list[str], g: list[str]) -> None:
    s = score_row(" ".join(i), " ".join(o), " ".join(g))
    d_in = ref_distance(i, g)
    assert s.dist_in == d_in and s.dist_out == ref_distance(o, g)
    if d_in:
        assert s.repair == pytest.approx(1 - ref_distance(o, g) / d_in)
    else:
        assert s.repair is None


# --- the command ------------------------------------------------------------------------------


def write_rows(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_eval_json_last_line_has_the_figures(tmp_path: Path) -> None:
    data = tmp_path / "rows.jsonl"
    rows = [
        {"id": "1", "text": "He said {that a} the plan works.", "gold": "He said that the plan works.", "kinds": ["spintax"]},
        {"id": "2", "text": "Kir Stmper spoke today.", "gold": "Keir Starmer spoke today.", "kinds": ["name:Keir Starmer->Kir Stmper"]},
        {"id": "3", "text": "Nothing is wrong here.", "gold": "Nothing is wrong here."},
    ]
    write_rows(data, rows)
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(main, ["eval", str(data), "--format", "json", "--no-model", "--output-jsonl", str(out)])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output.strip().splitlines()[-1])
    assert KEYS <= set(summary)
    assert summary["rows"] == 3
    assert {"spintax", "name", "name:Keir Starmer->Kir Stmper"} <= set(summary["per_kind"])
    assert summary["per_kind"]["spintax"]["rows"] == 1
    kept = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["id"] for r in kept] == ["1", "2", "3"]
    # The summary is recomputable from the kept outputs with the naive reference.
    triples = [(r["text"], r["output"], r["gold"]) for r in kept]
    assert summary["repair"] == pytest.approx(ref_repair(triples))


def test_eval_limit_and_text_format(tmp_path: Path) -> None:
    data = tmp_path / "rows.jsonl"
    write_rows(data, [{"id": str(n), "text": "a b", "gold": "a c", "kinds": ["k"]} for n in range(5)])
    res = CliRunner().invoke(main, ["eval", str(data), "--limit", "2", "--no-model"])
    assert res.exit_code == 0, res.output
    assert res.output.splitlines()[1].split()[:2] == ["overall", "2"]


def test_eval_bad_input_is_one_error_line(tmp_path: Path) -> None:
    data = tmp_path / "bad.jsonl"
    data.write_text('{"id": 1, "text": "x"}\n', encoding="utf-8")
    res = CliRunner().invoke(main, ["eval", str(data)])
    assert res.exit_code == 2
    assert "line 1" in res.output and "gold" in res.output
    missing = CliRunner().invoke(main, ["eval", str(tmp_path / "nope.jsonl")])
    assert missing.exit_code == 2


# --- the dev file -----------------------------------------------------------------------------


def dev_rows(max_tokens: int) -> list[dict]:
    if not DEV.is_file():
        pytest.skip("../shared is absent")
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if len(ref_tokens(r["gold"])) <= max_tokens]


def _dev_agreement(tmp_path: Path, rows: list[dict]) -> None:
    data = tmp_path / "dev.jsonl"
    write_rows(data, rows)
    out = tmp_path / "out.jsonl"
    res = CliRunner().invoke(main, ["eval", str(data), "--format", "json", "--no-model", "--output-jsonl", str(out)])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.output.strip().splitlines()[-1])
    kept = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(kept) == len(rows)
    assert abs(summary["repair"] - ref_repair([(r["text"], r["output"], r["gold"]) for r in kept])) <= 0.02


def test_dev_repair_matches_reference_on_short_articles(tmp_path: Path) -> None:
    _dev_agreement(tmp_path, dev_rows(max_tokens=350)[:10])


@pytest.mark.slow
def test_dev_repair_matches_reference_on_whole_file(tmp_path: Path) -> None:
    _dev_agreement(tmp_path, dev_rows(max_tokens=10**9))


def test_eval_outputs_match_batch(tmp_path: Path) -> None:
    pytest.importorskip("repair.batch.command")
    rows = dev_rows(max_tokens=350)[:4]
    data = tmp_path / "dev.jsonl"
    write_rows(data, rows)
    ev_out, batch_out = tmp_path / "eval.jsonl", tmp_path / "batch.jsonl"
    res = CliRunner().invoke(main, ["eval", str(data), "--no-model", "--output-jsonl", str(ev_out)])
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(main, ["batch", str(data), "--no-model", "-o", str(batch_out)])
    assert res.exit_code in (0, 1), res.output
    repaired = {r["id"]: r["repaired"] for r in map(json.loads, batch_out.read_text().splitlines())}
    for r in map(json.loads, ev_out.read_text().splitlines()):
        assert r["output"] == repaired[r["id"]]
