"""/sparql: the W3C SPARQL 1.1 Protocol endpoint for programs, and the YASGUI editor for people."""
from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, g, jsonify, render_template, request

from r2pkg.graph import sparql
from r2pkg.graph.vocab import PREFIXES, sparql_prologue

from . import graph_data
from .errors import sparql_error_response
from .querying import limit_headers, run_user_query
from .urls import ID_PREFIX

bp = Blueprint("sparql", __name__)

SELECT_TYPES = list(sparql.SELECT_MEDIA_TYPES)
GRAPH_TYPES = list(sparql.GRAPH_MEDIA_TYPES)
ALIASES = {"application/json": "application/sparql-results+json", "application/xml": "application/sparql-results+xml",
           "text/xml": "application/sparql-results+xml"}
FORMAT_PARAM = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml", "csv": "text/csv",
                "tsv": "text/tab-separated-values", "ttl": "text/turtle", "turtle": "text/turtle",
                "nt": "application/n-triples", "jsonld": "application/ld+json", "rdf": "application/rdf+xml"}
CORS = {"Access-Control-Allow-Origin": "*"}


# A graph asked for as plain JSON comes as JSON-LD (JSON, with its @context).
GRAPH_ALIASES = {"application/json": "application/ld+json"}


def _choose(kind: str) -> str | None:
    offered = SELECT_TYPES if kind != "graph" else GRAPH_TYPES
    aliases = GRAPH_ALIASES if kind == "graph" else ALIASES
    forced = request.values.get("format")
    if forced:
        media = FORMAT_PARAM.get(forced, forced)
        media = aliases.get(media, media)
        return media if media in offered else None
    accept = request.accept_mimetypes
    if not accept or accept.best in (None, "*/*"):
        return offered[0]
    best = accept.best_match(offered + list(aliases))
    if best is None:
        # text/html (a browser following a link with ?query=) and other types: the default
        return offered[0] if accept.best_match(["text/html", "text/plain"]) else None
    return aliases.get(best, best)


def wants_editor() -> bool:
    """A browser asking for a page: text/html named in Accept (not only through */*), preferred to any
    result format. A program's `Accept: */*` or none at all gets results or a protocol error."""
    accept = request.accept_mimetypes
    named = {value for value, _ in accept}
    if request.method != "GET" or "text/html" not in named:
        return False
    results = max((accept[media] for media in SELECT_TYPES + GRAPH_TYPES if media in named), default=0)
    return accept["text/html"] >= results


def protocol_problem() -> str | None:
    """Why a request is not one SPARQL 1.1 Protocol query operation (None when it is): the protocol allows
    exactly one query, in exactly one place."""
    values = request.args.getlist("query") + request.form.getlist("query")
    if request.method == "POST" and request.mimetype == "application/sparql-query":
        charset = request.mimetype_params.get("charset", "utf-8").lower()
        if charset not in ("utf-8", "utf8"):
            return f"a query body must be UTF-8, not {charset}"
        try:
            values.append(request.get_data().decode("utf-8"))
        except UnicodeDecodeError:
            return "a query body must be UTF-8: this one is not"
    elif request.method == "GET" and request.get_data(cache=True):
        return "a GET request carries its query in the URL, not in a body"
    if len(values) > 1:
        return f"one query per request: this one has {len(values)} (query parameters or a body)"
    if values and (request.args.getlist("update") or request.form.getlist("update")):
        return "a request is a query or an update, not both"
    return None


