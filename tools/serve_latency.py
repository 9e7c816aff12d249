"""How long after saving data/meeting.yaml does `make serve` show the change in the browser?

Run by hand (`make bench` runs it too). In a throw-away copy of the project it starts the same
`mkdocs serve` as `make serve`, on a free port of 127.0.0.1, and then, several times: loads the
home page, opens the live-reload request the page's own script opens, changes one field of the
meeting file (`meeting.short_title`) and saves it, waits for the live-reload answer (the moment
the browser reloads), loads the page again and checks that the new title is on it. It prints
each latency (save to new page received) and MkDocs' own build time for each rebuild.

    .venv/bin/python tools/serve_latency.py [--edits 7] [--meeting FILE]
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

from bench import copy_project  # noqa: E402

FIELD = re.compile(r"^(  short_title: )(.*)$", re.M)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 120) -> str:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read().decode("utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=7, help="how many saves to time (default: %(default)s)")
    parser.add_argument("--meeting", type=Path, help="serve this meeting file instead of the seed's")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="microsite-serve-"))
    project = copy_project(work / "project")
    meeting = project / "data" / "meeting.yaml"
    if args.meeting:
        shutil.copy(args.meeting, meeting)
    source = meeting.read_text(encoding="utf-8")
    if not FIELD.search(source):
        raise SystemExit(f"{meeting}: no 'meeting.short_title' line to edit")
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = (work / "serve.log").open("w+b")
    mkdocs = Path(sys.executable).with_name("mkdocs")
    server = subprocess.Popen([str(mkdocs), "serve", "--strict", "--dev-addr", f"127.0.0.1:{port}"], cwd=project,
                              stdout=log, stderr=subprocess.STDOUT, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
    latencies: list[float] = []
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                page = get(base, timeout=5)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise SystemExit("mkdocs serve did not start:\n" + log.read().decode(errors="replace"))
                time.sleep(0.2)
        print(f"Serving a copy of the project on {base}", file=sys.stderr)
        for i in range(1, args.edits + 1):
            time.sleep(1.5)  # let the previous rebuild settle, as a person editing would
            page = get(base)
            epoch, request = re.search(r"livereload\((\d+), (\d+)\)", page).groups()
            answered = threading.Event()

            def long_poll() -> None:
                get(f"{base}livereload/{epoch}/{request}")
                answered.set()

            threading.Thread(target=long_poll, daemon=True).start()
            time.sleep(0.3)  # the page's script has its request open before the user saves
            title = f"Hội nghị trực tuyến toàn tỉnh — lần sửa {i}"
            text = FIELD.sub(lambda m: m.group(1) + title, source, count=1)
            saved = time.perf_counter()
            meeting.write_text(text, encoding="utf-8")
            if not answered.wait(60):
                raise SystemExit("no live-reload answer within 60 s")
            page = get(base)
            shown = time.perf_counter()
            if title not in page:
                raise SystemExit(f"edit {i}: the reloaded page does not show the new title")
            latencies.append(shown - saved)
            print(f"edit {i}: visible {shown - saved:.2f} s after saving", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(30)
        log.seek(0)
        output = log.read().decode(errors="replace")
        shutil.rmtree(work, ignore_errors=True)
    builds = [float(x) for x in re.findall(r"Documentation built in ([\d.]+) seconds", output)][1:]
    print(f"One-field edit of the meeting file under `mkdocs serve`, {len(latencies)} saves: visible after "
          f"median {statistics.median(latencies):.2f} s, best {min(latencies):.2f} s, worst {max(latencies):.2f} s; "
          f"MkDocs' rebuild itself: median {statistics.median(builds):.2f} s" if builds else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
