"""`make serve` rebuilds only what changed (`mkdocs serve --dirty` and the adapter's own record of
what it wrote), and what it serves then equals a clean build of the edited meeting.

The serve loop is run as MkDocs runs it, in one process: `on_startup(command="serve", dirty=True)`,
then a dirty build, an edit of one point's place, a reload of the configuration and a second dirty
build into the same folder.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import DATA, ROOT, build_site

SCRIPT = """
import json, os, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

site, meeting = sys.argv[1], Path(sys.argv[2])

def dirty_build():
    config = load_config("mkdocs.yml", site_dir=site)
    config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)

def stamps():
    return {str(p.relative_to(site)): p.stat().st_mtime_ns for p in Path(site).rglob("*.html")}

dirty_build()
before = stamps()
text = meeting.read_text(encoding="utf-8")
meeting.write_text(text.replace(sys.argv[3], sys.argv[4], 1), encoding="utf-8")
dirty_build()
after = stamps()
print(json.dumps(sorted(name for name in after if before.get(name) != after[name])))
"""

OLD_PLACE = "Hội trường Huyện ủy Hương Sơn"


def test_an_edit_rewrites_its_pages_only_and_the_result_equals_a_clean_build(tmp_path: Path) -> None:
    meeting = tmp_path / "meeting.yaml"
    text = DATA.read_text(encoding="utf-8")
    assert OLD_PLACE not in text
    # The seed gives Hương Sơn no place: give it one to edit, beside its name.
    text = text.replace("{slug: huong-son, name: Huyện ủy Hương Sơn}", f"{{slug: huong-son, name: Huyện ủy Hương Sơn, place: {OLD_PLACE}}}", 1)
    assert OLD_PLACE in text
    meeting.write_text(text, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MEETING_FILE": str(meeting), "SITE_URL": "https://hoinghi.example.vn/",
           "SOURCE_DATE_EPOCH": "1632700000", "MICROSITE_NOW": "2021-09-20T08:00"}
    served = tmp_path / "served"
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(served), str(meeting), OLD_PLACE, "Hội trường mới"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    rewritten = set(json.loads(result.stdout.splitlines()[-1]))
    # The point's page, and the pages that list its place (the index, the makets page), and the theme's own.
    assert "dc/huong-son/index.html" in rewritten
    assert "diem-cau/index.html" in rewritten
    assert not {"dc/tinh/index.html", "chuong-trinh/index.html", "nhiem-vu/index.html", "dc/can-loc/index.html"} & rewritten
    assert len(rewritten) < 8, rewritten

    clean = build_site(meeting, tmp_path / "clean", env=env)
    assert clean.returncode == 0, clean.output
    pages = sorted(str(p.relative_to(clean.site)) for p in clean.site.rglob("*.html"))
    assert pages == sorted(str(p.relative_to(served)) for p in served.rglob("*.html"))
    for name in pages:
        assert (served / name).read_bytes() == (clean.site / name).read_bytes(), name
    assert "Hội trường mới" in (served / "dc" / "huong-son" / "index.html").read_text(encoding="utf-8")
    index = [json.loads((folder / "search" / "search_index.json").read_text(encoding="utf-8")) for folder in (served, clean.site)]
    assert sorted(map(json.dumps, index[0]["docs"])) == sorted(map(json.dumps, index[1]["docs"]))
