"""The invitation as the issuing body signs it (/giay-moi/), printed and as a PDF; every session on the
pages delegates look at first; calendar events that end.

The seed is a party paper (T/L signer) whose text lost its number, date and place of issue: those
stay empty. tests/cases/valid/state_invitation.yaml is a state paper with all of them, two sessions
and a KT. signer. Printing is Debian's Chromium (page.pdf); the PDF for download is WeasyPrint's.
"""

from __future__ import annotations

import hashlib
import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import CASES, DATA, Built, build_site, visible_text
from icalendar import Calendar

STATE_CASE = CASES / "valid" / "state_invitation.yaml"
VN = ZoneInfo("Asia/Ho_Chi_Minh")
MM = 72 / 25.4  # PDF points per millimetre


@pytest.fixture(scope="module")
def state_site(tmp_path_factory) -> Built:
    built = build_site(STATE_CASE, tmp_path_factory.mktemp("state") / "site")
    assert built.returncode == 0, built.output
    return built


def paper(built: Built) -> str:
    """The paper's own HTML on the invitation page."""
    page = built.html("giay-moi/")
    return page[page.index('<article class="ms-paper'):page.index("</article>", page.index('class="ms-paper'))]


def lines(fragment: str) -> list[str]:
    """The text of each block element of an HTML fragment, in order."""
    text = re.sub(r"</(p|li|div|header|footer)>", "\n", fragment)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", t)).split()) for t in text.splitlines()
            if re.sub(r"<[^>]+>", "", t).strip()]


# ---------------------------------------------------------------------------------------------
# The form of the paper, by the issuer's kind
# ---------------------------------------------------------------------------------------------


def test_the_seed_has_the_party_letterhead_and_nothing_invented(real_site: Built) -> None:
    fragment = paper(real_site)
    assert 'class="ms-paper ms-paper--party"' in fragment
    head = lines(fragment[:fragment.index("</header>")])
    # Issuer at the left with the asterisk under it, the party's heading at the right; the seed's
    # text gives no number, no date and no place of issue, so there are no such lines.
    assert head == ["TỈNH ỦY HÀ TĨNH", "*", "ĐẢNG CỘNG SẢN VIỆT NAM"]
    assert "ms-paper__number" not in fragment and "ms-paper__dated" not in fragment
    assert "CỘNG HÒA" not in fragment and "Số" not in " ".join(head)


def test_the_seed_body_is_worded_as_issued(real_site: Built) -> None:
    text = visible_text(paper(real_site))
    assert "MỜI HỌP Ban Thường vụ Tỉnh ủy tổ chức Hội nghị trực tuyến toàn tỉnh quán triệt" in text
    assert "Thời gian: Một buổi: Bắt đầu từ 07h30, ngày 30 tháng 9 năm 2021 " in text
    assert text.count("Thời gian:") == 1
    assert "(Đề nghị đại biểu có mặt trước 10 phút để ổn định tổ chức)." in text
    assert "1. Điểm cầu tỉnh: Tại Phòng họp trực tuyến, tầng 3" in text
    assert "- Các đồng chí Thường trực Tỉnh ủy. - Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy." in text


def test_recipients_are_dashed_lines_ending_with_the_archive_and_the_signer_is_at_the_right(real_site: Built) -> None:
    fragment = paper(real_site)
    foot = fragment[fragment.index('<footer class="ms-paper__foot">'):]
    recipients = lines(foot[:foot.index('<div class="ms-paper__signer">')])
    assert recipients[0] == "Nơi nhận:"
    assert recipients[1] == "- Như thành phần mời,"
    assert recipients[-1] == "- Lưu Văn phòng Tỉnh ủy."
    assert all(line.startswith("- ") for line in recipients[1:])
    assert lines(foot[foot.index('<div class="ms-paper__signer">'):]) == [
        "T/L BAN THƯỜNG VỤ", "PHÓ CHÁNH VĂN PHÒNG", "Trần Đình Thuyên"]
    css = (real_site.site / "assets" / "giay-moi.css").read_text()
    assert ".ms-paper__signer { grid-column: 2;" in css  # the right half, with or without recipients


