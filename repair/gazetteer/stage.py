"""The ``names`` stage: restore names that machine translation mangled, with the evidence.

How it decides, most certain first:

1. **Known names stay.**  A word that is a curated name, a common word, or a name the
   wider gazetteer knows is never "fixed" on its own; a correct rare name (Hegseth,
   Zakharova) stays.
2. **Full names against the gazetteer.**  A run of capitalised words ("Kir Stmper", after
   the title "Sir") is matched as a whole against curated multi-word names.  It is replaced
   when the score is high and well ahead of the runner-up; when every word is itself a
   known name ("Mitchell Martin") the context must also name the role ("Prime Minister",
   "Ireland" for Micheál Martin).
3. **Evidence in the same text or batch.**  Once a full name is seen or restored, its
   surname and (after Sir/Dame) its given name are targets for variants elsewhere:
   "Hele" → "Healey" after "John Hella" → "John Healey".  A rare word that closely
   resembles a name written more often, or written as a known word, elsewhere in the
   text is a variant of it ("Rshede" → "Rasheed" when "Rasheed" appears twice).
4. **Single words against prominent entities** ("Enduril" → "Anduril", "Mercesis" →
   "Merseyside" after "in"), with type fit: titles point to people, "in"/"at" to places.

Everything below the calibrated confidence becomes a suggestion, not an edit.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from repair.document import Document
from repair.edits import Edit
from repair.gazetteer.countries import countries_in, country_of
from repair.gazetteer.match import Candidate, Matcher, combined, phonetic_key
from repair.gazetteer.pairs import corpus_pair
from repair.gazetteer.store import Gazetteer, first_class, load, normalise, surname_of
from repair.pipeline import Context, StageOutput, register

WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*(?:-[^\W\d_]+(?:['’][^\W\d_]+)*)*")

# Words before a name that say it is a person's.  Titles break a run of capitalised words.
TITLES = frozenset(
    """sir dame mr mrs ms miss dr lord lady baroness baron king queen prince princess duke
    duchess president minister secretary chancellor senator governor general gen pope
    premier taoiseach mayor judge ambassador commissioner professor prof rev reverend sheikh
    ayatollah emperor speaker mp mep captain colonel col admiral sergeant chairman chairwoman
    chair spokesman spokeswoman spokesperson director chief leader envoy deputy vice
    first prime foreign defence defense finance home interior justice health state
    treasury attorney foreign-minister coach manager striker""".split()
)
# Titles that point at a person directly before their name (not role nouns like "Foreign").
PERSON_TITLES = frozenset(
    """sir dame mr mrs ms miss dr lord lady baroness king queen prince princess president
    minister secretary chancellor senator governor general pope premier taoiseach mayor
    ambassador commissioner professor sheikh ayatollah emperor speaker chairman chairwoman
    spokesman spokeswoman spokesperson envoy leader director coach manager striker""".split()
)
GIVEN_NAME_TITLES = frozenset({"sir", "dame"})
PLACE_NOUNS = frozenset(
    "capital city town village county province region district suburb port".split()
)
PLACE_CUES = frozenset({"in", "at", "from", "near", "outside", "across", "of"}) | PLACE_NOUNS
PARTICLES = frozenset(
    "von van der den de del della di da dos du la le al el bin ibn zu ter ten".split()
)
COMMON_ZIPF = 3.0  # a word at least this frequent is a word, not a mangled name
COMMON_WORD_ZIPF = 4.5  # ... and this frequent, an ordinary word even when capitalised
RARE_ZIPF = 1.0  # below this a capitalised word is unknown to general English

# Calibrated on the dev file and clean BBC text (see benchmarks/bench_names.py).
APPLY = 0.92
SUGGEST = 0.6
# First letters a mangling may change into each other (see ``_mangling_shape``).
INITIAL_VOWELS = frozenset("aeiouy")
SOUND_ALIKE_INITIALS = frozenset({("c", "k"), ("k", "c"), ("s", "z"), ("z", "s"), ("c", "s"), ("s", "c")})
SPUN = 0.5  # the lexicon stage's document spun score above which a text counts as damaged


@dataclass(frozen=True, slots=True)
class Word:
    start: int
    end: int
    text: str
    initial: bool  # first word of a sentence, line or quotation

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()


@dataclass
class Segment:
    """A run of capitalised words that may be one name, with the cue before it."""

    words: list[Word]
    title: str = ""  # the title word right before, lowercased ("sir", "president")
    cue: str = ""  # the lowercase word right before ("in", "at", "spokesman")
    context: set[str] = field(default_factory=set)  # lowercased words before it in the sentence
    countries: frozenset[str] | None = None  # countries the sentence names before it (lazy)

    @property
    def start(self) -> int:
        return self.words[0].start

    @property
    def end(self) -> int:
        return self.words[-1].end


@dataclass
class Proposal:
    start: int
    end: int
    before: str
    after: str
    confidence: float
    reason: str
    entity: int | None = None


@lru_cache(maxsize=200_000)
def zipf(word: str) -> float:
    from repair.freq import zipf

    return zipf(word.lower())


@lru_cache(maxsize=200_000)
def attested(word: str) -> bool:
    """Does the shipped n-gram table know this word (a count of two or more in 33M words of
    news and Wikipedia, BBC counted three times)?  A mangled name almost never is: in the
    synthetic check none of the 135 right restorations changed an attested word, and 6 of
    the 39 wrong ones did ('Juninho', 'Pozzebon').  False without the table."""
    from repair.lm import get_lm, norm_token

    lm = get_lm()
    return lm is not None and lm.count(norm_token(word)) > 0


KNOWN_WORD_CAP = 0.75  # a fix that changes an attested word, or writes an unattested census name
# Each word of a full name must be this close to the name's word: 'Kurylenko' (64) is no
# 'Kuzenkova', while 'Hella' (70) is Healey.
WORD_FLOOR = 68


def _known_word_note(word: str) -> str:
    return f"; only a suggestion: '{word}' is itself a word the news corpus knows"


def _attested_change(written: list[str], target: list[str]) -> str | None:
    """A word the fix respells although the n-gram table knows it, when every respelled word
    is such a word ('John Reade' → 'John Reid'); None when one of them is unattested, as a
    mangling is ('Justin Henin-Hardnen' → 'Justine Henin-Hardenne')."""
    if len(written) != len(target):
        return None
    changed = [a for a, b in zip(written, target, strict=True) if normalise(a) != normalise(b)]
    if changed and all(attested(a) for a in changed):
        return changed[0]
    return None


@lru_cache(maxsize=8)
def _matcher(extra: tuple[str, ...]) -> Matcher:
    return Matcher(load(extra))


def matcher_for(ctx: Context) -> Matcher:
    return _matcher(tuple(ctx.config.gazetteer))


# ---------------------------------------------------------------- reading the text


_OPENERS = frozenset(".!?:;\"“”‘'(\n[—–-")  # after these (and spaces) a word starts afresh
_SENTENCE_GAP_RE = re.compile(r"[.!?\n]")
# A segment's context is at most this many words back: longer "sentences" are run-on text with
# no stops (a page flattened to one line), where the whole-sentence set made reading quadratic.
CONTEXT_WORDS = 200


def words_of(text: str) -> list[Word]:
    out = []
    for m in WORD_RE.finditer(text):
        start, end = m.span()
        # Initial: only spaces or tabs (within 40 characters) between the text's start, or
        # an opening mark, and the word.
        lo = start - 40 if start > 40 else 0
        k = start
        while k > lo and text[k - 1] in " \t":
            k -= 1
        initial = k == 0 or (k > lo and text[k - 1] in _OPENERS)
        word = m.group()
        if word[-2:] in ("'s", "’s") and len(word) > 3:  # possessive: the name is the rest
            word, end = word[:-2], end - 2
        out.append(Word(m.start(), end, word, initial))
    return out


def segments_of(text: str, words: list[Word]) -> list[Segment]:
    """Runs of capitalised words joined by single spaces, split at titles.

    Each run records the title right before it ("Sir", "President"), the lowercase word
    right before it ("in", "spokesman") and the words of its sentence before it.
    """
    segs: list[Segment] = []
    sent = 0  # index of the first word of the current sentence
    i = 0
    n = len(words)
    while i < n:
        w = words[i]
        if i and _SENTENCE_GAP_RE.search(text, words[i - 1].end, w.start):
            sent = i
        if not _chainable(w, words, i, text):
            i += 1
            continue
        j = i + 1
        while (
            j < n
            and text[words[j - 1].end : words[j].start] == " "
            and not words[j].initial
            and _chainable(words[j], words, j, text)
        ):
            j += 1
        run = words[i:j]
        while run and run[-1].text.lower() in PARTICLES and not run[-1].cap:
            run.pop()
        if run:
            prev = words[i - 1] if i else None
            gap = text[prev.end : w.start] if prev else "\n"
            title = cue = ""
            if prev is not None and gap.strip() == "" and "\n" not in gap and not w.initial:
                cue = prev.text.lower()
                if cue in TITLES:
                    title = _title_before(words, i, text)
            elif prev is not None and gap == ", " and prev.text.lower() in PLACE_NOUNS:
                cue = prev.text.lower()  # "the capital, Kampala"
            context = {x.text.lower() for x in words[max(sent, i - CONTEXT_WORDS) : i]}
            segs.append(Segment(run, title, cue, context))
        i = max(j, i + 1)
    return segs


def _is_title(w: Word) -> bool:
    low = w.text.lower()
    return low in TITLES and (w.cap or low in PERSON_TITLES)


def _chainable(w: Word, words: list[Word], i: int, text: str) -> bool:
    if _is_title(w):
        return False
    if w.cap:
        return not (w.text.isupper() and len(w.text) > 1)
    return w.text.lower() in PARTICLES and _next_is_cap(words, i, text)


def _title_before(words: list[Word], i: int, text: str) -> str:
    """The person title in the run of title words right before word ``i`` ('Sir' in 'Prime Minister Sir')."""
    k = i - 1
    found = ""
    while k >= 0 and _is_title(words[k]):
        low = words[k].text.lower()
        if low in PERSON_TITLES and not found:
            found = low
        if k == 0 or text[words[k - 1].end : words[k].start] != " ":
            break
        k -= 1
    return found or words[i - 1].text.lower()


def _next_is_cap(words: list[Word], i: int, text: str) -> bool:
    if i + 1 >= len(words):
        return False
    nxt = words[i + 1]
    return nxt.cap and text[words[i].end : nxt.start] == " "


# ---------------------------------------------------------------- evidence


@dataclass
class Evidence:
    """Names this text (or batch) writes: what a variant may be restored to."""

    gz: Gazetteer
    countries: Counter[str] = field(default_factory=Counter)  # country code -> mentions
    counts: Counter[str] = field(default_factory=Counter)  # capitalised words as written
    entities: dict[int, str] = field(default_factory=dict)  # entity id -> how it was seen
    batch: dict[str, str] = field(default_factory=dict)  # normalised surname -> display
    _words: list[tuple[str, str, int]] | None = None
    _targets: list[tuple[str, str, str]] = field(default_factory=list)
    _targets_key: tuple[bool, int, int] | None = None
    _norms: list[str] = field(default_factory=list)
    damage: int = 0  # mangled names restored in this text so far: it is not clean text
    spun: bool = False  # the lexicon stage found this text spun or machine-translated

    @property
    def bold(self) -> bool:
        """Is this text damaged enough for the bolder rules: spun, or two names restored in it?
        One restoration alone may be wrong, and would then unlock every other change (a
        Wikipedia article on Yemen: 'Ahmed Ali Saana' taken for 'Ahmed al-Sharaa', then 17
        transliterations 'corrected')."""
        return self.spun or self.damage >= 2

    def main_country(self, code: str | None) -> bool:
        """Is ``code`` among the countries this text names most?"""
        if not code or code not in self.countries:
            return False
        return self.countries[code] * 2 >= max(self.countries.values())

    def nearby_words(self, q: str, limit: int = 12) -> list[tuple[str, str, int]]:
        """(word as written, normalised, count) of the text's capitalised words most like ``q``."""
        if self._words is None:
            self._words = [(w, normalise(w), c) for w, c in self.counts.items()]
            self._norms = [n for _, n, _ in self._words]
        hits = process.extract(q, self._norms, scorer=fuzz.ratio, score_cutoff=45, limit=limit)
        return [self._words[i] for _, _, i in hits]

    def see(self, eid: int, how: str) -> None:
        self.entities.setdefault(self.gz.person(eid), how)
        if how == "restored":
            self.damage += 1

    def targets_near(self, q: str, *, given: bool, limit: int = 12) -> list[tuple[str, str, str]]:
        """(normalised, display, why) of the evidence targets most like ``q``."""
        key = (given, len(self.entities), len(self.batch))
        if self._targets_key != key:
            self._targets = list((n, d, why) for n, (d, why) in self.targets(given=given).items())
            self._targets_key = key
        norms = [t[0] for t in self._targets]
        hits = process.extract(q, norms, scorer=fuzz.ratio, score_cutoff=30, limit=limit)
        return [self._targets[i] for _, _, i in hits]

    def targets(self, *, given: bool) -> dict[str, tuple[str, str]]:
        """normalised target -> (display, why): surnames (and given names) of seen entities."""
        out: dict[str, tuple[str, str]] = {}
        for eid, how in self.entities.items():
            name = self.gz.canonical[eid]
            if self.gz.type[eid] == "person" and " " in name:
                parts = [surname_of(name)]
                if given:
                    parts.append(name.split()[0])
            else:
                parts = [name]
            for p in parts:
                out.setdefault(normalise(p), (p, f"{how} '{name}' in this text"))
        for n, disp in self.batch.items():
            out.setdefault(n, (disp, f"'{disp}' is written elsewhere in this batch"))
        return out


