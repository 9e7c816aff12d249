"""The licence, and the notices of every third-party work the site, its offline bundle and its print
files carry (hooks/microsite/outputs/notices.py).

The notices are checked against what the built site holds, found independently of the code that
writes them: every file under assets/, the packages the theme's source maps name, the fonts pdffonts
finds in the makets, the icons drawn in the pages and styles. A checker that finds nothing missing
proves little, so it is also run on the notices with one entry taken out.
"""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from conftest import DATA, ROOT, Built

from microsite import SiteOptions, load_meeting, routes
from microsite.outputs import maket, notices
from microsite.outputs.cache import CACHE_ENV
from microsite.views.index import point_index

GPL_FAMILY = re.compile(r"\b(A|L)?GPL|General Public Licen[cs]e", re.I)


def gpl_only(licence: str) -> bool:
    """GPL-family with no other choice: a work offered under several licences ("GPLv2+ / LGPLv2+ /
    MPL 1.1", as Pyphen is) may be taken under the one that is not."""
    choices = re.split(r"\s+/\s+|\s+OR\s+", licence)
    return all(GPL_FAMILY.search(choice) for choice in choices)
FORBIDDEN = "vietnam_provinces"  # GPL-3.0: the benchmark's place names, never the product's
THEME = Path(metadata.distribution("mkdocs-material").locate_file("material/templates"))


# ---------------------------------------------------------------------------------------------
# Reading the notices as a person would, and checking them against the site
# ---------------------------------------------------------------------------------------------


def entries(text: str) -> list[dict[str, list[str]]]:
    """The works of a notices text: 'title' and each field ('Tệp', 'Phông', 'Nằm trong'...)."""
    body = text.split("\nTOÀN VĂN GIẤY PHÉP\n", 1)[0]
    found = []
    for block in body.split(notices._RULE)[1:]:
        lines = block.strip("\n").splitlines()
        work: dict[str, list[str]] = {"title": [lines[0]]}
        for line in lines[1:]:
            if line.startswith("  ") and ": " in line:
                field, value = line.strip().split(": ", 1)
                work.setdefault(field, []).append(value)
        found.append(work)
    return found


def covered(path: str, listed: list[str]) -> bool:
    return any(path == f or (f.endswith("/") and path.startswith(f)) for f in listed)


def missing_entries(text: str, files: list[str], fonts: set[str] = frozenset(),
                    bundled: dict[str, set[str]] | None = None, icon_sets: set[str] = frozenset()) -> list[str]:
    """What the notices fail to name: files of the site, fonts, packages built into a file
    (file -> packages), icon sets."""
    works = entries(text)
    listed = [f for w in works for f in w.get("Tệp", [])]
    missing = [f for f in files if not covered(f, listed)]
    named_fonts = {f for w in works for f in w.get("Phông", [])}
    missing += [f"font {f}" for f in sorted(fonts - named_fonts)]
    for file, packages in (bundled or {}).items():
        for package in sorted(packages):
            if not any(w["title"][0].split(" ")[0] == package and file in w.get("Nằm trong", []) for w in works):
                missing.append(f"{package} in {file}")
    titles = " ".join(w["title"][0] for w in works)
    missing += [f"icons {s}" for s in sorted(icon_sets) if f"“{s}”" not in titles]
    return missing


def without(text: str, title_start: str) -> str:
    """The notices with the works whose title starts so taken out."""
    blocks = text.split(notices._RULE)
    kept = [b for b in blocks if not b.strip("\n").startswith(title_start)]
    assert len(kept) < len(blocks), title_start
    return notices._RULE.join(kept)


def site_assets(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in (site / "assets").rglob("*") if p.is_file())


def bundled_packages(site: Path) -> dict[str, set[str]]:
    """Built file -> the npm packages its source map names."""
    out = {}
    for source_map in sorted((site / "assets").rglob("*.map")):
        sources = json.loads(source_map.read_text(encoding="utf-8"))["sources"]
        packages = {m.group(1) for s in sources if (m := re.search(r"node_modules/((?:@[^/]+/)?[^/]+)/", s))}
        if packages:
            out[source_map.relative_to(site).as_posix()[:-4]] = packages
    return out


