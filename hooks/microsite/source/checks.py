"""Cross-checks: what types cannot check (ids exist, slugs unique, deadlines before the meeting,
the backdrop's sizes, the documents' files). Each returns (location, message) pairs; the source
package places them at a line and column, so every problem is reported in one run."""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

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
        return out

    return check


def file_problem(folder: Path, name: str, shown: str = FOLDER) -> str | None:
    """Why `name` cannot be attached from `folder`, or None when it can."""
    pure = PurePosixPath(name)
    if "\\" in name or pure.is_absolute() or name[1:2] == ":" or ".." in pure.parts:
        return f"'{name}' must be a path inside {shown}/ (no '..', no absolute path)"
    suffix = pure.suffix.lower()
    if suffix not in TYPES:
        known = ", ".join(sorted({s[1:] for s in TYPES}))
        return f"'{name}': a file of this type cannot be attached (use {known})"
    path = folder / pure
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, or a loop of links
        return f"no file {shown}/{pure}"
    if not real.is_relative_to(folder.resolve()):
        return f"'{name}' leads outside {shown}/ (a link to a file elsewhere?); copy the file into {shown}/"
    if not real.is_file():
        return f"{shown}/{pure} is not a file"
    return None


def posixpath_join(folder: str, name: str) -> str:
    return f"{folder}/{name}" if folder else name



def cross_check(m: MeetingFile) -> list[tuple[tuple, str]]:
    """References that types cannot check: ids exist, slugs unique, deadlines before the meeting."""
    out: list[tuple[tuple, str]] = []

    def unique(items: list, attr: str, where: str, what: str) -> set:
        seen: dict[Any, int] = {}
        for i, item in enumerate(items):
            value = getattr(item, attr)
            if value in seen:
                out.append(((where, i, attr), f"duplicate {what} '{value}' (also {where}[{seen[value]}])"))
            seen.setdefault(value, i)
        return set(seen)

    tiers = unique(m.tiers, "id", "tiers", "tier id")
    agencies = unique(m.agencies, "id", "agencies", "agency id")
    duties = unique(m.duties, "number", "duties", "duty number")
    deadlines = unique(m.deadlines, "id", "deadlines", "deadline id")
    contacts = unique(m.contacts, "id", "contacts", "contact id")
    documents = unique(m.documents, "id", "documents", "document id")

    def refs(loc: tuple, values: list | Any, known: set, what: str) -> None:
        for j, value in enumerate(values if isinstance(values, list) else [values]):
            if value is not None and value not in known:
                close = difflib.get_close_matches(str(value), [str(k) for k in known], n=1)
                hint = f"; did you mean '{close[0]}'?" if close else ""
                at = (*loc, j) if isinstance(values, list) else loc
                out.append((at, f"no {what} '{value}' in this file{hint}"))

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
                out.append(((*loc, "name"), "cannot make a URL name from this name; add a 'slug'"))
            elif not point.slug and len(point.key) > MAX_SLUG:  # it becomes a folder name
                out.append(((*loc, "name"), f"the name is too long to make a URL name from; add a 'slug' "
                                            f"(at most {MAX_SLUG} characters)"))
            elif point.key in seen_points:
                prev = dotted(seen_points[point.key])
                out.append((key_loc, f"duplicate point slug '{point.key}' (also {prev}); give one of them a 'slug'"))
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
                out.append((loc, f"parent '{point.parent}' must be in an earlier tier than '{tier.id}'"))

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
            out.append((("meeting", "sessions", si, "end"), "the session ends before it starts"))
        for ii, item in enumerate(session.items):
            refs(("meeting", "sessions", si, "items", ii, "documents"), item.documents, documents, "document")
            if item.time and (item.time < session.start or (session.end and item.time > session.end)):
                out.append((("meeting", "sessions", si, "items", ii, "time"),
                            "the item's time is outside its session"))
    for di, deadline in enumerate(m.deadlines):
        loc = ("deadlines", di)
        refs((*loc, "duty"), deadline.duty, duties, "duty number")
        refs((*loc, "agencies"), deadline.agencies, agencies, "agency")
        refs((*loc, "send_to"), deadline.send_to, agencies, "agency")
        refs((*loc, "contacts"), deadline.contacts, contacts, "contact")
        refs((*loc, "tiers"), deadline.tiers, tiers, "tier")
        if deadline.at.tzinfo is not None:
            out.append(((*loc, "at"), "write local time without a UTC offset (times are in the meeting's time zone)"))
        elif deadline.at > starts:
            out.append(((*loc, "at"), f"{deadline.at:%d/%m/%Y %H:%M} is after the meeting starts "
                                      f"({starts:%d/%m/%Y %H:%M})"))
    for ci, contact in enumerate(m.contacts):
        refs(("contacts", ci, "agency"), contact.agency, agencies, "agency")
        if not contact.phone and not contact.email:
            out.append((("contacts", ci), "a contact needs a phone or an email"))
    if m.rules:
        refs(("rules", "duties"), m.rules.duties, duties, "duty number")
    for di, doc in enumerate(m.documents):
        refs(("documents", di, "tiers"), doc.tiers, tiers, "tier")
        refs(("documents", di, "points"), doc.points, set(seen_points), "point")
        refs(("documents", di, "agencies"), doc.agencies, agencies, "agency")
        if doc.file and doc.url:
            out.append((("documents", di, "url"), "give either a 'file' or a 'url', not both"))
    if m.outcome:
        refs(("outcome", "conclusion"), m.outcome.conclusion, documents, "document")
        refs(("outcome", "documents"), m.outcome.documents, documents, "document")
    out += check_maket(m.maket)
    out += check_template_boxes(m.maket)
    out += check_codes(m)
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
        out.append((("maket", present), f"give '{missing}' too (or neither, to use a named size)"))
    elif "size" in given and "width_mm" in given:
        out.append((("maket", "size"), "give either 'size' or 'width_mm' and 'height_mm', not both"))
    elif mk.template is None and mk.reading_distance_m is not None \
            and mk.reading_distance_m > mk.max_reading_distance_m + 1e-9:
        width, height = mk.dimensions
        out.append((("maket", "reading_distance_m"),
                    f"a QR code that scans from {mk.reading_distance_m:g} m must be {mk.qr_width_mm:.0f} mm wide; "
                    f"on a {width} × {height} mm backdrop it can be at most "
                    f"{mk.max_reading_distance_m * 1000 / QR_READING_RATIO:.0f} mm "
                    f"(reading distance at most {mk.max_reading_distance_m:.3g} m)"))
    return out


