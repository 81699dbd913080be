"""A SPARQL 1.1 server as the store: Virtuoso, Fuseki, GraphDB, Oxigraph server, Neptune.

`RemoteStore` answers the part of `pyoxigraph.Store`'s interface the app uses (`query`,
`quads_for_pattern`) over the SPARQL 1.1 Protocol, so saved queries, the endpoint and the pages
run unchanged on either back end; `publish` copies a finished build onto the server over the
Graph Store Protocol.

The dataset a query sees is the embedded store's, on every server:

* The default graph is the merge of all graphs, each distinct triple once. Servers disagree on
  what a query without FROM reads (Virtuoso, GraphDB and Neptune: a multiset union of every graph,
  their own system graphs included; Oxigraph and Fuseki: a graph of its own), so the merge is
  written to the named graph MERGED_GRAPH and every query names it as `default-graph-uri`.
* The named graphs are the build's graphs, listed in DATASET_GRAPH; a query that uses GRAPH gets
  them as `named-graph-uri`, so MERGED_GRAPH and the server's system graphs never show up as ?g.
* A query with its own FROM or FROM NAMED gets no protocol dataset (Virtuoso adds the two up
  instead of letting the protocol win, as the standard says).
"""
from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from .backend import graph_iri
from .sparqltext import query_keywords
from .vocab import GRAPH

MERGED_GRAPH = str(GRAPH) + "default"      # the merge of all graphs: the default graph of queries
DATASET_GRAPH = str(GRAPH) + "dataset"     # which build is published, and its named graphs
_DATASET = str(GRAPH) + "dataset#this"
_SD = "http://www.w3.org/ns/sparql-service-description#"
_IDENTIFIER = "http://purl.org/dc/terms/identifier"
_RESULTS = "application/sparql-results+json"
_TRIPLES = "application/n-triples"
UPLOAD_PART = 2000   # triples per Graph Store Protocol request
# A write is sent again when the server dropped the connection under it: a server asking for Digest authentication
# answers the first, unauthenticated attempt at once and may close the connection while its body is still being
# sent, before the client can retry with credentials (Virtuoso, once in some 6,000 parts). Every write r2pkg sends
# may be sent twice: a graph replaced, triples added to a set, a graph dropped.
WRITE_ATTEMPTS = 3
_STAMP_TTL = 2.0     # seconds a server's build stamp is trusted before it is asked again


class RemoteStoreError(Exception):
    """The server cannot be reached or refused a request; the message names the URL."""


class RemoteTimeout(RemoteStoreError):
    """The server did not answer within the time limit (it may still be running the query)."""


class RemoteQueryError(RemoteStoreError):
    """The server could not evaluate the query (its message is passed on)."""


@dataclass(frozen=True)
class ServerConfig:
    """Where a SPARQL 1.1 server takes queries, updates and Graph Store Protocol requests.

    The password is read from $R2PKG_STORE_PASSWORD (never from the command line, where `ps`
    would show it); Basic and Digest authentication are both answered.
    """

    query_url: str
    update_url: str | None = None
    gsp_url: str | None = None
    user: str | None = None
    password: str | None = None

    @classmethod
    def from_options(cls, query_url: str, update_url: str | None = None, gsp_url: str | None = None,
                     user: str | None = None) -> "ServerConfig":
        for name, url in (("--query-url", query_url), ("--update-url", update_url), ("--gsp-url", gsp_url)):
            if url is not None and urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise ValueError(f"{name} must be an http(s) URL, not {url!r}")
        user = user or os.environ.get("R2PKG_STORE_USER") or None
        return cls(query_url, update_url, gsp_url, user, os.environ.get("R2PKG_STORE_PASSWORD") if user else None)

    def public(self) -> dict[str, str | None]:
        """The configuration without the password, for reports and logs."""
        return {"query_url": self.query_url, "update_url": self.update_url, "gsp_url": self.gsp_url, "user": self.user}


