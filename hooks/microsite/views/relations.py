"""Who and what concerns whom: the lookups pages need, as pure functions of the model, worked out
once per build.

A national meeting has ten thousand point pages that share a few answers (every commune of a
tier has the same deadlines and duties), so the answers that depend only on a tier are kept per
tier and handed out as the same list object: the renderer shares what it renders from them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..source.model import Agency, Contact, Deadline, Duty, MeetingFile, Point, Tier


@dataclass(frozen=True)
class DutyEntry:
    """A duty as one agency's section lists it; `anchor` only on its first appearance on the page,
    so that "Theo nhiệm vụ số 2" lands on one element."""

    duty: Duty
    anchor: bool


class Relations:
    def __init__(self, m: MeetingFile) -> None:
        self.m = m
        self.timeline: list[Deadline] = sorted(m.deadlines, key=lambda d: d.at)
        self.children: dict[str, list[tuple[Tier, Point]]] = {}
        for tier, point in m.points:
            if point.parent:
                self.children.setdefault(point.parent, []).append((tier, point))
        self._named = {p for d in m.duties for p in d.points}
        self.phone_contacts: list[Contact] = [c for c in m.contacts if c.phone]
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
    def duties_for(self, tier: Tier, point: Point) -> list[Duty]:
        if point.key not in self._named:  # the common case: the same list for every point of the tier
            return self._tier_cached("duties", tier, lambda: [
                d for d in self.m.duties if tier.id in d.tiers or (not d.points and not d.tiers)])
        return [d for d in self.m.duties
                if point.key in d.points or tier.id in d.tiers or (not d.points and not d.tiers)]

    def deadlines_for(self, tier: Tier) -> list[Deadline]:
        return self._tier_cached("deadlines", tier, lambda: [
            d for d in self.timeline if not d.tiers or tier.id in d.tiers])

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
        agencies, its anchor on its first appearance; and the agency's own deadlines."""
        seen: set[int] = set()
        out = []
        for agency in self.agencies_with_duties:
            entries = []
            for duty in self.duties_of(agency):
                entries.append(DutyEntry(duty, duty.number not in seen))
                seen.add(duty.number)
            out.append((agency, entries, self.deadlines_of(agency)))
        return out
