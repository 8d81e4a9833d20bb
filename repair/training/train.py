"""Train the rewriter: a small T5 from scratch, on pairs from :mod:`repair.training.pairs`.

Two recipes (``--recipe``):
- ``cpu``: 128-d, 2+2 layers, 8k vocabulary (~1.9M parameters), one thread, a wall-clock
  budget (default 20 min); what ships in ``models/`` when no GPU was available.  Bigger
  CPU configs (256-d, 3+3) were still at the unigram plateau (loss ~5.5) after 10 minutes:
  on one core, more steps beat more capacity.
- ``gpu``: 384-d, 6 encoder + 2 decoder layers, 8k vocabulary (~18M parameters), bf16
  autocast, large batches, a 6-minute budget on one H200.  A deep encoder and a shallow
  decoder: the stage scores copies and short continuations, so the decoder's cost is paid
  per token on the user's CPU, while the encoder runs once per sentence.
The learning-rate schedule follows wall time (warm-up, then linear decay to the budget),
so a run always ends on a decayed learning rate however fast the machine is.

    python -m repair.training.train --pairs build/rewrite --out models --recipe cpu --minutes 20
"""

from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path


@dataclass(frozen=True)
class Recipe:
    d_model: int
    d_ff: int
    layers: int
    heads: int
    vocab: int
    tokens_per_batch: int
    lr: float
    warmup_s: float
    max_len: int = 64
    threads: int = 1
    bf16: bool = False
    dropout: float = 0.1  # none for short CPU runs: they see each pair at most once
    dec_layers: int | None = None  # None: as many as the encoder


RECIPES = {
    "cpu": Recipe(d_model=128, d_ff=512, layers=2, heads=4, vocab=8000, tokens_per_batch=2048,
                  lr=2e-3, warmup_s=30.0, dropout=0.0),
    "gpu": Recipe(d_model=384, d_ff=1536, layers=6, heads=6, vocab=8000, tokens_per_batch=65536,
                  lr=1e-3, warmup_s=20.0, threads=8, bf16=True, dec_layers=2),
    # The 384-d 6+2 "gpu" recipe was still at the copy plateau (held-out token accuracy 0.49)
    # after 2,566 steps of 65k tokens (6 min on an H200): T5 has no absolute positions, so
    # learning to copy takes *steps*, not tokens.  This one takes ~4x smaller batches.
    "gpu-fast": Recipe(d_model=256, d_ff=1024, layers=4, heads=4, vocab=8000, tokens_per_batch=12288,
                       lr=2e-3, warmup_s=10.0, threads=16, bf16=True, dropout=0.0, dec_layers=2),
    "tiny": Recipe(d_model=64, d_ff=128, layers=1, heads=2, vocab=1000, tokens_per_batch=256,
                   lr=3e-3, warmup_s=1.0),
}


def default_device(torch, recipe: Recipe) -> str:
    """CUDA for the GPU recipes (the bf16 ones) when a GPU is there, else the CPU.

    (A name check, ``recipe == "gpu"``, once sent the ``gpu-fast`` recipe to the CPU of a lent
    H200 and spent its last five minutes there.)
    """
    return "cuda" if recipe.bf16 and torch.cuda.is_available() else "cpu"


def train_tokenizer(texts: list[str], out: Path, vocab: int) -> Path:
    """A unigram sentencepiece model that keeps text exactly (identity normalisation)."""
    import io

    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(texts),
        model_writer=model,
        vocab_size=vocab,
        model_type="unigram",
        character_coverage=0.9995,
        normalization_rule_name="identity",
        byte_fallback=True,
        split_digits=True,
        pad_id=0,
        eos_id=1,
        unk_id=2,
        bos_id=-1,
        num_threads=1,
        input_sentence_size=len(texts),
        shuffle_input_sentence=False,
    )
    out.mkdir(parents=True, exist_ok=True)
    path = out / "spm.model"
    path.write_bytes(model.getvalue())
    return path


def t5_config(recipe: Recipe):  # -> transformers.T5Config
    from transformers import T5Config

    return T5Config(  # type: ignore[call-arg]
        vocab_size=recipe.vocab,
        d_model=recipe.d_model,
        d_kv=recipe.d_model // recipe.heads,
        d_ff=recipe.d_ff,
        num_layers=recipe.layers,
        num_decoder_layers=recipe.dec_layers or recipe.layers,
        num_heads=recipe.heads,
        relative_attention_num_buckets=32,
        relative_attention_max_distance=128,
        dropout_rate=recipe.dropout,
        feed_forward_proj="relu",
        tie_word_embeddings=True,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
    )