@lru_cache(maxsize=100_000)
def known_tier(gz: Gazetteer, word: str) -> int:
    t = gz.token_tier(word)
    return 99 if t is None else t


def is_unknown(gz: Gazetteer, word: str) -> bool:
    """Neither a common word nor a name any list knows well: a candidate for repair."""
    return known_tier(gz, word) >= 5 and zipf(word) < RARE_ZIPF


def is_protected_name(gz: Gazetteer, word: str) -> bool:
    """A curated name or a common word: never changed on its own."""
    return known_tier(gz, word) <= 3 or zipf(word) >= COMMON_ZIPF


# ---------------------------------------------------------------- ranking

TIER_PRIOR = {1: 6.0, 2: 4.0, 3: 2.0, 4: -6.0, 5: -12.0}
PERSONS = ("person", "surname", "given")


@dataclass(frozen=True, slots=True)
class Ranked:
    cand: Candidate
    rank: float
    why: str  # the priors that moved it, for the reason


def rank(
    cands: list[Candidate],
    gz: Gazetteer,
    ev: Evidence,
    *,
    person_cue: bool,
    place_cue: bool,
    seg: Segment | None = None,
) -> list[Ranked]:
    """Candidates re-ranked by prominence (tier), type fit and country fit, best first."""
    strong_place = place_cue and seg is not None and seg.cue in PLACE_NOUNS
    out = []
    for c in cands:
        eid = c.entity
        t = gz.type[eid]
        r = c.score + TIER_PRIOR.get(gz.tier[eid], -12.0)
        why = []
        if person_cue and t in PERSONS:
            r += 4
            why.append("title fits a person")
        elif place_cue and t == "place":
            # 'the capital, Kamale' says place more surely than 'in Kamale' does
            r += 8 if strong_place else 4
            why.append(f"'{seg.cue}' fits a place" if strong_place and seg else "'in/at' fits a place")
        elif (person_cue and t == "place") or (place_cue and t in PERSONS):
            r -= 8
        country = country_of(gz.note[eid])
        if country and seg is not None and country in _local_countries(seg):
            r += 8
            why.append(f"the sentence names {country}")
        elif country and ev.countries:
            if country in ev.countries:
                main = ev.main_country(country)
                if gz.tier[eid] <= 3 or (main and t == "place"):
                    r += (6 if gz.tier[eid] <= 3 else 2) if main else 2
                    why.append(
                        f"the text is about {country}" if main else f"the text names {country}"
                    )
            elif t == "place" and gz.tier[eid] >= 3:
                r -= 10
        if gz.person(eid) in ev.entities:
            r += 8
            why.append("named elsewhere in this text")
        if seg is not None:
            role = _role_overlap(seg, gz.note[eid])
            if role:
                r += 3 * min(role, 3)
                why.append(f"{role} role word{'s' if role > 1 else ''} in context")
        out.append(Ranked(c, r, ", ".join(why)))
    out.sort(key=lambda x: -x.rank)
    return out


