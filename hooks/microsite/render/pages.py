"""Rendering: every page of the site, from the build context, through Jinja2 templates.

Templates only render what they are handed: each page gets the model `m`, the build `b`, its
`link` helper and the values worked out for it here (a point's duties, deadlines, reports...).
Autoescaping is on, so text from the YAML never becomes markup. Pages are HTML; the site engine
does not parse them again, so each page also carries its table of contents (markup.toc).

Fragments that thousands of point pages share (their tier's deadlines and duties, whom to call)
are rendered once: `shared(template, **values)` renders a template from exactly the values it is
given, keyed by them and by the page's folder (its relative links depend on it). A per-page
variable the caller did not pass is undefined there, and StrictUndefined stops the build: one
page's content can never leak into another's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import routes, text
from ..build import Build
from ..outputs import invitation_pdf, notices
from ..outputs.card import point_description
from ..routes import Asset, Linker, Page
from ..source.model import MeetingFile, Point, Tier
from ..views import documents, invitation, lifecycle, reports
from ..views.timeline import by_day, zone_label
from . import markup

TEMPLATES = Path(__file__).parent / "templates"


def nav(m: MeetingFile) -> list[tuple[str, str]]:
    """The sections, never the individual points: a page's size must not grow with their number."""
    items = [("Trang chủ", routes.HOME), ("Chương trình", routes.AGENDA), ("Mốc thời gian", routes.TIMELINE),
             ("Điểm cầu", routes.POINTS), ("Nhiệm vụ", routes.DUTIES)]
    if m.rules:
        items.append((m.rules.title, routes.RULES))
    if m.documents:
        items.append(("Tài liệu", routes.DOCUMENTS))
    items += [("Liên hệ", routes.CONTACTS), ("Giấy mời", routes.INVITATION), ("Maket", routes.MAKETS)]
    return items


@dataclass(frozen=True)
class PointView:
    """Everything a point's page shows besides the model's own fields."""

    tier: Tier
    point: Point
    parent: Point | None
    preparers: list
    deadlines: list  # what this point's people must do by when (views/relations.py)
    events: list  # what it takes part in before the meeting: the line test
    duties: list
    contacts: list  # ContactGroup: its own, its parents', the meeting's
    calls: list  # the numbers at the top of the page
    hotline: bool  # the page lists the meeting's own contacts (`contacts` has its "meeting" group)
    reports: list
    documents: list
    children: list
    index_src: str  # the index page listing it
    index_head: Point | None  # the head of that page's group, when the index is split
    updates: list  # the change notices that concern it (views.changes.Notices.point)
    prints: object  # its QR code and makets (outputs.maket.PointPrint)
    archive: object  # the archive of its group, if any (outputs.maket.Archive)


@dataclass
class Rendered:
    """One build's pages, and what each point page was rendered from.

    `mkdocs serve` hands the last build's to the next (`build_pages(..., previous=)`), which renders
    again only the point pages whose own values changed: eleven thousand of them took most of a
    national rebuild after a one-field edit. A point page reads its `PointView` and, through `m` and
    `b`, what every page shares; `common` is all of that shared part, and when it differs in any
    way every page is rendered again. `make build` never passes `previous`.
    """

    pages: list[Page]
    common: tuple = ()
    points: dict[str, tuple] = field(default_factory=dict)  # point page src -> (its values, its Page)


def build_pages(b: Build, cache_dir: Path | None = None, previous: Rendered | None = None,
                remember: bool = False) -> Rendered:
    """Every page; with `remember`, also what each point page was rendered from, for the next build."""
    return _Renderer(b, cache_dir, previous, remember or previous is not None).pages()


def common_values(b: Build) -> tuple:
    """What a point page may read besides its PointView: the meeting file but its points' details
    (their keys, names and places in the tree stay in), and the build's shared parts. Templates
    reach these through `m` and `b`; a point's own fields reach its page only through its view."""
    m = b.m
    meeting = {name: getattr(m, name) for name in type(m).model_fields if name != "tiers"}
    tiers = [tier.model_copy(update={"points": []}) for tier in m.tiers]
    tree = [(tier.id, point.key, point.name, point.parent) for tier, point in m.points]
    # Not the clocks, nor the change log and the meeting file's date, which reach pages only through
    # the notices (a view's `updates`, the home and changes pages) and the calendars' own files.
    options = {f.name: getattr(b.options, f.name) for f in fields(b.options)
               if f.name not in ("now", "built", "revision", "revised")}
    rel = b.relations
    return (meeting, tiers, tree, options, b.phase, b.starts, b.ends, b.schedule, b.makets.spec, b.attachments,
            rel.agencies_with_duties, rel.deadlines_by_duty, rel.phone_contacts, _templates_stamp())


def _own_values(v: PointView) -> PointView:
    """The view as compared between builds: a tier by its id (its own fields are common, and its
    list of points would make every comparison as long as the meeting)."""
    return replace(v, tier=v.tier.id, children=[(tier.id, point) for tier, point in v.children])


