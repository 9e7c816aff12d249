"""A warm build equals a cold one: the cache never serves a file that the code would now make
differently, nor one stamped with the clock of the build that made it. A wording rule the makets use is changed in a copy of the project; the build that
finds the old files in its cache must make the same makets as a build from an empty cache.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from conftest import copy_project

def _build(project: Path, site: Path, cache: Path, dated: dict[str, str] | None = None) -> None:
    """mkdocs build; `dated` replaces SOURCE_DATE_EPOCH (the build's date) with other variables."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update({"NO_MKDOCS_2_WARNING": "1", "MICROSITE_CACHE_DIR": str(cache),
                "SITE_URL": "https://hoinghi.example.vn/", "MEETING_FILE": str(project / "data" / "meeting.yaml")})
    env.update({"SOURCE_DATE_EPOCH": "1632700000"} if dated is None else dated)
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


def _every_file(site: Path) -> dict[str, str]:
    """Every file by path with a hash, but MkDocs' own sitemap: it carries the day of the build, which
    midnight could move between two builds."""
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file() and not p.name.startswith("sitemap.xml")}


def test_a_warm_build_equals_a_cold_one_file_for_file(tmp_path: Path) -> None:
    """Every file, PDFs included, and no SOURCE_DATE_EPOCH (as `make build` runs): the cold build runs
    seconds after the one that filled the cache, so anything stamped with the clock would differ."""
    project = copy_project(tmp_path / "project")
    cache = tmp_path / "cache"
    clock = {"MICROSITE_NOW": "2021-09-27T08:00"}
    _build(project, tmp_path / "first", cache, clock)
    _build(project, tmp_path / "warm", cache, clock)
    _build(project, tmp_path / "cold", tmp_path / "empty-cache", clock)
    warm, cold = _every_file(tmp_path / "warm"), _every_file(tmp_path / "cold")
    assert any(name.endswith(".pdf") for name in warm) and len(warm) > 50
    assert [name for name in warm if warm[name] != cold.get(name)] == [] and warm.keys() == cold.keys()
