"""Build the site atomically: into a fresh folder beside site/, swapped in only when complete.

MkDocs empties site_dir early in a build; an error after that would leave a half-built site.
Building elsewhere first means a failed build, at any point (the YAML, a template, a hook, a full
disk, Ctrl-C), leaves the published site/ as it was, and the half-built folder is removed.

The swap is one renameat2(RENAME_EXCHANGE) where the kernel and file system offer it (Linux
ext4, xfs, btrfs, tmpfs): readers see the old tree or the new one, never neither. Elsewhere it
falls back to two renames, with a window of microseconds in which site/ does not exist. Either
way a reader already inside the old tree (a file being sent) finishes from the old copy, which is
deleted only after the swap. Concurrent builds wait for each other (a lock on the parent folder).

The site is built readable by a web server running as another user, whatever the umask of the
shell that runs this: folders 0755, files 0644 (`PUBLIC_UMASK`, and the staging folder, which
mkdtemp makes 0700, opened up before it becomes site/).

The change log beside the meeting file (data/thay-doi.yaml) must record what was published, and
only that: the build prepares the new log under a temporary name and names it in a record file
(MICROSITE_RECORD); this script renames it over the log right after the swap, and removes it when
the build fails. A build that finds nothing changed prepares nothing.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from microsite.outputs.qr import site_url_problem  # noqa: E402
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100
# What every file and folder of the site is created with: 0644 and 0755 (nginx's workers run as
# an unprivileged user; `rsync -a` carries the modes to the server).
PUBLIC_UMASK = 0o022


def build(site: Path, extra_args: list[str]) -> int:
    site = Path(os.path.abspath(site))
    site.parent.mkdir(parents=True, exist_ok=True)
    lock = os.open(site.parent, os.O_RDONLY)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _remove_leftovers(site)
        return _build_locked(site, extra_args)
    finally:
        os.close(lock)


def _build_locked(site: Path, extra_args: list[str]) -> int:
    staging = Path(tempfile.mkdtemp(prefix=f".{site.name}.new-", dir=site.parent))
    staging.chmod(0o755)  # mkdtemp's 0700 would become site/'s, and the web server would answer 403
    record = record_path(site)
    # The engine beside this Python: MkDocs in .venv, ProperDocs in .venv-properdocs (`make properdocs`),
    # which reads mkdocs.yml when named (unnamed, it asks for the file to be renamed properdocs.yml).
    mkdocs = Path(sys.executable).with_name("mkdocs")
    engine = mkdocs if mkdocs.exists() else mkdocs.with_name("properdocs")
    cmd = [str(engine), "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "--site-dir", str(staging),
           *extra_args]
    published = False
    try:
        result = subprocess.run(cmd, cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1",
                                                    "MICROSITE_RECORD": str(record)}, umask=PUBLIC_UMASK)
        complete = result.returncode == 0 and (staging / "index.html").is_file()
        if not complete:
            print(f"Không tạo được trang: {site} vẫn giữ nguyên như trước.", file=sys.stderr)
            return result.returncode or 1
        _swap(staging, site)
        published = True
    except BaseException:  # Ctrl-C, SIGTERM, a failed rename: the published site stays
        print(f"Đã dừng tạo trang: {site} vẫn giữ nguyên như trước.", file=sys.stderr)
        raise
    finally:
        _remove(staging)  # after a swap it holds the previous site
        logged = settle_log(record, published)
    print(f"Đã tạo trang trong {site}")
    return 0 if logged else 1


def record_path(site: Path) -> Path:
    return site.with_name(f".{site.name}.record")


def settle_log(record: Path, published: bool) -> bool:
    """Rename the change log the build prepared over the log if its site was published, else
    discard it. False when the site is out but its log could not be written."""
    try:
        lines = record.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return True
    finally:
        record.unlink(missing_ok=True)
    if len(lines) != 2:  # nothing changed
        return True
    prepared, log = Path(lines[0]), Path(lines[1])
    if not published:
        prepared.unlink(missing_ok=True)
        return True
    try:
        os.replace(prepared, log)
    except OSError as exc:
        print(f"Trang đã đăng nhưng không ghi được nhật ký thay đổi {log} ({exc.strerror}); "
              "lần build sau sẽ báo lại các thay đổi này.", file=sys.stderr)
        return False
    print(f"Đã ghi nhật ký thay đổi {log}: hãy commit tệp này cùng tệp hội nghị.")
    return True


def _swap(new: Path, site: Path) -> None:
    """Put `new` at `site`; the previous site ends up at `new` (removed by the caller)."""
    if not os.path.lexists(site):
        new.rename(site)
        return
    if _exchange(new, site):
        return
    # No atomic exchange here: two renames, with a very short window without site/.
    old = site.with_name(f".{site.name}.old")
    _remove(old)
    site.rename(old)
    new.rename(site)
    old.rename(new)


def _exchange(a: Path, b: Path) -> bool:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _remove(path: Path) -> None:
    if path.is_symlink():
        path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def _remove_leftovers(site: Path) -> None:
    """Folders a killed build (SIGKILL, power cut) could not clean up; we hold the lock, so no
    other build is using them."""
    for stale in site.parent.glob(f".{site.name}.new-*"):
        _remove(stale)
    _remove(site.with_name(f".{site.name}.old"))
    settle_log(record_path(site), published=False)


def _terminate(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def _site_url_problem() -> str | None:
    """MkDocs refuses a SITE_URL without http(s):// in English, before our hook runs: say it first."""
    value = os.environ.get("SITE_URL")
    return site_url_problem(value) if value else None


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _terminate)
    problem = _site_url_problem()
    if problem:
        print(f"Không tạo được trang: {problem}", file=sys.stderr)
        sys.exit(2)
    target = Path(os.environ.get("SITE_DIR", ROOT / "site"))
    try:
        sys.exit(build(target, sys.argv[1:]))
    except KeyboardInterrupt:
        sys.exit(130)
