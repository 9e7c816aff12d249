"""Calendar files: every .ics parses back with the right times, zone, reminders and stable UIDs."""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import DATA, Built, build_site, load_data, write_meeting
from icalendar import Calendar
from test_escaping import PAYLOAD, poison

from microsite import SiteOptions, load_meeting
from microsite.outputs.calendar import UID_DOMAIN, meeting_key, revision_time
from microsite.outputs.calendar import calendars as make_calendars

ZONE = "Asia/Ho_Chi_Minh"
VN = ZoneInfo(ZONE)
DISTRICT_UNITS = 17  # 13 districts, towns and the city, and 4 party committees directly under the province


def calendars(built: Built) -> dict[str, Calendar]:
    return {str(p.relative_to(built.site)): Calendar.from_ical(p.read_bytes())
            for p in sorted((built.site / "lich").rglob("*.ics"))}


def events(cal: Calendar) -> dict[str, object]:
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def starts(cal: Calendar) -> list[tuple[str, datetime]]:
    return sorted((str(e["SUMMARY"]), e.start) for e in cal.walk("VEVENT"))


def test_there_is_a_calendar_for_the_meeting_each_point_and_each_agency(real_site: Built) -> None:
    files = calendars(real_site)
    assert {"lich/hoi-nghi.ics", "lich/moc-thoi-gian.ics", "lich/dc/tinh.ics", "lich/dc/huong-son.ics",
            "lich/co-quan/thuong-truc-cap-huyen.ics", "lich/co-quan/vien-thong.ics"} <= set(files)
    assert len([f for f in files if f.startswith("lich/dc/")]) == 1 + DISTRICT_UNITS
    assert len([f for f in files if f.startswith("lich/co-quan/")]) == 13


def test_every_calendar_is_well_formed_with_zone_reminders_and_unique_uids(real_site: Built) -> None:
    for name, cal in calendars(real_site).items():
        assert str(cal["VERSION"]) == "2.0" and str(cal["METHOD"]) == "PUBLISH", name
        assert cal["PRODID"] and str(cal["UID"]).endswith("@" + UID_DOMAIN), name
        assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == [ZONE], name
        assert cal.get_missing_tzids() == set(), name
        vevents = cal.walk("VEVENT")
        assert vevents, name
        uids = [str(e["UID"]) for e in vevents]
        assert len(set(uids)) == len(uids), name
        for e in vevents:
            assert e["DTSTART"].params["TZID"] == ZONE, (name, e["SUMMARY"])
            assert e.start.utcoffset() == timedelta(hours=7), (name, e["SUMMARY"])
            assert e["DTSTAMP"].dt.tzinfo is not None and e["DTSTAMP"].dt.utcoffset() == timedelta(0)
            assert str(e["UID"]).endswith("@" + UID_DOMAIN)
            alarms = e.walk("VALARM")
            assert len(alarms) == 2, (name, e["SUMMARY"])
            for alarm in alarms:
                assert str(alarm["ACTION"]) == "DISPLAY" and str(alarm["DESCRIPTION"])
                assert alarm["TRIGGER"].dt < timedelta(0)
        # The raw text: times written with TZID, never as floating or UTC-converted values.
        raw = (real_site.site / name).read_bytes()
        assert b"DTSTART;TZID=Asia/Ho_Chi_Minh:" in raw and raw.count(b"\r\n") == raw.count(b"\n")


def test_meeting_calendar_has_the_meeting_time_and_arrival_reminder(real_site: Built) -> None:
    cal = calendars(real_site)["lich/hoi-nghi.ics"]
    (event,) = cal.walk("VEVENT")
    assert event.start == datetime(2021, 9, 30, 7, 30, tzinfo=VN)
    assert event.start.astimezone(timezone.utc) == datetime(2021, 9, 30, 0, 30, tzinfo=timezone.utc)
    # The invitation gives no end: the event lasts the "buổi" the site assumes, and says so.
    assert event.end == datetime(2021, 9, 30, 11, 30, tzinfo=VN)
    assert "Giấy mời không ghi giờ kết thúc; lịch tạm tính 4 giờ (một buổi), đến 11h30." in str(event["DESCRIPTION"])
    assert str(event["SUMMARY"]) == "Hội nghị trực tuyến toàn tỉnh 30/9/2021"
    assert "Đề nghị đại biểu có mặt trước 10 phút" in str(event["DESCRIPTION"])
    # Reminders count back from the "be seated" time (07h20): a day before and an hour before.
    triggers = sorted(a["TRIGGER"].dt for a in event.walk("VALARM"))
    assert triggers == [-timedelta(days=1, minutes=10), -timedelta(hours=1, minutes=10)]
    assert "Có mặt trước 07h20" in str(event.walk("VALARM")[0]["DESCRIPTION"])


