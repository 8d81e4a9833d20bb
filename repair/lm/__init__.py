"""Context scoring for the lexicon stage (and the rewriter's guards).

``get_lm()`` loads the shipped hashed n-gram table once per process (``None`` when the file
is missing, so callers degrade to suggestions); its fingerprints are memory-mapped from the
cache folder (``repair.cache``).  Rebuild it with ``python -m repair.lm.build``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from repair.lm.ngram import BOS, NgramLM, lm_tokens, norm_token

LM_PATH = Path(__file__).resolve().parents[1] / "data" / "lm_ngrams.bin"

__all__ = ["BOS", "LM_PATH", "NgramLM", "get_lm", "lm_tokens", "norm_token"]


@lru_cache(maxsize=4)
def get_lm(path: str | None = None) -> NgramLM | None:
    p = Path(path) if path else LM_PATH
    if not p.is_file():
        return None
    return NgramLM(p, cache=True)
