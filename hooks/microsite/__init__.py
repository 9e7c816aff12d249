"""The meeting microsite core: load and validate the meeting file, turn it into page content.

Nothing here imports MkDocs; `hooks/microsite_hooks.py` is the only adapter to the site engine.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from . import documents, lifecycle, maket, notices, share
from .calendar import calendar_assets, revision_time
from .errors import MeetingError, Problem
from .load import load_yaml
from .model import MeetingFile, validate
from .pages import Asset, Page, SiteOptions, build_pages, nav

__all__ = ["Asset", "MeetingError", "MeetingFile", "Page", "Problem", "SiteOptions", "build_assets", "build_pages",
           "build_settings", "load_meeting", "nav", "print_problem", "revision_time"]
print_problem = maket.print_problem


def load_meeting(path: Path, display: str | None = None) -> MeetingFile:
    """Read, type-check and cross-check the meeting file; raise MeetingError naming every problem."""
    display = display or str(path)
    model = validate(load_yaml(path, display), display, checks=(documents.file_checker(path.parent, display),))
    model._folder = path.parent
    return model


def build_settings(path: Path, environ: Mapping[str, str] = os.environ) -> dict:
    """What a build takes from the machine rather than the meeting file, checked before site/ is
    touched: the clock (MICROSITE_NOW), the fonts of the link-preview card, and when the meeting
    file last changed (calendars' SEQUENCE grows only when it is edited), the npm packages the licence
    notices read. Raises ValueError."""
    share.fonts()
    notices.check_installed()
    return {"now": lifecycle.build_time(environ), "revised": revision_time(path, environ)}


def build_assets(m: MeetingFile, options: SiteOptions) -> list[Asset]:
    """Every generated file that is not a page. Each concern (QR codes, makets, calendars) adds its own."""
    return [*documents.assets(m), Asset(share.CARD, share.card_file(m)), *calendar_assets(m, options),
            *(Asset(dest, path) for dest, path in maket.files(m, options)),
            Asset(notices.TEXT, notices.text(maket.prepare(m, options).notices))]
