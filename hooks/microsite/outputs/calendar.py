"""Calendar files (RFC 5545) for the meeting, each connection point and each agency.

Phones add an .ics file to their calendar with one tap, reminders included. Two properties make
re-importing an edited file update the entries instead of duplicating them:

- UIDs are built from the meeting's identity and the item's id in the YAML, never from the build,
  so the same deadline keeps its UID when its time or title changes;
- each event's SEQUENCE counts the published changes of that event's own content, as the change
  log (source/changelog.py) keeps them, and its DTSTAMP and LAST-MODIFIED are the time of the last
  one: rebuilding the same file gives the same bytes, and an edit raises SEQUENCE (which calendar
  apps need to accept a change) only in the events it changes, a change back included.

All times carry TZID=<meeting.timezone> with a VTIMEZONE generated from the zoneinfo database,
so a phone set to any zone shows the right local time.
"""

from __future__ import annotations

import hashlib
import os
import zoneinfo
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from .. import text
from .cache import Cache, cache_root, code_version, parallel_map
from ..source.changelog import EventState
from ..source.model import Deadline, MeetingFile, Point, Session
from .. import routes
from ..routes import ALL_ICS, HOME, MEETING_ICS, TIMELINE, Asset, SiteOptions, agency_ics, point_ics, point_src
from ..views.lifecycle import ASSUMED_SESSION
from ..views.relations import Relations
from ..views.timeline import moments

PRODID = "-//Meeting microsite//Lich hoi nghi//VI"
# A fixed right-hand side for UIDs: a name no real host uses, so UIDs cannot collide with another
# producer's and do not change when the site moves to another address.
UID_DOMAIN = "lich.hoi-nghi.invalid"
# The stamp of events when no revision is at hand (a model built in memory).
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=timezone.utc)


# Reminders, as offsets before the moment one must act.
DEADLINE_ALARMS = (timedelta(days=1), timedelta(hours=2))
EVENT_ALARMS = (timedelta(days=1), timedelta(hours=1))
MEETING_ALARMS = (timedelta(days=1), timedelta(hours=1))  # before the "be seated" time
# Every event has an end: a calendar stores an event without one as lasting no time at all. A
# session without an end lasts what the site assumes everywhere (lifecycle.ASSUMED_SESSION, one
# "buổi"), and its description says so; a deadline or other dated moment is a short mark.
MOMENT_LENGTH = timedelta(minutes=30)


def revision_time(path: Path, environ: Mapping[str, str] = os.environ) -> datetime:
    """When the meeting file last changed: SOURCE_DATE_EPOCH if set (reproducible builds), else its mtime."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(epoch) if epoch.isdigit() else int(path.stat().st_mtime)
    return datetime.fromtimestamp(seconds, timezone.utc)


def meeting_key(m: MeetingFile) -> str:
    """The meeting's identity in UIDs: `meeting.id`, or issuer and title (not dates: they may move)."""
    if m.meeting.id:
        return m.meeting.id
    mt = m.meeting
    digest = hashlib.sha256("\n".join((mt.issuer.organization, mt.issuer.unit, mt.title)).encode()).hexdigest()
    return f"{text.slugify(mt.issuer.organization)[:40].strip('-') or 'hoi-nghi'}-{digest[:10]}"


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------


def calendars(m: MeetingFile, options: SiteOptions, relations: Relations | None = None
              ) -> tuple[list[Asset], dict[str, EventState]]:
    """Every calendar file of the site, and every event's SEQUENCE, last change and content digest
    (for the change log). Called once per build (build.make).

    A national meeting has one calendar per connection point, eleven thousand of them; icalendar
    takes about 0.6 ms to write one. Each calendar is first described as plain data, and the file
    is made only when no earlier build made the same one (the content-keyed cache of QR codes).
    """
    specs, states, zone = _specs(m, options, relations or Relations(m))
    cache = Cache(cache_root())
    version = _version(zone)
    files = [(dest, spec, cache.file("ics", Cache.key(version, spec), "ics")) for dest, spec in specs]
    # An entry standing for the whole set lets `lookup_many` mark the files as used once an hour.
    marker = cache.file("ics", Cache.key(version, "set", [path for *_, path in files]), "set")
    found = cache.lookup_many([path for *_, path in files], marker)
    parallel_map(_make, [(spec, path) for _dest, spec, path in files if path not in found])
    if not os.path.exists(marker):
        cache.store(marker, b"")
    return [Asset(dest, Path(path)) for dest, _spec, path in files], states


