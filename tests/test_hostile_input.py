"""Whatever bytes the meeting file holds, loading gives a usable model or one clean MeetingError.

Property-based (hypothesis): random bytes, YAML-like noise, the real file truncated or with one
byte changed, and the real data with one value replaced by anything. Every failure must name
data/meeting.yaml and a line that exists; never a traceback, never a hang. The named cases below
pin the inputs organizers really produce (Word, e-mail, Windows editors).
"""

from __future__ import annotations

import os
import signal
import unicodedata
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from conftest import DATA, load_data
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from microsite import MeetingError, MeetingFile, SiteOptions, site
from microsite.source.errors import MAX_SHOWN
from microsite.source.load import MAX_BYTES, MAX_DEPTH, load_yaml, parse_yaml
from microsite.source import validate

DISPLAY = "data/meeting.yaml"
NOT_UTF8 = "tệp không phải văn bản UTF-8: lưu lại tệp với bảng mã UTF-8"
TOO_DEEP = f"các mục lồng nhau quá {MAX_DEPTH} cấp (hoặc tham chiếu * lồng nhau quá sâu)"
REAL = DATA.read_bytes()

# Reproducible in CI (no example database, fixed seed) and bounded for a loaded 2-core machine.
# Applied per test, so that other test files keep their own hypothesis settings. Run with more
# examples locally: HYPOTHESIS_EXAMPLES=3000 pytest tests/test_hostile_input.py
BOUNDED = settings(derandomize=True, database=None, deadline=None,
                   max_examples=int(os.environ.get("HYPOTHESIS_EXAMPLES", "60")),
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@contextmanager
def time_limit(seconds: int):
    """A hang fails the test instead of stalling the suite."""
    def expire(signum, frame):
        raise TimeoutError(f"loading took more than {seconds} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def load(raw: bytes) -> MeetingFile | MeetingError:
    """Load `raw`; return the model or the error, after checking the error is a clean one."""
    with time_limit(30):
        try:
            model = validate(parse_yaml(raw, DISPLAY), DISPLAY)
        except MeetingError as exc:
            error = exc
        else:
            # A model that validates must also render: the build is the next thing that runs.
            options = SiteOptions(site_url="https://hoinghi.example.vn/")
            site(model, options)
            return model
    # Lines and columns as an editor shows them: CR, LF and CRLF end a line; columns count characters.
    text = raw.decode("utf-8", "replace").removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    assert error.problems, "a MeetingError must carry at least one problem"
    for p in error.problems:
        assert p.file == DISPLAY
        assert 1 <= p.line <= len(lines), (p, len(lines))
        assert 1 <= p.column <= len(lines[p.line - 1]) + 1, (p, lines[p.line - 1][:200])
    message = str(error)
    assert message.count("\n") <= MAX_SHOWN + 2  # a head line, the problems, "... và N lỗi nữa", what to do
    assert len(message) < 40_000, "a message must stay readable"
    shown = min(len(error.problems), MAX_SHOWN)
    assert all(line.startswith(f"  {DISPLAY}:") for line in message.splitlines()[1:shown + 1])
    return error


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------

YAMLISH = st.text(alphabet=st.sampled_from(list("ab:-[]{}&*!|>'\"#%@`,?.~ \t\n\r\\0123456789đĐ\u0301\ufeff\u202e\u2028\x85\ufffe")),
                  max_size=200)


@BOUNDED
@given(st.binary(max_size=2000))
def test_random_bytes(raw: bytes) -> None:
    load(raw)


@BOUNDED
@given(YAMLISH)
def test_yaml_like_noise(text: str) -> None:
    load(text.encode("utf-8"))


@BOUNDED
@given(st.integers(0, len(REAL)))
def test_real_file_truncated(cut: int) -> None:
    load(REAL[:cut])


@BOUNDED
@given(st.integers(0, len(REAL) - 1), st.integers(0, 255))
def test_real_file_with_one_byte_changed(at: int, byte: int) -> None:
    load(REAL[:at] + bytes([byte]) + REAL[at + 1:])


@BOUNDED
@given(st.integers(0, len(REAL)), st.binary(min_size=1, max_size=8))
def test_real_file_with_bytes_inserted(at: int, extra: bytes) -> None:
    load(REAL[:at] + extra + REAL[at:])


def _leaves(value, path=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, (*path, i))
    yield path


REAL_DATA = load_data(DATA)
# One path per shape (tiers[1].points[5].name and tiers[1].points[6].name are one shape), so
# that the rarer fields (times, dates, numbers) are drawn as often as the many names.
PATHS = list({tuple(0 if isinstance(k, int) else k for k in p): p for p in _leaves(REAL_DATA) if p}.values())
ANY_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=80)
    | st.sampled_from(["", " ", "07:30", "24:00", "2021-02-30", "0001-01-01", "9999-12-31", "9999-12-31T23:59",
                       "0001-01-01T00:00", "2021-09-28T16:00+07:00", "07:30+07:00", "yes", "-1", "1e999",
                       "huyen-a", "tinh", "x" * 5000, "Đ" * 300, "../../etc", "a/b", "<script>", "Asia", "Etc/../UTC",
                       "UTC", "Asia/" + "x" * 300]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6)


@BOUNDED
@given(st.sampled_from(PATHS), ANY_VALUE)
@example(("meeting", "timezone"), "Asia")  # a folder of the zone database: ZoneInfo raised IsADirectoryError
@example(("meeting", "timezone"), "Asia/" + "x" * 300)  # ZoneInfo raised OSError (name too long)
@example(("tiers", 1, "points", 0, "slug"), None)  # slug derived from the name again
@example(("meeting", "sessions", 0, "start"), 27000)  # pydantic read seconds: an aware time, then TypeError
@example(("meeting", "sessions", 0, "start"), "07:30+07:00")
@example(("meeting", "sessions", 0, "date"), "0001-01-01")  # be_seated: OverflowError
def test_real_data_with_one_value_replaced(path: tuple, value) -> None:
    data = yaml.safe_load(yaml.safe_dump(REAL_DATA))  # a deep copy
    target = data
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    load(yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))


