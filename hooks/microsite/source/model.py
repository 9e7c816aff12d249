"""The meeting, as one typed model validated once at load.

The schema is general: any number of tiers of connection points, sessions with timed agenda
items, optional rules, any signer form. Field names are English; values are Vietnamese text.
Cross-references (agency ids, tier ids, point slugs, duty numbers) are checked after the types,
so that every problem in the file is reported in one run.
"""

from __future__ import annotations

import re
from datetime import date as _date
from datetime import datetime, timedelta
from datetime import time as _time
from functools import cached_property
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator,
                      model_validator)
from pydantic_core import PydanticCustomError

from . import kinds, written
from .errors import quote
from .forms import IssuerKind
from ..text import nfc, slugify

# ---------------------------------------------------------------------------------------------
# Field types
# ---------------------------------------------------------------------------------------------


def _text(value: str) -> str:
    value = nfc(value).strip()
    if not value:  # worded with the field's own example by source/messages.py
        raise PydanticCustomError("text_empty", "để trống")
    return value


# Longest real value is a duty of ~600 characters. Every text lands on many pages (the title on
# each of 10,000 point pages), so a pasted book must be refused, not multiplied.
MAX_TEXT = 4000
Text = Annotated[str, Field(max_length=MAX_TEXT, json_schema_extra={"minLength": 1}), AfterValidator(_text), kinds.TEXT]
# Slugs become folder names and URL paths: ASCII only, no dots or slashes, so they cannot escape.
MAX_SLUG = 60
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=MAX_SLUG), kinds.ID]
Email = Annotated[str, Field(pattern=r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$", max_length=120),
                  kinds.EMAIL]
Phone = Annotated[str, Field(pattern=r"^\+?[0-9][0-9 .()-]{5,20}[0-9]$"), kinds.PHONE]


def _code_as_text(value: Any) -> Any:
    # YAML reads `code: 00123` as the number 123: the leading zeros of an official code would be lost.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise ValueError("viết mã trong dấu nháy, ví dụ code: '00123' (viết như một số thì mất các số 0 ở đầu)")
    return value


# An official code (GSO code of an administrative unit, an agency's code): letters and digits, a
# few separators. It becomes part of the point's address, so it is kept short.
Code = Annotated[str, BeforeValidator(_code_as_text),
                 Field(pattern=r"^[0-9A-Za-z]+(?:[.\-/][0-9A-Za-z]+)*$", max_length=20)]
# Only http(s): a link is a way out to another site, never a script or a local file.
Url = Annotated[str, Field(pattern=r"^https?://[^\s<>\"'`\\]+$", max_length=2000), kinds.URL]


def _local(value: Any) -> Any:
    # An offset would make this time incomparable with every other one (all are local).
    if getattr(value, "tzinfo", None) is not None:
        raise ValueError(written.OFFSET_MESSAGE)
    if hasattr(value, "year") and not written.YEARS[0] <= value.year <= written.YEARS[1]:
        raise ValueError(f"năm {value.year}: năm phải từ {written.YEARS[0]} đến {written.YEARS[1]}")
    return value


# Written as Vietnamese staff write them (source/written.py), read at load into date and time.
Date = Annotated[_date, BeforeValidator(written.reader(kinds.DATE)), AfterValidator(_local), kinds.DATE]
Time = Annotated[_time, BeforeValidator(written.reader(kinds.TIME)), AfterValidator(_local), kinds.TIME]
DateTime = Annotated[datetime, BeforeValidator(written.reader(kinds.DATETIME)), AfterValidator(_local),
                     kinds.DATETIME]
# State papers write TM., KT., TL., TUQ., Q.; party papers T/M, K/T, T/L (Hướng dẫn 36-HD/VPTW).
SignerForm = Literal["TM.", "KT.", "TL.", "TUQ.", "Q.", "T/M", "K/T", "T/L"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              json_schema_extra={"additionalProperties": False})


# ---------------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------------


class Issuer(Strict):
    """Who convenes: `unit` acts (Ban Thường vụ Tỉnh ủy) within `organization` (Tỉnh ủy Hà Tĩnh).
    `kind` sets the form of the paper (source/forms.py): its national heading comes with the form,
    never from the file."""

    organization: Text = Field(description="Tên cơ quan ban hành, như tiêu đề văn bản ghi",
                               examples=["Tỉnh ủy Hà Tĩnh", "Sở Nội vụ"])
    unit: Text = Field(description="Cơ quan triệu tập, đứng tên trong giấy mời", examples=["Ban Thường vụ Tỉnh ủy"])
    parent: Text | None = Field(None, description="Cơ quan cấp trên, in phía trên tên cơ quan ban hành ở tiêu đề "
                                                  "văn bản (không bắt buộc)", examples=["Ủy ban nhân dân tỉnh Hà Tĩnh"])
    kind: IssuerKind = Field("party", description="Thể thức văn bản: party (văn bản của Đảng, Hướng dẫn "
                                                  "36-HD/VPTW) hoặc state (văn bản hành chính, Nghị định "
                                                  "30/2020/NĐ-CP)")


class AgendaItem(Strict):
    kind: Literal["item", "break"] = Field("item", description="break cho giờ nghỉ (nghỉ giải lao, nghỉ trưa): "
                                                               "hiện không đánh số")
    time: Time | None = Field(None, description="Giờ bắt đầu mục này, trong giờ của buổi họp", examples=["08h00"])
    title: Text = Field(description="Nội dung của mục", examples=["Khai mạc hội nghị"])
    presenter: Text | None = Field(None, description="Người trình bày",
                                   examples=["Đồng chí Trưởng Ban Tuyên giáo Tỉnh ủy"])
    documents: list[Slug] = Field(default_factory=list, description="Mã các tài liệu của mục này (mục documents)",
                                  examples=[["tb-168"]])


class Session(Strict):
    label: Text = Field(description="Tên buổi họp", examples=["Buổi sáng", "Một buổi", "Phiên thứ nhất"])
    date: Date = Field(description="Ngày họp", examples=["30/9/2021"])
    start: Time = Field(description="Giờ bắt đầu", examples=["07h30"])
    end: Time | None = Field(None, description="Giờ kết thúc; để trống thì tính là một buổi (4 giờ)",
                             examples=["11h30"])
    chair: Text | None = Field(None, description="Người chủ trì", examples=["Đồng chí Bí thư Tỉnh ủy"])
    items: list[AgendaItem] = Field(default_factory=list, description="Các mục của chương trình, theo thứ tự")

    @property
    def starts(self) -> datetime:
        return datetime.combine(self.date, self.start)

    @property
    def ends(self) -> datetime | None:
        return datetime.combine(self.date, self.end) if self.end else None


class Arrival(Strict):
    minutes_before: int = Field(ge=0, le=240, description="Đại biểu có mặt trước giờ họp bao nhiêu phút",
                                examples=[10])
    note: Text = Field(description="Lời đề nghị có mặt, như giấy mời viết",
                       examples=["Đề nghị đại biểu có mặt trước 10 phút để ổn định tổ chức."])


class Meeting(Strict):
    notice: Text = Field("Mời họp", description="Tên loại văn bản triệu tập", examples=["Giấy mời"])
    kind: Text = Field(description="Loại hội nghị", examples=["Hội nghị trực tuyến toàn tỉnh"])
    title: Text = Field(description="Tên đầy đủ của hội nghị, bắt đầu bằng loại hội nghị",
                        examples=["Hội nghị trực tuyến toàn tỉnh quán triệt, học tập các nghị quyết"])
    short_title: Text | None = Field(None, description="Tên ngắn, ở đầu mọi trang; để trống thì dùng loại hội nghị",
                                     examples=["Hội nghị trực tuyến toàn tỉnh 30/9/2021"])
    issuer: Issuer = Field(description="Cơ quan triệu tập")
    timezone: Annotated[str, kinds.ZONE] = Field("Asia/Ho_Chi_Minh", description="Múi giờ của mọi ngày giờ trong tệp")
    sessions: list[Session] = Field(min_length=1, description="Các buổi họp (ít nhất một)")
    arrival: Arrival | None = Field(None, description="Giờ đại biểu có mặt trước khi họp")
    format: Text | None = Field(None, description="Hình thức họp", examples=["Trực tuyến"])
    id: Slug | None = Field(None, description="Mã cố định của hội nghị cho các tệp lịch: đặt một lần, không đổi "
                                              "nữa; để trống thì tính từ cơ quan và tên hội nghị",
                            examples=["hoi-nghi-30-9-2021"])

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if not _is_zone(value):
            raise ValueError(f"không có múi giờ {quote(value)}; viết tên múi giờ, ví dụ {kinds.ZONE.example}")
        return value

    @property
    def name(self) -> str:
        return self.short_title or self.kind

    @property
    def starts(self) -> datetime:
        return min(s.starts for s in self.sessions)

    @property
    def ends(self) -> datetime | None:
        ends = [s.ends for s in self.sessions]
        return max(ends) if all(ends) else None  # type: ignore[type-var]

    @property
    def be_seated(self) -> datetime | None:
        return self.starts - timedelta(minutes=self.arrival.minutes_before) if self.arrival else None


class Registration(Strict):
    """How points of an optional tier are asked for (e.g. commune points registered by districts)."""

    text: Text = Field(description="Cách đăng ký, như giấy mời viết")
    deadline: Slug | None = Field(None, description="Mã hạn đăng ký (mục deadlines)", examples=["dang-ky-diem-cau-xa"])


class PointContact(Strict):
    """Someone to call about one connection point: its technician, its focal point, its logistics."""

    role: Text | None = Field(None, description="Vai trò", examples=["kỹ thuật", "đầu mối", "hậu cần"])
    name: Text | None = Field(None, description="Họ tên", examples=["Nguyễn Văn A"])
    phone: Phone | None = Field(None, description="Số điện thoại", examples=["0913 294 787"])
    email: Email | None = Field(None, description="Thư điện tử")

    @model_validator(mode="after")
    def _not_empty(self) -> PointContact:
        if not (self.name or self.phone or self.email):
            raise ValueError("cần ít nhất họ tên, số điện thoại hoặc email của người liên hệ")
        return self


class Point(Strict):
    slug: Slug | None = Field(None, description="Tên đường dẫn của trang điểm cầu; để trống thì tạo từ tên (và mã "
                                                "hoặc điểm cầu cấp trên)", examples=["huong-son"])
    name: Text = Field(description="Tên điểm cầu", examples=["Huyện ủy Hương Sơn"])
    code: Code | None = Field(None, description="Mã chính thức (ví dụ mã đơn vị hành chính); đường dẫn khi đó "
                                                "gồm tên và mã, không trùng", examples=["18172"])
    place: Text | None = Field(None, description="Địa điểm", examples=["Hội trường Huyện ủy"])
    parent: Slug | None = Field(None, description="Tên đường dẫn (slug) của điểm cầu cấp trên, thuộc một cấp "
                                                  "đứng trước", examples=["huong-son"])
    invitees: list[Text] = Field(default_factory=list, description="Thành phần mời riêng ở điểm cầu này, thêm "
                                                                   "vào thành phần mời của cấp")
    prepared_by: list[Slug] = Field(default_factory=list, description="Mã các cơ quan chuẩn bị điểm cầu này "
                                                                      "(mục agencies)", examples=[["vien-thong"]])
    connection: Text | None = Field(None, description="Cách kết nối của điểm cầu này")
    note: Text | None = Field(None, description="Ghi chú")
    contacts: list[PointContact] = Field(default_factory=list, description="Người liên hệ của điểm cầu này")

    @cached_property
    def key(self) -> str:
        """The point's address (see `point_key`). MeetingFile sets it, knowing the parent's short name;
        a point on its own (in a test) takes its parent's slug instead."""
        return point_key(self.name, self.slug, self.code, self.parent)

    @cached_property
    def short_name(self) -> str:
        """What the addresses of the points under this one carry (see `point_key`)."""
        return short_name(self.name, self.slug)


# Words that say what kind of unit a name is ('Huyện ủy', 'Thành phố', 'Xã', after an optional
# 'Ủy ban nhân dân' or 'Đảng ủy'): left out of a parent's short name. Both tone placements of 'ủy'.
_UY = "(?:ủy|uỷ)"
_KIND = re.compile(rf"^(?:(?:{_UY} ban nhân dân|ubnd|đảng {_UY}|đảng bộ)\s+)?"
                   rf"(?:(?:tỉnh|thành|thị|huyện|quận)\s+{_UY}|thành phố|thị xã|thị trấn|đặc khu|tỉnh|huyện|quận|"
                   rf"xã|phường)\s+", re.IGNORECASE)


def short_name(name: str, slug: str | None) -> str:
    """A parent's part of its children's addresses: its slug, else its name without the kind of
    unit ('Huyện ủy Hương Sơn' -> 'huong-son', 'Thành phố Hà Tĩnh' -> 'ha-tinh')."""
    return slug or slugify(_KIND.sub("", name, count=1)) or slugify(name)


def point_key(name: str, slug: str | None, code: str | None, parent: str | None) -> str:
    """The address of a connection point: its folder under `dc/`, the URL its QR code carries.

    An address depends only on the point itself and its parent (`parent` is the parent's
    `short_name`), never on which other points exist: adding a point, even one with a name that
    is already used, changes no address, so a QR code printed before still opens the same page.

    1. `slug`, when given, always.
    2. A point with an official `code`: its name and the code ('Xã Minh Tân', '12345' ->
       'xa-minh-tan-12345'). Codes are unique within a tier, so these addresses are too.
    3. A point with a parent: its name and the parent's short name, that is the parent's slug if
       it has one, else the parent's name without the kind of unit ('Xã Sơn Tây' under 'Huyện ủy
       Hương Sơn' -> 'xa-son-tay-huong-son'); the name alone when it already ends with it ('Thị
       trấn Tây Sơn' under 'Huyện Tây Sơn' -> 'thi-tran-tay-son').
    4. Otherwise its name ('Huyện Hương Sơn' -> 'huyen-huong-son').
    Points that still share an address (two communes of one district whose names differ only by
    their marks, 'Tân Hùng' and 'Tân Hưng') are reported: give them their codes.
    """
    if slug:
        return slug
    base = slugify(name)
    if not base or (code is None and parent is None):
        return base
    suffix = slugify(code) if code else parent
    if not suffix:
        return base
    return base if not code and (base == suffix or base.endswith(f"-{suffix}")) else f"{base}-{suffix}"


class Tier(Strict):
    id: Slug = Field(description="Mã của cấp", examples=["huyen"])
    name: Text = Field(description="Tên cấp điểm cầu", examples=["Điểm cầu cấp huyện"])
    heading: Text | None = Field(None, description="Tiêu đề của cấp, như giấy mời viết",
                                 examples=["Tại điểm cầu các huyện, thành, thị ủy, đảng ủy trực thuộc"])
    invitees: list[Text] = Field(default_factory=list, description="Thành phần mời ở mọi điểm cầu của cấp",
                                 examples=[["Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy."]])
    note: Text | None = Field(None, description="Ghi chú")
    connection: Text | None = Field(None, description="Cách kết nối của các điểm cầu cấp này")
    registration: Registration | None = Field(None, description="Cách đăng ký điểm cầu cấp này, khi do cấp trên "
                                                                "đăng ký (ví dụ điểm cầu xã do huyện đăng ký)")
    contacts: list[PointContact] = Field(default_factory=list, description="Người liên hệ cho mọi điểm cầu của "
                                                                           "cấp (sau người liên hệ riêng của điểm cầu)")
    points: list[Point] = Field(default_factory=list, description="Các điểm cầu của cấp")
    points_file: Text | None = Field(None, description="Bảng tính đặt cạnh tệp hội nghị (.xlsx, .ods, .csv) liệt kê "
                                                       "thêm điểm cầu của cấp, mỗi dòng một điểm cầu dưới dòng tiêu "
                                                       "đề: Tên, Trực thuộc, Mã, Địa điểm, Đường dẫn, Người liên hệ, "
                                                       "Điện thoại, Email", examples=["diem-cau-xa.xlsx"])


class Agency(Strict):
    id: Slug = Field(description="Mã của cơ quan", examples=["ban-tuyen-giao"])
    name: Text = Field(description="Tên cơ quan, đơn vị", examples=["Ban Tuyên giáo Tỉnh ủy"])
    tier: Slug | None = Field(None, description="Mã cấp: cơ quan này làm nhiệm vụ ở mọi điểm cầu của cấp đó "
                                                "(ví dụ thường trực các huyện ủy)", examples=["huyen"])
    email: Email | None = Field(None, description="Thư điện tử nhận báo cáo")
    phone: Phone | None = Field(None, description="Số điện thoại")


class Duty(Strict):
    number: int = Field(ge=1, description="Số thứ tự của nhiệm vụ, như giấy mời đánh số", examples=[1])
    agencies: list[Slug] = Field(min_length=1, description="Mã các cơ quan thực hiện (ít nhất một)",
                                 examples=[["ban-tuyen-giao"]])
    text: Text = Field(description="Nội dung nhiệm vụ, như giấy mời viết")
    tiers: list[Slug] = Field(default_factory=list, description="Mã các cấp có liên quan", examples=[["tinh"]])
    points: list[Slug] = Field(default_factory=list, description="Tên đường dẫn (slug) các điểm cầu có liên quan")
    documents: list[Slug] = Field(default_factory=list, description="Mã các tài liệu của nhiệm vụ (mục documents)")


class ReportField(Strict):
    """One field of a report form: what the meeting asks each point to send."""

    kind: Literal["count", "names", "contact", "text"] = Field(
        description="count: một con số; names: danh sách người, mỗi dòng một người (họ tên, chức vụ); contact: "
                    "họ tên và số điện thoại người gửi; text: nội dung tự do")
    label: Text | None = Field(None, description="Nhãn của ô; để trống thì dùng nhãn mặc định của loại ô")
    hint: Text | None = Field(None, description="Dòng hướng dẫn dưới nhãn",
                              examples=["Mỗi dòng một người: họ tên, chức vụ."])


class Deadline(Strict):
    id: Slug = Field(description="Mã của mốc", examples=["dang-ky-diem-cau-xa"])
    kind: Literal["deadline", "event"] = Field("deadline", description="deadline (hạn chót) hoặc event (sự kiện, "
                                                                      "ví dụ chạy thử đường truyền)")
    title: Text = Field(description="Việc phải làm hoặc sự kiện", examples=["Đăng ký tổ chức điểm cầu cấp xã"])
    at: DateTime = Field(description="Thời điểm, trước giờ họp", examples=["16h ngày 28/9/2021"])
    tentative: bool = Field(False, description="true nếu thời điểm còn là dự kiến")
    duty: int | None = Field(None, description="Số của nhiệm vụ có mốc này (mục duties)", examples=[5])
    agencies: list[Slug] = Field(default_factory=list, description="Mã các cơ quan phải thực hiện")
    send_to: list[Slug] = Field(default_factory=list, description="Mã các cơ quan nhận")
    email: Email | None = Field(None, description="Thư điện tử nhận")
    contacts: list[Slug] = Field(default_factory=list, description="Mã những người liên hệ (mục contacts)")
    tiers: list[Slug] = Field(default_factory=list, description="Mã các cấp có liên quan; để trống là mọi cấp")
    note: Text | None = Field(None, description="Ghi chú")
    form: list[ReportField] = Field(default_factory=list, description="Các ô của mẫu báo cáo mà mốc này yêu cầu; "
                                                                      "để trống thì dùng mẫu mặc định")


class Contact(Strict):
    id: Slug = Field(description="Mã của người liên hệ", examples=["dang-van-hung"])
    name: Text = Field(description="Họ tên, hoặc tên bộ phận", examples=["Đặng Văn Hùng"])
    role: Text | None = Field(None, description="Chức vụ, nơi công tác", examples=["Cán bộ kỹ thuật Viễn Thông Hà Tĩnh"])
    agency: Slug | None = Field(None, description="Mã cơ quan (mục agencies)", examples=["vien-thong"])
    phone: Phone | None = Field(None, description="Số điện thoại (cần số điện thoại hoặc thư điện tử)")
    email: Email | None = Field(None, description="Thư điện tử")
    topics: Text | None = Field(None, description="Liên hệ về việc gì", examples=["Chạy thử và kết nối đường truyền"])
    point: Slug | None = Field(None, description="Điểm cầu (và các điểm cầu trực thuộc) của người liên hệ này: "
                                                 "hiện ở đó, trước số điện thoại chung của hội nghị", examples=["huong-son"])
    tier: Slug | None = Field(None, description="Cấp điểm cầu của người liên hệ này", examples=["huyen"])


class Rules(Strict):
    title: Text = Field(description="Tên quy định", examples=["Phòng, chống dịch Covid-19"])
    items: list[Text] = Field(min_length=1, description="Các điều quy định (ít nhất một)")
    duties: list[int] = Field(default_factory=list, description="Số các nhiệm vụ bảo đảm quy định", examples=[[7]])


class Document(Strict):
    id: Slug = Field(description="Mã của tài liệu", examples=["tb-168"])
    kind: Text = Field(description="Loại văn bản", examples=["Thông báo", "Nghị quyết", "Kết luận"])
    number: Text | None = Field(None, description="Số, ký hiệu", examples=["168-TB/TU"])
    date: Date | None = Field(None, description="Ngày ban hành", examples=["24/9/2021"])
    issuer: Text | None = Field(None, description="Cơ quan ban hành", examples=["Tỉnh ủy"])
    title: Text | None = Field(None, description="Trích yếu")
    file: Text | None = Field(None, description="Tên tệp trong thư mục data/tai-lieu/ (cạnh tệp hội nghị)",
                              examples=["thong-bao-168.pdf"])
    url: Url | None = Field(None, description="Địa chỉ web của tài liệu, thay cho tệp")
    tiers: list[Slug] = Field(default_factory=list, description="Mã các cấp cần tài liệu; để trống cả tiers, "
                                                                "points và agencies là gửi mọi người")
    points: list[Slug] = Field(default_factory=list, description="Tên đường dẫn (slug) các điểm cầu cần tài liệu")
    agencies: list[Slug] = Field(default_factory=list, description="Mã các cơ quan cần tài liệu")


class Invitation(Strict):
    """The invitation's own particulars, for its letterhead and its signed original. Each is printed
    only when given: nothing is filled in for what the paper does not say."""

    number: Text | None = Field(None, description="Số và ký hiệu như giấy mời ghi, không có chữ 'Số'",
                                examples=["05/GM-UBND", "123-GM/TU"])
    date: Date | None = Field(None, description="Ngày ban hành", examples=["25/9/2021"])
    place: Text | None = Field(None, description="Địa danh ở dòng nơi và ngày ban hành", examples=["Hà Tĩnh"])
    signed: Text | None = Field(None, description="Bản có chữ ký đặt cạnh tệp hội nghị: bản quét hoặc PDF ký số",
                                examples=["giay-moi-da-ky.pdf"])


class Signer(Strict):
    form: SignerForm | None = Field(None, description="Hình thức ký: TM., KT., TL., TUQ., Q. (văn bản hành "
                                                      "chính), T/M, K/T, T/L (văn bản của Đảng); để trống là ký "
                                                      "trực tiếp")
    on_behalf_of: Text | None = Field(None, description="Ký thay cho ai", examples=["BAN THƯỜNG VỤ"])
    title: Text = Field(description="Chức vụ người ký", examples=["PHÓ CHÁNH VĂN PHÒNG"])
    name: Text = Field(description="Họ tên người ký", examples=["Trần Đình Thuyên"])

    @property
    def authority(self) -> str | None:
        if self.form and self.on_behalf_of:
            return f"{self.form} {self.on_behalf_of}"
        return self.on_behalf_of


# ---------------------------------------------------------------------------------------------
# After the meeting (issue 9)
# ---------------------------------------------------------------------------------------------


class Outcome(Strict):
    """What the meeting produced, shown first on the home page once the meeting has ended."""

    conclusion: Slug | None = Field(None, description="Mã thông báo kết luận hội nghị (mục documents)")
    text: Text | None = Field(None, description="Kết luận như đã ban hành; mỗi dòng là một đoạn")
    documents: list[Slug] = Field(default_factory=list, description="Mã các tài liệu ban hành sau hội nghị "
                                                                    "(mục documents)")


# ---------------------------------------------------------------------------------------------
# Makets (stage backdrops) and their QR codes
# ---------------------------------------------------------------------------------------------

# Named sizes: width and height in mm, and for LED walls the screen's pixels (a PNG is made for it).
MAKET_SIZES: dict[str, tuple[int, int, tuple[int, int] | None]] = {
    "backdrop-6x3": (6000, 3000, None),
    "led-16x9": (5760, 3240, (1920, 1080)),
}
DEFAULT_MAKET_SIZE = "backdrop-6x3"
# Rule of thumb: a QR code scans from about ten times its width.
QR_READING_RATIO = 10
DEFAULT_READING_DISTANCE_M = 10.0
# The code (without its quiet zone) may take at most these shares of the backdrop, so that the
# white panel, its caption and the conference title still fit beside it.
QR_MAX_HEIGHT_SHARE = 0.5
QR_MAX_WIDTH_SHARE = 0.3


Colour = Annotated[str, Field(pattern=r"^#[0-9a-fA-F]{6}$")]


class Box(Strict):
    """A rectangle on the organizer's backdrop, in millimetres of the real backdrop from its top left corner."""

    x_mm: float = Field(ge=0, description="Cách mép trái của phông (mm)", examples=[300])
    y_mm: float = Field(ge=0, description="Cách mép trên của phông (mm)", examples=[1800])
    width_mm: float = Field(gt=0, description="Chiều rộng (mm)", examples=[3000])
    height_mm: float = Field(gt=0, description="Chiều cao (mm)", examples=[600])


class TextBox(Box):
    color: Colour = Field("#000000", description="Màu chữ", examples=["#ffd700"])


class MaketTemplate(Strict):
    """The organizer's own backdrop ('maket theo mẫu gửi kèm'), filled in for every point."""

    file: Text = Field(description="Tệp SVG, PDF hoặc PNG đặt cạnh tệp hội nghị", examples=["maket-mau.pdf"])
    name: TextBox = Field(description="Khung ghi tên điểm cầu (tự xuống dòng, thu nhỏ cho vừa)")
    qr: Box | None = Field(None, description="Khung đặt mã QR, trên nền trắng; để trống thì phông không có mã (tờ A4 "
                                             "luôn có)")
    title: TextBox | None = Field(None, description="Khung ghi tên hội nghị, khi mẫu chưa có")
    date: TextBox | None = Field(None, description="Khung ghi dòng địa danh, ngày tháng, khi mẫu chưa có")

    @property
    def boxes(self) -> dict[str, Box]:
        return {k: b for k, b in (("name", self.name), ("qr", self.qr), ("title", self.title), ("date", self.date))
                if b is not None}


# The smallest QR symbol has 21 modules and its quiet zone 4 on each side: the code itself takes at
# least 21/29 of the white square around it.
QR_SHARE_OF_SQUARE = 21 / 29


class Maket(Strict):
    """The backdrop ('maket') put up at every connection point, with the point's QR code."""

    size: Literal["backdrop-6x3", "led-16x9"] | None = Field(
        None, description="Cỡ có sẵn: backdrop-6x3 (phông 6000 × 3000 mm, mặc định) hoặc led-16x9 (màn hình LED "
                          "5760 × 3240 mm, có thêm tệp PNG 1920 × 1080)")
    width_mm: int | None = Field(None, ge=100, le=50_000, description="Chiều rộng phông, tính bằng mm, thay cho size "
                                                                      "(ghi cùng height_mm)", examples=[4000])
    height_mm: int | None = Field(None, ge=100, le=50_000, description="Chiều cao phông, tính bằng mm, thay cho "
                                                                       "size (ghi cùng width_mm)", examples=[2000])
    reading_distance_m: float | None = Field(
        None, gt=0, le=100, description="Khoảng cách xa nhất (m) mà mã QR cần quét được; mã in rộng bằng một phần "
                                        "mười khoảng cách đó (mặc định 10 m, ít hơn khi phông nhỏ)", examples=[10])
    error_correction: Literal["L", "M", "Q", "H"] = Field("M", description="Mức sửa lỗi của mã QR")
    issuer: Text | None = Field(None, description="Dòng trên cùng; để trống thì dùng tên cơ quan ở tiêu đề văn bản")
    title: Text | None = Field(None, description="Tên hội nghị trên phông; để trống thì dùng tên hội nghị")
    place: Text | None = Field(None, description="Địa danh của dòng địa danh, ngày tháng", examples=["Hà Tĩnh"])
    caption: Text = Field("Quét mã QR để xem thông tin điểm cầu", description="Dòng chữ dưới mã QR")
    qr_position: Literal["left", "right", "none"] = Field(
        "right", description="Vị trí khung mã QR trên mẫu phông có sẵn: right (phải), left (trái), none (không in mã "
                             "trên phông, ví dụ khi đoàn chủ tịch ngồi che; tờ A4 vẫn có mã)")
    template: MaketTemplate | None = Field(None, description="Mẫu phông của ban tổ chức, thay cho mẫu có sẵn")
    tiers: list[Slug] | None = Field(
        None, description="Mã các cấp mà mọi điểm cầu có đủ tệp in (maket phông nền, tờ A4, mã QR); các cấp khác chỉ "
                          "có mã QR. Để trống: mọi cấp, trừ khi hội nghị có trên 500 điểm cầu thì cấp cuối cùng "
                          "chỉ có mã QR", examples=[["tinh", "huyen", "xa"]])
    points: list[Slug] = Field(
        default_factory=list, description="Tên đường dẫn (slug) các điểm cầu có thêm đủ tệp in, cùng mọi điểm cầu "
                                          "trực thuộc (ghi một huyện: mọi xã của huyện)", examples=[["huong-son"]])

    @property
    def dimensions(self) -> tuple[int, int]:
        if self.width_mm and self.height_mm:
            return self.width_mm, self.height_mm
        width, height, _ = MAKET_SIZES[self.size or DEFAULT_MAKET_SIZE]
        return width, height

    @property
    def screen_px(self) -> tuple[int, int] | None:
        return None if self.width_mm else MAKET_SIZES[self.size or DEFAULT_MAKET_SIZE][2]

    @property
    def max_reading_distance_m(self) -> float:
        width, height = self.dimensions
        largest_mm = min(height * QR_MAX_HEIGHT_SHARE, width * QR_MAX_WIDTH_SHARE)
        if self.template and self.template.qr:  # the organizer's square, less the quiet zone
            largest_mm = min(self.template.qr.width_mm, self.template.qr.height_mm) * QR_SHARE_OF_SQUARE
        return largest_mm * QR_READING_RATIO / 1000

    @property
    def reading_distance(self) -> float:
        """As given, or the default reduced to what fits on this backdrop."""
        if self.reading_distance_m is not None:
            return self.reading_distance_m
        return min(DEFAULT_READING_DISTANCE_M, self.max_reading_distance_m)

    @property
    def qr_width_mm(self) -> float:
        """Printed width of the code itself (quiet zone not counted), on the real backdrop."""
        return self.reading_distance * 1000 / QR_READING_RATIO


class MeetingFile(Strict):
    """The whole of data/meeting.yaml."""

    meeting: Meeting = Field(description="Thông tin chung: tên, cơ quan triệu tập, các buổi họp")
    tiers: list[Tier] = Field(min_length=1, description="Các cấp điểm cầu, từ trên xuống (ít nhất một), mỗi cấp "
                                                        "với thành phần mời và các điểm cầu")
    agencies: list[Agency] = Field(default_factory=list, description="Các cơ quan, đơn vị có nhiệm vụ")
    duties: list[Duty] = Field(default_factory=list, description="Nhiệm vụ, như giấy mời phân công")
    deadlines: list[Deadline] = Field(default_factory=list, description="Hạn chót và sự kiện trước hội nghị")
    contacts: list[Contact] = Field(default_factory=list, description="Người liên hệ")
    rules: Rules | None = Field(None, description="Quy định cần thực hiện (không bắt buộc)")
    closing: list[Text] = Field(default_factory=list, description="Lời đề nghị cuối giấy mời")
    documents: list[Document] = Field(default_factory=list, description="Văn bản, tài liệu của hội nghị")
    recipients: list[Text] = Field(default_factory=list, description="Nơi nhận",
                                   examples=[["Như thành phần mời,", "Thường trực Tỉnh ủy, (báo cáo),"]])
    archive: list[Text] = Field(default_factory=list, description="Các dòng \"Lưu …\"",
                                examples=[["Lưu Văn phòng Tỉnh ủy."]])
    signer: Signer | None = Field(None, description="Người ký giấy mời")
    invitation: Invitation = Field(default_factory=Invitation, description="Số, ngày và nơi ban hành giấy mời, "
                                                                             "bản có chữ ký")
    outcome: Outcome | None = Field(None, description="Kết quả sau hội nghị: kết luận và tài liệu ban hành")
    maket: Maket = Field(default_factory=Maket, description="Maket phông nền và mã QR của các điểm cầu")

    @model_validator(mode="after")
    def _addresses(self) -> MeetingFile:
        """Give every point its address; a parent is in an earlier tier, so it has its own already."""
        parents: dict[str, Point] = {}
        for tier in self.tiers:
            for point in tier.points:
                parent = parents.get(point.parent) if point.parent else None
                short = parent.short_name if parent else point.parent  # an unknown parent is reported later
                key = point.__dict__["key"] = point_key(point.name, point.slug, point.code, short)  # cached_property
                parents.setdefault(key, point)
        return self

    # Lookups used by the pages; the model is frozen, so they are computed once.
    @cached_property
    def points(self) -> list[tuple[Tier, Point]]:
        return [(tier, point) for tier in self.tiers for point in tier.points]

    @cached_property
    def point_by_key(self) -> dict[str, tuple[Tier, Point]]:
        return {point.key: (tier, point) for tier, point in self.points}

    @cached_property
    def agency_by_id(self) -> dict[str, Agency]:
        return {a.id: a for a in self.agencies}

    @cached_property
    def tier_by_id(self) -> dict[str, Tier]:
        return {t.id: t for t in self.tiers}

    @cached_property
    def duty_by_number(self) -> dict[int, Duty]:
        return {d.number: d for d in self.duties}

    @cached_property
    def contact_by_id(self) -> dict[str, Contact]:
        return {c.id: c for c in self.contacts}

    @cached_property
    def document_by_id(self) -> dict[str, Document]:
        return {d.id: d for d in self.documents}

    @cached_property
    def deadline_by_id(self) -> dict[str, Deadline]:
        return {d.id: d for d in self.deadlines}


def _is_zone(value: str) -> bool:
    """An IANA zone name this machine knows. Asked of ZoneInfo itself: listing every zone
    (available_timezones) walks the whole database, 50 ms of every build."""
    if not _ZONE_NAME.fullmatch(value):  # no '..', no absolute path, no 'zone.tab'
        return False
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # 'Asia' is a folder: IsADirectoryError
        return False
    return True


_ZONE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9][A-Za-z0-9_+-]*)*")
