"""Build the offline bundle: the site as a zip that opens from file:// with no server and no network.

For halls with no line: copy the zip to a laptop, unzip, open index.html. Navigation and search work
from the file system. Built in a temporary folder (never disturbs site/); the zip is written beside
its final name and renamed, so a failed build leaves the previous bundle in dist/ as it was.

    python tools/offline.py [--output dist/NAME.zip]
"""

from __future__ import annotations

import argparse
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIM = ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js"
SHIM_DEST = "assets/javascripts/iframe-worker.js"  # as listed in mkdocs.offline.yml
FOLDER = "hoi-nghi"  # the folder the zip unpacks to


def build_offline(output: Path, meeting: Path | None = None) -> Path:
    """Build the file:// variant and zip it to `output`; return `output`. Raises on failure."""
    if not SHIM.is_file():
        raise SystemExit(f"Thiếu {SHIM.relative_to(ROOT)}: chạy `make offline` (lệnh này cài nó bằng npm ci)")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MICROSITE_OFFLINE": "true"}
    if meeting is not None:
        env["MEETING_FILE"] = str(meeting)
    mkdocs = Path(sys.executable).with_name("mkdocs")
    with tempfile.TemporaryDirectory(prefix="offline-") as tmp:
        site = Path(tmp) / FOLDER
        cmd = [str(mkdocs), "build", "--strict", "-f", str(ROOT / "mkdocs.offline.yml"), "--site-dir", str(site)]
        result = subprocess.run(cmd, cwd=ROOT, env=env)
        if result.returncode != 0:
            raise SystemExit(f"Không tạo được bản ngoại tuyến: {output} vẫn giữ nguyên như trước.")
        shutil.copyfile(SHIM, site / SHIM_DEST)
        # Source maps are for developers and weigh more than the site: leave them out of the bundle.
        for path in site.rglob("*.map"):
            path.unlink()
        # Language add-ons of lunr: the search as configured in mkdocs.yml (lang: en) loads none.
        shutil.rmtree(site / "assets" / "javascripts" / "lunr", ignore_errors=True)
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(f".{output.name}.partial")
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as bundle:
            for path in [site, *sorted(site.rglob("*"))]:
                # A fixed date: the same site gives the same zip, whenever it is built. Folders are
                # entries too, with their mode: unzip would make them with the laptop's umask.
                name = path.relative_to(tmp).as_posix() + ("/" if path.is_dir() else "")
                info = zipfile.ZipInfo(name, date_time=(2021, 1, 1, 0, 0, 0))
                if path.is_dir():
                    info.external_attr = (stat.S_IFDIR | 0o755) << 16 | 0x10  # 0x10: MS-DOS folder flag
                    bundle.writestr(info, b"")
                else:
                    info.compress_type = zipfile.ZIP_DEFLATED
                    info.external_attr = (stat.S_IFREG | 0o644) << 16
                    bundle.writestr(info, path.read_bytes())
        partial.chmod(0o644)  # a download for others, whatever the umask of whoever built it
        partial.replace(output)
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "dist" / "hoi-nghi-offline.zip")
    args = parser.parse_args(argv)
    path = build_offline(args.output.resolve())  # MEETING_FILE, if set, reaches mkdocs through the environment
    print(f"Đã tạo bản ngoại tuyến {path} ({path.stat().st_size // 1024} KB): giải nén, mở {FOLDER}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
