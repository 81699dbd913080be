"""Publishing to a SPARQL server survives a server that drops a connection under a write.

A server asking for Digest authentication answers a write's first, unauthenticated attempt at once and may close
the connection while the body is still being sent (Virtuoso does, now and then, over thousands of parts). The write
is sent again; a query is not, and a server that is not there is still named in one error.
"""
from __future__ import annotations

import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest

from r2pkg.graph.remote import WRITE_ATTEMPTS, RemoteStore, RemoteStoreError, ServerConfig

BODY_TRIPLES = 20_000      # some 2 MB of N-Triples: more than the loopback socket takes before the server reads


class DroppingServer(ThreadingHTTPServer):
    """A Graph Store Protocol server that drops the connection of the first `drops` writes without reading them."""

    daemon_threads = True

    def __init__(self, drops: int):
        super().__init__(("127.0.0.1", 0), Handler)
        self.drops = drops
        self.received: list[int] = []      # the body length of each write read whole

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/store"


class Handler(BaseHTTPRequestHandler):
    def do_PUT(self) -> None:
        server: DroppingServer = self.server
        if server.drops:
            server.drops -= 1
            # Reset at once, the body unread, as a server does that answers before reading.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        length = int(self.headers["Content-Length"])
        server.received.append(len(self.rfile.read(length)))
        self.send_response(204)
        self.end_headers()

    do_POST = do_PUT

    def log_message(self, *args) -> None:
        pass


def triples(n: int) -> list[ox.Triple]:
    p = ox.NamedNode("https://example.org/p")
    return [ox.Triple(ox.NamedNode(f"https://example.org/s{i}"), p, ox.Literal("x" * 80)) for i in range(n)]


@pytest.fixture
def dropping():
    servers = []

    def start(drops: int) -> DroppingServer:
        server = DroppingServer(drops)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def store_of(server: DroppingServer) -> RemoteStore:
    return RemoteStore(ServerConfig(query_url=server.url.replace("/store", "/query"), gsp_url=server.url))


def test_a_write_whose_connection_was_dropped_is_sent_again(dropping, monkeypatch):
    monkeypatch.setattr("r2pkg.graph.remote.UPLOAD_PART", BODY_TRIPLES)
    server = dropping(drops=WRITE_ATTEMPTS - 1)
    store_of(server).put_graph("https://example.org/g", triples(BODY_TRIPLES))
    whole = len(ox.serialize(triples(BODY_TRIPLES), format=ox.RdfFormat.N_TRIPLES))
    assert server.received == [whole]


def test_a_server_that_drops_every_attempt_is_named_in_the_error(dropping, monkeypatch):
    monkeypatch.setattr("r2pkg.graph.remote.UPLOAD_PART", BODY_TRIPLES)
    server = dropping(drops=WRITE_ATTEMPTS)
    with pytest.raises(RemoteStoreError, match=r"cannot reach the SPARQL server at http://127\.0\.0\.1:\d+/store"):
        store_of(server).put_graph("https://example.org/g", triples(BODY_TRIPLES))
    assert server.received == [] and server.drops == 0
