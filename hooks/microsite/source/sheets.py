"""Connection points from the spreadsheets organizers already have: a tier's `points_file`.

Districts send their commune points as a list ("danh sách các đơn vị kết nối các điểm cầu"); a
national meeting starts from the official list of administrative units. A tier names such a file
beside the meeting file (.xlsx, .xls, .ods, read by python-calamine; .csv as UTF-8, with or without
a BOM). Its rows join the points the tier lists in the YAML, if any, before the model is
validated, and every problem in them is reported with the file, the row and the column.

The first sheet is read. A header row names the columns, in Vietnamese or by field name (see
`FIELDS`); the rows above it (titles, often merged cells) are skipped, and so are the STT column,
columns it does not know and empty rows. A row's parent ("Trực thuộc") is the code, the address or
the name of a point of an earlier tier, the nearest tier first; a name must be unique there.
"""

from __future__ import annotations

import csv
import difflib
import io
import os
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import Problem, quote
from .load import _CONTROL, _INVISIBLE, _INVISIBLE_RE, Loaded, _clean, dotted
from .model import point_key, short_name

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
# A national list (10,603 communes) is about 1 MB as .xlsx; far larger is a mistake.
MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
# Official lists put a few title rows (issuer, "DANH SÁCH ...", date) above the header.
HEADER_WITHIN = 30

# Headers, as `_header` folds them, of each field of a point.
FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("tên", "tên đơn vị", "tên điểm cầu", "name"),
    "parent": ("trực thuộc", "đơn vị cấp trên", "cấp trên", "parent"),
    "code": ("mã", "mã số", "mã đơn vị", "mã đvhc", "code"),
    "place": ("địa điểm", "place"),
    "slug": ("đường dẫn", "slug"),
    "connection": ("hình thức kết nối", "connection"),
    "note": ("ghi chú", "note"),
}
# The contact columns. Several contacts: a role in parentheses, 'Điện thoại (kỹ thuật)'.
CONTACT_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("người liên hệ", "họ và tên", "họ tên", "contact"),
    "role": ("vai trò", "role"),
    "phone": ("điện thoại", "số điện thoại", "sđt", "đt", "phone"),
    "email": ("email", "e-mail", "thư điện tử"),
}
IGNORED = ("stt", "tt", "số tt", "số thứ tự")
NAME_HEADER = "Tên"

_BY_HEADER = {h: f for f, hs in FIELDS.items() for h in hs}
_CONTACT_BY_HEADER = {h: f for f, hs in CONTACT_FIELDS.items() for h in hs}

Loc = tuple[Any, ...]


@dataclass
class _Row:
    line: int  # as the spreadsheet numbers its rows
    point: dict[str, Any]
    cells: dict[Loc, tuple[int, str]]  # a value's place in the point -> its column's number and header
    parent: str | None = None  # "Trực thuộc" as written, resolved once every earlier tier is known


@dataclass
class _Known:
    tier: int
    key: str
    short: str
    name: str  # as written
    folded: str  # as compared (`_folded`)


@dataclass
class Sheets:
    """The tiers' points files, merged into the loaded data, and where each of their points came from."""

    problems: list[Problem] = field(default_factory=list)
    rows: dict[tuple[int, int], tuple[str, _Row]] = field(default_factory=dict)  # (tier, point) -> file, row

    def problem(self, loc: Loc, message: str) -> Problem | None:
        """The problem at `loc` placed in its spreadsheet's row and column; None for a point of the YAML."""
        origin = self.rows.get((loc[1], loc[3])) if len(loc) >= 4 and loc[0] == "tiers" and loc[2] == "points" else None
        if origin is None:
            return None
        shown, row = origin
        rest = tuple(loc[4:])
        for n in range(len(rest), 0, -1):  # the value's own column, or the one of what holds it
            if rest[:n] in row.cells:
                number, header = row.cells[rest[:n]]
                return Problem(shown, row.line, number, "", self.mention(message), header)
        return Problem(shown, row.line, 0, "", self.mention(message), "")

    def mention(self, message: str) -> str:
        """A message naming another point by its place in the YAML ('tiers[2].points[14]') names its row."""
        def row(match: re.Match) -> str:
            origin = self.rows.get((int(match.group(1)), int(match.group(2))))
            return f"{origin[0]} dòng {origin[1].line}" if origin else match.group()
        return _POINT_LOC.sub(row, message)


