"""What changed since the site last went out, worded for participants (issue 19).

The change log (source/changelog.py) keeps the *projection* of the last published meeting: every
value a participant reads, written as the site writes it ("07h30", "thứ Năm, ngày 30/9/2021"), keyed
by the item it belongs to (a session by its number, a point by its slug, a deadline by its id).
Comparing projections, not files, is what makes a comment or a re-indented line no change at all,
and what lets a point that was removed still be named. Each change is one Vietnamese sentence
("Giờ bắt đầu đổi từ 07h30 sang 08h", "Thêm điểm cầu Xã Sơn Tây") with the pages it concerns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from .. import text
from ..source.changelog import Change, ChangeLog, Entry, EventState, Snapshot
from . import lifecycle

if TYPE_CHECKING:
    from ..source.model import MeetingFile, Point, Tier

# Raise when `project` changes what it records: a log written before is then taken as the new
# starting point (its old items would not compare with the new ones), not reported as changes.
PROJECTION = 1

Value = str | list[str]
Items = dict[str, dict[str, Value]]

# How each kind of item's fields are named in a sentence (lower case, mid-sentence), and how a
# change reads: "value" short ones "đổi từ A sang B", "text" long ones "đổi thành B", "list" by
# element ("thêm …; bỏ …").
_V, _T, _L = "value", "text", "list"
FIELDS: dict[str, dict[str, tuple[str, str]]] = {
    "hoi-nghi": {"title": ("tên hội nghị", _T), "short_title": ("tên gọi ngắn", _T),
                 "issuer": ("cơ quan triệu tập", _T), "format": ("hình thức", _V),
                 "arrival": ("thời gian có mặt trước giờ họp", _V), "arrival_note": ("lưu ý khi đến", _T)},
    "buoi": {"label": ("tên buổi", _T), "date": ("ngày họp", _V), "start": ("giờ bắt đầu", _V),
             "end": ("giờ kết thúc", _V), "chair": ("chủ trì", _T), "items": ("chương trình", _L)},
    "cap": {"name": ("tên", _T), "invitees": ("thành phần mời", _L), "note": ("ghi chú", _T),
            "connection": ("cách kết nối", _T), "registration": ("đăng ký", _T)},
    "diem-cau": {"name": ("tên", _T), "tier": ("cấp", _V), "parent": ("đơn vị cấp trên", _V),
                 "place": ("địa điểm", _T), "connection": ("cách kết nối", _T),
                 "invitees": ("thành phần mời thêm", _L), "prepared_by": ("đơn vị chuẩn bị", _L),
                 "note": ("ghi chú", _T)},
    "moc": {"title": ("nội dung", _T), "at": ("thời hạn", _V), "agencies": ("đơn vị thực hiện", _L),
            "send_to": ("nơi nhận", _L), "email": ("địa chỉ thư", _V), "contacts": ("người liên hệ", _L),
            "note": ("ghi chú", _T)},
    "nhiem-vu": {"text": ("nội dung", _T), "agencies": ("đơn vị thực hiện", _L)},
    "co-quan": {"name": ("tên", _T), "phone": ("số điện thoại", _V), "email": ("địa chỉ thư", _V)},
    "lien-he": {"name": ("tên", _T), "role": ("chức vụ", _T), "phone": ("số điện thoại", _V),
                "email": ("địa chỉ thư", _V), "topics": ("nội dung liên hệ", _T)},
    "quy-dinh": {"title": ("tiêu đề", _T), "items": ("quy định", _L)},
    "tai-lieu": {"name": ("tên", _T), "file": ("tệp", _V)},
    "giay-moi": {"closing": ("đề nghị trong giấy mời", _L), "recipients": ("nơi nhận giấy mời", _L),
                 "signer": ("người ký", _T)},
    "ket-qua": {"text": ("kết luận hội nghị", _T), "conclusion": ("thông báo kết luận", _T),
                "documents": ("tài liệu sau hội nghị", _L)},
}
# What an added item's sentence adds after its name: "Thêm buổi chiều: 14h, thứ Năm, ngày 30/9/2021".
_DETAIL = {"buoi": ("start", "date"), "moc": ("at",), "diem-cau": ("place",), "nhiem-vu": ("text",),
           "lien-he": ("phone",)}


# ---------------------------------------------------------------------------------------------
# The projection: what participants see, item by item
# ---------------------------------------------------------------------------------------------


def project(m: MeetingFile) -> Items:
    out: Items = {}

    def add(item: str, **fields: Value | None) -> None:
        out[item] = {k: v for k, v in fields.items() if v}

    def names(ids: list[str]) -> list[str]:
        return [m.agency_by_id[i].name for i in ids]

    mt = m.meeting
    add("hoi-nghi", title=mt.title, short_title=mt.short_title, issuer=f"{mt.issuer.unit}, {mt.issuer.organization}",
        format=mt.format, arrival=f"{mt.arrival.minutes_before} phút" if mt.arrival else None,
        arrival_note=mt.arrival.note if mt.arrival else None)
    for i, s in enumerate(mt.sessions, 1):
        add(f"buoi-{i}", label=s.label, date=text.vn_date(s.date), start=text.vn_time(s.start),
            end=text.vn_time(s.end) if s.end else None, chair=s.chair,
            items=[(f"{text.vn_time(it.time)}: " if it.time else "") + it.title
                   + (f" ({it.presenter})" if it.presenter else "") for it in s.items])
    for tier in m.tiers:
        add(f"cap/{tier.id}", name=tier.name, invitees=list(tier.invitees), note=tier.note,
            connection=tier.connection, registration=tier.registration.text if tier.registration else None)
    for tier, p in m.points:
        add(f"diem-cau/{p.key}", name=p.name, tier=tier.name,
            parent=m.point_by_key[p.parent][1].name if p.parent else None, place=p.place, connection=p.connection,
            invitees=list(p.invitees), prepared_by=names(p.prepared_by), note=p.note)
    for d in m.deadlines:
        add(f"moc/{d.id}", title=d.title, at=text.vn_datetime(d.at) + (" (dự kiến)" if d.tentative else ""),
            agencies=names(d.agencies), send_to=names(d.send_to), email=d.email,
            contacts=[m.contact_by_id[c].name for c in d.contacts], note=d.note)
    for duty in m.duties:
        add(f"nhiem-vu/{duty.number}", text=duty.text, agencies=names(duty.agencies))
    for a in m.agencies:
        add(f"co-quan/{a.id}", name=a.name, phone=a.phone, email=a.email)
    for c in m.contacts:
        add(f"lien-he/{c.id}", name=c.name, role=c.role, phone=c.phone, email=c.email, topics=c.topics)
    if m.rules:
        add("quy-dinh", title=m.rules.title, items=list(m.rules.items))
    for doc in m.documents:
        add(f"tai-lieu/{doc.id}", name=_document_name(doc), file=doc.file or doc.url)
    add("giay-moi", closing=list(m.closing), recipients=list(m.recipients),
        signer=f"{m.signer.title} {m.signer.name}" if m.signer else None)
    if m.outcome:
        docs = m.document_by_id
        add("ket-qua", text=m.outcome.text,
            conclusion=_document_name(docs[m.outcome.conclusion]) if m.outcome.conclusion else None,
            documents=[_document_name(docs[i]) for i in m.outcome.documents])
    return out


def _document_name(doc) -> str:
    return " ".join(part for part in (doc.kind, doc.number, doc.title) if part)


# ---------------------------------------------------------------------------------------------
# Comparing two projections
# ---------------------------------------------------------------------------------------------


def compare(old: Items, new: Items) -> list[tuple[str, str]]:
    """(item, sentence) for every difference, in the new projection's order, removals last."""
    several = sum(k.startswith("buoi-") for k in new) > 1 or sum(k.startswith("buoi-") for k in old) > 1
    out: list[tuple[str, str]] = []
    for item, fields in new.items():
        before = old.get(item)
        if before is None:
            out.append((item, _added(item, fields)))
            continue
        phrase = _phrase(item, before, several)
        for key in dict.fromkeys([*before, *fields]):
            if before.get(key) != fields.get(key):
                out.append((item, _field_change(_kind(item), key, phrase, before.get(key), fields.get(key))))
    out += [(item, text.upper_first(f"bỏ {_phrase(item, fields, True) or _noun(item, fields)}"))
            for item, fields in old.items() if item not in new]
    return out