def _local_countries(seg: Segment) -> frozenset[str]:
    if seg.countries is None:
        seg.countries = frozenset(countries_in(" ".join(sorted(seg.context))))
    return seg.countries


def runner_up(ranked: list[Ranked], gz: Gazetteer) -> Ranked | None:
    """The best candidate that is another name (not another spelling of the same one)."""
    if not ranked:
        return None
    best = ranked[0].cand
    bn = gz.norms[best.form]
    owner = gz.person(best.entity)
    for r in ranked[1:]:
        if gz.person(r.cand.entity) == owner or gz.norms[r.cand.form] == bn:
            continue
        return r
    return None


def curated(gz: Gazetteer, eid: int) -> bool:
    return gz.source[eid].startswith("curated") or gz.source[eid].endswith((".tsv", ".csv"))


# ---------------------------------------------------------------- the stage


@register("names")
def fix_names(doc: Document, ctx: Context) -> StageOutput:
    m = matcher_for(ctx)
    gz = m.gz
    text = doc.text
    words = words_of(text)
    segs = segments_of(text, words)
    ev = Evidence(gz, countries_in(text), batch=ctx.evidence.setdefault("names", {}))
    ev.spun = ctx.scores.get("spun_score", 0.0) >= SPUN
    restored: set[str] = ctx.evidence.setdefault("names_restored", set())
    for w in words:
        if w.cap and (not w.initial or zipf(w.text) < COMMON_ZIPF):
            ev.counts[w.text] += 1
    proposals: list[Proposal] = []
    done: set[int] = set()  # word starts already handled

    # Pass 1: names the gazetteer knows exactly (evidence), and case slips in them.
    trimmed = [sub for seg in segs for sub in _trimmed(seg, gz)]
    for sub in trimmed:
        p = _exact(sub, gz, text, ev)
        if p is not None:
            proposals.append(p)
            done.update(w.start for w in sub.words)
        elif _known_span(sub, gz, ev):
            done.update(w.start for w in sub.words)

    # Pass 2: several words against curated full names.
    pending = [
        sub
        for sub in trimmed
        if len([w for w in sub.words if w.text.lower() not in PARTICLES]) >= 2
        and not any(w.start in done for w in sub.words)
    ]
    found = (
        m.search_many([text[s.start : s.end] for s in pending], limit=4, cutoff=60)
        if pending
        else []
    )
    for sub, cands in zip(pending, found, strict=True):
        p = _full_name(sub, text[sub.start : sub.end], cands, gz, ev)
        if p is not None:
            proposals.append(p)
            if p.confidence >= APPLY:
                done.update(w.start for w in sub.words)

    # Pass 3: single unknown words, against evidence first, then prominent entities.
    singles: list[tuple[Word, Segment]] = []
    for seg in trimmed:
        for w in seg.words:
            if w.start in done or not w.cap:
                continue
            for part in _parts(w):
                if part.text in restored:
                    continue  # a name this stage wrote: never respelled on a later pass
                if (
                    len(part.text) >= 3
                    and not _camel(part.text)
                    and not is_protected_name(gz, part.text)
                ):
                    singles.append((part, seg))
    if singles:
        found = m.search_many([w.text for w, _ in singles], limit=6, cutoff=60)
        todo = list(zip(singles, found, strict=True))
        for _round in range(2):  # a name restored in round one is evidence in round two
            # Only restored entities count as damage (ev.see); a word respelled after another
            # written in the text may be the writer's own typo, no sign of machine damage.
            seen = len(ev.entities)
            left = []
            for (w, seg), cands in todo:
                p = _single(w, seg, cands, gz, ev)
                if p is not None and p.confidence >= APPLY:
                    proposals.append(p)
                else:
                    left.append(((w, seg), cands, p))
            todo = [(ws, c) for ws, c, _ in left]
            if len(ev.entities) == seen:
                break
        # c. The news corpus: a one-letter variant written beside the same neighbour.
        for (w, seg), _cands, p in left:
            paired = _corpus_pair(w, seg, ev, text)
            if paired is not None and (p is None or paired.confidence > p.confidence):
                p = paired
            if p is not None:
                proposals.append(p)

    # What this text teaches the batch: surnames of the people it surely names.
    for eid in ev.entities:
        if gz.type[eid] == "person" and " " in gz.canonical[eid] and gz.tier[eid] <= 3:
            sn = surname_of(gz.canonical[eid])
            ev.batch.setdefault(normalise(sn), sn)

    damaged = any(p.confidence >= APPLY and _prominent_person(p, gz) for p in proposals)
    if not (ev.spun or damaged):
        for p in proposals:
            if p.confidence >= APPLY and not (_plain_typo(p, ev) or _prominent_person(p, gz)):
                p.confidence = min(p.confidence, CLEAN_CAP)
                p.reason += "; only a suggestion: this text does not look spun or machine-translated"
    restored.update(p.after for p in proposals if p.confidence >= APPLY)
    edits = [
        Edit(p.start, p.end, p.before, p.after, "name", p.reason, round(min(p.confidence, 0.99), 4))
        for p in proposals
        if p.after != p.before and p.confidence >= SUGGEST
    ]
    return StageOutput(edits=edits)


