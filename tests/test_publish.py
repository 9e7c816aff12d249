"""Publishing: what `make build` writes can be served by a web server running as another user
(nginx's workers as `nobody`), whatever the umask of the shell that built it; the cached QR codes,
makets and calendars are hard links into the cache, or copies where it lies on another file
system; `make publish` copies the site with rsync and refuses one built for this machine only.
"""

from __future__ import annotations

import errno
import hashlib
import http.client
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from conftest import DATA, ROOT, build_site
from nginx_local import running

BUILD = ROOT / "tools" / "build.py"
PUBLISH = ROOT / "tools" / "publish.py"
PUBLIC = "https://hoinghi.example.vn/"
CACHED = ("qr", "maket", "lich")  # folders of the site filled from the cache (and assets/og.png)


def cached_files(site: Path) -> list[Path]:
    """The site's files that come from the cache: all of those folders' files but their pages."""
    return [p for folder in CACHED for p in (site / folder).rglob("*") if p.is_file() and p.suffix != ".html"]


def modes(folder: Path) -> dict[str, str]:
    """Every file and folder under `folder` (itself included) with its permission bits."""
    return {str(p.relative_to(folder)): oct(stat.S_IMODE(p.lstat().st_mode)) for p in [folder, *folder.rglob("*")]}


def run(tool: Path, site: Path, cache: Path, *args: str, umask: int = 0o077, **env: str | None):
    """Run a tool as `make` would, from a shell with `umask`; an `env` value of None unsets it.
    The seed is built from a copy beside the site: a published build writes its change log beside
    the meeting file, and data/thay-doi.yaml is the repository's."""
    meeting = site.parent / "data" / "meeting.yaml"
    if not meeting.exists():
        meeting.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DATA, meeting)
    full = {**os.environ, "SITE_DIR": str(site), "MICROSITE_CACHE_DIR": str(cache), "MEETING_FILE": str(meeting),
            "SOURCE_DATE_EPOCH": "1632700000", **env}
    return subprocess.run([sys.executable, str(tool), *args], env={k: v for k, v in full.items() if v is not None},
                          capture_output=True, text=True, timeout=300, umask=umask)


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    """A web root nginx's workers may enter (as /srv is), with a site built there by `make build`
    under umask 077; the cache stays in a folder private to root, as .cache/ may be."""
    root = Path(tempfile.mkdtemp(prefix="publish-test-"))
    root.chmod(0o755)
    cache = tmp_path_factory.mktemp("cache")
    try:
        result = run(BUILD, root / "site", cache)
        assert result.returncode == 0, result.stderr
        yield root, root / "site", cache
    finally:
        shutil.rmtree(root, ignore_errors=True)


def test_every_folder_and_file_of_the_site_is_public_whatever_the_umask(host) -> None:
    _, site, _ = host
    found = modes(site)
    assert len(found) > 100
    wrong = {path: mode for path, mode in found.items()
             if mode != (oct(0o755) if (site / path).is_dir() else oct(0o644))}
    assert wrong == {}


def test_a_failed_build_leaves_the_site_public(host, tmp_path: Path) -> None:
    root, site, cache = host
    before = modes(site)
    broken = tmp_path / "meeting.yaml"
    broken.write_text(DATA.read_text(encoding="utf-8").replace("meeting:", "meeting: [", 1), encoding="utf-8")
    result = run(BUILD, site, cache, MEETING_FILE=str(broken))
    assert result.returncode != 0 and "vẫn giữ nguyên như trước" in result.stderr
    assert modes(site) == before
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == []


def test_cached_files_are_hard_links_into_the_cache(host) -> None:
    _, site, cache = host
    entries = {p.stat().st_ino for p in cache.rglob("*") if p.is_file()}
    cached = [*cached_files(site), site / "assets" / "og.png"]
    assert len(cached) > 50
    assert [str(p.relative_to(site)) for p in cached if p.stat().st_ino not in entries or p.stat().st_nlink < 2] == []
    assert (site / "index.html").stat().st_nlink == 1  # the pages are MkDocs' own files


