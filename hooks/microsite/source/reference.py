"""The field reference of the organizers' guide (HUONG-DAN.md), generated from the model.

One table per section of the meeting file, in the file's order: each field, whether it is
required, what it holds and an example (source/fields.py, the words the messages use) and its
description from the model. `make schema` rewrites it in the guide; a test fails when the
guide's copy is out of date, as for the JSON Schema.
"""

from __future__ import annotations

from pydantic import BaseModel

from .fields import Slot
from .model import MeetingFile

BEGIN = "<!-- BEGIN field reference: generated from hooks/microsite/source/model.py by `make schema` -->"
END = "<!-- END field reference -->"


def field_reference() -> str:
    """The reference as Markdown, between (and including) the BEGIN and END lines."""
    sections: list[str] = []
    _section(Slot(MeetingFile), "", "Tệp hội nghị", sections)
    return "\n".join([BEGIN, "", *sections, END]) + "\n"


def replaced(guide: str) -> str:
    """The guide's text with its reference section replaced by the current one."""
    start, end = guide.index(BEGIN), guide.index(END) + len(END) + 1
    return guide[:start] + field_reference() + guide[end:]


def _section(slot: Slot, path: str, title: str, out: list[str]) -> None:
    model: type[BaseModel] = slot.model  # type: ignore[assignment]
    rows = ["| Mục | Bắt buộc | Giá trị | Ý nghĩa |", "| --- | --- | --- | --- |"]
    nested: list[tuple[Slot, str, str]] = []
    for name in model.model_fields:
        child = slot.child(name)
        assert child is not None and child.field is not None
        inner, suffix = (child.item, "[]") if child.item is not None and child.item.model else (child, "")
        where = f"{path}.{name}" if path else name
        if inner.model is not None:
            value = f"{'danh sách, mỗi mục là ' if suffix else ''}nhóm mục, xem `{where}{suffix}`"
            nested.append((inner, where + suffix, child.field.description or where))
        else:
            value = child.kind.name + (f"; ví dụ `{child.example}`" if child.example else "")
        meaning = child.field.description or ""
        default = child.field.get_default(call_default_factory=False)
        if not child.required and isinstance(default, (str, int, float, bool)) and not isinstance(default, bool):
            meaning += f" (mặc định `{default}`)"
        rows.append(f"| `{name}` | {'có' if child.required else ''} | {_cell(value)} | {_cell(meaning)} |")
    heading = f"### `{path}` — {title}" if path else f"### {title}"
    out += [heading, "", *rows, ""]
    for inner, where, description in nested:
        _section(inner, where, description, out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
