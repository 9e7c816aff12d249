"""What of a file with type errors can still be cross-checked, so that every problem shows in one run.

pydantic gives no model when any value is wrong. The parts holding an error are left out (the
list item around it, else the outermost optional section around it; an unknown key alone), or,
for a required text or the only session, replaced by a stand-in that no check can fault, and the
rest is validated again, until it types or nothing more can be done (all tiers are wrong). The
cross-checks then run on that model.

Leaving an item out must not make a reference to it look broken: the ids of every item left out
are kept (`also`), and a kind whose ids could not be read at all accepts every reference. Leaving
items out can hide a problem until the next run, never invent one. Positions in the smaller file
are mapped back to the file as written (`to_raw`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..text import slugify
from .checks import Anything
from .fields import Slot, slot_at
from .kinds import TEXT
from .model import SLUG_PATTERN, MeetingFile, Session

# Lists whose items carry an id that other parts refer to, by the id's field.
_IDS = {("tiers",): ("tier", "id"), ("agencies",): ("agency", "id"), ("duties",): ("duty", "number"),
        ("deadlines",): ("deadline", "id"), ("contacts",): ("contact", "id"), ("documents",): ("document", "id")}
_ROUNDS = 20  # each round leaves out at least one more part; real files need one or two


@dataclass
class Partial:
    model: MeetingFile
    to_raw: Callable[[tuple], tuple]
    also: dict[str, Any] = field(default_factory=dict)


def typed_part(data: dict, errors: list[dict]) -> Partial | None:
    """The model of `data` without the parts `errors` are in, or None when no such model exists."""
    changed: dict[tuple, Any] = {}  # place in the file as written -> _GONE, or the stand-in put there
    to_raw = _mapper({})
    for _ in range(_ROUNDS):
        targets = [_target(to_raw(tuple(e["loc"])), e["type"]) for e in errors]
        if None in targets or all(t[0] in changed for t in targets):  # type: ignore[index]
            return None
        changed.update(targets)  # type: ignore[arg-type]
        maps: dict[tuple, list[int]] = {}
        pruned = _without(data, changed, _children(changed), (), maps)
        to_raw = _mapper(maps)
        try:
            model = MeetingFile.model_validate(pruned)
        except ValidationError as exc:
            errors = exc.errors()
            continue
        return Partial(model, to_raw, _ids(data, {loc for loc, v in changed.items() if v is _GONE}))
    return None


def _mapper(maps: dict[tuple, list[int]]) -> Callable[[tuple], tuple]:
    """Positions in the smaller file -> positions in the file as written."""
    def to_raw(loc: tuple) -> tuple:
        raw: tuple = ()
        for part in loc:
            if isinstance(part, int) and raw in maps and part < len(maps[raw]):
                part = maps[raw][part]
            raw = (*raw, part)
        return raw
    return to_raw


_GONE = object()
# Stands in for a required section that is wrong, so that the rest can still be cross-checked. The
# session is late enough that no deadline is after it, and has no agenda items to check.
_STAND_IN_TEXT = "…"
_STAND_IN_SESSION = {"label": _STAND_IN_TEXT, "date": "2199-12-31", "start": "23:59"}


def _target(loc: tuple, kind: str) -> tuple[tuple, Any] | None:
    """What to do about an error at `loc` (a place in the file as written): (place, _GONE) to leave a
    part out, (place, value) to put a stand-in there, None when neither can be done."""
    if kind == "extra_forbidden":
        return loc, _GONE
    index = max((i for i, part in enumerate(loc) if isinstance(part, int)), default=None)
    if index is not None:
        return loc[:index + 1], _GONE
    for depth in range(1, len(loc) + 1):  # the outermost optional section
        slot = slot_at(loc[:depth])
        if slot is not None and not slot.required:
            return loc[:depth], _GONE
    stand_in = _stand_in(slot_at(loc))
    return None if stand_in is _GONE else (loc, stand_in)


def _stand_in(slot: Slot | None) -> Any:
    if slot is None:
        return _GONE
    if slot.kind is TEXT:
        return _STAND_IN_TEXT
    if slot.item is not None and slot.item.model is Session:
        return [dict(_STAND_IN_SESSION)]
    if slot.model is None:
        return _GONE
    fields = {name: _stand_in(slot.child(name)) for name, info in slot.model.model_fields.items() if info.is_required()}
    return _GONE if _GONE in fields.values() else fields


def _children(changed: dict[tuple, Any]) -> dict[tuple, list[tuple]]:
    """The changed places by the place of their mapping, for stand-ins of keys that are missing."""
    out: dict[tuple, list[tuple]] = {}
    for loc in changed:
        if loc and isinstance(loc[-1], str):
            out.setdefault(loc[:-1], []).append(loc)
    return out


def _without(value: Any, changed: dict[tuple, Any], children: dict[tuple, list[tuple]], loc: tuple,
             maps: dict[tuple, list[int]]) -> Any:
    """`value` with the changes made; `maps` gets, for each list, the original index of each item kept."""
    if loc in changed:
        return changed[loc]
    if isinstance(value, dict):
        out = {k: _without(v, changed, children, (*loc, k), maps) for k, v in value.items()}
        out.update({place[-1]: changed[place] for place in children.get(loc, ()) if place[-1] not in value})
        return {k: v for k, v in out.items() if v is not _GONE}
    if isinstance(value, list):
        kept = [(i, _without(v, changed, children, (*loc, i), maps)) for i, v in enumerate(value)]
        kept = [(i, v) for i, v in kept if v is not _GONE]
        maps[loc] = [i for i, _ in kept]
        return [v for _, v in kept]
    return value


def _ids(data: dict, left_out: set[tuple]) -> dict[str, Any]:
    """By kind, the ids of the items left out: the id when it can be read, Anything when it cannot."""
    also: dict[str, Any] = {}

    def add(kind: str, ident: Any) -> None:
        if ident is None:
            also[kind] = Anything()
        elif not isinstance(also.get(kind), Anything):
            also.setdefault(kind, set()).add(ident)

    def walk(path: tuple, value: Any, gone: bool) -> None:
        listed = _IDS.get(path) or (("point", "slug") if len(path) == 3 and path[::2] == ("tiers", "points") else None)
        if listed and gone and not isinstance(value, list):
            add(listed[0], None)
        if isinstance(value, dict):
            for key, child in value.items():
                walk((*path, key), child, gone or (*path, key) in left_out)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                here = gone or (*path, i) in left_out
                if listed and here:
                    add(listed[0], _identity(*listed, item))
                walk((*path, i), item, here)

    walk((), data, False)
    return also


def _identity(kind: str, name: str, item: Any) -> Any:
    """The id an item is referred to by, or None when it cannot be read."""
    if not isinstance(item, dict):
        return None
    value = item.get(name)
    if kind == "duty":
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if kind == "point" and value is None and isinstance(item.get("name"), str):
        value = slugify(item["name"])
    return value if isinstance(value, str) and re.fullmatch(SLUG_PATTERN, value) else None
