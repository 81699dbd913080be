"""Servers on loopback for tests: a free port, and a real Oxigraph SPARQL server (the `oxigraph`
package of the test dependencies)."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def recording_listener(status: int, body: bytes, content_type: str) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """A loopback HTTP server that answers every request alike and records it: (base URL, [(method, path)])."""
    import http.server
    import socketserver
    import threading

    hits: list[tuple[str, str]] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _record(self):
            hits.append((self.command, self.path))
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _record

        def log_message(self, *args):
            pass

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", hits
    finally:
        server.shutdown()


@contextmanager
def r2pkg_server(data_dir: Path, *settings: str) -> Iterator[subprocess.Popen]:
    """`r2pkg serve` on `data_dir` in its own process, with `--set` settings ("NAME=VALUE"), once it answers;
    yields the process with its base URL as `.url`, and stops it after."""
    port = free_port()
    cmd = [sys.executable, "-c", "from r2pkg.graph.cli import main; raise SystemExit(main())", "serve",
           "--data-dir", str(data_dir), "--port", str(port)]
    for setting in settings:
        cmd += ["--set", setting]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proc.url = f"http://127.0.0.1:{port}"
    try:
        wait_until_answers(proc, proc.url + "/", "r2pkg serve", seconds=60, pause=0.2)
        yield proc
    finally:
        stop_process(proc)


@contextmanager
def app_in_thread(app, *, threads: int = 4, name: str = "r2pkg-test-server") -> Iterator[str]:
    """The Flask app served by waitress on a free loopback port in a daemon thread; yields its base URL."""
    import threading

    import waitress

    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=threads)
    threading.Thread(target=server.run, name=name, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()


def wait_until_answers(proc: subprocess.Popen, url: str, what: str, *, seconds: float, pause: float) -> None:
    """Poll `url` until it answers; fail the test if `proc` exits first or `seconds` pass."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{what} did not start")
            time.sleep(pause)


def stop_process(proc: subprocess.Popen) -> None:
    """Terminate, and kill if it has not ended within 10 s."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if found is None:
        pytest.fail("the oxigraph server is not installed: pip install -e '.[test]'")
    return found


@contextmanager
def oxigraph_server(data_file: Path | None, location: Path, *, read_only: bool = False) -> Iterator[str]:
    """Load data_file (if any) into a store at location, serve it, yield its query endpoint
    (the update endpoint is .../update, the Graph Store Protocol .../store), stop it."""
    binary = oxigraph_binary()
    if data_file is not None:
        subprocess.run([binary, "load", "--location", str(location), "--file", str(data_file)],
                       check=True, capture_output=True, timeout=60)
    port = free_port()
    command = "serve-read-only" if read_only else "serve"
    proc = subprocess.Popen([binary, command, "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_until_answers(proc, url + "?query=ASK%7B%7D", "the oxigraph server", seconds=15, pause=0.05)
        yield url
    finally:
        stop_process(proc)


def oxigraph_config(query_url: str):
    """The ServerConfig of an Oxigraph server started by `oxigraph_server`."""
    from r2pkg.graph.remote import ServerConfig

    base = query_url.removesuffix("/query")
    return ServerConfig(query_url, base + "/update", base + "/store")


def virtuoso_config():
    """The Virtuoso that `.ci/virtuoso start` runs (its URL in $R2PKG_TEST_VIRTUOSO), or None.

    CI sets R2PKG_REQUIRE_VIRTUOSO=1, so that a missing Virtuoso fails there instead of skipping."""
    import os

    from r2pkg.graph.remote import ServerConfig

    base = os.environ.get("R2PKG_TEST_VIRTUOSO")
    if not base:
        if os.environ.get("R2PKG_REQUIRE_VIRTUOSO") == "1":
            pytest.fail("R2PKG_REQUIRE_VIRTUOSO=1 but R2PKG_TEST_VIRTUOSO is not set: start it with .ci/virtuoso start DIR")
        return None
    base = base.rstrip("/")
    return ServerConfig(base + "/sparql", base + "/sparql-auth", base + "/sparql-graph-crud-auth",
                        os.environ.get("R2PKG_TEST_VIRTUOSO_USER", "dba"), os.environ.get("R2PKG_TEST_VIRTUOSO_PASSWORD", "dba"))


# Saved queries Virtuoso 7.2.5 does not answer as the standard says (docs/backends.md, "Saved queries
# on Virtuoso"): an expected failure there. Some differences are in the order of tied rows and come
# and go between runs, so a query of this list that happens to answer alike passes.
VIRTUOSO_DIFFERENCES: dict[str, str] = {}


def backend_difference(backend_name: str, query_name: str) -> str | None:
    """Why a saved query answers differently on this back end, or None when it must not."""
    return VIRTUOSO_DIFFERENCES.get(query_name) if backend_name == "virtuoso" else None
