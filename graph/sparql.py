"""The one module that runs SPARQL queries with limits, for the web app and the command line.

    result = run_query(data_dir, "SELECT ?s WHERE { ?s a r2p:Meeting }", timeout=5)
    result.rows        # [{"s": NamedNode(...)}, ...]
    result.truncated   # True when there were more than max_rows rows
    serialize_results(result, "application/sparql-results+json")

Limits:

* Only queries run: an update (INSERT, DELETE, LOAD, CLEAR, DROP, CREATE, ADD, MOVE, COPY) is
  refused with `QueryRefused`. The check is made on the parsed request, not on its text.
* SERVICE is refused unless the endpoint IRI is in `allowed_services` (empty by default): the
  keywords found as Oxigraph's grammar reads the text (`sparqltext`), the endpoints read from
  the parsed query (prefixes and BASE resolved); a variable endpoint is always refused, and
  so is any endpoint that is not http(s) on a public address (no file:, loopback or private
  hosts). pyoxigraph would otherwise call any SERVICE endpoint itself. FROM / FROM NAMED only
  select graphs of the store; Oxigraph never fetches them.
* A query nested deeper than MAX_NESTING brackets is refused before the engine parses it.
* A query longer than `max_length` characters is refused with `QueryTooLong` (413).
* At most `max_rows` rows (or triples) and `max_bytes` bytes come back, counted as they leave
  the engine; a cut answer is flagged `truncated`.
* pyoxigraph has no timeout and no cancel, so a query with a time limit runs in a warm pool of
  worker processes, each holding `Store.read_only` on the served build (reopened when the
  `current` symlink moves). A worker that overruns is killed, so its CPU work stops, and a fresh
  one replaces it in the background; the caller gets `QueryTimeout` and the server keeps going.
  Workers are confined (`sandbox`): no network sockets unless a SERVICE endpoint is allowed, a
  memory ceiling (a worker that dies of it gives `WorkerFailed`), a lower CPU priority.
* With `timeout=None` the query runs in this process, with no limit but the row cap. Passing a
  `pyoxigraph.Store` always runs in-process: a time limit then needs a data directory. Passing a
  `remote.RemoteStore` sends the query to that SPARQL server, after the same checks.
"""
from __future__ import annotations

import atexit
import csv
import errno
import io
import json
import logging
import multiprocessing
import os
import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape, quoteattr

import pyoxigraph as ox

from . import jsonld, sparqltext
from .backend import graph_iri
from .remote import RemoteQueryError, RemoteStore, RemoteStoreError, RemoteTimeout
from .sparqltext import query_keywords  # noqa: F401  (part of this module's interface)
from .store import StoreError, current_build, dataset_options, open_store
from .vocab import serialization_prefixes

DEFAULT_TIMEOUT = 5.0
DEFAULT_MAX_ROWS = 10000
DEFAULT_MAX_BYTES = 8_000_000
DEFAULT_WORKER_MEMORY = 1_500_000_000
# What a value costs in an answer besides its text, at most (a JSON binding, an XML <binding>).
VALUE_OVERHEAD = 64
DEFAULT_POOL_SIZE = 3
# Seconds a query of the slow lane waits for a worker before it is told the server is busy.
SLOW_LANE_WAIT = 1.0
# Deeper nesting of brackets than any real query needs; far deeper (1,000 nested calls) overflows the
# stack of Oxigraph's parser and kills the process; nested blank nodes cost its parser time that grows
# steeply (32: 26 ms, 64: 2 s, 200: minutes).
MAX_NESTING = 32
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_log = logging.getLogger(__name__)


class SparqlError(Exception):
    """Base of the errors a query can end with; str(error) is meant for the user."""

    status = 400
    ran = 0.0      # seconds the query ran before it ended so (a time limit, a dead worker)


class QueryError(SparqlError):
    """The query cannot be parsed (the parser's message) or cannot be evaluated."""


class QueryRefused(SparqlError):
    """A well-formed request this service does not run: an update, or SERVICE to an outside endpoint."""

    status = 403


class QueryTooLong(SparqlError):
    """The query text is longer than the configured limit."""

    status = 413


class QueryTimeout(SparqlError):
    """The query ran past its time limit and was stopped."""

    status = 503


class StoreUnavailable(SparqlError):
    """There is no graph to query (nothing built yet, or the store cannot be opened)."""

    status = 503


class AnswerTooLarge(SparqlError):
    """Not even one row of the answer fits in the limit on an answer's size in bytes."""

    status = 422


