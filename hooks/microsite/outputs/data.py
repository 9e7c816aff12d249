"""The meeting as data: du-lieu/hoi-nghi.json, for the province's other systems (issue 19).

The validated model with the meeting file's own keys (stable: they are the file's format, see
data/meeting.schema.json), each point's `key` (its slug, also when derived from its name), and
around it what a consumer needs to know whether it changed: `revision` (how many published
changes), `updated`, `published`, `generated` (the build's time) and every change, as the
changes page lists them. `format` is this file's own version; it is raised only when a key's
meaning changes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from ..routes import DATA_JSON, Asset, SiteOptions
from ..source.model import MeetingFile
from ..views.lifecycle import build_time

FORMAT = 1


def build_clock(environ: Mapping[str, str] = os.environ) -> datetime:
    """When this build ran, as published data states it: MICROSITE_NOW, else SOURCE_DATE_EPOCH
    (reproducible builds), else the real clock. A naive MICROSITE_NOW stays naive (meeting-local)."""
    now = build_time(environ)
    if now is not None:
        return now
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    return datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit() else datetime.now(timezone.utc)


def data_file(m: MeetingFile, options: SiteOptions) -> Asset:
    zone = ZoneInfo(m.meeting.timezone)

    def iso(value: datetime) -> str:
        aware = value if value.tzinfo else value.replace(tzinfo=zone)
        return aware.astimezone(zone).isoformat(timespec="seconds")

    meeting = m.model_dump(mode="json")
    for tier, model_tier in zip(meeting["tiers"], m.tiers):
        for point, model_point in zip(tier["points"], model_tier.points):
            point["key"] = model_point.key
    revision = options.revision
    entries = revision.entries if revision else []
    published = revision.published if revision else None
    doc = {
        "format": FORMAT,
        "generated": iso(options.built or datetime.now(timezone.utc)),
        "published": iso(published) if published else None,
        "updated": iso(entries[-1].at) if entries else (iso(published) if published else None),
        "revision": len(entries),
        "site_url": options.site_url,
        "changes": [{"number": i, "at": iso(e.at), "until": iso(e.until) if e.until else None,
                     "changes": [c.text for c in e.changes]} for i, e in enumerate(entries, 1)],
        "meeting": meeting,
    }
    # Compact: with `indent`, json writes in Python rather than C, a second of a national build
    # (and of every save under `make serve`); a reader that wants it indented asks its viewer.
    return Asset(DATA_JSON, json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n")
