"""English word frequencies on the Zipf scale: wordfreq's figures, without wordfreq's start-up.

``wordfreq.zipf_frequency`` first imports langcodes and the `regex` tokenizer and unpacks its
whole English list into a dict (about 0.15 s), while a document asks for a few dozen words.
So the list is kept, once, in a cache file (sorted words in one string, their offsets and
their centibel bands) that loads in a millisecond and is searched by bisection.  The answer is
wordfreq's own, to the last digit: the same band arithmetic, and wordfreq itself for any word
whose tokenisation is not plain (capitals, accents, digits, French-style elisions like
"d'arcy").  The cache is rebuilt when wordfreq's data files change.
"""

from __future__ import annotations

import math
import re
from array import array
from pathlib import Path

_FORMAT = 1
# Words whose tokens wordfreq takes as written: lowercase ASCII letters, inner apostrophes,
# hyphens between tokens.
_PLAIN_RE = re.compile(r"[a-z]+(?:'[a-z]+)*(?:-[a-z]+(?:'[a-z]+)*)*")
_WORD_RE = re.compile(r"[a-z]+(?:'[a-z]+)*")
# wordfreq splits "l'eau", "d'arcy" after the apostrophe (1-2 letters, then a vowel or h).
_ELISION_RE = re.compile(r"[a-z]{1,2}'[aehiouy]")
_MINIMUM = 10**0.0 / 1e9  # wordfreq.zipf_to_freq(0.0): the floor of zipf_frequency

_table: tuple[str, array, bytes] | None = None
_memo: dict[str, float] = {}


def zipf(word: str) -> float:
    """``wordfreq.zipf_frequency(word, "en")``, the same value, fast for plain words."""
    got = _memo.get(word)
    if got is None:
        got = _zipf(word)
        if len(_memo) > 100_000:
            _memo.clear()
        _memo[word] = got
    return got


def _zipf(word: str) -> float:
    plain = word
    curly = "’" in word
    if curly:
        if "'" in word:
            return _wordfreq(word)
        # wordfreq straightens the apostrophe after tokenising, so "d’arcy" stays one token.
        plain = word.replace("’", "'")
    if not _PLAIN_RE.fullmatch(plain):
        return _wordfreq(word)
    parts = plain.split("-")
    if not curly and any(_ELISION_RE.match(p) for p in parts):
        return _wordfreq(word)
    table = _load()
    if table is None:
        return _wordfreq(word)
    # wordfreq._word_frequency: 1/f = sum of 1/f_i; an unknown token gives the minimum.
    one_over = 0.0
    for p in parts:
        band = _band(table, p)
        if band is None:
            return round(math.log(_MINIMUM, 10) + 9, 2)
        one_over += 1.0 / (10 ** (-band / 100))
    freq = max(1.0 / one_over, _MINIMUM)
    freq = round(freq, math.floor(-math.log(freq, 10)) + 3)
    return round(math.log(freq, 10) + 9, 2)


def _wordfreq(word: str) -> float:
    from wordfreq import zipf_frequency

    return float(zipf_frequency(word, "en"))


def _band(table: tuple[str, array, bytes], word: str) -> int | None:
    """The word's centibel band (0 = most frequent) in wordfreq's list, or None."""
    from repair.cache import find_packed

    text, off, bands = table
    i = find_packed(text, off, word)
    return None if i is None else bands[2 * i] | bands[2 * i + 1] << 8


def _data_files() -> list[Path]:
    from importlib.util import find_spec

    spec = find_spec("wordfreq")
    if spec is None or not spec.submodule_search_locations:
        return []
    base = Path(next(iter(spec.submodule_search_locations))) / "data"
    return [base / "large_en.msgpack.gz", base / "small_en.msgpack.gz"]


def _key() -> str | None:
    parts = [f"v{_FORMAT}"]
    for p in _data_files():
        try:
            st = p.stat()
        except OSError:
            continue
        parts.append(f"{p.name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts) if len(parts) > 1 else None


def _load() -> tuple[str, array, bytes] | None:
    global _table
    if _table is not None:
        return _table
    import marshal

    from repair.cache import cache_dir

    key = _key()
    if key is None:
        return None
    target = cache_dir() / "zipf-en.marshal"
    try:
        stored_key, text, off_bytes, bands = marshal.loads(target.read_bytes())
        if stored_key == key:
            off = array("I")
            off.frombytes(off_bytes)
            _table = (text, off, bands)
            return _table
    except (OSError, EOFError, ValueError, TypeError):
        pass
    text, off, bands = _build()
    _table = (text, off, bands)
    _save(target, marshal.dumps((key, text, off.tobytes(), bands)))
    return _table


def _build() -> tuple[str, array, bytes]:
    """wordfreq's English list, plain words only, sorted, with each word's band."""
    from wordfreq import get_frequency_list

    band: dict[str, int] = {}
    for index, bucket in enumerate(get_frequency_list("en", "best")):
        for w in bucket:
            band[w] = index  # as wordfreq's dict: a later band wins
    words = sorted(w for w in band if _WORD_RE.fullmatch(w))
    off = array("I", [0])
    total = 0
    for w in words:
        total += len(w)
        off.append(total)
    out = bytearray()
    for w in words:
        out += band[w].to_bytes(2, "little")
    return "".join(words), off, bytes(out)


def _save(target: Path, data: bytes) -> None:
    import os
    import tempfile

    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".zipf-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, target)
    except OSError:
        pass
