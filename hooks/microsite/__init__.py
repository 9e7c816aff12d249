"""The meeting microsite core: load and validate the meeting file, turn it into page content.

Nothing here imports MkDocs; `hooks/microsite_hooks.py` is the only adapter to the site engine.
"""

from __future__ import annotations

from pathlib import Path

from . import maket
from .errors import MeetingError, Problem
from .load import load_yaml
from .model import MeetingFile, validate
from .pages import Asset, Page, SiteOptions, build_pages, nav

__all__ = ["Asset", "MeetingError", "MeetingFile", "Page", "Problem", "SiteOptions", "build_assets", "build_pages",
           "load_meeting", "nav", "print_problem"]
print_problem = maket.print_problem


def load_meeting(path: Path, display: str | None = None) -> MeetingFile:
    """Read, type-check and cross-check the meeting file; raise MeetingError naming every problem."""
    display = display or str(path)
    return validate(load_yaml(path, display), display)


def build_assets(m: MeetingFile, options: SiteOptions) -> list[Asset]:
    """Every generated file that is not a page. Each concern (QR codes, makets, calendars) adds its own."""
    return [Asset(dest, path) for dest, path in maket.files(m, options)]
