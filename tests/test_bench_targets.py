"""The benchmark's verdicts: every target of the scale issue gets one row from one run's figures."""
from bench.targets import rows


def _by_target(results: dict) -> dict[str, tuple[str, str, str]]:
    return {label: (figure, verdict, what) for label, figure, verdict, what in rows(results)}


def _results() -> dict:
    return {
        "builds": {"1000": {"seconds_total": 90.0, "peak_rss_mb": 1500.0, "quads": 5_000_000, "text_mb": 11.6,
                            "loader_mb_s": 0.8, "stages": {"load": 14.0, "store": 40.0}}},
        "adds": {"1000": {"seconds_total": 3.0, "quads": 5_000_300}},
        "graphs": {"1000000": {
            "queries": {
                "saved": {"meetings": {"p50": 40.0}, "focal-points": {"p50": 20_000.0, "timeout": True}},
                "entity": {"person_quads": {"p50": 0.5}, "state_quads": {"p50": 7.0}, "hub_quads": {"p50": 12.0},
                           "person_build_page": {"p50": 2.0}, "hub_build_page": {"p50": 80.0}},
                "search": {"denmark": {"p50": 0.2}, "denmark (sparql contains)": {"p50": 30.0}}},
            "http": {"endpoints": {"page person": {"rps": 300.0}, "page hub": {"rps": 40.0},
                                   "search": {"rps": 10.0}}, "rss_peak_mb": 500.0}}},
    }


def test_each_target_is_decided_by_its_worst_measurement():
    table = _by_target(_results())
    assert table["build of 1,000 summaries end to end"][1].startswith("MISSED by 1.5x")
    assert table["peak RSS of a build of 1,000 summaries"][1].startswith("met")
    assert table["entity page data p50 (at 1M)"][:2] == ("7 ms", "MISSED by 1.4x (target <= 5 ms)")
    assert "hub_build_page" in table["every entity page's page model p50, the hub's included (at 1M)"][2]
    # Only pages count for the HTTP target: a slow search endpoint does not decide it.
    assert table["full entity page over HTTP (at 1M)"][:2] == ("40.0 req/s", "MISSED by 5.0x (target >= 200 req/s)")
    # Search through the text index is the target; SPARQL CONTAINS is shown only for comparison.
    assert table["search p50 (at 1M)"][1].startswith("met")


def test_a_query_stopped_at_the_time_limit_decides_the_saved_query_target():
    figure, verdict, what = _by_target(_results())["every saved query p50 (at 1M)"]
    assert verdict.startswith("MISSED by 100.0x") and "focal-points" in what and "time limit" in what


def test_a_target_the_run_did_not_measure_says_so():
    table = _by_target({"builds": {}, "graphs": {}})
    assert table["build of 10,000 summaries end to end"] == ("not measured", "-", "not part of this run")
    assert all(figure == "not measured" for figure, _v, _w in table.values())
