"""Search over labels, alternative labels and evidence sentences, with type-ahead suggestions."""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify, render_template, request

from . import graph_data

bp = Blueprint("search", __name__)


def _accept_class(cls: str | None):
    if not cls:
        return None
    from r2pkg.graph.savedqueries import expand_curie

    data = graph_data()
    cls = expand_curie(cls)
    return lambda entry: data.is_a(entry.iri, cls)


def _type_label(types) -> str:
    """The most specific of the entity's types in our ontology ("State", not "Agent, Organization")."""
    data = graph_data()
    ours = {t for t in types if t.startswith("https://w3id.org/r2pkg/ontology#")}
    sup = data.snapshot().superclasses
    specific = {t for t in ours if not any(t != u and t in sup.get(u, ()) for u in ours)}
    if not specific:
        return ""
    # Of unrelated types (UN member state, Network member) the deepest in the class tree says what the thing is.
    depth = max(len(sup.get(t, ())) for t in specific)
    return ", ".join(sorted({data.label(t) for t in specific if len(sup.get(t, ())) == depth}))


@bp.route("/search")
def search():
    q = request.args.get("q", "").strip()
    cls = request.args.get("class") or None
    data = graph_data()
    hits, near = [], None
    if q and data.available():
        hits, near = _search_or_near(q, current_app.config["SEARCH_LIMIT"], accept=_accept_class(cls),
                                     sentences=cls is None)
    if request.accept_mimetypes.best == "application/json" or request.args.get("format") == "json":
        return jsonify(query=q, near=near, hits=[_hit_json(h) for h in hits])
    return render_template("search/results.html", q=q, search_text=q, hits=hits, type_label=_type_label,
                           near=near is not None, near_text=near)


def _search_or_near(q: str, limit: int, **options):
    """(hits, None); or, when nothing matches, the hits of the query with its typos corrected and that query."""
    index = graph_data().snapshot().index
    hits = index.search(q, limit=limit, **options)
    if hits:
        return hits, None
    corrected = index.corrected(q)
    if corrected is None:
        return [], None
    return index.search(corrected, limit=limit, **options), corrected


def _hit_json(h) -> dict:
    urls = g.urls
    if h.kind == "sentence":
        slug = urls.local_path(h.document).split("/", 1)[-1]
        return {"kind": "sentence", "iri": h.iri, "label": h.label, "text": h.matched,
                "url": urls.document(slug, h.start, h.end), "score": h.score}
    return {"kind": "entity", "iri": h.iri, "label": h.label, "type": _type_label(h.types),
            "alt": h.matched or None, "url": urls.link(h.iri), "score": h.score}


@bp.route("/search/suggest")
def suggest():
    """Type-ahead: entities only, best first; ?class= keeps those of one class (with subclasses)."""
    q = request.args.get("q", "").strip()
    data = graph_data()
    hits = []
    if q and data.available():
        hits, _ = _search_or_near(q, current_app.config["SUGGEST_LIMIT"], sentences=False,
                                  accept=_accept_class(request.args.get("class")))
    response = jsonify(query=q, suggestions=[_hit_json(h) for h in hits])
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
