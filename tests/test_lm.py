"""The hashed n-gram table: format round trip, look-ups, scoring, and a reproducible build."""

from __future__ import annotations

import gzip
import json
import math
from pathlib import Path

import numpy as np
import pytest

from repair.lm import get_lm
from repair.lm.build import build
from repair.lm.ngram import (
    NgramLM,
    hash_bigrams,
    hash_unigrams,
    lm_tokens,
    norm_token,
    phrase_logprob,
    word_hash,
    write_table,
)

NEWS = [
    "The minister said the countries would meet in London on Monday.",
    "Officials said the talks in Paris would continue, but no deal was agreed.",
    "The company said profits rose in the third quarter.",
]


def _fake_shared(root: Path) -> Path:
    data = root / "data"
    (data / "corpus").mkdir(parents=True)
    with open(data / "corpus" / "bbc_train.jsonl", "w", encoding="utf-8") as f:
        for i in range(30):
            f.write(json.dumps({"id": f"x/{i}", "text": "Title\n\n" + " ".join(NEWS)}) + "\n")
    for folder, name in (
        ("corpus-allsides-news-en", "allsides_news_sample16k.txt.gz"),
        ("corpus-enwiki-2018-wikitasks", "enwiki_docs.txt.gz"),
    ):
        (data / folder).mkdir()
        with gzip.open(data / folder / name, "wt", encoding="utf-8") as f:
            for _ in range(5):
                f.write("Title\t" + "\t".join(NEWS) + "\n")
    (data / "corpus-wmt-newstest-en").mkdir()
    with gzip.open(data / "corpus-wmt-newstest-en" / "wmt_x.txt.gz", "wt", encoding="utf-8") as f:
        f.write("\n".join(NEWS) + "\n")
    return data


def test_norm_token_folds_case_digits_and_apostrophes() -> None:
    assert norm_token("Said") == "said"
    assert norm_token("2004") == norm_token("30m") == "0"
    assert norm_token("don’t") == "don't"
    assert lm_tokens("In 2004, it’s") == ["in", "0", ",", "it's"]


def test_hashes_are_deterministic_and_order_sensitive() -> None:
    a, b = (np.array([word_hash(w)], dtype=np.uint64) for w in ("new", "york"))
    assert word_hash("new") == word_hash("new") != word_hash("New".lower() + "s")
    assert hash_bigrams(a, b)[0] != hash_bigrams(b, a)[0]
    assert hash_unigrams(a)[0] != a[0]


def test_table_round_trip(tmp_path: Path) -> None:
    words = ["alpha", "beta", "gamma", "delta"]
    h = np.array([word_hash(w) for w in words], dtype=np.uint64)
    keys = hash_unigrams(h)
    counts = np.array([1, 10, 1000, 123456])
    path = tmp_path / "t.bin"
    write_table(path, keys, counts, totals={"tokens": 200000}, meta={})
    lm = NgramLM(path)
    assert len(lm) == 4
    for w, c in zip(words, counts, strict=True):
        assert lm.count(w) == pytest.approx(c, rel=0.05)
    assert lm.count("epsilon") == 0.0


def test_cached_fingerprints_give_the_same_lookups(tmp_path: Path, monkeypatch) -> None:
    import os

    from repair.lm import ngram

    monkeypatch.setenv("REPAIR_CACHE_DIR", str(tmp_path / "cache"))
    build(_fake_shared(tmp_path / "shared"), tmp_path / "a.bin", min_counts=(1, 1, 1))
    plain = NgramLM(tmp_path / "a.bin")
    first = NgramLM(tmp_path / "a.bin", cache=True)  # builds the cache
    assert len(list((tmp_path / "cache").glob("lm-*.bin"))) == 1
    monkeypatch.setattr(ngram, "_read_tables", lambda *a: pytest.fail("rebuilt a current cache"))
    second = NgramLM(tmp_path / "a.bin", cache=True)  # maps it
    assert np.array_equal(second._fp, plain._fp) and np.array_equal(second._q, plain._q)
    for lm in (first, second):
        assert lm.count("said") == plain.count("said") > 0
        assert lm.count("countries", "would", "meet") == plain.count("countries", "would", "meet")
        assert lm.count("would", "countries") == 0
    monkeypatch.undo()
    monkeypatch.setenv("REPAIR_CACHE_DIR", str(tmp_path / "cache"))
    # A rebuilt table (new mtime) is not answered from the old cache.
    write_table(tmp_path / "a.bin", hash_unigrams(np.array([word_hash("zeta")], dtype=np.uint64)),
                np.array([50]), totals={"tokens": 100}, meta={})
    st = os.stat(tmp_path / "a.bin")
    os.utime(tmp_path / "a.bin", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    fresh = NgramLM(tmp_path / "a.bin", cache=True)
    assert len(fresh) == 1 and fresh.count("zeta") > 0 and fresh.count("said") == 0


def test_bad_file_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"not a table")
    with pytest.raises(ValueError, match="bad magic"):
        NgramLM(bad)


