"""QR codes for the connection points: the URL each encodes, the module matrix, SVG and PNG files.

A code encodes the absolute URL of the point's page (routes.absolute_url), exactly the page's
canonical URL: a short, stable path keeps the QR version low and its modules large when printed.
The quiet zone is always 4 modules, as the standard asks (phones fail on codes cropped closer).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit


QUIET_ZONE = 4  # modules, on every side
PNG_MODULE_PX = 10  # a screen image sharp at 2x zoom, still under 2 kB


def site_url_problem(site_url: str | None) -> str | None:
    """Why QR codes cannot be made for this site_url, or None when they can."""
    if not site_url:
        return ("chưa có địa chỉ công bố của trang (site_url): mã QR trên maket phải dẫn tới địa chỉ đó. Đặt nó khi "
                "tạo trang: SITE_URL=https://hoinghi.example.vn/ make build (hoặc site_url trong mkdocs.yml)")
    parts = urlsplit(site_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return (f"địa chỉ công bố (SITE_URL) '{site_url}' phải là địa chỉ đầy đủ bắt đầu bằng https:// hoặc http://, "
                "ví dụ https://hoinghi.example.vn/")
    if parts.query or parts.fragment:
        return f"địa chỉ công bố (SITE_URL) '{site_url}' không được có phần ? hoặc # ở cuối"
    return None


def is_local(site_url: str) -> bool:
    """True for addresses only this machine or its network can open (a printed code would be useless)."""
    host = (urlsplit(site_url).hostname or "").lower()
    return (host in ("localhost", "0.0.0.0", "::1") or host.startswith(("127.", "10.", "192.168."))
            or host.endswith((".local", ".localhost", ".internal"))
            or (host.startswith("172.") and host.split(".")[1].isdigit() and 16 <= int(host.split(".")[1]) <= 31))


@dataclass(frozen=True)
class Code:
    """One QR symbol: `rows` without the quiet zone, True for a dark module."""

    data: str
    level: str
    version: int
    rows: tuple[tuple[bool, ...], ...]

    @property
    def size(self) -> int:
        return len(self.rows)

    @property
    def size_with_quiet_zone(self) -> int:
        return self.size + 2 * QUIET_ZONE

    def runs(self) -> list[tuple[int, int, int]]:
        """(x, y, length) of every horizontal run of dark modules, in module units."""
        out = []
        for y, row in enumerate(self.rows):
            x, n = 0, len(row)
            while x < n:
                if row[x]:
                    start = x
                    while x < n and row[x]:
                        x += 1
                    out.append((start, y, x - start))
                else:
                    x += 1
        return out

    def path_d(self) -> str:
        """SVG path data in module units (0..size): one rectangle per horizontal run of dark modules.

        One path, not a rectangle per module: renderers then show no hairline seams between
        modules, and the file stays small.
        """
        return "".join(f"M{x} {y}h{w}v1h{-w}z" for x, y, w in self.runs())

    def to_text(self) -> str:
        """A compact form for the cache: header line, then one line of 0/1 per row."""
        return f"{self.version} {self.level} {self.data}\n" + "\n".join(
            "".join("1" if c else "0" for c in row) for row in self.rows)

    @classmethod
    def from_text(cls, text: str) -> Code:
        head, *lines = text.split("\n")
        version, level, data = head.split(" ", 2)
        return cls(data, level, int(version), tuple(tuple(c == "1" for c in line) for line in lines))


@lru_cache(maxsize=4096)
def encode(data: str, level: str = "M") -> Code:
    """The smallest symbol that holds `data` at error correction `level` (L, M, Q or H)."""
    # qrcode and Pillow load only when a code is missing from the cache: a warm build never needs them.
    import qrcode
    from qrcode.constants import ERROR_CORRECT_H, ERROR_CORRECT_L, ERROR_CORRECT_M, ERROR_CORRECT_Q

    levels = {"L": ERROR_CORRECT_L, "M": ERROR_CORRECT_M, "Q": ERROR_CORRECT_Q, "H": ERROR_CORRECT_H}
    q = qrcode.QRCode(error_correction=levels[level], border=0)
    q.add_data(data)
    q.make(fit=True)
    rows = tuple(tuple(bool(c) for c in row) for row in q.get_matrix())
    return Code(data, level, q.version, rows)


def svg(code: Code) -> bytes:
    """A stand-alone SVG in module units (quiet zone included); it scales to any print size."""
    n = code.size_with_quiet_zone
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" width="100mm" height="100mm" '
            'shape-rendering="crispEdges">'
            f'<rect width="{n}" height="{n}" fill="#fff"/>'
            f'<path transform="translate({QUIET_ZONE} {QUIET_ZONE})" fill="#000" d="{code.path_d()}"/>'
            "</svg>\n").encode()


def png(code: Code, module_px: int = PNG_MODULE_PX) -> bytes:
    """A black-and-white PNG, each module a square of `module_px` pixels, quiet zone included."""
    n = code.size_with_quiet_zone
    from PIL import Image

    image = Image.new("1", (n, n), 1)
    image.putdata([0 if dark else 1 for row in _padded(code) for dark in row])
    image = image.resize((n * module_px, n * module_px), Image.NEAREST)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _padded(code: Code) -> list[tuple[bool, ...]]:
    blank = (False,) * code.size_with_quiet_zone
    side = (False,) * QUIET_ZONE
    return [blank] * QUIET_ZONE + [side + row + side for row in code.rows] + [blank] * QUIET_ZONE
