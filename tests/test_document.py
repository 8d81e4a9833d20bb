"""Document spans: sentences, tokens, and the protected spans stages must respect."""

from __future__ import annotations

import pytest

from repair.document import Document, Span


def labels(doc: Document) -> list[tuple[str, str]]:
    return [(doc.text[s.start : s.end], s.label) for s in doc.protected]


def test_amounts_and_dates_are_protected() -> None:
    doc = Document("Britain announced a £1.6bn deal on 12 March 2025, worth 800 billion euros.")
    got = labels(doc)
    assert ("£1.6bn", "number") in got
    assert ("12 March 2025", "number") in got
    assert ("800 billion", "number") in got


def test_quotes_are_protected_but_allow_loop_fixes() -> None:
    text = 'He said: “We will win.” Then he left.'
    doc = Document(text)
    q = text.index("We")
    assert doc.in_quote(q)
    assert not doc.in_quote(text.index("Then"))
    assert doc.allows(q, q + 2, "loop")
    assert not doc.allows(q, q + 2, "spun-phrase")
    assert doc.allows(text.index("Then"), text.index("Then") + 4, "spun-phrase")


def test_no_kind_may_touch_digits() -> None:
    text = "It cost £ 30m last year."
    doc = Document(text)
    d = text.index("30")
    assert not doc.allows(d, d + 2, "currency")
    assert not doc.allows(d, d + 2, "spun-phrase")
    # The space between the symbol and the digits may go.
    sp = text.index("£") + 1
    assert doc.allows(sp, sp + 1, "currency")


def test_urls_are_protected() -> None:
    text = "See https://example.com/a-b -c for details."
    doc = Document(text)
    start = text.index("https")
    assert not doc.allows(start + 3, start + 6, "hyphen")


def test_extra_spans_from_markup_forbid_everything() -> None:
    text = "prose `code {that a}` prose"
    s = text.index("`")
    doc = Document(text, extra_protected=(Span(s, text.index("`", s + 1) + 1, "markup"),))
    assert not doc.allows(s + 6, s + 14, "spintax")
    assert doc.allows(0, 5, "spintax")


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("One. Two! Three?", 3),
        ("Mr. Smith went to Washington.", 2),  # a known limit: abbreviations split
        ("Line one\nLine two", 2),
        ("He said “Stop.” Then he left.", 2),
    ],
)
def test_sentences(text: str, n: int) -> None:
    doc = Document(text)
    assert len(doc.sentences) == n
    for s, e in doc.sentences:
        assert doc.text[s:e].strip() == doc.text[s:e]


def test_tokens_cover_words_and_punctuation() -> None:
    doc = Document("It isn’t over, yet.")
    toks = [doc.text[s:e] for s, e in doc.tokens]
    assert toks == ["It", "isn’t", "over", ",", "yet", "."]
