"""Markup: the one place that escapes text and shapes our own HTML.

Pages are HTML we render ourselves; the site engine does not parse them again (a national
meeting's ten thousand pages spent most of their build in Python-Markdown's HTML-block parser).
So the table of contents comes from here too: every heading is written by the `heading` macro
(`_macros.j2`) in one exact form, which `toc` reads back.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

__all__ = ["Markup", "escape", "one_line", "toc", "untoc", "tidy"]

# The one form of our headings: <hN id="anchor">text<a class="headerlink" ...>#</a></hN>
_HEADING = re.compile(r'<h([2-6]) id="([A-Za-z0-9_-]+)">(.*?)<a class="headerlink"')


def one_line(value: object) -> Markup:
    """Text escaped and on one line: a heading (and its entry in the table of contents) never
    breaks, whatever line breaks the YAML's text holds."""
    return Markup(" ".join(str(escape(value)).split()))


def toc(html: str) -> list[dict]:
    """The page's table of contents, as MkDocs' toc tokens: h2 at the top, deeper levels nested."""
    root: list[dict] = []
    stack: list[dict] = []
    for level, anchor, name in _HEADING.findall(html):
        token = {"level": int(level), "id": anchor, "name": name, "children": []}
        while stack and stack[-1]["level"] >= token["level"]:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return root


def untoc(html: str) -> Markup:
    """Headings of a part hidden at build time, kept out of the table of contents (they would
    say "the meeting has ended" before it starts). They keep their ids: the script reveals them."""
    return Markup(re.sub(r'<h([2-6]) id="', r'<h\1 data-toc="no" id="', str(html)))


def tidy(body: str) -> str:
    """Collapse runs of blank lines left by template logic."""
    while "\n\n\n" in body:  # as re.sub(r"\n{3,}", "\n\n"), several times faster on 10,000 pages
        body = body.replace("\n\n\n", "\n\n")
    return body.strip() + "\n"
