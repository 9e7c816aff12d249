"""The makets' files, written from a drawing: the SVG (through a Jinja2 template, autoescaped), and
the PDF and the LED wall's PNG painted with cairo; a backdrop on the organizer's template is painted
over it (template.py)."""

from __future__ import annotations

import io
from functools import lru_cache
from math import pi

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import template
from .drawing import TEMPLATES, Drawing
from .layout import FONT, MONO, MONO_STACK, Rect



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
    image = template.svg_href(drawing.template) if drawing.template else None
    return _svg_env().get_template("maket.svg.j2").render(d=drawing, image=image).encode()


# The PDF and the screen PNG are painted with cairo straight from the drawing the SVG is written
# from, not by parsing that SVG again: CairoSVG draws text letter by letter and parses the QR path
# in Python, about 13 ms a page against 3 ms here, which is minutes for 10,000 points. Both paths
# use the same cairo fonts; tests rasterise the SVG (with CairoSVG) and the PDF and scan both.


def _rgb(colour: str) -> tuple[float, float, float]:
    return int(colour[1:3], 16) / 255, int(colour[3:5], 16) / 255, int(colour[5:7], 16) / 255


def _paint(ctx, d: Drawing, template_too: bool = True) -> None:
    import cairocffi as c

    if d.background:
        ctx.set_source_rgb(*_rgb(d.background))
        ctx.rectangle(0, 0, d.width, d.height)
        ctx.fill()
    if d.template and template_too:
        template.paint(ctx, d.template, d.width, d.height)
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
        if t.link:  # tap-to-call in the PDF: a link over the line
            ctx.tag_begin(c.TAG_LINK, f"uri='{t.link}'")
        ctx.show_text(t.text)
        if t.link:
            ctx.tag_end(c.TAG_LINK)
    if d.qr is None:
        return
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
    a Python stream), else returned. On a PDF template, cairo's page goes over the template's.
    """
    t = drawing.template
    if t and t.kind == "pdf":
        pt = 72 / 25.4
        data = template.under_pdf(_cairo_pdf(drawing, None, template_too=False), t,  # type: ignore[arg-type]
                                  drawing.file_width * pt, drawing.file_height * pt)
        if target is None:
            return data
        with open(target, "wb") as f:
            f.write(data)
        return None
    return _cairo_pdf(drawing, target)


def _cairo_pdf(drawing: Drawing, target: str | None, template_too: bool = True) -> bytes | None:
    import cairocffi as c

    out = target or io.BytesIO()
    pt = 72 / 25.4
    surface = c.PDFSurface(out, drawing.file_width * pt, drawing.file_height * pt)
    surface.set_metadata(c.PDF_METADATA_TITLE, drawing.title)
    surface.set_metadata(c.PDF_METADATA_SUBJECT, drawing.desc)
    surface.set_metadata(c.PDF_METADATA_CREATOR, "microsite")
    # No creation date: cairo would stamp the clock's second, so the same drawing would give other
    # bytes a second later, and a cached PDF would differ from a fresh one. An empty date leaves it out.
    surface.set_metadata(c.PDF_METADATA_CREATE_DATE, "")
    ctx = c.Context(surface)
    ctx.scale(pt / drawing.scale, pt / drawing.scale)
    _paint(ctx, drawing, template_too)
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


