"""Dates and times as Vietnamese staff write them: each accepted form gives the same value as the
ISO form; impossible or ambiguous ones are refused with a message; the editor's schema agrees."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time

import pytest
import yaml
from conftest import DATA, ROOT, load_data

from microsite import MeetingError, load_meeting
from microsite.source.written import parse_date, parse_datetime, parse_time

SCHEMA = json.loads((ROOT / "data" / "meeting.schema.json").read_text(encoding="utf-8"))

TIMES = {"07:30": time(7, 30), "7:30": time(7, 30), "07h30": time(7, 30), "7h30": time(7, 30),
         "7 giờ 30": time(7, 30), "7 giờ 30 phút": time(7, 30), "7h": time(7), "7 giờ": time(7),
         "16H00": time(16), "07:30:00": time(7, 30), " 07h30 ": time(7, 30)}
DATES = {"2021-09-30": date(2021, 9, 30), "30/9/2021": date(2021, 9, 30), "30/09/2021": date(2021, 9, 30),
         "30-9-2021": date(2021, 9, 30), "30.9.2021": date(2021, 9, 30), "ngày 30/9/2021": date(2021, 9, 30),
         "thứ Năm, ngày 30/9/2021": date(2021, 9, 30), "thứ 5, ngày 30/9/2021": date(2021, 9, 30),
         "30 tháng 9 năm 2021": date(2021, 9, 30), "Chủ nhật, 3/10/2021": date(2021, 10, 3),
         "1/10/2021": date(2021, 10, 1)}
MOMENTS = {"16h ngày 28/9/2021": datetime(2021, 9, 28, 16), "16h00, ngày 28/9/2021": datetime(2021, 9, 28, 16),
           "16 giờ ngày 28/9/2021": datetime(2021, 9, 28, 16), "16h, thứ Ba, ngày 28/9/2021": datetime(2021, 9, 28, 16),
           "28/9/2021 16:00": datetime(2021, 9, 28, 16), "28/9/2021, 16h": datetime(2021, 9, 28, 16),
           "ngày 28/9/2021 lúc 16h": datetime(2021, 9, 28, 16), "2021-09-28 16:00": datetime(2021, 9, 28, 16),
           "2021-09-28T16:00:00": datetime(2021, 9, 28, 16), "11h ngày 29/9/2021": datetime(2021, 9, 29, 11),
           "2021-09-28": datetime(2021, 9, 28)}  # a date alone: its midnight, as before

# (reader, text, what the message says); `calendar` ones are of an accepted form but do not exist,
# which only the build can tell (the editor's pattern does not count days).
REFUSED = [
    (parse_time, "7h5", "phút viết bằng hai chữ số, ví dụ 07h05", False),
    (parse_time, "2 giờ chiều", "giờ viết theo 24 giờ", False),
    (parse_time, "8 rưỡi", "không đọc được '8 rưỡi' thành giờ; viết dạng 07h30", False),
    (parse_time, "14:00+07:00", "bỏ phần múi giờ", False),
    (parse_time, "25h", "không có giờ 25", True),
    (parse_time, "7:60", "phút và giây từ 00 đến 59", True),
    (parse_date, "30/9/21", "năm viết đủ bốn chữ số, ví dụ 30/9/2021", False),
    (parse_date, "30/9", "thiếu năm", False),
    (parse_date, "30/9-2021", "dùng cùng một dấu", False),
    (parse_date, "2021-09-30T07:00", "không đọc được", False),
    (parse_date, "31/9/2021", "tháng 9 năm 2021 có 30 ngày", True),
    (parse_date, "9/30/2021", "ngày viết trước tháng (ngày/tháng/năm), ví dụ 30/9/2021", True),
    (parse_date, "thứ Tư, ngày 30/9/2021", "ngày 30/9/2021 là thứ Năm, không phải thứ Tư", True),
    (parse_date, "0001-09-30", "năm phải từ 1900 đến 2199", True),
    (parse_datetime, "16h ngày 28/9", "thiếu năm", False),
    (parse_datetime, "16h", "thiếu ngày", False),
    (parse_datetime, "28/9/21 16h", "năm viết đủ bốn chữ số", False),
    (parse_datetime, "2021-09-29T08:00:00+07:00", "bỏ phần múi giờ", False),
    (parse_datetime, "16h ngày 31/9/2021", "có 30 ngày", True),
    (parse_datetime, "25h ngày 28/9/2021", "không có giờ 25", True),
]


@pytest.mark.parametrize(("text", "value"), TIMES.items())
def test_time_forms(text: str, value: time) -> None:
    assert parse_time(text) == value


@pytest.mark.parametrize(("text", "value"), DATES.items())
def test_date_forms(text: str, value: date) -> None:
    assert parse_date(text) == value


@pytest.mark.parametrize(("text", "value"), MOMENTS.items())
def test_date_time_forms_in_either_order(text: str, value: datetime) -> None:
    assert parse_datetime(text) == value


@pytest.mark.parametrize(("read", "text", "says", "calendar"), REFUSED, ids=lambda v: v if isinstance(v, str) else "")
def test_impossible_or_ambiguous_values_get_a_message(read, text: str, says: str, calendar: bool) -> None:
    with pytest.raises(ValueError) as info:
        read(text)
    assert says in str(info.value)


def test_the_meeting_file_written_the_vietnamese_way_loads_to_the_same_model(tmp_path) -> None:
    data = load_data(DATA)
    data["meeting"]["sessions"][0].update(date="thứ Năm, ngày 30/9/2021", start="7h30")
    data["deadlines"][0]["at"] = "16h ngày 28/9/2021"
    data["deadlines"][1]["at"] = "29/9/2021 11:00"
    data["deadlines"][2]["at"] = "16 giờ, ngày 29/9/2021"
    data["documents"][0]["date"] = "24/9/2021"
    path = tmp_path / "meeting.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert load_meeting(path) == load_meeting(DATA)


def test_a_refused_form_is_placed_at_its_line(tmp_path) -> None:
    text = DATA.read_text(encoding="utf-8").replace('start: "07:30"', "start: 7h5", 1)
    path = tmp_path / "meeting.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(MeetingError) as info:
        load_meeting(path, "data/meeting.yaml")
    line = text[:text.index("start: 7h5")].count("\n") + 1
    assert [str(p) for p in info.value.problems] == [
        f"data/meeting.yaml:{line}:14: meeting.sessions[0].start: '7h5': phút viết bằng hai chữ số, ví dụ 07h05"]


def _pattern(field: str) -> re.Pattern:
    session = SCHEMA["$defs"]["Session"]["properties"]
    deadline = SCHEMA["$defs"]["Deadline"]["properties"]
    return re.compile({"start": session["start"], "date": session["date"], "at": deadline["at"]}[field]["pattern"])


@pytest.mark.parametrize(("field", "text"), [("start", t) for t in TIMES] + [("date", t) for t in DATES]
                         + [("at", t) for t in MOMENTS])
def test_the_editor_accepts_every_form_the_build_reads(field: str, text: str) -> None:
    assert _pattern(field).search(text), f"the schema flags {text!r}"


@pytest.mark.parametrize(("read", "text", "says", "calendar"), [r for r in REFUSED if not r[3]],
                         ids=lambda v: v if isinstance(v, str) else "")
def test_the_editor_flags_the_forms_the_build_refuses(read, text: str, says: str, calendar: bool) -> None:
    field = {parse_time: "start", parse_date: "date", parse_datetime: "at"}[read]
    assert not _pattern(field).search(text), f"the schema accepts {text!r}"
