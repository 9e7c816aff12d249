"""Prefilled reports as served: the right forms on the right pages, mailto links that decode right."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from conftest import CASES, DATA, Built, load_data, write_meeting

from microsite import MeetingError, load_meeting
from microsite.views.reports import reports_for, uri_component

BTG = "phongllctlsdangbtg@hatinh.dcs.vn"


def report_blocks(page: str) -> list[str]:
    return re.findall(r'<div class="ms-report".*?<p class="ms-report__status"', page, re.S)


def mailto_parts(href: str) -> tuple[str, str, str]:
    """Recipient, subject and body as a mail app reads them (percent-decoding, UTF-8)."""
    url = urlsplit(html.unescape(href))
    assert url.scheme == "mailto"
    query = parse_qs(url.query, keep_blank_values=True)
    return unquote(url.path), query["subject"][0], query["body"][0]


def static_link(block: str) -> str:
    return re.search(r'class="md-button md-button--primary ms-report__send" href="([^"]+)"', block).group(1)


def template_text(block: str) -> str:
    return html.unescape(re.search(r'<textarea class="ms-report__text"[^>]*>(.*?)</textarea>', block, re.S).group(1))


def test_district_pages_have_both_forms_and_other_points_none(real_site: Built) -> None:
    blocks = report_blocks(real_site.html("dc/huong-son/"))
    assert len(blocks) == 2
    for url in ("dc/tinh/", "dc/quan-su-tinh/"):
        expected = 0 if url == "dc/tinh/" else 2  # the Military committee is a district-level point too
        assert len(report_blocks(real_site.html(url))) == expected, url


def test_participants_report_link_decodes_to_recipient_subject_and_body(real_site: Built) -> None:
    page = real_site.html("dc/huong-son/")
    block = report_blocks(page)[1]
    to, subject, body = mailto_parts(static_link(block))
    assert to == BTG
    assert subject == "Huyện ủy Hương Sơn: Báo cáo danh sách thành phần, số lượng đại biểu và số điểm cầu cấp xã"
    assert body == template_text(block).replace("\n", "\r\n")  # the link sends what the page shows
    assert body.startswith("Kính gửi: Ban Tuyên giáo Tỉnh ủy.\r\nHuyện ủy Hương Sơn: Báo cáo")
    # The fields the meeting file's `form` sets: duty 5 asks for the list of delegates, not only a count.
    for line in ("Danh sách thành phần dự Hội nghị tại điểm cầu:\r\n…", "Số lượng đại biểu: …",
                 "Số điểm cầu cấp xã: …", "Người liên hệ: …", "Số điện thoại: …"):
        assert line in body
    assert "\r\n\r\nDanh sách thành phần" in body  # a blank line before the values survives Markdown
    assert "Mỗi dòng một người: họ tên, chức vụ." in block


def test_registration_goes_to_every_recipient_with_an_address_and_names_the_others(real_site: Built) -> None:
    block = report_blocks(real_site.html("dc/can-loc/"))[0]
    to, subject, body = mailto_parts(static_link(block))
    assert to == BTG  # the only address the invitation gives among the three recipients
    assert subject.startswith("Huyện ủy Can Lộc: Đăng ký tổ chức điểm cầu cấp xã")
    assert body.startswith("Kính gửi: Văn phòng Ủy ban nhân dân tỉnh, Ban Tuyên giáo Tỉnh ủy, Viễn thông Hà Tĩnh.")
    assert "Danh sách điểm cầu cấp xã đăng ký tổ chức:\r\n…" in body
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", block)).split())
    assert "Trang này chưa có địa chỉ thư của Văn phòng Ủy ban nhân dân tỉnh, Viễn thông Hà Tĩnh" in text
    assert "Hạn: 16h, thứ Ba, ngày 28/9/2021" in text


def test_every_field_is_labelled_and_the_form_waits_for_the_script(real_site: Built) -> None:
    for block in report_blocks(real_site.html("dc/huong-son/")):
        assert '<form class="ms-report__form" hidden>' in block
        assert 'class="md-button ms-report__copy" hidden' in block
        ids = re.findall(r'<(?:input|textarea)\b[^>]*\bid="([^"]+)"', block)
        labels = set(re.findall(r'<label for="([^"]+)"', block))
        assert ids and set(ids) <= labels
        assert " on" not in re.sub(r'"[^"]*"', '""', block)  # no inline event handlers
        data = json.loads(html.unescape(re.search(r"data-report='([^']*)'", block).group(1)))
        assert data["address"] == f"mailto:{BTG}" and data["blank"] == "…"


def test_mailto_encoding_matches_encode_uri_component(tmp_path: Path) -> None:
    data = load_data(DATA)
    for d in data["deadlines"]:
        d.pop("form", None)  # today's participants form, the default
    m = load_meeting(write_meeting(tmp_path / "default-form.yaml", data))
    tier, point = m.point_by_key["huong-son"]
    report = reports_for(m, tier, point)[1]
    values = {"dai-bieu": "45", "so-diem-cau-xa": "2", "diem-cau-xa": "Xã Sơn Tây\n\n  Thị trấn Phố Châu \r\nA&B?c=d#e%f+g",
              "lien-he": "Nguyễn Thị Ánh", "dien-thoai": "0913 294 787"}
    href = report.mailto(values)
    assert re.fullmatch(r"mailto:[^?\s]+\?subject=[A-Za-z0-9%\-_.!~*'()]+&body=[A-Za-z0-9%\-_.!~*'()]+", href)
    assert "%0D%0A" in href and "%20" in href and "+" not in href.split("?", 1)[1]
    assert uri_component("Đ ơ\n&") == "%C4%90%20%C6%A1%0A%26"
    to, subject, body = mailto_parts(href)
    assert to.split(",") == list(report.to) == ["phongllctlsdangbtg@hatinh.dcs.vn"]
    assert subject == report.subject == "Huyện ủy Hương Sơn: Báo cáo danh sách thành phần, số lượng đại biểu và số điểm cầu cấp xã"
    assert body.split("\r\n")[4:] == ["Số lượng đại biểu: 45", "Số điểm cầu cấp xã: 2", "Các điểm cầu cấp xã đã đăng ký:",
                                      "- Xã Sơn Tây", "- Thị trấn Phố Châu", "- A&B?c=d#e%f+g",
                                      "Người liên hệ: Nguyễn Thị Ánh", "Số điện thoại: 0913 294 787"]


def test_the_data_sets_the_fields_count_names_contact_and_free_text(tmp_path: Path) -> None:
    data = load_data(DATA)
    (deadline,) = [d for d in data["deadlines"] if d["id"] == "bao-cao-so-luong-dai-bieu"]
    deadline["form"] = [{"kind": "count"}, {"kind": "names", "label": "Thành phần"},
                        {"kind": "text", "label": "Ghi chú", "hint": "Điều cần ban tổ chức biết."},
                        {"kind": "contact", "label": "Cán bộ đầu mối"}, {"kind": "count", "label": "Thành phần"}]
    m = load_meeting(write_meeting(tmp_path / "form.yaml", data))
    report = reports_for(m, *m.point_by_key["huong-son"])[1]
    assert [(f.name, f.label, f.kind) for f in report.fields] == [
        ("so-luong-dai-bieu", "Số lượng đại biểu", "number"), ("thanh-phan", "Thành phần", "lines"),
        ("ghi-chu", "Ghi chú", "note"), ("lien-he", "Cán bộ đầu mối", "text"),
        ("dien-thoai", "Số điện thoại", "tel"), ("thanh-phan-2", "Thành phần", "number")]
    assert report.fields[1].hint == "Mỗi dòng một người: họ tên, chức vụ."
    body = report.body({"so-luong-dai-bieu": " 45 ", "thanh-phan": "Nguyễn Văn A, Bí thư\n\nTrần Thị B, Phó Bí thư",
                        "ghi-chu": "Dòng một\r\n  Dòng hai  ", "lien-he": "Lê C"})
    assert body.split("\n")[4:] == ["Số lượng đại biểu: 45", "Thành phần:", "- Nguyễn Văn A, Bí thư",
                                     "- Trần Thị B, Phó Bí thư", "Ghi chú:", "Dòng một", "Dòng hai",
                                     "Cán bộ đầu mối: Lê C", "Số điện thoại: …", "Thành phần: …"]
    assert ["x", "ghi-chu", "Ghi chú"] in report.parts  # the script rebuilds free text line by line
    data["deadlines"][1]["form"] = [{"kind": "signature"}]
    try:
        load_meeting(write_meeting(tmp_path / "bad.yaml", data))
    except MeetingError as exc:
        assert "deadlines[1].form[0].kind" in str(exc)
    else:
        raise AssertionError("an unknown kind of field was accepted")


def test_which_points_get_forms_comes_from_the_data(tmp_path: Path) -> None:
    data = load_data(CASES / "valid" / "communes.yaml")
    communes = load_meeting(write_meeting(tmp_path / "plain.yaml", data))
    # The district offices (an agency bound to the district tier) act, so district pages get the form,
    # though the deadline names the commune tier; commune pages do not.
    (report,) = reports_for(communes, *communes.point_by_key["huyen-dong-son"])
    assert report.kind == "participants" and report.to == ("vanphong@example.gov.vn",)
    assert reports_for(communes, *communes.point_by_key["xa-dong-hoa-dong-son"]) == []
    # Once the commune tier says it is registered by that deadline, the form lists points instead.
    data["tiers"][1]["registration"] = {"text": "Các huyện đăng ký điểm cầu xã.", "deadline": "dang-ky"}
    communes = load_meeting(write_meeting(tmp_path / "registered.yaml", data))
    (report,) = reports_for(communes, *communes.point_by_key["huyen-dong-son"])
    assert report.kind == "registration"
    assert [f.label for f in report.fields] == ["Danh sách điểm cầu xã đăng ký tổ chức", "Người liên hệ",
                                                "Số điện thoại"]
    assert report.subject == "Huyện Đông Sơn: Đăng ký điểm cầu xã"
    # No recipient, no form.
    data = load_data(DATA)
    for d in data["deadlines"]:
        d.pop("send_to", None)
        d.pop("email", None)
    m = load_meeting(write_meeting(tmp_path / "m.yaml", data))
    assert reports_for(m, *m.point_by_key["huong-son"]) == []
