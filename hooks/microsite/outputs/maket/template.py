"""Backdrops on the organizer's template ("maket theo mẫu gửi kèm"): the province designs one
backdrop, every point prints it with its own name and QR code.

`maket.template` names the file (SVG, PDF or PNG beside the meeting file) and the boxes, in real
millimetres, where the point's name, the code and, when the template leaves them out, the title
and the place-and-date line go. The drawing is then the template, a white square with the code,
and the text fitted into its boxes (wrapped at phrase boundaries, shrunk until it fits).

How each kind of template reaches each file, and why these libraries:

- SVG file of a point: the template is embedded as an <image> (a data: URI), vector for an SVG
  template. A browser runs no script inside an SVG shown as an image, so a template cannot run
  as part of the site; the point's text and code are our own SVG elements above it.
- PDF file: cairo draws the point's text and code as for the built-in design (fonts embedded as
  subsets). An SVG template is painted into the same cairo page first by librsvg (Debian's
  `librsvg2-2`, the system library GNOME renders SVG with, linked like cairo itself, through cffi;
  given the bytes only, so it loads nothing the template refers to); a PNG template by cairo. A
  PDF template stays vector: PDFium (pypdfium2, BSD-3-Clause/Apache-2.0, pinned) places its first
  page under cairo's page, both as form XObjects, in C. CairoSVG (LGPL-3.0) is for tests only,
  and the permissive SVG renderers on PyPI either draw raster only or bring a second graphics
  engine with numpy (skia-python).
- LED PNG, and the picture of a PDF template inside its SVG: rasterised, by librsvg, cairo or
  PDFium.
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
from functools import lru_cache

from .. import qr
from .drawing import WHITE, Drawing, PointIn, QRPlacement, Spec, TemplateSpec, backdrop, point_heading
from .layout import LINE_PITCH, Item, Line, Rect, lead_words, stack

RASTER_PX = 2400  # long side of a PDF template's picture inside its SVG: enough to place things by eye


def backdrop_for(sp: Spec, point: PointIn, code: qr.Code) -> Drawing:
    """The point's backdrop: on the organizer's template when there is one, else the built-in design."""
    return on_template(sp, point, code) if sp.template else backdrop(sp, point, code)


def on_template(sp: Spec, point: PointIn, code: qr.Code) -> Drawing:
    t = sp.template
    assert t is not None
    W, H = sp.width_mm, sp.height_mm
    rects: list[Rect] = []
    lines: list[Line] = []

    def text(box: tuple, value: str, **style) -> None:
        x, y, w, h, colour = box
        size = h / LINE_PITCH  # one line filling the box; stack() shrinks it until it fits
        placed, _ = stack([Item(value, size, colour, **style)], x, x + w, y, y + h)
        lines.extend(placed)

    text(t.name, point_heading(point.name), max_lines=3, one_line_down_to=0.6, break_after=2)
    if t.title:
        title = f"{sp.headline} {sp.subtitle}".strip()
        text(t.title, title, max_lines=4, one_line_down_to=0.6, break_after=lead_words(title))
    if t.date:
        text(t.date, sp.date_line, bold=False, italic=True)
    code_at = None
    if t.qr:
        x, y, w, h = t.qr
        side = min(w, h)
        module = sp.qr_width_mm / code.size
        rects.append(Rect(x + (w - side) / 2, y + (h - side) / 2, side, side, WHITE))  # the quiet zone, light
        code_at = QRPlacement(x + (w - sp.qr_width_mm) / 2, y + (h - sp.qr_width_mm) / 2, module, code.runs())
    return Drawing(W, H, sp.scale, None, rects, lines, code_at, f"Maket điểm cầu: {point.name}",
                   f"Phông nền theo mẫu của ban tổ chức, {W} × {H} mm, tệp vẽ theo tỷ lệ 1:{sp.scale}."
                   + (f" Mã QR rộng {sp.qr_width_mm:.0f} mm, dẫn tới {point.url}" if t.qr else ""),
                   template=t)


# ---------------------------------------------------------------------------------------------
# The template's picture in each kind of file
# ---------------------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _bytes(path: str, digest: str) -> bytes:
    return open(path, "rb").read()


@lru_cache(maxsize=4)
def svg_href(t: TemplateSpec) -> str:
    """The template as a data: URI for the <image> under a point's SVG."""
    if t.kind == "svg":
        return "data:image/svg+xml;base64," + base64.b64encode(_bytes(t.path, t.digest)).decode()
    if t.kind == "png":
        return "data:image/png;base64," + base64.b64encode(_bytes(t.path, t.digest)).decode()
    return "data:image/png;base64," + base64.b64encode(_pdf_raster(t, RASTER_PX)).decode()


def paint(ctx, t: TemplateSpec, width: float, height: float, raster_px: int = RASTER_PX) -> None:
    """Paint the template over (0, 0, width, height) of a cairo context: an SVG as vectors (librsvg),
    a PNG as itself, a PDF as a picture (only where a picture is wanted: the LED PNG)."""
    import cairocffi as c

    if t.kind == "svg":
        _rsvg().render(ctx, _bytes(t.path, t.digest), width, height)
        return
    png = _normalised_png(t) if t.kind == "png" else _pdf_raster(t, raster_px)
    image = c.ImageSurface.create_from_png(io.BytesIO(png))
    ctx.save()
    ctx.scale(width / image.get_width(), height / image.get_height())
    ctx.set_source_surface(image, 0, 0)
    ctx.get_source().set_filter(c.FILTER_GOOD)
    ctx.paint()
    ctx.restore()


