"""Wording rules: the one place that says how Vietnamese text is written — ASCII slugs, folded
search forms, case, dates and times as officials write them, numbers, document citations, tel: links."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time

# Monday is 0, as in date.weekday().
_WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def slugify(text: str) -> str:
    """ASCII slug: 'Thị xã Kỳ Anh' -> 'thi-xa-ky-anh'. Đ/đ has no decomposition, so map it first."""
    text = text.replace("Đ", "D").replace("đ", "d")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def fold(text: str) -> str:
    """Diacritic-free lower-case form, for search and sorting ('Hà Tĩnh' -> 'ha tinh')."""
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def point_label(name: str) -> str:
    """'Huyện ủy Hương Sơn' -> 'Điểm cầu Huyện ủy Hương Sơn'; 'Điểm cầu tỉnh' is not doubled."""
    return name if fold(name).startswith("diem cau") else f"Điểm cầu {name}"


def upper_first(text: str) -> str:
    """'giờ bắt đầu đổi …' -> 'Giờ bắt đầu đổi …': a sentence opens with a capital, the rest as written."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """'Điểm cầu tỉnh' -> 'điểm cầu tỉnh', 'Buổi sáng' -> 'buổi sáng': a common noun inside a sentence.
    Only for labels that open with one (point_label's result, session and tier names), never a name."""
    return text[:1].lower() + text[1:]


def vn_time(value: time | datetime) -> str:
    """'07h30', and '16h' on the hour, as the invitation writes it."""
    return f"{value.hour:02d}h{value.minute:02d}" if value.minute else f"{value.hour:02d}h"


def vn_weekday(value: date | datetime) -> str:
    """'thứ Năm'."""
    return _WEEKDAYS[value.weekday()]


def vn_date(value: date | datetime, weekday: bool = True) -> str:
    """'thứ Năm, ngày 30/9/2021' (no leading zeros, as in the invitation)."""
    day = f"ngày {value.day}/{value.month}/{value.year}"
    return f"{vn_weekday(value)}, {day}" if weekday else day


def vn_datetime(value: datetime, weekday: bool = True) -> str:
    """'07h30, thứ Năm, ngày 30/9/2021'."""
    return f"{vn_time(value)}, {vn_date(value, weekday)}"


def vn_written_date(value: date | datetime) -> str:
    """'ngày 30 tháng 9 năm 2021', as official papers write a date in words: days below 10 and the
    months January and February with a leading zero ('ngày 05 tháng 01 năm 2022'), so that no
    figure can be added to them."""
    return f"ngày {_day(value)} tháng {_month(value)} năm {value.year}"


def vn_written_dates(days: list[date]) -> str:
    """Several days in the same words: 'ngày 05 và 06 tháng 01 năm 2022', or from one to another."""
    days = sorted(set(days))
    first, last = days[0], days[-1]
    if len(days) == 1:
        return vn_written_date(first)
    if (first.year, first.month) == (last.year, last.month):
        listed = ", ".join(_day(d) for d in days[:-1]) + f" và {_day(last)}"
        return f"ngày {listed} tháng {_month(first)} năm {first.year}"
    return (f"từ ngày {_day(first)}/{_month(first)}/{first.year} "
            f"đến ngày {_day(last)}/{_month(last)}/{last.year}")


def place_and_date(place: str | None, when: str) -> str:
    """The place-and-date line of official papers: 'Hà Tĩnh, ngày 30 tháng 9 năm 2021'; without a
    place the words of the date alone, capitalised."""
    return f"{place}, {when}" if place else capitalize_first(when)


def _day(value: date) -> str:
    return f"{value.day:02d}"


def _month(value: date) -> str:
    return f"{value.month:02d}" if value.month < 3 else str(value.month)


def vn_short_date(value: date | datetime) -> str:
    """'30/9/2021'."""
    return f"{value.day}/{value.month}/{value.year}"


def tel_uri(phone: str) -> str:
    """'0913 294 787' -> 'tel:+84913294787' (E.164, so it dials from any SIM)."""
    digits = re.sub(r"[^\d+]", "", phone)
    if digits.startswith("+"):
        return f"tel:{digits}"
    if digits.startswith("0") and len(digits) >= 9:
        return f"tel:+84{digits[1:]}"
    return f"tel:{digits}"


def upper(value: str) -> str:
    """Capitals, composed again ('Hội nghị' -> 'HỘI NGHỊ')."""
    return unicodedata.normalize("NFC", value.upper())


def capitalize_first(value: str) -> str:
    """'thứ Năm, ngày 30/9/2021' -> 'Thứ Năm, ngày 30/9/2021': only the first letter changes."""
    return value[:1].upper() + value[1:]


def lower_first(value: str) -> str:
    return value[:1].lower() + value[1:]


def vn_number(value: float, digits: int = 1) -> str:
    """'1,5', '30': Vietnamese writes a decimal comma."""
    written = f"{value:.{digits}f}"
    if "." in written:
        written = written.rstrip("0").rstrip(".")
    return written.replace(".", ",")


def document_name(kind: str, number: str | None = None, title: str | None = None, day: date | None = None,
                  issuer: str | None = None) -> str:
    """How a paper is cited: 'Thông báo số 168-TB/TU, ngày 24/9/2021 của Tỉnh ủy'; a paper with no
    number goes by its title ('Tài liệu: Sổ tay đại biểu')."""
    out = capitalize_first(kind)
    if number:
        out += f" số {number}"
    elif title:
        out += f": {title}"
    if day:
        out += f", ngày {vn_short_date(day)}"
    if issuer:
        out += f" của {issuer}"
    return out


def vn_count(count: int) -> str:
    """'10.603': Vietnamese groups thousands with a dot."""
    return f"{count:,}".replace(",", ".")
