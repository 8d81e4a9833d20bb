"""The seq2seq rewriter: a small T5 used as a *scorer* of local edits, never as a free writer.

``repair.rewrite.stage`` registers the ``rewrite`` stage; ``repair.rewrite.model`` loads the
weights from ``models/`` lazily (torch is imported only there); ``repair.rewrite.guards``
holds the checks every rewrite must pass.
"""