def _specs(m: MeetingFile, options: SiteOptions, relations: Relations
           ) -> tuple[list[tuple[str, dict]], dict[str, EventState], tuple]:
    b = _Builder(m, options)
    deadlines = sorted(m.deadlines, key=lambda d: d.at)
    meeting = [b.session(i, s) for i, s in enumerate(m.meeting.sessions, 1)]
    specs = [
        (MEETING_ICS, b.calendar("hoi-nghi", m.meeting.name, meeting)),
        (ALL_ICS, b.calendar("moc-thoi-gian", f"Mốc thời gian — {m.meeting.name}",
                             meeting + [b.deadline(d) for d in deadlines])),
    ]
    for tier, point in m.points:
        calls = relations.contact_lines(tier, point)  # whom its people call, nearest first
        events = [b.session(i, s, point, calls) for i, s in enumerate(m.meeting.sessions, 1)]
        specs.append((point_ics(point.key), b.calendar(f"dc-{point.key}", f"{m.meeting.name} — {point.name}", events)))
    for agency in m.agencies:
        own = [b.deadline(d) for d in deadlines if agency.id in d.agencies or agency.id in d.send_to]
        specs.append((agency_ics(agency.id), b.calendar(f"co-quan-{agency.id}", f"{m.meeting.name} — {agency.name}",
                                                     meeting + own)))
    return specs, b.states, b.zone


def _make(job: tuple[dict, str]) -> None:
    spec, path = job
    Cache().store(Path(path), render(spec))


def _version(zone: tuple[str, int, int]) -> str:
    """What else a calendar file depends on: this code, icalendar, and the zone's rules."""
    return code_version(packages=("icalendar",)) + _zone_digest(zone[0])


@lru_cache(maxsize=4)
def _zone_digest(tzid: str) -> str:
    for folder in zoneinfo.TZPATH:
        path = Path(folder, tzid)
        if path.is_file():
            return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    return "tzdata"  # zoneinfo reads the tzdata package, pinned with the other packages


def render(spec: dict) -> bytes:
    """The .ics file a calendar spec (from `_Builder.calendar`) describes."""
    from icalendar import Alarm, Calendar, Event  # only when a file has to be made

    zone = ZoneInfo(spec["zone"][0])
    cal = Calendar.new(prodid=PRODID, name=spec["name"], uid=spec["uid"], method="PUBLISH", calscale="GREGORIAN",
                       refresh_interval=timedelta(hours=6), url=spec["url"])
    cal["REFRESH-INTERVAL"].params["VALUE"] = "DURATION"  # required by RFC 7986
    cal.add("x-wr-timezone", spec["zone"][0])
    cal.add("x-published-ttl", "PT6H")  # the older name of REFRESH-INTERVAL, read by more apps
    cal.add_component(_vtimezone(*spec["zone"]))
    for e in spec["events"]:
        extra = {k: e[k] for k in ("location", "status", "transparency", "contacts") if e.get(k)}
        event = Event.new(uid=e["uid"], summary=e["summary"], start=e["start"].replace(tzinfo=zone),
                          end=e["end"].replace(tzinfo=zone), stamp=e["stamp"],
                          last_modified=e["stamp"], sequence=e["sequence"], description=e["description"],
                          url=e["url"], **extra)
        for before, alarm_text in e["alarms"]:
            alarm = Alarm.new(description=alarm_text)
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", -before)
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


@lru_cache(maxsize=4)
def _vtimezone(tzid: str, first_year: int, last_year: int):
    from icalendar import Timezone

    # icalendar walks the zone hour by hour: built once per process, and only over the years
    # around the meeting, so it stays short.
    return Timezone.from_tzid(tzid, first_date=date(first_year, 1, 1), last_date=date(last_year, 1, 1))


