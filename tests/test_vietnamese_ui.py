"""Every screen a participant can reach speaks Vietnamese, and search ranks by what a person typed.

The built pages are scanned (visible text, titles and labels, the theme's translations in each
page's `__config`), and so is the theme's script bundle for strings it shows itself. Then Chromium
opens every page and the states the scripts make (search preparing on a slow line, results, no
result, "more on this page", back to top, the 404 page at any depth) and the text shown is scanned
again. Search is typed without diacritics, as on a phone.
"""

from __future__ import annotations

import json
import re
import unicodedata
from html.parser import HTMLParser

import pytest
from browser_support import base, browser, page_urls, phone_page, search  # noqa: F401 (fixtures)

# English words of interface text. Only words Vietnamese never uses: "in", "to", "do", "can",
# "an", "no" are Vietnamese words too.
ENGLISH = set("""search searching initializing initialize results result documents document type typing start skip
content back top copy copied clipboard not found page pages next previous missing more share clear reset close open
menu navigation header footer table contents home edit view source select version language toggle line selection
error loading please click here link the and of for with your you this is are was yes go made material mkdocs
powered built generated last updated update created contributors tags tab tabs dark light print download minutes
hours days ago today tomorrow yesterday read feed comments cookie consent accept reject manage settings""".split())
_NOT_WORDS = re.compile(r"https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\S+\.(?:pdf|svg|png|ics|zip|json|js|css|html)\b")


def english(text: str) -> list[str]:
    """The English interface words in `text` (addresses and file names aside)."""
    return [w for w in re.findall(r"[A-Za-z]+", _NOT_WORDS.sub(" ", text)) if w.lower() in ENGLISH]


