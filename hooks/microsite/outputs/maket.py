"""Makets: the print-ready backdrop of every connection point, its A4 poster and its QR code.

The invitation asks every point to put up a maket "theo mẫu gửi kèm"; ours carries a QR code that
opens the point's own page. For each point this makes, from the meeting file alone:

- `qr/<slug>.svg` (vector, for print) and `qr/<slug>.png` (for screens);
- `maket/<slug>.svg` and `maket/<slug>.pdf`: the backdrop (issuer, title in capitals, "ĐIỂM CẦU …",
  place and date, the QR code on a white panel with a one-line caption), fonts embedded in the PDF;
  for an LED wall also `maket/<slug>.png` at the screen's pixels;
- `maket/<slug>-a4.pdf`: an A4 poster for the entrance table, same QR code;

and for the organizer a page listing them and one archive with every maket. When the index of
points is split by group (`index.py`, a national meeting), the page lists only the points of the top
index page and one line per group, and there is one archive per group and one for those points: no
page or archive grows with the whole country. Files are kept in a content-keyed cache (`cache.py`),
so an unchanged meeting rebuilds without making any of them again.

Large backdrops are drawn at a reduced scale (1:10 for the 6 m default): PDF readers and design
programs refuse pages over 200 inches (5080 mm), and print shops work from scaled files anyway.
Coordinates in the SVG stay real millimetres; only its width and height attributes are scaled.
"""

from __future__ import annotations

import io
import json
import logging
import os
import posixpath
import shutil
import subprocess
import time
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from math import comb, pi
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import notices, qr
from .. import routes
from ..routes import ARCHIVE, MAKETS, PRINT_FILES, TOP_ARCHIVE, SiteOptions, group_archive, point_src, print_file
from .cache import Cache, cache_root, code_version, parallel_map, pool_size
from ..views.index import PointIndex
from ..source.model import QR_READING_RATIO, MeetingFile, Point, Tier
from ..text import fold, place_and_date, point_label, upper, vn_number, vn_written_dates

log = logging.getLogger("mkdocs.plugins.microsite.maket")

TEMPLATES = Path(__file__).parent / "templates"  # outputs/templates: the drawings' own

# DejaVu covers every Vietnamese letter with precomposed glyphs. The SVG names fallbacks that are
# narrower, so text laid out for DejaVu cannot overflow where another font stands in.
FONT = "DejaVu Sans"
FONT_STACK = "DejaVu Sans, Arial, Helvetica, sans-serif"
MONO = "DejaVu Sans Mono"
MONO_STACK = "DejaVu Sans Mono, Consolas, Courier New, monospace"
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",)

RED, DARK_RED, GOLD, WHITE, INK = "#c8102e", "#9e0b22", "#ffd700", "#ffffff", "#000000"
MAX_PAGE_MM = 5080  # 200 in: the largest page PDF readers (and Illustrator) accept
SCALES = (1, 10, 100)
A4 = (210, 297)
A4_QR_MM = 110  # scans from about a metre, across the entrance table
# Capitals with stacked Vietnamese marks reach 1.10 em above the baseline in DejaVu Sans Bold (Ẩ),
# dots below 0.21 em under it (Ộ): lines need more room than the usual 1.2.
LINE_PITCH = 1.32
ASCENT = 1.1

# Bump when the output changes in a way the hashed sources below do not show.
_FORMAT = "1"


@lru_cache(maxsize=1)
def _version() -> str:
    return _FORMAT + code_version(packages=("qrcode", "cairocffi", "pillow"))


# ---------------------------------------------------------------------------------------------
# Checks made before the build touches site/
# ---------------------------------------------------------------------------------------------


def print_problem(site_url: str | None) -> str | None:
    """Why QR codes and makets cannot be made on this machine for this site, or None."""
    return qr.site_url_problem(site_url) or _font_problem()


@lru_cache(maxsize=1)
def _font_problem() -> str | None:
    # Where Debian installs it, fontconfig finds it; ask fontconfig (a process, 5 ms of every
    # build) only when the font is elsewhere.
    if any(Path(p).exists() for p in FONT_FILES):
        return None
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{family}", f"{FONT}:bold"], capture_output=True,
                               text=True, timeout=30).stdout
        if FONT in found:
            return None
    return (f"máy này chưa có phông chữ '{FONT}', cần cho chữ tiếng Việt trên maket: cài bằng "
            "apt-get install fonts-dejavu-core (Debian)")


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


