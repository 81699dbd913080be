"""Saved queries: the list, one query's page (form, results, downloads), its JSON API and OpenAPI."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flask import Blueprint, Response, current_app, g, jsonify, render_template, request

from r2pkg.graph import sparql
from r2pkg.graph.savedqueries import ParameterError, SavedQuery, SavedQueryError, load_saved_queries, query_text

from . import graph_data
from .errors import NotFound, error_response
from .untrusted import printable
from .querying import limit_headers, run_user_query
from .urls import RESULT_FORMATS

bp = Blueprint("queries", __name__)

_cache: dict[str, tuple[float, dict[str, SavedQuery]]] = {}


def saved_queries() -> dict[str, SavedQuery]:
    """The folder's queries, re-read when a file changes."""
    folder = Path(current_app.config["QUERIES_DIR"])
    files = sorted(folder.glob("*.rq"))
    stamp = sum(p.stat().st_mtime for p in files) + len(files)
    cached = _cache.get(str(folder))
    if cached is None or cached[0] != stamp:
        try:
            cached = (stamp, load_saved_queries(folder))
        except SavedQueryError as exc:
            current_app.logger.error("saved queries: %s", exc)
            cached = (stamp, {})
        _cache[str(folder)] = cached
    return cached[1]


def get_query_or_404(name: str) -> SavedQuery:
    queries = saved_queries()
    if name not in queries:
        raise NotFound(f"There is no saved query called “{printable(name)}”. Known queries: {', '.join(queries) or 'none'}.",
                       hint=name.replace("-", " "), what="saved query")
    return queries[name]


def resolve_label(text: str, cls: str | None) -> list[str]:
    """A label, alternative label or slug -> entity IRIs (of `cls` when given), via the search index."""
    data = graph_data()
    return [e.iri for e in data.snapshot().index.named(text) if not cls or data.is_a(e.iri, cls)]


def param_values(query: SavedQuery) -> dict[str, str]:
    """The request's values for the query's parameters (unknown keys are an error, except ours)."""
    ours = {"timeout", "format"}
    return {k: v for k, v in request.args.items() if k not in ours}


@dataclass
class QueryRun:
    query: SavedQuery
    values: dict[str, str]
    result: sparql.QueryResult | None = None
    error: str | None = None
    error_parameter: str | None = None
    ran: bool = False
    param_labels: dict[str, str] = field(default_factory=dict)


def execute(query: SavedQuery, values: dict[str, str], media_type: str | None = None) -> sparql.QueryResult:
    """The saved query's answer; serialized as `media_type` where it runs, when one is given."""
    text = query_text(query, values, resolve_label)
    serialize_as = {"select": media_type, "graph": media_type} if media_type else None
    return run_user_query(text, serialize_as=serialize_as)


@bp.route("/queries")
def index():
    queries = list(saved_queries().values())
    tag = request.args.get("tag")
    tags = sorted({t for q in queries for t in q.tags})
    if tag:
        queries = [q for q in queries if tag in q.tags]
    return render_template("queries/list.html", queries=queries, tags=tags, tag=tag)


@bp.route("/queries/<name>")
def show(name: str):
    query = get_query_or_404(name)
    values = param_values(query)
    run = QueryRun(query, values)
    # Run when the form was sent, or at once when every parameter has a default or is optional.
    if request.args or all(p.default is not None or not p.required for p in query.parameters):
        run.ran = True
        try:
            run.result = execute(query, values)
        except ParameterError as exc:
            run.error, run.error_parameter = str(exc), exc.parameter
        except sparql.SparqlError as exc:
            if exc.status == 429:        # the client must wait: the error page says so, with Retry-After
                raise
            run.error = str(exc)
    data = graph_data()
    for p in query.parameters:
        value = values.get(p.name) or p.default
        if p.type == "iri" and value and value.startswith("http"):
            run.param_labels[p.name] = data.label(value)
    status = 400 if run.error_parameter else 200
    return render_template("queries/show.html", run=run, formats=RESULT_FORMATS), status