def _read_pairs(pairs_dir: Path, name: str) -> list[tuple[str, str]]:
    """``name.jsonl`` or the compact ``name.tsv.xz`` written by ``pairs --compact``."""
    compact = pairs_dir / f"{name}.tsv.xz"
    if compact.exists():
        import lzma

        with lzma.open(compact, "rt", encoding="utf-8") as fh:
            return [tuple(line.rstrip("\n").split("\t", 1)) for line in fh]  # type: ignore[misc]
    with (pairs_dir / f"{name}.jsonl").open(encoding="utf-8") as fh:
        return [(r["src"], r["tgt"]) for r in map(json.loads, fh)]


def _batches(encoded: list[tuple[list[int], list[int]]], tokens_per_batch: int, rng: random.Random):
    """Endless length-bucketed batches of about ``tokens_per_batch`` source+target tokens."""
    while True:
        order = list(range(len(encoded)))
        rng.shuffle(order)
        for c in range(0, len(order), 4096):
            chunk = sorted(order[c : c + 4096], key=lambda i: len(encoded[i][0]))
            batches: list[list[int]] = []
            cur: list[int] = []
            longest = 0
            for i in chunk:
                n = max(len(encoded[i][0]), len(encoded[i][1]))
                if cur and max(longest, n) * 2 * (len(cur) + 1) > tokens_per_batch:
                    batches.append(cur)
                    cur, longest = [], 0
                cur.append(i)
                longest = max(longest, n)
            if cur:
                batches.append(cur)
            rng.shuffle(batches)
            yield from batches


def _collate(torch, encoded, idx):
    import numpy as np

    src = [encoded[i][0] for i in idx]
    tgt = [encoded[i][1] for i in idx]
    ls, lt = max(map(len, src)), max(map(len, tgt))
    input_ids = np.zeros((len(idx), ls), dtype=np.int64)
    labels = np.full((len(idx), lt), -100, dtype=np.int64)
    for k, (s, t) in enumerate(zip(src, tgt, strict=True)):
        input_ids[k, : len(s)] = s
        labels[k, : len(t)] = t
    ids = torch.from_numpy(input_ids)
    return ids, (ids != 0).long(), torch.from_numpy(labels)


def _prefetch(it, depth: int = 8):
    """Run an iterator in a thread, ``depth`` items ahead (batches are built on the CPU)."""
    import queue
    import threading

    q: queue.Queue = queue.Queue(maxsize=depth)

    def work() -> None:
        try:
            for item in it:
                q.put((item, None))
        except BaseException as exc:  # hand it to the trainer instead of hanging it
            q.put((None, exc))

    threading.Thread(target=work, daemon=True).start()
    while True:
        item, exc = q.get()
        if exc is not None:
            raise exc
        yield item


def save_weights(model, torch, out: Path, *, shard_mb: float | None = None) -> list[Path]:
    """fp16 safetensors without the tied copies; shards of <= ``shard_mb`` for transport."""
    from safetensors.torch import save_file

    state = {k: v.detach().to(torch.float16).cpu().contiguous() for k, v in model.state_dict().items()}
    for tied in ("decoder.embed_tokens.weight", "encoder.embed_tokens.weight", "lm_head.weight"):
        state.pop(tied, None)
    out.mkdir(parents=True, exist_ok=True)
    if not shard_mb:
        save_file(state, str(out / "model.safetensors"), metadata={"format": "pt"})
        return [out / "model.safetensors"]
    shards: list[dict] = [{}]
    size = 0
    for k, v in state.items():
        n = v.numel() * v.element_size()
        if shards[-1] and size + n > shard_mb * 1e6:
            shards.append({})
            size = 0
        shards[-1][k] = v
        size += n
    paths = []
    for i, part in enumerate(shards):
        path = out / f"model-{i + 1:02d}-of-{len(shards):02d}.safetensors"
        save_file(part, str(path), metadata={"format": "pt"})
        paths.append(path)
    return paths


def merge_shards(folder: Path) -> Path:
    """Join ``model-NN-of-MM.safetensors`` shards into ``model.safetensors`` (and drop them)."""
    from safetensors.torch import load_file, save_file

    shards = sorted(folder.glob("model-*-of-*.safetensors"))
    if not shards:
        raise FileNotFoundError(f"{folder}: no model-NN-of-MM.safetensors shards to merge")
    state = {}
    for path in shards:
        state.update(load_file(str(path)))
    out = folder / "model.safetensors"
    save_file(state, str(out), metadata={"format": "pt"})
    for path in shards:
        path.unlink()
    return out