@lru_cache(maxsize=4)
def _normalised_png(t: TemplateSpec) -> bytes:
    """The PNG as 8-bit RGBA, which cairo reads whatever the original's depth or palette."""
    from PIL import Image

    with Image.open(io.BytesIO(_bytes(t.path, t.digest))) as image:
        out = io.BytesIO()
        image.convert("RGBA").save(out, "PNG")
        return out.getvalue()


@lru_cache(maxsize=8)
def _pdf_raster(t: TemplateSpec, long_side: int) -> bytes:
    import pypdfium2

    doc = pypdfium2.PdfDocument(_bytes(t.path, t.digest))
    try:
        page = doc[0]
        width, height = page.get_size()
        image = page.render(scale=long_side / max(width, height)).to_pil()
        out = io.BytesIO()
        image.convert("RGB").save(out, "PNG")
        return out.getvalue()
    finally:
        doc.close()


_ID = re.compile(rb"/ID\s*\[\s*<[0-9A-Fa-f]*>\s*<[0-9A-Fa-f]*>\s*\]")
_CREATED = re.compile(rb"/CreationDate\s*\(D:[0-9+\-Z']*\)")


def under_pdf(overlay: bytes, t: TemplateSpec, width_pt: float, height_pt: float) -> bytes:
    """One page: the PDF template's first page, scaled to the page, under cairo's page (the point's
    text and code). Both stay vector; PDFium copies each as a form XObject."""
    import pypdfium2

    template, top = pypdfium2.PdfDocument(_bytes(t.path, t.digest)), pypdfium2.PdfDocument(overlay)
    doc = pypdfium2.PdfDocument.new()
    try:
        page = doc.new_page(width_pt, height_pt)
        for source in (template, top):
            w, h = source[0].get_size()
            placed = source.page_as_xobject(0, doc).as_pageobject()
            placed.transform(pypdfium2.PdfMatrix().scale(width_pt / w, height_pt / h))
            page.insert_obj(placed)
        page.gen_content()
        out = io.BytesIO()
        doc.save(out)
    finally:
        for d in (doc, top, template):
            d.close()
    # PDFium stamps the clock's second as the creation date: blanked at its own length, so that the
    # offsets of the cross-reference table still hold and the same input gives the same file.
    data = _CREATED.sub(lambda m: b" " * len(m.group()), out.getvalue(), count=1)
    # PDFium writes a random file identifier: one made from the content keeps the same input the same file.
    ident = hashlib.md5(_ID.sub(b"", data)).hexdigest().upper().encode()
    return _ID.sub(b"/ID[<" + ident + b"><" + ident + b">]", data, count=1)


class _Rsvg:
    """The few librsvg calls needed to paint an SVG into a cairo context (librsvg 2.46 and later)."""

    def __init__(self) -> None:
        import cairocffi
        from cffi import FFI

        self._cairo = cairocffi
        self.ffi = FFI()
        self.ffi.cdef("""
            typedef struct _RsvgHandle RsvgHandle;
            typedef struct { double x, y, width, height; } RsvgRectangle;
            typedef struct { uint32_t domain; int code; char *message; } GError;
            RsvgHandle *rsvg_handle_new_from_data(const uint8_t *data, size_t data_len, GError **error);
            int rsvg_handle_render_document(RsvgHandle *handle, void *cr, const RsvgRectangle *viewport,
                                            GError **error);
            void g_object_unref(void *object);
            void g_error_free(GError *error);
        """)
        self.lib = self.ffi.dlopen("librsvg-2.so.2")
        self.gobject = self.ffi.dlopen("libgobject-2.0.so.0")
        self.glib = self.ffi.dlopen("libglib-2.0.so.0")

    def render(self, ctx, data: bytes, width: float, height: float) -> None:
        ffi = self.ffi
        error = ffi.new("GError **")
        handle = self.lib.rsvg_handle_new_from_data(data, len(data), error)
        if handle == ffi.NULL:
            raise ValueError(self._message(error))
        try:
            cr = ffi.cast("void *", int(self._cairo.ffi.cast("uintptr_t", ctx._pointer)))
            viewport = ffi.new("RsvgRectangle *", [0, 0, width, height])
            if not self.lib.rsvg_handle_render_document(handle, cr, viewport, error):
                raise ValueError(self._message(error))
        finally:
            self.gobject.g_object_unref(handle)

    def _message(self, error) -> str:
        if error[0] == self.ffi.NULL:
            return "librsvg could not read the template"
        text = self.ffi.string(error[0].message).decode("utf-8", "replace")
        self.glib.g_error_free(error[0])
        return f"librsvg: {text}"


@lru_cache(maxsize=1)
def _rsvg() -> _Rsvg:
    return _Rsvg()
