"""Every address of the site: where each page and each generated file lives, and how one page
links to another. The one owner of paths and URLs: a QR code, a calendar's URL, a page's link and
a sitemap entry for the same point all come from here, so they cannot disagree.

Pages are named by their (virtual) Markdown source path, as the site engine names them
("dc/huong-son.md"); `url` turns that into the address MkDocs serves ("dc/huong-son/").
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

# ---------------------------------------------------------------------------------------------
# What the build hands the engine
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    src: str  # path of the (virtual) Markdown source, e.g. "dc/huong-son.md"
    title: str  # plain text; the adapter escapes it for the theme
    description: str  # plain text, for meta tags
    html: str  # the page's content, rendered by us: the engine does not parse it again
    toc: list[dict] = field(default_factory=list)  # headings: {level, id, name (HTML), children}
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
    cache_dir: Path | None = None  # our compiled templates, kept between builds (None: not kept)
    revision: Any = None  # the change log and what changed since (views.changes.Revision)
    built: datetime | None = None  # the build's time as published data states it (outputs/data.py)


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------

HOME = "index.md"
AGENDA = "chuong-trinh.md"
TIMELINE = "moc-thoi-gian.md"
POINTS = "diem-cau/index.md"
DUTIES = "nhiem-vu.md"
RULES = "quy-dinh.md"
DOCUMENTS = "tai-lieu.md"
CONTACTS = "lien-he.md"
INVITATION = "giay-moi.md"
MAKETS = "maket/index.md"
CHANGES = "thay-doi.md"  # every change since the site went out (views/changes.py)


def point_src(key: str) -> str:
    """A connection point's page, under a short path so that QR codes stay small."""
    return f"dc/{key}.md"


def group_src(head_key: str) -> str:
    """The index page of the points under one head (a province of a national meeting)."""
    return f"diem-cau/{head_key}/index.md"


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------

DATA_JSON = "du-lieu/hoi-nghi.json"  # the meeting as data (outputs/data.py)
FEED = "thay-doi.xml"  # the changes as an Atom feed (outputs/feed.py), also named in overrides/main.html
CARD = "assets/og.png"  # the link-preview card (also named in overrides/main.html)
INVITATION_PDF = "giay-moi/giay-moi.pdf"  # the invitation typeset from the page's paper
INVITATION_SIGNED = "giay-moi/ban-co-chu-ky.pdf"  # the signed original, when the meeting file gives one
PAPER_CSS = "assets/giay-moi.css"  # the paper's form, on screen and in print
LICENCE = "giay-phep.md"  # the page of licences and attributions, linked from every page's footer
NOTICES = "assets/GIAY-PHEP.txt"  # the same, with the licences' full texts
DOCUMENTS_FOLDER = "tai-lieu"  # attached documents: tai-lieu/<id>.<ext>

MEETING_ICS = "lich/hoi-nghi.ics"
ALL_ICS = "lich/moc-thoi-gian.ics"


def point_ics(key: str) -> str:
    return f"lich/dc/{key}.ics"


def agency_ics(agency_id: str) -> str:
    # A folder of its own: an agency id can never clash with hoi-nghi.ics or moc-thoi-gian.ics.
    return f"lich/co-quan/{agency_id}.ics"


def document_file(doc_id: str, suffix: str) -> str:
    return f"{DOCUMENTS_FOLDER}/{doc_id}{suffix}"


# A point's print files: kind -> (folder, what follows the point's key).
PRINT_FILES = {"qr_svg": ("qr", ".svg"), "qr_png": ("qr", ".png"), "svg": ("maket", ".svg"),
               "pdf": ("maket", ".pdf"), "a4": ("maket", "-a4.pdf"), "png": ("maket", ".png")}

ARCHIVE = "maket/maket-diem-cau.zip"
# When the connection-point index is split (views/index.py), one national archive would weigh 0.8 GB:
# then there is one archive per group of the index, and one for the points of its top page. A slug
# is never empty, so no group's name is one of the other two.
TOP_ARCHIVE = "maket/maket-cap-tren.zip"


def print_file(kind: str, key: str) -> str:
    folder, suffix = PRINT_FILES[kind]
    return f"{folder}/{key}{suffix}"


