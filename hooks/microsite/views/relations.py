"""Who and what concerns whom: the lookups pages need, as pure functions of the model, worked out
once per build.

Where duties and deadlines land (a point's page shows what concerns that point, not the others'):

- A duty that names places (`tiers`, `points`) concerns the points of those tiers, the points it
  names, and the points under a point it names.
- A duty that names none concerns the points where its agencies act: an agency bound to a tier
  (`agencies[].tier`) acts at every point of that tier; an agency that prepares points
  (`points[].prepared_by`) acts at those; any other agency is provincial and acts at the points of
  the first tier (the convening point).
- A deadline with acting agencies concerns the points where they act (as above), within its
  `tiers` when it names some (every point of those tiers when its agencies act at none of them);
  one without agencies concerns its duty's points, else its `tiers`, else every point.
- An event (`kind: event`, such as the line test) concerns every point of its `tiers` (all when
  empty): everyone takes part, whoever runs it.

Whom a point's people call: its own contacts (its `contacts`, those of its tier, and meeting
contacts whose `point` or `tier` names it), then its parent's (the same, one level up), and so on
up, then the meeting's own numbers (contacts that name no point or tier).

A national meeting has ten thousand point pages that share a few answers (every commune of a
tier has the same deadlines and duties), so the answers that depend only on a tier are kept per
tier and handed out as the same list object: the renderer shares what it renders from them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..source.model import Agency, Contact, Deadline, Duty, MeetingFile, Point, PointContact, Tier
from ..text import capitalize_first


@dataclass(frozen=True)
class DutyEntry:
    """A duty as one agency's section lists it; `anchor` only on its first appearance on the page,
    so that "Theo nhiệm vụ số 2" lands on one element."""

    duty: Duty
    anchor: bool


@dataclass(frozen=True)
class Reach:
    """Someone to call or write to, from a point's, a tier's or the meeting's contacts."""

    name: str | None
    role: str | None
    phone: str | None
    email: str | None
    topics: str | None = None

    @staticmethod
    def of(c: PointContact | Contact) -> Reach:
        return Reach(c.name, c.role, c.phone, c.email, getattr(c, "topics", None))

    @property
    def label(self) -> str:
        """'Kỹ thuật: Nguyễn Văn A' as one line (calendars, posters)."""
        role = capitalize_first(self.role) if self.role else ""
        return f"{role}: {self.name}" if role and self.name else (self.name or role)

    @property
    def line(self) -> str:
        """'Kỹ thuật: Nguyễn Văn A, 0912 345 678, a@example.vn': whom, then how to reach them."""
        return ", ".join(part for part in (self.label, self.phone, self.email) if part)


@dataclass(frozen=True)
class ContactGroup:
    """The contacts of one level: the point itself, a point above it, or the whole meeting."""

    level: str  # "own", "parent", "meeting"
    title: str
    contacts: tuple[Reach, ...]


