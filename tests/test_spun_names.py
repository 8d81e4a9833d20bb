"""Spinner swaps inside names ("Downing Road") and the month read as a verb ("in Might")."""

from __future__ import annotations

import pytest
from test_lexicon import SPUN as LEXICON_SPUN

from repair.config import RepairConfig
from repair.detect.lexicon import QUOTE_KIND, get_lexicon
from repair.detect.spun_names import (
    CONFIDENCE,
    MIN_PAIR_COUNT,
    MIN_PAIR_RATIO,
    SUGGESTION,
    month_edits,
    name_runs,
    name_swap_edits,
)
from repair.document import Document
from repair.lm import get_lm, norm_token
from repair.pipeline import Pipeline


class CountsLM:
    """A stand-in for the n-gram table: bigram counts from a dict, 0 elsewhere."""

    def __init__(self, table: dict[tuple[str, str], float]):
        self.table = table

    def count(self, *words: str) -> float:
        return self.table.get(tuple(words), 0.0)

    def counts(self, grams):
        return [self.table.get(tuple(g), 0.0) for g in grams]


SWAPS = {"road": ("line", "street"), "division": ("department",), "the": ("a",), "fee": ("commission",)}
COUNTS = {("downing", "street"): 500, ("red", "line"): 255, ("commerce", "department"): 160,
          ("abbey", "road"): 300, ("abbey", "street"): 40, ("electoral", "commission"): 100}
LISTED = {"Downing Street", "Commerce Department", "Abbey Road", "Electoral Commission"}


def swaps_in(text: str, rho: float = 1.0, counts=COUNTS, listed=LISTED):
    doc = Document(text)
    toks = [norm_token(text[s:e]) for s, e in doc.tokens]
    initial = {0} | {k for k in range(1, len(toks)) if toks[k - 1] == "."}
    return name_swap_edits(doc, toks, CountsLM(counts), rho, SWAPS, known=lambda n: n in listed,
                           skip=frozenset({"the", "a"}), sentence_initial=lambda k: k in initial)


def test_runs_are_capitalised_words_with_connectors_between_them_cut_at_line_breaks() -> None:
    text = "He spoke in Downing Road and then the Department of Health and Social Care said so.\nRoad"
    doc = Document(text)
    runs = [" ".join(text[doc.tokens[k][0] : doc.tokens[k][1]] for k in run) for run in name_runs(doc)]
    assert runs == ["Downing Road", "Department of Health and Social Care"]
    doc = Document("Downing\nRoad")
    assert name_runs(doc) == []


def test_a_swap_inside_a_listed_name_goes_back() -> None:
    (e,) = swaps_in("The minister spoke in Downing Road on Monday.")
    assert (e.before, e.after, e.confidence) == ("Road", "Street", CONFIDENCE)
    assert "'Downing Street' is a listed name" in e.reason
    (e,) = swaps_in("The Commerce Division said the deficit grew.")
    assert e.after == "Department" and e.confidence == CONFIDENCE


def test_without_a_listed_name_the_table_alone_only_suggests_and_only_in_spun_text() -> None:
    (e,) = swaps_in("He lives on Red Road in Glasgow.")
    assert (e.after, e.confidence) == ("Line", SUGGESTION)
    assert "'red line' 255 times and 'red road' never" in e.reason
    assert swaps_in("He lives on Red Road in Glasgow.", rho=0.3) == []
    counts = {**COUNTS, ("red", "line"): 19}
    assert swaps_in("He lives on Red Road in Glasgow.", counts=counts) == []
    counts = {**COUNTS, ("red", "road"): 10}  # 25 times rarer is not rare enough
    assert swaps_in("He lives on Red Road in Glasgow.", counts=counts) == []
    assert (MIN_PAIR_COUNT, MIN_PAIR_RATIO) == (20, 50)


def test_a_text_that_does_not_look_spun_only_gets_a_suggestion() -> None:
    (e,) = swaps_in("The minister spoke in Downing Road on Monday.", rho=0.3)
    assert e.confidence == SUGGESTION < 0.9


def test_a_name_listed_as_written_or_known_to_the_table_as_written_stays() -> None:
    assert swaps_in("They recorded it at Abbey Road in London.") == []
    assert swaps_in("They recorded it at Abbey Road in London.", listed=LISTED - {"Abbey Road"}) == []
    assert swaps_in("They recorded it at Abbey Road in London.", counts={}, listed=LISTED | {"Abbey Street"}) == []
    counts = {**COUNTS, ("downing", "road"): 2}  # 250 times rarer than "downing street", but seen
    assert swaps_in("The minister spoke in Downing Road on Monday.", counts=counts) == []


def test_a_neighbour_that_prefers_the_written_word_vetoes_the_swap() -> None:
    # "red line" is strong on the left, but "road safety" beats "line safety" on the right.
    assert [e.after for e in swaps_in("The Red Road Safety Week began.")] == ["Line"]
    counts = {**COUNTS, ("road", "safety"): 30}
    assert swaps_in("The Red Road Safety Week began.", counts=counts) == []
    assert [e.after for e in swaps_in("The Downing Road Safety Unit met.")] == ["Street"]
    assert swaps_in("The Downing Road Safety Unit met.", counts=counts,
                    listed=LISTED | {"Downing Street Safety Unit"}) == []


