"""A national meeting: the index splits per province, shared fragments and cached links stay right.

Speed and size are measured by tools/bench.py, not here; these tests check that the shortcuts
taken for speed change nothing a reader sees.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from html import unescape
from pathlib import Path

import pytest
from conftest import CASES, DATA, Built, build_site, load_data, write_meeting
from hypothesis import given
from hypothesis import strategies as st

from microsite import MeetingError, SiteOptions, load_meeting, routes, site
from microsite.outputs.maket import full_prints
from microsite.source.model import Maket
from microsite.views.index import MAX_POINTS_PER_PAGE, point_index
from microsite.render import pages as render_pages
from microsite.routes import MAKETS as MAKETS_PAGE
from microsite.source.load import parse_yaml

PROVINCES, DISTRICTS, COMMUNES = 3, 4, 41  # 1 + 3 + 12 + 492 = 508 points: more than one index page holds
HOSTILE = 'Tỉnh <b>Ba</b> "3" & *x* </title><script>alert(1)</script>'


def national_data(per_district: int = COMMUNES) -> dict:
    """The seed's meeting held at a national point, provinces, their districts and their communes."""
    data = load_data(DATA)
    old = {t["id"]: t for t in data["tiers"]}
    provinces, districts, communes = [], [], []
    for p in range(1, PROVINCES + 1):
        provinces.append({"slug": f"tinh-{p}", "name": f"Tỉnh Đông {p}", "place": f"Hội trường tỉnh Đông {p}"})
        for d in range(1, DISTRICTS + 1):
            districts.append({"slug": f"huyen-{p}-{d}", "name": f"Huyện Sơn {p}.{d}", "parent": f"tinh-{p}"})
            communes += [{"slug": f"xa-{p}-{d}-{c}", "name": f"Xã Hòa {p}.{d}.{c}", "parent": f"huyen-{p}-{d}"}
                         for c in range(1, per_district + 1)]
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
    for url in ("diem-cau/", "diem-cau/tinh-3/", "dc/xa-3-1-1/", "maket/"):
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


# ---------------------------------------------------------------------------------------------
# Makets at scale: the page lists the top index page's points and one line per group; one archive
# per group and one for the top page, never one of every point
# ---------------------------------------------------------------------------------------------

MAKET_SUFFIXES = (".pdf", ".svg", "-a4.pdf", "-qr.svg")


def _group(province: int) -> list[tuple[str, str]]:
    """(tier, slug) of a province and every point under it, as the test meeting has them."""
    points = [("tinh", f"tinh-{province}")]
    for d in range(1, DISTRICTS + 1):
        points.append(("huyen", f"huyen-{province}-{d}"))
        points += [("xa", f"xa-{province}-{d}-{c}") for c in range(1, COMMUNES + 1)]
    return points


def test_makets_page_lists_the_top_points_and_one_line_per_group(national_site: Built) -> None:
    page = national_site.html("maket/")
    assert len(page.encode()) < 60_000
    text = national_site.text("maket/")
    assert "6000 × 3000 mm" in text and "tỷ lệ 1:10" in text  # the shared facts stay
    assert "Xã Hòa" not in text and "Huyện Sơn" not in text  # the lower tiers are on their own pages
    article = re.search(r"<article.*</article>", page, re.S).group(0)
    files = re.findall(r'href="([^"#]+\.(?:pdf|svg|png|zip))"', article)
    # The national point and the provinces, 5 files each; the top page's archive; one per province.
    assert len(files) == 5 * (1 + PROVINCES) + 1 + PROVINCES
    assert 'href="maket-cap-tren.zip"' in article
    for p in range(1, PROVINCES + 1):
        line = re.search(rf'<li><strong>[^<]*</strong>: <a href="\.\./diem-cau/tinh-{p}/">(\d+) điểm cầu trực thuộc</a>'
                         rf' — <a href="maket-diem-cau-tinh-{p}\.zip" download>', article)
        assert line and int(line.group(1)) == DISTRICTS * (1 + COMMUNES), p
    assert "maket-diem-cau.zip" not in page and not (national_site.site / "maket" / "maket-diem-cau.zip").exists()


