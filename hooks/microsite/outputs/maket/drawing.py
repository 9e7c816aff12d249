"""The drawings: the built-in backdrop and the A4 poster as shapes and lines of text, and the SVG,
PDF and PNG files written from them. A backdrop on the organizer's template (template.py) is the
same drawing over the organizer's picture."""

from __future__ import annotations

import io
import os
import time
from dataclasses import dataclass
from functools import lru_cache
from math import pi
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .. import qr
from ...source.model import MeetingFile
from ...text import fold, place_date_line, point_label, upper, vn_number
from .layout import ASCENT, FONT, LINE_PITCH, MONO, MONO_STACK, Item, Line, Rect, lead_words, metrics, stack

TEMPLATES = Path(__file__).parent.parent / "templates"  # outputs/templates: the drawings' own

RED, DARK_RED, GOLD, WHITE, INK = "#c8102e", "#9e0b22", "#ffd700", "#ffffff", "#000000"
MAX_PAGE_MM = 5080  # 200 in: the largest page PDF readers (and Illustrator) accept
SCALES = (1, 10, 100)
A4 = (210, 297)
A4_QR_MM = 110  # scans from about a metre, across the entrance table


# ---------------------------------------------------------------------------------------------
# What every maket of this meeting shares
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """Everything the drawings need besides the point; plain data, so it travels to worker processes."""

    width_mm: int
    height_mm: int
    scale: int  # the files are drawn at 1:scale
    screen_px: tuple[int, int] | None
    reading_distance_m: float
    qr_width_mm: float
    level: str
    issuer: str
    headline: str
    subtitle: str
    date_line: str
    caption: str
    meeting_title: str

    @property
    def file_size_mm(self) -> tuple[float, float]:
        return self.width_mm / self.scale, self.height_mm / self.scale


def spec(m: MeetingFile) -> Spec:
    mk = m.maket
    width, height = mk.dimensions
    scale = next((s for s in SCALES if max(width, height) / s <= MAX_PAGE_MM), SCALES[-1])
    headline, subtitle = _split_title(mk.title or m.meeting.title, m.meeting.kind)
    return Spec(width, height, scale, mk.screen_px, mk.reading_distance, mk.qr_width_mm, mk.error_correction,
                upper(mk.issuer or m.meeting.issuer.organization), upper(headline), upper(subtitle),
                date_line(m), mk.caption, m.meeting.title)


def _split_title(title: str, kind: str) -> tuple[str, str]:
    """'Hội nghị trực tuyến toàn tỉnh quán triệt, …' → ('Hội nghị trực tuyến toàn tỉnh', 'quán triệt, …')
    when the title starts with the meeting's kind: a headline, then the subject below it."""
    if fold(title).startswith(fold(kind)) and len(title) > len(kind):
        rest = title[len(kind):].strip(" ,:;-–—")
        if rest:
            return title[:len(kind)], rest
    return title, ""


def point_heading(name: str) -> str:
    """'Huyện ủy Hương Sơn' → 'ĐIỂM CẦU HUYỆN ỦY HƯƠNG SƠN'; 'Điểm cầu tỉnh' is not doubled."""
    return upper(point_label(name))


def date_line(m: MeetingFile) -> str:
    """'Hà Tĩnh, ngày 30 tháng 9 năm 2021', as the place-and-date line of official papers."""
    return place_date_line(m.maket.place, [s.date for s in m.meeting.sessions])


# ---------------------------------------------------------------------------------------------
# Drawings
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QRPlacement:
    x: float  # top-left of the first module (the quiet zone lies around it)
    y: float
    module: float
    runs: list[tuple[int, int, int]]  # dark runs (x, y, length), in modules

    @property
    def d(self) -> str:
        return "".join(f"M{x} {y}h{w}v1h{-w}z" for x, y, w in self.runs)


@dataclass(frozen=True)
class Drawing:
    width: float  # real mm; the viewBox
    height: float
    scale: int
    background: str
    rects: list[Rect]
    lines: list[Line]
    qr: QRPlacement
    title: str
    desc: str

    @property
    def file_width(self) -> float:
        return self.width / self.scale

    @property
    def file_height(self) -> float:
        return self.height / self.scale


@dataclass(frozen=True)
class PointIn:
    """One point's inputs: all that differs between two makets of the same meeting."""

    key: str
    name: str
    url: str


