"""Fuzzy candidates for a name: rapidfuzz over normalised forms, re-scored with metaphone keys.

Blocking keeps lookups fast against a large index: a query is compared only with forms in
the same first-letter class (vowels, c/k/q and s/z fall together) whose length is within
a quarter of its own: forms are sorted so that this is one contiguous slice, searched with ``process.extract``
and a score cutoff.  The final score mixes the string ratio (0.65) with the ratio of the
metaphone keys (0.35), so 'Zelanski' ~ 'Zelensky' (ZLNSK = ZLNSK) beats a closer-looking
but different-sounding form.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from repair.gazetteer.store import Gazetteer, first_class, normalise, phonetic
from repair.gazetteer.store import _bucket as _bucket_of

STRING_WEIGHT = 0.65


@dataclass(frozen=True, slots=True)
class Candidate:
    form: int  # form id in the gazetteer
    entity: int
    score: float  # 0..100, combined
    string: float  # 0..100, rapidfuzz ratio of normalised forms
    sound: float  # 0..100, ratio of metaphone keys


@lru_cache(maxsize=65536)
def phonetic_key(norm: str) -> str:
    return phonetic(norm)


def combined(
    query_norm: str, form_norm: str, string_score: float | None = None
) -> tuple[float, float, float]:
    """(combined, string, sound) scores of two normalised forms."""
    s = fuzz.ratio(query_norm, form_norm) if string_score is None else string_score
    p = fuzz.ratio(phonetic_key(query_norm), phonetic_key(form_norm))
    return STRING_WEIGHT * s + (1 - STRING_WEIGHT) * p, s, p


class Matcher:
    """Looks up fuzzy candidates in one gazetteer."""

    def __init__(self, gazetteer: Gazetteer, *, prominent_tier: int = 3):
        self.gz = gazetteer.finalise()
        tiers = np.frombuffer(bytes(self.gz.tier), dtype=np.uint8)
        tiers = tiers[np.asarray(self.gz.form_entity, dtype=np.int64)]
        self.prominent = tiers <= prominent_tier
        self._slices: dict[tuple[int, int], list[str]] = {}

    def search(self, query: str, *, limit: int = 5, cutoff: float = 60.0) -> list[Candidate]:
        """Best candidates for ``query`` (a name as written), best first; exact forms included."""
        return self.search_many([query], limit=limit, cutoff=cutoff)[0]

    def search_many(
        self, queries: Sequence[str], *, limit: int = 5, cutoff: float = 60.0
    ) -> list[list[Candidate]]:
        """Candidates for many queries at once: one ``process.cdist`` per blocking group.

        Queries are grouped by first-letter class, one word or several, and length band; each
        group is scored against its length window in a single call, and the best of each
        row are picked with one ``argpartition`` over the score matrix.  This is what makes
        thousands of lookups a second possible against a large index.
        """
        gz = self.gz
        norms = [normalise(q) for q in queries]
        out: list[list[Candidate]] = [[] for _ in queries]
        groups: dict[tuple[str, bool, int], list[int]] = {}
        for i, q in enumerate(norms):
            if q:  # lengths in bands of three: windows of a band overlap, so one call serves it
                groups.setdefault((first_class(q), " " in q, len(q) // 3), []).append(i)
        for (cls, multi, _band), members in groups.items():
            lo, hi = self._window(cls, multi, [len(norms[i]) for i in members])
            if lo >= hi:
                continue
            choices = self._choices(lo, hi)
            scores = process.cdist(
                [norms[i] for i in members],
                choices,
                scorer=fuzz.ratio,
                score_cutoff=cutoff,
                dtype=np.uint8,
            )
            k = min(limit * 3, hi - lo)
            picks = np.argpartition(scores, -k, axis=1)[:, -k:] if k < hi - lo else None
            prom = np.flatnonzero(self.prominent[lo:hi])
            kp = min(limit, len(prom))
            if 0 < kp < len(prom):
                sub = np.argpartition(scores[:, prom], -kp, axis=1)[:, -kp:]
                prom_picks = prom[sub]
            else:
                prom_picks = np.broadcast_to(prom, (len(members), len(prom)))
            every = np.arange(hi - lo)
            floor = max(cutoff, 1)
            for row, i in enumerate(members):
                line = scores[row]
                cols = np.union1d(every if picks is None else picks[row], prom_picks[row])
                cols = cols[line[cols] >= floor]  # most picks of a sparse row are below it
                cands = []
                q = norms[i]
                for j, score in zip(cols.tolist(), line[cols].tolist(), strict=True):
                    fid = lo + j
                    total, s, p = combined(q, choices[j], float(score))
                    cands.append(Candidate(fid, gz.form_entity[fid], total, s, p))
                cands.sort(key=lambda c: (-c.score, gz.tier[c.entity], c.form))
                out[i] = cands
        return out

    def _choices(self, lo: int, hi: int) -> list[str]:
        """The normalised forms ``lo..hi``: a slice of the cached list of their class."""
        for (clo, chi), forms in self._slices.items():
            if clo <= lo and hi <= chi:
                return forms[lo - clo : hi - clo]
        key = self._class_span(lo)
        whole = self._slices[key] = list(self.gz.norms[key[0] : key[1]])
        return whole[lo - key[0] : hi - key[0]]

    def _class_span(self, fid: int) -> tuple[int, int]:
        """The index range of all forms in the same (first-letter class, one word or several)."""
        cls, multi, _ = _bucket_of(self.gz.norms[fid])
        spans = [span for (c, m, _n), span in self.gz.buckets.items() if c == cls and m == multi]
        return min(a for a, _ in spans), max(b for _, b in spans)

    def _window(self, cls: str, multi: bool, sizes: list[int]) -> tuple[int, int]:
        """Index range of the forms in class ``cls`` whose length is near any of ``sizes``."""
        lo = hi = -1
        lengths = sorted(
            {
                n
                for size in sizes
                for n in range(max(1, size - max(2, size // 4)), size + max(2, size // 4) + 1)
            }
        )
        for length in lengths:
            span = self.gz.buckets.get((cls, multi, length))
            if span is not None:
                lo = span[0] if lo < 0 else min(lo, span[0])
                hi = max(hi, span[1])
        return (lo, hi) if lo >= 0 else (0, 0)
