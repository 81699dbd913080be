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
