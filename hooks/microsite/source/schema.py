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

from .model import MeetingFile

# pydantic says `format: time` / `date-time`, which editors check as RFC 3339 (seconds and an
# offset required) and so would flag the `07:30` and `2021-09-28 16:00` that the model wants.
_FORMATS = {
    "time": {"pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
             "description": "Local time, HH:MM (e.g. 07:30)"},
    "date-time": {"pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
                  "description": "Local date and time, YYYY-MM-DD HH:MM (e.g. 2021-09-28 16:00)"},
    "date": {"pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", "description": "Date, YYYY-MM-DD (e.g. 2021-09-30)"},
}


def _editor_friendly(node: Any) -> Any:
    if isinstance(node, dict):
        node = {k: _editor_friendly(v) for k, v in node.items()}
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
        "title": "Meeting file (data/meeting.yaml)",
    }
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"
