"""Lists to browse, as Datasette's table pages: /list (every class), /list/<Class> (its members, sortable,
filtered by facets, paged, as HTML, .csv and .json) and /documents (the corpus with its metadata and counts)."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, g, jsonify, render_template, request

from r2pkg.graph.vocab import DOCUMENT_GRAPH_PREFIX, EVIDENCE_GRAPH_PREFIX, ONTOLOGY_GRAPH, R2P

from . import graph_data
from .caching import kept_html
from .errors import NotFound
from .untrusted import is_iri

bp = Blueprint("lists", __name__)

CONFIG = Path(__file__).resolve().parent / "data" / "lists.json"
OWL_CLASS = "http://www.w3.org/2002/07/owl#Class"
OA = "http://www.w3.org/ns/oa#"
DCTERMS = "http://purl.org/dc/terms/"
FACETS = ("type", "region", "meeting", "year", "named")
SORTS = ("label", "type", "region", "year", "meetings")
NAMED_LABELS = {"yes": "named in the texts", "no": "reference data only"}

_CLASSES = f"""
SELECT ?c (COUNT(DISTINCT ?e) AS ?n) WHERE {{
  {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?c a <{OWL_CLASS}> }} }} FILTER(STRSTARTS(STR(?c), "{R2P}"))
  OPTIONAL {{ ?e a ?c }}
}} GROUP BY ?c"""
_IS_CLASS = f"SELECT ?c WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ ?c a <{OWL_CLASS}> }} }} LIMIT 1"
_COMMENT = "SELECT ?d WHERE { ?c <http://www.w3.org/2000/01/rdf-schema#comment> ?d } LIMIT 1"
_INSTANCES = "SELECT DISTINCT ?e WHERE { ?e a ?cls FILTER(isIRI(?e)) }"
_NAMED = f"""SELECT DISTINCT ?e WHERE {{ ?e a ?cls . GRAPH ?g {{ ?e ?p ?o }}
  FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPH_PREFIX}")) }}"""
# The meetings an entity is linked with, both ways. To it: the meetings' statements (a few hundred each) joined
# with the class's members by hash, the class and meeting class written in (a sub-SELECT does not see VALUES);
# read from the entity's side, every statement naming it was looked up, its evidence's included (200 summaries:
# 2.1 s for the persons, 0.1 s now). From it: its own statements.
_MEETINGS_TO = """SELECT DISTINCT ?e ?m WHERE {{
  {{ SELECT ?e WHERE {{ ?e a <{cls}> }} LIMIT 1000000000 }}
  {{ SELECT DISTINCT ?m ?e WHERE {{ ?m a <{meeting}> ; ?q ?e FILTER(isIRI(?e)) }} LIMIT 1000000000 }}
  FILTER(?m != ?e)
}}"""
_MEETINGS_FROM = "SELECT DISTINCT ?e ?m WHERE { ?e a ?cls ; ?p ?m . ?m a ?meeting FILTER(?m != ?e) }"
_DOCUMENTS = f"""
SELECT ?doc ?p ?o WHERE {{ ?doc a <{R2P}Document> ; ?p ?o FILTER(?p != <{R2P}text>) }}"""
_SENTENCES_PER_DOC = f"SELECT ?doc (COUNT(?s) AS ?n) WHERE {{ ?s a <{R2P}Sentence> ; <{OA}hasSource> ?doc }} GROUP BY ?doc"
_MENTIONS_PER_DOC = f"SELECT ?doc (COUNT(?s) AS ?n) WHERE {{ ?s a <{R2P}Mention> ; <{OA}hasSource> ?doc }} GROUP BY ?doc"
_QUADS_PER_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@lru_cache(maxsize=1)
def list_config() -> dict:
    return json.loads(CONFIG.read_text(encoding="utf-8"))


def _values(iris) -> str:
    return " ".join(f"<{i}>" for i in iris)


def _region_query() -> str:
    region = list_config()["region"]
    return f"""SELECT DISTINCT ?e ?r WHERE {{ ?e a ?cls .
  {{ ?e <{region['property']}> ?r }} UNION {{ VALUES ?via {{ {_values(region['via'])} }} ?e ?via ?x . ?x <{region['property']}> ?r }}
}}"""


def _year_query() -> str:
    return f"""SELECT DISTINCT ?e ?d WHERE {{ VALUES ?p {{ {_values(list_config()['year']['properties'])} }} ?e a ?cls ; ?p ?d }}"""


@dataclass
class Row:
    iri: str
    label: str
    types: list[str] = field(default_factory=list)       # the most specific of its classes within the listed one
    regions: list[str] = field(default_factory=list)
    meetings: list[str] = field(default_factory=list)
    years: list[str] = field(default_factory=list)
    named: bool = False

    def facet_keys(self, facet: str) -> list[str]:
        if facet == "named":
            return ["yes" if self.named else "no"]
        return {"type": self.types, "region": self.regions, "meeting": self.meetings, "year": self.years}[facet]


@dataclass
class FacetValue:
    key: str
    label: str
    count: int
    selected: bool
    href: str


@dataclass
class Facet:
    name: str
    values: list[FacetValue]


@dataclass
class ListPage:
    cls: str
    cls_label: str
    description: str
    rows: list[Row]
    total: int                      # members of the class
    matching: int                   # after the filters
    page: int
    pages: int
    sort: str
    desc: bool
    filters: dict[str, str]
    facets: list[Facet]


def class_iri(name: str) -> str:
    """The ontology class a list is named after (/list/State): 404 for a name the ontology does not define."""
    iri = str(R2P) + name
    data = graph_data()
    if not name or not is_iri(iri) or not data.query(_IS_CLASS, c=ox.NamedNode(iri)):
        raise NotFound(f"The ontology defines no class called “{name}”.", hint=name, what="list")
    return iri


def known_classes(data) -> dict[str, int]:
    """Every class of our ontology -> how many things are of it (once per build)."""
    return data.once_per_build("known classes", lambda: {r["c"].value: int(r["n"].value) for r in data.query(_CLASSES)},
                               small=True)


def collect_rows(data, cls: str) -> list[Row]:
    """Every member of the class with what its facets need, read once per build (kept: not to be changed)."""
    return data.once_per_build(("list", cls), lambda: _read_rows(data, cls))


def _read_rows(data, cls: str) -> list[Row]:
    """collect_rows, in six queries whatever the class's size."""
    node = ox.NamedNode(cls)
    rows = {r["e"].value: Row(r["e"].value, data.label(r["e"].value)) for r in data.query(_INSTANCES, cls=node)}
    sup = data.snapshot().superclasses
    for iri, row in rows.items():
        # An evidence record has no types in the snapshot (graphdata._TYPES): it is of the class listed.
        within = {t for t in data.types_of(iri) if cls in sup.get(t, {t})} or {cls}
        row.types = sorted(t for t in within if not any(t != u and t in sup.get(u, ()) for u in within))
    for r in data.query(_NAMED, cls=node):
        if r["e"].value in rows:
            rows[r["e"].value].named = True
    for r in data.query(_region_query(), cls=node):
        _add(rows, r["e"], "regions", r["r"])
    meeting = list_config()["meeting_class"]
    for r in data.query(_MEETINGS_TO.format(cls=cls, meeting=meeting)) + \
            data.query(_MEETINGS_FROM, cls=node, meeting=ox.NamedNode(meeting)):
        _add(rows, r["e"], "meetings", r["m"])
    for r in data.query(_year_query(), cls=node):
        year = r["d"].value[:4]
        if year.isdigit():
            _add_value(rows, r["e"], "years", year)
    return list(rows.values())


def _add(rows: dict[str, Row], entity, slot: str, term) -> None:
    if isinstance(term, ox.NamedNode):
        _add_value(rows, entity, slot, term.value)


def _add_value(rows: dict[str, Row], entity, slot: str, value: str) -> None:
    row = rows.get(entity.value) if isinstance(entity, ox.NamedNode) else None
    if row is not None and value not in getattr(row, slot):
        getattr(row, slot).append(value)


def filtered(rows: list[Row], filters: dict[str, str]) -> list[Row]:
    return [r for r in rows if all(value in r.facet_keys(name) for name, value in filters.items())]


def sorted_rows(data, rows: list[Row], sort: str, desc: bool) -> list[Row]:
    """Rows by the column asked for, then by label; rows without a value last in either direction."""
    def label_of(iris: list[str]) -> str:
        return min((data.label(i).lower() for i in iris), default="")

    keys = {
        "label": lambda r: (False, r.label.lower()),
        "type": lambda r: (not r.types, label_of(r.types)),
        "region": lambda r: (not r.regions, label_of(r.regions)),
        "year": lambda r: (not r.years, min(r.years, default="")),
        "meetings": lambda r: (False, len(r.meetings)),
    }
    key = keys[sort]
    by_label = sorted(rows, key=lambda r: (r.label.lower(), r.iri))
    present = [r for r in by_label if not key(r)[0]]
    missing = [r for r in by_label if key(r)[0]]
    return sorted(present, key=lambda r: key(r)[1], reverse=desc) + missing


def facets(data, rows: list[Row], cls: str, filters: dict[str, str], args: dict) -> list[Facet]:
    """Each facet's values over the rows the other filters keep, with their counts and toggling links."""
    out = []
    for name in FACETS:
        others = {k: v for k, v in filters.items() if k != name}
        counts: dict[str, int] = {}
        for row in filtered(rows, others):
            for key in row.facet_keys(name):
                counts[key] = counts.get(key, 0) + 1
        if not counts or (len(counts) == 1 and name not in filters and name in ("type", "named")):
            continue
        values = []
        for key, n in counts.items():
            selected = filters.get(name) == key
            params = {**args, name: None if selected else key, "page": None}
            values.append(FacetValue(key, facet_label(data, name, key), n, selected, g.urls.class_list(cls, params)))
        ordered = sorted(values, key=lambda v: v.key) if name == "year" else \
            sorted(values, key=lambda v: (-v.count, v.label.lower()))
        out.append(Facet(name, ordered[:LIST_FACET_VALUES]))
    return out


LIST_FACET_VALUES = 30


def facet_label(data, name: str, key: str) -> str:
    if name == "year":
        return key
    if name == "named":
        return NAMED_LABELS[key]
    return data.label(key)


def request_state() -> tuple[dict[str, str], str, bool, int, dict]:
    """(filters, sort, descending, page, the query's own parameters) from the request, bad values dropped."""
    args = request.args
    filters = {name: args[name] for name in FACETS if args.get(name)}
    sort = args.get("sort") if args.get("sort") in SORTS else "label"
    desc = args.get("desc") in ("1", "true", "yes")
    try:
        page = max(1, int(args.get("page", 1)))
    except ValueError:
        page = 1
    params = {**filters, "sort": sort if sort != "label" else None, "desc": "1" if desc else None}
    return filters, sort, desc, page, params


def build_list(name: str) -> ListPage:
    data = graph_data()
    cls = class_iri(name)
    rows = collect_rows(data, cls)
    filters, sort, desc, page, params = request_state()
    kept = sorted_rows(data, filtered(rows, filters), sort, desc)
    size = current_app.config["LIST_PAGE_SIZE"]
    pages = max(1, -(-len(kept) // size))
    page = min(page, pages)
    description = next((r["d"].value for r in data.query(_COMMENT, c=ox.NamedNode(cls))), "")
    return ListPage(cls, data.label(cls), description, kept[(page - 1) * size:page * size], len(rows), len(kept),
                    page, pages, sort, desc, filters, facets(data, rows, cls, filters, params))


def row_record(data, row: Row) -> dict:
    """One row of the CSV and JSON downloads: IRIs and their labels, years as text."""
    return {
        "iri": row.iri, "label": row.label, "page": g.urls.absolute(g.urls.link(row.iri)),
        "type": "; ".join(data.label(t) for t in row.types),
        "region": "; ".join(sorted(data.label(r) for r in row.regions)),
        "year": "; ".join(sorted(row.years)),
        "meetings": len(row.meetings),
        "meeting_labels": "; ".join(sorted(data.label(m) for m in row.meetings)),
        "named_in_texts": row.named,
    }


@bp.route("/list")
def index():
    data = graph_data()
    classes = sorted(((c, n) for c, n in known_classes(data).items()), key=lambda cn: data.label(cn[0]).lower())
    return render_template("lists/index.html", classes=classes)


@bp.route("/list/<name>")
def show(name: str):
    if name.endswith(".csv") or name.endswith(".json"):
        base, _, fmt = name.rpartition(".")
        return download(base, fmt)
    return kept_html(lambda: render_template("lists/list.html", page=build_list(name)))


def download(name: str, fmt: str) -> Response:
    """The filtered, sorted rows of a list: every one of them as CSV; one page as JSON, with the next page's URL."""
    data = graph_data()
    page = build_list(name)
    if fmt == "csv":
        cls = class_iri(name)
        filters, sort, desc, _, _ = request_state()
        rows = sorted_rows(data, filtered(collect_rows(data, cls), filters), sort, desc)
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(row_record(data, Row("", "")).keys()))
        writer.writeheader()
        for row in rows:
            writer.writerow(row_record(data, row))
        return Response(out.getvalue(), 200, {"Content-Type": "text/csv; charset=utf-8",
                                              "Content-Disposition": f'attachment; filename="{name}.csv"'})
    _, _, _, _, params = request_state()
    nxt = g.urls.class_list_download(page.cls, "json", {**params, "page": page.page + 1}) \
        if page.page < page.pages else None
    return jsonify({"class": page.cls, "label": page.cls_label, "total": page.total, "matching": page.matching,
                    "page": page.page, "pages": page.pages, "next": nxt and g.urls.absolute(nxt),
                    "filters": page.filters, "rows": [row_record(data, r) for r in page.rows],
                    "facets": {f.name: [{"value": v.key, "label": v.label, "count": v.count} for v in f.values]
                               for f in page.facets}})


@dataclass
class DocumentRow:
    iri: str
    slug: str
    title: str
    issued: object = None
    publisher: str = ""
    meetings: list[str] = field(default_factory=list)
    facts: int = 0
    evidence: int = 0
    sentences: int = 0
    mentions: int = 0


@bp.route("/documents")
def documents():
    """The corpus: each document with its metadata and how much the graph read from it."""
    data = graph_data()
    return kept_html(lambda: render_template("lists/documents.html",
                                             rows=data.once_per_build("documents", lambda: document_rows(data))))


def document_rows(data) -> list[DocumentRow]:
    """The corpus's documents by date, then title; the counts read every quad (200 summaries: 0.8 s)."""
    docs: dict[str, DocumentRow] = {}
    for r in data.query(_DOCUMENTS):
        iri = r["doc"].value
        row = docs.setdefault(iri, DocumentRow(iri, iri.rsplit("/", 1)[-1], data.label(iri)))
        p, o = r["p"].value, r["o"]
        if p == DCTERMS + "issued":
            row.issued = o
        elif p == DCTERMS + "publisher":
            row.publisher = o.value if isinstance(o, ox.Literal) else data.label(o.value)
        elif p == str(R2P) + "aboutMeeting" and o.value not in row.meetings:
            row.meetings.append(o.value)
        elif p == DCTERMS + "title":
            row.title = o.value
    for query, slot in ((_SENTENCES_PER_DOC, "sentences"), (_MENTIONS_PER_DOC, "mentions")):
        for r in data.query(query):
            if r["doc"].value in docs:
                setattr(docs[r["doc"].value], slot, int(r["n"].value))
    by_slug = {row.slug: row for row in docs.values()}
    for r in data.query(_QUADS_PER_GRAPH):
        graph = r["g"].value
        for prefix, slot in ((DOCUMENT_GRAPH_PREFIX, "facts"), (EVIDENCE_GRAPH_PREFIX, "evidence")):
            if graph.startswith(prefix) and graph[len(prefix):] in by_slug:
                setattr(by_slug[graph[len(prefix):]], slot, int(r["n"].value))
    return sorted(docs.values(), key=lambda d: (str(d.issued.value) if d.issued is not None else "", d.title))
