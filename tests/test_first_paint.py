"""What the first paint of a page waits for on a slow line (Lighthouse's weak audit, measured by
tools/lighthouse.py): stylesheets only, no script in the head or before the content, and no
stylesheet the site does not use."""

from __future__ import annotations

import re

from conftest import Built

# What every page may link as a stylesheet: Material's own, then mkdocs.yml's extra_css.
STYLESHEETS = [r"assets/stylesheets/main\.[0-9a-f]{8}\.min\.css", r"assets/microsite\.css",
               r"assets/timeline\.css", r"assets/microsite-a11y\.css"]


def test_no_script_before_the_content_is_in_place(real_site: Built) -> None:
    pages = real_site.pages()
    assert len(pages) > 20
    for path in pages:
        page = path.read_text(encoding="utf-8")
        head, body = page.split("</head>", 1)
        assert "<script" not in head, path
        # The first script (the theme's configuration, then the files) comes after the content.
        assert body.index("<script") > body.index("</main>"), path


def test_only_the_stylesheets_the_site_uses(real_site: Built) -> None:
    """The site's own four on every page; the paper's form (the A4 print) only on the invitation."""
    for path in real_site.pages():
        page = path.read_text(encoding="utf-8")
        linked = re.findall(r'<link rel="stylesheet" href="(?:\.\./|/)*([^"]+)"', page)
        expected = STYLESHEETS + ([r"assets/giay-moi\.css"] if path.parent.name == "giay-moi" else [])
        assert len(linked) == len(expected) and all(
            re.fullmatch(pattern, href) for pattern, href in zip(expected, linked)), (path, linked)


def test_the_theme_still_runs_its_scripts_in_order(real_site: Built) -> None:
    """Material's helpers (md-base) before its bundle, the search hold before both, ours after."""
    page = real_site.html("dc/tinh/")
    scripts = re.findall(r'<script src="(?:\.\./)*([^"]+)"', page)
    order = [name for name in scripts if name.startswith(("assets/search-on-demand", "assets/javascripts/"))]
    assert [re.sub(r"\.[0-9a-f]{8}\.min", "", name) for name in order] == [
        "assets/search-on-demand.js", "assets/javascripts/md-base.js", "assets/javascripts/bundle.js"]
    assert 'data-md-scope="../.."' in page
