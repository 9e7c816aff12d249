"""Change notices (issue 19): the change log beside the meeting file, notices on the pages, the
changes page, the Atom feed, the meeting's data as JSON, and calendars whose SEQUENCE rises only
in the events that changed.

The story is built for real with tools/build.py (what `make build` runs), each step in its own
site folder: publish the seed; publish it again; move the start and add a point; publish that
again; move the start back. A bad change log must stop the build with its file and line.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import defusedxml.ElementTree as SafeET
import html5lib
import pytest
import yaml
from conftest import copy_project, DATA, ROOT, Built, build_site, load_data, visible_text, write_meeting
from icalendar import Calendar

from microsite import SiteOptions, load_meeting
from microsite.outputs.calendar import calendars
from microsite.source.changelog import ChangeLog, load_changelog
from microsite.views import changes

VN = ZoneInfo("Asia/Ho_Chi_Minh")
ATOM = "{http://www.w3.org/2005/Atom}"
BEFORE = "2021-09-29T08:00"  # the build's clock: the day before the meeting, notices still shown


def epoch(*args: int) -> int:
    return int(datetime(*args, tzinfo=VN).timestamp())


FIRST, SECOND, THIRD = epoch(2021, 9, 27, 8, 0), epoch(2021, 9, 28, 11, 0), epoch(2021, 9, 29, 7, 45)
START, POINT = "Giờ bắt đầu đổi từ 07h30 sang 08h", "Thêm điểm cầu Xã Sơn Tây"


def publish(folder: Path, site: str, revised: int, *, now: str = BEFORE, root: Path = ROOT) -> tuple[Built, str]:
    """tools/build.py on folder/meeting.yaml into folder/<site>, dated `revised` (SOURCE_DATE_EPOCH)."""
    env = {**os.environ, "SITE_DIR": str(folder / site), "MEETING_FILE": str(folder / "meeting.yaml"),
           "SOURCE_DATE_EPOCH": str(revised), "MICROSITE_NOW": now}
    result = subprocess.run([sys.executable, str(root / "tools" / "build.py")], env=env, capture_output=True,
                            text=True, timeout=300)
    return Built(result.returncode, result.stdout + result.stderr, folder / site), result.stdout + result.stderr


def changed(data: dict) -> dict:
    data = json.loads(json.dumps(data))
    data["meeting"]["sessions"][0]["start"] = "08:00"
    data["tiers"][2]["points"].append({"name": "Xã Sơn Tây", "parent": "huong-son"})
    return data


@pytest.fixture(scope="module")
def story(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("changes")
    data = load_data(DATA)
    sites, logs = {}, {}
    for step, content, revised in (("first", data, FIRST), ("again", data, FIRST), ("changed", changed(data), SECOND),
                                   ("changed-again", changed(data), SECOND), ("back", None, THIRD)):
        if content is None:
            content = changed(data)
            content["meeting"]["sessions"][0]["start"] = "07:30"
        write_meeting(folder / "meeting.yaml", content)
        built, output = publish(folder, step, revised)
        assert built.returncode == 0, output
        sites[step], logs[step] = built, (folder / "thay-doi.yaml").read_bytes()
    return {"folder": folder, "sites": sites, "logs": logs}


def notices(built: Built, url: str) -> list[tuple[str, list[str]]]:
    """(title, changes) of each notice on a page, as a reader sees them."""
    root = html5lib.parse(built.html(url), treebuilder="etree", namespaceHTMLElements=False)
    out = []
    for box in root.iter("div"):
        if "ms-notice" in box.get("class", "").split():
            title = "".join(box.find("p").itertext()).strip()
            out.append((title, ["".join(li.itertext()).strip() for li in box.iter("li")]))
    return out


def calendar_events(built: Built) -> dict[str, object]:
    out = {}
    for path in sorted((built.site / "lich").rglob("*.ics")):
        for event in Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            out[str(event["UID"]).split(".", 1)[1].split("@")[0]] = event
    return out


def files(built: Built) -> dict[str, bytes]:
    return {str(p.relative_to(built.site)): p.read_bytes() for p in sorted(built.site.rglob("*")) if p.is_file()}


def feed_entries(built: Built) -> list[dict]:
    root = SafeET.fromstring((built.site / "thay-doi.xml").read_bytes())
    assert root.tag == f"{ATOM}feed"
    return [{"title": e.findtext(f"{ATOM}title"), "id": e.findtext(f"{ATOM}id"),
             "updated": e.findtext(f"{ATOM}updated"),
             "link": e.find(f"{ATOM}link").get("href"), "content": e.find(f"{ATOM}content").text}
            for e in root.iter(f"{ATOM}entry")]


# ---------------------------------------------------------------------------------------------
# The story
# ---------------------------------------------------------------------------------------------


def test_first_publication_records_what_was_published_and_shows_no_notice(story) -> None:
    first = story["sites"]["first"]
    assert notices(first, "") == [] and "ms-notices-past" not in first.html("")
    assert "Chưa có thay đổi nào." in first.text("thay-doi/")
    log = load_changelog_from(story["logs"]["first"])
    assert log.entries == [] and log.published == datetime.fromtimestamp(FIRST, timezone.utc)
    assert log.snapshot is not None and "diem-cau/tinh" in log.snapshot.items
    assert feed_entries(first) == []
    data = json.loads((first.site / "du-lieu" / "hoi-nghi.json").read_text(encoding="utf-8"))
    assert (data["format"], data["revision"], data["changes"]) == (1, 0, [])
    assert data["published"] == data["updated"] == "2021-09-27T08:00:00+07:00"
    assert data["generated"] == "2021-09-29T08:00:00+07:00"  # the build's clock (MICROSITE_NOW)
    assert {p["key"] for t in data["meeting"]["tiers"] for p in t["points"]} >= {"tinh", "huong-son"}


def load_changelog_from(content: bytes) -> ChangeLog:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "thay-doi.yaml"
        path.write_bytes(content)
        return load_changelog(path)


def test_building_the_same_file_twice_yields_no_notice_and_the_same_bytes(story) -> None:
    first, again = story["sites"]["first"], story["sites"]["again"]
    assert story["logs"]["again"] == story["logs"]["first"]
    assert files(again) == files(first)
    assert story["logs"]["changed-again"] == story["logs"]["changed"]
    assert files(story["sites"]["changed-again"]) == files(story["sites"]["changed"])


def test_notices_say_what_changed_on_home_and_on_the_pages_it_concerns(story) -> None:
    site = story["sites"]["changed"]
    title = "Cập nhật lúc 11h, thứ Ba, ngày 28/9/2021"
    assert notices(site, "") == [(title, [START, POINT])]
    assert notices(site, "dc/tinh/") == [(title, [START])]  # every point's page: the time moved
    assert notices(site, "dc/xa-son-tay-huong-son/") == [(title, [START, POINT])]
    assert notices(site, "dc/huong-son/") == [(title, [START, POINT])]  # it lists its new commune
    assert notices(site, "chuong-trinh/") == [(title, [START])]
    assert notices(site, "diem-cau/") == [(title, [POINT])]
    assert notices(site, "lien-he/") == []
    assert 'href="thay-doi/#cap-nhat-1"' in site.html("")


def test_the_changes_page_and_the_feed_list_every_change(story) -> None:
    site = story["sites"]["changed"]
    page = site.text("thay-doi/")
    assert "Cập nhật lúc 11h, thứ Ba, ngày 28/9/2021 # " + START + " " + POINT in page
    assert "lần đầu lúc 08h, thứ Hai, ngày 27/9/2021" in page
    (entry,) = feed_entries(site)
    assert entry["title"] == "Cập nhật lúc 11h, thứ Ba, ngày 28/9/2021"
    assert entry["updated"] == "2021-09-28T11:00:00+07:00"
    assert entry["content"] == f"<ul><li>{START}</li><li>{POINT}</li></ul>"
    assert entry["link"] == "http://127.0.0.1:8000/thay-doi/#cap-nhat-1" and entry["id"].startswith("urn:uuid:")
    feed_link = '<link rel="alternate" type="application/atom+xml" title="Thay đổi" href="../thay-doi.xml">'
    assert feed_link in site.html("thay-doi/")
    assert 'rel="alternate"' not in site.html("")  # the theme would fetch sitemap.xml for it on every page
    data = json.loads((site.site / "du-lieu" / "hoi-nghi.json").read_text(encoding="utf-8"))
    assert data["revision"] == 1 and data["updated"] == "2021-09-28T11:00:00+07:00"
    assert data["changes"] == [{"number": 1, "at": "2021-09-28T11:00:00+07:00", "until": None,
                                "changes": [START, POINT]}]
    assert data["meeting"]["meeting"]["sessions"][0]["start"] == "08:00:00"
    assert data["meeting"]["tiers"][2]["points"][0]["key"] == "xa-son-tay-huong-son"


def test_calendars_raise_sequence_only_in_the_events_that_changed(story) -> None:
    before, after = calendar_events(story["sites"]["first"]), calendar_events(story["sites"]["changed"])
    first, second = (datetime.fromtimestamp(t, timezone.utc) for t in (FIRST, SECOND))
    assert set(after) == set(before) | {"dc-xa-son-tay-huong-son.buoi-1"}
    for item, event in after.items():
        if item == "dc-xa-son-tay-huong-son.buoi-1":  # new: its first version
            expected = (0, second)
        elif "buoi-" in item:  # every session moved: the meeting's and each point's
            expected = (1, second)
            assert before[item]["SEQUENCE"] == 0 and event.start - before[item].start == timedelta(minutes=30)
        else:  # the deadlines did not change
            expected = (0, first)
            assert event.to_ical() == before[item].to_ical()
        assert (event["SEQUENCE"], event["DTSTAMP"].dt, event["LAST-MODIFIED"].dt) == (*expected, expected[1]), item


def test_a_change_back_is_reported_and_raises_the_sequence_again(story) -> None:
    site = story["sites"]["back"]
    assert notices(site, "") == [("Cập nhật lúc 07h45, thứ Tư, ngày 29/9/2021", ["Giờ bắt đầu đổi từ 08h sang 07h30"]),
                                 ("Cập nhật lúc 11h, thứ Ba, ngày 28/9/2021", [START, POINT])]
    assert [e["title"] for e in feed_entries(site)] == ["Cập nhật lúc 07h45, thứ Tư, ngày 29/9/2021",
                                                        "Cập nhật lúc 11h, thứ Ba, ngày 28/9/2021"]
    events = calendar_events(site)
    assert events["buoi-1"]["SEQUENCE"] == 2 and events["dc-tinh.buoi-1"]["SEQUENCE"] == 2
    assert events["dc-xa-son-tay-huong-son.buoi-1"]["SEQUENCE"] == 1
    assert events["moc-bao-cao-so-luong-dai-bieu"]["SEQUENCE"] == 0
    # The times are those of the first publication again: only SEQUENCE and DTSTAMP tell them apart.
    assert events["buoi-1"].start == calendar_events(story["sites"]["first"])["buoi-1"].start
    assert len(load_changelog_from(story["logs"]["back"]).entries) == 2


def test_a_preview_build_shows_pending_changes_but_never_writes_the_log(story, tmp_path: Path) -> None:
    """`mkdocs serve` and plain `mkdocs build` show what the next publication would say; only
    tools/build.py records it."""
    folder = tmp_path / "preview"
    folder.mkdir()
    shutil.copy(story["folder"] / "thay-doi.yaml", folder / "thay-doi.yaml")
    data = changed(load_data(DATA))
    data["meeting"]["sessions"][0]["start"] = "07:30"
    data["tiers"][0]["points"][0]["place"] = "Hội trường A, Tỉnh ủy"
    meeting = write_meeting(folder / "meeting.yaml", data)
    os.utime(meeting, (THIRD + 600, THIRD + 600))
    log = (folder / "thay-doi.yaml").read_bytes()
    built = build_site(meeting, folder / "site", env={"MICROSITE_NOW": BEFORE})
    assert built.returncode == 0, built.output
    assert notices(built, "dc/tinh/")[0] == ("Cập nhật lúc 07h55, thứ Tư, ngày 29/9/2021",
                                             ["Địa điểm điểm cầu tỉnh đổi thành Hội trường A, Tỉnh ủy"])
    assert notices(built, "dc/huong-son/")[0][0] == "Cập nhật lúc 07h45, thứ Tư, ngày 29/9/2021"
    assert (folder / "thay-doi.yaml").read_bytes() == log
    assert sorted(p.name for p in folder.iterdir()) == ["meeting.yaml", "site", "thay-doi.yaml"]


def test_notices_end_with_the_meeting_and_the_page_keeps_them(story, tmp_path: Path) -> None:
    shutil.copy(story["folder"] / "thay-doi.yaml", tmp_path / "thay-doi.yaml")
    content = changed(load_data(DATA))
    content["meeting"]["sessions"][0]["start"] = "07:30"
    meeting = write_meeting(tmp_path / "meeting.yaml", content)
    built = build_site(meeting, tmp_path / "site", env={"MICROSITE_NOW": "2021-09-30T12:00"})  # the meeting ended
    assert built.returncode == 0, built.output
    assert notices(built, "") == [] and notices(built, "dc/tinh/") == []
    assert 'href="thay-doi/">Các thay đổi đã thông báo (2)</a>' in built.html("")
    assert "Giờ bắt đầu đổi từ 08h sang 07h30" in built.text("thay-doi/")
    # Built the day before, read on a phone after the meeting: the page says until when.
    before = story["sites"]["back"].html("")
    assert before.count('data-ms-until="2021-09-30T11:30+07:00"') == 3  # two notices, the line above the facts


def test_until_set_by_hand_shortens_or_lengthens_a_notice(story) -> None:
    log = load_changelog(story["folder"] / "thay-doi.yaml")
    m = load_meeting(story["folder"] / "meeting.yaml")
    first, second = log.entries
    edited = log.model_copy(update={"entries": [first.model_copy(update={"until": datetime(2021, 9, 28, 12, 0)}),
                                                second.model_copy(update={"until": datetime(2021, 10, 7, 17, 0)})]})
    revision = changes.revise(edited, m, datetime.fromtimestamp(THIRD, timezone.utc))
    shown = changes.Notices(revision, m, datetime(2021, 9, 29, 8, 0))
    assert [n.number for n, _ in shown.home()] == [2]  # the first ended at noon on the 28th
    after = changes.Notices(revision, m, datetime(2021, 10, 1, 9, 0))  # after the meeting, until the 7th
    assert [n.number for n, _ in after.home()] == [2] and [n.number for n, _ in after.point(
        m.tiers[0], m.tiers[0].points[0])] == [2]


def test_a_failed_build_never_writes_the_log(story, tmp_path: Path) -> None:
    """The build prepared the new log, then failed (here: in the last hook, after everything was
    written): the site and the log stay as they were, and the prepared file is gone."""
    project = copy_project(tmp_path / "project")
    hooks = project / "hooks" / "microsite_hooks.py"
    text = hooks.read_text(encoding="utf-8")
    line = '        Path(record).write_text("".join(f"{p}\\n" for p in prepared or ()), encoding="utf-8")\n'
    assert line in text
    hooks.write_text(text.replace(line, line + '        raise RuntimeError("late failure")\n'), encoding="utf-8")
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(story["folder"] / "thay-doi.yaml", folder / "thay-doi.yaml")
    write_meeting(folder / "meeting.yaml", changed(load_data(DATA)) | {"closing": ["Đề nghị đến đúng giờ."]})
    shutil.copytree(story["sites"]["back"].site, folder / "site")
    before_site, before_log = files(Built(0, "", folder / "site")), (folder / "thay-doi.yaml").read_bytes()
    built, output = publish(folder, "site", THIRD + 3600, root=project)
    assert built.returncode != 0 and "late failure" in output and "vẫn giữ nguyên như trước" in output, output
    assert files(built) == before_site and (folder / "thay-doi.yaml").read_bytes() == before_log
    assert sorted(p.name for p in folder.iterdir()) == ["meeting.yaml", "site", "thay-doi.yaml"]
    assert not list(tmp_path.glob("**/.site.record"))


# ---------------------------------------------------------------------------------------------
# A change log that cannot be read, or was edited into a wrong shape
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The seed published, then the start moved and a point added: a log with one entry."""
    folder = tmp_path_factory.mktemp("published")
    for content, revised in ((load_data(DATA), FIRST), (changed(load_data(DATA)), SECOND)):
        write_meeting(folder / "meeting.yaml", content)
        built, output = publish(folder, "site", revised)
        assert built.returncode == 0, output
    return folder