# Names of kinds of meetings: a two-line headline breaks after them ("HỘI NGHỊ" / "TRỰC TUYẾN …"),
# never inside a word of two syllables, which a balanced split alone would do.
_MEETING_WORDS = ("hoi nghi", "hoi thao", "dai hoi", "toa dam", "dien dan", "le ky niem", "le")


def lead_words(text: str) -> int:
    folded = fold(text).split()
    for term in _MEETING_WORDS:
        words = term.split()
        if folded[:len(words)] == words and len(folded) > len(words):
            return len(words)
    return 0


def point_heading(name: str) -> str:
    """'Huyện ủy Hương Sơn' → 'ĐIỂM CẦU HUYỆN ỦY HƯƠNG SƠN'; 'Điểm cầu tỉnh' is not doubled."""
    return upper(point_label(name))


def date_line(m: MeetingFile) -> str:
    """'Hà Tĩnh, ngày 30 tháng 9 năm 2021', as the place-and-date line of official papers."""
    return place_and_date(m.maket.place, vn_written_dates([s.date for s in m.meeting.sessions]))


# ---------------------------------------------------------------------------------------------
# Text measurement and fitting
# ---------------------------------------------------------------------------------------------


class _Metrics:
    """Advance widths from cairo's own font machinery, the one the PDF is painted with.

    Cairo's simple text API neither kerns nor shapes, so a line's width is exactly the sum of its
    words' widths and of the spaces between them: each word is measured once.
    """

    def __init__(self) -> None:
        import cairocffi

        self._cairo = cairocffi
        self._ctx = cairocffi.Context(cairocffi.ImageSurface(cairocffi.FORMAT_A8, 1, 1))
        options = cairocffi.FontOptions()
        options.set_hint_metrics(cairocffi.HINT_METRICS_OFF)
        options.set_hint_style(cairocffi.HINT_STYLE_NONE)
        self._ctx.set_font_options(options)
        self._ctx.set_font_size(100)
        self._widths: dict[tuple[str, str, bool, str], float] = {}

    def width(self, text: str, family: str = FONT, bold: bool = True, italic: bool = False) -> float:
        """Advance width of `text` at font size 1."""
        style = "i" if italic else "n"
        key = (family, style, bold, text)
        if key not in self._widths:
            c = self._cairo
            self._ctx.select_font_face(family, c.FONT_SLANT_ITALIC if italic else c.FONT_SLANT_NORMAL,
                                       c.FONT_WEIGHT_BOLD if bold else c.FONT_WEIGHT_NORMAL)
            self._widths[key] = self._ctx.text_extents(text)[4] / 100
        return self._widths[key]


@lru_cache(maxsize=1)
def metrics() -> _Metrics:
    return _Metrics()


@dataclass(frozen=True)
class Item:
    """A paragraph to fit: `size` is its nominal font size; it wraps to at most `max_lines`."""

    text: str
    size: float
    fill: str
    max_lines: int = 1
    bold: bool = True
    italic: bool = False
    family: str = FONT
    space_before: float = 0.0  # in units of the item's own size
    rule: float = 0.0  # when set, a horizontal rule this many times the region width, not text
    # One line is preferred while it needs no more shrinking than this; else up to `max_lines`.
    one_line_down_to: float = 0.0
    # At most this share of the largest size placed above it, so the hierarchy survives shrinking.
    below: float = 0.0
    # Break after this many words when the text takes more than one line ('ĐIỂM CẦU' / name).
    break_after: int = 0


@dataclass(frozen=True)
class Line:
    text: str
    x: float
    y: float  # baseline
    size: float
    fill: str
    bold: bool = True
    italic: bool = False
    family: str = FONT_STACK
    anchor: str = "middle"


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    fill: str
    rx: float = 0.0


# Where a line may break well: after punctuation, before a word that opens a phrase ("các",
# "của", "và"...), after `Item.break_after` words; never right after such a word. Each point of
# preference is worth giving up this share of the font size (Vietnamese words are written as
# separate syllables, so an even split alone would happily cut "CƠ | QUAN" in two).
_SIZE_PER_POINT = 0.06
_PHRASE_OPENERS = frozenset(("cac", "cua", "va", "tai", "cho", "voi", "trong", "ve", "nhung", "thuoc", "tren",
                             "den", "tu", "o", "la"))
