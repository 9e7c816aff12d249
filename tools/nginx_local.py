"""deploy/nginx.conf, run for real on 127.0.0.1: for tests/test_nginx.py, tests/test_publish.py and
tools/lighthouse.py.

Only the lines marked `# host:` change (pid, logs, port, root), and the user the workers run as
when one is given. nginx starts as root, as on a host, to switch its workers to that user.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONF = ROOT / "deploy" / "nginx.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def local_conf(root: Path, site: Path, port: int, user: str | None = None) -> str:
    """The shipped file with only its `# host:` lines pointed at `root`'s folders and `port`."""
    text = CONF.read_text(encoding="utf-8")
    swaps = [(r"^pid .*$", f"pid {root}/nginx.pid;"),
             (r"^error_log .*$", f"error_log {root}/error.log warn;"),
             (r"^(\s*access_log )\S+", rf"\g<1>{root}/access.log"),
             (r"^(\s*)listen 80 (.*?);.*$", rf"\g<1>listen 127.0.0.1:{port} \g<2>;"),
             (r"^(\s*)root /.*$", rf"\g<1>root {site};")]
    if user:
        swaps.append((r"^user .*$", f"user {user};"))
    for pattern, replacement in swaps:
        text, count = re.subn(pattern, replacement, text, count=1, flags=re.M)
        assert count == 1, f"deploy/nginx.conf no longer has a line matching {pattern}"
    return text


@contextmanager
def running(root: Path, site: Path, user: str | None = None) -> Iterator[tuple[int, subprocess.Popen]]:
    """nginx serving `site` on a free port of 127.0.0.1, its files (conf, logs) in `root`."""
    port = free_port()
    (root / "nginx.conf").write_text(local_conf(root, site, port, user), encoding="utf-8")
    args = [NGINX, "-p", str(root), "-c", str(root / "nginx.conf"), "-e", str(root / "error.log")]
    check = subprocess.run([*args, "-t"], capture_output=True, text=True, timeout=30)
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t: {check.stderr}")
    proc = subprocess.Popen([*args, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(f"nginx stopped: {proc.stderr.read().decode()}") from None
                if time.monotonic() > deadline:
                    raise RuntimeError("nginx did not start listening") from None
                time.sleep(0.05)
        yield port, proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
