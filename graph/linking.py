"""`r2pkg link`: propose Wikidata ids for the entities the link tables leave blank (online, optional).

    r2pkg link [--endpoint URL] [--yes] [--data-dir DIR]

For every entity of the served graph that is a state, organization, person or city and has no Wikidata id
in loaders/gazetteers/external/ (see `r2pkg.graph.external`), it asks a Wikidata SPARQL endpoint for items
whose English label or alias is the entity's name and whose type fits its kind:

    state   wdt:P31 wd:Q6256 (country) or wd:Q3624078 (sovereign state)
    org     wdt:P31/wdt:P279* wd:Q43229 (organization)
    person  wdt:P31 wd:Q5 (human)
    city    wdt:P31/wdt:P279* wd:Q515 (city)

and shows the candidates, each with a confidence, for a person to accept one or skip. A candidate's
confidence is 0.9 when its English label is the name, 0.7 when an alias is, divided by the number of
candidates found (two items with the same label are a coin toss). `--yes` accepts, without asking, the
best candidate when its confidence is at least AUTO_ACCEPT (0.85: a single item whose label is the name).
Accepted ids are written to the data files (states.csv for a state, entities.csv for the others), with a
note saying so; the build uses them from then on, offline.

Politeness: a descriptive User-Agent (Wikimedia's policy asks for one), at most one request per
`min_interval` seconds, retries with exponential back-off on connection errors, time-outs, HTTP 429 and 5xx
(honouring Retry-After), and every answer cached on disk (one JSON file per query), so a second run asks
nothing it already knows.

Offline (no answer after the retries), it says so on stderr, exits with status 2 and changes nothing.
"""
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import socket
import sys
import time
import urllib.error
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import URIRef

from . import external as ext
from .vocab import ID

WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"
USER_AGENT = ("r2pkg-link/0.1 (knowledge graph of the Global Network of R2P Focal Points; "
              "https://w3id.org/r2pkg/) SPARQLWrapper/2")
DEFAULT_MIN_INTERVAL = 1.0     # seconds between two requests
DEFAULT_RETRIES = 3
DEFAULT_BACKOFF = 2.0          # seconds before the first retry; doubled each time
DEFAULT_TIMEOUT = 30           # seconds for one request
MAX_RETRY_AFTER = 120
AUTO_ACCEPT = 0.85
MAX_CANDIDATES = 10

KIND_TYPES: dict[str, tuple[tuple[str, ...], bool]] = {
    # kind: (Wikidata classes, follow subclass-of)
    "state": (("Q6256", "Q3624078"), False),
    "org": (("Q43229",), True),
    "person": (("Q5",), False),
    "city": (("Q515",), True),
}
_RETRY_HTTP = {429, 500, 502, 503, 504}


class EndpointUnavailable(RuntimeError):
    """The endpoint did not answer after the retries; str() says so for a person."""


@dataclass(frozen=True)
class Candidate:
    qid: str
    label: str
    description: str
    confidence: float
    matched: str            # "label" or "alias"

    @property
    def iri(self) -> str:
        return str(ext.wikidata_iri(self.qid))


@dataclass
class LinkResult:
    asked: list[URIRef] = field(default_factory=list)
    accepted: dict[URIRef, str] = field(default_factory=dict)
    skipped: list[URIRef] = field(default_factory=list)
    changed_files: list[Path] = field(default_factory=list)


Accept = Callable[[URIRef, str, list[Candidate]], "Candidate | None"]


# ---------------------------------------------------------------------------------------------------------
# A polite client

