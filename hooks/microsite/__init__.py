"""The meeting microsite core: load and validate the meeting file, turn it into page content.

Nothing here imports MkDocs; `hooks/microsite_hooks.py` is the only adapter to the site engine.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from .views import documents, lifecycle
from .views.summary import point_list, summarize, summary_lines

from .outputs import card, maket
from .outputs.calendar import calendar_assets, revision_time
from .outputs.points_log import previous_points, remember_points
from .source import MeetingError, MeetingFile, Problem, load_meeting
from .render.pages import Asset, Page, SiteOptions, build_pages, nav

__all__ = ["Asset", "MeetingError", "MeetingFile", "Page", "Problem", "SiteOptions", "build_assets", "build_pages",
           "build_settings", "build_summary", "load_meeting", "nav", "print_problem", "revision_time"]
print_problem = maket.print_problem


def build_settings(path: Path, environ: Mapping[str, str] = os.environ, meeting: MeetingFile | None = None) -> dict:
    """What a build takes from the machine rather than the meeting file, checked before site/ is
    touched: the clock (MICROSITE_NOW), the fonts of the link-preview card, and when the meeting
    file (or a points file it names) last changed (calendars' SEQUENCE grows only when one is
    edited). Raises ValueError."""
    card.fonts()
    sources = [path, *(path.parent / t.points_file for t in meeting.tiers if t.points_file)] if meeting else [path]
    return {"now": lifecycle.build_time(environ), "revised": max(revision_time(p, environ) for p in sources),
            "data_dir": path.parent}


def build_assets(m: MeetingFile, options: SiteOptions) -> list[Asset]:
    """Every generated file that is not a page. Each concern (QR codes, makets, calendars) adds its own."""
    return [*documents.assets(m, options.data_dir), Asset(card.CARD, card.card_file(m)), *calendar_assets(m, options),
            *(Asset(dest, path) for dest, path in maket.files(m, options))]


def build_summary(m: MeetingFile, meeting_path: Path, cache_dir: Path) -> list[str]:
    """The lines to print after a build (views.summary); this build's points are kept for the next."""
    lines = summary_lines(summarize(m, previous_points(cache_dir, meeting_path)))
    remember_points(cache_dir, meeting_path, point_list(m))
    return lines
