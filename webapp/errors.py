"""Error pages: a helpful 404 (with suggestions), 400 with the parser's message, never a stack trace."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from r2pkg.graph.sparql import SparqlError
from r2pkg.graph.store import StoreError

from .untrusted import printable


NOT_AN_IRI = "an IRI cannot hold spaces, control characters or any of < > \" { } | \\ ^ `"


class NotFound(Exception):
    """A missing entity, document or query; `hint` is searched for suggestions."""

    def __init__(self, message: str, hint: str = "", what: str = "page"):
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.what = what


def wants_json() -> bool:
    if request.path.startswith("/api/") or request.path.startswith("/search/suggest"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes["application/json"] > request.accept_mimetypes["text/html"]


def error_response(status: int, title: str, message: str, suggestions=(), plain: bool = False):
    if plain:
        return f"{title}: {message}\n", status, {"Content-Type": "text/plain; charset=utf-8"}
    if wants_json():
        body = {"error": title, "message": message, "status": status}
        if suggestions:
            body["suggestions"] = [{"label": s.label, "iri": s.iri} for s in suggestions]
        return jsonify(body), status
    return render_template("error.html", status=status, title=title, message=message,
                           suggestions=suggestions), status


SPARQL_ERROR_TITLES = {400: "Malformed query", 403: "Query refused", 413: "Query too long", 422: "Answer too large",
                       429: "Too many queries", 500: "Query failed", 503: "Query stopped"}


def sparql_error_response(exc: SparqlError, plain: bool = False):
    """The response to a query that failed: its status and title, and Retry-After when the client must wait."""
    status = exc.status
    body, status, *rest = error_response(status, SPARQL_ERROR_TITLES.get(status, "Query failed"), str(exc), plain=plain)
    headers = dict(rest[0]) if rest else {}
    if getattr(exc, "retry_after", None):
        headers["Retry-After"] = str(exc.retry_after)
    return body, status, headers


def suggestions_for(hint: str):
    from . import graph_data

    try:
        data = graph_data()
        if not data.available():
            return []
        words = hint.replace("/", " ").replace("-", " ").replace("_", " ")
        index = data.snapshot().index
        return index.search(words, limit=8, sentences=False) or index.similar(words)
    except Exception:
        return []


def register(app: Flask) -> None:
    @app.errorhandler(NotFound)
    def _not_found(exc: NotFound):
        return error_response(404, f"No such {exc.what}", exc.message, suggestions_for(exc.hint))

    @app.errorhandler(StoreError)
    def _no_store(exc: StoreError):
        return error_response(503, "No graph to serve", str(exc))

    @app.errorhandler(SparqlError)
    def _sparql_error(exc: SparqlError):
        return sparql_error_response(exc)

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(exc: RequestEntityTooLarge):
        limit = app.config.get("MAX_CONTENT_LENGTH")
        message = f"the request body is larger than this server accepts ({limit:,} bytes)" if limit else \
            "the request body is larger than this server accepts"
        return error_response(413, "Request too large", message, plain=request.path == "/sparql")

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        suggestions = suggestions_for(request.path.strip("/")) if exc.code == 404 else ()
        return error_response(exc.code or 500, exc.name, exc.description or "", suggestions)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        app.logger.exception("unexpected error on %s", printable(request.path))
        return error_response(500, "Internal error",
                              "Something went wrong on our side; the error was logged. Try again or go back.")