def test_build_is_reproducible_and_counts(tmp_path: Path) -> None:
    shared = _fake_shared(tmp_path / "shared")
    out1, out2 = tmp_path / "a.bin", tmp_path / "b.bin"
    totals = build(shared, out1, min_counts=(1, 1, 1), bbc_weight=1)
    build(shared, out2, min_counts=(1, 1, 1), bbc_weight=1)
    assert out1.read_bytes() == out2.read_bytes()
    assert totals["tokens"] > 500
    lm = NgramLM(out1)
    # "said" occurs 3 times per copy of NEWS: 27 BBC copies (every tenth held out) + 10 + 1.
    assert lm.count("said") == pytest.approx(3 * 38, rel=0.05)
    # The default counts each BBC paragraph three times: the register the tool repairs most.
    build(shared, out2, min_counts=(1, 1, 1))
    assert NgramLM(out2).count("said") == pytest.approx(3 * (27 * 3 + 11), rel=0.05)
    assert lm.count("countries", "would", "meet") > 0
    assert lm.count("would", "countries") == 0


def test_context_scores_prefer_seen_text(tmp_path: Path) -> None:
    shared = _fake_shared(tmp_path / "shared")
    build(shared, tmp_path / "a.bin", min_counts=(1, 1, 1))
    lm = NgramLM(tmp_path / "a.bin")
    left = ["the", "minister"]
    seen, unseen = lm.score_windows(
        [[*left, "said", "the", "countries"], [*left, "mentioned", "the", "countries"]], [2, 2]
    )
    assert seen > unseen
    assert phrase_logprob(lm, ["said"]) > phrase_logprob(lm, ["mentioned"])
    assert phrase_logprob(lm, ["in", "london"]) <= phrase_logprob(lm, ["in"]) + 1e-9


def test_shipped_table_knows_news_english() -> None:
    lm = get_lm()
    if lm is None:
        pytest.skip("repair/data/lm_ngrams.bin is not built")
    assert lm.count("said") > lm.count("mentioned") > 0
    base = ["round", "0"]
    spun, canon = lm.score_windows(
        [[*base, "international", "locations", "are", "taking"], [*base, "countries", "are", "taking"]],
        [2, 2],
    )
    assert canon - spun > math.log(100)


def test_inverted_thesaurus_links_spun_forms_to_originals() -> None:
    from repair.lm.thesaurus import FUNCTION_WORDS, get_thesaurus

    th = get_thesaurus()
    if not th:
        pytest.skip("repair/data/thesaurus_inv.txt.gz is not built")
    assert "said" in th["mentioned"]  # inflected back to the past tense
    assert "faced" in th["confronted"]
    assert "film" in th["movie"]
    for w, cands in list(th.items())[::500]:
        assert w not in FUNCTION_WORDS and w not in cands and 0 < len(cands) <= 20


@pytest.mark.slow
def test_thesaurus_build_is_reproducible(tmp_path: Path) -> None:
    from repair.lm.thesaurus import OUT, build

    build(tmp_path / "t.gz")
    assert (tmp_path / "t.gz").read_bytes() == OUT.read_bytes()


def test_a_full_score_cache_starts_afresh_without_losing_a_look_up(tmp_path: Path) -> None:
    """A batch job passes the cache bound mid-call: the answer must not depend on it (it once
    raised KeyError when the cache was cleared before the scores were read back)."""
    shared = _fake_shared(tmp_path / "shared")
    build(shared, tmp_path / "a.bin", min_counts=(1, 1, 1))
    small, fresh = NgramLM(tmp_path / "a.bin"), NgramLM(tmp_path / "a.bin")
    small.CACHE_MAX = 5
    windows = [["the", "minister", f"w{i}", "said", "countries"] for i in range(40)]
    for _ in range(2):  # the second pass mixes cached and new look-ups
        assert small.score_windows(windows, [2] * 40) == fresh.score_windows(windows, [2] * 40)
        words = [f"x{i}" for i in range(30)] + ["said"]
        assert small.unigram_logprobs(words) == fresh.unigram_logprobs(words)
    assert len(small._cache) <= 5 + 200 and len(small._uni_cache) <= 5 + 31
