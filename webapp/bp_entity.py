"""Entity pages, Linked Data style: /id/... (303 by content negotiation), /page/... (HTML), /data/....ttl etc."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from itertools import islice

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, g, redirect, render_template, request

from r2pkg.graph.vocab import DOCUMENT_GRAPH_PREFIX, EVIDENCE_GRAPH_PREFIX, GAZETTEER_GRAPH, INFERRED_GRAPH, CORPUS_GRAPH, R2P

from . import graph_data
from .errors import NOT_AN_IRI, NotFound
from .practices import is_actor_kind, practices_of
from .untrusted import is_iri, printable
from .statements import Evidence, Raw, StatementGroup, SummaryRow, build_groups, fill_qualifiers, summary_card
from .urls import DATA_FORMATS, EXTENSION_OF

bp = Blueprint("entity", __name__)

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OA = "http://www.w3.org/ns/oa#"
HIDDEN_INCOMING = {RDF + "subject", RDF + "object", OA + "hasBody", OA + "hasSource",
                   "http://www.w3.org/ns/prov#wasDerivedFrom"}
DESCRIPTION = (RDFS + "comment", "http://purl.org/dc/terms/description", "http://www.w3.org/2004/02/skos/core#definition")
EXTERNAL = ("http://www.w3.org/2002/07/owl#sameAs", "http://www.w3.org/2004/02/skos/core#exactMatch",
            "http://www.w3.org/2004/02/skos/core#closeMatch", RDFS + "seeAlso")
LABELS = (RDFS + "label", "http://www.w3.org/2004/02/skos/core#prefLabel")
# Graphs about facts rather than of facts: evidence (the documents' and the reviewers'), review decisions and
# rejected facts (graph/review.py). Their triples are never an entity's statements.
NOT_STATEMENTS = {"evidence", "decisions", "rejected"}
NEGOTIABLE = ["text/html", "application/xhtml+xml", *DATA_FORMATS.values(), "application/json"]

# The evidence of the facts with the entity as subject (bind ?s) or object (bind ?o). The
# sentences' offsets and text come from the search index (webapp/search.py), which holds them
# already; reading them here too would cost four lookups per evidence node.
_EVIDENCE = f"""
SELECT ?s ?p ?o ?sent WHERE {{
  ?ev a <{R2P}Evidence> ; <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o ; <{R2P}sentence> ?sent .
}}"""
# Sentences the index lacks (not typed r2p:Sentence), read from the store.
_SENTENCES = f"""
SELECT ?sent ?start ?end ?exact ?doc WHERE {{
  ?sent <{OA}start> ?start ; <{OA}end> ?end ; <{OA}exact> ?exact ; <{OA}hasSource> ?doc .
}}"""

@dataclass
class EntityPage:
    iri: str
    label: str
    types: list[ox.NamedNode]
    descriptions: list[str]
    outgoing: list[StatementGroup]
    incoming: list[StatementGroup]
    alt_labels: list[str]
    mentioned_in: list[tuple[ox.NamedNode, int]]
    graph_json: str
    truncated: bool = False
    links: list = field(default_factory=list)   # graphdata.ExternalLink rows of the External links block
    map: object = None                          # graphdata.MapData, or None when there is no place to show
    map_json: str = ""
    summary: list[SummaryRow] = field(default_factory=list)   # the summary card, for the classes that have one
    page_size: int = 0
    evidence: dict = field(default_factory=dict)                # (property, other end) -> Evidence, for the review
    theme: str = ""                             # a theme of r2p:Themes: its slug, for the link to its theme page
    practices: list | None = None   # practices.Practice rows of a state or organization; None: not an actor


def source_of(graph) -> str:
    if isinstance(graph, ox.DefaultGraph) or graph is None:
        return "default"
    value = graph.value
    if value == str(INFERRED_GRAPH):
        return "inferred"
    if value.startswith(DOCUMENT_GRAPH_PREFIX):
        return "text"
    if value == str(GAZETTEER_GRAPH):
        return "reference"
    if value == str(CORPUS_GRAPH):
        return "metadata"
    if value.startswith(EVIDENCE_GRAPH_PREFIX):
        return "evidence"
    return value.rsplit("/", 1)[-1]


def _iri_or_404(path: str) -> str:
    from .urls import Urls

    path = path.strip("/")
    iri = Urls.iri_of(path)
    if not is_iri(iri):
        raise NotFound(f"No entity can be called “{printable(path)}”: {NOT_AN_IRI}.", hint=path.split("/")[-1],
                       what="entity")
    data = graph_data()
    if not path or not data.exists(iri):
        raise NotFound(f"Nothing in the graph is called <{iri}>.", hint=path.split("/")[-1], what="entity")
    return iri


def _distinct_types(data, types: list[ox.NamedNode]) -> list[ox.NamedNode]:
    """One badge per label, our own classes first: r2p:Agent, foaf:Agent and prov:Agent read the
    same to a reader (the data views keep all of them)."""
    ordered = sorted(set(types), key=lambda t: (not t.value.startswith(str(R2P)), data.label(t.value)))
    distinct, seen = [], set()
    for t in ordered:
        label = data.label(t.value).lower()
        if label not in seen:
            seen.add(label)
            distinct.append(t)
    return distinct


def _evidence(data, iri: str) -> dict[tuple[str, str], list[Evidence]]:
    """(property, other end) -> the sentences stating the fact, one per place in a document and
    in document order; an incoming property is written "^p"."""
    node = ox.NamedNode(iri)
    rows = [(direction, r) for direction, bind in (("out", {"s": node}), ("in", {"o": node}))
            for r in data.query(_EVIDENCE, **bind)]
    spans = _sentence_spans(data, {r["sent"].value for _, r in rows})
    out: dict[tuple[str, str], list[Evidence]] = {}
    seen: set[tuple[tuple[str, str], str, int]] = set()
    for direction, r in rows:
        key = (("" if direction == "out" else "^") + r["p"].value, str(r["o" if direction == "out" else "s"]))
        lst = out.setdefault(key, [])
        for ev in spans.get(r["sent"].value, ()):
            if (key, ev.document.value, ev.start) not in seen:
                seen.add((key, ev.document.value, ev.start))
                lst.append(ev)
    for lst in out.values():
        lst.sort(key=lambda e: (e.document.value, e.start))
    return out


def _sentence_spans(data, sentences: set[str]) -> dict[str, list[Evidence]]:
    """Sentence IRI -> its document, offsets and text: from the search index, else the store."""
    index = data.snapshot().index
    spans: dict[str, list[Evidence]] = {}
    missing = []
    for sent in sentences:
        found = index.sentence(sent)
        if found:
            spans[sent] = [Evidence(s.text, ox.NamedNode(s.document), s.start, s.end) for s in found]
        else:
            missing.append(sent)
    for sent in missing:
        spans[sent] = [Evidence(r["exact"].value, r["doc"], int(r["start"].value), int(r["end"].value))
                       for r in data.query(_SENTENCES, sent=ox.NamedNode(sent))]
    return spans


def _named_quads(store, subject, predicate, object_):
    """The quads of the named graphs, which say where a fact comes from. A built store's default
    graph repeats each of them once more (their merge): read, those copies would put a "default"
    badge on every fact, unmark every inferred one and count every mention twice."""
    return (q for q in store.quads_for_pattern(subject, predicate, object_, None)
            if not isinstance(q.graph_name, ox.DefaultGraph))


def build_page(iri: str) -> EntityPage:
    data = graph_data()
    store = data.store
    node = ox.NamedNode(iri)
    limit = current_app.config["PAGE_MAX_FACTS"]
    out_quads = list(islice(_named_quads(store, node, None, None), limit * 4 + 1))
    in_quads = list(islice(_named_quads(store, None, None, node), limit * 4 + 1))
    evidence = _evidence(data, iri)

    skip_out = {RDF + "type", *DESCRIPTION, *LABELS, "http://www.w3.org/2004/02/skos/core#altLabel", str(R2P.text)}
    types = _distinct_types(data, [q.object for q in out_quads
                                   if q.predicate.value == RDF + "type" and isinstance(q.object, ox.NamedNode)])
    descriptions = list(dict.fromkeys(q.object.value for q in out_quads if q.predicate.value in DESCRIPTION))
    raws = [Raw(("out", q.predicate.value), q.object, source_of(q.graph_name)) for q in out_quads
            if q.predicate.value not in skip_out and q.predicate.value not in EXTERNAL
            and source_of(q.graph_name) not in NOT_STATEMENTS]
    # rdf:type is shown in the header; inferred types are marked there too
    raws += [Raw(("in", q.predicate.value), q.subject, source_of(q.graph_name)) for q in in_quads
             if source_of(q.graph_name) not in NOT_STATEMENTS and q.predicate.value not in HIDDEN_INCOMING]
    outgoing, incoming = build_groups(data, iri, raws, evidence, limit)
    mentions: dict[str, int] = {}
    for q in in_quads:
        if q.predicate.value == OA + "hasBody":
            for m in store.quads_for_pattern(q.subject, ox.NamedNode(OA + "hasSource"), None, None):
                mentions[m.object.value] = mentions.get(m.object.value, 0) + 1
                break
    page = EntityPage(
        iri=iri, label=data.label(iri), types=types, descriptions=descriptions, outgoing=outgoing, incoming=incoming,
        alt_labels=data.snapshot().alt_labels.get(iri, []),
        mentioned_in=sorted(((ox.NamedNode(d), n) for d, n in mentions.items()), key=lambda x: -x[1]),
        graph_json=json.dumps(neighbourhood(data, iri, outgoing, incoming)),
        truncated=len(out_quads) > limit * 4 or len(in_quads) > limit * 4,
        summary=summary_card(data, data.types_of(iri), outgoing),
    )
    page.theme = theme_slug(out_quads)
    add_group_member_notes(data, page)
    page.evidence = evidence
    if is_actor_kind(data, iri):
        page.practices = practices_of(data, iri, lambda sentences: _sentence_spans(data, sentences))
    return add_map_and_links(data, page)


def theme_slug(out_quads: list) -> str:
    """The skos:notation of a concept of the scheme of themes ('' for anything else): its page is /theme/<slug>."""
    skos = "http://www.w3.org/2004/02/skos/core#"
    if not any(q.predicate.value == skos + "inScheme" and q.object.value == str(R2P.Themes) for q in out_quads):
        return ""
    return next((q.object.value for q in out_quads if q.predicate.value == skos + "notation"), "")


def add_group_member_notes(data, page: EntityPage) -> None:
    """A UN regional group lists its states: say how many of them the texts name as network members, so
    that a 0 reads as "none named", not as "none in the network"."""
    from .bp_home import network_members

    for group in page.incoming:
        if group.predicate.value == str(R2P.unRegionalGroup):
            members = {m.value for m in network_members(data)}
            named = sum(1 for st in group.statements if getattr(st.value, "value", None) in members)
            group.note = (f"network members named in the texts: {named} of these {group.total} states "
                          f"({len(members)} members named in all)")


def add_map_and_links(data, page: EntityPage) -> EntityPage:
    """The External links block (Wikidata, DBpedia, GeoNames, ISO codes, UN regional group) and the map (a
    state's or city's point, a meeting's city); both come from graphdata.py and show only when present."""
    from .graphdata import entity_map, external_links

    page.links = external_links(data, page.iri)
    page.map = entity_map(data, page.iri)
    page.map_json = page.map.to_json(g.urls, data.label) if page.map is not None else ""
    return page


def neighbourhood(data, iri: str, outgoing, incoming) -> dict:
    urls = g.urls
    limit = current_app.config["GRAPH_MAX_NEIGHBOURS"]
    nodes = {iri: {"id": iri, "label": data.label(iri), "url": urls.link(iri), "group": "self"}}
    edges = []
    for groups, direction in ((outgoing, "out"), (incoming, "in")):
        for grp in groups:
            for fact in grp.facts:
                value = fact.value
                if not isinstance(value, ox.NamedNode) or value.value == iri:
                    continue
                if value.value not in nodes:
                    if len(nodes) > limit:
                        continue
                    kind = (urls.local_path(value.value) or "other").split("/", 1)[0]
                    nodes[value.value] = {"id": value.value, "label": data.label(value.value),
                                          "url": urls.link(value.value), "group": kind}
                label = grp.label
                edge = {"from": iri, "to": value.value} if direction == "out" else {"from": value.value, "to": iri}
                edge.update(label=label, dashes=fact.inferred)
                edges.append(edge)
    return {"nodes": list(nodes.values()), "edges": edges}


def describe(iri: str) -> list[ox.Triple]:
    """The entity's data: every triple with it as subject or object, from all graphs, once each."""
    store = graph_data().store
    node = ox.NamedNode(iri)
    seen, triples = set(), []
    for q in list(store.quads_for_pattern(node, None, None, None)) + list(store.quads_for_pattern(None, None, node, None)):
        t = ox.Triple(q.subject, q.predicate, q.object)
        if t not in seen:
            seen.add(t)
            triples.append(t)
    return triples


def data_response(iri: str, ext: str) -> Response:
    from r2pkg.graph.sparql import QueryResult, serialize_results

    media = DATA_FORMATS[ext]
    body = serialize_results(QueryResult("graph", triples=describe(iri)), media)
    return Response(body, 200, {"Content-Type": media + ("; charset=utf-8" if ext != "rdf" else ""),
                                "Access-Control-Allow-Origin": "*", "Link": f'<{iri}>; rel="describes"'})


def _split_ext(path: str) -> tuple[str, str | None]:
    for ext in DATA_FORMATS:
        if path.endswith("." + ext):
            return path[: -len(ext) - 1], ext
    if path.endswith(".json"):
        return path[:-5], "jsonld"
    return path, None


@bp.route("/id/<path:path>")
def resolve(path: str):
    """The IRI itself: 303 See Other to the page or the data, by Accept; .ttl / .jsonld suffixes give the data."""
    base, ext = _split_ext(path)
    if ext:
        return data_response(_iri_or_404(base), ext)
    iri = _iri_or_404(path)
    best = request.accept_mimetypes.best_match(NEGOTIABLE) if request.accept_mimetypes else "text/html"
    urls = g.urls
    if best is None:
        return Response("Not Acceptable: this resource is available as " + ", ".join(NEGOTIABLE) + "\n", 406,
                        {"Content-Type": "text/plain; charset=utf-8", "Vary": "Accept"})
    if best in ("text/html", "application/xhtml+xml"):
        target = urls.page(iri)
    else:
        target = urls.data(iri, EXTENSION_OF[best])
    response = redirect(urls.location(target), code=303)
    response.headers["Vary"] = "Accept"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/page/<path:path>")
def page(path: str):
    iri = _iri_or_404(path)
    target = g.urls.page(iri)
    if not target.endswith("/page/" + path) and target.startswith(g.urls.root + "/document/"):
        return redirect(g.urls.location(target), code=302)
    built = build_page(iri)
    focus = request.args.get("property") or None
    number = _page_number(request.args.get("page"))
    built.page_size = current_app.config["PAGE_STATEMENTS"]
    for group in built.outgoing + built.incoming:
        paginate(group, focus, number, built.page_size)
    shown = [st for group in built.outgoing + built.incoming for st in group.statements]
    fill_qualifiers(graph_data(), iri, shown + [st for row in built.summary for st in row.values])
    from .bp_review import attach_review

    attach_review(graph_data(), iri, built.outgoing + built.incoming, built.evidence)   # shown facts' review status
    return render_template("entity/page.html", page=built, focus=focus)


def _page_number(value: str | None) -> int:
    """?page= as a page number from 1; anything else is page 1, not an error page."""
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def paginate(group: StatementGroup, focus: str | None, number: int, size: int) -> None:
    """A group shows its first `size` statements; the group the reader asked for (?property=) shows page `number`."""
    key = ("^" if group.direction == "in" else "") + group.predicate.value
    group.page = number if key == focus else 1
    start = (group.page - 1) * size
    group.statements = group.statements[start:start + size]


@bp.route("/data/<path:path>")
def data(path: str):
    base, ext = _split_ext(path)
    if ext is None:
        raise NotFound(f"Data come as {', '.join('.' + e for e in DATA_FORMATS)}: add one to the path.",
                       hint=path.split("/")[-1], what="data file")
    return data_response(_iri_or_404(base), ext)