def _templates_stamp() -> tuple:
    """An edited template (under `mkdocs serve`, Jinja reloads it) changes every page."""
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in TEMPLATES.iterdir()))


def rendered_files(b: Build, cache_dir: Path | None = None) -> list[Asset]:
    """The files typeset from our templates (the invitation's PDF, from the page's own paper)."""
    renderer = _Renderer(b, cache_dir)
    html = renderer.template("paper_document.html.j2").render(m=b.m, paper=renderer.paper,
                                                               stylesheet=routes.PAPER_CSS)
    return [Asset(routes.INVITATION_PDF, invitation_pdf.pdf(html, b.paper_fonts))]


class _Renderer:
    def __init__(self, b: Build, cache_dir: Path | None, previous: Rendered | None = None,
                 remember: bool = False) -> None:
        self.b = b
        self.previous = previous
        self.remember = remember
        self.env = environment(cache_dir)
        self.templates: dict = {}  # looked up once per build: get_template checks the file's date at every call
        self.links: dict[tuple[str, str], str] = {}  # relative links, shared by the pages of one folder
        self.fragments: dict[tuple, str] = {}
        self.paper = invitation.paper(b.m)
        zone = ZoneInfo(b.m.meeting.timezone)
        self._iso: dict = {}

        def iso(value) -> str:
            """Local time with its UTC offset, for <time datetime> and scripts on phones in any zone."""
            if value not in self._iso:
                self._iso[value] = value.replace(tzinfo=zone).isoformat(timespec="minutes")
            return self._iso[value]
        self.iso = iso

    def template(self, name: str):
        if name not in self.templates:
            self.templates[name] = self.env.get_template(name)
        return self.templates[name]

    def page(self, src: str, template: str, title: str, description: str, in_nav: bool = True,
             searched: bool = True, **values) -> Page:
        link = Linker(src, self.b.options.directory_urls, self.links)

        def shared(name: str, **given) -> Markup:
            key = (name, link.group, *((k, _identity(v)) for k, v in sorted(given.items())))
            out = self.fragments.get(key)
            if out is None:
                own = link.own_links
                out = self.template(name).render(m=self.b.m, b=self.b, link=link, iso=self.iso, **given)
                if link.own_links == own:  # nothing in it depends on which page it is on
                    self.fragments[key] = out
            return Markup(out)

        html = markup.tidy(self.template(template).render(
            m=self.b.m, b=self.b, link=link, iso=self.iso, shared=shared, page_title=title, **values))
        return Page(src, title, description, html, markup.toc(html), in_nav, searched)

    def pages(self) -> list[Page]:
        b, m = self.b, self.b.m
        name, when = m.meeting.name, text.vn_datetime(m.meeting.starts)
        pages = [
            self.page(routes.HOME, "home.html.j2", name, f"{m.meeting.title} — {when}", updates=b.notices.home()),
            self.page(routes.AGENDA, "agenda.html.j2", "Chương trình", f"Chương trình {name} — {when}",
                      updates=b.notices.on("agenda")),
            self.page(routes.TIMELINE, "timeline.html.j2", "Mốc thời gian", f"Hạn chót và mốc thời gian của {name}",
                      days=by_day(b.moments), zone=zone_label(m), updates=b.notices.on("timeline")),
            self.page(routes.POINTS, "points_index.html.j2", "Điểm cầu", f"Các điểm cầu của {name}",
                      tiers=[(tier, self.groups(tier), self.listed_elsewhere(tier)) for tier in m.tiers],
                      updates=b.notices.on("points")),
            self.page(routes.DUTIES, "duties.html.j2", "Nhiệm vụ", f"Nhiệm vụ của các cơ quan, đơn vị — {name}",
                      sections=b.relations.duty_sections(), updates=b.notices.on("duties")),
            self.page(routes.CONTACTS, "contacts.html.j2", "Liên hệ", f"Liên hệ kỹ thuật và báo cáo — {name}",
                      updates=b.notices.on("contacts")),
            self.page(routes.INVITATION, "invitation.html.j2", m.meeting.notice, f"{m.meeting.notice}: {m.meeting.title}",
                      paper=self.paper, updates=b.notices.on("invitation")),
        ]
        if m.rules:
            pages.append(self.page(routes.RULES, "rules.html.j2", m.rules.title, f"{m.rules.title} — {name}",
                                   updates=b.notices.on("rules")))
        if m.documents:
            pages.append(self.page(routes.DOCUMENTS, "documents.html.j2", "Tài liệu", f"Tài liệu của {name}",
                                   groups=documents.groups(m), after=documents.released_after(m),
                                   updates=b.notices.on("documents")))
        pages.append(self.page(routes.MAKETS, "maket.html.j2", "Maket",
                               f"Maket phông nền và mã QR các điểm cầu — {name}"))
        pages.append(self.page(routes.CHANGES, "changes.html.j2", "Thay đổi", f"Các thay đổi của {name}",
                               in_nav=False))
        pages.append(self.page(routes.LICENCE, "licence.html.j2", "Giấy phép và ghi công",
                               f"Giấy phép của trang và ghi công các thành phần đi kèm — {name}", in_nav=False,
                               searched=False, sections=notices.by_section(b.makets.notices)))
        common = common_values(b) if self.remember else ()
        kept = self.previous.points if self.previous is not None and self.previous.common == common else {}
        points = {}
        for tier, point in m.points:
            src, v, description = routes.point_src(point.key), self.point_view(tier, point), point_description(m, point)
            values = (point.name, description, _own_values(v)) if self.remember else ()
            before = kept.get(src)
            if before is not None and before[0] == values:
                page = before[1]
            else:
                page = self.page(src, "point.html.j2", point.name, description, in_nav=False, searched=False, v=v)
            pages.append(page)
            if self.remember:
                points[src] = (values, page)
        for head in b.index.heads:  # a national meeting's index, one page per province (views/index.py)
            pages.append(self.page(routes.group_src(head.key), "points_group.html.j2", f"Điểm cầu: {head.name}",
                                   f"Các điểm cầu thuộc {head.name} — {name}", in_nav=False, head=head,
                                   size=len(b.index.pages[head.key]),
                                   tiers=[(tier, self.groups(tier, head.key)) for tier in m.tiers]))
        return Rendered(pages, common, points)

    # -- values for the pages -------------------------------------------------------------------
    def point_view(self, tier: Tier, point: Point) -> PointView:
        b, m, rel = self.b, self.b.m, self.b.relations
        preparers = rel.preparers(tier, point)
        contacts = rel.contacts_for(tier, point)
        page = b.index.page_of.get(point.key)
        return PointView(
            tier=tier, point=point, parent=m.point_by_key[point.parent][1] if point.parent else None,
            preparers=preparers, deadlines=rel.deadlines_for(tier, point), events=rel.events_for(tier, point),
            duties=rel.duties_for(tier, point), contacts=contacts, calls=rel.calls_for(tier, point),
            hotline=any(group.level == "meeting" for group in contacts),
            reports=reports.reports_for(m, tier, point),
            documents=documents.for_point(m, tier, point, preparers),
            children=rel.children.get(point.key, []), updates=b.notices.point(tier, point),
            index_src=routes.group_src(page) if page else routes.POINTS,
            index_head=m.point_by_key[page][1] if page else None,
            prints=b.makets.by_key[point.key], archive=b.makets.archive_of(point.key))

    def groups(self, tier: Tier, page: str | None = None) -> list[tuple[Point | None, list[tuple[Point, int]]]]:
        """A tier's points grouped under their parent point, in file order: those listed on the top
        index page, or on the group page headed by `page`; each with the size of the group it heads."""
        grouped: dict[str | None, list[tuple[Point, int]]] = {}
        for t, point in self.b.index.pages.get(page, []):
            if t.id == tier.id:
                grouped.setdefault(point.parent, []).append((point, len(self.b.index.pages.get(point.key, ()))))
        return [(self.b.m.point_by_key[k][1] if k else None, v) for k, v in grouped.items()]

    def listed_elsewhere(self, tier: Tier) -> list[tuple[Point, int]]:
        """Group pages that list points of this tier, with how many each: the top page links to them."""
        out = []
        for head in self.b.index.heads:
            count = sum(1 for t, _ in self.b.index.pages[head.key] if t.id == tier.id)
            if count:
                out.append((head, count))
        return out


