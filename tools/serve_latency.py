"""How long after saving does `make serve` show the change in the browser?

Run by hand (`make bench` runs it too). In a throw-away copy of the project it starts the same
`mkdocs serve --dirty` as `make serve`, on a free port of 127.0.0.1, and then, several times: loads
the page, opens the live-reload request the page's own script opens, changes one field and saves
the file, waits for the live-reload answer (the moment the browser reloads), loads the page again
and checks that it shows the change. It prints each latency (save to new page received) and
MkDocs' own build time for each rebuild.

    .venv/bin/python tools/serve_latency.py [--edits 7] [--points N | --meeting FILE] [--edit place|title]
    .venv/bin/python tools/serve_latency.py --plain [--points N]   # plain MkDocs, a site of that size

`--edit place` (the default) changes the place of the last connection point and reads its page:
the one-field edit an organizer makes, after which only the pages showing that point change.
`--edit title` changes `meeting.short_title`, shown on every page: everything is built again.
`--plain` serves the benchmark's floor (plain MkDocs, the same theme, one-screen pages; one page
per point of the seed, or N) and edits one page: the baseline the issue compares with.
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "hooks"))

import bench_data  # noqa: E402
from bench import copy_project, write_floor  # noqa: E402
from microsite import load_meeting  # noqa: E402

TITLE = re.compile(r"^(  short_title: )(.*)$", re.M)
PLACE = re.compile(r"^(\s+place: )(.*)$", re.M)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 120) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


def _edit_title(text: str, i: int) -> tuple[str, str]:
    title = f"Hội nghị trực tuyến toàn tỉnh — lần sửa {i}"
    return TITLE.sub(lambda m: m.group(1) + title, text, count=1), title


def _edit_place(text: str, old: str, i: int) -> tuple[str, str]:
    """The point's `place:` line (the last one with that value) says another hall."""
    *_, last = (m for m in PLACE.finditer(text) if m.group(2).strip().strip('"') == old)
    place = f"Hội trường số {i}"
    return text[:last.start(2)] + place + text[last.end(2):], place


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=7, help="how many saves to time (default: %(default)s)")
    parser.add_argument("--meeting", type=Path, help="serve this meeting file instead of the seed's")
    parser.add_argument("--points", type=int, help="serve the benchmark's meeting with this many points")
    parser.add_argument("--edit", choices=("place", "title"), default="place", help="which field to change")
    parser.add_argument("--plain", action="store_true", help="plain MkDocs serving the floor of that size")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="microsite-serve-"))
    project = copy_project(work / "project")
    meeting = project / "data" / "meeting.yaml"
    if args.meeting:
        shutil.copy(args.meeting, meeting)
    elif args.points:
        bench_data.write(args.points, meeting)
    if args.plain:
        count = args.points or len(load_meeting(meeting).points)
        config = ["-f", write_floor(project, count)]
        edited = project / "docs-floor" / "dc" / f"p{count:05d}.md"
        page_url = f"dc/p{count:05d}/"
        source = edited.read_text(encoding="utf-8")

        def change(i: int) -> tuple[str, str]:
            line = f"Sửa lần {i}."
            return source + f"\n{line}\n", line
    else:
        config, edited = [], meeting
        source = meeting.read_text(encoding="utf-8")
        if args.edit == "title":
            page_url = ""

            def change(i: int) -> tuple[str, str]:
                return _edit_title(source, i)
        else:  # the last point that has a place
            point = [p for _tier, p in load_meeting(meeting).points if p.place][-1]
            page_url = f"dc/{point.key}/"

            def change(i: int) -> tuple[str, str]:
                return _edit_place(source, point.place, i)
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = (work / "serve.log").open("w+b")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    # Ours as `make serve` runs it; plain MkDocs as anyone would (its own dirty builds warn, --strict fails).
    flags = ["--strict"] if args.plain else ["--strict", "--dirty"]
    server = subprocess.Popen([str(mkdocs), "serve", *config, *flags, "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=project, stdout=log, stderr=subprocess.STDOUT,
                              env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    latencies: list[float] = []
    try:
        deadline = time.monotonic() + 1800
        while True:
            try:
                page = get(base + page_url, timeout=5)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise SystemExit("mkdocs serve did not start:\n" + log.read().decode(errors="replace"))
                time.sleep(0.2)
        print(f"Serving a copy of the project on {base}", file=sys.stderr)
        for i in range(1, args.edits + 1):
            time.sleep(1.5)  # let the previous rebuild settle, as a person editing would
            page = get(base + page_url)
            epoch, request = re.search(r"livereload\((\d+), (\d+)\)", page).groups()
            answered = threading.Event()

            def long_poll() -> None:
                get(f"{base}livereload/{epoch}/{request}", timeout=600)
                answered.set()

            threading.Thread(target=long_poll, daemon=True).start()
            time.sleep(0.3)  # the page's script has its request open before the user saves
            text, shown_text = change(i)
            saved = time.perf_counter()
            edited.write_text(text, encoding="utf-8")
            if not answered.wait(600):
                raise SystemExit("no live-reload answer within 600 s")
            page = get(base + page_url)
            shown = time.perf_counter()
            if shown_text not in page:
                raise SystemExit(f"edit {i}: the reloaded page does not show the change")
            latencies.append(shown - saved)
            print(f"edit {i}: visible {shown - saved:.2f} s after saving", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(30)
        log.seek(0)
        output = log.read().decode(errors="replace")
        shutil.rmtree(work, ignore_errors=True)
    builds = [float(x) for x in re.findall(r"Documentation built in ([\d.]+) seconds", output)][1:]
    what = "plain MkDocs, one page" if args.plain else f"meeting file, {args.edit}"
    print(f"One-field edit ({what}) under `mkdocs serve {' '.join(flags)}`, {len(latencies)} saves: visible after "
          f"median {statistics.median(latencies):.2f} s, best {min(latencies):.2f} s, worst {max(latencies):.2f} s"
          + (f"; MkDocs' rebuild itself: median {statistics.median(builds):.2f} s" if builds else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
