"""Scale benchmark: build synthetic national meetings of growing size and print what it costs.

Run by hand (`make bench`), never by `make test`. For each size N (connection points in tiers
national -> province -> district -> commune, real names from `tools/bench_data.py`), in a
throw-away copy of the project (its `.cache/` and output stay away from the real ones):

1. ours, first build: a fresh copy, no cache from an earlier build;
2. ours, the usual build: again, with the cache the first build left (compiled templates; QR
   codes and makets, reused while their inputs do not change);
3. plain MkDocs with the same theme and configuration, no hooks, building the very files our
   hooks produce (pages written out as Markdown with their front matter, generated assets as
   plain files), with the same navigation;
4. the floor: plain MkDocs, same theme and configuration, no hooks, building N one-screen pages
   (a short title, two paragraphs) out of the navigation, and a home page: what any MkDocs site
   of N pages costs.

Steps 2 to 4 are repeated, interleaved, and the fastest of each counts (the machine may be
shared); then one field is edited and the site built once more. It prints two tables: times
(wall clock with interpreter start, per point, ratios to the floor of the first build, the build
and the build after the edit, ratio to plain MkDocs in wall clock and in CPU time, our own
code's time: import and hooks, time making or finding the QR codes and makets and the calendars,
peak memory of the whole process tree) and sizes (home page, point pages, index pages raw and
gzip, search index, largest other page, sitemap, whole output in bytes and files, in total and
per point).

    .venv/bin/python tools/bench.py                     # N = 10, 100, 1000, all (11,372)
    .venv/bin/python tools/bench.py --sizes 10,1000 --repeat 1
    .venv/bin/python tools/bench.py --profile all       # cProfile of one build, our code only
    .venv/bin/python tools/bench.py --sheets xlsx       # points from spreadsheets, no slugs
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a copy of the project needs to build; the copy keeps our cache and output away from the real ones.
PROJECT_FILES = ("mkdocs.yml", "hooks", "overrides", "docs", "data", "LICENSE", "package-lock.json")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


# ---------------------------------------------------------------------------------------------
# The build, in a child process: MkDocs' own CLI, with each event and our two entry points timed
# ---------------------------------------------------------------------------------------------


def child_build(record: Path, hooks_dir: str | None, cprofile: str | None, mkdocs_args: list[str]) -> int:
    from collections import defaultdict

    from mkdocs.plugins import PluginCollection

    events: dict[str, float] = defaultdict(float)
    phases: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)

    if hooks_dir:  # import the core first, so that the adapter's `from microsite import ...` gets these
        sys.path.insert(0, hooks_dir)
        import jinja2, markdown, mkdocs.commands.build, yaml  # noqa: E401,F401 - MkDocs' own, not ours
        start = time.perf_counter()
        import microsite
        phases["import"] = time.perf_counter() - start

        def timed(name, fn):
            def wrapper(*args, **kwargs):
                start = time.perf_counter()
                out = fn(*args, **kwargs)
                phases[name] += time.perf_counter() - start
                if isinstance(out, list):
                    counts[name] += len(out)
                    for item in out if name == "assets" else ():
                        counts["assets:" + item.dest.split("/", 1)[0]] += 1
                return out
            return wrapper

        for name, label in (("load_meeting", "load"), ("build_pages", "pages"), ("make_build", "build")):
            setattr(microsite, name, timed(label, getattr(microsite, name)))
        # QR codes and makets are made (or found) by maket.prepare, calendars by calendars, both
        # called by build.make, which looks these names up at call time.
        microsite.outputs.maket.prepare = timed("qr_makets", microsite.outputs.maket.prepare)
        microsite.build.calendars = timed("calendars", microsite.build.calendars)

    def run_event(self, name, item=None, **kwargs):
        pass_item = item is not None
        for method in self.events[name]:
            self._current_plugin = self._event_origins.get(method, "<unknown>")
            start = time.perf_counter()
            result = method(item, **kwargs) if pass_item else method(**kwargs)
            events[f"{name}:{self._current_plugin}"] += time.perf_counter() - start
            if result is not None:
                item = result
        self._current_plugin = None
        return item

    PluginCollection.run_event = run_event
    from mkdocs.__main__ import cli

    profiler = None
    if cprofile:
        import cProfile
        profiler = cProfile.Profile()
        profiler.enable()
    start = time.perf_counter()
    try:
        cli.main(["build", *mkdocs_args], standalone_mode=False)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    except Exception as exc:  # noqa: BLE001 - report and fail, the parent prints the output
        print(f"build failed: {exc}", file=sys.stderr)
        code = 1
    total = time.perf_counter() - start
    if profiler:
        profiler.disable()
        profiler.dump_stats(cprofile)
    record.write_text(json.dumps({"total": total, "events": events, "phases": phases, "counts": counts}))
    return code


# ---------------------------------------------------------------------------------------------
# Running a build from the parent: wall time and the peak memory of the process tree
# ---------------------------------------------------------------------------------------------


@dataclass
class Run:
    wall: float  # seconds, from process start to exit
    cpu: float  # user + system seconds of the build and its children (less disturbed by other load)
    peak_tree_mb: float  # sum of the resident sets of the build and its children, sampled every 50 ms
    peak_single_mb: float  # largest resident set of one process (the kernel's own account)
    record: dict = field(default_factory=dict)


def _tree_rss(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * PAGE_SIZE
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue
    return total


def run_build(project: Path, config: str, site: Path, env: dict, hooks: bool, cprofile: str | None = None) -> Run:
    """One build in a child process. Ours keeps the change log as `make build` does (tools/build.py):
    published events keep their SEQUENCE and stamp, and an edit changes its own calendars only."""
    fd, name = tempfile.mkstemp(prefix="bench-record-", suffix=".json")
    os.close(fd)
    record = Path(name)
    if hooks:
        # Imported here, in the parent only: tools/build.py imports the product from this checkout,
        # and the child build must import it from the project's copy.
        from build import record_path, settle_log

        change_log = record_path(site)
        env = {**env, "MICROSITE_RECORD": str(change_log)}
    cmd = [sys.executable, str(Path(__file__).resolve()), "_build", str(record),
           str(project / "hooks") if hooks else "-", cprofile or "-",
           "--strict", "--quiet", "-f", str(project / config), "--site-dir", str(site)]
    peak = 0
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=project, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output: list[bytes] = []
    reader = threading.Thread(target=lambda: output.append(proc.stdout.read()))
    reader.start()
    while True:
        peak = max(peak, _tree_rss(proc.pid))
        done, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.05)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    reader.join()
    text = b"".join(output).decode(errors="replace")
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({' '.join(cmd)}):\n{text}")
    data = json.loads(record.read_text())
    record.unlink()
    if hooks:
        with contextlib.redirect_stdout(io.StringIO()):  # its line for organizers
            settle_log(change_log, published=True)
    return Run(wall, usage.ru_utime + usage.ru_stime, peak / 2**20, usage.ru_maxrss / 1024, data)


# ---------------------------------------------------------------------------------------------
# The baseline: plain MkDocs building the files our hooks produce
# ---------------------------------------------------------------------------------------------


def write_baseline(project: Path, env: dict) -> str:
    """Run our on_config and on_files in this process, write what they produce as plain files."""
    import yaml
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    old_env = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    cwd = os.getcwd()
    os.chdir(project)
    try:
        config = load_config(str(project / "mkdocs.yml"))
        config = config.plugins.on_config(config)
        files = config.plugins.on_files(get_files(config), config=config)
        docs = project / "docs-baseline"
        for f in files:
            dest = docs / f.src_uri
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(f.content_bytes)
        plain = {
            "INHERIT": "mkdocs.yml",
            "docs_dir": "docs-baseline",
            # The hook hands the theme escaped text as Markup (a str): write it out as plain str.
            "site_name": str(config.site_name),
            "site_description": str(config.site_description),
            "nav": [{str(title): src for title, src in item.items()} for item in config.nav],
            "hooks": [],
        }
        (project / "mkdocs-baseline.yml").write_text(yaml.safe_dump(plain, allow_unicode=True), encoding="utf-8")
    finally:
        os.chdir(cwd)
        for k, v in old_env.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return "mkdocs-baseline.yml"


FLOOR_PAGE = """# Điểm cầu {i}

