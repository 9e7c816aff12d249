"""The source: the meeting file read (load), typed (model), checked (checks), worded (messages).

Everything below this package may trust a MeetingFile: every reference resolves, every slug is
unique, every attached file exists. Nothing here knows about pages, addresses or outputs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from .checks import cross_check, file_checker
from .errors import MeetingError, Problem
from .load import Loaded, dotted, load_yaml
from .messages import located
from .model import MeetingFile

__all__ = ["MeetingError", "MeetingFile", "Problem", "load_meeting", "validate"]


def load_meeting(path: Path, display: str | None = None) -> MeetingFile:
    """Read, type-check and cross-check the meeting file; raise MeetingError naming every problem."""
    display = display or str(path)
    return validate(load_yaml(path, display), display, checks=(file_checker(path.parent, display),))


def validate(loaded: Loaded, display: str, checks: tuple[Callable[[MeetingFile], list], ...] = ()) -> MeetingFile:
    """Type-check, then cross-check; raise one MeetingError listing every problem with its line."""
    def problem(loc: tuple, message: str, key: bool = False) -> Problem:
        line, col = loaded.where(loc, key)
        return Problem(display, line, col, dotted(loc), message)

    if not isinstance(loaded.data, dict):
        raise MeetingError([problem((), "the file must be a mapping with a 'meeting:' section at the top")])
    try:
        model = MeetingFile.model_validate(loaded.data)
    except ValidationError as exc:
        errors = exc.errors()
        # Suggestions compare each unknown key with every field: skip them for a flood of errors.
        raise MeetingError([located(problem, e, hints=len(errors) <= 100) for e in errors]) from None
    problems = [problem(loc, msg) for check in (cross_check, *checks) for loc, msg in check(model)]
    if problems:
        raise MeetingError(problems)
    return model
