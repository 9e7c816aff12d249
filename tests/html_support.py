"""Built pages read as parsed HTML, not as strings: the ids of a page, one section of a page.

html5lib (pinned in requirements-dev.txt) parses the way a browser does, so a section is what a
reader sees under a heading, whatever the line breaks or the attribute order in the markup.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from xml.etree.ElementTree import Element, tostring

import html5lib

HEADINGS = {f"h{n}": n for n in range(1, 7)}
# Not read as text: what a reader never sees in the page's flow, and Material's "#" permalinks.
UNSEEN = {"script", "style", "template"}
PERMALINK = "headerlink"


def parse(page: str) -> Element:
    """The document tree, as browsers build it; tags without namespace ('div', 'h2')."""
    return html5lib.parse(page, namespaceHTMLElements=False)


def ids(page: str | Element) -> list[str]:
    """Every id on the page, in document order, repeats kept (a page should have none)."""
    root = parse(page) if isinstance(page, str) else page
    return [el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id") is not None]


def duplicate_ids(page: str | Element) -> dict[str, int]:
    """{id: how many times} for each id written more than once on the page."""
    return {name: n for name, n in Counter(ids(page)).items() if n > 1}


def fold(text: str) -> str:
    """Text as compared by the tests: NFC, white space folded to single spaces, ends stripped."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def text_of(nodes: list[Element | str], tails: bool = True) -> str:
    """Visible text of the nodes (elements or bare text), folded; with `tails`, also the text after
    each element (up to the next)."""
    parts: list[str] = []

    def walk(el: Element) -> None:
        if isinstance(el.tag, str) and el.tag not in UNSEEN and PERMALINK not in (el.get("class") or "").split():
            parts.append(el.text or "")
            for child in el:
                walk(child)
                parts.append(child.tail or "")
        parts.append(" ")

    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
            continue
        walk(node)
        if tails:
            parts.append(node.tail or "")
    return fold("".join(parts))  # html5lib has decoded the entities


@dataclass
class Section:
    """What lies under one heading: the heading, then every node up to the next heading of the
    same or a higher level (or the end of the heading's <article>, else of <body>). `nodes` are
    elements of the page (text after each one included, as its tail), copies cut short where an
    element holds the next heading, and bare text found between them."""

    id: str
    level: int
    nodes: list[Element | str]

    @property
    def heading(self) -> Element:
        return self.nodes[0]

    @property
    def title(self) -> str:
        return text_of([self.heading], tails=False)

    @property
    def text(self) -> str:
        return text_of(self.nodes)

    @property
    def elements(self) -> list[Element]:
        return [node for node in self.nodes if not isinstance(node, str)]

    @property
    def ids(self) -> list[str]:
        return [i for el in self.elements for i in ids(el)]

    def iter(self, tag: str | None = None):
        """Every element of the section (the heading included), in document order."""
        for el in self.elements:
            yield from (e for e in el.iter(tag) if isinstance(e.tag, str))

    def find_all(self, tag: str, class_: str | None = None) -> list[Element]:
        return [el for el in self.iter(tag) if class_ is None or class_ in (el.get("class") or "").split()]

    @property
    def html(self) -> str:
        return "".join(node if isinstance(node, str) else tostring(node, encoding="unicode", method="html")
                       for node in self.nodes)


def _take(nodes: list[Element], level: int) -> tuple[list[Element], bool]:
    """The nodes before the first heading of `level` or higher, found at any depth; a node that holds
    that heading is copied and cut just before it. Returns (nodes, whether such a heading was met)."""
    taken: list[Element] = []
    for node in nodes:
        if not isinstance(node.tag, str):  # comments
            continue
        if HEADINGS.get(node.tag, 7) <= level:
            return taken, True
        inner, ended = _take(list(node), level)
        if ended:
            cut = Element(node.tag, dict(node.attrib))
            cut.text = node.text
            cut.extend(inner)  # the last one's tail is text before the end heading: the section's
            taken.append(cut)
            return taken, True
        taken.append(node)
    return taken, False


def section(page: str | Element, id: str) -> Section:
    """The section of the heading with this id. Fails if the id is missing, repeated or not a heading's."""
    root = parse(page) if isinstance(page, str) else page
    parents = {child: parent for parent in root.iter() for child in parent}
    found = [el for el in root.iter() if isinstance(el.tag, str) and el.get("id") == id]
    if len(found) != 1:
        raise LookupError(f"id {id!r} is on {len(found)} elements of the page, not one")
    heading = found[0]
    if heading.tag not in HEADINGS:
        raise LookupError(f"id {id!r} is on a <{heading.tag}>, not on a heading")
    level = HEADINGS[heading.tag]
    nodes: list[Element | str] = [heading]
    node = heading
    # Siblings after the heading, then after each ancestor, until an end heading or the article's end.
    while True:
        parent = parents[node]
        siblings = list(parent)
        more, ended = _take(siblings[siblings.index(node) + 1:], level)
        nodes += more
        if ended or parent.tag in ("article", "body") or parent not in parents:
            break
        if parent.tail:
            nodes.append(parent.tail)
        node = parent
    return Section(id, level, nodes)
