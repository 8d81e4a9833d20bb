"""Where derived indexes are cached: ``$REPAIR_CACHE_DIR``, else ``$XDG_CACHE_HOME/repair``.

Kept in its own module, with standard-library imports only, so that a fast path can find its
cache without loading the modules that build it.

A cache file is named ``{kind}-{key}{suffix}``.  ``kind`` says what it holds and for which
source: :func:`kind_of` gives ``{base}-{8 hex}``, one kind per place (the data folder of one
checkout), and the kinds of one ``base`` form a family.  ``key`` is a short hash of what the
file was built from (file sizes and mtimes, a format version); the full fingerprint is stored
inside and checked on load, so a hash collision only costs a rebuild.

Writing a file removes the older files of its kind (an index rebuilt after each data edit
would otherwise pile up: the gazetteer's are 10-15 MB each) and keeps only the most recently
used kinds of its family (copies of the tree, user gazetteer files of old configs).  Loads
mark their file as used (:func:`touch`).
"""

from __future__ import annotations

import marshal
import os
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

STALE_AFTER_S = 60.0  # a file this old cannot be one another process is still renaming
TMP_STALE_AFTER_S = 3600.0  # a half-written temp file this old belongs to a dead process


def cache_dir() -> Path:
    env = os.environ.get("REPAIR_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "repair"


def short_hash(text: str) -> str:
    """16 hex digits naming ``text`` (zlib's checksums: no hashlib import on the fast path)."""
    import zlib

    data = text.encode("utf-8", "surrogatepass")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def kind_of(base: str, place: str) -> str:
    """The kind of cache ``base`` for ``place`` (say a data folder): ``{base}-{8 hex}``."""
    return f"{base}-{short_hash(place)[:8]}"


def family_of(kind: str) -> str | None:
    """``"{base}-"`` for a kind made by :func:`kind_of`, else None."""
    base, _, tail = kind.rpartition("-")
    if base and _is_hex(tail, 8):
        return base + "-"
    return None


def stamp(paths: Iterable[Path | str]) -> str:
    """What a cache built from ``paths`` depends on: each file's size and mtime (or absence)."""
    parts = []
    for p in paths:
        try:
            st = os.stat(p)
            parts.append(f"{p}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{p}:missing")
    return "|".join(parts)


def cache_path(kind: str, fingerprint: str, suffix: str) -> Path:
    return cache_dir() / f"{kind}-{short_hash(fingerprint)}{suffix}"


def load_marshal(kind: str, fingerprint: str) -> object | None:
    """The value cached for ``fingerprint`` by :func:`save_marshal`, or None."""
    path = cache_path(kind, fingerprint, ".marshal")
    try:
        stored, value = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if stored != fingerprint:
        return None
    touch(path)
    return value


def save_marshal(kind: str, fingerprint: str, value: object) -> None:
    """Cache ``value`` (marshal-able: str, int, float, tuple, list, dict, (frozen)set)."""
    data = marshal.dumps((fingerprint, value))  # type: ignore[arg-type]
    write(cache_path(kind, fingerprint, ".marshal"), lambda fh: fh.write(data), kind=kind)


def write(
    target: Path,
    fill: Callable[[BinaryIO], object],
    *,
    kind: str,
    legacy: Callable[[str], object] | None = None,
    family_keep: int = 2,
) -> bool:
    """Write ``target`` atomically (temp file, then rename), then prune: see :func:`prune`.

    Errors are ignored (a cache is optional); returns whether the file was written.
    """
    import tempfile

    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{kind}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fill(fh)
        os.replace(tmp, target)
    except OSError:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
        return False
    prune(target, kind=kind, legacy=legacy, family=family_of(kind), family_keep=family_keep)
    return True


def touch(path: Path, *, every_s: float = 3600.0) -> None:
    """Mark a cache file as used (its mtime), at most once per ``every_s``: :func:`prune`
    keeps the most recently used kinds of a family."""
    try:
        if time.time() - os.stat(path).st_mtime > every_s:
            os.utime(path)
    except OSError:
        pass


def prune(
    keep: Path,
    *,
    kind: str,
    legacy: Callable[[str], object] | None = None,
    family: str | None = None,
    family_keep: int = 2,
) -> int:
    """Remove the other cache files of ``kind``, the files ``legacy`` accepts by name (an older
    naming scheme), and, when ``family`` is given (kinds named ``{family}…``, say one per user
    gazetteer), the files of other kinds of the family beyond the ``family_keep`` most recently
    used.

    Safe with concurrent processes: only files whose name differs from ``keep`` and that are
    older than a minute go (a file another process is renaming into place is new), temp files
    only after an hour, and any error (a file already gone) is ignored.  Returns the count.
    """
    now = time.time()
    prefix, tmp_prefix = f"{kind}-", f".{kind}-"
    doomed: list[Path] = []
    kin: list[tuple[float, Path]] = []
    try:
        names = os.listdir(keep.parent)
    except OSError:
        return 0
    for name in names:
        if name == keep.name:
            continue
        path = keep.parent / name
        try:
            mtime = path.stat().st_mtime
        except OSError:
            continue
        if name.startswith(prefix) and name.endswith(keep.suffix) and _is_key(
            name[len(prefix) : len(name) - len(keep.suffix)]
        ):
            age = STALE_AFTER_S
        elif name.startswith(tmp_prefix) and name.endswith(".tmp"):
            age = TMP_STALE_AFTER_S
        elif legacy is not None and legacy(name):
            age = STALE_AFTER_S
        else:
            if family is not None and name.startswith(family) and name.endswith(keep.suffix):
                rest = name[len(family) : len(name) - len(keep.suffix)]
                # "{base}-{8 hex}-{key}" only: base "idx" must not take "idx-user-…".
                if rest[8:9] == "-" and _is_hex(rest[:8], 8) and _is_key(rest[9:]):
                    kin.append((mtime, path))
            continue
        if now - mtime > age:
            doomed.append(path)
    kin.sort(reverse=True)
    doomed += [p for mtime, p in kin[family_keep:] if now - mtime > STALE_AFTER_S]
    removed = 0
    for path in doomed:
        try:
            path.unlink()
            removed += 1
        except OSError:
            pass
    return removed


def _is_key(rest: str) -> bool:
    """Exactly one key after the kind: kind "lm" must not take "lm-x-<key>" of kind "lm-x"."""
    return _is_hex(rest, 16)


def _is_hex(s: str, n: int) -> bool:
    return len(s) == n and not s.strip("0123456789abcdef")


def find_packed(text: str, off: Sequence[int], word: str) -> int | None:
    """Index of ``word`` in a sorted table packed as one string plus offsets, or None.

    Entry ``i`` is ``text[off[i]:off[i + 1]]``; the cached frequency and thesaurus tables use
    this layout so that loading them is one read, not a dict of a million strings.
    """
    lo, hi = 0, len(off) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if text[off[mid] : off[mid + 1]] < word:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(off) - 1 and text[off[lo] : off[lo + 1]] == word:
        return lo
    return None
