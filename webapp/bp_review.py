"""/review/...: reviewers sign in, confirm, reject, correct, add and withdraw facts; the review queue; the history.

Every POST here is a write: it needs a valid CSRF token (checked first, for every one of them, the sign-in
form included) and, but for signing in, a signed-in reviewer. A decision is appended to the decisions file
(graph/review.py) and shows on the pages at once; `r2pkg review apply` or the next build applies it to the
graph. GET pages change nothing.
"""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request
from flask_login import current_user, login_required, login_user, logout_user

from r2pkg.graph import iris, review
from r2pkg.graph.vocab import DOCUMENT_GRAPH_PREFIX, ONTOLOGY_GRAPH, R2P

from . import graph_data
from .reviewing import Reviewer, csrf, requested_from, review_state, signed_in, term_nt
from .reviewqueue import FILTERS, QUEUE_PAGE, build_queue

bp = Blueprint("review", __name__)

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
OA = "http://www.w3.org/ns/oa#"
CONFIG = Path(__file__).resolve().parent / "data" / "review.json"
DOCUMENT_PREFIX = str(iris.document("x"))[:-1]
CURATED = ox.NamedNode(str(review.CURATED_GRAPH))


@bp.before_request
def _writes_need_a_token() -> None:
    """CSRF on every write of the blueprint (Flask-WTF raises CSRFError, a 400, without a valid token)."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()


# --------------------------------------------------------------------------------------------
# Signing in and out
# --------------------------------------------------------------------------------------------

@bp.route("/review/login", methods=["GET", "POST"])
def login():
    problem = ""
    if request.method == "POST":
        limited = _login_limited()
        if limited is not None:
            return limited
        name, password = request.form.get("name", "").strip(), request.form.get("password", "")
        if name and password and review.check_password(Path(current_app.config["DATA_DIR"]), name, password):
            login_user(Reviewer(name))
            return redirect(requested_from())
        problem = "Unknown name or wrong password."
    return render_template("review/login.html", problem=problem, next=_came_from()), 401 if problem else 200


def _came_from() -> str:
    """Where to return after signing in: ?next=, else the page of this site the sign-in link was on."""
    from urllib.parse import urlsplit

    if request.values.get("next"):
        return requested_from()
    referrer = urlsplit(request.referrer or "")
    if referrer.netloc == request.host and not referrer.path.startswith("/review/login"):
        return referrer.path + (f"?{referrer.query}" if referrer.query else "")
    return "/"


def _login_limited():
    """429 once a client made more sign-in attempts than REVIEW_LOGIN_LIMIT allows (Flask-Limiter's window)."""
    from limits import parse_many

    limiter = current_app.extensions["r2pkg.limiter"]
    key = f"login/{request.remote_addr}"
    for item in parse_many(current_app.config["REVIEW_LOGIN_LIMIT"]):
        if not limiter.limiter.hit(item, key):
            reset = limiter.limiter.get_window_stats(item, key).reset_time
            wait = max(1, int(reset - time.time()))
            body = render_template("review/login.html", problem=f"Too many sign-in attempts: try again in {wait} s.",
                                   next=requested_from())
            return body, 429, {"Retry-After": str(wait)}
    return None


@bp.route("/review/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    return redirect(requested_from())


# --------------------------------------------------------------------------------------------
# Decisions
# --------------------------------------------------------------------------------------------

class FormProblem(ValueError):
    """A form that cannot make a decision; str() says which field and why."""


@bp.errorhandler(FormProblem)
def _form_problem(exc: FormProblem):
    return render_template("error.html", status=400, title="Decision not saved", message=str(exc), suggestions=()), 400


@bp.route("/review/decide", methods=["POST"])
@login_required
def decide():
    """Confirm, reject (with a reason) or correct (a new object or subject) a fact shown on a page."""
    kind = request.form.get("decision", "")
    if kind not in ("confirm", "reject", "correct"):
        raise FormProblem("decision: choose confirm, reject or correct")
    fact = _fact_of_form("subject", "property", "object")
    reason = request.form.get("reason", "").strip()
    if kind == "reject" and not reason:
        raise FormProblem("reason: say why the fact is wrong")
    correction = {}
    if kind == "correct":
        correction = _correction(fact)
    decision = _saved(review.new_decision, current_user.name, kind, fact=fact, evidence=_evidence_of_form(),
                      correction=correction, reason=reason)
    flash(f"Saved: {kind} ({decision.id[:8]}). It shows here now and applies to the graph at the next build "
          "or `r2pkg review apply`.")
    return redirect(requested_from())


@bp.route("/review/fact")
@login_required
def fact():
    """One fact's review forms: what a page's review link opens without JavaScript (with it, the page fills
    the row's controls from its template instead). Changes nothing: the forms post to /review/decide."""
    triple = _fact_of_form("subject", "property", "object")
    evidence = _evidence_of_form()
    shown = ReviewFact(triple, graph_data().label(triple[1][1:-1]),
                       *((evidence.document, evidence.exact, evidence.start, evidence.end) if evidence else ()),
                       status=review_state().status_of(triple))
    terms = [ox.NamedNode(triple[0][1:-1]), ox.NamedNode(triple[1][1:-1]), _term_of(triple[2])]
    return render_template("review/fact.html", f=shown, terms=terms, here=_came_from())


@bp.route("/review/withdraw", methods=["POST"])
@login_required
def withdraw():
    """Take back a decision; the history keeps both."""
    target = request.form.get("id", "")
    if target not in {d.id for d in review_state().decisions()}:
        raise FormProblem(f"id: there is no decision {target!r}")
    _saved(review.new_decision, current_user.name, "withdraw", withdraws=target,
           reason=request.form.get("reason", "").strip())
    flash("Withdrawn; the history keeps the decision and its withdrawal.")
    return redirect(requested_from())


@bp.route("/review/add", methods=["POST"])
@login_required
def add():
    """A fact added from text selected on a document page: the selection is its evidence."""
    new_entities = []
    slot = request.form.get("new_slot", "")
    if slot:
        if slot not in ("subject", "object"):
            raise FormProblem("new_slot: a new entity is the subject or the object")
        new_entities.append(_new_entity())
    subject = f"<{new_entities[0].iri}>" if slot == "subject" else _entity_term("subject")
    obj = f"<{new_entities[0].iri}>" if slot == "object" else _object_term()
    prop = _term(request.form.get("property", ""), "property", iri=True)
    evidence = _evidence_of_form()
    if evidence is None or not evidence.exact.strip():
        raise FormProblem("evidence: select the text that states the fact")
    _saved(review.new_decision, current_user.name, "add", fact=(subject, prop, obj), evidence=evidence,
           reason=request.form.get("reason", "").strip(), new_entities=new_entities)
    flash("Added. It shows in the review history now and enters the graph at the next build or `r2pkg review apply`.")
    return redirect(requested_from())


def _saved(make, *args, **kw) -> review.Decision:
    try:
        decision = make(*args, **kw)
    except review.ReviewError as exc:
        raise FormProblem(str(exc)) from None
    review.append_decision(Path(current_app.config["DATA_DIR"]), decision)
    return decision


def _term(text: str, name: str, *, iri: bool = False) -> str:
    text = text.strip()
    if iri and text and not text.startswith("<"):
        text = f"<{text}>"
    try:
        return review.term(text, iri=iri)
    except review.ReviewError as exc:
        raise FormProblem(f"{name}: {exc}") from None


def _fact_of_form(*names: str) -> review.Triple:
    """The fact a form or a review link names: IRIs with or without angle brackets, a value in N-Triples."""
    s, p, o = (request.values.get(n, "").strip() for n in names)
    return _term(s, "subject", iri=True), _term(p, "property", iri=True), _term(o, "object", iri=o[:1] != '"')


def _entity_term(name: str) -> str:
    """An entity chosen with the suggestions (its IRI), which must be in the graph."""
    value = _term(request.form.get(name, ""), name, iri=True)
    if not graph_data().exists(value[1:-1]):
        raise FormProblem(f"{name}: choose an entity of the graph from the suggestions, or create one")
    return value


def _object_term() -> str:
    if request.form.get("object_is_text"):
        text = request.form.get("object", "").strip()
        if not text:
            raise FormProblem("object: write the value")
        return _term(json.dumps(text), "object")
    return _entity_term("object")


def _correction(fact: review.Triple) -> dict[str, str]:
    """The new object (an entity's IRI, or a value of the old literal's type) and/or the new subject."""
    out = {}
    new_subject = request.form.get("new_subject", "").strip()
    new_object = request.form.get("new_object", "").strip()
    if new_subject:
        out["subject"] = _term(new_subject, "new_subject", iri=True)
    if new_object:
        if fact[2].startswith("<"):
            out["object"] = _term(new_object, "new_object", iri=True)
            if not graph_data().exists(out["object"][1:-1]):
                raise FormProblem("new_object: choose an entity of the graph from the suggestions")
        else:
            old = ox.parse(f"<a:s> <a:p> {fact[2]} .", ox.RdfFormat.N_TRIPLES).__next__().object
            literal = ox.Literal(new_object, language=old.language) if old.language else \
                ox.Literal(new_object, datatype=old.datatype)
            out["object"] = _term(str(literal), "new_object")
    if not out:
        raise FormProblem("new_object: give the corrected value (or new_subject)")
    return out


def _evidence_of_form() -> review.Evidence | None:
    """The evidence a form names: the document, and the exact words or (a page's review controls send no
    text) the span of its sentence, whose words are read from the graph."""
    slug, exact = request.values.get("document", "").strip(), request.values.get("exact", "")
    try:
        start = int(request.values["start"]) if request.values.get("start") else None
        end = int(request.values["end"]) if request.values.get("end") else None
    except ValueError:
        raise FormProblem("start, end: character offsets") from None
    if not slug:
        return None
    if not graph_data().exists(str(iris.document(slug))):
        raise FormProblem(f"document: there is no document {slug!r}")
    if not exact and start is not None and end is not None:
        exact = _sentence_words(slug, start, end)
    return review.Evidence(slug, exact, start, end) if exact else None


def _sentence_words(slug: str, start: int, end: int) -> str:
    """The words of a document's sentence at a span, as the evidence graphs quote them ("" when none is there)."""
    rows = graph_data().query(f"SELECT ?exact WHERE {{ ?sent <{OA}exact> ?exact }} LIMIT 1",
                              sent=ox.NamedNode(str(iris.sentence(slug, start, end))))
    return rows[0]["exact"].value if rows else ""


def _new_entity() -> review.NewEntity:
    """An entity a reviewer creates: its class (one of review.json's), label, and an IRI made of them."""
    kinds = review_config()["new_entity_kinds"]
    cls = request.form.get("new_type", "")
    label = request.form.get("new_label", "").strip()
    if cls not in kinds:
        raise FormProblem(f"new_type: one of {', '.join(sorted(kinds))}")
    if not label:
        raise FormProblem("new_label: the new entity's name")
    return review.NewEntity(str(iris.entity(kinds[cls], iris.slug_or_digest(label))), cls, label)


@lru_cache(maxsize=1)
def review_config() -> dict:
    """webapp/data/review.json: the classes a reviewer may create entities of (class IRI -> IRI kind)."""
    raw = json.loads(CONFIG.read_text(encoding="utf-8"))
    return {"new_entity_kinds": {str(R2P) + cls: kind for cls, kind in raw["new_entity_kinds"].items()}}


# --------------------------------------------------------------------------------------------
# The facts of a page, with their status and what a reviewer may do
# --------------------------------------------------------------------------------------------

@dataclass
class ReviewFact:
    """An asserted fact as a page shows it: N-Triples terms, its first evidence, its review status."""

    triple: tuple[str, str, str]
    property_label: str
    document: str = ""
    exact: str = ""
    start: int | None = None
    end: int | None = None
    status: object = None                     # review.Status, or None: extracted, unreviewed
    curated: bool = False


def attach_review(data, iri: str, groups: list, evidence: dict) -> None:
    """Give each statement of an entity page the asserted facts it stands for (`Statement.reviewable`): the
    triples of its forms (`Statement.raws`, read with the page, each with the graph stating it) that a
    document graph or the curated graph asserts, so the store is not probed again per statement."""
    from .statements import hierarchy_of, property_label

    node = ox.NamedNode(iri)
    hierarchy = hierarchy_of(data)
    statuses = review_state().statuses()
    for grp in groups:
        entailed = hierarchy.entailed((grp.direction, grp.predicate.value))
        for st in grp.statements:
            for triple, predicate, direction, curated in _asserted(node, st.raws, entailed):
                key = ("" if direction == "out" else "^") + predicate
                ev = next(iter(evidence.get((key, str(st.value)), ())), None)
                st.reviewable.append(ReviewFact(
                    triple, property_label(data, predicate),
                    *(_evidence_parts(ev) if ev else ()), status=statuses.get(triple), curated=curated))


def _asserted(node: ox.NamedNode, raws: list, entailed) -> list[tuple[tuple[str, str, str], str, str, bool]]:
    """(N-Triples triple, property, direction, asserted by the curated graph) of each asserted triple among a
    statement's raws whose form the group's form entails, once each: the entity as subject first, then by
    property."""
    found: dict[tuple[str, str, str], list] = {}
    for raw in raws:
        direction, predicate = raw.form
        if (direction, predicate) not in entailed or not _is_asserted(raw.graph):
            continue
        subject, object_ = (node, raw.other) if direction == "out" else (raw.other, node)
        triple = (term_nt(subject), term_nt(ox.NamedNode(predicate)), term_nt(object_))
        entry = found.setdefault(triple, [triple, predicate, direction, False])
        entry[3] = entry[3] or raw.graph == CURATED.value
    return sorted((tuple(e) for e in found.values()), key=lambda e: (e[2] != "out", e[1], e[0]))


def _is_asserted(graph: str) -> bool:
    return graph.startswith(DOCUMENT_GRAPH_PREFIX) or graph == CURATED.value


def _evidence_parts(ev) -> tuple[str, str, int, int]:
    return ev.document.value.removeprefix(DOCUMENT_PREFIX), ev.sentence, ev.start, ev.end


# --------------------------------------------------------------------------------------------
# The review queue and the history
# --------------------------------------------------------------------------------------------

@bp.route("/review/queue")
@login_required
def queue():
    """Unreviewed facts, riskiest first, filtered by document, kind, property and rule (reviewqueue.py)."""
    filters = {k: request.args.get(k, "").strip() for k in FILTERS}
    try:
        page = max(1, int(request.args.get("page", "1")))
    except ValueError:
        abort(400)
    found = build_queue(graph_data(), review_state().statuses(), filters, page, _queue_fact)
    return render_template("review/queue.html", queue=found, page=page, page_size=QUEUE_PAGE)


def _queue_fact(triple, label, slug, exact, start, end) -> ReviewFact:
    return ReviewFact(triple, label, slug, exact, start, end)


@bp.route("/review/decisions")
def history():
    """Every decision, newest first, with who, when, what and why; open to all (the decisions are public)."""
    decisions = sorted(review_state().decisions(), key=lambda d: d.when, reverse=True)
    withdrawn = review.withdrawn_ids(decisions)
    return render_template("review/history.html", decisions=decisions, withdrawn=withdrawn,
                           term_of=_term_of)


def _term_of(text: str):
    """An N-Triples term of a decision as a pyoxigraph term, for `show` in templates."""
    return next(ox.parse(f"<a:s> <a:p> {text} .", ox.RdfFormat.N_TRIPLES)).object


def ontology_properties() -> list[tuple[str, str]]:
    """(IRI, label) of the ontology's properties, for the property field of the add form."""
    data = graph_data()
    rows = data.query(f"""SELECT DISTINCT ?p WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{
        VALUES ?t {{ <http://www.w3.org/2002/07/owl#ObjectProperty> <http://www.w3.org/2002/07/owl#DatatypeProperty> }}
        ?p a ?t FILTER(STRSTARTS(STR(?p), "{R2P}")) }} }}""")
    return sorted(((r["p"].value, data.label(r["p"].value)) for r in rows), key=lambda x: x[1].lower())


def new_entity_classes() -> list[tuple[str, str]]:
    data = graph_data()
    return sorted(((cls, data.label(cls)) for cls in review_config()["new_entity_kinds"]), key=lambda x: x[1])


@bp.app_context_processor
def _review_helpers() -> dict:
    return {"ontology_properties": ontology_properties, "new_entity_classes": new_entity_classes,
            "signed_in": signed_in}


# --------------------------------------------------------------------------------------------
# A document page's facts
# --------------------------------------------------------------------------------------------

_CURATED_OF_DOCUMENT = f"""
SELECT DISTINCT ?s ?p ?o ?start ?end WHERE {{
  GRAPH <{review.CURATED_EVIDENCE_GRAPH}> {{
    ?ev <{RDF}subject> ?s ; <{RDF}predicate> ?p ; <{RDF}object> ?o ; <{R2P}sentence> ?sent .
    ?sent <{OA}hasSource> ?doc ; <{OA}start> ?start ; <{OA}end> ?end . }}
  GRAPH <{review.CURATED_GRAPH}> {{ ?s ?p ?o }}
}} ORDER BY ?start"""


@dataclass
class DocumentReview:
    """A document page's facts as a reviewer reviews them: those read from it, and those people added from it."""

    extracted: list[ReviewFact]
    curated: list[tuple[object, object, object, ReviewFact]]


def document_review(data, slug: str, text: str, facts: list) -> DocumentReview:
    state = review_state()

    def fact(s, p, o, start, end, curated=False) -> ReviewFact:
        triple = (term_nt(s), term_nt(p), term_nt(o))
        exact = text[start:end] if start is not None and end is not None else ""
        return ReviewFact(triple, data.label(p.value), slug if exact else "", exact, start if exact else None,
                          end if exact else None, state.status_of(triple), curated)

    extracted = [fact(f.subject, f.predicate, f.object, f.start, f.end) for f in facts]
    curated = [(r["s"], r["p"], r["o"], fact(r["s"], r["p"], r["o"], int(r["start"].value), int(r["end"].value), True))
               for r in data.query(_CURATED_OF_DOCUMENT, doc=ox.NamedNode(str(iris.document(slug))))]
    return DocumentReview(extracted, curated)