class RemoteStore:
    """A SPARQL server read through the protocol with the embedded store's dataset semantics."""

    def __init__(self, config: ServerConfig):
        self.config = config
        self._opener = _opener(config)
        self._stamp: tuple[float, str | None] = (0.0, None)
        self._graphs: tuple[str | None, list[str]] = (None, [])

    def __repr__(self) -> str:
        return f"RemoteStore({self.config.query_url})"

    # ---- reading -----------------------------------------------------------------------------
    def query(self, query: str, *, default_graph=None, named_graphs=None, use_default_graph_as_union: bool = False,
              timeout: float | None = None, base_iri: str | None = None, prefixes: dict[str, str] | None = None):
        """Like `pyoxigraph.Store.query`: QuerySolutions, QueryBoolean or an iterator of Triples.

        Oxigraph's parser reads the query first, so a malformed query or an update raises
        SyntaxError here as on the embedded store, the server only receives standard SPARQL 1.1,
        and the answer is asked for in the format of the query's kind (Virtuoso would otherwise
        answer a CONSTRUCT with a table of ?s ?p ?o). `use_default_graph_as_union` is accepted
        for the same signature and has nothing to do: the default graph is always the merge.
        `base_iri` and `prefixes` are sent as a prologue before the query's own (which wins)."""
        accept = _TRIPLES if _query_kind(query, base_iri, prefixes) == "graph" else _RESULTS
        query = _prologue(base_iri, prefixes) + query
        params = [("query", query)] + self._dataset(query, default_graph, named_graphs)
        body, content_type = self._send(self.config.query_url, params, accept=accept, timeout=timeout)
        return _parse_answer(body, content_type, self.config.query_url)

    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph_name=None) -> Iterator[ox.Quad]:
        """The quads matching a pattern; quads of the merged default graph come as DefaultGraph ones."""
        terms = [t if t is not None else ox.Variable(v) for t, v in ((subject, "s"), (predicate, "p"), (object, "o"))]
        pattern = " ".join(str(t) for t in terms)
        if graph_name is None:
            # Matched in the merge first: with only the object bound, Virtuoso's plan for a bare
            # GRAPH ?g pattern scans every graph (3 s against 27 ms for a meeting's incoming quads).
            where, names = f"{pattern} . GRAPH ?g {{ {pattern} }}", self.named_graphs() + [MERGED_GRAPH]
        else:
            iri = MERGED_GRAPH if isinstance(graph_name, ox.DefaultGraph) else graph_name.value
            where, names = f"BIND(<{iri}> AS ?g) GRAPH <{iri}> {{ {pattern} }}", [iri]
        text = f"SELECT ?s ?p ?o ?g WHERE {{ {where} }}"
        for row in self.query(text, default_graph=[ox.NamedNode(MERGED_GRAPH)],
                              named_graphs=[ox.NamedNode(n) for n in names]):
            graph = row["g"]
            yield ox.Quad(subject if subject is not None else row["s"],
                          predicate if predicate is not None else row["p"],
                          object if object is not None else row["o"],
                          ox.DefaultGraph() if graph.value == MERGED_GRAPH else graph)

    def __len__(self) -> int:
        """Quads in all graphs, the default one included, as `len(pyoxigraph.Store)` counts them."""
        names = [ox.NamedNode(n) for n in self.named_graphs() + [MERGED_GRAPH]]
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=names,
                          default_graph=[ox.NamedNode(MERGED_GRAPH)])
        return int(next(iter(rows))["n"].value)

    def build_stamp(self, *, fresh: bool = False) -> str | None:
        """The identifier of the build the server holds (None: nothing published), asked at most
        every few seconds: the app looks it up on every request to notice a new build."""
        asked_at, stamp = self._stamp
        if fresh or time.monotonic() - asked_at > _STAMP_TTL:
            rows = self.query(f"SELECT ?id WHERE {{ GRAPH <{DATASET_GRAPH}> {{ <{_DATASET}> <{_IDENTIFIER}> ?id }} }}",
                              default_graph=[ox.NamedNode(DATASET_GRAPH)], named_graphs=[ox.NamedNode(DATASET_GRAPH)])
            stamp = next((row["id"].value for row in rows), None)
            self._stamp = (time.monotonic(), stamp)
        return stamp

    def named_graphs(self) -> list[str]:
        """The published build's named graphs (what GRAPH ?g ranges over)."""
        stamp = self.build_stamp()
        if self._graphs[0] != stamp or stamp is None:
            rows = self.query(
                f"SELECT ?g WHERE {{ GRAPH <{DATASET_GRAPH}> {{ <{_DATASET}> <{_SD}namedGraph>/<{_SD}name> ?g }} }}",
                default_graph=[ox.NamedNode(DATASET_GRAPH)], named_graphs=[ox.NamedNode(DATASET_GRAPH)])
            self._graphs = (stamp, sorted(row["g"].value for row in rows))
        return list(self._graphs[1])

    def _dataset(self, query: str, default_graph, named_graphs) -> list[tuple[str, str]]:
        keywords = query_keywords(query)
        if default_graph is None and named_graphs is None and "FROM" in keywords:
            return []
        defaults = _iris(default_graph) if default_graph is not None else [MERGED_GRAPH]
        if named_graphs is not None:
            named = _iris(named_graphs)
        elif "GRAPH" in keywords:
            named = self.named_graphs()
        else:
            named = []
        return [("default-graph-uri", g) for g in defaults] + [("named-graph-uri", g) for g in named]

    # ---- writing -----------------------------------------------------------------------------
    def put_graph(self, graph: str, triples: Iterable[ox.Triple]) -> None:
        """Replace a graph's content, in parts: the first replaces, the others add.

        Parts keep every request small: a server asking for Digest authentication answers the
        first, unauthenticated attempt with 401 and may close the connection while a large body
        is still being sent (Virtuoso resets it), before the client can retry with credentials.
        Blank nodes are scoped to one request, so every triple with a blank node goes in the first
        part, whatever its size: an OWL restriction split over two requests would become two.
        """
        replace = True
        for part in _parts(triples, UPLOAD_PART):
            self._write(graph, part, replace=replace)
            replace = False
        if replace:                  # no triples: an empty graph
            self._write(graph, [], replace=True)

    def drop_graph(self, graph: str) -> None:
        """Delete a graph; a graph that is not there is fine."""
        if not self.config.gsp_url:
            self._update(f"DROP SILENT GRAPH <{graph}>")
            return
        try:
            self._graph_request("DELETE", graph, None)
        except RemoteStoreError as exc:
            if " 404" not in str(exc):
                raise

    def _write(self, graph: str, triples: list[ox.Triple], *, replace: bool) -> None:
        """PUT (replace) or POST (add) over the Graph Store Protocol, or, for a server without
        one, the same as SPARQL Update (CLEAR, then INSERT DATA)."""
        data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""
        if self.config.gsp_url:
            self._graph_request("PUT" if replace else "POST", graph, data)
            return
        clear = f"CLEAR SILENT GRAPH <{graph}> ;\n" if replace else ""
        self._update(f"{clear}INSERT DATA {{ GRAPH <{graph}> {{\n{data.decode('utf-8')}}} }}")

    def _update(self, text: str) -> None:
        if not self.config.update_url:
            raise RemoteStoreError("writing to a SPARQL server needs its Graph Store Protocol URL (--gsp-url) "
                                   "or its update endpoint (--update-url)")
        body = urllib.parse.urlencode([("update", text)]).encode("utf-8")
        self._open(urllib.request.Request(self.config.update_url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded"}), timeout=None, attempts=WRITE_ATTEMPTS)

    def _graph_request(self, method: str, graph: str, data: bytes | None) -> None:
        url = _with_params(self.config.gsp_url, [("graph", graph)])
        # N-Triples is Turtle, and every Graph Store Protocol server reads Turtle.
        headers = {"Content-Type": "text/turtle; charset=utf-8"} if data is not None else {}
        self._open(urllib.request.Request(url, data=data, method=method, headers=headers), timeout=None,
                   attempts=WRITE_ATTEMPTS)

    # ---- HTTP --------------------------------------------------------------------------------
    def _send(self, url: str, params: list[tuple[str, str]], *, accept: str, timeout: float | None) -> tuple[bytes, str]:
        body = urllib.parse.urlencode(params).encode("utf-8")
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
        return self._open(request, timeout=timeout)

    def _open(self, request: urllib.request.Request, *, timeout: float | None, attempts: int = 1) -> tuple[bytes, str]:
        """The server's answer and its media type, or the error that names the server. `attempts`: how often a
        request is sent whose connection the server dropped (see WRITE_ATTEMPTS); a query is sent once."""
        try:
            with self._opened(request, timeout, attempts) as response:
                return response.read(), response.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            message = _server_message(exc)
            error = RemoteQueryError if exc.code in (400, 500) and request.get_method() == "POST" else RemoteStoreError
            raise error(f"{request.get_method()} {_without_query(request.full_url)} answered {exc.code}: {message}") from None
        except (socket.timeout, TimeoutError):
            raise RemoteTimeout(f"{_without_query(request.full_url)} did not answer within {timeout} s") from None
        except urllib.error.URLError as exc:
            if isinstance(exc.reason, (socket.timeout, TimeoutError)):
                raise RemoteTimeout(f"{_without_query(request.full_url)} did not answer within {timeout} s") from None
            raise RemoteStoreError(f"cannot reach the SPARQL server at {_without_query(request.full_url)}: "
                                   f"{exc.reason}") from None
        except (ConnectionError, OSError) as exc:
            raise RemoteStoreError(f"cannot reach the SPARQL server at {_without_query(request.full_url)}: {exc}") from None

    def _opened(self, request: urllib.request.Request, timeout: float | None, attempts: int):
        """The opened response; a connection the server dropped is tried again while attempts are left."""
        for left in range(attempts - 1, -1, -1):
            try:
                return self._opener.open(request, timeout=timeout)
            except (urllib.error.URLError, ConnectionError) as exc:
                reason = exc if isinstance(exc, ConnectionError) else exc.reason
                if not left or isinstance(exc, urllib.error.HTTPError) or not isinstance(reason, ConnectionError):
                    raise
        raise ValueError("attempts must be at least 1")


# --------------------------------------------------------------------------------------------
# Publishing a build
# --------------------------------------------------------------------------------------------

def publish(store: ox.Store, server: RemoteStore, stamp: str) -> dict[str, Any]:
    """Copy a built store onto the server: each named graph, the merge, then the description that
    makes the build current; graphs of the previous build that are gone are dropped last.

    Readers see the old build until the description is replaced (the app reads named graphs
    through it), except that each named graph is replaced in place as it is sent: a server offers
    no atomic switch of many graphs over the protocol.
    """
    started = time.perf_counter()
    previous = set(server.named_graphs()) if server.build_stamp(fresh=True) else set()
    graphs = sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
    sent = 0
    for graph in graphs + [MERGED_GRAPH]:
        source = ox.DefaultGraph() if graph == MERGED_GRAPH else ox.NamedNode(graph)
        triples = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, source)]
        server.put_graph(graph, triples)
        sent += len(triples)
    server.put_graph(DATASET_GRAPH, _description(stamp, graphs))
    for stale in sorted(previous - set(graphs)):
        server.drop_graph(stale)
    server.build_stamp(fresh=True)
    return {"server": server.config.public(), "graphs": len(graphs), "triples": sent,
            "dropped_graphs": len(previous - set(graphs)), "seconds": round(time.perf_counter() - started, 3)}