def backdrop(sp: Spec, point: PointIn, code: qr.Code) -> Drawing:
    """The stage backdrop: text centred on the left, the QR code on a white panel on the right."""
    W, H = sp.width_mm, sp.height_mm
    margin = 0.07 * H  # safe zone: hems, eyelets and the frame of an LED wall eat the edges
    module = sp.qr_width_mm / code.size
    quiet = qr.QUIET_ZONE * module
    mt = metrics()
    caption_w = mt.width(sp.caption)
    url_w = mt.width(point.url, MONO, bold=False)
    # The panel is the code and its quiet zone; wider only if the caption would get too small.
    panel_w = min(max(sp.qr_width_mm + 2 * quiet, 0.022 * H * caption_w + 2 * quiet), 0.42 * W)
    inner = panel_w - 2 * quiet
    caption = min(0.04 * H, 0.96 * inner / caption_w)
    url = min(0.6 * caption, 0.96 * inner / url_w)
    words = caption * LINE_PITCH + url * 1.5
    panel_h = sp.qr_width_mm + 2 * quiet + words + 0.6 * quiet
    if panel_h > H - 2 * margin:  # only when the code is near its largest: shrink the words, never the code
        factor = max(H - 2 * margin - (sp.qr_width_mm + 2.6 * quiet), 0) / words
        caption, url = caption * factor, url * factor
        panel_h = H - 2 * margin
    panel_x = W - margin - panel_w
    panel_y = (H - panel_h) / 2
    qr_x = panel_x + (panel_w - sp.qr_width_mm) / 2
    qr_y = panel_y + quiet
    text_y = qr_y + sp.qr_width_mm + quiet
    panel_lines = [
        Line(sp.caption, panel_x + panel_w / 2, text_y + caption * ASCENT, caption, INK),
        Line(point.url, panel_x + panel_w / 2, text_y + caption * LINE_PITCH + url * 1.1, url, INK,
             bold=False, family=MONO_STACK),
    ]
    items = [Item(sp.issuer, 0.055 * H, WHITE, 2),
             Item("", 0.006 * H, GOLD, rule=0.22, space_before=3.0),
             Item(sp.headline, 0.1 * H, GOLD, 2, space_before=0.35, one_line_down_to=0.6,
                  break_after=lead_words(sp.headline))]
    if sp.subtitle:
        items.append(Item(sp.subtitle, 0.06 * H, GOLD, 3, space_before=0.3, below=0.75))
    items += [Item(point_heading(point.name), 0.085 * H, WHITE, 3, space_before=0.7, one_line_down_to=0.8,
                   below=0.9, break_after=2),
              Item(sp.date_line, 0.042 * H, WHITE, 1, bold=False, italic=True, space_before=1.0)]
    lines, rules = stack(items, margin, panel_x - margin, margin, H - margin)
    inset, thick = 0.035 * H, 0.006 * H
    rects = [Rect(inset, inset, W - 2 * inset, H - 2 * inset, GOLD),
             Rect(inset + thick, inset + thick, W - 2 * (inset + thick), H - 2 * (inset + thick), RED),
             *rules,
             Rect(panel_x, panel_y, panel_w, panel_h, WHITE, rx=quiet / 2)]
    return Drawing(W, H, sp.scale, RED, rects, lines + panel_lines, QRPlacement(qr_x, qr_y, module, code.runs()),
                   f"Maket điểm cầu: {point.name}",
                   f"Phông nền {vn_number(W / 1000, 2)} m × {vn_number(H / 1000, 2)} m ({W} × {H} mm), tệp vẽ "
                   f"theo tỷ lệ 1:{sp.scale}. Mã QR rộng {sp.qr_width_mm:.0f} mm, dẫn tới {point.url}")


def poster(sp: Spec, point: PointIn, code: qr.Code) -> Drawing:
    """The A4 poster for the entrance table: white paper, little ink, the same QR code."""
    W, H = A4
    margin = 14.0
    module = A4_QR_MM / code.size
    quiet = qr.QUIET_ZONE * module
    mt = metrics()
    inner = W - 2 * margin
    caption = min(6.5, 0.96 * inner / mt.width(sp.caption))
    url = min(4.2, 0.96 * inner / mt.width(point.url, MONO, bold=False))
    date = min(4.5, 0.96 * inner / mt.width(sp.date_line, bold=False, italic=True))
    band = 6.0
    y_date = H - margin - 2
    y_url = y_date - date * 2.0
    y_caption = y_url - url * 1.9
    qr_y = y_caption - caption * 1.3 - quiet - A4_QR_MM
    qr_x = (W - A4_QR_MM) / 2
    lines_bottom = [
        Line(sp.caption, W / 2, y_caption, caption, INK),
        Line(point.url, W / 2, y_url, url, INK, bold=False, family=MONO_STACK),
        Line(sp.date_line, W / 2, y_date, date, INK, bold=False, italic=True),
    ]
    items = [Item(sp.issuer, 6.0, RED, 2),
             Item("", 0.7, RED, rule=0.25, space_before=2.5),
             Item(sp.headline, 10.0, RED, 2, space_before=0.5, one_line_down_to=0.6,
                  break_after=lead_words(sp.headline))]
    if sp.subtitle:
        items.append(Item(sp.subtitle, 5.5, INK, 4, space_before=0.3, below=0.75))
    items.append(Item(point_heading(point.name), 9.0, RED, 3, space_before=0.9, one_line_down_to=0.8,
                      below=0.9, break_after=2))
    lines, rules = stack(items, margin, W - margin, band + margin * 0.6, qr_y - quiet)
    rects = [Rect(0, 0, W, band, RED), Rect(0, H - band / 2, W, band / 2, RED), *rules]
    return Drawing(W, H, 1, WHITE, rects, lines + lines_bottom, QRPlacement(qr_x, qr_y, module, code.runs()),
                   f"Điểm cầu: {point.name}",
                   f"Tờ A4 đặt tại bàn đón tiếp. Mã QR dẫn tới {point.url}")


