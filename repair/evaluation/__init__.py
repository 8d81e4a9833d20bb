"""Evaluation against gold text: metrics (``metrics``) and the `repair eval` command (``command``)."""

from repair.evaluation.metrics import RowScore, edits, figures, score_row, tokens

__all__ = ["RowScore", "edits", "figures", "score_row", "tokens"]
