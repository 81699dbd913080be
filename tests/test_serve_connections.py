"""`r2pkg serve` survives idle and slowloris connections: with 500 idle TCP connections and 20 clients trickling
their headers a byte at a time, started with an open-file limit of 256, a page still answers 200 within 2 s; idle
connections and incomplete headers are cut off after their timeouts; past 1,024 descriptors poll() keeps serving.

Everything is on loopback against a real server process on the small web fixture graph, and bounded in time.
"""
from __future__ import annotations

import json
import resource
import socket
import subprocess
import sys
import threading
import time
from contextlib import ExitStack, contextmanager

import psutil
import pytest
import requests

from servers import free_port, stop_process

CLI = [sys.executable, "-c", "from r2pkg.graph.cli import main; raise SystemExit(main())"]
SERVE = [sys.executable, "-c", "import json, sys; from r2pkg.webapp import serve; "
         "serve('127.0.0.1', int(sys.argv[1]), sys.argv[2], **json.loads(sys.argv[3]))"]
PAGE = "/page/state/spain"
SLOW_HEADERS = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 4000


def low_file_limit(soft: int = 256):
    """For the server process: start it as a system with a low `ulimit -n` would."""
    def apply() -> None:
        hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
    return apply


@contextmanager
def running(command: list[str], port: int):
    """Start a server process, wait until it answers (30 s at most), stop it at the end."""
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            preexec_fn=low_file_limit())
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(base + PAGE, timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the server did not start: {proc.stderr.read() if proc.poll() is not None else ''}")
            time.sleep(0.2)
        yield proc, base
    finally:
        stop_process(proc)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory, make_fixture_build):
    return make_fixture_build(tmp_path_factory.mktemp("serve-connections"))


@pytest.fixture(scope="module")
def default_server(data_dir):
    """`r2pkg serve` with its default settings."""
    port = free_port()
    with running(CLI + ["serve", "--data-dir", str(data_dir), "--port", str(port)], port) as server:
        yield server


@pytest.fixture(scope="module")
def quick_server(data_dir):
    """serve() with short timeouts (idle 4 s, headers 2 s) and room for 1,500 connections."""
    port = free_port()
    settings = {"CHANNEL_TIMEOUT": 4, "HEADER_TIMEOUT": 2, "CONNECTION_LIMIT": 1500, "REQUEST_LOG": False,
                "SPARQL_WORKERS": 1}
    with running(SERVE + [str(port), str(data_dir), json.dumps(settings)], port) as server:
        yield server


@pytest.fixture
def roomy_server(data_dir):
    """serve() with room for 1,500 connections, idle ones kept a minute (a loaded machine accepts slowly)."""
    port = free_port()
    settings = {"CHANNEL_TIMEOUT": 60, "CONNECTION_LIMIT": 1500, "REQUEST_LOG": False, "SPARQL_WORKERS": 1}
    with running(SERVE + [str(port), str(data_dir), json.dumps(settings)], port) as server:
        yield server


def idle_connections(stack: ExitStack, port: int, count: int) -> list[socket.socket]:
    """`count` connections that send nothing, closed when `stack` closes."""
    sockets = []
    for _ in range(count):
        s = stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=5))
        sockets.append(s)
    return sockets


class Slowloris(threading.Thread):
    """Clients that send a request's headers one byte every `pause` seconds and never finish them."""

    def __init__(self, port: int, count: int, pause: float = 0.2):
        super().__init__(daemon=True)
        self.sockets = [socket.create_connection(("127.0.0.1", port), timeout=5) for _ in range(count)]
        self.pause = pause
        self.closed_after: dict[int, float] = {}     # socket index -> seconds until the server closed it
        self.stopping = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        for i in range(len(SLOW_HEADERS)):
            for n, s in enumerate(self.sockets):
                if n not in self.closed_after and not self._send(s, SLOW_HEADERS[i:i + 1]):
                    self.closed_after[n] = time.monotonic() - started
            if self.stopping.wait(self.pause) or len(self.closed_after) == len(self.sockets):
                return

    @staticmethod
    def _send(s: socket.socket, byte: bytes) -> bool:
        try:
            s.sendall(byte)
            s.setblocking(False)
            try:
                return s.recv(1) != b""       # b"": the server closed the connection
            except BlockingIOError:
                return True
            finally:
                s.setblocking(True)
        except OSError:
            return False

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=5)
        for s in self.sockets:
            s.close()


def server_rss_mb(proc: subprocess.Popen) -> tuple[float, float]:
    """RSS of the server process alone, and with its query workers, in MB."""
    main = psutil.Process(proc.pid)
    own = main.memory_info().rss
    children = sum(c.memory_info().rss for c in main.children(recursive=True))
    return own / 2**20, (own + children) / 2**20


def timed_get(url: str) -> tuple[int, float]:
    started = time.monotonic()
    response = requests.get(url, timeout=10)
    return response.status_code, time.monotonic() - started


