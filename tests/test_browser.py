"""Acceptance in a real browser (Debian's Chromium via Playwright): what a participant on a phone gets.

Every generated page is visited once at phone size (360x740) and what matters is recorded: errors,
failed or foreign requests, horizontal scrolling, text size, headings, images, call and mail links,
axe-core's findings. The tests below judge those records, so pages added later (timeline, documents,
makets) are covered without changing this file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from browser_support import (DESKTOP, PHONE, SCREENSHOTS, Recorder, axe_violations, base, browser,  # noqa: F401
                             describe, page_urls, phone_page, search)



# Pages of one kind share a template: axe-core checks two of each, not thousands of point pages.
SAMPLES_PER_FOLDER = 2


@dataclass
class Visit:
    url: str
    problems: list[str]
    scroll_width: int
    client_width: int
    smallest_text_px: float
    body_text_px: float
    headings: list[int]
    images_without_alt: list[str]
    links: list[str]  # tel: and mailto: hrefs
    violations: list[dict] | None = None
    landmarks: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def phone(browser, base):
    with phone_page(browser, base) as page_and_recorder:
        yield page_and_recorder


def axe_sample(urls: list[str]) -> set[str]:
    seen: dict[str, int] = {}
    chosen = set()
    for url in urls:
        folder = url.split("/")[0] if "/" in url.rstrip("/") else ""
        if seen.get(folder, 0) < SAMPLES_PER_FOLDER or folder == "":
            chosen.add(url)
            seen[folder] = seen.get(folder, 0) + 1
    return chosen


_INSPECT = """() => {
  const article = document.querySelector('article') || document.body;
  const texts = [...article.querySelectorAll('p, li, dd, dt, td, th, a, span, strong, time, h1, h2, h3, h4')]
    .filter(e => e.offsetParent !== null && e.textContent.trim());
  const sizes = texts.map(e => parseFloat(getComputedStyle(e).fontSize));
  const paras = [...article.querySelectorAll('p, li')].filter(e => e.offsetParent !== null);
  const paraSizes = paras.map(e => parseFloat(getComputedStyle(e).fontSize)).sort((a, b) => a - b);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    smallest: sizes.length ? Math.min(...sizes) : 0,
    body: paraSizes.length ? paraSizes[Math.floor(paraSizes.length / 2)] : 0,
    headings: [...article.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => +h.tagName[1]),
    noAlt: [...document.querySelectorAll('img')].filter(i => !(i.getAttribute('alt') || '').trim()
      && i.getAttribute('role') !== 'presentation').map(i => i.getAttribute('src')),
    links: [...document.querySelectorAll('a[href^="tel:"], a[href^="mailto:"]')].map(a => a.getAttribute('href')),
    landmarks: [...document.querySelectorAll('header, nav, main, footer, [role=search], [role=main]')]
      .map(e => e.getAttribute('role') || e.tagName.toLowerCase()),
  };
}"""


@pytest.fixture(scope="module")
def visits(phone, base, real_site) -> dict[str, Visit]:
    page, recorder = phone
    urls = page_urls(real_site.site)
    sample = axe_sample(urls)
    recorder.take()
    result = {}
    for url in urls:
        page.goto(base + url, wait_until="networkidle")
        data = page.evaluate(_INSPECT)
        violations = axe_violations(page) if url in sample else None
        result[url] = Visit(url, recorder.take(), data["scrollWidth"], data["clientWidth"], data["smallest"],
                            data["body"], data["headings"], data["noAlt"], data["links"], violations,
                            data["landmarks"])
    return result


# ---------------------------------------------------------------------------------------------
# Every page
# ---------------------------------------------------------------------------------------------


def test_every_page_is_visited(visits):
    assert len(visits) >= 8
    assert {"", "diem-cau/", "lien-he/", "dc/tinh/"} <= set(visits)


def test_no_console_error_failed_or_foreign_request(visits):
    bad = {url: v.problems for url, v in visits.items() if v.problems}
    assert not bad, bad


def test_no_horizontal_scrolling_on_a_phone(visits):
    wide = {url: (v.scroll_width, v.client_width) for url, v in visits.items() if v.scroll_width > v.client_width}
    assert not wide, f"pages wider than the 360 px screen (scroll width, screen): {wide}"


def test_text_is_readable_on_a_phone(visits):
    # Running text at 16 px (phones' default); nothing smaller than 12 px, badges included.
    small = {url: (v.body_text_px, v.smallest_text_px) for url, v in visits.items()
             if v.body_text_px < 16 or v.smallest_text_px < 12}
    assert not small, f"(running text px, smallest text px): {small}"


def test_headings_start_at_one_and_never_skip_a_level(visits):
    bad = {}
    for url, v in visits.items():
        levels = v.headings
        if not levels or levels[0] != 1 or levels.count(1) != 1 or any(b - a > 1 for a, b in zip(levels, levels[1:])):
            bad[url] = levels
    assert not bad, bad


def test_landmarks(visits):
    for url, v in visits.items():
        assert {"header", "main", "footer", "search"} <= set(v.landmarks), (url, v.landmarks)


def test_every_image_has_alt_text(visits):
    # QR codes and maket previews included: a screen reader must say what the picture is.
    bad = {url: v.images_without_alt for url, v in visits.items() if v.images_without_alt}
    assert not bad, bad


def test_axe_finds_no_serious_or_critical_violation(visits):
    checked = {url: v.violations for url, v in visits.items() if v.violations is not None}
    assert len(checked) >= 8
    bad = {url: [x for x in found if x["impact"] in ("serious", "critical")] for url, found in checked.items()}
    bad = {url: found for url, found in bad.items() if found}
    assert not bad, describe(bad)


def test_axe_finds_no_violation_at_all_on_the_home_and_a_point_page(visits):
    # Moderate ones too (heading order, landmarks, regions) on the two pages participants open most.
    point = next(url for url, v in visits.items() if url.startswith("dc/") and v.violations is not None)
    for url in ("", point):
        assert visits[url].violations == [], describe(visits[url].violations)


def test_tel_and_mailto_links_are_well_formed(visits):
    links = {href for v in visits.values() for href in v.links}
    assert any(h.startswith("tel:") for h in links) and any(h.startswith("mailto:") for h in links), links
    for href in links:
        if href.startswith("tel:"):
            assert re.fullmatch(r"tel:\+84\d{9,10}", href), href
        else:
            # A plain address, or a prefilled report: only subject and body, percent-encoded.
            address, _, query = href.partition("?")
            assert re.fullmatch(r"mailto:[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}", address), href
            assert re.fullmatch(r"(subject=[A-Za-z0-9%._~!*'()-]*(&body=[A-Za-z0-9%._~!*'()-]*)?)?", query), href


def test_missing_page_gets_the_sites_404_page(phone, base):
    page, recorder = phone
    response = page.goto(base + "khong-co-trang-nay/", wait_until="networkidle")
    assert response.status == 404
    assert page.locator("article h1").count() == 1
    found = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert not found, describe(found)
    missing = f"{base}khong-co-trang-nay/"
    # The only complaints: the missing page itself (its status, and the console's note of it).
    assert [p for p in recorder.take() if not p.endswith(missing) and not p.endswith(f"({missing})")] == []


# ---------------------------------------------------------------------------------------------
# Phone: the key facts and the call
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["", "dc/tinh/", "dc/huong-son/"])
def test_key_facts_show_without_scrolling_on_a_phone(phone, base, url):
    page, recorder = phone
    page.goto(base + url, wait_until="networkidle")
    page.evaluate("window.scrollTo(0, 0)")
    facts = {"time": ".ms-facts time", "whom to call": ".ms-facts a[href^='tel:']"}
    if url.startswith("dc/"):
        facts["place"] = ".ms-facts dt:text-is('Địa điểm') + dd"
    for what, selector in facts.items():
        element = page.locator(selector).first
        assert element.is_visible(), f"{url}: {what} not shown"
        box = element.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], \
            f"{url}: {what} is below the first screen ({box})"
    assert not recorder.take()


def test_tapping_a_call_link_dials_and_a_mail_link_opens_mail(phone, base):
    page = phone[0].context.new_page()  # its click listener below must not outlive the test
    recorder = Recorder(base)
    recorder.attach(page)
    page.goto(base + "lien-he/", wait_until="networkidle")
    page.evaluate("""() => { window.__taps = [];
        document.addEventListener('click', e => { const a = e.target.closest('a');
          window.__taps.push([a && a.getAttribute('href'), e.defaultPrevented]);
          e.preventDefault(); /* the test machine has no phone app to hand the number to */ }); }""")
    for selector in ("a[href^='tel:']", "a[href^='mailto:']"):
        link = page.locator(f"article {selector}").first
        box = link.bounding_box()
        assert box and box["height"] >= 24 and box["width"] >= 24, f"{selector} too small to tap: {box}"
        link.tap()  # fails if anything covers the link
    taps = page.evaluate("window.__taps")
    assert [href.split(":")[0] for href, _ in taps] == ["tel", "mailto"], taps
    assert not any(prevented for _, prevented in taps), "the site itself blocks the link"
    assert not recorder.take()
    page.close()


# ---------------------------------------------------------------------------------------------
# Search, typed into the real search box
# ---------------------------------------------------------------------------------------------


# (query, page expected among the first `within` results, its title as the results show it)
@pytest.mark.parametrize("query, expected, within, title", [
    ("ha tinh", "/dc/thanh-pho-ha-tinh/", 1, "Thành ủy Hà Tĩnh"),
    ("Hà Tĩnh", "/dc/thanh-pho-ha-tinh/", 1, "Thành ủy Hà Tĩnh"),
    ("ky anh", "/dc/thi-xa-ky-anh/", 2, "Thị ủy Kỳ Anh"),
    ("Kỳ Anh", "/dc/thi-xa-ky-anh/", 2, "Thị ủy Kỳ Anh"),
    ("Ky\u0300 Anh", "/dc/thi-xa-ky-anh/", 2, "Thị ủy Kỳ Anh"),  # decomposed, as some keyboards type it
    ("ky anh", "/dc/huyen-ky-anh/", 2, "Huyện ủy Kỳ Anh"),
    ("ky", "/dc/huyen-ky-anh/", 2, "Huyện ủy Kỳ Anh"),
    ("covid", "/quy-dinh/", 1, "Phòng, chống dịch Covid-19"),
    ("huong son", "/dc/huong-son/", 1, "Huyện ủy Hương Sơn"),
    ("quy dinh", "/quy-dinh/", 10, "Phòng, chống dịch Covid-19"),  # lunr's English stemmer sought "qui"
    ("quy định", "/quy-dinh/", 10, "Phòng, chống dịch Covid-19"),
])
def test_search_finds_vietnamese_with_or_without_diacritics(phone, base, query, expected, within, title):
    page, recorder = phone
    page.goto(base, wait_until="networkidle")
    results = search(page, query)
    assert expected in [href for href, _ in results[:within]], f"{query!r}: {results}"
    shown = dict(results)[expected]
    assert shown == title, f"results show the text as written, with diacritics: {shown!r}"
    assert not recorder.take()


def test_search_index_is_fetched_only_when_someone_searches(phone, base):
    page, recorder = phone
    requested = []

    def note(request) -> None:
        requested.append(request.url)

    page.on("request", note)
    try:
        page.goto(base + "dc/tinh/", wait_until="networkidle")
        assert not [u for u in requested if "search_index" in u], "downloaded before anyone searched"
        assert search(page, "tinh")
        assert [u for u in requested if u.endswith("/search/search_index.json")]
    finally:
        page.remove_listener("request", note)
    assert not recorder.take()


def test_search_results_pass_axe(phone, base):
    page, recorder = phone
    page.goto(base, wait_until="networkidle")
    assert search(page, "diem cau")
    found = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert not found, describe(found)
    page.keyboard.press("Escape")
    assert not recorder.take()


# ---------------------------------------------------------------------------------------------
# Screenshots (README pictures come from these)
# ---------------------------------------------------------------------------------------------


def test_screenshots_and_desktop_axe(browser, base, real_site):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    urls = page_urls(real_site.site)
    shots = {"home": "", "point": "dc/tinh/"}
    maket = next((u for u in urls if u.startswith("maket")), None)
    if maket is not None:  # maket pages come with issue 3
        shots["maket"] = maket
    saved = []
    for size_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        context = browser.new_context(viewport=viewport, device_scale_factor=1)
        page = context.new_page()
        recorder = Recorder(base)
        recorder.attach(page)
        for name, url in shots.items():
            page.goto(base + url, wait_until="networkidle")
            if size_name == "desktop":  # the side navigation and table of contents show at this size
                found = [v for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
                assert not found, describe(found)
            path = SCREENSHOTS / f"{name}-{size_name}.png"
            page.screenshot(path=path)
            if size_name == "phone":
                page.screenshot(path=SCREENSHOTS / f"{name}-{size_name}-full.png", full_page=True)
            saved.append(path)
        assert not recorder.take()
        context.close()
    for path in saved:
        assert path.stat().st_size > 10_000, path
