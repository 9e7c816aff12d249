"""The meeting microsite core: load and validate the meeting file, turn it into page content.

Nothing here imports MkDocs; `hooks/microsite_hooks.py` is the only adapter to the site engine.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from .views import documents, invitation, lifecycle

from .outputs import card, invitation_pdf, maket, paper_fonts
from .outputs.calendar import calendar_assets, revision_time
from .source import MeetingError, MeetingFile, Problem, load_meeting
from .render.pages import Asset, Page, SiteOptions, build_pages, nav
from .render.invitation import document as invitation_document

__all__ = ["Asset", "MeetingError", "MeetingFile", "Page", "Problem", "SiteOptions", "build_assets", "build_pages",
           "build_settings", "load_meeting", "nav", "print_problem", "revision_time"]
print_problem = maket.print_problem


def build_settings(path: Path, environ: Mapping[str, str] = os.environ) -> dict:
    """What a build takes from the machine rather than the meeting file, checked before site/ is
    touched: the clock (MICROSITE_NOW), the fonts of the link-preview card and of the invitation, and
    when the meeting file last changed (calendars' SEQUENCE grows only when it is edited). Raises
    ValueError."""
    card.fonts()
    problem = paper_fonts.problem()  # the invitation's serif face, for its page and its PDF
    if problem:
        raise ValueError(problem)
    return {"now": lifecycle.build_time(environ), "revised": revision_time(path, environ), "data_dir": path.parent}


def build_assets(m: MeetingFile, options: SiteOptions) -> list[Asset]:
    """Every generated file that is not a page. Each concern (QR codes, makets, calendars) adds its own."""
    fonts = paper_fonts.files()
    return [*documents.assets(m, options.data_dir), Asset(card.CARD, card.card_file(m)), *calendar_assets(m, options),
            *(Asset(dest, path) for dest, path in maket.files(m, options)),
            *(Asset(dest, path) for dest, path in [*fonts, *invitation.files(m, options.data_dir)]),
            Asset(invitation.PDF, invitation_pdf.pdf(invitation_document(m, options), fonts))]