@bp.route("/queries/<name>.<fmt>")
def download(name: str, fmt: str):
    query = get_query_or_404(name)
    if fmt not in RESULT_FORMATS:
        raise NotFound(f"No download format “{printable(fmt)}”; use one of {', '.join(RESULT_FORMATS)}.", what="format")
    media = RESULT_FORMATS[fmt]
    try:
        result = execute(query, param_values(query), media)
    except ParameterError as exc:
        return error_response(400, "Bad parameter", str(exc), plain=True)
    headers = {"Content-Type": media + "; charset=utf-8",
               "Content-Disposition": f'attachment; filename="{name}.{fmt}"', **limit_headers(result)}
    return Response(sparql.serialize_results(result, media), 200, headers)


@bp.route("/api/queries/<name>", methods=["GET", "OPTIONS"])
def api(name: str):
    if request.method == "OPTIONS":
        return Response("", 204, {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, OPTIONS"})
    query = get_query_or_404(name)
    try:
        result = execute(query, param_values(query), "application/sparql-results+json")
    except ParameterError as exc:
        response = jsonify(error="Bad parameter", message=str(exc), parameter=exc.parameter, status=400)
        response.status_code = 400
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response
    body = sparql.serialize_results(result, "application/sparql-results+json")
    return Response(body, 200, {"Content-Type": "application/sparql-results+json; charset=utf-8",
                                "Access-Control-Allow-Origin": "*", **limit_headers(result)})


_SCHEMA = {"integer": {"type": "integer"}, "string": {"type": "string"},
           "date": {"type": "string", "format": "date"}, "iri": {"type": "string", "format": "iri"}}


@bp.route("/api/openapi.json")
def openapi():
    paths = {}
    for q in saved_queries().values():
        params = []
        for p in q.parameters:
            schema = dict(_SCHEMA[p.type])
            if p.sets:                  # a page's LIMIT or OFFSET: a number of rows
                schema["minimum"] = 0
            if p.default is not None:
                schema["default"] = int(p.default) if p.type == "integer" and p.default.lstrip("-").isdigit() else p.default
            description = p.description or p.name
            if p.type == "iri":
                description += (" A full IRI, a prefixed name (id:state/spain), or an entity's label or slug"
                                + (f"; an entity of class {p.cls}." if p.cls else "."))
            params.append({"name": p.name, "in": "query", "required": p.required and p.default is None,
                           "description": description, "schema": schema})
        params.append({"name": "timeout", "in": "query", "required": False,
                       "description": "Lower the time limit (seconds); it cannot be raised.",
                       "schema": {"type": "number"}})
        paths[f"/api/queries/{q.name}"] = {"get": {
            "operationId": q.name.replace("-", "_"),
            "summary": q.summary or q.name,
            "description": q.description or q.summary,
            "tags": list(q.tags),
            "parameters": params,
            "responses": {
                "200": {"description": "SPARQL 1.1 query results (JSON). The X-R2PKG-Truncated header says whether "
                                       "the row limit cut the answer.",
                        "content": {"application/sparql-results+json": {"schema": {"$ref": "#/components/schemas/SparqlResults"}}}},
                "400": {"description": "A parameter is missing or malformed.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "404": {"description": "No such query.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                "503": {"description": "The query ran past its time limit.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
            },
        }}
    doc = {
        "openapi": "3.0.3",
        "info": {"title": "r2pkg saved queries", "version": "1.0.0",
                 "description": "The saved SPARQL queries of the R2P Focal Points knowledge graph as a web API. "
                                "Each query's parameters are bound as values. Every query runs under a time "
                                f"limit ({current_app.config['SPARQL_TIMEOUT']:g} s) and a row cap "
                                f"({current_app.config['SPARQL_MAX_ROWS']})."},
        "servers": [{"url": g.urls.absolute(g.urls.home()).rstrip("/")}],
        "paths": paths,
        "components": {"schemas": {
            "SparqlResults": {"type": "object", "properties": {
                "head": {"type": "object", "properties": {"vars": {"type": "array", "items": {"type": "string"}}}},
                "results": {"type": "object", "properties": {"bindings": {"type": "array", "items": {"type": "object"}}}},
                "boolean": {"type": "boolean"}}},
            "Error": {"type": "object", "properties": {"error": {"type": "string"}, "message": {"type": "string"},
                                                       "parameter": {"type": "string"}, "status": {"type": "integer"}}},
        }},
    }
    response = jsonify(doc)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
