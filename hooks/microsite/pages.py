"""Pure functions from the meeting model to page content (Markdown with HTML blocks).

Each page is rendered from a Jinja2 template in `templates/`, with autoescaping on: text from
the YAML can never become markup. Headings are Markdown lines (so the theme builds a table of
contents and anchors); everything else is HTML blocks, which Markdown leaves alone.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from . import documents, lifecycle, maket, share, text
from .model import Agency, Deadline, Duty, MeetingFile, Point, Tier
from .timeline import template_globals

TEMPLATES = Path(__file__).parent / "templates"

# Where each page lives; the points' own pages sit under a short path so QR codes stay small.
HOME, AGENDA, POINTS, DUTIES, RULES, CONTACTS, INVITATION = (
    "index.md", "chuong-trinh.md", "diem-cau/index.md", "nhiem-vu.md", "quy-dinh.md", "lien-he.md", "giay-moi.md")
TIMELINE = "moc-thoi-gian.md"
DOCUMENTS = "tai-lieu.md"
MAKETS = maket.MAKETS_PAGE


def point_src(point: Point) -> str:
    return f"dc/{point.key}.md"


@dataclass(frozen=True)
class Page:
    src: str  # path of the (virtual) Markdown source, e.g. "dc/huong-son.md"
    title: str  # plain text; the adapter escapes it for the theme
    description: str  # plain text, for meta tags
    markdown: str
    in_nav: bool = False


@dataclass(frozen=True)
class Asset:
    """A generated file that is not a page (QR code, calendar, image), copied into the site as is."""

    dest: str  # path inside the site, e.g. "qr/huong-son.svg"
    content: bytes | str | Path  # a Path is copied from that file (large generated files stay on disk)


@dataclass(frozen=True)
class SiteOptions:
    directory_urls: bool = True
    site_url: str | None = None  # absolute base URL, e.g. "https://hoinghi.example/"
    revised: datetime | None = None  # when the meeting file last changed (calendar SEQUENCE/DTSTAMP)
    now: datetime | None = None  # the build's clock (lifecycle.build_time); None: the real one


# ---------------------------------------------------------------------------------------------
# Navigation
# ---------------------------------------------------------------------------------------------


def nav(m: MeetingFile) -> list[tuple[str, str]]:
    """The sections, never the individual points: a page's size must not grow with their number."""
    items = [("Trang chủ", HOME), ("Chương trình", AGENDA), ("Điểm cầu", POINTS), ("Nhiệm vụ", DUTIES)]
    items.insert(2, ("Mốc thời gian", TIMELINE))
    if m.rules:
        items.append((m.rules.title, RULES))
    if m.documents:
        items.append(("Tài liệu", DOCUMENTS))
    items += [("Liên hệ", CONTACTS), ("Giấy mời", INVITATION)]
    items.append(("Maket", MAKETS))
    return items


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------


def build_pages(m: MeetingFile, options: SiteOptions | None = None) -> list[Page]:
    options = options or SiteOptions()
    env = _environment()
    ctx = _Context(m, options)
    when = text.vn_datetime(m.meeting.starts)

    def render(src: str, template: str, title: str, description: str, in_nav: bool, **extra) -> Page:
        body = env.get_template(template).render(m=m, ctx=ctx, link=ctx.linker(src), page_title=title,
                                                 **extra)
        return Page(src, title, description, _tidy(body), in_nav)

    pages = [
        render(HOME, "home.md.j2", m.meeting.name, f"{m.meeting.title} — {when}", True),
        render(AGENDA, "agenda.md.j2", "Chương trình", f"Chương trình {m.meeting.name} — {when}", True),
        render(POINTS, "points_index.md.j2", "Điểm cầu", f"Các điểm cầu của {m.meeting.name}", True),
        render(DUTIES, "duties.md.j2", "Nhiệm vụ", f"Nhiệm vụ của các cơ quan, đơn vị — {m.meeting.name}", True),
        render(CONTACTS, "contacts.md.j2", "Liên hệ", f"Liên hệ kỹ thuật và báo cáo — {m.meeting.name}", True),
        render(INVITATION, "invitation.md.j2", m.meeting.notice, f"{m.meeting.notice}: {m.meeting.title}", True),
    ]
    pages.append(render(TIMELINE, "timeline.md.j2", "Mốc thời gian",
                        f"Hạn chót và mốc thời gian của {m.meeting.name}", True))
    if m.rules:
        pages.append(render(RULES, "rules.md.j2", m.rules.title, f"{m.rules.title} — {m.meeting.name}", True))
    if m.documents:
        pages.append(render(DOCUMENTS, "documents.md.j2", "Tài liệu", f"Tài liệu của {m.meeting.name}", True))
    pages.append(render(MAKETS, "maket.md.j2", "Maket", f"Maket phông nền và mã QR các điểm cầu — {m.meeting.name}",
                        True))
    for tier, point in m.points:
        pages.append(render(point_src(point), "point.md.j2", point.name, share.point_description(m, point), False,
                            tier=tier, point=point))
    return pages


