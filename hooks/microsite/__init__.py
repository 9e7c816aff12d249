"""The meeting microsite core: the meeting file in, the site's pages and files out.

Nothing here imports MkDocs; `hooks/microsite_hooks.py` is the only adapter to the site engine.
Layers, each importing only from those before it (tests/test_layers.py holds the rule):
text → source → routes → views → outputs → build → render.
"""

from __future__ import annotations

from .build import Build, load_revision, prepare_log, print_problem, settings, summary
from .build import make as make_build
from .render.pages import Rendered, build_pages, nav, rendered_files
from .routes import Asset, Page, SiteOptions
from .source import MeetingError, MeetingFile, Problem, load_meeting

__all__ = ["Asset", "Build", "MeetingError", "MeetingFile", "Page", "Problem", "Rendered", "SiteOptions", "build_pages",
           "load_meeting", "load_revision", "make_build", "nav", "prepare_log", "print_problem", "rendered_files", "settings",
           "site", "summary"]


def site(m: MeetingFile, options: SiteOptions) -> tuple[list[Page], list[Asset]]:
    """Every page and file of the site, without an engine: for tests and tools."""
    b = make_build(m, options)
    return build_pages(b, options.cache_dir).pages, b.assets + rendered_files(b, options.cache_dir)