# In a text that does not look spun, a name fix is a suggestion unless it is a plain typo.
CLEAN_CAP = 0.85


def _plain_typo(p: Proposal, ev: Evidence) -> bool:
    """Is this fix, in clean-looking text, a one-off misspelling of a name written elsewhere?

    Clean news spells some names two ways on purpose ("Dzhokar"/"Dzhokhar"), names relatives
    alike ("Tsarni"/"Tsarnaev") and uses case forms ("bin Laden"): none of those may change.
    """
    before, after = p.before.split(), p.after.split()
    if len(before) != len(after):
        return False
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    return bool(changed) and all(
        b.lower() != a.lower()
        and not (b.lower().startswith(a.lower()) or a.lower().startswith(b.lower()))
        and ev.counts.get(b, 0) <= 1
        and ev.counts.get(a, 0) >= 1
        and zipf(a) < COMMON_ZIPF
        for b, a in changed
    )


def _prominent_person(p: Proposal, gz: Gazetteer) -> bool:
    """A mangled form of a well-known person's name (tier 1-2), not just a case change."""
    return (
        p.entity is not None
        and gz.type[p.entity] == "person"
        and gz.tier[p.entity] <= 2
        and p.before.lower() != p.after.lower()
    )


def _parts(w: Word) -> Iterable[Word]:
    """A hyphenated word's capitalised parts ('Henin-Hardnen' → 'Henin', 'Hardnen')."""
    if "-" not in w.text:
        yield w
        return
    pos = w.start
    for piece in w.text.split("-"):
        if piece[:1].isupper():
            yield Word(pos, pos + len(piece), piece, w.initial and pos == w.start)
        pos += len(piece) + 1


def _trimmed(seg: Segment, gz: Gazetteer) -> Iterable[Segment]:
    """The segment without a sentence-initial common word ('But Hegseth' → 'Hegseth')."""
    ws = seg.words
    if (
        ws
        and ws[0].initial
        and zipf(ws[0].text) >= COMMON_ZIPF
        and known_tier(gz, ws[0].text) > 2
        and not (_is_initial(ws[0]) and len(ws) > 1)  # 'E Hayot': an initial, not a word
    ):
        ws = ws[1:]
        if ws:
            yield Segment(ws, "", "", seg.context | {seg.words[0].text.lower()})
        return
    yield seg


def _known_span(seg: Segment, gz: Gazetteer, ev: Evidence) -> bool:
    """Is the whole segment a known form?  (A curated one is recorded as evidence.)"""
    ids = gz.lookup(" ".join(w.text for w in seg.words))
    if not ids:
        return False
    eid = ids[0]
    if gz.tier[eid] <= 3 and curated(gz, eid) and (len(seg.words) > 1 or seg.title):
        ev.see(eid, "written")
    # A rare census name or small place written alone may still be a variant of a name here.
    return gz.tier[eid] <= 3 or len(seg.words) > 1


def _exact(seg: Segment, gz: Gazetteer, text: str, ev: Evidence) -> Proposal | None:
    """A known name with a case slip in a particle: 'von Der Leyen' → 'von der Leyen'."""
    written = text[seg.start : seg.end]
    n = normalise(written)
    eid = target = None
    for fid in gz.form_ids(n):
        e = gz.form_entity[fid]
        if gz.tier[e] <= 3 and curated(gz, e) and gz.type[e] != "surname":
            eid, target = e, gz.forms[fid]
            break
    if eid is None and " " in n and n in gz.surnames:
        e = min(gz.surnames[n], key=lambda i: gz.tier[i])
        if gz.tier[e] <= 2:
            eid, target = e, surname_of(gz.canonical[e])
    if eid is None or target is None:
        return None
    if len(seg.words) > 1 or seg.title:
        ev.see(eid, "written")
    if target == written or normalise(target) != n or len(target) != len(written):
        return None
    fixed = _case_fix(written, target, seg.words[0].initial)
    if fixed == written or fixed.lower() != written.lower():
        return None  # a case slip changes case only ("Moon Jae In" is not "Moon Jae")
    ent = gz.entity(eid)
    return Proposal(
        seg.start,
        seg.end,
        written,
        fixed,
        0.95,
        f"name: '{written}' → '{fixed}' ({ent.type}, {ent.note}; the name is written '{target}')",
        eid,
    )


