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

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, nodes
from jinja2.ext import Extension
from markupsafe import Markup, escape

from ..views import changes, documents, lifecycle

from ..outputs import card, maket

from .. import text
from ..views.index import group_src, point_index
from ..source.model import Agency, Deadline, Duty, MeetingFile, Point, Tier
from ..views.timeline import template_globals

TEMPLATES = Path(__file__).parent / "templates"

# Where each page lives; the points' own pages sit under a short path so QR codes stay small.
HOME, AGENDA, POINTS, DUTIES, RULES, CONTACTS, INVITATION = (
    "index.md", "chuong-trinh.md", "diem-cau/index.md", "nhiem-vu.md", "quy-dinh.md", "lien-he.md", "giay-moi.md")
TIMELINE = "moc-thoi-gian.md"
DOCUMENTS = "tai-lieu.md"
CHANGES = "thay-doi.md"  # every change since the site went out (views/changes.py)
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
    searched: bool = True  # False: the theme leaves it out of its search index (search.py adds its own entry)


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
    data_dir: Path | None = None  # the meeting file's folder: attached documents are found beside it
    cache_dir: Path | None = None  # kept between builds (never in docs/ or site/), e.g. .cache/microsite
    revision: changes.Revision | None = None  # the change log and what changed since (views/changes.py)
    built: datetime | None = None  # the build's time as published data states it (outputs/data.py)


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
    env = _environment(options.cache_dir)
    ctx = _Context(m, options)
    when = text.vn_datetime(m.meeting.starts)
    templates: dict = {}  # looked up once per build: get_template checks the file's date at every call
    notices = changes.Notices(options.revision, m, options.now)

    def render(src: str, template: str, title: str, description: str, in_nav: bool, searched: bool = True,
               **extra) -> Page:
        if template not in templates:
            templates[template] = env.get_template(template)
        body = templates[template].render(m=m, ctx=ctx, link=ctx.linker(src), page_title=title, notices=notices,
                                          **extra)
        return Page(src, title, description, _tidy(body), in_nav, searched)

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
    pages.append(render(CHANGES, "changes.md.j2", "Thay đổi", f"Các thay đổi của {m.meeting.name}", False))
    for tier, point in m.points:
        pages.append(render(point_src(point), "point.md.j2", point.name, card.point_description(m, point), False,
                            searched=False, tier=tier, point=point))
    for head in ctx.index.heads:  # a national meeting's index, one page per province (see index.py)
        pages.append(render(group_src(head.key), "points_group.md.j2", f"Điểm cầu: {head.name}",
                            f"Các điểm cầu thuộc {head.name} — {m.meeting.name}", False, head=head))
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
        # Thousands of point pages share a few answers: compute each once (see `memo` below too).
        self.memo: dict = {}
        self.own_links = 0  # links to the page being rendered (or below it) written so far
        self._links: dict[tuple[str, str], str] = {}
        self._per_tier: dict[tuple[str, str], list] = {}
        self._iso: dict[datetime, str] = {}
        self._named = {p for d in m.duties for p in d.points}
        self._phone = [c for c in m.contacts if c.phone]
        self.index = point_index(m)
        self._grouped: dict[tuple[str, str | None], dict[str | None, list[Point]]] = {}
        for page, members in self.index.pages.items():
            for tier, point in members:
                self._grouped.setdefault((tier.id, page), {}).setdefault(point.parent, []).append(point)

    def linker(self, src: str):
        """`link(target, anchor)` for the page `src`.

        Sibling pages (`dc/a/`, `dc/b/`: every point page) write the same relative URL for every
        target outside their own folder, so each is computed once for all of them. A link to the
        page itself or below it is the page's own; `memo` does not share a fragment holding one.
        """
        directory_urls = self.options.directory_urls
        here = _url(src, directory_urls)
        base = _base(here)
        if directory_urls and here:  # "x/a/" resolves links against "x/a/"
            own, group = here, posixpath.dirname(here.rstrip("/"))
        else:  # "x/a.html" resolves links against "x/", like every page of "x/"; the home page is alone
            own, group = None, (posixpath.dirname(here) if here else src)
        links = self._links

        def link(target: str, anchor: str | None = None) -> str:
            there = _url(target, directory_urls)
            if own is not None and there.startswith(own):
                self.own_links += 1
                url = _relative(base, there)
            else:
                url = links.get((group, target))
                if url is None:
                    url = links[(group, target)] = _relative(base, there)
            return f"{url}#{anchor}" if anchor else url
        link.base = group  # type: ignore[attr-defined]  # fragments cached by `memo` differ by group
        return link

    def _tier_cached(self, what: str, tier: Tier, compute):
        key = (what, tier.id)
        if key not in self._per_tier:
            self._per_tier[key] = compute()
        return self._per_tier[key]

    def groups(self, tier: Tier, page: str | None = None) -> list[tuple[Point | None, list[Point]]]:
        """A tier's points grouped under their parent point, in file order: those listed on the
        top index page, or on the group page headed by the point `page`."""
        grouped = self._grouped.get((tier.id, page), {})
        return [(self.m.point_by_key[k][1] if k else None, v) for k, v in grouped.items()]

    # -- the index at scale (index.py) ------------------------------------------------------------
    def index_src(self, point: Point) -> str:
        """The index page that lists this point."""
        page = self.index.page_of.get(point.key)
        return group_src(page) if page else POINTS

    def index_head(self, point: Point) -> Point | None:
        """The point heading the group page that lists this one, if the index is split."""
        page = self.index.page_of.get(point.key)
        return self.m.point_by_key[page][1] if page else None

    def group_of(self, point: Point) -> str | None:
        """The group page this point heads, if any."""
        return group_src(point.key) if point.key in self.index.pages else None

    def group_size(self, point: Point) -> int:
        return len(self.index.pages.get(point.key, ()))

    def listed_elsewhere(self, tier: Tier) -> list[tuple[Point, int]]:
        """Group pages that list points of this tier, with how many each: the top page links to them."""
        out = []
        for head in self.index.heads:
            count = sum(len(v) for v in self._grouped.get((tier.id, head.key), {}).values())
            if count:
                out.append((head, count))
        return out

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
        parent_tier = self.m.point_by_key[point.parent][0] if point.parent else None
        by_tier = self._tier_cached("preparers", tier, lambda: [a.id for a in self.m.agencies if a.tier == tier.id])
        ids = list(point.prepared_by) + by_tier
        if parent_tier:  # a commune point is prepared under its district's standing committee
            ids += self._tier_cached("preparers", parent_tier, lambda: [
                a.id for a in self.m.agencies if a.tier == parent_tier.id])
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
        return self._phone

    def iso(self, value: datetime) -> str:
        """Local time with its UTC offset, for <time datetime> and scripts on phones in any zone."""
        if value not in self._iso:
            self._iso[value] = value.replace(tzinfo=ZoneInfo(self.m.meeting.timezone)).isoformat(timespec="minutes")
        return self._iso[value]