_MAX_SPLITS = 6000


def _bonus(words: tuple[str, ...], j: int, break_after: int) -> int:
    """Preference points for a break between words[j-1] and words[j]."""
    points = 1 if words[j - 1][-1] in ",;:" else 0
    if fold(words[j]) in _PHRASE_OPENERS:
        points += 1
    if fold(words[j - 1]).strip(",;:") in _PHRASE_OPENERS:
        points -= 2
    return points + (2 if j == break_after else 0)


@lru_cache(maxsize=8192)
def _candidates(text: str, lines: int, family: str, bold: bool, italic: bool, break_after: int
                ) -> tuple[tuple[float, int, tuple[int, ...]], ...]:
    """Ways to set `text` on exactly `lines` lines: (widest line at size 1, preference points, breaks).

    Only the best width for each number of points is kept, so a caller weighs a handful.
    """
    words = tuple(text.split())
    n = len(words)
    if lines > n:
        return ()
    mt = metrics()
    widths = [mt.width(w, family, bold, italic) for w in words]
    space = mt.width(" ", family, bold, italic)
    prefix = [0.0]
    for w in widths:
        prefix.append(prefix[-1] + w)

    def widest(breaks: tuple[int, ...]) -> float:
        edges = (0, *breaks, n)
        return max(prefix[b] - prefix[a] + space * (b - a - 1) for a, b in zip(edges, edges[1:]))

    if comb(n - 1, lines - 1) > _MAX_SPLITS:  # very long text: an even split, no preferences
        breaks = _even_breaks(widths, space, lines)
        return ((widest(breaks), 0, breaks),)
    best: dict[int, tuple[float, int, tuple[int, ...]]] = {}
    for breaks in combinations(range(1, n), lines - 1):
        points = sum(_bonus(words, j, break_after) for j in breaks)
        w = widest(breaks)
        if points not in best or w < best[points][0]:
            best[points] = (w, points, breaks)
    return tuple(best.values())


def _even_breaks(widths: list[float], space: float, lines: int) -> tuple[int, ...]:
    """Breaks that give `lines` lines of about equal width (greedy on a bisected width)."""
    def greedy(limit: float) -> list[int]:
        breaks, used = [], widths[0]
        for i, w in enumerate(widths[1:], 1):
            if used + space + w <= limit:
                used += space + w
            else:
                breaks.append(i)
                used = w
        return breaks

    low, high = max(widths), sum(widths) + space * len(widths)
    for _ in range(40):
        mid = (low + high) / 2
        low, high = (low, mid) if len(greedy(mid)) <= lines - 1 else (mid, high)
    return tuple(greedy(high))


def fit(item: Item, size: float, max_width: float) -> tuple[float, list[str]]:
    """Size and lines for the item: as large as its width allows, up to `size`, on the fewest lines
    that reach that size, breaking where a reader expects."""
    words = item.text.split()
    if not words:
        return size, []
    text = " ".join(words)
    options = []
    for lines in range(1, min(item.max_lines, len(words)) + 1):
        cands = _candidates(text, lines, item.family, item.bold, item.italic, item.break_after)
        w, points, breaks = max(cands, key=lambda c: min(size, max_width / c[0]) * (1 + _SIZE_PER_POINT * c[1]))
        options.append((min(size, max_width / w * 0.999), breaks))
    one_line = options[0][0]
    if item.one_line_down_to and one_line >= size * item.one_line_down_to:
        chosen = options[0]
    else:
        # The fewest lines that reach the nominal size, else the arrangement that gets largest.
        chosen = next((o for o in options if o[0] >= size * 0.998), max(options, key=lambda o: o[0]))
    edges = (0, *chosen[1], len(words))
    return chosen[0], [" ".join(words[a:b]) for a, b in zip(edges, edges[1:])]