_POINT_LOC = re.compile(r"tiers\[(\d+)\]\.points\[(\d+)\]")


def merge_points_files(loaded: Loaded, folder: Path, display: str) -> Sheets:
    """Read every tier's `points_file` into `loaded.data` (rows after the tier's YAML points)."""
    sheets = Sheets()
    tiers = loaded.data.get("tiers") if isinstance(loaded.data, dict) else None
    if not isinstance(tiers, list):
        return sheets
    unread: set[int] = set()
    for ti, tier in enumerate(tiers):
        if not isinstance(tier, dict) or not isinstance(tier.get("points_file"), str):
            continue  # a points_file of another type is the model's to report
        name = tier["points_file"].strip()
        shown = posixpath.join(posixpath.dirname(display.replace(os.sep, "/")), name)
        try:
            rows = _rows(folder, name, shown)
        except _Unreadable as exc:
            at = ("tiers", ti, "points_file")
            if exc.in_file:
                sheets.problems.append(Problem(shown, 0, 0, "", exc.message, ""))
            else:
                line, col = loaded.where(at)
                sheets.problems.append(Problem(display, line, col, dotted(at), exc.message))
            unread.add(ti)
            continue
        if tier.get("points") is None:  # left out, or `points:` with nothing after it
            tier["points"] = []
        points = tier["points"]
        if not isinstance(points, list):
            continue  # reported by the model
        for row in _points(rows, shown, sheets.problems):
            sheets.rows[(ti, len(points))] = (shown, row)
            points.append(row.point)
    _resolve_parents(tiers, sheets, unread)
    return sheets


# ---------------------------------------------------------------------------------------------
# Reading a file
# ---------------------------------------------------------------------------------------------


class _Unreadable(Exception):
    def __init__(self, message: str, in_file: bool = True) -> None:
        self.message, self.in_file = message, in_file


def _rows(folder: Path, name: str, shown: str) -> list[tuple[int, list[Any]]]:
    """Every row of the file's first sheet, numbered as the spreadsheet numbers them."""
    pure = PurePosixPath(name)
    if not name or "\\" in name or pure.is_absolute() or name[1:2] == ":" or ".." in pure.parts:
        raise _Unreadable(f"{quote(name)} phải là tên một tệp trong thư mục của tệp hội nghị "
                          "(không có '..', không phải đường dẫn tuyệt đối)", in_file=False)
    suffix = pure.suffix.lower()
    if suffix not in SUFFIXES:
        raise _Unreadable(f"{quote(name)}: không đọc được loại tệp này; danh sách điểm cầu phải là bảng tính "
                          f"{', '.join(SUFFIXES)}", in_file=False)
    path = folder / pure
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise _Unreadable(f"không có tệp {shown}", in_file=False) from None
    if not real.is_relative_to(folder.resolve()) or not real.is_file():
        raise _Unreadable(f"{shown} không phải một tệp trong thư mục của tệp hội nghị", in_file=False)
    size = real.stat().st_size
    if size > MAX_BYTES:
        raise _Unreadable(f"tệp nặng {size / 1e6:.1f} MB; một danh sách điểm cầu nặng tối đa "
                          f"{MAX_BYTES // 2**20} MB")
    try:
        rows = _csv_rows(real) if suffix == ".csv" else _workbook_rows(real)
    except OSError as exc:
        raise _Unreadable(f"không đọc được tệp: {exc.strerror}") from None
    if len(rows) > MAX_ROWS:
        raise _Unreadable(f"tệp có {len(rows):,} dòng; một danh sách điểm cầu có tối đa {MAX_ROWS:,} dòng")
    return rows


