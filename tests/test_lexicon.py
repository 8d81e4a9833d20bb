"""The de-spinning stage: spun forms go back in context, clean text and quotes stay."""

from __future__ import annotations

import json

import pytest

from repair.config import RepairConfig
from repair.detect.lexicon import KIND, QUOTE_KIND, QUOTE_RHO, get_lexicon, parse_line
from repair.document import YEAR_KIND, Document
from repair.lm import get_lm
from repair.pipeline import Pipeline

pytestmark = pytest.mark.skipif(get_lm() is None, reason="LM table not built")

# Written for these tests in the spinner's style (not taken from any data set).
SPUN = (
    "The minister mentioned that the 2 international locations had agreed to proceed the talks. "
    "Officers additionally advised reporters that the deal would be signed subsequent yr, however "
    "gave no date. The ministry mentioned in an announcement that it was becoming a member of the "
    "effort as a result of the talks had been constructive."
)
CLEAN = (
    "The committee will present its final report within two weeks. However, the chairman said "
    "the members remained divided on the future of the plant, and the company declined to "
    "comment. The authorities said the building would remain closed within the next few days "
    "while engineers examine the damage, but they gave no further details."
)


def run(text: str):
    return Pipeline(RepairConfig(), stages=["lexicon"]).run(text)


def test_spun_text_is_repaired() -> None:
    r = run(SPUN)
    assert "international locations" not in r.text and "2 countries" in r.text
    assert "becoming a member of" not in r.text and "joining" in r.text
    assert "advised reporters" not in r.text and "told reporters" in r.text
    assert "next year" in r.text
    assert r.scores["spun_score"] > 0.9


def test_clean_text_is_untouched_and_scores_low() -> None:
    r = run(CLEAN)
    assert r.text == CLEAN
    assert not r.applied
    assert r.scores["spun_score"] < 0.5


def test_reasons_name_the_evidence() -> None:
    r = run(SPUN)
    f = next(f for f in r.applied if f.before == "international locations")
    assert f.kind == KIND and f.stage == "lexicon"
    assert "spun form of 'countries'" in f.message and "context LM" in f.message
    assert f.confidence >= 0.9


def test_sentence_start_keeps_its_capital() -> None:
    r = run(SPUN.replace("however gave", "and gave") + " However the talks went on. Officers mentioned it.")
    assert "But the talks went on" in r.text


def test_quoted_speech_in_a_clearly_spun_text_is_repaired_as_its_own_kind() -> None:
    text = SPUN + ' "We are becoming a member of the effort," the minister mentioned.'
    r = run(text)
    assert r.scores["spun_score"] >= QUOTE_RHO
    assert '"We are joining the effort,"' in r.text
    f = next(f for f in r.applied if f.before == "becoming a member of" and f.start > len(SPUN))
    assert f.kind == QUOTE_KIND and "quoted speech" in f.message


def test_quoted_speech_is_only_suggested_when_the_text_is_not_clearly_spun() -> None:
    quote = '"We are becoming a member of the effort," the minister said.'
    r = run(CLEAN + " " + quote)
    assert r.scores["spun_score"] < QUOTE_RHO
    assert quote in r.text
    assert all(f.kind != QUOTE_KIND for f in r.findings)


def test_users_can_keep_quotes_untouched() -> None:
    text = SPUN + ' "We are becoming a member of the effort," the minister mentioned.'
    cfg = RepairConfig(kind_thresholds={QUOTE_KIND: 1.01})
    r = Pipeline(cfg, stages=["lexicon"]).run(text)
    assert '"We are becoming a member of the effort,"' in r.text


def test_numbers_are_never_changed() -> None:
    r = run(SPUN)
    for n in ("2",):
        assert n in r.text


def test_tortured_phrases_in_a_sentence() -> None:
    r = run("In this paper, we use profound learning to detect bosom malignancy in mammograms.")
    assert r.text == "In this paper, we use deep learning to detect breast cancer in mammograms."


def test_spun_form_fitting_its_context_stays_in_clean_text() -> None:
    # "within the next few days" and "present its report" are the writer's own words.
    text = "The authorities said the building would remain closed within the next few days."
    assert run(text).text == text


