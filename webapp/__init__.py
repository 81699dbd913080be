"""The r2pkg web app: Flask application factory, one blueprint per area, served by waitress.

    from r2pkg.webapp import create_app, serve
    app = create_app({"DATA_DIR": "data"})
    serve("127.0.0.1", 5000, "data")
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

from flask import Flask, g, request

from r2pkg.graph.resources import QUERIES_DIR
from r2pkg.graph.store import data_dir_from

from .settings import DEFAULTS
from .urls import checked_base_url
from .untrusted import printable

HERE = Path(__file__).resolve().parent


def create_app(config: dict | None = None) -> Flask:
    # root_path and instance_path given: Flask cannot find them itself for the r2pkg namespace.
    app = Flask(__name__, root_path=str(HERE), instance_path=str(HERE / "instance"),
                template_folder="templates", static_folder="static")
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    app.config["DATA_DIR"] = str(data_dir_from(app.config.get("DATA_DIR")))
    app.config["QUERIES_DIR"] = str(app.config.get("QUERIES_DIR") or QUERIES_DIR)
    app.config["BASE_URL"] = checked_base_url(app.config.get("BASE_URL"))
    app.json.sort_keys = False

    from .fairness import QueryBudget
    from .graphdata import GraphData
    from .urls import request_urls

    app.config["STORE_SERVER"] = server_config(app.config.get("STORE_SERVER"))
    app.extensions["r2pkg.graph"] = GraphData(Path(app.config["DATA_DIR"]), server=app.config["STORE_SERVER"])
    app.extensions["r2pkg.budget"] = QueryBudget(seconds_per_minute=app.config["SPARQL_CLIENT_QUERY_TIME"],
                                                 concurrency=app.config["SPARQL_CLIENT_CONCURRENCY"],
                                                 in_flight=app.config["SPARQL_QUERIES_IN_FLIGHT"])

    from . import (bp_document, bp_dumps, bp_entity, bp_graphs, bp_home, bp_lists, bp_ontology, bp_queries, bp_review,
                   bp_search, bp_sparql, bp_themes, errors, reviewing)

    reviewing.register(app)     # sessions, CSRF, the sign-in limit: before the blueprints use them
    for module in (bp_home, bp_search, bp_queries, bp_sparql, bp_entity, bp_document, bp_ontology, bp_dumps,
                   bp_graphs, bp_lists, bp_review, bp_themes):
        app.register_blueprint(module.bp)
    errors.register(app)

    @app.before_request
    def _urls() -> None:
        g.urls = request_urls(app.config.get("BASE_URL"))

    @app.context_processor
    def _globals() -> dict:
        from .render import term_view

        data = app.extensions["r2pkg.graph"]
        urls = g.get("urls") or request_urls(app.config.get("BASE_URL"))
        return {"urls": urls, "term": lambda t: term_view(t, data, urls), "label": data.label}

    @app.before_request
    def _started() -> None:
        g.started = time.perf_counter()

    from . import caching

    caching.register(app)       # after _urls and _started: a 304 is logged with its time like any answer

    @app.after_request
    def _headers(response):
        _security_headers(app, response)
        if app.config.get("REQUEST_LOG"):
            _log_request(response)
        return response

    app.debug = False  # never the interactive debugger or tracebacks in pages
    return app


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

request_log = logging.getLogger("r2pkg.requests")


def _security_headers(app: Flask, response) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    policy = app.config.get("CONTENT_SECURITY_POLICY")
    if request.path == "/sparql" and app.config.get("SPARQL_CONTENT_SECURITY_POLICY"):
        policy = app.config["SPARQL_CONTENT_SECURITY_POLICY"]
    if policy:
        response.headers.setdefault("Content-Security-Policy", policy)


def _log_request(response) -> None:
    """One line per request, to the server's log only: the path without its query string, never a query text.
    The path is decoded, so it may hold newlines or terminal escapes: they are written escaped, and it is cut
    at 300 characters, so a request can neither forge log lines nor flood the log."""
    started = g.get("started")
    millis = (time.perf_counter() - started) * 1000 if started else 0.0
    request_log.info("%s %s %s %s %.0fms", printable(request.method, 20), printable(request.path),
                     response.status_code,
                     response.content_length if response.content_length is not None else "-", millis)


def serve(host: str = "127.0.0.1", port: int = 5000, data_dir=None, threads: int = 24, **config) -> None:
    """Serve the graph with waitress until interrupted; the query workers are started first."""
    import waitress

    from .querying import query_pool

    from . import serving

    app = create_app({"DATA_DIR": str(data_dir_from(data_dir)), **config})
    data = app.extensions["r2pkg.graph"]
    if data.available():
        data.snapshot()      # labels and the search index, before the first request
        if app.config["STORE_SERVER"] is None:
            query_pool(app.config)
    if app.config.get("REQUEST_LOG") and not request_log.handlers:
        _log_requests_to_stderr()
    options = serving.server_options(app.config)
    source = app.config["STORE_SERVER"].query_url if app.config["STORE_SERVER"] else app.config["DATA_DIR"]
    print(f"Serving {source} at http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
    waitress.serve(app, host=host, port=port, threads=threads, ident="r2pkg", _server=serving.make_server, **options)


def _log_requests_to_stderr() -> None:
    """The request log on stderr, written by a thread of its own: a request thread only queues its line, so
    the serving threads never wait on each other for the stream's lock or the write."""
    import atexit
    import logging.handlers
    import queue

    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    lines: queue.SimpleQueue = queue.SimpleQueue()
    listener = logging.handlers.QueueListener(lines, handler)
    listener.start()
    request_log.addHandler(logging.handlers.QueueHandler(lines))
    request_log.setLevel(logging.INFO)
    request_log.propagate = False     # waitress configures the root logger too: one line per request
    atexit.register(listener.stop)     # the lines still queued are written before the process ends


def server_config(value):
    """STORE_SERVER as given (None, a ServerConfig, or a mapping of its fields) -> ServerConfig or None."""
    from r2pkg.graph.remote import ServerConfig

    if value is None or isinstance(value, ServerConfig):
        return value
    return ServerConfig(**dict(value))


def graph_data():
    from flask import current_app

    return current_app.extensions["r2pkg.graph"]


__all__ = ["create_app", "serve", "graph_data"]
