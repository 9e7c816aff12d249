"""Connection points from spreadsheets (a tier's `points_file`): .xlsx, .ods, .csv; every problem with
its file, row and column; addresses that stay put when points are added; the real national list."""

from __future__ import annotations

import re
import hashlib
import sys
import unicodedata
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from conftest import DATA, ROOT, build_site, load_data, write_meeting
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from microsite import MeetingError, load_meeting
from microsite import settings as build_settings
from microsite.source.model import MeetingFile
from microsite.views.summary import summarize, summary_lines

SHOWN = "data/meeting.yaml"
HEADER = ["STT", "Tên", "Trực thuộc", "Địa điểm", "Người liên hệ", "Điện thoại", "Email", "Số máy lẻ"]
ROWS = [
    [1, "Xã Sơn Tây", "Huyện ủy Hương Sơn", "Hội trường Ủy ban nhân dân xã", "Nguyễn Văn A", 913294787, "a@example.vn", 12],
    [2, "Xã Sơn Kim 1", "huong-son", None, None, None, None, None],
    [None] * 8,
    [3, "Xã Kỳ Hoa", "Huyện uỷ Kỳ Anh", "  Nhà văn hóa\nxã Kỳ Hoa ", None, "0239 3855 555", None, None],
    [4, None, None, None, None, None, None, "chỉ có số máy lẻ"],  # nothing the model knows: an empty row
    [5],
]


def xlsx(path: Path, header: list = HEADER, rows: list = ROWS, titles: bool = True) -> Path:
    """An official-looking list: two merged title rows and a blank row above the header."""
    book = Workbook()
    sheet = book.active
    if titles:
        sheet.append(["HUYỆN ỦY HƯƠNG SƠN"])
        sheet.append(["DANH SÁCH CÁC ĐƠN VỊ KẾT NỐI CÁC ĐIỂM CẦU CẤP XÃ"])
        sheet.merge_cells("A1:D1")
        sheet.merge_cells("A2:H2")
        sheet.append([])
    for row in [header, *rows]:
        sheet.append(row)
    book.save(path)
    return path


def ods(path: Path, rows: list[list]) -> Path:
    """A minimal OpenDocument spreadsheet, by hand (no writer is a dependency); ('text', n) spans n columns."""
    def cell(value) -> str:
        if isinstance(value, tuple):
            text, span = value
            return (f'<table:table-cell table:number-columns-spanned="{span}" office:value-type="string">'
                    f'<text:p>{escape(text)}</text:p></table:table-cell>' + "<table:covered-table-cell/>" * (span - 1))
        if isinstance(value, (int, float)):
            return f'<table:table-cell office:value-type="float" office:value="{value}"><text:p>{value}</text:p></table:table-cell>'
        return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'
    body = "".join(f"<table:table-row>{''.join(map(cell, row)) or '<table:table-cell/>'}</table:table-row>" for row in rows)
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2"><office:body>'
               f'<office:spreadsheet><table:table table:name="Trang 1">{body}</table:table></office:spreadsheet>'
               '</office:body></office:document-content>')
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
                'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/></manifest:manifest>')
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
    return path


def meeting(folder: Path, points_file: str | None = "diem-cau-xa.xlsx", yaml_points: list | None = None,
            change=None) -> Path:
    """The seed's meeting in `folder`, its commune tier reading `points_file`."""
    folder.mkdir(parents=True, exist_ok=True)
    data = load_data()
    communes = data["tiers"][2]
    communes["points"] = yaml_points or []
    if points_file:
        communes["points_file"] = points_file
    if change:
        change(data)
    return write_meeting(folder / "meeting.yaml", data)


def problems(path: Path) -> list[str]:
    with pytest.raises(MeetingError) as info:
        load_meeting(path, SHOWN)
    return [str(p) for p in info.value.problems]


def communes(m: MeetingFile) -> list:
    return [p for tier, p in m.points if tier.id == "xa"]


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------