def _kind(item: str) -> str:
    return "buoi" if item.startswith("buoi-") else item.split("/", 1)[0]


def _phrase(item: str, fields: dict[str, Value], several_sessions: bool) -> str:
    """How the item is named inside a sentence; '' for the meeting itself (and its only session)."""
    kind, name = _kind(item), str(fields.get("name") or fields.get("title") or fields.get("label") or "")
    if kind == "buoi":
        return text.lower_first(name) if several_sessions else ""
    return {
        "cap": text.lower_first(name),
        "diem-cau": text.lower_first(text.point_label(name)),
        "moc": f"mốc “{name}”",
        "nhiem-vu": f"nhiệm vụ số {item.split('/', 1)[-1]}",
        "co-quan": name,
        "lien-he": f"liên hệ {name}",
        "tai-lieu": f"tài liệu {name}",
    }.get(kind, "")


def _noun(item: str, fields: dict[str, Value]) -> str:
    """An item that has no name in sentences, as a whole: the rules, the outcome."""
    if _kind(item) == "quy-dinh":
        return f"quy định “{fields.get('title', '')}”"
    return "kết quả hội nghị" if _kind(item) == "ket-qua" else "nội dung giấy mời"


def _added(item: str, fields: dict[str, Value]) -> str:
    name = _phrase(item, fields, True) or _noun(item, fields)
    detail = ", ".join(str(fields[k]) for k in _DETAIL.get(_kind(item), ()) if fields.get(k))
    return text.upper_first(f"thêm {name}" + (f": {detail}" if detail else ""))


