"""A national meeting: the index splits per province, shared fragments and cached links stay right.

Speed and size are measured by tools/bench.py, not here; these tests check that the shortcuts
taken for speed change nothing a reader sees.
"""

from __future__ import annotations

import posixpath
import re
from html import unescape
from pathlib import Path

import pytest
from conftest import CASES, DATA, Built, build_site, load_data, write_meeting
from hypothesis import given
from hypothesis import strategies as st

from microsite import SiteOptions, build_pages, load_meeting, pages
from microsite.index import MAX_POINTS_PER_PAGE
from microsite.load import parse_yaml

PROVINCES, DISTRICTS, COMMUNES = 3, 4, 41  # 1 + 3 + 12 + 492 = 508 points: more than one index page holds
HOSTILE = 'Tỉnh <b>Ba</b> "3" & *x* </title><script>alert(1)</script>'


def national_data() -> dict:
    """The seed's meeting held at a national point, provinces, their districts and their communes."""
    data = load_data(DATA)
    old = {t["id"]: t for t in data["tiers"]}
    provinces, districts, communes = [], [], []
    for p in range(1, PROVINCES + 1):
        provinces.append({"slug": f"tinh-{p}", "name": f"Tỉnh Đông {p}", "place": f"Hội trường tỉnh Đông {p}"})
        for d in range(1, DISTRICTS + 1):
            districts.append({"slug": f"huyen-{p}-{d}", "name": f"Huyện Sơn {p}.{d}", "parent": f"tinh-{p}"})
            communes += [{"slug": f"xa-{p}-{d}-{c}", "name": f"Xã Hòa {p}.{d}.{c}", "parent": f"huyen-{p}-{d}"}
                         for c in range(1, COMMUNES + 1)]
    provinces[2]["name"] = HOSTILE  # its name lands in titles, links and headings of the group pages
    data["tiers"] = [
        {"id": "trung-uong", "name": "Điểm cầu Trung ương",
         "points": [{"slug": "trung-uong", "name": "Điểm cầu Trung ương"}]},
        {**old["tinh"], "points": provinces},
        {**old["huyen"], "points": districts},
        {**old["xa"], "points": communes},
    ]
    # A duty naming two communes of one district: only their pages carry it, each linking to both.
    data["duties"].append({"number": 10, "agencies": ["vien-thong"], "points": ["xa-1-1-1", "xa-1-1-2"],
                           "text": "Viễn thông kiểm tra đường truyền tại hai xã."})
    return data


@pytest.fixture(scope="session")
def national_site(tmp_path_factory) -> Built:
    folder = tmp_path_factory.mktemp("national")
    built = build_site(write_meeting(folder / "national.yaml", national_data()), folder / "site")
    assert built.returncode == 0, built.output
    return built


def test_the_test_meeting_is_larger_than_one_index_page() -> None:
    assert 1 + PROVINCES * (1 + DISTRICTS * (1 + COMMUNES)) > MAX_POINTS_PER_PAGE


def test_large_index_has_one_page_per_province(national_site: Built) -> None:
    top = national_site.text("diem-cau/")
    assert "508 điểm cầu" in top
    assert "Tỉnh Đông 2" in top and "Điểm cầu Trung ương" in top
    assert "Xã Hòa" not in top and "Huyện Sơn" not in top  # the lower tiers are on the group pages
    page = national_site.html("diem-cau/")
    assert 'href="tinh-2/"' in page  # the province's own group page
    assert 'href="tinh-2/#tang-xa"' in page and 'href="tinh-2/#tang-huyen"' in page
    assert len(page.encode()) < 60_000
    groups = sorted(p.name for p in (national_site.site / "diem-cau").iterdir() if p.is_dir())
    assert groups == ["tinh-1", "tinh-2", "tinh-3"]
    second = national_site.text("diem-cau/tinh-2/")
    assert "Xã Hòa 2.4.41" in second and "Huyện Sơn 2.1" in second
    assert "Xã Hòa 1.1.1" not in second and "Xã Hòa 3.1.1" not in second
    assert f"{DISTRICTS * (1 + COMMUNES)} điểm cầu thuộc Tỉnh Đông 2" in second
    assert 'id="tang-xa"' in national_site.html("diem-cau/tinh-2/")


def test_a_hostile_province_name_stays_text_on_the_index_pages(national_site: Built) -> None:
    for url in ("diem-cau/", "diem-cau/tinh-3/", "dc/xa-3-1-1/"):
        page = national_site.html(url)
        assert "<script>alert" not in page and "<b>Ba" not in page, url
        assert HOSTILE in national_site.text(url), url
    assert "<title>Điểm cầu: Tỉnh &lt;b&gt;Ba&lt;/b&gt;" in national_site.html("diem-cau/tinh-3/")


def test_a_commune_page_leads_back_to_its_province_list(national_site: Built) -> None:
    commune = national_site.html("dc/xa-2-3-4/")
    assert '<a href="../../diem-cau/tinh-2/#tang-xa">← Các điểm cầu thuộc Tỉnh Đông 2</a>' in commune
    province = national_site.html("dc/tinh-2/")
    assert '<a href="../../diem-cau/#tang-tinh">← Tất cả điểm cầu</a>' in province


def test_group_pages_stay_out_of_the_navigation(national_site: Built) -> None:
    page = national_site.html("diem-cau/tinh-1/")
    nav = page.split('class="md-nav md-nav--primary"', 1)[1].split("md-sidebar--secondary", 1)[0]
    assert "Tỉnh Đông" not in nav
    assert "The following pages exist in the docs directory, but are not included" not in national_site.output