def test_a_state_paper_has_the_decrees_letterhead(state_site: Built) -> None:
    fragment = paper(state_site)
    assert 'class="ms-paper ms-paper--state"' in fragment
    head = lines(fragment[:fragment.index("</header>")])
    assert head == ["ỦY BAN NHÂN DÂN TỈNH MẪU", "SỞ KHOA HỌC VÀ CÔNG NGHỆ",  # the parent body over the issuer
                    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                    "Số: 05/GM-SKHCN", "Mẫu, ngày 25 tháng 02 năm 2026"]  # leading zero for February
    assert "ĐẢNG CỘNG SẢN" not in fragment and "ms-paper__asterisk" not in fragment
    text = visible_text(fragment)
    assert ("Thời gian: Buổi sáng: Từ 08h đến 11h30; Buổi chiều: Từ 14h đến 16h30, ngày 05 tháng 3 năm 2026 "
            in text)
    assert text.count("Thời gian:") == 1
    assert "Chủ trì: Giám đốc Sở Khoa học và Công nghệ" in text
    assert lines(fragment[fragment.index('<div class="ms-paper__signer">'):]) == [
        "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Văn Bình"]
    recipients = fragment[fragment.index('<div class="ms-paper__recipients">'):fragment.index('<div class="ms-paper__signer">')]
    assert lines(recipients)[-1] == "- Lưu: VT, CĐS."


def test_the_signed_original_is_linked_never_drawn(real_site: Built, state_site: Built) -> None:
    page = state_site.html("giay-moi/")
    assert '<a class="md-button" href="ban-co-chu-ky.pdf">Bản có chữ ký</a>' in page
    copied = (state_site.site / "giay-moi" / "ban-co-chu-ky.pdf").read_bytes()
    assert copied == (CASES / "valid" / "giay-moi-da-ky.pdf").read_bytes()
    assert "Bản có chữ ký" not in real_site.html("giay-moi/")
    assert not (real_site.site / "giay-moi" / "ban-co-chu-ky.pdf").exists()
    for built in (real_site, state_site):
        assert "<img" not in paper(built) and "<svg" not in paper(built)  # no signature, no seal


def test_the_page_loads_its_own_stylesheet_and_fonts_from_the_site(real_site: Built) -> None:
    page = real_site.html("giay-moi/")
    assert '<link rel="stylesheet" href="../assets/giay-moi.css">' in page
    assert "giay-moi.css" not in real_site.html("")  # only where the paper is
    css = (real_site.site / "assets" / "giay-moi.css").read_text()
    for url in re.findall(r'url\("([^"]+)"\)', css):
        font = real_site.site / "assets" / url
        assert font.read_bytes()[:4] == b"wOF2", url
        assert font.stat().st_size < 60_000, url  # cut to Latin and Vietnamese for phones
    assert re.search(r"@page \{\s*size: A4;\s*margin: 20mm 15mm 20mm 30mm;", css)


# ---------------------------------------------------------------------------------------------
# Printed from the browser (Chromium) and as a PDF (WeasyPrint)
# ---------------------------------------------------------------------------------------------


@dataclass
class Word:
    text: str
    page: int
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass
class Printed:
    pages: int
    width: float
    words: list[Word]
    lines: list[tuple[int, float, str]]  # page, top, text
    fonts: str
    text: str

    def word(self, text: str, nth: int = 0) -> Word:
        return [w for w in self.words if w.text == text][nth]


def read_pdf(path: Path) -> Printed:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    width = float(re.search(r"^Page size:\s+([\d.]+) x", info, re.M).group(1))
    layout = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True,
                            check=True).stdout
    words, found_lines = [], []
    for number, page in enumerate(re.findall(r"<page .*?</page>", layout, re.S), 1):
        for line in re.findall(r"<line .*?</line>", page, re.S):
            line_words = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
                                    line)
            for x0, y0, x1, y1, text in line_words:
                words.append(Word(html.unescape(text), number, float(x0), float(y0), float(x1), float(y1)))
            if line_words:
                found_lines.append((number, float(line_words[0][1]), " ".join(html.unescape(w[4]) for w in line_words)))
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return Printed(pages, width, words, found_lines, fonts, " ".join(text.split()))


