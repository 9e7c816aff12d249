"""Every id is written once per page, so every link to a part of a page lands on one place.

A macro used in several places of one page (a deadline in a duty and in the agency's list, a duty
under each of its agencies) must not write its id each time: a browser goes to the first, and
"Theo nhiệm vụ số 2" can open the wrong agency's section.
"""

from __future__ import annotations

import functools
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree.ElementTree import Element

import pytest
from conftest import Built
from html_support import duplicate_ids, ids, parse

BASE = "http://site.invalid/"
SITES = ["real_site", "communes_site", "documents_site"]
LINKED_SITES = SITES


@functools.cache
def parsed_pages(site: Path) -> dict[str, Element]:
    """{site-relative file path: document tree} for every HTML page of the site (parsed once: two tests read it)."""
    return {path.relative_to(site).as_posix(): parse(path.read_text(encoding="utf-8"))
            for path in sorted(site.rglob("*.html"))}


def test_duplicates_are_found() -> None:
    page = '<p id="a">x</p><div id="b"><span id="a">y</span></div><svg><g id="c"/></svg>'
    assert ids(page) == ["a", "b", "a", "c"]
    assert duplicate_ids(page) == {"a": 2}


@pytest.mark.parametrize("site", SITES)
def test_every_id_is_written_once_per_page(request, site: str) -> None:
    built: Built = request.getfixturevalue(site)
    pages = parsed_pages(built.site)
    assert len(pages) > 10
    repeated = {path: found for path, tree in pages.items() if (found := duplicate_ids(tree))}
    assert not repeated, "\n".join(f"{path}: {found}" for path, found in sorted(repeated.items()))


def link_target(page: str, href: str) -> tuple[str, str] | None:
    """(site-relative HTML file, id) that a link on `page` (a site-relative file) points at, or None
    for a link with no fragment, to another host or scheme, or to a file that is not a page."""
    target = urlsplit(urljoin(BASE + page, href))
    if not target.fragment or f"{target.scheme}://{target.netloc}/" != BASE:
        return None
    file = unquote(target.path.lstrip("/"))
    if file == "" or file.endswith("/"):
        file += "index.html"
    return (file, unquote(target.fragment)) if file.endswith(".html") else None


def test_links_are_resolved_as_a_browser_does() -> None:
    assert link_target("nhiem-vu/index.html", "./#nhiem-vu-5") == ("nhiem-vu/index.html", "nhiem-vu-5")
    assert link_target("dc/tinh/index.html", "../../tai-lieu/#van-ban-tb-168") == ("tai-lieu/index.html",
                                                                                  "van-ban-tb-168")
    assert link_target("index.html", "#top") == ("index.html", "top")
    assert link_target("dc/tinh.html", "../diem-cau/index.html#tang-xa") == ("diem-cau/index.html", "tang-xa")
    for other in ("../nhiem-vu/", "mailto:a@b.vn", "tel:+84913294787", "https://example.org/#x",
                  "../lich/a.ics#x", "#"):
        assert link_target("dc/tinh/index.html", other) is None, other


@pytest.mark.parametrize("site", LINKED_SITES)
def test_every_link_to_a_part_of_a_page_names_one_element(request, site: str) -> None:
    """Each <a href="…#part"> within the site: its page exists and has exactly one element with that id."""
    built: Built = request.getfixturevalue(site)
    pages = parsed_pages(built.site)
    counts = {path: Counter(ids(tree)) for path, tree in pages.items()}
    links = [(path, a.get("href"), target) for path, tree in pages.items() for a in tree.iter("a")
             if a.get("href") and (target := link_target(path, a.get("href")))]
    assert len(links) > 50
    wrong = sorted({f"{path}: {href} -> {counts.get(file, Counter())[part]} elements"
                    for path, href, (file, part) in links if counts.get(file, Counter())[part] != 1})
    assert not wrong, "\n".join(wrong)
