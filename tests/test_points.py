"""What each connection point's page holds (issue 15): its own contacts, then its parent's, then the
meeting's; only the duties and deadlines that concern it, each once; its sections in the order its
delegates and technicians use them; the same contacts in its calendar and on its A4 poster.

Two meetings are built: the seed (with one commune point added, as its own comment shows how) and a
two-tier state meeting (tests/cases/valid/state_two_tier.yaml: a province and its communes).
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from conftest import CASES, DATA, Built, build_site, load_data, write_meeting
from html_support import parse, section, text_of
from icalendar import Calendar

from microsite import MeetingError, load_meeting
from microsite.views.relations import Relations

STATE = CASES / "valid" / "state_two_tier.yaml"


@pytest.fixture(scope="module")
def seed_site(tmp_path_factory) -> Built:
    tmp = tmp_path_factory.mktemp("seed-commune")
    data = load_data(DATA)
    data["tiers"][2]["points"] = [{"name": "Xã Sơn Tây", "parent": "huong-son"}]  # the seed's own example
    built = build_site(write_meeting(tmp / "meeting.yaml", data), tmp / "site")
    assert built.returncode == 0, built.output
    return built


@pytest.fixture(scope="module")
def state_site(tmp_path_factory) -> Built:
    built = build_site(STATE, tmp_path_factory.mktemp("state") / "site")
    assert built.returncode == 0, built.output
    return built


def duty_numbers(page) -> list[int]:
    return [int(text_of([el.find("p")], tails=False).split(".")[0]) for el in page.iter("div")
            if "ms-duty" in (el.get("class") or "").split()]


def deadline_titles(page) -> list[str]:
    return [text_of([el.find("p[@class='ms-deadline__what']")], tails=False) for el in page.iter("li")
            if "ms-deadline" in (el.get("class") or "").split()]


def titles(data: dict, ids: set[str]) -> list[str]:
    return sorted(d["title"] for d in data["deadlines"] if d["id"] in ids)


# ---------------------------------------------------------------------------------------------
# Duties and deadlines, per page type
# ---------------------------------------------------------------------------------------------

SEED_PAGES = {
    # page: (duties, deadlines and events that concern it)
    "dc/tinh/": ({1, 2, 3, 4, 6, 7, 8, 9}, {"chay-thu-duong-truyen"}),
    "dc/huong-son/": ({5}, {"dang-ky-diem-cau-xa", "bao-cao-so-luong-dai-bieu", "chay-thu-duong-truyen"}),
    "dc/quan-su-tinh/": ({5}, {"dang-ky-diem-cau-xa", "bao-cao-so-luong-dai-bieu", "chay-thu-duong-truyen"}),
    # A commune's people neither register communes nor send the district's report.
    "dc/xa-son-tay-huong-son/": ({5}, {"chay-thu-duong-truyen"}),
}
STATE_PAGES = {
    "dc/tinh/": ({1, 2, 4}, {"bao-cao-tong-ket", "chay-thu"}),  # agencies of no tier act at the province
    "dc/xa-an-phu/": ({3, 5}, {"danh-sach-dai-bieu", "chay-thu"}),  # duty 5 names this commune
    "dc/xa-binh-minh/": ({3}, {"danh-sach-dai-bieu", "chay-thu"}),
    "dc/phuong-dong-hoa/": ({3}, {"danh-sach-dai-bieu", "chay-thu"}),
}


@pytest.mark.parametrize("which", ["seed", "state"])
def test_each_page_type_holds_its_own_duties_and_deadlines_each_once(which: str, request) -> None:
    built = request.getfixturevalue(f"{which}_site")
    pages = SEED_PAGES if which == "seed" else STATE_PAGES
    data = load_data(DATA if which == "seed" else STATE)
    for url, (duties, deadlines) in pages.items():
        page = parse(built.html(url))
        found_duties, found_deadlines = duty_numbers(page), deadline_titles(page)
        assert set(found_duties) == duties, url
        assert sorted(set(found_deadlines)) == titles(data, deadlines), url
        repeated = [t for t, n in Counter(found_duties + found_deadlines).items() if n > 1]
        assert not repeated, (url, repeated)


def test_duty_2_is_on_the_provincial_page_only(seed_site: Built) -> None:
    text = "chuẩn bị nội dung theo Thông báo số 168-TB/TU"
    assert text in seed_site.text("dc/tinh/")
    for url in ("dc/huong-son/", "dc/xa-son-tay-huong-son/"):
        assert text not in seed_site.text(url)


def test_duties_page_shows_each_deadline_once_per_section(seed_site: Built, state_site: Built) -> None:
    for built in (seed_site, state_site):
        page = parse(built.html("nhiem-vu/"))
        agencies = [h.get("id") for h in page.iter("h2") if h.get("id")]
        assert agencies
        for agency in agencies:
            cards = Counter(deadline_titles(section(page, agency)))
            assert all(n == 1 for n in cards.values()), (agency, cards)
    # The district offices' section still holds the 11h report, under duty 5, once.
    cards = deadline_titles(section(parse(seed_site.html("nhiem-vu/")), "thuong-truc-cap-huyen"))
    assert cards.count("Báo cáo danh sách thành phần, số lượng đại biểu và số điểm cầu cấp xã") == 1


# ---------------------------------------------------------------------------------------------
# The order of a point page's sections
# ---------------------------------------------------------------------------------------------

ORDER = ["lien-he", "thanh-phan", "viec-can-lam", "chay-thu", "tai-lieu", "truc-thuoc", "bao-cao", "ma-qr"]


@pytest.mark.parametrize("url", ["dc/tinh/", "dc/huong-son/", "dc/xa-son-tay-huong-son/"])
def test_sections_come_in_the_order_they_are_used(seed_site: Built, url: str) -> None:
    page = parse(seed_site.html(url))
    found = [h.get("id") for h in page.iter("h2")]
    assert found == [i for i in ORDER if i in found], found
    assert {"lien-he", "thanh-phan", "chay-thu", "ma-qr"} <= set(found)
    if url == "dc/huong-son/":  # its commune before its forms
        assert found.index("truc-thuoc") < found.index("bao-cao")


# ---------------------------------------------------------------------------------------------
# Contacts: own, parent's, the meeting's; on the page, in the calendar, on the poster
# ---------------------------------------------------------------------------------------------

CONTACTS = {
    "xa-binh-minh": ["Lê Văn Kỹ", "Tổ hỗ trợ kỹ thuật cấp xã", "Trần Thị Hậu", "Nguyễn Văn Nóng"],
    "xa-an-phu": ["Phạm Thị Mối", "Tổ hỗ trợ kỹ thuật cấp xã", "Trần Thị Hậu", "Nguyễn Văn Nóng"],
    "phuong-dong-hoa": ["Tổ hỗ trợ kỹ thuật cấp xã", "Trần Thị Hậu", "Nguyễn Văn Nóng"],
    "tinh": ["Trần Thị Hậu", "Nguyễn Văn Nóng"],
}
PHONES = {"Lê Văn Kỹ": "0900 000 301", "Tổ hỗ trợ kỹ thuật cấp xã": "0900 000 200", "Trần Thị Hậu": "0900 000 101",
          "Nguyễn Văn Nóng": "0900 000 001", "Phạm Thị Mối": "0900 000 401"}


def tel(phone: str) -> str:
    return "tel:+84" + phone.replace(" ", "")[1:]


@pytest.mark.parametrize("key", CONTACTS)
def test_a_point_leads_with_its_own_contacts_then_its_parents_then_the_meetings(state_site: Built, key: str) -> None:
    page = parse(state_site.html(f"dc/{key}/"))
    contacts = section(page, "lien-he")
    names = [text_of([p.find("strong")], tails=False) for p in contacts.find_all("p", "ms-contact__name")]
    assert names == CONTACTS[key]
    calls = [a.get("href") for a in contacts.find_all("a", "ms-call")]
    assert calls == [tel(PHONES[n]) for n in CONTACTS[key]]  # tap-to-call, each
    groups = [text_of([p], tails=False) for p in contacts.find_all("p", "ms-subhead")]
    assert groups[-1] == "Đường dây nóng của hội nghị"
    if key != "tinh":
        assert "Điểm cầu cấp trên: Điểm cầu tỉnh" in groups
    # The first screen: the hall's nearest number and the meeting's, as tap-to-call links.
    hero = [a.get("href") for a in page.iter("a") if "ms-hero__call" in (a.get("class") or "").split()]
    assert hero[0] == tel(PHONES[CONTACTS[key][0]]) and hero[-1] == tel(PHONES["Nguyễn Văn Nóng"])


def test_a_contact_meant_for_a_point_is_not_the_meetings(state_site: Built) -> None:
    assert "Phạm Thị Mối" not in state_site.text("")  # home: the meeting's numbers only
    assert "Phạm Thị Mối" not in state_site.text("dc/xa-binh-minh/")


def test_the_seed_has_no_point_contacts_and_keeps_its_hotline(seed_site: Built) -> None:
    contacts = section(parse(seed_site.html("dc/xa-son-tay-huong-son/")), "lien-he")
    assert [text_of([p.find("strong")], tails=False) for p in contacts.find_all("p", "ms-contact__name")] == [
        "Đặng Văn Hùng"]


def test_the_calendar_carries_the_same_contacts_in_the_same_order(state_site: Built) -> None:
    cal = Calendar.from_ical((state_site.site / "lich" / "dc" / "xa-binh-minh.ics").read_bytes())
    events = [e for e in cal.walk("VEVENT")]
    assert len(events) == 2  # both sessions
    for event in events:
        description = str(event["DESCRIPTION"])
        lines = description.split("Liên hệ:\n", 1)[1].splitlines()
        assert [re.sub(r"^- (?:[^:]+: )?([^,]+),.*", r"\1", line) for line in lines[:4]] == CONTACTS["xa-binh-minh"]
        assert "- Kỹ thuật: Lê Văn Kỹ, 0900 000 301, ky.binhminh@example.gov.vn" in lines


def test_the_a4_poster_carries_the_contacts_with_tap_to_call_links(state_site: Built) -> None:
    poster = state_site.site / "maket" / "xa-binh-minh-a4.pdf"
    words = subprocess.run(["pdftotext", "-layout", str(poster), "-"], capture_output=True, text=True,
                           check=True).stdout
    at = [words.index(name) for name in CONTACTS["xa-binh-minh"]]
    assert at == sorted(at)
    data = poster.read_bytes()
    for name in CONTACTS["xa-binh-minh"]:
        assert tel(PHONES[name]).encode() in data, name  # a link annotation over the line


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------


def problems(tmp_path: Path, data: dict) -> list[str]:
    path = write_meeting(tmp_path / "state_two_tier.yaml", data)
    (tmp_path / "maket-mau.svg").write_bytes((CASES / "valid" / "maket-mau.svg").read_bytes())
    with pytest.raises(MeetingError) as info:
        load_meeting(path, "data/meeting.yaml")
    return [str(p) for p in info.value.problems]


def test_a_contact_whose_point_does_not_exist_is_named_with_its_line(tmp_path: Path) -> None:
    data = load_data(STATE)
    data["contacts"][1]["point"] = "xa-an-phuu"
    data["contacts"].append({"id": "cap-khac", "name": "Ai đó", "phone": "0900 000 999", "tier": "huyen"})
    found = problems(tmp_path, data)
    assert len(found) == 2
    assert re.fullmatch(r"data/meeting\.yaml:\d+:\d+: contacts\[1\]\.point: không có điểm cầu 'xa-an-phuu' "
                        r"trong tệp này; có phải 'xa-an-phu'\?", found[0]), found
    assert re.fullmatch(r"data/meeting\.yaml:\d+:\d+: contacts\[2\]\.tier: không có cấp điểm cầu 'huyen' trong tệp này",
                        found[1]), found


def test_a_bad_contact_leaves_the_published_site_untouched(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("trang cũ", encoding="utf-8")
    data = load_data(STATE)
    data["contacts"][1]["point"] = "khong-co"
    (tmp_path / "maket-mau.svg").write_bytes((CASES / "valid" / "maket-mau.svg").read_bytes())
    built = build_site(write_meeting(tmp_path / "meeting.yaml", data), site)
    assert built.returncode != 0 and "Traceback" not in built.output
    assert re.search(r"meeting\.yaml:\d+:\d+: contacts\[1\]\.point: không có điểm cầu 'khong-co'", built.output)
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert hashlib.sha256((site / "index.html").read_bytes()).hexdigest() == hashlib.sha256(
        "trang cũ".encode()).hexdigest()


def test_a_deadline_whose_agencies_act_at_none_of_its_tiers_lands_on_those_tiers(tmp_path: Path) -> None:
    """The province's office sends the communes a document by a date: it acts at the province, the
    deadline names the communes' tier, so the communes' pages hold it (and the province's does not)."""
    data = load_data(STATE)
    data["deadlines"].append({"id": "gui-tai-lieu", "title": "Gửi tài liệu cho các xã", "at": "2025-12-17 09:00",
                              "agencies": ["van-phong-ubnd"], "tiers": ["xa"]})
    (tmp_path / "maket-mau.svg").write_bytes((CASES / "valid" / "maket-mau.svg").read_bytes())
    m = load_meeting(write_meeting(tmp_path / "meeting.yaml", data))
    rel = Relations(m)
    ids = {key: [d.id for d in rel.deadlines_for(*m.point_by_key[key])] for key in ("tinh", "xa-an-phu")}
    assert "gui-tai-lieu" in ids["xa-an-phu"] and "gui-tai-lieu" not in ids["tinh"]
    assert "bao-cao-tong-ket" in ids["tinh"] and "bao-cao-tong-ket" not in ids["xa-an-phu"]
