"""Serve a built site on 127.0.0.1 as a plain web host would: for the browser tests and benchmarks.

Threaded (a browser opens several connections), gzip for text types when the browser asks for it,
ETag validation answered with 304, and `Cache-Control: no-cache`: the browser keeps what it fetched
but asks again on every page. That is the least a host offers, so byte counts measured against it
are an upper bound for a host that caches longer. Missing paths get the site's 404 page.

    python tools/static_server.py site/ [port]
"""

from __future__ import annotations

import contextlib
import email.utils
import gzip
import mimetypes
import os
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml",
                "text/calendar")


class Handler(SimpleHTTPRequestHandler):
    compress = True
    _cache: dict[tuple[str, int], bytes] = {}
    _lock = threading.Lock()

    def log_message(self, format: str, *args) -> None:  # quiet: tests read the browser's view instead
        pass

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def do_GET(self) -> None:
        self._serve(body=True)

    def _serve(self, body: bool) -> None:
        url_path = unquote(urlsplit(self.path).path)
        path = Path(self.translate_path(url_path))
        if path.is_dir():
            if not url_path.endswith("/"):
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", url_path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            path = path / "index.html"
        status = HTTPStatus.OK
        if not path.is_file():
            status, path = HTTPStatus.NOT_FOUND, Path(self.directory) / "404.html"
            if not path.is_file():
                self.send_error(HTTPStatus.NOT_FOUND)
                return
        stat = path.stat()
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        if status == HTTPStatus.OK and self.headers.get("If-None-Match") == etag:
            self.send_response(HTTPStatus.NOT_MODIFIED)
            self.send_header("ETag", etag)
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            return
        ctype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = path.read_bytes()
        gzipped = (self.compress and ctype.startswith(COMPRESSIBLE)
                   and "gzip" in self.headers.get("Accept-Encoding", ""))
        if gzipped:
            key = (str(path), stat.st_mtime_ns)
            with self._lock:
                if key not in self._cache:
                    self._cache[key] = gzip.compress(data, compresslevel=6, mtime=0)
                data = self._cache[key]
        self.send_response(status)
        self.send_header("Content-Type", f"{ctype}; charset=utf-8" if ctype.startswith("text/") else ctype)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Last-Modified", email.utils.formatdate(stat.st_mtime, usegmt=True))
        self.send_header("ETag", etag)
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Vary", "Accept-Encoding")
        if gzipped:
            self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        if body:
            self.wfile.write(data)


@contextlib.contextmanager
def serve(root: Path, compress: bool = True) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 at a free port in a background thread; yields the base URL."""
    handler = partial(type("SiteHandler", (Handler,), {"compress": compress}), directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="static-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "site")
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 8000
    handler = partial(Handler, directory=str(root))
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as httpd:
        print(f"Serving {root} at http://127.0.0.1:{port}/ (gzip; Ctrl-C stops)")
        with contextlib.suppress(KeyboardInterrupt):
            httpd.serve_forever()
    os._exit(0)
