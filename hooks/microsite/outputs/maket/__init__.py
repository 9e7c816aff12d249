"""Makets: the print-ready backdrop of every connection point, its A4 poster and its QR code.

The invitation asks every point to put up a maket "theo mẫu gửi kèm"; ours carries a QR code that
opens the point's own page. For each point this makes, from the meeting file alone:

- `qr/<slug>.svg` (vector, for print) and `qr/<slug>.png` (for screens);
- `maket/<slug>.svg` and `maket/<slug>.pdf`: the backdrop (issuer, title in capitals, "ĐIỂM CẦU …",
  place and date, the QR code on a white panel with a one-line caption), fonts embedded in the PDF;
  for an LED wall also `maket/<slug>.png` at the screen's pixels;
- `maket/<slug>-a4.pdf`: an A4 poster for the entrance table, same QR code;

and for the organizer a page listing them and one archive with every maket. When the index of
points is split by group (`index.py`, a national meeting), the page lists only the points of the top
index page and one line per group, and there is one archive per group and one for those points: no
page or archive grows with the whole country. Then, too, the last tier (the communes) gets its QR
code only, unless `maket.tiers` or `maket.points` ask for more (`full_prints`). Files are kept in a
content-keyed cache (`cache.py`), so an unchanged meeting rebuilds without making any of them again.

Large backdrops are drawn at a reduced scale (1:10 for the 6 m default): PDF readers and design
programs refuse pages over 200 inches (5080 mm), and print shops work from scaled files anyway.
Coordinates in the SVG stay real millimetres; only its width and height attributes are scaled.
"""

from __future__ import annotations

import io
import json
import logging
import posixpath
import shutil
import subprocess
import time
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .. import notices, qr
from ... import routes
from ...routes import ARCHIVE, MAKETS, PRINT_FILES, TOP_ARCHIVE, SiteOptions, group_archive, point_src, print_file
from ..cache import Cache, cache_root, code_version, parallel_map, pool_size
from ...views.index import PointIndex
from ...source.model import QR_READING_RATIO, MeetingFile, Point, Tier
from ...text import vn_number
from ...views.relations import Relations
from .drawing import A4_QR_MM, Drawing, PointIn, Spec, backdrop, date_line, point_heading, poster, spec
from .layout import FONT, Item, fit, lead_words, may_break, metrics
from .paint import _svg_env, pdf, screen_png, svg
from .template import backdrop_for

__all__ = ["Archive", "Drawing", "Item", "PointIn", "PointPrint", "Prepared", "Spec", "backdrop", "date_line", "files",
           "fit", "full_prints", "lead_words", "may_break", "metrics", "pdf", "point_heading", "poster", "prepare",
           "print_problem", "screen_png", "spec", "svg"]

log = logging.getLogger("mkdocs.plugins.microsite.maket")

FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",)

# Bump when the output changes in a way the hashed sources below do not show.
_FORMAT = "1"


@lru_cache(maxsize=1)
def _version() -> str:
    # libqrencode is a system library, not a Python package: its own version goes into the key (another
    # release may choose another mask).
    return f"{_FORMAT}-{code_version(packages=('cairocffi', 'pillow'))}-libqrencode-{qr.encoder_version()}"


# ---------------------------------------------------------------------------------------------
# Checks made before the build touches site/
# ---------------------------------------------------------------------------------------------


def print_problem(site_url: str | None) -> str | None:
    """Why QR codes and makets cannot be made on this machine for this site, or None."""
    return qr.site_url_problem(site_url) or qr.library_problem() or _font_problem()


@lru_cache(maxsize=1)
def _font_problem() -> str | None:
    # Where Debian installs it, fontconfig finds it; ask fontconfig (a process, 5 ms of every
    # build) only when the font is elsewhere.
    if any(Path(p).exists() for p in FONT_FILES):
        return None
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{family}", f"{FONT}:bold"], capture_output=True,
                               text=True, timeout=30).stdout
        if FONT in found:
            return None
    return (f"máy này chưa có phông chữ '{FONT}', cần cho chữ tiếng Việt trên maket: cài bằng "
            "apt-get install fonts-dejavu-core (Debian)")


# ---------------------------------------------------------------------------------------------
# Making every point's files, with the cache and both cores
# ---------------------------------------------------------------------------------------------

