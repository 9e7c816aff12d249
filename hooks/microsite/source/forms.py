"""The forms of official papers, by the issuer's kind: what the letterhead carries and how the
number is written. One row per kind; `issuer.kind` accepts exactly the kinds listed here, so a new
kind of issuer (a mass organisation with its own heading) is a new row, not new code.

Sources (see /work/shared/reference/van-ban-hanh-chinh.md):
- party: Hướng dẫn 36-HD/VPTW (03/4/2018) — "ĐẢNG CỘNG SẢN VIỆT NAM" at the right with a rule as
  long as the text; the party organisation at the left with an asterisk under it; "Số 36-HD/VPTW".
- state: Nghị định 30/2020/NĐ-CP, Phụ lục I — "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" over "Độc lập -
  Tự do - Hạnh phúc" (ruled) at the right; the parent body, the issuing body in bold with a short
  rule, then "Số: 05/GM-UBND" at the left.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from .errors import quote


@dataclass(frozen=True)
class Form:
    name: str  # in messages: "văn bản của Đảng"
    national: tuple[str, ...]  # the right-hand heading, top line first, as printed
    ruled: int  # the line of `national` with a rule as long as itself under it
    mark: Literal["asterisk", "rule"]  # under the issuing body: "*" (party) or a short rule (state)
    number_label: str  # printed before the number and symbol
    number: re.Pattern  # the shape of a number and symbol, without "Số"
    number_example: str
    number_rule: str  # the shape in words, for the message


FORMS: dict[str, Form] = {
    "party": Form(
        name="văn bản của Đảng",
        national=("ĐẢNG CỘNG SẢN VIỆT NAM",),
        ruled=0,
        mark="asterisk",
        number_label="Số",
        number=re.compile(r"[0-9]{1,6}-[A-ZĐ]{1,8}/[A-ZĐ0-9]{1,16}(?:-[A-ZĐ0-9]{1,16})*"),
        number_example="123-GM/TU",
        number_rule="'-' giữa số và tên loại, '/' trước tên cơ quan ban hành",
    ),
    "state": Form(
        name="văn bản hành chính nhà nước",
        national=("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"),
        ruled=1,
        mark="rule",
        number_label="Số:",
        # Numbers below 10 take a leading zero; '/' between number and symbol, '-' inside it.
        number=re.compile(r"(?:0[1-9]|[1-9][0-9]{1,5})/[A-ZĐ]{1,8}(?:-[A-ZĐ0-9]{1,16})+"),
        number_example="05/GM-UBND",
        number_rule="số dưới 10 thêm 0 ở trước, '/' giữa số và ký hiệu, '-' trong ký hiệu",
    ),
}

# What `issuer.kind` accepts: the rows above (the schema lists them too).
IssuerKind = Literal[tuple(FORMS)]  # type: ignore[valid-type]


def number_problem(kind: str, number: str) -> str | None:
    """Why `number` is not a number and symbol of this kind of paper, or None."""
    form = FORMS[kind]
    if form.number.fullmatch(number):
        return None
    return (f"số và ký hiệu {quote(number)} không đúng dạng {form.name}: viết như {form.number_example} "
            f"— {form.number_rule}, chữ in hoa, không có dấu cách, không ghi chữ 'Số'")
