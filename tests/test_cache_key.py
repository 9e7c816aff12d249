"""A warm build equals a cold one: the cache never serves a file that the code would now make
differently. A wording rule the makets use is changed in a copy of the project; the build that
finds the old files in its cache must make the same makets as a build from an empty cache.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from conftest import copy_project

def _build(project: Path, site: Path, cache: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MICROSITE_CACHE_DIR": str(cache), "SOURCE_DATE_EPOCH": "1632700000",
           "SITE_URL": "https://hoinghi.example.vn/", "MEETING_FILE": str(project / "data" / "meeting.yaml")}
    mkdocs = Path(sys.executable).with_name("mkdocs")
    result = subprocess.run([str(mkdocs), "build", "--strict", "--site-dir", str(site)], cwd=project, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr


def _prints(site: Path) -> dict[str, str]:
    """The print files that carry text (SVG makets, QR codes), by path, with a hash each."""
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in ("maket", "qr") for p in sorted((site / folder).glob("*.svg"))}


def test_changing_a_wording_rule_remakes_the_makets_it_draws(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    cache = tmp_path / "cache"
    _build(project, tmp_path / "before", cache)
    before = _prints(tmp_path / "before")
    assert "HỘI TRƯỜNG" not in (tmp_path / "before" / "maket" / "huong-son.svg").read_text()

    text = project / "hooks" / "microsite" / "text.py"
    rule = 'return name if fold(name).startswith("diem cau") else f"Điểm cầu {name}"'
    assert rule in text.read_text(encoding="utf-8")
    text.write_text(text.read_text(encoding="utf-8").replace(rule, rule.replace("Điểm cầu {name}", "Hội trường {name}")),
                    encoding="utf-8")
    _build(project, tmp_path / "warm", cache)
    _build(project, tmp_path / "cold", tmp_path / "empty-cache")

    warm, cold = _prints(tmp_path / "warm"), _prints(tmp_path / "cold")
    assert warm == cold
    assert "HỘI TRƯỜNG" in (tmp_path / "warm" / "maket" / "huong-son.svg").read_text()
    assert warm != before