def full_prints(m: MeetingFile, split: bool) -> set[str]:
    """Keys of the points that get the backdrop and the A4 poster; the others get their QR code only.

    Every point, unless the meeting is large (its index split by group, past 500 points): then not
    the last tier. A point's backdrop and poster cost 18 ms of CPU and 90 KB (as much again in its
    group's archive): for a national meeting's 10,603 communes, 190 s and 1.9 GB, while the
    invitation asks the districts to prepare the hall and its maket, and a commune joins only when
    its district registers it. A commune's page still shows its code, for a backdrop made locally.
    `maket.tiers` replaces that choice; `maket.points` adds points, each with every point under it.
    """
    chosen = m.maket.tiers
    if chosen is None:
        chosen = [t.id for t in (m.tiers[:-1] if split else m.tiers)]
    full = {point.key for tier, point in m.points if tier.id in chosen}
    asked = set(m.maket.points)
    for _tier, point in m.points:  # a parent sits in an earlier tier: it is seen first
        if point.key in asked or point.parent in asked:
            asked.add(point.key)
    return full | asked


# What each point gets: kind -> extension of the cache entry.
QR_FILES = {"qr_svg": "svg", "qr_png": "png"}
MAKET_FILES = {"svg": "svg", "pdf": "pdf", "a4": "a4.pdf"}
SCREEN_FILE = {"png": "png"}
@dataclass(frozen=True)
class _Job:
    root: str
    version: str
    spec: Spec
    point: PointIn
    qr_key: str
    maket_key: str
    full: bool  # the backdrop and the poster too, not only the QR code (full_prints)


def _entries(cache: Cache, job: _Job) -> dict[str, str]:
    """kind -> cache file, as text: a national meeting has 70,000 of them."""
    files = {"qr": cache.file("qr", job.qr_key, "txt")}
    files.update({k: cache.file("qr", job.qr_key, ext) for k, ext in QR_FILES.items()})
    if not job.full:
        return files
    files.update({k: cache.file("maket", job.maket_key, ext) for k, ext in MAKET_FILES.items()})
    if job.spec.screen_px:
        files.update({k: cache.file("maket", job.maket_key, ext) for k, ext in SCREEN_FILE.items()})
    return files


def _make(job: _Job) -> int:
    """Make whatever of one point's files the cache lacks; return how many were made."""
    cache = Cache(job.root)
    files = {k: Path(p) for k, p in _entries(cache, job).items()}
    missing = {k for k, p in files.items() if not p.exists()}
    if not missing:
        return 0
    if files["qr"].exists():
        code = qr.Code.from_text(files["qr"].read_text(encoding="utf-8"))
    else:
        code = qr.encode(job.point.url, job.spec.level)
        cache.store(files["qr"], code.to_text().encode())
    if "qr_svg" in missing:
        cache.store(files["qr_svg"], qr.svg(code))
    if "qr_png" in missing:
        cache.store(files["qr_png"], qr.png(code))
    if missing & {"svg", "pdf", "png"}:
        drawing = backdrop_for(job.spec, job.point, code)
        cache.store(files["svg"], svg(drawing))
        cache.store_with(files["pdf"], lambda name: pdf(drawing, name))
        if job.spec.screen_px:
            cache.store(files["png"], screen_png(drawing, job.spec.screen_px))
    if "a4" in missing:
        a4 = poster(job.spec, job.point, code)
        cache.store_with(files["a4"], lambda name: pdf(a4, name))
    return cache.made


@dataclass
class PointPrint:
    """One point's QR code and makets, as the pages show them."""

    key: str
    name: str
    tier: str
    url: str
    version: int
    modules: int
    module_mm: float  # on the real backdrop
    poster_module_mm: float
    files: dict[str, str]  # kind -> cache file
    point_links: dict[str, str] = field(default_factory=dict)  # kind -> href from the point's page
    page_links: dict[str, str] = field(default_factory=dict)  # kind -> href from the makets page


@dataclass(frozen=True)
class Archive:
    """A zip of some points' files, with a note for the print shop."""

    dest: str  # in the site
    path: Path  # the cache file
    size: int
    head: Point | None  # the point heading the group of the index it holds, if it holds one group