def test_point_calendars_carry_the_point_as_location(real_site: Built) -> None:
    files = calendars(real_site)
    (tinh,) = files["lich/dc/tinh.ics"].walk("VEVENT")
    assert str(tinh["LOCATION"]) == ("Phòng họp trực tuyến, tầng 3, Trung tâm Công báo - Tin học, "
                                     "Văn phòng Ủy ban nhân dân tỉnh")
    (huong_son,) = files["lich/dc/huong-son.ics"].walk("VEVENT")
    assert str(huong_son["LOCATION"]) == "Huyện ủy Hương Sơn"  # no place given: the point itself
    assert huong_son.start == tinh.start
    assert "Huyện ủy Hương Sơn" in str(huong_son["SUMMARY"])
    assert str(huong_son["URL"]).endswith("/dc/huong-son/")
    uids = [str(e["UID"]) for f in files.values() for e in f.walk("VEVENT") if "dc-" in str(e["UID"])]
    assert len(set(uids)) == 1 + DISTRICT_UNITS


def test_agency_calendars_hold_the_meeting_and_the_agencys_deadlines(real_site: Built) -> None:
    files = calendars(real_site)
    district = starts(files["lich/co-quan/thuong-truc-cap-huyen.ics"])
    assert district == sorted([
        ("Hạn: Báo cáo danh sách thành phần, số lượng đại biểu và số điểm cầu cấp xã",
         datetime(2021, 9, 29, 11, 0, tzinfo=VN)),
        ("Hạn: Đăng ký tổ chức điểm cầu cấp xã (văn bản đăng ký kèm danh sách các đơn vị kết nối)",
         datetime(2021, 9, 28, 16, 0, tzinfo=VN)),
        ("Hội nghị trực tuyến toàn tỉnh 30/9/2021", datetime(2021, 9, 30, 7, 30, tzinfo=VN)),
    ])
    telecom = events(files["lich/co-quan/vien-thong.ics"])
    line_test = next(e for e in telecom.values() if "Chạy thử" in str(e["SUMMARY"]))
    assert line_test.start == datetime(2021, 9, 29, 16, 0, tzinfo=VN)
    assert str(line_test["STATUS"]) == "TENTATIVE" and "(dự kiến)" in str(line_test["SUMMARY"])
    assert "0913 294 787" in str(line_test["DESCRIPTION"])
    report = next(e for e in events(files["lich/co-quan/ban-tuyen-giao.ics"]).values() if "Báo cáo" in str(e["SUMMARY"]))
    assert "phongllctlsdangbtg@hatinh.dcs.vn" in str(report["DESCRIPTION"])
    assert "Nhiệm vụ số 5" in str(report["DESCRIPTION"])
    assert str(report["TRANSP"]) == "TRANSPARENT"
    assert sorted(a["TRIGGER"].dt for a in report.walk("VALARM")) == [-timedelta(days=1), -timedelta(hours=2)]
    assert starts(files["lich/co-quan/dien-luc.ics"]) == [("Hội nghị trực tuyến toàn tỉnh 30/9/2021",
                                                             datetime(2021, 9, 30, 7, 30, tzinfo=VN))]


def test_the_same_item_has_the_same_uid_and_content_in_every_file(real_site: Built) -> None:
    """Importing two of the files into one calendar updates entries instead of duplicating them."""
    seen: dict[str, bytes] = {}
    for name, cal in calendars(real_site).items():
        for uid, event in events(cal).items():
            assert seen.setdefault(uid, event.to_ical()) == event.to_ical(), (name, uid)
    everything = events(calendars(real_site)["lich/moc-thoi-gian.ics"])
    assert len(everything) == 4  # the meeting and the three deadlines of the invitation
    assert {uid for uid in seen if ".dc-" not in uid} == set(everything)


