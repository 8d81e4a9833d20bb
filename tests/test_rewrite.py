"""The rewrite stage: a no-op without weights, guarded edits with a model.

Most tests use a word-level fake model so that they are fast and need no torch; the tests
that load the shipped weights are marked slow.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import repair.rewrite.stage as stage_mod
from repair.config import RepairConfig
from repair.document import Document
from repair.pipeline import Context, Pipeline
from repair.rewrite import guards, model
from repair.rewrite.model import Piece

ROOT = Path(__file__).resolve().parents[1]


class FakeRewriter:
    """Word-level stand-in: words in ``bad`` are unlikely to be copied; it proposes ``fixes``."""

    def __init__(self, fixes: dict[str, str]):
        self.fixes = fixes
        self.vocab: dict[str, int] = {}
        self.calls = 0

    def _id(self, w: str) -> int:
        return self.vocab.setdefault(w, len(self.vocab) + 3)

    def _word(self, i: int) -> str:
        return {v: k for k, v in self.vocab.items()}[i]

    def encode(self, text: str) -> list[int]:
        return [self._id(w) for w in text.split()]

    def decode(self, ids: list[int]) -> str:
        return " ".join(self._word(i) for i in ids)

    def pieces(self, text: str) -> list[Piece]:
        out, pos = [], 0
        for w in text.split(" "):
            out.append(Piece(self._id(w), pos, pos + len(w)))
            pos += len(w) + 1
        return out

    def token_logprobs(self, srcs, tgts):
        self.calls += 1
        return [[-6.0 if self._word(i) in self.fixes else -0.1 for i in t] + [0.0] for t in tgts]

    def continue_greedy(self, src, prefix, max_new):
        rest = [self._word(i) for i in src[len(prefix) :]]
        return [self._id(self.fixes.get(w, w)) for w in rest][:max_new]


@pytest.fixture
def fake(monkeypatch):
    def install(fixes: dict[str, str]) -> FakeRewriter:
        fr = FakeRewriter(fixes)
        monkeypatch.setattr(model, "load", lambda *a, **k: fr)
        monkeypatch.setattr(stage_mod, "_CACHE", type(stage_mod._CACHE)())
        monkeypatch.setattr(stage_mod, "fluency_gain", lambda before, after: None)
        return fr

    return install


def run_stage(text: str) -> list:
    return stage_mod.rewrite(Document(text), Context(scores={"spun_score": 1.0})).edits


def test_import_cli_does_not_import_torch():
    code = "import sys, repair.cli, repair.rewrite.stage; print('torch' in sys.modules, 'transformers' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_stage_is_a_noop_without_weights(tmp_path, monkeypatch):
    monkeypatch.setenv(model.MODEL_ENV, str(tmp_path))
    model.load.cache_clear()
    try:
        assert model.load() is None
        assert run_stage("The countries mentioned they would send troopers to the border.") == []
    finally:
        model.load.cache_clear()


def test_no_model_config_removes_the_stage():
    assert "rewrite" not in RepairConfig(model=False).active_stages()
    assert "rewrite" in RepairConfig().active_stages()


def test_flagged_word_becomes_a_rewrite_suggestion(fake):
    fake({"mentioned": "said"})
    text = "Officials mentioned the plan would go ahead next week."
    edits = run_stage(text)
    assert [(e.before, e.after, e.kind) for e in edits] == [("mentioned", "said", "rewrite")]
    e = edits[0]
    assert text[e.start : e.end] == "mentioned"
    assert 0.3 <= e.confidence <= stage_mod.CONFIDENCE_CAP < 0.9


def test_default_pipeline_keeps_rewrites_as_suggestions(fake, monkeypatch):
    fake({"mentioned": "said"})
    monkeypatch.setattr(stage_mod, "SPUN_SCORE", 0.0)  # no lexicon stage here to score the text
    text = "Officials mentioned the plan would go ahead next week."
    result = Pipeline(RepairConfig(), stages=["rewrite"]).run(text)
    assert result.text == text
    assert [f.suggestions for f in result.suggestions] == [("said",)]
    lowered = RepairConfig(kind_thresholds={"rewrite": 0.3})
    assert Pipeline(lowered, stages=["rewrite"]).run(text).text == text.replace("mentioned", "said")


def test_rewrite_the_ngram_lm_finds_less_fluent_is_dropped(fake, monkeypatch):
    fake({"mentioned": "said"})
    monkeypatch.setattr(stage_mod, "fluency_gain", lambda before, after: -1.5)
    assert run_stage("Officials mentioned the plan would go ahead next week.") == []


def test_clean_sentence_is_left_alone(fake):
    fr = fake({"mentioned": "said"})
    assert run_stage("Officials said the plan would go ahead next week.") == []
    assert fr.calls == 1  # one scoring pass, no candidates


def test_quoted_speech_is_never_rewritten(fake):
    fake({"mentioned": "said"})
    assert run_stage('She added: "Officials mentioned the plan would go ahead next week."') == []


def test_digits_are_never_rewritten(fake):
    fake({"mentioned": "said", "thirty-two": "32", "2004": "2005"})
    edits = run_stage("In 2004 officials mentioned that thirty-two people would go ahead.")
    assert [(e.before, e.after) for e in edits] == [("mentioned", "said")]


def test_names_are_left_to_the_gazetteer(fake):
    fake({"Stmper": "Starmer"})
    assert run_stage("The prime minister Kir Stmper said the plan would go ahead.") == []


def test_edit_ratio_is_bounded(fake):
    fake(dict(zip("alpha beta gamma delta epsilon".split(), "first second third fourth fifth".split(), strict=True)))
    text = "alpha and beta of gamma in delta by epsilon here."
    edits = run_stage(text)
    assert 1 <= len(edits) <= max(1, int(guards.MAX_EDIT_RATIO * len(text.split())))


def test_results_are_cached_per_sentence(fake):
    fr = fake({"mentioned": "said"})
    text = "Officials mentioned the plan would go ahead next week."
    run_stage(text)
    calls = fr.calls
    run_stage(text)
    assert fr.calls == calls


@pytest.mark.parametrize(
    ("before", "after", "ok"),
    [
        ("troopers", "troops", True),
        ("30 troopers", "40 troops", False),
        ("mentioned", "“said", False),
        ("mentioned,", "said", False),
        ("a b c d", "e", False),
        ("troopers", "", False),
        ("irretrievably", "irreev", False),
    ],
)
def test_guards(before, after, ok):
    doc = Document(f"They {before} here.")
    start = 5
    assert guards.passes(doc, start, start + len(before), after, sentence_initial=False) is ok


SHIPPED = ROOT / "models" / model.WEIGHTS


@pytest.mark.slow
@pytest.mark.skipif(not SHIPPED.exists(), reason="no shipped weights")
def test_shipped_model_never_changes_digits_or_quotes():
    pytest.importorskip("torch")
    model.load.cache_clear()
    text = (
        'The countries mentioned they would ship troopers, however could present another help. '
        '"We will essentially ship troopers to the border," the minister mentioned on 5 May. '
        "The state paid £30m for 1,200 new homes, up 5% on the earlier year."
    )
    doc = Document(text)
    edits = stage_mod.rewrite(doc, Context(scores={"spun_score": 1.0})).edits
    for e in edits:
        assert not any(c.isdigit() for c in e.before + e.after)
        assert not doc.in_quote(e.start) and doc.allows(e.start, e.end, "rewrite")
        assert e.confidence < 0.9
    result = Pipeline(RepairConfig(), stages=["rewrite"]).run(text)
    assert result.text == text


def test_text_not_flagged_as_spun_is_not_given_to_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    import repair.rewrite.model as model_mod

    def boom() -> None:
        raise AssertionError("the model was loaded for a clean text")

    monkeypatch.setattr(model_mod, "load", boom)
    doc = Document("The minister said the plan would cost more than expected.")
    assert stage_mod.rewrite(doc, Context(scores={"spun_score": 0.1})).edits == []


def test_installed_weights_are_found_under_the_prefix(tmp_path, monkeypatch):
    d = tmp_path / "share" / "repair" / "models"
    d.mkdir(parents=True)
    for name in (model.WEIGHTS, model.TOKENIZER, "config.json"):
        (d / name).write_bytes(b"x")
    monkeypatch.delenv(model.MODEL_ENV, raising=False)
    monkeypatch.setattr(model.sys, "prefix", str(tmp_path))
    checkout = ROOT / "models"
    real = model.available
    monkeypatch.setattr(model, "available", lambda p=None: p != checkout and real(p))
    assert model.default_model_dir() == d


def test_the_wheel_carries_the_shipped_model_files():
    import tomllib

    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    files = meta["tool"]["setuptools"]["data-files"]["share/repair/models"]
    assert {Path(f).name for f in files} >= {model.WEIGHTS, model.TOKENIZER, "config.json"}
    assert all((ROOT / f).is_file() for f in files)