def group_archive(head_key: str) -> str:
    return f"maket/maket-diem-cau-{head_key}.zip"


# ---------------------------------------------------------------------------------------------
# Anchors: the ids that other pages link to, each written on exactly one element of its page
# ---------------------------------------------------------------------------------------------


def tier_anchor(tier_id: str) -> str:
    return f"tang-{tier_id}"


def deadline_anchor(deadline_id: str) -> str:
    return f"moc-{deadline_id}"


def duty_anchor(number: int) -> str:
    return f"nhiem-vu-{number}"


def document_anchor(doc_id: str) -> str:
    return f"van-ban-{doc_id}"


def session_anchor(number: int) -> str:
    return f"buoi-{number}"


def change_anchor(number: int) -> str:
    return f"cap-nhat-{number}"


# ---------------------------------------------------------------------------------------------
# URLs
# ---------------------------------------------------------------------------------------------


def url(src: str, directory_urls: bool = True) -> str:
    """The site-relative URL of a page ("dc/a.md" -> "dc/a/") or a file (its path)."""
    if not src.endswith(".md"):
        return src
    stem = src[:-3]
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        return stem[:-5]
    return f"{stem}/"


def absolute_url(options: SiteOptions, src: str, anchor: str | None = None) -> str | None:
    """The page's or file's address on the published site, None without a site_url. A QR code,
    a calendar's URL and the page's canonical URL are this same string."""
    if not options.site_url:
        return None
    base = options.site_url if options.site_url.endswith("/") else options.site_url + "/"
    return base + url(src, options.directory_urls) + (f"#{anchor}" if anchor else "")


def relative_url(from_src: str, to_src: str, directory_urls: bool = True) -> str:
    """The URL of page `to_src` as seen from page `from_src`, as MkDocs would write them.
    A `to_src` that is not a page (a file such as 'tai-lieu/tb-168.pdf') keeps its path."""
    return relative(base(url(from_src, directory_urls)), url(to_src, directory_urls))


def base(here: str) -> str:
    """The folder a page's relative links resolve against."""
    return posixpath.dirname(here) if not here.endswith("/") else here.rstrip("/")


def relative(start: str, there: str) -> str:
    """posixpath.relpath(there, start) without its trip to the file system (abspath calls getcwd),
    keeping the trailing slash of folder URLs; our paths are clean."""
    begin, parts = start.split("/") if start else [], there.rstrip("/").split("/") if there else []
    common = 0
    while common < min(len(begin), len(parts)) and begin[common] == parts[common]:
        common += 1
    rel = "/".join([".."] * (len(begin) - common) + parts[common:]) or "."
    if there.endswith("/") or there == "":
        rel = rel.rstrip("/") + "/" if rel != "." else "./"
    return rel


class Linker:
    """`link(target, anchor)` for one page: relative URLs as MkDocs writes them.

    Sibling pages (`dc/a/`, `dc/b/`: every point page) write the same relative URL for every
    target outside their own folder, so each is computed once for all of them (`shared`). A link
    to the page itself or below it is the page's own: `own_links` counts them, so that a fragment
    rendered once for many pages is never shared when it holds one.
    """

    def __init__(self, src: str, directory_urls: bool, shared: dict[tuple[str, str], str]) -> None:
        self.directory_urls = directory_urls
        here = url(src, directory_urls)
        self._base = base(here)
        if directory_urls and here:  # "x/a/" resolves links against "x/a/"
            self._own, self.group = here, posixpath.dirname(here.rstrip("/"))
        else:  # "x/a.html" resolves links against "x/", like every page of "x/"; the home page is alone
            self._own, self.group = None, (posixpath.dirname(here) if here else src)
        self._shared = shared
        self.own_links = 0

    def __call__(self, target: str, anchor: str | None = None) -> str:
        there = url(target, self.directory_urls)
        if self._own is not None and there.startswith(self._own):
            self.own_links += 1
            link = relative(self._base, there)
        else:
            link = self._shared.get((self.group, target))
            if link is None:
                link = self._shared[(self.group, target)] = relative(self._base, there)
        return f"{link}#{anchor}" if anchor else link
