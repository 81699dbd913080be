"""Statements, not triples: what an entity page lists, one row per fact in the ontology's words.

A fact reaches the store under several names: the reasoner adds its super-properties (hostedBy ⊑
hasParticipant ⊑ schema:attendee) and its inverse (hosted), and documents may assert two of those
names. Here every triple about an entity is read as a (direction, property) "form" of a fact about
one other end; a form that another form entails (through rdfs:subPropertyOf and owl:inverseOf, read
from the ontology graph) is folded into the more specific one, which keeps the sources and the
evidence of all. A statement is marked inferred only when no graph asserts any of its forms.

Values that are n-ary nodes (a focal-point post, a role held in a year) bring their qualifiers (year,
meeting, position title...) into the row; which classes and properties those are is data
(webapp/data/statements.json), as are the properties of each class's summary card.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from r2pkg.graph.vocab import ONTOLOGY_GRAPH, R2P

RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
CONFIG = Path(__file__).resolve().parent / "data" / "statements.json"

_HIERARCHY = f"""
SELECT ?p ?rel ?q WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{
  VALUES ?rel {{ <{RDFS}subPropertyOf> <{OWL}inverseOf> <{OWL}equivalentProperty> }}
  ?p ?rel ?q . FILTER(isIRI(?p) && isIRI(?q))
}} }}"""

Form = tuple[str, str]          # (direction "out" | "in", property IRI)


@dataclass(frozen=True)
class Display:
    """What webapp/data/statements.json says about the display of statements."""

    qualified_classes: frozenset[str]
    qualifiers: tuple[str, ...]
    summary: dict[str, tuple[str, ...]]
    stated_counts: dict[str, dict[str, str]]
    labels: dict[str, str]


@lru_cache(maxsize=1)
def display_config() -> Display:
    raw = json.loads(CONFIG.read_text(encoding="utf-8"))
    return Display(frozenset(raw["qualified_classes"]), tuple(raw["qualifiers"]),
                   {cls: tuple(props) for cls, props in raw["summary"].items()}, raw.get("stated_counts", {}),
                   raw.get("labels", {}))


@dataclass
class PropertyHierarchy:
    """Direct super-properties and inverses of the ontology's properties."""

    supers: dict[str, set[str]] = field(default_factory=dict)
    inverses: dict[str, set[str]] = field(default_factory=dict)
    _entailed: dict[Form, frozenset] = field(default_factory=dict)     # asked once per form and build

    @classmethod
    def read(cls, store) -> "PropertyHierarchy":
        h = cls()
        for r in store.query(_HIERARCHY):
            p, rel, q = r["p"].value, r["rel"].value, r["q"].value
            if rel == RDFS + "subPropertyOf":
                h.supers.setdefault(p, set()).add(q)
            elif rel == OWL + "inverseOf":
                h.inverses.setdefault(p, set()).add(q)
                h.inverses.setdefault(q, set()).add(p)
            else:                                    # equivalent: each a sub-property of the other
                h.supers.setdefault(p, set()).add(q)
                h.supers.setdefault(q, set()).add(p)
        return h

    def entailed(self, form: Form) -> frozenset:
        """Every form a triple of this form entails, itself included: super-properties and inverses, to a fixpoint."""
        if form not in self._entailed:
            self._entailed[form] = frozenset(self._closure(form))
        return self._entailed[form]

    def _closure(self, form: Form) -> set[Form]:
        seen, todo = {form}, [form]
        while todo:
            direction, p = todo.pop()
            flipped = "in" if direction == "out" else "out"
            for nxt in [(direction, s) for s in self.supers.get(p, ())] + [(flipped, i) for i in self.inverses.get(p, ())]:
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen


@dataclass
class Evidence:
    sentence: str
    document: ox.NamedNode
    start: int
    end: int


@dataclass
class Qualifier:
    label: str
    values: list


@dataclass
class Statement:
    value: object                           # the other end: an ox term
    inferred: bool                          # no graph asserts any form of it
    sources: list[str]                      # "text" | "reference" | "metadata" | "inferred" | ...
    evidence: list[Evidence] = field(default_factory=list)
    qualifiers: list[Qualifier] = field(default_factory=list)
    restates: list[str] = field(default_factory=list)   # labels of the folded forms, for the row's tooltip
    reviewable: list = field(default_factory=list)      # bp_review.ReviewFact: the asserted facts it stands for
    raws: list = field(default_factory=list)            # the triples (Raw) it stands for: its evidence is theirs