# ---------------------------------------------------------------------------------------------
# What organizers really paste
# ---------------------------------------------------------------------------------------------


def one_problem(raw: bytes) -> str:
    result = load(raw)
    assert isinstance(result, MeetingError), "expected the file to be refused"
    assert len(result.problems) == 1, result
    return str(result.problems[0])


def test_bom_is_accepted() -> None:
    assert load(b"\xef\xbb\xbf" + REAL) == load(REAL)


def test_windows_and_old_mac_line_ends_are_accepted() -> None:
    assert load(REAL.replace(b"\n", b"\r\n")) == load(REAL)
    assert load(REAL.replace(b"\n", b"\r")) == load(REAL)


def test_line_numbers_count_crlf_lines_once() -> None:
    raw = REAL.replace(b"\n", b"\r\n").replace(b"  kind: H", b"  kind: H\x07", 1)
    assert one_problem(raw).startswith("data/meeting.yaml:11:")


def test_decomposed_vietnamese_is_normalised() -> None:
    model = load(unicodedata.normalize("NFD", REAL.decode()).encode())
    assert isinstance(model, MeetingFile)
    assert model == load(REAL)
    assert model.meeting.issuer.organization == "Tỉnh ủy Hà Tĩnh"


def test_invalid_utf8_names_its_line() -> None:
    raw = REAL.replace("Tỉnh ủy Hà Tĩnh".encode(), "Tỉnh ủy Hà".encode()[:-2] + "à Tĩnh".encode("cp1252", "replace"), 1)
    # Column in characters as editors count them (ỉ and ủ are 3 bytes each in UTF-8).
    assert one_problem(raw) == f"data/meeting.yaml:17:28: {NOT_UTF8}"


def test_utf16_is_refused() -> None:
    assert "không phải văn bản UTF-8" in one_problem(REAL.decode().encode("utf-16"))