class WorkerFailed(SparqlError):
    """The process running the query died (out of memory, or a crash in the engine): the server's
    fault or its limit, not the query's syntax. The worker is replaced."""

    status = 500


@dataclass
class QueryResult:
    kind: str                                  # "select" | "ask" | "graph"
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False
    elapsed: float = 0.0
    ran: float = 0.0                   # of `elapsed`, the seconds spent running (not waiting for a worker)
    body: bytes | None = None          # the answer already serialized (in the worker), as body_type
    body_type: str | None = None
    length: int | None = None          # rows or triples, once they are dropped for the body

    def __len__(self) -> int:
        if self.length is not None:
            return self.length
        return len(self.triples) if self.kind == "graph" else len(self.rows)


# --------------------------------------------------------------------------------------------
# Checking a request before it runs
# --------------------------------------------------------------------------------------------

_KINDS = {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "graph", "DescribeQuery": "graph"}
_UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")


@dataclass(frozen=True)
class _Checked:
    kind: str | None            # None when only Oxigraph's parser understood the query
    services: tuple[str, ...]   # SERVICE endpoints (IRIs, or "?var" for a variable endpoint)


def _walk(node, found: list, prologue) -> None:
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            found.append(_service_name(node.get("term"), prologue))
        for value in node.values():
            _walk(value, found, prologue)
    elif isinstance(node, (list, tuple)) or node.__class__.__name__ == "ParseResults":
        for value in node:
            _walk(value, found, prologue)
    elif isinstance(node, Mapping):
        for value in node.values():
            _walk(value, found, prologue)


def _service_name(term, prologue) -> str:
    """The endpoint of a SERVICE clause as an absolute IRI (prefixes and BASE resolved), or "?var"."""
    from rdflib.plugins.sparql.algebra import translatePName
    from rdflib.plugins.sparql.parserutils import CompValue
    from rdflib.term import URIRef, Variable

    if isinstance(term, Variable):
        return term.n3()
    try:
        if isinstance(term, CompValue):
            term = translatePName(term, prologue)
        elif isinstance(term, URIRef):
            term = prologue.absolutize(term)
    except Exception:
        return "SERVICE"
    return str(term) if isinstance(term, URIRef) else "SERVICE"


def with_values(query: str, bindings: Mapping[ox.Variable, Any]) -> str:
    """The query with a VALUES block of the bound terms at the top of its outermost group.

    The terms are written in N-Triples syntax by pyoxigraph, which escapes them, so a value can
    only ever be a value. Unlike pyoxigraph's `substitutions`, this binds variables that are not
    projected, lets Oxigraph plan from the values (33 ms against 0.6 ms for an entity's evidence
    at 100k triples), and works the same on any SPARQL server.
    """
    if not bindings:
        return query
    at = sparqltext.mask(query).find("{")
    if at < 0:
        raise QueryError("the query has no WHERE group to bind values in")
    names = " ".join(f"?{v.value}" for v in bindings)
    values = " ".join(str(term) for term in bindings.values())
    return f"{query[:at + 1]} VALUES ({names}) {{ ({values}) }}{query[at + 1:]}"


@lru_cache(maxsize=512)
def check_query(query: str) -> _Checked:
    """What must be known before `query` runs: is it empty or nested too deeply for the engine's
    parser, and which SERVICE endpoints does it call.

    Updates need no check here: Oxigraph's query parser, which runs every query, does not accept
    them, and `classify_syntax_error` then tells an update (refused) from a malformed query.

    SERVICE: pyoxigraph really calls the endpoint of a SERVICE clause (over HTTP, to any host).
    `sparqltext.read_query` finds the SERVICE keywords as the engine's own grammar reads the text
    (every way it can be read); the endpoints come from rdflib's parse, with prefixes and BASE
    resolved, and are trusted only when that parse sees as many SERVICE clauses as the keywords:
    otherwise the query names an endpoint nobody here could read, and is refused.
    """
    if not query or not query.strip():
        raise QueryError("empty query: send a SPARQL SELECT, ASK, CONSTRUCT or DESCRIBE query")
    text = sparqltext.read_query(query)
    if text.depth > MAX_NESTING:
        raise QueryError(f"query nested too deeply: {text.depth} levels of brackets, the limit is {MAX_NESTING}")
    if text.services == []:
        return _Checked(None, ())
    from rdflib.plugins.sparql.algebra import translatePrologue
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(query)
        prologue = translatePrologue(parsed[0], None)
    except Exception:
        return _Checked(None, ("SERVICE",))
    services: list[str] = []
    _walk(parsed, services, prologue)
    if text.services is None or len(services) < len(text.services):
        services.append("SERVICE")
    return _Checked(_KINDS.get(getattr(parsed[1], "name", ""), None), tuple(services))


