"""Repetition loops: a phrase repeated in a row collapses to one; doubled words go.

MT systems and spinners sometimes loop ("to save itself, to save itself, to save itself")
or stutter ("who, who", "the the").  English repeats words on purpose too: "had had",
"that that", "very very", "bye bye", "New York, New York", chanted slogans in quotes.  So a
single doubled word is fixed only when it is a function word that is never doubled in
good English, or a common noun that a spun text doubles where clean text never does
("video video games"); capitalised phrases (names) are left alone; inside quoted speech
only long loops are collapsed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from repair.document import Document
from repair.edits import Edit
from repair.pipeline import Context, StageOutput, register

WORD_RE = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
# What may stand between two copies: spaces, optionally after a comma.
COPY_SEP_RE = re.compile(r",?[ \t]+")
# Inside a phrase, words are separated by spaces or a comma (no sentence punctuation).
INNER_SEP_RE = re.compile(r",?[ \t]+")
MAX_PHRASE = 12

# Function words that good English never doubles ("the the", "who who").  Words that can
# double legitimately are absent on purpose: "had had", "that that", "what it is is",
# "what it was was", "gave her her book", "the can can", "the will will be read".
NEVER_DOUBLED = frozenset(
    """
    a an the and or but nor than who whom whose which its their our my your
    whether these those this
    """.split()
)
# Prepositions double when one is stranded: "what he asked for for years".  Suggest only.
STRANDABLE = frozenset("of to for with at from into onto about".split())
# After a comma a word may end one clause and start the next ("eluded her, her status"):
# only words that cannot end a clause count as doubled there.
NO_CLAUSE_END = frozenset(
    "a an the and or but nor than who whom whose which its their our my your".split()
)
# "on and on", "over and over", "day after day after day": a word around a connective.
CONNECTIVES = frozenset("and or by after to upon for".split())
# "arm in arm", "hand in hand", "one on one": followed by the same preposition, they look
# like a two-word phrase said twice.
IDIOM_LINKS = frozenset("in on".split())
# Doubled on purpose; never flagged even as a suggestion.
LEGIT_DOUBLE = frozenset(
    """
    had that is do does did very really so no yes bye bye-bye ha ho hee oh ah well never
    now there come go knock tut boo yeah please wait hush pooh chop night bang boom choo
    hip round over out on off in up down by through far more many much long again
    blah la ta ding dong tick tock quick chin cha mea yada
    """.split()
)


# A spinner that expands a word into a phrase ("games" -> "video games") stutters after a
# word the phrase starts with: "addictive video video games".  In a document that looks
# spun (the lexicon stage's score, seen from the second pass on), a lower-case common noun
# doubled where the n-gram table of clean text (~25M words) never has it twice loses one
# copy.  Writers double words too, so not: a verb after its subject clause ("people who
# smoke smoke outside", "what it means means"), adjectives and adverbs ("a big big
# mistake"), rare words ("mahi mahi"), pronouns and numbers; elsewhere it stays a suggestion.
# On 6.7M words of clean BBC, AllSides and Wikipedia text read as spun it fires 5 times, all
# on the source's own typos ("last week week", "peace talks talks").
UNSEEN_DOUBLE_CONF = 0.9
SPUN_FOR_UNSEEN_DOUBLE = 0.5  # the lexicon stage's own bar for applying in spun text
UNSEEN_DOUBLE_MIN_COUNT = 500  # the word's count in the n-gram table
SUBJECT_ENDS = frozenset(
    """who that which what whatever whoever whichever we they you i he she it one people
    this these those there""".split()
)
NOT_DOUBLED_NOUNS = frozenset("way him her them us me it one two three four five six seven eight nine ten".split())


def _stutter_noun(word: str, prev: str | None) -> bool:
    """A common lower-case noun whose doubling the n-gram table never saw, not after a
    subject (where the second copy is a verb)."""
    if not word.isalpha() or not word.islower() or len(word) < 3 or word in NOT_DOUBLED_NOUNS:
        return False
    if prev is not None and prev in SUBJECT_ENDS:
        return False
    import lemminflect  # lazily: only a doubled word gets here

    if "NOUN" not in lemminflect.getAllLemmas(word):
        return False
    from repair.lm import get_lm  # memory-mapped once per process

    lm = get_lm()
    return lm is not None and lm.count(word, word) == 0 and lm.count(word) >= UNSEEN_DOUBLE_MIN_COUNT


@dataclass(frozen=True)
class Word:
    start: int
    end: int
    text: str

    @property
    def key(self) -> str:
        return self.text.lower().replace("’", "'")


def _words(text: str) -> list[Word]:
    return [Word(m.start(), m.end(), m.group()) for m in WORD_RE.finditer(text)]


class _Words:
    """The text's words as ``Word``s, made only for the few positions an edit looks at."""

    __slots__ = ("starts", "ends", "texts")

    def __init__(self, starts: list[int], ends: list[int], texts: list[str]) -> None:
        self.starts, self.ends, self.texts = starts, ends, texts

    def __len__(self) -> int:
        return len(self.texts)

    def __getitem__(self, i):  # type: ignore[no-untyped-def]
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        return Word(self.starts[i], self.ends[i], self.texts[i])


