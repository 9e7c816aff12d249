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
from .partial import typed_part

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
    (or, for a point from a spreadsheet, its row and column) together with the sheets' own.

    With type errors, the cross-checks still run on the part of the file that types (partial.py),
    so that a missing parent shows in the same run as a wrong date.
    """
    sheets = sheets or Sheets()

    def problem(loc: tuple, message: str, key: bool = False) -> Problem:
        in_sheet = sheets.problem(loc, message)
        if in_sheet:
            return in_sheet
        line, col = loaded.where(loc, key)
        return Problem(display, line, col, dotted(loc), sheets.mention(message))

    if not isinstance(loaded.data, dict):
        raise MeetingError([problem((), "tệp phải bắt đầu bằng phần 'meeting:' (các mục dạng tên: giá trị), "
                                        "không phải một danh sách hay một dòng văn bản")])
    try:
        model = MeetingFile.model_validate(loaded.data)
    except ValidationError as exc:
        errors = exc.errors()
    else:
        return _checked(model, lambda loc: loc, problem, checks, {}, sheets.problems)
    # Suggestions compare each unknown key with every field: skip them for a flood of errors.
    problems = sheets.problems + [located(problem, e, hints=len(errors) <= 100) for e in errors]
    part = typed_part(loaded.data, errors) if len(errors) <= 100 else None
    if part is not None:
        try:
            _checked(part.model, part.to_raw, problem, checks, part.also)
        except MeetingError as more:
            problems += more.problems
    raise MeetingError(problems)


def _checked(model: MeetingFile, to_raw: Callable[[tuple], tuple], problem: Callable[..., Problem],
             checks: tuple[Callable[[MeetingFile], list], ...], also: dict, earlier: list[Problem] = ()) -> MeetingFile:
    """The cross-checks and `checks` on `model`, whose places `to_raw` maps to the file as written;
    `earlier`: problems already found (a spreadsheet's), reported with these."""
    def line(loc: tuple) -> str:
        """Where another item is, for a message about this one: its line, or its sheet and row."""
        at = problem(to_raw(loc), "")
        return f"{at.file} dòng {at.line}" if at.cell is not None else f"dòng {at.line}"

    found = cross_check(model, line, also) + [found for check in checks for found in check(model)]
    if found or earlier:
        raise MeetingError([*earlier, *(problem(to_raw(loc), msg) for loc, msg in found)])
    return model