def classify_syntax_error(query: str, message: str, predeclared=()) -> SparqlError:
    """Oxigraph could not parse `query` as a query: an update is refused, anything else is malformed."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        update = parseUpdate(query)
    except Exception:
        update = None
    if update is not None and len(update.get("request", [])) > 0:
        return QueryRefused("this endpoint is read-only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, "
                            "DROP, CREATE, ADD, MOVE, COPY) are not accepted")
    words = set(re.findall(r"[A-Z]+", sparqltext.mask(query).upper()))
    if words & set(_UPDATE_WORDS) and not words & {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}:
        return QueryRefused("this endpoint is read-only: SPARQL updates are not accepted")
    return QueryError(f"malformed query: {sparqltext.syntax_problem(query, message, predeclared)}")


def endpoint_problem(iri: str) -> str | None:
    """Why a SERVICE endpoint may never be called from here (None when it may, if allow-listed).

    Only http(s) endpoints on public addresses: never file:, loopback, private, link-local or
    reserved addresses, whether written as a literal address or a name that resolves to one.
    """
    import ipaddress
    import socket
    from urllib.parse import urlsplit

    parts = urlsplit(iri)
    if parts.scheme.lower() not in ("http", "https"):
        return f"its scheme is {parts.scheme or 'missing'}:, only http and https endpoints can be called"
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        return "it names no host"
    if host == "localhost" or host.endswith(".localhost"):
        return "it is this machine (localhost)"
    try:
        addresses = {ipaddress.ip_address(host)}
    except ValueError:
        try:
            addresses = {ipaddress.ip_address(info[4][0].split("%")[0])
                         for info in socket.getaddrinfo(host, parts.port or None, proto=socket.IPPROTO_TCP)}
        except (OSError, UnicodeError, ValueError):
            return f"its host {host} cannot be resolved"
    for address in addresses:
        if not address.is_global or address.is_multicast:
            return f"its host {host} is a loopback, private or reserved address ({address})"
    return None


def _refuse_services(checked: _Checked, allowed: Iterable[str], allow_private: bool = False) -> None:
    allowed = set(allowed or ())
    for service in checked.services:
        if service.startswith(("?", "$")):
            raise QueryRefused(f"SERVICE {service} is not allowed: the endpoint of a SERVICE clause must be "
                               "a fixed IRI on this server's allow-list, not a variable")
        if service == "SERVICE":
            raise QueryRefused("SERVICE is not allowed here: this endpoint does not query other endpoints "
                               "(and could not read which endpoint this query names)")
        if service not in allowed:
            raise QueryRefused(f"SERVICE <{service}> is not allowed: this endpoint does not query other endpoints"
                               + (" except those on its allow-list" if allowed else ""))
        problem = None if allow_private else endpoint_problem(service)
        if problem:
            raise QueryRefused(f"SERVICE <{service}> is not allowed: {problem}")


# --------------------------------------------------------------------------------------------
# Running a query (in this process or in a worker)
# --------------------------------------------------------------------------------------------

def _to_term(value) -> Any:
    """Accept pyoxigraph terms, rdflib terms, or plain strings (taken as literals)."""
    if isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal, ox.Triple)):
        return value
    try:
        from rdflib.term import Identifier

        if isinstance(value, Identifier):
            from .store import to_ox

            return to_ox(value)
    except ImportError:  # pragma: no cover
        pass
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    return ox.Literal(str(value))


def _to_substitutions(substitutions: Mapping | None) -> dict[ox.Variable, Any]:
    out: dict[ox.Variable, Any] = {}
    for key, value in (substitutions or {}).items():
        name = key.value if isinstance(key, ox.Variable) else str(key).lstrip("?$")
        out[ox.Variable(name)] = _to_term(value)
    return out


def _graph_list(values) -> list | None:
    if values is None:
        return None
    if isinstance(values, (str, ox.NamedNode)):
        values = [values]
    return [v if isinstance(v, (ox.NamedNode, ox.BlankNode, ox.DefaultGraph)) else ox.NamedNode(str(v)) for v in values]


def _execute(store, query: str, opts: dict) -> QueryResult:
    if isinstance(store, RemoteStore):
        return _execute_remote(store, query, opts)
    return _evaluate(store, query, opts)


def _evaluate(store, query: str, opts: dict, **extra) -> QueryResult:
    checked = check_query(query)
    _refuse_services(checked, opts.get("allowed_services", ()), bool(opts.get("allow_private_services")))
    kwargs: dict[str, Any] = {}
    default_graphs = _graph_list(opts.get("default_graphs"))
    named_graphs = _graph_list(opts.get("named_graphs"))
    if default_graphs is not None:
        kwargs["default_graph"] = default_graphs
    elif opts.get("default_graph_as_union", True):
        kwargs.update(dataset_options(store))
    if named_graphs is not None:
        kwargs["named_graphs"] = named_graphs
    if opts.get("base_iri"):
        kwargs["base_iri"] = opts["base_iri"]
    if opts.get("prefixes"):
        kwargs["prefixes"] = dict(opts["prefixes"])
    try:
        result = _collect(store.query(query, **kwargs, **extra), opts)
    except SyntaxError as exc:
        raise classify_syntax_error(query, str(exc), tuple(opts.get("prefixes") or ())) from None
    except SparqlError:
        raise
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        raise QueryError(_failure_message(exc, checked)) from None
    return _serialized(result, opts)


def _collect(answer, opts: dict) -> QueryResult:
    """The answer's rows (or triples), cut at `max_rows` and at `max_bytes` of their estimated size."""
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    max_rows = int(opts.get("max_rows", DEFAULT_MAX_ROWS))
    budget = int(opts.get("max_bytes") or DEFAULT_MAX_BYTES)
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        result = QueryResult("select", variables=variables)
        items: list = result.rows
        sized = _sized_rows(answer, variables)
    else:
        result = QueryResult("graph")
        items = result.triples
        sized = ((triple, _term_size(triple)) for triple in answer)
    used = 0
    for item, size in sized:
        if len(items) >= max_rows or used + size > budget:
            result.truncated = True
            break
        items.append(item)
        used += size
    if result.truncated and not items and max_rows > 0:
        raise AnswerTooLarge(f"answer too large: its first {'row' if result.kind == 'select' else 'triple'} "
                             f"alone is larger than the limit of {budget:,} bytes on an answer")
    return result


