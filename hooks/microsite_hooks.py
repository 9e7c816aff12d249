"""MkDocs adapter: the only module that knows about MkDocs.

It loads the meeting once in `on_config`, before MkDocs empties `site/`, so a mistake in the YAML
stops the build with the old site intact; in `on_files` it makes the build (`microsite.make_build`)
and adds the generated pages and files. Our pages are HTML we rendered: `on_pre_page` hands MkDocs
that HTML and its table of contents instead of letting Python-Markdown parse it again (most of a
national build went there). Moving to another site engine means rewriting this file, not the
`microsite` package.
"""

from __future__ import annotations

import gc
import hashlib
import html
import json
import logging
import os
import shutil
import types
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import click
import yaml
from markupsafe import escape
# Under ProperDocs (the maintained fork of MkDocs 1.6, `make properdocs`) these are its own classes:
# its command line answers every `mkdocs.*` import, the theme's too, with `properdocs.*`.
from mkdocs.exceptions import Abort
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from mkdocs.utils import normalize_url
from material.plugins.search.plugin import Parser as SearchParser

# MkDocs puts this folder on sys.path only while importing this file: import siblings here.
from microsite import (Build, MeetingError, MeetingFile, Page, Rendered, SiteOptions, build_pages, load_meeting, load_revision,
                       make_build, nav, prepare_log, print_problem, rendered_files, settings, summary)
from microsite.outputs.cache import cache_root
from microsite.outputs.search import rewrite_index
from microsite.render.pages import bytecode_cache
from microsite import routes
from microsite.routes import LICENCE
from microsite.source.changelog import EventState

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
    pages: dict[str, Page] = field(default_factory=dict)  # page src -> our page (its HTML, its table of contents)
    build: Build | None = None  # the build context of on_files
    linked: list[tuple[str, str]] = field(default_factory=list)  # (place in the site, cache file)


_state = _State()


@dataclass
class _Served:
    """`make serve` only (`mkdocs serve --dirty`): what the last build wrote into the serve folder,
    so that a rebuild writes only the pages whose content changed. MkDocs loads this module once per
    process, so this outlives the rebuilds; `mkdocs build` never reads it."""

    dirty: bool = False  # set by on_startup: MkDocs rebuilds only the files whose is_modified() says so
    site_dir: str = ""
    shared: str = ""  # a digest of what every page carries besides its own content (nav, names, theme)
    pages: dict[str, str] = field(default_factory=dict)  # page src -> digest of its source and contents
    search: list[dict] = field(default_factory=list)  # the theme's index entries of the last build
    pending: dict[str, str] = field(default_factory=dict)  # this build's digests, kept once it succeeds
    # The last build's pages, handed to the next, which renders again only the point pages whose values
    # changed (render.pages.Rendered); their sources as on_files wrote them, by page object.
    rendered: Rendered | None = None
    sources: dict[str, tuple[Page, str]] = field(default_factory=dict)
    pending_rendered: Rendered | None = None
    pending_sources: dict[str, tuple[Page, str]] = field(default_factory=dict)
    # The calendar events as the last build showed them (changes.Revision.shown).
    events: dict[str, EventState] = field(default_factory=dict)


_served = _Served()


# ---------------------------------------------------------------------------------------------
# Hooks
# ---------------------------------------------------------------------------------------------


# Validate before MkDocs touches site_dir; set the site's name and navigation from the meeting.
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _state
    _pause_collector()
    root = Path(config.config_file_path).parent
    source = os.environ.get("MEETING_FILE") or config.extra.get("meeting_file", "data/meeting.yaml")
    path = (root / source).resolve()
    display = os.path.relpath(path, Path.cwd()) if path.is_relative_to(Path.cwd()) else str(path)
    try:
        meeting = load_meeting(path, display)
        build_settings = settings(path, meeting=meeting)
        build_settings["revision"] = revision = load_revision(path, meeting, build_settings["revised"], display,
                                                              _served.events)
    except (MeetingError, ValueError) as exc:
        raise _stop(str(exc)) from None
    for change in revision.pending.changes if revision.pending else ():
        log.info("Thay đổi so với lần đăng trước: %s", change.text)
    problem = print_problem(config.site_url)  # QR codes need the published address, makets their font
    if problem:
        raise _stop(f"Không tạo được trang: {problem}")
    _state = _State(meeting=meeting, path=path, settings=build_settings)
    # Material prints site_name, nav titles and page meta unescaped: hand it escaped text only,
    # as Markup, so that the places where it does escape (`| e` in attributes) leave it as it is.
    config.site_name = escape(meeting.meeting.name)
    config.site_description = escape(meeting.meeting.title)
    config.nav = [{escape(title): src} for title, src in nav(meeting)]
    # Under `mkdocs serve --dirty`, Material's search merges the last build's index into this one's,
    # replacing the entries of the first page rebuilt only: it expects one page per rebuild. Ours
    # rebuild several and keep the others' entries themselves (_served_index): it starts afresh.
    search = config.plugins.get("material/search")
    if search is not None:
        search.is_dirty = False
    log.debug("loaded %s: %d connection points", display, len(meeting.points))
    return config