def _case_fix(written: str, target: str, initial: bool) -> str:
    """Take a particle's case from the known form where the particle before it is written in
    lower case ('von Der Leyen'); a capital on the first particle is English usage ('Theo Van
    Gogh', 'Bin Laden'), not a slip."""
    out: list[str] = []
    for w, t in zip(written.split(" "), target.split(" "), strict=False):
        after_particle = bool(out) and out[-1].lower() in PARTICLES and out[-1].islower()
        if w.lower() == t.lower() and t.lower() in PARTICLES and w != t and after_particle:
            out.append(t)
        else:
            out.append(w)
    fixed = " ".join(out)
    if initial:
        fixed = fixed[:1].upper() + fixed[1:]
    return fixed


def _role_overlap(seg: Segment, note: str) -> int:
    """How many words before the name also describe the entity ('Prime Minister', 'Ireland')."""
    ctx = {w[:5] for w in seg.context if len(w) >= 4} | {
        w for w in seg.context if w in ("uk", "us", "eu")
    }
    if seg.title:
        ctx.add(seg.title[:5])
    note_words = re.findall(r"[a-z]+", note.lower())
    words = {w[:5] for w in note_words if len(w) >= 4} | {
        w for w in note_words if w in ("uk", "us", "eu")
    }
    return len(ctx & words)


def _full_name(
    seg: Segment, written: str, cands: list[Candidate], gz: Gazetteer, ev: Evidence
) -> Proposal | None:
    # Curated names and countries only: a run of capitalised words is too often a phrase
    # ("The Briton") to be matched against every city.
    cands = [c for c in cands if curated(gz, c.entity) or gz.tier[c.entity] <= 1]
    if not cands:
        return None
    ranked = rank(
        cands, gz, ev, person_cue=bool(seg.title), place_cue=seg.cue in PLACE_CUES, seg=seg
    )
    top = ranked[0]
    best = top.cand
    rival = runner_up(ranked, gz)
    margin = top.rank - (rival.rank if rival else 50.0)
    target = gz.forms[best.form]
    if normalise(target) == normalise(written) or " " not in target.strip():
        return None
    ws = [w.text for w in seg.words]
    tw = target.split()
    if normalise(" ".join(w for w in ws if normalise(w) not in SUFFIXES)) == normalise(target):
        return None  # "Henry Paulson Jr" is Henry Paulson: the suffix is the writer's
    if (
        len(tw) == len(ws)
        and min(combined(normalise(a), normalise(b))[0] for a, b in zip(ws, tw, strict=True))
        < WORD_FLOOR
    ):
        return None  # one word of the name is another word altogether ('Ridgeley' is no 'Bailey')
    if len(ws) > len(tw) and combined(normalise(ws[-1]), normalise(tw[-1]))[0] < WORD_FLOOR:
        return None  # 'Jimmy Kimme Live' is not 'Jimmy Kimmel': a fix would drop a word
    if len(tw) == len(ws) and not all(
        _mangling_shape(normalise(a), normalise(b)) for a, b in zip(ws, tw, strict=True)
    ):
        return None  # 'Bill Gammell' is not 'Bill Rammell' mangled: another first consonant
    if any(_camel(w) for w in ws) or _subsequence(ws, tw):
        return None  # 'Michael DeLeo' is nobody's misspelling; 'Bashar Assad' is a short form
    all_known = all(is_protected_name(gz, w) or w.lower() in PARTICLES for w in ws)
    differing = [a for a, b in zip(ws, tw, strict=False) if normalise(a) != normalise(b)]
    if len(tw) == len(ws) and not ev.bold:
        # In clean-looking text, a name whose changed words are all real words or names
        # ('Josh Hawley', 'Peter Strzok', 'Aleksey Miller') is someone else.
        all_known = all_known or all(not is_unknown(gz, a) for a in differing)
    if (
        len(tw) == len(ws) >= 2
        and normalise(ws[-1]) == normalise(tw[-1])
        and not is_unknown(gz, ws[0])
        and gz.type[best.entity] in PERSONS
    ):
        # Only a real given name differs ('Aleksey Miller'): another person?  Not so for a
        # thing's name, where 'Cup' or 'Orient' is no surname ('Carlini Cup' is the Carling Cup).
        all_known = True
    same_first = normalise(ws[0]) == normalise(tw[0]) and zipf(ws[0]) < 5.0  # not "The"
    role = _role_overlap(seg, gz.note[best.entity])
    conf = 0.0
    if best.score >= 78 and margin >= 10:
        conf = 0.95 if (best.score >= 88 or same_first or role >= 1 or seg.title) else 0.8
    elif best.score >= 72 and margin >= 8:
        conf = 0.7
    if all_known:
        # Every word is itself a name or word: only the role in the context can say it is another.
        if not (best.score >= 80 and margin >= 10 and role >= 2):
            return None
        conf = 0.93
    diffs = [
        (i, a, b) for i, (a, b) in enumerate(zip(ws, tw, strict=False)) if a.lower() != b.lower()
    ]
    if (
        len(tw) == len(ws)
        and diffs
        and all(
            i < len(ws) - 1 and (a.lower().startswith(b.lower()) or b.lower().startswith(a.lower()))
            for i, a, b in diffs
        )
    ):
        return None  # "Vincent Cable" is "Vince Cable" written out: a form, not a mangling
    if (
        len(tw) == len(ws) >= 2
        and normalise(ws[-1]) == normalise(tw[-1])
        and all(i == 0 and _same_given_name(a, b) for i, a, b in diffs)
    ):
        return None  # "David Moorcroft" is "Dave Moorcroft": a short or long form of the name
    if conf < SUGGEST:
        return None
    if len(tw) == len(ws):
        # A word written right but for its accents stays as written ('Erdogan' in 'Recep
        # Tayyib Erdogan' → 'Recep Tayyip Erdogan'): English news often drops them.
        # Title case on a plain word is the writer's style ('How To Dismantle An Atomic Bomb').
        target = " ".join(
            a
            if a != b
            and normalise(a) == normalise(b)
            and (a.lower() != b.lower() or (b.islower() and b not in PARTICLES))
            else b
            for a, b in zip(ws, tw, strict=True)
        )
        if seg.words[0].initial:
            target = target[:1].upper() + target[1:]
    if len(tw) != len(ws) and not ev.spun:
        conf = min(conf, KNOWN_WORD_CAP)  # 'Ahmed Ali Saana' is no 'Ahmed al-Sharaa' in clean text
    # An attested word may change only where the entity's role is in the context
    # ('Defence Secretary John Hella' is John Healey; 'John Reade' alone is no John Reid).
    known = _attested_change(ws, tw) if conf >= APPLY and role == 0 else None
    if known:
        conf = KNOWN_WORD_CAP
    if conf >= APPLY:
        ev.see(best.entity, "restored")
    why = f"role words in context: {role}" if all_known else top.why
    reason = _reason(written, target, gz, top, rival, why)
    if known:
        reason += _known_word_note(known)
    return Proposal(seg.start, seg.end, written, target, conf, reason, best.entity)