def _sized_rows(solutions: ox.QuerySolutions, variables: list[str]) -> Iterator[tuple[dict, int]]:
    """Each solution as a row (variable -> term, unbound ones left out) with its estimated size.

    A solution's terms are read once, in the order of its variables: `solution[name]` makes a new term at
    each call (2,000 rows of ten variables: 45 ms for two calls a value). Equal terms are made one object,
    sized once, which pickle then sends once from a query worker (the same rows: 65 -> 8 ms both ways)."""
    seen: dict = {}         # term -> (the one object kept for it, its size)
    for solution in solutions:
        row, size = {}, 0
        for name, term in zip(variables, solution):
            if term is not None:
                kept = seen.get(term)
                if kept is None:
                    kept = seen[term] = (term, _term_size(term))
                row[name] = kept[0]
                size += kept[1] + len(name)
        yield row, size


def _term_size(term) -> int:
    """An upper bound of what a term costs in any of the result formats, short of escaping."""
    if isinstance(term, ox.Triple):
        return _term_size(term.subject) + _term_size(term.predicate) + _term_size(term.object)
    size = len(term.value) + VALUE_OVERHEAD
    if isinstance(term, ox.Literal):
        size += len(term.datatype.value) + len(term.language or "")
    return size


def _serialized(result: QueryResult, opts: dict) -> QueryResult:
    """Serialize here, inside the time limit, when the caller said in which format (`serialize_as`,
    by result kind); escaping can outgrow the estimate, so rows are cut until the body fits."""
    media_type = (opts.get("serialize_as") or {}).get("select" if result.kind == "ask" else result.kind)
    if not media_type:
        return result
    budget = int(opts.get("max_bytes") or DEFAULT_MAX_BYTES)
    items = result.triples if result.kind == "graph" else result.rows
    body = serialize_results(result, media_type)
    while len(body) > budget and items:
        del items[len(items) // 2:]
        result.truncated = True
        body = serialize_results(result, media_type)
    if len(body) > budget:
        raise AnswerTooLarge(f"answer too large: more than the limit of {budget:,} bytes on an answer")
    result.body, result.body_type, result.length = body, media_type, len(result)
    result.rows, result.triples = [], []          # sent once, as the body
    return result


def _failure_message(exc: Exception, checked: _Checked) -> str:
    """What the client is told when evaluation fails. Never another host's answer: a query that
    calls a SERVICE gets no engine message at all, as the message may quote the remote's body."""
    if checked.services:
        return "query failed: a SERVICE endpoint could not be queried (its answer is not shown here)"
    if isinstance(exc, OSError) and (exc.errno == errno.EACCES or "os error 13" in str(exc)):
        _log.warning("a query tried to open a network connection that the checks did not foresee")
        return "query refused: it tried to reach another host, which this server's queries may not do"
    return f"query failed: {exc}"


def _execute_remote(store, query: str, opts: dict) -> QueryResult:
    """A query on a SPARQL server, with the checks and errors of the embedded store (the store
    parses the query with Oxigraph's parser first: graph/remote.py). The time limit is the
    client's: the server may go on with a query the app has stopped waiting for."""
    timeout = opts.get("timeout")
    try:
        return _evaluate(store, query, opts, timeout=timeout)
    except RemoteTimeout:
        raise QueryTimeout(f"query stopped after its time limit of {timeout:g} s") from None
    except RemoteQueryError as exc:
        raise QueryError(f"query failed: {exc}") from None
    except RemoteStoreError as exc:
        raise StoreUnavailable(str(exc)) from None


def _store_target(data_dir: Path) -> str | None:
    build = current_build(data_dir)
    return str(build.root) if build is not None else None


def _worker_main(data_dir: str, conn, limits: "WorkerLimits", server: int) -> None:  # pragma: no cover - a child
    from .sandbox import confine_worker

    confine_worker(network=limits.network, max_memory=limits.max_memory, server=server)  # first: one thread yet
    path = Path(data_dir)
    store = None
    opened_for: str | None = None
    try:
        import rdflib.plugins.sparql.parser  # noqa: F401  (warm: it tells updates from bad syntax)
    except Exception:
        pass
    try:   # open before saying ready, so a fresh worker's first query does not pay for it
        opened_for = _store_target(path)
        store = open_store(path, read_only=True)
    except StoreError:
        store, opened_for = None, None
    conn.send(("ready",))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        query, opts = job
        try:
            target = _store_target(path)
            if store is None or target != opened_for:
                store = None
                try:
                    store = open_store(path, read_only=True)
                except StoreError as exc:
                    raise StoreUnavailable(str(exc)) from None
                opened_for = target
            result = _execute(store, query, opts)
            conn.send(("ok", result))
        except SparqlError as exc:
            conn.send(("error", type(exc).__name__, str(exc)))
        except MemoryError:       # past the ceiling: answer, then end, so a fresh worker replaces this one
            conn.send(("error", "WorkerFailed", "the query ran out of memory: a query worker may use at most "
                                                f"{limits.max_memory:,} bytes"))
            return
        except Exception as exc:  # never let a worker die on a bad query
            conn.send(("error", "QueryError", f"query failed: {exc}"))


_ERRORS = {cls.__name__: cls for cls in (QueryError, QueryRefused, QueryTooLong, QueryTimeout, StoreUnavailable,
                                         AnswerTooLarge, WorkerFailed)}


@dataclass(frozen=True)
class WorkerLimits:
    """What a query worker may do: open network connections (only for federated queries), and how
    much memory it may take."""
    network: bool = False
    max_memory: int | None = DEFAULT_WORKER_MEMORY


class _Worker:
    def __init__(self, ctx, data_dir: Path, limits: WorkerLimits):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(str(data_dir), child, limits, os.getpid()), daemon=True,
                                name="r2pkg-sparql-worker")
        self.proc.start()
        child.close()

    def wait_ready(self, timeout: float = 30.0) -> bool:
        if self.conn.poll(timeout):
            try:
                return self.conn.recv() == ("ready",)
            except (EOFError, OSError):
                return False
        return False

    def kill(self) -> None:
        try:
            self.proc.kill()
            self.proc.join(2)
        except Exception:
            pass
        try:
            self.conn.close()
        except Exception:
            pass


