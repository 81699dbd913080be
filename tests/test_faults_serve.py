"""`r2pkg serve` with a missing, damaged or locked store: one clear line, a non-zero exit, no traceback.

A store held open for writing by another process (a build, say) is not an error: read-only opens work
beside it, so the server starts and answers.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time

import pytest
import requests

from servers import free_port

CLI = [sys.executable, "-c", "from r2pkg.graph.cli import main; raise SystemExit(main())"]


def serve(data_dir, port=None, timeout=60):
    return subprocess.run(CLI + ["serve", "--data-dir", str(data_dir), "--port", str(port or free_port())],
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def data(tmp_path, make_fixture_build):
    return make_fixture_build(tmp_path / "data")


def store_dir(data_dir):
    return (data_dir / "current").resolve() / "store"


def assert_one_clear_line(proc, *words):
    assert proc.returncode == 1, (proc.returncode, proc.stderr)
    err = proc.stderr.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1, err
    assert err.startswith("r2pkg serve: ")
    for word in words:
        assert word in err, err


def test_a_damaged_store(data):
    for f in store_dir(data).iterdir():
        if f.name.startswith("MANIFEST") or f.suffix == ".sst":
            f.write_bytes(os.urandom(4096))
    assert_one_clear_line(serve(data), "store", "Corruption", f"rebuild it with `r2pkg build --data-dir {data}`")


def test_a_store_that_is_not_a_store(data):
    shutil.rmtree(store_dir(data))
    store_dir(data).mkdir()
    (store_dir(data) / "CURRENT").write_text("garbage\n")
    assert_one_clear_line(serve(data), "r2pkg build --data-dir")


def test_a_missing_store_folder(data):
    shutil.rmtree(store_dir(data))
    assert_one_clear_line(serve(data), "has no store", f"r2pkg build --data-dir {data}")


def test_current_points_to_a_deleted_build(data):
    shutil.rmtree(data / "builds")
    assert_one_clear_line(serve(data), "which is missing", f"r2pkg build --data-dir {data}")


def test_the_port_is_taken(data):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        proc = serve(data, s.getsockname()[1])
    assert_one_clear_line(proc, "cannot listen on 127.0.0.1:")


def test_a_store_locked_by_a_writer_is_still_served(data):
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time, pyoxigraph as ox; s = ox.Store(sys.argv[1]); "
                               "print('locked', flush=True); time.sleep(120)", str(store_dir(data))],
                              stdout=subprocess.PIPE, text=True)
    port = free_port()
    server = None
    try:
        assert holder.stdout.readline().strip() == "locked"
        server = subprocess.Popen(CLI + ["serve", "--data-dir", str(data), "--port", str(port)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                r = requests.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK { ?s ?p ?o }"},
                                 headers={"Accept": "application/sparql-results+json"}, timeout=10)
                break
            except requests.ConnectionError:
                assert server.poll() is None, server.stderr.read()
                assert time.monotonic() < deadline
                time.sleep(0.2)
        assert r.status_code == 200 and r.json()["boolean"] is True
    finally:
        for proc in (server, holder):
            if proc is not None:
                proc.terminate()
                proc.wait(10)


def test_a_store_damaged_while_serving_gives_503_not_a_traceback(data, make_app_client, tmp_path):
    from r2pkg.webapp import create_app

    for f in store_dir(data).iterdir():
        if f.name.startswith("MANIFEST") or f.suffix == ".sst":
            f.write_bytes(os.urandom(4096))
    client = create_app({"DATA_DIR": str(data), "TESTING": True}).test_client()
    for path, status in (("/", (200, 503)), ("/page/state/spain", (503,)), ("/dumps", (200, 503))):
        r = client.get(path)
        assert r.status_code in status, (path, r.status_code)
        assert b"Traceback" not in r.data and b"File \"" not in r.data
