"""What the app reads of the whole graph is read once per build: a figure for the build's life, a large answer
(a class's list) among the latest few. A new build is read again."""
from __future__ import annotations

from r2pkg.webapp.graphdata import KEPT_PER_BUILD, GraphData


def counted(calls: list[str], name: str):
    def make():
        calls.append(name)
        return len(calls)
    return make


def test_a_figure_is_read_once_however_many_lists_are_browsed(built_data_dir):
    data = GraphData(built_data_dir)
    calls: list[str] = []
    first = data.once_per_build("figure", counted(calls, "figure"), small=True)
    for i in range(KEPT_PER_BUILD * 2):
        data.once_per_build(("list", i), counted(calls, f"list {i}"))
    assert data.once_per_build("figure", counted(calls, "figure"), small=True) == first
    assert calls.count("figure") == 1


def test_only_the_latest_large_answers_are_kept(built_data_dir):
    data = GraphData(built_data_dir)
    calls: list[str] = []
    for i in range(KEPT_PER_BUILD + 1):
        data.once_per_build(("list", i), counted(calls, f"list {i}"))
    data.once_per_build(("list", KEPT_PER_BUILD), counted(calls, f"list {KEPT_PER_BUILD}"))
    data.once_per_build(("list", 0), counted(calls, "list 0"))
    assert calls.count(f"list {KEPT_PER_BUILD}") == 1       # the latest: kept
    assert calls.count("list 0") == 2                         # the oldest: read again


def test_the_counts_a_page_shows_are_the_builds(built_data_dir, built_report):
    data = GraphData(built_data_dir)
    assert data.statement_count() == built_report.total_quads
    assert data.quad_count() > data.statement_count()         # the merged default graph holds them again
