"""Link previews: what a chat app shows when an organizer pastes the site's address in a group.

Every page carries Open Graph tags (written by `overrides/main.html` from the page's title and
description); this module makes the descriptions say what each page is for and draws the 1200x630
card they all show: the issuing body, the meeting's title and its date, from the meeting file.
One card serves the whole site; a card per connection point would cost a drawing per point, and a
national meeting has ten thousand of them.

The card is drawn with Pillow and the DejaVu fonts (Debian `fonts-dejavu-core`), which cover every
Vietnamese letter precomposed; text is NFC already, so no shaping engine is needed.
"""

from __future__ import annotations

import io
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from .. import text
from .cache import Cache, cache_root, code_version

if TYPE_CHECKING:
    from PIL import ImageFont

    from ..source.model import MeetingFile, Point

WIDTH, HEIGHT = 1200, 630

FONT_VARIABLE = "MICROSITE_FONT_DIR"
FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/share/fonts/TTF",
             "/usr/share/fonts/dejavu-sans-fonts", "/usr/local/share/fonts", "/opt/homebrew/share/fonts")
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")

RED, DARK, GREY, WHITE, PALE = "#b71c1c", "#1f1f1f", "#5f5f5f", "#ffffff", "#fde8e8"
MARGIN = 72


def point_description(m: MeetingFile, point: Point) -> str:
    """'Điểm cầu Huyện ủy Hương Sơn — 07h30, thứ Năm, ngày 30/9/2021' (no 'Điểm cầu Điểm cầu tỉnh')."""
    return f"{text.point_label(point.name)} — {text.vn_datetime(m.meeting.starts)}"


@lru_cache(maxsize=1)
def fonts() -> tuple[Path, Path]:
    """The regular and bold DejaVu Sans files; a clear error when the machine has none."""
    dirs = [os.environ[FONT_VARIABLE]] if os.environ.get(FONT_VARIABLE) else list(FONT_DIRS)
    for folder in dirs:
        paths = tuple(Path(folder) / name for name in FONT_FILES)
        if all(p.is_file() for p in paths):
            return paths  # type: ignore[return-value]
    raise ValueError(f"ảnh xem trước khi chia sẻ đường dẫn cần phông chữ DejaVu Sans ({', '.join(FONT_FILES)}), "
                     f"không thấy trong {', '.join(dirs)}: cài fonts-dejavu-core (Debian) hoặc đặt {FONT_VARIABLE}")


def card_file(m: MeetingFile) -> Path:
    """The card, drawn again only when what it shows (or the code, Pillow or the fonts) changed:
    drawing it takes longer than building a small site's pages."""
    mt = m.meeting
    shown = (mt.issuer.organization, mt.issuer.unit, mt.title, text.vn_datetime(mt.starts), mt.format)
    fonts_used = [(str(p), st.st_size, st.st_mtime_ns) for p in fonts() for st in [p.stat()]]
    key = Cache.key(code_version(packages=("pillow",)), "card", shown, fonts_used)
    return Cache(cache_root()).get_or_make("card", key, "png", lambda: card_png(m))


def card_png(m: MeetingFile) -> bytes:
    from PIL import Image, ImageDraw

    regular, bold = fonts()
    mt = m.meeting
    image = Image.new("RGB", (WIDTH, HEIGHT), WHITE)
    draw = ImageDraw.Draw(image)
    width = WIDTH - 2 * MARGIN

    # Band: who convenes.
    draw.rectangle((0, 0, WIDTH, 176), fill=RED)
    org = text.upper(mt.issuer.organization)
    font, lines = _fit(org, bold, 46, 24, width, 1, 60)
    draw.text((MARGIN, 40), lines[0], font=font, fill=WHITE)
    if text.fold(mt.issuer.unit) != text.fold(mt.issuer.organization):
        font, lines = _fit(mt.issuer.unit, regular, 32, 20, width, 1, 44)
        draw.text((MARGIN, 108), lines[0], font=font, fill=PALE)

    # The meeting's title, as large as fits.
    font, lines = _fit(mt.title, bold, 62, 28, width, 7, 300)
    y = 214
    for line in lines:
        draw.text((MARGIN, y), line, font=font, fill=DARK)
        y += round(font.size * 1.28)

    # When, and how it connects.
    draw.rectangle((MARGIN, 538, MARGIN + 8, 584), fill=RED)
    when = text.vn_datetime(mt.starts)
    font, lines = _fit(when, bold, 36, 22, width - 24, 1, 48)
    draw.text((MARGIN + 24, 574), lines[0], font=font, fill=RED, anchor="ls")
    if mt.format:  # on the same line when it fits, else left out: the date matters more
        left = MARGIN + 24 + font.getlength(lines[0]) + 20
        small, more = _fit(f"· {mt.format}", regular, 32, 18, MARGIN + width - left, 1, 48)
        if small.getlength(more[0]) <= MARGIN + width - left:
            draw.text((left, 574), more[0], font=small, fill=GREY, anchor="ls")
    draw.rectangle((0, HEIGHT - 10, WIDTH, HEIGHT), fill=RED)

    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _font(path: Path, size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    # Basic layout: the same pixels on every machine, whether or not libraqm is installed.
    return ImageFont.truetype(str(path), size, layout_engine=ImageFont.Layout.BASIC)


def _fit(value: str, path: Path, largest: int, smallest: int, width: float, max_lines: int,
         height: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest font size at which `value` wraps into the box; at the smallest, cut with '…'."""
    for size in range(largest, smallest - 1, -2):
        font = _font(path, size)
        lines = _wrap(value, font, width)
        if len(lines) <= max_lines and len(lines) * size * 1.28 <= height + size * 0.28:
            return font, lines
    font = _font(path, smallest)
    fits = max(1, min(max_lines, int((height + smallest * 0.28) // (smallest * 1.28))))
    lines = _wrap(value, font, width)
    if len(lines) > fits:
        lines = lines[:fits]
        last = lines[-1]
        while last and font.getlength(last + " …") > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + " …"
    return font, lines


def _wrap(value: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy word wrap; a word longer than the line is cut between letters."""
    lines: list[str] = []
    line = ""
    for word in value.split():
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        while font.getlength(word) > width:
            low, high = 1, len(word)  # the longest prefix that fits, found by bisection
            while low < high:
                mid = (low + high + 1) // 2
                low, high = (mid, high) if font.getlength(word[:mid]) <= width else (low, mid - 1)
            lines.append(word[:low])
            word = word[low:]
        line = word
    if line:
        lines.append(line)
    return lines or [""]
