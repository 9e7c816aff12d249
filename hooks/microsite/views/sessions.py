"""Every session of the meeting and the breaks between them, in time order.

Delegates look first at the home page and their point's page: a morning and an afternoon must both
be there, with the break between them, not collapsed into the first start. A break is the time
between two sessions of the same day when the first one's end is given; nothing is assumed about
a session without an end.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ..source.model import Meeting, Session

NOON = time(12, 0)


@dataclass(frozen=True)
class Slot:
    kind: Literal["session", "break"]
    label: str
    starts: datetime
    ends: datetime | None
    session: Session | None = None
    number: int = 0  # the session's 1-based number in the file (its anchor on the agenda is buoi-<number>)


def schedule(mt: Meeting) -> list[Slot]:
    """The sessions in time order, with a break between two sessions of one day."""
    ordered = sorted(enumerate(mt.sessions, 1), key=lambda pair: pair[1].starts)
    out: list[Slot] = []
    previous: Session | None = None
    for number, s in ordered:
        if previous and previous.ends and previous.date == s.date and previous.ends < s.starts:
            out.append(Slot("break", break_label(previous.ends, s.starts), previous.ends, s.starts))
        out.append(Slot("session", s.label, s.starts, s.ends, s, number))
        previous = s
    return out


def break_label(starts: datetime, ends: datetime) -> str:
    """'Nghỉ trưa' across midday, 'Nghỉ giải lao' otherwise."""
    return "Nghỉ trưa" if starts.time() <= time(13, 0) and ends.time() >= NOON else "Nghỉ giải lao"
