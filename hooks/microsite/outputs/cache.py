"""A content-keyed file cache and a process pool for generated files that are slow to make.

QR codes, makets and PDFs depend only on their inputs, so a file made once is kept under a hash of
those inputs (and of the code that makes it) and reused by every later build: an unchanged meeting
file rebuilds without making any of them again. The cache lives outside docs/ and site/
(`.cache/microsite/` in the project by default); deleting it at any time is safe.

Nothing here knows what is cached: the QR and maket modules (and the scale work) name their own
kinds of entries.
"""

from __future__ import annotations

import hashlib
import json
import os
import site
import tempfile
import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_PACKAGE = Path(__file__).resolve().parent.parent  # hooks/microsite

# Where the cache lives: MICROSITE_CACHE_DIR, else `.cache/microsite/` in the project.
CACHE_ENV = "MICROSITE_CACHE_DIR"
DEFAULT_ROOT = _PACKAGE.parents[1] / ".cache" / "microsite"

# Entries unused for this long are removed, and the oldest go first when the cache outgrows its cap.
MAX_AGE_DAYS = 14
MAX_BYTES = 4 * 1024**3
# Pruning walks the whole cache; doing it once an hour at most keeps warm builds fast.
PRUNE_EVERY_SECONDS = 3600
# Marking 70,000 entries as used costs a call each: `lookup_many` does it once an hour at most.
TOUCH_EVERY_SECONDS = 3600
# Entries end up in published sites, as hard links where they can (the MkDocs adapter): readable
# by all, as a copy would be, not mkstemp's 0600.
PUBLIC_MODE = 0o644
# Starting worker processes costs about half a second each: only worth it for a real batch.
POOL_THRESHOLD = 48


def code_version(packages: Iterable[str] = ()) -> str:
    """A hash of the whole `microsite` package (code and templates) and of the packages it uses.

    Any output may depend on any rule of the package (a wording rule in text.py, a route, a
    template): hashing a hand-kept list of sources once served backdrops that differed from the
    site. Hashing everything costs a few milliseconds and a cold rebuild after a code change;
    a stale file is never served and no version number has to be bumped by hand.
    """
    h = hashlib.sha256(_package_digest().encode())
    for package in packages:
        h.update(f"{package}=={metadata.version(package)}".encode())
    return h.hexdigest()[:16]


@lru_cache(maxsize=1)
def _package_digest() -> str:
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".j2"):
            h.update(path.relative_to(_PACKAGE).as_posix().encode() + b"\0")
            h.update(path.read_bytes())
    return h.hexdigest()


def cache_root() -> Path:
    return Path(os.environ.get(CACHE_ENV) or DEFAULT_ROOT)


