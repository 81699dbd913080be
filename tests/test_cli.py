"""The `r2pkg` command as a user runs it: build, query, sparql."""
from __future__ import annotations

import csv
import io
import json

import pytest

from r2pkg.graph.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_build_prints_the_report_and_progress(capsys, tmp_path):
    status, out, err = run(capsys, "build", "--data-dir", str(tmp_path))
    assert status == 0
    assert "Documents loaded: 4" in out and "SHACL: conforms" in out
    assert "[load]" in err and "[inference]" in err


def test_query_without_a_name_lists_the_saved_queries(capsys, built_data_dir):
    status, out, _ = run(capsys, "query", "--data-dir", str(built_data_dir))
    assert status == 0
    for name in ("meetings", "meeting-participants", "focal-points", "network-size", "role-holders"):
        assert name in out


def test_query_meetings_as_a_table(capsys, built_data_dir):
    status, out, _ = run(capsys, "query", "meetings", "--data-dir", str(built_data_dir))
    assert status == 0
    assert out.splitlines()[0].split() == ["meeting", "ordinal", "startDate", "endDate", "city", "country",
                                            "hosts", "participantCount", "moreThan"]
    assert "2019-05-13" in out and "Brussels" in out


def test_query_with_a_parameter_as_csv(capsys, built_data_dir):
    status, out, _ = run(capsys, "query", "meeting-participants", "--param", "ordinal=2",
                         "--format", "csv", "--data-dir", str(built_data_dir))
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"Australia", "Costa Rica", "Denmark", "Ghana"} <= {r["stateLabel"] for r in rows}


def test_query_as_sparql_json_results(capsys, built_data_dir):
    status, out, _ = run(capsys, "query", "network-size", "--format", "json", "--data-dir", str(built_data_dir))
    assert status == 0
    doc = json.loads(out)
    assert doc["head"]["vars"][:4] == ["date", "states", "organizations", "source"]   # extended, never renamed
    states = {b["states"]["value"] for b in doc["results"]["bindings"] if "states" in b}
    assert {"23", "61"} <= states


def test_a_bad_parameter_is_refused_with_its_name(capsys, built_data_dir):
    status, _, err = run(capsys, "query", "meeting-participants", "--param", "ordinal=ninth",
                         "--data-dir", str(built_data_dir))
    assert status == 2 and "'ordinal'" in err and "not an integer" in err


def test_an_unknown_query_suggests_names(capsys, built_data_dir):
    status, _, err = run(capsys, "query", "meeting", "--data-dir", str(built_data_dir))
    assert status == 2 and "meetings" in err


def test_sparql_runs_a_query_text_or_file(capsys, tmp_path, built_data_dir):
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?m a r2p:AnnualMeeting }"
    status, out, _ = run(capsys, "sparql", text, "--format", "csv", "--data-dir", str(built_data_dir))
    assert status == 0 and int(out.splitlines()[1]) >= 4
    query_file = tmp_path / "q.rq"
    query_file.write_text(text)
    status, out2, _ = run(capsys, "sparql", str(query_file), "--format", "csv", "--data-dir", str(built_data_dir))
    assert out2 == out


def test_a_long_one_line_query_is_run_not_taken_for_a_file_name(capsys, built_data_dir):
    """A query longer than the system's limit for a file name is a query: it runs."""
    padding = " ".join(f"?v{i}" for i in range(80))
    text = f"SELECT ?m {padding} WHERE {{ ?m a r2p:AnnualMeeting }}"
    assert len(text) > 300
    status, out, _ = run(capsys, "sparql", text, "--format", "csv", "--data-dir", str(built_data_dir))
    assert status == 0 and len(out.splitlines()) >= 5


def test_a_malformed_query_shows_the_parser_message(capsys, built_data_dir):
    status, _, err = run(capsys, "sparql", "SELECT WHERE {", "--data-dir", str(built_data_dir))
    assert status == 2 and err.startswith("r2pkg:")


@pytest.mark.parametrize("update", ["DROP ALL", "INSERT DATA { <a:b> <a:c> <a:d> }", "CLEAR DEFAULT"])
def test_sparql_refuses_updates(capsys, built_data_dir, update):
    status, _, err = run(capsys, "sparql", update, "--data-dir", str(built_data_dir))
    assert status == 2 and err


def test_querying_before_any_build_says_how_to_build(capsys, tmp_path):
    status, _, err = run(capsys, "query", "meetings", "--data-dir", str(tmp_path / "empty"))
    assert status == 1 and "r2pkg build" in err


def test_a_runaway_query_is_stopped_at_the_time_limit(capsys, built_data_dir):
    import time

    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    started = time.monotonic()
    status, out, err = run(capsys, "sparql", runaway, "--timeout", "1", "--data-dir", str(built_data_dir))
    assert status == 3 and "--timeout" in err and out == ""
    assert time.monotonic() - started < 10
