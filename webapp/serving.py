"""How waitress serves the app in public: how many connections it holds, how long an idle one or one still sending
its headers may stay, and enough file descriptors for all of them.

waitress's defaults suit a server behind a proxy: 100 connections, closed after 120 s idle, and select(), which fails
past 1,024 descriptors. Without a proxy, 100 idle TCP connections (or slowloris clients, sending their headers a byte
at a time and so never idle) stop it from accepting anyone else. Here the limit is higher, poll() is used, idle
connections go sooner, and a request whose headers are not complete after HEADER_TIMEOUT is cut off.
"""
from __future__ import annotations

import resource
import sys
import time
from collections.abc import Mapping

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.server import BaseWSGIServer, create_server

# Descriptors the process needs besides its connections: the store's files, the query workers' pipes, logs.
RESERVED_FILES = 256


def waitress_options(config: Mapping) -> dict:
    """waitress's adjustments from the app's settings."""
    channel_timeout = max(1, int(config["CHANNEL_TIMEOUT"]))
    return {
        "connection_limit": int(config["CONNECTION_LIMIT"]),
        "channel_timeout": channel_timeout,
        # idle connections are looked for this often (waitress: every 30 s, whatever the timeout)
        "cleanup_interval": max(1, min(30, channel_timeout // 2)),
        "asyncore_use_poll": True,
    }


def server_options(config: Mapping) -> dict:
    """waitress_options, the connection limit lowered (with a warning) when the open-file limit cannot fit it."""
    options = waitress_options(config)
    allowed = connections_allowed(options["connection_limit"])
    if allowed < options["connection_limit"]:
        print(f"r2pkg serve: the open-file limit (ulimit -n) allows {allowed} connections, not the "
              f"{options['connection_limit']} of CONNECTION_LIMIT", file=sys.stderr, flush=True)
        options["connection_limit"] = allowed
    return options


def raise_open_file_limit(wanted: int) -> int:
    """Raise this process's soft limit of open files towards `wanted` (never past the hard limit); the soft limit
    now. Many systems start processes at 1,024, fewer than CONNECTION_LIMIT connections need."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def connections_allowed(connection_limit: int) -> int:
    """The connection limit this process can keep, its open-file limit raised as far as it goes."""
    soft = raise_open_file_limit(connection_limit + RESERVED_FILES)
    if soft == resource.RLIM_INFINITY:
        return connection_limit
    return max(1, min(connection_limit, soft - RESERVED_FILES))


class TimedRequestParser(HTTPRequestParser):
    """waitress's parser, which also remembers when the request's first byte came."""

    def __init__(self, adj):
        super().__init__(adj)
        self.started = time.time()


class HeaderTimedChannel(HTTPChannel):
    """A connection closed when its request's headers are still incomplete `header_timeout` seconds after they
    began: a slowloris client keeps a connection busy by sending a byte now and then, which waitress's idle
    timeout never sees."""

    parser_class = TimedRequestParser
    header_timeout = 20.0

    def received(self, data):
        if self._headers_overdue():
            self.will_close = True      # the main loop closes it (as waitress's own idle cleanup does)
            return False
        return super().received(data)

    def _headers_overdue(self) -> bool:
        request = self.request
        return (request is not None and not request.headers_finished
                and time.time() - request.started > self.header_timeout)


def channel_class(header_timeout: float) -> type[HeaderTimedChannel]:
    return type("HeaderTimedChannel", (HeaderTimedChannel,), {"header_timeout": float(header_timeout)})


def make_server(app, **options):
    """waitress.create_server, its listeners using HeaderTimedChannel with the app's HEADER_TIMEOUT."""
    socket_map: dict = {}
    server = create_server(app, map=socket_map, **options)
    channel = channel_class(app.config["HEADER_TIMEOUT"])
    for dispatcher in list(socket_map.values()):
        if isinstance(dispatcher, BaseWSGIServer):
            dispatcher.channel_class = channel
    return server