@pytest.mark.parametrize("char", ["\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\x9f"])
def test_control_characters_are_refused_where_they_stand(char: str) -> None:
    raw = REAL.replace(b"  kind: H", f"  kind: {char}H".encode(), 1)
    assert one_problem(raw).startswith(f"data/meeting.yaml:11:9: có ký tự điều khiển U+{ord(char):04X}")


@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200f", "\u061c"])
def test_text_direction_overrides_are_refused(char: str) -> None:
    """'Trojan source' in a name: the reversed text would show on every page. Refused at load."""
    raw = REAL.replace(b"  kind: H", f"  kind: {char}H".encode(), 1)
    message = one_problem(raw)
    assert message.startswith(f"data/meeting.yaml:11:9: có ký tự ẩn U+{ord(char):04X} (ký tự đổi chiều chữ)")


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\ufffe", "\uffff"])
def test_line_separators_and_noncharacters_are_refused(char: str) -> None:
    raw = REAL.replace(b"  kind: H", f"  kind: H{char}".encode(), 1)
    assert one_problem(raw).startswith(f"data/meeting.yaml:11:10: có ký tự ẩn U+{ord(char):04X}")


@pytest.mark.parametrize(("escape", "code"), [("\\r", "000D"), ("\\x07", "0007"), ("\\u202e", "202E"),
                                              ("\\u2028", "2028"), ("\\x85", "0085"), ("\\0", "0000")])
def test_the_same_characters_written_as_escapes_are_refused(escape: str, code: str) -> None:
    raw = REAL.replace(b"  kind: H", f'  kind: "{escape}H'.encode(), 1).replace(
        "trực tuyến toàn tỉnh\n".encode(), 'trực tuyến toàn tỉnh"\n'.encode(), 1)
    assert one_problem(raw).startswith(f"data/meeting.yaml:11:9: meeting.kind: mã thoát của ký tự U+{code} ")


def test_stray_byte_order_marks_inside_text_are_dropped() -> None:
    model = load(REAL.replace(b"  kind: H", "  kind: H\ufeff".encode(), 1))
    assert model.meeting.kind == "Hội nghị trực tuyến toàn tỉnh"


def test_tab_indentation_names_its_line() -> None:
    raw = REAL.replace(b"\n    organization:", b"\n\torganization:", 1)
    assert one_problem(raw) == "data/meeting.yaml:17:1: có ký tự tab ở đây; thụt lề chỉ dùng dấu cách"


def test_duplicate_keys_are_refused() -> None:
    raw = REAL.replace(b"  kind: H", b"  kind: Again\n  kind: H", 1)
    assert one_problem(raw) == ("data/meeting.yaml:12:3: meeting.kind: mục 'kind' viết hai lần (lần đầu ở dòng 11); "
                                "xóa một lần")


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 12)]
    message = one_problem("\n".join(lines).encode())  # 10^12 values once expanded
    assert message.startswith("data/meeting.yaml:7:5: giá trị này mở rộng ra quá 2.000.000 giá trị")


def test_alias_loop_is_refused() -> None:
    assert one_problem(b"meeting: &m {kind: *m}").startswith("data/meeting.yaml:1:10: tham chiếu * trỏ tới chính")


def test_deep_nesting_is_refused_where_it_happens() -> None:
    assert one_problem(b"[" * 10_000 + b"]" * 10_000) == f"data/meeting.yaml:1:{MAX_DEPTH + 1}: {TOO_DEEP}"
    block = b"".join(b"  " * i + b"k:\n" for i in range(200))
    assert one_problem(block).startswith(f"data/meeting.yaml:{MAX_DEPTH}:")


def test_nesting_through_aliases_is_bounded() -> None:
    lines = ["a0: &a0 " + "[" * 60 + "]" * 60]
    lines += [f"a{i}: &a{i} " + "[" * 60 + f"*a{i - 1}" + "]" * 60 for i in range(1, 30)]
    # a1 nests 60 levels, then *a0 goes on: level 65 is the 4th list of a0, on line 1.
    assert one_problem("\n".join(lines).encode()) == f"data/meeting.yaml:1:12: {TOO_DEEP}"


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!binary", "!!timestamp", "!!set", "!local",
                                 "!<tag:example.com,2000:x>"])