def test_small_index_stays_one_page(real_site: Built) -> None:
    assert not [p for p in (real_site.site / "diem-cau").iterdir() if p.is_dir()]
    assert '<a href="../../diem-cau/#tang-huyen">← Tất cả điểm cầu</a>' in real_site.html("dc/huong-son/")


def test_index_pages_have_a_filter_box_run_by_an_external_script(real_site: Built, national_site: Built) -> None:
    for built, url, script in ((real_site, "diem-cau/", "../assets/points-filter.js"),
                               (national_site, "diem-cau/tinh-1/", "../../assets/points-filter.js")):
        page = built.html(url)
        assert re.search(r'<div class="ms-filter" hidden>\s*<label[^>]*for="ms-filter"', page)
        assert f'<script src="{script}"></script>' in page
    js = (real_site.site / "assets" / "points-filter.js").read_text(encoding="utf-8")
    assert ".ms-pointgroup" in js and "innerHTML" not in js


def _anchors(page: str) -> list[tuple[str, str]]:
    return [(unescape(h), unescape(re.sub(r"<[^>]+>", "", t)).strip())
            for h, t in re.findall(r'<a\b[^>]*?href="([^"]*)"[^>]*>(.*?)</a>', page, re.S)]


@pytest.mark.parametrize("fixture", ["real_site", "communes_site", "national_site"])
def test_every_link_leads_to_an_existing_page_and_every_point_link_to_that_point(fixture, request) -> None:
    """Links are computed once for many pages, and whole blocks are shared between point pages."""
    built: Built = request.getfixturevalue(fixture)
    names = {}
    for tier_page in built.site.glob("dc/*/index.html"):
        title = re.search(r"<h1[^>]*>(.*?)<", tier_page.read_text(encoding="utf-8"), re.S).group(1)
        names[unescape(title).strip()] = tier_page.parent.name
    checked = 0
    for page in built.pages():
        url = page.relative_to(built.site).as_posix()
        folder = posixpath.dirname(url)
        for href, text in _anchors(page.read_text(encoding="utf-8")):
            if re.match(r"^(?:[a-z]+:|#|/)", href):  # other schemes, same page, absolute (404.html)
                continue
            target = posixpath.normpath(posixpath.join(folder, href.split("#")[0]))
            path = built.site / target
            assert (path / "index.html").exists() or path.is_file(), (url, href)
            if text in names and target.startswith("dc/"):
                assert target == f"dc/{names[text]}", (url, href, text)
                checked += 1
    assert checked > 10


def test_a_duty_naming_some_points_is_on_their_pages_only(national_site: Built) -> None:
    for slug in ("xa-1-1-1", "xa-1-1-2"):
        text = national_site.text(f"dc/{slug}/")
        assert "Viễn thông kiểm tra đường truyền tại hai xã." in text
        assert "Xã Hòa 1.1.1" in text and "Xã Hòa 1.1.2" in text
    assert "Viễn thông kiểm tra đường truyền" not in national_site.text("dc/xa-1-1-3/")


def _unshared(monkeypatch) -> None:
    """Render every fragment afresh and compute every link from scratch, as before the shortcuts."""
    monkeypatch.setattr(pages._Memo, "_fragment", staticmethod(lambda key, ctx, link, caller: caller()))

    def linker(self, src):
        return lambda target, anchor=None: pages.relative_url(src, target, self.options.directory_urls) + (
            f"#{anchor}" if anchor else "")
    monkeypatch.setattr(pages._Context, "linker", linker)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_shared_fragments_and_links_change_nothing(tmp_path: Path, monkeypatch, directory_urls: bool) -> None:
    data = national_data()
    data["tiers"][2]["points"][0]["prepared_by"] = ["dien-luc"]  # one district prepared by another agency too
    meetings = [load_meeting(write_meeting(tmp_path / "national.yaml", data)),
                load_meeting(CASES / "valid" / "communes.yaml"), load_meeting(DATA)]
    options = SiteOptions(directory_urls=directory_urls, site_url="https://hoinghi.example.vn/")
    fast = [[(p.src, p.markdown) for p in build_pages(m, options)] for m in meetings]
    _unshared(monkeypatch)
    slow = [[(p.src, p.markdown) for p in build_pages(m, options)] for m in meetings]
    assert fast == slow


_SEGMENT = st.sampled_from(["a", "b", "dc", "diem-cau", "index", "x-1"])


@given(st.lists(_SEGMENT, min_size=1, max_size=4), st.lists(_SEGMENT, min_size=1, max_size=4), st.booleans())
def test_relative_url_is_posixpath_relpath(source: list[str], target: list[str], directory_urls: bool) -> None:
    from_src, to_src = "/".join(source) + ".md", "/".join(target) + ".md"
    here, there = pages._url(from_src, directory_urls), pages._url(to_src, directory_urls)
    base = posixpath.dirname(here) if not here.endswith("/") else here.rstrip("/")
    expected = posixpath.relpath(there or ".", base or ".")
    if there.endswith("/") or there == "":
        expected = expected.rstrip("/") + "/" if expected != "." else "./"
    assert pages.relative_url(from_src, to_src, directory_urls) == expected


@pytest.mark.parametrize("case", [DATA, *sorted((CASES / "valid").glob("*.yaml"))], ids=lambda p: p.stem)
def test_libyaml_and_pyyaml_read_a_file_alike(case: Path, monkeypatch) -> None:
    from microsite import load

    raw = case.read_bytes()
    fast = parse_yaml(raw, "x")
    monkeypatch.setattr(load, "_FastLoader", None)
    slow = parse_yaml(raw, "x")
    assert (fast.data, fast.positions, fast.keys) == (slow.data, slow.positions, slow.keys)
