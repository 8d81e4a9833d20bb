"""A progress bar on stderr (documents, docs/s, words/s, ETA), shown only on a terminal."""

from __future__ import annotations

from typing import Any


class Progress:
    """Counts documents and words; draws a rich bar when ``enabled``, else stays quiet."""

    def __init__(self, total: int | None, *, enabled: bool, label: str = "repair"):
        self._bar: Any = None
        self._task: Any = None
        self.words = 0
        if not enabled:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            ProgressColumn,
            TextColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichProgress
        from rich.text import Text

        class RateColumn(ProgressColumn):
            def render(self, task: Any) -> Text:
                elapsed = task.elapsed or 0.0
                if elapsed <= 0:
                    return Text("– docs/s", style="progress.data.speed")
                docs = task.completed / elapsed
                words = task.fields.get("words", 0) / elapsed
                return Text(f"{docs:,.1f} docs/s {words:,.0f} words/s", style="progress.data.speed")

        self._bar = RichProgress(
            TextColumn(f"[bold]{label}"),
            BarColumn(),
            MofNCompleteColumn(),
            RateColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._task = self._bar.add_task(label, total=total, words=0)
        self._bar.start()

    def advance(self, words: int = 0) -> None:
        self.words += words
        if self._bar is not None:
            self._bar.update(self._task, advance=1, words=self.words)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
