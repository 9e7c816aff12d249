"""HUONG-DAN.md, the organizers' guide: linked from the README, its examples valid, its field
reference current with the model (like the JSON Schema), every field described in Vietnamese;
the comments of data/meeting.yaml in Vietnamese."""

from __future__ import annotations

import re

import pytest
from conftest import DATA, ROOT

from microsite import MeetingError
from microsite.source.fields import Slot
from microsite.source.load import parse_yaml
from microsite.source.model import MeetingFile
from microsite.source.reference import BEGIN, END, replaced

GUIDE = ROOT / "HUONG-DAN.md"
TEXT = GUIDE.read_text(encoding="utf-8")
VIETNAMESE = re.compile("[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I)


def test_the_readme_links_the_guide_in_its_first_lines() -> None:
    head = "\n".join((ROOT / "README.md").read_text(encoding="utf-8").splitlines()[:5])
    assert "(HUONG-DAN.md)" in head


def test_the_field_reference_is_current() -> None:
    assert TEXT.count(BEGIN) == 1 and TEXT.count(END) == 1
    assert replaced(TEXT) == TEXT, "HUONG-DAN.md's field reference is out of date with the model: run `make schema`"


def test_the_reference_lists_every_field_of_every_section() -> None:
    reference = TEXT[TEXT.index(BEGIN):TEXT.index(END)]

    def walk(slot: Slot, path: str) -> None:
        heading = f"### `{path}`" if path else "### Tệp hội nghị"
        assert heading in reference, heading
        section = reference[reference.index(heading):].split("\n### ", 1)[0]
        for name in slot.model.model_fields:
            assert f"| `{name}` |" in section, (path, name)
            child = slot.child(name)
            inner, suffix = (child.item, "[]") if child.item is not None and child.item.model else (child, "")
            if inner.model is not None:
                walk(inner, f"{path}.{name}{suffix}" if path else f"{name}{suffix}")

    walk(Slot(MeetingFile), "")


def test_every_field_is_described_in_vietnamese() -> None:
    seen = set()

    def walk(slot: Slot, path: str) -> None:
        if slot.model is None or slot.model in seen:
            return
        seen.add(slot.model)
        for name in slot.model.model_fields:
            child = slot.child(name)
            assert child.field.description and VIETNAMESE.search(child.field.description), f"{path}.{name}"
            walk(child.item or child, f"{path}.{name}")

    walk(Slot(MeetingFile), "")


@pytest.mark.parametrize("recipe", ["Thêm điểm cầu xã", "Thêm buổi họp và mục chương trình", "Đổi giờ họp",
                                    "Thêm tài liệu", "Gửi maket đi in", "Xuất bản lên máy chủ",
                                    "Làm bản ngoại tuyến"])
def test_every_recipe_is_there(recipe: str) -> None:
    assert f"\n### {recipe}\n" in TEXT


def test_the_publishing_recipe_builds_for_the_address_and_copies_with_rsync() -> None:
    section = TEXT.split("\n### Xuất bản lên máy chủ\n", 1)[1].split("\n### ", 1)[0]
    for needed in ("SITE_URL=https://", "make publish DEST=", "rsync -a --delete site/", "127.0.0.1"):
        assert needed in section, needed


@pytest.mark.parametrize("block", re.findall(r"```yaml\n(.*?)```", TEXT, re.S), ids=lambda b: b.split("\n")[0][:30])
def test_every_example_is_valid_yaml_for_the_build(block: str) -> None:
    try:
        parse_yaml(block.encode(), "HUONG-DAN.md")
    except MeetingError as exc:
        pytest.fail(f"an example of the guide is not valid YAML:\n{block}\n{exc}")


# Words of English prose that Vietnamese text never uses (no "in", "to", "an": Vietnamese words too).
ENGLISH = {"the", "of", "and", "is", "are", "by", "for", "with", "from", "this", "that", "its", "each", "every",
           "here", "as", "or", "be", "it", "at", "on"}


def english_lines(text: str) -> list[str]:
    """Comment lines of a YAML text that read as English: two English words, or none Vietnamese."""
    comments = [line.split("#", 1)[1].strip() for line in text.splitlines()[1:] if line.lstrip().startswith("#")]
    return [c for c in comments if len(c.split()) >= 3 and (
        not VIETNAMESE.search(c) or len([w for w in re.findall(r"[A-Za-z]+", c) if w.lower() in ENGLISH]) >= 2)]


def test_the_meeting_file_is_commented_in_vietnamese() -> None:
    text = DATA.read_text(encoding="utf-8")
    assert "#" in text and english_lines(text) == []
    assert english_lines("x: 1\n# The invitation is sent by the Standing Board of Tỉnh ủy Hà Tĩnh.\n")
