"""MkDocs adapter: the only module that knows about MkDocs.

It loads the meeting once in `on_config`, before MkDocs empties `site/`, so a mistake in the YAML
stops the build with the old site intact; in `on_files` it makes the build (`microsite.make_build`)
and adds the generated pages and files. Our pages are HTML we rendered: `on_pre_page` hands MkDocs
that HTML and its table of contents instead of letting Python-Markdown parse it again (most of a
national build went there). Moving to another site engine means rewriting this file, not the
`microsite` package.
"""

from __future__ import annotations

import html
import logging
import os
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import yaml
from markupsafe import escape
# Under ProperDocs (the maintained fork of MkDocs 1.6, `make properdocs`) these are its own classes:
# its command line answers every `mkdocs.*` import, the theme's too, with `properdocs.*`.
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc

# MkDocs puts this folder on sys.path only while importing this file: import siblings here.
from microsite import (MeetingError, MeetingFile, Page, SiteOptions, build_pages, load_meeting, make_build, nav,
                       print_problem, rendered_files, settings, summary)
from microsite.outputs.cache import cache_root
from microsite.outputs.search import rewrite_index
from microsite.render.pages import bytecode_cache
from microsite.routes import LICENCE

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page as MkDocsPage

log = logging.getLogger(f"mkdocs.plugins.{__name__}")


@dataclass
class _State:
    """What one build carries from hook to hook (MkDocs calls hooks as plain functions)."""

    meeting: MeetingFile | None = None
    path: Path | None = None  # the meeting file
    settings: dict = field(default_factory=dict)
    options: SiteOptions | None = None
    toc: dict[str, list[dict]] = field(default_factory=dict)  # page src -> its table of contents


_state = _State()


# ---------------------------------------------------------------------------------------------
# Hooks
# ---------------------------------------------------------------------------------------------


# Validate before MkDocs touches site_dir; set the site's name and navigation from the meeting.
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _state
    root = Path(config.config_file_path).parent
    source = os.environ.get("MEETING_FILE") or config.extra.get("meeting_file", "data/meeting.yaml")
    path = (root / source).resolve()
    display = os.path.relpath(path, Path.cwd()) if path.is_relative_to(Path.cwd()) else str(path)
    try:
        meeting = load_meeting(path, display)
        build_settings = settings(path, meeting=meeting)
    except (MeetingError, ValueError) as exc:
        raise PluginError(str(exc)) from None
    problem = print_problem(config.site_url)  # QR codes need the published address, makets their font
    if problem:
        raise PluginError(problem)
    _state = _State(meeting=meeting, path=path, settings=build_settings)
    # Material prints site_name, nav titles and page meta unescaped: hand it escaped text only,
    # as Markup, so that the places where it does escape (`| e` in attributes) leave it as it is.
    config.site_name = escape(meeting.meeting.name)
    config.site_description = escape(meeting.meeting.title)
    config.nav = [{escape(title): src} for title, src in nav(meeting)]
    log.debug("loaded %s: %d connection points", display, len(meeting.points))
    return config


# Every page is generated from the model; nothing is written into docs/.
def on_files(files: Files, config: MkDocsConfig) -> Files:
    options = _state.options = SiteOptions(directory_urls=config.use_directory_urls, site_url=config.site_url,
                                           cache_dir=cache_root(), **_state.settings)
    build = make_build(_state.meeting, options)
    pages = build_pages(build, options.cache_dir)
    _state.toc = {page.src: page.toc for page in pages}
    assets = build.assets + rendered_files(build, options.cache_dir)
    generated = [(page.src, _source(page)) for page in pages] + [(a.dest, a.content) for a in assets]
    cached = f"{options.cache_dir}/"
    for src, content in generated:
        if files.get_file_from_path(src):
            raise PluginError(f"docs/{src} would be replaced by a generated file; remove it from docs/")
        source = {"abs_src_path": str(content)} if isinstance(content, Path) else {"content": content}
        kind = _CachedFile if "abs_src_path" in source and source["abs_src_path"].startswith(cached) else File
        files.append(kind.generated(config, src, **source))
    config.extra["licence_page"] = files.get_file_from_path(LICENCE).url  # the footer's link (copyright.html)
    return files


# Our pages are HTML already: their "Markdown" is that HTML after the front matter. Parsing it
# again would only cost time (and could rewrite what we wrote), so it is taken as the content.
def on_pre_page(page: MkDocsPage, config: MkDocsConfig, files: Files) -> MkDocsPage:
    toc = _state.toc.get(page.file.src_uri)
    if toc is not None:
        page.render = types.MethodType(_render_ours(toc), page)
    return page


def _render_ours(toc: list[dict]):
    def render(page: MkDocsPage, config: MkDocsConfig, files: Files) -> None:
        page.content = page.markdown
        page.toc = get_toc(toc)
        page.present_anchor_ids = {token["id"] for token in _walk(toc)}
    return render


def _walk(tokens: list[dict]):
    for token in tokens:
        yield token
        yield from _walk(token["children"])


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
        index = rewrite_index(path.read_text(encoding="utf-8"), _state.meeting, _state.options)
        path.write_text(index, encoding="utf-8")
    for line in summary(_state.meeting, _state.path, cache_root()):
        log.info(line)


# `make serve`: notice a saved meeting file within 0.1 s rather than MkDocs' 0.5 s, so an edit shows
# in the browser within a second (tools/serve_latency.py measures it). MkDocs' watcher polls and
# offers no setting; its emitters take their interval from these attributes (watchdog, pinned).
def on_serve(server, config: MkDocsConfig, builder):
    server.observer._timeout = SERVE_POLL_SECONDS  # watches added after this hook (data/, hooks/)
    for emitter in server.observer.emitters:  # and those already added (docs/, mkdocs.yml)
        emitter._timeout = SERVE_POLL_SECONDS
    return server


SERVE_POLL_SECONDS = 0.1


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


class _CachedFile(File):
    """A file of our cache (QR code, maket, archive, calendar), linked into the site, not copied.

    A national site holds 68,000 of them, 2 GB: MkDocs would copy every byte at every build. A hard
    link shares the cache entry's inode, which is safe because neither side ever writes into it: the
    cache replaces an entry by renaming a new file over its name, and nothing writes into a built
    site's files but MkDocs, which only creates them (search.py rewrites the search index, never a
    cached file). Where the file system refuses (the cache on another one: EXDEV), it is copied.
    """

    def copy_file(self, dirty: bool = False) -> None:
        if dirty and not self.is_modified():  # as MkDocs does (a link has its entry's time: skipped)
            return
        dest = self.abs_dest_path
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        try:
            _link(self.abs_src_path, dest)
        except OSError:
            if os.path.lexists(dest):
                os.unlink(dest)  # never copy into an older link: it would write into the cache entry
            super().copy_file()
            return
        # Readable by the web server: entries cached before the cache wrote them 0644 are 0600.
        os.chmod(dest, 0o644)


def _link(src: str, dest: str) -> None:
    try:
        os.link(src, dest)
    except FileExistsError:  # a dirty build, or `mkdocs serve` building again into its folder
        os.unlink(dest)
        os.link(src, dest)


def _source(page: Page) -> str:
    """Front matter (title, description, search exclusion) and the page's HTML."""
    meta = {"title": html.escape(page.title), "description": html.escape(page.description)}
    if not page.searched:
        meta["search"] = {"exclude": True}
    return "---\n" + yaml.dump(meta, Dumper=_DUMPER, allow_unicode=True, width=10_000) + "---\n\n" + page.html


# libyaml writes the same YAML seven times faster: it counts at 10,000 pages.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
