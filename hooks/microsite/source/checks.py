"""Cross-checks: what types cannot check (ids exist, slugs unique, deadlines before the meeting,
the backdrop's sizes, the documents' files). Each returns (location, message) pairs; the source
package places them at a line and column, so every problem is reported in one run."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from ..text import vn_datetime, vn_short_date, vn_time
from .errors import quote
from .forms import number_problem
from .kinds import ID
from .load import dotted
from ..text import vn_number
from .model import MAX_SLUG, QR_READING_RATIO, QR_SHARE_OF_SQUARE, Maket, MeetingFile


FOLDER = "tai-lieu"  # beside the meeting file, and in the site

# Office documents, PDF, images, archives. Never HTML, SVG or anything a browser would run as part
# of this site: attached files are served from the site's own address.
TYPES = {
    ".pdf": "PDF", ".doc": "DOC", ".docx": "DOCX", ".odt": "ODT", ".rtf": "RTF", ".txt": "TXT",
    ".xls": "XLS", ".xlsx": "XLSX", ".ods": "ODS", ".ppt": "PPT", ".pptx": "PPTX", ".odp": "ODP",
    ".jpg": "JPG", ".jpeg": "JPG", ".png": "PNG", ".zip": "ZIP",
}


# ---------------------------------------------------------------------------------------------
# Checks at load
# ---------------------------------------------------------------------------------------------


def file_checker(meeting_folder: Path, display: str) -> Callable[[MeetingFile], list[tuple[tuple, str]]]:
    """A check for `validate`: every listed file exists inside the documents folder."""
    shown = posixpath_join(os.path.dirname(display), FOLDER)

    def check(m: MeetingFile) -> list[tuple[tuple, str]]:
        out = []
        for i, doc in enumerate(m.documents):
            if doc.file is not None:
                problem = file_problem(meeting_folder / FOLDER, doc.file, shown)
                if problem:
                    out.append((("documents", i, "file"), problem))
        if m.invitation.signed is not None:
            problem = signed_problem(meeting_folder, m.invitation.signed, os.path.dirname(display) or ".")
            if problem:
                out.append((("invitation", "signed"), problem))
        return out

    return check


def file_problem(folder: Path, name: str, shown: str = FOLDER) -> str | None:
    """Why `name` cannot be attached from `folder`, or None when it can."""
    pure = PurePosixPath(name)
    if "\\" in name or pure.is_absolute() or name[1:2] == ":" or ".." in pure.parts:
        return (f"{quote(name)}: ghi tên tệp trong thư mục {shown}/ (không có '..', không bắt đầu bằng / hay ổ đĩa), "
                f"ví dụ thong-bao-168.pdf")
    suffix = pure.suffix.lower()
    if suffix not in TYPES:
        known = ", ".join(sorted({s[1:] for s in TYPES}))
        return f"{quote(name)}: không đính kèm được loại tệp này (dùng được: {known})"
    path = folder / pure
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a loop of links
        return f"không có tệp {shown}/{pure}: chép tệp vào thư mục {shown}/ hoặc sửa tên cho đúng"
    if not real.is_relative_to(folder.resolve()):
        return f"{quote(name)} dẫn ra ngoài thư mục {shown}/ (một liên kết tới tệp ở nơi khác?): chép tệp vào {shown}/"
    if not real.is_file():
        return f"{shown}/{pure} không phải một tệp (là thư mục?)"
    return None


def signed_problem(folder: Path, name: str, shown: str) -> str | None:
    """Why `name` cannot be the signed original of the invitation (a PDF beside the meeting file)."""
    pure = PurePosixPath(name)
    if pure.suffix.lower() != ".pdf":
        return f"bản có chữ ký {quote(name)} phải là tệp PDF (bản quét hoặc bản ký số)"
    problem = file_problem(folder, name, shown)
    if problem is None:
        with open(folder / pure, "rb") as f:
            if b"%PDF-" not in f.read(1024):  # where the PDF standard lets the header start
                return f"{shown}/{pure} không phải tệp PDF (thiếu phần đầu %PDF-)"
        return None
    if not os.path.lexists(folder / pure) and ".." not in pure.parts and not pure.is_absolute():
        return f"không có tệp {shown}/{pure} (đặt bản có chữ ký cùng thư mục với tệp hội nghị)"
    return problem  # a path leading out of the folder


def check_invitation(m: MeetingFile) -> list[tuple[tuple, str]]:
    """The letterhead's particulars: a number and symbol of the issuer's form, issued before the meeting."""
    out: list[tuple[tuple, str]] = []
    inv = m.invitation
    if inv.number is not None:
        problem = number_problem(m.meeting.issuer.kind, inv.number)
        if problem:
            out.append((("invitation", "number"), problem))
    first_day = m.meeting.starts.date()
    if inv.date is not None and inv.date > first_day:
        out.append((("invitation", "date"), f"ngày ban hành {vn_short_date(inv.date)} sau ngày họp "
                                             f"{vn_short_date(first_day)}: giấy mời được ban hành trước hội nghị"))
    return out


def posixpath_join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name



# What each kind of id names, for the messages: (what it is, where the file lists them).
WHAT = {"tier": ("cấp điểm cầu", "tiers"), "agency": ("cơ quan", "agencies"), "duty": ("nhiệm vụ", "duties"),
        "deadline": ("mốc thời gian", "deadlines"), "contact": ("người liên hệ", "contacts"),
        "document": ("tài liệu", "documents"), "point": ("điểm cầu", "tiers[].points")}


class Anything:
    """Stands for the ids of a kind that could not all be read: every reference to one is taken
    as found, so that only real problems are reported."""

    def __contains__(self, value: object) -> bool:
        return True


def cross_check(m: MeetingFile, place: Callable[[tuple], str] = dotted,
                also: dict[str, Any] | None = None) -> list[tuple[tuple, str]]:
    """References that types cannot check: ids exist, slugs unique, deadlines before the meeting.

    `place` names another place of the file in a message ("dòng 12"); `also` holds, by kind, ids
    that exist in the file though their items were left out of `m` (see source/partial.py).
    """
    out: list[tuple[tuple, str]] = []
    also = also or {}

    def unique(items: list, attr: str, where: str, kind: str) -> set:
        seen: dict[Any, int] = {}
        for i, item in enumerate(items):
            value = getattr(item, attr)
            if value in seen:
                label = "số" if kind == "duty" else "mã"
                out.append(((where, i, attr), f"{label} {quote(value) if label == 'mã' else value} đã dùng ở "
                                              f"{place((where, seen[value], attr))}; mỗi {WHAT[kind][0]} một {label} "
                                              "riêng"))
            seen.setdefault(value, i)
        return set(seen)

    tiers = unique(m.tiers, "id", "tiers", "tier")
    agencies = unique(m.agencies, "id", "agencies", "agency")
    duties = unique(m.duties, "number", "duties", "duty")
    deadlines = unique(m.deadlines, "id", "deadlines", "deadline")
    contacts = unique(m.contacts, "id", "contacts", "contact")
    documents = unique(m.documents, "id", "documents", "document")

    def refs(loc: tuple, values: list | Any, known: set, kind: str) -> None:
        what, listed = WHAT[kind]
        for j, value in enumerate(values if isinstance(values, list) else [values]):
            if value is not None and value not in known and value not in also.get(kind, ()):
                close = difflib.get_close_matches(str(value), [str(k) for k in known], n=1)
                hint = f"; có phải '{close[0]}'?" if close else ""
                at = (*loc, j) if isinstance(values, list) else loc
                named = (f"{what} số {value}" if kind == "duty" else f"{what} nào có tên đường dẫn {quote(value)}"
                         if kind == "point" else f"{what} nào có mã {quote(value)}")
                out.append((at, f"không có {named} trong tệp (mục {listed}){hint}"))

    # Points: slugs unique across all tiers; a parent must sit in an earlier tier.
    seen_points: dict[str, tuple] = {}
    tier_rank = {t.id: i for i, t in enumerate(m.tiers)}
    for ti, tier in enumerate(m.tiers):
        if tier.registration:
            refs(("tiers", ti, "registration", "deadline"), tier.registration.deadline, deadlines, "deadline")
        for pi, point in enumerate(tier.points):
            loc = ("tiers", ti, "points", pi)
            key_loc = (*loc, "slug") if point.slug else (*loc, "name")
            if not point.slug and not point.key:
                out.append(((*loc, "name"), f"không tạo được tên đường dẫn từ tên này; thêm mục slug, "
                                            f"ví dụ slug: {ID.example}"))
            elif not point.slug and len(point.key) > MAX_SLUG:  # it becomes a folder name
                out.append(((*loc, "name"), f"tên dài quá để làm tên đường dẫn (tối đa {MAX_SLUG} ký tự); thêm "
                                            f"mục slug ngắn hơn, ví dụ slug: {ID.example}"))
            elif point.key in seen_points:
                out.append((key_loc, f"tên đường dẫn {quote(point.key)} trùng với điểm cầu ở "
                                     f"{place(seen_points[point.key])}; đặt slug khác cho một trong hai"))
            else:
                seen_points[point.key] = loc
            refs((*loc, "prepared_by"), point.prepared_by, agencies, "agency")
    for ti, tier in enumerate(m.tiers):
        for pi, point in enumerate(tier.points):
            if point.parent is None:
                continue
            loc = ("tiers", ti, "points", pi, "parent")
            if point.parent not in seen_points:
                refs(loc, point.parent, set(seen_points) - {point.key}, "point")  # not itself
            elif tier_rank[m.point_by_key[point.parent][0].id] >= ti:
                out.append((loc, f"điểm cầu cấp trên {quote(point.parent)} phải thuộc một cấp đứng trước cấp "
                                 f"{quote(tier.id)} trong tiers"))

    for ai, agency in enumerate(m.agencies):
        refs(("agencies", ai, "tier"), agency.tier, tiers, "tier")
    for di, duty in enumerate(m.duties):
        refs(("duties", di, "agencies"), duty.agencies, agencies, "agency")
        refs(("duties", di, "tiers"), duty.tiers, tiers, "tier")
        refs(("duties", di, "points"), duty.points, set(seen_points), "point")
        refs(("duties", di, "documents"), duty.documents, documents, "document")

    starts = m.meeting.starts
    for si, session in enumerate(m.meeting.sessions):
        if session.end and session.end <= session.start:
            out.append((("meeting", "sessions", si, "end"), f"buổi họp kết thúc lúc {vn_time(session.end)}, không "
                                                            f"sau giờ bắt đầu {vn_time(session.start)}"))
        for ii, item in enumerate(session.items):
            refs(("meeting", "sessions", si, "items", ii, "documents"), item.documents, documents, "document")
            if item.time and (item.time < session.start or (session.end and item.time > session.end)):
                span = f"{vn_time(session.start)}–{vn_time(session.end)}" if session.end else \
                    f"bắt đầu {vn_time(session.start)}"
                out.append((("meeting", "sessions", si, "items", ii, "time"),
                            f"giờ của mục ({vn_time(item.time)}) nằm ngoài buổi họp ({span})"))
    for di, deadline in enumerate(m.deadlines):
        loc = ("deadlines", di)
        refs((*loc, "duty"), deadline.duty, duties, "duty")
        refs((*loc, "agencies"), deadline.agencies, agencies, "agency")
        refs((*loc, "send_to"), deadline.send_to, agencies, "agency")
        refs((*loc, "contacts"), deadline.contacts, contacts, "contact")
        refs((*loc, "tiers"), deadline.tiers, tiers, "tier")
        if deadline.at > starts:
            out.append(((*loc, "at"), f"{vn_datetime(deadline.at, weekday=False)} là sau giờ khai mạc "
                                      f"({vn_datetime(starts, weekday=False)}); hạn phải trước hội nghị"))
    for ci, contact in enumerate(m.contacts):
        refs(("contacts", ci, "agency"), contact.agency, agencies, "agency")
        if not contact.phone and not contact.email:
            out.append((("contacts", ci), "người liên hệ cần có số điện thoại (phone) hoặc thư điện tử (email)"))
    if m.rules:
        refs(("rules", "duties"), m.rules.duties, duties, "duty")
    for di, doc in enumerate(m.documents):
        refs(("documents", di, "tiers"), doc.tiers, tiers, "tier")
        refs(("documents", di, "points"), doc.points, set(seen_points), "point")
        refs(("documents", di, "agencies"), doc.agencies, agencies, "agency")
        if doc.file and doc.url:
            out.append((("documents", di, "url"), "chỉ ghi một trong hai, file (tệp kèm) hoặc url (địa chỉ web), "
                                                  "không ghi cả hai"))
    if m.outcome:
        refs(("outcome", "conclusion"), m.outcome.conclusion, documents, "document")
        refs(("outcome", "documents"), m.outcome.documents, documents, "document")
    refs(("maket", "tiers"), m.maket.tiers or [], tiers, "tier")
    refs(("maket", "points"), m.maket.points, set(seen_points), "point")
    out += check_maket(m.maket)
    out += check_template_boxes(m.maket)
    out += check_codes(m)
    out += check_invitation(m)
    out += check_contacts(m, set(seen_points), tiers)
    return out


def check_contacts(m: MeetingFile, points: set[str], tiers: set[str]) -> list[tuple[tuple, str]]:
    """A contact meant for a point or a tier names one that exists."""
    out: list[tuple[tuple, str]] = []
    for ci, contact in enumerate(m.contacts):
        if contact.point is not None and contact.point not in points:
            close = difflib.get_close_matches(contact.point, sorted(points), n=1)
            hint = f"; có phải '{close[0]}'?" if close else ""
            out.append((("contacts", ci, "point"), f"không có điểm cầu '{contact.point}' trong tệp này{hint}"))
        if contact.tier is not None and contact.tier not in tiers:
            out.append((("contacts", ci, "tier"), f"không có cấp điểm cầu '{contact.tier}' trong tệp này"))
        if contact.point is not None and contact.tier is not None:
            out.append((("contacts", ci, "tier"), "ghi 'point' hoặc 'tier', không ghi cả hai"))
    return out


def check_template_boxes(mk: Maket) -> list[tuple[tuple, str]]:
    """The organizer's boxes lie on the backdrop, and the code's square can hold a code that scans
    from the reading distance."""
    template = mk.template
    if template is None:
        return []
    out: list[tuple[tuple, str]] = []
    width, height = mk.dimensions
    for name, box in template.boxes.items():
        if box.x_mm + box.width_mm > width + 1e-6 or box.y_mm + box.height_mm > height + 1e-6:
            out.append((("maket", "template", name),
                        f"ô {name} ({vn_number(box.x_mm)}; {vn_number(box.y_mm)}, rộng {vn_number(box.width_mm)}, "
                        f"cao {vn_number(box.height_mm)} mm) nằm ngoài phông nền {width} × {height} mm"))
    if "qr_position" in mk.model_fields_set:
        out.append((("maket", "qr_position"), "khi dùng maket.template, vị trí mã QR là ô template.qr; "
                                             "bỏ qr_position"))
    qr = template.qr
    if qr and mk.reading_distance_m is not None and mk.reading_distance_m > mk.max_reading_distance_m + 1e-9:
        side = min(qr.width_mm, qr.height_mm)
        need = mk.qr_width_mm / QR_SHARE_OF_SQUARE
        out.append((("maket", "template", "qr"),
                    f"ô qr ({vn_number(qr.width_mm)} × {vn_number(qr.height_mm)} mm) quá nhỏ: mã QR quét được từ "
                    f"{vn_number(mk.reading_distance_m)} m phải rộng {mk.qr_width_mm:.0f} mm, cần ô vuông ít nhất "
                    f"{need:.0f} × {need:.0f} mm kể cả lề trắng (ô này cho mã quét được từ "
                    f"{vn_number(mk.max_reading_distance_m)} m; cạnh ngắn {vn_number(side)} mm)"))
    return out


def check_codes(m: MeetingFile) -> list[tuple[tuple, str]]:
    """Official codes are unique within a tier: a point's address is made from its code."""
    out: list[tuple[tuple, str]] = []
    for ti, tier in enumerate(m.tiers):
        seen: dict[str, int] = {}
        for pi, point in enumerate(tier.points):
            if point.code is None:
                continue
            if point.code in seen:
                first = tier.points[seen[point.code]]
                out.append((("tiers", ti, "points", pi, "code"),
                            f"mã '{point.code}' đã là mã của điểm cầu '{first.name}' "
                            f"({dotted(('tiers', ti, 'points', seen[point.code]))}); mỗi điểm cầu một mã"))
            seen.setdefault(point.code, pi)
    return out