class WikidataClient:
    """SELECT queries through SPARQLWrapper, rate-limited, retried and cached on disk."""

    def __init__(self, endpoint: str = WIKIDATA_ENDPOINT, *, cache_dir: Path | str | None = None,
                 min_interval: float = DEFAULT_MIN_INTERVAL, retries: int = DEFAULT_RETRIES,
                 backoff: float = DEFAULT_BACKOFF, timeout: float = DEFAULT_TIMEOUT,
                 user_agent: str = USER_AGENT, sleep: Callable[[float], None] = time.sleep):
        self.endpoint = endpoint
        self.cache_dir = Path(cache_dir) if cache_dir else None
        self.min_interval = min_interval
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.user_agent = user_agent
        self.sleep = sleep
        self.requests = 0           # requests sent (not answered from the cache)
        self._last = 0.0

    def _cache_path(self, query: str) -> Path | None:
        if self.cache_dir is None:
            return None
        key = hashlib.sha256(f"{self.endpoint}\n{query}".encode("utf-8")).hexdigest()
        return self.cache_dir / f"{key}.json"

    def select(self, query: str) -> list[dict[str, dict]]:
        """The bindings of a SELECT query (SPARQL JSON results)."""
        cached = self._cache_path(query)
        if cached is not None and cached.is_file():
            return json.loads(cached.read_text(encoding="utf-8"))["bindings"]
        bindings = self._ask(query)
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(".tmp")
            tmp.write_text(json.dumps({"endpoint": self.endpoint, "query": query, "bindings": bindings,
                                       "fetched": dt.datetime.now(dt.timezone.utc).isoformat()}),
                           encoding="utf-8")
            tmp.replace(cached)
        return bindings

    def _ask(self, query: str) -> list[dict[str, dict]]:
        from SPARQLWrapper import GET, JSON, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import EndPointInternalError, SPARQLWrapperException

        last_error: BaseException | None = None
        for attempt in range(self.retries + 1):
            wait = self.min_interval - (time.monotonic() - self._last)
            if wait > 0:
                self.sleep(wait)
            sw = SPARQLWrapper(self.endpoint, agent=self.user_agent)
            sw.setQuery(query)
            sw.setReturnFormat(JSON)
            sw.setMethod(GET)
            sw.setTimeout(int(self.timeout))
            retry_after = None
            try:
                self.requests += 1
                self._last = time.monotonic()
                result = sw.queryAndConvert()
                return result["results"]["bindings"]
            except urllib.error.HTTPError as exc:
                if exc.code not in _RETRY_HTTP:
                    raise EndpointUnavailable(f"{self.endpoint} answered HTTP {exc.code} {exc.reason}") from exc
                last_error = exc
                retry_after = _retry_after(exc.headers.get("Retry-After") if exc.headers else None)
            except EndPointInternalError as exc:
                last_error = exc
            except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError) as exc:
                last_error = exc
            except SPARQLWrapperException as exc:
                raise EndpointUnavailable(f"{self.endpoint} refused the query: {exc}") from exc
            if attempt < self.retries:
                self.sleep(retry_after if retry_after is not None else self.backoff * (2 ** attempt))
        reason = getattr(last_error, "reason", None) or last_error
        raise EndpointUnavailable(f"cannot reach {self.endpoint} ({reason}) after {self.retries + 1} tries")


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return min(float(value), MAX_RETRY_AFTER)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------------------
# Finding candidates