def _same_copy(keys: list[str], texts: list[str], gaps: list[str], a: int, b: int, n: int) -> bool:
    """Is the phrase of n words at b the same, spaced the same way, as the one at a?

    Only the first word may differ in case.
    """
    if keys[a] != keys[b]:
        return False
    for k in range(1, n):
        if keys[a + k] != keys[b + k] or texts[a + k] != texts[b + k]:
            return False
        if gaps[a + k - 1] != gaps[b + k - 1]:
            return False
    return True


def _copies(
    keys: list[str], texts: list[str], gaps: list[str], copy_ok: list[bool], i: int, n: int
) -> int:
    """How many copies of the n words from i stand in a row (1 = no repeat)."""
    count = 1
    total = len(keys)
    while True:
        b = i + count * n
        if b + n > total:
            return count
        if not copy_ok[b - 1] or not _same_copy(keys, texts, gaps, i, b, n):
            return count
        count += 1


def _is_name(words: list[Word], i: int, n: int) -> bool:
    """A capitalised phrase ("New York, New York", "Bora Bora") repeats on purpose."""
    content = [w for w in words[i : i + n] if w.key not in NEVER_DOUBLED]
    return bool(content) and all(w.text[0].isupper() for w in content)


def loop_edit(
    doc: Document, words: list[Word], i: int, n: int, count: int, spun: float = 0.0
) -> Edit | None:
    """Delete copies 2..count of the phrase starting at word i, with their separators.

    ``spun``: the document's spun score, when a stage has set it."""
    text = doc.text
    if _is_name(words, i, n):
        return None
    first_end = words[i + n - 1].end
    last_end = words[i + count * n - 1].end
    phrase = text[words[i].start : first_end]
    quoted = doc.in_quote(words[i].start)
    if n == 1:
        key = words[i].key
        comma = "," in text[first_end:last_end]
        if key in LEGIT_DOUBLE or (comma and key not in NO_CLAUSE_END):
            return None
        if key in NEVER_DOUBLED:
            conf = 0.95
            reason = f"doubled word: {phrase!r} twice in a row, which English never does"
        elif key in STRANDABLE:
            conf = 0.85
            reason = f"doubled word: {phrase!r} twice in a row; unless a preposition is stranded"
        elif quoted:
            return None  # "Never, never, never": rhetoric in quoted speech
        elif (count == 2 and not comma and spun >= SPUN_FOR_UNSEEN_DOUBLE
              and words[i + 1].text == words[i].text
              and _stutter_noun(words[i].text, words[i - 1].key if i > 0 else None)):
            conf = UNSEEN_DOUBLE_CONF
            reason = (f"doubled word: {phrase!r} twice in a row, which the n-gram table of clean "
                      f"text never shows, in a text that looks spun (score {spun:.2f})")
        else:
            conf = 0.6
            reason = f"repeated word: {phrase!r} {count} times in a row; may be emphasis"
        kind = "repeat"
    else:
        if n == 2 and (words[i].key in CONNECTIVES or words[i + 1].key in CONNECTIVES):
            return None  # "on and on and on", "bigger and bigger and bigger"
        if n == 2 and count == 2 and words[i + 1].key in IDIOM_LINKS:
            return None  # "arm in arm in the crowd", "one on one on Sunday": an idiom, then on
        if words[i + n - 1].key in CONNECTIVES:
            conf = 0.8  # "they worked and they worked and they worked": polysyndeton
        elif count >= 3:
            conf = 0.95 if not quoted else (0.92 if n >= 3 else 0.8)
        elif "," in text[first_end:last_end]:
            conf = 0.8  # "how terrible, how terrible": twice with a comma is often rhetoric
        elif n >= 3:
            conf = 0.92 if not quoted else 0.8
        else:
            conf = 0.9 if not quoted else 0.7
        reason = f"repetition loop: {phrase!r} {count} times in a row; kept one"
        kind = "loop"
    return Edit(first_end, last_end, text[first_end:last_end], "", kind, reason, conf)


