"""How the makets' text is set: measured with cairo's own fonts, wrapped where a reader expects a
line to break (never inside a compound word or between a number and the word before it), and
shrunk until it fits its box."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from math import comb

from ...text import fold

# DejaVu covers every Vietnamese letter with precomposed glyphs. The SVG names fallbacks that are
# narrower, so text laid out for DejaVu cannot overflow where another font stands in.
FONT = "DejaVu Sans"
FONT_STACK = "DejaVu Sans, Arial, Helvetica, sans-serif"
MONO = "DejaVu Sans Mono"
MONO_STACK = "DejaVu Sans Mono, Consolas, Courier New, monospace"
# Capitals with stacked Vietnamese marks reach 1.10 em above the baseline in DejaVu Sans Bold (Ẩ),
# dots below 0.21 em under it (Ộ): lines need more room than the usual 1.2.
LINE_PITCH = 1.32
ASCENT = 1.1


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
    link: str = ""  # a URI the text opens in the PDF (a tel: link on the poster)


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
    link: str = ""


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

# Words of two or three syllables a line must not cut ("CHỐNG THIÊN | TAI"), folded. A short list of
# those that backdrop titles and the names of units carry; tests/test_qr_maket.py checks each.
COMPOUNDS = (
    "thien tai", "cuu nan", "cuu ho", "nghi quyet", "ket luan", "chi thi", "thong bao", "hoi nghi",
    "truc tuyen", "quan triet", "hoc tap", "trien khai", "thuc hien", "trung uong", "tinh uy", "huyen uy",
    "thanh uy", "thi uy", "dang uy", "dang bo", "ban chap hanh", "thuong vu", "thuong truc", "uy ban",
    "nhan dan", "hoi dong", "mat tran", "to quoc", "viet nam", "diem cau", "phong chong", "tim kiem",
    "tong ket", "so ket", "chuyen doi so", "kinh te", "xa hoi", "an ninh", "quoc phong", "cong an",
    "quan su", "bien phong", "tuyen giao", "van phong", "chinh phu", "chinh tri", "phat trien", "ke hoach",
    "nhiem vu", "dich benh", "phat thanh", "truyen hinh", "doanh nghiep", "co quan", "lao dong",
    "cuu chien binh", "nong dan", "thanh nien", "phu nu", "thi tran", "thanh pho", "thi xa", "bo doi",
    "khoi cac", "giao duc", "dao tao", "y te", "moi truong", "nong thon", "tai nguyen",
)
_PAIRS = frozenset(tuple(c.split()[i:i + 2]) for c in COMPOUNDS for i in range(len(c.split()) - 1))
# The names of kinds of units: a point's name breaks well after them ("HUYỆN ỦY | HƯƠNG SƠN").
_UNIT_KINDS = frozenset(("huyen uy", "thanh uy", "thi uy", "tinh uy", "dang uy", "xa", "phuong", "thi tran",
                         "huyen", "quan", "thanh pho", "thi xa", "tinh", "uy ban nhan dan"))


def _syllable(word: str) -> str:
    return fold(word).strip(",;:.()\"'“”")


def may_break(words: tuple[str, ...], j: int) -> bool:
    """Whether a line may end after words[j-1]: not inside a compound word ("THIÊN | TAI"), and not
    between a number and the word before it ("NĂM | 2025"), unless punctuation parts them."""
    before, after = words[j - 1], words[j]
    if before[-1] in ",;:":
        return (_syllable(before), _syllable(after)) not in _PAIRS  # "PHÒNG, | CHỐNG" stays whole
    if after[:1].isdigit():
        return False
    return (_syllable(before), _syllable(after)) not in _PAIRS


def _bonus(words: tuple[str, ...], j: int, break_after: int) -> int:
    """Preference points for a break between words[j-1] and words[j]."""
    points = 1 if words[j - 1][-1] in ",;:" else 0
    head = " ".join(_syllable(w) for w in words[:j])
    if any(head == kind or head.endswith(" " + kind) for kind in _UNIT_KINDS) and j < len(words):
        points += 1  # a unit's kind, then its place name
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

    allowed = [j for j in range(1, n) if may_break(words, j)]
    if lines - 1 > len(allowed):
        return ()
    if comb(len(allowed), lines - 1) > _MAX_SPLITS:  # very long text: an even split, no preferences
        breaks = _even_breaks(widths, space, lines, allowed)
        return ((widest(breaks), 0, breaks),)
    best: dict[int, tuple[float, int, tuple[int, ...]]] = {}
    for breaks in combinations(allowed, lines - 1):
        points = sum(_bonus(words, j, break_after) for j in breaks)
        w = widest(breaks)
        if points not in best or w < best[points][0]:
            best[points] = (w, points, breaks)
    return tuple(best.values())


def _even_breaks(widths: list[float], space: float, lines: int, allowed: list[int]) -> tuple[int, ...]:
    """Breaks that give `lines` lines of about equal width (greedy on a bisected width), only where
    a line may break."""
    can = set(allowed)

    def greedy(limit: float) -> list[int]:
        breaks, used = [], widths[0]
        for i, w in enumerate(widths[1:], 1):
            if used + space + w <= limit or i not in can:
                used += space + w
            else:
                breaks.append(i)
                used = w
        return breaks

    low, high = max(widths), sum(widths) + space * len(widths)
    for _ in range(40):
        mid = (low + high) / 2
        low, high = (low, mid) if len(greedy(mid)) <= lines - 1 else (mid, high)
    return tuple(greedy(high)[:lines - 1])


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
        if not cands:  # no way to break it into so many lines without cutting a word
            continue
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
                                  MONO_STACK if item.family == MONO else FONT_STACK, link=item.link))
            y += size * LINE_PITCH
    return lines_out, rects


