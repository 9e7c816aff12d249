"""Helpers for the browser tests: Debian's Chromium driven by Playwright, the site served locally.

Never a downloaded browser build: every test starts Chromium with tools/chromium.py (Debian's
/usr/bin/chromium, installed by the Makefile) and serves sites with tools/static_server.py. axe-core
comes from node_modules/ (pinned in package-lock.json, installed by the Makefile), so nothing is
fetched at test time.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from chromium import running_chromium  # noqa: E402  (tools/ is not a package)
from static_server import serve  # noqa: E402

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", ROOT / "tests" / "screenshots"))

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}

__all__ = ["AXE", "DESKTOP", "PHONE", "ROOT", "SCREENSHOTS", "Recorder", "axe_violations", "base", "browser",
           "page_urls", "phone_page", "running_chromium", "search", "serve"]


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, for the tests of one module (import this fixture into the module)."""
    with running_chromium() as b:
        yield b


@pytest.fixture(scope="module")
def base(real_site):
    """The real site, served on 127.0.0.1 (import this fixture into the module)."""
    with serve(real_site.site) as url:
        yield url


@contextmanager
def phone_page(browser, base: str):
    """A page at phone size, touch, with a recorder of what went wrong."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    page = context.new_page()
    recorder = Recorder(base)
    recorder.attach(page)
    try:
        yield page, recorder
    finally:
        context.close()


def page_urls(site: Path) -> list[str]:
    """Site-relative URL of every generated page ('' for home, 'dc/tinh/'), 404 page excluded."""
    urls = []
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel == "404.html":
            continue
        urls.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return urls


@dataclass
class Recorder:
    """Everything a page did that a participant would suffer from: errors, failed or foreign requests."""

    base: str
    problems: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        origin = urlsplit(self.base)
        allowed = {(origin.scheme, origin.netloc)}

        def on_request(request) -> None:
            self.requests.append(request.url)
            parts = urlsplit(request.url)
            if parts.scheme in ("data", "blob", "about"):
                return
            if parts.scheme == "file" and origin.scheme == "file":
                return
            if (parts.scheme, parts.netloc) not in allowed:
                self.problems.append(f"request to another host: {request.url}")

        def on_response(response) -> None:
            if response.status >= 400 and not response.url.endswith("/404.html"):
                self.problems.append(f"HTTP {response.status}: {response.url}")

        page.on("request", on_request)
        page.on("response", on_response)
        page.on("requestfailed", lambda r: self.problems.append(f"failed request: {r.url} ({r.failure})"))
        page.on("console", lambda m: m.type in ("error", "warning") and self.problems.append(
            f"console {m.type}: {m.text} ({page.url})"))
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e} ({page.url})"))

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems


def axe_violations(page, context: str | None = None) -> list[dict]:
    """Run the packaged axe-core in the page; return its violations (rules WCAG 2.x A/AA and best practice)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        """async (ctx) => {
            const r = await axe.run(ctx ? document.querySelector(ctx) : document,
                {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
        }""",
        context,
    )
    return result


def describe(violations: list[dict]) -> str:
    return json.dumps(violations, ensure_ascii=False, indent=1)


def search(page, query: str) -> list[tuple[str, str]]:
    """Type `query` as a person would; return (href path, result title) for each result shown."""
    if not page.locator("input.md-search__input").is_visible():
        page.locator("label.md-header__button[for=__search]").click()
    box = page.locator("input.md-search__input")
    box.fill("")
    box.press_sequentially(query, delay=15)
    page.wait_for_function(  # neither preparing the search nor asking to type: the results are in
        """(q) => { const meta = document.querySelector('.md-search-result__meta');
                    return document.querySelector('input.md-search__input').value === q.normalize('NFC')
                      && meta && !/Đang chuẩn bị|Gõ từ cần tìm/.test(meta.textContent); }""", arg=query,
        timeout=10_000)
    page.wait_for_timeout(250)  # results render after the worker answers
    return page.eval_on_selector_all(
        ".md-search-result__list > li > a.md-search-result__link",
        "els => els.map(a => [new URL(a.href).pathname + new URL(a.href).hash,"
        " (a.querySelector('h1, h2') || a).textContent.trim()])")
