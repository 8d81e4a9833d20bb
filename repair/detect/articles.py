"""a/an agreement, by the sound that follows, run after every other fix.

"an" goes before a vowel sound, "a" before a consonant sound: "an hour", "a university",
"a one-off", "an MP", "a US", "an FBI", "a European".  Spelling decides most words;
short lists cover the words whose first sound their spelling hides.  Numbers are skipped
(how "8" or "11" is read depends on the reader), and so is "A" that is not an article
("Plan A", a grade, a variable): only lowercase "a"/"an", or "A"/"An" that starts a
sentence, is taken for an article.
"""

from __future__ import annotations

import re

from repair.document import Document
from repair.edits import Edit
from repair.pipeline import Context, StageOutput, register

# An opening quote may stand between: 'a “important” partner'.
ARTICLE_RE = re.compile(
    r"(?<![\w'’.-])(a|an|A|An)([ \t]+[“\"‘]?)([^\W\d_][\w'’]*(?:-[\w'’]+)*)(?![\w'’])"
)
VOWELS = "aeiou"
# One or two small letters before capitals: "mRNA", "siRNA", "snRNA".
MIXED_INITIALISM_RE = re.compile(r"^[a-z]{1,2}[A-Z]{2,}")
# Letter names that start with a vowel sound: "an F", "an MP", "an SNP", "an X-ray".
VOWEL_LETTERS = frozenset("AEFHILMNORSX")
# Acronyms read as words, so spelling rules apply: "a NATO summit", "an OPEC deal".
WORD_ACRONYMS = frozenset(
    """
    nato nasa unesco unicef opec fifa uefa nafta aids asean isis ofcom ofsted ofgem ofwat
    sars covid acas nice interpol europol eurostat unison unite mercosur swat laser radar
    scuba nimby ukip aukus
    """.split()
)
# Silent h: "an hour", "an honest man", "an heir".
SILENT_H = ("hour", "honest", "honour", "honor", "heir")
# Either article is standard: "a/an historic", "a/an hotel", "a/an herb", "a/an homage".
EITHER_H = ("histor", "hotel", "herb", "homage", "hereditar", "habitual", "hypothe")
# Vowel letter, consonant sound (a "y" or "w" glide).
YOO_PREFIXES = tuple(
    """
    eu ew unanim unary ubiq uk ufo ouija use usa usu uti uto ute ura uri uro ure uvu uga
    """.split()
)
ONE_WORDS = frozenset({"one", "ones", "once", "oneness", "onesie", "oneself"})
# "uni..." is "yoo-ni" except where "un-" is a prefix: "an unintended", "an unidentified".
UN_PREFIX_UNI = ("unim", "unin", "unid", "unir")
# Words that cannot follow an article: "a"/"an" before them is another kind of damage.
NOT_AFTER_ARTICLE = frozenset(
    "to of in on at by for with from the a an and or but is are was were be been".split()
)
# Nouns before which "A" names a letter or grade rather than an article.
LETTER_CONTEXT = frozenset(
    """
    vitamin plan type grade category class group section part point option exhibit figure
    appendix tier series schedule article division league model size level block row
    column route wing side team box zone channel key note letter
    """.split()
)


def _zipf(word: str) -> float:
    from repair.freq import zipf

    return zipf(word.lower())


def _u_sound(w: str) -> tuple[str, float] | None:
    """First sound of a word that starts with "u"."""
    if w.startswith("uni"):
        if not w.startswith(UN_PREFIX_UNI):
            return "consonant", 0.95
        return "vowel", 0.9
    if w.startswith("un"):
        return "vowel", 0.95  # "an unusual", "an unexpected"
    if len(w) >= 3 and w[1] not in VOWELS and w[1] != "y" and w[2] in VOWELS + "y":
        return "consonant", 0.85  # "a usual", "a utility"; but "an umami", "an Uber"
    if len(w) >= 3 and w[1] not in VOWELS and w[2] not in VOWELS:
        return "vowel", 0.95  # "an ultimate", "an upper", "an urge"
    return None