@dataclass
class StatementGroup:
    predicate: ox.NamedNode
    label: str
    direction: str                          # "out": the entity is the subject; "in": it is the object
    statements: list[Statement]
    total: int = 0                          # before paging
    page: int = 1
    note: str = ""                          # "named in the texts: 1 of the more than 45 stated"
    paged_in_store: bool = False            # `statements` is already the page shown (a property with thousands)

    @property
    def key(self) -> str:
        """The group's name in a page's ?property= (an incoming property is written ^IRI)."""
        return ("^" if self.direction == "in" else "") + self.predicate.value

    @property
    def facts(self) -> list[Statement]:     # the old name, kept for the neighbourhood graph
        return self.statements


@dataclass
class Raw:
    """One triple about the entity, seen from it."""

    form: Form
    other: object
    source: str
    graph: str = ""                 # the IRI of the graph stating it (its evidence is in the matching graph)


def fold(raws: list[Raw], hierarchy: PropertyHierarchy, prefer) -> dict[tuple[Form, str], list[Raw]]:
    """(representative form, other end) -> the triples it stands for. `prefer(form)` orders forms that entail
    each other (an inverse pair): the smallest is shown."""
    by_other: dict[str, list[Raw]] = {}
    for raw in raws:
        by_other.setdefault(str(raw.other), []).append(raw)
    out: dict[tuple[Form, str], list[Raw]] = {}
    for other, group in by_other.items():
        forms = sorted({r.form for r in group}, key=prefer)
        closure = {f: hierarchy.entailed(f) for f in forms}
        reps = [f for f in forms
                if not any(g != f and f in closure[g] and (g not in closure[f] or prefer(g) < prefer(f)) for g in forms)]
        for raw in group:
            rep = raw.form if raw.form in reps else next((r for r in reps if raw.form in closure[r]), raw.form)
            out.setdefault((rep, other), []).append(raw)
    return out


def hierarchy_of(data) -> PropertyHierarchy:
    return data.once_per_build("property hierarchy", lambda: PropertyHierarchy.read(data.store), small=True)


def _prefer(data):
    """Order of forms that restate each other: the entity as subject, our own vocabulary, then the label."""
    labelled = data.snapshot().labels
    keys: dict[Form, tuple] = {}

    def key(form: Form) -> tuple:
        if form not in keys:
            direction, p = form
            keys[form] = (direction != "out", not p.startswith(str(R2P)), p not in labelled, p)
        return keys[form]
    return key


def property_label(data, p: str) -> str:
    """The property's label from the ontology; a term it does not label reads as words ("has post", not "hasPost")."""
    if p == RDF_TYPE:
        return "type"
    if data.has_label(p):
        return data.label(p)
    if p in display_config().labels:
        return display_config().labels[p]
    local = p.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return "".join(" " + c.lower() if c.isupper() and i else c for i, c in enumerate(local))


def build_groups(data, iri: str, raws: list[Raw]) -> tuple[list, list]:
    """(statements about the entity, statements of others about it), each a list of StatementGroup, sorted and
    counted but without evidence: `attach_evidence` adds it to the statements a page shows."""
    folded = fold(raws, hierarchy_of(data), _prefer(data))
    labels: dict[str, str] = {}

    def label_of(p: str) -> str:
        if p not in labels:
            labels[p] = property_label(data, p)
        return labels[p]

    groups: dict[Form, list[Statement]] = {}
    for (form, _), members in folded.items():
        sources = sorted({m.source for m in members})
        restated = sorted({label_of(m.form[1]) for m in members if m.form != form})
        value = members[0].other
        groups.setdefault(form, []).append(Statement(
            value, all(s == "inferred" for s in sources), sources,
            restates=[r for r in restated if r != label_of(form[1])], raws=members))
    notes = partial_notes(data, folded, hierarchy_of(data), display_config())
    out, inc = [], []
    for form, statements in groups.items():
        statements.sort(key=lambda s: (s.inferred, value_sort_key(data, s.value), str(s.value)))
        label = label_of(form[1])
        group = StatementGroup(ox.NamedNode(form[1]), label, form[0], statements, len(statements),
                               note=notes.get(form, ""))
        (out if form[0] == "out" else inc).append(group)
    for lst in (out, inc):
        lst.sort(key=lambda g: g.label.lower())
    return out, inc


def evidence_key(raw: Raw) -> tuple[str, str]:
    """How an entity page's evidence is keyed: (property, other end), an incoming property written "^p"."""
    return ("" if raw.form[0] == "out" else "^") + raw.form[1], str(raw.other)