def _literal(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"@en'


def name_variants(name: str) -> list[str]:
    """The name, and without a leading 'The' (Wikidata labels seldom carry it)."""
    out = [name.strip()]
    if name.lower().startswith("the "):
        out.append(name[4:].strip())
    return [v for i, v in enumerate(out) if v and v not in out[:i]]


def candidate_query(name: str, kind: str) -> str:
    """A SELECT for items of the kind's type whose English label or alias is the name."""
    classes, transitive = KIND_TYPES[kind]
    path = "wdt:P31/wdt:P279*" if transitive else "wdt:P31"
    values = " ".join(f"wd:{q}" for q in classes)
    names = " ".join(_literal(v) for v in name_variants(name))
    return f"""PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX wdt: <http://www.wikidata.org/prop/direct/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <http://schema.org/>
SELECT DISTINCT ?item ?matched ?label ?description WHERE {{
  VALUES ?name {{ {names} }}
  {{ ?item rdfs:label ?name . BIND("label" AS ?matched) }}
  UNION
  {{ ?item skos:altLabel ?name . BIND("alias" AS ?matched) }}
  VALUES ?class {{ {values} }}
  ?item {path} ?class .
  OPTIONAL {{ ?item rdfs:label ?label . FILTER(LANG(?label) = "en") }}
  OPTIONAL {{ ?item schema:description ?description . FILTER(LANG(?description) = "en") }}
}}
LIMIT 50"""


def candidates(client: WikidataClient, name: str, kind: str) -> list[Candidate]:
    """Candidates for an entity, best first."""
    best: dict[str, tuple[str, str, str]] = {}
    for row in client.select(candidate_query(name, kind)):
        iri = row.get("item", {}).get("value", "")
        if not iri.startswith(str(ext.WIKIDATA)):
            continue
        qid = iri[len(str(ext.WIKIDATA)):]
        if not ext.QID_RE.match(qid):
            continue
        matched = row.get("matched", {}).get("value", "alias")
        label = row.get("label", {}).get("value", "")
        description = row.get("description", {}).get("value", "")
        old = best.get(qid)
        if old is None or (old[0] != "label" and matched == "label"):
            best[qid] = (matched, label or (old[1] if old else ""), description or (old[2] if old else ""))
    n = len(best)
    found = [Candidate(qid=q, label=l, description=d, matched=m,
                       confidence=round((0.9 if m == "label" else 0.7) / n, 3))
             for q, (m, l, d) in best.items()]
    found.sort(key=lambda c: (-c.confidence, int(c.qid[1:])))
    return found[:MAX_CANDIDATES]


# ---------------------------------------------------------------------------------------------------------
# Accepting

def auto_accept(threshold: float = AUTO_ACCEPT) -> Accept:
    """Accept the best candidate when its confidence reaches the threshold (for --yes)."""
    def accept(entity: URIRef, name: str, found: list[Candidate]) -> Candidate | None:
        return found[0] if found and found[0].confidence >= threshold else None
    return accept


def prompt_accept(stdin=None, stdout=None) -> Accept:
    """Ask a person on the terminal: a candidate's number, Enter to skip, q to stop asking."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stopped = False

    def accept(entity: URIRef, name: str, found: list[Candidate]) -> Candidate | None:
        nonlocal stopped
        if stopped or not found:
            return None
        print(f"\n{name}  <{entity}>", file=stdout)
        for i, c in enumerate(found, start=1):
            print(f"  {i}. {c.qid:<12} {c.confidence:.2f}  {c.label or '?'} ({c.matched})"
                  f"{' — ' + c.description if c.description else ''}", file=stdout)
        while True:
            print("Accept which? [number, Enter = skip, q = stop] ", end="", file=stdout, flush=True)
            line = stdin.readline()
            if not line:                        # end of input
                stopped = True
                return None
            answer = line.strip().lower()
            if answer == "":
                return None
            if answer == "q":
                stopped = True
                return None
            if answer.isdigit() and 1 <= int(answer) <= len(found):
                return found[int(answer) - 1]
            print(f"  (type 1 to {len(found)}, Enter or q)", file=stdout)

    return accept


# ---------------------------------------------------------------------------------------------------------
# Linking

def _kind(entity: URIRef) -> str:
    return str(entity)[len(str(ID)):].split("/", 1)[0]


def _slug(entity: URIRef) -> str:
    return str(entity).rstrip("/").rsplit("/", 1)[-1]


def entity_name(entity: URIRef, data: ext.ExternalData, labels: Mapping[URIRef, str]) -> str:
    """The name to search for: the graph's label, else the tables' name, else the slug in words."""
    if labels.get(entity):
        return labels[entity]
    rec = data.by_iri.get(entity)
    if rec is not None and rec.name:
        return rec.name
    return _slug(entity).replace("-", " ").title()


def link(entities: Mapping[URIRef, str] | Iterable[URIRef], *, endpoint: str = WIKIDATA_ENDPOINT,
         accept: Accept | None = None, cache_dir: Path | str | None = None,
         external_dir: Path | str | None = None, gazetteer_dir: Path | str | None = None,
         min_interval: float = DEFAULT_MIN_INTERVAL, retries: int = DEFAULT_RETRIES,
         backoff: float = DEFAULT_BACKOFF, timeout: float = DEFAULT_TIMEOUT,
         client: WikidataClient | None = None, limit: int | None = None) -> LinkResult:
    """Ask for candidates for the unlinked ones among `entities` and write the accepted ids.

    `entities` may map each IRI to its English label. Raises EndpointUnavailable when the endpoint cannot
    be reached before anything was accepted; the data files are then unchanged.
    """
    labels: dict[URIRef, str] = dict(entities) if isinstance(entities, Mapping) else {}
    iris_ = {URIRef(e) for e in entities}
    data = ext.load(external_dir, gazetteer_dir)
    todo = ext.unlinked(iris_, data=data)
    if limit is not None:
        todo = todo[:limit]
    client = client or WikidataClient(endpoint, cache_dir=cache_dir, min_interval=min_interval,
                                      retries=retries, backoff=backoff, timeout=timeout)
    accept = accept or prompt_accept()
    result = LinkResult()
    for entity in todo:
        name = entity_name(entity, data, labels)
        try:
            found = candidates(client, name, _kind(entity))
        except EndpointUnavailable:
            if not result.accepted:
                raise
            break       # keep what a person already accepted
        result.asked.append(entity)
        choice = accept(entity, name, found) if found else None
        if choice is None:
            result.skipped.append(entity)
        else:
            result.accepted[entity] = choice.qid
    if result.accepted:
        result.changed_files = write_links(result.accepted, data, labels,
                                           Path(external_dir) if external_dir else ext.EXTERNAL_DIR)
    return result


def write_links(accepted: Mapping[URIRef, str], data: ext.ExternalData, labels: Mapping[URIRef, str],
                external_dir: Path) -> list[Path]:
    """Put accepted Wikidata ids into states.csv / entities.csv; returns the files changed."""
    today = dt.date.today().isoformat()
    note = f"Wikidata id accepted with r2pkg link on {today}."
    changed: list[Path] = []

    states_path = external_dir / ext.STATES_FILE
    by_slug = {s.slug: s.alpha3 for s in data.states.values()}
    state_ids = {by_slug[_slug(e)]: q for e, q in accepted.items() if _kind(e) == "state" and _slug(e) in by_slug}
    if state_ids:
        rows = ext.read_rows(states_path)
        fields = list(rows[0].keys())
        for row in rows:
            if row["alpha3"] in state_ids and not row["wikidata"]:
                row["wikidata"] = state_ids[row["alpha3"]]
                row["note"] = " ".join(filter(None, [row.get("note", ""), note]))
        ext.write_rows(states_path, ext.header_comment(states_path), fields, rows)
        changed.append(states_path)

    others = {e: q for e, q in accepted.items() if _kind(e) != "state" or _slug(e) not in by_slug}
    if others:
        path = external_dir / ext.ENTITIES_FILE
        rows = ext.read_rows(path)
        fields = list(rows[0].keys())
        index = {}
        for row in rows:
            for slug in (row["slug"], *ext._split(row.get("aliases", ""))):
                index.setdefault((row["kind"], slug), row)
        for entity, qid in sorted(others.items(), key=lambda kv: str(kv[0])):
            kind, slug = _kind(entity), _slug(entity)
            row = index.get((kind, slug))
            if row is None:
                row = {f: "" for f in fields}
                row.update(kind=kind, slug=slug, name=entity_name(entity, data, labels))
                rows.append(row)
                index[(kind, slug)] = row
            if not row["wikidata"]:
                row["wikidata"] = qid
                row["note"] = " ".join(filter(None, [row.get("note", ""), note]))
        ext.write_rows(path, ext.header_comment(path), fields, rows)
        changed.append(path)
    return changed


# ---------------------------------------------------------------------------------------------------------
# Command line

_ENTITIES = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?e (SAMPLE(?l) AS ?label) WHERE {
  ?e a ?type .
  FILTER(STRSTARTS(STR(?e), "%s"))
  OPTIONAL { ?e skos:prefLabel|rdfs:label ?l FILTER(LANG(?l) = "" || LANGMATCHES(LANG(?l), "en")) }
} GROUP BY ?e
"""


def graph_entities(data_dir: Path) -> dict[URIRef, str]:
    """The typed entities of the served graph and an English label of each."""
    from .store import dataset_options, open_store

    store = open_store(data_dir)
    out: dict[URIRef, str] = {}
    for row in store.query(_ENTITIES % ID, **dataset_options(store)):
        label = row["label"]
        out[URIRef(row["e"].value)] = label.value if label is not None else ""
    return out


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "r2pkg" / "wikidata"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="r2pkg link",
        description="Propose Wikidata ids for the graph's entities that have none, for a person to accept; "
                    "accepted ids go to loaders/gazetteers/external/.")
    parser.add_argument("--endpoint", default=WIKIDATA_ENDPOINT, help="SPARQL endpoint (default: %(default)s)")
    parser.add_argument("--yes", action="store_true",
                        help=f"accept without asking the best candidate whose confidence is at least {AUTO_ACCEPT}")
    parser.add_argument("--data-dir", default=None, help="where the built graph is (default: $R2PKG_DATA_DIR or ./data)")
    parser.add_argument("--external-dir", type=Path, default=None, help="the link tables (default: the bundled ones)")
    parser.add_argument("--cache-dir", type=Path, default=None, help="cache of answers (default: %s)" % default_cache_dir())
    parser.add_argument("--min-interval", type=float, default=DEFAULT_MIN_INTERVAL,
                        help="seconds between two requests (default: %(default)s)")
    parser.add_argument("--retries", type=int, default=DEFAULT_RETRIES, help="retries per request (default: %(default)s)")
    parser.add_argument("--backoff", type=float, default=DEFAULT_BACKOFF,
                        help="seconds before the first retry, doubled each time (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per request (default: %(default)s)")
    parser.add_argument("--limit", type=int, default=None, help="ask about at most this many entities")
    args = parser.parse_args(argv)

    from .store import StoreError, data_dir_from

    try:
        entities = graph_entities(data_dir_from(args.data_dir))
    except StoreError as exc:
        print(f"r2pkg link: {exc}", file=sys.stderr)
        return 1
    data = ext.load(args.external_dir)
    todo = ext.unlinked(entities, data=data)
    if not todo:
        print("r2pkg link: every state, organization, person and city of the graph has a Wikidata id.")
        return 0
    noun = "entity" if len(todo) == 1 else "entities"
    print(f"r2pkg link: {len(todo)} {noun} without a Wikidata id; asking {args.endpoint}", file=sys.stderr)
    try:
        result = link(entities, endpoint=args.endpoint, accept=auto_accept() if args.yes else prompt_accept(),
                      cache_dir=args.cache_dir or default_cache_dir(), external_dir=args.external_dir,
                      min_interval=args.min_interval, retries=args.retries, backoff=args.backoff,
                      timeout=args.timeout, limit=args.limit)
    except EndpointUnavailable as exc:
        print(f"r2pkg link: offline: {exc}. Nothing was changed.", file=sys.stderr)
        return 2
    print(f"r2pkg link: asked about {len(result.asked)}, accepted {len(result.accepted)}, "
          f"skipped {len(result.skipped)}.")
    for entity, qid in sorted(result.accepted.items(), key=lambda kv: str(kv[0])):
        print(f"  {entity} owl:sameAs wd:{qid}")
    for path in result.changed_files:
        print(f"  wrote {path}")
    if len(result.asked) < len(todo if args.limit is None else todo[:args.limit]):
        print("r2pkg link: the endpoint stopped answering; the ids accepted so far were written.", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