def evaluate(model, torch, encoded, tokens_per_batch: int, device: str) -> dict[str, float]:
    """Held-out loss, and token accuracy under teacher forcing."""
    model.eval()
    loss_sum, tok, correct = 0.0, 0, 0
    rng = random.Random(0)
    gen = _batches(encoded, tokens_per_batch, rng)
    seen = 0
    with torch.no_grad():
        while seen < len(encoded):
            idx = next(gen)
            seen += len(idx)
            ids, mask, labels = (t.to(device) for t in _collate(torch, encoded, idx))
            out = model(input_ids=ids, attention_mask=mask, labels=labels)
            n = int((labels != -100).sum())
            loss_sum += float(out.loss) * n
            tok += n
            pred = out.logits.argmax(-1)
            correct += int(((pred == labels) & (labels != -100)).sum())
    model.train()
    return {"heldout_loss": loss_sum / max(tok, 1), "heldout_token_acc": correct / max(tok, 1)}


def train(
    pairs_dir: Path,
    out: Path,
    *,
    recipe_name: str = "cpu",
    minutes: float = 20.0,
    seed: int = 0,
    max_train: int | None = None,
    max_heldout: int = 2000,
    device: str | None = None,
    tokenizer: Path | None = None,
    shard_mb: float | None = None,
    checkpoint_minutes: float | None = None,
) -> dict[str, object]:
    """Train a recipe for a wall-clock budget; write weights, config, tokenizer and a log.

    ``tokenizer`` reuses a sentencepiece model (trained beforehand with ``--tokenizer-only``,
    so a GPU run spends no time on it); ``shard_mb`` splits the weights for transport;
    ``checkpoint_minutes`` saves on the way, so a run cut off at its limit still returns weights.
    """
    import sentencepiece as spm
    import torch
    from transformers import T5ForConditionalGeneration

    recipe = RECIPES[recipe_name]
    torch.manual_seed(seed)
    torch.set_num_threads(recipe.threads)
    device = device or default_device(torch, recipe)
    started = time.time()
    train_pairs = _read_pairs(pairs_dir, "train")[:max_train]
    heldout = _read_pairs(pairs_dir, "heldout")
    random.Random(seed).shuffle(heldout)
    heldout = heldout[:max_heldout]
    out.mkdir(parents=True, exist_ok=True)
    if tokenizer is None:
        tok_texts = [t for _, t in train_pairs[:150000]] + [s for s, _ in train_pairs[:50000]]
        spm_path = train_tokenizer(tok_texts, out, recipe.vocab)
    else:
        spm_path = out / "spm.model"
        if tokenizer.resolve() != spm_path.resolve():
            spm_path.write_bytes(tokenizer.read_bytes())
    sp = spm.SentencePieceProcessor(model_file=str(spm_path))
    t_tok = time.time() - started

    def enc(pairs):
        srcs = sp.encode([s for s, _ in pairs], num_threads=recipe.threads)
        tgts = sp.encode([t for _, t in pairs], num_threads=recipe.threads)
        return [
            (a + [1], b + [1])
            for a, b in zip(srcs, tgts, strict=True)
            if len(a) < recipe.max_len and len(b) < recipe.max_len
        ]

    train_enc, held_enc = enc(train_pairs), enc(heldout)
    t_data = time.time() - started
    print(json.dumps({"train_pairs": len(train_enc), "heldout_pairs": len(held_enc),
                      "data_seconds": round(t_data, 1)}), flush=True)
    model = T5ForConditionalGeneration(t5_config(recipe)).to(device)  # type: ignore[arg-type]
    n_params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=recipe.lr, weight_decay=0.01, betas=(0.9, 0.98))
    budget = minutes * 60.0 - (time.time() - started)
    t0 = time.time()
    rng = random.Random(seed)
    step, tokens, log = 0, 0, []
    last_ckpt = t0
    model.train()
    batches = _prefetch(
        _collate(torch, train_enc, idx) for idx in _batches(train_enc, recipe.tokens_per_batch, rng)
    )
    for batch in batches:
        elapsed = time.time() - t0
        if elapsed >= budget * 0.97:
            break
        frac = elapsed / budget
        lr = recipe.lr * min(1.0, (elapsed + 1) / recipe.warmup_s) * max(0.02, 1 - frac)
        for g in opt.param_groups:
            g["lr"] = lr
        ids, mask, labels = (t.to(device, non_blocking=True) for t in batch)
        with torch.autocast(device_type=device, dtype=torch.bfloat16, enabled=recipe.bf16):
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        step += 1
        tokens += int(batch[1].sum()) + int((batch[2] != -100).sum())
        if step % 50 == 0:
            log.append({"step": step, "s": round(elapsed), "loss": round(float(loss.detach()), 4), "lr": lr})
            print(json.dumps(log[-1]), flush=True)
        if checkpoint_minutes and time.time() - last_ckpt > checkpoint_minutes * 60:
            save_weights(model, torch, out, shard_mb=shard_mb)
            model.config.to_json_file(str(out / "config.json"))
            last_ckpt = time.time()
    train_s = time.time() - t0
    metrics = evaluate(model, torch, held_enc, recipe.tokens_per_batch, device)
    metrics.update(_scoring_speed(model, torch, held_enc, device))
    save_weights(model, torch, out, shard_mb=shard_mb)
    model.config.to_json_file(str(out / "config.json"))
    info = {
        "recipe": recipe_name,
        "hyperparameters": asdict(recipe),
        "parameters": n_params,
        "train_pairs": len(train_enc),
        "heldout_pairs": len(held_enc),
        "steps": step,
        "train_tokens": tokens,
        "train_seconds": round(train_s, 1),
        "tokenizer_seconds": round(t_tok, 1),
        "data_seconds": round(t_data, 1),
        "device": torch.cuda.get_device_name() if device == "cuda" else device,
        "torch": torch.__version__,
        **{k: round(v, 4) for k, v in metrics.items()},
        "log": log[-20:],
    }
    (out / "training.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    return info


def _scoring_speed(model, torch, encoded, device: str) -> dict[str, float]:
    """Teacher-forced scoring throughput (sentences/s, batches of 32), as the stage uses it."""
    model.eval()
    rows = encoded[:1024]
    t0 = time.time()
    with torch.inference_mode():
        for b in range(0, len(rows), 32):
            ids, mask, labels = (t.to(device) for t in _collate(torch, rows, range(b, min(b + 32, len(rows)))))
            model(input_ids=ids, attention_mask=mask, labels=labels)
    if device == "cuda":
        torch.cuda.synchronize()
    model.train()
    return {"scoring_sentences_per_s": len(rows) / max(time.time() - t0, 1e-9)}


def tokenizer_only(pairs_dir: Path, out: Path, *, recipe_name: str) -> Path:
    """Train just the sentencepiece model (on the CPU, before a GPU run)."""
    pairs = _read_pairs(pairs_dir, "train")
    texts = [t for _, t in pairs[:150000]] + [s for s, _ in pairs[:50000]]
    return train_tokenizer(texts, out, RECIPES[recipe_name].vocab)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=Path, default=Path("build/rewrite"))
    ap.add_argument("--out", type=Path, default=Path("models"))
    ap.add_argument("--recipe", choices=sorted(RECIPES), default="cpu")
    ap.add_argument("--minutes", type=float, default=20.0)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--max-train", type=int, default=None)
    ap.add_argument("--tokenizer", type=Path, default=None, help="reuse this spm.model")
    ap.add_argument("--tokenizer-only", action="store_true", help="train spm.model and stop")
    ap.add_argument("--shard-mb", type=float, default=None, help="split weights into shards")
    ap.add_argument("--checkpoint-minutes", type=float, default=None)
    ap.add_argument("--merge-shards", type=Path, default=None, metavar="DIR",
                    help="join DIR/model-NN-of-MM.safetensors into DIR/model.safetensors and stop")
    args = ap.parse_args(argv)
    if args.merge_shards:
        print(merge_shards(args.merge_shards))
        return
    if args.tokenizer_only:
        print(tokenizer_only(args.pairs, args.out, recipe_name=args.recipe))
        return
    info = train(args.pairs, args.out, recipe_name=args.recipe, minutes=args.minutes, seed=args.seed,
                 max_train=args.max_train, tokenizer=args.tokenizer, shard_mb=args.shard_mb,
                 checkpoint_minutes=args.checkpoint_minutes)
    print(json.dumps({k: v for k, v in info.items() if k != "log"}))


if __name__ == "__main__":
    main()
