"""Before, during, after: which part of the home page leads depends on the time.

The build decides once, from its own clock, and the page shows that choice without JavaScript.
A site built before the meeting and still online afterwards must not keep asking for reports that
are long due, so the page also carries the other part, hidden, and `assets/microsite-phase.js`
switches them by the phone's clock. Both compare instants, never local dates: the meeting's start
and end are written with their UTC offset (+07:00), so a phone set to any time zone agrees.

When a session gives no end time, it is taken to last ASSUMED_SESSION (a "buổi", half a day):
the seed's "Một buổi ... bắt đầu từ 07h30" ends, for this purpose, at 11h30. The meeting ends when
its last session does.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Literal
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from ..source.model import MeetingFile

ASSUMED_SESSION = timedelta(hours=4)
CLOCK_VARIABLE = "MICROSITE_NOW"

Phase = Literal["before", "during", "after"]


def bounds(m: MeetingFile) -> tuple[datetime, datetime]:
    """The meeting's start and end as aware datetimes in its own time zone."""
    zone = ZoneInfo(m.meeting.timezone)
    ends = max((s.ends or s.starts + ASSUMED_SESSION) for s in m.meeting.sessions)
    return m.meeting.starts.replace(tzinfo=zone), ends.replace(tzinfo=zone)


def phase(m: MeetingFile, now: datetime | None = None) -> Phase:
    """Where `now` falls (the real clock when None; a naive time is read in the meeting's zone)."""
    if now is None:
        now = datetime.now(timezone.utc)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo(m.meeting.timezone))
    starts, ends = bounds(m)
    return "before" if now < starts else "during" if now < ends else "after"


def build_time(environ: Mapping[str, str] = os.environ) -> datetime | None:
    """The build's clock: MICROSITE_NOW (ISO 8601, e.g. 2021-10-01T09:00 in the meeting's zone, or
    with an offset) to preview or test the site at another moment; None for the real clock."""
    value = environ.get(CLOCK_VARIABLE, "").strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{CLOCK_VARIABLE}={value!r} không phải ngày giờ; viết dạng 2021-10-01T09:00") from None


def iso(value: datetime) -> str:
    return value.isoformat(timespec="minutes")