class _Context:
    """Lookups the templates need, computed once per build rather than per page."""

    def __init__(self, m: MeetingFile, options: SiteOptions) -> None:
        self.m = m
        self.options = options
        self.timeline: list[Deadline] = sorted(m.deadlines, key=lambda d: d.at)
        self.children: dict[str, list[tuple[Tier, Point]]] = {}
        for tier, point in m.points:
            if point.parent:
                self.children.setdefault(point.parent, []).append((tier, point))

    def linker(self, src: str):
        def link(target: str, anchor: str | None = None) -> str:
            url = relative_url(src, target, self.options.directory_urls)
            return f"{url}#{anchor}" if anchor else url
        return link

    def groups(self, tier: Tier) -> list[tuple[Point | None, list[Point]]]:
        """A tier's points grouped under their parent point, in file order."""
        grouped: dict[str | None, list[Point]] = {}
        for point in tier.points:
            grouped.setdefault(point.parent, []).append(point)
        return [(self.m.point_by_key[k][1] if k else None, v) for k, v in grouped.items()]

    # -- what concerns a point ------------------------------------------------------------------
    def duties_for(self, tier: Tier, point: Point) -> list[Duty]:
        return [d for d in self.m.duties
                if point.key in d.points or tier.id in d.tiers or (not d.points and not d.tiers)]

    def deadlines_for(self, tier: Tier) -> list[Deadline]:
        return [d for d in self.timeline if not d.tiers or tier.id in d.tiers]

    def preparers(self, tier: Tier, point: Point) -> list[Agency]:
        ids = list(point.prepared_by) + [a.id for a in self.m.agencies if a.tier == tier.id]
        if point.parent:  # a commune point is prepared under its district's standing committee
            parent_tier = self.m.point_by_key[point.parent][0]
            ids += [a.id for a in self.m.agencies if a.tier == parent_tier.id]
        return [self.m.agency_by_id[i] for i in dict.fromkeys(ids)]

    # -- what concerns an agency ----------------------------------------------------------------
    def duties_of(self, agency: Agency) -> list[Duty]:
        return [d for d in self.m.duties if agency.id in d.agencies]

    def deadlines_of(self, agency: Agency) -> list[Deadline]:
        return [d for d in self.timeline if agency.id in d.agencies or agency.id in d.send_to]

    def deadlines_of_duty(self, duty: Duty) -> list[Deadline]:
        return [d for d in self.timeline if d.duty == duty.number]

    def agencies_with_duties(self) -> list[Agency]:
        acting = {a for d in self.m.duties for a in d.agencies} | {a for d in self.m.deadlines for a in d.agencies}
        return [a for a in self.m.agencies if a.id in acting]

    def phone_contacts(self):
        return [c for c in self.m.contacts if c.phone]

    def iso(self, value: datetime) -> str:
        """Local time with its UTC offset, for <time datetime> and scripts on phones in any zone."""
        return value.replace(tzinfo=ZoneInfo(self.m.meeting.timezone)).isoformat(timespec="minutes")


def relative_url(from_src: str, to_src: str, directory_urls: bool = True) -> str:
    """The URL of page `to_src` as seen from page `from_src`, as MkDocs would write them.
    A `to_src` that is not a page (a file such as 'tai-lieu/tb-168.pdf') keeps its path."""
    def url(src: str) -> str:
        if not src.endswith(".md"):
            return src
        stem = src[:-3]
        if not directory_urls:
            return f"{stem}.html"
        if stem == "index" or stem.endswith("/index"):
            return stem[:-5]
        return f"{stem}/"

    here, there = url(from_src), url(to_src)
    base = posixpath.dirname(here) if not here.endswith("/") else here.rstrip("/")
    rel = posixpath.relpath(there or ".", base or ".")
    if there.endswith("/") or there == "":
        rel = rel.rstrip("/") + "/" if rel != "." else "./"
    return rel


# ---------------------------------------------------------------------------------------------
# Jinja environment
# ---------------------------------------------------------------------------------------------

# Python-Markdown's backslash escapes; any other backslash would show up in the page.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!>])")


def md_inline(value: object) -> Markup:
    """Text safe inside a Markdown line (a heading): HTML-escaped, Markdown specials escaped, and on
    one line (a line break would end the heading and start a paragraph of the rest)."""
    return Markup(_MD_SPECIAL.sub(r"\\\1", " ".join(str(escape(value)).split())))


def _tidy(body: str) -> str:
    """Collapse runs of blank lines left by template logic (blank lines separate Markdown blocks)."""
    return re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(
        md=md_inline,
        vn_time=text.vn_time,
        vn_date=text.vn_date,
        vn_datetime=text.vn_datetime,
        vn_short_date=text.vn_short_date,
        tel=text.tel_uri,
        upper_vn=lambda s: str(s).upper(),
    )
    env.globals.update(template_globals())
    env.globals.update(documents=documents, lifecycle=lifecycle)
    env.globals.update(maket.template_globals())
    return env
