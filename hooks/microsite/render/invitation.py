"""The invitation's standalone document, for its PDF: the page's paper without the site around it."""

from __future__ import annotations

from ..outputs.invitation_pdf import STYLESHEET_URL
from ..source.model import MeetingFile
from .pages import SiteOptions, _environment


def document(m: MeetingFile, options: SiteOptions) -> str:
    template = _environment(options.cache_dir).get_template("invitation.html.j2")
    return template.render(m=m, stylesheet=STYLESHEET_URL)
