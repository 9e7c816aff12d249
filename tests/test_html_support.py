"""The helpers other tests read pages with: a section is what lies under its heading, nothing more."""

from __future__ import annotations

import pytest
from html_support import fold, section

PAGE = """<!DOCTYPE html><html><body><nav><h2 id="menu">Menu</h2></nav>
<article><h1 id="top">Trang<a class="headerlink" href="#top">#</a></h1><p>Mở đầu</p>
<h2 id="a">Mục A<a class="headerlink" href="#a">#</a></h2><p>Trong A</p>
<h3 id="a1">Mục A.1</h3><p>Trong A.1 &amp; A</p>
<div class="wrap"><p>Còn A</p><h2 id="b">Mục B</h2><p>Trong B</p></div> sau khối
<h2 id="c">Mục C</h2><p>Trong C</p><script>var x = "không đọc";</script></article>
<footer><p>Chân trang</p></footer></body></html>"""


def test_a_section_runs_to_the_next_heading_of_its_level_at_any_depth() -> None:
    a = section(PAGE, "a")
    assert a.title == "Mục A" and a.level == 2
    assert a.text == "Mục A Trong A Mục A.1 Trong A.1 & A Còn A"
    assert a.ids == ["a", "a1"]
    assert "Trong B" not in a.html and "Còn A" in a.html


def test_a_heading_inside_a_block_ends_with_the_block_and_goes_on_after_it() -> None:
    assert section(PAGE, "b").text == "Mục B Trong B sau khối"


def test_a_section_stops_at_the_end_of_the_article_and_reads_no_script() -> None:
    assert section(PAGE, "c").text == "Mục C Trong C"
    top = section(PAGE, "top")
    assert top.title == "Trang" and "Chân trang" not in top.text and "Menu" not in top.text
    assert top.text.startswith("Trang Mở đầu Mục A")
    assert [el.get("id") for el in top.find_all("h2")] == ["a", "b", "c"]


@pytest.mark.parametrize(("page", "id"), [(PAGE, "none"), ('<h2 id="x">1</h2><h2 id="x">2</h2>', "x"),
                                          ('<p id="p">x</p>', "p")])
def test_a_missing_repeated_or_non_heading_id_is_an_error(page: str, id: str) -> None:
    with pytest.raises(LookupError):
        section(page, id)


def test_fold_normalizes_to_nfc_and_folds_white_space() -> None:
    assert fold(" Nghe\u0323\u0302  An\n\t") == "Nghệ An"