def test_rebuilding_the_same_file_gives_the_same_bytes(real_site: Built, tmp_path: Path) -> None:
    again = build_site(DATA, tmp_path / "again")
    assert again.returncode == 0, again.output
    first = {p.relative_to(real_site.site): p.read_bytes() for p in (real_site.site / "lich").rglob("*.ics")}
    second = {p.relative_to(again.site): p.read_bytes() for p in (again.site / "lich").rglob("*.ics")}
    assert first == second


def test_an_edited_time_keeps_the_uid_and_raises_the_sequence(tmp_path: Path) -> None:
    from test_changes import publish  # published with tools/build.py: the change log counts SEQUENCE

    data = load_data(DATA)
    write_meeting(tmp_path / "meeting.yaml", data)
    published = int(DATA.stat().st_mtime)
    old, output = publish(tmp_path, "old", published)
    assert old.returncode == 0, output
    data["deadlines"][1]["at"] = "2021-09-29 10:00"  # the report is brought forward one hour
    write_meeting(tmp_path / "meeting.yaml", data)
    saved = published + 3600  # saved an hour after the published version
    new, output = publish(tmp_path, "new", saved)
    assert new.returncode == 0, output
    name = "lich/co-quan/thuong-truc-cap-huyen.ics"
    old_events, new_events = events(calendars(old)[name]), events(calendars(new)[name])
    assert set(old_events) == set(new_events)
    uid = next(u for u in old_events if "bao-cao-so-luong-dai-bieu" in u)
    assert old_events[uid].start.hour == 11 and new_events[uid].start.hour == 10
    assert new_events[uid]["SEQUENCE"] > old_events[uid]["SEQUENCE"]
    assert new_events[uid]["DTSTAMP"].dt > old_events[uid]["DTSTAMP"].dt
    assert new_events[uid]["DTSTAMP"].dt == datetime.fromtimestamp(int(saved), timezone.utc)


