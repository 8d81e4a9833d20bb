"""Training data and training recipes for the seq2seq rewriter (needs the ``model`` extra).

Nothing here is imported by the CLI; ``python -m repair.training.pairs`` builds pairs and
``python -m repair.training.train`` trains the model shipped in ``models/``.
"""
