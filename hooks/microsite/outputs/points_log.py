"""The previous build's list of points (address -> name), for the summary printed after a build.

Kept in the cache folder, one file per meeting file: deleting it only makes the next summary say
that there is nothing to compare with.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path


def _file(root: Path, meeting: Path) -> Path:
    return root / "points" / f"{hashlib.sha256(str(meeting.resolve()).encode()).hexdigest()[:16]}.json"


def previous_points(root: Path, meeting: Path) -> dict[str, str] | None:
    try:
        data = json.loads(_file(root, meeting).read_text(encoding="utf-8"))
    except (OSError, ValueError):  # none yet, or a file cut short
        return None
    return data if isinstance(data, dict) else None


def remember_points(root: Path, meeting: Path, points: dict[str, str]) -> None:
    path = _file(root, meeting)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(points, out, ensure_ascii=False)
    os.replace(tmp, path)