def test_capitalised_mid_sentence_word_is_treated_as_a_name() -> None:
    text = SPUN + " He spoke at the Movie Competition in Rotterdam."
    r = run(text)
    assert "Movie Competition" in r.text


def test_spelled_out_abbreviation_keeps_its_capital_and_goes_back() -> None:
    # The spinner writes "TV" out as "Television", capital kept; the writer's lower-case
    # "television" and a name ("Granada Television") stay.
    text = (
        SPUN + " They spend hours watching Television every night. The television set was old."
        " He joined Granada Television in 1990."
    )
    r = run(text)
    assert "watching TV every night" in r.text
    assert "The television set was old" in r.text and "Granada Television" in r.text
    f = next(f for f in r.applied if f.before == "Television")
    assert f.suggestions == ("TV",) and "spun form of 'TV'" in f.message


def test_cap_condition_parses_and_matches_only_capitalised_forms() -> None:
    from repair.detect.lexicon import _conditions_hold

    e = parse_line("television->TV;p=0.9;cap", source="news", lineno=1)
    assert e is not None and e.cap and not e.lower
    toks = ["watching", "television", "now"]
    assert _conditions_hold(e, toks, 1, 2, "Television")
    assert not _conditions_hold(e, toks, 1, 2, "television")


@pytest.mark.parametrize(
    "name",
    ["He joined Channel 4 Television in 1990.", "The Film and Television school opened.",
     "He is Controller of Television there."],
)
def test_television_in_a_name_stays(name: str) -> None:
    r = run(SPUN + " " + name)
    assert name in r.text


def test_ungrammatical_spinner_forms_are_repaired() -> None:
    text = SPUN + " The yuan was undervalued by as much as 40%, and nobody knows how a lot time it needs."
    r = run(text)
    assert "how much time" in r.text


@pytest.mark.parametrize(
    ("spun", "fixed"),
    [
        ("The firm didn't say how a lot it paid.", "The firm did not say how much it paid."),
        ("They're prepared to wait, and it's unclear why.", "They are prepared to wait, and it is unclear why."),
        ("Officers who've seen the report couldn't agree.", "Officers who have seen the report could not agree."),
    ],
)
def test_the_spinners_contractions_are_expanded_in_spun_text(spun: str, fixed: str) -> None:
    r = run(SPUN + " " + spun)
    assert r.text.endswith(fixed.replace("Officers", "Officials"))


def test_the_spinners_relative_pronouns_and_lower_case_i_go_back() -> None:
    r = run(SPUN + " Sales fell, that are hitting profits, and that i expect more cuts.")
    assert r.text.endswith("Sales fell, which are hitting profits, and I expect more cuts.")
    clean = CLEAN + " He said that I was right."
    assert run(clean).text == clean


def test_an_is_or_would_contraction_is_expanded() -> None:
    r = run(SPUN + " It's expected to rise, and that's why he left.")
    assert r.text.endswith("It is expected to rise, and that is why he left.")


def test_contractions_in_clean_text_stay() -> None:
    text = CLEAN + " The firm didn't say why, and it's unclear whether they're ready."
    assert run(text).text == text


def test_an_article_that_fits_the_canonical_form_is_named_as_evidence() -> None:
    # The spinner kept the writer's "a" before its "extra" (for "more").
    r = run(SPUN + " They are playing a extra vital role in the talks.")
    assert "a more vital role" in r.text
    f = next(f for f in r.applied if f.before == "extra")
    assert "'a' before it fits 'more'" in f.message


def test_several_canonical_forms_are_only_suggested(monkeypatch: pytest.MonkeyPatch) -> None:
    from repair.detect import lexicon as lx

    entry = parse_line("wherein->where,in which;p=0.95", source="news")
    assert entry is not None
    lex = lx.Lexicon([*get_lexicon().entries, entry])
    monkeypatch.setattr(lx, "get_lexicon", lambda: lex)
    text = SPUN + " They met in the city wherein the talks had been held."
    r = run(text)
    f = next(f for f in r.findings if f.before == "wherein")
    assert not f.applied and f.confidence <= lx.SUGGEST_CAP


def test_idempotent_on_its_own_output() -> None:
    once = run(SPUN).text
    assert run(once).text == once


