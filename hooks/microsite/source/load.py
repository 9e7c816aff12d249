"""Read data/meeting.yaml into plain Python data, remembering where every value stood.

PyYAML's own constructors lose positions, accept duplicate keys silently, read `07:30` as the
integer 450 (YAML 1.1 base 60) and `no` as False. Organizers type exactly those things, so we
compose the node tree with PyYAML and build the data ourselves with a small, strict resolver.
"""

from __future__ import annotations

import errno
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import MeetingError, Problem, printable, quote
from .yaml_errors import explain

# A real national meeting (10,600 communes) is about 2 MB; anything far larger is a mistake.
MAX_BYTES = 10 * 1024 * 1024
# Aliases can make a tiny file expand exponentially ("billion laughs"); bound the expansion.
MAX_NODES = 2_000_000
# The model nests about 7 levels deep. PyYAML composes recursively, so bound nesting long before
# Python's recursion limit, and report where it happens.
MAX_DEPTH = 64

Path_ = tuple[str | int, ...]

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
# C0/C1 control characters other than tab and newline never belong in meeting text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Invisible characters that change how text around them is displayed (text-direction overrides,
# as in "Trojan source"), line separators that editors and YAML count differently, and the two
# non-characters YAML refuses. Vietnamese text needs none of them.
_INVISIBLE = {
    **{c: "ký tự đổi chiều chữ" for c in "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
       "\u2066\u2067\u2068\u2069"},
    "\u2028": "ký tự ngắt dòng", "\u2029": "ký tự ngắt đoạn",
    "\ufffe": "ký tự không dùng", "\uffff": "ký tự không dùng",
}
_TOO_DEEP = f"các mục lồng nhau quá {MAX_DEPTH} cấp (hoặc tham chiếu * lồng nhau quá sâu)"
_INVISIBLE_RE = re.compile("[" + "".join(_INVISIBLE) + "]")


@dataclass
class Loaded:
    data: Any
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # where each value starts
    keys: dict[Path_, tuple[int, int]] = field(default_factory=dict)  # where each mapping key stands

    def where(self, loc: Path_, key: bool = False) -> tuple[int, int]:
        """Line and column of the value (or its key) at `loc`, or of its nearest ancestor that exists."""
        loc = tuple(loc)
        while loc and loc not in self.positions:
            loc, key = loc[:-1], True
        if key and loc in self.keys:
            return self.keys[loc]
        return self.positions.get(loc, (1, 1))


def load_yaml(path: Path, display: str | None = None) -> Loaded:
    display = display or str(path)
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            raw = f.read(MAX_BYTES + 1)  # a 5 GB file must not be read into memory to be refused
    except OSError as exc:
        raise MeetingError([Problem(display, 1, 1, "", f"không đọc được tệp: {_os_reason(exc)}")]) from None
    return parse_yaml(raw, display, size=max(size, len(raw)))


def parse_yaml(raw: bytes, display: str, size: int | None = None) -> Loaded:
    def fail(line: int, col: int, msg: str) -> MeetingError:
        return MeetingError([Problem(display, line, col, "", msg)])

    size = len(raw) if size is None else size
    if size > MAX_BYTES:
        raise fail(1, 1, f"tệp nặng {size / 1e6:.1f} MB; tệp hội nghị tối đa {MAX_BYTES // 2**20} MB".replace(".", ",", 1))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Where an editor shows it: lines as below, columns in characters. What precedes is valid.
        before = _lines(raw[:exc.start].decode("utf-8"))
        line, col = before.count("\n") + 1, len(before) - before.rfind("\n")
        raise fail(line, col, "tệp không phải văn bản UTF-8: lưu lại tệp với bảng mã UTF-8") from None
    text = _lines(text)

    def at(index: int) -> tuple[int, int]:
        return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1

    bad = _CONTROL.search(text)
    if bad:
        raise fail(*at(bad.start()), f"có ký tự điều khiển U+{ord(bad.group()):04X}, không hiện ra (dán từ "
                                     "chương trình khác?): xóa ký tự này")
    bad = _INVISIBLE_RE.search(text)
    if bad:
        raise fail(*at(bad.start()), f"có ký tự ẩn U+{ord(bad.group()):04X} ({_INVISIBLE[bad.group()]}), không "
                                     "hiện ra (dán từ chương trình khác?): xóa ký tự này")
    try:
        root = _compose(text)
        if root is not None:
            _check_expansion(root)
    except _TooBig as exc:
        raise fail(exc.mark.line + 1, exc.mark.column + 1, exc.message) from None
    except yaml.reader.ReaderError as exc:  # characters YAML refuses that the checks above missed
        raise fail(*at(min(exc.position, len(text))), f"YAML không đọc được ký tự {exc.character!r} ở đây "
                                                      "(dán từ chương trình khác?): xóa ký tự này") from None
    except yaml.MarkedYAMLError as exc:
        raise fail(*explain(exc, text)) from None
    except yaml.YAMLError:  # any other PyYAML error carries no mark
        raise fail(1, 1, "YAML không đọc được tệp: xem lại thụt lề, dấu hai chấm và các dấu nháy") from None
    except RecursionError:  # not expected with MAX_DEPTH; kept as a last guard
        raise fail(1, 1, _TOO_DEEP) from None
    if root is None:
        raise fail(1, 1, "tệp trống: chưa có mục nào (tệp phải bắt đầu bằng phần meeting:)")
    builder = _Builder(display)
    try:
        data = builder.build(root, ())
    except RecursionError:
        raise fail(1, 1, _TOO_DEEP) from None
    if builder.problems:
        raise MeetingError(builder.problems)
    return Loaded(data, builder.positions, builder.keys)


