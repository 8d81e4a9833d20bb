"""Load the shipped T5 lazily and score sentences with it.

Nothing here imports torch at module level: ``load()`` does, and returns ``None`` when torch,
transformers or the weights are missing, so the stage becomes a no-op instead of an error.
The loaded model is cached per process.
"""

from __future__ import annotations

import inspect
import os
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_ENV = "REPAIR_MODEL_DIR"
WEIGHTS = "model.safetensors"
TOKENIZER = "spm.model"
EOS, PAD = 1, 0


def default_model_dir() -> Path:
    """``$REPAIR_MODEL_DIR``; else ``models/`` beside the package (a source checkout or an
    editable install); else ``<prefix>/share/repair/models``, where a wheel installs them."""
    env = os.environ.get(MODEL_ENV)
    if env:
        return Path(env)
    checkout = Path(__file__).resolve().parents[2] / "models"
    if available(checkout):
        return checkout
    for prefix in dict.fromkeys((sys.prefix, sys.base_prefix)):
        installed = Path(prefix) / "share" / "repair" / "models"
        if available(installed):
            return installed
    return checkout


def available(model_dir: Path | None = None) -> bool:
    d = model_dir if model_dir is not None else default_model_dir()
    return (d / WEIGHTS).is_file() and (d / TOKENIZER).is_file() and (d / "config.json").is_file()


@dataclass
class Piece:
    """A sentencepiece token with its character span in the encoded string."""

    id: int
    start: int
    end: int


class Rewriter:
    """A loaded model: encode, score (teacher forcing) and greedy-continue from a prefix."""

    def __init__(self, model: Any, sp: Any, torch: Any, *, batch_size: int = 32):
        self.model = model
        self.sp = sp
        self.torch = torch
        self.batch_size = batch_size
        self.lock = threading.Lock()
        # transformers 5 renamed ``past_key_values`` to ``cache``; accept both.
        params = inspect.signature(model.forward).parameters
        self._cache_kw = "cache" if "cache" in params else "past_key_values"

    def pieces(self, text: str) -> list[Piece]:
        proto = self.sp.encode(text, return_type="proto")
        out, pos = [], 0
        for p in proto.pieces:
            n = len(p.surface)
            out.append(Piece(p.id, pos, pos + n))
            pos += n
        return out

    def encode(self, text: str) -> list[int]:
        return list(self.sp.encode(text))

    def decode(self, ids: list[int]) -> str:
        return self.sp.decode([i for i in ids if i > 2 or i == 2])

    def token_logprobs(self, srcs: list[list[int]], tgts: list[list[int]]) -> list[list[float]]:
        """log P(tgt token | src, tgt prefix) for each target token (+ EOS), batched."""
        torch = self.torch
        out: list[list[float]] = [[] for _ in srcs]
        order = sorted(range(len(srcs)), key=lambda i: len(srcs[i]) + len(tgts[i]))
        with self.lock, torch.inference_mode():
            for b in range(0, len(order), self.batch_size):
                idx = order[b : b + self.batch_size]
                s = [srcs[i] + [EOS] for i in idx]
                t = [tgts[i] + [EOS] for i in idx]
                ids = _pad(torch, s, PAD)
                labels = _pad(torch, t, -100)
                logits = self.model(input_ids=ids, attention_mask=(ids != PAD).long(), labels=labels).logits
                logp = torch.log_softmax(logits.float(), -1)
                gathered = logp.gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
                for k, i in enumerate(idx):
                    out[i] = gathered[k, : len(t[k])].tolist()
        return out

    def continue_greedy(self, src: list[int], prefix: list[int], max_new: int) -> list[int]:
        """Greedy tokens after a forced decoder ``prefix`` (copy up to a flagged span)."""
        torch = self.torch
        with self.lock, torch.inference_mode():
            enc = self.model.get_encoder()(input_ids=torch.tensor([src + [EOS]]))
            step_ids = torch.tensor([[PAD, *prefix]])
            past = None
            new: list[int] = []
            for _ in range(max_new):
                kw: dict[str, object] = {} if past is None else {self._cache_kw: past}
                out = self.model(encoder_outputs=enc, decoder_input_ids=step_ids, use_cache=True, **kw)
                past = out.get("cache", out.get("past_key_values"))
                nxt = int(out.logits[0, -1].argmax())
                if nxt == EOS:
                    break
                new.append(nxt)
                step_ids = torch.tensor([[nxt]])
        return new


def _pad(torch: Any, rows: list[list[int]], value: int) -> Any:
    width = max(len(r) for r in rows)
    t = torch.full((len(rows), width), value, dtype=torch.long)
    for k, r in enumerate(rows):
        t[k, : len(r)] = torch.tensor(r, dtype=torch.long)
    return t


@lru_cache(maxsize=4)
def load(model_dir: str | None = None) -> Rewriter | None:
    """The model in ``model_dir`` (default: :func:`default_model_dir`), or None if unusable."""
    d = Path(model_dir) if model_dir else default_model_dir()
    if not available(d):
        return None
    try:
        import google.protobuf  # noqa: F401  (sentencepiece needs it for piece offsets)
        import sentencepiece as spm
        import torch
        from safetensors.torch import load_file
        from transformers import T5Config, T5ForConditionalGeneration
    except ImportError:
        return None
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()  # a deprecation notice per process is noise for users
    config = T5Config.from_json_file(str(d / "config.json"))
    model = T5ForConditionalGeneration(config)
    state = {k: v.float() for k, v in load_file(str(d / WEIGHTS)).items()}
    model.load_state_dict(state, strict=False)
    model.tie_weights()
    model.eval()
    sp = spm.SentencePieceProcessor(model_file=str(d / TOKENIZER))
    return Rewriter(model, sp, torch)