@dataclass
class Prepared:
    spec: Spec
    site_url: str
    points: list[PointPrint]
    by_key: dict[str, PointPrint]
    listed: list[tuple[Tier, list[PointPrint]]]  # the points the makets page lists one by one, by tier
    archive: Archive | None  # of those points: every point, unless the index is split
    groups: dict[str, Archive]  # when the index is split: head key -> its group's archive
    page_of: dict[str, str | None]  # point key -> the group that lists it (index.py)
    coverage: list[tuple[Tier, int]]  # every tier, with how many of its points have a backdrop and poster
    by_size: bool  # some have not because the meeting is large (full_prints), not by maket.tiers
    made: int
    reused: int
    seconds: float

    @property
    def local(self) -> bool:
        return qr.is_local(self.site_url)

    a4_qr_mm: int = A4_QR_MM
    notices: tuple = ()  # notices.works, the fonts being those these makets embed

    @property
    def archives(self) -> list[Archive]:
        return ([self.archive] if self.archive else []) + list(self.groups.values())

    @property
    def partial(self) -> bool:
        """Some points have their QR code only."""
        return any(full < len(tier.points) for tier, full in self.coverage)

    def archive_of(self, key: str) -> Archive | None:
        """The archive of the group a point belongs to (or heads), when there are archives by group."""
        return self.groups.get(self.page_of.get(key) or key)

    def versions_text(self) -> str:
        versions = sorted({p.version for p in self.points})
        return f"{versions[0]}–{versions[-1]}" if len(versions) > 1 else str(versions[0])

    def modules_text(self) -> str:
        sizes = sorted({vn_number(p.module_mm) for p in self.points}, key=lambda s: float(s.replace(",", ".")))
        return f"{sizes[0]}–{sizes[-1]}" if len(sizes) > 1 else sizes[0]


def prepare(m: MeetingFile, options: SiteOptions, index: PointIndex, relations: Relations | None = None,
            served_fonts: dict[str, str] | None = None) -> Prepared:
    """Make (or find in the cache) every point's files; called once per build (build.make)."""
    problem = qr.site_url_problem(options.site_url)
    if problem:
        raise ValueError(problem)
    started = time.perf_counter()
    sp = spec(m, options.data_dir)
    relations = relations or Relations(m)
    version = _version()
    root = str(cache_root())
    cache = Cache(root)
    spec_text = str(sp)  # what Cache.key writes for it, worked out once rather than once per point
    full = full_prints(m, index.split)
    jobs, entries = [], []
    for tier, point in m.points:
        url = routes.absolute_url(options, point_src(point.key))
        calls = [c for g in relations.contacts_for(tier, point) for c in g.contacts]
        pin = PointIn(point.key, point.name, url, tuple(c.line for c in calls), tuple(c.phone or "" for c in calls))
        qr_key = Cache.key(version, "qr", url, sp.level)
        job = _Job(root, version, sp, pin, qr_key, Cache.key(version, "maket", spec_text, pin), point.key in full)
        jobs.append((tier, job))
        entries.append(_entries(cache, job))
    # One entry for the whole set keeps what the pages need from its files (each code's version):
    # one file read instead of one per point. It also stands for the set in `lookup_many`.
    record = cache.file("sheet", Cache.key(version, "sheet", [(job.qr_key, job.maket_key) for _, job in jobs]),
                        "json")
    found = cache.lookup_many([p for files in entries for p in files.values()], record)
    todo = [job for (_, job), files in zip(jobs, entries) if not all(p in found for p in files.values())]
    processes = pool_size(len(todo))
    made = sum(parallel_map(_make, todo))
    versions = _qr_versions(cache, record, [(job.qr_key, files["qr"]) for (_, job), files in zip(jobs, entries)])
    # Every archive carries the licence notices, which name the fonts the PDFs embed (the same in all).
    # A PDF template brings its own fonts, the organizer's: what we embed over it is in the poster too.
    own = [] if sp.template and sp.template.kind == "pdf" else ["pdf"]
    first = next((files for files in entries if "a4" in files), None)
    works = notices.works([first[k] for k in (*own, "a4")] if first else [], served_fonts)
    notice = notices.text(works)
    # Every point page sits at dc/<key>, so a link from one to a file differs only by the file's name.
    point_prefix = _prefixes(point_src("_"), options.directory_urls)
    page_prefix = _prefixes(MAKETS, options.directory_urls)
    points = []
    for (tier, job), files in zip(jobs, entries):
        files.pop("qr")  # read for its version only
        key = job.point.key
        version_n = versions[job.qr_key]
        modules = 17 + 4 * version_n
        names = {kind: key + PRINT_FILES[kind][1] for kind in files}
        points.append(PointPrint(key, job.point.name, tier.id, job.point.url, version_n, modules,
                                 sp.qr_width_mm / modules, A4_QR_MM / modules, files,
                                 {kind: point_prefix[kind] + name for kind, name in names.items()},
                                 {kind: page_prefix[kind] + name for kind, name in names.items()}))
    by_key = {p.key: p for p in points}
    listed: dict[str, tuple[Tier, list[PointPrint]]] = {}
    for tier, point in index.pages[None]:  # every point, unless the index is split
        listed.setdefault(tier.id, (tier, []))[1].append(by_key[point.key])

    def zipped(dest: str, head: Point | None, members: list[PointPrint]) -> Archive:
        path = _archive(cache, version, m, sp, dest, head, index.split, members, notice)
        return Archive(dest, path, path.stat().st_size, head)

    top = [p for _, shown in listed.values() for p in shown]
    groups = {head.key: zipped(group_archive(head.key), head,
                                [by_key[head.key], *(by_key[p.key] for _, p in index.pages[head.key])])
              for head in index.heads}
    coverage = [(tier, sum(point.key in full for point in tier.points)) for tier in m.tiers]
    prepared = Prepared(sp, options.site_url, points, by_key, list(listed.values()),
                        zipped(TOP_ARCHIVE if index.split else ARCHIVE, None, top) if top else None,
                        groups, index.page_of, coverage, m.maket.tiers is None, made + cache.made, cache.hits,
                        time.perf_counter() - started, notices=works)
    try:
        cache.prune()
    except OSError:  # another build pruning at the same time; nothing is lost
        pass
    on = f" on {processes} processes" if processes > 1 else ""
    log.info("QR codes and makets: %d points (%d with backdrop and poster), %d files made%s, %d from the cache (%s), "
             "%.2f s", len(points), len(full), prepared.made, on, prepared.reused, root, prepared.seconds)
    if prepared.local:
        log.info("Mã QR đang dẫn tới %s, địa chỉ chỉ máy này mở được: đặt địa chỉ công bố (SITE_URL=https://…) "
                 "và tạo lại trang trước khi gửi maket đi in", options.site_url)
    return prepared


