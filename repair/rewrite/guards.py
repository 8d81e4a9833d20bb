"""Checks a model-proposed rewrite must pass before it becomes an edit.

Each guard is a small predicate with the reason it exists.  They are deliberately strict:
a rewrite that fails any of them is dropped, not downgraded.
"""

from __future__ import annotations

import re

from repair.document import Document, digits_of

QUOTE_CHARS = frozenset("\"“”«»‘’'")
MAX_SPAN_WORDS = 3  # a rewrite replaces at most this many words at once
MAX_EDIT_RATIO = 0.25  # and at most this share of a sentence's words in total
MIN_ZIPF = 3.0  # words the rewriter may write: about once per million words or more
_PROPER_RE = re.compile(r"^\W*[A-Z]")


def keeps_digits(before: str, after: str) -> bool:
    """Numbers, amounts and dates are never altered."""
    return digits_of(before) == digits_of(after) and not any(c.isdigit() for c in before + after)


def keeps_quotes(before: str, after: str) -> bool:
    """Quote marks delimit protected speech; a rewrite must not add, drop or move them."""
    return not any(c in QUOTE_CHARS and c not in "'’" for c in before + after) and (
        before.count("'") + before.count("’") == after.count("'") + after.count("’")
    )


def keeps_names(before: str, after: str, *, sentence_initial: bool) -> bool:
    """Capitalised words mid-sentence are names: the gazetteer's job, not the rewriter's."""
    words_b, words_a = before.split(), after.split()
    if sentence_initial:
        words_b, words_a = words_b[1:], words_a[1:]
    return not any(_PROPER_RE.match(w) for w in words_b + words_a)


def keeps_punctuation(before: str, after: str) -> bool:
    """The rewriter fixes words; punctuation edits belong to the rule stages."""
    strip = re.compile(r"[\w\s]")
    return strip.sub("", before) == strip.sub("", after)


def span_allowed(doc: Document, start: int, end: int) -> bool:
    """Protected spans (numbers, quotes, URLs, markup) forbid rewrites."""
    return doc.allows(start, end, "rewrite")


def bounded(before: str, after: str) -> bool:
    """1-3 words for 1-3 words.  No deletions: a weak model 'fixes' by skipping words, and
    both likelihood scores favour shorter sentences; loops and repeats are the rule stages'."""
    nb, na = len(before.split()), len(after.split())
    return 1 <= nb <= MAX_SPAN_WORDS and 1 <= na <= MAX_SPAN_WORDS


def real_words(after: str) -> bool:
    """Every word the model writes must be a common English word (no 'irreev' fragments)."""
    from wordfreq import zipf_frequency

    words = re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)*", after)
    return bool(words) and all(zipf_frequency(w, "en") >= MIN_ZIPF for w in words)


def within_ratio(changed_words: int, sentence_words: int) -> bool:
    return changed_words <= max(1, int(MAX_EDIT_RATIO * sentence_words))


def passes(doc: Document, start: int, end: int, after: str, *, sentence_initial: bool) -> bool:
    """All per-edit guards together."""
    before = doc.text[start:end]
    return (
        before != after
        and bounded(before, after)
        and real_words(after)
        and keeps_digits(before, after)
        and keeps_quotes(before, after)
        and keeps_punctuation(before, after)
        and keeps_names(before, after, sentence_initial=sentence_initial)
        and span_allowed(doc, start, end)
    )