def test_two_swapped_words_are_restored_together_when_only_both_give_a_listed_name() -> None:
    swaps = {**SWAPS, "information": ("news",), "worldwide": ("international",)}
    doc = Document("It sold News Corp's Information Worldwide unit.")
    toks = [norm_token(doc.text[s:e]) for s, e in doc.tokens]
    got = name_swap_edits(doc, toks, CountsLM({}), 1.0, swaps, known=lambda n: n == "News International")
    assert [(e.before, e.after, e.confidence) for e in got] == [
        ("Information", "News", CONFIDENCE), ("Worldwide", "International", CONFIDENCE)]


def test_sentence_starts_function_words_and_lone_capitals_stay() -> None:
    listed = LISTED | {"Street Party"}
    assert [e.after for e in swaps_in("It rained on the Road Party.", listed=listed)] == ["Street"]
    assert swaps_in("It rained. Road Party plans were dropped.", listed=listed) == []
    doc = Document("The Electoral Fee met.")
    toks = [norm_token(doc.text[s:e]) for s, e in doc.tokens]
    lm, known = CountsLM(COUNTS), LISTED.__contains__
    assert [e.after for e in name_swap_edits(doc, toks, lm, 1.0, SWAPS, known=known)] == ["Commission"]
    assert name_swap_edits(doc, toks, lm, 1.0, SWAPS, known=known, skip=frozenset({"fee"})) == []
    assert swaps_in("Electoral. Fee rose.") == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("The game was published in Might. Last Might, it rained.", [("Might", "May")] * 2),
        ("It opens on 5 Might 2005.", [("Might", "May")]),
        ("What Happened Next Might Surprise You", []),
        ("This Might Get Loud is a film. From Might to Right.", []),
        ("The Team That Finished Last Might Win", []),
        ("It might rain. Might we go?", []),
        ("Nobody knew it was Might.", []),
        ("It was published in\nMight.", []),
    ],
)
def test_the_month_may_comes_back_from_the_verb_only_where_a_month_stands(text: str, want) -> None:
    doc = Document(text)
    toks = [norm_token(text[s:e]) for s, e in doc.tokens]
    assert [(e.before, e.after) for e in month_edits(doc, toks, 1.0)] == want
    assert month_edits(doc, toks, 0.2) == []


needs_lm = pytest.mark.skipif(get_lm() is None, reason="LM table not built")

# The spun test text of test_lexicon, with a street name in it.
SPUN = LEXICON_SPUN.replace("advised reporters that", "advised reporters in Downing Road that")
assert SPUN != LEXICON_SPUN


def run(text: str):
    return Pipeline(RepairConfig(), stages=["lexicon"]).run(text)


@needs_lm
def test_the_shipped_lexicon_table_and_gazetteer_restore_names_in_a_spun_text() -> None:
    assert "street" in get_lexicon().word_swaps["road"]
    r = run(SPUN)
    assert "in Downing Street" in r.text
    f = next(f for f in r.applied if f.before == "Road")
    assert "inside a name" in f.message and f.stage == "lexicon"


@needs_lm
def test_inside_quoted_speech_of_a_spun_text_the_edit_is_a_quote_edit() -> None:
    r = run(SPUN + ' "We met in Downing Road," the minister mentioned.')
    quoted = [f for f in r.applied if f.before == "Road" and f.start > len(SPUN)]
    assert quoted and quoted[0].kind == QUOTE_KIND and "quoted speech" in quoted[0].message


@needs_lm
def test_of_two_edits_on_the_same_words_the_surer_one_stays() -> None:
    from repair.detect.lexicon import _with_name_edits
    from repair.edits import Edit

    doc = Document("Officers met in Downing Road on Monday.")
    toks = [norm_token(doc.text[s:e]) for s, e in doc.tokens]
    s = doc.text.index("Downing Road")
    for conf, winner in ((0.8, "Street"), (0.99, "Downing Street")):
        other = Edit(s, s + len("Downing Road"), "Downing Road", "Downing Street", "spun-phrase", "lexicon", conf)
        got = _with_name_edits(doc, toks, [other], get_lm(), 1.0, get_lexicon(), ())
        assert [e.after for e in got] == [winner]


@needs_lm
def test_names_in_a_clean_text_are_left_alone() -> None:
    clean = ("The band recorded the album at Abbey Road in London. The Commerce Department said "
             "on Monday that the deficit had narrowed, and officials in Downing Street agreed. "
             "He lives on Red Road, and the British Safety Council met in May.")
    r = run(clean)
    assert r.text == clean
    assert not [f for f in r.findings if "inside a name" in f.message]


@needs_lm
def test_a_real_name_that_looks_spun_stays_even_in_a_spun_text() -> None:
    # "National League" is listed, and so is the real "Nationwide League" (English football,
    # 1996-2004): the name as written is known, so nothing is restored.
    r = run(SPUN + " The club played in the Nationwide League before the merger.")
    assert "Nationwide League" in r.text
    assert not [f for f in r.findings if f.before == "Nationwide"]
    # An edit that reaches past the listed name still goes: "Cup ultimate" -> "Cup final".
    r = run(SPUN + " Gerrard starred in the Carling Cup ultimate against Chelsea.")
    assert "the Carling Cup final against" in r.text
