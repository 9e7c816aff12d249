"""The same site builds on ProperDocs 1.6.7 (the maintained fork of MkDocs 1.6) as on MkDocs.

ProperDocs is our cheapest exit from MkDocs: the same mkdocs.yml, hooks and theme, run by
`properdocs build` from .venv-properdocs (Makefile: `make properdocs`, installed by `make test`).
Both engines build the seed meeting into temp folders; the pages, their titles and headings, and
every link on every page must be the same, and so must every other file the build writes.
"""

from __future__ import annotations

import re

import html5lib
import pytest
from conftest import DATA, ROOT, Built, build_site

PROPERDOCS = ROOT / ".venv-properdocs" / "bin" / "properdocs"
# A published address (QR codes and link previews carry it) and a fixed build date (sitemap, calendars).
ENV = {"SITE_URL": "https://hoinghi.example.vn/", "SOURCE_DATE_EPOCH": "1632700000"}

# The one line the engines write differently: `<meta name="generator">` names the engine and its
# version ("mkdocs-1.6.1, …" and "mkdocs-ProperDocs 1.6.7, …"). It is normalised away, after
# checking that each build says which engine made it (so the two builds really ran on two engines).
GENERATOR = re.compile(rb'<meta name="generator" content="([^"]*)">')


@pytest.fixture(scope="module")
def builds(tmp_path_factory) -> tuple[Built, Built]:
    assert PROPERDOCS.exists(), f"{PROPERDOCS} is missing: run `make properdocs-deps` (part of `make test`)"
    root = tmp_path_factory.mktemp("engines")
    env = {**ENV, "MICROSITE_CACHE_DIR": str(root / "cache")}
    config = ("-f", str(ROOT / "mkdocs.yml"))  # named: ProperDocs looks for properdocs.yml first
    mkdocs = build_site(DATA, root / "mkdocs", *config, env=env)
    assert mkdocs.returncode == 0, mkdocs.output
    properdocs = build_site(DATA, root / "properdocs", *config, env=env, engine=PROPERDOCS)
    assert properdocs.returncode == 0, properdocs.output
    return mkdocs, properdocs


def outline(built: Built) -> dict[str, dict]:
    """Each HTML page (site-relative path) with its <title>, its <h1> and the href of every link."""
    pages = {}
    for path in built.pages():
        tree = html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)
        h1 = tree.find(".//article//h1")
        for permalink in h1.findall("a[@class='headerlink']") if h1 is not None else []:
            h1.remove(permalink)  # its "#", not part of the heading
        pages[path.relative_to(built.site).as_posix()] = {
            "title": tree.findtext(".//title"),
            "h1": " ".join("".join(h1.itertext()).split()) if h1 is not None else None,
            # Every link of the page: the header, the navigation, the article, the footer, and the
            # <link>s of its head (canonical, previous and next page, style sheets).
            "links": sorted(e.get("href") for tag in ("a", "link") for e in tree.iter(tag) if e.get("href")),
        }
    return pages


def test_properdocs_builds_the_same_pages_titles_and_links(builds: tuple[Built, Built]) -> None:
    mkdocs, properdocs = (outline(built) for built in builds)
    # Guard against comparing two empty or broken builds.
    assert {"index.html", "giay-moi/index.html", "dc/tinh/index.html", "404.html"} <= mkdocs.keys()
    assert all(page["title"] and page["h1"] and page["links"] for page in mkdocs.values())
    assert "diem-cau/" in mkdocs["index.html"]["links"]
    assert properdocs.keys() == mkdocs.keys(), {
        "ProperDocs lacks": sorted(mkdocs.keys() - properdocs.keys()),
        "ProperDocs adds": sorted(properdocs.keys() - mkdocs.keys())}
    for page in mkdocs:
        assert properdocs[page] == mkdocs[page], page


def test_properdocs_writes_the_same_files_but_for_the_generator_tag(builds: tuple[Built, Built]) -> None:
    mkdocs, properdocs = builds
    home = (mkdocs.site / "index.html").read_bytes(), (properdocs.site / "index.html").read_bytes()
    assert GENERATOR.search(home[0])[1].startswith(b"mkdocs-1.6.1,")
    assert GENERATOR.search(home[1])[1].startswith(b"mkdocs-ProperDocs 1.6.7,")
    files = [sorted(p.relative_to(built.site).as_posix() for p in built.site.rglob("*") if p.is_file())
             for built in builds]
    assert files[1] == files[0], {"ProperDocs lacks": sorted(set(files[0]) - set(files[1])),
                                  "ProperDocs adds": sorted(set(files[1]) - set(files[0]))}
    # The search index (rewritten by our on_post_build), sitemap, QR codes, makets, calendars, assets.
    differ = [name for name in files[0]
              if GENERATOR.sub(b"", (mkdocs.site / name).read_bytes())
              != GENERATOR.sub(b"", (properdocs.site / name).read_bytes())]
    assert not differ
