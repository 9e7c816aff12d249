"""deploy/nginx.conf, run for real: Debian's nginx on 127.0.0.1 serving a freshly built site.

Headers (compression, caching, types, security), a burst of 1,000 concurrent requests across
every file of the site (0 errors; p50/p99 printed), and Chromium loading pages and searching
under the Content-Security-Policy with no violation reported.
"""

from __future__ import annotations

import asyncio
import gzip
import http.client
import os
import re
import resource
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from browser_support import running_chromium
from conftest import ROOT, Built
from nginx_local import CONF, running

BURST = 1000
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".json": "application/json; charset=utf-8",
         ".map": "application/json; charset=utf-8", ".xml": "application/xml; charset=utf-8",
         ".png": "image/png", ".gz": "application/gzip", ".svg": "image/svg+xml; charset=utf-8",
         ".ics": "text/calendar; charset=utf-8", ".pdf": "application/pdf",
         ".webmanifest": "application/manifest+json; charset=utf-8", ".vcf": "text/vcard; charset=utf-8",
         ".jpg": "image/jpeg", ".webp": "image/webp", ".woff2": "font/woff2", ".txt": "text/plain; charset=utf-8",
         ".zip": "application/zip", ".jpeg": "image/jpeg", ".rtf": "application/rtf",
         ".doc": "application/msword", ".xls": "application/vnd.ms-excel", ".ppt": "application/vnd.ms-powerpoint",
         ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
         ".odt": "application/vnd.oasis.opendocument.text", ".ods": "application/vnd.oasis.opendocument.spreadsheet",
         ".odp": "application/vnd.oasis.opendocument.presentation"}
# Outputs other parts of the project add (makets, calendars, documents, the offline manifest):
# probes of each type, so their headers are tested before those outputs exist.
PROBES = {"probe/cal.ics": b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n" * 20,
          "probe/maket.svg": b"<svg xmlns='http://www.w3.org/2000/svg'><text>H\xe1\xbb\x99i ngh\xe1\xbb\x8b</text></svg>" * 20,
          "probe/doc.pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"0" * 500,
          "probe/app.webmanifest": b'{"name": "H\xe1\xbb\x99i ngh\xe1\xbb\x8b", "start_url": "../"}' + b" " * 400,
          "probe/inline.html": b"<!doctype html><html><head><title>csp</title></head><body>"
                               b"<script>document.title='ran'</script></body></html>",
          ".site.new-x/index.html": b"half-built"}


def served_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.is_file() and not any(
        part.startswith(".") for part in p.relative_to(site).parts))