def word_sound(word: str) -> tuple[str, float] | None:
    """("vowel" | "consonant", confidence) for the first sound of ``word``; None if unsure."""
    head = word.split("-")[0]
    if not head or not head[0].isalpha():
        return None
    letters = head.replace("'", "").replace("’", "")
    if len(letters) == 1:
        if "-" not in word:
            return None  # "a x": a variable, a letter, a grade
        return ("vowel" if letters.upper() in VOWEL_LETTERS else "consonant"), 0.9
    if MIXED_INITIALISM_RE.match(letters):
        # "mRNA", "tRNA", "siRNA": the small letters are read by their names ("an mRNA").
        return ("vowel" if letters[0].upper() in VOWEL_LETTERS else "consonant"), 0.9
    if letters.isupper() and letters.lower() not in WORD_ACRONYMS:
        # An initialism is read letter by letter: "an MP", "a US", "an FBI".
        conf = 0.9 if len(letters) <= 4 else 0.75
        if letters[0] == "H":
            conf = 0.8  # "a HDTV": many readers say "haitch"
        if letters[0] in "FHLMNRSX" and len(letters) >= 3 and letters[1] in "AEIOU":
            conf = min(conf, 0.6)  # "a FISA warrant", "a NASA probe": may be read as a word
        elif letters[0] in "FHLMNRSX" and len(letters) >= 4 and any(c in "AEIOU" for c in letters[2:]):
            conf = min(conf, 0.75)  # "a RFRA law", "a MRSA case": a vowel later may make a word
        return ("vowel" if letters[0] in VOWEL_LETTERS else "consonant"), conf
    w = letters.lower()
    proper = head[0].isupper()
    if w.startswith(SILENT_H):
        return "vowel", 0.95
    if w.startswith(EITHER_H):
        return None
    if w in ONE_WORDS or w.startswith(("one-", "onetime")) or word.lower().startswith("one-"):
        return "consonant", 0.95
    if w.startswith(YOO_PREFIXES):
        return "consonant", 0.95
    if w[0] == "u":
        got = _u_sound(w)
        if got is None:
            return None
        sound, conf = got
        return sound, (min(conf, 0.8) if proper else conf)  # "an Uber", "an Uzbek"
    if w[0] in VOWELS:
        return "vowel", (0.92 if proper else 0.95)
    if w[0] == "y":
        if len(w) > 1 and w[1] not in VOWELS:
            return None  # "Yvonne", "ytterbium"
        return "consonant", 0.95
    if w[0] == "h":
        return "consonant", (0.9 if proper else 0.95)
    if w[0] == "x":
        # "an Xbox", "an X-ray", "an Xmas card": "ex" before a consonant; "a xylophone" and
        # "a Xinhua report" are less sure (z-, sh-), so say nothing there.
        if len(w) > 1 and w[1] not in VOWELS and w[1] != "y":
            return "vowel", 0.9
        return None
    return "consonant", (0.92 if proper else 0.95)


def _starts_sentence(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t“\"‘'([":
        i -= 1
    return i < 0 or text[i] in ".!?\n:"


def _prev_word(text: str, pos: int) -> str:
    m = re.search(r"([^\W\d_]+)[ \t]*$", text[max(0, pos - 40) : pos])
    return m.group(1).lower() if m else ""


def article_edit(doc: Document, m: re.Match[str]) -> Edit | None:
    text = doc.text
    article, word = m.group(1), m.group(3)
    if article[0] == "A" and not _starts_sentence(text, m.start()):
        return None  # "Plan A", "grade A", a name
    if article[0] == "A" and word.isupper() and len(word) > 1:
        return None  # an all-caps headline
    if _prev_word(text, m.start()) in LETTER_CONTEXT:
        return None
    if word.lower() in NOT_AFTER_ARTICLE:
        return None  # "an to be freelance": the damage is elsewhere, not in the article
    got = word_sound(word)
    if got is None:
        return None
    sound, conf = got
    want = "an" if sound == "vowel" else "a"
    if article.lower() == want:
        return None
    if article.lower() == "an" and word.lower().startswith("h") and sound == "consonant":
        conf = min(conf, 0.6)  # "an historic"-style usage is old but not wrong
    after = want.capitalize() if article[0] == "A" else want
    why = "a vowel" if sound == "vowel" else "a consonant"
    reason = f"a/an agreement: {word!r} starts with {why} sound, so {after!r}"
    return Edit(m.start(1), m.end(1), article, after, "article", reason, conf)


@register("articles")
def fix_articles(doc: Document, ctx: Context) -> StageOutput:
    edits = []
    for m in ARTICLE_RE.finditer(doc.text):
        e = article_edit(doc, m)
        if e is not None:
            edits.append(e)
    return StageOutput(edits=edits)
