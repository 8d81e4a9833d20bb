"""Errors.  Each says what failed, what exists, and what to do."""

from __future__ import annotations


class RepairError(Exception):
    """Base class for every error this package raises on purpose."""


class EditError(RepairError, ValueError):
    """An edit does not fit the text it claims to edit."""


class InputError(RepairError):
    """A user's input cannot be read: missing, a directory, binary, or not UTF-8."""

    def __init__(self, path: str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class EmptyInputError(InputError):
    """The input holds no text (only whitespace): an error, unless the caller skips empties."""


class ConfigError(RepairError):
    """A configuration file or option is invalid."""


class UnknownStageError(RepairError, KeyError):
    def __init__(self, name: str, known: list[str]):
        super().__init__(
            f"unknown stage {name!r}; known stages: {', '.join(sorted(known))}."
            " Register it in repair.pipeline.STAGES or fix the name in your config."
        )

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])