class Server:
    def __init__(self, site: Path, port: int, proc: subprocess.Popen) -> None:
        self.site, self.port, self.proc = site, port, proc
        self.access_log = site.parent / "access.log"
        self.base = f"http://127.0.0.1:{port}/"

    def get(self, path: str, **headers) -> tuple[http.client.HTTPResponse, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        conn.close()
        return response, body


@pytest.fixture(scope="module")
def server(real_site: Built):
    if os.geteuid() != 0 and "user www-data" in CONF.read_text():
        pytest.skip("nginx must start as root to switch to www-data, as on the host")
    # A folder the www-data workers can read, as on the host (pytest's own are private to root).
    root = Path(tempfile.mkdtemp(prefix="nginx-test-"))
    root.chmod(0o755)
    site = root / "site"
    shutil.copytree(real_site.site, site)
    for rel, content in PROBES.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(content)
    for folder in [site, *(p for p in site.rglob("*") if p.is_dir())]:
        folder.chmod(0o755)
    try:
        with running(root, site) as (port, proc):
            yield Server(site, port, proc)
    finally:
        shutil.rmtree(root, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------------------------


def test_pages_are_compressed_and_cached_briefly(server: Server) -> None:
    response, body = server.get("/", **{"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert response.getheader("Content-Encoding") == "gzip"
    assert response.getheader("Vary") == "Accept-Encoding"
    assert gzip.decompress(body) == (server.site / "index.html").read_bytes()
    assert len(body) * 3 < len(gzip.decompress(body))
    assert response.getheader("Cache-Control") == "public, max-age=60"
    response, _ = server.get("/dc/tinh/")
    assert response.getheader("Cache-Control") == "public, max-age=60"
    assert response.getheader("ETag")


def test_fingerprinted_assets_are_cached_for_a_year(server: Server) -> None:
    assets = sorted(p for p in server.site.glob("assets/**/*.min.*") if re.search(r"\.[0-9a-f]{8}\.min\.(js|css)$", p.name))
    names = {p.name.split(".")[0] for p in assets}
    assert {"bundle", "main", "md-base"} <= names
    for path in assets:
        response, _ = server.get("/" + str(path.relative_to(server.site)))
        assert response.getheader("Cache-Control") == "public, max-age=31536000, immutable", path
    response, _ = server.get("/assets/microsite.css")  # not fingerprinted: it may change at any build
    assert response.getheader("Cache-Control") == "public, max-age=300"


def test_our_fingerprints_match_the_files() -> None:
    """The md-*.min.js names carry their sha256: an edit without a rename would be cached for a year."""
    import hashlib

    files = sorted((ROOT / "overrides" / "assets" / "javascripts").glob("*.min.js"))
    assert len(files) == 1
    partials = "".join(p.read_text() for p in (ROOT / "overrides").rglob("*.html"))
    for path in files:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
        assert path.name.split(".")[1] == digest, f"rename {path.name} to {path.name.split('.')[0]}.{digest}.min.js"
        assert path.name in partials


@pytest.mark.parametrize("path", ["/", "/dc/tinh/", "/no-such-page/", "/assets/microsite.css", "/probe/maket.svg"])
def test_security_headers_on_every_response(server: Server, path: str) -> None:
    response, _ = server.get(path)
    assert response.status in (200, 404)
    csp = response.getheader("Content-Security-Policy") or ""
    directives = dict((d.split() + [""])[:2] for d in csp.split("; "))
    assert directives["default-src"] == "'self'" and directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Referrer-Policy") == "strict-origin-when-cross-origin"
    assert response.getheader("X-Frame-Options") == "DENY"
    assert response.getheader("Server") == "nginx"  # no version


def test_missing_pages_get_the_site_404_page(server: Server) -> None:
    response, body = server.get("/no-such-page/")
    assert response.status == 404
    assert body == (server.site / "404.html").read_bytes()


def test_folder_without_slash_redirects_without_naming_the_host(server: Server) -> None:
    response, _ = server.get("/dc/tinh")
    assert response.status == 301
    assert response.getheader("Location") == "/dc/tinh/"


def test_hidden_files_and_other_methods_are_refused(server: Server) -> None:
    response, _ = server.get("/.site.new-x/index.html")
    assert response.status == 404
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("POST", "/", body=b"x")
    assert conn.getresponse().status == 405
    conn.close()


def test_every_file_is_served_with_its_type(server: Server) -> None:
    files = served_files(server.site)
    wrong = []
    for path in files:
        rel = str(path.relative_to(server.site))
        response, body = server.get("/" + rel)
        expected = TYPES.get(path.suffix.lower(), "?")
        if response.status != 200 or response.getheader("Content-Type") != expected or body != path.read_bytes():
            wrong.append((rel, response.status, response.getheader("Content-Type"), expected))
    assert wrong == []
    assert {".ics", ".svg", ".pdf", ".webmanifest"} <= {p.suffix for p in files}


# ---------------------------------------------------------------------------------------------
# Load
# ---------------------------------------------------------------------------------------------


def _decode_chunked(body: bytes) -> bytes:
    out, rest = b"", body
    while True:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            return out
        out, rest = out + rest[:size], rest[size + 2:]


async def _fetch(port: int, path: str, expected: bytes) -> tuple[float, str | None]:
    start = time.perf_counter()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(f"GET {path}?burst HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n"
                     "Connection: close\r\n\r\n".encode())
        await writer.drain()
        data = await reader.read()
        writer.close()
        elapsed = time.perf_counter() - start
        head, _, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        if not lines[0].startswith("HTTP/1.1 200"):
            return elapsed, f"{path}: {lines[0]}"
        if headers.get("transfer-encoding") == "chunked":
            body = _decode_chunked(body)
        if headers.get("content-encoding") == "gzip":
            body = gzip.decompress(body)
        return elapsed, None if body == expected else f"{path}: body differs ({len(body)} bytes)"
    except (OSError, ValueError, EOFError) as exc:
        return time.perf_counter() - start, f"{path}: {type(exc).__name__}: {exc}"


def test_burst_of_concurrent_requests(server: Server, capsys) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 4096)), hard))
    targets = []
    for path in (p for p in served_files(server.site) if "probe" not in p.parts):
        rel = str(path.relative_to(server.site))
        url = "/" + (rel[:-len("index.html")] if rel.endswith("index.html") else rel)
        targets.append((url, path.read_bytes()))
    pages = sum(1 for url, _ in targets if url.endswith("/"))
    jobs = [targets[i % len(targets)] for i in range(BURST)]

    async def burst():
        return await asyncio.wait_for(asyncio.gather(*(_fetch(server.port, u, b) for u, b in jobs)), timeout=180)

    start = time.perf_counter()
    results = asyncio.run(burst())
    wall = time.perf_counter() - start
    errors = [e for _, e in results if e]
    times = sorted(t for t, _ in results)
    p50, p99 = statistics.median(times), times[int(len(times) * 0.99) - 1]
    # nginx's own $request_time: the server's share, without this single-threaded Python client.
    served = sorted(float(line.split()[-1]) for line in server.access_log.read_text().splitlines()
                    if "?burst " in line)
    s50, s99 = statistics.median(served), served[int(len(served) * 0.99) - 1]
    with capsys.disabled():
        print(f"\nnginx burst: {BURST} concurrent requests over {len(targets)} files ({pages} pages), "
              f"{len(errors)} errors; seen by the client p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms, "
              f"all done in {wall:.2f} s; nginx request_time p50 {s50 * 1000:.0f} ms, p99 {s99 * 1000:.0f} ms")
    assert len(served) == BURST
    assert errors == [], errors[:10]