def pdf_fonts(pdfs: list[Path]) -> set[str]:
    """Embedded fonts as poppler's pdffonts lists them, without the subset tag."""
    names = set()
    for pdf in pdfs:
        listing = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        for line in listing.splitlines()[2:]:
            names.add(re.sub(r"^[A-Z]{6}\+", "", line.split()[0]))
    return names


def icon_sets(site: Path) -> set[str]:
    """The theme's icon sets whose icons the pages and the theme's styles draw."""
    sets: dict[str, str] = {}
    for icon in (THEME / ".icons").rglob("*.svg"):
        for d in re.findall(r'\sd="([^"]+)"', icon.read_text(encoding="utf-8")):
            sets.setdefault(d, icon.relative_to(THEME / ".icons").parts[0])
    drawn = set()
    for css in (site / "assets" / "stylesheets").glob("*.css"):
        drawn.update(re.findall(r"\sd='([^']+)'", css.read_text(encoding="utf-8")))
    for page in site.rglob("*.html"):
        for svg in re.findall(r"<svg.*?</svg>", page.read_text(encoding="utf-8"), re.S):
            drawn.update(re.findall(r'\sd="([^"]+)"', svg))
    return {sets[d] for d in drawn if d in sets}


# ---------------------------------------------------------------------------------------------
# The licence and what may be combined with it
# ---------------------------------------------------------------------------------------------


def test_the_project_is_mit_licensed() -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert re.search(r"^Copyright \(c\) 20\d\d \S.*contributors$", text, re.M)
    assert "Permission is hereby granted, free of charge, to any person obtaining a copy" in text
    assert 'THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND' in text
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "MIT" in readme and "giay-phep/" in readme and routes.NOTICES in readme


def requirements(name: str) -> list[str]:
    return [line.split("==")[0] for line in (ROOT / name).read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith(("#", "-r"))]


def test_nothing_the_build_installs_is_gpl() -> None:
    # What the build imports (requirements.txt) and what the site ships from npm: permissive or
    # file-level copyleft (MPL), so that MIT can be the project's licence. GPL-family packages stay
    # in tests or the benchmark.
    licences = {name: notices.python_licence(metadata.distribution(name)) for name in requirements("requirements.txt")}
    assert len(licences) > 30
    assert not {n: lic for n, lic in licences.items() if gpl_only(lic)}, licences
    assert not gpl_only("GNU General Public License v2 or later (GPLv2+) / Mozilla Public License 1.1 (MPL 1.1)")
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    shipped = {name: entry.get("license", "") for name, entry in lock.items() if name and not entry.get("dev")}
    assert "node_modules/iframe-worker" in shipped
    assert not {n: lic for n, lic in shipped.items() if gpl_only(lic)}, shipped
    # The check can fail: the benchmark's place names are GPL, and so is the CairoSVG of the tests.
    assert gpl_only(notices.python_licence(metadata.distribution("CairoSVG")))
    # The GPL place names serve the benchmark and the tests (the national list), never the product.
    assert "vietnam-provinces" in requirements("requirements-bench.txt")
    assert "vietnam-provinces" not in requirements("requirements.txt")


def product_files() -> list[Path]:
    tools = [p for p in (ROOT / "tools").glob("*.py") if not p.name.startswith("bench")]
    return sorted((ROOT / "hooks").rglob("*.py")) + tools


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith(FORBIDDEN):
            names.add(node.value)  # importlib.import_module("vietnam_provinces")
    return {n.split(".")[0] for n in names}


def test_the_product_never_imports_the_gpl_place_names() -> None:
    files = product_files()
    assert len(files) > 15 and ROOT / "hooks" / "microsite_hooks.py" in files
    assert not [p for p in files if FORBIDDEN in imports_of(p)]
    assert FORBIDDEN in imports_of(ROOT / "tools" / "bench_data.py")  # the scan sees an import when there is one


def test_a_whole_build_loads_no_gpl_module(tmp_path: Path) -> None:
    # Imports made at run time, lazily or by a dependency: the modules loaded by a real build.
    script = ("import sys, json\nfrom mkdocs.commands.build import build\nfrom mkdocs.config import load_config\n"
              "build(load_config('mkdocs.yml', site_dir=sys.argv[1]))\n"
              "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))\n")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "site")], cwd=ROOT, capture_output=True,
                            text=True, timeout=600, env={**os.environ, "MEETING_FILE": str(DATA)})
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    assert {"microsite", "yaml", "jinja2"} <= loaded  # the list is the build's
    assert FORBIDDEN not in loaded
    assert (tmp_path / "site" / "giay-phep" / "index.html").is_file()