def test_xlsx_rows_join_the_tiers_yaml_points(tmp_path: Path) -> None:
    xlsx(tmp_path / "diem-cau-xa.xlsx")
    m = load_meeting(meeting(tmp_path, yaml_points=[{"name": "Xã Sơn Hồng", "parent": "huong-son"}]), SHOWN)
    got = [(p.name, p.key, p.parent, p.place) for p in communes(m)]
    assert got == [
        ("Xã Sơn Hồng", "xa-son-hong-huong-son", "huong-son", None),
        ("Xã Sơn Tây", "xa-son-tay-huong-son", "huong-son", "Hội trường Ủy ban nhân dân xã"),  # parent by its name
        ("Xã Sơn Kim 1", "xa-son-kim-1-huong-son", "huong-son", None),  # by its address
        # by its name in the older tone placement ('uỷ'); white space and line breaks folded
        ("Xã Kỳ Hoa", "xa-ky-hoa-huyen-ky-anh", "huyen-ky-anh", "Nhà văn hóa xã Kỳ Hoa"),
    ]
    first = communes(m)[1]
    # A phone typed as a number lost its leading 0 in Excel; the unknown "Số máy lẻ" went nowhere.
    assert [c.model_dump() for c in first.contacts] == [
        {"role": None, "name": "Nguyễn Văn A", "phone": "0913294787", "email": "a@example.vn"}]
    assert communes(m)[3].contacts[0].phone == "0239 3855 555"


def test_contact_columns_with_roles_and_columns_by_field_name(tmp_path: Path) -> None:
    header = ["name", "parent", "code", "place", "slug", "Người liên hệ (kỹ thuật)", "Điện thoại (kỹ thuật)",
              "Điện thoại (đầu mối)", "Ghi chú"]
    xlsx(tmp_path / "diem-cau-xa.xlsx", header, [
        ["Xã Sơn Tây", "huong-son", "18172", "Hội trường", None, "Lê Văn B", "0912 000 111", "0912 000 222", "Dự phòng 4G"],
        ["Xã Sơn Lĩnh", "huong-son", None, None, "son-linh", None, None, None, None],
    ], titles=False)
    m = load_meeting(meeting(tmp_path), SHOWN)
    first, second = communes(m)
    assert (first.key, first.code, first.note) == ("xa-son-tay-18172", "18172", "Dự phòng 4G")
    assert [c.model_dump() for c in first.contacts] == [
        {"role": "kỹ thuật", "name": "Lê Văn B", "phone": "0912 000 111", "email": None},
        {"role": "đầu mối", "name": None, "phone": "0912 000 222", "email": None}]
    assert second.key == "son-linh"  # an explicit address always wins


@pytest.mark.parametrize("encoding, delimiter", [("utf-8-sig", ","), ("utf-8", ";"), ("utf-8-sig", "\t")])
def test_csv_with_or_without_bom(tmp_path: Path, encoding: str, delimiter: str) -> None:
    lines = ["DANH SÁCH ĐIỂM CẦU CẤP XÃ", "", delimiter.join(["STT", "Tên", "Trực thuộc", "Địa điểm"]),
             delimiter.join(["1", "Xã Sơn Tây", "Huyện ủy Hương Sơn", '"Hội trường, tầng 2"']), "",
             delimiter.join(["2", "Xã Sơn Kim 1", "huong-son", ""])]
    (tmp_path / "diem-cau-xa.csv").write_bytes("\r\n".join(lines).encode(encoding))
    m = load_meeting(meeting(tmp_path, "diem-cau-xa.csv"), SHOWN)
    assert [(p.key, p.place) for p in communes(m)] == [
        ("xa-son-tay-huong-son", "Hội trường, tầng 2"), ("xa-son-kim-1-huong-son", None)]


