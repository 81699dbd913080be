"""The r2pkg web app: Flask application factory, one blueprint per area, served by waitress.

    from r2pkg.webapp import create_app, serve
    app = create_app({"DATA_DIR": "data"})
    serve("127.0.0.1", 5000, "data")
"""
from __future__ import annotations

from pathlib import Path

from flask import Flask, g, request

from r2pkg.graph.resources import QUERIES_DIR
from r2pkg.graph.store import data_dir_from

from .settings import DEFAULTS

HERE = Path(__file__).resolve().parent


def create_app(config: dict | None = None) -> Flask:
    # root_path and instance_path given: Flask cannot find them itself for the r2pkg namespace.
    app = Flask(__name__, root_path=str(HERE), instance_path=str(HERE / "instance"),
                template_folder="templates", static_folder="static")
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    app.config["DATA_DIR"] = str(data_dir_from(app.config.get("DATA_DIR")))
    app.config["QUERIES_DIR"] = str(app.config.get("QUERIES_DIR") or QUERIES_DIR)
    app.json.sort_keys = False

    from .graphdata import GraphData
    from .urls import Urls

    app.extensions["r2pkg.graph"] = GraphData(Path(app.config["DATA_DIR"]))

    from . import bp_document, bp_dumps, bp_entity, bp_home, bp_ontology, bp_queries, bp_search, bp_sparql, errors

    for module in (bp_home, bp_search, bp_queries, bp_sparql, bp_entity, bp_document, bp_ontology, bp_dumps):
        app.register_blueprint(module.bp)
    errors.register(app)

    @app.before_request
    def _urls() -> None:
        g.urls = Urls(request.script_root)

    @app.context_processor
    def _globals() -> dict:
        from .render import term_view

        data = app.extensions["r2pkg.graph"]
        urls = g.get("urls") or Urls(request.script_root)
        return {"urls": urls, "term": lambda t: term_view(t, data, urls), "label": data.label}

    @app.after_request
    def _headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response

    return app


def serve(host: str = "127.0.0.1", port: int = 5000, data_dir=None, threads: int = 8, **config) -> None:
    """Serve the graph with waitress until interrupted; the query workers are started first."""
    import waitress

    from r2pkg.graph import sparql

    app = create_app({"DATA_DIR": str(data_dir_from(data_dir)), **config})
    data = app.extensions["r2pkg.graph"]
    if data.available():
        data.snapshot()      # labels and the search index, before the first request
        sparql.get_pool(app.config["DATA_DIR"], app.config["SPARQL_WORKERS"])
    print(f"Serving {app.config['DATA_DIR']} at http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
    waitress.serve(app, host=host, port=port, threads=threads, ident="r2pkg")


def graph_data():
    from flask import current_app

    return current_app.extensions["r2pkg.graph"]


__all__ = ["create_app", "serve", "graph_data"]