def _field_change(kind: str, key: str, phrase: str, old: Value | None, new: Value | None) -> str:
    label, style = FIELDS.get(kind, {}).get(key, (key, _T))
    subject = " ".join(p for p in (label, phrase) if p)
    if style == _L or isinstance(old, list) or isinstance(new, list):
        return text.upper_first(f"{subject}: {_list_change(_as_list(old), _as_list(new))}")
    if old is None:
        return text.upper_first(f"bổ sung {subject}: {new}")
    if new is None:
        return text.upper_first(f"bỏ {subject}")
    if style == _V:
        return text.upper_first(f"{subject} đổi từ {old} sang {new}")
    return text.upper_first(f"{subject} đổi thành {new}")


def _as_list(value: Value | None) -> list[str]:
    return [] if value is None else [value] if isinstance(value, str) else value


def _list_change(old: list[str], new: list[str]) -> str:
    """'thêm “a”; bỏ “b”', elements in their list's order; the same elements reordered: 'đổi thứ tự'."""
    parts = []
    for verb, values, extra in (("thêm", new, Counter(new) - Counter(old)), ("bỏ", old, Counter(old) - Counter(new))):
        shown = []
        for v in values:
            if extra[v] > 0:
                extra[v] -= 1
                shown.append(f"“{v}”")
        if shown:
            parts.append(f"{verb} {', '.join(shown)}")
    return "; ".join(parts) or "đổi thứ tự"


# ---------------------------------------------------------------------------------------------
# Where a change shows (besides the home page and the changes page)
# ---------------------------------------------------------------------------------------------

# Scopes: a page by name ("agenda", "timeline", "points", "duties", "contacts", "rules", "documents",
# "invitation"), "all-points" (every point page), "tier:<id>" (its points' pages), "point:<slug>".
_EVERYWHERE = ["agenda", "timeline", "invitation", "all-points"]


def scopes(item: str, m: MeetingFile) -> list[str]:
    """The pages an item's change concerns, from the current model (a removed item: its kind's pages)."""
    kind, _, key = item.partition("/")
    if kind == "hoi-nghi" or kind.startswith("buoi-"):
        return _EVERYWHERE
    if kind == "cap":
        return ["points", "invitation", f"tier:{key}"]
    if kind == "diem-cau":
        found = m.point_by_key.get(key)
        parent = found[1].parent if found else None
        return ["points", f"point:{key}", *([f"point:{parent}"] if parent else [])]
    if kind == "moc":
        d = m.deadline_by_id.get(key)
        return ["timeline", "duties", *_audience(d.tiers if d else [], [])]
    if kind == "nhiem-vu":
        duty = m.duty_by_number.get(int(key))
        return ["duties", *_audience(duty.tiers, duty.points)] if duty else ["duties"]
    if kind == "tai-lieu":
        doc = m.document_by_id.get(key)
        return ["documents", *_audience(doc.tiers, doc.points)] if doc else ["documents"]
    return {"co-quan": ["duties", "contacts"], "lien-he": ["contacts", "all-points"], "quy-dinh": ["rules"],
            "giay-moi": ["invitation"]}.get(kind, [])


def _audience(tiers: list[str], points: list[str]) -> list[str]:
    if not tiers and not points:
        return ["all-points"]
    return [*(f"tier:{t}" for t in tiers), *(f"point:{p}" for p in points)]