def _bad_logs() -> list[tuple[str, object, str]]:
    """(case, how to break the log, the message); {at}, {until}... are the lines of the log as written."""
    return [
        ("yaml syntax", lambda t: t.replace("entries:\n", "entries: [\n", 1),
         "{log}:{at}:1: YAML không đọc được tệp từ đây: xem lại thụt lề (chỉ dấu cách, các mục cùng cấp thẳng cột), "
         "dấu hai chấm sau tên mục và các dấu nháy, dấu ngoặc đã đóng chưa"),
        ("not utf-8", lambda t: t.encode("utf-8").replace("Giờ".encode(), b"Gi\xff", 1),
         "{log}:{first_change}:13: tệp không phải văn bản UTF-8: lưu lại tệp với bảng mã UTF-8"),
        ("a date that is not one", lambda t: t.replace("- at: '2021-09-28T11:00:00+07:00'", "- at: hôm qua", 1),
         "{log}:{at}:7: entries[0].at: phải là ngày giờ có múi giờ, ví dụ 2021-09-28T10:15:00+07:00"),
        ("a time without its zone", lambda t: t.replace("- at: '2021-09-28T11:00:00+07:00'",
                                                        "- at: '2021-09-28 11:00'", 1),
         "{log}:{at}:7: entries[0].at: phải là ngày giờ có múi giờ, ví dụ 2021-09-28T10:15:00+07:00"),
        ("until with an offset",
         lambda t: t.replace("  changes:\n", "  until: '2021-09-30T11:00+07:00'\n  changes:\n", 1),
         "{log}:{until}:10: entries[0].until: phải là ngày giờ theo giờ của hội nghị, ví dụ 2021-09-30 11:30"),
        ("an unknown key", lambda t: t.replace("  changes:\n", "  note: xem lại\n  changes:\n", 1),
         "{log}:{until}:3: entries[0].note: mục này không có trong nhật ký thay đổi (gõ nhầm tên?)"),
        ("an entry without changes",
         lambda t: t[:t.index("  changes:\n")] + "  changes: []\n" + t[t.index("snapshot:"):],
         "{log}:{until}:12: entries[0].changes: không được để trống"),
        ("an empty change", lambda t: t.replace("  - text: " + START, "  - text: ''", 1),
         "{log}:{first_change}:11: entries[0].changes[0].text: không được để trống"),
        ("a negative sequence", lambda t: t.replace('["event", "buoi-1", 1,', '["event", "buoi-1", -1,', 1),
         "{log}:{buoi}:3: snapshot.events.buoi-1.sequence: phải là số nguyên từ 0 trở lên"),
        ("a snapshot line cut short", lambda t: t.replace('["event", "buoi-1", 1,', '["event", "buoi-1",', 1),
         "{log}:{buoi}:3: snapshot: dòng này của snapshot không đúng dạng do lệnh build ghi (sửa tay?); lấy lại "
         "tệp từ git, hoặc xóa tệp để ghi lại từ đầu"),
        ("a snapshot item that is not a table", lambda t: t.replace('["item", "buoi-1", {', '["item", "buoi-1", [{', 1)
         .replace('"start": "08h"}]', '"start": "08h"}]]', 1),
         "{log}:{item}:3: snapshot.items.buoi-1: phải là một bảng (khóa: giá trị)"),
        ("no snapshot", lambda t: t[:t.index("snapshot:")],
         "{log}:5:1: nhật ký có các lần cập nhật nhưng thiếu phần snapshot (những gì trang đã đăng); lấy lại tệp "
         "từ git, hoặc xóa tệp để ghi lại từ đầu"),
        ("entries out of order", lambda t: t.replace("- at: '2021-09-28T11:00:00+07:00'",
                                                     "- at: '2021-09-20T11:00:00+07:00'", 1),
         "{log}:{at}:7: entries[0].at: sớm hơn lần đăng trước nó; các lần cập nhật phải theo thứ tự thời gian"),
        ("a list", lambda t: "- a\n- b\n",
         "{log}:1:1: nhật ký thay đổi phải là một bảng (format:, entries:, snapshot:)"),
    ]


