"""The meeting's documents: files kept beside the meeting file, checked at load, copied into the site.

A document is listed with its number, date and title whether or not its text is at hand. When it has
a `file`, the file must sit inside the documents folder (`tai-lieu/` beside the meeting file); it is
copied into the site as `tai-lieu/<id>.<ext>`, so that its address is ASCII, short and stable even
when the organizer's file is called "Thông báo 168.pdf". Its type and size are shown before the tap:
on a weak line at a commune hall, 12 MB is worth knowing about.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from .. import text
from ..routes import document_file
from ..source.checks import FOLDER, TYPES

if TYPE_CHECKING:
    from ..source.model import Agency, Document, MeetingFile, Point, Tier

# Kinds of documents in the order a reader of party and state papers expects them; others follow
# in the order the file first names them.
KIND_ORDER = ("nghi quyet", "ket luan", "chi thi", "quy dinh", "quyet dinh", "thong bao ket luan",
              "thong bao", "ke hoach", "bao cao", "to trinh", "cong van", "tai lieu")


# ---------------------------------------------------------------------------------------------
# What the pages show
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attachment:
    source: Path
    dest: str  # path in the site, e.g. "tai-lieu/tb-168.pdf"
    kind: str  # "PDF"
    size: int  # bytes

    @property
    def label(self) -> str:
        """'PDF · 1,2 MB'."""
        return f"{self.kind} · {human_size(self.size)}"


def attachment(doc: Document, data_dir: Path | None) -> Attachment | None:
    """The document's file as it will be in the site, or None when it has no file (or no folder:
    a model built in memory)."""
    if doc.file is None or data_dir is None:
        return None
    source = data_dir / FOLDER / PurePosixPath(doc.file)
    suffix = PurePosixPath(doc.file).suffix.lower()
    return Attachment(source, document_file(doc.id, suffix), TYPES[suffix], source.stat().st_size)


def human_size(size: int) -> str:
    """Sizes as a Vietnamese reader writes them: '350 KB', '1,2 MB' (decimal comma)."""
    if size < 1024:
        return f"{size} B"
    kb = size / 1024
    if round(kb) < 1000:
        return f"{round(kb)} KB"
    for unit in ("MB", "GB"):
        kb /= 1024
        if round(kb, 1) < 1000 or unit == "GB":
            return (f"{kb:.1f}".replace(".", ",") if round(kb, 1) < 10 else f"{round(kb)}") + f" {unit}"
    raise AssertionError("unreachable")


def host(url: str) -> str:
    """'https://vanban.example.vn/a/b' -> 'vanban.example.vn', to say where a link leads."""
    return url.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]


def groups(m: MeetingFile) -> list[tuple[str, str, list[Document]]]:
    """(heading, anchor, documents) per kind; kinds in the usual order, newest first within each."""
    # Every point page asks (ten thousand of them in a national meeting): work it out once per model.
    if _groups_of[0] is not m:
        _groups_of[:] = [m, _groups(m)]
    return _groups_of[1]


_groups_of: list = [None, None]


def _groups(m: MeetingFile) -> list[tuple[str, str, list[Document]]]:
    by_kind: dict[str, list[Document]] = {}
    for doc in m.documents:
        by_kind.setdefault(text.fold(doc.kind).strip(), []).append(doc)

    def rank(key: str) -> tuple[int, int]:
        return (KIND_ORDER.index(key), 0) if key in KIND_ORDER else (len(KIND_ORDER), list(by_kind).index(key))

    out = []
    for key in sorted(by_kind, key=rank):
        docs = by_kind[key]
        newest = sorted(docs, key=lambda d: d.date.toordinal() if d.date else 0, reverse=True)
        heading = text.capitalize_first(docs[0].kind)
        out.append((heading, f"loai-{text.slugify(key) or 'khac'}", newest))
    return out


def for_point(m: MeetingFile, tier: Tier, point: Point, preparers: list[Agency]) -> list[Document]:
    """Documents meant for everyone, for this point's tier, for this point, or for who prepares it."""
    docs = [d for _, _, group in groups(m) for d in group]
    if not docs:
        return []
    acting = {a.id for a in preparers} if any(d.agencies for d in docs) else set()
    return [d for d in docs
            if not (d.tiers or d.points or d.agencies)
            or tier.id in d.tiers or point.key in d.points or acting.intersection(d.agencies)]


def released_after(m: MeetingFile) -> set[str]:
    """Ids of the documents the outcome names: the conclusion and what came after the meeting."""
    if not m.outcome:
        return set()
    return set(m.outcome.documents) | ({m.outcome.conclusion} if m.outcome.conclusion else set())
