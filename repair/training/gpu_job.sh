#!/usr/bin/env bash
# The one prepared GPU run of the rewriter (issue 6), as sent to the lent H200.
#
# Prepared on the CPU beforehand (see models/MODEL_CARD.md):
#   python -m repair.training.pairs --out build/gpu --max-docs-per-source 10000 --compact
#   python -m repair.training.train --pairs build/gpu --out build/gpu --recipe gpu --tokenizer-only
# then run with build/gpu carried to the machine, which has torch, transformers and
# sentencepiece but not this package's other dependencies: train.py runs as a plain script.
# Weights come back in shards of <= 15 MB; join them with
#   python -m repair.training.train --merge-shards DIR
set -euo pipefail
export PYTHONUNBUFFERED=1
OUT=${OUT:-build/gpu-out}
MINUTES=${MINUTES:-6.3}
PAIRS=${PAIRS:-build/gpu}
mkdir -p "$OUT/model"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
python3 -c "import torch, transformers, sentencepiece; print('torch', torch.__version__, 'transformers', transformers.__version__, 'cuda', torch.cuda.is_available())"
python3 repair/training/train.py --pairs "$PAIRS" --out "$OUT/model" --recipe "${RECIPE:-gpu-fast}" \
  --tokenizer "$PAIRS/spm.model" --minutes "$MINUTES" --shard-mb 15 --checkpoint-minutes 1.5 \
  2>&1 | tee "$OUT/train.log"
rm -f "$OUT/model/spm.model"  # the tokenizer is the carried one; no need to send it back
ls -la "$OUT/model"