def _description(stamp: str, graphs: list[str]) -> list[ox.Triple]:
    dataset, named, name = ox.NamedNode(_DATASET), ox.NamedNode(_SD + "namedGraph"), ox.NamedNode(_SD + "name")
    triples = [ox.Triple(dataset, ox.NamedNode(_IDENTIFIER), ox.Literal(stamp)),
               ox.Triple(dataset, ox.NamedNode(_SD + "defaultGraph"), ox.NamedNode(MERGED_GRAPH))]
    for graph in graphs:
        node = ox.NamedNode(graph)
        triples += [ox.Triple(dataset, named, node), ox.Triple(node, name, node)]
    return triples


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------

def _opener(config: ServerConfig) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [urllib.request.ProxyHandler({})]   # loopback servers: no proxy
    if config.user:
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        for url in (config.query_url, config.update_url, config.gsp_url):
            if url:
                passwords.add_password(None, url, config.user, config.password or "")
        handlers += [urllib.request.HTTPDigestAuthHandler(passwords), urllib.request.HTTPBasicAuthHandler(passwords)]
    return urllib.request.build_opener(*handlers)


_PARSER = threading.local()


def _prologue(base_iri: str | None, prefixes: dict[str, str] | None) -> str:
    """BASE and PREFIX declarations on one line, so the query's own lines keep their numbers but one."""
    if not base_iri and not prefixes:
        return ""
    parts = [f"BASE <{base_iri}>"] if base_iri else []
    parts += [f"PREFIX {name}: <{iri}>" for name, iri in (prefixes or {}).items()]
    return " ".join(parts) + "\n"


