"""Page weight: bytes transferred for a first visit and for the pages opened after it, in Chromium.

The site is served gzip-compressed with revalidation on every request (tools/static_server.py), as
a plain host would; the browser starts with an empty cache, on a phone-sized screen. Bytes are what
crossed the wire (headers and compressed bodies, as Playwright's request.sizes() reports them),
including the search index that the theme downloads on the first page, before anyone searches.
Targets (issue 5): first page <= 150 KB, each further page <= 20 KB.

    .venv/bin/python tools/bench_weight.py                # the site built from data/meeting.yaml
    .venv/bin/python tools/bench_weight.py --points 10600 # plus that many generated commune points
"""

from __future__ import annotations

import argparse
import itertools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "hooks"))

from chromium import running_chromium  # noqa: E402
from static_server import serve  # noqa: E402

FIRST_LIMIT, NEXT_LIMIT = 150 * 1024, 20 * 1024
SYLLABLES = ("Sơn", "Tây", "Đông", "Hòa", "Phú", "Thạch", "Kỳ", "Cẩm", "Xuân", "Lộc", "Hương", "Đức", "Thanh",
             "Bình", "An", "Mỹ", "Tân", "Trung", "Hà", "Long", "Quang", "Thịnh", "Vĩnh", "Thủy")


def synthetic_meeting(points: int, dest: Path) -> Path:
    """data/meeting.yaml with `points` generated commune points spread over the district points."""
    from microsite.source.load import load_yaml

    data = load_yaml(ROOT / "data" / "meeting.yaml").data
    tiers = data["tiers"]
    parents = [p.get("slug") for p in tiers[1]["points"]]
    names = itertools.cycle(f"{a} {b}" for a in SYLLABLES for b in SYLLABLES if a != b)
    tiers[-1]["points"] = [{"slug": f"xa-{i}", "name": f"Xã {next(names)} {i}", "parent": parents[i % len(parents)]}
                           for i in range(points)]
    dest.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dest


def build(site: Path, meeting: Path | None) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if meeting:
        env["MEETING_FILE"] = str(meeting)
    mkdocs = Path(sys.executable).with_name("mkdocs")
    started = time.monotonic()
    subprocess.run([str(mkdocs), "build", "--strict", "--quiet", "--site-dir", str(site)], cwd=ROOT, env=env,
                   check=True)
    print(f"built {sum(1 for _ in site.rglob('*.html'))} pages in {time.monotonic() - started:.1f} s")


def measure(site: Path) -> list[tuple[str, int, int]]:
    """[(step, requests, bytes)]: home (first visit), a point page, the agenda, then a search."""
    steps = [("home, first visit (empty cache)", None), ("next page: a connection point", "dc/tinh/"),
             ("next page: the agenda", "chuong-trinh/"), ("then a first search (the index arrives)", "search")]
    rows = []
    with serve(site) as base, running_chromium() as browser:
        context = browser.new_context(viewport={"width": 360, "height": 740})
        done: list[tuple[str, int]] = []

        def finished(request) -> None:
            sizes = request.sizes()
            done.append((request.url, sizes["responseHeadersSize"] + sizes["responseBodySize"]))

        context.on("requestfinished", finished)
        page = context.new_page()
        for label, url in steps:
            done.clear()
            if url == "search":
                page.locator("label.md-header__button[for=__search]").click()
                page.locator("input.md-search__input").press_sequentially("ky anh", delay=20)
                page.wait_for_selector(".md-search-result__list > li")
            else:
                page.goto(base + (url or ""), wait_until="networkidle")
            page.wait_for_timeout(300)  # the search worker's own requests
            rows.append((label, len(done), sum(size for _, size in done)))
            if "-v" in sys.argv:
                for request_url, size in done:
                    print(f"    {size:>8}  {request_url.removeprefix(base)}")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description="Bytes transferred per page, in Chromium")
    parser.add_argument("--points", type=int, default=0, help="add this many generated commune points")
    parser.add_argument("-v", action="store_true", help="list every request")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-weight-") as tmp:
        meeting = synthetic_meeting(args.points, Path(tmp) / "meeting.yaml") if args.points else None
        site = Path(tmp) / "site"
        build(site, meeting)
        index = site / "search" / "search_index.json"
        print(f"search index: {index.stat().st_size / 1024:.1f} KB on disk")
        rows = measure(site)
    ok = True
    print("\n| page | requests | transferred | target |\n| --- | ---: | ---: | ---: |")
    for i, (label, count, size) in enumerate(rows):
        if "search" in label:
            print(f"| {label} | {count} | {size / 1024:.1f} KB | |")
            continue
        limit = FIRST_LIMIT if i == 0 else NEXT_LIMIT
        ok &= size <= limit
        print(f"| {label} | {count} | {size / 1024:.1f} KB | ≤ {limit // 1024} KB{'' if size <= limit else ' ✗'} |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