def test_dev_articles_improve(shared_dir) -> None:
    """On the spun dev articles the stage removes damage and rarely adds any."""
    from repair.evaluation.metrics import distance, tokens

    rows = [json.loads(x) for x in open(shared_dir / "data" / "dev" / "spun_news_dev.jsonl")]
    din = dout = 0
    for row in rows[1::2]:
        gold = tokens(row["gold"])
        din += distance(tokens(row["text"]), gold)
        dout += distance(tokens(run(row["text"]).text), gold)
    assert dout < 0.9 * din


def test_clean_bbc_stays_clean(shared_dir) -> None:
    from repair.lm.build import heldout_bbc

    path = shared_dir / "data" / "corpus" / "bbc_train.jsonl"
    rows = [json.loads(x)["text"] for i, x in enumerate(open(path)) if heldout_bbc(i)][:20]
    changed = sum(run(t).text != t for t in rows)
    assert changed <= 1


def test_unseen_tortured_variant_of_a_curated_term_is_restored() -> None:
    # "gene articulation" is in no lexicon: the term list and the thesaurus find it.
    assert all(e.spun != ("gene", "articulation") for e in get_lexicon().entries)
    r = run("The authors report that the gene articulation was measured in the experiment.")
    assert "gene expression" in r.text
    (f,) = [f for f in r.findings if f.applied]
    assert f.kind == KIND and "technical term" in f.message


def test_a_term_variant_made_of_curated_word_swaps_needs_only_a_modest_lm_margin() -> None:
    # "handwriting acknowledgment" is in no lexicon, but "acknowledgment" for "recognition"
    # is a swap the curated tortured phrases show ("discourse acknowledgment").
    from repair.detect.lexicon import tortured_word_map

    assert all(e.spun != ("handwriting", "acknowledgment") for e in get_lexicon().entries)
    assert ("acknowledgment", "recognition") in tortured_word_map()
    r = run("In this paper we study handwriting acknowledgment with a small network.")
    assert "handwriting recognition" in r.text
    (f,) = [f for f in r.findings if f.applied]
    assert "'acknowledgment' for 'recognition'" in f.message


def test_every_word_may_change_when_each_change_is_a_known_swap() -> None:
    # "fluffy bunching" keeps no word of "fuzzy clustering"; both swaps are known ones.
    assert all(e.spun != ("fluffy", "bunching") for e in get_lexicon().entries)
    r = run("We compared several methods of fluffy bunching on the data.")
    assert "fuzzy clustering" in r.text
    (f,) = [f for f in r.findings if f.applied]
    assert "'fluffy' for 'fuzzy'" in f.message and "'bunching' for 'clustering'" in f.message


def test_tortured_word_map_is_clean() -> None:
    from repair.detect.lexicon import tortured_word_map

    pairs = tortured_word_map()
    assert len(pairs) >= 40
    assert all(a != b and a and b for a, b in pairs)
    assert not {(b, a) for a, b in pairs} & pairs, "no pair in both directions"


@pytest.mark.parametrize(
    "text",
    [
        # A reviewer's clean sentences: ordinary synonyms of term words, not tortured swaps.
        "He relied on an informal network of friends to find work.",
        "Regular physical action helps older people stay independent.",
        "Some parasites kill their host organisms quickly.",
        "The study measured the catalytic action of the enzyme.",
        "Job fulfillment matters more to young workers than pay.",
        "Undifferentiated cells can become any tissue.",
        "Olive oil is rich in unsaturated acids.",
        "The target function is minimised by gradient descent.",
        "Sustainable resources are needed for growth.",
        "A remote network connection was used.",
        "The labor exchange opened in 1910.",
        "Financial danger looms for the firm.",
        "He worked at his outside trade as a blacksmith.",
        "The anxiety examination took an hour.",
    ],
)
def test_ordinary_synonyms_of_term_words_stay(text: str) -> None:
    assert Pipeline(RepairConfig(model=False)).run(text).text == text


@pytest.mark.parametrize(
    "term", ["fog computing", "heat pump", "weighted mean", "antimicrobial resistance"]
)
def test_a_phrase_that_is_itself_a_term_is_no_variant(term: str) -> None:
    # Each is also a thesaurus variant of another term ("heat pump" ~ "heat stress") that the
    # context LM would confirm; being a curated term itself keeps it.
    text = f"In this paper, we study the {term} of the system in detail."
    assert run(text).text == text