@pytest.fixture(scope="module")
def printed(real_site: Built, state_site: Built, tmp_path_factory) -> dict[str, Printed]:
    """/giay-moi/ of both sites printed by Chromium as a reader's browser would (print media, the
    page's own @page size and margins)."""
    from browser_support import running_chromium, serve

    out = {}
    folder = tmp_path_factory.mktemp("printed")
    with running_chromium() as browser:
        for name, built in (("seed", real_site), ("state", state_site)):
            with serve(built.site) as base:
                page = browser.new_page()
                page.goto(base + "giay-moi/", wait_until="networkidle")
                page.evaluate("document.fonts.ready")
                path = folder / f"{name}.pdf"
                page.pdf(path=str(path), prefer_css_page_size=True)
                page.close()
            out[name] = read_pdf(path)
    return out


def test_the_seed_prints_on_two_a4_pages_like_the_paper(printed: dict[str, Printed]) -> None:
    seed = printed["seed"]
    assert seed.pages == 2
    assert abs(seed.width - 210 * MM) < 1
    assert printed["state"].pages == 1


def test_print_shows_only_the_paper_in_its_serif(printed: dict[str, Printed]) -> None:
    for name, doc in printed.items():
        faces = [line.split()[0] for line in doc.fonts.splitlines()[2:]]
        assert faces and all("LiberationSerif" in face for face in faces), (name, doc.fonts)
        assert "Tải bản PDF" not in doc.text and "Văn bản liên quan" not in doc.text  # none of the site
        assert not doc.text.startswith(("Mời họp", "Giấy mời"))  # the web page's title is not printed
    seed = printed["seed"].text
    before_title = seed[:seed.index("MỜI HỌP")].split()  # the letterhead alone, in either reading order
    assert sorted(before_title) == sorted("TỈNH ỦY HÀ TĨNH * ĐẢNG CỘNG SẢN VIỆT NAM".split())


def test_the_printed_letterhead_has_two_columns_at_the_top(printed: dict[str, Printed]) -> None:
    seed = printed["seed"]
    issuer, party = seed.word("TỈNH"), seed.word("ĐẢNG")
    assert issuer.page == party.page == 1
    assert issuer.x1 < seed.width / 2 < party.x0
    assert abs(issuer.y0 - party.y0) < 3 and issuer.y0 < 30 * MM  # side by side, in the first lines
    state = printed["state"]
    parent, nation = state.word("ỦY"), state.word("CỘNG")
    assert parent.x1 < state.width / 2 < nation.x0 and abs(parent.y0 - nation.y0) < 3
    number, dated = state.word("Số:"), state.word("Mẫu,")
    assert number.x1 < state.width / 2 < dated.x0
    assert abs(number.y0 - dated.y0) < 3  # the place and date level with the number
    # The decree's margins: left 30 mm, top 20 mm (words sit a little inside their line box).
    assert min(w.x0 for w in state.words) == pytest.approx(30 * MM, abs=2.5 * MM)
    assert min(w.y0 for w in state.words) == pytest.approx(20 * MM, abs=4 * MM)


def test_the_printed_signer_is_in_the_right_half(printed: dict[str, Printed]) -> None:
    for name, signer in (("seed", ("T/L", "Thuyên")), ("state", ("KT.", "Bình"))):
        doc = printed[name]
        for word in signer:
            assert doc.word(word).x0 > doc.width / 2, (name, word)
        assert doc.word("Nơi").x1 < doc.width / 2


def test_no_heading_is_left_alone_at_the_foot_of_a_page(real_site: Built, printed: dict[str, Printed]) -> None:
    headings = {" ".join(h.split()) for h in re.findall(r'class="ms-paper__heading[^"]*">([^<]+)<', paper(real_site))}
    assert "Đề nghị:" in headings
    seed = printed["seed"]
    for page in range(1, seed.pages):
        last = max((line for line in seed.lines if line[0] == page), key=lambda line: line[1])
        assert not any(h.endswith(last[2]) for h in headings), last
    second = [line for line in seed.lines if line[0] == 2]
    assert second[0][2] == "2", "page 2 is numbered in its top margin"
    assert len(second) > 10, "more than a line on the last page"