# ---------------------------------------------------------------------------------------------
# A real browser under the Content-Security-Policy
# ---------------------------------------------------------------------------------------------

WATCH = """window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
  [e.violatedDirective, e.blockedURI, e.sourceFile, e.lineNumber].join(' ')));"""


@pytest.fixture(scope="module")
def browser():
    with running_chromium() as chromium:
        yield chromium


def _open(browser, url: str):
    page = browser.new_page()
    page.add_init_script(WATCH)
    problems, requests = [], []
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
    page.on("request", lambda r: requests.append(r.url))
    page.goto(url, wait_until="networkidle")
    return page, problems, requests


@pytest.mark.parametrize("path", ["", "dc/tinh/"])
def test_site_works_under_its_csp(server: Server, browser, path: str) -> None:
    page, problems, requests = _open(browser, server.base + path)
    assert page.evaluate("window.__violations") == []
    assert problems == []
    # Material's bundle and the scripts moved out of the page ran: it swaps no-js for js.
    assert "js" in page.evaluate("document.documentElement.className").split()
    assert page.evaluate("typeof __md_get") == "function"
    assert all(url.startswith(server.base) for url in requests), "no request to any other host"
    if path == "":
        # Search: a web worker, its scripts and the index, all under the policy.
        page.click("input[data-md-component=search-query]")
        page.wait_for_timeout(500)
        page.keyboard.type("Kỳ Anh", delay=40)
        page.wait_for_selector(".md-search-result__item", timeout=20_000)
        assert page.evaluate("window.__violations") == []
        assert any("search_index.json" in url for url in requests)
    page.close()


def test_the_browser_reports_a_violation_when_there_is_one(server: Server, browser) -> None:
    """Control: an inline script is blocked and reported, so an empty report above means something."""
    page, _, _ = _open(browser, server.base + "probe/inline.html")
    assert page.title() == "csp"  # the script did not run
    assert any("script-src" in v for v in page.evaluate("window.__violations"))
    page.close()