def _url(src: str, directory_urls: bool) -> str:
    if not src.endswith(".md"):  # a file, not a page: its path is its URL
        return src
    stem = src[:-3]
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return f"{stem}/"


def relative_url(from_src: str, to_src: str, directory_urls: bool = True) -> str:
    """The URL of page `to_src` as seen from page `from_src`, as MkDocs would write them.
    A `to_src` that is not a page (a file such as 'tai-lieu/tb-168.pdf') keeps its path."""
    here = _url(from_src, directory_urls)
    return _relative(_base(here), _url(to_src, directory_urls))


def _base(here: str) -> str:
    """The folder a page's relative links resolve against."""
    return posixpath.dirname(here) if not here.endswith("/") else here.rstrip("/")


def _relative(base: str, there: str) -> str:
    """posixpath.relpath(there, base) without its trip to the file system (abspath calls getcwd),
    keeping the trailing slash of folder URLs; our paths are clean."""
    start, parts = base.split("/") if base else [], there.rstrip("/").split("/") if there else []
    common = 0
    while common < min(len(start), len(parts)) and start[common] == parts[common]:
        common += 1
    rel = "/".join([".."] * (len(start) - common) + parts[common:]) or "."
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
    while "\n\n\n" in body:  # as re.sub(r"\n{3,}", "\n\n"), several times faster on 10,000 pages
        body = body.replace("\n\n\n", "\n\n")
    return body.strip() + "\n"


class _Memo(Extension):
    """`{% memo "name", value, ... %}...{% endmemo %}`: render a fragment once per build and key.

    Thousands of point pages carry the same blocks (their tier's deadlines, duties, whom to call);
    rendering each once is most of the speed of a national build. The key is the name and the
    values the fragment depends on (models count by identity: they are frozen and live for the
    build); the folder of the page is added, since the fragment's relative links depend on it.
    """

    tags = {"memo"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        key = [parser.parse_expression()]
        while parser.stream.skip_if("comma"):
            key.append(parser.parse_expression())
        body = parser.parse_statements(("name:endmemo",), drop_needle=True)
        call = self.call_method("_fragment", [nodes.List(key), nodes.Name("ctx", "load"), nodes.Name("link", "load")])
        return nodes.CallBlock(call, [], [], body).set_lineno(lineno)

    @staticmethod
    def _fragment(key: list, ctx: _Context, link, caller) -> str:
        full = (link.base, *(_frozen(k) for k in key))
        out = ctx.memo.get(full)
        if out is None:
            own_links = ctx.own_links
            out = caller()
            if ctx.own_links == own_links:  # nothing in it depends on which page it is on
                ctx.memo[full] = out
        return out


def _frozen(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, (str, int, float, bool, type(None))):
        return value
    return ("id", id(value))


_ENVS: dict[Path | None, Environment] = {}


def _environment(cache_dir: Path | None = None) -> Environment:
    """One environment per process: `mkdocs serve` rebuilds without compiling the templates again.
    A new process loads them compiled from the cache folder (compiling costs more than a small
    meeting's whole rendering)."""
    if cache_dir not in _ENVS:
        env = _new_environment()
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


def _new_environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, extensions=[_Memo])
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
