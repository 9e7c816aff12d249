"""One error type for every mistake an organizer can make in the meeting file."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A file with a million mistakes must still give a readable message, not a million lines.
MAX_SHOWN = 50


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    column: int
    path: str
    message: str
    # In a spreadsheet (a tier's points_file): the column's header as the file writes it, '' for a
    # whole row; `line` is then the row (0 for the whole file) and `column` the column's number.
    cell: str | None = None

    def __str__(self) -> str:
        if self.cell is not None:
            where = self.file if not self.line else f"{self.file}: dòng {self.line}"
            return f"{where}, cột {self.cell}: {self.message}" if self.cell else f"{where}: {self.message}"
        where = f"{self.file}:{self.line}:{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class MeetingError(Exception):
    """Raised with every problem found in one pass, sorted by position in the file."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(set(problems))
        super().__init__(self.render())

    def render(self) -> str:
        count = len(self.problems)
        lines = [f"  {p}" for p in self.problems[:MAX_SHOWN]]
        if count > MAX_SHOWN:
            lines.append(f"  ... và {count - MAX_SHOWN:,} lỗi nữa (sửa các lỗi trên rồi tạo lại trang)".replace(",", "."))
        return (f"Tệp hội nghị có {count:,} lỗi".replace(",", ".") + " (dòng:cột: mục: lỗi):\n" + "\n".join(lines)
                + "\nSửa các lỗi trên, lưu tệp rồi tạo lại trang. Cách viết từng mục: HUONG-DAN.md.")


def quote(value: object, limit: int = 60) -> str:
    """A value quoted for a message, cut short: a pasted 5 MB line must not fill the terminal."""
    text = str(value)
    if len(text) > limit:
        return f"'{printable(text[:limit - 3])}...' ({len(text):,} ký tự)".replace(",", ".")
    return f"'{printable(text)}'"


# Characters that would break a one-line message or hide in it: controls, line and paragraph
# separators, text-direction controls, BOM.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ufffe\uffff]")


def printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