def _query_kind(query: str, base_iri: str | None = None, prefixes: dict[str, str] | None = None) -> str:
    """"select", "ask" or "graph", read by Oxigraph's parser on an empty in-memory store (which
    also raises SyntaxError for malformed queries and updates, as `Store.query` does)."""
    store = getattr(_PARSER, "store", None)
    if store is None:
        store = _PARSER.store = ox.Store()
    try:
        answer = store.query(query, base_iri=base_iri, prefixes=prefixes)
    except SyntaxError:
        raise
    except (OSError, RuntimeError, ValueError, TypeError):
        return "select"
    if isinstance(answer, ox.QueryBoolean):
        return "ask"
    return "select" if isinstance(answer, ox.QuerySolutions) else "graph"


def _parse_answer(body: bytes, content_type: str, url: str):
    media = content_type.split(";")[0].strip().lower()
    try:
        if media in ("application/sparql-results+json", "application/json"):
            return ox.parse_query_results(_portable_terms(body), format=ox.QueryResultsFormat.JSON)
        if media in ("application/sparql-results+xml", "application/xml"):
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
        formats = {"application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
                   "text/turtle": ox.RdfFormat.TURTLE, "application/rdf+xml": ox.RdfFormat.RDF_XML,
                   "application/ld+json": ox.RdfFormat.JSON_LD}
        if media in formats:
            triples = ox.parse(_portable_triples(body), format=formats[media])
            return iter([ox.Triple(q.subject, q.predicate, q.object) for q in triples])
    except SyntaxError as exc:
        raise RemoteStoreError(f"the SPARQL server at {url} sent an answer that cannot be read: {exc}") from None
    raise RemoteStoreError(f"the SPARQL server at {url} answered in {media or 'an unnamed format'}, "
                           "not SPARQL results or RDF")