def _identity(value: object) -> object:
    """A fragment's key part: plain values as they are, model objects and lists by identity (they
    are frozen and live as long as the build; the relations hand out one list per tier)."""
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    return ("id", id(value))


_ENVS: dict[Path | None, Environment] = {}


def environment(cache_dir: Path | None = None) -> Environment:
    """One environment per process: `mkdocs serve` rebuilds without compiling the templates again.
    A new process loads them compiled from the cache folder (compiling costs more than a small
    meeting's whole rendering)."""
    if cache_dir not in _ENVS:
        env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                          trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
        env.filters.update(
            vn_time=text.vn_time, vn_date=text.vn_date, vn_datetime=text.vn_datetime,
            vn_short_date=text.vn_short_date, vn_number=text.vn_number, vn_count=text.vn_count, capitalize_vn=text.capitalize_first,
            vn_written_date=text.vn_written_date, tel=text.tel_uri, untoc=markup.untoc, iso_aware=lifecycle.iso, one_line=markup.one_line, upper_vn=text.upper,
            doc_name=lambda d: text.document_name(d.kind, d.number, d.title, d.date, d.issuer))
        env.globals.update(routes=routes, host=documents.host)
        if cache_dir:
            env.bytecode_cache = bytecode_cache(cache_dir / "templates")
        _ENVS[cache_dir] = env
    return _ENVS[cache_dir]


def bytecode_cache(folder: Path) -> FileSystemBytecodeCache | None:
    """Compiled templates kept in `folder`; None where it cannot be written (a read-only checkout
    still builds, only slower)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))
