"""Dates and times as Vietnamese staff write them, read into date, time and datetime at load.

Accepted: times `07:30`, `7:30`, `07h30`, `7h30`, `7h`, `7 giờ 30`; dates `30/9/2021`,
`30/09/2021`, `30-9-2021`, `30.9.2021`, `30 tháng 9 năm 2021`, `2021-09-30`, each optionally after
`ngày` and a weekday (`thứ Năm, ngày 30/9/2021`, checked against the date); date-times joining the
two in either order (`16h ngày 28/9/2021`, `16h00, thứ Ba, ngày 28/9/2021`, `28/9/2021 16:00`,
`2021-09-28T16:00`). Anything else, an impossible value (`25h`, `31/9/2021`) or an ambiguous one
(`7h5`, `30/9/21`, a UTC offset) is refused with a message in the organizer's words.

The same patterns, without their checks, are what the JSON Schema gives editors (`PATTERNS`), so
an editor accepts what the build accepts.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, time
from typing import Any

from ..text import fold, vn_weekday
from .errors import quote
from .kinds import DATE, DATETIME, TIME, Kind

# Each form's groups, in order: hour, minute, second, fraction (those it has).
_TIME_FORMS = (
    r"([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?",  # 07:30, 7:30, 07:30:00
    r"([0-9]{1,2})\s*[hH]\s*([0-9]{2})?",  # 07h30, 7h30, 7h, 16H00
    r"([0-9]{1,2})\s*[gG]iờ(?:\s*([0-9]{1,2})(?:\s*phút)?)?",  # 7 giờ 30, 7 giờ, 7 giờ 05 phút
)
_WEEKDAY = r"(?:[tT]hứ\s*(?:[hH]ai|[bB]a|[tT]ư|[nN]ăm|[sS]áu|[bB]ảy|[2-7])|[cC]hủ\s*[nN]hật|CN)"
# Groups (year, month, day) for the first form, (day, month, year) for the others.
_DATE_FORMS = (
    r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})",
    r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})",
    r"([0-9]{1,2})-([0-9]{1,2})-([0-9]{4})",
    r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})",
    r"([0-9]{1,2})\s+tháng\s+([0-9]{1,2})\s+năm\s+([0-9]{4})",
)
_DATE_PREFIX = rf"(?:({_WEEKDAY})\s*,?\s*)?(?:[nN]gày\s*)?"

_TIME = "(?:" + "|".join(_TIME_FORMS) + ")"
_DATE = _DATE_PREFIX + "(?:" + "|".join(_DATE_FORMS) + ")"
_DATE_THEN_TIME = r"(?:\s*,\s*(?:lúc\s+)?|\s+(?:lúc\s+)?|[tT])"
_TIME_THEN_DATE = r"(?:\s*,\s*|\s+)"
_DATETIME = f"(?:{_DATE}{_DATE_THEN_TIME}{_TIME}|{_TIME}{_TIME_THEN_DATE}{_DATE}|{_DATE})"

# For the JSON Schema (ECMAScript regular expressions: no named groups, no flags).
PATTERNS = {kind: rf"^\s*{pattern}\s*$" for kind, pattern in ((TIME, _TIME), (DATE, _DATE), (DATETIME, _DATETIME))}

_TIME_RES = [re.compile(f) for f in _TIME_FORMS]
_DATE_RES = [re.compile(f) for f in _DATE_FORMS]
_PREFIX_RE = re.compile(_DATE_PREFIX)
_DT_RE = re.compile(f"(?P<d>{_DATE}){_DATE_THEN_TIME}(?P<t>{_TIME})")
_TD_RE = re.compile(f"(?P<t>{_TIME}){_TIME_THEN_DATE}(?P<d>{_DATE})")
_OFFSET = re.compile(r"(?:Z|[+-][0-9]{2}:?[0-9]{2})$")
_NUMBERED = re.compile(r"(?<![0-9])(?<![0-9][/.-])(?P<a>[0-9]{1,2})[/.-](?P<b>[0-9]{1,2})(?:[/.-](?P<y>[0-9]+))?")
_HALF_DAY = re.compile(r"\b(sáng|trưa|chiều|tối|đêm|am|pm)\b", re.I)

OFFSET_MESSAGE = "bỏ phần múi giờ (+07:00, Z) ở cuối: mọi giờ trong tệp là giờ theo múi giờ của hội nghị"
YEARS = (1900, 2199)  # year 1 or 9999 overflow date arithmetic
_LONGEST = 80  # longer text is no date or time; it is not searched for one


def how(kind: Kind) -> str:
    return f"viết dạng {kind.forms}"


def reader(kind: Kind):
    """A pydantic BeforeValidator function for `kind`: text is read here; a date, time or datetime
    made in code passes; anything else (a number, a list) is refused. Numbers matter: pydantic
    would read `start: 730` as 00:12:10 UTC (seconds), and `730` is what `07:30` becomes in YAML 1.1."""
    parse, made = {TIME: (parse_time, time), DATE: (parse_date, date), DATETIME: (parse_datetime, datetime)}[kind]

    def read(value: Any) -> Any:
        if isinstance(value, str):
            return parse(value)
        if isinstance(value, made) and (made is datetime or not isinstance(value, datetime)):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise ValueError(f"{value} là một số, không phải {kind.name}; {how(kind)}")
        raise ValueError(f"cần {kind.name}; {how(kind)}")
    return read


def parse_time(value: str) -> time:
    return _parse(value, TIME, _clock, _time_hint)


def parse_date(value: str) -> date:
    return _parse(value, DATE, _day, _date_hint)


def parse_datetime(value: str) -> datetime:
    return _parse(value, DATETIME, _moment, _moment_hint)


def _parse(value: str, kind: Kind, read, hint) -> Any:
    """`read(text)` gives the value, None when the text is of no accepted form (then `hint` says
    why), or raises ValueError for an impossible value of an accepted form."""
    text = value.strip()
    if len(text) > _LONGEST:
        raise ValueError(_unreadable(text, kind))
    found = read(text)
    if found is not None:
        return found
    if _OFFSET.search(text) and read(_OFFSET.sub("", text).strip()) is not None:
        raise ValueError(OFFSET_MESSAGE)
    raise ValueError(hint(text))


def _unreadable(text: str, kind: Kind) -> str:
    return f"không đọc được {quote(text)} thành {kind.name}; {how(kind)}"


def _moment(text: str) -> datetime | None:
    """The date-time `text` names, None when it is not of one of the forms; raises ValueError for an
    impossible one."""
    match = _DT_RE.fullmatch(text) or _TD_RE.fullmatch(text)
    if match:
        day, clock = _day(match["d"]), _clock(match["t"])
        return datetime.combine(day, clock) if day and clock else None
    day = _day(text)  # a date alone is its midnight, as before these forms
    return datetime.combine(day, time()) if day else None


def _clock(text: str) -> time | None:
    for form in _TIME_RES:
        match = form.fullmatch(text)
        if match:
            hour, minute, second, fraction = (list(match.groups()) + [None, None])[:4]
            hour, minute, second = int(hour), int(minute or 0), int(second or 0)
            if hour > 23:
                raise ValueError(f"không có giờ {hour}: giờ từ 0 đến 23, ví dụ {TIME.example}")
            if minute > 59 or second > 59:
                raise ValueError(f"{quote(text)}: phút và giây từ 00 đến 59, ví dụ {TIME.example}")
            return time(hour, minute, second, int((fraction or "0").ljust(6, "0")))
    return None


def _day(text: str) -> date | None:
    prefix = _PREFIX_RE.match(text)
    rest = text[prefix.end():]
    for i, form in enumerate(_DATE_RES):
        match = form.fullmatch(rest)
        if match:
            a, month, b = (int(g) for g in match.groups())
            year, day = (a, b) if i == 0 else (b, a)
            found = _checked(year, month, day)
            if prefix.group(1) and not _same_weekday(prefix.group(1), found):
                raise ValueError(f"ngày {found.day}/{found.month}/{found.year} là {vn_weekday(found)}, "
                                 f"không phải {prefix.group(1)}")
            return found
    return None


def _checked(year: int, month: int, day: int) -> date:
    if not YEARS[0] <= year <= YEARS[1]:
        raise ValueError(f"năm {year}: năm phải từ {YEARS[0]} đến {YEARS[1]}")
    if not 1 <= month <= 12:
        if 1 <= day <= 12 and month <= 31:
            raise ValueError(f"không có tháng {month}: ngày viết trước tháng (ngày/tháng/năm), "
                             f"ví dụ {month}/{day}/{year}")
        raise ValueError(f"không có tháng {month}: tháng từ 1 đến 12")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(f"không có ngày {day}/{month}/{year}: tháng {month} năm {year} có {last} ngày")
    return date(year, month, day)


def _same_weekday(written: str, day: date) -> bool:
    words = " ".join(fold(written).split())
    digit = re.fullmatch(r"thu ?([2-7])", words)
    if digit:
        return int(digit.group(1)) - 2 == day.weekday()
    if words in ("cn", "chu nhat"):
        return day.weekday() == 6
    return words == fold(vn_weekday(day))


def _time_hint(text: str) -> str:
    short = re.fullmatch(r"([0-9]{1,2})\s*[hH:]\s*([0-9])", text)
    if short:
        return f"{quote(text)}: phút viết bằng hai chữ số, ví dụ {int(short[1]):02d}h0{short[2]}"
    if _HALF_DAY.search(text):
        return f"{quote(text)}: giờ viết theo 24 giờ, không kèm sáng, chiều, tối (14h00 thay cho 2 giờ chiều)"
    return _unreadable(text, TIME)


def _date_hint(text: str, kind: Kind = DATE) -> str:
    match = _NUMBERED.search(text)
    if match and match["y"] is not None and len(match["y"]) != 4:
        return f"{quote(text)}: năm viết đủ bốn chữ số, ví dụ {match['a']}/{match['b']}/2021"
    if match and match["y"] is None:
        return f"{quote(text)}: thiếu năm, ví dụ {match['a']}/{match['b']}/2021"
    if match:
        return f"{quote(text)}: giữa ngày, tháng và năm dùng cùng một dấu, ví dụ 30/9/2021"
    return _unreadable(text, kind)


def _moment_hint(text: str) -> str:
    if any(_day(m.group()) for m in re.finditer(_DATE, text)):
        return _unreadable(text, DATETIME)
    if _NUMBERED.search(text):
        return _date_hint(text, DATETIME)
    if any(r.search(text) for r in _TIME_RES):
        return f"thiếu ngày trong {quote(text)}; {how(DATETIME)}"
    return _unreadable(text, DATETIME)