@pytest.fixture(scope="module")
def downloaded(real_site: Built, state_site: Built) -> dict[str, Printed]:
    return {"seed": read_pdf(real_site.site / "giay-moi" / "giay-moi.pdf"),
            "state": read_pdf(state_site.site / "giay-moi" / "giay-moi.pdf")}


def test_the_pdf_for_download_has_its_fonts_embedded_and_its_vietnamese_intact(
        real_site: Built, downloaded: dict[str, Printed]) -> None:
    assert shutil.which("pdffonts") and shutil.which("pdftotext")
    seed = downloaded["seed"]
    rows = seed.fonts.splitlines()[2:]
    assert rows
    for row in rows:
        name, *_, emb, sub, uni, _obj, _gen = row.split()
        assert "Paper-Serif" in name and (emb, sub, uni) == ("yes", "yes", "yes"), row
    for fact in ("TỈNH ỦY HÀ TĨNH", "ĐẢNG CỘNG SẢN VIỆT NAM", "MỜI HỌP",
                 "Thời gian: Một buổi: Bắt đầu từ 07h30, ngày 30 tháng 9 năm 2021",
                 "Đặng Văn Hùng, cán bộ kỹ thuật Viễn Thông Hà Tĩnh", "Nơi nhận:", "- Lưu Văn phòng Tỉnh ủy.",
                 "T/L BAN THƯỜNG VỤ PHÓ CHÁNH VĂN PHÒNG", "Trần Đình Thuyên"):
        assert fact in seed.text, fact
    assert seed.pages == 2
    state = downloaded["state"]
    for fact in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số: 05/GM-SKHCN",
                 "Mẫu, ngày 25 tháng 02 năm 2026", "GIẤY MỜI"):
        assert fact in state.text, fact
    number, dated = state.word("Số:"), state.word("Mẫu,")
    assert number.x1 < state.width / 2 < dated.x0 and abs(number.y0 - dated.y0) < 3
    assert state.word("Bình").x0 > state.width / 2
    assert '<a class="md-button" href="giay-moi.pdf" download>Tải bản PDF</a>' in real_site.html("giay-moi/")


def test_the_pdf_is_made_once_for_the_same_content(real_site: Built, tmp_path: Path) -> None:
    again = build_site(DATA, tmp_path / "site")
    assert again.returncode == 0, again.output
    first, second = (b.site / "giay-moi" / "giay-moi.pdf" for b in (real_site, again))
    assert hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest()


# ---------------------------------------------------------------------------------------------
# Every session, where delegates look first
# ---------------------------------------------------------------------------------------------

STATE_SESSIONS = ("Buổi sáng: 08h – 11h30, thứ Năm, ngày 5/3/2026 Nghỉ trưa: 11h30 – 14h "
                  "Buổi chiều: 14h – 16h30, thứ Năm, ngày 5/3/2026")


def read(built: Built, url: str) -> str:
    """The page's text as read: no space before punctuation where a tag ended."""
    return re.sub(r" ([,.;:])", r"\1", built.text(url))


def test_home_and_point_pages_show_every_session_and_the_break(real_site: Built, state_site: Built) -> None:
    for url in ("", "dc/tinh/", "dc/huyen-tay/"):
        assert STATE_SESSIONS in read(state_site, url), url
    point = state_site.html("dc/huyen-tay/")
    assert '<time datetime="2026-03-05T16:30+07:00">16h30</time>' in point
    assert "Có mặt trước" in visible_text(point) and "07h45" in visible_text(point)
    for url in ("", "dc/huong-son/"):
        assert "Một buổi: từ 07h30, thứ Năm, ngày 30/9/2021" in read(real_site, url), url


