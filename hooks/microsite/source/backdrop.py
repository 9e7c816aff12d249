"""The organizer's backdrop template (`maket.template`): which file it is, whether it can be read,
its proportions. Read once at load, so that a bad file stops the build before site/ is touched;
the makets (outputs/maket) draw from what this returns."""

from __future__ import annotations

import hashlib
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .model import MeetingFile

KINDS = {".svg": "svg", ".pdf": "pdf", ".png": "png"}
MAX_BYTES = 64 * 1024 * 1024  # a backdrop design, not an archive
# Proportions the template may differ from the backdrop's by: a printed 6 × 3 m backdrop drawn on a
# 600 × 300 mm page is fine, a 16:9 template on a 2:1 backdrop would be stretched.
RATIO_TOLERANCE = 0.01
_SVG = "{http://www.w3.org/2000/svg}svg"
_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(px|pt|pc|mm|cm|in)?\s*$")


@dataclass(frozen=True)
class TemplateFile:
    path: Path
    kind: str  # svg, pdf, png
    width: float  # in the file's own units: only the proportions matter
    height: float
    digest: str  # of the file's bytes: the makets' cache keys carry it

    @property
    def ratio(self) -> float:
        return self.width / self.height


def locate(folder: Path, name: str) -> Path:
    """The template's file, beside the meeting file; ValueError in the organizer's words."""
    pure = PurePosixPath(name)
    if "\\" in name or pure.is_absolute() or name[1:2] == ":" or ".." in pure.parts:
        raise ValueError(f"'{name}' phải là tên tệp nằm cạnh tệp hội nghị (không có '..', không phải đường dẫn tuyệt đối)")
    if pure.suffix.lower() not in KINDS:
        raise ValueError(f"'{name}': mẫu maket phải là tệp SVG, PDF hoặc PNG")
    try:
        real = (folder / pure).resolve(strict=True)
    except (OSError, RuntimeError):
        raise ValueError(f"không có tệp '{name}' cạnh tệp hội nghị") from None
    if not real.is_relative_to(folder.resolve()) or not real.is_file():
        raise ValueError(f"'{name}' không phải là một tệp nằm cạnh tệp hội nghị")
    return real


def read(path: Path) -> TemplateFile:
    """What the template is; ValueError when it is not a readable SVG, PDF or PNG."""
    kind = KINDS[path.suffix.lower()]
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise ValueError(f"tệp mẫu quá lớn ({len(data) // 1048576} MB; tối đa {MAX_BYTES // 1048576} MB)")
    try:
        width, height = {"svg": _svg_size, "pdf": _pdf_size, "png": _png_size}[kind](data)
    except ValueError as exc:
        raise ValueError(f"không đọc được tệp mẫu {kind.upper()} '{path.name}': {exc}") from None
    if not (width > 0 and height > 0):
        raise ValueError(f"tệp mẫu '{path.name}' không có kích thước (chiều rộng và chiều cao phải lớn hơn 0)")
    return TemplateFile(path, kind, width, height, hashlib.sha256(data).hexdigest())


def _svg_size(data: bytes) -> tuple[float, float]:
    if b"<!ENTITY" in data:  # entities could expand without bound; a drawing never needs them
        raise ValueError("tệp có khai báo ENTITY")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValueError(f"không phải XML hợp lệ ({exc})") from None
    if root.tag != _SVG:
        raise ValueError("phần tử gốc không phải <svg>")
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            return float(box[2]), float(box[3])
        except ValueError:
            raise ValueError("viewBox không hợp lệ") from None
    sizes = [_LENGTH.match(root.get(a) or "") for a in ("width", "height")]
    if not all(sizes):
        raise ValueError("không có viewBox, cũng không có width và height tuyệt đối")
    return float(sizes[0].group(1)), float(sizes[1].group(1))  # type: ignore[union-attr]


def _pdf_size(data: bytes) -> tuple[float, float]:
    import pypdfium2

    if not data.startswith(b"%PDF-"):
        raise ValueError("không bắt đầu bằng %PDF-")
    try:
        doc = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError as exc:
        raise ValueError(str(exc)) from None
    try:
        if len(doc) < 1:
            raise ValueError("tệp không có trang nào")
        return doc[0].get_size()
    finally:
        doc.close()


def _png_size(data: bytes) -> tuple[float, float]:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != "PNG":
                raise ValueError("không phải ảnh PNG")
            image.verify()
            return image.size
    except (OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValueError(str(exc) or "ảnh hỏng") from None


def template_checker(folder: Path) -> Callable[[MeetingFile], list[tuple[tuple, str]]]:
    """A check for `validate`: the template is a readable file of the backdrop's proportions."""
    def check(m: MeetingFile) -> list[tuple[tuple, str]]:
        template = m.maket.template
        if template is None:
            return []
        try:
            found = read(locate(folder, template.file))
        except (ValueError, OSError) as exc:
            return [(("maket", "template", "file"), str(exc))]
        width, height = m.maket.dimensions
        if abs(found.ratio / (width / height) - 1) > RATIO_TOLERANCE:
            return [(("maket", "template", "file"),
                     f"mẫu có tỷ lệ {found.width:g} × {found.height:g}, khác tỷ lệ phông nền {width} × {height} mm; "
                     f"hãy sửa kích thước phông nền (maket.width_mm, maket.height_mm) hoặc tệp mẫu")]
        return []

    return check