def _qr_versions(cache: Cache, record: str, codes: list[tuple[str, str]]) -> dict[str, int]:
    """QR key -> version of each code: from the record, else from the first line of each code's file."""
    try:
        with open(record, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        pass
    versions = {}
    for qr_key, path in codes:
        with open(path, encoding="utf-8") as f:
            versions[qr_key] = int(f.readline().split(" ", 1)[0])
    cache.store(record, json.dumps(versions).encode())
    return versions


def _prefixes(page_src: str, directory_urls: bool) -> dict[str, str]:
    """kind -> what comes before a point's file name in a link from the page: the same for every
    point, so worked out once rather than for each of a national meeting's 110,000 links."""
    return {kind: routes.relative_url(page_src, f"{folder}/_", directory_urls)[:-1]
            for kind, (folder, _) in PRINT_FILES.items()}


def _archive(cache: Cache, version: str, m: MeetingFile, sp: Spec, dest: str, head: Point | None, split: bool,
             points: list[PointPrint], notice: str) -> Path:
    """One zip with these points' files, by tier, a note for the print shop and the licence notices,
    all in one folder named like the zip."""
    folder = posixpath.splitext(posixpath.basename(dest))[0]
    members = [(f"{folder}/{p.tier}/{p.key}{suffix}", p.files[kind]) for p in points
               for kind, suffix in (("pdf", ".pdf"), ("svg", ".svg"), ("a4", "-a4.pdf"), ("qr_svg", "-qr.svg"),
                                    ("png", ".png")) if kind in p.files]
    readme = _svg_env().get_template("maket_readme.txt.j2").render(
        m=m, sp=sp, points=points, head=head, split=split, reading_ratio=QR_READING_RATIO, a4_qr_mm=A4_QR_MM,
        qr_only=sum("pdf" not in p.files for p in points))
    key = Cache.key(version, "archive", readme, notice, [(name, posixpath.basename(path)) for name, path in members])

    def make() -> bytes:
        start = m.meeting.starts
        stamp = (start.year, start.month, start.day, 0, 0, 0)  # fixed: same input, same archive
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            def add(name: str, data: bytes, compress: bool) -> None:
                info = zipfile.ZipInfo(name, stamp)
                info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
                info.external_attr = 0o644 << 16
                z.writestr(info, data)
            add(f"{folder}/HUONG-DAN-IN.txt", readme.encode(), True)
            add(f"{folder}/{notices.ARCHIVE_NAME}", notice.encode(), True)
            for name, path in members:
                with open(path, "rb") as f:
                    add(name, f.read(), name.endswith(".svg"))
        return out.getvalue()

    return cache.get_or_make("archive", key, "zip", make)


# ---------------------------------------------------------------------------------------------
# For the pages and the adapter
# ---------------------------------------------------------------------------------------------


def files(prepared: Prepared) -> list[tuple[str, Path]]:
    """(place in the site, cache file) for every generated QR code, maket and archive."""
    out = [(print_file(kind, p.key), Path(path)) for p in prepared.points for kind, path in p.files.items()]
    out += [(a.dest, a.path) for a in prepared.archives]
    return out

