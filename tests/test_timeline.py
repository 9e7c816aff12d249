"""The timeline page and the calendar links, as served (no JavaScript)."""

from __future__ import annotations

import posixpath
import re
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

from conftest import DATA, Built, visible_text
from html_support import parse, section

from microsite import SiteOptions, load_meeting, site


class _Moments(HTMLParser):
    """The timeline items: id, data-at, and the text inside each."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[dict] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "li" and "data-at" in a:
            self.items.append({"id": a.get("id"), "at": a["data-at"], "end": a.get("data-end"), "text": ""})
            self.depth = 1
        elif self.depth and tag == "li":
            self.depth += 1

    def handle_endtag(self, tag):
        if self.depth and tag == "li":
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.items[-1]["text"] += data


def moments(page: str) -> list[dict]:
    parser = _Moments()
    parser.feed(page)
    return parser.items


def test_timeline_lists_every_moment_in_time_order(real_site: Built) -> None:
    items = moments(real_site.html("moc-thoi-gian/"))
    assert [i["id"] for i in items] == ["moc-dang-ky-diem-cau-xa", "moc-bao-cao-so-luong-dai-bieu",
                                        "moc-chay-thu-duong-truyen", "co-mat", "buoi-1"]
    instants = [datetime.fromisoformat(i["at"]) for i in items]
    assert instants == sorted(instants)
    assert all(i["at"].endswith("+07:00") for i in items)
    assert items[3]["at"] == "2021-09-30T07:20+07:00"  # be seated: ten minutes before 07h30
    assert items[4]["at"] == "2021-09-30T07:30+07:00"


def test_timeline_says_who_acts_and_where_each_moment_comes_from(real_site: Built) -> None:
    page = real_site.html("moc-thoi-gian/")
    by_id = {i["id"]: " ".join(i["text"].split()) for i in moments(page)}
    assert "16h, thứ Ba, ngày 28/9/2021" in by_id["moc-dang-ky-diem-cau-xa"]
    assert "Thực hiện: Thường trực các huyện, thành, thị ủy, đảng ủy trực thuộc" in by_id["moc-dang-ky-diem-cau-xa"]
    assert "Theo mục Điểm cầu cấp xã" in by_id["moc-dang-ky-diem-cau-xa"]
    assert "Theo nhiệm vụ số 5" in by_id["moc-bao-cao-so-luong-dai-bieu"]
    assert "dự kiến" in by_id["moc-chay-thu-duong-truyen"] and "Theo nhiệm vụ số 3" in by_id["moc-chay-thu-duong-truyen"]
    assert "Đề nghị đại biểu có mặt trước 10 phút để ổn định tổ chức." in by_id["co-mat"]
    assert "07h30, thứ Năm, ngày 30/9/2021" in by_id["buoi-1"]
    assert 'href="../nhiem-vu/#nhiem-vu-5"' in page and 'href="../chuong-trinh/#buoi-1"' in page
    assert 'href="../diem-cau/#tang-xa"' in page
    text = visible_text(page)
    # Without the script, the page states the zone and no stale "past"/"next" labels.
    assert "Mọi giờ trên trang là giờ Việt Nam (UTC+07:00)" in text
    assert "Đã qua" not in text and "Sắp tới" not in text
    for day in ("Thứ Ba, ngày 28/9/2021", "Thứ Tư, ngày 29/9/2021", "Thứ Năm, ngày 30/9/2021"):
        assert day in text


def test_timeline_is_in_the_navigation_and_loads_its_script_as_a_file(real_site: Built) -> None:
    page = real_site.html("moc-thoi-gian/")
    nav = page.split('class="md-nav md-nav--primary"', 1)[1].split("md-sidebar--secondary", 1)[0]
    assert "Mốc thời gian" in nav
    assert '<script src="../assets/countdown.js"></script>' in page
    assert '<script src="../assets/reports.js"></script>' in page
    for name in ("countdown.js", "reports.js"):
        script = (real_site.site / "assets" / name).read_text(encoding="utf-8")
        assert "getTimezoneOffset" not in script and "toLocale" not in script  # never the phone's zone
        assert "eval(" not in script and "innerHTML" not in script


def _ics_links(built: Built) -> list[tuple[Path, str]]:
    out = []
    for page in built.pages():
        for href in re.findall(r'href="([^"#?]+\.ics)"', page.read_text(encoding="utf-8")):
            out.append((page, href))
    return out


def test_calendar_links_are_on_home_point_and_agency_pages_and_resolve(real_site: Built) -> None:
    links = _ics_links(real_site)
    for page, href in links:
        target = posixpath.normpath(posixpath.join(str(page.parent), href))
        assert Path(target).is_file(), (page, href)
    by_page = {}
    for page, href in links:
        by_page.setdefault(str(page.relative_to(real_site.site)), set()).add(href)
    assert "lich/hoi-nghi.ics" in by_page["index.html"]
    assert by_page["dc/huong-son/index.html"] == {"../../lich/dc/huong-son.ics"}
    assert "../lich/moc-thoi-gian.ics" in by_page["moc-thoi-gian/index.html"]
    duties = parse(real_site.html("nhiem-vu/"))
    for agency in ("ban-tuyen-giao", "thuong-truc-cap-huyen", "vien-thong", "dien-luc", "so-y-te"):
        hrefs = [a.get("href") for a in section(duties, agency).find_all("a")]
        assert [h for h in hrefs if h.endswith(".ics")] == [f"../lich/co-quan/{agency}.ics"], agency
    assert len(by_page["nhiem-vu/index.html"]) == 12  # every agency with a section (all but Thường trực Tỉnh ủy)


def test_file_links_without_directory_urls() -> None:
    m = load_meeting(DATA)
    pages = {p.src: p.html for p in site(m, SiteOptions(directory_urls=False, site_url="https://hoinghi.example.vn/"))[0]}
    assert 'href="../lich/dc/huong-son.ics"' in pages["dc/huong-son.md"]
    assert 'href="lich/hoi-nghi.ics"' in pages["index.md"]
    assert 'href="lich/co-quan/vien-thong.ics"' in pages["nhiem-vu.md"]
