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

from .errors import quote
from ..text import nfc, slugify

# ---------------------------------------------------------------------------------------------
# Field types
# ---------------------------------------------------------------------------------------------


def _text(value: str) -> str:
    value = nfc(value).strip()
    if not value:
        raise ValueError("must not be empty")
    return value


# Longest real value is a duty of ~600 characters. Every text lands on many pages (the title on
# each of 10,000 point pages), so a pasted book must be refused, not multiplied.
MAX_TEXT = 4000
Text = Annotated[str, Field(max_length=MAX_TEXT, json_schema_extra={"minLength": 1}), AfterValidator(_text)]
# Slugs become folder names and URL paths: ASCII only, no dots or slashes, so they cannot escape.
MAX_SLUG = 60
Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=MAX_SLUG)]
Email = Annotated[str, Field(pattern=r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$", max_length=120)]
Phone = Annotated[str, Field(pattern=r"^\+?[0-9][0-9 .()-]{5,20}[0-9]$")]


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
Url = Annotated[str, Field(pattern=r"^https?://[^\s<>\"'`\\]+$", max_length=2000)]


def _written(example: str):
    """Dates and times only as text: pydantic would read `start: 730` as 00:12:10 UTC (seconds)."""
    def check(value: Any) -> Any:
        if isinstance(value, (int, float)):
            raise ValueError(f"write it as {example}")
        return value
    return BeforeValidator(check)


def _local(value: Any) -> Any:
    # An offset would make this time incomparable with every other one (all are local).
    if getattr(value, "tzinfo", None) is not None:
        raise ValueError("write local time without a UTC offset (times are in the meeting's time zone)")
    if hasattr(value, "year") and not 1900 <= value.year <= 2199:  # year 1 or 9999 overflow date arithmetic
        raise ValueError("the year must be between 1900 and 2199")
    return value


Date = Annotated[_date, _written("YYYY-MM-DD, e.g. 2021-09-30"), AfterValidator(_local)]
Time = Annotated[_time, _written("HH:MM, e.g. 07:30"), AfterValidator(_local)]
DateTime = Annotated[datetime, _written("YYYY-MM-DD HH:MM, e.g. 2021-09-28 16:00"), AfterValidator(_local)]
SignerForm = Literal["TM.", "KT.", "T/L", "TL.", "TUQ.", "Q."]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              json_schema_extra={"additionalProperties": False})


# ---------------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------------


class Issuer(Strict):
    """Who convenes: `unit` acts (Ban Thường vụ Tỉnh ủy) within `organization` (Tỉnh ủy Hà Tĩnh)."""

    organization: Text = Field(description="Letterhead organization, e.g. 'Tỉnh ủy Hà Tĩnh'")
    unit: Text = Field(description="The body that convenes, e.g. 'Ban Thường vụ Tỉnh ủy'")
    parent: Text | None = Field(None, description="Line above the letterhead, e.g. 'ĐẢNG CỘNG SẢN VIỆT NAM'")
    kind: Literal["party", "state", "other"] = "party"


class AgendaItem(Strict):
    time: Time | None = None
    title: Text
    presenter: Text | None = None
    documents: list[Slug] = Field(default_factory=list, description="ids from `documents`")


class Session(Strict):
    label: Text = Field(description="e.g. 'Một buổi', 'Buổi sáng', 'Phiên thứ nhất'")
    date: Date
    start: Time
    end: Time | None = None
    chair: Text | None = None
    items: list[AgendaItem] = Field(default_factory=list)

    @property
    def starts(self) -> datetime:
        return datetime.combine(self.date, self.start)

    @property
    def ends(self) -> datetime | None:
        return datetime.combine(self.date, self.end) if self.end else None


class Arrival(Strict):
    minutes_before: int = Field(ge=0, le=240)
    note: Text


class Meeting(Strict):
    notice: Text = Field("Mời họp", description="Kind of the issued paper, e.g. 'Mời họp', 'Giấy mời'")
    kind: Text = Field(description="e.g. 'Hội nghị trực tuyến toàn tỉnh'")
    title: Text = Field(description="Full title, starting with the kind")
    short_title: Text | None = None
    issuer: Issuer
    timezone: str = "Asia/Ho_Chi_Minh"
    sessions: list[Session] = Field(min_length=1)
    arrival: Arrival | None = None
    format: Text | None = Field(None, description="How the meeting connects, e.g. 'Trực tuyến'")
    id: Slug | None = Field(None, description="Stable name of this meeting for calendar UIDs (set it once; "
                                              "derived from issuer and title when left out)")

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        if not _is_zone(value):
            raise ValueError(f"unknown time zone {quote(value)} (e.g. Asia/Ho_Chi_Minh)")
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

    text: Text
    deadline: Slug | None = Field(None, description="id from `deadlines`")


class PointContact(Strict):
    """Someone to call about one connection point: its technician, its focal point, its logistics."""

    role: Text | None = Field(None, description="e.g. 'kỹ thuật', 'đầu mối', 'hậu cần'")
    name: Text | None = None
    phone: Phone | None = None
    email: Email | None = None

    @model_validator(mode="after")
    def _not_empty(self) -> PointContact:
        if not (self.name or self.phone or self.email):
            raise ValueError("cần ít nhất họ tên, số điện thoại hoặc email của người liên hệ")
        return self


class Point(Strict):
    slug: Slug | None = Field(None, description="URL name; derived from `name` (and `code` or the parent) "
                                                "when left out")
    name: Text
    code: Code | None = Field(None, description="Official code (e.g. a commune's GSO code, '18172'); the "
                                                "address is then the name and the code, unique")
    place: Text | None = None
    parent: Slug | None = Field(None, description="slug of the point this one hangs under")
    invitees: list[Text] = Field(default_factory=list, description="Invited here besides the tier's list")
    prepared_by: list[Slug] = Field(default_factory=list, description="agency ids")
    connection: Text | None = Field(None, description="How this point connects")
    note: Text | None = None
    contacts: list[PointContact] = Field(default_factory=list, description="Whom to call about this point")

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
    id: Slug
    name: Text = Field(description="e.g. 'Điểm cầu tỉnh'")
    heading: Text | None = Field(None, description="The tier's heading as the invitation words it")
    invitees: list[Text] = Field(default_factory=list)
    note: Text | None = None
    connection: Text | None = None
    registration: Registration | None = None
    contacts: list[PointContact] = Field(default_factory=list, description="Whom to call about every point of "
                                                                           "this tier (after a point's own)")
    points: list[Point] = Field(default_factory=list)
    points_file: Text | None = Field(None, description="Spreadsheet beside the meeting file (.xlsx, .ods, .csv) with "
                                                       "more points of this tier, one a row under a header row: "
                                                       "Tên, Trực thuộc, Mã, Địa điểm, Đường dẫn, Người liên hệ, "
                                                       "Điện thoại, Email")


class Agency(Strict):
    id: Slug
    name: Text
    tier: Slug | None = Field(None, description="Acts at every point of this tier (e.g. district standing committees)")
    email: Email | None = None
    phone: Phone | None = None


class Duty(Strict):
    number: int = Field(ge=1)
    agencies: list[Slug] = Field(min_length=1)
    text: Text
    tiers: list[Slug] = Field(default_factory=list, description="tiers this duty concerns")
    points: list[Slug] = Field(default_factory=list, description="points this duty concerns")
    documents: list[Slug] = Field(default_factory=list)


class ReportField(Strict):
    """One field of a report form: what the meeting asks each point to send."""

    kind: Literal["count", "names", "contact", "text"] = Field(
        description="count: a number; names: a list of people, one a line (name, position); contact: the "
                    "sender's name and phone; text: free text")
    label: Text | None = Field(None, description="The field's label; each kind has its own when left out")
    hint: Text | None = Field(None, description="A line under the label, e.g. 'Mỗi dòng một người: họ tên, chức vụ.'")


class Deadline(Strict):
    id: Slug
    kind: Literal["deadline", "event"] = "deadline"
    title: Text
    at: DateTime
    tentative: bool = Field(False, description="'dự kiến'")
    duty: int | None = None
    agencies: list[Slug] = Field(default_factory=list, description="who must act")
    send_to: list[Slug] = Field(default_factory=list, description="agencies that receive")
    email: Email | None = None
    contacts: list[Slug] = Field(default_factory=list)
    tiers: list[Slug] = Field(default_factory=list, description="tiers this concerns; all when empty")
    note: Text | None = None
    form: list[ReportField] = Field(default_factory=list, description="The fields of the report form this deadline "
                                                                      "asks for; today's forms when left out")


class Contact(Strict):
    id: Slug
    name: Text
    role: Text | None = None
    agency: Slug | None = None
    phone: Phone | None = None
    email: Email | None = None
    topics: Text | None = Field(None, description="What to call about")
    point: Slug | None = Field(None, description="The point this contact is for (and the points under it): "
                                                 "shown there before the meeting's own contacts, not elsewhere")
    tier: Slug | None = Field(None, description="The tier whose points this contact is for")


class Rules(Strict):
    title: Text
    items: list[Text] = Field(min_length=1)
    duties: list[int] = Field(default_factory=list, description="duty numbers that enforce these rules")


class Document(Strict):
    id: Slug
    kind: Text = Field(description="nghị quyết, kết luận, chỉ thị, thông báo, ...")
    number: Text | None = Field(None, description="Number and symbol as issued, e.g. '168-TB/TU'")
    date: Date | None = None
    issuer: Text | None = None
    title: Text | None = None
    file: Text | None = Field(None, description="File in the documents folder beside the meeting file "
                                                 "(data/tai-lieu/), e.g. 'thong-bao-168.pdf'")
    url: Url | None = Field(None, description="Where the document is published elsewhere (instead of a file)")
    tiers: list[Slug] = Field(default_factory=list, description="tiers it is meant for; everyone when all "
                                                                 "of tiers, points and agencies are empty")
    points: list[Slug] = Field(default_factory=list, description="points it is meant for")
    agencies: list[Slug] = Field(default_factory=list, description="agencies it is meant for")


class Signer(Strict):
    form: SignerForm | None = Field(None, description="T/L, TM., KT., ... or none for a plain signature")
    on_behalf_of: Text | None = Field(None, description="e.g. 'BAN THƯỜNG VỤ'")
    title: Text = Field(description="e.g. 'PHÓ CHÁNH VĂN PHÒNG'")
    name: Text

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

    conclusion: Slug | None = Field(None, description="id in `documents` of the conclusion notice")
    text: Text | None = Field(None, description="The conclusion as issued; each line becomes a paragraph")
    documents: list[Slug] = Field(default_factory=list, description="ids in `documents` released after the meeting")


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

    x_mm: float = Field(ge=0)
    y_mm: float = Field(ge=0)
    width_mm: float = Field(gt=0)
    height_mm: float = Field(gt=0)


class TextBox(Box):
    color: Colour = Field("#000000", description="Colour of the text, e.g. '#ffd700'")


class MaketTemplate(Strict):
    """The organizer's own backdrop ('maket theo mẫu gửi kèm'), filled in for every point."""

    file: Text = Field(description="SVG, PDF or PNG file beside the meeting file, e.g. 'maket-mau.pdf'")
    name: TextBox = Field(description="Where the point's name goes (wrapped, shrunk to fit)")
    qr: Box | None = Field(None, description="Where the QR code goes, on a white square; no code on the "
                                             "backdrop when left out (the A4 poster always has it)")
    title: TextBox | None = Field(None, description="Where the conference title goes, if the template leaves it out")
    date: TextBox | None = Field(None, description="Where the place-and-date line goes, if the template leaves it out")

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
        None, description="Named size: 'backdrop-6x3' (6000 × 3000 mm, the default) or 'led-16x9' "
                          "(5760 × 3240 mm LED wall, also delivered as a 1920 × 1080 PNG)")
    width_mm: int | None = Field(None, ge=100, le=50_000, description="Backdrop width, instead of `size`")
    height_mm: int | None = Field(None, ge=100, le=50_000, description="Backdrop height, instead of `size`")
    reading_distance_m: float | None = Field(
        None, gt=0, le=100, description="Farthest seat the QR code must scan from; its printed width is a "
                                        "tenth of it (default 10 m, less when the backdrop is small)")
    error_correction: Literal["L", "M", "Q", "H"] = Field("M", description="QR error correction level")
    issuer: Text | None = Field(None, description="Top line; the issuer's organization when left out")
    title: Text | None = Field(None, description="Conference title on the backdrop; the meeting's title when "
                                                 "left out")
    place: Text | None = Field(None, description="Place of the place-and-date line, e.g. 'Hà Tĩnh'")
    caption: Text = Field("Quét mã QR để xem thông tin điểm cầu", description="One line under the QR code")
    qr_position: Literal["left", "right", "none"] = Field(
        "right", description="Where the built-in design puts the QR panel: 'right', 'left', or 'none' (no code on "
                             "the backdrop, e.g. when a seated presidium hides it; the A4 poster keeps it)")
    template: MaketTemplate | None = Field(None, description="The organizer's backdrop, instead of the built-in design")

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

    meeting: Meeting
    tiers: list[Tier] = Field(min_length=1)
    agencies: list[Agency] = Field(default_factory=list)
    duties: list[Duty] = Field(default_factory=list)
    deadlines: list[Deadline] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    rules: Rules | None = None
    closing: list[Text] = Field(default_factory=list, description="Closing requests, as issued")
    documents: list[Document] = Field(default_factory=list)
    recipients: list[Text] = Field(default_factory=list)
    archive: list[Text] = Field(default_factory=list, description="'Lưu ...' lines")
    signer: Signer | None = None
    outcome: Outcome | None = None
    maket: Maket = Field(default_factory=Maket, description="Backdrops and QR codes for the connection points")

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