def test_an_archive_per_group_holds_exactly_its_points(national_site: Built) -> None:
    folder = national_site.site / "maket"
    assert sorted(p.name for p in folder.glob("*.zip")) == sorted(
        ["maket-cap-tren.zip", *(f"maket-diem-cau-tinh-{p}.zip" for p in range(1, PROVINCES + 1))])
    groups = {f"maket-diem-cau-tinh-{p}": _group(p) for p in range(1, PROVINCES + 1)}
    groups["maket-cap-tren"] = [("trung-uong", "trung-uong"), *(("tinh", f"tinh-{p}") for p in range(1, PROVINCES + 1))]
    for name, points in groups.items():
        with zipfile.ZipFile(folder / f"{name}.zip") as z:
            # Past 500 points the communes (the last tier) have their QR code only (maket.full_prints).
            expected = {f"{name}/{tier}/{key}{suffix}" for tier, key in points
                        for suffix in (("-qr.svg",) if tier == "xa" else MAKET_SUFFIXES)}
            assert set(z.namelist()) == expected | {f"{name}/HUONG-DAN-IN.txt", f"{name}/GIAY-PHEP.txt"}, name
            readme = z.read(f"{name}/HUONG-DAN-IN.txt").decode()
            assert "TỶ LỆ 1:10" in readme and readme.count("http://127.0.0.1:8000/dc/") == len(points)
            communes = sum(tier == "xa" for tier, _ in points)
            assert readme.count("chỉ có mã QR: phiên bản") == communes, name
            assert (f"{communes} điểm cầu trong tệp này chỉ có mã QR" in readme) == bool(communes), name
            tier, key = [p for p in points if p[0] != "xa"][-1]
            assert z.read(f"{name}/{tier}/{key}.pdf") == (folder / f"{key}.pdf").read_bytes()
    with zipfile.ZipFile(folder / "maket-diem-cau-tinh-1.zip") as z:  # a commune's code, for its own backdrop
        code = (national_site.site / "qr" / "xa-1-1-1.svg").read_bytes()
        assert z.read("maket-diem-cau-tinh-1/xa/xa-1-1-1-qr.svg") == code
    with zipfile.ZipFile(folder / "maket-diem-cau-tinh-3.zip") as z:
        assert HOSTILE in z.read("maket-diem-cau-tinh-3/HUONG-DAN-IN.txt").decode()  # plain text, as written


def test_a_point_page_offers_its_groups_archive(national_site: Built) -> None:
    for url in ("dc/xa-2-3-4/", "dc/huyen-2-1/", "dc/tinh-2/"):
        page = national_site.html(url)
        assert '<a href="../../maket/maket-diem-cau-tinh-2.zip" download>Maket của Tỉnh Đông 2 và các điểm cầu ' \
               'trực thuộc (ZIP, ' in page, url
        assert '<a href="../../maket/">Maket của tất cả điểm cầu</a>' in page
    assert ".zip" not in national_site.html("dc/trung-uong/")


def _print_files(built: Built, key: str) -> list[str]:
    """Which of a point's QR code (2 files) and print files (3 more) the site has."""
    names = [f"qr/{key}.svg", f"qr/{key}.png", f"maket/{key}.pdf", f"maket/{key}.svg", f"maket/{key}-a4.pdf"]
    return [name for name in names if (built.site / name).is_file()]


def test_past_500_points_the_lowest_tier_gets_its_qr_code_only(national_site: Built) -> None:
    for key in ("trung-uong", "tinh-1", "huyen-3-4"):
        assert len(_print_files(national_site, key)) == 5, key
    for key in ("xa-1-1-1", "xa-3-4-41"):
        assert _print_files(national_site, key) == [f"qr/{key}.svg", f"qr/{key}.png"], key
    assert not list((national_site.site / "maket").glob("xa-*"))
    assert "QR codes and makets: 508 points (16 with backdrop and poster)" in national_site.output
    # The commune's page: its code, one sentence saying why there is no maket and whom to ask, no dead link.
    page, text = national_site.html("dc/xa-2-3-4/"), national_site.text("dc/xa-2-3-4/")
    assert ("Hội nghị có 508 điểm cầu nên maket phông nền và tờ A4 không làm sẵn cho điểm cầu này: mã QR này dùng "
            "được cho maket tự làm; cần bản làm sẵn, xin đề nghị ban tổ chức qua đường dây nóng của hội nghị") in text
    assert '<a href="#lien-he">đường dây nóng của hội nghị</a>' in page
    assert 'id="lien-he"' in page and "Đường dây nóng của hội nghị" in text  # the numbers it points to are there
    links = re.findall(r'(?:href|src)="(\.\./\.\./(?:qr|maket)/[^"]*)"', page)
    assert sorted(set(links)) == ["../../maket/", "../../maket/maket-diem-cau-tinh-2.zip", "../../qr/xa-2-3-4.png",
                                  "../../qr/xa-2-3-4.svg"]
    for href in links:
        assert (national_site.site / "dc" / "xa-2-3-4" / href).resolve().exists(), href
    assert 'href="../../maket/huyen-2-3.pdf"' in national_site.html("dc/huyen-2-3/")
    assert "không làm sẵn" not in national_site.text("dc/huyen-2-3/")
    makets = national_site.text("maket/")
    assert "Điểm cầu cấp huyện: maket, tờ A4 và mã QR; Điểm cầu cấp xã: chỉ mã QR" in makets
    assert "maket.points" in makets and "maket.tiers" in makets


