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
from .partial import typed_part

__all__ = ["MeetingError", "MeetingFile", "Problem", "load_meeting", "validate"]


def load_meeting(path: Path, display: str | None = None) -> MeetingFile:
    """Read, type-check and cross-check the meeting file; raise MeetingError naming every problem."""
    display = display or str(path)
    return validate(load_yaml(path, display), display, checks=(file_checker(path.parent, display),))


def validate(loaded: Loaded, display: str, checks: tuple[Callable[[MeetingFile], list], ...] = ()) -> MeetingFile:
    """Type-check, then cross-check; raise one MeetingError listing every problem with its line.

    With type errors, the cross-checks still run on the part of the file that types (partial.py),
    so that a missing parent shows in the same run as a wrong date.
    """
    def problem(loc: tuple, message: str, key: bool = False) -> Problem:
        line, col = loaded.where(loc, key)
        return Problem(display, line, col, dotted(loc), message)

    if not isinstance(loaded.data, dict):
        raise MeetingError([problem((), "tệp phải bắt đầu bằng phần 'meeting:' (các mục dạng tên: giá trị), "
                                        "không phải một danh sách hay một dòng văn bản")])
    try:
        return _checked(MeetingFile.model_validate(loaded.data), lambda loc: loc, problem, checks, {})
    except ValidationError as exc:
        errors = exc.errors()
    # Suggestions compare each unknown key with every field: skip them for a flood of errors.
    problems = [located(problem, e, hints=len(errors) <= 100) for e in errors]
    part = typed_part(loaded.data, errors) if len(errors) <= 100 else None
    if part is not None:
        try:
            _checked(part.model, part.to_raw, problem, checks, part.also)
        except MeetingError as more:
            problems += more.problems
    raise MeetingError(problems)


def _checked(model: MeetingFile, to_raw: Callable[[tuple], tuple], problem: Callable[..., Problem],
             checks: tuple[Callable[[MeetingFile], list], ...], also: dict) -> MeetingFile:
    """The cross-checks and `checks` on `model`, whose places `to_raw` maps to the file as written."""
    def line(loc: tuple) -> str:
        return f"dòng {problem(to_raw(loc), '').line}"

    found = cross_check(model, line, also) + [found for check in checks for found in check(model)]
    if found:
        raise MeetingError([problem(to_raw(loc), msg) for loc, msg in found])
    return model