def on_startup(command: str, dirty: bool) -> None:
    _served.dirty = command == "serve" and dirty
    if _served.dirty:
        # We track what changed ourselves (on_files): MkDocs' warning against dirty builds, which
        # --strict would turn into a failure, does not apply to ours.
        logging.getLogger("mkdocs.commands.build").addFilter(_not_the_dirty_warning)


def _not_the_dirty_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")


# Every page is generated from the model; nothing is written into docs/.
def on_files(files: Files, config: MkDocsConfig) -> Files:
    options = _state.options = SiteOptions(directory_urls=config.use_directory_urls, site_url=config.site_url,
                                           cache_dir=cache_root(), **_state.settings)
    build = _state.build = make_build(_state.meeting, options)
    _served.pending_sources = {}
    rendered = _served.pending_rendered = build_pages(build, options.cache_dir, _served.rendered,
                                                      remember=_served.dirty)
    pages = rendered.pages
    _state.pages = {page.src: page for page in pages}
    assets = build.assets + rendered_files(build, options.cache_dir)
    generated = [(page.src, _source(page)) for page in pages] + [(a.dest, a.content) for a in assets]
    cached = f"{options.cache_dir}/"
    unchanged = _unchanged_pages(config, rendered, generated) if _served.dirty else set()
    existing = set(files.src_uris)  # docs/ and the theme's files
    _state.linked = []
    for src, content in generated:
        if src in existing:
            raise _stop(f"Không tạo được trang: tệp docs/{src} trùng tên với một trang được tạo từ tệp hội nghị; "
                        "xóa nó khỏi docs/")
        if isinstance(content, Path) and str(content).startswith(cached):
            # Cache entries never go through MkDocs: 36,500 File objects at national scale, their
            # folders made one by one, cost seconds. on_post_build links them all at once (_link_cached).
            _state.linked.append((src, str(content)))
            continue
        source = {"abs_src_path": str(content)} if isinstance(content, Path) else {"content": content}
        file = File.generated(config, src, **source)
        if src in unchanged:
            file.is_modified = _no  # written by the last build of this serve, the same
        files.append(file)
    config.extra["licence_page"] = files.get_file_from_path(LICENCE).url  # the footer's link (copyright.html)
    return files


# Our pages are HTML already: their "Markdown" is that HTML after the front matter. Parsing it
# again would only cost time (and could rewrite what we wrote), so it is taken as the content.
# Its front matter is ours too: MkDocs would read it back with PyYAML's Python parser, page by page.
def on_pre_page(page: MkDocsPage, config: MkDocsConfig, files: Files) -> MkDocsPage:
    ours = _state.pages.get(page.file.src_uri)
    if ours is not None:
        page.read_source = types.MethodType(_read_ours(ours), page)
        page.render = types.MethodType(_render_ours(ours.toc), page)
    return page


def _read_ours(ours: Page):
    def read_source(page: MkDocsPage, config: MkDocsConfig) -> None:
        page.markdown, page.meta = ours.html, _meta(ours)
    return read_source


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
    _render_nav_once(env, config)
    return env


def _render_nav_once(env, config: MkDocsConfig) -> None:
    """Material writes the whole navigation into every page, and most of ours (every point, every
    index group) are out of it: there it is the same HTML wherever its links read the same, and was
    a fifth of a national build. Render it once per set of links; pages in the nav render it as
    usual (their own item is marked active)."""
    template = env.get_template("partials/nav.html")  # the object every include of it gets: auto_reload is off
    render = template.root_render_func
    rendered: dict[tuple, str] = {}

    def root(context):
        key = _nav_key(context, config)
        if key is None:
            yield from render(context)
            return
        if key not in rendered:
            rendered[key] = "".join(render(context))
        yield rendered[key]

    template.root_render_func = root


def _nav_key(context, config: MkDocsConfig) -> tuple | None:
    """What the navigation of a page out of it depends on: where each of its links points from the
    page. None for a page in the navigation (or none at all)."""
    page, nav = context.get("page"), context.get("nav")
    if page is None or nav is None or page in nav.pages or page.parent is not None:
        return None
    urls = [config.extra.get("homepage") or (nav.homepage.url if nav.homepage else "")]
    urls += [item.url for item in _nav_items(nav.items) if getattr(item, "url", None) is not None]
    return tuple(normalize_url(str(url), page=page, base=context["base_url"]) for url in urls)


