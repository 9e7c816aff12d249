"""Shared helpers: every test builds a real site with the real `mkdocs build` and reads what came out."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "meeting.yaml"
CASES = Path(__file__).parent / "cases"
MKDOCS = Path(sys.executable).with_name("mkdocs")
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT / "tools"))  # the tools that tests run in-process


@dataclass
class Built:
    returncode: int
    output: str
    site: Path

    def html(self, url: str) -> str:
        """The HTML of the page at site-relative `url` ('' for home, 'dc/tinh/')."""
        path = self.site / url
        if url == "" or url.endswith("/"):
            path = path / "index.html"
        return path.read_text(encoding="utf-8")

    def text(self, url: str) -> str:
        return visible_text(self.html(url))

    def pages(self) -> list[Path]:
        return sorted(self.site.rglob("*.html"))


def visible_text(page: str) -> str:
    """Text of the article only, tags removed, entities decoded, white space folded."""
    match = re.search(r"<article[^>]*>(.*)</article>", page, re.S)
    body = match.group(1) if match else page
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body))).strip()


# What a throw-away copy of the project needs to build (node_modules is linked: the licence notices read it).
PROJECT_FILES = ["mkdocs.yml", "hooks", "overrides", "docs", "data", "tools", "LICENSE", "package-lock.json"]


def copy_project(root: Path) -> Path:
    """A copy of the project in `root`, for tests that change its code or break its build."""
    root.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, root / name)
    (root / "node_modules").symlink_to(ROOT / "node_modules")
    return root


def build_site(meeting: Path | str | None, site: Path, *args: str, env: dict | None = None,
               engine: Path = MKDOCS) -> Built:
    """Run the real `mkdocs build` (or `engine build`) on the project with `meeting` as the data file."""
    run_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    if meeting is not None:
        run_env["MEETING_FILE"] = str(meeting)
    result = subprocess.run([str(engine), "build", "--strict", "--site-dir", str(site), *args], cwd=ROOT,
                            env=run_env, capture_output=True, text=True, timeout=600)
    return Built(result.returncode, result.stdout + result.stderr, site)


def write_meeting(path: Path, data: dict) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def load_data(path: Path = DATA) -> dict:
    """The meeting file as plain data (with our loader, so times stay text), for tests to modify."""
    from microsite.source.load import load_yaml

    return load_yaml(path).data


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Built:
    built = build_site(DATA, tmp_path_factory.mktemp("real") / "site")
    assert built.returncode == 0, built.output
    return built


@pytest.fixture(scope="session")
def communes_site(tmp_path_factory) -> Built:
    built = build_site(CASES / "valid" / "communes.yaml", tmp_path_factory.mktemp("communes") / "site")
    assert built.returncode == 0, built.output
    return built


# A meeting with documents and an outcome, built before it starts (MICROSITE_NOW fixes the build's clock).
DOCUMENTS_CASE = CASES / "valid" / "documents.yaml"
BEFORE_DOCUMENTS_MEETING = "2022-03-10T08:00"


@pytest.fixture(scope="session")
def documents_site(tmp_path_factory) -> Built:
    built = build_site(DOCUMENTS_CASE, tmp_path_factory.mktemp("documents") / "site",
                       env={"MICROSITE_NOW": BEFORE_DOCUMENTS_MEETING})
    assert built.returncode == 0, built.output
    return built
