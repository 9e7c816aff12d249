"""Validation messages: pydantic's errors in the organizer's words, placed at a line and column.

Each says what was found and what is expected there, with an example, from the model itself
(source/fields.py): the same words the guide's field reference uses.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from typing import Any

from .errors import Problem, printable, quote
from .fields import Slot, known_fields, slot_at
from .load import dotted

# Keys organizers guess, and the field they mean (offered when it exists where the key was typed).
_MEANT = {
    "agenda": "items", "program": "items", "programme": "items", "chuong_trinh": "items", "chuong-trinh": "items",
    "speaker": "presenter", "presentor": "presenter", "trinh_bay": "presenter",
    "location": "place", "address": "place", "venue": "place", "dia_diem": "place", "dia-diem": "place",
    "tel": "phone", "telephone": "phone", "phone_number": "phone", "mobile": "phone", "sdt": "phone",
    "mail": "email", "e-mail": "email", "e_mail": "email",
    "link": "url", "website": "url", "web": "url",
    "ten": "name", "ngay": "date", "gio": "start", "time": "start", "begin": "start", "finish": "end",
    "deadline": "at", "han": "at", "tieu_de": "title", "noi_dung": "text",
}


def located(problem, error: dict[str, Any], hints: bool = True) -> Problem:
    """Point at the key for unknown keys, at the enclosing key for missing ones, else at the value."""
    loc = tuple(error["loc"])
    if error["type"] == "missing":
        p = problem(loc[:-1], _message(error, hints), key=True)
        return replace(p, path=dotted(loc)) if p.cell is None else p
    return problem(loc, _message(error, hints), key=error["type"] == "extra_forbidden")


def _message(error: dict[str, Any], hints: bool = True) -> str:
    kind, loc, value = error["type"], tuple(error["loc"]), error.get("input")
    slot = slot_at(loc) or Slot(str)
    expected = _expected(slot)
    if kind == "extra_forbidden":
        return _unknown_key(loc, value, hints)
    if kind == "missing":
        return _missing(str(loc[-1]), slot)
    if kind == "text_empty":
        return f"để trống; {expected}{_example(slot)}"
    if kind == "value_error":
        return error["msg"].removeprefix("Value error, ")
    if kind == "string_pattern_mismatch":
        return f"{quote(value)} không phải {slot.kind.name}{_example(slot, ';')}"
    if kind == "string_too_long":
        return (f"dài {len(value):,} ký tự; tối đa {error['ctx']['max_length']:,} ký tự").replace(",", ".")
    if kind == "too_short":
        least = error["ctx"]["min_length"]
        return f"danh sách trống; cần ít nhất {least} mục" if not value else f"cần ít nhất {least} mục"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return f"{_shown(value)} ngoài khoảng cho phép; {expected}"
    if kind == "literal_error":
        return f"{quote(value)} không phải giá trị dùng được ở đây; chọn {expected.removeprefix('cần ')}"
    if kind == "int_from_float":
        return f"{_shown(value)} có phần lẻ; {expected}{_example(slot)}"
    if kind in ("int_parsing", "float_parsing", "bool_parsing") and isinstance(value, str):
        return f"{quote(value)} không phải {'true/false' if kind == 'bool_parsing' else 'số'}; {expected}{_example(slot)}"
    if kind == "list_type":
        return (f"{_found(value)}; {expected}: mỗi mục một dòng bắt đầu bằng dấu - và dấu cách, hoặc cả danh sách "
                f"trong dấu ngoặc vuông{_example(slot)}")
    if isinstance(value, dict) and len(value) == 1 and slot.model is None:
        return _found(value)  # a colon in the text: the cause, not the type, is what to say
    return f"{_found(value)}; {expected}{_example(slot)}"


def _missing(name: str, slot: Slot) -> str:
    what = f"thiếu mục '{name}' (bắt buộc)"
    if slot.field and slot.field.description:
        what += f": {slot.field.description[0].lower()}{slot.field.description[1:]}"
    if slot.model:
        needed = [n for n, f in slot.model.model_fields.items() if f.is_required()]
        return f"{what}; viết {name}: rồi các mục con thụt vào bên dưới ({', '.join(needed)})"
    return f"{what}; {_expected(slot)}" + (f", ví dụ {name}: {slot.example}" if slot.example else "")


def _example(slot: Slot, sep: str = ",") -> str:
    return f"{sep} ví dụ {slot.example}" if slot.example else ""


def _expected(slot: Slot) -> str:
    kind = slot.kind
    return f"cần {kind.name}, {kind.forms}" if kind.forms else f"cần {kind.name}"


def _shown(value: Any) -> str:
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else quote(value)


def _found(value: Any) -> str:
    """What stands in the file, as the organizer would see it."""
    if value is None:
        return "để trống"
    if isinstance(value, bool):
        return f"là {str(value).lower()} (có/không)"
    if isinstance(value, (int, float)):
        return f"là số {value}"
    if isinstance(value, list):
        return "là một danh sách"
    if isinstance(value, dict):
        if len(value) == 1:  # `- Đề nghị: thực hiện` is read as a key and a value
            key = str(next(iter(value)))
            example = f" (\"{printable(key)}: …\")" if len(key) <= 40 else ""
            return (f"đọc thành mục {quote(key)} vì có dấu hai chấm và dấu cách sau {quote(key)}; nếu đó là "
                    f"văn bản, đặt cả đoạn trong dấu nháy kép{example}")
        return "là một nhóm mục (tên: giá trị)"
    return f"là {quote(value)}"


def _unknown_key(loc: tuple, value: Any, hints: bool) -> str:
    key = str(loc[-1])
    message = f"không có mục {quote(key)} ở đây"
    if not hints:
        return message
    known = known_fields(loc[:-1])
    meant = _MEANT.get(key.lower())
    close = [meant] if meant in known else difflib.get_close_matches(key, known, n=1, cutoff=0.7)
    if close:
        return f"{message}; có phải '{close[0]}'?"
    if value is None and (" " in key or not key.isascii()):  # {name: Thường trực các huyện, thành}
        return (f"{message}: trong dấu ngoặc {{ }}, dấu phẩy ngăn cách các mục; văn bản có dấu phẩy phải đặt "
                "trong dấu nháy kép")
    return f"{message}; các mục viết được ở đây: {', '.join(known)}" if known else message
