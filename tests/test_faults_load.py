"""A short run of bench/load.py (~10 s) against `r2pkg serve`: no 5xx, bounded memory, a runaway query does not
stall the other clients. The 60 s run and its figures are in docs/reliability.md."""
from __future__ import annotations

import pytest

from bench import load


@pytest.mark.slow
def test_the_server_under_load_with_a_runaway_query(built_data_dir):
    port = load.free_port()
    proc = load.start_server(built_data_dir, port)
    try:
        report = load.run_load(f"http://127.0.0.1:{port}", clients=6, seconds=10, runaway_every=4,
                               server_pid=proc.pid, max_requests=20000)
    finally:
        proc.terminate()
        proc.wait(15)
    print(report.render())
    assert report.requests > 100
    assert report.errors_5xx == 0 and report.errors_connection == 0, report.statuses
    assert report.runaway and all(r["status"] == 503 and r["seconds"] < 5.0 + 1.0 for r in report.runaway)
    # the others were served while the runaway query ran, and not slowly
    assert report.latency_during_runaway_ms["n"] > 20
    assert report.latency_during_runaway_ms["p90"] < 2000
    assert report.rss_mb["end"] < report.rss_mb["start"] * 1.5 + 50, report.rss_mb


def test_only_loopback_is_loaded():
    with pytest.raises(SystemExit, match="not a loopback"):
        load.require_loopback("http://example.org/")
    load.require_loopback("http://127.0.0.1:5000/")
    load.require_loopback("http://[::1]:5000/")
