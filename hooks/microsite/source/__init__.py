"""The source: the meeting file read (load), typed (model), checked (checks), worded (messages).

Everything below this package may trust a MeetingFile: every reference resolves, every slug is
unique, every attached file exists. Nothing here knows about pages, addresses or outputs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from .backdrop import template_checker
from .checks import cross_check, file_checker
from .errors import MeetingError, Problem
from .load import Loaded, dotted, load_yaml
from .messages import located
from .model import MeetingFile
from .sheets import Sheets, merge_points_files

__all__ = ["MeetingError", "MeetingFile", "Problem", "load_meeting", "validate"]


def load_meeting(path: Path, display: str | None = None) -> MeetingFile:
    """Read, type-check and cross-check the meeting file; raise MeetingError naming every problem."""
    display = display or str(path)
    loaded = load_yaml(path, display)
    sheets = merge_points_files(loaded, path.parent, display)  # the tiers' points_file rows join their points
    checks = (file_checker(path.parent, display), template_checker(path.parent))
    return validate(loaded, display, checks=checks, sheets=sheets)


def validate(loaded: Loaded, display: str, checks: tuple[Callable[[MeetingFile], list], ...] = (),
             sheets: Sheets | None = None) -> MeetingFile:
    """Type-check, then cross-check; raise one MeetingError listing every problem with its line
    (or, for a point from a spreadsheet, its row and column) together with the sheets' own."""
    sheets = sheets or Sheets()

    def problem(loc: tuple, message: str, key: bool = False) -> Problem:
        in_sheet = sheets.problem(loc, message)
        if in_sheet:
            return in_sheet
        line, col = loaded.where(loc, key)
        return Problem(display, line, col, dotted(loc), sheets.mention(message))

    if not isinstance(loaded.data, dict):
        raise MeetingError([problem((), "the file must be a mapping with a 'meeting:' section at the top")])
    try:
        model = MeetingFile.model_validate(loaded.data)
    except ValidationError as exc:
        errors = exc.errors()
        # Suggestions compare each unknown key with every field: skip them for a flood of errors.
        raise MeetingError(sheets.problems + [located(problem, e, hints=len(errors) <= 100) for e in errors]) from None
    problems = sheets.problems + [problem(loc, msg) for check in (cross_check, *checks) for loc, msg in check(model)]
    if problems:
        raise MeetingError(problems)
    return model