def _line(text: str, needle: str) -> int:
    return text[:text.index(needle)].count("\n") + 1


@pytest.mark.parametrize(("case", "breaks", "expected"), _bad_logs(), ids=[c[0] for c in _bad_logs()])
def test_a_bad_change_log_stops_the_build_with_its_line_and_leaves_the_site(published: Path, case, breaks,
                                                                           expected) -> None:
    log = published / "thay-doi.yaml"
    good = log.read_text(encoding="utf-8")
    site = files(Built(0, "", published / "site"))
    broken = breaks(good)
    try:
        log.write_bytes(broken if isinstance(broken, bytes) else broken.encode("utf-8"))
        built, output = publish(published, "site", THIRD)
        assert built.returncode != 0, output
        assert files(built) == site and "vẫn giữ nguyên như trước" in output
        assert "lỗi trong nhật ký thay đổi:" in output and "Traceback" not in output, output
        lines = {"entries": _line(good, "entries:"), "at": _line(good, "- at: '2021-09-28"),
                 "until": _line(good, "  changes:\n"), "first_change": _line(good, "  - text: " + START),
                 "buoi": _line(good, '  ["event", "buoi-1", '), "item": _line(good, '  ["item", "buoi-1", ')}
        assert expected.format(log=log, **lines) in output, output
    finally:
        log.write_text(good, encoding="utf-8")
    assert not (published / ".thay-doi.yaml.new").exists()


