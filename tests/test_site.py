"""The real meeting file builds into a complete site; each page type carries its content."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import DATA, Built, build_site, load_data, visible_text, write_meeting
from html_support import fold, ids, parse, section, text_of

# Every fact of the source invitation, as a reader would find it on the site (white space folded).
SEED_FACTS = [
    "Ban Thường vụ Tỉnh ủy tổ chức Hội nghị trực tuyến toàn tỉnh quán triệt, học tập, triển khai thực hiện "
    "các nghị quyết, kết luận, chỉ thị của Trung ương, của tỉnh",
    "Một buổi", "07h30", "ngày 30 tháng 9 năm 2021", "(Đề nghị đại biểu có mặt trước 10 phút để ổn định tổ chức).",
    "Phòng họp trực tuyến, tầng 3, Trung tâm Công báo - Tin học, Văn phòng Ủy ban nhân dân tỉnh",
    "Các đồng chí Thường trực Tỉnh ủy.", "Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy.",
    "Các đồng chí Ủy viên Ban Chấp hành Đảng bộ tỉnh công tác tại các sở, ban, ngành cấp tỉnh.",
    "Các đồng chí lãnh đạo các cơ quan chuyên trách tham mưu, giúp việc Tỉnh ủy.",
    "Tại điểm cầu các huyện, thành, thị ủy, đảng ủy trực thuộc",
    "Các đồng chí Ủy viên Ban Chấp hành Đảng bộ tỉnh công tác tại các địa phương, đơn vị.",
    "trưởng các phòng, ban, ngành, đoàn thể cấp huyện và tương đương.",
    "triệu tập đại biểu với số lượng phù hợp",
    "Điểm cầu tại các xã, phường, thị trấn",
    "gửi Văn phòng Ủy ban nhân dân tỉnh, Ban Tuyên giáo Tỉnh ủy và Viễn thông tỉnh trước 16 giờ ngày 28/9/2021",
    "tham mưu dự thảo kết luận Hội nghị của Thường trực Tỉnh ủy",
    "(Hội trường, maket Hội nghị, nước uống...)",
    "Thông báo số 168-TB/TU, ngày 24/9/2021 của Tỉnh ủy",
    "dự kiến thời gian chạy thử đường truyền vào lúc 16h, ngày 29/9/2021",
    "Đặng Văn Hùng", "cán bộ kỹ thuật Viễn Thông Hà Tĩnh", "0913 294 787",
    "Tỉnh ủy không gửi giấy mời riêng", "trước 11h, ngày 29/9/2021", "phongllctlsdangbtg@hatinh.dcs.vn",
    "chỉ đạo trung tâm văn hóa - truyền thông cử phóng viên đến dự và đưa tin tại các điểm cầu",
    "Viễn thông Hà Tĩnh kết nối thông suốt, ổn định đường truyền; cử cán bộ kỹ thuật phục vụ Hội nghị.",
    "Sở Y tế chuẩn bị các điều kiện đảm bảo phòng, chống dịch Covid-19 tại điểm cầu của tỉnh.",
    "Điện lực Hà Tĩnh chỉ đạo ổn định nguồn điện trong toàn tỉnh",
    "Báo Hà Tĩnh, Đài Phát thanh - Truyền hình tỉnh dự và đưa tin tại điểm cầu tỉnh.",
    "Đề nghị các thành phần dự họp tại các điểm cầu thực hiện nghiêm các quy định về phòng, chống dịch Covid-19.",
    "Như thành phần mời,", "Thường trực Tỉnh ủy, (báo cáo),", "Ủy ban nhân dân tỉnh,",
    "Ban Tuyên giáo, Văn phòng Tỉnh ủy,", "Các huyện, thành, thị ủy, đảng ủy trực thuộc,",
    "Viễn thông Hà Tĩnh, Điện lực Hà Tĩnh, Sở Y tế,", "Trung tâm Công báo - Thông tin - Tin học tỉnh,",
    "Báo Hà Tĩnh, Đài Phát thanh và Truyền hình tỉnh,", "Các phòng thuộc Văn phòng Tỉnh ủy,",
    "Lưu Văn phòng Tỉnh ủy.", "T/L BAN THƯỜNG VỤ", "PHÓ CHÁNH VĂN PHÒNG", "Trần Đình Thuyên",
]
DISTRICTS = ["Thành ủy Hà Tĩnh", "Thị ủy Hồng Lĩnh", "Thị ủy Kỳ Anh", "Huyện ủy Cẩm Xuyên", "Huyện ủy Can Lộc",
             "Huyện ủy Đức Thọ", "Huyện ủy Hương Khê", "Huyện ủy Hương Sơn", "Huyện ủy Kỳ Anh", "Huyện ủy Lộc Hà",
             "Huyện ủy Nghi Xuân", "Huyện ủy Thạch Hà", "Huyện ủy Vũ Quang"]


def all_text(built: Built) -> str:
    return " ".join(visible_text(p.read_text(encoding="utf-8")) for p in built.pages())


def test_every_fact_of_the_invitation_is_on_the_invitation_page(real_site: Built) -> None:
    text = real_site.text("giay-moi/")
    missing = [fact for fact in SEED_FACTS if fact not in text]
    assert not missing


def test_each_duty_appears_in_full_under_its_agencies_and_no_other(real_site: Built) -> None:
    """On /nhiem-vu/ each agency has its own section (its heading, up to the next one) holding the
    full text of every duty it has, and of none it has not."""
    data = load_data(DATA)
    page = parse(real_site.html("nhiem-vu/"))
    names = {a["id"]: a["name"] for a in data["agencies"]}
    sections = {a: section(page, a) for a in names if a in ids(page)}
    assert len(data["duties"]) == 9
    for duty in data["duties"]:
        text = fold(duty["text"])
        for agency in duty["agencies"]:
            assert agency in sections, f"duty {duty['number']}: no section for {agency}"
            assert sections[agency].title == names[agency]
            assert f"{duty['number']}. {text}" in sections[agency].text, (duty["number"], agency)
        elsewhere = [a for a, found in sections.items() if a not in duty["agencies"] and text in found.text]
        assert not elsewhere, f"duty {duty['number']} is also under {elsewhere}"


def test_home_says_what_when_and_where_next(real_site: Built) -> None:
    text = real_site.text("")
    assert "07h30, thứ Năm, ngày 30/9/2021" in text
    assert "Trước 07h20" in text
    assert "Hội nghị trực tuyến toàn tỉnh quán triệt" in text
    page = real_site.html("")
    assert 'href="tel:+84913294787"' in page
    assert 'href="diem-cau/"' in page
    assert '<html lang="vi"' in page


def test_every_connection_point_has_its_page(real_site: Built) -> None:
    index = real_site.text("diem-cau/")
    for name in DISTRICTS + ["Điểm cầu tỉnh", "Đảng ủy Quân sự tỉnh"]:
        assert name in index
    assert len(list((real_site.site / "dc").iterdir())) == 18
    assert "Chưa có điểm cầu nào được đăng ký." in index


def test_point_page_has_place_invitees_preparers_deadlines_and_whom_to_call(real_site: Built) -> None:
    tinh = parse(real_site.html("dc/tinh/"))
    assert "Phòng họp trực tuyến, tầng 3" in real_site.text("dc/tinh/")
    assert "Các đồng chí Thường trực Tỉnh ủy." in section(tinh, "thanh-phan").text
    preparers = section(tinh, "chuan-bi").text
    assert "Ban Tuyên giáo Tỉnh ủy" in preparers and "Sở Y tế" in preparers
    line_test = section(tinh, "chay-thu").text  # every hall takes part in the line test
    assert "Chạy thử đường truyền" in line_test and "16h, thứ Tư, ngày 29/9/2021" in line_test
    assert "Gọi 0913 294 787" in section(tinh, "lien-he").text
    huong_son = parse(real_site.html("dc/huong-son/"))
    assert [text_of([h], tails=False) for h in huong_son.iter("h1")] == ["Huyện ủy Hương Sơn"]
    assert "trưởng các phòng, ban, ngành, đoàn thể cấp huyện" in section(huong_son, "thanh-phan").text
    assert "Thường trực các huyện, thành, thị ủy, đảng ủy trực thuộc" in section(huong_son, "chuan-bi").text
    # The participants report concerns districts: its deadline and where it goes.
    assert "11h, thứ Tư, ngày 29/9/2021" in section(huong_son, "moc-thoi-gian").text
    assert "16h, thứ Tư, ngày 29/9/2021" in section(huong_son, "chay-thu").text
    assert "phongllctlsdangbtg@hatinh.dcs.vn" in section(huong_son, "bao-cao").text


def test_page_titles_and_descriptions(real_site: Built) -> None:
    page = real_site.html("dc/huong-son/")
    assert "<title>Huyện ủy Hương Sơn - Hội nghị trực tuyến toàn tỉnh 30/9/2021</title>" in page
    assert '<meta name="description" content="Điểm cầu Huyện ủy Hương Sơn — 07h30, thứ Năm, ngày 30/9/2021">' in page


def test_rules_contacts_and_agenda_pages(real_site: Built) -> None:
    assert "thực hiện nghiêm các quy định về phòng, chống dịch Covid-19" in real_site.text("quy-dinh/")
    assert "Sở Y tế" in real_site.text("quy-dinh/")
    contacts = real_site.html("lien-he/")
    assert 'href="tel:+84913294787"' in contacts and 'href="mailto:phongllctlsdangbtg@hatinh.dcs.vn"' in contacts
    agenda = real_site.text("chuong-trinh/")
    assert "Bắt đầu từ 07h30" in agenda and "thứ Năm, ngày 30/9/2021" in agenda


def test_navigation_lists_sections_not_points(real_site: Built) -> None:
    page = real_site.html("nhiem-vu/")
    nav = page.split('class="md-nav md-nav--primary"', 1)[1].split("md-sidebar--secondary", 1)[0]
    for section in ("Trang chủ", "Chương trình", "Điểm cầu", "Nhiệm vụ", "Liên hệ", "Giấy mời",
                    "Phòng, chống dịch Covid-19"):
        assert section in nav
    assert "Hương Sơn" not in nav


def test_no_request_to_another_host(real_site: Built) -> None:
    for page in real_site.pages():
        html = page.read_text(encoding="utf-8")
        found = re.findall(r'<(?:script|link|img|iframe)\b[^>]*(?:src|href)="((?:https?:)?//[^"]+)"', html)
        assert [u for u in found if "127.0.0.1" not in u and 'rel="canonical"' not in u] == [], page


def test_invitation_has_a_print_stylesheet(real_site: Built) -> None:
    css = (real_site.site / "assets" / "microsite.css").read_text()
    assert "@media print" in css
    assert 'href="../assets/microsite.css"' in real_site.html("giay-moi/")


def test_other_meeting_shapes_build(communes_site: Built) -> None:
    """Two sessions with agenda items, two tiers with communes under districts, no rules, KT. signer."""
    agenda = communes_site.text("chuong-trinh/")
    for fact in ("Buổi sáng", "Buổi chiều", "08h15", "Báo cáo tổng kết", "Giám đốc Sở Kế hoạch", "16h — Bế mạc"):
        assert fact in agenda
    assert not (communes_site.site / "quy-dinh").exists()
    assert "quy-dinh" not in communes_site.html("")
    district = communes_site.text("dc/huyen-dong-son/")
    assert "Xã Đông Hòa" in district and "Xã Đông Bình" in district
    commune = communes_site.html("dc/xa-dong-binh-dong-son/")
    assert 'href="../huyen-dong-son/"' in commune
    assert "Trưởng các thôn." in visible_text(commune) and "Chủ tịch Ủy ban nhân dân xã." in visible_text(commune)
    assert "Văn phòng các huyện" in visible_text(commune)  # prepared under its district
    assert "Đường truyền di động 4G" in communes_site.text("dc/xa-tay-phu-tay-son/")
    index = communes_site.text("diem-cau/")
    assert "Huyện Tây Sơn (2)" in index
    invitation = communes_site.text("giay-moi/")
    assert "KT. CHỦ TỊCH" in invitation and "PHÓ CHỦ TỊCH" in invitation and "Lê Văn C" in invitation
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in invitation


def _meeting_with(n: int) -> dict:
    data = load_data(DATA)
    data["tiers"][1]["points"] = [{"slug": f"don-vi-{i:05d}", "name": f"Đơn vị {i:05d}"} for i in range(n)]
    return data


def test_page_size_does_not_grow_with_the_number_of_points(tmp_path: Path) -> None:
    sizes = {}
    for n in (10, 200):
        built = build_site(write_meeting(tmp_path / f"m{n}.yaml", _meeting_with(n)), tmp_path / f"site{n}")
        assert built.returncode == 0, built.output
        sizes[n] = {url: len(built.html(url).encode()) for url in ("", "dc/don-vi-00003/", "nhiem-vu/", "dc/tinh/")}
    for url in sizes[10]:
        # Only digits of counts may differ ("(10)" vs "(200)"), never a list of points.
        assert abs(sizes[200][url] - sizes[10][url]) <= 16, (url, sizes)
