"""Limits that hold in the query workers even if a check in front of them is fooled.

* A worker cannot open a network connection unless federation is on (seccomp in the worker).
* No error tells the client what another host answered.
* An answer is bounded in bytes before it leaves the worker; a query that allocates without bound
  dies alone in its worker, which is replaced, and the client gets a 5xx, not "malformed query".
"""
from __future__ import annotations

import os
import signal
import threading
import time

import psutil
import pytest

from r2pkg.graph import sparql
from r2pkg.graph.sparql import WorkerLimits
from servers import r2pkg_server, recording_listener

SECRET = "SECRET-BODY of an internal page"


@pytest.fixture(scope="module")
def listener():
    """A loopback HTTP server that records requests and answers 500 with a body nobody may see."""
    with recording_listener(500, SECRET.encode(), "text/plain") as served:
        yield served


@pytest.fixture
def make_pool(web_data_dir):
    pools = []

    def make(**limits) -> sparql.QueryPool:
        pool = sparql.QueryPool(web_data_dir, size=1, limits=WorkerLimits(**limits))
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.close()


def run(pool, query, **kwargs):
    return sparql.run_query(pool.data_dir, query, timeout=10, pool=pool, **kwargs)


def test_a_worker_without_federation_opens_no_connection_even_for_an_allowed_service(make_pool, listener):
    """Suppose the SERVICE check let a query through: the worker itself cannot reach the host."""
    base, hits = listener
    pool = make_pool(network=False)
    before = list(hits)
    query = f"SELECT * WHERE {{ SERVICE <{base}blocked> {{ ?s ?p ?o }} }}"
    with pytest.raises(sparql.QueryError, match="could not be queried"):
        run(pool, query, allowed_services=[base + "blocked"], allow_private_services=True)
    time.sleep(0.05)
    assert hits == before


def test_with_federation_the_worker_reaches_the_allowed_service_but_never_shows_its_answer(make_pool, listener):
    base, hits = listener
    pool = make_pool(network=True)
    with pytest.raises(sparql.QueryError) as caught:
        run(pool, f"SELECT * WHERE {{ SERVICE <{base}federated> {{ ?s ?p ?o }} }}",
            allowed_services=[base + "federated"], allow_private_services=True)
    assert hits[-1] == ("POST", "/federated")
    assert SECRET not in str(caught.value) and "SECRET" not in str(caught.value)


def test_no_error_page_echoes_another_hosts_answer(make_app_client, listener):
    base, _ = listener
    client = make_app_client(SPARQL_FEDERATION=True, SPARQL_FEDERATION_ALLOW=(base + "page",),
                             SPARQL_FEDERATION_ALLOW_PRIVATE=True)
    r = client.get("/sparql", query_string={"query": f"SELECT * WHERE {{ SERVICE <{base}page> {{ ?s ?p ?o }} }}"},
                   headers={"Accept": "application/sparql-results+json"})
    assert r.status_code == 400 and "SECRET" not in r.get_data(as_text=True)


# --- answers bounded in bytes ------------------------------------------------------------------

def doubled(levels: int, seed: str = "0123456789abcdef") -> str:
    """A string doubled `levels` times by nested BINDs: 16 * 2**levels characters from a short query."""
    binds = " ".join(f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(levels))
    return f'SELECT ?v{levels} WHERE {{ VALUES ?v0 {{ "{seed}" }} {binds} }}'


def test_an_answer_larger_than_the_byte_limit_is_cut_and_flagged(make_pool):
    pool = make_pool()
    rows = " ".join(f'"{i}"' for i in range(200))
    query = f"SELECT ?i ?v WHERE {{ VALUES ?i {{ {rows} }} BIND(CONCAT(?i, STRAFTER(STR(?i), \"\"), " \
            f"\"{'x' * 1000}\") AS ?v) }}"
    result = run(pool, query, max_bytes=50_000, serialize_as={"select": "application/sparql-results+json"})
    assert result.truncated and 0 < len(result) < 200
    assert len(result.body) <= 50_000


def test_an_answer_whose_first_row_is_larger_than_the_limit_is_refused(make_pool):
    pool = make_pool()
    with pytest.raises(sparql.AnswerTooLarge, match="larger than the limit of 1,000,000 bytes"):
        run(pool, doubled(17), max_bytes=1_000_000)          # one row of 2 MB


def test_the_endpoint_says_truncated_and_keeps_the_body_within_the_limit(make_app_client):
    client = make_app_client(SPARQL_MAX_BYTES=20_000)
    values = " ".join(f'"{i}"' for i in range(300))
    r = client.get("/sparql", query_string={"query": f"SELECT ?i ?l WHERE {{ VALUES ?i {{ {values} }} "
                                                     f"BIND(CONCAT(?i, \"{'y' * 200}\") AS ?l) }}"},
                   headers={"Accept": "text/csv"})
    assert r.status_code == 200 and r.headers["X-R2PKG-Truncated"] == "true"
    assert len(r.data) <= 20_000


def test_the_endpoint_refuses_a_giant_row_with_a_clear_error(make_app_client):
    client = make_app_client(SPARQL_MAX_BYTES=100_000)
    r = client.get("/sparql", query_string={"query": doubled(14)}, headers={"Accept": "application/json"})
    assert r.status_code == 422 and "answer too large" in r.get_data(as_text=True)


# --- a worker that dies ------------------------------------------------------------------------

def test_a_query_past_the_memory_ceiling_kills_only_its_worker(make_pool):
    """A ~900-byte query that doubles a string 26 times wants 2 GB; the worker's ceiling is 400 MB."""
    pool = make_pool(max_memory=400_000_000)
    with pytest.raises(sparql.WorkerFailed) as caught:
        run(pool, doubled(26))
    assert caught.value.status >= 500
    assert psutil.Process().memory_info().rss < 1_000_000_000
    assert len(run(pool, "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")) == 1       # a fresh worker answers


def test_a_worker_killed_mid_query_is_a_server_error_not_a_malformed_query(make_pool):
    pool = make_pool()
    worker = pool._idle._workers[0]
    killer = threading.Timer(0.5, os.kill, (worker.proc.pid, signal.SIGKILL))
    killer.start()
    with pytest.raises(sparql.WorkerFailed, match="died"):
        run(pool, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
    killer.join()


def test_the_endpoint_reports_a_dead_worker_as_5xx(make_app_client):
    client = make_app_client(SPARQL_WORKER_MEMORY=400_000_000, SPARQL_TIMEOUT=20)
    r = client.get("/sparql", query_string={"query": doubled(26)}, headers={"Accept": "application/json"})
    assert r.status_code == 500 and "Malformed" not in r.get_data(as_text=True)
    assert client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"},
                      headers={"Accept": "application/json"}).status_code == 200


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["terminated", "killed"])
def test_query_workers_end_with_the_server_even_mid_query(web_data_dir, how):
    """A server that ends while a worker runs a runaway query leaves no worker burning a core for good."""
    import requests

    with r2pkg_server(web_data_dir, "SPARQL_TIMEOUT=60", "REQUEST_LOG=off") as server:
        workers = psutil.Process(server.pid).children(recursive=True)
        runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
        threading.Thread(target=lambda: requests.get(server.url + "/sparql", params={"query": runaway}, timeout=90),
                         daemon=True).start()
        time.sleep(1.0)
        os.kill(server.pid, how)
        server.wait(15)
        gone, alive = psutil.wait_procs(workers, timeout=5)
        assert not alive, f"still running after the server ended: {[p.pid for p in alive]}"
