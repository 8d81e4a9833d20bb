"""The encoding stage skips ftfy only for lines ftfy provably leaves alone."""

from __future__ import annotations

import random
from re import _compiler as sre_compile  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]

import pytest

ftfy = pytest.importorskip("ftfy")

from ftfy.badness import BADNESS_RE  # noqa: E402
from ftfy.chardata import CONTROL_CHARS  # noqa: E402

from repair.detect import encoding  # noqa: E402

ASCII = {chr(i) for i in range(0x20, 0x7F)} | {"\t"}
MATCHERS = (sre_parse.LITERAL, sre_parse.NOT_LITERAL, sre_parse.IN, sre_parse.ANY)


def _unsafe_branches() -> tuple[list[str], int]:
    """Badness patterns a line of ASCII and spaced-out safe characters could match.

    Each alternative of BADNESS_RE is a sequence of elements.  An element that matches no
    character of ASCII + the safe set makes the alternative impossible; one that matches no
    ASCII character needs a safe non-ASCII one.  An alternative that needs two such
    characters, d positions apart, cannot match a line whose non-ASCII characters all stand
    more than d apart.  Returns the alternatives that remain possible, and the largest such
    d (the gap the fast path must exceed).
    """
    alphabet = ASCII | encoding._FTFY_SAFE
    parsed = sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    [(op, (_, alternatives))] = list(parsed)
    assert op == sre_parse.BRANCH
    unsafe, gap = [], 0
    for alt in alternatives:
        required: list[int | None] = []  # positions of elements that need a non-ASCII char
        pos: int | None = 0
        impossible = False
        for item in alt:
            if item[0] not in MATCHERS:
                # anchors take no room; anything else (optional parts) makes positions unknown
                if item[0] != sre_parse.AT:
                    pos = None
                continue
            rx = sre_compile.compile(sre_parse.SubPattern(parsed.state, [item]), BADNESS_RE.flags)
            chars = {c for c in alphabet if rx.fullmatch(c)}
            if not chars:
                impossible = True
                break
            if not chars & ASCII:
                required.append(pos)
            pos = None if pos is None else pos + 1
        if impossible:
            continue
        if len(required) < 2 or None in required[:2]:
            unsafe.append(str(alt))
            continue
        pairs = zip(required, required[1:], strict=False)
        gap = max(gap, min(b - a for a, b in pairs if a is not None and b is not None))
    return unsafe, gap


def test_safe_characters_cannot_trigger_ftfy():
    unsafe, gap = _unsafe_branches()
    assert not unsafe, "a badness pattern matches with one 'safe' character"
    assert gap < encoding._MIN_GAP
    for c in encoding._FTFY_SAFE:
        assert ord(c) not in CONTROL_CHARS
        assert not 0x80 <= ord(c) <= 0x9F and not 0xD800 <= ord(c) <= 0xDFFF


def test_lines_it_skips_come_back_unchanged_from_ftfy():
    rnd = random.Random(11)
    safe = sorted(encoding._FTFY_SAFE)
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'\"()-&$%"
    skipped = 0
    for _ in range(3000):
        line = "".join(
            rnd.choice(safe) if rnd.random() < 0.25 else rnd.choice(letters)
            for _ in range(rnd.randint(1, 40))
        )
        if encoding.ftfy_leaves_alone(line):
            skipped += 1
            assert encoding.explain_line(line)[0] == line
    assert skipped > 300


def test_mojibake_and_entities_still_go_to_ftfy():
    for line in ("Itâ€™s", "cafÃ© au lait", "Tom &amp; Jerry", "£“", "Ã ", "a\x85b", "’”"):
        assert not encoding.ftfy_leaves_alone(line), line
    assert encoding.line_edits(0, "It costs £5 in Micheál’s shop – “really”.") == []
    assert encoding.ftfy_leaves_alone("he’s “open” to it")