Điểm cầu số {i} của hội nghị trực tuyến toàn quốc. Đại biểu có mặt trước giờ khai mạc 30 phút,
kiểm tra đường truyền, âm thanh và hình ảnh cùng cán bộ kỹ thuật.

Mọi thắc mắc xin liên hệ Văn phòng theo số điện thoại trên giấy mời.
"""


def write_floor(project: Path, n: int) -> str:
    """The floor: `n` one-screen pages and a home page, out of the navigation, built by plain MkDocs."""
    import yaml

    docs = project / "docs-floor"
    shutil.copytree(project / "docs", docs)  # the hand-written assets mkdocs.yml names
    (docs / "index.md").write_text("# Hội nghị\n\nTrang chủ.\n", encoding="utf-8")
    (docs / "dc").mkdir()
    for i in range(1, n + 1):
        (docs / "dc" / f"p{i:05d}.md").write_text(FLOOR_PAGE.format(i=i), encoding="utf-8")
    plain = {"INHERIT": "mkdocs.yml", "docs_dir": "docs-floor", "nav": [{"Trang chủ": "index.md"}], "hooks": []}
    (project / "mkdocs-floor.yml").write_text(yaml.safe_dump(plain, allow_unicode=True), encoding="utf-8")
    return "mkdocs-floor.yml"


# ---------------------------------------------------------------------------------------------
# Measuring the output
# ---------------------------------------------------------------------------------------------


def measure(site: Path) -> dict:
    total = count = 0
    for dirpath, _dirs, names in os.walk(site):
        for name in names:
            total += os.path.getsize(os.path.join(dirpath, name))
            count += 1
    points = sorted(p.stat().st_size for p in (site / "dc").glob("*/index.html"))
    top = (site / "diem-cau" / "index.html").read_bytes()
    groups = [p for p in (site / "diem-cau").glob("*/index.html")]
    biggest = max(groups, key=lambda p: p.stat().st_size).read_bytes() if groups else b""
    search = site / "search" / "search_index.json"
    others = [p for p in site.rglob("*.html") if p.parent.parent.name not in ("dc", "diem-cau")]
    other = max(others, key=lambda p: p.stat().st_size)
    return {
        "other_max": other.stat().st_size, "other_max_page": str(other.parent.relative_to(site)) + "/",
        "files": count, "total": total,
        "point_median": statistics.median(points), "point_max": points[-1], "point_pages": len(points),
        "index": len(top), "index_gz": len(gzip.compress(top)),
        "groups": len(groups), "group_max": len(biggest), "group_max_gz": len(gzip.compress(biggest)) if biggest else 0,
        "search": search.stat().st_size if search.exists() else 0,
        "sitemap": (site / "sitemap.xml").stat().st_size if (site / "sitemap.xml").exists() else 0,
        "home": (site / "index.html").stat().st_size,
    }


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
    except (OSError, StopIteration):
        mem = 0
    import markdown
    import material
    import mkdocs
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} cores, {model}, {mem / 2**20:.0f} GB RAM, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, MkDocs {mkdocs.__version__}, Material {material.__version__}, "
            f"Markdown {markdown.__version__}; load average at start {load}")


def copy_project(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in PROJECT_FILES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif src.exists():
            shutil.copy2(src, dest / name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")  # read by the licence notices
    return dest


def kb(n: float) -> str:
    return f"{n / 1024:.1f}"


def mb(n: float) -> str:
    return f"{n / 2**20:.1f}"


def best(runs: list[Run]) -> Run:
    """The least disturbed of repeated runs (the machine may be shared): the fastest."""
    return min(runs, key=lambda r: r.wall)


def bench(label: str, size: int | None, work: Path, baseline: bool, repeat: int, sheets: str | None = None) -> dict:
    import bench_data

    project = copy_project(work / "project")
    meeting = work / "meeting.yaml"
    n = bench_data.write(size, meeting, sheets)
    env = {"MEETING_FILE": str(meeting)}
    say(f"N={n}: building (ours, first build: empty cache)…")
    cold = run_build(project, "mkdocs.yml", work / "site", env, hooks=True)
    sizes = measure(work / "site")
    shutil.rmtree(work / "site")
    config = write_baseline(project, env) if baseline else None
    floor_config = write_floor(project, n)
    warm, base, floor = [], [], []
    for i in range(repeat):  # interleaved, so that all see the same load on the machine
        say(f"N={n}: building (ours, cache from the previous build) {i + 1}/{repeat}…")
        warm.append(run_build(project, "mkdocs.yml", work / "site", env, hooks=True))
        shutil.rmtree(work / "site")
        if config:
            say(f"N={n}: building (plain MkDocs) {i + 1}/{repeat}…")
            base.append(run_build(project, config, work / "site-baseline", {}, hooks=False))
            shutil.rmtree(work / "site-baseline")
        say(f"N={n}: building (the floor: {n} one-screen pages, plain MkDocs) {i + 1}/{repeat}…")
        floor.append(run_build(project, floor_config, work / "site-floor", {}, hooks=False))
        shutil.rmtree(work / "site-floor")
    say(f"N={n}: building (ours, after editing one point's place)…")
    before = cache_entries(project)
    edit_one_point(meeting)
    edited = asdict(run_build(project, "mkdocs.yml", work / "site", env, hooks=True))
    edited["made"] = len(cache_entries(project) - before)
    shutil.rmtree(work / "site")
    shutil.rmtree(project)
    row = {"label": label, "n": n, "repeat": repeat, "sizes": sizes, "cold": asdict(cold),
           "warm": asdict(best(warm)), "base": asdict(best(base)) if base else None, "floor": asdict(best(floor)),
           "edited": edited}
    say(summary(row))
    return row


def summary(row: dict) -> str:
    warm, base, floor = row["warm"], row["base"], row["floor"]
    ratio = f", {warm['wall'] / floor['wall']:.2f}× the floor ({floor['wall']:.2f} s)"
    ratio += (f", {warm['wall'] / base['wall']:.2f}× plain MkDocs ({base['wall']:.2f} s; CPU "
              f"{warm['cpu']:.2f} / {base['cpu']:.2f} s)") if base else ""
    hooks = {k.split(":")[0]: round(v, 2) for k, v in warm["record"]["events"].items() if "microsite_hooks" in k}
    phases = {k: round(v, 2) for k, v in warm["record"]["phases"].items()}
    return f"N={row['n']}: first build {row['cold']['wall']:.2f} s, then {warm['wall']:.2f} s{ratio}; our hooks {hooks}; {phases}"


def phase_time(run: dict, phase: str) -> str:
    return f"{run['record']['phases'].get(phase, 0.0):.1f}"


def hooks_time(run: dict) -> float:
    """Our code's own time: importing the package, and every hook."""
    events = sum(v for k, v in run["record"]["events"].items() if "microsite_hooks" in k)
    return events + run["record"]["phases"].get("import", 0.0)


