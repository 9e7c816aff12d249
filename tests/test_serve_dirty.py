"""`make serve` rebuilds only what changed (`mkdocs serve --dirty` and the adapter's own record of
what it wrote), and what it serves then equals a clean build of the edited meeting.

The serve loop is run as MkDocs runs it, in one process: `on_startup(command="serve", dirty=True)`,
then a dirty build, one edit (a point's place or name, a parent's contact, a meeting field), a reload of the configuration and a second dirty
build into the same folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from conftest import DATA, ROOT, build_site
from microsite import SiteOptions, build_pages, load_meeting, make_build

SCRIPT = """
import json, os, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

site, meeting = sys.argv[1], Path(sys.argv[2])

def dirty_build():
    config = load_config("mkdocs.yml", site_dir=site)
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)

def stamps():
    return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in Path(site).rglob("*.html")}

def calendars():
    return {str(p.relative_to(site)): p.read_bytes() for p in Path(site).rglob("*.ics")}

dirty_build()
before, ics_before = stamps(), calendars()
text = meeting.read_text(encoding="utf-8")
meeting.write_text(text.replace(sys.argv[3], sys.argv[4], 1), encoding="utf-8")
saved = meeting.stat().st_mtime + 60  # a later second: the meeting file's date dates the changes
os.utime(meeting, (saved, saved))
dirty_build()
after, ics_after = stamps(), calendars()
print(json.dumps(sorted(name for name in ics_after if ics_before.get(name) != ics_after[name])))
print(json.dumps(sorted(name for name in after if before.get(name) != after[name])))
"""

HUONG_SON = "{slug: huong-son, name: Huyện ủy Hương Sơn}"
NO_COMMUNES = "    points: []\n"
COMMUNES = ("    points:\n"
            "      - {name: Xã Sơn Tây, parent: huong-son}\n"
            "      - {name: Xã Hương Trà, parent: huong-khe}\n")
PLACE = "{slug: huong-son, name: Huyện ủy Hương Sơn, place: Hội trường Huyện ủy Hương Sơn}"
CONTACT = "{slug: huong-son, name: Huyện ủy Hương Sơn, contacts: [{role: kỹ thuật, name: Nguyễn Văn A, phone: 0913 000 111}]}"
UNTOUCHED = {"dc/tinh/index.html", "chuong-trinh/index.html", "nhiem-vu/index.html", "dc/can-loc/index.html"}

# Each case: how the seed is set up, the edit saved under `make serve` (old text, new text), pages the
# rebuild must write again, pages it must leave alone (None: every page may change), and text the
# edited page then shows.
CASES = {
    # One point's own field: its page and the pages listing its place, nothing else.
    "a point's place": ([(HUONG_SON, PLACE)], ("Hội trường Huyện ủy Hương Sơn", "Hội trường mới"),
                        {"dc/huong-son/index.html", "diem-cau/index.html"}, UNTOUCHED,
                        ("dc/huong-son/index.html", "Hội trường mới")),
    # A parent's contact shows on its children's pages too: they are rendered again, their cousins not.
    "a parent's contact": ([(HUONG_SON, CONTACT), (NO_COMMUNES, COMMUNES)], ("0913 000 111", "0913 000 222"),
                           {"dc/huong-son/index.html", "dc/xa-son-tay-huong-son/index.html"},
                           UNTOUCHED | {"dc/xa-huong-tra-huong-khe/index.html"},
                           ("dc/xa-son-tay-huong-son/index.html", "0913 000 222")),
    # A point's name is in the tree every page's lists are drawn from: every page may change.
    "a point's name": ([(NO_COMMUNES, COMMUNES)], ("name: Huyện ủy Hương Sơn}", "name: Huyện ủy Hương Sơn mới}"),
                       {"dc/huong-son/index.html", "dc/xa-son-tay-huong-son/index.html", "diem-cau/index.html"}, None,
                       ("dc/huong-son/index.html", "Huyện ủy Hương Sơn mới")),
    # A meeting field (the start time) is on every page.
    "the meeting's start": ([], ('start: "07:30"', 'start: "08:15"'),
                            {"index.html", "dc/huong-son/index.html", "dc/tinh/index.html", "chuong-trinh/index.html"},
                            None, ("dc/can-loc/index.html", "08h15")),
}


@pytest.mark.parametrize("case", CASES)
def serve_an_edit(tmp_path: Path, setup: list, old: str, new: str, **env_extra: str) -> tuple[Path, dict, set, set]:
    """The seed, set up, served with one edit saved; (served folder, env, calendars changed, pages rewritten)."""
    meeting = tmp_path / "meeting.yaml"
    text = DATA.read_text(encoding="utf-8")
    for before, after in setup:
        assert text.count(before) == 1, before
        text = text.replace(before, after)
    assert text.count(old) == 1 and new not in text
    meeting.write_text(text, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MEETING_FILE": str(meeting), "SITE_URL": "https://hoinghi.example.vn/",
           "MICROSITE_NOW": "2021-09-20T08:00", **env_extra}
    served = tmp_path / "served"
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(served), str(meeting), old, new],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    *_, calendars, pages = result.stdout.splitlines()
    return served, env, set(json.loads(calendars)), set(json.loads(pages))


@pytest.mark.parametrize("case", CASES)
def test_an_edit_rewrites_its_pages_only_and_the_result_equals_a_clean_build(tmp_path: Path, case: str) -> None:
    setup, (old, new), rewritten_expected, untouched, (shown_on, shown) = CASES[case]
    served, env, _calendars, rewritten = serve_an_edit(tmp_path, setup, old, new, SOURCE_DATE_EPOCH="1632700000")
    meeting = Path(env["MEETING_FILE"])
    assert rewritten_expected <= rewritten, rewritten_expected - rewritten
    if untouched is not None:
        assert not untouched & rewritten, untouched & rewritten
        assert len(rewritten) < 10, rewritten

    clean = build_site(meeting, tmp_path / "clean", env=env)
    assert clean.returncode == 0, clean.output
    pages = sorted(str(p.relative_to(clean.site)) for p in clean.site.rglob("*.html"))
    assert pages == sorted(str(p.relative_to(served)) for p in served.rglob("*.html"))
    for name in pages:
        assert (served / name).read_bytes() == (clean.site / name).read_bytes(), name
    assert shown in (served / shown_on).read_text(encoding="utf-8")
    index = [json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8")) for folder in (served, clean.site)]
    assert sorted(map(json.dumps, index[0]["docs"])) == sorted(map(json.dumps, index[1]["docs"]))


def test_a_saved_edit_changes_its_own_calendar_and_pages_only(tmp_path: Path) -> None:
    """Saving moves the meeting file's date (no SOURCE_DATE_EPOCH here, as under `make serve`), which
    dates what changed: the calendars of the points not edited keep their bytes (SEQUENCE and stamp as
    the previous build showed them), and their pages are not rendered again."""
    served, _env, calendars, rewritten = serve_an_edit(
        tmp_path, [(HUONG_SON, PLACE)], "Hội trường Huyện ủy Hương Sơn", "Hội trường mới")
    assert calendars == {"lich/dc/huong-son.ics"}, calendars
    ics = (served / "lich/dc/huong-son.ics").read_bytes().decode("utf-8")
    assert "SEQUENCE:1" in ics and "Hội trường mới" in ics.replace("\r\n ", "")
    assert "SEQUENCE:0" in (served / "lich/dc/can-loc.ics").read_text(encoding="utf-8")
    assert {"dc/huong-son/index.html", "diem-cau/index.html"} <= rewritten and not UNTOUCHED & rewritten, rewritten
    assert len(rewritten) < 10, rewritten


def test_a_new_date_of_the_meeting_file_renders_no_point_page_again(tmp_path: Path, monkeypatch) -> None:
    """Every save moves the file's date (`options.revised`, which dates calendar events): the pages
    of the points whose values did not change are the previous build's, not rendered again."""
    monkeypatch.setenv("MICROSITE_CACHE_DIR", str(tmp_path / "cache"))
    m = load_meeting(DATA)
    options = SiteOptions(site_url="https://hoinghi.example.vn/", data_dir=DATA.parent,
                          revised=datetime(2021, 9, 27, 8, tzinfo=timezone.utc))
    first = build_pages(make_build(m, options), remember=True)
    later = replace(options, revised=options.revised + timedelta(minutes=5))
    second = build_pages(make_build(m, later), previous=first)
    assert first.points and second.points.keys() == first.points.keys()
    for src, (_values, page) in second.points.items():
        assert page is first.points[src][1], src
