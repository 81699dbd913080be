"""A build killed with SIGKILL at any stage leaves the previous graph intact and servable."""
from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from r2pkg.graph import store as stores
from r2pkg.graph.build import build
from r2pkg.graph.resources import CORPUS_DIR

from servers import r2pkg_server

STAGES = ["[load]", "[facts]", "[inference]", "[shacl]", "[store]"]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    data = tmp_path_factory.mktemp("served")
    build([CORPUS_DIR], data)
    return data


def _kill_build_at(data_dir, marker: str) -> None:
    """Start `r2pkg build` as a separate process and SIGKILL it when it prints the marker."""
    proc = subprocess.Popen(
        [sys.executable, "-c", "from r2pkg.graph.cli import main; raise SystemExit(main())",
         "build", "--data-dir", str(data_dir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        for line in proc.stderr:
            if line.startswith(marker):
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, f"the build finished before reaching {marker}"


@pytest.mark.slow
@pytest.mark.parametrize("stage", STAGES)
def test_a_killed_build_leaves_the_served_graph_intact(served, stage):
    before = stores.current_build(served).root
    quads = len(stores.open_store(served))
    _kill_build_at(served, stage)
    assert stores.current_build(served).root == before
    assert len(stores.open_store(served)) == quads
    assert (before / "dumps" / "graph.trig.gz").stat().st_size > 0


@pytest.mark.slow
def test_the_next_build_after_a_kill_succeeds_and_clears_the_leftovers(served):
    _kill_build_at(served, "[store]")
    build([CORPUS_DIR], served)
    assert len(list((served / "builds").iterdir())) <= 2


# --- a running server keeps answering during and after a killed build -----------------------------------

@pytest.fixture(scope="module")
def running_server(served):
    """`r2pkg serve` on the served data directory, in its own process; yields its base URL. The probe loops
    queries from one address for the whole build: past one client's fair share, so the share is wide here."""
    with r2pkg_server(served, "SPARQL_CLIENT_QUERY_TIME=3600", "SPARQL_CLIENT_CONCURRENCY=16") as server:
        yield server.url


COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _probe(url: str) -> tuple[int, int | None]:
    import requests

    home = requests.get(url + "/page/state/spain", timeout=10).status_code
    r = requests.get(url + "/sparql", params={"query": COUNT}, headers={"Accept": "application/sparql-results+json"},
                     timeout=10)
    n = int(r.json()["results"]["bindings"][0]["n"]["value"]) if r.status_code == 200 else None
    return min(home, r.status_code) if home == r.status_code == 200 else max(home, r.status_code), n


@pytest.mark.slow
@pytest.mark.parametrize("stage", STAGES)
def test_a_running_server_keeps_answering_during_and_after_a_killed_build(served, running_server, stage):
    import threading

    status, quads = _probe(running_server)
    assert status == 200
    seen: list[tuple[int, int | None]] = []
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            seen.append(_probe(running_server))

    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    try:
        _kill_build_at(served, stage)
    finally:
        stop.set()
        poller.join(30)
    after = [_probe(running_server) for _ in range(3)]
    assert seen, "the server was not asked anything during the build"
    assert all(s == (200, quads) for s in seen + after), [s for s in seen + after if s != (200, quads)]


# --- a build killed while its loader processes run takes them with it -------------------------------

@pytest.fixture(scope="module")
def large_corpus(tmp_path_factory):
    """250 synthetic summaries: enough for the load stage to use worker processes."""
    from bench import corpus

    folder = tmp_path_factory.mktemp("large-corpus")
    corpus.generate(250, folder, seed=0)
    return folder


def _loader_processes(build_pid: int, wanted: int, timeout: float = 60) -> list:
    """The build's child processes once `wanted` of them run (they are forked after the pipeline loads)."""
    import time

    import psutil

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = psutil.Process(build_pid).children(recursive=True)
        if len(children) >= wanted:
            return children
        time.sleep(0.05)
    raise AssertionError(f"the build did not start {wanted} loader processes")


@pytest.mark.slow
def test_a_build_killed_while_loading_leaves_no_loader_process_running(large_corpus, tmp_path):
    import time

    import psutil

    from r2pkg.loaders.batch import _worker_count

    proc = subprocess.Popen(
        [sys.executable, "-c", "from r2pkg.graph.cli import main; raise SystemExit(main())",
         "build", "--corpus", str(large_corpus), "--data-dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list = []
    try:
        _loader_processes(proc.pid, _worker_count(None, 250))
        time.sleep(1.0)   # let them load documents
        # Every child the build has now, not only the first `wanted` seen: a short-lived child met while the
        # pool was forking could stand in for a worker forked after it, which then went unwatched.
        workers = psutil.Process(proc.pid).children(recursive=True)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        deadline = time.monotonic() + 20   # they die at once; a loaded machine may take a while to say so
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        assert not [w.pid for w in workers if _alive(w)], "loader processes outlived the killed build"
        _lock_is_released(tmp_path, deadline=time.monotonic() + 20)   # and nothing holds the build lock
    finally:
        proc.kill()
        for w in workers:   # only the processes this test started, should the assertion have failed
            if _alive(w):
                w.kill()


def _lock_is_released(data_dir, deadline: float) -> None:
    """The data directory's build lock can be taken by the deadline (the kernel releases it as the last process
    holding it ends, which a loaded machine may take a moment to finish); else the processes holding it are named."""
    import time

    import psutil

    while True:
        try:
            with stores.build_lock(data_dir):
                return
        except stores.BuildLocked:
            if time.monotonic() > deadline:
                lock = str(data_dir / stores.LOCK_FILE)
                holders = [(p.pid, p.info["cmdline"]) for p in psutil.process_iter(["cmdline"])
                           if any(f.path == lock for f in _open_files(p))]
                raise AssertionError(f"the killed build's lock is still held, by {holders}") from None
            time.sleep(0.2)


def _open_files(process) -> list:
    import psutil

    try:
        return process.open_files()
    except (psutil.AccessDenied, psutil.NoSuchProcess):
        return []


def _alive(process) -> bool:
    import psutil

    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False