@pytest.mark.parametrize(
    "text",
    [
        "The crystalline structure of the rock was studied.",  # kept stem: the writer's word
        "Deep learning and random forests are common tools in this field.",
        "The natural language of the region is spoken in many dialects.",
    ],
)
def test_real_technical_text_is_left_alone(text: str) -> None:
    assert run(text).text == text


@pytest.mark.parametrize(
    "text",
    [
        "The calculation was wrong.",
        "He has the upper hand in the talks.",
        "The bank said loan costs would rise and the client experience would suffer.",
        "Shares fell after a stock trade went wrong at the store network's parent.",
        "He called it a mental issue, not a money related one, and praised the production network.",
        "Phones with a portable phone charger were sold in the mass move to online shopping.",
    ],
)
def test_tortured_form_that_is_ordinary_english_is_not_applied(text: str) -> None:
    """'calculation' is a tortured form of 'algorithm' in papers, and an everyday word in news."""
    from repair.config import RepairConfig
    from repair.runner import run_text

    result = run_text(text, RepairConfig(model=False))
    assert result.text == text


@pytest.mark.parametrize(
    ("spun", "fixed"),
    [
        ("He is a 24-12 months-old striker.", "He is a 24-year-old striker."),
        ("It is the 17th 12 months that the race has run.", "It is the 17th year that the race has run."),
        ("She won in Italy this 12 months.", "She won in Italy this year."),
        ("She won the contest last 12 months.", "She won the contest last year."),
        ("Sales rose 12 months-on-12 months.", "Sales rose year-on-year."),
        # The writer's own durations stay.
        ("Over the last 12 months prices rose.", None),
        ("In the final 12 months of his life he wrote.", None),
        ("He served 12 months in prison.", None),
        ("Over the previous 12 months, sales grew.", None),
    ],
)
def test_the_spinners_12_months_goes_back_to_year(spun: str, fixed: str | None) -> None:
    r = run(SPUN + " " + spun)
    assert r.text.endswith(fixed or spun)
    if fixed:
        f = next(f for f in r.applied if f.kind == YEAR_KIND)
        assert "12 months" in f.before and "spinner" in f.message


def test_12_months_in_clean_text_is_left_alone() -> None:
    text = CLEAN + " She won the contest last 12 months."
    assert run(text).text == text


def test_only_the_year_kind_may_drop_the_12() -> None:
    from repair.edits import Edit

    text = "She won the contest last 12 months."
    s = text.index("12")
    pipe = Pipeline(RepairConfig(), stages=[])
    doc = Document(text)
    ok = Edit(s, s + 9, "12 months", "year", YEAR_KIND, "test", 0.99)
    assert pipe._may_apply(doc, ok)
    assert not pipe._may_apply(doc, Edit(s, s + 9, "12 months", "year", KIND, "test", 0.99))
    weeks = "She won the contest last 12 weeks."
    assert not pipe._may_apply(Document(weeks), Edit(s, s + 8, "12 weeks", "year", YEAR_KIND, "t", 0.99))


def test_term_matcher_index_equals_the_naive_scan() -> None:
    """The second-word index only skips terms the plain scan would reject."""
    import dataclasses

    from repair.detect.lexicon import _norm_tokens, _term_matches, get_terms

    idx = get_terms()
    if not idx.by_first or idx.variant_of is None:
        pytest.skip("no term index")
    naive = dataclasses.replace(idx, variant_of=None)
    texts = [
        SPUN, CLEAN,
        "We trained a profound learning model and an irregular woodland on huge information.",
        "The set of power cuts made a great side mark; the work said the right way to go.",
    ]
    found = 0
    for text in texts:
        toks = _norm_tokens(Document(text))
        for i in range(len(toks)):
            got = _term_matches(toks, i, idx)
            assert got == _term_matches(toks, i, naive), (text, toks[i])
            found += len(got)
    assert found >= 2  # "profound learning", "irregular woodland" at least


