"""data/meeting.schema.json: generated from the model, current, and in agreement with it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import CASES, DATA, ROOT, load_data
from jsonschema import Draft202012Validator

from microsite.source.schema import json_schema

SCHEMA = ROOT / "data" / "meeting.schema.json"


def test_committed_schema_is_current() -> None:
    committed = SCHEMA.read_text(encoding="utf-8") if SCHEMA.exists() else ""
    assert committed == json_schema(), "data/meeting.schema.json is out of date with the model: run `make schema`"


def test_meeting_file_names_the_schema_on_its_first_line() -> None:
    first = DATA.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=meeting.schema.json"
    assert (DATA.parent / first.split("=", 1)[1]).exists()


def test_schema_is_valid_json_schema_and_closed() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    objects = [schema, *schema["$defs"].values()]
    assert all(o.get("additionalProperties") is False for o in objects), "editors must flag unknown keys"
    assert all(o.get("description") or o.get("properties") for o in objects)


def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


@pytest.mark.parametrize("case", [DATA, *sorted((CASES / "valid").glob("*.yaml"))], ids=lambda p: p.stem)
def test_files_the_build_accepts_raise_no_editor_warning(case) -> None:
    errors = [f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator().iter_errors(load_data(case))]
    assert errors == []


@pytest.mark.parametrize(("path", "value"), [
    (("meeting", "titel"), "x"),  # unknown key
    (("meeting", "sessions", 0, "start"), "7h5"),  # ambiguous: 07h05 or 07h50
    (("meeting", "sessions", 0, "start"), 730),
    (("meeting", "sessions", 0, "start"), "2 giờ chiều"),
    (("meeting", "sessions", 0, "date"), "30/9/21"),
    (("meeting", "sessions", 0, "date"), "2021-09-30T07:00"),
    (("deadlines", 0, "at"), "16h ngày 28/9"),  # no year
    (("deadlines", 0, "at"), "2021-09-28T16:00+07:00"),
    (("tiers", 0, "id"), "Tỉnh"),
    (("contacts", 0, "phone"), "gọi anh Hùng"),
    (("meeting", "issuer", "kind"), "đảng"),
    (("meeting", "arrival", "minutes_before"), "10 phút"),
    (("meeting", "kind"), ""),
])
def test_editor_flags_what_the_build_refuses(path: tuple, value) -> None:
    data = load_data(DATA)
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    assert list(_validator().iter_errors(data)), f"the schema accepts {path} = {value!r}"


def test_make_schema_check_passes() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "schema.py"), "--check"], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr
