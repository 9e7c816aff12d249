"""The invitation as the issuing body signs it: its letterhead and the wording of its time line.

The form follows `issuer.kind` (source/forms.py). What the meeting file does not give (a number,
a date of issue, a place) is left out of the letterhead, never filled with a placeholder: the
seed's invitation lost those lines, and they stay empty for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .. import text
from ..routes import INVITATION_SIGNED
from ..source.forms import FORMS, Form

if TYPE_CHECKING:
    from ..source.model import Meeting, MeetingFile, Session



@dataclass(frozen=True)
class Letterhead:
    kind: str  # the form's key: "party", "state"
    form: Form
    parent: str | None  # the body above the issuer, as written in the file (the template capitalises)
    issuer: str
    number: str | None  # "Số: 05/GM-UBND", or None when the file gives no number
    dated: str | None  # "Hà Tĩnh, ngày 05 tháng 12 năm 2025", or None without a date of issue


def letterhead(m: MeetingFile) -> Letterhead:
    issuer, inv = m.meeting.issuer, m.invitation
    form = FORMS[issuer.kind]
    number = f"{form.number_label} {inv.number}" if inv.number else None
    dated = text.place_and_date(inv.place, text.vn_written_date(inv.date)) if inv.date else None
    return Letterhead(issuer.kind, form, issuer.parent, issuer.organization, number, dated)


def time_line(mt: Meeting) -> str:
    """The 'Thời gian:' line in the invitation's words, once for every session:
    'Một buổi: Bắt đầu từ 07h30, ngày 30 tháng 9 năm 2021';
    'Buổi sáng: Từ 08h đến 11h30; Buổi chiều: Từ 14h đến 16h30, ngày 10 tháng 01 năm 2022'."""
    ordered = sorted(mt.sessions, key=lambda s: s.starts)
    days = []
    for day, sessions in groupby(ordered, key=lambda s: s.date):
        spans = "; ".join(f"{s.label}: {_span(s)}" for s in sessions)
        days.append(f"{spans}, {text.vn_written_date(day)}")
    return "; ".join(days)


def _span(s: Session) -> str:
    if s.end is None:
        return f"Bắt đầu từ {text.vn_time(s.start)}"
    return f"Từ {text.vn_time(s.start)} đến {text.vn_time(s.end)}"


def chair_line(mt: Meeting) -> str | None:
    """'Chủ trì: …' when the file names who chairs: once if every session has the same chair."""
    chairs = [(s.label, s.chair) for s in mt.sessions if s.chair]
    if not chairs:
        return None
    if len(chairs) == len(mt.sessions) and len({c for _, c in chairs}) == 1:
        return chairs[0][1]
    return "; ".join(f"{label}: {chair}" for label, chair in chairs)


def arrival_line(mt: Meeting) -> str | None:
    """'(Đề nghị đại biểu có mặt trước 10 phút để ổn định tổ chức).' as the invitation puts it."""
    if not mt.arrival:
        return None
    return f"({mt.arrival.note.rstrip('.')})."


def files(m: MeetingFile, data_dir: Path | None) -> list[tuple[str, Path]]:
    """The signed original, copied into the site (checked at load: a PDF beside the meeting file)."""
    if m.invitation.signed is None or data_dir is None:
        return []
    return [(INVITATION_SIGNED, data_dir / PurePosixPath(m.invitation.signed))]


@dataclass(frozen=True)
class Paper:
    """What the paper shows besides the model's own fields, worked out once (page and PDF)."""

    letterhead: Letterhead
    time: str
    chair: str | None
    arrival: str | None


def paper(m: MeetingFile) -> Paper:
    mt = m.meeting
    return Paper(letterhead(m), time_line(mt), chair_line(mt), arrival_line(mt))
