"""Read data/meeting.yaml into plain Python data, remembering where every value stood.

PyYAML's own constructors lose positions, accept duplicate keys silently, read `07:30` as the
integer 450 (YAML 1.1 base 60) and `no` as False. Organizers type exactly those things, so we
compose the node tree with PyYAML and build the data ourselves with a small, strict resolver.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import MeetingError, Problem

# A real national meeting (10,600 communes) is about 2 MB; anything far larger is a mistake.
MAX_BYTES = 10 * 1024 * 1024
# Aliases can make a tiny file expand exponentially ("billion laughs"); bound the expansion.
MAX_NODES = 2_000_000

Path_ = tuple[str | int, ...]

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$")
# C0/C1 control characters other than tab and newline never belong in meeting text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


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
        raw = path.read_bytes()
    except OSError as exc:
        raise MeetingError([Problem(display, 1, 1, "", f"cannot read the file: {exc.strerror}")]) from None
    return parse_yaml(raw, display)


def parse_yaml(raw: bytes, display: str) -> Loaded:
    def fail(line: int, col: int, msg: str) -> MeetingError:
        return MeetingError([Problem(display, line, col, "", msg)])

    if len(raw) > MAX_BYTES:
        raise fail(1, 1, f"the file is {len(raw) / 1e6:.1f} MB; a meeting file may be at most {MAX_BYTES // 2**20} MB")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise fail(line, col, "the file is not valid UTF-8 text; save it as UTF-8") from None
    text = text.removeprefix("\ufeff")
    bad = _CONTROL.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        col = bad.start() - (text.rfind("\n", 0, bad.start()) + 1) + 1
        raise fail(line, col, f"control character U+{ord(bad.group()):04X} is not allowed (pasted from another program?)")
    try:
        root = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(p for p in (exc.context, exc.problem) if p)
        if "'\\t'" in what:
            what = "a tab character here; indent YAML with spaces only"
        raise fail(line, col, f"YAML syntax: {what}") from None
    except yaml.YAMLError as exc:  # reader errors (odd characters) carry no mark
        raise fail(1, 1, f"YAML syntax: {exc}") from None
    except RecursionError:
        raise fail(1, 1, "YAML nesting is too deep") from None
    if root is None:
        raise fail(1, 1, "the file is empty")
    builder = _Builder(display)
    try:
        data = builder.build(root, ())
    except RecursionError:
        raise fail(1, 1, "YAML nesting (or an alias loop) is too deep") from None
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
            self._problem(node, loc, "the file expands to too many values (aliases used to inflate it?)")
            raise MeetingError(self.problems)
        self.positions[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self._problem(node, loc, f"unsupported tag {node.tag}")
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, loc)

    def _mapping(self, node: yaml.MappingNode, loc: Path_) -> dict[str, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            self._problem(node, loc, f"unsupported tag {node.tag}")
        out: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self._problem(key_node, loc, "merge keys (<<) are not supported; write the fields out")
                continue
            key = self._scalar(key_node, loc) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self._problem(key_node, loc, "a key must be plain text")
                continue
            if key in first_seen:
                self._problem(key_node, (*loc, key), f"duplicate key '{key}' (first given on line {first_seen[key]})")
                continue
            first_seen[key] = key_node.start_mark.line + 1
            self.keys[(*loc, key)] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            out[key] = self.build(value_node, (*loc, key))
        return out

    def _scalar(self, node: yaml.ScalarNode, loc: Path_) -> Any:
        value, tag = node.value, node.tag
        if tag == _STR:
            if node.style:  # quoted or block text is always text (plain is None, or '' from libyaml)
                return unicodedata.normalize("NFC", value)
            tag = _resolve(value)
        if tag == _STR:
            # Dates, times, yes/no and 07:30 stay text here; the model parses them strictly.
            return unicodedata.normalize("NFC", value)
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
            self._problem(node, loc, f"'{value}' does not fit its tag {tag}")
            return None
        self._problem(node, loc, f"unsupported tag {tag}")
        return None


_STR, _NULL_TAG, _BOOL_TAG, _INT_TAG, _FLOAT_TAG = (
    f"tag:yaml.org,2002:{t}" for t in ("str", "null", "bool", "int", "float"))


def _resolve(plain: str) -> str:
    """The tag of an untagged plain scalar, by YAML 1.2 core rules (no base 60, no yes/no)."""
    for pattern, tag in ((_NULL, _NULL_TAG), (_BOOL, _BOOL_TAG), (_INT, _INT_TAG), (_FLOAT, _FLOAT_TAG)):
        if pattern.match(plain):
            return tag
    return _STR


class _Loader(yaml.SafeLoader):
    """SafeLoader that leaves every plain scalar untyped, so `_resolve` alone decides."""


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


def _dotted(loc: Path_) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


dotted = _dotted
