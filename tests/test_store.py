"""The served store changes only when a build has fully succeeded."""
from __future__ import annotations

import pyoxigraph as ox
import pytest

from r2pkg.graph import store as stores

EX = "http://example.org/"


def _quad(n: int) -> ox.Quad:
    return ox.Quad(ox.NamedNode(f"{EX}s{n}"), ox.NamedNode(f"{EX}p"), ox.Literal(str(n)),
                   ox.NamedNode(f"{EX}g"))


def _publish(data_dir, n: int) -> None:
    with stores.new_build(data_dir) as paths:
        stores.write_store(paths.store, lambda store: store.add(_quad(n)))


def test_a_successful_build_is_served(tmp_path):
    _publish(tmp_path, 1)
    assert stores.has_store(tmp_path)
    assert len(stores.open_store(tmp_path)) == 1


def test_a_failed_build_leaves_the_previous_store_untouched(tmp_path):
    _publish(tmp_path, 1)
    served = stores.current_build(tmp_path).root
    with pytest.raises(RuntimeError):
        with stores.new_build(tmp_path) as paths:
            stores.write_store(paths.store, lambda store: store.add(_quad(2)))
            raise RuntimeError("the build broke half-way")
    assert stores.current_build(tmp_path).root == served
    assert [q.object.value for q in stores.open_store(tmp_path)] == ["1"]
    assert [p.name for p in (tmp_path / "builds").iterdir()] == [served.name]


def test_a_write_that_fails_has_closed_its_store_by_the_time_its_error_is_handled(tmp_path):
    """So that the failed build's directory can be removed whole: an open store's own threads could still
    write files into it."""
    def fails(store: ox.Store) -> None:
        store.add(_quad(1))
        raise OSError("No space left on device")

    try:
        stores.write_store(tmp_path / "store", fails)
    except OSError:
        reopened = ox.Store(str(tmp_path / "store"))   # "lock hold by current process" while it is open
    assert len(reopened) == 1


def test_a_new_build_replaces_the_served_one_and_old_builds_are_pruned(tmp_path):
    for n in range(4):
        _publish(tmp_path, n)
    assert [q.object.value for q in stores.open_store(tmp_path)] == ["3"]
    assert len(list((tmp_path / "builds").iterdir())) == 2


def test_opening_a_missing_store_says_how_to_build_it(tmp_path):
    with pytest.raises(stores.StoreError, match="r2pkg build"):
        stores.open_store(tmp_path / "nothing-here")


def test_a_read_only_store_opens_beside_a_writer(tmp_path):
    _publish(tmp_path, 1)
    writer = stores.open_store(tmp_path, read_only=False)
    reader = stores.open_store(tmp_path)
    assert len(reader) == 1
    del writer


def test_leftovers_of_a_killed_build_are_removed_and_the_last_good_build_kept(tmp_path):
    _publish(tmp_path, 1)
    good = stores.current_build(tmp_path).root
    killed = tmp_path / "builds" / "99991231T235959.999999999-1"
    (killed / "store").mkdir(parents=True)
    _publish(tmp_path, 2)
    assert not killed.exists()
    assert good.exists()


# --- one build at a time: the build lock, pruning and the leftovers of killed builds ----------------

class _HeldBuild:
    """A build running in a thread that stops half-way, its store written, until `finish()`."""

    def __init__(self, data_dir, n: int):
        import threading

        self.inside, self.release, self.error = threading.Event(), threading.Event(), None
        self.thread = threading.Thread(target=self._run, args=(data_dir, n), daemon=True)
        self.thread.start()
        assert self.inside.wait(10), "the held build did not start"

    def _run(self, data_dir, n: int) -> None:
        try:
            with stores.new_build(data_dir) as paths:
                stores.write_store(paths.store, lambda store: store.add(_quad(n)))
                self.inside.set()
                self.release.wait(10)
        except BaseException as exc:  # noqa: BLE001 - reported by finish()
            self.error = exc
            self.inside.set()

    def finish(self) -> None:
        self.release.set()
        self.thread.join(10)
        if self.error:
            raise self.error