def edit_one_point(meeting: Path) -> None:
    """What an organizer does between two builds: change one field, here the last point's place."""
    lines = meeting.read_text(encoding="utf-8").split("\n")
    i = max(i for i, line in enumerate(lines) if line.lstrip(" -").startswith("place: Hội trường"))
    indent = lines[i][:lines[i].index("place: ")]
    lines[i] = f"{indent}place: Nhà văn hóa thôn Đông (đổi địa điểm)"
    meeting.write_text("\n".join(lines), encoding="utf-8")


def cache_entries(project: Path) -> set[str]:
    return {os.path.join(d, n) for d, _dirs, names in os.walk(project / ".cache") for n in names}


def tables(rows: list[dict]) -> str:
    def table(head: list[str], body: list[list[str]]) -> list[str]:
        return ["| " + " | ".join(head) + " |", "|" + "---:|" * len(head)] + ["| " + " | ".join(r) + " |" for r in body]

    times = []
    sizes = []
    for r in rows:
        c, w, b, f, e, s = r["cold"], r["warm"], r["base"], r["floor"], r["edited"], r["sizes"]
        times.append([
            f"{r['n']:,}", f"{c['wall']:.2f}", f"{w['wall']:.2f}", f"{1000 * w['wall'] / r['n']:.1f}",
            f"{f['wall']:.2f}",
            f"**{w['wall'] / f['wall']:.2f}×** / {c['wall'] / f['wall']:.2f}× / {e['wall'] / f['wall']:.2f}×",
            f"{b['wall']:.2f}" if b else "–",
            f"**{w['wall'] / b['wall']:.2f}×** ({c['wall'] / b['wall']:.2f}×)" if b else "–",
            f"{w['cpu'] / b['cpu']:.2f}×" if b else "–",
            f"{hooks_time(w):.2f}", f"{r['edited']['wall']:.2f} ({r['edited']['made']})",
            f"{phase_time(c, 'qr_makets')} / {phase_time(w, 'qr_makets')}",
            f"{phase_time(c, 'calendars')} / {phase_time(w, 'calendars')}",
            f"{max(c['peak_tree_mb'], w['peak_tree_mb']):.0f}" + (f" ({b['peak_tree_mb']:.0f})" if b else ""),
        ])
        index = f"{kb(s['index'])} ({kb(s['index_gz'])})"
        groups = f"{kb(s['group_max'])} ({kb(s['group_max_gz'])}), {s['groups']} pages" if s["groups"] else "–"
        sizes.append([
            f"{r['n']:,}", kb(s["home"]), f"{kb(s['point_median'])} / {kb(s['point_max'])}", index, groups, mb(s["search"]),
            f"{kb(s['other_max'])} (`{s['other_max_page'].replace('./', '')}`)",
            kb(s["sitemap"]), f"{mb(s['total'])} ({s['files']:,})",
            f"{kb(s['total'] / r['n'])} ({s['files'] / r['n']:.1f})",
        ])
    out = table(["N points", "first build (s)", "build (s)", "per point (ms)", "floor (s)",
                 "ratio to the floor: build / first build / after editing one point", "plain MkDocs (s)",
                 "ratio to plain (first build)", "ratio of CPU time", "our code (s)", "after editing one point (s) (files made)",
                 "QR + makets (s): first / next", "calendars (s): first / next",
                 "peak memory MB (plain)"], times)
    out += [""] + table(["N points", "home page KB", "point page KB: median / largest", "index page KB (gzip)",
                         "largest index group page KB (gzip)", "search index MB",
                         "largest other page KB", "sitemap.xml KB",
                         "output MB (files)", "output per point KB (files)"], sizes)
    return "\n".join(out)


