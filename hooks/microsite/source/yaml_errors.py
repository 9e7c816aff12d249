"""YAML syntax errors explained from what the organizer most likely did, at the line to fix.

PyYAML says what its parser met ("mapping values are not allowed here"); an office worker needs
to hear which of a few everyday slips it was: a colon inside plain text, a line indented one
space off, a quote or bracket left open, text that starts with a character YAML reserves. Each
message names the likely cause and the fix, with the organizer's own line as the example.
"""

from __future__ import annotations

import re

import yaml

from .errors import printable

_SHOWN = 60  # characters of a line quoted back in a message
_KEY = re.compile(r"^(\s*)(?:-\s+)?([^\s:#'\"{}\[\],&*!|>%@`][^:#]*?):(?:\s+|$)")


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """(line, column, message) for a PyYAML error in `text`, 1-based."""
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line, mark.column) if mark else (0, 0)
    lines = text.split("\n")

    def at(n: int) -> str:
        return lines[n] if 0 <= n < len(lines) else ""

    def shown(n: int) -> str:
        body = at(n).strip()
        return printable(body if len(body) <= _SHOWN else body[:_SHOWN - 1] + "…")

    start = exc.context_mark
    if "'\\t'" in problem or "\\t" in problem:
        return line + 1, col + 1, "có ký tự tab ở đây; thụt lề chỉ dùng dấu cách"
    if "mapping values are not allowed" in problem:
        return _colon(lines, line, col, at, shown)
    if "flow mapping" in context and "got ':'" in problem:  # {title: A, presenter: Trình bày: B}
        here = at(line)
        left = max(here.rfind(",", 0, col), here.rfind("{", 0, col)) + 1
        ends = [i for i in (here.find(",", col), here.find("}", col)) if i >= 0]
        return line + 1, col + 1, ("dấu hai chấm trong văn bản: YAML hiểu phần trước dấu hai chấm là tên một mục. "
                                   "Đặt cả đoạn trong dấu nháy kép, ví dụ "
                                   f"{_quoted_example(here[left:min(ends, default=len(here))])}")
    if "could not find expected ':'" in problem:
        n = start.line if start else line
        return n + 1, _indent_of(at(n)) + 1, (
            f"dòng này không có dấu hai chấm sau tên mục: \"{shown(n)}\". Nếu đây là phần tiếp theo của văn bản ở "
            "dòng trên, thụt dòng này vào sâu hơn tên mục ở dòng trên (hoặc viết cả đoạn trên một dòng); nếu là một "
            "mục mới, viết dạng tên: giá trị")
    if "expected <block end>" in problem:
        return _indent(lines, line, col, problem, at, shown)
    if "quoted scalar" in context and "end of stream" in problem and start:
        which = "đơn" if at(start.line)[start.column:start.column + 1] == "'" else "kép"
        return start.line + 1, start.column + 1, (f"dấu nháy {which} mở ở đây chưa được đóng: thêm dấu nháy {which} "
                                                  "ở cuối văn bản")
    if "quoted scalar" in context and "escape" in problem:
        return line + 1, col + 1, ("trong dấu nháy kép, dấu \\ bắt đầu một ký tự đặc biệt: viết \\\\, hoặc dùng "
                                   "dấu nháy đơn ' ' thay cho dấu nháy kép")
    if "flow mapping" in context or "flow sequence" in context:
        closing = "}" if "mapping" in context else "]"
        n = start.line if start else line
        c = start.column if start else col
        return n + 1, c + 1, (f"dấu {'{' if closing == '}' else '['} mở ở đây chưa được đóng bằng {closing} trên cùng "
                              f"dòng, hoặc văn bản bên trong có dấu phẩy, dấu hai chấm: đóng {closing}, hoặc đặt văn "
                              "bản đó trong dấu nháy kép")
    if "cannot start any token" in problem or "alias" in context or "anchor" in context or "alias" in problem:
        key = _KEY.match(at(line))
        first = key.end() if key else _indent_of(at(line))
        char = at(line)[first:first + 1] or at(line)[col:col + 1]
        return line + 1, first + 1, (f"văn bản không được bắt đầu bằng {char}: đặt cả đoạn trong dấu nháy kép, "
                                     f"ví dụ {_quoted_example(at(line))}")
    if "block scalar" in context:
        return line + 1, col + 1, ("sau dấu | hoặc > phải xuống dòng rồi mới viết văn bản, thụt vào sâu hơn tên mục; "
                                   "hoặc viết văn bản trong dấu nháy kép")
    if "another document" in problem or "document start" in problem:
        return line + 1, col + 1, ("dòng --- chia tệp thành hai phần; tệp hội nghị chỉ có một phần: xóa dòng này "
                                   "(hoặc đặt văn bản bắt đầu bằng --- trong dấu nháy kép)")
    return line + 1, col + 1, ("YAML không đọc được tệp từ đây: xem lại thụt lề (chỉ dấu cách, các mục cùng cấp "
                               "thẳng cột), dấu hai chấm sau tên mục và các dấu nháy, dấu ngoặc đã đóng chưa")