def _plain_error(exc: sparql.SparqlError):
    body, code, headers = sparql_error_response(exc, plain=True)
    headers.update(CORS)
    if isinstance(exc, sparql.QueryTimeout):
        headers["X-R2PKG-Timeout"] = "true"
    return Response(body, code, headers)


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint():
    if request.method == "OPTIONS":
        return Response("", 204, {**CORS, "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                                  "Access-Control-Allow-Headers": "Content-Type, Accept",
                                  "Access-Control-Max-Age": "86400"})
    problem = protocol_problem()
    if problem:
        return _plain_error(sparql.QueryError(problem))
    mimetype = request.mimetype
    if request.method == "POST" and mimetype == "application/sparql-update" or "update" in request.form:
        return _plain_error(sparql.QueryRefused("this endpoint is read-only: SPARQL updates are not accepted"))
    if request.method == "POST" and mimetype == "application/sparql-query":
        query = request.get_data(as_text=True)
        if "query" in request.args:
            return _plain_error(sparql.QueryError("send the query either in the body or as ?query=, not both"))
    elif request.method == "POST" and mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return _plain_error(sparql.QueryError(
            f"a POST must be application/x-www-form-urlencoded or application/sparql-query, not {mimetype or 'empty'}"))
    else:
        query = request.values.get("query")
    if wants_editor():      # the same URL answers a program with results: caches must tell them apart
        return Response(editor(query), headers={"Vary": "Accept"})
    if query is None:
        return _plain_error(sparql.QueryError("no query: send ?query= (GET), a form with query= (POST) "
                                              "or a body of type application/sparql-query"))
    default_graphs = request.values.getlist("default-graph-uri") or None
    named_graphs = request.values.getlist("named-graph-uri") or None
    chosen = {kind: _choose(kind) for kind in ("select", "graph")}
    try:
        result = run_user_query(query, default_graphs=default_graphs, named_graphs=named_graphs,
                                serialize_as={kind: media for kind, media in chosen.items() if media},
                                base_iri=g.urls.absolute(g.urls.sparql()), prefixes=PREFIXES)
    except sparql.SparqlError as exc:
        return _plain_error(exc)
    media = chosen["graph" if result.kind == "graph" else "select"]
    if media is None:
        offered = GRAPH_TYPES if result.kind == "graph" else SELECT_TYPES
        return Response(f"Not Acceptable: this query's results come as {', '.join(offered)}\n", 406,
                        {"Content-Type": "text/plain; charset=utf-8", **CORS})
    body = sparql.serialize_results(result, media)
    content_type = media + ("; charset=utf-8" if media.startswith("text/") or "json" in media or "xml" in media else "")
    return Response(body, 200, {"Content-Type": content_type, "Vary": "Accept", **CORS, **limit_headers(result)})


def editor(shared_query: str | None = None):
    """The YASGUI page; `shared_query` (a link's ?query=) is what its editor shows and runs."""
    from .bp_queries import saved_queries

    examples = [{"name": q.name, "summary": q.summary or q.name, "query": q.text}
                for q in saved_queries().values() if not q.parameters]
    default_query = (
        sparql_prologue()
        + "\nSELECT ?meeting ?label ?date WHERE {\n  ?meeting a r2p:Meeting .\n"
        "  OPTIONAL { ?meeting skos:prefLabel ?label }\n  OPTIONAL { ?meeting r2p:startDate ?date }\n}\nORDER BY ?date\nLIMIT 100\n")
    config = {
        # absolute: YASGUI builds URLs from it with `new URL`, which fails on a path and hides every error
        "endpoint": g.urls.absolute(g.urls.sparql()),
        "sharedQuery": shared_query,
        "vocabulary": g.urls.sparql_vocabulary(),
        "prefixes": PREFIXES,
        "examples": examples,
        "defaultQuery": default_query,
        "timeout": current_app.config["SPARQL_TIMEOUT"],
        "maxRows": current_app.config["SPARQL_MAX_ROWS"],
        # Entity IRIs in results open our own pages: IRI prefix -> local path prefix.
        "localIris": {ID_PREFIX: g.urls.id(ID_PREFIX)},
    }
    return render_template("sparql/editor.html", config_json=json.dumps(config).replace("<", "\\u003c"), examples=examples,
                           config_timeout=config["timeout"], config_rows=config["maxRows"])


VOCABULARY_QUERY = """
SELECT DISTINCT ?term ?kind WHERE {
  { ?term a owl:Class . BIND("class" AS ?kind) } UNION { [] a ?term . BIND("class" AS ?kind) }
  UNION { ?term a owl:ObjectProperty . BIND("property" AS ?kind) }
  UNION { ?term a owl:DatatypeProperty . BIND("property" AS ?kind) }
  UNION { ?term a owl:AnnotationProperty . BIND("property" AS ?kind) }
  UNION { [] ?term [] . BIND("property" AS ?kind) }
  FILTER(isIRI(?term))
}"""
_vocabulary_cache: dict[str, dict] = {}


def vocabulary() -> dict[str, list[str]]:
    """The classes and properties of our ontology and of the served graph, for the editor's completion
    (in place of YASGUI's outside vocabulary service); computed once per build."""
    data = graph_data()
    key = str(data.snapshot().target)
    if key not in _vocabulary_cache:
        terms: dict[str, set[str]] = {"classes": set(), "properties": set()}
        for row in data.query(sparql_prologue() + VOCABULARY_QUERY):
            terms["classes" if row["kind"].value == "class" else "properties"].add(row["term"].value)
        _vocabulary_cache.clear()
        _vocabulary_cache[key] = {kind: sorted(values) for kind, values in terms.items()}
    return _vocabulary_cache[key]


@bp.route("/sparql/vocabulary.json")
def vocabulary_json():
    return jsonify(vocabulary())
