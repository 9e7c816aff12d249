"""Validation messages: pydantic's errors in the organizer's terms, placed at a line and column."""

from __future__ import annotations

import difflib
import types
import typing
from dataclasses import replace
from typing import Any

from pydantic import BaseModel

from .errors import Problem, quote
from .load import dotted
from .model import MeetingFile


def located(problem, error: dict[str, Any], hints: bool = True) -> Problem:
    """Point at the key for unknown keys, at the enclosing key for missing ones, else at the value."""
    loc = tuple(error["loc"])
    if error["type"] == "missing":
        line_col_loc = loc[:-1]
        p = problem(line_col_loc, _message(error, hints), key=True)
        return replace(p, path=dotted(loc)) if p.cell is None else p
    return problem(loc, _message(error, hints), key=error["type"] == "extra_forbidden")


def _message(error: dict[str, Any], hints: bool = True) -> str:
    kind, loc = error["type"], error["loc"]
    if kind == "extra_forbidden":
        if not hints:
            return f"unknown key {quote(loc[-1])}"
        known = _known_fields(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else (f"; known keys: {', '.join(known)}" if known else "")
        return f"unknown key {quote(loc[-1])}{hint}"
    if kind == "missing":
        return "is required but missing"
    if kind == "string_pattern_mismatch":
        field = next((p for p in reversed(loc) if isinstance(p, str)), "")
        if field == "phone":
            return f"{quote(error['input'])} is not a phone number (digits, spaces and a leading + only)"
        if field in ("email", "send_to_email"):
            return f"{quote(error['input'])} is not an e-mail address"
        if field == "url":
            return f"{quote(error['input'])} is not a web address (http:// or https://, no spaces)"
        if field in ("slug", "id", "parent") or field.endswith("s"):
            return (f"{quote(error['input'])} is not a valid id: use lower-case ASCII letters, digits and "
                    "single hyphens (e.g. 'huong-son')")
        return f"{quote(error['input'])} is not in the expected form"
    msg = error["msg"]
    return msg[len("Value error, "):] if msg.startswith("Value error, ") else msg


def _known_fields(loc: tuple) -> list[str]:
    """Field names valid at `loc`, found by walking the model's annotations."""
    annotation: Any = MeetingFile
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(part, int):
            args = typing.get_args(annotation)
            annotation = args[0] if args else Any
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            info = annotation.model_fields.get(part)
            annotation = info.annotation if info else Any
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _unwrap(annotation: Any) -> Any:
    """Strip Optional[...] so that `X | None` walks as X."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return annotation


