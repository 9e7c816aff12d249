"""The model's fields found by their place in the file, and what each expects, in Vietnamese.

The messages (what was expected at `meeting.sessions[0].start`), the partial validation (which
part of the file may be left out) and the guide's field reference all walk the model this way.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass
from typing import Annotated, Any, Literal

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from . import kinds
from .kinds import Kind
from .model import MeetingFile


@dataclass(frozen=True)
class Slot:
    """What may stand at one place of the file: its type, the constraints on it, and its field
    (None for an item of a list)."""

    annotation: Any
    metadata: tuple = ()
    field: FieldInfo | None = None

    @property
    def model(self) -> type[BaseModel] | None:
        return self.annotation if isinstance(self.annotation, type) and issubclass(self.annotation, BaseModel) else None

    @property
    def item(self) -> Slot | None:
        """The slot of each item, for a list."""
        if typing.get_origin(self.annotation) is not list:
            return None
        return _slot(typing.get_args(self.annotation)[0])

    def child(self, part: str | int) -> Slot | None:
        if isinstance(part, int):
            return self.item
        model = self.model
        info = model.model_fields.get(part) if model else None
        if info is None:
            return None
        slot = _slot(info.annotation)
        return Slot(slot.annotation, (*info.metadata, *slot.metadata), info)

    @property
    def kind(self) -> Kind:
        """What the value is and an example, in the organizer's words."""
        marked = next((m for m in self.metadata if isinstance(m, Kind)), None)
        if marked:
            return marked
        ann = self.annotation
        if typing.get_origin(ann) is Literal:
            values = typing.get_args(ann)
            return Kind("một trong: " + ", ".join(str(v) for v in values), str(values[0]))
        if ann is bool:
            return Kind("true (có) hoặc false (không)", "true")
        if ann in (int, float):
            name = "số nguyên" if ann is int else "số (phần lẻ viết sau dấu chấm: 7.5)"
            return Kind(name + _bounds(self.metadata), "10")
        if self.item is not None:
            item = self.item.kind
            return Kind(f"danh sách, mỗi mục là {item.name}", f"[{item.example}]" if item.example else "")
        if self.model is not None:
            return Kind(f"nhóm các mục con ({', '.join(self.model.model_fields)}), mỗi mục một dòng thụt vào dưới "
                        "tên nhóm", "")
        return kinds.TEXT

    @property
    def example(self) -> str:
        """The field's own example (`examples=` in the model), else its kind's."""
        examples = self.field.examples if self.field else None
        if examples:
            value = examples[0]
            return f"[{', '.join(map(str, value))}]" if isinstance(value, list) else str(value)
        item = self.item
        if item is not None and item.example:
            return f"[{item.example}]"
        return self.kind.example

    @property
    def required(self) -> bool:
        return self.field is None or self.field.is_required()


def slot_at(loc: tuple) -> Slot | None:
    """The slot at a place in the file (`("meeting", "sessions", 0, "start")`), None past what the
    model knows."""
    slot: Slot | None = Slot(MeetingFile)
    for part in loc:
        slot = slot.child(part) if slot else None
    return slot


def known_fields(loc: tuple) -> list[str]:
    """Field names valid at `loc`."""
    slot = slot_at(loc)
    return list(slot.model.model_fields) if slot and slot.model else []


def _slot(annotation: Any) -> Slot:
    """Optional[...] walks as what it holds; Annotated[...] brings its constraints and Kind."""
    metadata: tuple = ()
    while True:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if typing.get_origin(annotation) in (typing.Union, types.UnionType) and len(args) == 1:
            annotation = args[0]
        elif typing.get_origin(annotation) is Annotated:
            base, *extra = typing.get_args(annotation)
            for item in extra:
                metadata += tuple(item.metadata) if isinstance(item, FieldInfo) else (item,)
            annotation = base
        else:
            return Slot(annotation, metadata)


def _bounds(metadata: tuple) -> str:
    def number(value: float) -> str:
        return f"{value:,}".replace(",", ".")

    low = next((m for m in metadata if isinstance(m, (annotated_types.Ge, annotated_types.Gt))), None)
    high = next((m for m in metadata if isinstance(m, (annotated_types.Le, annotated_types.Lt))), None)
    parts = []
    if isinstance(low, annotated_types.Ge):
        parts.append(f"từ {number(low.ge)}" + ("" if high else " trở lên"))
    elif low is not None:
        parts.append(f"lớn hơn {number(low.gt)}")
    if isinstance(high, annotated_types.Le):
        parts.append(f"đến {number(high.le)}" if isinstance(low, annotated_types.Ge) else f"tối đa {number(high.le)}")
    elif high is not None:
        parts.append(f"nhỏ hơn {number(high.lt)}")
    return " " + ", ".join(parts).replace(", đến", " đến") if parts else ""
