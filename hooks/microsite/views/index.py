"""Which index page lists which connection point, at any scale.

A provincial meeting's few hundred points fit one index page. A national one reaches every
commune (10,603 in 2021): one page listing them all weighs megabytes, too much for a phone on a
weak line. Past `MAX_POINTS_PER_PAGE`, every point that hangs under another moves to a page of
its own group (`diem-cau/<head>/`), the group being headed by its topmost ancestor in a tier of
more than one point (a province under the single national point, or a district in a provincial
meeting). The top page keeps the heads, each with a link to its group, and points without one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..source.model import MeetingFile, Point, Tier

MAX_POINTS_PER_PAGE = 500


@dataclass(frozen=True)
class PointIndex:
    heads: list[Point] = field(default_factory=list)  # points heading a group page, in file order
    # Points each index page lists, in file order; the key is its head's key, None for the top page.
    pages: dict[str | None, list[tuple[Tier, Point]]] = field(default_factory=dict)
    page_of: dict[str, str | None] = field(default_factory=dict)  # point key -> its page (None: top)

    @property
    def split(self) -> bool:
        return bool(self.heads)


def point_index(m: MeetingFile, limit: int = MAX_POINTS_PER_PAGE) -> PointIndex:
    if len(m.points) <= limit:
        return PointIndex([], {None: list(m.points)}, {})
    crowded = {t.id for t in m.tiers if len(t.points) > 1}
    head: dict[str, str | None] = {}
    for tier, point in m.points:  # a parent sits in an earlier tier, so it is already resolved
        above = head.get(point.parent) if point.parent else None
        head[point.key] = above if above is not None else (point.key if tier.id in crowded else None)
    pages: dict[str | None, list[tuple[Tier, Point]]] = {None: []}
    page_of: dict[str, str | None] = {}
    for tier, point in m.points:
        page = head[point.key] if head[point.key] != point.key else None
        pages.setdefault(page, []).append((tier, point))
        page_of[point.key] = page
    heads = [point for _tier, point in m.points if point.key in pages]
    return PointIndex(heads, pages, page_of)
