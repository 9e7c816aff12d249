"""Every validation rule: the message names data/meeting.yaml, the line, the field and the fault."""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from conftest import CASES, DATA, ROOT, build_site, load_data

from microsite import MeetingError, load_meeting
from microsite.source import validate
from microsite.source.load import Loaded

INVALID = sorted((CASES / "invalid").glob("*.yaml"))
VALID = sorted((CASES / "valid").glob("*.yaml"))


def expected(case: Path) -> list[str]:
    return [f"data/meeting.yaml:{m}" for m in re.findall(r"^# expect: (.*)$", case.read_text(), re.M)]


@pytest.mark.parametrize("case", INVALID, ids=lambda p: p.stem)
def test_invalid_case_reports_every_problem_with_its_line(case: Path) -> None:
    assert expected(case), f"{case.name} has no '# expect:' line"
    with pytest.raises(MeetingError) as info:
        load_meeting(case, "data/meeting.yaml")
    assert [str(p) for p in info.value.problems] == expected(case)


@pytest.mark.parametrize("case", VALID, ids=lambda p: p.stem)
def test_valid_case_loads(case: Path) -> None:
    load_meeting(case)


def test_yaml_1_1_traps_stay_text() -> None:
    m = load_meeting(CASES / "valid" / "yaml11_traps.yaml")
    assert m.meeting.kind == "no"
    assert m.meeting.sessions[0].start.hour == 7 and m.meeting.sessions[0].start.minute == 30


def test_text_is_normalised_to_nfc(tmp_path: Path) -> None:
    source = (CASES / "invalid" / "unknown_key.yaml").read_text().replace("titel:", "title:")
    source = source.replace("Tỉnh ủy Mẫu", unicodedata.normalize("NFD", "Tỉnh ủy Hà Tĩnh"))
    assert "Tỉnh ủy Hà Tĩnh" not in source  # really decomposed
    case = tmp_path / "nfd.yaml"
    case.write_text(source, encoding="utf-8")
    m = load_meeting(case)
    assert m.meeting.issuer.organization == "Tỉnh ủy Hà Tĩnh"


def test_build_stops_with_one_clear_message_and_no_traceback(tmp_path: Path) -> None:
    built = build_site(CASES / "invalid" / "many_problems.yaml", tmp_path / "site")
    assert built.returncode != 0
    assert "Traceback" not in built.output
    assert "Tệp hội nghị có 3 lỗi" in built.output
    assert "many_problems.yaml:15:35: contacts[0].phone:" in built.output


def _tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_build_leaves_previous_site_untouched(tmp_path: Path) -> None:
    site = tmp_path / "site"
    assert build_site(DATA, site).returncode == 0
    before = _tree_digest(site)
    assert "index.html" in before
    failed = build_site(CASES / "invalid" / "duplicate_slug.yaml", site)
    assert failed.returncode != 0
    assert _tree_digest(site) == before


def test_atomic_build_script_keeps_site_when_build_fails(tmp_path: Path) -> None:
    """tools/build.py builds beside site/ and swaps only on success."""
    import subprocess
    import sys

    site = tmp_path / "site"
    meeting = tmp_path / "data" / "meeting.yaml"  # a copy: a published build writes its change log beside it
    meeting.parent.mkdir()
    shutil.copy(DATA, meeting)
    env = {"SITE_DIR": str(site), "MEETING_FILE": str(meeting), "PATH": "/usr/bin:/bin"}
    ok = subprocess.run([sys.executable, str(ROOT / "tools" / "build.py")], env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    before = _tree_digest(site)
    env["MEETING_FILE"] = str(CASES / "invalid" / "deadline_after.yaml")
    bad = subprocess.run([sys.executable, str(ROOT / "tools" / "build.py")], env=env, capture_output=True, text=True)
    assert bad.returncode != 0
    assert "vẫn giữ nguyên như trước" in bad.stderr
    assert _tree_digest(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "site"], "staging folders must be cleaned up"
    shutil.rmtree(site)


def test_make_build_words_a_bad_site_address_before_mkdocs_does(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {"SITE_DIR": str(tmp_path / "site"), "MEETING_FILE": str(DATA), "PATH": "/usr/bin:/bin",
           "SITE_URL": "hoinghi.example.vn"}
    bad = subprocess.run([sys.executable, str(ROOT / "tools" / "build.py")], env=env, capture_output=True, text=True)
    assert bad.returncode != 0
    assert "SITE_URL" in bad.stderr and "phải là địa chỉ đầy đủ bắt đầu bằng https://" in bad.stderr
    assert "Traceback" not in bad.stderr and not (tmp_path / "site").exists()


def _leaf_paths(value, path=()):
    """One path per shape of leaf (tiers[1].points[5].name stands for every point's name)."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _leaf_paths(child, (*path, key))
    elif isinstance(value, list) and value:
        for i, child in enumerate(value):
            yield from _leaf_paths(child, (*path, i))
    else:
        yield path


def test_type_errors_and_references_come_in_one_run() -> None:
    """The cross-checks run on what types: a missing parent shows with a wrong date."""
    data = load_data(DATA)
    data["meeting"]["sessions"][0]["start"] = "7h5"
    data["tiers"][2]["points"] = [{"name": "Xã Sơn Tây", "parent": "huong-so"}]
    with pytest.raises(MeetingError) as info:
        validate(Loaded(data), "data/meeting.yaml")
    assert [(p.path, p.message.split(";")[0]) for p in info.value.problems] == [
        ("meeting.sessions[0].start", "'7h5': phút viết bằng hai chữ số, ví dụ 07h05"),
        ("tiers[2].points[0].parent", "không có điểm cầu nào có tên đường dẫn 'huong-so' trong tệp (mục tiers[].points)")]


@pytest.mark.parametrize("path", sorted({tuple(0 if isinstance(k, int) else k for k in p): p
                                          for p in _leaf_paths(load_data(DATA))}.values(), key=str),
                         ids=lambda p: ".".join(map(str, p)))
def test_leaving_a_wrong_part_out_never_invents_a_problem(path: tuple) -> None:
    """A value of no type at any one place of the real file: the problems named are all at that
    place. What is left out of the cross-checks (an item, a section) must not make a reference to
    it look broken, nor a check fail that its presence would pass."""
    data = load_data(DATA)
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = [[None]]  # neither text, nor number, nor a list of either
    with pytest.raises(MeetingError) as info:
        validate(Loaded(data), "data/meeting.yaml")
    where = ".".join(map(str, path))
    assert all(p.path.replace("[", ".").replace("]", "").startswith(where) for p in info.value.problems), \
        [str(p) for p in info.value.problems]
