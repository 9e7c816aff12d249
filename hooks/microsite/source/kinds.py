"""What each kind of value in the meeting file is, in the organizer's words, with an example.

A Kind is put in the model's `Annotated` types as a marker (pydantic keeps it in the field's
metadata and otherwise ignores it). The messages say what was expected with it, and the guide's
field reference describes every field with it, so both speak of a value the same way.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str  # what the value is: "giờ", "mã (...)"
    example: str  # one value as an organizer would write it
    forms: str = ""  # how it is written, when there are several ways: "07h30 (hoặc 07:30, ...)"


TEXT = Kind("văn bản", "")  # free text: each field gives its own example, if any
ID = Kind("mã: chữ thường không dấu, chữ số và dấu gạch nối", "huong-son")
EMAIL = Kind("địa chỉ thư điện tử", "vanphong@example.vn")
PHONE = Kind("số điện thoại: chữ số, dấu cách, có thể bắt đầu bằng +", "0912 345 678")
URL = Kind("địa chỉ web bắt đầu bằng https:// hoặc http://", "https://vanban.example.vn/thong-bao.pdf")
ZONE = Kind("tên múi giờ", "Asia/Ho_Chi_Minh")
TIME = Kind("giờ", "07h30", "07h30 (hoặc 07:30, 7h30, 7h, 7 giờ 30)")
DATE = Kind("ngày", "30/9/2021", "30/9/2021 (ngày/tháng/năm, năm đủ bốn chữ số; hoặc 2021-09-30)")
DATETIME = Kind("ngày giờ", "16h ngày 28/9/2021", "16h ngày 28/9/2021 (hoặc 28/9/2021 16:00, 2021-09-28 16:00)")
