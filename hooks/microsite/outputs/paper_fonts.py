"""The serif face of the invitation, served from the site itself: Liberation Serif, metric-compatible
with Times New Roman (the face Nghị định 30/2020/NĐ-CP asks for), from Debian's `fonts-liberation2`.

Debian's older `fonts-liberation` (1.07) lacks Ơ, Ư and every letter with a dot below or a hook
above; version 2 covers Vietnamese. Each face is cut at build to the Latin and Vietnamese letters
and punctuation (fontTools) and written as WOFF2: about 27 KB instead of 380 KB, for phones on a
weak line. The invitation's PDF is set in the same files. Kept in the content-keyed cache.
"""

from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from pathlib import Path

from .cache import Cache, cache_root, code_version

# Debian's fonts-liberation2 installs here; the files' names are those of the upstream release.
FOLDER = Path("/usr/share/fonts/truetype/liberation2")
PACKAGE = "fonts-liberation2"
FACES = ("LiberationSerif-Regular", "LiberationSerif-Bold", "LiberationSerif-Italic", "LiberationSerif-BoldItalic")
SITE_FOLDER = "assets/fonts"  # docs/assets/giay-moi.css names them as fonts/<face>.woff2

# Basic Latin to Latin Extended-B, combining marks, Latin Extended Additional (the Vietnamese letters
# with two marks), general punctuation, currency signs (₫), letterlike symbols (№).
UNICODES = [*range(0x20, 0x250), *range(0x300, 0x370), *range(0x1E00, 0x1F00), *range(0x2000, 0x2070),
            *range(0x20A0, 0x20D0), *range(0x2100, 0x2150)]


def problem() -> str | None:
    """Why the invitation's face cannot be made on this machine, or None (checked before site/ is touched)."""
    missing = [face for face in FACES if not (FOLDER / f"{face}.ttf").is_file()]
    if not missing:
        return None
    return (f"thiếu phông chữ {', '.join(missing)} ({FOLDER}) cho giấy mời; "
            f"cài gói Debian: apt-get install {PACKAGE}")


def files() -> list[tuple[str, Path]]:
    """(path in the site, file) for every face, made on a cache miss."""
    cache = Cache(cache_root())
    out = []
    for face in FACES:
        source = FOLDER / f"{face}.ttf"
        path = cache.path("fonts", Cache.key(_version(), face, _digest(source)), "woff2")
        if not cache.lookup(path):
            cache.store(path, _cut(source))
        out.append((f"{SITE_FOLDER}/{face}.woff2", path))
    return out


@lru_cache(maxsize=1)
def _version() -> str:
    return code_version(packages=("fonttools", "brotli"))


@lru_cache(maxsize=8)
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cut(source: Path) -> bytes:
    from fontTools import subset  # only on a cache miss
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # kerning and the marks' placement
    options.name_IDs = ["*"]  # the copyright and licence (SIL OFL 1.1) travel with the font
    options.notdef_outline = True
    options.hinting = False  # phones ignore TrueType hinting; it is a third of the file
    options.drop_tables += ["FFTM"]
    # fontTools would stamp the clock into the `head` table on saving: the same face then gave other
    # bytes on every cache miss. The source's own date is kept.
    font = TTFont(source, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=UNICODES)
    subsetter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff2"
    font.save(out)
    return out.getvalue()