def test_revision_time_prefers_source_date_epoch(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("x")
    os.utime(path, (1_600_000_000, 1_600_000_000))
    assert revision_time(path, {}) == datetime.fromtimestamp(1_600_000_000, timezone.utc)
    assert revision_time(path, {"SOURCE_DATE_EPOCH": "1632900000"}) == datetime.fromtimestamp(1_632_900_000,
                                                                                             timezone.utc)


def test_meeting_identity_ignores_dates_and_can_be_pinned(tmp_path: Path) -> None:
    data = load_data(DATA)
    key = meeting_key(load_meeting(write_meeting(tmp_path / "a.yaml", data)))
    data["meeting"]["sessions"][0]["date"] = "2021-10-01"  # postponed: same meeting, same UIDs
    assert meeting_key(load_meeting(write_meeting(tmp_path / "b.yaml", data))) == key
    data["meeting"]["title"] = "Hội nghị khác"
    assert meeting_key(load_meeting(write_meeting(tmp_path / "c.yaml", data))) != key
    data["meeting"]["id"] = "hoi-nghi-30-9-2021"
    assert meeting_key(load_meeting(write_meeting(tmp_path / "d.yaml", data))) == "hoi-nghi-30-9-2021"


def test_sessions_with_an_end_and_agenda(communes_site: Built) -> None:
    cal = calendars(communes_site)["lich/hoi-nghi.ics"]
    got = sorted((e.start, e.end) for e in cal.walk("VEVENT"))
    assert got == [(datetime(2022, 1, 10, 8, 0, tzinfo=VN), datetime(2022, 1, 10, 11, 30, tzinfo=VN)),
                   (datetime(2022, 1, 10, 14, 0, tzinfo=VN), datetime(2022, 1, 10, 16, 30, tzinfo=VN))]
    morning = next(e for e in cal.walk("VEVENT") if "Buổi sáng" in str(e["SUMMARY"]))
    assert "08h15: Báo cáo tổng kết" in str(morning["DESCRIPTION"])
    # Without an arrival time, reminders count back from the start.
    assert sorted(a["TRIGGER"].dt for a in morning.walk("VALARM")) == [-timedelta(days=1), -timedelta(hours=1)]
    (commune,) = [e for e in calendars(communes_site)["lich/dc/thi-tran-tay-son.ics"].walk("VEVENT")
                  if "Buổi sáng" in str(e["SUMMARY"])]
    assert str(commune["LOCATION"]) == "Nhà văn hóa thị trấn"


@pytest.fixture(scope="module")
def hostile_calendars(tmp_path_factory) -> tuple[dict, list]:
    data = poison(load_data(DATA))
    # Line breaks and iCalendar's own syntax, which must come out as text, never as new properties.
    data["deadlines"][0]["title"] = "Hạn\nEND:VEVENT\nBEGIN:VEVENT\nUID:x; a,b\\c"
    m = load_meeting(write_meeting(tmp_path_factory.mktemp("hostile") / "m.yaml", data))
    options = SiteOptions(site_url="https://hoinghi.example.vn/", revised=datetime(2021, 9, 1, tzinfo=timezone.utc))
    return {a.dest: Calendar.from_ical(a.content.read_bytes()) for a in make_calendars(m, options)[0]}, m.deadlines


def test_hostile_text_comes_back_as_the_same_text(hostile_calendars) -> None:
    files, deadlines = hostile_calendars
    everything = files["lich/moc-thoi-gian.ics"]
    vevents = everything.walk("VEVENT")
    assert len(vevents) == 4
    summaries = {str(e["SUMMARY"]) for e in vevents}
    # iCalendar text has one kind of line break (\n); a CR before it is dropped, nothing else changes.
    assert "Hạn: " + deadlines[0].title.replace("\r\n", "\n") in summaries
    assert deadlines[0].title == "Hạn\nEND:VEVENT\nBEGIN:VEVENT\nUID:x; a,b\\c"
    assert any(PAYLOAD in s for s in summaries)
    for cal in files.values():
        assert all(str(e["UID"]).endswith("@" + UID_DOMAIN) for e in cal.walk("VEVENT"))
        assert PAYLOAD in str(cal["NAME"])
    (tinh,) = files["lich/dc/tinh.ics"].walk("VEVENT")
    assert str(tinh["LOCATION"]).startswith(PAYLOAD)
    assert PAYLOAD in str(tinh["DESCRIPTION"])


def test_calendars_are_made_once_and_an_edit_remakes_only_what_it_changes(tmp_path: Path, monkeypatch) -> None:
    import microsite.outputs.calendar as cal

    monkeypatch.setenv("MICROSITE_CACHE_DIR", str(tmp_path / "cache"))
    made: list[str] = []
    render = cal.render
    monkeypatch.setattr(cal, "render", lambda spec: made.append(spec["uid"]) or render(spec))
    options = SiteOptions(site_url="https://hoinghi.example.vn/", revised=datetime(2021, 9, 1, tzinfo=timezone.utc))
    data = load_data(DATA)

    def build(name: str) -> dict[str, bytes]:
        made.clear()
        m = load_meeting(write_meeting(tmp_path / name, data))
        return {a.dest: a.content.read_bytes() for a in make_calendars(m, options)[0]}

    first = build("a.yaml")
    assert len(made) == len(first) == 2 + DISTRICT_UNITS + 1 + len(data["agencies"])
    assert build("b.yaml") == first and made == []
    point = data["tiers"][1]["points"][0]
    point["place"] = "Hội trường mới"
    edited = build("c.yaml")
    assert [uid.split(".", 1)[1].split("@")[0] for uid in made] == [f"lich.dc-{point['slug']}"]
    assert [dest for dest in first if edited[dest] != first[dest]] == [f"lich/dc/{point['slug']}.ics"]
    assert "Hội trường mới" in Calendar.from_ical(edited[f"lich/dc/{point['slug']}.ics"]).walk("VEVENT")[0]["LOCATION"]


def test_calendars_are_marked_as_used_at_most_hourly(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("MICROSITE_CACHE_DIR", str(tmp_path / "cache"))
    options = SiteOptions(site_url="https://hoinghi.example.vn/", revised=datetime(2021, 9, 1, tzinfo=timezone.utc))
    m = load_meeting(DATA)
    paths = [a.content for a in make_calendars(m, options)[0]]
    (marker,) = (tmp_path / "cache" / "ics").rglob("*.set")
    old = datetime(2021, 1, 1).timestamp()
    for p in [*paths, marker]:
        os.utime(p, (old, old))
    make_calendars(m, options)[0]  # the set was last marked long ago: mark every file now
    assert min(p.stat().st_mtime for p in paths) > old and marker.stat().st_mtime > old
    for p in paths:
        os.utime(p, (old, old))
    marked = marker.stat().st_mtime - 1800  # half an hour ago
    os.utime(marker, (marked, marked))
    assert [a.content for a in make_calendars(m, options)[0]] == paths  # within the hour: left as they are
    assert max(p.stat().st_mtime for p in paths) == old and marker.stat().st_mtime == marked
