"""Where derived indexes are cached: ``$REPAIR_CACHE_DIR``, else ``$XDG_CACHE_HOME/repair``.

Kept in its own module, without imports, so that a fast path can find its cache without
loading the modules that build it.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    env = os.environ.get("REPAIR_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "repair"