def say(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def profile(label: str, work: Path, sheets: str | None = None) -> None:
    import pstats

    import bench_data

    project = copy_project(work / "project")
    meeting = work / "meeting.yaml"
    n = bench_data.write(None if label == "all" else int(label), meeting, sheets)
    out = str(work / "build.prof")
    run = run_build(project, "mkdocs.yml", work / "site", {"MEETING_FILE": str(meeting)}, hooks=True, cprofile=out)
    say(f"N={n}: {run.wall:.1f} s under cProfile (slower than without); our code, by cumulative time:")
    stats = pstats.Stats(out, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(r"hooks/microsite", 30)
    say(f"Full profile: {out} (python -m pstats {out})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10,100,1000,all",
                        help="comma-separated numbers of points, or 'all' (default: %(default)s)")
    parser.add_argument("--repeat", type=int, help="builds per size after the first, the fastest counts "
                        "(default: 5 up to 100 points, 3 up to 1,000, then 1)")
    parser.add_argument("--no-baseline", action="store_true", help="skip the plain MkDocs builds")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--profile", metavar="SIZE", help="instead, profile one build of this size with cProfile")
    parser.add_argument("--sheets", choices=("xlsx", "csv"), help="provinces, districts and communes from "
                        "spreadsheets of this type (points_file, codes, no slugs) instead of the YAML")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tools"))
    work = args.keep or Path(tempfile.mkdtemp(prefix="microsite-bench-"))
    try:
        if args.profile:
            profile(args.profile, work / f"profile-{args.profile}", args.sheets)
            return 0
        host = machine()
        say(f"Machine: {host}")
        rows = []
        for label in args.sizes.split(","):
            size = None if label == "all" else int(label)
            repeat = args.repeat or (5 if (size or 10**6) <= 100 else 3 if (size or 10**6) <= 1000 else 1)
            rows.append(bench(label, size, work / f"n-{label}", not args.no_baseline, repeat, args.sheets))
        print(f"\nMachine: {host}\n")
        print(tables(rows))
        if args.json:
            args.json.write_text(json.dumps({"machine": host, "rows": rows}, indent=1))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_build":
        record, hooks_dir, cprof, *rest = sys.argv[2:]
        sys.exit(child_build(Path(record), None if hooks_dir == "-" else hooks_dir,
                             None if cprof == "-" else cprof, rest))
    sys.exit(main())