def test_500_idle_and_20_slowloris_connections_do_not_stop_the_server(default_server, capsys):
    proc, base = default_server
    port = int(base.rsplit(":", 1)[1])
    rss_before = server_rss_mb(proc)
    with ExitStack() as stack:
        opened = time.monotonic()
        idle_connections(stack, port, 500)
        slow = Slowloris(port, 20)
        slow.start()
        stack.callback(slow.stop)
        opened = time.monotonic() - opened
        time.sleep(0.5)                          # let the server accept what it will
        answers = [timed_get(base + path) for path in (PAGE, "/", "/api/queries/meetings", PAGE)]
        rss_during = server_rss_mb(proc)
        assert all(status == 200 for status, _ in answers), answers
        assert max(seconds for _, seconds in answers) < 2.0, answers
        assert not slow.closed_after              # 20 s of HEADER_TIMEOUT: still connected
    with capsys.disabled():
        print(f"\n500 idle + 20 slowloris connections (opened in {opened:.2f} s): answers in "
              + ", ".join(f"{seconds * 1000:.0f} ms" for _, seconds in answers)
              + f"; server RSS {rss_before[0]:.0f} -> {rss_during[0]:.0f} MB "
              f"(with query workers {rss_before[1]:.0f} -> {rss_during[1]:.0f} MB)")
    assert proc.poll() is None


def test_an_idle_connection_is_closed_after_the_channel_timeout(quick_server):
    _, base = quick_server
    with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=10) as s:
        started = time.monotonic()
        assert s.recv(1) == b""                   # the server closed it; waitress's default waits 120 s
        assert 3.9 < time.monotonic() - started < 8


def test_headers_sent_a_byte_at_a_time_are_cut_off_after_the_header_timeout(quick_server):
    _, base = quick_server
    slow = Slowloris(int(base.rsplit(":", 1)[1]), 3, pause=0.25)
    slow.start()
    slow.join(timeout=8)
    slow.stop()
    assert len(slow.closed_after) == 3, slow.closed_after
    assert all(1.9 < seconds < 4 for seconds in slow.closed_after.values()), slow.closed_after


def test_past_1024_descriptors_the_server_still_answers(roomy_server):
    """select() fails at descriptor 1,024; poll() does not. The server was started with `ulimit -n` 256."""
    proc, base = roomy_server
    port = int(base.rsplit(":", 1)[1])
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < 1400:
        pytest.skip(f"this process may open {hard} files, too few for 1,100 connections")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 1400) if hard == resource.RLIM_INFINITY else
                                               max(soft, min(hard, 4096)), hard))
    with ExitStack() as stack:
        idle_connections(stack, port, 1100)
        deadline = time.monotonic() + 30       # well before the 60 s idle timeout closes the first of them
        while len(psutil.Process(proc.pid).net_connections(kind="tcp")) <= 1024:
            assert time.monotonic() < deadline, "the server did not accept past 1,024 connections"
            time.sleep(0.1)
        status, seconds = timed_get(base + PAGE)
        assert status == 200 and seconds < 2.0
    assert proc.poll() is None


def test_serve_options_become_settings():
    from r2pkg.graph.cli import _parser as build_parser, serve_settings

    args = build_parser().parse_args(["serve", "--base-url", "https://r2p.example.org", "--connection-limit", "50",
                                      "--channel-timeout", "9", "--header-timeout", "4.5"])
    assert serve_settings(args) == {"BASE_URL": "https://r2p.example.org", "CONNECTION_LIMIT": 50,
                                    "CHANNEL_TIMEOUT": 9, "HEADER_TIMEOUT": 4.5}
    assert serve_settings(build_parser().parse_args(["serve"])) == {}
    assert serve_settings(build_parser().parse_args(["serve", "--set", "sparql_client_query_time=60", "--set",
                                                      "SPARQL_WORKERS=4", "--set", "REQUEST_LOG=off"])) == \
        {"SPARQL_CLIENT_QUERY_TIME": 60.0, "SPARQL_WORKERS": 4, "REQUEST_LOG": False}
    for bad in ("NO_SUCH=1", "SPARQL_WORKERS=many", "SPARQL_WORKERS"):
        with pytest.raises(ValueError, match="--set"):
            serve_settings(build_parser().parse_args(["serve", "--set", bad]))


def test_a_malformed_base_url_is_one_line(tmp_path, make_fixture_build):
    data = make_fixture_build(tmp_path / "data")
    proc = subprocess.run(CLI + ["serve", "--data-dir", str(data), "--port", str(free_port()), "--base-url", "nohost"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and proc.stderr.strip().startswith("r2pkg serve: BASE_URL must be an http")
    assert "Traceback" not in proc.stderr


def test_the_open_file_limit_is_raised_as_far_as_the_hard_limit():
    from r2pkg.webapp.serving import connections_allowed

    code = ("import resource; from r2pkg.webapp.serving import connections_allowed; "
            "print(connections_allowed(1000), resource.getrlimit(resource.RLIMIT_NOFILE)[0])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         preexec_fn=low_file_limit(256), check=True).stdout.split()
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if hard == resource.RLIM_INFINITY or hard >= 1256:
        assert out == ["1000", "1256"]
    else:
        assert out == [str(max(1, hard - 256)), str(hard)]
    assert connections_allowed(10) == 10
