"""QR codes for the connection points: the URL each encodes, the module matrix, SVG and PNG files.

A code encodes the absolute URL of the point's page (routes.absolute_url), exactly the page's
canonical URL: a short, stable path keeps the QR version low and its modules large when printed.
The quiet zone is always 4 modules, as the standard asks (phones fail on codes cropped closer).

The symbol is made by libqrencode (Debian's `libqrencode4`, LGPL-2.1+, a system library linked at
build time like cairo, through cffi): the smallest version that holds the URL at the level, and the
mask with the lowest penalty of the eight, as the standard has it. The `qrcode` package made the
same choice in Python, 9.6 ms a code (its mask search); libqrencode takes a fraction of a
millisecond, which counts for a national meeting's 11,372 codes.
"""

from __future__ import annotations

import ctypes
import io
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit


QUIET_ZONE = 4  # modules, on every side
PNG_MODULE_PX = 10  # a screen image sharp at 2x zoom, still under 2 kB

LIBRARY = "libqrencode.so.4"
LEVELS = {"L": 0, "M": 1, "Q": 2, "H": 3}  # QRecLevel
_MODE_8 = 2  # QRencodeMode QR_MODE_8: any byte; digits and capitals still get their compact modes


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


def library_problem() -> str | None:
    """Why QR codes cannot be encoded on this machine (libqrencode missing), or None."""
    if encoder_version():
        return None
    return (f"máy này chưa có thư viện libqrencode ({LIBRARY}), cần để tạo mã QR của các điểm cầu: cài bằng "
            "apt-get install libqrencode4 (Debian)")


@lru_cache(maxsize=1)
def encoder_version() -> str | None:
    """libqrencode's version ("4.1.1"), part of every code's cache key; None when it cannot be loaded.

    Asked of every build, warm ones too (the check before site/ is touched, the key): through ctypes,
    whose import costs a few milliseconds, not cffi, whose parser costs 90 ms; cffi encodes.
    """
    try:
        lib = ctypes.CDLL(LIBRARY)
    except OSError:
        return None
    lib.QRcode_APIVersionString.restype = ctypes.c_char_p
    return lib.QRcode_APIVersionString().decode()


@lru_cache(maxsize=1)
def _libqrencode():
    # Loaded only when a code is missing from the cache: a warm build never needs cffi.
    from cffi import FFI

    ffi = FFI()
    ffi.cdef("""
        typedef struct { int version; int width; unsigned char *data; } QRcode;
        QRcode *QRcode_encodeString(const char *string, int version, int level, int hint, int casesensitive);
        void QRcode_free(QRcode *qrcode);
    """)
    return ffi, ffi.dlopen(LIBRARY)


# Bit 0 of each of libqrencode's module bytes is the module's colour (1: dark); the others say what
# the module is part of.
_DARK = bytes(b & 1 for b in range(256))


@lru_cache(maxsize=4096)
def encode(data: str, level: str = "M") -> Code:
    """The smallest symbol that holds `data` at error correction `level` (L, M, Q or H)."""
    ffi, lib = _libqrencode()
    # Version 0: the smallest that fits; case-sensitive, so lower-case letters stay bytes.
    symbol = lib.QRcode_encodeString(data.encode("utf-8"), 0, LEVELS[level], _MODE_8, 1)
    if symbol == ffi.NULL:
        raise ValueError(f"libqrencode could not encode {data!r} at level {level} (too long?)")
    try:
        n = symbol.width
        modules = ffi.buffer(symbol.data, n * n)[:].translate(_DARK)
        version = symbol.version
    finally:
        lib.QRcode_free(symbol)
    rows = tuple(tuple(map(bool, modules[y * n:(y + 1) * n])) for y in range(n))
    return Code(data, level, version, rows)


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
