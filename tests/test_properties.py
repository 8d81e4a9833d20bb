"""Properties every pipeline run must keep, on arbitrary and on damaged news-like text."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from repair.config import RepairConfig
from repair.document import NUMERIC_ENTITY_RE
from repair.edits import replay
from repair.pipeline import Pipeline

RULE_STAGES = ("encoding", "spintax", "loops", "hyphens", "spacing", "articles")
RULES = Pipeline(RepairConfig(), stages=RULE_STAGES)
FULL = Pipeline(RepairConfig(model=False))
PIPELINES = st.sampled_from([RULES, FULL])

# Fragments that trigger every rule stage, mixed with plain words, numbers and punctuation.
FRAGMENTS = [
    "the",
    "the the",
    "who, who",
    "a",
    "an",
    "extra",
    "hour",
    "university",
    "MP",
    "US",
    "{that a}",
    "{big|large}",
    "{",
    "}",
    "|",
    "state -of -the -art",
    "one -month",
    " -5",
    "3 -4",
    " - ",
    " – ",
    "£ 1.6bn",
    "£ 30m",
    "$ 5",
    "€",
    "800 billion euros",
    "12,000",
    "4.5%",
    " ,",
    " .",
    " ?",
    "  ",
    "\n",
    "“",
    "”",
    '"',
    "to save itself, ",
    "to save itself",
    "– to assist enter it",
    "Ã©",
    "â€œ",
    "&amp;",
    "&#39;",
    "Â£30m",
    "had had",
    "New York, New York",
    "Plan A",
    "A",
    "said",
    ".",
    ",",
    "...",
    ":)",
    "https://x.org/a",
]
NEWSY = st.lists(st.sampled_from(FRAGMENTS), max_size=25).map(" ".join)
TEXT = st.one_of(st.text(max_size=200), NEWSY)

COMMON = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def digit_runs(s: str) -> Counter[str]:
    """Digit runs outside numeric character references ("&#233;" is a letter, not a number)."""
    s = NUMERIC_ENTITY_RE.sub(" ", s)
    return Counter(re.findall(r"\d+", s))


@COMMON
@given(text=TEXT, pipe=PIPELINES)
def test_replay_round_trip(text: str, pipe: Pipeline) -> None:
    result = pipe.run(text)
    assert replay(text, result.plan) == result.text


@COMMON
@given(text=TEXT, pipe=PIPELINES)
@example(text="nAAN an AN NAAN a AN nAAN a", pipe=Pipeline(RepairConfig(model=False)))  # four passes
def test_idempotent(text: str, pipe: Pipeline) -> None:
    once = pipe.run(text).text
    assert pipe.run(once).text == once


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_no_crash_on_arbitrary_unicode(text: str) -> None:
    result = RULES.run(text)
    assert isinstance(result.text, str)
    for f in result.findings:
        assert 0 <= f.start <= f.end <= len(text)


@COMMON
@given(text=TEXT, pipe=PIPELINES)
def test_numbers_unchanged(text: str, pipe: Pipeline) -> None:
    assert digit_runs(pipe.run(text).text) == digit_runs(text)


@COMMON
@given(text=NEWSY)
def test_applied_findings_point_at_the_original(text: str) -> None:
    for f in RULES.run(text).applied:
        assert text[f.start : f.end] == f.before


@COMMON
@given(text=NEWSY)
def test_every_finding_points_at_the_original(text: str) -> None:
    """Suggestions too: a later pass's finding is reported on the original text's own words."""
    for f in FULL.run(text).findings:
        assert text[f.start : f.end] == f.before


def test_a_later_pass_fix_inside_an_earlier_one_suggests_the_whole_span() -> None:
    """'a item' only appears once '{that a}' is unwrapped; the a/an fix is reported on the
    original '{that a}', so its suggestion must be 'that an', never the bare 'an'."""
    text = "They listed {that a} item for sale.\n"
    res = RULES.run(text)
    assert res.text == "They listed that an item for sale.\n"
    art = [f for f in res.findings if f.kind == "article"]
    assert art and art[0].before == "{that a}"
    assert art[0].suggestions == ("that an",)
    f = art[0]
    assert text[: f.start] + f.suggestions[0] + text[f.end :] == res.text
