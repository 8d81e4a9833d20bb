"""The text a stage sees: sentence and token spans, and the spans no stage may touch.

Protected spans carry a label.  A stage may edit inside one only if its edit kind is in
``ALLOWED_IN`` for that label: a name fix inside a quote may be, a rewrite may not.
Numbers, amounts and dates allow nothing: no edit may change their characters.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

TOKEN_RE = re.compile(r"\w+(?:[''’]\w+)*|[^\w\s]", re.UNICODE)
WORD_RE = re.compile(r"[^\W\d_]+(?:[-''’][^\W\d_]+)*", re.UNICODE)

_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
NUMBER_RE = re.compile(
    r"\b(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:" + _MONTHS + r")|(?:" + _MONTHS + r")\s+\d{1,2}(?:st|nd|rd|th)?)"
    r"(?:,?\s+\d{4})?\b"
    r"|(?:[£$€¥₹]\s?)?\d+(?:[.,:/]\d+)*"
    r"(?:\s?%|\s?(?:bn|m|k|tn|billion|million|trillion|thousand|per\s?cent|percent)\b)?",
)
# The spinner's "12 months" for "year" is the one number an edit may remove: edits of this
# kind, spanning exactly this text (see repair.detect.lexicon), pass the digit rule.
YEAR_KIND = "spun-year"
YEAR_SPAN_RE = re.compile(r"12 months(?:-on-12 months)?", re.IGNORECASE)
NUMERIC_ENTITY_RE = re.compile(r"&#(?:\d+|[xX][0-9a-fA-F]+);")
URL_RE = re.compile(r"\b(?:https?://|www\.)\S+|\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
# Curly quotes pair reliably; straight double quotes pair within a paragraph.
QUOTE_RE = re.compile(r"“[^”\n]{1,2000}”|\"[^\"\n]{1,2000}\"|«[^»\n]{1,2000}»")
SENT_END_RE = re.compile(r"(?<=[.!?…])[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n+")

# Which edit kinds may touch which protected label.
ALLOWED_IN: dict[str, frozenset[str]] = {
    "number": frozenset(),
    "url": frozenset(),
    "markup": frozenset(),
    "ignored": frozenset(),
    "quote": frozenset(
        {"spintax", "loop", "repeat", "hyphen", "spacing", "encoding", "name", "currency", "punctuation",
         "spun-quote", YEAR_KIND}
    ),
}


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    label: str


@dataclass
class Document:
    """Text plus its spans.  Build a new one for each stage: it is cheap and immutable."""

    text: str
    extra_protected: tuple[Span, ...] = ()
    meta: dict[str, object] = field(default_factory=dict)

    @cached_property
    def tokens(self) -> list[tuple[int, int]]:
        return [m.span() for m in TOKEN_RE.finditer(self.text)]

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        pos = 0
        for m in SENT_END_RE.finditer(self.text):
            if m.start() > pos:
                spans.append((pos, m.start()))
            pos = m.end()
        if pos < len(self.text):
            spans.append((pos, len(self.text)))
        return spans

    @cached_property
    def protected(self) -> list[Span]:
        spans = [Span(*m.span(), "number") for m in NUMBER_RE.finditer(self.text)]
        spans += [Span(*m.span(), "url") for m in URL_RE.finditer(self.text)]
        spans += [Span(*m.span(), "quote") for m in QUOTE_RE.finditer(self.text)]
        spans += list(self.extra_protected)
        spans.sort(key=lambda s: (s.start, s.end))
        return spans

    @cached_property
    def _protected_starts(self) -> list[int]:
        return [s.start for s in self.protected]

    @cached_property
    def _max_len(self) -> int:
        return max((s.end - s.start for s in self.protected), default=0)

    def protected_at(self, start: int, end: int) -> list[Span]:
        """Protected spans that overlap ``start..end`` (a zero-width span: strictly inside)."""
        lo = bisect.bisect_left(self._protected_starts, start - self._max_len)
        out = []
        for s in self.protected[lo:]:
            if s.start >= max(end, start + 1):
                break
            if start == end:
                if s.start < start < s.end:
                    out.append(s)
            elif s.start < end and start < s.end:
                out.append(s)
        return out

    def allows(self, start: int, end: int, kind: str) -> bool:
        """May an edit of ``kind`` change ``text[start:end]``?"""
        for s in self.protected_at(start, end):
            allowed = ALLOWED_IN.get(s.label, frozenset())
            if s.label == "number":
                # "&#233;" is an encoded character, not a number.
                if kind == "encoding" and NUMERIC_ENTITY_RE.fullmatch(self.text[start:end]):
                    continue
                # Spacing fixes may touch the edge of an amount ("£ 30m"), never its digits.
                if kind in ("currency", "spacing") and not _touches_digits(self.text, s, start, end):
                    continue
                # The spinner's "12 months" for "year" is the one number an edit may remove.
                if kind == YEAR_KIND and self.text[s.start : s.end] == "12":
                    continue
                return False
            if kind not in allowed:
                return False
        return True

    def in_quote(self, pos: int) -> bool:
        return any(s.label == "quote" for s in self.protected_at(pos, pos + 1))

    def sentence_of(self, pos: int) -> tuple[int, int]:
        sents = self.sentences
        starts = [s for s, _ in sents]
        i = max(0, bisect.bisect_right(starts, pos) - 1)
        return sents[i] if sents else (0, len(self.text))

    def words(self) -> Iterable[re.Match[str]]:
        return WORD_RE.finditer(self.text)


def _touches_digits(text: str, span: Span, start: int, end: int) -> bool:
    lo, hi = max(span.start, start), min(span.end, end)
    return any(ch.isdigit() for ch in text[lo:hi])


def digits_of(s: str) -> str:
    """The digits of a string, in order: an edit must leave them as they are."""
    return "".join(ch for ch in s if ch.isdigit())
