"""QR codes and makets: every code scans to its point's page, from the PNG and from the printed maket.

Decoding uses a real decoder (zxing-cpp); makets are rasterised the way a print shop's RIP or a
viewer would (pdftoppm for the PDF, CairoSVG for the SVG) and the code is read from that image.
"""

from __future__ import annotations

import html
import io
import os
import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import cairosvg
import pytest
import zxingcpp
from conftest import DATA, MKDOCS, Built, build_site, copy_project, load_data, write_meeting
from PIL import Image

from microsite import SiteOptions, load_meeting, routes
from microsite.outputs import maket, qr
from microsite.outputs.cache import CACHE_ENV
from microsite.views.index import point_index
from microsite.outputs.maket import Item, date_line, fit, lead_words, metrics, point_heading

SVG_NS = "{http://www.w3.org/2000/svg}"
LOCAL = "http://127.0.0.1:8000/"
PUBLIC = "https://hoinghi.example.vn/su-kien/"
HOSTILE = """<script>alert("x")</script>&amp; ]]><!-- "' <b>x</b> {{ x }}"""
LONG = ("Đảng ủy Khối Các cơ quan và Doanh nghiệp tỉnh, Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức "
        "chính trị - xã hội cấp tỉnh, Liên đoàn Lao động tỉnh, Hội Cựu chiến binh tỉnh, Hội Nông dân tỉnh")
REAL_KEYS = [p.key for _, p in load_meeting(DATA).points]


def decode(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def pdf_page(path: Path, dpi: int) -> Image.Image:
    png = subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", str(path)],
                         capture_output=True, check=True).stdout
    return Image.open(io.BytesIO(png))


def svg_image(path: Path, width: int) -> Image.Image:
    return Image.open(io.BytesIO(cairosvg.svg2png(url=str(path), output_width=width)))


# ---------------------------------------------------------------------------------------------
# A second site: published under a sub-path, LED wall preset, error correction H, hostile and
# very long names, and enough points that a cold cache is filled by worker processes.
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def print_site(tmp_path_factory) -> tuple[Built, Path, Path]:
    tmp = tmp_path_factory.mktemp("print")
    data = load_data(DATA)
    data["maket"] = {"size": "led-16x9", "error_correction": "H", "place": HOSTILE,
                     "caption": "Quét mã QR để xem thông tin điểm cầu"}
    points = data["tiers"][1]["points"]
    points += [{"slug": "hostile", "name": HOSTILE}, {"slug": "dai", "name": LONG}]
    points += [{"slug": f"don-vi-{i:02d}", "name": f"Đơn vị số {i}"} for i in range(40)]
    meeting = write_meeting(tmp / "meeting.yaml", data)
    cache = tmp / "cache"
    env = {"SITE_URL": PUBLIC, "MICROSITE_CACHE_DIR": str(cache), "MICROSITE_JOBS": "2"}
    built = build_site(meeting, tmp / "site", env=env)
    assert built.returncode == 0, built.output
    return built, meeting, cache


# ---------------------------------------------------------------------------------------------
# The codes
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", REAL_KEYS)
def test_png_decodes_to_the_url_of_an_existing_page(real_site: Built, key: str) -> None:
    url = f"{LOCAL}dc/{key}/"
    assert decode(Image.open(real_site.site / "qr" / f"{key}.png")) == [url]
    page = real_site.html(f"dc/{key}/")  # the page the code leads to exists
    assert f'<link rel="canonical" href="{url}">' in page  # and the code is its canonical address


def test_svg_codes_are_vectors_that_decode(real_site: Built) -> None:
    for key in REAL_KEYS:
        path = real_site.site / "qr" / f"{key}.svg"
        root = ET.parse(path).getroot()
        assert root.tag == f"{SVG_NS}svg" and root.find(f"{SVG_NS}image") is None
        assert decode(svg_image(path, 300)) == [f"{LOCAL}dc/{key}/"]


