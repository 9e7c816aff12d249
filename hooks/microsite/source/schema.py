"""JSON Schema of the meeting file, for editors: completion and live checks while organizers type.

`data/meeting.yaml` names it on its first line (`# yaml-language-server: $schema=...`), which the
YAML extensions of VS Code, JetBrains IDEs, Neovim and others understand. It is generated from the
model, so it cannot drift from what the build accepts; `make schema` rewrites it and a test fails
when the committed copy is out of date. The model stays the authority: cross-references (an
agency id that exists, unique slugs) are checked at build time only.
"""

from __future__ import annotations

import json
from typing import Any

from .kinds import DATE, DATETIME, TIME
from .model import MeetingFile
from .written import PATTERNS, how

# pydantic says `format: time` / `date-time`, which editors check as RFC 3339 (seconds and an
# offset required) and so would flag the `07h30` and `16h ngày 28/9/2021` that the model reads.
# The patterns are the model's own (source/written.py), so editors accept what the build accepts.
_FORMATS = {
    fmt: {"pattern": PATTERNS[kind], "description": f"{kind.name[0].upper()}{kind.name[1:]}, {how(kind)}"}
    for fmt, kind in (("time", TIME), ("date-time", DATETIME), ("date", DATE))
}


def _editor_friendly(node: Any) -> Any:
    if isinstance(node, dict):
        node = {k: _editor_friendly(v) for k, v in node.items()}
        if "properties" in node:  # a class's docstring, for developers; the fields speak Vietnamese
            node.pop("description", None)
        fmt = node.get("format")
        if node.get("type") == "string" and fmt in _FORMATS:
            del node["format"]
            node.update({k: v for k, v in _FORMATS[fmt].items() if k not in node})
        return node
    if isinstance(node, list):
        return [_editor_friendly(v) for v in node]
    return node


def json_schema() -> str:
    """The schema as committed at data/meeting.schema.json (stable text, so diffs stay readable)."""
    schema = _editor_friendly(MeetingFile.model_json_schema(mode="validation"))
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": "Generated from hooks/microsite/model.py by `make schema`; do not edit by hand.",
        **schema,
        "title": "Tệp hội nghị (data/meeting.yaml)",
        "description": "Thông tin hội nghị mà trang web công bố; cách viết từng mục: HUONG-DAN.md",
    }
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
