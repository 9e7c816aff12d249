"""The content-keyed cache: stable keys, atomic entries, pruning that never removes what a build uses."""

from __future__ import annotations

import os
import time
from pathlib import Path

from microsite.outputs.cache import Cache, parallel_map, pool_size


def test_keys_depend_on_every_input_and_the_code_version() -> None:
    key = Cache.key("v1", "qr", "https://a.example/dc/x/", "M")
    assert key == Cache.key("v1", "qr", "https://a.example/dc/x/", "M")
    assert key != Cache.key("v2", "qr", "https://a.example/dc/x/", "M")
    assert key != Cache.key("v1", "qr", "https://a.example/dc/x/", "Q")


def test_entries_are_made_once_then_reused(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    calls = []
    for _ in range(3):
        path = cache.get_or_make("kind", "ab" * 32, "txt", lambda: calls.append(1) or b"data")
    assert path.read_bytes() == b"data" and len(calls) == 1
    assert (cache.made, cache.hits) == (1, 2)
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp-")]


def test_prune_removes_old_and_excess_entries_but_not_those_in_use(tmp_path: Path) -> None:
    old = Cache(tmp_path)
    paths = [old.store(old.path("k", f"{i:02d}" * 32, "bin"), b"x" * 1000) for i in range(6)]
    stale = old.path("k", "ff" * 32, "bin").with_name(".tmp-killed")
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(b"half")
    week_ago = time.time() - 30 * 86400
    for p in paths[:2] + [stale]:
        os.utime(p, (week_ago, week_ago))
    for p in paths[2:4]:
        os.utime(p, (time.time() - 3600, time.time() - 3600))
    build = Cache(tmp_path)
    build.started = time.time()
    assert build.lookup(paths[4]) and build.lookup(paths[5])  # used by this build
    removed = build.prune(max_age_days=14, max_bytes=2500)
    assert [p.exists() for p in paths] == [False, False, False, False, True, True]
    assert removed == 4 and not stale.exists()
    assert build.prune() == 0  # at most once an hour
    (tmp_path / ".pruned").unlink()
    assert build.prune(max_bytes=0) == 0 and paths[4].exists() and paths[5].exists()  # in use: kept


def test_pool_only_for_real_batches(monkeypatch) -> None:
    monkeypatch.setenv("MICROSITE_JOBS", "2")
    assert pool_size(10) == 1 and pool_size(100) == 2
    assert parallel_map(abs, [-1, 2, -3], threshold=1) == [1, 2, 3]  # in two worker processes


def test_theme_templates_are_kept_compiled_and_give_the_same_pages(tmp_path: Path) -> None:
    from conftest import DATA, build_site

    env = {"MICROSITE_CACHE_DIR": str(tmp_path / "cache")}
    first = build_site(DATA, tmp_path / "first", env=env)
    assert first.returncode == 0, first.output
    compiled = sorted((tmp_path / "cache" / "theme").glob("*.cache"))
    assert len(compiled) > 20  # base.html, main.html, the partials...
    second = build_site(DATA, tmp_path / "second", env=env)
    assert second.returncode == 0, second.output
    assert sorted((tmp_path / "cache" / "theme").glob("*.cache")) == compiled
    for page in first.pages():
        assert (second.site / page.relative_to(first.site)).read_bytes() == page.read_bytes(), page


def test_many_entries_are_found_by_folder_and_marked_as_used_at_most_hourly(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    paths = [cache.file("k", f"{i:02x}" * 32, "bin") for i in range(4)]
    for p in paths:
        cache.store(p, b"x")
    missing, marker = cache.file("k", "ee" * 32, "bin"), cache.file("set", "ff" * 32, "json")
    old = time.time() - 2 * 86400

    def age() -> None:
        for p in paths:
            os.utime(p, (old, old))

    age()
    build = Cache(tmp_path)
    assert build.lookup_many([*paths, missing], marker) == set(paths) and build.hits == 4
    assert all(os.stat(p).st_mtime > old + 86400 for p in paths)  # no marker: marked as used now
    build.store(marker, b"{}")  # what the caller does: one entry standing for the set
    age()
    again = Cache(tmp_path)
    assert again.lookup_many(paths, marker) == set(paths)
    assert all(os.stat(p).st_mtime == old for p in paths)  # the set was marked within the hour
    assert again.prune(max_age_days=1, max_bytes=0) == 0  # yet this build uses them: kept
    assert all(os.path.exists(p) for p in paths)
    os.utime(marker, (time.time() - 3700, time.time() - 3700))
    assert Cache(tmp_path).lookup_many(paths, marker) == set(paths)
    assert all(os.stat(p).st_mtime > old + 86400 for p in paths)  # over an hour ago: marked again
