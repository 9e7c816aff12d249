"""MkDocs adapter: the only module that knows about MkDocs.

It loads the meeting once in `on_config`, before MkDocs empties `site/`, so a mistake in the YAML
stops the build with the old site intact, and adds the generated pages in `on_files`. Moving to
another site engine means rewriting this file, not the `microsite` package.
"""

from __future__ import annotations

import html
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from markupsafe import escape
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

# MkDocs puts this folder on sys.path only while importing this file: import siblings here.
from microsite import (MeetingError, SiteOptions, build_assets, build_pages, build_settings, load_meeting,
                       load_revision, nav, prepare_log, print_problem)
from microsite.outputs.cache import cache_root
from microsite.render.pages import bytecode_cache
from microsite.outputs.search import rewrite_index

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

    from microsite import MeetingFile

log = logging.getLogger(f"mkdocs.plugins.{__name__}")

_state: dict = {}  # the meeting, build settings and page options of the current build


# ---------------------------------------------------------------------------------------------
# Hooks
# ---------------------------------------------------------------------------------------------


# Validate before MkDocs touches site_dir; set the site's name and navigation from the meeting.
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    root = Path(config.config_file_path).parent
    source = os.environ.get("MEETING_FILE") or config.extra.get("meeting_file", "data/meeting.yaml")
    path = (root / source).resolve()
    display = os.path.relpath(path, Path.cwd()) if path.is_relative_to(Path.cwd()) else str(path)
    try:
        meeting = load_meeting(path, display)
        settings = _state["settings"] = build_settings(path)
        settings["revision"] = revision = load_revision(path, meeting, settings["revised"], display)
    except (MeetingError, ValueError) as exc:
        raise PluginError(str(exc)) from None
    _state["meeting"], _state["path"] = meeting, path
    for change in revision.pending.changes if revision.pending else ():
        log.info("Thay đổi so với lần đăng trước: %s", change.text)
    problem = print_problem(config.site_url)  # QR codes need the published address, makets their font
    if problem:
        raise PluginError(problem)
    # Material prints site_name, nav titles and page meta unescaped: hand it escaped text only,
    # as Markup, so that the places where it does escape (`| e` in attributes) leave it as it is.
    config.site_name = escape(meeting.meeting.name)
    config.site_description = escape(meeting.meeting.title)
    config.nav = [{escape(title): src} for title, src in nav(meeting)]
    log.debug("loaded %s: %d connection points", display, len(meeting.points))
    return config


# Every page is generated from the model; nothing is written into docs/.
def on_files(files: Files, config: MkDocsConfig) -> Files:
    meeting = _state["meeting"]
    options = _state["options"] = SiteOptions(
        directory_urls=config.use_directory_urls, site_url=config.site_url,
        cache_dir=cache_root(), **_state["settings"])
    generated = [(page.src, _front_matter(page) + page.markdown) for page in build_pages(meeting, options)]
    generated += [(asset.dest, asset.content) for asset in build_assets(meeting, options)]
    for src, content in generated:
        if files.get_file_from_path(src):
            raise PluginError(f"docs/{src} would be replaced by a generated file; remove it from docs/")
        source = {"abs_src_path": str(content)} if isinstance(content, Path) else {"content": content}
        files.append(File.generated(config, src, **source))
    return files


# MkDocs compiles the theme's templates again at every build: 0.13 s, more than a small meeting's
# own pages take. Keep them compiled in our cache, as our own templates are; Jinja keys each by
# its source, so an edited override or an upgraded theme is compiled afresh.
def on_env(env, config: MkDocsConfig, files: Files):
    env.bytecode_cache = bytecode_cache(cache_root() / "theme")
    return env


# The search plugin has written its index (priority 0) and the offline plugin has not yet inlined it
# (-100). This runs in the staging folder of tools/build.py, so a failure here leaves site/ as it was.
@event_priority(-50)
def on_post_build(config: MkDocsConfig) -> None:
    path = Path(config.site_dir) / "search" / "search_index.json"
    if path.is_file():
        index = rewrite_index(path.read_text(encoding="utf-8"), _state["meeting"], _state["options"])
        path.write_text(index, encoding="utf-8")
    # The change log: written under a temporary name, and only when tools/build.py asks (it renames
    # it over the log once the site is published). `mkdocs serve` shows the changes, never records
    # them: it rebuilds at every save, and a log written into data/ would trigger the next rebuild.
    record = os.environ.get(RECORD_VARIABLE)
    if record:
        try:
            prepared = prepare_log(_state["path"], _state["meeting"], _state["options"])
        except OSError as exc:  # a read-only checkout, a full disk: nothing is published
            raise PluginError(f"không ghi được nhật ký thay đổi vào {exc.filename}: {exc.strerror}") from None
        Path(record).write_text("".join(f"{p}\n" for p in prepared or ()), encoding="utf-8")


# `make serve`: notice a saved meeting file within 0.1 s rather than MkDocs' 0.5 s, so an edit shows
# in the browser within a second (tools/serve_latency.py measures it). MkDocs' watcher polls and
# offers no setting; its emitters take their interval from these attributes (watchdog, pinned).
def on_serve(server, config: MkDocsConfig, builder):
    server.observer._timeout = SERVE_POLL_SECONDS  # watches added after this hook (data/, hooks/)
    for emitter in server.observer.emitters:  # and those already added (docs/, mkdocs.yml)
        emitter._timeout = SERVE_POLL_SECONDS
    return server


SERVE_POLL_SECONDS = 0.1
# Set by tools/build.py to a file where this build names the change log it prepared.
RECORD_VARIABLE = "MICROSITE_RECORD"


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _front_matter(page) -> str:
    meta = {"title": html.escape(page.title), "description": html.escape(page.description)}
    if not page.searched:
        meta["search"] = {"exclude": True}
    return "---\n" + yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, width=10_000) + "---\n\n"


# libyaml writes the same YAML seven times faster: it counts at 10,000 pages.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
