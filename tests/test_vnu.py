"""The W3C Nu HTML checker (vnu-jar, pinned in package-lock.json; Java from Debian) on every built page.

One JVM run checks every page of three built sites (the seed meeting, two tiers with communes,
documents with an outcome), a plain Material site and a control page. An error whose message the
plain Material site shows too is the theme's: listed apart, with the reason, in THEME_ERRORS. Any
other error is ours and fails the test, named with its page type.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from conftest import MKDOCS, ROOT, Built

from mkdocs.utils.yaml import yaml_load

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Errors a plain Material 9 page has too (same theme settings, no overrides, no hooks), and why.
THEME_ERRORS = {
    "Attribute “autocomplete” is only allowed when the input type is “color”, “date”, “datetime-local”, "
    "“email”, “hidden”, “month”, “number”, “password”, “range”, “search”, “tel”, “text”, “time”, “url”, or "
    "“week”.":
        "Material's base.html writes autocomplete=\"off\" on its hidden checkbox toggles (#__drawer, "
        "#__search) so that browsers do not restore their state; HTML allows autocomplete on text-like "
        "inputs only.",
    "The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.":
        "Material's partials/toc.html labels the table of contents for the #__toc toggle, which its nav "
        "writes only on a page that is in the navigation; pages left out of it (our connection-point "
        "pages, the plain site's second page) keep the label without the control.",
}
# The control page: vnu must report this, or an empty report means nothing.
CONTROL = '<!DOCTYPE html><html lang="vi"><head><title>t</title></head><body><p id="x">a</p><p id="x">b</p></body></html>'
CONTROL_MESSAGE = "Duplicate ID “x”."


@dataclass(frozen=True)
class Error:
    site: str  # which built site: a fixture name, "plain" or "control"
    page: str  # site-relative URL ('' for home)
    message: str
    extract: str

    @property
    def page_type(self) -> str:
        """The pages one template makes: 'home', '404', 'dc' (every point), 'nhiem-vu'..."""
        if self.page == "":
            return "home"
        return self.page.split("/", 1)[0].removesuffix(".html")


def plain_material(folder: Path) -> Path:
    """A two-page Material site with our theme settings and Markdown extensions, no overrides, no
    hooks, no assets of ours: one page in the navigation, one left out of it as the point pages are."""
    ours = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    theme = {key: value for key, value in ours["theme"].items() if key != "custom_dir"}
    config = {"site_name": "Trang thử", "site_url": "http://127.0.0.1:8000/", "theme": theme,
              "markdown_extensions": ours["markdown_extensions"], "plugins": ["search"],
              "nav": ["index.md"], "not_in_nav": "/ngoai.md"}
    (folder / "docs").mkdir(parents=True)
    (folder / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    page = "# {0}\n\nMột đoạn văn.\n\n## Mục một\n\nNội dung.\n\n## Mục hai\n\nNội dung.\n"
    (folder / "docs" / "index.md").write_text(page.format("Trang chủ"), encoding="utf-8")
    (folder / "docs" / "ngoai.md").write_text(page.format("Trang ngoài"), encoding="utf-8")
    result = subprocess.run([str(MKDOCS), "build", "--strict", "-f", str(folder / "mkdocs.yml"), "--site-dir",
                             str(folder / "site")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "site"


def check(sites: dict[str, Path]) -> list[Error]:
    """Every error vnu finds on the HTML pages of the sites, in one run of the checker."""
    java = shutil.which("java")
    assert java, "java not found: run `make system-deps` (Debian package default-jre-headless)"
    assert VNU.is_file(), f"{VNU} missing: run `make node-deps` (vnu-jar, pinned in package-lock.json)"
    result = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--errors-only", "--exit-zero-always",
                             "--stdout", "--skip-non-html", *map(str, sites.values())],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    roots = {name: root.resolve() for name, root in sites.items()}
    errors = []
    for message in json.loads(result.stdout)["messages"]:
        assert message["type"] == "error", message  # "non-document-error": the checker could not read a file
        path = Path(unquote(urlsplit(message["url"]).path)).resolve()
        name, root = next((n, r) for n, r in roots.items() if path.is_relative_to(r))
        page = path.relative_to(root).as_posix().removesuffix("index.html")
        errors.append(Error(name, page, message["message"], message.get("extract", "").strip()))
    return errors


@pytest.fixture(scope="module")
def errors(tmp_path_factory, real_site: Built, communes_site: Built, documents_site: Built) -> list[Error]:
    folder = tmp_path_factory.mktemp("vnu")
    control = folder / "control"
    control.mkdir()
    (control / "index.html").write_text(CONTROL, encoding="utf-8")
    return check({"real_site": real_site.site, "communes_site": communes_site.site,
                  "documents_site": documents_site.site, "plain": plain_material(folder / "plain"),
                  "control": control})


def theme_messages(errors: list[Error]) -> set[str]:
    return {e.message for e in errors if e.site == "plain"}


def describe(errors: list[Error]) -> str:
    """One line per (page type, message): how many, on which pages, one extract."""
    grouped: dict[tuple[str, str], list[Error]] = defaultdict(list)
    for e in errors:
        grouped[(e.page_type, e.message)].append(e)
    lines = []
    for (page_type, message), found in sorted(grouped.items()):
        pages = sorted({f"{e.site}:{e.page or '/'}" for e in found})
        lines.append(f"[{page_type}] {message} ×{len(found)} on {', '.join(pages[:3])}"
                     f"{' …' if len(pages) > 3 else ''} | {found[0].extract[:120]!r}")
    return "\n".join(lines)


def test_the_checker_reports_a_broken_page(errors: list[Error]) -> None:
    assert [e.message for e in errors if e.site == "control"] == [CONTROL_MESSAGE]


def test_every_error_plain_material_has_is_known(errors: list[Error]) -> None:
    """The theme's errors are listed apart with their reason; a new one (a Material upgrade) is looked
    at before it is waved through."""
    unexplained = theme_messages(errors) - THEME_ERRORS.keys()
    assert not unexplained, f"plain Material shows errors THEME_ERRORS does not explain: {unexplained}"


def test_no_error_of_our_own_on_any_page_type(errors: list[Error]) -> None:
    theirs = theme_messages(errors)
    built = [e for e in errors if e.site not in ("plain", "control")]
    shared = [e for e in built if e.message in theirs]
    for message in sorted({e.message for e in shared}):  # shown with -rA or on failure, apart
        found = [e for e in shared if e.message == message]
        print(f"The theme's, also on a plain Material page: {message} ×{len(found)} on page types "
              f"{', '.join(sorted({e.page_type for e in found}))}\n    because: {THEME_ERRORS.get(message, '?')}",
              file=sys.stderr)
    ours = [e for e in built if e.message not in theirs]
    assert not ours, "errors of our own:\n" + describe(ours)