SUFFIXES = frozenset({"jr", "jnr", "sr", "snr", "ii", "iii", "iv"})

# Short and long forms of a given name that news uses for the same person.
GIVEN_NAME_PAIRS = frozenset(
    {
        ("alex", "alexander"), ("andy", "andrew"), ("ben", "benjamin"), ("bill", "william"),
        ("bob", "robert"), ("charlie", "charles"), ("chris", "christopher"), ("dan", "daniel"),
        ("danny", "daniel"), ("dave", "david"), ("ed", "edward"), ("freddie", "frederick"),
        ("jim", "james"), ("jimmy", "james"), ("joe", "joseph"), ("jon", "jonathan"),
        ("ken", "kenneth"), ("matt", "matthew"), ("mike", "michael"), ("nick", "nicholas"),
        ("pete", "peter"), ("phil", "philip"), ("rob", "robert"), ("sam", "samuel"),
        ("steve", "stephen"), ("steve", "steven"), ("tom", "thomas"), ("tommy", "thomas"),
        ("tony", "anthony"), ("will", "william"),
    }
)


def _same_given_name(a: str, b: str) -> bool:
    x, y = normalise(a), normalise(b)
    return (x, y) in GIVEN_NAME_PAIRS or (y, x) in GIVEN_NAME_PAIRS


def _reason(
    written: str, target: str, gz: Gazetteer, top: Ranked, rival: Ranked | None, why: str = ""
) -> str:
    ent = gz.entity(top.cand.entity)
    desc = f"{ent.type}, {ent.note}" if ent.note else ent.type
    vs = f" vs {rival.cand.score:.0f} '{gz.forms[rival.cand.form]}'" if rival else ""
    if rival and rival.cand.score >= top.cand.score - 2:
        vs += f", {top.rank:.0f} vs {rival.rank:.0f} with priors"  # what broke the near tie
    extra = f"; {why}" if why else ""
    return f"name: '{written}' → '{target}' ({desc}; score {top.cand.score:.0f}{vs}{extra})"


def _phon_prefix(a: str, b: str) -> int:
    pa, pb = phonetic_key(a), phonetic_key(b)
    n = 0
    for x, y in zip(pa, pb, strict=False):
        if x != y:
            break
        n += 1
    return n