class _Builder:
    """Describes calendars and their events as plain data (str, datetime, timedelta)."""

    def __init__(self, m: MeetingFile, options: SiteOptions) -> None:
        self.m = m
        self.options = options
        self.key = meeting_key(m)
        revision = options.revision
        self.previous = revision.events if revision else {}
        self.at = revision.at if revision else (options.revised or SEQUENCE_EPOCH).replace(microsecond=0)
        self.states: dict[str, EventState] = {}  # this build's, by event item
        times = [mo.at for mo in moments(m)]
        self.zone = (m.meeting.timezone, min(times).year - 1, max(times).year + 2)
        self.home_url = self.url(HOME)
        self.timeline_url = self.url(TIMELINE)

    # -- helpers --------------------------------------------------------------------------------
    def uid(self, item: str) -> str:
        return f"{self.key}.{item}@{UID_DOMAIN}"

    def url(self, src: str, anchor: str | None = None) -> str | None:
        return routes.absolute_url(self.options, src, anchor)

    def event(self, item: str, summary: str, start: datetime, description: list[str],
              alarms: tuple[timedelta, ...], alarm_text: str, url: str | None, *, end: datetime, **extra) -> dict:
        e = {"uid": self.uid(item), "summary": summary, "start": start, "end": end,
             "description": "\n".join(line for line in description if line), "url": url,
             "alarms": [(before, alarm_text) for before in alarms], **extra}
        state = self.states[item] = self.revise(item, Cache.key("event", e)[:16])
        return {**e, "sequence": state.sequence, "stamp": state.at.astimezone(timezone.utc)}

    def revise(self, item: str, digest: str) -> EventState:
        """SEQUENCE rises by one each time the event's content differs from what was last published
        (a change back too); DTSTAMP is the time of that change."""
        before = self.previous.get(item)
        if before is not None and before.digest == digest:
            return before
        return EventState(sequence=before.sequence + 1 if before else 0, at=self.at, digest=digest)

    def calendar(self, item: str, name: str, events: list[dict]) -> dict:
        # A calendar's name is one line in every app (and icalendar refuses a line break in it).
        return {"uid": self.uid(f"lich.{item}"), "name": " ".join(name.split()), "url": self.timeline_url,
                "zone": self.zone, "events": events}

    # -- events ---------------------------------------------------------------------------------
    def session(self, number: int, s: Session, point: Point | None = None, calls: list[str] = ()) -> dict:
        mt = self.m.meeting
        several = len(mt.sessions) > 1
        summary = mt.name + (f" — {s.label}" if several else "") + (f" — {point.name}" if point else "")
        item = f"dc-{point.key}.buoi-{number}" if point else f"buoi-{number}"
        seated = s.starts - timedelta(minutes=mt.arrival.minutes_before) if mt.arrival else s.starts
        description = [
            f"{mt.issuer.unit} tổ chức {mt.title}.",
            f"{s.label}: bắt đầu từ {text.vn_datetime(s.starts)}"
            + (f", kết thúc lúc {text.vn_time(s.ends)}" if s.ends else "") + ".",
            mt.arrival.note if mt.arrival else "",
            f"Chủ trì: {s.chair}" if s.chair else "",
            f"Điểm cầu: {point.name}" if point else "",
            *(f"- {text.vn_time(i.time) + ': ' if i.time else ''}{i.title}"
              + (f" — {i.presenter}" if i.presenter else "") for i in s.items),
            "" if s.ends else (f"Giấy mời không ghi giờ kết thúc; lịch tạm tính {_hours(ASSUMED_SESSION)} "
                               f"(một buổi), đến {text.vn_time(s.starts + ASSUMED_SESSION)}."),
            "Liên hệ:" if calls else "",
            *(f"- {line}" for line in calls),
        ]
        location = (point.place or point.name) if point else self._meeting_location()
        alarm_text = (f"Có mặt trước {text.vn_time(seated)}: {summary}" if mt.arrival
                      else f"{text.vn_time(s.starts)}: {summary}")
        url = self.url(point_src(point.key) if point else HOME)
        alarms = tuple(a + (s.starts - seated) for a in MEETING_ALARMS)
        return self.event(item, summary, s.starts, description, alarms, alarm_text, url,
                          end=s.ends or s.starts + ASSUMED_SESSION, location=location, status="CONFIRMED")

    def _meeting_location(self) -> str | None:
        points = self.m.points
        if len(points) == 1:
            return points[0][1].place or points[0][1].name
        return self.m.meeting.format

    def deadline(self, d: Deadline) -> dict:
        m = self.m

        def names(ids: list[str]) -> str:
            return ", ".join(m.agency_by_id[i].name for i in ids)

        contacts = [m.contact_by_id[c] for c in d.contacts]
        duty = m.duty_by_number.get(d.duty) if d.duty else None
        prefix = "Hạn: " if d.kind == "deadline" else ""
        summary = prefix + d.title + (" (dự kiến)" if d.tentative else "")
        description = [
            f"{'Hạn chót' if d.kind == 'deadline' else 'Thời gian'}: {text.vn_datetime(d.at)}"
            + (" (dự kiến)" if d.tentative else "") + ".",
            f"Thực hiện: {names(d.agencies)}" if d.agencies else "",
            f"Gửi: {names(d.send_to)}" if d.send_to else "",
            f"Địa chỉ thư: {d.email}" if d.email else "",
            *(f"Liên hệ: {c.name}" + (f", {c.phone}" if c.phone else "") + (f", {c.email}" if c.email else "")
              for c in contacts),
            d.note or "",
            f"Nhiệm vụ số {duty.number}: {duty.text}" if duty else "",
            "" if d.kind == "deadline" else f"Giấy mời không ghi giờ kết thúc; lịch ghi {_minutes(MOMENT_LENGTH)}.",
        ]
        alarms = DEADLINE_ALARMS if d.kind == "deadline" else EVENT_ALARMS
        alarm_text = f"{text.vn_time(d.at)}: {summary}"
        return self.event(f"moc-{d.id}", summary, d.at, description, alarms, alarm_text,
                          self.url(TIMELINE, routes.deadline_anchor(d.id)), end=d.at + MOMENT_LENGTH,
                          status="TENTATIVE" if d.tentative else "CONFIRMED",
                          transparency="TRANSPARENT" if d.kind == "deadline" else "OPAQUE",
                          contacts=[f"{c.name}" + (f", {c.phone}" if c.phone else "") for c in contacts] or None)


def _hours(length: timedelta) -> str:
    return f"{length.total_seconds() / 3600:g} giờ"


def _minutes(length: timedelta) -> str:
    return f"{length.total_seconds() / 60:g} phút"


__all__ = ["ALL_ICS", "MEETING_ICS", "agency_ics", "calendars", "meeting_key", "point_ics", "revision_time"]