def stack(items: list[Item], x0: float, x1: float, y0: float, y1: float) -> tuple[list[Line], list[Rect]]:
    """Centre the items in the box, shrinking them all alike until they fit its height."""
    width, height = x1 - x0, y1 - y0
    cx = (x0 + x1) / 2
    for step in range(150):
        scale = 0.96**step
        placed: list[tuple[Item, float, list[str]]] = []
        total = 0.0
        previous = 0.0
        for item in items:
            if item.rule:
                placed.append((item, item.size * scale, []))
                total += item.size * scale * (1 + item.space_before)
                continue
            nominal = item.size * scale
            if item.below and previous:
                nominal = min(nominal, item.below * previous)
            # 4% to spare: italic and bold glyphs overhang their advance, other renderers round.
            size, lines = fit(item, nominal, width * 0.96)
            placed.append((item, size, lines))
            previous = max(previous, size)
            total += size * (item.space_before if len(placed) > 1 else 0) + len(lines) * size * LINE_PITCH
        if total <= height:
            break
    lines_out: list[Line] = []
    rects: list[Rect] = []
    y = y0 + (height - total) / 2
    for i, (item, size, lines) in enumerate(placed):
        if i:
            y += size * item.space_before
        if item.rule:
            w = width * item.rule
            rects.append(Rect(cx - w / 2, y, w, size, item.fill))
            y += size
            continue
        for text in lines:
            lines_out.append(Line(text, cx, y + size * ASCENT, size, item.fill, item.bold, item.italic,
                                  MONO_STACK if item.family == MONO else FONT_STACK))
            y += size * LINE_PITCH
    return lines_out, rects


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


# ---------------------------------------------------------------------------------------------
# Making every point's files, with the cache and both cores
# ---------------------------------------------------------------------------------------------

# What each point gets: kind -> extension of the cache entry.
QR_FILES = {"qr_svg": "svg", "qr_png": "png"}
MAKET_FILES = {"svg": "svg", "pdf": "pdf", "a4": "a4.pdf"}
SCREEN_FILE = {"png": "png"}
@dataclass(frozen=True)
class _Job:
    root: str
    version: str
    spec: Spec
    point: PointIn
    qr_key: str
    maket_key: str


def _entries(cache: Cache, job: _Job) -> dict[str, str]:
    """kind -> cache file, as text: a national meeting has 70,000 of them."""
    files = {"qr": cache.file("qr", job.qr_key, "txt")}
    files.update({k: cache.file("qr", job.qr_key, ext) for k, ext in QR_FILES.items()})
    files.update({k: cache.file("maket", job.maket_key, ext) for k, ext in MAKET_FILES.items()})
    if job.spec.screen_px:
        files.update({k: cache.file("maket", job.maket_key, ext) for k, ext in SCREEN_FILE.items()})
    return files


def _make(job: _Job) -> int:
    """Make whatever of one point's files the cache lacks; return how many were made."""
    cache = Cache(job.root)
    files = {k: Path(p) for k, p in _entries(cache, job).items()}
    missing = {k for k, p in files.items() if not p.exists()}
    if not missing:
        return 0
    if files["qr"].exists():
        code = qr.Code.from_text(files["qr"].read_text(encoding="utf-8"))
    else:
        code = qr.encode(job.point.url, job.spec.level)
        cache.store(files["qr"], code.to_text().encode())
    if "qr_svg" in missing:
        cache.store(files["qr_svg"], qr.svg(code))
    if "qr_png" in missing:
        cache.store(files["qr_png"], qr.png(code))
    if missing & {"svg", "pdf", "png"}:
        drawing = backdrop(job.spec, job.point, code)
        cache.store(files["svg"], svg(drawing))
        cache.store_with(files["pdf"], lambda name: pdf(drawing, name))
        if job.spec.screen_px:
            cache.store(files["png"], screen_png(drawing, job.spec.screen_px))
    if "a4" in missing:
        a4 = poster(job.spec, job.point, code)
        cache.store_with(files["a4"], lambda name: pdf(a4, name))
    return cache.made


@dataclass
class PointPrint:
    """One point's QR code and makets, as the pages show them."""

    key: str
    name: str
    tier: str
    url: str
    version: int
    modules: int
    module_mm: float  # on the real backdrop
    poster_module_mm: float
    files: dict[str, str]  # kind -> cache file
    point_links: dict[str, str] = field(default_factory=dict)  # kind -> href from the point's page
    page_links: dict[str, str] = field(default_factory=dict)  # kind -> href from the makets page


@dataclass(frozen=True)
class Archive:
    """A zip of some points' files, with a note for the print shop."""

    dest: str  # in the site
    path: Path  # the cache file
    size: int
    head: Point | None  # the point heading the group of the index it holds, if it holds one group


