"""/graph/<name>: the named graphs' IRIs (https://w3id.org/r2pkg/graph/inferred ...) dereference.

A browser gets a page describing the graph (what it holds, its size, how to query it); an RDF client
gets the graph's triples in the format it asks for, or, for a graph larger than the endpoint's row
limit, its VoID description with the dumps and the endpoint that hold it all.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, g, render_template, request

from r2pkg.graph.sparql import GRAPH_MEDIA_TYPES, QueryResult, serialize_results
from r2pkg.graph.vocab import DOCUMENT_GRAPH_PREFIX, EVIDENCE_GRAPH_PREFIX, GRAPH

from . import graph_data
from .errors import NotFound
from .untrusted import printable

bp = Blueprint("graphs", __name__)

# What each graph holds, in the README's words (its "Named graphs" table).
HOLDS = {
    "inferred": "the OWL RL closure of the ontology and the facts, minus trivial triples",
    "gazetteer": "curated reference facts no sentence states (the state a city lies in)",
    "external": "links to Wikidata, DBpedia and GeoNames; ISO codes and UN regional groups",
    "corpus": "document metadata from the manifest, and each document's text",
    "ontology": "the ontology",
    "default": "the merge of all graphs (on a SPARQL server back end)",
    "dataset": "a description of the build: its identifier and named graphs",
}
PAGE_TYPES = ["text/html", "application/xhtml+xml"]
DATA_TYPES = list(GRAPH_MEDIA_TYPES)
JSON_ALIAS = "application/json"
VOID = "http://rdfs.org/ns/void#"
DCTERMS = "http://purl.org/dc/terms/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@dataclass
class GraphPage:
    iri: str
    name: str
    holds: str
    triples: int            # counted up to `limit` + 1
    limit: int
    sample_query: str
    document: str | None    # the document page a document or evidence graph belongs to

    @property
    def complete(self) -> bool:
        return self.triples <= self.limit


def describe_graph(name: str) -> str:
    iri = str(GRAPH) + name
    if iri.startswith(DOCUMENT_GRAPH_PREFIX):
        return f"the facts read from the document {name.split('/', 1)[1]}"
    if iri.startswith(EVIDENCE_GRAPH_PREFIX):
        return f"the evidence of the document {name.split('/', 1)[1]}: each fact's sentence and span, and mentions"
    return HOLDS.get(name, "a graph of this dataset")


def _triples(iri: str, limit: int) -> list[ox.Triple]:
    """The graph's triples, at most `limit` + 1 (one more tells that there are more)."""
    quads = graph_data().store.quads_for_pattern(None, None, None, ox.NamedNode(iri))
    return [ox.Triple(q.subject, q.predicate, q.object) for q in islice(quads, limit + 1)]


def _void(page: GraphPage, urls) -> list[ox.Triple]:
    """The graph described in VoID: size when known, where its whole content is (endpoint, dumps)."""
    node = ox.NamedNode(page.iri)
    out = [ox.Triple(node, ox.NamedNode(RDF_TYPE), ox.NamedNode(VOID + "Dataset")),
           ox.Triple(node, ox.NamedNode(DCTERMS + "description"), ox.Literal(page.holds, language="en")),
           ox.Triple(node, ox.NamedNode(VOID + "sparqlEndpoint"), ox.NamedNode(urls.absolute(urls.sparql()))),
           ox.Triple(node, ox.NamedNode(VOID + "dataDump"), ox.NamedNode(urls.absolute(urls.dump("graph.trig")))),
           ox.Triple(ox.NamedNode(urls.absolute(urls.void()) + "#dataset"), ox.NamedNode(VOID + "subset"), node)]
    if page.complete:
        out.append(ox.Triple(node, ox.NamedNode(VOID + "triples"),
                             ox.Literal(str(page.triples), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))))
    return out


@bp.route("/graph/<path:name>")
def show(name: str):
    """The graph named https://w3id.org/r2pkg/graph/<name>, by Accept: its page, its triples or its VoID."""
    iri = str(GRAPH) + name
    limit = int(current_app.config["SPARQL_MAX_ROWS"])
    triples = _triples(iri, limit)
    if not triples:
        raise NotFound(f"There is no graph {printable(iri)} in the served build.", hint=name, what="graph")
    urls = g.urls
    document = None
    if iri.startswith((DOCUMENT_GRAPH_PREFIX, EVIDENCE_GRAPH_PREFIX)):
        document = urls.document(name.split("/", 1)[1])
    page = GraphPage(iri, name, describe_graph(name), len(triples), limit,
                     f"SELECT ?s ?p ?o WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }} LIMIT 100", document)
    accept = request.accept_mimetypes
    best = accept.best_match(PAGE_TYPES + DATA_TYPES + [JSON_ALIAS]) if accept else "text/html"
    if best is None:
        return Response("Not Acceptable: this graph is available as " + ", ".join(PAGE_TYPES + DATA_TYPES) + "\n",
                        406, {"Content-Type": "text/plain; charset=utf-8", "Vary": "Accept"})
    if best in PAGE_TYPES:
        response = Response(render_template("graphs/page.html", page=page))
    else:
        media = "application/ld+json" if best == JSON_ALIAS else best
        content = triples if page.complete else _void(page, urls)
        body = serialize_results(QueryResult("graph", triples=content), media)
        response = Response(body, 200, {"Content-Type": media + ("; charset=utf-8" if media != "application/rdf+xml" else ""),
                                        "Access-Control-Allow-Origin": "*"})
    response.headers["Vary"] = "Accept"
    return response
