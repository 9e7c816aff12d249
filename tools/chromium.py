"""The one way tests and tools start a browser: Debian's Chromium (/usr/bin/chromium), driven by Playwright.

Never a downloaded browser build: Playwright is pointed at the Debian package the Makefile installs.
Playwright passes --no-sandbox itself (its default), which Chromium needs when run as root.

    with running_chromium() as browser:
        page = browser.new_page()
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def launch(playwright: Playwright) -> Browser:
    """Chromium from Debian, started by an already running Playwright."""
    if not Path(CHROMIUM).exists() and not shutil.which(CHROMIUM):
        raise RuntimeError(f"{CHROMIUM} not found: run `make system-deps` (Debian package chromium)")
    return playwright.chromium.launch(executable_path=CHROMIUM)


@contextlib.contextmanager
def running_chromium() -> Iterator[Browser]:
    """Playwright and Chromium for the length of the block, both stopped after it."""
    from playwright.sync_api import sync_playwright  # lazily: a test dependency, heavy to import

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            yield browser
        finally:
            browser.close()