# ---------------------------------------------------------------------------------------------
# The notices in the site
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def notice_text(real_site: Built) -> str:
    return (real_site.site / routes.NOTICES).read_text(encoding="utf-8")


def test_every_file_package_font_and_icon_set_of_the_site_has_an_entry(real_site: Built, notice_text: str) -> None:
    files = site_assets(real_site.site)
    assert routes.NOTICES in files and "assets/countdown.js" in files and len(files) > 40
    assert any(f.endswith(".js") for f in files) and any(f.endswith(".css") for f in files)
    bundled = bundled_packages(real_site.site)
    assert {"rxjs", "lunr", "clipboard"} <= {p for ps in bundled.values() for p in ps}
    fonts = pdf_fonts(sorted((real_site.site / "maket").glob("*.pdf")))
    assert {"DejaVuSans-Bold"} <= fonts
    sets = icon_sets(real_site.site)
    assert "material" in sets
    assert missing_entries(notice_text, files, fonts, bundled, sets) == []


@pytest.mark.parametrize("work, expected", [
    ("mkdocs-material ", "assets/javascripts/bundle."),
    ("lunr-languages ", "assets/javascripts/lunr/min/lunr.vi.min.js"),
    ("Trang thông tin hội nghị", "assets/countdown.js"),
    ("rxjs ", "rxjs in assets/javascripts/bundle."),
    ("lunr ", "lunr in assets/javascripts/workers/search."),
    ("DejaVu Sans Bold", "font DejaVuSans-Bold"),
    ("Bộ biểu tượng “material”", "icons material"),
])
def test_the_check_fails_when_an_entry_is_missing(real_site: Built, notice_text: str, work: str,
                                                   expected: str) -> None:
    site = real_site.site
    fonts = pdf_fonts([site / "maket" / "tinh.pdf"])
    found = missing_entries(without(notice_text, work), site_assets(site), fonts, bundled_packages(site),
                            icon_sets(site))
    assert any(m.startswith(expected) for m in found), found


def test_the_facts_come_from_what_is_installed(notice_text: str) -> None:
    works = {w["title"][0]: w for w in entries(notice_text)}
    theme = metadata.distribution("mkdocs-material")
    assert works[f"mkdocs-material {theme.version}"]["Giấy phép"] == ["MIT"]
    assert works[f"mkdocs-material {theme.version}"]["Bản quyền"][0].startswith("Copyright (c) 2016-")
    for name in ("rxjs", "iframe-worker", "lunr-languages", "tslib"):
        package = json.loads((ROOT / "node_modules" / name / "package.json").read_text(encoding="utf-8"))
        assert works[f"{name} {package['version']}"]["Giấy phép"] == [package["license"]], name
    bold = next(w for title, w in works.items() if title.startswith("DejaVu Sans Bold "))
    assert bold["Phông"] == ["DejaVuSans-Bold"] and any("Bitstream" in line for line in bold["Bản quyền"])
    if Path("/usr/share/doc/fonts-dejavu-core/copyright").is_file():
        assert "/usr/share/doc/fonts-dejavu-core/copyright" in bold["Nguồn thông tin"][0]
    # Each licence text once, numbered; every work with one points at it.
    texts = re.findall(r"^\[(\d+)\]$", notice_text, re.M)
    assert texts == [str(n) for n in range(1, len(texts) + 1)] and len(texts) >= 10
    assert "Apache License" in notice_text and "Bitstream Vera" in notice_text and "MOZILLA PUBLIC LICENSE" in notice_text


def test_the_npm_pins_are_the_versions_the_theme_carries() -> None:
    # Every source file the theme's source maps keep is byte for byte the same file of the package
    # installed in node_modules: the notices name the version that is really inside.
    compared = 0
    for source_map in (THEME / "assets").rglob("*.map"):
        data = json.loads(source_map.read_text(encoding="utf-8"))
        contents = data.get("sourcesContent") or [None] * len(data["sources"])
        for source, content in zip(data["sources"], contents):
            m = re.search(r"node_modules/(.+)$", source)
            if not m:
                continue
            installed = ROOT / "node_modules" / m.group(1)
            assert installed.is_file(), source
            if content is not None:
                assert installed.read_text(encoding="utf-8") == content, source
                compared += 1
    assert compared > 100