def test_codes_follow_site_url_and_error_correction(print_site) -> None:
    built, _, _ = print_site
    for key in ("tinh", "hostile", "dai", "don-vi-07"):
        found = zxingcpp.read_barcodes(Image.open(built.site / "qr" / f"{key}.png"))
        assert [r.text for r in found] == [f"{PUBLIC}dc/{key}/"]
        assert found[0].ec_level == "H"
        assert (built.site / "dc" / key / "index.html").exists()


# Bytes a symbol holds in byte mode (ISO/IEC 18004, table 7), versions 3 and 4.
BYTE_CAPACITY = {"L": (53, 78), "M": (42, 62), "Q": (32, 46), "H": (24, 34)}


@pytest.mark.parametrize("level", "LMQH")
def test_codes_are_libqrencodes_smallest_symbol_for_the_level(level: str) -> None:
    """At a version's capacity the code is that version, one byte more the next: the smallest that
    holds the URL, as libqrencode chooses it (lower-case letters keep the URL in byte mode)."""
    prefix = "https://hn.vn/dc/"  # short enough for the 24 bytes of version 3 at level H
    for version, capacity in zip((3, 4), BYTE_CAPACITY[level]):
        for length, expected in ((capacity, version), (capacity + 1, version + 1)):
            url = prefix + "x" * (length - len(prefix) - 1) + "/"
            code = qr.encode(url, level)
            assert (len(url), code.version, code.size) == (length, expected, 17 + 4 * expected)
            found = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.png(code))))
            assert [(r.text, r.ec_level) for r in found] == [(url, level)]
    # A long run of digits is encoded as digits (libqrencode splits the string by mode): a smaller
    # symbol than its bytes would need.
    digits = prefix + "1" * 60 + "/"
    assert len(digits) > BYTE_CAPACITY["M"][1] and qr.encode(digits, "M").version == 4
    assert zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.png(qr.encode(digits, "M")))))[0].text == digits


def test_the_cache_key_follows_the_encoder_library(monkeypatch) -> None:
    maket._version.cache_clear()
    try:
        current = maket._version()
        assert f"libqrencode-{qr.encoder_version()}" in current
        monkeypatch.setattr(qr, "encoder_version", lambda: "9.9.9")  # another release may choose other masks
        maket._version.cache_clear()
        assert maket._version() != current
    finally:
        monkeypatch.undo()
        maket._version.cache_clear()


