"""The meeting file is read by libyaml when PyYAML has it, by PyYAML's Python parser otherwise.

Both must give the same data and the same positions for every case file, or a file would be
accepted (or located) differently on a machine without libyaml; and the fast one must really be
the one used, since a national meeting file takes four times longer to read without it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from conftest import DATA

from microsite import MeetingError
from microsite.source import load
from microsite.source.load import parse_yaml

CASES = Path(__file__).parent / "cases"
FILES = [DATA, *sorted(CASES.glob("*/*.yaml"))]


def read(raw: bytes):
    try:
        loaded = parse_yaml(raw, "data/meeting.yaml")
    except MeetingError as exc:
        return [str(p) for p in exc.problems]
    return loaded.data, loaded.positions, loaded.keys


@pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="PyYAML without libyaml")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_libyaml_and_python_parser_agree(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = path.read_bytes()
    fast = read(raw)
    monkeypatch.setattr(load, "_FastLoader", None)
    assert read(raw) == fast


@pytest.mark.skipif(not getattr(yaml, "__with_libyaml__", False), reason="PyYAML without libyaml")
def test_a_valid_file_is_read_by_libyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def slow(*args, **kwargs):
        raise AssertionError("the Python parser read a valid file")
    monkeypatch.setattr(load._Loader, "compose_node", slow)
    data, _positions, _keys = read(DATA.read_bytes())
    assert data["meeting"]["title"]
