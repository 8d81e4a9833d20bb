"""The miner of a tortured-text spinner's word swaps (``repair.lm.swaps``)."""

from __future__ import annotations

from pathlib import Path

from repair.lm import swaps


def test_a_phrase_pair_shows_its_word_swaps_position_by_position() -> None:
    assert swaps.swap_pairs("profound brain network", "deep neural network") == {
        ("profound", "deep"), ("brain", "neural"),
    }


def test_pairs_that_do_not_align_show_nothing() -> None:
    assert swaps.swap_pairs("AI calculation", "machine learning algorithm") == set()


def test_function_words_inflections_and_non_words_are_not_swaps() -> None:
    # "of" -> "for": function words; "network" -> "networks": same stem; "2d" -> "two": not plain
    assert swaps.swap_pairs("bunch of networks", "group for network") == {("bunch", "group")}
    assert swaps.swap_pairs("2d picture", "two image") == {("picture", "image")}


def test_mine_counts_phrases_and_drops_excluded_and_two_way_swaps() -> None:
    pairs = [
        ("profound learning", "deep learning"),
        ("profound network", "deep network"),
        ("irregular woodland", "random forest"),
        ("picture handling", "image processing"),
        ("image caption", "picture caption"),  # "image" <-> "picture" both ways: synonyms
    ]
    got = swaps.mine(pairs)
    assert got == sorted(got)
    assert ("profound", "deep") in got and ("irregular", "random") in got
    assert ("picture", "image") not in got and ("image", "picture") not in got
    assert swaps.mine(pairs, min_count=2) == [("profound", "deep")]
    assert ("woodland", "forest") not in swaps.mine(pairs, exclude=frozenset({("woodland", "forest")}))


def test_write_is_atomic_and_read_back(tmp_path: Path) -> None:
    from repair.lm.thesaurus import read_tortured_swaps

    out = tmp_path / "seen.txt"
    assert swaps.write([("clamor", "noise"), ("profound", "deep")], out) == 2
    assert read_tortured_swaps(out) == {("clamor", "noise"), ("profound", "deep")}
    assert not list(tmp_path.glob("*.tmp"))


def test_main_names_a_missing_source_and_exits_2(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    assert swaps.main([str(tmp_path / "absent.jsonl")]) == 2
    assert "absent.jsonl" in capsys.readouterr().err
