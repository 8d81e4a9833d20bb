"""repair.freq gives wordfreq's Zipf values exactly, from its own cached table."""

from __future__ import annotations

import random

import pytest

wordfreq = pytest.importorskip("wordfreq")

from repair import freq  # noqa: E402


@pytest.fixture(autouse=True)
def fresh_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("REPAIR_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(freq, "_table", None)
    monkeypatch.setattr(freq, "_memo", {})


def _sample(n: int, seed: int) -> list[str]:
    words = [w for band in wordfreq.get_frequency_list("en", "best") for w in band]
    rnd = random.Random(seed)
    plain = [w for w in words if freq._PLAIN_RE.fullmatch(w)]
    out = rnd.sample(plain, n)
    out += [w for w in words if "'" in w][:200]
    for _ in range(n):  # compounds, curly apostrophes, non-words, odd characters
        parts = [
            rnd.choice(plain) if rnd.random() < 0.7 else "".join(rnd.choices("abehioy'’-é1 A", k=rnd.randint(1, 6)))
            for _ in range(rnd.choice((1, 2, 3)))
        ]
        w = "-".join(parts)
        out.append(w.replace("'", "’") if rnd.random() < 0.3 else w)
    return out


def test_same_values_as_wordfreq():
    for w in _sample(2000, seed=3) + ["the", "d'arcy", "d’arcy", "l'eau", "we've", "state-of-the-art", "", "-"]:
        assert freq.zipf(w) == wordfreq.zipf_frequency(w, "en"), w


def test_table_is_cached_and_reused(tmp_path):
    assert freq.zipf("government") == wordfreq.zipf_frequency("government", "en")
    cached = list(tmp_path.glob("zipf-en.*"))
    assert len(cached) == 1
    freq._table = None
    freq._memo.clear()
    # A second process reads the file instead of rebuilding it.
    real_build = freq._build
    freq._build = lambda: pytest.fail("rebuilt a current cache")  # type: ignore[assignment]
    try:
        assert freq.zipf("ukraine") == wordfreq.zipf_frequency("ukraine", "en")
    finally:
        freq._build = real_build


def test_stale_or_corrupt_cache_is_rebuilt(tmp_path):
    (tmp_path / "zipf-en.marshal").write_bytes(b"not marshal data")
    assert freq.zipf("minister") == wordfreq.zipf_frequency("minister", "en")
    freq._table = None
    freq._memo.clear()
    assert freq.zipf("minister") == wordfreq.zipf_frequency("minister", "en")
