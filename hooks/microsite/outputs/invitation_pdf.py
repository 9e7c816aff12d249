"""The invitation as a PDF for download, made at build by WeasyPrint from the page's own paper.

The same HTML fragment (`render/templates/_paper.html.j2`) and the same print stylesheet
(`docs/assets/giay-moi.css`, with its `@page` margins) as the page give the PDF, so the paper
printed from the browser and the file downloaded read alike. The fonts are the site's own
(`paper_fonts`), embedded as subsets. WeasyPrint fetches nothing: every address it asks for maps
to one of those local files, and anything else stops the build.

Kept in the content-keyed cache: the key hashes this package, WeasyPrint's version, the HTML, the
stylesheet and the fonts, so an unchanged invitation is not typeset again.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from ..routes import PAPER_CSS
from .cache import Cache, cache_root, code_version

STYLESHEET = Path(__file__).resolve().parents[3] / "docs" / "assets" / "giay-moi.css"
# The document's base address: a name no host has, so a URL could never leave the machine anyway.
BASE = "https://giay-moi.invalid/"


def pdf(html: str, fonts: list[tuple[str, Path]], stylesheet: Path = STYLESHEET) -> Path:
    """The PDF of the standalone document `html`, which links routes.PAPER_CSS; `fonts` are (path in
    the site, file) as the stylesheet names them."""
    resources = {PAPER_CSS: stylesheet.read_bytes(), **{dest: path.read_bytes() for dest, path in fonts}}
    digests = sorted((url, hashlib.sha256(data).hexdigest()) for url, data in resources.items())
    cache = Cache(cache_root())
    path = cache.path("invitation", Cache.key(_version(), html, digests), "pdf")
    if not cache.lookup(path):
        cache.store(path, _typeset(html, resources))
    return path


@lru_cache(maxsize=1)
def _version() -> str:
    return code_version(packages=("weasyprint", "pydyf", "fonttools"))


def _typeset(html: str, resources: dict[str, bytes]) -> bytes:
    import weasyprint  # only on a cache miss: it loads Pango

    class _Local(weasyprint.URLFetcher):
        def fetch(self, url, headers=None):
            name = url.removeprefix(BASE)
            if name not in resources:
                raise ValueError(f"the invitation's PDF asks for {url}, which is not one of its files")
            kind = "text/css" if name.endswith(".css") else "font/woff2"  # a stylesheet needs its type
            return weasyprint.urls.URLFetcherResponse(url, resources[name], {"Content-Type": kind})

    fetcher = _Local(fail_on_errors=True)
    document = weasyprint.HTML(string=html, base_url=BASE, url_fetcher=fetcher)
    return document.write_pdf(pdf_tags=True, pdf_identifier=hashlib.sha256(html.encode()).hexdigest()[:32].encode())