def _plain_gaps(gaps: list[str], rx: re.Pattern[str]) -> list[bool]:
    return [g == " " or rx.fullmatch(g) is not None for g in gaps]


def phrase_loops(doc: Document, spun: float = 0.0) -> list[Edit]:
    text = doc.text
    starts: list[int] = []
    ends: list[int] = []
    texts: list[str] = []
    for m in WORD_RE.finditer(text):
        s, e = m.span()
        starts.append(s)
        ends.append(e)
        texts.append(text[s:e])
    total = len(texts)
    if total < 2:
        return []
    keys = [t.lower().replace("’", "'") for t in texts]  # as Word.key
    gaps = [text[ends[k] : starts[k + 1]] for k in range(total - 1)]
    # A phrase's words are joined by INNER_SEP_RE gaps; its copies by COPY_SEP_RE gaps.
    inner_ok = _plain_gaps(gaps, INNER_SEP_RE)
    same_rx = COPY_SEP_RE.pattern == INNER_SEP_RE.pattern
    copy_ok = inner_ok if same_rx else _plain_gaps(gaps, COPY_SEP_RE)
    words = _Words(starts, ends, texts)
    edits: list[Edit] = []
    i = 0
    while i < total:
        found = None
        key = keys[i]
        for n in range(1, MAX_PHRASE + 1):
            if i + 2 * n > total:
                break
            if n > 1 and not inner_ok[i + n - 2]:
                break  # the phrase would run over punctuation
            if keys[i + n] != key:
                continue  # a copy would start with the same word
            count = _copies(keys, texts, gaps, copy_ok, i, n)
            if count >= 2:
                found = (n, count)
                break
        if found is None:
            i += 1
            continue
        n, count = found
        edit = loop_edit(doc, words, i, n, count, spun)  # type: ignore[arg-type]
        if edit is not None:
            edits.append(edit)
            i += n * count
        else:
            i += 1
    return edits


DASH_RE = re.compile(r"[ \t]+[–—-][ \t]+")
ASIDE_END_RE = re.compile(r"[.!?;:,]*$")


def repeated_asides(doc: Document) -> list[Edit]:
    """A dash-delimited aside that comes back later in the same sentence: drop the repeat."""
    text = doc.text
    edits: list[Edit] = []
    if DASH_RE.search(text) is None:
        return edits  # no dash anywhere, so no sentence has two
    for s_start, s_end in doc.sentences:
        dashes = list(DASH_RE.finditer(text, s_start, s_end))
        if len(dashes) < 2:
            continue
        seen: set[str] = set()
        for k, d in enumerate(dashes):
            seg_end = dashes[k + 1].start() if k + 1 < len(dashes) else s_end
            segment = text[d.end() : seg_end]
            core = ASIDE_END_RE.sub("", segment)
            key = " ".join(core.lower().split())
            n_words = len(WORD_RE.findall(core))
            if n_words < 3:
                continue
            if key in seen:
                end = d.end() + len(core)
                conf = 0.9 if n_words >= 4 else 0.85
                reason = (
                    f"repetition loop: the aside {core!r} already stands earlier in this sentence"
                )
                edits.append(Edit(d.start(), end, text[d.start() : end], "", "loop", reason, conf))
            else:
                seen.add(key)
    return edits


@register("loops")
def fix_loops(doc: Document, ctx: Context) -> StageOutput:
    return StageOutput(edits=phrase_loops(doc, ctx.scores.get("spun_score", 0.0)) + repeated_asides(doc))