_XSD_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_CANONICAL_BOOLEAN = {"1": "true", "0": "false"}


def _portable_terms(body: bytes) -> bytes:
    """JSON results as Oxigraph reads them and as the embedded store would answer. Virtuoso labels
    blank nodes `nodeID://b1001` (not a valid label) and keeps xsd:boolean values as 1 and 0."""
    if b'"bnode"' not in body and _XSD_BOOLEAN.encode() not in body:
        return body
    results = json.loads(body)
    for row in results.get("results", {}).get("bindings", []):
        for term in row.values():
            if term.get("type") == "bnode":
                term["value"] = re.sub(r"[^A-Za-z0-9_]", "_", term["value"])
            elif term.get("datatype") == _XSD_BOOLEAN:
                term["value"] = _CANONICAL_BOOLEAN.get(term["value"], term["value"])
    return json.dumps(results).encode("utf-8")


def _portable_triples(body: bytes) -> bytes:
    """N-Triples with canonical booleans (see _portable_terms)."""
    if _XSD_BOOLEAN.encode() not in body:
        return body
    return re.sub(rb'"([01])"\^\^<' + re.escape(_XSD_BOOLEAN.encode()) + rb'>',
                  lambda m: b'"' + _CANONICAL_BOOLEAN[m.group(1).decode()].encode() + b'"^^<' + _XSD_BOOLEAN.encode() + b'>',
                  body)


def _server_message(exc: urllib.error.HTTPError) -> str:
    try:
        text = exc.read().decode("utf-8", "replace")
    except Exception:
        text = ""
    text = re.sub(r"<[^>]+>", " ", text)          # servers answer errors in HTML too
    text = " ".join(text.split())
    return (text[:500] + "…") if len(text) > 500 else (text or exc.reason or "no message")


def _iris(graphs) -> list[str]:
    if isinstance(graphs, (str, ox.NamedNode, ox.DefaultGraph)):
        graphs = [graphs]
    return [MERGED_GRAPH if isinstance(g, ox.DefaultGraph) else graph_iri(g) for g in graphs]


def _parts(triples: Iterable[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """Parts of about `size` triples; every triple with a blank node is in the first one."""
    triples = list(triples)
    blank = [t for t in triples if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode)]
    rest = [t for t in triples if not (isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode))]
    first = max(size - len(blank), 0)
    if blank or rest:
        yield blank + rest[:first]
    for at in range(first, len(rest), size):
        yield rest[at:at + size]


def _with_params(url: str, params: list[tuple[str, str]]) -> str:
    return url + ("&" if "?" in url else "?") + urllib.parse.urlencode(params)


def _without_query(url: str) -> str:
    return url.split("?", 1)[0]
