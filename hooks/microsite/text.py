"""Vietnamese text helpers: ASCII slugs, dates and times as officials write them, tel: links."""

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


def vn_date(value: date | datetime, weekday: bool = True) -> str:
    """'thứ Năm, ngày 30/9/2021' (no leading zeros, as in the invitation)."""
    day = f"ngày {value.day}/{value.month}/{value.year}"
    return f"{_WEEKDAYS[value.weekday()]}, {day}" if weekday else day


def vn_datetime(value: datetime, weekday: bool = True) -> str:
    """'07h30, thứ Năm, ngày 30/9/2021'."""
    return f"{vn_time(value)}, {vn_date(value, weekday)}"


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