@pytest.mark.parametrize(
    ("before", "after", "want"),
    [
        ("Dwelling Secretary", "home secretary", "Home Secretary"),
        ("Ministry of Protection", "ministry of defence", "Ministry of Defence"),
        ("The federal government", "the government", "The government"),
        ("PC", "computer", "COMPUTER"),
    ],
)
def test_a_spun_title_keeps_its_title_case(before: str, after: str, want: str) -> None:
    from repair.detect.lexicon import _match_case

    assert _match_case(before, after) == want


def test_the_term_set_is_every_term_of_the_index() -> None:
    from repair.detect.lexicon import _term_set, get_terms

    idx = get_terms()
    assert _term_set(idx) == frozenset(t for ts in idx.by_first.values() for t in ts)


def test_the_spinners_lower_case_united_kingdom_goes_back_to_uk() -> None:
    r = run(SPUN + " Sales in the united kingdom fell, the United Kingdom office said.")
    assert r.text.endswith("Sales in the UK fell, the United Kingdom office said.")


# Writers' sentences inside a spun text: contractions that read "has"/"had", and a
# reviewer's sentences that new entries first changed.
@pytest.mark.parametrize(
    "tail",
    [
        "The bank said it's been hit by the slump.",
        "It's cost the firm millions.",
        "I'd finished the work before noon.",
        "He's finished his work.",
        "If confirmed, that would make him the oldest winner.",
        "The minister acted in response to reports of abuse.",
        "The island's inhabitants voted to leave.",
        "She is one of many top athletes to pull out.",
        "Why didn't anyone warn them?",
        "It's really helped the team.",
        "A key function of the liver is to filter blood.",
        "The leaked email reveals a deep rift.",
    ],
)
def test_writers_phrases_in_a_spun_text_stay(tail: str) -> None:
    r = run(SPUN + " " + tail)
    assert r.text.endswith(tail)


def test_came_to_energy_policy_is_no_spun_came_to_power() -> None:
    tail = "When it came to energy policy, the party was split."
    assert run(SPUN + " " + tail).text.endswith(tail)
    assert run(SPUN + " The party came to energy in 1997.").text.endswith("came to power in 1997.")


# Written for these tests in the spinner's style: a short match report with its line-ups.
MATCH = """Rovers 2-1 Athletic

A second-half objective from Tom Hale gave Rovers their first win in 5 video games.

Early within the second half Hale met a cross from Ryan Moss and blasted the ball residence from simply exterior the penalty area. Athletic had been pushing for an equaliser and the goalkeeper saved nicely from Dean Cole.

Rovers: Pike, Tate, Burns, Sharp, Cobb, Hale, Moss, Reed, Lamb, Webb, Fry. Subs Not Used: Hart, Lowe, Dunn, Nash, Kemp.

Athletic: Cole, Bird, Frost, Marsh, Wood, Vance, Hogg, Pratt, Lyle, Watt, Boyd. Subs Not Used: Gray, Snow, Dale, Reid, Law.

Attendance: 4,210
"""
MATCH_CLEAN = (
    MATCH.replace("objective", "goal").replace("5 video games", "five games").replace("within", "in")
    .replace("residence", "home").replace("simply exterior", "just outside").replace("had been", "were")
    .replace("nicely", "well")
)


def test_line_ups_do_not_count_as_text_that_showed_no_swap() -> None:
    from repair.detect.lexicon import _prose_tokens

    doc = Document(MATCH)
    assert _prose_tokens(doc) < 0.6 * len(doc.tokens)
    prose = Document(CLEAN)
    assert _prose_tokens(prose) == pytest.approx(len(prose.tokens), rel=0.25)
    # In capitals or title case names cannot be told from prose: every token counts.
    for shout in (Document(CLEAN.upper()), Document(CLEAN.title()), Document(MATCH.upper())):
        assert _prose_tokens(shout) == len(shout.tokens)


def test_a_short_spun_match_report_is_judged_spun_and_its_clean_twin_is_not() -> None:
    r = run(MATCH)
    assert r.scores["spun_score"] > 0.9
    assert "second-half goal from Tom Hale" in r.text and "saved well" in r.text
    assert "Pike, Tate, Burns" in r.text
    r = run(MATCH_CLEAN)
    assert r.scores["spun_score"] < 0.01 and r.text == MATCH_CLEAN


