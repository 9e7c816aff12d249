"""`make build` (tools/build.py): a build that fails at any point leaves the published site/ byte
for byte as it was, and no half-built folder behind.

Faults are injected into a throw-away copy of the project (a broken template, a hook that raises,
a file-size limit that makes writes fail like a full disk, a SIGTERM mid-build), never into the
real one, and never through switches in the production code.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import DATA, ROOT, copy_project

sys.path.insert(0, str(ROOT / "tools"))
import build as build_tool  # noqa: E402



def tree(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder`, with the content hash of each file."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(folder.rglob("*"))}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project with a published site/ in it, built once for the module."""
    root = copy_project(tmp_path_factory.mktemp("project"))
    result = run_build(root)
    assert result.returncode == 0, result.stderr
    return root


def run_build(root: Path, **popen) -> subprocess.CompletedProcess:
    # A fixed revision time: the calendars' SEQUENCE follows the meeting file's mtime, which the
    # fixture changes when it restores the sources.
    env = {**os.environ, "SITE_DIR": str(root / "site"), "MEETING_FILE": str(root / "data" / "meeting.yaml"),
           "SOURCE_DATE_EPOCH": "1632700000"}
    return subprocess.run([sys.executable, str(root / "tools" / "build.py")], env=env, capture_output=True,
                          text=True, timeout=300, **popen)


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith(".site"))


@pytest.fixture
def published(project: Path):
    """The site before the test; after it, the copy's sources are restored."""
    saved = {p: p.read_bytes() for name in ("hooks", "overrides", "data") for p in (project / name).rglob("*")
             if p.is_file()}
    before = tree(project / "site")
    assert "index.html" in before and "dc/tinh/index.html" in before
    yield before
    for path, content in saved.items():
        path.write_bytes(content)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def assert_failed_cleanly(project: Path, before: dict, result: subprocess.CompletedProcess) -> None:
    assert result.returncode != 0, result.stderr
    assert "vẫn giữ nguyên như trước" in result.stderr, result.stderr
    assert tree(project / "site") == before
    assert leftovers(project) == [], "staging folders must be removed"


def test_yaml_error(project: Path, published: dict) -> None:
    data = project / "data" / "meeting.yaml"
    line = data.read_text(encoding="utf-8").splitlines().index('      start: "07:30"') + 1
    edit(data, "start: \"07:30\"", "start: \"7h5\"")  # 07h05 or 07h50?
    assert_failed_cleanly(project, published, result := run_build(project))
    assert f"data/meeting.yaml:{line}:14: meeting.sessions[0].start:" in result.stderr


def test_error_in_a_page_template(project: Path, published: dict) -> None:
    edit(project / "hooks" / "microsite" / "render" / "templates" / "point.html.j2", "{{ tier.name }}", "{{ tier.no_such_field }}")
    assert_failed_cleanly(project, published, result := run_build(project))
    assert "no_such_field" in result.stderr


def test_error_in_the_theme_while_pages_are_written(project: Path, published: dict) -> None:
    # The theme renders page by page into the output folder: this fails half-way through writing.
    edit(project / "overrides" / "main.html", "{% block htmltitle %}",
         "{% block htmltitle %}{% if page.file.src_uri == 'dc/tinh.md' %}{{ none_such.attribute }}{% endif %}")
    assert_failed_cleanly(project, published, run_build(project))


def test_exception_in_a_generated_file(project: Path, published: dict) -> None:
    # What a QR code, maket or calendar that fails to render looks like to the build.
    edit(project / "hooks" / "microsite" / "build.py", "    ics, event_states = calendars(m, options, relations)",
         '    raise RuntimeError("QR code failed")')
    assert_failed_cleanly(project, published, result := run_build(project))
    assert "QR code failed" in result.stderr


def test_exception_in_a_hook_after_everything_was_written(project: Path, published: dict) -> None:
    with (project / "hooks" / "microsite_hooks.py").open("a", encoding="utf-8") as f:
        f.write("\n\ndef on_post_build(config):\n    raise RuntimeError('post-build failed')\n")
    assert_failed_cleanly(project, published, result := run_build(project))
    assert "post-build failed" in result.stderr


def test_disk_full(project: Path, published: dict) -> None:
    """RLIMIT_FSIZE makes every write past 64 KB fail with EFBIG, as ENOSPC would on a full disk."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, resource.RLIM_INFINITY))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    assert_failed_cleanly(project, published, result := run_build(project, preexec_fn=limit))
    assert "File too large" in result.stderr


def test_killed_mid_build(project: Path, published: dict) -> None:
    env = {**os.environ, "SITE_DIR": str(project / "site"), "MEETING_FILE": str(project / "data" / "meeting.yaml")}
    proc = subprocess.Popen([sys.executable, str(project / "tools" / "build.py")], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not any(p.is_dir() and any(p.rglob("*.html")) for p in project.glob(".site.new-*")):
        assert proc.poll() is None and time.monotonic() < deadline, "the build ended before it could be stopped"
        time.sleep(0.02)
    proc.send_signal(signal.SIGTERM)  # what systemd, CI or a closed terminal sends
    _, stderr = proc.communicate(timeout=60)
    assert_failed_cleanly(project, published, subprocess.CompletedProcess(proc.args, proc.returncode, "", stderr))


def test_leftovers_of_a_killed_build_are_removed_by_the_next(project: Path, published: dict) -> None:
    for name in (".site.new-abc123", ".site.old"):
        (project / name / "assets").mkdir(parents=True)
        (project / name / "index.html").write_text("stale")
    result = run_build(project)
    assert result.returncode == 0, result.stderr
    assert leftovers(project) == []
    assert tree(project / "site") == published  # same sources, same site


def test_swap_never_leaves_the_site_missing(tmp_path: Path) -> None:
    """A reader polling site/index.html while the site is swapped 300 times never misses it."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("0")
    missing, stop = [], threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                (site / "index.html").read_text()
            except FileNotFoundError:
                missing.append(time.monotonic())

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(300):
            new = tmp_path / f".site.new-{i}"
            new.mkdir()
            (new / "index.html").write_text(str(i))
            build_tool._swap(new, site)
            shutil.rmtree(new)
    finally:
        stop.set()
        thread.join()
    assert (site / "index.html").read_text() == "299"
    assert missing == [], f"site/index.html was missing {len(missing)} times"


def test_swap_falls_back_to_two_renames(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(build_tool, "_exchange", lambda a, b: False)
    site, new = tmp_path / "site", tmp_path / ".site.new-x"
    for folder, text in ((site, "old"), (new, "new")):
        folder.mkdir()
        (folder / "index.html").write_text(text)
    build_tool._swap(new, site)
    assert (site / "index.html").read_text() == "new"
    assert (new / "index.html").read_text() == "old"  # the caller removes it
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.new-x", "site"]


def test_first_build_without_a_previous_site(tmp_path: Path) -> None:
    site, new = tmp_path / "site", tmp_path / ".site.new-x"
    new.mkdir()
    (new / "index.html").write_text("new")
    build_tool._swap(new, site)
    assert (site / "index.html").read_text() == "new" and not new.exists()


assert DATA.exists()
