"""/ontology: classes and properties with labels, comments, hierarchy, domains, ranges and axioms."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, Response, render_template, request
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from r2pkg.graph.resources import ONTOLOGY_FILE
from r2pkg.graph.vocab import ONTOLOGY_GRAPH, ONTOLOGY_IRI, PREFIXES, R2P

from . import graph_data

bp = Blueprint("ontology", __name__)

FORMATS = {"ttl": ("text/turtle", "turtle"), "jsonld": ("application/ld+json", "json-ld"),
           "nt": ("application/n-triples", "nt"), "rdf": ("application/rdf+xml", "xml")}


@dataclass
class Term:
    iri: str
    local: str
    label: str
    comment: str
    kinds: list[str] = field(default_factory=list)
    parents: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    inverse: list[str] = field(default_factory=list)
    axioms: list[str] = field(default_factory=list)


@dataclass
class OntologyPage:
    iri: str
    title: str
    comment: str
    version: str
    classes: list[Term]
    object_properties: list[Term]
    datatype_properties: list[Term]
    individuals: list[Term]
    tree: list[tuple[int, str]]          # (depth, class IRI), pre-order
    other_axioms: list[str]


def ontology_graph() -> Graph:
    """The served ontology (graph/ontology of the build), or the bundled file when there is no build."""
    g = Graph()
    for p, ns in PREFIXES.items():
        g.bind(p, ns)
    data = graph_data()
    if data.available():
        from r2pkg.graph.store import from_ox
        import pyoxigraph as ox

        for q in data.store.quads_for_pattern(None, None, None, ox.NamedNode(str(ONTOLOGY_GRAPH))):
            g.add((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    if len(g) == 0:
        g.parse(ONTOLOGY_FILE, format="turtle")
    return g


def _short(g: Graph, node) -> str:
    if isinstance(node, URIRef):
        return g.namespace_manager.normalizeUri(node) if not str(node).startswith(str(R2P)) else str(node)[len(str(R2P)):]
    return str(node)


def _describe_bnode(g: Graph, node) -> str:
    """A class expression or list in Manchester-like words."""
    if isinstance(node, URIRef):
        return _short(g, node)
    if (node, OWL.onProperty, None) in g:
        prop = _short(g, g.value(node, OWL.onProperty))
        for pred, word in ((OWL.someValuesFrom, "some"), (OWL.allValuesFrom, "only"), (OWL.hasValue, "value")):
            v = g.value(node, pred)
            if v is not None:
                return f"{prop} {word} {_describe_bnode(g, v)}"
        return f"restriction on {prop}"
    for pred, word in ((OWL.unionOf, " or "), (OWL.intersectionOf, " and ")):
        v = g.value(node, pred)
        if v is not None:
            return "(" + word.join(_describe_bnode(g, x) for x in Collection(g, v)) + ")"
    v = g.value(node, OWL.oneOf)
    if v is not None:
        return "{" + ", ".join(_short(g, x) for x in Collection(g, v)) + "}"
    return "an anonymous class"


_page_cache: dict[str, OntologyPage] = {}


def build_page() -> OntologyPage:
    key = str(graph_data().snapshot().target)
    if key not in _page_cache:
        _page_cache.clear()
        _page_cache[key] = _build_page()
    return _page_cache[key]


def _build_page() -> OntologyPage:
    g = ontology_graph()
    ont = URIRef(ONTOLOGY_IRI)

    def term(iri) -> Term:
        comment = g.value(iri, RDFS.comment)
        label = g.value(iri, RDFS.label)
        return Term(str(iri), _short(g, iri), str(label) if label else _short(g, iri), str(comment or ""))

    classes = {s: term(s) for s in g.subjects(RDF.type, OWL.Class) if isinstance(s, URIRef)}
    for c, t in classes.items():
        for sup in g.objects(c, RDFS.subClassOf):
            if isinstance(sup, URIRef):
                t.parents.append(str(sup))
                if sup in classes:
                    classes[sup].children.append(str(c))
            else:
                t.axioms.append("subclass of " + _describe_bnode(g, sup))
        for eq in g.objects(c, OWL.equivalentClass):
            t.axioms.append("equivalent to " + _describe_bnode(g, eq))
        for d in g.objects(c, OWL.disjointWith):
            t.axioms.append("disjoint with " + _short(g, d))
        for d in g.subjects(OWL.disjointWith, c):
            t.axioms.append("disjoint with " + _short(g, d))
        one = g.value(c, OWL.oneOf)
        if one is not None:
            t.axioms.append("one of {" + ", ".join(_short(g, x) for x in Collection(g, one)) + "}")
    props_o, props_d = {}, {}
    for kind, bucket in ((OWL.ObjectProperty, props_o), (OWL.DatatypeProperty, props_d)):
        for p in g.subjects(RDF.type, kind):
            if isinstance(p, URIRef) and p not in bucket:
                bucket[p] = term(p)
    for bucket in (props_o, props_d):
        for p, t in bucket.items():
            t.kinds = [_short(g, k) for k in g.objects(p, RDF.type) if k not in (OWL.ObjectProperty, OWL.DatatypeProperty)]
            t.parents = [str(x) for x in g.objects(p, RDFS.subPropertyOf)]
            t.children = [str(x) for x in g.subjects(RDFS.subPropertyOf, p)]
            t.domain = [str(x) if isinstance(x, URIRef) else _describe_bnode(g, x) for x in g.objects(p, RDFS.domain)]
            t.range = [str(x) if isinstance(x, URIRef) else _describe_bnode(g, x) for x in g.objects(p, RDFS.range)]
            t.inverse = [str(x) for x in g.objects(p, OWL.inverseOf)] + [str(x) for x in g.subjects(OWL.inverseOf, p)]
            for chain in g.objects(p, OWL.propertyChainAxiom):
                t.axioms.append("chain: " + " ∘ ".join(_short(g, x) for x in Collection(g, chain)))
    individuals = [term(s) for s in g.subjects(RDF.type, OWL.NamedIndividual) if isinstance(s, URIRef)]
    for ind in individuals:
        ind.parents = [str(c) for c in g.objects(URIRef(ind.iri), RDF.type) if c != OWL.NamedIndividual]
    other = []
    for x in g.subjects(RDF.type, OWL.AllDifferent):
        members = g.value(x, OWL.distinctMembers)
        if members is not None:
            other.append("all different: " + ", ".join(_short(g, m) for m in Collection(g, members)))
    for p, inv in g.subject_objects(OWL.inverseOf):
        if p not in props_o:
            other.append(f"{_short(g, p)} inverse of {_short(g, inv)}")

    # class tree: roots are our classes with no parent among our classes
    ours = {str(c) for c in classes}
    tree: list[tuple[int, str]] = []

    def walk(c: str, depth: int, seen: frozenset) -> None:
        tree.append((depth, c))
        for child in sorted(classes[URIRef(c)].children, key=lambda x: classes[URIRef(x)].label.lower()):
            if child not in seen:
                walk(child, depth + 1, seen | {child})

    roots = [c for c in ours if not any(p in ours for p in classes[URIRef(c)].parents)]
    for r in sorted(roots, key=lambda x: classes[URIRef(x)].label.lower()):
        walk(r, 0, frozenset({r}))
    by_label = lambda t: t.label.lower()  # noqa: E731
    for t in [*classes.values(), *props_o.values(), *props_d.values(), *individuals]:
        _in_stable_order(t)
    other.sort()
    return OntologyPage(
        iri=ONTOLOGY_IRI, title=str(g.value(ont, RDFS.label) or "Ontology"), comment=str(g.value(ont, RDFS.comment) or ""),
        version=str(g.value(ont, OWL.versionInfo) or ""), classes=sorted(classes.values(), key=by_label),
        object_properties=sorted(props_o.values(), key=by_label), datatype_properties=sorted(props_d.values(), key=by_label),
        individuals=sorted(individuals, key=by_label), tree=tree, other_axioms=other)


def _in_stable_order(t: Term) -> None:
    """Sort a term's lists: the graph's triple order differs between stores (and a SPARQL server
    relabels blank nodes), and the page must not."""
    for name in ("parents", "children", "axioms", "kinds", "domain", "range", "inverse"):
        values = getattr(t, name, None)
        if isinstance(values, list):
            values.sort()


def _ontology_data(ext: str) -> Response:
    media, fmt = FORMATS[ext]
    if ext == "ttl":
        body = ONTOLOGY_FILE.read_bytes()
    elif ext == "jsonld":     # with the project's prefixes as its @context
        body = ontology_graph().serialize(format=fmt, encoding="utf-8", context=dict(PREFIXES), auto_compact=True)
    else:
        body = ontology_graph().serialize(format=fmt, encoding="utf-8")
    return Response(body, 200, {"Content-Type": media + "; charset=utf-8", "Vary": "Accept",
                                "Access-Control-Allow-Origin": "*"})


@bp.route("/ontology")
def show():
    offered = ["text/html", "application/xhtml+xml"] + [m for m, _ in FORMATS.values()] + ["application/json"]
    best = request.accept_mimetypes.best_match(offered) if request.accept_mimetypes else "text/html"
    if best == "application/json":
        return _ontology_data("jsonld")
    for ext, (media, _) in FORMATS.items():
        if best == media:
            return _ontology_data(ext)
    response = Response(render_template("ontology/page.html", page=build_page()))
    response.headers["Vary"] = "Accept"
    return response


@bp.route("/ontology.<ext>")
def file(ext: str):
    if ext not in FORMATS:
        from .errors import NotFound

        raise NotFound(f"The ontology comes as {', '.join('.' + e for e in FORMATS)}.", what="format")
    return _ontology_data(ext)