def _workbook_rows(path: Path) -> list[tuple[int, list[Any]]]:
    # Loaded only when a tier has a spreadsheet.
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum, SheetVisibleEnum

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = [i for i, s in enumerate(book.sheets_metadata)
                  if s.typ == SheetTypeEnum.WorkSheet and s.visible == SheetVisibleEnum.Visible]
        rows = book.get_sheet_by_index(sheets[0]).to_python(skip_empty_area=False) if sheets else []
    except PasswordError:
        raise _Unreadable("bảng tính có mật khẩu; hãy lưu lại không đặt mật khẩu") from None
    except BaseException as exc:
        # A damaged file may make the Rust reader panic: PyO3's PanicException is a BaseException.
        if not isinstance(exc, CalamineError) and type(exc).__name__ != "PanicException":
            raise
        raise _Unreadable("không đọc được tệp này như một bảng tính (tệp hỏng, hoặc không phải bảng tính "
                          "dù mang đuôi này); hãy mở bằng Excel hoặc LibreOffice và lưu lại") from None
    return [(i + 1, row) for i, row in enumerate(rows)]


def _csv_rows(path: Path) -> list[tuple[int, list[Any]]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise _Unreadable(f"dòng {line}: tệp CSV không phải văn bản UTF-8; trong Excel hãy lưu bằng "
                          "'CSV UTF-8 (Comma delimited)'") from None
    if "\x00" in text:
        raise _Unreadable("không phải tệp CSV (có byte 0: một bảng tính .xlsx hay .xls đổi tên?)")
    # Excel writes ',' or, where the decimal mark is a comma, ';'; "Unicode text" uses tabs. The
    # separator is the one that makes a header row with a Tên column.
    rows: list[tuple[int, list[Any]]] = []
    for delimiter in (",", ";", "\t"):
        rows = _split_csv(text, delimiter)
        if any(_column(n, cell) and _column(n, cell).target == ("name",)  # type: ignore[union-attr]
               for _line, cells in rows[:HEADER_WITHIN] for n, cell in enumerate(cells, 1)):
            break
    return rows


def _split_csv(text: str, delimiter: str) -> list[tuple[int, list[Any]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows, line = [], 1
    try:
        for row in reader:
            rows.append((line, row))
            line = reader.line_num + 1  # a quoted cell may span lines: the next row starts after them
    except csv.Error as exc:
        raise _Unreadable(f"dòng {line}: không đọc được dòng CSV này ({exc})") from None
    return rows


# ---------------------------------------------------------------------------------------------
# From rows to points
# ---------------------------------------------------------------------------------------------


@dataclass
class _Column:
    number: int  # 1 for column A
    header: str  # as written
    target: Loc  # ("name",), ("parent",), ("contacts", group, "phone"), ...


def _points(rows: list[tuple[int, list[Any]]], shown: str, problems: list[Problem]) -> Iterator[_Row]:
    found = _header(rows[:HEADER_WITHIN], shown, problems)
    if found is None:
        return
    at, columns = found
    for line, cells in rows[at + 1:]:
        texts: dict[Loc, tuple[str, _Column]] = {}
        bad_cells = set()
        for column in columns:
            value = cells[column.number - 1] if column.number <= len(cells) else None
            text = _cell_text(value, column.target[-1] == "phone")
            bad = _CONTROL.search(text) or _INVISIBLE_RE.search(text)
            if bad:
                what = _INVISIBLE.get(bad.group(), "một ký tự điều khiển")
                problems.append(Problem(shown, line, column.number, "", f"có ký tự U+{ord(bad.group()):04X} "
                                        f"({what}), dán từ chương trình khác?; hãy xóa nó", column.header))
                bad_cells.add(column.target)
            elif text:
                texts[column.target] = (text, column)
        if not texts:
            continue  # an empty row, or one with only its number
        row = _row(line, texts)
        if "name" not in row.point and ("name",) not in bad_cells:
            name = next(c for c in columns if c.target == ("name",))
            problems.append(Problem(shown, line, name.number, "", "thiếu tên điểm cầu (các cột khác của dòng "
                                    "này có giá trị)", name.header))
        if "name" in row.point:
            yield row


def _header(rows: list[tuple[int, list[Any]]], shown: str, problems: list[Problem]) -> tuple[int, list[_Column]] | None:
    """The header row (the first with a Tên column) and its columns the model knows."""
    for at, (line, cells) in enumerate(rows):
        columns = [c for n, cell in enumerate(cells, 1) if (c := _column(n, cell)) is not None]
        if not any(c.target == ("name",) for c in columns):
            continue
        seen: dict[Loc, _Column] = {}
        for c in columns:
            if c.target in seen:
                problems.append(Problem(shown, line, c.number, "", f"cột này trùng với cột {quote(seen[c.target].header)} "
                                        f"(cột {_letter(seen[c.target].number)}); hãy bỏ một trong hai", c.header))
            seen.setdefault(c.target, c)
        return at, list(seen.values())
    known = ", ".join(hs[0][:1].upper() + hs[0][1:] for hs in FIELDS.values())
    problems.append(Problem(shown, 0, 0, "", f"không thấy hàng tiêu đề có cột {quote(NAME_HEADER)} trong "
                                             f"{HEADER_WITHIN} dòng đầu của trang tính thứ nhất (các cột: {known}, "
                                             "Người liên hệ, Điện thoại, Email)", ""))
    return None


_ROLE = re.compile(r"^(.*?)\s*\(([^()]*)\)$")


def _column(number: int, cell: Any) -> _Column | None:
    if not isinstance(cell, str):
        return None
    header = " ".join(_clean(cell).split()).rstrip(":* ")  # 'Tên:', 'Tên *' (required)
    folded = _folded(header)
    if folded in IGNORED:
        return None
    if folded in _BY_HEADER:
        return _Column(number, header, (_BY_HEADER[folded],))
    if folded in _CONTACT_BY_HEADER:
        return _Column(number, header, ("contacts", "", _CONTACT_BY_HEADER[folded]))
    role = _ROLE.match(folded)
    if role:
        base = role.group(1)
        if base in _BY_HEADER:  # 'Mã (GSO)', 'Địa điểm (hội trường)'
            return _Column(number, header, (_BY_HEADER[base],))
        if base in _CONTACT_BY_HEADER and role.group(2).strip():
            written = _ROLE.match(header).group(2).strip()  # type: ignore[union-attr]
            return _Column(number, header, ("contacts", written, _CONTACT_BY_HEADER[base]))
    return None


def _row(line: int, texts: dict[Loc, tuple[str, _Column]]) -> _Row:
    point: dict[str, Any] = {}
    cells: dict[Loc, tuple[int, str]] = {}
    row = _Row(line, point, cells)
    groups: dict[str, dict[str, str]] = {}
    group_cells: dict[str, dict[str, _Column]] = {}
    for target, (text, column) in texts.items():
        if target[0] == "contacts":
            groups.setdefault(target[1], {})[target[2]] = text
            group_cells.setdefault(target[1], {})[target[2]] = column
        elif target == ("parent",):
            row.parent = text
            cells[target] = (column.number, column.header)
        else:
            point[target[0]] = text
            cells[target] = (column.number, column.header)
    contacts = []
    for role, values in groups.items():
        if not (values.keys() - {"role"}):
            continue  # a role alone says nothing about whom to call
        index = len(contacts)
        contact = {"role": role, **values} if role else values
        contacts.append(contact)
        for name, column in group_cells[role].items():
            cells[("contacts", index, name)] = (column.number, column.header)
        first = min(group_cells[role].values(), key=lambda c: c.number)
        cells[("contacts", index)] = (first.number, first.header)
    if contacts:
        point["contacts"] = contacts
    return row


def _cell_text(value: Any, phone: bool = False) -> str:
    """A cell as text, as the organizer sees it in the spreadsheet."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        text = "có" if value else "không"
    elif isinstance(value, float) and value.is_integer() or isinstance(value, int):
        text = str(int(value))
        if phone and len(text) in (9, 10):  # a number typed as a number lost its leading 0
            text = "0" + text
    elif isinstance(value, datetime):
        text = f"{value:%Y-%m-%d %H:%M}"
    elif isinstance(value, (date, time)):
        text = value.isoformat()[:10] if isinstance(value, date) else f"{value:%H:%M}"
    else:
        text = str(value)
    return " ".join(_clean(text).split())


def _folded(text: str) -> str:
    """For comparing headers and names: case, spacing and the old tone placement ('Hoà', 'Thuỷ') set aside."""
    text = " ".join(text.split()).casefold()
    return _OLD_TONES.sub(lambda m: _NEW_TONES[m.group()], text)


# 'oà' and 'uỷ' at the end of a syllable are written 'òa' and 'ủy' by the newer rule; lists mix both.
_NEW_TONES = {old: new for olds, news in (("oàoáoảoãoạ", "òaóaỏaõaọa"), ("oèoéoẻoẽoẹ", "òeóeỏeõeọe"),
                                          ("uỳuýuỷuỹuỵ", "ùyúyủyũyụy"))
              for old, new in zip(re.findall("..", olds), re.findall("..", news))}
_OLD_TONES = re.compile("(?:" + "|".join(_NEW_TONES) + r")(?!\w)")


def _letter(number: int) -> str:
    out = ""
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(65 + rest) + out
    return out


# ---------------------------------------------------------------------------------------------
# Parents
# ---------------------------------------------------------------------------------------------


def _resolve_parents(tiers: list, sheets: Sheets, unread: set[int]) -> None:
    """Turn each row's "Trực thuộc" into its parent's address, tier by tier: an address depends on
    the parent's, so the points of the YAML and the rows are walked in the order the model is."""
    known = _KnownPoints()
    answers: dict[tuple[str, int], _Known | str] = {}  # a district's communes name it on every row
    for ti, tier in enumerate(tiers):
        points = tier.get("points") if isinstance(tier, dict) else None
        for pi, point in enumerate(points if isinstance(points, list) else []):
            if not isinstance(point, dict):
                continue
            origin = sheets.rows.get((ti, pi))
            if origin and origin[1].parent:
                written = origin[1].parent
                if (written, ti) not in answers:
                    answers[(written, ti)] = known.parent(written, ti)
                parent = answers[(written, ti)]
                if isinstance(parent, _Known):
                    point["parent"] = parent.key
                elif not unread.intersection(range(ti)):  # else a file that could not be read is the cause
                    number, header = origin[1].cells[("parent",)]
                    sheets.problems.append(Problem(origin[0], origin[1].line, number, "", parent, header))
            name, slug, code, parent_key = (_text_or_none(point.get(f)) for f in ("name", "slug", "code", "parent"))
            if name is not None:  # else the model reports it
                known.add(ti, name, slug, code, parent_key)


class _KnownPoints:
    """The points walked so far, found by address, by code or by name within their tier."""

    def __init__(self) -> None:
        self.by_key: dict[str, _Known] = {}
        self.by_code: dict[tuple[int, str], list[_Known]] = {}
        self.by_name: dict[tuple[int, str], list[_Known]] = {}

    def add(self, tier: int, name: str, slug: str | None, code: str | None, parent: str | None) -> None:
        parent_short = None if parent is None else (self.by_key[parent].short if parent in self.by_key else parent)
        known = _Known(tier, point_key(name, slug, code, parent_short), short_name(name, slug), name, _folded(name))
        self.by_key.setdefault(known.key, known)
        if code:
            self.by_code.setdefault((tier, code), []).append(known)
        self.by_name.setdefault((tier, known.folded), []).append(known)

    def parent(self, written: str, tier: int) -> _Known | str:
        """The point of an earlier tier that `written` names (nearest tier first), or why there is none."""
        if tier == 0:
            return "điểm cầu của cấp đầu tiên không trực thuộc điểm cầu nào; hãy để trống ô này"
        folded = _folded(written)
        for ti in range(tier - 1, -1, -1):
            found = {k.key: k for k in self.by_code.get((ti, written), []) + self.by_name.get((ti, folded), [])}
            if written in self.by_key and self.by_key[written].tier == ti:
                found[written] = self.by_key[written]
            if len(found) == 1:
                return next(iter(found.values()))
            if found:
                keys = sorted(found)
                shown = ", ".join(keys[:3]) + (f" và {len(keys) - 3} điểm cầu khác" if len(keys) > 3 else "")
                return (f"{quote(written)} là tên của {len(keys)} điểm cầu ({shown}); hãy ghi mã hoặc đường dẫn "
                        "của điểm cầu cấp trên")
        names = {k.folded: k.name for k in self.by_key.values() if k.tier < tier}
        close = difflib.get_close_matches(folded, list(names), n=1)
        hint = f"; có phải {quote(names[close[0]])}?" if close else ""
        return (f"không có điểm cầu {quote(written)} ở các cấp trên (hãy ghi mã, đường dẫn hoặc tên của một điểm "
                f"cầu cấp trước){hint}")


def _text_or_none(value: Any) -> str | None:
    return (" ".join(_clean(value).split()) or None) if isinstance(value, str) else None