def _nav_items(items):
    for item in items:
        yield item
        yield from _nav_items(getattr(item, "children", None) or ())


# The search plugin has written its index (priority 0) and the offline plugin has not yet inlined it
# (-100). This runs in the staging folder of tools/build.py, so a failure here leaves site/ as it was.
@event_priority(-50)
def on_post_build(config: MkDocsConfig) -> None:
    _link_cached(Path(config.site_dir), _state.linked)
    path = Path(config.site_dir) / "search" / "search_index.json"
    if path.is_file():
        raw = path.read_text(encoding="utf-8")
        if _served.dirty:  # a dirty build indexes only the pages it rendered: keep the others' entries
            raw = _served_index(raw)
        index = rewrite_index(raw, _state.meeting, _state.options)
        path.write_text(index, encoding="utf-8")
    # The change log: written under a temporary name, and only when tools/build.py asks (it renames
    # it over the log once the site is published). `mkdocs serve` shows the changes, never records
    # them: it rebuilds at every save, and a log written into data/ would trigger the next rebuild.
    record = os.environ.get(RECORD_VARIABLE)
    if record:
        try:
            prepared = prepare_log(_state.path, _state.build)
        except OSError as exc:  # a read-only checkout, a full disk: nothing is published
            raise _stop(f"không ghi được nhật ký thay đổi vào {exc.filename}: {exc.strerror}") from None
        Path(record).write_text("".join(f"{p}\n" for p in prepared or ()), encoding="utf-8")
    if _served.dirty:
        _remember_served(config)
    for line in summary(_state.meeting, _state.path, cache_root()):
        log.info(line)
    _resume_collector()


def on_build_error(error: Exception) -> None:
    _resume_collector()


# Material's search index takes the text of adjacent elements as one run: "Thành ủy Hà Tĩnh<br>Maket:
# PDF" became the word "TĩnhMaket", in the result shown and in what lunr indexes. A line break, a
# cell, a term or a block starts a new word, as it does on the page.
_WORD_BREAKS = {"br", "hr", "div", "dl", "dt", "dd", "table", "tr", "td", "th", "caption", "figure", "figcaption",
                "details", "summary", "section", "aside", "blockquote", "form", "fieldset", "label"}
# The theme's own method, kept on the class: this module may be run more than once in a process.
_starttag = SearchParser.__dict__.get("_theme_handle_starttag", SearchParser.handle_starttag)


def _starttag_with_word_break(self, tag, attrs):
    if tag in _WORD_BREAKS:
        self.handle_data(" ")  # the parser's own rules: not inside skipped elements, no double spaces
    return _starttag(self, tag, attrs)


SearchParser._theme_handle_starttag = _starttag
SearchParser.handle_starttag = _starttag_with_word_break


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


def _no() -> bool:
    return False


def _unchanged_pages(config: MkDocsConfig, rendered: Rendered, generated: list) -> set[str]:
    """The pages of this build that the last build of this serve wrote exactly so (same source, same
    table of contents, same everything they share): MkDocs need not render or write them again."""
    shared = hashlib.sha256(json.dumps([
        str(config.site_name), str(config.site_description), config.site_url, config.nav, config.extra,
        config.theme.name, dict(config.theme), config.extra_css, config.extra_javascript,
        sorted(src for src, _ in generated), _tree_stamp(Path(config.docs_dir)),
        _tree_stamp(Path(config.theme.custom_dir or config.docs_dir))], default=str, sort_keys=True).encode()).hexdigest()
    sources = dict(generated)  # each page's source, made once by on_files
    digests = {}
    for page in rendered.pages:
        kept = _served.sources.get(page.src)
        if kept is not None and kept[0] is page and page.src in _served.pages:  # not rendered again: the same
            digests[page.src] = _served.pages[page.src]
        else:
            digests[page.src] = hashlib.sha256((sources[page.src] + json.dumps(page.toc)).encode()).hexdigest()
    same = _served.site_dir == config.site_dir and _served.shared == shared
    _served.pending = {"shared": shared, **digests}
    return {src for src, digest in digests.items() if same and _served.pages.get(src) == digest}


