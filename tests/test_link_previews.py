"""Every page carries the tags chat apps read for a preview; the card they show is drawn from the data."""

from __future__ import annotations

import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import DATA, DOCUMENTS_CASE, Built, build_site, load_data, write_meeting
from PIL import Image, ImageDraw, ImageFont
from test_escaping import PAYLOAD, STRUCTURED, poison

from microsite import load_meeting, text
from microsite.outputs import card as share

SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's default, as the tests build without SITE_URL


class _Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.lang: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta.setdefault(attrs.get("property") or attrs["name"], []).append(attrs.get("content") or "")


def head(page: Path) -> _Head:
    parser = _Head()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def check_previews(built: Built) -> dict[str, dict[str, str]]:
    """Check every page's preview tags; return them by site-relative URL."""
    out = {}
    for page in built.pages():
        url = page.relative_to(built.site).as_posix().removesuffix("index.html")
        tags = head(page)
        assert tags.lang == "vi", url
        meta = {}
        for key, values in tags.meta.items():
            assert len(values) == 1, (url, key, values)
            meta[key] = values[0]
        for key in ("og:title", "og:description", "og:site_name", "twitter:title", "twitter:description"):
            assert meta.get(key, "").strip(), (url, key)
        assert meta["og:type"] == "website" and meta["og:locale"] == "vi_VN", url
        assert meta["twitter:card"] == "summary_large_image", url
        assert meta["og:title"] == meta["twitter:title"] and meta["og:description"] == meta["twitter:description"]
        assert meta["og:description"] == meta["description"], url
        if url != "404.html":  # the error page has no address of its own
            assert meta["og:url"] == SITE_URL + url, url
        assert meta["og:image"] == meta["twitter:image"] and meta["og:image"].startswith(SITE_URL), url
        image = built.site / meta["og:image"].removeprefix(SITE_URL)
        with Image.open(image) as card:
            assert card.format == "PNG" and card.size == (int(meta["og:image:width"]), int(meta["og:image:height"]))
            assert card.size == (1200, 630)
        assert meta["og:image:type"] == "image/png" and meta["og:image:alt"].strip()
        out[url] = meta
    return out


def test_every_page_has_a_link_preview(real_site: Built) -> None:
    previews = check_previews(real_site)
    assert len(previews) == len(real_site.pages()) >= 25
    home = previews[""]
    assert home["og:title"] == "Hội nghị trực tuyến toàn tỉnh 30/9/2021"
    assert home["og:description"].startswith("Hội nghị trực tuyến toàn tỉnh quán triệt, học tập")
    assert previews["tai-lieu/"]["og:title"] == "Tài liệu"


def test_a_point_preview_says_what_the_page_is_for(real_site: Built) -> None:
    previews = check_previews(real_site)
    assert previews["dc/huong-son/"]["og:description"] == "Điểm cầu Huyện ủy Hương Sơn — 07h30, thứ Năm, ngày 30/9/2021"
    assert previews["dc/tinh/"]["og:description"] == "Điểm cầu tỉnh — 07h30, thứ Năm, ngày 30/9/2021"
    assert previews["dc/huong-son/"]["og:title"] == "Huyện ủy Hương Sơn"


def _card_lines(m) -> list[str]:
    mt = m.meeting
    return [mt.issuer.organization.upper(), mt.issuer.unit, mt.title, text.vn_datetime(mt.starts), mt.format or ""]


def test_the_card_has_a_glyph_for_every_vietnamese_letter_it_draws() -> None:
    """A font without Vietnamese draws the .notdef box instead of 'Ỷ', 'ệ', 'ư'... Compare with it."""
    regular, bold = share.fonts()
    m = load_meeting(DATA)
    letters = {c for line in _card_lines(m) for c in line if not c.isspace()}
    assert {"Ủ", "Ỉ", "Ĩ", "ệ", "ư", "ơ", "ự", "ể", "ậ"} <= letters  # the seed really needs them
    def bitmap(font: ImageFont.FreeTypeFont, letter: str) -> bytes:
        image = Image.new("L", (80, 80))
        ImageDraw.Draw(image).text((10, 10), letter, font=font, fill=255)
        return image.tobytes()

    for path in (regular, bold):
        font = ImageFont.truetype(str(path), 40)
        missing = bitmap(font, "\ue000")  # a private-use code point: surely not in the font
        assert [c for c in sorted(letters) if bitmap(font, c) == missing] == [], path


def test_the_card_is_drawn_from_the_data_and_long_titles_fit() -> None:
    m = load_meeting(DATA)
    card = share.card_png(m)
    longer = m.model_copy(update={"meeting": m.meeting.model_copy(update={"title": m.meeting.title * 6})})
    other = share.card_png(longer)
    assert card != other
    for png in (card, other):
        with Image.open(io.BytesIO(png)) as image:
            assert image.size == (1200, 630)
    regular, bold = share.fonts()
    font, lines = share._fit(longer.meeting.title + " " + "x" * 400, bold, 62, 28, 1056, 7, 300)
    assert len(lines) <= 7 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 1056 for line in lines)
    assert share._fit(m.meeting.title, bold, 62, 28, 1056, 7, 300)[0].size > 40  # the seed's title stays large


def test_hostile_text_is_escaped_in_every_preview_tag(tmp_path: Path) -> None:
    keep = STRUCTURED | {"file", "url", "conclusion"}

    def hostile(value, key=None):
        if isinstance(value, dict):
            return {k: hostile(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [hostile(v, key) for v in value]
        return poison(value) if isinstance(value, str) and key not in keep else value

    data = hostile(load_data(DOCUMENTS_CASE))
    for i, doc in enumerate(data["documents"]):  # kinds are free text here: headings and anchors
        doc["kind"] = f"{PAYLOAD} @{i}"
    case = write_meeting(tmp_path / "hostile.yaml", data)
    (tmp_path / "tai-lieu").symlink_to(DOCUMENTS_CASE.parent / "tai-lieu", target_is_directory=True)
    built = build_site(case, tmp_path / "site", env={"MICROSITE_NOW": "2022-03-16T08:00"})
    assert built.returncode == 0, built.output
    previews = check_previews(built)  # one of each tag, parsed as tags: nothing broke out of an attribute
    for page in built.pages():
        source = page.read_text(encoding="utf-8")
        assert "<script>alert" not in source and "<img src=x" not in source, page
    home = previews[""]
    assert PAYLOAD in home["og:title"] and PAYLOAD in home["og:description"]  # shown as text, literally
    assert PAYLOAD in previews["tai-lieu/"]["og:description"]
    assert PAYLOAD in previews["dc/huyen-a/"]["og:description"]
    with Image.open(built.site / "assets" / "og.png") as card:
        assert card.size == (1200, 630)


@pytest.mark.parametrize("name", ["Điểm cầu tỉnh", "ĐIỂM CẦU XÃ Sơn Tây", "Xã Sơn Tây"])
def test_point_descriptions_do_not_repeat_the_word_point(name: str) -> None:
    from microsite.source.model import Point

    m = load_meeting(DATA)
    described = share.point_description(m, Point(name=name))
    assert described.count("Điểm cầu") + described.count("ĐIỂM CẦU") == 1