def test_an_unreadable_change_log_is_named(published: Path, tmp_path: Path) -> None:
    folder = tmp_path / "dir"
    folder.mkdir()
    shutil.copy(published / "meeting.yaml", folder / "meeting.yaml")
    (folder / "thay-doi.yaml").mkdir()  # a folder where the log should be
    built, output = publish(folder, "site", THIRD)
    assert built.returncode != 0 and not built.site.exists()
    assert f"{folder}/thay-doi.yaml:1:1: không đọc được tệp: đây là một thư mục, không phải tệp" in output, output


# ---------------------------------------------------------------------------------------------
# Wording, and what is not a change
# ---------------------------------------------------------------------------------------------


def wording(edit, data: dict | None = None, tmp: Path | None = None) -> list[str]:
    before = data or load_data(DATA)
    after = json.loads(json.dumps(before))
    edit(after)
    old, new = (changes.project(load_meeting(write_meeting(tmp / f"{n}.yaml", d))) for n, d in
                (("old", before), ("new", after)))
    return [sentence for _item, sentence in changes.compare(old, new)]


def test_comments_and_layout_are_not_changes(tmp_path: Path) -> None:
    text = DATA.read_text(encoding="utf-8")
    relaid = "# a comment added\n" + yaml.safe_dump(load_data(DATA), allow_unicode=True, width=60, indent=4)
    old = changes.project(load_meeting(DATA))
    new = changes.project(load_meeting(write_text(tmp_path / "m.yaml", relaid)))
    assert text != relaid and changes.compare(old, new) == []


