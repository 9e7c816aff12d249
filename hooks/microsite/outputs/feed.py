"""thay-doi.xml: the changes as an Atom feed (RFC 4287), for the provincial portal (issue 19).

One entry per published revision, newest first, with the same sentences as the changes page.
feedgenerator (Pelican's standalone Django feed writer) writes the XML and escapes it; the entry's
content is HTML (a list), escaped here first, since a reader unescapes the XML and then reads HTML.
IDs are URNs made from the meeting's identity and the entry's time, so they stay when the site
moves; the feed's `updated` is its last entry's time, so an unchanged meeting gives the same bytes.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from markupsafe import escape

from ..routes import CHANGES, FEED, HOME, Asset, SiteOptions, absolute_url, change_anchor
from ..source.model import MeetingFile
from .. import text
from .calendar import UID_DOMAIN, meeting_key



def _urn(*parts: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_URL, "/".join((f"https://{UID_DOMAIN}", *parts))).urn


def feed_file(m: MeetingFile, options: SiteOptions) -> Asset:
    from feedgenerator import Atom1Feed  # only when the feed is written

    class Feed(Atom1Feed):
        def latest_post_date(self) -> datetime:  # the library's falls back to the clock
            return self.feed["updated"]

    zone = ZoneInfo(m.meeting.timezone)
    revision = options.revision
    entries = revision.entries if revision else []
    published = revision.published if revision else None
    updated = entries[-1].at if entries else published or datetime(2020, 1, 1, tzinfo=zone)
    key = meeting_key(m)
    mt = m.meeting
    feed = Feed(title=f"Thay đổi — {mt.name}", link=absolute_url(options, HOME) or "", description=None,
                subtitle=mt.title, language="vi", author_name=f"{mt.issuer.unit}, {mt.issuer.organization}",
                feed_url=absolute_url(options, FEED), feed_guid=_urn(key, "thay-doi"), updated=updated)
    for number, entry in reversed(list(enumerate(entries, 1))):
        at = entry.at.astimezone(zone)
        items = "".join(f"<li>{escape(c.text)}</li>" for c in entry.changes)
        feed.add_item(title=f"Cập nhật lúc {text.vn_datetime(at.replace(tzinfo=None))}",
                      link=absolute_url(options, CHANGES, change_anchor(number)) or "", description=None,
                      unique_id=_urn(key, "thay-doi", at.isoformat()), pubdate=at, updateddate=at,
                      content=f"<ul>{items}</ul>")
    return Asset(FEED, feed.writeString("utf-8"))
