"""Makets on the organizer's template (maket.template): every point's name and QR code fitted into the
template's boxes, as SVG and PDF, for an SVG, a PDF and a PNG template. The codes are read back from
the rendered files as for the built-in design (tests/test_qr_maket.py), the fonts are embedded, and
a template that cannot be used stops the build with its line.

The templates are made from tests/cases/valid/maket-mau.svg (a fictional organizer's backdrop):
the PDF and the PNG by CairoSVG, as a designer's program would export them.
"""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import cairosvg
import pytest
import zxingcpp
from conftest import CASES, build_site, load_data, write_meeting
from test_qr_maket import decode, pdf_page, svg_image

from microsite import MeetingError, SiteOptions, load_meeting
from microsite.outputs import maket, qr
from microsite.outputs.cache import CACHE_ENV
from microsite.outputs.maket.layout import COMPOUNDS, Item, fit, may_break
from microsite.text import fold, upper
from microsite.views.index import point_index

STATE = CASES / "valid" / "state_two_tier.yaml"
TEMPLATE = CASES / "valid" / "maket-mau.svg"
PUBLIC = "https://hoinghi.example.vn/"
SVG_NS = "{http://www.w3.org/2000/svg}"


def state_copy(folder: Path, kind: str = "svg", **maket_changes) -> Path:
    """The state meeting in `folder` with its template as a `kind` file beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    name = f"maket-mau.{kind}"
    if kind == "svg":
        (folder / name).write_bytes(TEMPLATE.read_bytes())
    elif kind == "pdf":
        cairosvg.svg2pdf(url=str(TEMPLATE), write_to=str(folder / name))
    else:
        cairosvg.svg2png(url=str(TEMPLATE), write_to=str(folder / name), output_width=1800)
    data = load_data(STATE)
    data["maket"]["template"]["file"] = name
    for key, value in maket_changes.items():
        target = data["maket"]
        *path, last = key.split(".")
        for part in path:
            target = target[part]
        target[last] = value
    return write_meeting(folder / "meeting.yaml", data)


def pdffonts(path: str) -> list[list[str]]:
    out = subprocess.run(["pdffonts", path], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def pdftext(path: str) -> str:
    return subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True, check=True).stdout


@pytest.fixture(scope="module", params=["svg", "pdf", "png"])
def prepared(request, tmp_path_factory):
    tmp = tmp_path_factory.mktemp(f"template-{request.param}")
    m = load_meeting(state_copy(tmp, request.param))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(CACHE_ENV, str(tmp / "cache"))
        made = maket.prepare(m, SiteOptions(site_url=PUBLIC, data_dir=tmp), point_index(m))
    return request.param, m, made


def test_every_points_code_scans_from_its_pdf_and_svg(prepared) -> None:
    kind, m, made = prepared
    assert len(made.points) == 4
    for p in made.points:
        url = f"{PUBLIC}dc/{p.key}/"
        assert decode(pdf_page(Path(p.files["pdf"]), 40)) == [url], (kind, p.key)
        assert decode(svg_image(Path(p.files["svg"]), 1200)) == [url], (kind, p.key)
        assert decode(pdf_page(Path(p.files["a4"]), 40)) == [url]


def test_the_code_sits_in_its_box(prepared) -> None:
    kind, m, made = prepared
    x, y, w, h = (getattr(m.maket.template.qr, f) for f in ("x_mm", "y_mm", "width_mm", "height_mm"))
    image = pdf_page(Path(made.points[0].files["pdf"]), 40)
    (found,) = zxingcpp.read_barcodes(image)
    per_mm = image.width / m.maket.dimensions[0]
    corners = [found.position.top_left, found.position.bottom_right]
    for corner in corners:
        assert x * per_mm <= corner.x <= (x + w) * per_mm and y * per_mm <= corner.y <= (y + h) * per_mm


def test_fonts_are_embedded_and_the_name_is_text(prepared) -> None:
    kind, m, made = prepared
    for p in made.points:
        fonts = pdffonts(p.files["pdf"])
        assert fonts and all(row[-5] == "yes" for row in fonts), (kind, fonts)  # the "emb" column
        text = " ".join(pdftext(p.files["pdf"]).split())
        assert upper(f"Điểm cầu {p.name}") in text or p.key == "tinh"
        assert "An Lạc, ngày 20 tháng 12 năm 2025" in text  # the date line's box
        if kind != "png":  # the template stays vector: its own words are still text
            assert "ỦY BAN NHÂN DÂN TỈNH AN LẠC" in text


def test_the_svg_shows_the_template_as_an_image_under_our_own_text(prepared) -> None:
    kind, m, made = prepared
    (point,) = [p for p in made.points if p.key == "xa-binh-minh"]
    root = ET.parse(point.files["svg"]).getroot()
    (image,) = root.iter(f"{SVG_NS}image")
    media = "svg+xml" if kind == "svg" else "png"
    assert image.get("href").startswith(f"data:image/{media};base64,")
    assert not list(root.iter(f"{SVG_NS}script"))
    words = " ".join(t.text for t in root.iter(f"{SVG_NS}text"))
    assert "ĐIỂM CẦU XÃ BÌNH MINH" in words and root.find(f"{SVG_NS}path") is not None


def test_the_pdf_is_the_same_for_the_same_input(prepared, monkeypatch) -> None:
    kind, m, made = prepared
    p = made.points[0]
    sp = made.spec
    pin = maket.PointIn(p.key, p.name, p.url)
    code = qr.encode(p.url, sp.level)
    drawing = maket.template.backdrop_for(sp, pin, code)
    first = maket.pdf(drawing)
    # cairo stamps the clock's second unless told otherwise: two calls within one second would agree
    # by luck, so the stamp itself must be absent (a cached PDF then equals a fresh one).
    assert b"/CreationDate" not in first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1632700000")  # nor does the build's date reach the bytes
    assert maket.pdf(drawing) == first
    with open(made.points[0].files["pdf"], "rb") as f:
        assert b"/CreationDate" not in f.read()


def test_without_a_qr_box_the_backdrop_has_no_code_and_the_poster_keeps_it(tmp_path: Path, monkeypatch) -> None:
    path = state_copy(tmp_path, "svg")
    data = load_data(path)
    del data["maket"]["template"]["qr"]
    m = load_meeting(write_meeting(path, data))
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    made = maket.prepare(m, SiteOptions(site_url=PUBLIC, data_dir=tmp_path), point_index(m))
    p = made.points[0]
    assert decode(pdf_page(Path(p.files["pdf"]), 40)) == []
    assert decode(pdf_page(Path(p.files["a4"]), 40)) == [f"{PUBLIC}dc/{p.key}/"]


def test_a_changed_template_remakes_the_makets(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    path = state_copy(tmp_path, "svg")
    first = maket.prepare(load_meeting(path), SiteOptions(site_url=PUBLIC, data_dir=tmp_path),
                          point_index(load_meeting(path)))
    template = tmp_path / "maket-mau.svg"
    template.write_text(template.read_text().replace("#0b3d91", "#1b5e20"), encoding="utf-8")
    again = load_meeting(path)
    second = maket.prepare(again, SiteOptions(site_url=PUBLIC, data_dir=tmp_path), point_index(again))
    assert second.made >= 3 * len(second.points)  # every backdrop (SVG, PDF) and poster record again
    assert all(a.files["pdf"] != b.files["pdf"] for a, b in zip(first.points, second.points))
    assert all(a.files["qr_svg"] == b.files["qr_svg"] for a, b in zip(first.points, second.points))


# ---------------------------------------------------------------------------------------------
# The built-in design: the QR panel left, right, or left off
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("position", ["left", "right", "none"])
def test_the_built_in_panel_goes_where_it_is_told(tmp_path: Path, position: str) -> None:
    data = load_data(STATE)
    del data["maket"]["template"]
    data["maket"]["qr_position"] = position
    m = load_meeting(write_meeting(tmp_path / "meeting.yaml", data))
    sp = maket.spec(m)
    url = f"{PUBLIC}dc/xa-binh-minh/"
    code = qr.encode(url, sp.level)
    drawing = maket.backdrop(sp, maket.PointIn("xa-binh-minh", "Xã Bình Minh", url), code)
    (tmp_path / "b.pdf").write_bytes(maket.pdf(drawing))
    image = pdf_page(tmp_path / "b.pdf", 40)
    found = zxingcpp.read_barcodes(image)
    poster = maket.poster(sp, maket.PointIn("xa-binh-minh", "Xã Bình Minh", url), code)
    (tmp_path / "a4.pdf").write_bytes(maket.pdf(poster))
    assert decode(pdf_page(tmp_path / "a4.pdf", 40)) == [url]  # the poster always carries the code
    if position == "none":
        assert found == [] and drawing.qr is None
        return
    (code_found,) = found
    left = code_found.position.top_left.x < image.width / 2
    assert left == (position == "left")
    text = " ".join(pdftext(str(tmp_path / "b.pdf")).split())
    assert "ĐIỂM CẦU XÃ BÌNH MINH" in text


# ---------------------------------------------------------------------------------------------
# Line breaks: never inside a compound word, never between a number and the word before it
# ---------------------------------------------------------------------------------------------


def boundaries(lines: list[str]) -> list[tuple[str, str]]:
    return [(a.split()[-1], b.split()[0]) for a, b in zip(lines, lines[1:])]


def test_no_line_breaks_inside_a_compound_word_or_before_a_number() -> None:
    pairs = {tuple(c.split()[i:i + 2]) for c in COMPOUNDS for i in range(len(c.split()) - 1)}
    assert ("thien", "tai") in pairs and ("cuu", "nan") in pairs and ("nghi", "quyet") in pairs
    title = "HỘI NGHỊ TỔNG KẾT CÔNG TÁC PHÒNG, CHỐNG THIÊN TAI VÀ TÌM KIẾM CỨU NẠN NĂM 2025"
    seen_splits = 0
    for width in [x / 4 for x in range(8, 80)]:
        for lines in (2, 3, 4):
            _, out = fit(Item(title, 1.0, "#000000", lines), 1.0, width)
            seen_splits += len(out) > 1
            for before, after in boundaries(out):
                assert (fold(before).strip(","), fold(after)) not in pairs, out
                assert not after[0].isdigit(), out
    assert seen_splits > 50  # the title did wrap, often


@pytest.mark.parametrize("compound", COMPOUNDS)
def test_each_compound_of_the_list_stays_whole(compound: str) -> None:
    # The word is written with its marks as a backdrop would have it; only its folded form is listed.
    words = tuple(upper(w) for w in compound.split())
    for j in range(1, len(words)):
        assert not may_break(("A", *words, "B"), j + 1), compound
    assert may_break(("A", *words, "B"), 1) and may_break(("A", *words, "B"), len(words) + 1)


def test_the_numbers_stay_with_their_word() -> None:
    assert not may_break(("NĂM", "2025"), 1)
    assert not may_break(("SỐ", "168-TB/TU"), 1)
    assert may_break(("CÔNG", "TÁC"), 1)
    _, out = fit(Item("CHỐNG THIÊN TAI", 1.0, "#000000", 2), 1.0, 5.0)
    assert out != ["CHỐNG THIÊN", "TAI"]


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------


def problem(tmp_path: Path, data: dict) -> list[str]:
    path = write_meeting(tmp_path / "meeting.yaml", data)
    with pytest.raises(MeetingError) as info:
        load_meeting(path, "data/meeting.yaml")
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("kind, content, says", [
    ("svg", b"<html><body>not a drawing</body></html>", "phần tử gốc không phải <svg>"),
    ("svg", b"<svg xmlns='http://www.w3.org/2000/svg'><rect", "không phải XML hợp lệ"),
    ("pdf", b"%PDF-1.7\nnot really a pdf\n", "không đọc được tệp mẫu PDF"),
    ("pdf", b"GIF89a", "không bắt đầu bằng %PDF-"),
    ("png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "không đọc được tệp mẫu PNG"),
    ("png", b"%PDF-1.4 a pdf named .png", "không đọc được tệp mẫu PNG"),
])
def test_a_template_that_is_not_a_readable_svg_pdf_or_png(tmp_path: Path, kind: str, content: bytes,
                                                         says: str) -> None:
    data = load_data(STATE)
    data["maket"]["template"]["file"] = f"mau.{kind}"
    (tmp_path / f"mau.{kind}").write_bytes(content)
    (found,) = problem(tmp_path, data)
    assert re.match(r"data/meeting\.yaml:\d+:\d+: maket\.template\.file: ", found), found
    assert says in found, found


def test_a_missing_template_a_wrong_type_and_a_path_outside(tmp_path: Path) -> None:
    data = load_data(STATE)
    for name, says in (("khong-co.svg", "không có tệp 'khong-co.svg'"), ("mau.jpg", "phải là tệp SVG, PDF hoặc PNG"),
                       ("../maket-mau.svg", "không có '..'")):
        data["maket"]["template"]["file"] = name
        (found,) = problem(tmp_path, data)
        assert "maket.template.file: " in found and says in found, found


def test_a_template_of_other_proportions_than_the_backdrop(tmp_path: Path) -> None:
    data = load_data(STATE)
    (tmp_path / "maket-mau.svg").write_bytes(TEMPLATE.read_bytes().replace(b'viewBox="0 0 600 300"', b'viewBox="0 0 600 400"'))
    (found,) = problem(tmp_path, data)
    assert "maket.template.file: mẫu có tỷ lệ 600 × 400, khác tỷ lệ phông nền 6000 × 3000 mm" in found


def test_a_box_outside_the_backdrop_and_a_box_too_small_for_the_code(tmp_path: Path) -> None:
    data = load_data(STATE)
    (tmp_path / "maket-mau.svg").write_bytes(TEMPLATE.read_bytes())
    data["maket"]["template"]["name"]["x_mm"] = 2500  # 2500 + 3700 > 6000
    data["maket"]["reading_distance_m"] = 12  # a 1200 mm code: the 1450 mm square holds 1050 mm
    found = problem(tmp_path, data)
    assert len(found) == 2, found
    assert re.match(r"data/meeting\.yaml:\d+:\d+: maket\.template\.name: ô name \(2500; 1250, rộng 3700, cao 900 mm\) "
                    r"nằm ngoài phông nền 6000 × 3000 mm", found[0]), found
    assert re.match(r"data/meeting\.yaml:\d+:\d+: maket\.template\.qr: ô qr \(1450 × 1450 mm\) quá nhỏ: mã QR quét được "
                    r"từ 12 m phải rộng 1200 mm, cần ô vuông ít nhất 1657 × 1657 mm", found[1]), found


def test_a_bad_template_leaves_the_published_site_untouched(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("trang cũ", encoding="utf-8")
    data = load_data(STATE)
    data["maket"]["template"]["file"] = "mau.pdf"
    (tmp_path / "mau.pdf").write_bytes(b"%PDF-1.7 broken")
    built = build_site(write_meeting(tmp_path / "meeting.yaml", data), site)
    assert built.returncode != 0 and "Traceback" not in built.output
    assert "maket.template.file: không đọc được tệp mẫu PDF 'mau.pdf'" in built.output
    assert [p.name for p in site.iterdir()] == ["index.html"]
    assert (site / "index.html").read_text(encoding="utf-8") == "trang cũ"