def test_quiet_zone_is_four_modules(real_site: Built) -> None:
    image = Image.open(real_site.site / "qr" / "tinh.png").convert("L")
    px = 10  # pixels a module
    dark_rows = [y for y in range(image.height) if image.crop((0, y, image.width, y + 1)).getextrema()[0] < 128]
    dark_cols = [x for x in range(image.width) if image.crop((x, 0, x + 1, image.height)).getextrema()[0] < 128]
    for dark, side in ((dark_rows, image.height), (dark_cols, image.width)):
        assert dark[0] == 4 * px and side - 1 - dark[-1] == 4 * px
    assert (image.width // px - 8 - 17) % 4 == 0  # a QR symbol's size is 17 + 4 × version modules


# ---------------------------------------------------------------------------------------------
# The makets: they scan from the rendered print file, carry their fonts and fit
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", REAL_KEYS)
def test_maket_pdf_scans_after_rasterising(real_site: Built, key: str) -> None:
    url = f"{LOCAL}dc/{key}/"
    # 1:10 file at 40 dpi: a 6 m backdrop as 945 px, about 5 px a module, as a phone sees it far away.
    assert decode(pdf_page(real_site.site / "maket" / f"{key}.pdf", 40)) == [url]
    assert decode(pdf_page(real_site.site / "maket" / f"{key}-a4.pdf", 40)) == [url]


def test_maket_svg_scans_after_rasterising(real_site: Built) -> None:
    for key in REAL_KEYS[:6]:
        assert decode(svg_image(real_site.site / "maket" / f"{key}.svg", 1000)) == [f"{LOCAL}dc/{key}/"]


def test_pdf_embeds_its_fonts_and_keeps_vietnamese(real_site: Built) -> None:
    for name in ("huong-son.pdf", "huong-son-a4.pdf", "khoi-cac-co-quan-va-doanh-nghiep.pdf"):
        path = real_site.site / "maket" / name
        rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
        fonts = [line.split() for line in rows.splitlines()[2:]]
        assert fonts, rows
        for row in fonts:
            assert "DejaVu" in row[0], rows
            assert row[-5:-3] == ["yes", "yes"], rows  # embedded, as a subset
    text = subprocess.run(["pdftotext", str(real_site.site / "maket" / "huong-son.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    text = unicodedata.normalize("NFC", re.sub(r"\s+", " ", text))
    for fact in ("TỈNH ỦY HÀ TĨNH", "HỘI NGHỊ TRỰC TUYẾN TOÀN TỈNH", "QUÁN TRIỆT, HỌC TẬP, TRIỂN KHAI",
                 "ĐIỂM CẦU HUYỆN ỦY HƯƠNG SƠN", "Hà Tĩnh, ngày 30 tháng 9 năm 2021",
                 "Quét mã QR để xem thông tin điểm cầu", f"{LOCAL}dc/huong-son/"):
        assert fact in text, fact


def test_backdrop_size_scale_and_printed_qr_width(real_site: Built) -> None:
    info = subprocess.run(["pdfinfo", str(real_site.site / "maket" / "tinh.pdf")], capture_output=True,
                          text=True, check=True).stdout
    width_pt, height_pt = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info).groups())
    assert round(width_pt / 72 * 25.4) == 600 and round(height_pt / 72 * 25.4) == 300  # 6 m × 3 m at 1:10
    assert "tỷ lệ 1:10" in info
    root = ET.parse(real_site.site / "maket" / "tinh.svg").getroot()
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("600mm", "300mm", "0 0 6000 3000")
    # The code is a tenth of the default 10 m reading distance wide, on the real backdrop.
    path = root.find(f"{SVG_NS}path")
    module = float(re.search(r"scale\(([\d.]+)\)", path.get("transform")).group(1))
    modules = max(int(x) + int(w) for x, w in re.findall(r"M(\d+) \d+h(\d+)", path.get("d")))
    assert abs(module * modules - 1000) < 0.5
    a4 = subprocess.run(["pdfinfo", str(real_site.site / "maket" / "tinh-a4.pdf")], capture_output=True,
                        text=True, check=True).stdout
    assert "595.276 x 841.89 pts (A4)" in a4


def _text_box(svg_path: Path, width: int) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """The maket rendered with its words painted pure blue; return the image and the words' bounding box."""
    source = svg_path.read_text(encoding="utf-8")
    blue = re.sub(r'(<text [^>]*?)fill="[^"]+"', r'\1fill="#0000ff"', source)
    image = Image.open(io.BytesIO(cairosvg.svg2png(bytestring=blue.encode(), output_width=width))).convert("RGB")
    mask = Image.eval(image.split()[2], lambda v: 255 if v > 200 else 0)
    red = Image.eval(image.split()[0], lambda v: 255 if v < 60 else 0)
    green = Image.eval(image.split()[1], lambda v: 255 if v < 60 else 0)
    from PIL import ImageChops
    words = ImageChops.multiply(ImageChops.multiply(mask, red), green)
    return image, words.getbbox()


@pytest.mark.parametrize("key", ["dai", "hostile"])
def test_long_and_hostile_names_stay_inside_the_safe_area(print_site, key: str) -> None:
    built, _, _ = print_site
    svg_path = built.site / "maket" / f"{key}.svg"
    image, (left, top, right, bottom) = _text_box(svg_path, 1920)
    safe = 0.07 * image.height  # the maket's safe margin: 7% of the height
    assert left >= safe - 2 and top >= safe - 2 and right <= image.width - safe + 2 and bottom <= image.height - safe + 2
    # Nothing overlaps the code: it still scans from the rendered maket, and from the LED PNG.
    assert decode(image) == [f"{PUBLIC}dc/{key}/"]
    png = Image.open(built.site / "maket" / f"{key}.png")
    assert png.size == (1920, 1080) and decode(png) == [f"{PUBLIC}dc/{key}/"]


def test_hostile_text_is_svg_text_not_markup(print_site) -> None:
    built, _, _ = print_site
    root = ET.parse(built.site / "maket" / "hostile.svg").getroot()  # well-formed XML
    assert not [el for el in root.iter() if el.tag.split("}")[-1] not in ("svg", "title", "desc", "rect", "text",
                                                                           "path")]
    words = " ".join(el.text for el in root.iter(f"{SVG_NS}text"))
    assert "<SCRIPT>ALERT(\"X\")</SCRIPT>&AMP;" in words  # the name, in capitals, as text
    assert HOSTILE in words  # the place line, as written
    assert root.find(f"{SVG_NS}title").text == f"Maket điểm cầu: {HOSTILE}"
    page = built.html("dc/hostile/")
    assert "<script>alert" not in page and html.escape(HOSTILE, quote=True)[:20] in page


def test_long_text_wraps_and_shrinks_to_fit() -> None:
    mt = metrics()
    item = Item(point_heading(LONG), 100.0, "#fff", 3, break_after=2)
    size, lines = fit(item, 100.0, 3000.0)
    assert len(lines) == 3 and size < 100
    assert " ".join(lines) == point_heading(LONG)
    assert max(mt.width(line) * size for line in lines) <= 3000.0
    # Breaks fall where a reader expects them, not inside a two-syllable word.
    size, lines = fit(Item(point_heading("Đảng ủy Khối Các cơ quan và Doanh nghiệp tỉnh"), 100.0, "#fff", 3,
                           below=0.9, break_after=2), 100.0, 2500.0)
    assert not any(line.endswith(" CƠ") for line in lines), lines
    # One very long word still fits, by shrinking.
    size, lines = fit(Item("X" * 500, 100.0, "#fff", 2), 100.0, 1000.0)
    assert lines == ["X" * 500] and mt.width("X" * 500) * size <= 1000.0


def test_headings_and_date_lines() -> None:
    assert point_heading("Huyện ủy Hương Sơn") == "ĐIỂM CẦU HUYỆN ỦY HƯƠNG SƠN"
    assert point_heading("Điểm cầu tỉnh") == "ĐIỂM CẦU TỈNH"
    assert lead_words("HỘI NGHỊ TRỰC TUYẾN TOÀN TỈNH") == 2
    m = load_meeting(DATA)
    assert date_line(m) == "Hà Tĩnh, ngày 30 tháng 9 năm 2021"
    data = load_data(DATA)
    data["meeting"]["sessions"] = [{"label": "Sáng", "date": "2022-01-05", "start": "08:00"},
                                   {"label": "Chiều", "date": "2022-01-06", "start": "14:00"}]
    del data["maket"]
    from microsite.source.model import MeetingFile
    two_days = MeetingFile.model_validate(data)
    assert date_line(two_days) == "Ngày 05 và 06 tháng 01 năm 2022"  # leading zeros, as official papers


# ---------------------------------------------------------------------------------------------
# Pages and the archive
# ---------------------------------------------------------------------------------------------


def test_point_page_shows_the_code_and_links_every_file(real_site: Built) -> None:
    page = real_site.html("dc/huong-son/")
    img = re.search(r'<img src="([^"]+)" width="200" height="200" alt="([^"]+)"', page)
    assert img and img.group(1) == "../../qr/huong-son.png"
    assert img.group(2).startswith("Mã QR của Huyện ủy Hương Sơn: quét bằng điện thoại")
    hrefs = re.findall(r'href="(\.\./\.\./(?:qr|maket)/[^"]*)"', page)
    assert sorted(set(hrefs)) == sorted(f"../../{p}" for p in (
        "qr/huong-son.png", "qr/huong-son.svg", "maket/huong-son.pdf", "maket/huong-son.svg",
        "maket/huong-son-a4.pdf", "maket/"))
    for href in hrefs:
        assert (real_site.site / "dc" / "huong-son" / href).resolve().exists(), href


def test_makets_page_and_archive(real_site: Built) -> None:
    page = real_site.html("maket/")
    assert ">Maket<" in page.split('class="md-nav md-nav--primary"', 1)[1]  # in the navigation
    text = real_site.text("maket/")
    assert "6000 × 3000 mm" in text and "tỷ lệ 1:10" in text and "Chưa gửi in" in text
    article = re.search(r"<article.*</article>", page, re.S).group(0)
    links = set(re.findall(r'href="([^"#]+\.(?:pdf|svg|png|zip))"', article))
    assert len(links) == 5 * len(REAL_KEYS) + 1
    for href in links:
        assert (real_site.site / "maket" / href).resolve().exists(), href
    with zipfile.ZipFile(real_site.site / "maket" / "maket-diem-cau.zip") as z:
        names = set(z.namelist())
        readme = z.read("maket-diem-cau/HUONG-DAN-IN.txt").decode()
        for key in REAL_KEYS:
            tier = "tinh" if key == "tinh" else "huyen"
            for suffix, site_name in ((".pdf", f"{key}.pdf"), (".svg", f"{key}.svg"), ("-a4.pdf", f"{key}-a4.pdf")):
                member = f"maket-diem-cau/{tier}/{key}{suffix}"
                assert z.read(member) == (real_site.site / "maket" / site_name).read_bytes()
                names.discard(member)
            names.discard(f"maket-diem-cau/{tier}/{key}-qr.svg")
        assert names == {"maket-diem-cau/HUONG-DAN-IN.txt", "maket-diem-cau/GIAY-PHEP.txt"}
    assert "TỶ LỆ 1:10" in readme and "in phóng 10 lần" in readme and "Huyện ủy Hương Sơn" in readme
    # Up to 500 points the index is one page: one archive of every point, none by group.
    assert [p.name for p in (real_site.site / "maket").glob("*.zip")] == ["maket-diem-cau.zip"]
    assert ".zip" not in real_site.html("dc/huong-son/")


@pytest.mark.parametrize("directory_urls", [True, False])
def test_links_to_a_points_files_share_one_prefix_per_page(directory_urls: bool) -> None:
    """Worked out once for all point pages (and once for the makets page), as if for each link."""
    from microsite.routes import relative_url

    for page, shared in (("dc/huong-son.md", "dc/_.md"), (routes.MAKETS, routes.MAKETS)):
        prefixes = maket._prefixes(shared, directory_urls)
        for kind in routes.PRINT_FILES:
            dest = routes.print_file(kind, "huong-son")
            assert prefixes[kind] + dest.split("/")[1] == relative_url(page, dest, directory_urls), (page, kind)


def test_local_address_is_flagged_and_public_one_is_not(print_site, real_site: Built) -> None:
    built, _, _ = print_site
    assert "Chưa gửi in" not in built.text("maket/")
    assert "địa chỉ chỉ máy này mở được" in real_site.output


# ---------------------------------------------------------------------------------------------
# Build behaviour: no site_url, the cache, both cores
# ---------------------------------------------------------------------------------------------


def test_build_without_site_url_stops_before_touching_site(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old")
    for value in ("", "hoinghi.example.vn"):
        built = build_site(DATA, site, env={"SITE_URL": value})
        assert built.returncode != 0
        assert "Traceback" not in built.output
        # MkDocs itself refuses an address without http(s):// before our hook runs (tools/build.py words it)
        assert ("chưa có địa chỉ công bố" if not value else "site_url") in built.output
        assert [p.name for p in site.iterdir()] == ["index.html"]


def test_cold_build_uses_workers_and_warm_build_makes_nothing(print_site, tmp_path: Path) -> None:
    built, meeting, cache = print_site
    points = 18 + 2 + 40
    assert f"QR codes and makets: {points} points" in built.output
    assert re.search(r"\d+ files made on 2 processes, 0 from the cache", built.output), built.output
    env = {"SITE_URL": PUBLIC, "MICROSITE_CACHE_DIR": str(cache), "MICROSITE_JOBS": "2"}
    warm = build_site(meeting, tmp_path / "warm", env=env)
    assert warm.returncode == 0, warm.output
    assert re.search(r"0 files made, \d+ from the cache", warm.output), warm.output
    for name in ("maket/dai.pdf", "maket/dai-a4.pdf", "qr/dai.png", "maket/maket-diem-cau.zip"):
        assert (warm.site / name).read_bytes() == (built.site / name).read_bytes()
    # A changed input makes new files: here every point's, since the level changes every code.
    data = load_data(meeting)
    data["maket"]["error_correction"] = "Q"
    changed = build_site(write_meeting(tmp_path / "q.yaml", data), tmp_path / "q", env=env)
    assert changed.returncode == 0, changed.output
    assert re.search(r"(\d+) files made", changed.output).group(1) != "0"
    assert [r.ec_level for r in zxingcpp.read_barcodes(Image.open(changed.site / "qr" / "dai.png"))] == ["Q"]


def test_an_edited_point_remakes_its_own_files_only(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    options = SiteOptions(site_url=PUBLIC)
    seed, again = load_meeting(DATA), load_meeting(DATA)  # both kept: prepare() remembers a meeting by id
    first = maket.prepare(seed, options, point_index(seed))
    assert first.made == 6 * len(REAL_KEYS) + 2  # each point's six files, the record of the set, the archive
    warm = maket.prepare(again, options, point_index(again))
    assert warm.made == 0 and warm.reused == 6 * len(REAL_KEYS) + 1
    assert [(p.files, p.version, p.page_links) for p in warm.points] == [
        (p.files, p.version, p.page_links) for p in first.points]
    data = load_data(DATA)
    data["tiers"][1]["points"][0]["name"] = "Thành ủy Hà Tĩnh (mới)"
    edited = load_meeting(write_meeting(tmp_path / "edited.yaml", data))
    changed = maket.prepare(edited, options, point_index(edited))
    key = data["tiers"][1]["points"][0]["slug"]
    # The point's backdrop (SVG, PDF) and poster, the record of the set and the archive; its QR code stays.
    assert changed.made == 5
    for before, after in zip(first.points, changed.points):
        same = {k for k in before.files if before.files[k] == after.files[k]}
        assert same == ({"qr_svg", "qr_png"} if after.key == key else set(before.files)), after.key
    assert changed.archive.path != first.archive.path


def test_a_missing_qr_library_is_named_before_site_is_touched(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    source = project / "hooks" / "microsite" / "outputs" / "qr.py"
    line = 'LIBRARY = "libqrencode.so.4"'
    assert line in source.read_text(encoding="utf-8")
    source.write_text(source.read_text(encoding="utf-8").replace(line, 'LIBRARY = "libqrencode-absent.so.4"'),
                      encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("old")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": PUBLIC,
           "MEETING_FILE": str(project / "data" / "meeting.yaml")}
    built = subprocess.run([str(MKDOCS), "build", "--strict", "--site-dir", str(site)], cwd=project, env=env,
                           capture_output=True, text=True, timeout=300)
    assert built.returncode != 0 and "Traceback" not in built.stderr
    assert "máy này chưa có thư viện libqrencode" in built.stderr and "apt-get install libqrencode4" in built.stderr
    assert [p.name for p in site.iterdir()] == ["index.html"]


def test_a_missing_font_is_named_before_the_build(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(maket, "FONT_FILES", (str(tmp_path / "none.ttf"),))
    monkeypatch.setenv("PATH", str(tmp_path))  # no fc-match either
    maket._font_problem.cache_clear()
    try:
        assert "fonts-dejavu-core" in maket.print_problem("https://hoinghi.example.vn/")
    finally:
        maket._font_problem.cache_clear()
    monkeypatch.undo()
    assert maket.print_problem("https://hoinghi.example.vn/") is None
