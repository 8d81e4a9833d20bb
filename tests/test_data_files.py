"""The curated lexicons are tested like codespell's dictionaries."""

from __future__ import annotations

from pathlib import Path

import pytest

from repair.detect.lexicon import DATA, LEXICON_FILES, LexiconError, load_file, parse_line
from repair.lm.ngram import lm_tokens

FILES = sorted(DATA.glob("spun_*.txt"))


def _entries(path: Path) -> list[tuple[str, str]]:
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        head = line.split(";")[0]
        spun, canon = head.split("->", 1)
        out.append((spun, canon))
    return out


def test_every_lexicon_file_is_registered() -> None:
    assert {p.name for p in FILES} == set(LEXICON_FILES.values())


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_is_sorted_unique_and_clean(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n") and "\r" not in text and "\t" not in text
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    keys = [ln.split("->")[0].lower() for ln in lines]
    assert keys == sorted(keys), "entries must be sorted by the spun form"
    assert len(set(keys)) == len(keys), "duplicate spun forms"
    for ln in lines:
        assert ln == ln.strip(), f"stray whitespace: {ln!r}"
        assert "  " not in ln, f"double space: {ln!r}"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_self_maps_and_no_digits(path: Path) -> None:
    for spun, canon in _entries(path):
        for c in canon.split(","):
            assert lm_tokens(spun) != lm_tokens(c), f"self-map {spun}->{c}"
        # Numbers are never edited, so an entry with digits in its spun form could not apply.
        assert not any(ch.isdigit() for ch in spun), spun


def test_no_chains_across_files() -> None:
    """a->b with b->c would flip-flop across the pipeline's passes."""
    pairs = [pair for p in FILES for pair in _entries(p)]
    lefts = {" ".join(lm_tokens(s)) for s, _ in pairs}
    for spun, canon in pairs:
        for c in canon.split(","):
            assert " ".join(lm_tokens(c)) not in lefts, f"chain: {spun}->{c}->…"


def test_no_spun_form_in_two_files() -> None:
    seen: dict[str, str] = {}
    for p in FILES:
        for spun, _ in _entries(p):
            key = " ".join(lm_tokens(spun))
            assert key not in seen, f"{spun!r} in {p.name} and {seen[key]}"
            seen[key] = p.name


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_line_parses(path: Path) -> None:
    source = {v: k for k, v in LEXICON_FILES.items()}[path.name]
    entries = load_file(path, source)
    assert len(entries) == len(_entries(path))
    assert all(0 < e.prior < 1 for e in entries)


def test_files_are_broad() -> None:
    sizes = {p.name: len(_entries(p)) for p in FILES}
    assert sizes["spun_news.txt"] >= 300
    assert sizes["spun_tortured.txt"] >= 300


@pytest.mark.parametrize(
    "line",
    ["no arrow here", "a->", "->b", " a->b", "a->b;p=1.5", "a->b;when=raining"],
)
def test_parser_rejects_malformed_lines(line: str) -> None:
    with pytest.raises(LexiconError):
        parse_line(line, source="news", lineno=1)


def test_parser_reads_conditions() -> None:
    e = parse_line("pc->computer;p=0.6;lower;next!=world", source="news", lineno=3)
    assert e is not None
    assert e.spun == ("pc",) and e.canon == ("computer",) and e.prior == 0.6 and e.lower
    assert e.next_out == frozenset({"world"})
    multi = parse_line("throughout->during,across", source="news")
    assert multi is not None and multi.canon == ("during", "across")
    assert parse_line("# a comment", source="news") is None


def test_science_terms_are_sorted_multiword_and_have_variants() -> None:
    from repair.lm.thesaurus import TERMS, get_term_variants, read_terms

    terms = read_terms(TERMS)
    assert terms == sorted(set(terms)), "sorted and unique"
    assert len(terms) >= 300
    for t in terms:
        assert t == t.lower().strip() and len(lm_tokens(t)) >= 2, t
        assert not any(ch.isdigit() for ch in t), t
    variants = get_term_variants()
    assert "woodland" in variants["forest"] and "profound" in variants["deep"]
    assert "forest" not in variants["forest"]


def test_tortured_swaps_are_sorted_unique_single_words_without_chains() -> None:
    from repair.lm.thesaurus import TORTURED_SWAPS, read_tortured_swaps

    lines = [
        ln for ln in TORTURED_SWAPS.read_text(encoding="utf-8").splitlines()
        if ln.strip() and not ln.startswith("#")
    ]
    assert lines == sorted(lines), "sorted"
    keys = [ln.split("->")[0] for ln in lines]
    assert len(set(keys)) == len(keys), "one term word per tortured word"
    pairs = read_tortured_swaps()
    assert len(pairs) == len(lines)
    for a, b in pairs:
        assert a != b and a == a.lower() and b == b.lower(), (a, b)
        assert " " not in a and " " not in b, (a, b)
    assert not {b for _, b in pairs} & set(keys), "no chains: a term word is never a tortured one"


def test_tortured_swaps_reject_a_malformed_line(tmp_path: Path) -> None:
    from repair.lm.thesaurus import read_tortured_swaps

    bad = tmp_path / "swaps.txt"
    bad.write_text("clamor=>noise\n", encoding="utf-8")
    with pytest.raises(ValueError, match="swaps.txt:1"):
        read_tortured_swaps(bad)


def test_term_variants_are_rebuilt_after_the_curated_swaps() -> None:
    """Every curated swap whose term word is in a curated term links the two words: if this
    fails, run ``python -m repair.lm.thesaurus``."""
    from repair.lm.thesaurus import TERMS, get_term_variants, read_terms, read_tortured_swaps

    term_words = {w for t in read_terms(TERMS) for w in lm_tokens(t)}
    variants = get_term_variants()
    missing = [(a, b) for a, b in read_tortured_swaps()
               if b in term_words and a not in variants.get(b, ())]
    assert not missing, f"stale term_variants.txt.gz: {missing[:5]}"
