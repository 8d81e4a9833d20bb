"""Edits, the overlap policy, replay and offset maps."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from repair.edits import Edit, OffsetMap, Step, apply, map_span_back, replay
from repair.errors import EditError


def edit(text: str, start: int, end: int, after: str, conf: float = 0.95, kind: str = "t") -> Edit:
    return Edit(start, end, text[start:end], after, kind, "test", conf)


def test_edit_rejects_before_of_wrong_length() -> None:
    with pytest.raises(EditError, match="length"):
        Edit(0, 3, "ab", "x", "t", "r", 0.9)


def test_edit_rejects_confidence_out_of_range() -> None:
    with pytest.raises(EditError, match="confidence"):
        Edit(0, 1, "a", "b", "t", "r", 1.5)


def test_apply_checks_before_against_text() -> None:
    with pytest.raises(EditError, match="expects"):
        apply("hello", [Edit(0, 2, "xx", "y", "t", "r", 0.9)])


def test_apply_replaces_in_order() -> None:
    text = "a bb ccc"
    out, applied, rejected = apply(text, [edit(text, 5, 8, "C"), edit(text, 0, 1, "AA")])
    assert out == "AA bb C"
    assert [e.start for e in applied] == [0, 5]
    assert rejected == []


def test_overlap_keeps_higher_confidence() -> None:
    text = "one two three"
    low = edit(text, 0, 7, "X", conf=0.6)
    high = edit(text, 4, 13, "Y", conf=0.9)
    out, applied, rejected = apply(text, [low, high])
    assert out == "one Y"
    assert applied == [high] and rejected == [low]


def test_overlap_tie_prefers_earlier() -> None:
    text = "one two three"
    first = edit(text, 0, 7, "X", conf=0.9)
    second = edit(text, 4, 13, "Y", conf=0.9)
    out, _, rejected = apply(text, [second, first])
    assert out == "X three" and rejected == [second]


def test_adjacent_edits_do_not_conflict() -> None:
    text = "abcd"
    out, applied, _ = apply(text, [edit(text, 0, 2, "X"), edit(text, 2, 4, "Y")])
    assert out == "XY" and len(applied) == 2


def test_two_insertions_at_one_point_conflict() -> None:
    text = "ab"
    out, applied, rejected = apply(text, [edit(text, 1, 1, "X", 0.9), edit(text, 1, 1, "Y", 0.8)])
    assert out == "aXb" and len(rejected) == 1


def test_replay_rejects_overlapping_plan() -> None:
    text = "abc"
    plan = [Step("s", (edit(text, 0, 2, "X"), edit(text, 1, 3, "Y")))]
    with pytest.raises(EditError):
        replay(text, plan)


@st.composite
def text_and_edits(draw: st.DrawFn) -> tuple[str, list[Edit]]:
    text = draw(st.text(alphabet="ab c.", min_size=0, max_size=30))
    n = draw(st.integers(0, 5))
    edits = []
    for _ in range(n):
        s = draw(st.integers(0, len(text)))
        e = draw(st.integers(s, len(text)))
        after = draw(st.text(alphabet="XYZ ", max_size=4))
        conf = draw(st.floats(0, 1))
        edits.append(Edit(s, e, text[s:e], after, "t", "r", conf))
    return text, edits


def naive_apply(text: str, kept: list[Edit]) -> str:
    for e in sorted(kept, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: e.start] + e.after + text[e.end :]
    return text


@given(text_and_edits())
@settings(max_examples=200, deadline=None)
def test_apply_matches_naive_reference_and_kept_edits_do_not_overlap(case: tuple[str, list[Edit]]) -> None:
    text, edits = case
    out, applied, rejected = apply(text, edits)
    assert len(applied) + len(rejected) == len(edits)
    for i, a in enumerate(applied):
        for b in applied[i + 1 :]:
            assert not a.overlaps(b)
    assert out == naive_apply(text, applied)
    assert replay(text, [Step("s", tuple(applied))]) == out


@given(text_and_edits(), st.data())
@settings(max_examples=200, deadline=None)
def test_offset_map_sends_unedited_text_back_to_itself(case: tuple[str, list[Edit]], data: st.DataObject) -> None:
    text, edits = case
    out, applied, _ = apply(text, edits)
    m = OffsetMap(applied)
    # Every output position outside replaced spans maps to a position holding the same char.
    out_pos = 0
    in_pos = 0
    cursor = 0
    for e in applied:
        while in_pos < e.start:
            assert m.back(out_pos) == in_pos
            assert text[in_pos] == out[out_pos]
            in_pos += 1
            out_pos += 1
        touching = any(o is not e and (o.end == e.start or o.start == e.end) for o in applied)
        if e.after and not touching:  # coincident boundaries are ambiguous by nature
            s, t = map_span_back(out_pos, out_pos + len(e.after), [m])
            assert (s, t) == (e.start, e.end)
        in_pos, out_pos = e.end, out_pos + len(e.after)
        cursor += 1
    while in_pos < len(text):
        assert m.back(out_pos) == in_pos
        in_pos += 1
        out_pos += 1


@given(text_and_edits(), st.data())
@settings(max_examples=200, deadline=None)
def test_offset_map_forward_gives_what_a_span_became(case: tuple[str, list[Edit]], data: st.DataObject) -> None:
    """A span that cuts no edit maps forward to exactly its repaired text (insertions at its bounds included)."""
    text, edits = case
    out, applied, _ = apply(text, edits)
    m = OffsetMap(applied)
    s = data.draw(st.integers(0, len(text)))
    t = data.draw(st.integers(s, len(text)))
    if any(e.start < p < e.end for e in applied for p in (s, t)):
        return
    cs, ct = m.forward(s, side="start"), m.forward(t, side="end")
    inside = [e.shifted(-s) for e in applied if s <= e.start and e.end <= t]
    assert out[cs:ct] == naive_apply(text[s:t], inside)
