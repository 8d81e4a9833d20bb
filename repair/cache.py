"""Where derived indexes are cached: ``$REPAIR_CACHE_DIR``, else ``$XDG_CACHE_HOME/repair``.

Kept in its own module, with standard-library imports only, so that a fast path can find its
cache without loading the modules that build it.

A cache file is named ``{kind}-{key}{suffix}``: ``kind`` says what it holds and for which
source (say the data folder of one checkout), ``key`` is a short hash of what it was built
from (file sizes and mtimes, a format version), and the full fingerprint is stored inside and
checked on load, so a hash collision only costs a rebuild.  Writing one file of a kind
removes the older files of that kind: an index rebuilt after each data edit would otherwise
pile up (the gazetteer's are 10-15 MB each).
"""

from __future__ import annotations

import marshal
import os
import time
from collections.abc import Callable, Iterable
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
    try:
        stored, value = marshal.loads(cache_path(kind, fingerprint, ".marshal").read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return value if stored == fingerprint else None


def save_marshal(kind: str, fingerprint: str, value: object) -> None:
    """Cache ``value`` (marshal-able: str, int, float, tuple, list, dict, (frozen)set)."""
    data = marshal.dumps((fingerprint, value))
    write(cache_path(kind, fingerprint, ".marshal"), lambda fh: fh.write(data), kind=kind)


def write(target: Path, fill: Callable[[BinaryIO], object], *, kind: str) -> bool:
    """Write ``target`` atomically (temp file, then rename), then prune older files of ``kind``.

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
    prune(target, kind=kind)
    return True


def prune(keep: Path, *, kind: str, legacy: Callable[[str], bool] | None = None) -> int:
    """Remove the other cache files of ``kind`` (and those ``legacy`` accepts by name).

    Safe with concurrent processes: only files whose name differs from ``keep`` and that are
    older than a minute go (a file another process is renaming into place is new), temp files
    only after an hour, and any error (a file already gone) is ignored.  Returns the count.
    """
    now = time.time()
    prefix, tmp_prefix = f"{kind}-", f".{kind}-"
    removed = 0
    try:
        names = os.listdir(keep.parent)
    except OSError:
        return 0
    for name in names:
        if name == keep.name:
            continue
        if name.startswith(prefix) and name.endswith(keep.suffix):
            rest = name[len(prefix) : len(name) - len(keep.suffix)]
            # Exactly one key after the kind: kind "lm" must not take "lm-x-<key>" of kind "lm-x".
            if len(rest) != 16 or rest.strip("0123456789abcdef"):
                continue
            age = STALE_AFTER_S
        elif name.startswith(tmp_prefix) and name.endswith(".tmp"):
            age = TMP_STALE_AFTER_S
        elif legacy is not None and legacy(name):
            age = STALE_AFTER_S
        else:
            continue
        path = keep.parent / name
        try:
            if now - path.stat().st_mtime > age:
                path.unlink()
                removed += 1
        except OSError:
            pass
    return removed