def test_ods_with_a_merged_title_row(tmp_path: Path) -> None:
    ods(tmp_path / "diem-cau-xa.ods", [[("DANH SÁCH ĐIỂM CẦU", 4)], [], ["STT", "Tên", "Trực thuộc", "Điện thoại"],
                                       [1, "Xã Sơn Tây", "huong-son", "0913 294 787"]])
    (point,) = communes(load_meeting(meeting(tmp_path, "diem-cau-xa.ods"), SHOWN))
    assert (point.key, point.contacts[0].phone) == ("xa-son-tay-huong-son", "0913 294 787")


def test_a_tier_of_points_from_a_sheet_only(tmp_path: Path) -> None:
    """Districts too may come from a sheet; the commune sheet then names them as a sheet made them."""
    xlsx(tmp_path / "huyen.xlsx", ["Tên", "Mã"], [["Huyện Hương Sơn", "439"], ["Huyện Đức Thọ", "440"]], titles=False)
    xlsx(tmp_path / "xa.xlsx", ["Tên", "Mã", "Trực thuộc"],
         [["Xã Sơn Tây", "18172", "439"], ["Xã Tân Hương", "18310", "Huyện Đức Thọ"]], titles=False)

    def change(data: dict) -> None:
        data["tiers"][1]["points_file"] = "huyen.xlsx"
    m = load_meeting(meeting(tmp_path, "xa.xlsx", change=change), SHOWN)
    districts = [p for t, p in m.points if t.id == "huyen"]
    assert [p.key for p in districts[-2:]] == ["huyen-huong-son-439", "huyen-duc-tho-440"]  # after the YAML's 17
    assert [(p.key, p.parent) for p in communes(m)] == [("xa-son-tay-18172", "huyen-huong-son-439"),  # by code
                                                       ("xa-tan-huong-18310", "huyen-duc-tho-440")]  # by name


# ---------------------------------------------------------------------------------------------
# Bad input: one message per problem, with the file, row and column, all in one run
# ---------------------------------------------------------------------------------------------


