"""Write what is generated from the model (`make schema`): data/meeting.schema.json, and the field
reference in HUONG-DAN.md (between its BEGIN and END lines). `--check` only compares."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from microsite.source.reference import replaced  # noqa: E402
from microsite.source.schema import json_schema  # noqa: E402

SCHEMA = ROOT / "data" / "meeting.schema.json"
GUIDE = ROOT / "HUONG-DAN.md"


def main(argv: list[str]) -> int:
    stale = []
    for target, make in ((SCHEMA, lambda text: json_schema()), (GUIDE, replaced)):
        current = target.read_text(encoding="utf-8") if target.exists() else None
        text = make(current)
        if current == text:
            continue
        stale.append(target.relative_to(ROOT))
        if "--check" not in argv:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(ROOT)}")
    if "--check" in argv and stale:
        print(f"{', '.join(map(str, stale))} out of date: run `make schema`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