def test_the_agenda_shows_the_break_between_sessions_and_breaks_unnumbered(state_site: Built) -> None:
    text = read(state_site, "chuong-trinh/")
    assert "kết thúc lúc 11h30" in text
    assert text.index("Thảo luận tại hội trường") < text.index("Nghỉ trưa: từ 11h30 đến 14h.") < text.index(
        "Buổi chiều")
    agenda = state_site.html("chuong-trinh/")
    assert re.search(r'<li class="ms-agenda__break"><time [^>]+>09h45</time> — Nghỉ giải lao</li>', agenda)
    assert re.search(r'<li value="3"><time [^>]+>10h</time> — <strong>Thảo luận tại hội trường</strong>', agenda)


# ---------------------------------------------------------------------------------------------
# Calendar events end
# ---------------------------------------------------------------------------------------------


def _events(built: Built) -> list:
    return [e for p in sorted((built.site / "lich").rglob("*.ics")) for e in Calendar.from_ical(p.read_bytes()).walk("VEVENT")]


def test_every_calendar_event_has_an_end(real_site: Built, state_site: Built) -> None:
    for built in (real_site, state_site):
        for event in _events(built):
            assert "DTEND" in event and event.end > event.start, event["SUMMARY"]
    by_summary = {str(e["SUMMARY"]): e for e in _events(real_site)}
    meeting = by_summary["Hội nghị trực tuyến toàn tỉnh 30/9/2021"]
    assert meeting.end - meeting.start == timedelta(hours=4)
    assert "lịch tạm tính 4 giờ (một buổi), đến 11h30" in str(meeting["DESCRIPTION"])
    deadline = by_summary["Hạn: Báo cáo danh sách thành phần, số lượng đại biểu và số điểm cầu cấp xã"]
    assert deadline.end - deadline.start == timedelta(minutes=30)
    line_test = by_summary["Chạy thử đường truyền (dự kiến)"]
    assert line_test.end - line_test.start == timedelta(minutes=30)
    assert "lịch ghi 30 phút" in str(line_test["DESCRIPTION"])


def test_session_events_end_with_the_session_and_list_presenters(state_site: Built) -> None:
    sessions = {str(e["SUMMARY"]): e for e in _events(state_site) if "Buổi" in str(e["SUMMARY"])}
    morning = sessions["Hội nghị chuyển đổi số 2026 — Buổi sáng"]
    assert morning.end == datetime(2026, 3, 5, 11, 30, tzinfo=VN)
    description = str(morning["DESCRIPTION"])
    assert "- 08h15: Báo cáo kết quả chuyển đổi số năm 2025 — Trưởng phòng Chuyển đổi số" in description
    assert "Chủ trì: Giám đốc Sở Khoa học và Công nghệ" in description
    assert "tạm tính" not in description
    assert sessions["Hội nghị chuyển đổi số 2026 — Buổi chiều"].end == datetime(2026, 3, 5, 16, 30, tzinfo=VN)


# ---------------------------------------------------------------------------------------------
# Bad input (the messages themselves: tests/cases/invalid/invitation_*.yaml)
# ---------------------------------------------------------------------------------------------


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", ["invitation_letterhead", "invitation_party_number", "invitation_signed_not_pdf"])
def test_a_bad_letterhead_stops_the_build_and_leaves_the_site(case: str, real_site: Built, tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(real_site.site, site)
    before = _tree(site)
    failed = build_site(CASES / "invalid" / f"{case}.yaml", site)
    assert failed.returncode != 0
    assert "Traceback" not in failed.output
    assert re.search(rf"{case}\.yaml:1[3-6]:\d+: invitation\.(number|date|signed): ", failed.output), failed.output
    assert _tree(site) == before


def test_a_missing_serif_face_is_named_before_the_build_touches_the_site(monkeypatch, tmp_path: Path) -> None:
    from microsite.outputs import paper_fonts

    assert paper_fonts.problem() is None  # Debian's fonts-liberation2, installed by the Makefile
    monkeypatch.setattr(paper_fonts, "FOLDER", tmp_path)
    assert paper_fonts.problem() == (
        f"thiếu phông chữ LiberationSerif-Regular, LiberationSerif-Bold, LiberationSerif-Italic, "
        f"LiberationSerif-BoldItalic ({tmp_path}) cho giấy mời; cài gói Debian: apt-get install fonts-liberation2")
