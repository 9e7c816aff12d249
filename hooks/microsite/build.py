"""One build: everything the pages and files of a site are made from, worked out once.

The build context is made once per build, before anything is rendered: the model's relations, the
connection-point index, the timeline, the phase of the meeting by the build's clock, and every
generated file (QR codes, makets, calendars, the link-preview card, attached documents). Rendering
only reads it; nothing is computed on the side while a template runs, and nothing outlives the
build but the content-keyed cache.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import routes
from .outputs import card, data, feed, maket, notices, paper_fonts
from .outputs.calendar import calendars, revision_time
from .outputs.points_log import previous_points, remember_points
from .routes import Asset, SiteOptions
from .source import MeetingFile
from .source.changelog import EventState, changelog_path, load_changelog, prepare
from .views import changes, documents, invitation, lifecycle
from .views.index import PointIndex, point_index
from .views.relations import Relations
from .views.sessions import Slot, schedule
from .views.summary import point_list, summarize, summary_lines
from .views.timeline import Moment, moments


@dataclass(frozen=True)
class Build:
    m: MeetingFile
    options: SiteOptions
    relations: Relations
    index: PointIndex
    moments: list[Moment]
    schedule: list[Slot]  # every session and the breaks between them
    paper_fonts: list[tuple[str, Path]]  # the invitation's face: (place in the site, file)
    phase: lifecycle.Phase  # by the build's clock; the page carries the other parts, hidden
    starts: datetime
    ends: datetime
    makets: maket.Prepared
    attachments: dict[str, documents.Attachment]  # document id -> its file in the site
    notices: changes.Notices  # what changed since the site went out, for the pages that show it
    event_states: dict[str, EventState]  # every calendar event's SEQUENCE, for the change log
    assets: list[Asset]


def settings(path: Path, environ: Mapping[str, str] = os.environ, meeting: MeetingFile | None = None) -> dict:
    """What a build takes from the machine rather than the meeting file, checked before site/ is
    touched: the clock (MICROSITE_NOW), the fonts of the link-preview card, when the meeting file
    (or a points file it names) last changed (calendars' SEQUENCE grows only when one is edited),
    its folder (attached documents), and the npm packages the licence notices read. Raises ValueError."""
    card.fonts()
    problem = paper_fonts.problem()  # the invitation's serif face, for its page and its PDF
    if problem:
        raise ValueError(problem)
    notices.check_installed()
    sources = [path, *(path.parent / t.points_file for t in meeting.tiers if t.points_file)] if meeting else [path]
    return {"now": lifecycle.build_time(environ), "revised": max(revision_time(p, environ) for p in sources),
            "data_dir": path.parent, "built": data.build_clock(environ)}


def load_revision(path: Path, m: MeetingFile, revised, display: str | None = None,
                  shown_events: Mapping[str, EventState] | None = None) -> changes.Revision:
    """The change log beside the meeting file and what changed since it was written. Raises
    MeetingError (a ChangeLogError) naming the log's file and line. `shown_events`: changes.Revision.shown."""
    log = changelog_path(path)
    shown = str(Path(display).with_name(log.name)) if display else None
    return changes.revise(load_changelog(log, shown), m, revised, shown_events)


def prepare_log(path: Path, b: Build) -> tuple[Path, Path] | None:
    """Write the change log this build leaves beside the meeting file under a temporary name;
    return (that name, the log's), or None when the log would not change. The build tool renames
    one over the other once the site is published (tools/build.py), so a failed build never appends."""
    log = changes.record(b.options.revision, b.event_states)
    if log is None:
        return None
    target = changelog_path(path)
    return prepare(log, target), target


def summary(m: MeetingFile, meeting_path: Path, cache_dir: Path) -> list[str]:
    """The lines to print after a build (views.summary); this build's points are kept for the next."""
    lines = summary_lines(summarize(m, previous_points(cache_dir, meeting_path)))
    remember_points(cache_dir, meeting_path, point_list(m))
    return lines


def print_problem(site_url: str | None) -> str | None:
    """Why print files cannot be made for this build (no published address, no font), or None."""
    return maket.print_problem(site_url)


def make(m: MeetingFile, options: SiteOptions) -> Build:
    starts, ends = lifecycle.bounds(m)
    index = point_index(m)
    relations = Relations(m)
    fonts = paper_fonts.files()
    # Served fonts by PostScript name: a family's regular face goes by the family's name.
    served = {Path(dest).stem.removesuffix("-Regular"): dest for dest, _ in fonts}
    makets = maket.prepare(m, options, index, relations, served)
    attached = {doc.id: documents.attachment(doc, options.data_dir) for doc in m.documents}
    attachments = {doc_id: a for doc_id, a in attached.items() if a}
    assets = [Asset(a.dest, a.source) for a in attachments.values()]
    assets.append(Asset(routes.CARD, card.card_file(m)))
    ics, event_states = calendars(m, options, relations)
    assets += ics
    assets += [data.data_file(m, options), feed.feed_file(m, options)]
    assets += [Asset(dest, path) for dest, path in maket.files(makets)]
    assets.append(Asset(routes.NOTICES, notices.text(makets.notices)))
    assets += [Asset(dest, path) for dest, path in [*fonts, *invitation.files(m, options.data_dir)]]
    return Build(m=m, options=options, relations=relations, index=index, moments=moments(m),
                 schedule=schedule(m.meeting), paper_fonts=fonts,
                 phase=lifecycle.phase(m, options.now), starts=starts, ends=ends, makets=makets,
                 attachments=attachments, notices=changes.Notices(options.revision, m, options.now),
                 event_states=event_states, assets=assets)
