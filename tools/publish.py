"""`make publish DEST=…`: build the site for its public address and copy it to the web root.

    SITE_URL=https://hoinghi.example.vn/ make publish DEST=/srv/hoinghi/site
    SITE_URL=https://hoinghi.example.vn/ make publish DEST=deploy@may-chu:/srv/hoinghi/site

A site built for an address only this machine opens (SITE_URL unset, 127.0.0.1, localhost) is
refused: its QR codes, sitemap and link previews would lead nowhere. The site is built by
tools/build.py (swapped into site/ only when complete), then copied with
`rsync -a --delete-delay --delay-updates site/ DEST/`: modes kept (0644 files, 0755 folders, what
the web server's user needs), files gone from the site removed from DEST, and the new files put
in place in one quick pass at the end, so that a visitor meanwhile hardly ever meets a page linking
to a file still on its way. A local DEST that holds something other than a site is
refused too: `--delete` would empty it.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from build import ROOT, build

RSYNC = ["rsync", "-a", "--delete-delay", "--delay-updates"]


def loopback_problem(site_url: str | None) -> str | None:
    """Why a site built for `site_url` must not be published, or None."""
    if not site_url:
        return ("Chưa đặt địa chỉ xuất bản SITE_URL: mã QR, sơ đồ trang và ảnh xem trước phải chứa địa chỉ "
                "thật của trang. Chạy lại, ví dụ: SITE_URL=https://hoinghi.example.vn/ make publish DEST=…")
    host = (urlsplit(site_url).hostname or "").lower()
    if host in ("localhost", "0.0.0.0", "::1") or host.startswith("127.") or host.endswith(".localhost"):
        return (f"Trang được dựng cho địa chỉ {site_url}, chỉ mở được trên chính máy này, nên không xuất bản. "
                "Đặt SITE_URL là địa chỉ thật của trang, ví dụ SITE_URL=https://hoinghi.example.vn/")
    return None


def built_for(site: Path) -> str | None:
    """The address the built site was made for: the home page's canonical link."""
    try:
        page = (site / "index.html").read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    match = re.search(r'<link rel="canonical" href="([^"]*)"', page)
    return match.group(1) if match else None


def dest_problem(dest: str) -> str | None:
    if not dest:
        return "Thiếu nơi xuất bản DEST, ví dụ: make publish DEST=/srv/hoinghi/site (hoặc DEST=may-chu:/srv/hoinghi/site)"
    if ":" in dest.split("/", 1)[0]:
        return None  # host:path, checked by rsync on the other side
    folder = Path(dest)
    if folder.is_dir() and any(folder.iterdir()) and not (folder / "index.html").is_file():
        return (f"{dest} đã có dữ liệu nhưng không phải một trang đã xuất bản (không có index.html): "
                "không chép vào đó, vì mọi tệp khác trong thư mục sẽ bị xóa. Chọn thư mục web của trang.")
    return None


def publish(dest: str, site: Path) -> int:
    problem = dest_problem(dest) or loopback_problem(os.environ.get("SITE_URL"))
    if problem:
        print(problem, file=sys.stderr)
        return 2
    if not shutil.which("rsync"):
        print("Không tìm thấy rsync: cài bằng `apt-get install rsync` (make publish tự cài).", file=sys.stderr)
        return 2
    try:
        code = build(site, [])
    except KeyboardInterrupt:  # build.py has said what it left
        return 130
    if code != 0:
        return code
    problem = loopback_problem(built_for(site))  # mkdocs.yml could set another address than SITE_URL
    if problem:
        print(problem, file=sys.stderr)
        return 2
    result = subprocess.run([*RSYNC, f"{site}/", f"{dest.rstrip('/')}/"])
    if result.returncode != 0:
        print(f"rsync dừng với mã {result.returncode}: {dest} có thể mới được chép một phần; chạy lại "
              "make publish khi đã khắc phục.", file=sys.stderr)
        return result.returncode
    print(f"Đã xuất bản {site} tới {dest} ({built_for(site)})")
    return 0


if __name__ == "__main__":
    target = Path(os.environ.get("SITE_DIR", ROOT / "site"))
    sys.exit(publish(sys.argv[1] if len(sys.argv) > 1 else "", target))
