"""The meeting microsite core: load and validate the meeting file, turn it into page content.

Nothing here imports MkDocs; `hooks/microsite_hooks.py` is the only adapter to the site engine.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from .views import changes, documents, lifecycle

from .outputs import card, data, feed, maket
from .outputs.calendar import calendar_assets, event_states, revision_time
from .source import MeetingError, MeetingFile, Problem, load_meeting
from .source.changelog import changelog_path, load_changelog, prepare
from .render.pages import Asset, Page, SiteOptions, build_pages, nav

__all__ = ["Asset", "MeetingError", "MeetingFile", "Page", "Problem", "SiteOptions", "build_assets", "build_pages",
           "build_settings", "load_meeting", "load_revision", "nav", "prepare_log", "print_problem", "revision_time"]
print_problem = maket.print_problem


def build_settings(path: Path, environ: Mapping[str, str] = os.environ) -> dict:
    """What a build takes from the machine rather than the meeting file, checked before site/ is
    touched: the clock (MICROSITE_NOW), the fonts of the link-preview card, and when the meeting
    file last changed (the date of the changes it holds). Raises ValueError."""
    card.fonts()
    return {"now": lifecycle.build_time(environ), "revised": revision_time(path, environ), "data_dir": path.parent,
            "built": data.build_clock(environ)}


def load_revision(path: Path, m: MeetingFile, revised, display: str | None = None) -> changes.Revision:
    """The change log beside the meeting file and what changed since it was written. Raises
    MeetingError (a ChangeLogError) naming the log's file and line."""
    log = changelog_path(path)
    shown = str(Path(display).with_name(log.name)) if display else None
    return changes.revise(load_changelog(log, shown), m, revised)


def prepare_log(path: Path, m: MeetingFile, options: SiteOptions) -> tuple[Path, Path] | None:
    """Write the change log this build leaves beside the meeting file under a temporary name;
    return (that name, the log's), or None when the log would not change. The build tool renames
    one over the other once the site is published (tools/build.py), so a failed build never appends."""
    log = changes.record(options.revision, event_states(m, options))
    if log is None:
        return None
    target = changelog_path(path)
    return prepare(log, target), target


def build_assets(m: MeetingFile, options: SiteOptions) -> list[Asset]:
    """Every generated file that is not a page. Each concern (QR codes, makets, calendars) adds its own."""
    return [*documents.assets(m, options.data_dir), Asset(card.CARD, card.card_file(m)), *calendar_assets(m, options),
            data.data_file(m, options), feed.feed_file(m, options),
            *(Asset(dest, path) for dest, path in maket.files(m, options))]