def _single(
    w: Word, seg: Segment, cands: list[Candidate], gz: Gazetteer, ev: Evidence
) -> Proposal | None:
    q = normalise(w.text)
    unknown = is_unknown(gz, w.text)
    weak = unknown or (known_tier(gz, w.text) >= 4 and zipf(w.text) < COMMON_ZIPF)
    if not weak:
        return None
    first = seg.words[0] is w or seg.words[0].start == w.start
    person_cue = bool(seg.title) and first
    place_cue = seg.cue in PLACE_CUES and first
    given_ok = seg.title in GIVEN_NAME_TITLES and first

    # a. Evidence: names seen or restored in this text or batch, and better-attested words.
    options: list[
        tuple[float, float, float, str, str, bool]
    ] = []  # score, string, sound, display, why, entity
    cls = first_class(q)
    for n, disp, why in ev.targets_near(q, given=given_ok):
        if n and n != q and first_class(n) == cls and _mangling_shape(q, n):
            total, st, sd = combined(q, n)
            options.append((total, st, sd, disp, why, True))
    mine = ev.counts.get(w.text, 0)
    near = ev.nearby_words(q)
    for other, n, count in near:
        if n == q or len(n) < 3 or " " in n or first_class(n) != cls or _camel(other):
            continue
        if not _mangling_shape(q, n):
            continue
        if count < 2 and zipf(other) >= COMMON_WORD_ZIPF:
            continue  # one capitalised 'Union' is no evidence that 'Unisoan' was it
        better = (unknown and not is_unknown(gz, other)) or (count >= 2 and count > 2 * mine)
        if ev.bold and attested(other) and not attested(w.text):
            better = True  # the corpus knows 'Chepkemei', not the 'Chepkemi' written more often
        if not ev.bold:
            better = better and count >= 2  # clean-looking text: one spelling is no majority
        if better:
            total, st, sd = combined(q, n)
            times = f"{count} time{'s' if count > 1 else ''}"
            options.append(
                (total, st, sd, other, f"'{other}' is written {times} in this text", False)
            )
    clean = not ev.bold
    options = [o for o in options if not _derived(q, normalise(o[3]), inflected=clean)]
    options.sort(key=lambda o: -o[0])
    if options and options[0][0] >= 60:
        opt = options[0]
        runner = next((o for o in options[1:] if normalise(o[3]) != normalise(opt[3])), None)
        margin = opt[0] - (runner[0] if runner else 40.0)
        conf = 0.0
        # A form of a name restored in this text may follow it after one restoration ('Sir
        # Kir' after 'Kir Stmper'); a word merely written elsewhere needs a bolder text.
        near_only = clean and not (opt[5] and ev.damage)
        if margin >= 8:
            if near_only and not (opt[0] >= 90 and opt[1] >= 85):
                conf = 0.7 if opt[0] >= 80 else 0.0  # clean-looking text: near-identical only
            elif opt[0] >= 80 and opt[1] >= 70:
                conf = 0.95
            elif opt[0] >= 72 and opt[1] >= 70 and opt[2] >= 80 and q[:1] == normalise(opt[3])[:1]:
                # close in sound only: enough where this text already shows mangled names
                conf = 0.92 if (ev.bold or opt[5]) else 0.75
            elif opt[0] >= 65:
                conf = 0.7
        if (
            conf < APPLY
            and opt[5]
            and unknown
            and opt[2] >= 75
            and _phon_prefix(q, normalise(opt[3])) >= 4
            and not any(
                _phon_prefix(q, normalise(o[3])) >= 2 for o in options[1:] if o[3] != opt[3]
            )
        ):
            conf = 0.92  # sounds like a name this text already gives in full, and like no other
        if not unknown:
            # A known word or census name changes only in a text that shows mangled names.
            conf = min(conf, 0.93 if opt[0] >= 85 and (ev.bold or not near_only) else 0.75)
        if conf >= SUGGEST:
            after = _shape(opt[3], w)
            vs = f" vs {runner[0]:.0f} '{runner[3]}'" if runner else ""
            reason = f"name: '{w.text}' → '{after}' ({opt[4]}; score {opt[0]:.0f}{vs})"
            if conf >= APPLY and not opt[5] and attested(w.text):
                # a spelling this text merely writes more often ('Juninh') does not outvote a
                # word the corpus knows; a name restored here does ('Sir Kir' → 'Sir Keir')
                conf = KNOWN_WORD_CAP
                reason += _known_word_note(w.text)
            return Proposal(w.start, w.end, w.text, after, conf, reason)

    # b. Prominent entities in the gazetteer.
    if not unknown:
        return None
    singles = [c for c in cands if " " not in gz.norms[c.form] and _mangling_shape(q, gz.norms[c.form])]
    if singles and _closer_in_text(w, q, max(c.score for c in singles), near):
        return None
    if not singles:
        return None
    ranked = rank(singles, gz, ev, person_cue=person_cue, place_cue=place_cue, seg=seg)
    top = ranked[0]
    best = top.cand
    rival = runner_up(ranked, gz)
    margin = top.rank - (rival.rank if rival else 50.0)
    eid = best.entity
    t = gz.type[eid]
    country = country_of(gz.note[eid])
    home = ev.main_country(country) or (country is not None and country in _local_countries(seg))
    eligible = (
        (curated(gz, eid) and gz.tier[eid] <= (2 if t in PERSONS else 3))
        # a city from the packages only in a country the text is about ('Lauantai' is no Luanda)
        or (t == "place" and home and (gz.tier[eid] <= 2 or place_cue))
    )
    cue_fit = (person_cue and t in PERSONS) or (place_cue and t == "place")
    conf = 0.0
    if t in PERSONS and not (person_cue or ev.bold or gz.person(eid) in ev.entities):
        eligible = False  # a surname alone ('Pelous' ~ 'Pelosi') needs a title or a damaged text
    most_similar = max(c.score for c in singles)
    if best.score < most_similar - 5 and not (cue_fit and home):
        eligible = False  # priors alone may not overturn a much closer spelling ('Rubieh')
    if eligible and margin >= 8 and best.string >= 60:
        if (top.rank >= 88 and best.score >= 80) or (top.rank >= 84 and cue_fit):
            conf = 0.93
        elif top.rank >= 80:
            conf = 0.75
    elif top.rank >= 82 and margin >= 6 and best.string >= 75:
        conf = 0.65  # a census name or small place: worth a look, never applied
    if conf < APPLY and ev.spun:
        kin = _close_kin(q, singles, gz, ev.countries)
        if kin is not None:
            top, rival, conf = next(r for r in ranked if r.cand is kin), None, 0.92
            best, eid = kin, kin.entity
    if conf < SUGGEST or _other_initial(w, seg, gz, eid):
        return None
    after = _shape(_preferred(gz, best), w)
    reason = _reason(w.text, after, gz, top, rival, top.why)
    if conf >= APPLY and attested(w.text):
        conf = KNOWN_WORD_CAP
        reason += _known_word_note(w.text)
    elif conf >= APPLY and not curated(gz, eid) and not attested(after):
        # A census surname or a small place that no news writes ('Pozzobon', 'Aalter'): the
        # spelling is as likely a real rare name as a mangling of that one.
        conf = KNOWN_WORD_CAP
        reason += f"; only a suggestion: '{after}' is a listed name the news corpus never writes"
    if conf >= APPLY:
        ev.see(eid, "restored")
    return Proposal(w.start, w.end, w.text, after, conf, reason, eid)


PAIR_NEIGHBOUR_ZIPF = 6.0  # a neighbour as common as 'the' or 'new' pairs with anything
_OF_BEFORE_RE = re.compile(r"\b([A-Z][\w'’-]*) of $")
_OF_AFTER_RE = re.compile(r" of ([A-Z][\w'’-]*)\b")


def _pair_word(word: str) -> bool:
    """A neighbour that can vouch for a name: known to the corpus, and not 'the' or 'new'."""
    return attested(word) and zipf(word) < PAIR_NEIGHBOUR_ZIPF


def _closer_in_text(
    w: Word, q: str, best: float, near: list[tuple[str, str, int]]
) -> bool:
    """Does the text write another capitalised word (``near``: ``Evidence.nearby_words``)
    closer to this one than any listed name?  Then one of the two is the other's mangling, and
    no list can say which ('Sunnoer' beside 'Sunner' is not the tennis player 'Sinner')."""
    for other, n, _count in near:
        if other != w.text and n != q and _mangling_shape(q, n) and combined(q, n)[0] > best:
            return True
    return False


def _corpus_pair(w: Word, seg: Segment, ev: Evidence, text: str) -> Proposal | None:
    """'Heizzo Takenaka' is Heizo Takenaka: the corpus writes 'heizo takenaka', never 'heizzo'.

    The neighbour must be a capitalised word (or particle) of the same name run, or a
    capitalised word and 'of' ('Irvine of Laig', 'Bnak of England'), known to the corpus.
    Applied in a text that shows damage; elsewhere only suggested.
    """
    ws = seg.words
    k = next((i for i, x in enumerate(ws) if x.start == w.start and x.end == w.end), None)
    if k is None or len(w.text) < 4 or w.initial and len(ws) == 1:
        return None

    def neighbour(i: int) -> tuple[str, ...] | None:
        if not 0 <= i < len(ws) or not _pair_word(ws[i].text):
            return None  # 'the Neo' is written everywhere: no evidence for 'Nevo'
        return (ws[i].text.lower(),)

    left, right = neighbour(k - 1), neighbour(k + 1)
    if k == 0 and left is None and seg.cue == "of":  # 'Lord Irvine of Laig'
        m = _OF_BEFORE_RE.search(text, max(0, w.start - 40), w.start)
        if m and _pair_word(m.group(1)):
            left = (m.group(1).lower(), "of")
    if k == len(ws) - 1 and right is None:  # 'the Bnak of England'
        m = _OF_AFTER_RE.match(text, w.end)
        if m and _pair_word(m.group(1)):
            right = ("of", m.group(1).lower())
    match = corpus_pair(w.text, left, right)
    if match is None:
        return None
    q = normalise(w.text)
    if not _mangling_shape(q, match.word) or _derived(q, match.word):
        return None
    after = _written_case(w.text, match.word)
    pair = " ".join(match.gram)
    reason = (
        f"name: '{w.text}' → '{after}' (the news corpus writes '{pair}' {match.count:.0f} "
        f"times, association {match.association:.1f}; '{w.text}' appears there less than twice"
    )
    reason += f"; next variant {match.runner_up:.0f})" if match.runner_up else ")"
    conf = 0.93
    if not ev.bold:
        conf = KNOWN_WORD_CAP
        reason += "; only a suggestion: this text shows no other damage"
    elif not is_unknown(ev.gz, w.text):
        conf = KNOWN_WORD_CAP  # a census name ('Coull', 'Wert') may be the writer's own
        reason += f"; only a suggestion: '{w.text}' is a listed name"
    return Proposal(w.start, w.end, w.text, after, conf, reason)