# ---------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")


@lru_cache(maxsize=1)
def _svg_env() -> Environment:
    # Autoescape on: every name and title from the YAML lands in SVG text as XML text, never markup.
    env = Environment(loader=FileSystemLoader(TEMPLATES), undefined=StrictUndefined, trim_blocks=True,
                      lstrip_blocks=True, keep_trailing_newline=True,
                      autoescape=select_autoescape(enabled_extensions=("svg.j2",), default=False))
    env.filters["n"] = _number
    return env


def svg(drawing: Drawing) -> bytes:
    return _svg_env().get_template("maket.svg.j2").render(d=drawing).encode()


# The PDF and the screen PNG are painted with cairo straight from the drawing the SVG is written
# from, not by parsing that SVG again: CairoSVG draws text letter by letter and parses the QR path
# in Python, about 13 ms a page against 3 ms here, which is minutes for 10,000 points. Both paths
# use the same cairo fonts; tests rasterise the SVG (with CairoSVG) and the PDF and scan both.


def _rgb(colour: str) -> tuple[float, float, float]:
    return int(colour[1:3], 16) / 255, int(colour[3:5], 16) / 255, int(colour[5:7], 16) / 255


def _paint(ctx, d: Drawing) -> None:
    import cairocffi as c

    ctx.set_source_rgb(*_rgb(d.background))
    ctx.rectangle(0, 0, d.width, d.height)
    ctx.fill()
    for r in d.rects:
        ctx.set_source_rgb(*_rgb(r.fill))
        if r.rx:
            _rounded(ctx, r)
        else:
            ctx.rectangle(r.x, r.y, r.width, r.height)
        ctx.fill()
    for t in d.lines:
        ctx.select_font_face(MONO if t.family == MONO_STACK else FONT,
                             c.FONT_SLANT_ITALIC if t.italic else c.FONT_SLANT_NORMAL,
                             c.FONT_WEIGHT_BOLD if t.bold else c.FONT_WEIGHT_NORMAL)
        ctx.set_font_size(t.size)
        advance = ctx.text_extents(t.text)[4]
        ctx.move_to(t.x - advance / 2 if t.anchor == "middle" else t.x, t.y)
        ctx.set_source_rgb(*_rgb(t.fill))
        ctx.show_text(t.text)
    ctx.save()
    ctx.translate(d.qr.x, d.qr.y)
    ctx.scale(d.qr.module, d.qr.module)
    for x, y, w in d.qr.runs:  # one path, filled once: no seams between modules
        ctx.rectangle(x, y, w, 1)
    ctx.set_source_rgb(0, 0, 0)
    ctx.fill()
    ctx.restore()


def _rounded(ctx, r: Rect) -> None:

    x0, y0, x1, y1, k = r.x, r.y, r.x + r.width, r.y + r.height, r.rx
    ctx.new_sub_path()
    ctx.arc(x1 - k, y0 + k, k, -pi / 2, 0)
    ctx.arc(x1 - k, y1 - k, k, 0, pi / 2)
    ctx.arc(x0 + k, y1 - k, k, pi / 2, pi)
    ctx.arc(x0 + k, y0 + k, k, pi, 3 * pi / 2)
    ctx.close_path()


def pdf(drawing: Drawing, target: str | None = None) -> bytes | None:
    """One PDF page the size of the SVG (so also at its scale); cairo embeds the fonts as subsets.

    Written to the file `target` when given (cairo then writes it itself, much faster than through
    a Python stream), else returned.
    """
    import cairocffi as c

    out = target or io.BytesIO()
    pt = 72 / 25.4
    surface = c.PDFSurface(out, drawing.file_width * pt, drawing.file_height * pt)
    surface.set_metadata(c.PDF_METADATA_TITLE, drawing.title)
    surface.set_metadata(c.PDF_METADATA_SUBJECT, drawing.desc)
    surface.set_metadata(c.PDF_METADATA_CREATOR, "microsite")
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():  # reproducible builds
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))
        surface.set_metadata(c.PDF_METADATA_CREATE_DATE, stamp)
    ctx = c.Context(surface)
    ctx.scale(pt / drawing.scale, pt / drawing.scale)
    _paint(ctx, drawing)
    surface.finish()
    return None if target else out.getvalue()


def screen_png(drawing: Drawing, size: tuple[int, int]) -> bytes:
    """The backdrop at an LED wall's pixels."""
    import cairocffi as c

    surface = c.ImageSurface(c.FORMAT_RGB24, *size)
    ctx = c.Context(surface)
    ctx.scale(size[0] / drawing.width, size[1] / drawing.height)
    _paint(ctx, drawing)
    out = io.BytesIO()
    surface.write_to_png(out)
    return out.getvalue()


