"""One frozen configuration, found in ``[tool.repair]`` of pyproject.toml or in repair.toml.

Discovery walks up from the input's folder; the nearest file that has a repair section
wins.  CLI flags win over files.  Keys use dashes in files (``fail-on``) and underscores
here (``fail_on``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from repair.errors import ConfigError

DEFAULT_STAGES = (
    "encoding",
    "spintax",
    "loops",
    "hyphens",
    "spacing",
    "lexicon",
    "names",
    "rewrite",
    "articles",
)


@dataclass(frozen=True)
class RepairConfig:
    threshold: float = 0.9  # auto-apply at or above this confidence
    fail_on: float | None = None  # check fails on findings at/above this; None = threshold
    stages: tuple[str, ...] = DEFAULT_STAGES
    disable: tuple[str, ...] = ()
    model: bool = True  # use the seq2seq rewriter when its weights are present
    kind_thresholds: dict[str, float] = field(default_factory=dict)
    ignore_words: tuple[str, ...] = ()
    ignore_names: tuple[str, ...] = ()
    gazetteer: tuple[str, ...] = ()  # extra TSV/CSV gazetteer files
    markup: str | None = None  # "text", "markdown", "html"; None = from the file's extension
    source: str | None = None  # where this config came from, for messages

    @property
    def fail_threshold(self) -> float:
        return self.threshold if self.fail_on is None else self.fail_on

    def threshold_for(self, kind: str) -> float:
        return self.kind_thresholds.get(kind, self.threshold)

    def active_stages(self) -> tuple[str, ...]:
        off = set(self.disable)
        if not self.model:
            off.add("rewrite")
        return tuple(s for s in self.stages if s not in off)

    def with_overrides(self, **kw: Any) -> RepairConfig:
        return replace(self, **{k: v for k, v in kw.items() if v is not None})


_FIELDS = {f.name for f in fields(RepairConfig)}
_TUPLES = {"stages", "disable", "ignore_words", "ignore_names", "gazetteer"}


MARKUPS = ("text", "markdown", "html")


def _number(value: Any) -> bool:
    """A TOML number in 0..1 (``true`` is not a number, though Python says bool is an int)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1


def from_mapping(data: Any, source: str) -> RepairConfig:
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: the repair config must be a table, got {data!r}")
    kw: dict[str, Any] = {}
    for key, value in data.items():
        name = key.replace("-", "_")
        if name not in _FIELDS or name == "source":
            known = ", ".join(sorted(f.replace("_", "-") for f in _FIELDS if f != "source"))
            raise ConfigError(f"{source}: unknown key {key!r} in repair config; known keys: {known}")
        if name in _TUPLES:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{source}: {key!r} must be a list of strings")
            value = tuple(value)
            if name == "gazetteer":  # relative to the config file
                base = Path(source).parent
                value = tuple(str((base / v).resolve()) for v in value)
        elif name in ("threshold", "fail_on"):
            if not _number(value):
                raise ConfigError(f"{source}: {key!r} must be a number in 0..1, got {value!r}")
            value = float(value)
        elif name == "kind_thresholds":
            if not isinstance(value, dict) or not all(_number(v) for v in value.values()):
                raise ConfigError(f"{source}: {key!r} must be a table of kind = number in 0..1")
            value = {str(k): float(v) for k, v in value.items()}
        elif name == "model":
            if not isinstance(value, bool):
                raise ConfigError(f"{source}: {key!r} must be true or false, got {value!r}")
        elif name == "markup":
            if value not in MARKUPS:
                raise ConfigError(f"{source}: {key!r} must be one of {', '.join(MARKUPS)}, got {value!r}")
        kw[name] = value
    return RepairConfig(**kw, source=source)


def load_file(path: Path) -> RepairConfig | None:
    """The repair config in ``path``, or None when the file has no repair section."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        section = tool.get("repair") if isinstance(tool, dict) else None
        if section is None:
            return None
        return from_mapping(section, str(path))
    return from_mapping(data.get("repair", data), str(path))


def discover(start: Path | None = None) -> RepairConfig:
    """Walk up from ``start`` (a file or folder) and return the first repair config found."""
    here = (start or Path.cwd()).resolve()
    if here.is_file() or not here.exists():
        here = here.parent
    for folder in (here, *here.parents):
        for name in ("repair.toml", "pyproject.toml"):
            candidate = folder / name
            if candidate.is_file():
                cfg = load_file(candidate)
                if cfg is not None:
                    return cfg
    return RepairConfig()
