"""What a batch did: counts, edits by kind, errors, and the spun phrases mined from it."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repair.io import write_atomic


@dataclass
class Summary:
    documents: int = 0  # repaired successfully (changed or not)
    changed: int = 0
    failed: int = 0
    skipped: int = 0  # files that are not .txt/.md/.html
    reused: int = 0  # taken from a previous run by --resume
    words: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    mined: Counter[tuple[str, str]] = field(default_factory=Counter)
    mined_applied: Counter[tuple[str, str]] = field(default_factory=Counter)
    errors: list[dict[str, Any]] = field(default_factory=list)
    skipped_files: list[str] = field(default_factory=list)

    def add_ok(self, stats: dict[str, Any], *, reused: bool = False) -> None:
        self.documents += 1
        self.reused += reused
        self.changed += bool(stats.get("changed"))
        self.words += int(stats.get("words", 0))
        self.kinds.update(stats.get("kinds", {}))
        for before, after, applied in stats.get("mined", ()):
            key = (" ".join(before.split()).lower(), after)
            self.mined[key] += 1
            self.mined_applied[key] += bool(applied)

    def add_error(self, ident: dict[str, Any], error: str) -> None:
        self.failed += 1
        self.errors.append({**ident, "error": error})

    def add_skipped(self, path: str) -> None:
        self.skipped += 1
        self.skipped_files.append(path)

    @property
    def exit_code(self) -> int:
        return 1 if self.changed or self.failed else 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "documents": self.documents + self.failed,
            "repaired": self.documents,
            "changed": self.changed,
            "failed": self.failed,
            "skipped": self.skipped,
            "reused": self.reused,
            "words": self.words,
            "edits_by_kind": dict(sorted(self.kinds.items(), key=lambda kv: (-kv[1], kv[0]))),
            "errors": self.errors,
            "skipped_files": self.skipped_files,
        }

    def line(self, elapsed: float) -> str:
        """The one-paragraph summary printed at the end of a run."""
        rate = (
            f"{self.documents / elapsed:.1f} docs/s, {self.words / elapsed:,.0f} words/s"
            if elapsed > 0
            else ""
        )
        kinds = ", ".join(
            f"{k} {n}" for k, n in sorted(self.kinds.items(), key=lambda kv: (-kv[1], kv[0]))
        )
        parts = [
            f"{self.documents + self.failed} documents: {self.changed} changed,"
            f" {self.documents - self.changed} unchanged, {self.failed} failed"
            + (f", {self.skipped} skipped (not text)" if self.skipped else "")
            + (f", {self.reused} reused from the last run" if self.reused else ""),
            f"edits: {kinds or 'none'}",
        ]
        if rate:
            parts.append(f"{elapsed:.1f}s, {rate}")
        return "; ".join(parts)

    def mined_table(self) -> str:
        """Spun phrases by frequency, as lexicon candidates: count, applied, phrase, suggestion."""
        rows = sorted(self.mined.items(), key=lambda kv: (-kv[1], kv[0]))
        out = ["# count\tapplied\tphrase\tsuggestion"]
        out += [f"{n}\t{self.mined_applied[k]}\t{k[0]}\t{k[1]}" for k, n in rows]
        return "\n".join(out) + "\n"

    def write(self, manifest_dir: Path, meta: dict[str, Any], mine: Path | None) -> Path:
        manifest_dir.mkdir(parents=True, exist_ok=True)
        path = manifest_dir / "manifest.json"
        write_atomic(
            path, json.dumps({**meta, **self.to_dict()}, indent=2, ensure_ascii=False) + "\n"
        )
        write_atomic(mine or manifest_dir / "spun_phrases.tsv", self.mined_table())
        return path
