"""In a real browser (Debian's Chromium): the countdown counts in Vietnam time whatever the phone's
zone, and the report form writes the same e-mail as the served page, filled in."""

from __future__ import annotations

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from browser_support import browser, serve  # noqa: F401 (the shared fixture)
from conftest import CASES, DATA, ROOT, Built, build_site
from playwright.sync_api import expect

from microsite import load_meeting
from microsite.views.reports import reports_for

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture(scope="module")
def served(real_site: Built):
    with serve(real_site.site) as base:
        yield base


@pytest.fixture(scope="module")
def instant_site(tmp_path_factory):
    """The site with Material's instant navigation on, served at its own site_url (instant navigation
    only works within the site's origin)."""
    folder = tmp_path_factory.mktemp("instant")
    # The server reads the folder per request: it starts first, as the build needs its address.
    with serve(folder / "site") as base:
        config = folder / "mkdocs.yml"
        config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {ROOT / 'docs'}\n"
                          f"theme:\n  custom_dir: {ROOT / 'overrides'}\n  features: [navigation.instant]\n"
                          f"hooks: [{ROOT / 'hooks' / 'microsite_hooks.py'}]\nwatch: []\n")
        built = build_site(DATA, folder / "site", "-f", str(config), env={"SITE_URL": base})
        assert built.returncode == 0, built.output
        yield base


def statuses(page) -> list[str]:
    return page.locator(".ms-timeline > li[data-at] .ms-status").all_inner_texts()


@pytest.mark.parametrize("zone", ["America/New_York", "Pacific/Kiritimati"])  # behind and ahead of Vietnam
def test_countdown_counts_in_vietnam_time_whatever_the_phone_zone(browser, served, zone: str) -> None:
    context = browser.new_context(timezone_id=zone, locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.clock.install(time=datetime(2021, 9, 28, 8, 0, tzinfo=VN))
    page.goto(served + "moc-thoi-gian/")
    assert statuses(page) == ["Sắp tới · còn 8 giờ", "Còn 1 ngày 3 giờ", "Còn 1 ngày 8 giờ", "Còn 1 ngày 23 giờ",
                              "Còn 1 ngày 23 giờ"]
    assert page.locator(".ms-clock").inner_text() == "Bây giờ là 08h00, thứ Ba, ngày 28/9/2021 (giờ Việt Nam)."
    items = page.locator(".ms-timeline > li[data-at]")
    assert "ms-next" in items.nth(0).get_attribute("class")
    # Eight and a half hours later the registration deadline has passed; the report is next.
    page.clock.fast_forward("08:30:00")
    assert statuses(page)[:2] == ["Đã qua", "Sắp tới · còn 18 giờ 30 phút"]
    assert "ms-past" in items.nth(0).get_attribute("class")
    # The home page marks its own list the same way.
    page.goto(served)
    assert page.locator(".ms-timeline .ms-status").first.inner_text() == "Đã qua"
    assert errors == []
    context.close()


# What a person types into each kind of field: blank lines, spaces and URL characters included.
TYPED = {"number": "45", "lines": "Xã Sơn Tây\n\n  Thị trấn Phố Châu \nA&B?c=d#e%f+g", "text": "Nguyễn Thị Ánh",
         "tel": "0913 294 787", "note": "Đề nghị bố trí\n\n  thêm một micro  "}


@pytest.fixture(scope="module")
def state_site(tmp_path_factory):
    """The two-tier state meeting: its report form has a free-text field besides a list and counts."""
    built = build_site(CASES / "valid" / "state_two_tier.yaml", tmp_path_factory.mktemp("state") / "site")
    assert built.returncode == 0, built.output
    with serve(built.site) as base:
        yield built, base


@pytest.mark.parametrize("which", ["seed", "state"])
def test_report_form_writes_the_email_and_copies_it(browser, served, real_site: Built, state_site, which) -> None:
    if which == "seed":
        m, site, base, key, nth = load_meeting(DATA), real_site, served, "huong-son", 1
    else:
        (site, base), key, nth = state_site, "xa-binh-minh", 0
        m = load_meeting(CASES / "valid" / "state_two_tier.yaml")
    report = reports_for(m, *m.point_by_key[key])[nth]
    assert {f.kind for f in report.fields} >= ({"lines", "number", "text", "tel"} | ({"note"} if which == "state" else set()))
    static_href = html.unescape(re.findall(r'ms-report__send" href="([^"]+)"', site.html(f"dc/{key}/"))[nth])
    context = browser.new_context(timezone_id="America/New_York", viewport={"width": 360, "height": 740},
                                  has_touch=True, is_mobile=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base + f"dc/{key}/")
    block = page.locator(".ms-report").nth(nth)
    send = block.locator(".ms-report__send")
    assert block.locator("form").is_visible()
    assert send.get_attribute("href") == static_href  # the script and the build write the same e-mail
    values = {f.name: TYPED[f.kind] for f in report.fields}
    for f in report.fields:
        block.get_by_label(f.label, exact=True).fill(values[f.name])
    assert send.get_attribute("href") == report.mailto(values)
    area = block.locator(".ms-report__text")
    assert area.input_value() == report.body(values)
    assert area.get_attribute("readonly") is not None
    # Usable at 360 px: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert block.locator("input").first.bounding_box()["width"] > 250
    block.locator(".ms-report__copy").click()
    expect(block.locator(".ms-report__status")).to_have_text("Đã sao chép nội dung thư.")  # the copy is async
    assert page.evaluate("navigator.clipboard.readText()") == report.body(values)
    assert errors == []
    context.close()


def test_scripts_work_after_instant_navigation(browser, instant_site) -> None:
    context = browser.new_context(timezone_id="America/New_York")
    page = context.new_page()
    page.clock.install(time=datetime(2021, 9, 28, 8, 0, tzinfo=VN))
    page.goto(instant_site)
    page.evaluate("window.sameDocument = true")  # survives only if the next page comes without a reload
    page.click("a.md-button[href$='moc-thoi-gian/']")
    page.wait_for_url("**/moc-thoi-gian/")
    # The new content swaps in after the URL changes: wait for the script's mark, do not race it.
    expect(page.locator(".ms-timeline > li[data-at] .ms-status").first).to_have_text("Sắp tới · còn 8 giờ")
    assert page.evaluate("window.sameDocument") is True
    page.click(".md-nav--primary a[href$='diem-cau/']")
    page.wait_for_url("**/diem-cau/")
    page.click("a[href$='dc/huong-son/']")
    page.wait_for_url("**/dc/huong-son/")
    assert page.evaluate("window.sameDocument") is True
    expect(page.locator(".ms-report form").first).to_be_visible()  # the page swaps in after the URL
    context.close()


def test_without_javascript_the_template_and_link_are_there(browser, served, real_site: Built) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(served + "dc/huong-son/")
    block = page.locator(".ms-report").nth(1)
    assert not block.locator("form").is_visible() and not block.locator(".ms-report__copy").is_visible()
    assert block.locator(".ms-report__text").input_value().startswith("Kính gửi: Ban Tuyên giáo Tỉnh ủy.\n")
    assert block.locator(".ms-report__send").is_visible()
    page.goto(served + "moc-thoi-gian/")
    assert page.locator(".ms-status").count() == 0 and not page.locator(".ms-clock").is_visible()
    context.close()