class Cache:
    """Files kept by key: `root/<kind>/<k[:2]>/<k>.<ext>`, written atomically, touched when used."""

    def __init__(self, root: Path | str | None = None) -> None:
        self.root = Path(root) if root else Path(tempfile.gettempdir()) / f"microsite-cache-{os.getuid()}"
        self.started = time.time()
        self.hits = 0
        self.made = 0
        self._used: set[str] = set()  # entries found by `lookup_many`, perhaps not marked: kept by `prune`

    @staticmethod
    def key(version: str, *parts: Any) -> str:
        payload = json.dumps([version, *parts], ensure_ascii=False, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode()).hexdigest()

    def path(self, kind: str, key: str, ext: str) -> Path:
        return Path(self.file(kind, key, ext))

    def file(self, kind: str, key: str, ext: str) -> str:
        """`path` as text: a Path costs several times more to make, which counts at 70,000 entries."""
        return f"{self.root}/{kind}/{key[:2]}/{key}.{ext}"

    def lookup(self, path: Path) -> bool:
        """True if the entry exists; it is then marked as used by this build."""
        try:
            os.utime(path)
        except FileNotFoundError:
            return False
        self.hits += 1
        return True

    def lookup_many(self, paths: Iterable[str], marker: str) -> set[str]:
        """Those of `paths` (entries, from `file`) that exist; they are then used by this build.

        For a national meeting's 70,000 entries: they are found with one listing per folder, not a
        call per file. Marking each as used is a call per file, so it is done only when `marker` (an
        entry standing for the whole set) was last marked over `TOUCH_EVERY_SECONDS` ago. The times
        `prune` goes by are then up to that much old, and `prune` keeps what this build found.
        """
        wanted: dict[str, list[str]] = {}
        for p in paths:
            folder, _, name = p.rpartition("/")
            wanted.setdefault(folder, []).append(name)
        found = set()
        for folder, names in wanted.items():
            try:
                present = set(os.listdir(folder))
            except FileNotFoundError:
                continue
            found.update(f"{folder}/{name}" for name in names if name in present)
        try:
            recent = time.time() - os.stat(marker).st_mtime < TOUCH_EVERY_SECONDS
        except FileNotFoundError:
            recent = False
        if not recent:
            for p in [*found, marker]:
                try:
                    os.utime(p)
                except FileNotFoundError:  # removed meanwhile by another build's prune: make it again
                    found.discard(p)
        self._used.update(found)
        self._used.add(marker)
        self.hits += len(found)
        return found

    def store(self, path: Path | str, data: bytes) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Another build (or worker) may write the same entry at once: write aside, then rename.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        os.fchmod(fd, PUBLIC_MODE)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
        self.made += 1
        return path

    def store_with(self, path: Path | str, write: Callable[[str], None]) -> Path:
        """Like `store`, for writers that want a file name (C libraries write faster to a file)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        os.close(fd)
        try:
            write(tmp)
            os.chmod(tmp, PUBLIC_MODE)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        self.made += 1
        return path

    def get_or_make(self, kind: str, key: str, ext: str, make: Callable[[], bytes]) -> Path:
        path = self.path(kind, key, ext)
        return path if self.lookup(path) else self.store(path, make())

    def prune(self, max_age_days: float = MAX_AGE_DAYS, max_bytes: int = MAX_BYTES) -> int:
        """Remove entries unused for `max_age_days`, then the least recently used above `max_bytes`.

        Entries used by the running build are never removed, whatever the cap.
        """
        stamp = self.root / ".pruned"
        try:
            if time.time() - stamp.stat().st_mtime < PRUNE_EVERY_SECONDS:
                return 0
        except FileNotFoundError:
            pass
        if not self.root.is_dir():
            return 0
        entries = []
        for dirpath, _dirs, names in os.walk(self.root):
            for name in names:
                p = os.path.join(dirpath, name)
                st = os.stat(p)
                if name.startswith(".tmp-") and st.st_mtime < self.started - 86400:
                    os.unlink(p)  # left by a build that was killed while writing
                elif not name.startswith("."):
                    entries.append((st.st_mtime, st.st_size, p))
        entries.sort()
        total = sum(size for _, size, _ in entries)
        cutoff = time.time() - max_age_days * 86400
        removed = 0
        for mtime, size, p in entries:
            if mtime >= self.started - 1 or (mtime >= cutoff and total <= max_bytes):
                break
            if p in self._used:  # used by this build, though marked up to an hour ago (lookup_many)
                continue
            os.unlink(p)
            total -= size
            removed += 1
        stamp.touch()
        return removed


def workers() -> int:
    """How many processes to use: the CPUs this process may run on, or MICROSITE_JOBS."""
    wanted = os.environ.get("MICROSITE_JOBS")
    if wanted and wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def pool_size(count: int, threshold: int = POOL_THRESHOLD) -> int:
    """How many processes `parallel_map` uses for `count` items (1: it runs them here)."""
    jobs = min(workers(), count)
    return jobs if jobs >= 2 and count >= threshold else 1


def parallel_map(fn: Callable[[T], R], items: list[T], threshold: int = POOL_THRESHOLD) -> list[R]:
    """`[fn(x) for x in items]`, spread over worker processes when the batch is large enough.

    `fn` must be a module-level function of this package. Workers are started with 'spawn' (safe
    under `mkdocs serve`, which runs threads); MkDocs puts this package's folder on sys.path only
    while importing the hook, so each worker adds it back before it unpickles any task.
    """
    jobs = pool_size(len(items), threshold)
    if jobs == 1:
        return [fn(x) for x in items]
    # Loaded here: a warm build, with nothing to make, never needs them.
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from multiprocessing import get_context

    chunk = max(1, len(items) // (jobs * 8))
    try:
        with ProcessPoolExecutor(jobs, mp_context=get_context("spawn"), initializer=site.addsitedir,
                                 initargs=(str(_PACKAGE.parent),)) as pool:
            return list(pool.map(fn, items, chunksize=chunk))
    except (BrokenProcessPool, OSError):
        # Workers could not start here (e.g. a main module read from stdin): do it all in this one.
        return [fn(x) for x in items]