def check_maket(mk: Maket) -> list[tuple[tuple, str]]:
    out: list[tuple[tuple, str]] = []
    given = mk.model_fields_set
    if ("width_mm" in given) != ("height_mm" in given):
        missing = "height_mm" if "width_mm" in given else "width_mm"
        present = "width_mm" if "width_mm" in given else "height_mm"
        out.append((("maket", present), f"ghi cả {missing} (hoặc bỏ cả hai để dùng cỡ có sẵn trong size)"))
    elif "size" in given and "width_mm" in given:
        out.append((("maket", "size"), "chỉ ghi size, hoặc width_mm và height_mm, không ghi cả hai"))
    elif mk.template is None and mk.reading_distance_m is not None \
            and mk.reading_distance_m > mk.max_reading_distance_m + 1e-9:
        width, height = mk.dimensions
        out.append((("maket", "reading_distance_m"),
                    f"mã QR quét được từ {_number(mk.reading_distance_m)} m phải rộng {mk.qr_width_mm:.0f} mm; "
                    f"trên phông {width} × {height} mm mã rộng nhiều nhất "
                    f"{mk.max_reading_distance_m * 1000 / QR_READING_RATIO:.0f} mm "
                    f"(quét được từ xa nhất {_number(mk.max_reading_distance_m)} m)"))
    return out


def _number(value: float) -> str:
    return f"{value:.3g}".replace(".", ",")