def write_text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("edit", "expected"), [
    (lambda d: d["tiers"][0]["points"][0].update(place="Hội trường A, Tỉnh ủy"),
     ["Địa điểm điểm cầu tỉnh đổi thành Hội trường A, Tỉnh ủy"]),
    (lambda d: d["deadlines"][1].update(at="2021-09-29 10:00"),
     ["Thời hạn mốc “Báo cáo danh sách thành phần, số lượng đại biểu và số điểm cầu cấp xã” đổi từ "
      "11h, thứ Tư, ngày 29/9/2021 sang 10h, thứ Tư, ngày 29/9/2021"]),
    (lambda d: d["tiers"][1]["points"].pop(),
     ["Bỏ điểm cầu Đảng ủy Bộ đội Biên phòng tỉnh"]),
    (lambda d: d["tiers"][0]["invitees"].append("Lãnh đạo Sở Thông tin và Truyền thông."),
     ["Thành phần mời điểm cầu tỉnh: thêm “Lãnh đạo Sở Thông tin và Truyền thông.”"]),
    (lambda d: d["contacts"][0].update(phone="0912 000 111"),
     ["Số điện thoại liên hệ Đặng Văn Hùng đổi từ 0913 294 787 sang 0912 000 111"]),
    (lambda d: d["meeting"]["sessions"][0].update(end="11:00"), ["Bổ sung giờ kết thúc: 11h"]),
    (lambda d: d["meeting"]["sessions"][0].update(date="2021-10-01"),
     ["Ngày họp đổi từ thứ Năm, ngày 30/9/2021 sang thứ Sáu, ngày 1/10/2021"]),
    (lambda d: d["meeting"]["sessions"].append({"label": "Buổi chiều", "date": "2021-09-30", "start": "14:00"}),
     ["Thêm buổi chiều: 14h, thứ Năm, ngày 30/9/2021"]),
    (lambda d: d["meeting"]["arrival"].update(minutes_before=30),
     ["Thời gian có mặt trước giờ họp đổi từ 10 phút sang 30 phút"]),
    (lambda d: d["agencies"][0].update(phone="0239 3855 555"),
     ["Bổ sung số điện thoại Thường trực Tỉnh ủy: 0239 3855 555"]),
    (lambda d: d["recipients"].reverse(), ["Nơi nhận giấy mời: đổi thứ tự"]),
])
def test_each_change_is_one_sentence(tmp_path: Path, edit, expected) -> None:
    assert wording(edit, tmp=tmp_path) == expected


