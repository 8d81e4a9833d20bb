"""`repair batch`: repair many documents (a folder, a JSONL file, a Parquet file) at scale.

The local engine (:mod:`repair.batch.local`) runs the pipeline in N worker processes, each
loading the pipeline once, keeps a manifest with a checkpoint per document so that an
interrupted run resumes to the same output, and writes every output atomically.  The Ray
engine (:mod:`repair.batch.ray_engine`) runs the same per-document work on Ray Data.
"""