def test_cached_files_are_copied_when_the_cache_is_on_another_file_system(tmp_path: Path) -> None:
    if not os.path.isdir("/dev/shm"):
        pytest.skip("no /dev/shm here to hold a cache on another file system")
    cache = Path(tempfile.mkdtemp(prefix="microsite-cache-", dir="/dev/shm"))
    try:
        if cache.stat().st_dev == tmp_path.stat().st_dev:
            pytest.skip("/dev/shm is on the same file system as the site")
        built = build_site(DATA, tmp_path / "site", env={"MICROSITE_CACHE_DIR": str(cache)})
        assert built.returncode == 0, built.output
        digests = {hashlib.sha256(p.read_bytes()).hexdigest() for p in cache.rglob("*") if p.is_file()}
        cached = cached_files(built.site)
        assert len(cached) > 50
        assert [p.name for p in cached if p.stat().st_nlink != 1] == []
        assert [p.name for p in cached if hashlib.sha256(p.read_bytes()).hexdigest() not in digests] == []
    finally:
        shutil.rmtree(cache, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# The adapter's link, alone: it never writes into a cache entry
# ---------------------------------------------------------------------------------------------


def link_cached(entry: Path, site: Path) -> None:
    from microsite_hooks import _link_cached

    _link_cached(site, [("qr/a.svg", str(entry))])


def test_a_link_replaces_the_previous_one_and_leaves_its_entry(tmp_path: Path) -> None:
    old, new = tmp_path / "old.svg", tmp_path / "new.svg"
    old.write_bytes(b"old")
    new.write_bytes(b"new")
    (tmp_path / "site" / "qr").mkdir(parents=True)
    os.link(old, tmp_path / "site" / "qr" / "a.svg")  # left by an earlier build into the same folder
    link_cached(new, tmp_path / "site")
    dest = tmp_path / "site" / "qr" / "a.svg"
    assert dest.stat().st_ino == new.stat().st_ino and old.read_bytes() == b"old"


def test_where_links_are_refused_the_file_is_copied_never_into_an_entry(tmp_path: Path, monkeypatch) -> None:
    import microsite_hooks

    old, new = tmp_path / "old.svg", tmp_path / "new.svg"
    old.write_bytes(b"old")
    new.write_bytes(b"new")
    (tmp_path / "site" / "qr").mkdir(parents=True)
    os.link(old, tmp_path / "site" / "qr" / "a.svg")

    def refuse(src, dst):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(microsite_hooks.os, "link", refuse)
    link_cached(new, tmp_path / "site")
    dest = tmp_path / "site" / "qr" / "a.svg"
    assert dest.read_bytes() == b"new" and dest.stat().st_nlink == 1
    assert old.read_bytes() == b"old"


# ---------------------------------------------------------------------------------------------
# nginx with its workers as nobody
# ---------------------------------------------------------------------------------------------


def test_nginx_workers_as_nobody_get_every_page_and_file(host) -> None:
    if os.geteuid() != 0:
        pytest.skip("nginx must start as root to run its workers as nobody")
    root, site, _ = host
    files = sorted(p for p in site.rglob("*") if p.is_file())
    urls = ["/" + str(p.relative_to(site)) for p in files]
    urls += ["/" + str(p.parent.relative_to(site)).removeprefix(".") + "/" for p in files if p.name == "index.html"]
    urls = [u.replace("//", "/") for u in urls]
    # Control: a file only root may read is refused, so the workers are not root.
    private = site / "private-probe.txt"
    private.write_text("root only")
    private.chmod(0o600)
    try:
        with running(root, site, user="nobody nogroup") as (port, _):
            status = {}
            for url in [*urls, "/private-probe.txt"]:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                conn.request("GET", url)
                status[url] = conn.getresponse().status
                conn.close()
    finally:
        private.unlink()
    assert status.pop("/private-probe.txt") in (403, 404)
    assert "private-probe.txt\" failed (13: Permission denied)" in (root / "error.log").read_text()
    assert len([u for u in status if u.endswith("/")]) >= 10
    assert {u: s for u, s in status.items() if s != 200} == {}


# ---------------------------------------------------------------------------------------------
# make publish
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("site_url", [None, "http://127.0.0.1:8000/", "http://localhost/"])
def test_publish_refuses_a_site_for_this_machine_only(tmp_path: Path, site_url: str | None) -> None:
    result = run(PUBLISH, tmp_path / "site", tmp_path / "cache", str(tmp_path / "www"), SITE_URL=site_url)
    assert result.returncode != 0
    assert ("Chưa đặt địa chỉ xuất bản SITE_URL" if not site_url else "chỉ mở được trên chính máy này") in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists() and not (tmp_path / "www").exists()


def test_publish_refuses_a_folder_that_is_not_a_site(tmp_path: Path) -> None:
    www = tmp_path / "www"
    www.mkdir()
    (www / "notes.txt").write_text("not a site")
    result = run(PUBLISH, tmp_path / "site", tmp_path / "cache", str(www), SITE_URL=PUBLIC)
    assert result.returncode != 0 and "không có index.html" in result.stderr
    assert [p.name for p in www.iterdir()] == ["notes.txt"]
    result = run(PUBLISH, tmp_path / "site", tmp_path / "cache", SITE_URL=PUBLIC)
    assert result.returncode != 0 and "Thiếu nơi xuất bản DEST" in result.stderr


def test_publish_copies_the_site_and_removes_what_it_no_longer_has(host, tmp_path: Path) -> None:
    if not shutil.which("rsync"):
        pytest.fail("rsync is missing: `make test` installs it (Debian package rsync)")
    _, _, cache = host
    www = tmp_path / "www"
    www.mkdir()
    (www / "index.html").write_text("previous site")
    (www / "dc" / "xa-cu").mkdir(parents=True)
    (www / "dc" / "xa-cu" / "index.html").write_text("a point since removed")
    result = run(PUBLISH, tmp_path / "site", cache, str(www), SITE_URL=PUBLIC)
    assert result.returncode == 0, result.stderr
    site = tmp_path / "site"
    assert f'<link rel="canonical" href="{PUBLIC}">' in (www / "index.html").read_text(encoding="utf-8")
    assert not (www / "dc" / "xa-cu").exists()
    published = {p.relative_to(www): p.read_bytes() for p in www.rglob("*") if p.is_file()}
    assert published == {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert modes(www) == modes(site) and set(modes(www).values()) == {oct(0o755), oct(0o644)}
