"""Before and during the meeting the home page leads with what comes next; once it has ended, with its
outcome: when the site is rebuilt afterwards, and in the browser on a site built before (by Vietnam
time, whatever the phone's time zone). Without JavaScript the build's choice is what shows."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from browser_support import running_chromium
from conftest import DATA, DOCUMENTS_CASE, Built, build_site, visible_text

from microsite import load_meeting
from microsite.views.lifecycle import build_time, phase

VN = timezone(timedelta(hours=7))


def part(page: str, phases: str) -> str:
    """The opening tag of the home page part shown in `phases` ('after', 'before during')."""
    return re.search(rf'<div class="ms-phase" data-ms-phase="{phases}"[^>]*>', page).group(0)


def toc(page: str) -> str:
    return page.split('class="md-nav md-nav--secondary"', 1)[1].split("</nav>", 1)[0]


def test_the_meeting_ends_at_its_last_session_or_four_hours_after_it_starts() -> None:
    m = load_meeting(DOCUMENTS_CASE)  # 08h–11h30 and 14h–16h30 on 15/3/2022
    assert phase(m, datetime(2022, 3, 15, 7, 59)) == "before"  # naive: the meeting's own time
    assert phase(m, datetime(2022, 3, 15, 8, 0, tzinfo=VN)) == "during"
    assert phase(m, datetime(2022, 3, 15, 12, 0, tzinfo=VN)) == "during"  # between sessions
    assert phase(m, datetime(2022, 3, 15, 9, 29, tzinfo=timezone.utc)) == "during"  # 16h29 in Vietnam
    assert phase(m, datetime(2022, 3, 15, 9, 30, tzinfo=timezone.utc)) == "after"
    seed = load_meeting(DATA)  # "Một buổi" from 07h30, no end given
    assert phase(seed, datetime(2021, 9, 30, 11, 29)) == "during"
    assert phase(seed, datetime(2021, 9, 30, 11, 30)) == "after"


def test_the_build_clock_comes_from_microsite_now() -> None:
    assert build_time({}) is None
    assert build_time({"MICROSITE_NOW": "2021-10-01T09:00"}) == datetime(2021, 10, 1, 9, 0)
    assert build_time({"MICROSITE_NOW": "2021-10-01T09:00+00:00"}).utcoffset() == timedelta(0)
    with pytest.raises(ValueError, match="MICROSITE_NOW='mai' không phải ngày giờ"):
        build_time({"MICROSITE_NOW": "mai"})


def test_a_bad_clock_stops_the_build_with_one_message(tmp_path: Path) -> None:
    built = build_site(DATA, tmp_path / "site", env={"MICROSITE_NOW": "30/9/2021"})
    assert built.returncode != 0 and "Traceback" not in built.output
    assert "MICROSITE_NOW='30/9/2021' không phải ngày giờ; viết dạng 2021-10-01T09:00" in built.output


def test_built_before_it_leads_with_the_deadlines_and_hides_the_outcome(documents_site: Built) -> None:
    page = documents_site.html("")
    assert " hidden" in part(page, "after") and " hidden" not in part(page, "before during")
    assert page.index('data-ms-phase="after"') < page.index('data-ms-phase="before during"')
    assert re.search(r'<p class="ms-status__now" data-ms-phase="during" hidden>', page)
    assert 'href="#viec-can-lam"' in toc(page) and 'href="#ket-qua"' not in toc(page)
    # The hidden outcome is there for the browser to reveal after the meeting.
    assert "Thông báo kết luận số 25-TB/TU" in visible_text(page)


def test_rebuilt_after_it_leads_with_the_outcome(tmp_path: Path) -> None:
    built = build_site(DOCUMENTS_CASE, tmp_path / "site", env={"MICROSITE_NOW": "2022-03-15T16:30"})
    assert built.returncode == 0, built.output
    page = built.html("")
    assert " hidden" not in part(page, "after") and " hidden" in part(page, "before during")
    assert 'href="#ket-qua"' in toc(page) and 'href="#viec-can-lam"' not in toc(page)
    outcome = visible_text(page.split('data-ms-phase="after"', 1)[1].split('data-ms-phase="before during"')[0])
    for fact in ("Hội nghị đã kết thúc", "Kết luận của hội nghị: Thông báo kết luận số 25-TB/TU, ngày 18/3/2022",
                 "PDF · 36 B", "Hội nghị thống nhất triển khai nghị quyết đến từng chi bộ.",
                 "Các huyện ủy báo cáo kết quả trước ngày 30/4/2022.", "Văn bản ban hành sau hội nghị",
                 "Báo cáo số 15-BC/BTGTU"):
        assert fact in outcome
    assert 'href="tai-lieu/tb-kl.pdf"' in page


def test_the_seed_built_now_says_it_has_ended_without_inventing_a_conclusion(real_site: Built) -> None:
    page = real_site.html("")
    assert " hidden" not in part(page, "after")
    outcome = visible_text(page.split('data-ms-phase="after"', 1)[1].split('data-ms-phase="before during"')[0])
    assert "Hội nghị đã kết thúc" in outcome
    assert "Kết luận của hội nghị chưa được đăng trên trang này." in outcome
    assert 'data-ms-starts="2021-09-30T07:30+07:00" data-ms-ends="2021-09-30T11:30+07:00"' in page


# ---------------------------------------------------------------------------------------------
# In the browser: Debian's Chromium, a fake clock, phones in other time zones
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    with running_chromium() as browser:
        yield browser


# (phone's zone, instant, what leads). The meeting runs 08h-16h30 on 15/3/2022, Vietnam time (+07).
MOMENTS = [
    # 14h59 on the 15th on this phone, yet one minute before the start in Vietnam.
    ("Pacific/Kiritimati", datetime(2022, 3, 15, 0, 59, tzinfo=timezone.utc), "before"),
    ("Europe/London", datetime(2022, 3, 15, 3, 0, tzinfo=timezone.utc), "during"),
    # Still 14/3 on this phone, but 16h40 on 15/3 in Vietnam: over.
    ("Pacific/Honolulu", datetime(2022, 3, 15, 9, 40, tzinfo=timezone.utc), "after"),
]


@pytest.mark.parametrize(("zone", "instant", "expected"), MOMENTS, ids=[m[2] for m in MOMENTS])
def test_a_site_built_before_switches_by_vietnam_time_in_the_browser(browser, documents_site: Built, zone: str,
                                                                     instant: datetime, expected: str) -> None:
    context = browser.new_context(timezone_id=zone)
    try:
        page = context.new_page()
        page.clock.set_fixed_time(instant)
        page.goto((documents_site.site / "index.html").as_uri())
        assert page.evaluate("new Date().getTimezoneOffset()") != -420  # really not Vietnam's zone
        assert page.locator("html").get_attribute("data-ms-now") == expected
        outcome, deadlines = page.locator("#ket-qua"), page.locator("#viec-can-lam")
        assert outcome.is_visible() == (expected == "after")
        assert deadlines.is_visible() == (expected != "after")
        assert page.get_by_text("Hội nghị đang diễn ra.").is_visible() == (expected == "during")
        toc_entry = page.locator('.md-nav--secondary a[href="#viec-can-lam"]').first
        assert (toc_entry.evaluate("a => a.closest('li').hidden")) == (expected == "after")
    finally:
        context.close()


def test_without_javascript_the_build_choice_shows(browser, documents_site: Built) -> None:
    context = browser.new_context(java_script_enabled=False, timezone_id="Pacific/Honolulu")
    try:
        page = context.new_page()
        page.goto((documents_site.site / "index.html").as_uri())
        assert page.locator("#viec-can-lam").is_visible() and not page.locator("#ket-qua").is_visible()
    finally:
        context.close()