@dataclass
class Prepared:
    spec: Spec
    site_url: str
    points: list[PointPrint]
    by_key: dict[str, PointPrint]
    listed: list[tuple[Tier, list[PointPrint]]]  # the points the makets page lists one by one, by tier
    archive: Archive | None  # of those points: every point, unless the index is split
    groups: dict[str, Archive]  # when the index is split: head key -> its group's archive
    page_of: dict[str, str | None]  # point key -> the group that lists it (index.py)
    made: int
    reused: int
    seconds: float

    @property
    def local(self) -> bool:
        return qr.is_local(self.site_url)

    a4_qr_mm: int = A4_QR_MM
    notices: tuple = ()  # notices.works, the fonts being those these makets embed

    @property
    def archives(self) -> list[Archive]:
        return ([self.archive] if self.archive else []) + list(self.groups.values())

    def archive_of(self, key: str) -> Archive | None:
        """The archive of the group a point belongs to (or heads), when there are archives by group."""
        return self.groups.get(self.page_of.get(key) or key)

    def versions_text(self) -> str:
        versions = sorted({p.version for p in self.points})
        return f"{versions[0]}–{versions[-1]}" if len(versions) > 1 else str(versions[0])

    def modules_text(self) -> str:
        sizes = sorted({vn_number(p.module_mm) for p in self.points}, key=lambda s: float(s.replace(",", ".")))
        return f"{sizes[0]}–{sizes[-1]}" if len(sizes) > 1 else sizes[0]


def prepare(m: MeetingFile, options: SiteOptions, index: PointIndex, served_fonts: dict[str, str] | None = None
            ) -> Prepared:
    """Make (or find in the cache) every point's files; called once per build (build.make). The licence
    notices in the archives also name the fonts the site serves (`served_fonts`, see notices.works)."""
    problem = qr.site_url_problem(options.site_url)
    if problem:
        raise ValueError(problem)
    started = time.perf_counter()
    sp = spec(m)
    version = _version()
    root = str(cache_root())
    cache = Cache(root)
    spec_text = str(sp)  # what Cache.key writes for it, worked out once rather than once per point
    jobs, entries = [], []
    for tier, point in m.points:
        url = routes.absolute_url(options, point_src(point.key))
        pin = PointIn(point.key, point.name, url)
        qr_key = Cache.key(version, "qr", url, sp.level)
        job = _Job(root, version, sp, pin, qr_key, Cache.key(version, "maket", spec_text, pin))
        jobs.append((tier, job))
        entries.append(_entries(cache, job))
    # One entry for the whole set keeps what the pages need from its files (each code's version):
    # one file read instead of one per point. It also stands for the set in `lookup_many`.
    record = cache.file("sheet", Cache.key(version, "sheet", [(job.qr_key, job.maket_key) for _, job in jobs]),
                        "json")
    found = cache.lookup_many([p for files in entries for p in files.values()], record)
    todo = [job for (_, job), files in zip(jobs, entries) if not all(p in found for p in files.values())]
    processes = pool_size(len(todo))
    made = sum(parallel_map(_make, todo))
    versions = _qr_versions(cache, record, [(job.qr_key, files["qr"]) for (_, job), files in zip(jobs, entries)])
    # Every archive carries the licence notices, which name the fonts the PDFs embed (the same in all).
    works = notices.works([entries[0]["pdf"], entries[0]["a4"]] if entries else [], served_fonts)
    notice = notices.text(works)
    # Every point page sits at dc/<key>, so a link from one to a file differs only by the file's name.
    point_prefix = _prefixes(point_src("_"), options.directory_urls)
    page_prefix = _prefixes(MAKETS, options.directory_urls)
    points = []
    for (tier, job), files in zip(jobs, entries):
        files.pop("qr")  # read for its version only
        key = job.point.key
        version_n = versions[job.qr_key]
        modules = 17 + 4 * version_n
        names = {kind: key + PRINT_FILES[kind][1] for kind in files}
        points.append(PointPrint(key, job.point.name, tier.id, job.point.url, version_n, modules,
                                 sp.qr_width_mm / modules, A4_QR_MM / modules, files,
                                 {kind: point_prefix[kind] + name for kind, name in names.items()},
                                 {kind: page_prefix[kind] + name for kind, name in names.items()}))
    by_key = {p.key: p for p in points}
    listed: dict[str, tuple[Tier, list[PointPrint]]] = {}
    for tier, point in index.pages[None]:  # every point, unless the index is split
        listed.setdefault(tier.id, (tier, []))[1].append(by_key[point.key])

    def zipped(dest: str, head: Point | None, members: list[PointPrint]) -> Archive:
        path = _archive(cache, version, m, sp, dest, head, index.split, members, notice)
        return Archive(dest, path, path.stat().st_size, head)

    top = [p for _, shown in listed.values() for p in shown]
    groups = {head.key: zipped(group_archive(head.key), head,
                                [by_key[head.key], *(by_key[p.key] for _, p in index.pages[head.key])])
              for head in index.heads}
    prepared = Prepared(sp, options.site_url, points, by_key, list(listed.values()),
                        zipped(TOP_ARCHIVE if index.split else ARCHIVE, None, top) if top else None,
                        groups, index.page_of, made + cache.made, cache.hits, time.perf_counter() - started,
                        notices=works)
    try:
        cache.prune()
    except OSError:  # another build pruning at the same time; nothing is lost
        pass
    on = f" on {processes} processes" if processes > 1 else ""
    log.info("QR codes and makets: %d points, %d files made%s, %d from the cache (%s), %.2f s",
             len(points), prepared.made, on, prepared.reused, root, prepared.seconds)
    if prepared.local:
        log.info("Mã QR đang dẫn tới %s, địa chỉ chỉ máy này mở được: đặt địa chỉ công bố (SITE_URL=https://…) "
                 "và tạo lại trang trước khi gửi maket đi in", options.site_url)
    return prepared