def _where(path: Path, key: str) -> str:
    """line:column of `key:`'s value in the written YAML."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith(f"{key}:"):
            return f"{number}:{line.index(key) + len(key) + 3}"
    raise AssertionError(key)


def test_missing_file(tmp_path: Path) -> None:
    path = meeting(tmp_path)
    assert problems(path) == [f"{SHOWN}:{_where(path, 'points_file')}: tiers[2].points_file: "
                              "không có tệp data/diem-cau-xa.xlsx"]


@pytest.mark.parametrize("name, expected", [
    ("../diem-cau-xa.xlsx", "'../diem-cau-xa.xlsx' phải là tên một tệp trong thư mục của tệp hội nghị (không có "
                            "'..', không phải đường dẫn tuyệt đối)"),
    ("diem-cau-xa.docx", "'diem-cau-xa.docx': không đọc được loại tệp này; danh sách điểm cầu phải là bảng tính "
                         ".xlsx, .xlsm, .xls, .ods, .csv"),
])
def test_file_outside_or_of_another_type(tmp_path: Path, name: str, expected: str) -> None:
    path = meeting(tmp_path, name)
    assert problems(path) == [f"{SHOWN}:{_where(path, 'points_file')}: tiers[2].points_file: {expected}"]


@pytest.mark.parametrize("suffix", [".xlsx", ".ods"])
def test_not_a_spreadsheet(tmp_path: Path, suffix: str) -> None:
    (tmp_path / f"diem-cau-xa{suffix}").write_text("Xã Sơn Tây, huong-son\n", encoding="utf-8")
    assert problems(meeting(tmp_path, f"diem-cau-xa{suffix}")) == [
        f"data/diem-cau-xa{suffix}: không đọc được tệp này như một bảng tính (tệp hỏng, hoặc không phải bảng tính dù "
        "mang đuôi này); hãy mở bằng Excel hoặc LibreOffice và lưu lại"]


def test_csv_not_utf8_or_a_renamed_workbook(tmp_path: Path) -> None:
    windows = unicodedata.normalize("NFD", "Tên,Trực thuộc\r\nXã Sơn Tây,huong-son\r\n").encode("cp1258", "replace")
    (tmp_path / "a.csv").write_bytes(windows)  # as Excel's plain "CSV" saves it on a Vietnamese Windows
    assert problems(meeting(tmp_path, "a.csv")) == [
        "data/a.csv: dòng 1: tệp CSV không phải văn bản UTF-8; trong Excel hãy lưu bằng 'CSV UTF-8 (Comma delimited)'"]
    xlsx(tmp_path / "b.csv")  # a workbook renamed: which line holds its first bad byte varies with its zip stamps
    [got] = problems(meeting(tmp_path, "b.csv"))
    assert re.fullmatch(r"data/b\.csv: dòng \d+: tệp CSV không phải văn bản UTF-8; trong Excel hãy lưu bằng "
                        r"'CSV UTF-8 \(Comma delimited\)'", got), got


def test_no_name_column(tmp_path: Path) -> None:
    xlsx(tmp_path / "diem-cau-xa.xlsx", ["STT", "Đơn vị", "Trực thuộc"], [[1, "Xã Sơn Tây", "huong-son"]])
    assert problems(meeting(tmp_path)) == [
        "data/diem-cau-xa.xlsx: không thấy hàng tiêu đề có cột 'Tên' trong 30 dòng đầu của trang tính thứ nhất "
        "(các cột: Tên, Trực thuộc, Mã, Địa điểm, Đường dẫn, Hình thức kết nối, Ghi chú, Người liên hệ, Điện thoại, Email)"]


def test_parent_that_does_not_exist_or_is_ambiguous_and_other_rows_all_at_once(tmp_path: Path) -> None:
    xlsx(tmp_path / "diem-cau-xa.xlsx", ["STT", "Tên", "Trực thuộc", "Mã", "Điện thoại", "Điện thoại"], [
        [1, "Xã Sơn Tây", "Huyện ủy Hương Sơm"],
        [2, "Xã Đông Hòa", "Huyện Châu Thành"],
        [3, None, "huong-son", "18172"],
        [4, "Xã Sơn Kim", "huong-son", None, "12"],
    ])

    def change(data: dict) -> None:  # two districts of one name: only their addresses tell them apart
        data["tiers"][1]["points"] += [{"slug": "chau-thanh-a", "name": "Huyện Châu Thành"},
                                       {"slug": "chau-thanh-b", "name": "Huyện Châu Thành"}]
        data["meeting"]["title"] = ""  # and a mistake in the YAML, reported in the same run
    path = meeting(tmp_path, change=change)
    assert problems(path) == [
        "data/diem-cau-xa.xlsx: dòng 4, cột Điện thoại: cột này trùng với cột 'Điện thoại' (cột E); hãy bỏ một "
        "trong hai",
        "data/diem-cau-xa.xlsx: dòng 5, cột Trực thuộc: không có điểm cầu 'Huyện ủy Hương Sơm' ở các cấp trên (hãy "
        "ghi mã, đường dẫn hoặc tên của một điểm cầu cấp trước); có phải 'Huyện ủy Hương Sơn'?",
        "data/diem-cau-xa.xlsx: dòng 6, cột Trực thuộc: 'Huyện Châu Thành' là tên của 2 điểm cầu (chau-thanh-a, "
        "chau-thanh-b); hãy ghi mã hoặc đường dẫn của điểm cầu cấp trên",
        "data/diem-cau-xa.xlsx: dòng 7, cột Tên: thiếu tên điểm cầu (các cột khác của dòng này có giá trị)",
        "data/diem-cau-xa.xlsx: dòng 8, cột Điện thoại: '12' không phải số điện thoại: chữ số, dấu cách, có thể "
        "bắt đầu bằng +; ví dụ 0913 294 787",
        f"{SHOWN}:{_where(path, 'title')}: meeting.title: để trống; cần văn bản, ví dụ Hội nghị trực tuyến toàn tỉnh "
        "quán triệt, học tập các nghị quyết",
    ]


def test_cross_checks_name_rows_too(tmp_path: Path) -> None:
    """Checks that need the whole model (a repeated address, a repeated code) name the sheet's rows."""
    xlsx(tmp_path / "diem-cau-xa.xlsx", ["Tên", "Trực thuộc", "Mã"], [
        ["Xã Sơn Tây", "huong-son", None], ["Xã Sơn Tây", "huong-son", None],
        ["Xã Sơn Hà", "huong-son", "18074"], ["Xã Sơn Hòa", "can-loc", "18074"],
    ], titles=False)
    got = problems(meeting(tmp_path))
    assert got[0].startswith("data/diem-cau-xa.xlsx: dòng 3, cột Tên: ")
    assert "'xa-son-tay-huong-son'" in got[0] and "data/diem-cau-xa.xlsx dòng 2" in got[0]
    assert got[1] == ("data/diem-cau-xa.xlsx: dòng 5, cột Mã: mã '18074' đã là mã của điểm cầu 'Xã Sơn Hà' "
                      "(data/diem-cau-xa.xlsx dòng 4); mỗi điểm cầu một mã")
    assert len(got) == 2


