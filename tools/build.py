"""Build the site atomically: into a fresh folder beside site/, swapped in only when complete.

MkDocs empties site_dir early in a build; an error after that would leave a half-built site.
Building elsewhere first means a failed build, at any point, leaves the published site/ as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(site: Path, extra_args: list[str]) -> int:
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.new-", dir=site.parent))
    mkdocs = Path(sys.executable).with_name("mkdocs")
    cmd = [str(mkdocs), "build", "--strict", "--site-dir", str(staging), *extra_args]
    result = subprocess.run(cmd, cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print(f"Build failed: {site} was left as it was.", file=sys.stderr)
        return result.returncode
    old = site.with_name(f".{site.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if site.exists():
        site.rename(old)
    staging.rename(site)
    shutil.rmtree(old, ignore_errors=True)
    print(f"Site written to {site}")
    return 0


if __name__ == "__main__":
    target = Path(os.environ.get("SITE_DIR", ROOT / "site"))
    sys.exit(build(target, sys.argv[1:]))
