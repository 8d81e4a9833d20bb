"""The cache folder: atomic writes, and stale files of a kind removed without racing others."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from repair import cache


@pytest.fixture(autouse=True)
def cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPAIR_CACHE_DIR", str(tmp_path))


def _age(path: Path, seconds: float) -> Path:
    t = time.time() - seconds
    os.utime(path, (t, t))
    return path


def test_marshal_round_trip_checks_the_fingerprint(tmp_path: Path) -> None:
    cache.save_marshal("thing-1", "built from a:1:2", {"x": (1, 2.5, frozenset({"y"}))})
    assert cache.load_marshal("thing-1", "built from a:1:2") == {"x": (1, 2.5, frozenset({"y"}))}
    assert cache.load_marshal("thing-1", "built from a:1:3") is None
    assert not list(tmp_path.glob(".*.tmp")), "no temp file left behind"


def test_writing_a_kind_removes_its_stale_files_only(tmp_path: Path) -> None:
    old = cache.cache_path("lm-1", "old", ".bin")
    old.write_bytes(b"old")
    _age(old, 3600)
    racing = cache.cache_path("lm-1", "being renamed by another process", ".bin")
    racing.write_bytes(b"new")  # fresh: another process may have just put it in place
    other_kind = cache.cache_path("lm-2", "old", ".bin")
    other_kind.write_bytes(b"x")
    _age(other_kind, 3600)
    longer_kind = cache.cache_path("lm-1-x", "old", ".bin")  # "lm-1-x-<key>", not "lm-1-<key>"
    longer_kind.write_bytes(b"x")
    _age(longer_kind, 3600)
    other_suffix = cache.cache_path("lm-1", "old", ".marshal")
    other_suffix.write_bytes(b"x")
    _age(other_suffix, 3600)
    dead_tmp = tmp_path / ".lm-1-abc.tmp"
    dead_tmp.write_bytes(b"half")
    _age(dead_tmp, 2 * 3600)
    live_tmp = tmp_path / ".lm-1-def.tmp"
    live_tmp.write_bytes(b"half")
    _age(live_tmp, 120)  # another process may still be writing it
    legacy = tmp_path / "lm-legacy.bin"
    legacy.write_bytes(b"x")
    _age(legacy, 3600)

    new = cache.cache_path("lm-1", "current", ".bin")
    assert cache.write(new, lambda fh: fh.write(b"data"), kind="lm-1", legacy=lambda n: n == legacy.name)
    assert new.read_bytes() == b"data"
    gone = {old, dead_tmp, legacy}
    for p in (old, racing, other_kind, longer_kind, other_suffix, dead_tmp, live_tmp, legacy):
        assert p.exists() == (p not in gone), p.name


def test_a_family_keeps_its_most_recently_used_kinds(tmp_path: Path) -> None:
    files = []
    for n in range(6):  # one index per checkout, used n + 1 hours ago
        p = cache.cache_path(cache.kind_of("idx", f"/checkout/{n}"), "k", ".pickle")
        p.write_bytes(b"x")
        files.append(_age(p, 3600 * (n + 1)))
    fresh = cache.cache_path(cache.kind_of("idx", "/checkout/9"), "k", ".pickle")
    fresh.write_bytes(b"x")  # just written by another process
    other = cache.cache_path(cache.kind_of("idx-user", "/checkout/0"), "k", ".pickle")
    other.write_bytes(b"x")
    _age(other, 10 * 3600)  # another family: never evicted by this one
    cache.touch(files[5])  # used now
    new = cache.cache_path(cache.kind_of("idx", "/checkout/7"), "k", ".pickle")
    cache.write(new, lambda fh: fh.write(b"x"), kind=cache.kind_of("idx", "/checkout/7"))
    kept = {p.name for p in tmp_path.glob("idx-*.pickle")}
    assert kept == {p.name for p in (new, fresh, files[5], other)}


def test_gazetteer_index_prunes_its_older_files(tmp_path: Path) -> None:
    from repair.gazetteer import store

    legacy = tmp_path / "gazetteer-0123456789abcdef.pickle"
    legacy.write_bytes(b"an index of an older naming")
    _age(legacy, 3600)
    default = tmp_path / "gazetteer-default-01234567-0123456789abcdef.pickle"
    default.write_bytes(b"the default index of another checkout, stale but not of this family")
    _age(default, 3600)
    store.load.cache_clear()
    try:
        store.load(packages=False)
        first = set(tmp_path.glob("gazetteer-user-*.pickle"))
        assert len(first) == 1 and not legacy.exists() and default.exists()
        (cached,) = first
        # The same kind rebuilt from changed files: the old index goes once it is stale.
        _age(cached, 3600)
        kind = cached.name.rsplit("-", 1)[0]
        newer = tmp_path / f"{kind}-fedcba9876543210.pickle"
        cache.write(newer, lambda fh: fh.write(b"x"), kind=kind)
        assert not cached.exists() and newer.exists()
    finally:
        store.load.cache_clear()