def test_unknown_tags_are_refused(tag: str) -> None:
    raw = REAL.replace(b"  kind: H", f"  kind: {tag} H".encode(), 1)
    assert one_problem(raw).startswith("data/meeting.yaml:11:9: meeting.kind: ")


def test_a_file_over_the_limit_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    big = tmp_path / "meeting.yaml"
    with big.open("wb") as f:
        f.write(REAL)
        f.truncate(50 * 2**20)  # 50 MB (sparse: nothing written to disk)
    with pytest.raises(MeetingError) as info:
        load_yaml(big, DISPLAY)
    assert str(info.value.problems[0]) == ("data/meeting.yaml:1:1: tệp nặng 52,4 MB; "
                                           f"tệp hội nghị tối đa {MAX_BYTES // 2**20} MB")


def line_of(needle: bytes) -> int:
    """Line of the real file where `needle` starts (the seed may gain or lose lines)."""
    return REAL[:REAL.index(needle)].count(b"\n") + 1


def test_very_long_lines_give_short_messages() -> None:
    huge = "x" * 5_000_000
    message = one_problem(REAL.replace(b"  timezone: Asia/Ho_Chi_Minh", f"  timezone: {huge}".encode(), 1))
    line = line_of(b"  timezone: Asia/Ho_Chi_Minh")
    assert message.startswith(f"data/meeting.yaml:{line}:13: meeting.timezone: không có múi giờ")
    assert len(message) < 300
    key = "k" * 1000  # YAML's longest simple key
    message = one_problem(REAL.replace(b"  kind: H", f"  {key}: x\n  kind: H".encode(), 1))
    assert message.startswith("data/meeting.yaml:11:3: meeting.kkkkk")
    assert "không có mục 'kkkkk" in message and "(1.000 ký tự)" in message
    assert len(message) < 300


def test_huge_text_is_refused_before_it_reaches_every_page() -> None:
    message = one_problem(REAL.replace(b"  kind: H", b"  kind: " + b"x" * 100_000 + b"H", 1))
    assert message.startswith("data/meeting.yaml:11:9: meeting.kind: ")


def test_huge_numbers_give_short_messages() -> None:
    message = one_problem(REAL.replace(b"minutes_before: 10", b"minutes_before: " + b"9" * 100_000, 1))
    line = line_of(b"    minutes_before: 10")
    assert message.startswith(f"data/meeting.yaml:{line}:21: meeting.arrival.minutes_before: ") and len(message) < 300


def test_thousands_of_mistakes_give_a_bounded_message() -> None:
    raw = REAL + b"".join(b"k%d: 1\n" % i for i in range(20_000))
    result = load(raw)
    assert isinstance(result, MeetingError) and len(result.problems) == 20_000
    assert "\n  ... và 19.950 lỗi nữa (sửa các lỗi trên rồi tạo lại trang)\n" in str(result)


def test_odd_keys_stay_on_one_line_of_the_message() -> None:
    result = load(REAL.replace(b"  kind: H", b'  "k\\r\\u202e": {"\\b": x}\n  kind: H', 1))
    assert isinstance(result, MeetingError)
    assert [str(p) for p in result.problems] == [
        "data/meeting.yaml:11:3: meeting: mã thoát của ký tự U+000D (ký tự điều khiển) không dùng được trong văn "
        "bản: xóa nó",
        "data/meeting.yaml:11:17: meeting.k\\u000d\\u202e: mã thoát của ký tự U+0008 (ký tự điều khiển) không dùng "
        "được trong văn bản: xóa nó"]


def test_a_bad_byte_after_old_mac_line_ends_names_its_line() -> None:
    assert one_problem(b"meeting:\r  kind: H\x80") == f"data/meeting.yaml:2:10: {NOT_UTF8}"
    assert one_problem(b"\xef\xbb\xbf\x80") == f"data/meeting.yaml:1:1: {NOT_UTF8}"