def test_control_character_in_a_cell(tmp_path: Path) -> None:
    xlsx(tmp_path / "diem-cau-xa.xlsx", ["Tên", "Trực thuộc", "Địa điểm"],
         [["Xã Sơn Tây", "huong-son", "Hội trường\u202e"]], titles=False)
    assert problems(meeting(tmp_path)) == [
        "data/diem-cau-xa.xlsx: dòng 2, cột Địa điểm: có ký tự U+202E (ký tự đổi chiều chữ), dán từ "
        "chương trình khác?; hãy xóa nó"]


def test_a_bad_sheet_leaves_the_previous_site_untouched(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    xlsx(folder / "diem-cau-xa.xlsx")
    path = meeting(folder)
    site = tmp_path / "site"
    built = build_site(path, site)
    assert built.returncode == 0, built.output
    assert "Xã Sơn Tây" in built.text("dc/xa-son-tay-huong-son/")
    assert "Hội trường Ủy ban nhân dân xã" in built.text("dc/xa-son-tay-huong-son/")
    assert "Chưa có lần dựng trước để so sánh danh sách điểm cầu" in built.output
    assert "Điểm cầu: 21 (Điểm cầu tỉnh: 1; Điểm cầu cấp huyện: 17; Điểm cầu cấp xã: 3)" in built.output
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()}

    xlsx(folder / "diem-cau-xa.xlsx", rows=[*ROWS, [6, "Xã Sơn Lâm", "Huyện ủy Hương Sơm"]])
    failed = build_site(path, site)
    assert failed.returncode != 0 and "Traceback" not in failed.output
    assert "diem-cau-xa.xlsx: dòng 11, cột Trực thuộc: không có điểm cầu 'Huyện ủy Hương Sơm'" in failed.output
    assert {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in site.rglob("*") if p.is_file()} == before

    xlsx(folder / "diem-cau-xa.xlsx", rows=[*ROWS, [6, "Xã Sơn Lâm", "Huyện ủy Hương Sơn"]])
    again = build_site(path, site)
    assert again.returncode == 0, again.output
    assert "So với lần dựng trước: thêm 1 (Xã Sơn Lâm (xa-son-lam-huong-son))" in again.output
    assert (site / "dc" / "xa-son-lam-huong-son" / "index.html").is_file()


# ---------------------------------------------------------------------------------------------
# Addresses: unique, short, and stable when points are added
# ---------------------------------------------------------------------------------------------