def _tree_stamp(folder: Path) -> list:
    """Names, sizes and times of a folder's files: an edited override or asset changes every page."""
    return sorted((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file())


def _served_index(raw: str) -> str:
    """The theme's index of this dirty build, with the entries of the pages it did not render again."""
    index = json.loads(raw)
    rendered = {doc["location"].split("#")[0] for doc in index["docs"]}
    kept = [doc for doc in _served.search if doc["location"].split("#")[0] not in rendered]
    index["docs"] = kept + index["docs"]
    _served.search = index["docs"]
    return json.dumps(index)


def _remember_served(config: MkDocsConfig) -> None:
    """This build succeeded: the next one compares with it. Pages no longer generated are removed."""
    pending = dict(_served.pending)
    shared = pending.pop("shared", "")
    if _served.site_dir == config.site_dir:
        for src in set(_served.pages) - set(pending):
            page = Path(config.site_dir) / _dest(src, config.use_directory_urls)
            if page.is_file():
                page.unlink()
    _served.site_dir, _served.shared, _served.pages = config.site_dir, shared, pending
    _served.rendered = _served.pending_rendered
    _served.sources = {**{src: kept for src, kept in _served.sources.items() if src in pending},
                       **_served.pending_sources}
    _served.pending_sources = {}
    _served.events = {**_served.events, **_state.build.event_states}


def _pause_collector() -> None:
    """`make serve` only: no cyclic garbage collection during a rebuild. The serve process holds the
    last build (its pages, the model) besides the one being made, and every full collection walks
    all of it: at national scale a third of a rebuild after a one-field edit. One collection after
    the build (_resume_collector) frees the same garbage. `mkdocs build` keeps the collector running:
    paused, a national build would hold 60 % more memory at its peak."""
    if _served.dirty:
        gc.disable()


def _resume_collector() -> None:
    if _served.dirty and not gc.isenabled():
        gc.enable()
        gc.collect()


def _dest(src: str, directory_urls: bool) -> str:
    url = routes.url(src, directory_urls)
    return url + "index.html" if url.endswith("/") or url == "" else url


def _link_cached(site: Path, linked: list[tuple[str, str]]) -> None:
    """Bring our cache's files (QR codes, makets, archives, calendars) into the site as hard links.

    A national site holds 36,500 of them: MkDocs would copy every byte at every build. A hard
    link shares the cache entry's inode, which is safe because neither side ever writes into it: the
    cache replaces an entry by renaming a new file over its name, and nothing writes into a built
    site's files (search.py rewrites the search index, never a cached file). Where the file system
    refuses (the cache on another one: EXDEV), the file is copied. Readable by the web server:
    entries cached before the cache wrote them 0644 are 0600.
    """
    folders: set[str] = set()
    for dest, src in linked:
        target = os.path.join(site, dest)
        folder = os.path.dirname(target)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        try:
            os.link(src, target)
        except FileExistsError:  # `mkdocs serve` building again into its folder
            if os.path.samefile(src, target):
                continue
            _replace(src, target)
        except OSError:  # links refused (EXDEV)
            _replace(src, target)
        os.chmod(target, 0o644)


def _replace(src: str, target: str) -> None:
    """Put `src` at `target`, linked or else copied, never into what is there: an older link would
    carry the copy into its cache entry."""
    if os.path.lexists(target):
        os.unlink(target)
    try:
        os.link(src, target)
    except OSError:
        shutil.copyfile(src, target)


def _meta(page: Page) -> dict:
    """The page's front matter: title, description, search exclusion."""
    meta = {"title": html.escape(page.title), "description": html.escape(page.description)}
    if not page.searched:
        meta["search"] = {"exclude": True}
    return meta


def _source(page: Page) -> str:
    """Front matter and the page's HTML: the file MkDocs knows the page by (on_pre_page reads it
    from our page instead; a plain MkDocs build of these files, as tools/bench.py makes, reads it)."""
    kept = _served.sources.get(page.src)
    if kept is not None and kept[0] is page:  # `make serve`: a page not rendered again
        return kept[1]
    source = "---\n" + yaml.dump(_meta(page), Dumper=_DUMPER, allow_unicode=True, width=10_000) + "---\n\n" + page.html
    if _served.dirty:
        _served.pending_sources[page.src] = (page, source)
    return source


class _Stop(Abort):
    """Stops the build with our message as it is, on stderr. A PluginError would be printed as
    "ERROR - …" and followed by MkDocs' English "Aborted with a BuildError!"; an Abort prints only
    its message (and `mkdocs serve` keeps running, printing it, until the file is fixed)."""

    def show(self, *args, **kwargs) -> None:
        click.echo("\n" + self.format_message(), err=True)


def _stop(message: str) -> Abort:
    return _Stop(message)


# libyaml writes the same YAML seven times faster: it counts at 10,000 pages.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