def changes(old: Items, new: Items, m: MeetingFile) -> list[Change]:
    return [Change(text=sentence, where=scopes(item, m)) for item, sentence in compare(old, new)]


# ---------------------------------------------------------------------------------------------
# This build's revision, and the log it leaves once published
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Revision:
    """The change log as read, and what this build found changed since."""

    log: ChangeLog
    at: datetime  # when a change found now is dated: the meeting file's revision time, meeting-local
    projection: Items
    pending: Entry | None  # the changes found now, shown by this build, not yet in the log
    # `make serve` only: the calendar events as the previous build of this session showed them. They
    # count as published there, so that an edit changes the SEQUENCE and stamp of its own events only,
    # and the calendar files of the others (one per point) stay as they were instead of being made again.
    shown: Mapping[str, EventState] = field(default_factory=dict)

    @property
    def entries(self) -> list[Entry]:
        return [*self.log.entries, *([self.pending] if self.pending else [])]

    @property
    def events(self) -> dict[str, EventState]:
        """Each calendar event's SEQUENCE, last change and content digest as last published."""
        return {**(self.log.snapshot.events if self.log.snapshot else {}), **self.shown}

    @property
    def published(self) -> datetime:
        return self.log.published or self.at


def revise(log: ChangeLog, m: MeetingFile, revised: datetime, shown: Mapping[str, EventState] | None = None
           ) -> Revision:
    """Compare the meeting with the log's snapshot. `revised` (when the meeting file last changed)
    dates what is found, never earlier than the log's last entry. `shown`: see Revision."""
    zone = ZoneInfo(m.meeting.timezone)
    at = revised.astimezone(zone).replace(microsecond=0)
    last = log.entries[-1].at if log.entries else log.published
    if last is not None and at < last:
        at = last.astimezone(zone)
    projection = project(m)
    snapshot = log.snapshot
    found = changes(snapshot.items, projection, m) if snapshot and snapshot.version == PROJECTION else []
    return Revision(log, at, projection, Entry(at=at, changes=found) if found else None, dict(shown or {}))


def record(revision: Revision, events: dict[str, EventState]) -> ChangeLog | None:
    """The log to keep once this build is published, or None when it would be the same.
    Events no longer in the meeting keep their state: one that comes back goes on from it."""
    log = revision.log
    snapshot = Snapshot(version=PROJECTION, items=revision.projection, events={**revision.events, **events})
    if revision.pending is None and log.snapshot == snapshot:
        return None
    return ChangeLog(published=revision.published, entries=revision.entries, snapshot=snapshot)


# ---------------------------------------------------------------------------------------------
# Notices on the pages
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notice:
    number: int  # 1-based place in the log: its anchor on the changes page (cap-nhat-<number>)
    at: datetime  # meeting-local, naive: for text.vn_datetime
    until: datetime  # aware: shown while the clock is before it
    changes: tuple[Change, ...]


class Notices:
    """The dated notices each page shows, while the log says (by default until the meeting ends)."""

    def __init__(self, revision: Revision | None, m: MeetingFile, now: datetime | None = None) -> None:
        zone = ZoneInfo(m.meeting.timezone)
        ends = lifecycle.bounds(m)[1]
        now = now or datetime.now(timezone.utc)
        now = now if now.tzinfo else now.replace(tzinfo=zone)
        entries = revision.entries if revision else []
        self.published = revision.published.astimezone(zone).replace(tzinfo=None) if revision else None
        self.all = [Notice(i, e.at.astimezone(zone).replace(tzinfo=None),
                           e.until.replace(tzinfo=zone) if e.until else ends, tuple(e.changes))
                    for i, e in enumerate(entries, 1)]
        self.history = self.all[::-1]  # newest first
        self._active = [n for n in self.history if n.until > now]

    def home(self) -> list[tuple[Notice, list[str]]]:
        return [(n, [c.text for c in n.changes]) for n in self._active]

    def on(self, *page_scopes: str) -> list[tuple[Notice, list[str]]]:
        """The notices with a change for any of `page_scopes`, each with only those changes."""
        wanted = set(page_scopes)
        out = []
        for n in self._active:
            texts = [c.text for c in n.changes if wanted.intersection(c.where)]
            if texts:
                out.append((n, texts))
        return out

    def point(self, tier: Tier, point: Point) -> list[tuple[Notice, list[str]]]:
        return self.on("all-points", f"tier:{tier.id}", f"point:{point.key}")