_PREFIX_RE = re.compile(r"^(?:Mc|Mac|O'|O’|D'|D’)(?=[A-Z])")


def _written_case(written: str, variant: str) -> str:
    """The lower-case variant with the written word's capitals: a capital first letter, and
    the capital after 'Mc', 'Mac', 'O'' or 'D'' ('McCartny' → 'McCartney')."""
    out = variant[:1].upper() + variant[1:]
    m = _PREFIX_RE.match(written)
    if m and out.lower().startswith(m.group().lower()) and len(out) > m.end():
        k = m.end()
        out = written[:k] + out[k].upper() + out[k + 1 :]
    return out


def _is_initial(w: Word) -> bool:
    """A one-letter capital that is a given name's initial ('E Hayot'), not 'A' or 'I'."""
    return len(w.text) == 1 and w.text.isupper() and w.text not in ("A", "I")


def _other_initial(w: Word, seg: Segment, gz: Gazetteer, eid: int) -> bool:
    """Is the surname written after another person's initial?  'E Hayot' is no 'Faisal Saleh
    Hayat', however alike the surnames."""
    owner = gz.person(eid)
    if gz.type[owner] != "person" or " " not in gz.canonical[owner]:
        return False
    k = next((i for i, x in enumerate(seg.words) if x.start == w.start), 0)
    if k == 0 or not _is_initial(seg.words[k - 1]):
        return False
    given = [p for p in gz.canonical[owner].split() if p.lower().rstrip(".") not in TITLES]
    return bool(given) and normalise(seg.words[k - 1].text)[:1] != normalise(given[0])[:1]


def _mangling_shape(q: str, n: str) -> bool:
    """Could machine translation have turned the name ``n`` into ``q``?  Its manglings keep the
    length within two letters and the first consonant ("Stmper", "Hele", "Enduril"); a
    longer or shorter word, or another first consonant ("Gammell" for "Rammell", "Stilian"
    for "Stan"), is another name."""
    if abs(len(q) - len(n)) >= 3:
        return False
    a, b = q[:1], n[:1]
    if a != b and a not in INITIAL_VOWELS and b not in INITIAL_VOWELS and (a, b) not in SOUND_ALIKE_INITIALS:
        return False
    return True


def _close_kin(
    q: str, cands: list[Candidate], gz: Gazetteer, countries: Counter[str]
) -> Candidate | None:
    """In a spun or machine-translated text, a near-perfect spelling of one surname or place.

    'Wentowwrth' is 'Wentworth' when no other name comes close: same first letter, string
    score at least 80, combined score at least 85 and 6 points clear of any other spelling.
    """
    by_score = sorted(cands, key=lambda c: -c.score)
    if not by_score:
        return None
    best = by_score[0]
    norm = gz.norms[best.form]
    if gz.type[best.entity] not in ("surname", "given", "place") or q[:1] != norm[:1]:
        return None
    if gz.type[best.entity] == "place" and country_of(gz.note[best.entity]) not in countries:
        return None  # a place in a country the text never names is no evidence
    if best.string < 80 or best.score < 85 or len(q) < 5 or _derived(q, norm):
        return None
    other = next((c for c in by_score[1:] if gz.norms[c.form] != norm), None)
    needed = 6 if gz.tier[best.entity] <= 4 else 8  # a rare census name needs a wider gap
    if other is not None and best.score - other.score < needed:
        return None
    return best


def _preferred(gz: Gazetteer, c: Candidate) -> str:
    """The spelling to write for a one-word match: the preferred surname of a person."""
    eid = c.entity
    if gz.type[eid] == "person" and " " in gz.canonical[eid]:
        return surname_of(gz.canonical[eid])
    if gz.type[eid] == "surname" and curated(gz, eid):
        return gz.canonical[eid]
    return gz.forms[c.form]


DERIVATIONS = (
    "s",
    "es",
    "ite",
    "ites",
    "ism",
    "ist",
    "ists",
    "ian",
    "ians",
    "ite's",
    "esque",
    "ist",
    "ese",
    "ish",
)


def _subsequence(written: list[str], target: list[str]) -> bool:
    """Are the written words the target's, minus some ('Bashar Assad' in 'Bashar al-Assad')?"""
    tw = [normalise(t) for t in " ".join(target).replace("-", " ").split()]
    it = iter(tw)
    return len(written) < len(tw) and all(normalise(w) in it for w in written)


def _derived(word: str, name: str, *, inflected: bool = False) -> bool:
    """Is ``word`` a word derived from ``name`` ('Brownite', 'Blairism', 'Thatcherites')?"""
    rest = word[len(name) :] if word.startswith(name) else None
    if rest is None:
        return False
    # In clean text any ending may be grammar ('Kovaca', 'Olchinger'); in damaged text a
    # letter or two more is a typical mangling ('Lycosi'), a longer ending a derivation.
    return rest in DERIVATIONS or len(rest) >= 3 or (inflected and len(rest) >= 1)


def _camel(word: str) -> bool:
    """Acronyms and CamelCase brands ('MMORPGs', 'DaimlerChrysler'): not names to respell."""
    return any(
        sum(ch.isupper() for ch in part) >= 2
        and not re.match(r"^(?:Mc|Mac|O'|O’|D'|D’)[A-Z]", part)
        for part in word.split("-")
    )


def _shape(target: str, w: Word) -> str:
    """The target with the written word's capitalisation at a sentence start."""
    if w.text[:1].isupper() and not target[:1].isupper():
        return target[:1].upper() + target[1:]
    return target
