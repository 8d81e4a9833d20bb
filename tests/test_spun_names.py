"""Spinner swaps inside names ("Downing Road") and the month read as a verb ("in Might")."""

from __future__ import annotations

import pytest

from repair.config import RepairConfig
from repair.detect.lexicon import get_lexicon
from repair.detect.spun_names import CONFIDENCE, SUGGESTION, month_edits, name_runs, name_swap_edits
from repair.document import Document
from repair.lm import get_lm, norm_token
from repair.pipeline import Pipeline


class CountsLM:
    """A stand-in for the n-gram table: bigram counts from a dict, 0 elsewhere."""

    def __init__(self, counts: dict[tuple[str, str], float]):
        self.counts = counts

    def count(self, *words: str) -> float:
        return self.counts.get(tuple(words), 0.0)


SWAPS = {"road": ("street",), "division": ("department",), "the": ("a",)}
LM = CountsLM({("downing", "street"): 500, ("commerce", "department"): 160, ("abbey", "road"): 300,
               ("abbey", "street"): 40})


def swaps_in(text: str, rho: float = 1.0, swaps=SWAPS, lm=LM):
    doc = Document(text)
    toks = [norm_token(text[s:e]) for s, e in doc.tokens]
    initial = {0} | {k for k in range(1, len(toks)) if toks[k - 1] == "."}
    return name_swap_edits(doc, toks, lm, rho, swaps, skip=frozenset({"the", "a"}),
                           sentence_initial=lambda k: k in initial)


def test_runs_are_capitalised_words_with_connectors_between_them() -> None:
    text = "He spoke in Downing Road and then the Department of Health and Social Care said so."
    doc = Document(text)
    runs = [" ".join(text[doc.tokens[k][0] : doc.tokens[k][1]] for k in run) for run in name_runs(doc)]
    assert runs == ["Downing Road", "Department of Health and Social Care"]


def test_a_swap_inside_a_name_goes_back_when_the_table_knows_the_name() -> None:
    (e,) = swaps_in("The minister spoke in Downing Road on Monday.")
    assert (e.before, e.after) == ("Road", "Street")
    assert e.confidence == pytest.approx(CONFIDENCE)
    assert "'downing street' 500 times" in e.reason and "'downing road' never" in e.reason
    (e,) = swaps_in("The Commerce Division said the deficit grew.")
    assert e.after == "Department"


def test_a_real_name_that_the_table_knows_as_written_stays() -> None:
    assert swaps_in("They recorded it at Abbey Road in London.") == []


def test_a_word_with_no_capitalised_neighbour_or_at_a_sentence_start_stays() -> None:
    assert swaps_in("The road was closed. Road works began in Downing on Monday.") == []


def test_a_text_that_does_not_look_spun_only_gets_a_suggestion() -> None:
    (e,) = swaps_in("The minister spoke in Downing Road on Monday.", rho=0.3)
    assert e.confidence == SUGGESTION < 0.9


def test_the_month_may_comes_back_from_the_verb_only_where_a_month_stands() -> None:
    def months(text: str, rho: float = 1.0) -> list[tuple[str, str]]:
        doc = Document(text)
        toks = [norm_token(text[s:e]) for s, e in doc.tokens]
        return [(e.before, e.after) for e in month_edits(doc, toks, rho)]

    assert months("The game was published in Might. Last Might 2005 was warm.") == [("Might", "May")] * 2
    assert months("Who Might Win the Cup? It might rain. Might we go?") == []
    assert months("The game was published in Might.", rho=0.2) == []


needs_lm = pytest.mark.skipif(get_lm() is None, reason="LM table not built")

# Written for these tests in the spinner's style (not taken from any data set).
SPUN = (
    "The minister mentioned that the 2 international locations had agreed to proceed the talks. "
    "Officers additionally advised reporters in Downing Road that the deal would be signed "
    "subsequent yr, however gave no date. The Commerce Division mentioned in an announcement that "
    "it was becoming a member of the effort as a result of the talks had been constructive."
)


@needs_lm
def test_the_shipped_lexicon_and_table_restore_names_in_a_spun_text() -> None:
    assert get_lexicon().word_swaps["road"]
    r = Pipeline(RepairConfig(), stages=["lexicon"]).run(SPUN)
    assert "in Downing Street" in r.text and "The Commerce Department" in r.text
    f = next(f for f in r.applied if f.before == "Road")
    assert "inside a name" in f.message and f.stage == "lexicon"


@needs_lm
def test_names_in_a_clean_text_are_left_alone() -> None:
    clean = ("The band recorded the album at Abbey Road in London. The Commerce Department said "
             "on Monday that the deficit had narrowed, and officials in Downing Street agreed.")
    r = Pipeline(RepairConfig(), stages=["lexicon"]).run(clean)
    assert r.text == clean
