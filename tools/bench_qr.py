"""Benchmark QR codes and makets: QR version and module size of each maket, and the time they take.

    .venv/bin/python tools/bench_qr.py                    # the real meeting, cold then warm cache
    .venv/bin/python tools/bench_qr.py --points 1000      # plus 1,000 synthetic district points
    .venv/bin/python tools/bench_qr.py --points 1000 --build   # also time whole `mkdocs build`s

Cold runs use a fresh cache folder; warm runs reuse it. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

import yaml  # noqa: E402

from microsite import SiteOptions, load_meeting  # noqa: E402
from microsite import maket, qr  # noqa: E402
from microsite.outputs.cache import workers  # noqa: E402
from microsite.source.load import load_yaml  # noqa: E402


def meeting_file(source: Path, points: int, folder: Path) -> Path:
    if not points:
        return source
    data = load_yaml(source).data
    data["tiers"][1]["points"] += [{"slug": f"don-vi-{i:05d}", "name": f"Đảng ủy đơn vị số {i}"} for i in range(points)]
    path = folder / "meeting.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def per_item(site_url: str, m) -> None:
    """Median CPU time of each step (process time: the machine may be busy) for one point, measured on the first points of the meeting."""
    sp = maket.spec(m)
    samples: dict[str, list[float]] = {k: [] for k in ("QR matrix", "QR PNG", "QR SVG", "maket SVG",
                                                        "maket PDF", "A4 SVG", "A4 PDF")}
    for _, point in m.points[:10]:
        url = qr.point_url(site_url, point.key) + "?bench"  # defeat the in-process memo
        t = time.process_time()
        code = qr.encode(url, sp.level)
        samples["QR matrix"].append(time.process_time() - t)
        t = time.process_time()
        qr.png(code)
        samples["QR PNG"].append(time.process_time() - t)
        t = time.process_time()
        qr.svg(code)
        samples["QR SVG"].append(time.process_time() - t)
        pin = maket.PointIn(point.key, point.name, url)
        for name, draw in (("maket", maket.backdrop), ("A4", maket.poster)):
            t = time.process_time()
            drawing = draw(sp, pin, code)
            maket.svg(drawing)
            samples[f"{name} SVG"].append(time.process_time() - t)
            t = time.process_time()
            maket.pdf(drawing)
            samples[f"{name} PDF"].append(time.process_time() - t)
    print("One point, median CPU time of", len(m.points[:10]), "(ms):",
          ", ".join(f"{k} {statistics.median(v) * 1000:.1f}" for k, v in samples.items()))


def prepare_runs(m, site_url: str, cache: Path) -> maket.Prepared:
    os.environ[maket.CACHE_ENV] = str(cache)
    result = None
    for label in ("cold", "warm"):
        maket._memo.clear()
        result = maket.prepare(m, SiteOptions(True, site_url))
        print(f"prepare() {label}: {len(result.points)} points, {result.made} files made, {result.reused} from the "
              f"cache, {result.seconds:.2f} s on up to {workers()} processes")
    return result


def build_runs(meeting: Path, site_url: str, cache: Path, folder: Path) -> None:
    env = {**os.environ, "MEETING_FILE": str(meeting), "SITE_URL": site_url, maket.CACHE_ENV: str(cache),
           "NO_MKDOCS_2_WARNING": "1"}
    mkdocs = Path(sys.executable).with_name("mkdocs")
    for label in ("cold", "warm"):
        if label == "cold":
            shutil.rmtree(cache, ignore_errors=True)
        t = time.perf_counter()
        out = subprocess.run([str(mkdocs), "build", "--strict", "--site-dir", str(folder / f"site-{label}")],
                             cwd=ROOT, env=env, capture_output=True, text=True)
        took = time.perf_counter() - t
        line = re.search(r"QR codes and makets: .*", out.stdout + out.stderr)
        print(f"mkdocs build {label}: {took:.1f} s total (exit {out.returncode}); {line.group(0) if line else '?'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--meeting", type=Path, default=ROOT / "data" / "meeting.yaml")
    parser.add_argument("--points", type=int, default=0, help="add this many synthetic district points")
    parser.add_argument("--site-url", default=os.environ.get("SITE_URL", "https://hoinghi.hatinh.gov.vn/"))
    parser.add_argument("--build", action="store_true", help="also time whole mkdocs builds, cold and warm")
    parser.add_argument("--all", action="store_true", help="list every maket even when there are many")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-qr-") as tmp:
        folder = Path(tmp)
        meeting = meeting_file(args.meeting, args.points, folder)
        m = load_meeting(meeting)
        print(f"{len(m.points)} points, site_url {args.site_url}, {workers()} CPUs")
        per_item(args.site_url, m)
        result = prepare_runs(m, args.site_url, folder / "cache")
        sp = result.spec
        print(f"Backdrop {sp.width_mm} × {sp.height_mm} mm (files at 1:{sp.scale}), QR {sp.qr_width_mm:.0f} mm wide "
              f"for {sp.reading_distance_m:g} m, error correction {sp.level}; A4 poster QR {maket.A4_QR_MM} mm")
        rows = result.points if args.all or len(result.points) <= 60 else result.points[:20]
        print(f"{'point':40} {'version':>7} {'modules':>7} {'module mm':>9} {'A4 mm':>6}  url")
        for p in rows:
            print(f"{p.key[:40]:40} {p.version:>7} {p.modules:>7} {p.module_mm:>9.1f} {p.poster_module_mm:>6.2f}  {p.url}")
        if len(rows) < len(result.points):
            print(f"... {len(result.points) - len(rows)} more (--all lists them)")
        versions = sorted({p.version for p in result.points})
        print(f"QR versions {versions}; module {min(p.module_mm for p in result.points):.1f}–"
              f"{max(p.module_mm for p in result.points):.1f} mm on the backdrop; archive "
              f"{sum(a.size for a in result.archives) / 1e6:.1f} MB")
        if args.build:
            build_runs(meeting, args.site_url, folder / "build-cache", folder)
    return 0


if __name__ == "__main__":
    sys.exit(main())
