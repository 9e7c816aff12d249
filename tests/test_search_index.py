"""The search index as written by the build: folded words for search without diacritics, compact
point pages. The browser tests (test_browser.py) prove that the theme's search then finds them."""

from __future__ import annotations

import json

from microsite.outputs.search import FOLDED_FIELDS, fold_words, point_entries, prepare_index


def test_fold_words_keeps_only_words_that_had_diacritics():
    assert fold_words("Thị ủy Kỳ Anh") == "thi uy ky"
    assert fold_words("Đảng ủy Công an tỉnh") == "dang uy cong tinh"
    assert fold_words("<p>Hà&nbsp;Tĩnh, Hà Tĩnh</p>") == "ha tinh"
    assert fold_words("Covid-19 07h30") == ""


def test_prepare_index_adds_hidden_folded_fields_and_the_point_entries():
    index = {"config": {"lang": ["en"], "fields": {"title": {"boost": 1000.0}, "text": {"boost": 1.0}}},
             "docs": [{"location": "", "title": "Hội nghị", "text": "<p>Tỉnh ủy Hà Tĩnh</p>"}]}
    before = json.dumps(index)
    out = prepare_index(index, [{"location": "dc/tinh/", "title": "Điểm cầu tỉnh", "text": "Hội trường &lt;A&gt;"}])
    assert json.dumps(index) == before, "the input is not modified"
    assert out["config"]["fields"]["ft"] == {"boost": 1000.0} and out["config"]["fields"]["fx"] == {"boost": 1.0}
    assert [d["location"] for d in out["docs"]] == ["", "dc/tinh/"]
    home, point = out["docs"]
    assert (home["ft"], home["fx"]) == ("hoi nghi", "tinh uy ha")
    assert point["fx"] == "hoi truong" and point["ft"] == "diem cau tinh"
    assert point["title"] == "Điểm cầu tỉnh", "results still show the words as written"


def test_point_entries_are_escaped_text_from_the_model(tmp_path):
    from conftest import DATA, load_data, write_meeting

    from microsite import SiteOptions, load_meeting

    data = load_data(DATA)
    data["tiers"][0]["points"][0].update(name="Điểm cầu <b>tỉnh</b> & \"Hà Tĩnh\"", place="Hội trường <A> & B")
    m = load_meeting(write_meeting(tmp_path / "m.yaml", data))
    entry = point_entries(m, SiteOptions())[0]
    assert entry == {"location": "dc/tinh/", "title": "Điểm cầu &lt;b&gt;tỉnh&lt;/b&gt; &amp; \"Hà Tĩnh\"",
                     "text": "Hội trường &lt;A&gt; &amp; B"}
    assert len(point_entries(m, SiteOptions())) == len(m.points)


def test_built_index_is_compact_and_folded(real_site):
    index = json.loads((real_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert set(FOLDED_FIELDS.values()) <= set(index["config"]["fields"])
    assert index["config"]["pipeline"] == [], "no stemmer or trimmer: they mangle Vietnamese words"
    docs = {d["location"]: d for d in index["docs"]}
    assert not [loc for loc in docs if loc.startswith("dc/") and "#" in loc], "point pages have no sections"
    assert docs["dc/thi-xa-ky-anh/"]["ft"] == "thi uy ky"
    points = [d for loc, d in docs.items() if loc.startswith("dc/")]
    assert len(points) == 18
    # A point's entry is its name and place: the index grows by about a line per point.
    assert max(len(json.dumps(d, ensure_ascii=False)) for d in points) < 400
    # Each written once, from the model: the theme's own entry for the page would come first.
    assert [d["location"] for d in index["docs"]].count("dc/tinh/") == 1