def test_with_several_sessions_each_is_named(tmp_path: Path) -> None:
    data = load_data(DATA)
    data["meeting"]["sessions"] = [{"label": "Buổi sáng", "date": "2021-09-30", "start": "07:30"},
                                   {"label": "Buổi chiều", "date": "2021-09-30", "start": "14:00"}]
    assert wording(lambda d: d["meeting"]["sessions"][1].update(start="14:30"), data, tmp_path) == [
        "Giờ bắt đầu buổi chiều đổi từ 14h sang 14h30"]
    assert wording(lambda d: d["meeting"]["sessions"].pop(), data, tmp_path) == ["Bỏ buổi chiều"]


# ---------------------------------------------------------------------------------------------
# Calendars, in memory: an edit of one point remakes one calendar
# ---------------------------------------------------------------------------------------------


def test_one_point_edited_changes_one_calendar_and_one_sequence(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MICROSITE_CACHE_DIR", str(tmp_path / "cache"))
    data = load_data(DATA)
    t1, t2 = (datetime.fromtimestamp(t, timezone.utc) for t in (FIRST, SECOND))

    def build(m, log: ChangeLog, at: datetime):
        options = SiteOptions(site_url="https://hoinghi.example.vn/", revision=changes.revise(log, m, at))
        out = {a.dest: a.content.read_bytes() for a in calendars(m, options)[0]}
        return out, changes.record(options.revision, calendars(m, options)[1])

    m1 = load_meeting(write_meeting(tmp_path / "a.yaml", data))
    first, log = build(m1, ChangeLog(), t1)
    data["tiers"][1]["points"][7]["place"] = "Hội trường Huyện ủy Hương Sơn"
    m2 = load_meeting(write_meeting(tmp_path / "b.yaml", data))
    second, log2 = build(m2, log, t2)
    assert [dest for dest in first if first[dest] != second[dest]] == ["lich/dc/huong-son.ics"]
    (event,) = Calendar.from_ical(second["lich/dc/huong-son.ics"]).walk("VEVENT")
    assert event["SEQUENCE"] == 1 and event["DTSTAMP"].dt == t2.replace(microsecond=0)
    assert [c.text for c in log2.entries[-1].changes] == ["Bổ sung địa điểm điểm cầu Huyện ủy Hương Sơn: "
                                                          "Hội trường Huyện ủy Hương Sơn"]
    assert log2.entries[-1].changes[0].where == ["points", "point:huong-son"]
    assert build(m2, log2, t2 + timedelta(days=1)) == (second, None)  # nothing new: nothing to record


# ---------------------------------------------------------------------------------------------
# Hostile text in a change: the notices, the page, the feed and the data keep it as text
# ---------------------------------------------------------------------------------------------


def test_hostile_text_in_a_change_stays_text_everywhere(tmp_path: Path) -> None:
    from test_hostile_output import CORPUS, PAYLOAD, check_file

    sites = {}
    for name, place, point in (("hostile", PAYLOAD, CORPUS[2]), ("harmless", "Văn bản thử", "Văn bản thử")):
        folder = tmp_path / name
        folder.mkdir()
        data = load_data(DATA)
        write_meeting(folder / "meeting.yaml", data)
        assert publish(folder, "site", FIRST)[0].returncode == 0
        data["tiers"][0]["points"][0]["place"] = place
        data["tiers"][2]["points"].append({"slug": "xa-thu", "name": point, "parent": "huong-son"})
        write_meeting(folder / "meeting.yaml", data)
        sites[name], output = publish(folder, "site", SECOND)
        assert sites[name].returncode == 0, output
    hostile, harmless = sites["hostile"], sites["harmless"]
    faults = []
    for rel in ("index.html", "dc/tinh/index.html", "thay-doi/index.html", "thay-doi.xml", "du-lieu/hoi-nghi.json"):
        faults += check_file(hostile.site / rel, harmless.site / rel, rel)
    assert faults == []
    # Faithful as well as harmless: the reader sees exactly the characters typed.
    def folded(value: str) -> str:
        return " ".join(value.split())

    (_title, texts), = notices(hostile, "dc/tinh/")
    assert folded(texts[0]) == folded(f"Địa điểm điểm cầu tỉnh đổi thành {PAYLOAD}")
    (entry,) = feed_entries(hostile)
    fragment = html5lib.parseFragment(entry["content"], treebuilder="etree", namespaceHTMLElements=False)
    shown = "".join(fragment.itertext())
    assert f"Thêm điểm cầu {CORPUS[2]}" in shown and f"đổi thành {PAYLOAD}" in shown
    data = json.loads((hostile.site / "du-lieu" / "hoi-nghi.json").read_text(encoding="utf-8"))
    assert data["changes"][0]["changes"][1] == f"Thêm điểm cầu {CORPUS[2]}"
    assert visible_text(hostile.html("thay-doi/")).count(CORPUS[0]) >= 1


# ---------------------------------------------------------------------------------------------
# In a browser: notices pass axe-core, keep the key facts on the first screen, and leave a page
# built before the meeting once the phone's clock passes its end
# ---------------------------------------------------------------------------------------------


def test_notices_in_a_browser(story) -> None:
    from browser_support import PHONE, Recorder, axe_violations, describe, running_chromium, serve

    with serve(story["sites"]["back"].site) as base, running_chromium() as browser:
        context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
        recorder = Recorder(base)
        for clock, shown in ((datetime(2021, 9, 29, 9, 0, tzinfo=VN), True),
                             (datetime(2021, 9, 30, 11, 30, tzinfo=VN), False)):
            page = context.new_page()
            recorder.attach(page)
            page.clock.set_fixed_time(clock)
            for url in ("", "dc/tinh/"):
                page.goto(base + url, wait_until="networkidle")
                notices_here = page.locator(".ms-notice")
                assert notices_here.count() == 2
                assert [notices_here.nth(i).is_visible() for i in range(2)] == [shown] * 2, (url, clock)
                assert page.locator(".ms-notice-flag").is_visible() == shown
                if shown:
                    assert axe_violations(page) == [], describe(axe_violations(page))
                    for fact in (".ms-notice-flag", ".ms-facts time", ".ms-facts a[href^='tel:']"):
                        box = page.locator(fact).first.bounding_box()
                        assert box and box["y"] + box["height"] <= PHONE["height"], (url, fact)
            page.close()
        assert recorder.take() == []