def test_without_a_hotline_a_commune_is_sent_to_the_contacts_page(tmp_path: Path) -> None:
    data = national_data()
    for contact in data["contacts"]:
        contact["tier"] = "tinh"  # no number left for every page: no "Đường dây nóng của hội nghị"
    m = load_meeting(write_meeting(tmp_path / "national.yaml", data))
    options = SiteOptions(site_url="http://127.0.0.1:8000/")  # as the built sites: their files are cached
    page = next(p for p in site(m, options)[0] if p.src == routes.point_src("xa-1-1-1")).html
    assert "Đường dây nóng" not in page
    assert ('cần bản làm sẵn, xin đề nghị ban tổ chức qua <a href="../../lien-he/">các số ở trang Liên hệ</a>.'
            in page)


def test_maket_points_gives_a_district_and_its_communes_every_file(tmp_path: Path) -> None:
    data = national_data()
    data["maket"]["points"] = ["huyen-1-1", "xa-2-1-1"]  # a district, and a commune of another that asked
    built = build_site(write_meeting(tmp_path / "asked.yaml", data), tmp_path / "site")
    assert built.returncode == 0, built.output
    for key in ["huyen-1-1", *(f"xa-1-1-{c}" for c in range(1, COMMUNES + 1)), "xa-2-1-1"]:
        assert len(_print_files(built, key)) == 5, key
    for key in ("xa-1-2-1", "xa-2-1-2"):
        assert len(_print_files(built, key)) == 2, key
    assert f"({16 + COMMUNES + 1} with backdrop and poster)" in built.output
    page = built.html("dc/xa-1-1-7/")
    assert 'href="../../maket/xa-1-1-7.pdf"' in page and 'href="../../maket/xa-1-1-7-a4.pdf"' in page
    assert "không làm sẵn" not in built.text("dc/xa-1-1-7/") and "không làm sẵn" in built.text("dc/xa-1-2-1/")
    assert f"Điểm cầu cấp xã: mã QR; maket và tờ A4 cho {COMMUNES + 1} trong 492 điểm cầu" in built.text("maket/")
    with zipfile.ZipFile(built.site / "maket" / "maket-diem-cau-tinh-1.zip") as z:
        assert z.read("maket-diem-cau-tinh-1/xa/xa-1-1-7.pdf") == (built.site / "maket" / "xa-1-1-7.pdf").read_bytes()


def test_maket_tiers_replaces_the_default_and_unknown_ids_stop_the_build(tmp_path: Path) -> None:
    def meeting(**maket_fields):
        data = national_data()
        data["maket"].update(maket_fields)
        return load_meeting(write_meeting(tmp_path / "national.yaml", data), "data/meeting.yaml")

    m = meeting()
    assert point_index(m).split
    assert full_prints(m, True) == {p.key for tier, p in m.points if tier.id != "xa"}
    everything = meeting(tiers=["trung-uong", "tinh", "huyen", "xa"])
    assert full_prints(everything, True) == {p.key for _, p in m.points}
    chosen = meeting(tiers=["tinh"], points=["huyen-1-1"])
    assert full_prints(chosen, True) == {"tinh-1", "tinh-2", "tinh-3", "huyen-1-1",
                                         *(f"xa-1-1-{c}" for c in range(1, COMMUNES + 1))}
    seed = load_meeting(DATA)  # up to 500 points: every point, as before
    assert full_prints(seed, point_index(seed).split) == {p.key for _, p in seed.points}
    # The model's description names the same threshold as the index.
    assert f"trên {MAX_POINTS_PER_PAGE} điểm cầu" in Maket.model_fields["tiers"].description
    with pytest.raises(MeetingError) as info:
        meeting(tiers=["tinh", "phuong"], points=["huyen-9-9"])
    lines = (tmp_path / "national.yaml").read_text(encoding="utf-8").splitlines()
    at = {word: next(i for i, line in enumerate(lines, 1) if line.strip() == f"- {word}")
          for word in ("phuong", "huyen-9-9")}
    problems = [str(p) for p in info.value.problems]
    assert len(problems) == 2, problems
    assert problems[0].startswith(f"data/meeting.yaml:{at['phuong']}:5: maket.tiers[1]: không có cấp điểm cầu nào có "
                                  "mã 'phuong'"), problems
    assert problems[1].startswith(f"data/meeting.yaml:{at['huyen-9-9']}:5: maket.points[0]: không có điểm cầu nào có "
                                  "tên đường dẫn 'huyen-9-9'"), problems