def _colon(lines: list[str], line: int, col: int, at, shown) -> tuple[int, int, str]:
    """A colon where YAML does not expect one: inside plain text, or on a line indented too deep
    (it then reads as the text of the line above)."""
    here = at(line)
    key = _KEY.match(here)
    if key and key.end() <= col + 1 and here.find(":", key.end()) >= 0:
        return line + 1, col + 1, ("dấu hai chấm trong văn bản: YAML hiểu phần trước dấu hai chấm là tên một mục. "
                                   f"Đặt cả đoạn trong dấu nháy kép, ví dụ {_quoted_example(here)}")
    prev = _previous(lines, line)
    if prev is not None and _indent_of(here) > _indent_of(at(prev)):
        siblings = _key_column(at(prev))
        column = f", cột {siblings + 1}" if siblings is not None else ""
        return line + 1, _indent_of(here) + 1, (
            f"dòng này thụt lề sâu hơn dòng {prev + 1} (\"{shown(prev)}\"{column}): các mục cùng cấp phải thẳng cột "
            "với nhau; mục con chỉ đặt dưới một tên mục kết thúc bằng dấu hai chấm")
    if prev is not None and not _KEY.match(at(prev)):
        return prev + 1, _indent_of(at(prev)) + 1, (f"thiếu dấu hai chấm sau tên mục: \"{shown(prev)}\"; viết dạng "
                                                    "tên: giá trị")
    return line + 1, col + 1, ("dấu hai chấm ở chỗ YAML không chờ: nếu đây là văn bản, đặt cả đoạn trong dấu nháy "
                               f"kép, ví dụ {_quoted_example(here)}")


def _indent(lines: list[str], line: int, col: int, problem: str, at, shown) -> tuple[int, int, str]:
    """A line that does not continue the block it stands in: text after a closing quote or
    bracket, a list item among key: value lines, or a line indented a step off."""
    found = problem.rsplit("but found", 1)[-1]
    if "<scalar>" in found:
        return line + 1, col + 1, ("còn chữ sau dấu nháy hoặc dấu ngoặc đóng: văn bản bắt đầu bằng dấu nháy hay dấu "
                                   "ngoặc phải kết thúc ở đó. Đặt cả đoạn trong dấu nháy, ví dụ "
                                   f"{_quoted_example(at(line), single=True)}")
    if "'-'" in found:
        return line + 1, col + 1, ("mục danh sách (dòng bắt đầu bằng -) đứng giữa các mục tên: giá trị; đặt nó dưới "
                                   "tên danh sách (dòng kết thúc bằng dấu hai chấm), thụt vào thêm 2 dấu cách")
    prev = _previous(lines, line)
    width = _indent_of(at(line))
    siblings = _key_column(at(prev)) if prev is not None else None
    if prev is not None and siblings is not None and siblings != width:
        return line + 1, width + 1, (f"thụt lề lệch: dòng này bắt đầu ở cột {width + 1}, dòng {prev + 1} "
                                     f"(\"{shown(prev)}\") ở cột {siblings + 1}; các mục cùng cấp phải thẳng cột, "
                                     "chỉ dùng dấu cách")
    return line + 1, width + 1, ("thụt lề không khớp với các dòng phía trên: các mục cùng cấp phải thẳng cột, mục "
                                 "con thụt vào thêm 2 dấu cách, chỉ dùng dấu cách")


def _previous(lines: list[str], line: int) -> int | None:
    """The nearest line above `line` with content (not blank, not only a comment)."""
    for n in range(line - 1, -1, -1):
        body = lines[n].strip()
        if body and not body.startswith("#"):
            return n
    return None


def _indent_of(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _key_column(text: str) -> int | None:
    """Where the key of a `key: value` line starts (after a `- `), None for other lines."""
    match = _KEY.match(text)
    return match.start(2) if match else None


def _quoted_example(text: str, single: bool = False) -> str:
    """The organizer's own line with its value in quotes: `presenter: "Trình bày: Đồng chí A"`."""
    body = text.strip().removeprefix("- ").strip()
    key = _KEY.match(body)
    head, value = (body[:key.end()].rstrip() + " ", body[key.end():].strip()) if key else ("", body)
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    if len(value) > _SHOWN:
        value = value[:_SHOWN - 1] + "…"
    if single or '"' in value:
        return printable(f"{head}'{value.replace(chr(39), chr(39) * 2)}'")
    return printable(f'{head}"{value}"')
