"""The short summary printed after each build: what the organizer should look at before publishing.

Points per tier, points still without a place or a contact, and points added and removed since
the previous build. A removed address is a QR code that no longer opens a page: worth knowing
before the backdrops are printed. Pure functions of the model and of the previous build's point
list (kept by outputs.points_log); the adapter prints the lines.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..source.model import MeetingFile
from ..text import vn_count

SHOWN = 3  # names given in a line before "và N điểm cầu khác"


@dataclass(frozen=True)
class Summary:
    tiers: list[tuple[str, int]]  # tier name, number of points
    without_place: list[str]  # names, in file order
    without_contact: list[str]
    added: list[str] | None  # "name (address)"; None when there is no previous build to compare with
    removed: list[str] | None


def point_list(m: MeetingFile) -> dict[str, str]:
    """Every point's address and name: what the next build compares with."""
    return {point.key: point.name for _tier, point in m.points}


def summarize(m: MeetingFile, previous: dict[str, str] | None) -> Summary:
    current = point_list(m)
    named = {c.point for c in m.contacts if c.point}  # the meeting's contacts meant for a point or a tier
    named_tiers = {c.tier for c in m.contacts if c.tier}
    return Summary(
        tiers=[(tier.name, len(tier.points)) for tier in m.tiers],
        without_place=[p.name for _t, p in m.points if not p.place],
        without_contact=[p.name for t, p in m.points
                         if not (p.contacts or t.contacts or p.key in named or t.id in named_tiers)],
        added=None if previous is None else [f"{n} ({k})" for k, n in current.items() if k not in previous],
        removed=None if previous is None else [f"{n} ({k})" for k, n in previous.items() if k not in current],
    )


def _some(items: list[str]) -> str:
    shown = ", ".join(items[:SHOWN])
    return f"{shown} và {vn_count(len(items) - SHOWN)} điểm cầu khác" if len(items) > SHOWN else shown


def summary_lines(s: Summary) -> list[str]:
    total = sum(n for _name, n in s.tiers)
    lines = [f"Điểm cầu: {vn_count(total)} ({'; '.join(f'{name}: {vn_count(n)}' for name, n in s.tiers)})"]
    for what, names in (("địa điểm", s.without_place), ("người liên hệ", s.without_contact)):
        if names:
            lines.append(f"Chưa có {what}: {vn_count(len(names))} điểm cầu ({_some(names)})")
    if s.added is None or s.removed is None:
        lines.append("Chưa có lần dựng trước để so sánh danh sách điểm cầu")
    elif not s.added and not s.removed:
        lines.append("So với lần dựng trước: không thêm, không bớt điểm cầu nào")
    else:
        changes = [f"thêm {vn_count(len(s.added))} ({_some(s.added)})" if s.added else "",
                   f"bớt {vn_count(len(s.removed))} ({_some(s.removed)}): mã QR đã in cho các địa chỉ này không còn mở được trang"
                   if s.removed else ""]
        lines.append("So với lần dựng trước: " + "; ".join(c for c in changes if c))
    return lines