class _Builder:
    def __init__(self, display: str) -> None:
        self.display = display
        self.positions: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}
        self.problems: list[Problem] = []
        self.count = 0

    def _problem(self, node: yaml.Node, loc: Path_, msg: str) -> None:
        self.problems.append(Problem(self.display, node.start_mark.line + 1, node.start_mark.column + 1,
                                     _dotted(loc), msg))

    def build(self, node: yaml.Node, loc: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            self._problem(node, loc, f"tệp mở rộng ra quá {MAX_NODES:,} giá trị (dùng tham chiếu * để làm tệp phình "
                                     "ra?)".replace(",", "."))
            raise MeetingError(self.problems)
        self.positions[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self._problem(node, loc, _tag(node.tag))
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, loc)

    def _mapping(self, node: yaml.MappingNode, loc: Path_) -> dict[str, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            self._problem(node, loc, _tag(node.tag))
        out: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or (key_node.value == "<<" and not key_node.style):
                self._problem(key_node, loc, "không dùng được <<: (gộp mục từ chỗ khác); viết đủ các mục ra đây")
                continue
            key = self._scalar(key_node, loc) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self._problem(key_node, loc, "tên mục phải là chữ, ví dụ title:")
                continue
            if key in first_seen:
                self._problem(key_node, (*loc, key), f"mục {quote(key)} viết hai lần (lần đầu ở dòng {first_seen[key]}); "
                                                     "xóa một lần")
                continue
            first_seen[key] = key_node.start_mark.line + 1
            self.keys[(*loc, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, (*loc, key))
        return out

    def _scalar(self, node: yaml.ScalarNode, loc: Path_) -> Any:
        value, tag = node.value, node.tag
        if tag == _STR:
            if node.style:  # quoted or block text is always text (plain is None, or '' from libyaml)
                return self._text(node, loc)
            tag = _resolve(value)
        if tag == _STR:
            # Dates, times, yes/no and 07:30 stay text here; the model parses them strictly.
            return self._text(node, loc)
        if tag == _NULL_TAG:
            return None
        try:
            if tag == _BOOL_TAG:
                return {"true": True, "false": False}[value.lower()]
            if tag == _INT_TAG:
                return int(value)
            if tag == _FLOAT_TAG:
                return float(value)
        except (KeyError, ValueError):
            self._problem(node, loc, f"{quote(value)} không đúng với nhãn {quote(tag)} đặt trước nó")
            return None
        self._problem(node, loc, _tag(tag))
        return None


    def _text(self, node: yaml.ScalarNode, loc: Path_) -> str:
        # The file was checked for these characters, but a double-quoted "\r", "\x07" or "\u202e"
        # escape makes them only now.
        bad = _CONTROL.search(node.value) or _INVISIBLE_RE.search(node.value)
        if bad:
            char = bad.group()
            what = _INVISIBLE.get(char, "ký tự điều khiển")
            self._problem(node, loc, f"mã thoát của ký tự U+{ord(char):04X} ({what}) không dùng được trong văn bản: "
                                     "xóa nó")
        return _clean(node.value)


def _tag(tag: str) -> str:
    return f"không dùng được nhãn {quote(tag)} (chữ bắt đầu bằng !): xóa nhãn, chỉ để lại giá trị"


def _os_reason(exc: OSError) -> str:
    """Why the system could not open the file, in Vietnamese for the usual reasons."""
    return {errno.ENOENT: "không có tệp này", errno.EACCES: "không có quyền đọc tệp",
            errno.EISDIR: "đây là một thư mục, không phải tệp"}.get(exc.errno, exc.strerror or "lỗi hệ thống")


def _lines(text: str) -> str:
    """No BOM, and LF line ends: Windows editors save CRLF, old Mac ones CR; both are line ends
    to YAML and to every editor, so line numbers agree."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _clean(value: str) -> str:
    """NFC (Vietnamese typed on macOS or pasted from the web may come decomposed), and no stray
    byte-order marks, which files pasted together carry in their middle."""
    return unicodedata.normalize("NFC", value.replace("\ufeff", ""))


_STR, _NULL_TAG, _BOOL_TAG, _INT_TAG, _FLOAT_TAG = (
    f"tag:yaml.org,2002:{t}" for t in ("str", "null", "bool", "int", "float"))


def _resolve(plain: str) -> str:
    """The tag of an untagged plain scalar, by YAML 1.2 core rules (no base 60, no yes/no)."""
    for pattern, tag in ((_NULL, _NULL_TAG), (_BOOL, _BOOL_TAG), (_INT, _INT_TAG), (_FLOAT, _FLOAT_TAG)):
        if pattern.match(plain):
            return tag
    return _STR


class _TooBig(Exception):
    def __init__(self, mark: yaml.Mark, message: str) -> None:
        self.mark, self.message = mark, message


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves every plain scalar untyped, so `_resolve` alone decides, and that
    stops at MAX_DEPTH levels of nesting instead of exhausting Python's stack."""

    _depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooBig(self.peek_event().start_mark, _TOO_DEEP)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_Loader.yaml_implicit_resolvers = {}

if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(yaml.CSafeLoader):
        """The same in C (libyaml), six times faster on a national meeting's 2 MB."""

    _FastLoader.yaml_implicit_resolvers = {}
else:  # pragma: no cover - PyYAML built without libyaml
    _FastLoader = None


def _compose(text: str) -> yaml.Node | None:
    """The node tree, by libyaml when it can; any problem is reported by PyYAML's own parser,
    whose messages (and tab detection) the error reports rely on."""
    if _FastLoader is not None:
        try:
            return yaml.compose(text, Loader=_FastLoader)
        except (yaml.YAMLError, RecursionError):
            pass
    return yaml.compose(text, Loader=_Loader)


def _check_expansion(root: yaml.Node) -> None:
    """Refuse alias loops, and aliases that expand to more than MAX_NODES values or MAX_DEPTH levels.

    Aliases share nodes, so the composed graph stays small while its expansion may not: size
    and depth are computed once per distinct node, without recursion, before anything is built.
    """
    size: dict[int, tuple[int, int] | None] = {}  # id(node) -> (values, depth); None while open
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            size[id(node)] = (1, 1)
            continue
        children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
        if closing:
            parts = [size[id(c)] for c in children]
            total = 1 + sum(p[0] for p in parts)  # type: ignore[index]
            depth = 1 + max((p[1] for p in parts), default=0)  # type: ignore[index]
            if total > MAX_NODES:
                raise _TooBig(node.start_mark, f"giá trị này mở rộng ra quá {MAX_NODES:,} giá trị (dùng tham chiếu * "
                                               "để làm tệp phình ra?)".replace(",", "."))
            size[id(node)] = (total, depth)
            continue
        if id(node) in size:
            if size[id(node)] is None:
                raise _TooBig(node.start_mark, "tham chiếu * trỏ tới chính giá trị chứa nó (một vòng lặp)")
            continue
        size[id(node)] = None
        stack.append((node, True))
        stack.extend((c, False) for c in children)
    # Too deep (through aliases, or as composed by a parser with a looser limit): name the value
    # where the deepest path passes level MAX_DEPTH + 1, as the composer itself would.
    if size[id(root)][1] <= MAX_DEPTH:  # type: ignore[index]
        return
    node = root
    for level in range(2, MAX_DEPTH + 2):  # the first child, in file order, that reaches that deep
        children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) else node.value
        node = next(c for c in children if size[id(c)][1] >= MAX_DEPTH + 2 - level)  # type: ignore[index]
    raise _TooBig(node.start_mark, _TOO_DEEP)


def _dotted(loc: Path_) -> str:
    out = ""
    for part in loc:
        if isinstance(part, str):  # a key as typed: a pasted paragraph, an escaped control character
            part = printable(part[:37] + "..." if len(part) > 40 else part)
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


dotted = _dotted
