"""The change log beside the meeting file (data/thay-doi.yaml): what participants were told changed, and when.

`make build` (tools/build.py) writes it once a build that found a change has been published, and the
organizer commits it with the meeting file, so that a fresh clone still knows what the site showed
before. It holds:

- `published`: when the site first went out;
- `entries`: one per published revision that participants can see, dated, each change worded in
  Vietnamese with the pages it concerns (`where`), and optionally `until`: show the notice until
  then (meeting-local time; by default until the meeting ends);
- `snapshot`: what the last published site showed (views/changes.py `project`), and for every
  calendar event its SEQUENCE, when it last changed and a digest of its content. A national
  meeting's is 22,000 values: it is written as one JSON line per item or event inside a YAML
  block, which reads in a twentieth of the time the same data takes as YAML and diffs line by line.

A hand edit may set `until` or reword a change. Anything that breaks the shape stops the build with
the file, line and what is wrong, before site/ is touched.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AwareDatetime, Field, ValidationError, model_validator

from .errors import MeetingError, Problem
from .load import dotted, load_yaml
from .model import DateTime, Strict

LOG_NAME = "thay-doi.yaml"
# What a build writes before it knows whether its site will be published; tools/build.py renames it
# over the log after the swap. One fixed name: a killed build leaves at most this one file.
PREPARED_NAME = ".thay-doi.yaml.new"

Scope = Annotated[str, Field(pattern=r"^[a-z-]+(?::[a-z0-9-]+)?$")]
Digest = Annotated[str, Field(pattern=r"^[0-9a-f]{16}$")]
Sentence = Annotated[str, Field(min_length=1)]


class Change(Strict):
    text: Sentence
    where: list[Scope] = Field(default_factory=list, description="pages it concerns besides home and the changes page")


class Entry(Strict):
    at: AwareDatetime
    until: DateTime | None = Field(None, description="show the notice until then (meeting-local time)")
    changes: list[Change] = Field(min_length=1)


class EventState(Strict):
    sequence: int = Field(ge=0)
    at: AwareDatetime
    digest: Digest


class Snapshot(Strict):
    version: int = Field(ge=1)
    items: dict[str, dict[str, str | list[str]]]
    events: dict[str, EventState] = Field(default_factory=dict)


class ChangeLog(Strict):
    format: Literal[1] = 1
    published: AwareDatetime | None = None
    entries: list[Entry] = Field(default_factory=list)
    snapshot: Snapshot | None = None

    @model_validator(mode="after")
    def _has_snapshot(self) -> ChangeLog:
        if (self.entries or self.published) and self.snapshot is None:
            raise ValueError("missing snapshot")
        return self


class ChangeLogError(MeetingError):
    def render(self) -> str:
        body = super().render().split("\n", 1)[1]  # the problems as the meeting file's are listed
        return f"{len(self.problems)} lỗi trong nhật ký thay đổi:\n{body}"


def changelog_path(meeting: Path) -> Path:
    return meeting.parent / LOG_NAME


def load_changelog(path: Path, display: str | None = None) -> ChangeLog:
    """The log at `path`, or an empty one when there is none yet (the site has not been published)."""
    display = display or str(path)
    if not os.path.lexists(path):
        return ChangeLog()
    try:
        loaded = load_yaml(path, display)
    except MeetingError as exc:
        raise ChangeLogError(exc.problems) from None

    def problem(loc: tuple, message: str, key: bool = False) -> Problem:
        line, col = loaded.where(loc, key)
        return Problem(display, line, col, dotted(loc), message)

    if not isinstance(loaded.data, dict):
        raise ChangeLogError([problem((), "nhật ký thay đổi phải là một bảng (format:, entries:, snapshot:)")])
    data, rows = dict(loaded.data), {}
    if isinstance(data.get("snapshot"), str):
        line = loaded.where(("snapshot",))[0] + 1  # the block's first line follows its key
        data["snapshot"], rows = _read_snapshot(data["snapshot"], display, line)
    try:
        log = ChangeLog.model_validate(data)
    except ValidationError as exc:
        raise ChangeLogError([_located(problem, e, display, rows) for e in exc.errors()]) from None
    times = [log.published, *(e.at for e in log.entries)]
    early = [i for i in range(1, len(times)) if times[i - 1] is not None and times[i] < times[i - 1]]
    if early:
        raise ChangeLogError([problem(("entries", i - 1, "at"), "sớm hơn lần đăng trước nó; các lần cập nhật "
                                                                "phải theo thứ tự thời gian") for i in early])
    return log


_BAD_ROW = ("dòng này của snapshot không đúng dạng do lệnh build ghi (sửa tay?); lấy lại tệp từ git, "
            "hoặc xóa tệp để ghi lại từ đầu")


def _read_snapshot(block: str, display: str, first: int) -> tuple[dict, dict[tuple, int]]:
    """The snapshot's JSON lines as the model's shape, and the file line of each row."""
    snapshot: dict[str, Any] = {"items": {}, "events": {}}
    rows: dict[tuple, int] = {}
    problems = []
    for n, text in enumerate(block.splitlines()):
        if not text.strip():
            continue
        try:
            row = json.loads(text)
            tag, key, *rest = row
            if tag == "version" and not rest:
                snapshot["version"], rows[("version",)] = key, first + n
            elif tag == "item" and len(rest) == 1:
                snapshot["items"][key], rows[("items", key)] = rest[0], first + n
            elif tag == "event" and len(rest) == 3:
                snapshot["events"][key] = dict(zip(("sequence", "at", "digest"), rest))
                rows[("events", key)] = first + n
            else:
                raise ValueError(tag)
        except (ValueError, TypeError):  # not JSON, not a list, a list too short, a key not text
            problems.append(Problem(display, first + n, 3, "snapshot", _BAD_ROW))
    if problems:
        raise ChangeLogError(problems)
    return snapshot, rows


def _located(problem, error: dict[str, Any], display: str, rows: dict[tuple, int]) -> Problem:
    loc = tuple(error["loc"])
    kind = error["type"]
    row = next((rows[loc[1:i]] for i in (3, 2) if loc[:1] == ("snapshot",) and loc[1:i] in rows), None)
    if row is not None:  # inside the snapshot's JSON lines: their line
        return Problem(display, row, 3, dotted(loc), _message(kind, loc, error))
    if kind == "missing":  # at the mapping that lacks it
        p = problem(loc[:-1], "thiếu mục này", key=True)
        return Problem(p.file, p.line, p.column, dotted(loc), p.message)
    return problem(loc, _message(kind, loc, error), key=kind == "extra_forbidden")


def _message(kind: str, loc: tuple, error: dict[str, Any]) -> str:
    field = next((p for p in reversed(loc) if isinstance(p, str) and p not in ("str", "list[str]")), "")
    if kind == "extra_forbidden":
        return "mục này không có trong nhật ký thay đổi (gõ nhầm tên?)"
    if kind == "value_error" and not loc:
        return ("nhật ký có các lần cập nhật nhưng thiếu phần snapshot (những gì trang đã đăng); "
                "lấy lại tệp từ git, hoặc xóa tệp để ghi lại từ đầu")
    if field == "until":
        return "phải là ngày giờ theo giờ của hội nghị, ví dụ 2021-09-30 11:30"
    if field in ("at", "published"):
        return "phải là ngày giờ có múi giờ, ví dụ 2021-09-28T10:15:00+07:00"
    if field == "format":
        return "phiên bản nhật ký không được hỗ trợ (chỉ có 1)"
    if kind in ("int_type", "int_parsing", "int_from_float", "greater_than_equal"):
        return "phải là số nguyên từ 0 trở lên"
    if kind in ("too_short", "string_too_short"):
        return "không được để trống"
    if kind == "string_pattern_mismatch":
        return "không đúng dạng do lệnh build ghi"
    if kind in ("list_type",):
        return "phải là một danh sách"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "phải là một bảng (khóa: giá trị)"
    if kind == "string_type":
        return "phải là văn bản"
    return "giá trị không đúng dạng"


# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

HEADER = """\
# Nhật ký thay đổi của hội nghị. Lệnh `make build` ghi tệp này sau mỗi lần đăng trang có thay đổi
# mà người dự họp thấy được; hãy commit tệp này cùng data/meeting.yaml. Có thể sửa tay `until`
# (hiện thông báo đến lúc nào) hoặc câu chữ một thay đổi; đừng sửa phần `snapshot` (những gì trang
# đã đăng, để lần sau so sánh). Chú thích trong tệp không được giữ lại khi ghi.
"""

_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: a national snapshot is 11,000 lines


def dump_changelog(log: ChangeLog) -> str:
    """The log as YAML: one line per change, per snapshot item and per event, so git diffs stay small."""
    data = log.model_dump(mode="json", exclude_none=True)
    snapshot = data.pop("snapshot", None)
    text = HEADER + yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False, default_flow_style=None,
                              width=1_000_000)
    if snapshot is None:
        return text
    rows = [["version", snapshot["version"]], *(["item", k, v] for k, v in snapshot["items"].items()),
            *(["event", k, e["sequence"], e["at"], e["digest"]] for k, e in snapshot["events"].items())]
    return text + "snapshot: |\n" + "".join(f"  {json.dumps(row, ensure_ascii=False)}\n" for row in rows)


def prepare(log: ChangeLog, path: Path) -> Path:
    """Write the log beside `path` under PREPARED_NAME (a full disk fails here, before any swap);
    return where. tools/build.py renames it over `path` once the site is published."""
    prepared = path.with_name(PREPARED_NAME)
    data = dump_changelog(log).encode("utf-8")
    with open(prepared, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.chmod(prepared, 0o644)  # committed and read by others, like the meeting file
    return prepared