def attach_evidence(statements, evidence: dict[tuple[str, str], list[Evidence]]) -> None:
    """Each statement's sentences: those of every triple it stands for, once per place, in document order."""
    for st in statements:
        ev: list[Evidence] = []
        seen = set()
        for raw in st.raws:
            for e in evidence.get(evidence_key(raw), ()):
                if (e.document.value, e.start) not in seen:
                    seen.add((e.document.value, e.start))
                    ev.append(e)
        ev.sort(key=lambda e: (e.document.value, e.start))
        st.evidence = ev


def partial_notes(data, folded: dict, hierarchy: PropertyHierarchy, display: Display) -> dict[Form, str]:
    """For a property the texts name in part (participants), next to the count a text states:
    "named in the texts: 18 of the more than 45 stated"."""
    notes: dict[Form, str] = {}
    literals = {(form[1], other): members[0].other for (form, other), members in folded.items() if form[0] == "out"}
    for prop, spec in display.stated_counts.items():
        stated = next((lit for (p, _), lit in literals.items() if p == spec["count"]), None)
        if stated is None:
            continue
        named = {other for (form, other) in folded if ("out", prop) in hierarchy.entailed(form)}
        lower = any(p == spec.get("lower_bound") and lit.value in ("true", "1") for (p, _), lit in literals.items())
        notes[("out", prop)] = named_of_stated(len(named), stated.value, lower)
    return notes


def named_of_stated(named: int, stated: str, lower_bound: bool) -> str:
    """The words of a partial count: how many the texts name, of how many they say there are."""
    return f"named in the texts: {named:,} of the {'more than ' if lower_bound else ''}{stated} stated"


def value_sort_key(data, term) -> str:
    if isinstance(term, ox.NamedNode):
        return data.label(term.value).lower()
    return getattr(term, "value", str(term))


def fill_qualifiers(data, iri: str, statements) -> None:
    """Qualifiers for the statements a page shows, not for all of a hub's thousands: the qualifier properties
    of all their n-ary values read in one query (one per value cost 32 lookups on a busy state's page)."""
    display = display_config()
    wanted = [st for st in statements if not st.qualifiers and _is_qualified(data, st.value, display)]
    if not wanted:
        return
    found = _qualifier_values(data, {st.value for st in wanted}, display)
    for st in wanted:
        st.qualifiers = qualifiers_of(data, iri, found.get(st.value.value, {}), display)


def _is_qualified(data, value, display: Display) -> bool:
    return isinstance(value, ox.NamedNode) and bool(data.types_of(value.value) & display.qualified_classes)


def _qualifier_values(data, values: set, display: Display) -> dict[str, dict[str, list]]:
    """value IRI -> qualifier property -> its values, in the store's order."""
    subjects = " ".join(str(v) for v in sorted(values, key=str))
    properties = " ".join(f"<{p}>" for p in display.qualifiers)
    found: dict[str, dict[str, list]] = {}
    for r in data.query(f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {subjects} }} VALUES ?p {{ {properties} }} ?s ?p ?o }}"):
        slot = found.setdefault(r["s"].value, {}).setdefault(r["p"].value, [])
        if r["o"] not in slot:
            slot.append(r["o"])
    return found


def qualifiers_of(data, iri: str, found: dict[str, list], display: Display) -> list[Qualifier]:
    """The qualifiers of an n-ary value (a post's title and year, a role's meeting) in the display's order, the
    page's own entity left out."""
    shown = []
    for p in display.qualifiers:
        values = [o for o in found.get(p, ()) if not (isinstance(o, ox.NamedNode) and o.value == iri)]
        if values:
            shown.append(Qualifier(property_label(data, p), values))
    return shown


@dataclass
class SummaryRow:
    label: str
    values: list                            # Statement
    more: int = 0                           # values not shown
    note: str = ""


def summary_card(data, types: set[str], outgoing: list[StatementGroup], shown: int = 4) -> list[SummaryRow]:
    """The summary card's rows for the first class of the entity listed in the display data (with subclasses)."""
    display = display_config()
    sup = data.snapshot().superclasses
    props = next((props for cls, props in display.summary.items()
                  if any(cls in sup.get(t, {t}) for t in types)), ())
    by_property = {g.predicate.value: g for g in outgoing}
    rows = []
    for p in props:
        group = by_property.get(p)
        if group is None:
            continue
        values = group.statements[:shown]
        rows.append(SummaryRow(group.label, values, group.total - len(values), group.note))
    return rows
