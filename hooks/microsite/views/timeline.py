"""Every dated moment of the meeting in time order: deadlines, the line test, arrival, sessions.

The timeline page, the calendar files and the countdown script all read the same list, so a
moment added to the YAML appears everywhere at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from ..routes import deadline_anchor, session_anchor
from ..source.model import Deadline, MeetingFile, Session

# Zones whose wall clock Vietnamese readers call "giờ Việt Nam".
_VIETNAM_ZONES = {"Asia/Ho_Chi_Minh", "Asia/Saigon"}


@dataclass(frozen=True)
class Moment:
    anchor: str  # element id on the timeline page, never clashing with "moc-<deadline id>"
    at: datetime  # naive, local to meeting.timezone
    kind: Literal["deadline", "event", "arrival", "session"]
    title: str
    deadline: Deadline | None = None
    session: Session | None = None
    number: int = 0  # the session's 1-based number (its anchor on the agenda page is buoi-<number>)

    @property
    def ends(self) -> datetime | None:
        return self.session.ends if self.session else None


def moments(m: MeetingFile) -> list[Moment]:
    """Deadlines and events from the YAML, the derived "be seated" time and each session's start."""
    mt = m.meeting
    out = [Moment(deadline_anchor(d.id), d.at, d.kind, d.title, deadline=d) for d in m.deadlines]
    if mt.be_seated and mt.arrival:
        out.append(Moment("co-mat", mt.be_seated, "arrival", "Đại biểu có mặt tại điểm cầu"))
    single = len(mt.sessions) == 1
    for i, s in enumerate(mt.sessions, 1):
        title = f"{mt.kind} bắt đầu" if single else f"{s.label} bắt đầu"
        out.append(Moment(session_anchor(i), s.starts, "session", title, session=s, number=i))
    # Stable sort: moments at the same minute keep file order (deadlines, arrival, sessions).
    return sorted(out, key=lambda mo: mo.at)


def by_day(items: list[Moment]) -> list[tuple[datetime, list[Moment]]]:
    days: dict = {}
    for mo in items:
        days.setdefault(mo.at.date(), []).append(mo)
    return [(group[0].at, group) for group in days.values()]


def zone_label(m: MeetingFile) -> str:
    zone = m.meeting.timezone
    return "giờ Việt Nam" if zone in _VIETNAM_ZONES else f"giờ {zone}"
