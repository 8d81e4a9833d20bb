"""A compact hashed n-gram count table (orders 1-3) and Stupid Backoff scoring.

Why hashed: the table ships no text and no vocabulary, only 48-bit fingerprints of
lower-cased n-grams with log-quantised counts, so it is small (5 bytes an n-gram), loads in
milliseconds, and lets the lexicon stage compare "20 countries are" with "20 international
locations are" in context.  A false match needs two 48-bit fingerprints to collide: about one
query in 10^7 with the shipped table.

File format (``.bin``, little-endian): ``b"RNGRAM1\\n"``, a uint32 header length, a JSON
header (``buckets``, ``n``, ``totals``, ``qbase``, ``meta``), then padding to 8 bytes and
three arrays: ``offsets`` (uint32, buckets+1), ``lo`` (uint32, n) and ``q`` (uint8, n).
The fingerprint of an n-gram is the top 48 bits of its 64-bit hash; its top ``log2(buckets)``
bits select a bucket and the next 32 bits are stored in ``lo`` (sorted within the bucket).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

MAGIC = b"RNGRAM1\n"
BOS = "<s>"
NUM = "0"
# Same token shapes as repair.document.TOKEN_RE, curly apostrophes folded.
LM_TOKEN_RE = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]", re.UNICODE)
_DIGIT_RE = re.compile(r"\d")

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_C2 = np.uint64(0x9E3779B97F4A7C15)
_C3 = np.uint64(0xC2B2AE3D27D4EB4F)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
BACKOFF = 0.4


def norm_token(tok: str) -> str:
    """Lower-case, fold curly apostrophes, and map any token with a digit to one class."""
    if _DIGIT_RE.search(tok):
        return NUM
    return tok.lower().replace("’", "'")


def lm_tokens(text: str) -> list[str]:
    return [norm_token(t) for t in LM_TOKEN_RE.findall(text)]


@lru_cache(maxsize=1 << 18)
def word_hash(tok: str) -> int:
    """Deterministic 64-bit hash of a normalised token (Python's hash() is salted)."""
    return int.from_bytes(hashlib.blake2b(tok.encode("utf-8"), digest_size=8).digest(), "little")


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, vectorised; uint64 arithmetic wraps."""
    x = x ^ (x >> _S30)
    x = x * _M1
    x = x ^ (x >> _S27)
    x = x * _M2
    return x ^ (x >> _S31)


def hash_unigrams(h: np.ndarray) -> np.ndarray:
    return _mix(h)


def hash_bigrams(h1: np.ndarray, h2: np.ndarray) -> np.ndarray:
    return _mix(_mix(h1) * _C2 + h2)


def hash_trigrams(h1: np.ndarray, h2: np.ndarray, h3: np.ndarray) -> np.ndarray:
    return _mix(_mix(_mix(h1) * _C2 + h2) * _C3 + h3)


def quantise(counts: np.ndarray, qbase: float) -> np.ndarray:
    """Counts to uint8 codes on a log scale: code k means about qbase**k."""
    q = np.rint(np.log(np.maximum(counts, 1)) / math.log(qbase))
    return np.clip(q, 0, 255).astype(np.uint8)


def write_table(path: Path, keys: np.ndarray, counts: np.ndarray, *, totals: dict[str, int],
                meta: dict[str, object], qbase: float = 1.08) -> None:
    """Write sorted-unique 64-bit n-gram hashes with their counts in the ``.bin`` format."""
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    counts = counts[order]
    fp = keys >> np.uint64(16)  # 48-bit fingerprints, still sorted
    buckets = 1 << 16
    b = fp >> np.uint64(32)
    offsets = np.zeros(buckets + 1, dtype=np.uint32)
    np.cumsum(np.bincount(b.astype(np.int64), minlength=buckets), out=offsets[1:])
    lo = (fp & np.uint64(0xFFFFFFFF)).astype(np.uint32)
    header = json.dumps(
        {"buckets": buckets, "n": int(len(keys)), "totals": totals, "qbase": qbase, "meta": meta},
        sort_keys=True,
    ).encode()
    with open(path, "wb") as f:
        f.write(MAGIC)
        f.write(np.uint32(len(header)).tobytes())
        f.write(header)
        pad = (-(len(MAGIC) + 4 + len(header))) % 8
        f.write(b"\0" * pad)
        f.write(offsets.tobytes())
        f.write(lo.tobytes())
        f.write(quantise(counts, qbase).tobytes())


class NgramLM:
    """Counts of lower-cased 1-3-grams looked up by fingerprint; Stupid Backoff log-scores.

    With ``cache=True`` the sorted 48-bit fingerprints (rebuilt from the file's buckets) and
    the count codes are kept in the cache folder and memory-mapped, so a new process pays
    neither the rebuild (~20 ms for 2.5M n-grams) nor the read.  Look-ups are the same.
    """

    CACHE_MAX = 500_000  # scores kept per cache (trigrams, unigrams) before starting afresh

    def __init__(self, path: Path, *, cache: bool = False):
        path = Path(path)
        with open(path, "rb") as fh:
            head = fh.read(len(MAGIC) + 4)
            if not head.startswith(MAGIC) or len(head) < len(MAGIC) + 4:
                raise ValueError(f"{path}: not an n-gram table (bad magic)")
            hlen = int.from_bytes(head[len(MAGIC) :], "little")
            header = json.loads(fh.read(hlen))
        if int(header["buckets"]) != 1 << 16:
            raise ValueError(f"{path}: unsupported bucket count {header['buckets']}")
        tables = _load_cached(path, header) if cache else None
        if tables is None:
            tables = _read_tables(path, header)
            if cache:
                _save_cached(path, header, *tables)
        self._fp, self._q = tables
        self.header = header
        self.qbase = float(header["qbase"])
        self.totals = {k: int(v) for k, v in header["totals"].items()}
        self._log_qbase = math.log(self.qbase)
        self._log_n = math.log(max(1, self.totals.get("tokens", 1)))
        self._cache: dict[tuple[str, ...], float] = {}
        self._uni_cache: dict[str, float] = {}

    def __len__(self) -> int:
        return len(self._q)

    def log_counts(self, keys: np.ndarray) -> np.ndarray:
        """Natural-log counts for 64-bit n-gram hashes; -inf where absent."""
        fp = keys >> np.uint64(16)
        # Sorted queries walk the table in order: far fewer cache misses than random ones.
        order = np.argsort(fp)
        idx = np.empty(len(fp), dtype=np.int64)
        idx[order] = np.searchsorted(self._fp, fp[order])
        idx = np.minimum(idx, len(self._fp) - 1)
        found = self._fp[idx] == fp
        out = np.full(len(keys), -np.inf)
        out[found] = self._q[idx[found]].astype(np.float64) * self._log_qbase
        return out

    def count(self, *words: str) -> float:
        """Approximate count of one n-gram of normalised tokens (0 when absent)."""
        lc = self.log_counts(_ngram_keys([tuple(words)]))[0]
        return 0.0 if lc == -np.inf else math.exp(lc)

    def counts(self, grams: Sequence[tuple[str, ...]]) -> np.ndarray:
        """Approximate counts of many 1-3-grams of normalised tokens at once (0 when absent)."""
        if not grams:
            return np.zeros(0)
        return np.exp(self.log_counts(_ngram_keys(grams)))

    def unigram_logprobs(self, words: Sequence[str]) -> list[float]:
        """log(count / N) per normalised word, batched and cached; a floor when unseen."""
        cache = self._uni_cache
        todo = [w for w in dict.fromkeys(words) if w not in cache]
        if todo:
            h = np.array([word_hash(w) for w in todo], dtype=np.uint64)
            lc = self.log_counts(hash_unigrams(h))
            floor = -self._log_n - math.log(10.0)
            vals = np.where(np.isfinite(lc), lc - self._log_n, floor).tolist()
            fresh = dict(zip(todo, vals, strict=True))
            out = [fresh[w] if w in fresh else cache[w] for w in words]
            if len(cache) + len(fresh) > self.CACHE_MAX:
                cache.clear()
            cache.update(fresh)
            return out
        return [cache[w] for w in words]

    def score_windows(self, windows: Sequence[Sequence[str]], starts: Sequence[int]) -> list[float]:
        """Sum of Stupid Backoff log-scores of ``window[i]`` for i ≥ start, per window.

        Each window is a list of normalised tokens; the first ``start`` tokens are context.
        All look-ups of all windows go to numpy in one batch.
        """
        trigs: list[tuple[str, ...]] = []
        owners: list[int] = []
        for wi, (win, st) in enumerate(zip(windows, starts, strict=True)):
            for i in range(max(st, 0), len(win)):
                u = win[i - 2] if i >= 2 else BOS
                v = win[i - 1] if i >= 1 else BOS
                trigs.append((u, v, win[i]))
                owners.append(wi)
        if not trigs:
            return [0.0] * len(windows)
        scores = self._sb_scores(trigs)
        out = [0.0] * len(windows)
        for o, s in zip(owners, scores, strict=True):
            out[o] += s
        return out

    def _sb_scores(self, trigs: list[tuple[str, ...]]) -> list[float]:
        todo = [t for t in dict.fromkeys(trigs) if t not in self._cache]
        if todo:
            h = np.array([[word_hash(w) for w in t] for t in todo], dtype=np.uint64)
            keys = np.concatenate([
                hash_trigrams(h[:, 0], h[:, 1], h[:, 2]),
                hash_bigrams(h[:, 0], h[:, 1]),
                hash_bigrams(h[:, 1], h[:, 2]),
                hash_unigrams(h[:, 1]),
                hash_unigrams(h[:, 2]),
            ])
            lc = self.log_counts(keys).reshape(5, len(todo))
            uvw, uv, vw, v, w = lc
            logb = math.log(BACKOFF)
            floor = -self._log_n + 2 * logb - math.log(10.0)
            with np.errstate(invalid="ignore"):
                s = np.where(
                    np.isfinite(uvw) & np.isfinite(uv),
                    uvw - uv,
                    np.where(
                        np.isfinite(vw) & np.isfinite(v),
                        logb + vw - v,
                        np.where(np.isfinite(w), 2 * logb + w - self._log_n, floor),
                    ),
                )
            fresh = dict(zip(todo, np.minimum(s, 0.0).tolist(), strict=True))
            out = [fresh[t] if t in fresh else self._cache[t] for t in trigs]
            # Bounded for long batch runs: start afresh rather than grow without end (the
            # answer above is read before the clear, so a full cache never loses a look-up).
            if len(self._cache) + len(fresh) > self.CACHE_MAX:
                self._cache.clear()
            self._cache.update(fresh)
            return out
        return [self._cache[t] for t in trigs]


def _read_tables(path: Path, header: dict) -> tuple[np.ndarray, np.ndarray]:
    """The sorted 48-bit fingerprints and the count codes, from the ``.bin`` file."""
    data = path.read_bytes()
    start = len(MAGIC) + 4
    pos = start + int(np.frombuffer(data, dtype=np.uint32, count=1, offset=len(MAGIC))[0])
    pos += (-pos) % 8
    buckets, n = int(header["buckets"]), int(header["n"])
    offsets = np.frombuffer(data, dtype=np.uint32, count=buckets + 1, offset=pos)
    pos += 4 * (buckets + 1)
    lo = np.frombuffer(data, dtype=np.uint32, count=n, offset=pos)
    pos += 4 * n
    q = np.frombuffer(data, dtype=np.uint8, count=n, offset=pos)
    bucket_of = np.repeat(np.arange(buckets, dtype=np.uint64), np.diff(offsets).astype(np.int64))
    # Sorted 48-bit fingerprints: 16 bucket bits on top of the stored 32 bits.
    return (bucket_of << np.uint64(32)) | lo.astype(np.uint64), q


_CACHE_MAGIC = b"RNGFP01\n"  # cache file: magic, uint32 length, fingerprint, pad to 8, fp, q


def _cache_id(path: Path, header: dict) -> tuple[str, str]:
    """(kind, fingerprint) of the cache of ``path``: one kind per table file."""
    from repair.cache import kind_of, stamp

    where = str(path.resolve())
    return kind_of("lm", where), f"{_CACHE_MAGIC!r}|{stamp([where])}|n={header['n']}"


def _load_cached(path: Path, header: dict) -> tuple[np.ndarray, np.ndarray] | None:
    import mmap

    from repair.cache import cache_path, touch

    kind, fingerprint = _cache_id(path, header)
    n = int(header["n"])
    target = cache_path(kind, fingerprint, ".bin")
    try:
        with open(target, "rb") as fh:
            mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    want = fingerprint.encode()
    pos = len(_CACHE_MAGIC) + 4 + len(want)
    pos += (-pos) % 8
    if (
        mm[: len(_CACHE_MAGIC)] != _CACHE_MAGIC
        or mm[len(_CACHE_MAGIC) : len(_CACHE_MAGIC) + 4] != len(want).to_bytes(4, "little")
        or mm[len(_CACHE_MAGIC) + 4 : len(_CACHE_MAGIC) + 4 + len(want)] != want
        or len(mm) != pos + 9 * n
    ):
        return None
    fp = np.frombuffer(mm, dtype="<u8", count=n, offset=pos)
    q = np.frombuffer(mm, dtype=np.uint8, count=n, offset=pos + 8 * n)
    touch(target)
    return fp, q


def _save_cached(path: Path, header: dict, fp: np.ndarray, q: np.ndarray) -> None:
    from repair.cache import cache_path, write

    kind, fingerprint = _cache_id(path, header)
    want = fingerprint.encode()
    pad = (-(len(_CACHE_MAGIC) + 4 + len(want))) % 8

    def fill(fh) -> None:
        fh.write(_CACHE_MAGIC + len(want).to_bytes(4, "little") + want + b"\0" * pad)
        fh.write(fp.astype("<u8").tobytes())
        fh.write(q.tobytes())

    write(cache_path(kind, fingerprint, ".bin"), fill, kind=kind)


def _ngram_keys(grams: Sequence[tuple[str, ...]]) -> np.ndarray:
    out = []
    for g in grams:
        h = [np.array([word_hash(w)], dtype=np.uint64) for w in g]
        if len(g) == 1:
            out.append(hash_unigrams(h[0]))
        elif len(g) == 2:
            out.append(hash_bigrams(h[0], h[1]))
        elif len(g) == 3:
            out.append(hash_trigrams(h[0], h[1], h[2]))
        else:
            raise ValueError(f"orders 1-3 only, got {len(g)}")
    return np.concatenate(out)


def phrase_logprob(lm: NgramLM, tokens: Sequence[str]) -> float:
    """Context-free log-probability of a phrase: its first word's frequency, then the chain."""
    if not tokens:
        return 0.0
    lc = lm.log_counts(_ngram_keys([(tokens[0],)]))[0]
    first = (lc - lm._log_n) if lc > -np.inf else (-lm._log_n - math.log(10.0))
    if len(tokens) == 1:
        return float(first)
    # Inside the phrase, a sentinel context that no table holds makes the first step back off
    # to bigrams; give back the backoff penalty that the sentinel alone caused.
    rest = lm.score_windows([["\x00", "\x00", *tokens]], [3])[0]
    return float(first + rest - math.log(BACKOFF))