def test_the_makets_page_does_not_grow_with_the_number_of_points(tmp_path: Path) -> None:
    options = SiteOptions(site_url="http://127.0.0.1:8000/")  # as the built sites: their makets are cached
    sizes = []
    for communes in (COMMUNES, COMMUNES + 19):  # 508 and 736 points
        m = load_meeting(write_meeting(tmp_path / f"national-{communes}.yaml", national_data(communes)))
        page = next(p for p in site(m, options)[0] if p.src == MAKETS_PAGE)
        assert "Xã Hòa" not in page.html
        sizes.append(len(page.html.encode()))
    assert sizes[1] <= sizes[0] * 1.01, sizes  # only the counts and archive sizes differ


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
    monkeypatch.setattr(render_pages, "_identity", lambda value: object())  # no two keys are equal

    class Unshared(routes.Linker):
        def __call__(self, target, anchor=None):
            self.own_links += 1  # never shared
            return routes.relative_url(self.src, target, self.directory_urls) + (f"#{anchor}" if anchor else "")

        def __init__(self, src, directory_urls, shared):
            super().__init__(src, directory_urls, shared)
            self.src = src
    monkeypatch.setattr(render_pages, "Linker", Unshared)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_shared_fragments_and_links_change_nothing(tmp_path: Path, monkeypatch, directory_urls: bool) -> None:
    data = national_data()
    data["tiers"][2]["points"][0]["prepared_by"] = ["dien-luc"]  # one district prepared by another agency too
    meetings = [load_meeting(write_meeting(tmp_path / "national.yaml", data)),
                load_meeting(CASES / "valid" / "communes.yaml"), load_meeting(DATA)]
    options = SiteOptions(directory_urls=directory_urls, site_url="https://hoinghi.example.vn/")
    fast = [[(p.src, p.html) for p in site(m, options)[0]] for m in meetings]
    _unshared(monkeypatch)
    slow = [[(p.src, p.html) for p in site(m, options)[0]] for m in meetings]
    assert fast == slow


_SEGMENT = st.sampled_from(["a", "b", "dc", "diem-cau", "index", "x-1"])


@given(st.lists(_SEGMENT, min_size=1, max_size=4), st.lists(_SEGMENT, min_size=1, max_size=4), st.booleans())
def test_relative_url_is_posixpath_relpath(source: list[str], target: list[str], directory_urls: bool) -> None:
    from_src, to_src = "/".join(source) + ".md", "/".join(target) + ".md"
    here, there = routes.url(from_src, directory_urls), routes.url(to_src, directory_urls)
    base = posixpath.dirname(here) if not here.endswith("/") else here.rstrip("/")
    expected = posixpath.relpath(there or ".", base or ".")
    if there.endswith("/") or there == "":
        expected = expected.rstrip("/") + "/" if expected != "." else "./"
    assert routes.relative_url(from_src, to_src, directory_urls) == expected


@pytest.mark.parametrize("case", [DATA, *sorted((CASES / "valid").glob("*.yaml"))], ids=lambda p: p.stem)
def test_libyaml_and_pyyaml_read_a_file_alike(case: Path, monkeypatch) -> None:
    from microsite.source import load

    raw = case.read_bytes()
    fast = parse_yaml(raw, "x")
    monkeypatch.setattr(load, "_FastLoader", None)
    slow = parse_yaml(raw, "x")
    assert (fast.data, fast.positions, fast.keys) == (slow.data, slow.positions, slow.keys)