def _ran(error: SparqlError, since: float) -> SparqlError:
    error.ran = time.monotonic() - since
    return error


class _IdleWorkers:
    """The workers free to take a query; a query of the slow lane takes one only while another stays free."""

    def __init__(self) -> None:
        self._workers: list[_Worker] = []
        self._changed = threading.Condition()

    def put(self, worker: _Worker) -> None:
        with self._changed:
            self._workers.append(worker)
            self._changed.notify_all()

    def take(self, timeout: float, keep_free: int = 0) -> _Worker | None:
        """A free worker, leaving at least `keep_free` others free; None when none came in `timeout` s."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._workers) > keep_free, timeout=timeout):
                return None
            return self._workers.pop(0)

    def drain(self) -> list[_Worker]:
        with self._changed:
            workers, self._workers = self._workers, []
            return workers


class QueryPool:
    """Warm worker processes, each with the served store open read-only, confined by `limits`.

    A query of the slow lane (`run(..., slow_lane=True)`, a client whose recent queries were slow)
    takes a worker only while another stays free, so slow queries never hold every worker, even while
    the workers they overran are being replaced.
    """

    def __init__(self, data_dir: Path | str, size: int = DEFAULT_POOL_SIZE, limits: WorkerLimits = WorkerLimits()):
        self.data_dir = Path(data_dir)
        self.size = max(1, int(size))
        self.limits = limits
        try:
            self._ctx = multiprocessing.get_context("forkserver")
            self._ctx.set_forkserver_preload(["r2pkg.graph.sparql"])
        except ValueError:  # pragma: no cover - platforms without forkserver
            self._ctx = multiprocessing.get_context("spawn")
        self._idle = _IdleWorkers()
        self._workers: set[_Worker] = set()       # every live worker, busy or idle: close() ends them all
        self._closed = False
        self.killed = 0
        starting = [self._start() for _ in range(self.size)]
        for worker in starting:
            if worker.wait_ready():
                self._idle.put(worker)
            else:
                self._end(worker)
                self._replace_async()

    def _start(self) -> _Worker:
        worker = _Worker(self._ctx, self.data_dir, self.limits)
        self._workers.add(worker)
        return worker

    def _replace_async(self) -> None:
        """Start a worker in the background, retrying until one is ready: a pool that gave up on a
        replacement (a slow start on a loaded machine) would shrink for good, and once empty every
        query would wait out its limit as "busy"."""
        def start() -> None:
            delay = 0.5
            while not self._closed:
                worker = self._start()
                if worker.wait_ready() and not self._closed:
                    self._idle.put(worker)
                    return
                self._end(worker)
                time.sleep(delay)
                delay = min(delay * 2, 10.0)

        threading.Thread(target=start, name="r2pkg-sparql-respawn", daemon=True).start()

    def run(self, query: str, opts: dict, timeout: float, *, slow_lane: bool = False) -> QueryResult:
        if self._closed:
            raise StoreUnavailable("the query service is shut down")
        deadline = time.monotonic() + timeout
        wait = min(timeout, SLOW_LANE_WAIT) if slow_lane else timeout   # a slow client's query does not queue long
        worker = self._idle.take(max(0.01, wait), keep_free=1 if slow_lane and self.size > 1 else 0)
        if worker is None:
            raise QueryTimeout(f"query stopped at its time limit of {timeout:g} s: the server is busy, no query "
                               "worker became free in time" + (" for a client whose queries were slow" if slow_lane
                                                               else ""))
        if not worker.proc.is_alive():
            self._end(worker)
            self._replace_async()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise QueryTimeout(f"query stopped after its time limit of {timeout:g} s")
            return self.run(query, opts, remaining, slow_lane=slow_lane)   # another worker, the time left
        if time.monotonic() >= deadline:
            # The wait for a worker used the whole limit. Not sent at all: sent, a fast answer could
            # be in the pipe by the time this thread runs again and would be taken, past the limit.
            self._idle.put(worker)
            raise QueryTimeout(f"query stopped at its time limit of {timeout:g} s before a worker could start it")
        sent = time.monotonic()
        try:
            worker.conn.send((query, opts))
            remaining = max(0.0, deadline - time.monotonic())
            if not worker.conn.poll(remaining):
                raise TimeoutError
            answer = worker.conn.recv()
        except TimeoutError:
            self._end(worker)
            self.killed += 1
            self._replace_async()
            raise _ran(QueryTimeout(f"query stopped after its time limit of {timeout:g} s"), sent) from None
        except (EOFError, OSError, BrokenPipeError):
            self._end(worker)
            self._replace_async()
            raise _ran(WorkerFailed("the query's worker process died while running it (out of memory, or a crash "
                                    "in the query engine); it has been replaced"), sent) from None
        self._idle.put(worker)
        if answer[0] == "ok":
            result = answer[1]
            result.ran = time.monotonic() - sent
            return result
        raise _ran(_ERRORS.get(answer[1], QueryError)(answer[2]), sent)

    def _end(self, worker: _Worker) -> None:
        worker.kill()
        self._workers.discard(worker)

    def close(self) -> None:
        """End every worker, those running a query too (they would run on, orphaned, to its end)."""
        self._closed = True
        for worker in self._idle.drain():
            try:
                worker.conn.send(None)
            except Exception:
                pass
        for worker in list(self._workers):
            worker.kill()
        self._workers.clear()


_pools: dict[tuple[str, int, WorkerLimits], QueryPool] = {}
_pools_lock = threading.Lock()


def get_pool(data_dir: Path | str, size: int = DEFAULT_POOL_SIZE, limits: WorkerLimits = WorkerLimits()) -> QueryPool:
    """The shared pool for a data directory and limits (started on first use, closed at exit)."""
    key = (str(Path(data_dir).resolve()), int(size), limits)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None or pool._closed:
            pool = _pools[key] = QueryPool(key[0], size, limits)
        return pool


@atexit.register
def close_pools() -> None:
    with _pools_lock:
        for pool in _pools.values():
            pool.close()
        _pools.clear()


def run_query(
    data_dir_or_store,
    query: str,
    *,
    substitutions: dict | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
    timeout: float | None = None,
    default_graph_as_union: bool = True,
    default_graphs=None,
    named_graphs=None,
    allowed_services: Iterable[str] = (),
    allow_private_services: bool = False,
    max_length: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    serialize_as: Mapping[str, str] | None = None,
    pool: QueryPool | None = None,
    slow_lane: bool = False,
    base_iri: str | None = None,
    prefixes: Mapping[str, str] | None = None,
) -> QueryResult:
    """Run one read-only query under a row cap and, when `timeout` is given, a time limit.

    `data_dir_or_store` is a data directory (the served build, `DATA_DIR/current`), an open
    `pyoxigraph.Store`, or a `remote.RemoteStore` (a SPARQL server: there the time limit stops
    the wait, and the server's own limit its work). `substitutions` binds variables to values in a VALUES block (`with_values`).
    `default_graphs` / `named_graphs` (IRIs) set the dataset like the protocol's
    `default-graph-uri` / `named-graph-uri`; otherwise the default graph is the merge of all
    graphs (see `store.dataset_options`), or the store's bare default graph when
    `default_graph_as_union` is False.
    `allowed_services` are the SERVICE endpoints a query may call; even those are refused when
    they are not http(s) on a public address, unless `allow_private_services` (tests only).
    FROM and FROM NAMED only pick graphs of the store: Oxigraph never fetches them.
    `max_bytes` bounds the answer's size: rows past it are cut (`truncated`), and `AnswerTooLarge`
    is raised when not even one fits. `serialize_as` ({"select": media type, "graph": media type})
    has the answer serialized where it runs, inside the time limit: `result.body`. `slow_lane`
    queries leave a worker of the pool free for others (see `QueryPool`).
    `base_iri` resolves the query's relative IRIs (the protocol's endpoint URL; a query's own BASE
    wins), and `prefixes` are predeclared (a query's own PREFIX of the same name wins).
    """
    opts = {
        "max_rows": int(max_rows),
        "max_bytes": int(max_bytes),
        "serialize_as": dict(serialize_as or {}),
        "default_graph_as_union": default_graph_as_union,
        "default_graphs": [graph_iri(g) for g in default_graphs]
        if default_graphs is not None else None,
        "named_graphs": [graph_iri(g) for g in named_graphs]
        if named_graphs is not None else None,
        "allowed_services": tuple(allowed_services or ()),
        "allow_private_services": bool(allow_private_services),
        "base_iri": base_iri,
        "prefixes": dict(prefixes or {}),
    }
    if max_rows < 0:
        raise ValueError("max_rows must be >= 0")
    if max_length is not None and len(query or "") > max_length:
        raise QueryTooLong(f"query too long: {len(query):,} characters, the limit is {max_length:,}")
    query = with_values(query, _to_substitutions(substitutions))
    started = time.perf_counter()
    if not isinstance(data_dir_or_store, (str, Path)):          # an open store, embedded or remote
        if timeout is not None and timeout <= 0:
            raise QueryTimeout("query stopped: its time limit is 0 s")
        opts["timeout"] = timeout
        result = _execute(data_dir_or_store, query, opts)
    elif timeout is None:
        try:
            store = open_store(Path(data_dir_or_store), read_only=True)
        except StoreError as exc:
            raise StoreUnavailable(str(exc)) from None
        result = _execute(store, query, opts)
    else:
        if timeout <= 0:
            raise QueryTimeout("query stopped: its time limit is 0 s")
        result = (pool or get_pool(data_dir_or_store)).run(query, opts, float(timeout), slow_lane=slow_lane)
    result.elapsed = time.perf_counter() - started
    result.ran = result.ran or result.elapsed
    return result


# --------------------------------------------------------------------------------------------
# Serializers
# --------------------------------------------------------------------------------------------

SELECT_MEDIA_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
)
GRAPH_MEDIA_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


def term_to_json(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": term_to_json(term.subject),
                                            "predicate": term_to_json(term.predicate),
                                            "object": term_to_json(term.object)}}
    raise TypeError(f"not an RDF term: {term!r}")


def _xml_term(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{xml_escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{xml_escape(term.value)}</literal>"
        return f"<literal>{xml_escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (f"<triple><subject>{_xml_term(term.subject)}</subject><predicate>{_xml_term(term.predicate)}"
                f"</predicate><object>{_xml_term(term.object)}</object></triple>")
    raise TypeError(f"not an RDF term: {term!r}")


def _csv_value(term) -> str:
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    return str(term)


def _tsv_value(term) -> str:
    # N-Triples-style terms; tabs and newlines inside literals are escaped by str().
    return str(term)


def serialize_results(result: QueryResult, media_type: str) -> bytes:
    """The result in one of SELECT_MEDIA_TYPES (select/ask) or GRAPH_MEDIA_TYPES (graph)."""
    media_type = media_type.split(";")[0].strip().lower()
    if media_type == "application/json":
        media_type = "application/sparql-results+json"
    if media_type == "application/xml":
        media_type = "application/sparql-results+xml"
    if result.body is not None:
        if media_type != result.body_type:
            raise ValueError(f"this answer was serialized as {result.body_type}, not {media_type}")
        return result.body
    if result.kind == "graph":
        fmt = GRAPH_MEDIA_TYPES.get(media_type)
        if fmt is None:
            raise ValueError(f"cannot write a graph as {media_type}; use one of {', '.join(GRAPH_MEDIA_TYPES)}")
        if fmt == ox.RdfFormat.JSON_LD:
            return jsonld.with_context(ox.serialize(result.triples, format=fmt), serialization_prefixes())
        prefixes = serialization_prefixes() if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
        if prefixes:
            return ox.serialize(result.triples, format=fmt, prefixes=prefixes)
        return ox.serialize(result.triples, format=fmt)
    if media_type == "application/sparql-results+json":
        if result.kind == "ask":
            body: dict = {"head": {}, "boolean": bool(result.boolean)}
        else:
            body = {"head": {"vars": result.variables},
                    "results": {"bindings": [{k: term_to_json(v) for k, v in row.items()} for row in result.rows]}}
        return json.dumps(body, ensure_ascii=False).encode("utf-8")
    if media_type == "application/sparql-results+xml":
        out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
        if result.kind == "ask":
            out.append(f"</head>\n<boolean>{'true' if result.boolean else 'false'}</boolean>\n</sparql>\n")
            return "".join(out).encode("utf-8")
        out.extend(f"<variable name={quoteattr(v)}/>" for v in result.variables)
        out.append("</head>\n<results>\n")
        for row in result.rows:
            out.append("<result>")
            out.extend(f"<binding name={quoteattr(k)}>{_xml_term(v)}</binding>" for k, v in row.items())
            out.append("</result>\n")
        out.append("</results>\n</sparql>\n")
        return "".join(out).encode("utf-8")
    if media_type == "text/csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        if result.kind == "ask":
            writer.writerow(["_askResult"])
            writer.writerow(["true" if result.boolean else "false"])
        else:
            writer.writerow(result.variables)
            for row in result.rows:
                writer.writerow([_csv_value(row[v]) if v in row else "" for v in result.variables])
        return buf.getvalue().encode("utf-8")
    if media_type == "text/tab-separated-values":
        if result.kind == "ask":
            return ("?_askResult\n" + ("true" if result.boolean else "false") + "\n").encode("utf-8")
        lines = ["\t".join("?" + v for v in result.variables)]
        for row in result.rows:
            lines.append("\t".join(_tsv_value(row[v]) if v in row else "" for v in result.variables))
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(f"cannot write {result.kind} results as {media_type}; use one of {', '.join(SELECT_MEDIA_TYPES)}")
