"""The offline bundle (`make offline`): unzipped on a laptop with no network, opened from file://."""

from __future__ import annotations

import os
import stat
import subprocess
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser_support import PHONE, Recorder, running_chromium
from conftest import DATA
from offline import FOLDER, build_offline


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("offline")
    umask = os.umask(0o077)  # built from a shell that keeps its files private: the bundle is not
    try:
        archive = build_offline(tmp / "dist" / "bundle.zip", meeting=DATA)
    finally:
        os.umask(umask)
    with zipfile.ZipFile(archive) as z:
        z.extractall(tmp / "unzipped")
    return tmp / "unzipped" / FOLDER


@pytest.fixture(scope="module")
def offline_page(bundle):
    """A browser with the network cut: every http(s) request is aborted, the context is offline."""
    with running_chromium() as browser:
        context = browser.new_context(viewport=PHONE, offline=True)
        context.route("http://**/*", lambda route: route.abort())
        context.route("https://**/*", lambda route: route.abort())
        page = context.new_page()
        recorder = Recorder(bundle.as_uri() + "/")
        recorder.attach(page)
        yield page, recorder


def test_bundle_holds_the_site_and_the_offline_search(bundle):
    assert (bundle / "index.html").is_file()
    assert (bundle / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index = {")
    assert (bundle / "assets" / "javascripts" / "iframe-worker.js").is_file()
    assert not list(bundle.rglob("*.map"))
    # file:// has no directory index: every link must name its .html file.
    assert (bundle / "dc" / "tinh.html").is_file() and not (bundle / "dc" / "tinh").exists()


def test_every_page_opens_from_file_with_no_network(offline_page, bundle):
    page, recorder = offline_page
    files = [path for path in sorted(bundle.rglob("*.html")) if path.name != "404.html"]
    assert len(files) >= 8
    broken = {}
    for path in files:
        url = path.relative_to(bundle).as_posix()
        page.goto(path.as_uri(), wait_until="load")
        assert page.locator("article h1").count() == 1, url
        targets = page.eval_on_selector_all("article a[href], .md-nav a[href]", "els => els.map(a => a.href)")
        for target in targets:
            parts = urlsplit(target)
            if parts.scheme == "file" and not Path(unquote(parts.path)).is_file():
                broken.setdefault(url, []).append(target)
    assert not broken, broken
    assert not recorder.take()
    assert all(r.startswith(("file:", "data:", "about:", "blob:")) for r in recorder.requests), \
        [r for r in recorder.requests if not r.startswith("file:")]


def test_navigate_and_search_from_file(offline_page, bundle):
    page, recorder = offline_page
    page.goto((bundle / "index.html").as_uri(), wait_until="load")
    page.locator("article a[href$='diem-cau/index.html']").first.click()
    assert page.url.endswith("/diem-cau/index.html")
    page.locator("article a[href$='dc/huong-son.html']").click()
    assert page.url.endswith("/dc/huong-son.html")
    assert "Huyện ủy Hương Sơn" in page.locator("article h1").inner_text()

    page.locator("label.md-header__button[for=__search]").click()
    page.locator("input.md-search__input").press_sequentially("ky anh", delay=15)
    first = page.locator(".md-search-result__list > li > a.md-search-result__link").first
    first.wait_for(timeout=10_000)
    assert urlsplit(first.get_attribute("href")).path.endswith("/dc/thi-xa-ky-anh.html")
    first.click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path.endswith("/dc/thi-xa-ky-anh.html")
    assert not recorder.take()


def test_bundle_unzips_readable_by_all_whatever_the_umask(bundle, tmp_path):
    archive = bundle.parents[1] / "dist" / "bundle.zip"
    assert stat.S_IMODE(archive.stat().st_mode) == 0o644
    # Info-ZIP's unzip, as on a laptop, from a shell with umask 077: modes come from the archive.
    subprocess.run(["unzip", "-q", str(archive), "-d", str(tmp_path / "out")], check=True, umask=0o077)
    unpacked = tmp_path / "out" / FOLDER
    paths = [unpacked, *unpacked.rglob("*")]
    assert len(paths) > 50
    wrong = [(str(p), oct(stat.S_IMODE(p.stat().st_mode))) for p in paths
             if stat.S_IMODE(p.stat().st_mode) != (0o755 if p.is_dir() else 0o644)]
    assert wrong == []


def test_search_ranks_by_what_was_typed_offline_too(offline_page, bundle):
    """The search runs in the iframe-worker shim here, not a Worker: its results pass through the same
    ranking (docs/assets/search-on-demand.js) and show no struck-through missing words."""
    page, recorder = offline_page
    page.goto((bundle / "index.html").as_uri(), wait_until="load")
    page.locator("label.md-header__button[for=__search]").click()
    page.locator("input.md-search__input").press_sequentially("dang van hung", delay=15)
    first = page.locator(".md-search-result__list > li").first
    first.wait_for(timeout=10_000)
    page.wait_for_timeout(250)
    assert "Đặng Văn Hùng" in first.inner_text(), first.inner_text()[:200]
    assert page.locator(".md-search-result__terms").count() == 0
    assert not recorder.take()