class Relations:
    def __init__(self, m: MeetingFile) -> None:
        self.m = m
        self.timeline: list[Deadline] = sorted(m.deadlines, key=lambda d: d.at)
        self.children: dict[str, list[tuple[Tier, Point]]] = {}
        for tier, point in m.points:
            if point.parent:
                self.children.setdefault(point.parent, []).append((tier, point))
        self._named = {p for d in m.duties for p in d.points}
        # The meeting's own numbers: contacts meant for no particular point or tier.
        self.phone_contacts: list[Contact] = [c for c in m.contacts if c.phone and not (c.point or c.tier)]
        self._contacts_of_point: dict[str, list[Contact]] = {}
        self._contacts_of_tier: dict[str, list[Contact]] = {}
        for c in m.contacts:
            if c.point:
                self._contacts_of_point.setdefault(c.point, []).append(c)
            elif c.tier:
                self._contacts_of_tier.setdefault(c.tier, []).append(c)
        self._top = m.tiers[0].id if m.tiers else None
        self._prepared: dict[str, set[str]] = {}  # agency id -> keys of the points it prepares
        for _tier, point in m.points:
            for a in point.prepared_by:
                self._prepared.setdefault(a, set()).add(point.key)
        self._groups: dict[tuple, list[ContactGroup]] = {}
        self._contacts_by_point: dict[str, list[ContactGroup]] = {}
        self._own_by_point: dict[str, tuple[Reach, ...]] = {}
        self._per_tier: dict[tuple[str, str], list] = {}
        acting = {a for d in m.duties for a in d.agencies} | {a for d in m.deadlines for a in d.agencies}
        self.agencies_with_duties: list[Agency] = [a for a in m.agencies if a.id in acting]
        self.deadlines_by_duty: dict[int, list[Deadline]] = {d.number: [] for d in m.duties}
        for deadline in self.timeline:
            if deadline.duty in self.deadlines_by_duty:
                self.deadlines_by_duty[deadline.duty].append(deadline)

    def _tier_cached(self, what: str, tier: Tier, compute) -> list:
        key = (what, tier.id)
        if key not in self._per_tier:
            self._per_tier[key] = compute()
        return self._per_tier[key]

    # -- what concerns a point ------------------------------------------------------------------
    def acts_at(self, agency_id: str, tier: Tier, point: Point) -> bool:
        """Whether the agency acts at this point: bound to its tier, preparing it, or provincial
        (bound to no tier, preparing no point) and the point of the first tier."""
        agency = self.m.agency_by_id[agency_id]
        if agency.tier:
            return agency.tier == tier.id
        prepares = self._prepared.get(agency_id)
        if prepares:
            return point.key in prepares
        return tier.id == self._top

    def duty_concerns(self, duty: Duty, tier: Tier, point: Point) -> bool:
        if duty.tiers or duty.points:
            return tier.id in duty.tiers or point.key in duty.points or (point.parent or "") in duty.points
        return any(self.acts_at(a, tier, point) for a in duty.agencies)

    def deadline_concerns(self, d: Deadline, tier: Tier, point: Point) -> bool:
        if d.tiers and tier.id not in d.tiers:
            return False
        if d.kind == "event":
            return True
        if d.agencies:
            if d.tiers and not self._acting_tiers(d) & set(d.tiers):  # they act elsewhere: its tiers say
                return True
            return any(self.acts_at(a, tier, point) for a in d.agencies)
        duty = self.m.duty_by_number.get(d.duty) if d.duty else None
        return self.duty_concerns(duty, tier, point) if duty and not d.tiers else True

    def _acting_tiers(self, d: Deadline) -> set[str]:
        """The tiers at whose points the deadline's agencies act."""
        out: set[str] = set()
        for a in d.agencies:
            agency = self.m.agency_by_id[a]
            if agency.tier:
                out.add(agency.tier)
            elif a in self._prepared:
                out.update(self.m.point_by_key[k][0].id for k in self._prepared[a])
            elif self._top:
                out.add(self._top)
        return out

    def _point_cached(self, what: str, tier: Tier, point: Point, compute) -> list:
        """Per tier when the answer cannot depend on the point itself (the common case: the same
        list object for every commune), per point otherwise."""
        own = point.prepared_by or point.key in self._named or (point.parent or "") in self._named
        if own:
            return compute()
        return self._tier_cached(what, tier, compute)

    def duties_for(self, tier: Tier, point: Point) -> list[Duty]:
        return self._point_cached("duties", tier, point, lambda: [
            d for d in self.m.duties if self.duty_concerns(d, tier, point)])

    def deadlines_for(self, tier: Tier, point: Point) -> list[Deadline]:
        """The deadlines (not events) this point's people act on, in time order."""
        return self._point_cached("deadlines", tier, point, lambda: [
            d for d in self.timeline if d.kind != "event" and self.deadline_concerns(d, tier, point)])

    def events_for(self, tier: Tier, point: Point) -> list[Deadline]:
        """The events this point takes part in (the line test), in time order."""
        return self._tier_cached("events", tier, lambda: [
            d for d in self.timeline if d.kind == "event" and self.deadline_concerns(d, tier, point)])

    # -- whom a point calls ---------------------------------------------------------------------
    def own_contacts(self, tier: Tier, point: Point) -> tuple[Reach, ...]:
        """The point's own, then its tier's: those of the meeting file's `contacts` that name it first.
        Asked for a district once for each of its communes: worked out once."""
        own = self._own_by_point.get(point.key)
        if own is None:
            found = [*self._contacts_of_point.get(point.key, ()), *point.contacts,
                     *self._contacts_of_tier.get(tier.id, ()), *tier.contacts]
            own = self._own_by_point[point.key] = tuple(dict.fromkeys(Reach.of(c) for c in found))
        return own

    def contacts_for(self, tier: Tier, point: Point) -> list[ContactGroup]:
        """Own contacts, then each point above's, then the meeting's numbers; each person once.
        Asked for each point by its page, its calendar, its maket and its poster: worked out once."""
        found = self._contacts_by_point.get(point.key)
        if found is None:
            found = self._contacts_by_point[point.key] = self._contacts_for(tier, point)
        return found

    def _contacts_for(self, tier: Tier, point: Point) -> list[ContactGroup]:
        levels: list[tuple[str, str, tuple[Reach, ...]]] = []
        current: tuple[Tier, Point] | None = (tier, point)
        while current:
            t, p = current
            levels.append(("own" if p is point else "parent", p.name, self.own_contacts(t, p)))
            current = self.m.point_by_key.get(p.parent) if p.parent else None
        key = tuple((level, title, found) for level, title, found in levels if found)
        if key not in self._groups:  # one list for every point with the same contacts: fragments are shared
            seen: set[Reach] = set()
            groups = []
            for level, title, found in key:
                fresh = tuple(c for c in found if c not in seen)
                seen.update(fresh)
                if fresh:
                    groups.append(ContactGroup(level, title, fresh))
            hotline = tuple(c for c in (Reach.of(c) for c in self.phone_contacts) if c not in seen)
            if hotline:
                groups.append(ContactGroup("meeting", "Đường dây nóng của hội nghị", hotline))
            self._groups[key] = groups
        return self._groups[key]

    def contact_lines(self, tier: Tier, point: Point) -> list[str]:
        """Every contact of the point, in order, one line each (its calendar, its A4 poster)."""
        return [c.line for g in self.contacts_for(tier, point) for c in g.contacts]

    def calls_for(self, tier: Tier, point: Point) -> list[Reach]:
        """The numbers at the top of a point's page: the nearest level's (two at most), and the meeting's."""
        groups = self.contacts_for(tier, point)
        nearest = next((g for g in groups if g.level != "meeting" and any(c.phone for c in g.contacts)), None)
        calls = [c for c in nearest.contacts if c.phone][:2] if nearest else []
        meeting = [c for g in groups if g.level == "meeting" for c in g.contacts if c.phone]
        return calls + meeting[:max(1, 3 - len(calls))]

    def preparers(self, tier: Tier, point: Point) -> list[Agency]:
        """Agencies preparing this point: named on it, bound to its tier, or to its parent's tier
        (a commune point is prepared under its district's standing committee)."""
        parent_tier = self.m.point_by_key[point.parent][0] if point.parent else None
        ids = list(point.prepared_by) + self._bound(tier) + (self._bound(parent_tier) if parent_tier else [])
        if point.prepared_by:
            return [self.m.agency_by_id[i] for i in dict.fromkeys(ids)]
        # The common case: the same list for every point of the tier under a parent of the same tier.
        key = ("preparers", f"{tier.id}/{parent_tier.id if parent_tier else ''}")
        if key not in self._per_tier:
            self._per_tier[key] = [self.m.agency_by_id[i] for i in dict.fromkeys(ids)]
        return self._per_tier[key]

    def _bound(self, tier: Tier) -> list[str]:
        return self._tier_cached("bound", tier, lambda: [a.id for a in self.m.agencies if a.tier == tier.id])

    # -- what concerns an agency ----------------------------------------------------------------
    def duties_of(self, agency: Agency) -> list[Duty]:
        return [d for d in self.m.duties if agency.id in d.agencies]

    def deadlines_of(self, agency: Agency) -> list[Deadline]:
        return [d for d in self.timeline if agency.id in d.agencies or agency.id in d.send_to]


    def duty_sections(self) -> list[tuple[Agency, list[DutyEntry], list[Deadline]]]:
        """The duties page: one section per acting agency, each duty in full under each of its
        agencies, its anchor on its first appearance; and the agency's other deadlines, those not
        already listed under one of its duties (each deadline once per section)."""
        seen: set[int] = set()
        out = []
        for agency in self.agencies_with_duties:
            entries = []
            for duty in self.duties_of(agency):
                entries.append(DutyEntry(duty, duty.number not in seen))
                seen.add(duty.number)
            shown = {d.number for d in self.duties_of(agency)}
            out.append((agency, entries, [d for d in self.deadlines_of(agency) if d.duty not in shown]))
        return out
