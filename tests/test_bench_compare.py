"""bench.compare_queries: two versions of the saved queries timed alternately, their answers compared.

No timing is asserted (the benchmark is never part of `make test`); what a rewrite measured with it
relies on is that a changed answer is caught, and that the old queries are those of the revision.
"""
from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.compare_queries import compare, queries_at
from r2pkg.graph.resources import QUERIES_DIR
from r2pkg.graph.savedqueries import load_saved_queries

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "queries" / "graph.trig"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    s = ox.Store()
    s.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    return s


def test_the_same_query_answers_alike_and_both_are_timed(store):
    queries = load_saved_queries()
    result = compare(store, {"old": queries, "new": queries}, "meetings", {}, runs=2)
    assert result["same_answer"] and result["rows"] > 0
    assert result["old"] >= 0 and result["new"] >= 0
    # and by the CPU time of the process, which the other work of a shared machine does not inflate
    assert result["old_cpu"] >= 0 and result["new_cpu"] >= 0


def test_a_rewrite_that_changes_the_answer_is_caught(store):
    queries = load_saved_queries()
    meetings = queries["meetings"]
    reversed_order = dataclasses.replace(meetings, text=meetings.text.replace("ORDER BY ?ordinal ?meeting",
                                                                              "ORDER BY DESC(?ordinal) ?meeting"))
    assert reversed_order.text != meetings.text
    result = compare(store, {"old": queries, "new": {**queries, "meetings": reversed_order}}, "meetings", {}, runs=1)
    assert not result["same_answer"]


def test_the_old_queries_are_those_of_the_revision(tmp_path):
    repo = QUERIES_DIR.parent
    if subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True).returncode != 0:
        pytest.skip("not a git checkout")
    old = queries_at("HEAD", tmp_path)
    committed = subprocess.run(["git", "-C", str(repo), "show", "HEAD:queries/meetings.rq"], capture_output=True,
                               text=True, check=True).stdout
    assert old["meetings"].text in committed and set(old) == {p.stem for p in tmp_path.glob("*.rq")}