def entry(spun: str, canon: str, source: str = "news", prior: float = 0.8):
    from repair.detect.lexicon import Entry

    return Entry(spun=tuple(spun.split()), canon=(canon,), prior=prior, source=source)


def test_inflections_add_the_other_forms_of_a_word_swap_at_a_lower_prior() -> None:
    from repair.detect.lexicon import INFLECTION_PRIOR, inflections

    got = {(e.spun[0], e.canon[0]): e for e in inflections([entry("purchased", "bought")])}
    assert set(got) == {("purchase", "buy"), ("purchasing", "buying")}
    e = got[("purchasing", "buying")]
    assert e.prior == pytest.approx(0.8 * INFLECTION_PRIOR) and e.derived == "purchased->bought"


def test_inflections_follow_the_entry_s_part_of_speech_and_how_the_form_is_used() -> None:
    from repair.detect.lexicon import inflections

    # "charges" is mostly a noun: "charge" -> "rate", not "charged" -> "rated"
    assert {(e.spun[0], e.canon[0]) for e in inflections([entry("charges", "rates")])} == {("charge", "rate")}
    # "state" is mostly a noun, so "stated -> said" gives no "state -> say"
    spun = {e.spun[0] for e in inflections([entry("stated", "said")])}
    assert "stating" in spun and "state" not in spun and "states" not in spun
    # no adjectives ("finest -> best" would give "fine -> well"), no rare forms, lower-case only
    assert inflections([entry("finest", "best")]) == [] and inflections([entry("bigger", "larger")]) == []
    assert "embellishing" not in {e.spun[0] for e in inflections([entry("embellished", "decorated")])}
    assert inflections([entry("embraces", "includes")])
    assert inflections([entry("embraces", "Includes")]) == []
    # the two words must inflect alike: "purchased" (past) is not "buy" (base form)
    assert inflections([entry("purchased", "buy")]) == []


def test_inflections_make_no_chain_no_duplicate_and_no_ambiguous_past() -> None:
    from repair.detect.lexicon import inflections

    # "choose" is an entry's canonical word: "selects -> chooses" may not add "choose" as spun
    base = [entry("purchased", "bought"), entry("choose", "select"), entry("selects", "chooses")]
    got = inflections(base)
    spun = {e.spun[0] for e in base + got}
    canon = {c for e in base + got for c in e.canon}
    assert not spun & canon, "a chain"
    assert len(spun) == len(base) + len(got)
    # "buy" is a derived canonical word: "buys -> purchases" may not add "buy" as a spun form
    got2 = inflections([entry("purchased", "bought"), entry("buys", "gets")])
    assert "buy" not in {e.spun[0] for e in got2}
    # "purchase" is derived first: a later entry may not make it a canonical word
    got3 = inflections([entry("purchased", "bought"), entry("acquires", "purchases")])
    assert "purchase" not in {e.canon[0] for e in got3}
    # "selected" may be the participle: "have selected" is not "have chose"
    assert "selected" not in {e.spun[0] for e in inflections([entry("selects", "chooses")])}
    assert inflections([entry("purchased", "bought", source="tortured")]) == []
    assert inflections([entry("a lot extra", "a lot more")]) == []


def test_the_shipped_lexicon_holds_inflections_and_says_so_in_the_reason() -> None:
    lex = get_lexicon()
    derived = [e for e in lex.entries if e.derived]
    assert 100 < len(derived) < len(lex.entries) // 4
    r = run(SPUN + " The deal embraced a pay rise for nurses.")
    f = next(f for f in r.applied if f.before == "embraced")
    assert f.suggestions == ("included",) and "an inflection of 'embrace->include'" in f.message


def test_a_cross_validation_fold_drops_the_inflections_of_the_entries_it_drops() -> None:
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import cv_lexicon

    row = {"text": "They embrace it.", "gold": "They include it.", "kinds": ["spin"]}
    full = {e.spun for e in get_lexicon().entries}
    assert ("embrace",) in full and ("embraced",) in full
    lex, dropped = cv_lexicon.fold_lexicon([], [row], None)
    spun = {e.spun for e in lex.entries}
    assert dropped >= 1 and ("embrace",) not in spun and ("embraced",) not in spun
    assert len(spun) > 1000  # the rest stays
