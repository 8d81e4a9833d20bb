"""Shared fixtures.  Tests that need ../shared skip when it is absent (a user's fresh clone)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = ROOT / "seeds" / "ukraine_coalition_mt_spun.txt"


@pytest.fixture
def shared_dir() -> Path:
    if not (SHARED / "data").is_dir():
        pytest.skip("../shared is absent")
    return SHARED


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