def _qr_versions(cache: Cache, record: str, codes: list[tuple[str, str]]) -> dict[str, int]:
    """QR key -> version of each code: from the record, else from the first line of each code's file."""
    try:
        with open(record, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        pass
    versions = {}
    for qr_key, path in codes:
        with open(path, encoding="utf-8") as f:
            versions[qr_key] = int(f.readline().split(" ", 1)[0])
    cache.store(record, json.dumps(versions).encode())
    return versions


def _prefixes(page_src: str, directory_urls: bool) -> dict[str, str]:
    """kind -> what comes before a point's file name in a link from the page: the same for every
    point, so worked out once rather than for each of a national meeting's 110,000 links."""
    return {kind: routes.relative_url(page_src, f"{folder}/_", directory_urls)[:-1]
            for kind, (folder, _) in PRINT_FILES.items()}


def _archive(cache: Cache, version: str, m: MeetingFile, sp: Spec, dest: str, head: Point | None, split: bool,
             points: list[PointPrint], notice: str) -> Path:
    """One zip with these points' files, by tier, a note for the print shop and the licence notices,
    all in one folder named like the zip."""
    folder = posixpath.splitext(posixpath.basename(dest))[0]
    members = [(f"{folder}/{p.tier}/{p.key}{suffix}", p.files[kind]) for p in points
               for kind, suffix in (("pdf", ".pdf"), ("svg", ".svg"), ("a4", "-a4.pdf"), ("qr_svg", "-qr.svg"),
                                    ("png", ".png")) if kind in p.files]
    readme = _svg_env().get_template("maket_readme.txt.j2").render(
        m=m, sp=sp, points=points, head=head, split=split, reading_ratio=QR_READING_RATIO, a4_qr_mm=A4_QR_MM)
    key = Cache.key(version, "archive", readme, notice, [(name, posixpath.basename(path)) for name, path in members])

    def make() -> bytes:
        start = m.meeting.starts
        stamp = (start.year, start.month, start.day, 0, 0, 0)  # fixed: same input, same archive
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            def add(name: str, data: bytes, compress: bool) -> None:
                info = zipfile.ZipInfo(name, stamp)
                info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
                info.external_attr = 0o644 << 16
                z.writestr(info, data)
            add(f"{folder}/HUONG-DAN-IN.txt", readme.encode(), True)
            add(f"{folder}/{notices.ARCHIVE_NAME}", notice.encode(), True)
            for name, path in members:
                with open(path, "rb") as f:
                    add(name, f.read(), name.endswith(".svg"))
        return out.getvalue()

    return cache.get_or_make("archive", key, "zip", make)


# ---------------------------------------------------------------------------------------------
# For the pages and the adapter
# ---------------------------------------------------------------------------------------------


def files(prepared: Prepared) -> list[tuple[str, Path]]:
    """(place in the site, cache file) for every generated QR code, maket and archive."""
    out = [(print_file(kind, p.key), Path(path)) for p in prepared.points for kind, path in p.files.items()]
    out += [(a.dest, a.path) for a in prepared.archives]
    return out