def test_the_seeds_addresses_are_unchanged() -> None:
    m = load_meeting(DATA)
    assert all(p.key == p.slug for _t, p in m.points)
    assert m.point_by_key["huong-son"][1].name == "Huyện ủy Hương Sơn"


def _keys(points_by_tier: list[list[dict]]) -> list[str]:
    data = load_data()
    for tier, points in zip(data["tiers"], points_by_tier):
        tier["points"] = points
    return [p.key for _t, p in MeetingFile.model_validate(data).points]


def test_adding_a_point_with_a_repeated_name_changes_no_address() -> None:
    districts = [{"name": "Huyện Châu Thành", "code": "816"}, {"name": "Huyện Châu Thành", "code": "831"},
                 {"name": "Huyện Hương Sơn"}]
    communes = [{"name": "Xã Minh Tân", "code": "12345", "parent": "huyen-chau-thanh-816"},
                {"name": "Xã Tân Hùng", "parent": "huyen-huong-son"},
                {"name": "Xã Minh Tân", "parent": "huyen-huong-son"}]
    tiers = [[{"slug": "tinh", "name": "Điểm cầu tỉnh"}], districts, communes]
    before = _keys(tiers)
    assert before == ["tinh", "huyen-chau-thanh-816", "huyen-chau-thanh-831", "huyen-huong-son",
                      "xa-minh-tan-12345", "xa-tan-hung-huong-son", "xa-minh-tan-huong-son"]
    tiers[1].insert(0, {"name": "Huyện Hương Sơn", "code": "439"})  # a second one, with its code
    tiers[2].insert(1, {"name": "Xã Minh Tân", "code": "12399", "parent": "huyen-chau-thanh-831"})
    tiers[2].append({"name": "Xã Tân Hưng", "code": "18100", "parent": "huyen-huong-son"})  # same letters, no marks
    after = _keys(tiers)
    assert [k for k in after if k in before] == before
    assert len(set(after)) == len(after) == len(before) + 3


names = st.sampled_from(["Xã Minh Tân", "Xã Tân Hùng", "Xã Tân Hưng", "Phường 1", "Thị trấn Tây Sơn"])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(names, st.integers(0, 2), st.booleans()), min_size=1, max_size=12),
       st.tuples(names, st.integers(0, 2), st.booleans()), st.data())
def test_no_address_moves_whatever_is_added_where(existing, added, data) -> None:
    """Property: a point added anywhere in the list leaves every other point's address as it was."""
    def point(i: int, spec: tuple) -> dict:
        name, parent, coded = spec
        return {"name": name, "parent": ["huong-son", "can-loc", "tay-son"][parent], **({"code": f"{10000 + i}"} if coded else {})}
    districts = [{"slug": "huong-son", "name": "Huyện ủy Hương Sơn"}, {"slug": "can-loc", "name": "Huyện ủy Can Lộc"},
                 {"slug": "tay-son", "name": "Huyện Tây Sơn"}]
    points = [point(i, spec) for i, spec in enumerate(existing)]
    before = _keys([[{"slug": "tinh", "name": "Điểm cầu tỉnh"}], districts, points])
    at = data.draw(st.integers(0, len(points)))
    points.insert(at, point(len(existing), added))
    after = _keys([[{"slug": "tinh", "name": "Điểm cầu tỉnh"}], districts, points])
    assert after[:4 + at] + after[5 + at:] == before