class _Shown(HTMLParser):
    """What a page shows without its scripts: text outside scripts and styles, and the attributes
    read aloud or shown on hover. Text marked as another language (lang="en": a work's own name
    and licence on the licences page, quoted as their authors wrote them) is not interface text."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden = 0
        self.foreign: list[str] = []  # open elements marked with another language
        self.shown: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.hidden += tag in ("script", "style")
        if dict(attrs).get("lang", "vi") != "vi" and tag != "html":
            self.foreign.append(tag)
        if not self.foreign:
            self.shown += [v for k, v in attrs if k in ("title", "aria-label", "placeholder", "alt") and v]

    def handle_endtag(self, tag) -> None:
        self.hidden -= tag in ("script", "style")
        if self.foreign and self.foreign[-1] == tag:
            self.foreign.pop()

    def handle_data(self, data) -> None:
        if not self.hidden and not self.foreign and data.strip():
            self.shown.append(data.strip())


def test_english_is_found_where_it_is() -> None:
    assert english("Initializing search") == ["Initializing", "search"]
    assert english("404 - Not found") == ["Not", "found"]
    assert not english("Thành ủy Hà Tĩnh · gửi in · Maket: PDF · https://vanban.example.vn/copy-page.pdf")


def test_built_pages_and_their_translations_are_vietnamese(real_site) -> None:
    found = {}
    for path in real_site.pages():
        page = path.read_text(encoding="utf-8")
        parser = _Shown()
        parser.feed(page)
        config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', page, re.S)
        assert config, path
        strings = parser.shown + list(json.loads(config.group(1))["translations"].values())
        for text in strings:
            if english(text):
                found.setdefault(text, str(path.relative_to(real_site.site)))
    assert not found, found


def test_the_theme_bundle_shows_no_english_of_its_own(real_site) -> None:
    """Strings Material's script writes itself, not from the translations: thrown errors, and the
    code-block line selection button, which only the content.code.select feature shows."""
    bundle = next((real_site.site / "assets" / "javascripts").glob("bundle.*.min.js")).read_text(encoding="utf-8")
    phrases = set(re.findall(r'(?<!Error\()"([A-Z][a-z]+(?: [a-z]+)+)"', bundle))  # not `new Error("...")`
    assert phrases <= {"Toggle line selection"}, phrases
    config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                                  real_site.html(""), re.S).group(1))
    assert "content.code.select" not in config["features"]


def test_search_snippets_keep_a_space_between_fields(real_site) -> None:
    """The makets page lists "<a>Thành ủy Hà Tĩnh</a><br>Maket: PDF": one word "TĩnhMaket" before."""
    index = json.loads((real_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"] if doc["location"].startswith("maket/"))
    assert "Thành ủy Hà Tĩnh Maket: PDF" in text
    assert not re.search(r"[^\s>]Maket: PDF", text), "a point's name runs into the line after it"


# ---------------------------------------------------------------------------------------------
# In Chromium
# ---------------------------------------------------------------------------------------------

# Everything shown on the page, wherever it is (header, navigation, search, footer), with the
# attributes read aloud; only visible elements.
_SHOWN_NOW = """() => {
  const out = [];
  const visible = e => e && e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const e = n.parentElement;
    // Text marked as another language (a work's own name and licence, quoted) is not interface text.
    if (n.textContent.trim() && e && !e.closest('script, style, [lang]:not([lang=vi]):not(html)') && visible(e))
      out.push(n.textContent.trim());
  }
  for (const e of document.querySelectorAll('[title], [aria-label], [placeholder], img[alt]'))
    if (visible(e) || e.matches('[aria-label]'))
      for (const a of ['title', 'aria-label', 'placeholder', 'alt']) if (e.getAttribute(a)) out.push(e.getAttribute(a));
  return out;
}"""


@pytest.fixture()
def phone(browser, base):
    with phone_page(browser, base) as page_and_recorder:
        yield page_and_recorder


def shown_english(page) -> list[str]:
    return [text for text in page.evaluate(_SHOWN_NOW) if english(text)]


def test_every_page_speaks_vietnamese_as_shown(phone, base, real_site) -> None:
    page, recorder = phone
    found = {}
    for url in page_urls(real_site.site):
        page.goto(base + url, wait_until="networkidle")
        page.mouse.wheel(0, 4000)  # scrolled down then a little up: the "back to top" button shows
        page.wait_for_timeout(100)
        page.mouse.wheel(0, -300)
        page.wait_for_timeout(200)
        for text in shown_english(page):
            found.setdefault(text, url)
    assert not found, found
    assert not recorder.take()


def test_search_speaks_vietnamese_while_preparing_and_after(phone, base) -> None:
    page, recorder = phone
    held = []
    # A weak line: the index arrives only when the test lets it.
    page.route("**/search/search_index.json", lambda route: held.append(route))
    page.goto(base, wait_until="networkidle")
    page.locator("label.md-header__button[for=__search]").click()
    page.wait_for_function("() => document.querySelector('.md-search-result__meta')")
    page.wait_for_timeout(300)
    meta = page.locator(".md-search-result__meta").inner_text()
    assert meta == "Đang chuẩn bị tìm kiếm…", meta
    assert not shown_english(page)
    assert held, "the index was not asked for"
    held[0].continue_()
    page.wait_for_function("() => /Gõ từ cần tìm/.test(document.querySelector('.md-search-result__meta').textContent)")
    assert not shown_english(page)
    assert search(page, "hoi nghi")  # many results, some with more on the same page
    assert re.fullmatch(r"\d+ kết quả", page.locator(".md-search-result__meta").inner_text())
    more = page.locator(".md-search-result__more summary")
    assert more.count() and re.fullmatch(r"Thêm \d+ kết quả trên trang này", more.first.inner_text())
    assert not shown_english(page)
    assert search(page, "khongcotu") == []
    assert page.locator(".md-search-result__meta").inner_text() == "Không tìm thấy kết quả nào"
    assert not shown_english(page)
    page.unroute("**/search/search_index.json")
    assert not recorder.take()


@pytest.mark.parametrize("missing", ["khong-co-trang-nay/", "dc/xa-cu/ma-qr/", "a/b/c/d/e.html"])
def test_a_missing_address_gets_a_vietnamese_page_with_ways_back(phone, base, real_site, missing) -> None:
    page, recorder = phone
    response = page.goto(base + missing, wait_until="networkidle")
    assert response.status == 404
    assert page.locator("article h1").inner_text() == "Không tìm thấy trang này"
    name = re.search(r"<title>(.*?)</title>", real_site.html(""), re.S).group(1).strip()
    assert name in page.locator("article").inner_text(), "the meeting's name"
    assert page.title() == f"Không tìm thấy trang - {name}"
    assert not shown_english(page)
    links = {a: page.locator(f"article a:text-is('{a}')").get_attribute("href")
             for a in ("Trang chủ của hội nghị", "Danh sách các điểm cầu", "Tìm kiếm trên trang web")}
    assert links == {"Trang chủ của hội nghị": "/", "Danh sách các điểm cầu": "/diem-cau/",
                     "Tìm kiếm trên trang web": "/?q="}
    page.locator("article a:text-is('Danh sách các điểm cầu')").click()
    page.wait_for_load_state("networkidle")
    assert page.url == base + "diem-cau/" and page.title().startswith("Điểm cầu")
    page.go_back(wait_until="networkidle")
    page.locator("article a:text-is('Tìm kiếm trên trang web')").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("input.md-search__input").is_visible(), "the link opens the search"
    assert search(page, "huong son")[0][0] == "/dc/huong-son/"
    missing_url = base + missing
    assert [p for p in recorder.take() if missing_url not in p] == []


# ---------------------------------------------------------------------------------------------
# Search ranks by what was typed
# ---------------------------------------------------------------------------------------------


def _results(page) -> list[dict]:
    return page.eval_on_selector_all(".md-search-result__list > li", """items => items.map(li => ({
        href: new URL(li.querySelector('a').href).pathname, text: li.innerText}))""")


def _fold(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def test_a_name_typed_without_diacritics_finds_the_pages_naming_that_person_first(phone, base) -> None:
    page, recorder = phone
    page.goto(base, wait_until="networkidle")
    assert search(page, "dang van hung")
    results = _results(page)
    naming = [r for r in results if "dang van hung" in _fold(r["text"])]
    assert "/lien-he/" in [r["href"] for r in naming], "the contacts page"
    assert len(naming) >= 3, "and the other pages naming him"
    first_other = next(i for i, r in enumerate(results) if r not in naming)
    assert results[:first_other] == naming, [r["href"] for r in results]
    assert page.locator(".md-search-result__terms, .md-search-result del").count() == 0, "no struck-through words"
    assert not recorder.take()


@pytest.mark.parametrize(("query", "first"), [("ban tuyen giao", "Ban Tuyên giáo Tỉnh ủy"),
                                              ("chay thu duong truyen", "Chạy thử đường truyền"),
                                              ("huyen uy can loc", "Huyện ủy Can Lộc")])
def test_the_whole_phrase_comes_before_its_words(phone, base, query: str, first: str) -> None:
    page, recorder = phone
    page.goto(base, wait_until="networkidle")
    assert search(page, query)
    top = _results(page)[0]["text"]
    assert _fold(first) in _fold(top), (query, top[:200])
    assert page.locator(".md-search-result__terms").count() == 0
    assert not recorder.take()


def test_result_snippets_keep_spaces_between_fields(phone, base) -> None:
    page, recorder = phone
    page.goto(base, wait_until="networkidle")
    assert search(page, "maket pdf")
    text = " ".join(r["text"] for r in _results(page))
    assert "Maket: PDF" in text and not re.search(r"[^\s]Maket: PDF", text), text[:400]
    assert not recorder.take()
