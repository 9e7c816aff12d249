"""The drawings: the built-in backdrop and the A4 poster as shapes and lines of text, and the SVG,
PDF and PNG files written from them. A backdrop on the organizer's template (template.py) is the
same drawing over the organizer's picture."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import qr
from ...source import backdrop as backdrop_file
from ...source.model import MaketTemplate, MeetingFile
from ...text import fold, place_and_date, point_label, tel_uri, upper, vn_number, vn_written_dates
from .layout import ASCENT, LINE_PITCH, MONO, MONO_STACK, Item, Line, Rect, lead_words, metrics, stack

TEMPLATES = Path(__file__).parent.parent / "templates"  # outputs/templates: the drawings' own

RED, DARK_RED, GOLD, WHITE, INK = "#c8102e", "#9e0b22", "#ffd700", "#ffffff", "#000000"
MAX_PAGE_MM = 5080  # 200 in: the largest page PDF readers (and Illustrator) accept
SCALES = (1, 10, 100)
A4 = (210, 297)
A4_QR_MM = 110  # scans from about a metre, across the entrance table
POSTER_CONTACTS = 4  # contact lines on the A4 poster; the page has them all


# ---------------------------------------------------------------------------------------------
# What every maket of this meeting shares
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TemplateSpec:
    """The organizer's backdrop (source/backdrop.py found and read it) and its boxes, in real mm:
    (x, y, width, height) and, for text, its colour. Its digest keys the cache."""

    path: str
    kind: str  # svg, pdf, png
    digest: str
    name: tuple[float, float, float, float, str]
    qr: tuple[float, float, float, float] | None
    title: tuple[float, float, float, float, str] | None
    date: tuple[float, float, float, float, str] | None


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
    qr_position: str = "right"  # the built-in design's panel: right, left, none
    template: TemplateSpec | None = None  # the organizer's backdrop instead of the built-in design

    @property
    def backdrop_has_code(self) -> bool:
        return bool(self.template.qr) if self.template else self.qr_position != "none"

    @property
    def file_size_mm(self) -> tuple[float, float]:
        return self.width_mm / self.scale, self.height_mm / self.scale


def spec(m: MeetingFile, data_dir: Path | None = None) -> Spec:
    mk = m.maket
    width, height = mk.dimensions
    scale = next((s for s in SCALES if max(width, height) / s <= MAX_PAGE_MM), SCALES[-1])
    headline, subtitle = _split_title(mk.title or m.meeting.title, m.meeting.kind)
    return Spec(width, height, scale, mk.screen_px, mk.reading_distance, mk.qr_width_mm, mk.error_correction,
                upper(mk.issuer or m.meeting.issuer.organization), upper(headline), upper(subtitle),
                date_line(m), mk.caption, m.meeting.title, mk.qr_position,
                _template(mk.template, data_dir) if mk.template else None)


def _template(t: MaketTemplate, data_dir: Path | None) -> TemplateSpec:
    found = backdrop_file.read(backdrop_file.locate(data_dir or Path("."), t.file))  # checked at load already

    def box(b, text: bool = True):
        if b is None:
            return None
        return (b.x_mm, b.y_mm, b.width_mm, b.height_mm, *((b.color,) if text else ()))
    return TemplateSpec(str(found.path), found.kind, found.digest, box(t.name), box(t.qr, text=False),
                        box(t.title), box(t.date))


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
    return place_and_date(m.maket.place, vn_written_dates([s.date for s in m.meeting.sessions]))


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
    background: str | None  # a colour, or None over the organizer's template
    rects: list[Rect]
    lines: list[Line]
    qr: QRPlacement | None  # None: no code on this backdrop (the poster always has it)
    title: str
    desc: str
    template: TemplateSpec | None = None  # painted first, under everything else

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
    contacts: tuple[str, ...] = ()  # whom to call, nearest first (views.relations.contact_lines)
    phones: tuple[str, ...] = ()  # the same contacts' numbers, for tap-to-call links in the PDF


def backdrop(sp: Spec, point: PointIn, code: qr.Code) -> Drawing:
    """The stage backdrop: the text centred beside the QR code's white panel, which stands on the
    right (or the left: `maket.qr_position`), or no panel and the text across the whole width."""
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
    panel_x = margin if sp.qr_position == "left" else W - margin - panel_w
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
    text_box = {"left": (panel_x + panel_w + margin, W - margin), "right": (margin, panel_x - margin),
                "none": (margin, W - margin)}[sp.qr_position]
    lines, rules = stack(items, *text_box, margin, H - margin)
    inset, thick = 0.035 * H, 0.006 * H
    rects = [Rect(inset, inset, W - 2 * inset, H - 2 * inset, GOLD),
             Rect(inset + thick, inset + thick, W - 2 * (inset + thick), H - 2 * (inset + thick), RED),
             *rules]
    code_at = None
    if sp.qr_position != "none":
        rects.append(Rect(panel_x, panel_y, panel_w, panel_h, WHITE, rx=quiet / 2))
        lines += panel_lines
        code_at = QRPlacement(qr_x, qr_y, module, code.runs())
    return Drawing(W, H, sp.scale, RED, rects, lines, code_at,
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
    # Whom to call, nearest first: the hall's own technician before the meeting's hotline.
    for i, (line, phone) in enumerate(zip(point.contacts[:POSTER_CONTACTS], point.phones)):
        items.append(Item(line, 4.6, INK, 2, bold=False, space_before=1.2 if i == 0 else 0.25, below=0.55,
                          link=tel_uri(phone) if phone else ""))
    lines, rules = stack(items, margin, W - margin, band + margin * 0.6, qr_y - quiet)
    rects = [Rect(0, 0, W, band, RED), Rect(0, H - band / 2, W, band / 2, RED), *rules]
    return Drawing(W, H, 1, WHITE, rects, lines + lines_bottom, QRPlacement(qr_x, qr_y, module, code.runs()),
                   f"Điểm cầu: {point.name}",
                   f"Tờ A4 đặt tại bàn đón tiếp. Mã QR dẫn tới {point.url}")