# ---------------------------------------------------------------------------------------------
# The real national list (vietnam-provinces, GPL-3.0: tests and benchmarks only)
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bench_data():
    sys.path.insert(0, str(ROOT / "tools"))
    import bench_data
    return bench_data


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_national_list_of_2021_from_sheets_without_slugs(tmp_path: Path, bench_data, fmt: str) -> None:
    assert bench_data.write(None, tmp_path / "meeting.yaml", fmt) == 11_372
    m = load_meeting(tmp_path / "meeting.yaml")
    assert [len(t.points) for t in m.tiers] == [1, 63, 705, 10_603]
    assert all(p.slug is None for t, p in m.points if t.points_file)
    keys = [p.key for _t, p in m.points]
    assert len(set(keys)) == len(keys), "every address unique"
    assert max(map(len, keys)) <= 40
    by_name = {(p.name, m.point_by_key[p.parent][1].name if p.parent else None): p.key for _t, p in m.points}
    # Repeated names, and names that differ only by their marks within one district, all apart.
    assert by_name[("Xã Trực Hưng", "Huyện Trực Ninh")] != by_name[("Xã Trực Hùng", "Huyện Trực Ninh")]
    assert by_name[("Tỉnh Hà Tĩnh", None)] == "tinh-ha-tinh-42"
    assert by_name[("Huyện Hương Sơn", "Tỉnh Hà Tĩnh")] == "huyen-huong-son-439"
    assert sum(1 for k in keys if k.startswith("xa-tan-thanh-")) > 20
    summary = summary_lines(summarize(m, None))
    assert summary[0] == ("Điểm cầu: 11.372 (Điểm cầu Trung ương: 1; Điểm cầu tỉnh, thành phố: 63; "
                          "Điểm cầu cấp huyện: 705; Điểm cầu cấp xã: 10.603)")


# ---------------------------------------------------------------------------------------------
# The build summary
# ---------------------------------------------------------------------------------------------


def test_summary_counts_and_changes(tmp_path: Path) -> None:
    xlsx(tmp_path / "diem-cau-xa.xlsx")
    m = load_meeting(meeting(tmp_path), SHOWN)
    previous = {p.key: p.name for _t, p in m.points if p.key != "xa-son-kim-1-huong-son"}
    previous["xa-cu"] = "Xã Cũ"
    lines = summary_lines(summarize(m, previous))
    assert lines == [
        "Điểm cầu: 21 (Điểm cầu tỉnh: 1; Điểm cầu cấp huyện: 17; Điểm cầu cấp xã: 3)",
        "Chưa có địa điểm: 18 điểm cầu (Thành ủy Hà Tĩnh, Thị ủy Hồng Lĩnh, Thị ủy Kỳ Anh và 15 điểm cầu khác)",
        "Chưa có người liên hệ: 19 điểm cầu (Điểm cầu tỉnh, Thành ủy Hà Tĩnh, Thị ủy Hồng Lĩnh và 16 điểm cầu khác)",
        "So với lần dựng trước: thêm 1 (Xã Sơn Kim 1 (xa-son-kim-1-huong-son)); bớt 1 (Xã Cũ (xa-cu)): mã QR đã in "
        "cho các địa chỉ này không còn mở được trang",
    ]
    assert summary_lines(summarize(m, {p.key: p.name for _t, p in m.points}))[-1] == (
        "So với lần dựng trước: không thêm, không bớt điểm cầu nào")


def test_calendars_are_revised_when_a_points_file_changes(tmp_path: Path) -> None:
    import os
    sheet = xlsx(tmp_path / "diem-cau-xa.xlsx")
    path = meeting(tmp_path)
    os.utime(path, (1_600_000_000, 1_600_000_000))
    os.utime(sheet, (1_700_000_000, 1_700_000_000))
    m = load_meeting(path)
    assert build_settings(path, {}, meeting=m)["revised"].timestamp() == 1_700_000_000
    assert build_settings(path, {})["revised"].timestamp() == 1_600_000_000



def test_a_code_written_as_a_number_in_the_yaml(tmp_path: Path) -> None:
    """YAML reads `code: 00123` as 123: the leading zeros of an official code would be lost."""
    path = meeting(tmp_path, None, yaml_points=[{"name": "Xã Sơn Tây", "parent": "huong-son", "code": 18172}])
    (got,) = problems(path)
    assert got.endswith("tiers[2].points[0].code: viết mã trong dấu nháy, ví dụ code: '00123' (viết như một số "
                        "thì mất các số 0 ở đầu)")
