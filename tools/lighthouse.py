"""Lighthouse scores of the seed site as published: built by tools/build.py, served by
deploy/nginx.conf on 127.0.0.1 (tools/nginx_local.py), measured on the home page and a point page.

    make lighthouse                                     # 3 runs a page, the median counts
    .venv/bin/python tools/lighthouse.py --runs 1 --pages / dc/tinh/ --json scores.json

Lighthouse 12 (npm `lighthouse`, pinned in package-lock.json) drives Debian's Chromium
(CHROME_PATH=/usr/bin/chromium, headless, no sandbox: it runs as root here) with its defaults:
a mobile phone, simulated slow 4G and a 4x slower CPU. It prints the four category scores
(performance, accessibility, best practices, SEO) and the performance metrics of each page. A
measurement, never part of `make test`. nginx starts as root to switch its workers to www-data,
as on the host.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from build import ROOT, build
from nginx_local import running

LIGHTHOUSE = ROOT / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = {"first-contentful-paint": "FCP", "largest-contentful-paint": "LCP", "total-blocking-time": "TBT",
           "cumulative-layout-shift": "CLS", "speed-index": "SI"}
PAGES = ("/", "/dc/tinh/")


def scores(report: dict) -> dict:
    """The four category scores (0 to 1) and the metrics (ms; CLS unitless) of one Lighthouse report."""
    if report.get("runtimeError"):
        raise RuntimeError(f"Lighthouse: {report['runtimeError'].get('message')}")
    out = {name: report["categories"][name]["score"] for name in CATEGORIES}
    out.update({short: report["audits"][audit]["numericValue"] for audit, short in METRICS.items()})
    return out


def failing(report: dict) -> list[str]:
    """Audits of the report that lose points: what to look at when a score is below 1."""
    weights = {ref["id"]: ref["weight"] for cat in report["categories"].values() for ref in cat["auditRefs"]}
    return sorted(f"{audit['id']} ({audit['score']:.2f}): {audit.get('displayValue', '')}".rstrip(": ")
                  for audit in report["audits"].values()
                  if weights.get(audit["id"]) and audit.get("score") is not None and audit["score"] < 1)


def run_lighthouse(url: str, out: Path) -> dict:
    cmd = ["node", str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
           f"--only-categories={','.join(CATEGORIES)}", "--chrome-flags=--headless=new --no-sandbox"]
    result = subprocess.run(cmd, env={**os.environ, "CHROME_PATH": CHROMIUM}, capture_output=True, text=True,
                            timeout=300)
    if result.returncode != 0:
        raise RuntimeError(f"Lighthouse failed on {url}:\n{result.stderr[-2000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def measure(pages: list[str], runs: int) -> dict[str, dict]:
    """Build the seed, serve it with nginx, run Lighthouse `runs` times a page; the median of each figure."""
    work = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    work.chmod(0o755)  # nginx's workers (www-data) enter it to read the site
    results: dict[str, dict] = {}
    try:
        with running(work, work / "site") as (port, _):
            base = f"http://127.0.0.1:{port}/"
            os.environ["SITE_URL"] = base  # canonical links and QR codes name the address served
            # From a copy of the meeting's folder: a build for 127.0.0.1 is no publication, and
            # tools/build.py would record it in the change log beside the meeting file.
            meeting = Path(os.environ.get("MEETING_FILE") or ROOT / "data" / "meeting.yaml").resolve()
            shutil.copytree(meeting.parent, work / "data")
            os.environ["MEETING_FILE"] = str(work / "data" / meeting.name)
            if build(work / "site", ["--quiet"]) != 0:
                raise SystemExit("the build failed")
            for page in pages:
                reports = [run_lighthouse(base + page.lstrip("/"), work / f"report-{i}.json") for i in range(runs)]
                figures = [scores(r) for r in reports]
                results[page] = {k: statistics.median(f[k] for f in figures) for k in figures[0]}
                results[page]["failing"] = failing(reports[-1])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return results


def table(results: dict[str, dict]) -> str:
    head = ["page", *CATEGORIES, *(f"{m} (ms)" if m != "CLS" else m for m in METRICS.values())]
    rows = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for page, r in results.items():
        cells = [f"`{page}`", *(f"{r[c]:.2f}" for c in CATEGORIES),
                 *(f"{r[m]:.3f}" if m == "CLS" else f"{r[m]:.0f}" for m in METRICS.values())]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", nargs="+", default=list(PAGES), help="site paths (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="runs a page, the median counts (default: %(default)s)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not LIGHTHOUSE.is_file():
        raise SystemExit(f"{LIGHTHOUSE.relative_to(ROOT)} is missing: run `make lighthouse` (it runs npm ci)")
    if os.geteuid() != 0:
        raise SystemExit("nginx must start as root to switch its workers to www-data: run as root")
    results = measure(args.pages, args.runs)
    print(table(results))
    for page, r in results.items():
        if r["failing"]:
            print(f"\n{page}: audits below 1 (last run): " + "; ".join(r["failing"]))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