def _served_values(data_dir) -> list[str]:
    return [q.object.value for q in stores.open_store(data_dir)]


def test_a_second_build_is_refused_at_once_naming_the_running_one(tmp_path):
    import os

    _publish(tmp_path, 1)
    running = _HeldBuild(tmp_path, 2)
    try:
        with pytest.raises(stores.BuildLocked) as refused:
            _publish(tmp_path, 3)
    finally:
        running.finish()
    assert str(refused.value) == (f"another build is running in {tmp_path} (pid {os.getpid()}); "
                                  "wait for it or use another --data-dir")
    assert _served_values(tmp_path) == ["2"]


def test_a_build_publishing_while_another_prunes_never_leaves_current_dangling(tmp_path, monkeypatch):
    """The race of two builds: the first publishes, the second publishes, then the first prunes."""
    import threading

    _publish(tmp_path, 1)
    published, pruned = threading.Event(), threading.Event()
    publish = stores._publish

    def publish_then_wait(data_dir, root):
        publish(data_dir, root)
        if threading.current_thread().name == "first":
            published.set()
            pruned.wait(5)   # the second build publishes now; then this one prunes

    monkeypatch.setattr(stores, "_publish", publish_then_wait)
    first = threading.Thread(target=_publish, args=(tmp_path, 2), name="first", daemon=True)
    first.start()
    assert published.wait(10)
    try:
        _publish(tmp_path, 3)
    except stores.BuildLocked:
        pass
    finally:
        pruned.set()
        first.join(10)
    assert stores.current_build(tmp_path) is not None, "current points to a pruned build"
    assert stores.has_store(tmp_path)
    assert _served_values(tmp_path) in (["2"], ["3"])


def test_two_builds_started_together_one_publishes_and_current_always_resolves(tmp_path):
    """Real `r2pkg build` processes, started together three times over."""
    import subprocess
    import sys

    command = [sys.executable, "-c", "from r2pkg.graph.cli import main; raise SystemExit(main())",
               "build", "--quiet", "--data-dir", str(tmp_path)]
    for _ in range(3):
        procs = [subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for _ in range(2)]
        outcomes = [(p.wait(120), p.stderr.read()) for p in procs]
        assert any(status == 0 for status, _ in outcomes), outcomes
        for status, err in outcomes:
            assert "Traceback" not in err
            assert status == 0 or (status == 1 and "another build is running in" in err), err
        assert stores.has_store(tmp_path)
        assert len(stores.open_store(tmp_path)) > 1000


def test_prune_keeps_the_served_build_and_newer_ones(tmp_path):
    _publish(tmp_path, 1)
    newer = tmp_path / "builds" / "99991231T235959.999999999-1"   # complete, from a clock set ahead
    (newer / "store").mkdir(parents=True)
    (newer / ".complete").touch()
    _publish(tmp_path, 2)
    _publish(tmp_path, 3)
    assert newer.exists()
    assert _served_values(tmp_path) == ["3"]
    assert len(list((tmp_path / "builds").iterdir())) == 3   # the served one, the one it replaced, the newer one


def test_a_killed_builds_leftovers_are_removed_even_by_a_build_that_fails(tmp_path):
    """A killed build's directory (no completion marker) is freed before the next build writes."""
    _publish(tmp_path, 1)
    served = stores.current_build(tmp_path).root
    killed = tmp_path / "builds" / "20000101T000000.000000000-1"
    (killed / "store").mkdir(parents=True)
    with pytest.raises(RuntimeError):
        with stores.new_build(tmp_path):
            assert not killed.exists()
            raise RuntimeError("the next build failed too")
    assert not killed.exists()
    assert stores.current_build(tmp_path).root == served
    assert _served_values(tmp_path) == ["1"]