def test_the_page_lists_every_work_and_every_page_links_to_it(real_site: Built, notice_text: str) -> None:
    site = real_site.site
    page = real_site.html("giay-phep/")
    assert "<h1" in page and "Giấy phép và ghi công" in page
    headings = [re.sub(r"<[^>]+>|\s+", " ", h).replace("&amp;", "&").strip()
                for h in re.findall(r"<h3[^>]*>(.*?)</h3>", page, re.S)]
    for work in entries(notice_text):
        assert any(h.startswith(work["title"][0]) for h in headings), work["title"]
    text_link = re.search(r'href="([^"]*GIAY-PHEP\.txt)"', page).group(1)
    assert (site / "giay-phep" / text_link).resolve() == (site / routes.NOTICES).resolve()
    pages = real_site.pages()
    assert len(pages) > 20
    for path in pages:
        html = path.read_text(encoding="utf-8")
        footer = html.split("<footer", 1)[1]
        href = re.search(r'<a class="ms-licence-link" href="([^"]+)">Giấy phép và ghi công</a>', footer).group(1)
        if href.startswith("/"):  # the 404 page, served at any depth
            target = site / href.lstrip("/")
        else:
            target = site / urlsplit(urljoin(path.relative_to(site).as_posix(), href)).path
        assert (target / "index.html").is_file(), (path, href)


def test_every_makets_archive_carries_the_notices(real_site: Built, notice_text: str, tmp_path: Path) -> None:
    archives = sorted((real_site.site / "maket").glob("*.zip"))
    assert archives
    for archive in archives:
        with zipfile.ZipFile(archive) as z:
            folder = archive.stem
            assert z.read(f"{folder}/{notices.ARCHIVE_NAME}").decode("utf-8") == notice_text
            pdfs = [n for n in z.namelist() if n.endswith(".pdf")]
            with_fonts = {f for w in entries(notice_text) for f in w.get("Phông", [])}
            sample = tmp_path / "sample.pdf"
            sample.write_bytes(z.read(pdfs[0]))
            assert pdf_fonts([sample]) <= with_fonts


def test_the_archives_cache_key_covers_the_notices(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    m = load_meeting(DATA)
    prepared = maket.prepare(m, SiteOptions(site_url="https://hoinghi.example.vn/"), point_index(m))
    cache = maket.Cache(maket.cache_root())
    made = [maket._archive(cache, maket._version(), m, prepared.spec, routes.ARCHIVE, None, False, prepared.points,
                           notice) for notice in ("A\n", "B\n")]
    assert made[0] != made[1]
    with zipfile.ZipFile(made[1]) as z:
        assert z.read(f"maket-diem-cau/{notices.ARCHIVE_NAME}") == b"B\n"


def test_a_missing_npm_package_is_named_before_the_build(tmp_path: Path, monkeypatch) -> None:
    notices.check_installed()
    monkeypatch.setattr(notices, "NODE_MODULES", tmp_path)
    with pytest.raises(ValueError, match="node_modules/ chưa có .*make build"):
        notices.check_installed()


# ---------------------------------------------------------------------------------------------
# The offline bundle
# ---------------------------------------------------------------------------------------------


def test_the_offline_bundle_carries_the_notices_and_each_of_its_files_has_an_entry(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    from offline import FOLDER, build_offline

    archive = build_offline(tmp_path / "bundle.zip", meeting=DATA)
    with zipfile.ZipFile(archive) as z:
        names = z.namelist()
        text = z.read(f"{FOLDER}/{routes.NOTICES}").decode("utf-8")
    files = sorted(n[len(FOLDER) + 1:] for n in names if n.startswith(f"{FOLDER}/assets/") and not n.endswith("/"))
    assert "assets/javascripts/iframe-worker.js" in files
    assert f"{FOLDER}/giay-phep.html" in names
    assert missing_entries(text, files) == []
    assert "assets/javascripts/iframe-worker.js" in missing_entries(without(text, "iframe-worker "), files)
