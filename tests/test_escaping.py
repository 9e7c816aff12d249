"""Hostile text in every text field of the meeting file comes out as text, never as markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from conftest import DATA, build_site, load_data, write_meeting

PAYLOAD = """<script>alert("x")</script></title></textarea><img src=x onerror=alert(1)>"'><b>*em* [l](javascript:alert(1)) {{ x }}"""

# Fields whose values are ids, dates, numbers or addresses: the model refuses hostile text there.
STRUCTURED = {"id", "slug", "parent", "agencies", "send_to", "prepared_by", "tiers", "points", "contacts",
              "documents", "duties", "deadline", "agency", "tier", "duty", "email", "phone", "date", "start",
              "end", "time", "at", "timezone", "kind", "form", "number", "minutes_before", "tentative"}


def poison(value, key: str | None = None, counter=[0]):
    """Replace every free-text value with the payload plus a unique marker (kept unique for slugs)."""
    if isinstance(value, dict):
        return {k: poison(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [poison(v, key) for v in value]
    if isinstance(value, str) and key not in STRUCTURED:
        counter[0] += 1
        return f"{PAYLOAD} #{counter[0]}"
    return value


class _Counter(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts = 0
        self.textareas = 0  # report forms have their own; the payload must not add or close any
        self.bad = []

    def handle_starttag(self, tag, attrs):
        if tag == "script":
            self.scripts += 1
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript:"):
                self.bad.append((tag, name, value))
        if tag == "b" or (tag == "img" and dict(attrs).get("src") == "x"):  # the payload's tags
            self.bad.append((tag, attrs))
        self.textareas += tag == "textarea"


def test_hostile_text_everywhere_comes_out_escaped(tmp_path: Path) -> None:
    data = poison(load_data(DATA))
    # Points need distinct names when slugs are derived; the real file gives slugs, so names may clash.
    built = build_site(write_meeting(tmp_path / "hostile.yaml", data), tmp_path / "site")
    assert built.returncode == 0, built.output
    baseline = build_site(DATA, tmp_path / "baseline")
    pages = built.pages()
    assert len(pages) == len(baseline.pages())
    for page in pages:
        source = page.read_text(encoding="utf-8")
        assert "<script>alert" not in source, page
        assert "<img src=x" not in source, page
        parser = _Counter()
        parser.feed(source)
        clean = _Counter()
        clean.feed((baseline.site / page.relative_to(built.site)).read_text(encoding="utf-8"))
        assert parser.scripts == clean.scripts, page
        assert parser.textareas == clean.textareas, page
        assert parser.bad == [], page
        title = re.search(r"<title>(.*?)</title>", source, re.S).group(1)
        assert "<" not in title, (page, title)
    home = built.text("")
    assert PAYLOAD.split("</title>")[0] in home  # shown as text, literally
