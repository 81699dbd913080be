"""SHACL validation of a build: ontology/shapes.ttl compiled to SPARQL and run by Oxigraph.

    >>> result = validate(facts, evidence, inferred, reference=gazetteer)    # doctest: +SKIP
    >>> result.conforms, result.violations, result.messages[:1]              # doctest: +SKIP

The data is given as plain iterables of rdflib triples:

  * facts      the asserted triples of the document graphs (each must have evidence);
  * evidence   the evidence graphs (r2p:Evidence, r2p:Sentence, r2p:Mention nodes);
  * inferred   graph/inferred, the reasoner's output (the closure is already there: the shapes
               are checked without further inference);
  * reference  facts that are not read from text (gazetteer, corpus manifest): part of the graph
               the shapes see, but not required to have evidence.

Every shape but one is checked against all four together. r2psh:FactEvidenceShape ("every
asserted fact has evidence") is checked against facts + evidence only, because inferred and
reference triples have no evidence by design. The build does the same on the on-disk store it
writes (`Validator`): it checks FactEvidenceShape while the store holds the document and evidence
graphs only, then adds the inferred and reference graphs and checks the rest.

Why SPARQL and not pySHACL: pySHACL evaluates every constraint focus node by focus node in
Python over an rdflib graph, and grew faster than linearly with the evidence (9 minutes for 10
summaries). Here each constraint of each shape becomes one SELECT over all its focus nodes,
which Oxigraph answers with joins and aggregates, in time linear in the graph. The compiler is
generic: a constraint component it does not know raises `UnsupportedShape` instead of being
skipped, so a shape added to shapes.ttl is either checked or refused, never silently ignored.
pySHACL stays the reference: tests/test_shapes_pyshacl.py checks that both find the same results.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from array import array
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.term import Node
from rdflib.collection import Collection
from rdflib.namespace import NamespaceManager, RDF, RDFS, SH, XSD

from .resources import SHAPES_FILE
from .store import from_ox, to_ox
from .vocab import PREFIXES, R2P

SHAPES = Namespace("https://w3id.org/r2pkg/shapes#")
FACT_EVIDENCE_SHAPE = SHAPES.FactEvidenceShape

FACTS_GRAPH = ox.NamedNode("urn:r2pkg:validate:facts")
EVIDENCE_GRAPH = ox.NamedNode("urn:r2pkg:validate:evidence")
REFERENCE_GRAPH = ox.NamedNode("urn:r2pkg:validate:reference")

# Literals whose lexical form Oxigraph can check: a cast of an ill-formed one is an error.
CASTABLE = frozenset(XSD[t] for t in ("string", "boolean", "integer", "decimal", "float", "double",
                                      "dateTime", "date", "time", "gYear", "gYearMonth"))
# Oxigraph stores every valid literal of a type derived from xsd:integer as an xsd:integer (the
# served graph holds the same), so those types are checked as xsd:integer within their range.
INTEGER_RANGES = {XSD.nonNegativeInteger: (0, None), XSD.positiveInteger: (1, None),
                  XSD.nonPositiveInteger: (None, 0), XSD.negativeInteger: (None, -1),
                  XSD.long: (-2**63, 2**63 - 1), XSD.int: (-2**31, 2**31 - 1),
                  XSD.short: (-2**15, 2**15 - 1), XSD.byte: (-128, 127),
                  XSD.unsignedLong: (0, 2**64 - 1), XSD.unsignedInt: (0, 2**32 - 1),
                  XSD.unsignedShort: (0, 2**16 - 1), XSD.unsignedByte: (0, 255)}
COMPARISONS = {SH.minInclusive: ">=", SH.maxInclusive: "<=", SH.minExclusive: ">", SH.maxExclusive: "<"}
PAIR_COMPARISONS = {SH.lessThanOrEquals: "<=", SH.lessThan: "<"}
NODE_KINDS = {SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
              SH.BlankNodeOrIRI: "!isLiteral({v})", SH.BlankNodeOrLiteral: "!isIRI({v})",
              SH.IRIOrLiteral: "!isBlank({v})"}
TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target)
# Predicates of a shape that are not constraints (SHACL's own, others are ignored).
NOT_CONSTRAINTS = frozenset({*TARGETS, SH.property, SH.path, SH.message, SH.severity, SH.name,
                             SH.description, SH.order, SH.group, SH.deactivated, SH.sparql,
                             SH.prefixes, SH.declare, SH.defaultValue})
TYPE_PATH = f"<{RDF.type}>/<{RDFS.subClassOf}>*"


class UnsupportedShape(ValueError):
    """shapes.ttl uses a SHACL feature the SPARQL compiler does not handle."""


@dataclass(frozen=True)
class Finding:
    """One validation result as pySHACL's report has it (sh:focusNode, sh:sourceShape: a
    property shape, or the node shape for its own constraints), so the two can be compared."""

    severity: URIRef
    focus: Node
    shape: Node
    message: str          # the line `ValidationResult.messages` shows


@dataclass
class ValidationResult:
    conforms: bool
    violations: int
    warnings: int
    messages: list[str] = field(default_factory=list)   # one line per result, sorted
    findings: list[Finding] = field(default_factory=list)

    def __str__(self) -> str:
        head = (f"{'conforms' if self.conforms else 'does not conform'}: "
                f"{self.violations} violation(s), {self.warnings} warning(s)")
        return "\n".join([head, *self.messages])


def load_shapes(path: str | Path = SHAPES_FILE) -> Graph:
    graph = Graph()
    graph.parse(str(path), format="turtle")
    return graph


# --------------------------------------------------------------------------------------------
# Running: the public entry points
# --------------------------------------------------------------------------------------------

def validate(facts: Iterable[tuple], evidence: Iterable[tuple],
             inferred: Iterable[tuple] | None = None, *,
             reference: Iterable[tuple] = (), shapes: Graph | None = None) -> ValidationResult:
    """Check the shapes of ontology/shapes.ttl; see the module docstring for the arguments."""
    store = ox.Store()
    _add(store, FACTS_GRAPH, facts)
    _add(store, EVIDENCE_GRAPH, evidence)
    validator = Validator(shapes)
    validator.check_facts_and_evidence(store)
    _add(store, REFERENCE_GRAPH, [*reference, *(inferred or ())])
    validator.check_everything(store)
    return validator.result()


def _add(store: ox.Store, graph: ox.NamedNode, triples: Iterable[tuple]) -> None:
    store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), graph) for s, p, o in triples)


_RDF_TYPE, _EVIDENCE = f"<{RDF.type}>", f"<{R2P.Evidence}>"
_NOT_FACTS = frozenset(f"<{R2P[name]}>" for name in ("Evidence", "Sentence", "Mention"))
_NAMED = {f"<{RDF.subject}>": 0, f"<{RDF.predicate}>": 1, f"<{RDF.object}>": 2}


def unevidenced_subjects(graphs: Mapping[object, Iterable[str]]) -> set[str]:
    """The subjects (as N-Triples text) of the statements in `graphs` (N-Triples statements without the
    final " .") that no r2p:Evidence among them names: a superset of the focus nodes for which
    r2psh:FactEvidenceShape can report in any data that contains these graphs (a statement is reported
    only if no evidence in the whole data names it, and its subject is typed none of the evidence classes
    there). The build computes it part by part as it writes them (the evidence of a document's facts is
    in the same part), and checks the shape on the store only when a part has any (see
    `Validator.check_facts_and_evidence`). Text comparison: equal text is the same term; different text
    for one term only makes a candidate more. tests/test_shapes.py holds this to the shape."""
    typed, evidence, named = set(), set(), {}
    for lines in graphs.values():
        for line in lines:
            s, p, o = line.split(" ", 2)
            if p == _RDF_TYPE and o in _NOT_FACTS:
                typed.add(s)
                if o == _EVIDENCE:
                    evidence.add(s)
            elif p in _NAMED:
                named.setdefault(s, ([], [], []))[_NAMED[p]].append(o)
    evidenced = {(s, p, o) for node, (subjects, predicates, objects) in named.items() if node in evidence
                 for s in subjects for p in predicates for o in objects}
    return {s for lines in graphs.values() for s, p, o in (line.split(" ", 2) for line in lines)
            if s not in typed and (s, p, o) not in evidenced}


@dataclass(frozen=True)
class Check:
    """One constraint of one shape as a SELECT whose rows are results (?this, maybe ?value)."""

    severity: URIRef
    message: str
    path: str | None          # the property path as the report shows it
    query: str
    min_count: int | None = None   # count checks: rows carry ?count, compared here
    max_count: int | None = None
    shape: Node | None = None      # the source shape of its results (see Finding)


class Validator:
    """The shapes compiled once, run in two steps over a store whose named graphs make up the
    data: `check_facts_and_evidence` while it holds the facts and the evidence only,
    `check_everything` once the inferred and reference triples are there too. A build that writes
    the data in parts may check the subject-local shapes part by part first (`check_part`)."""

    def __init__(self, shapes: Graph | None = None):
        shapes = shapes if shapes is not None else load_shapes()
        compiler = _Compiler(shapes)
        general = [s for s in compiler.targeted() if s != FACT_EVIDENCE_SHAPE]
        by_shape = {shape: compiler.checks([shape]) for shape in general}
        local = [shape for shape in general if compiler.subject_local(shape)]
        self.evidence_checks = compiler.checks([FACT_EVIDENCE_SHAPE])
        self.general_checks = [check for shape in general for check in by_shape[shape]]
        self.namespaces = _namespaces()
        self.results: list[Finding] = []
        self.parts = _PartChecks(compiler, {shape: by_shape[shape] for shape in local})

    def check_facts_and_evidence(self, store: ox.Store, *, unevidenced: set[str] | None = None) -> None:
        """`unevidenced`: the subjects `unevidenced_subjects` found in the parts the store was written
        in; when there are none, no fact lacks evidence and the store is not queried (on the on-disk
        store this check was a third of SHACL's time), else it is checked in full."""
        if unevidenced is not None and not unevidenced:
            return
        self.results += self._run(store, self.evidence_checks)

    def begin_parts(self, beside: Mapping[object, Iterable[str]]) -> None:
        """Before `check_part`: the graphs (as `check_part` takes them) that the store will hold beside
        the parts when `check_everything` runs."""
        self.parts.begin(beside)

    def check_part(self, graphs: Mapping[object, Iterable[str]]) -> None:
        """The subject-local shapes checked on one part of the data (N-Triples statements without the
        final " ." per graph), on a small in-memory store, before `check_everything` checks the rest on
        the whole store. On RocksDB those shapes were four fifths of the general checks' time."""
        self.parts.check(graphs, self._rows)

    def check_everything(self, store: ox.Store, *, focus: set | None = None) -> None:
        """`focus`: report only these focus nodes (pyoxigraph terms), for a store that holds them with
        their neighbourhood only (graph/incremental.py), whose other nodes' results mean nothing.
        After `check_part`, the subject-local shapes' results are the parts' except for the nodes they
        cannot decide, checked on the store."""
        if not self.parts.checked:
            self.results += self._run(store, self.general_checks, focus)
            return
        for check in self.general_checks:
            if check in self.parts.checks:
                self.results += self.parts.results(check, lambda: self._rows(store, [check]))
            else:
                self.results += self._run(store, [check], focus)

    def result(self) -> ValidationResult:
        severities = [finding.severity for finding in self.results]
        violations, warnings = severities.count(SH.Violation), severities.count(SH.Warning)
        return ValidationResult(conforms=violations == 0, violations=violations, warnings=warnings,
                                messages=sorted({finding.message for finding in self.results}),
                                findings=list(self.results))

    def _run(self, store: ox.Store, checks: list[Check], focus: set | None = None) -> list[Finding]:
        return [finding for row, finding in self._rows(store, checks)
                if focus is None or row["this"] in focus]

    def _rows(self, store: ox.Store, checks: list[Check]) -> Iterator[tuple[ox.QuerySolution, Finding]]:
        """The data graph is the union of the store's graphs (duplicates removed by DISTINCT)."""
        for check in checks:
            for row in store.query(check.query, use_default_graph_as_union=True):
                for m in self._messages(check, row):
                    yield row, Finding(check.severity, from_ox(row["this"]), check.shape, m)

    def _messages(self, check: Check, row: ox.QuerySolution) -> list[str]:
        """'Severity: <focus> [path] [value]: message', as pySHACL's reports read."""
        if check.min_count is not None or check.max_count is not None:
            n = int(row["count"].value)
            failed = (check.min_count is not None and n < check.min_count) + \
                     (check.max_count is not None and n > check.max_count)
            return [self._line(check, row["this"], None, check.path)] * failed
        path = check.path
        if path is None and row["path"] is not None:
            path = self._n3(row["path"])                 # SHACL-SPARQL constraints bind ?path
        return [self._line(check, row["this"], row["value"], path)]

    def _line(self, check: Check, focus, value, path: str | None) -> str:
        text = f"{check.severity.split('#')[-1]}: {self._n3(focus)}"
        if path:
            text += f" {path}"
        if value is not None and value != focus:
            text += f" {self._n3(value)}"
        return f"{text}: {check.message}"

    def _n3(self, term) -> str:
        return from_ox(term).n3(self.namespaces)


def _namespaces() -> NamespaceManager:
    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    graph.bind("r2psh", str(SHAPES))
    return graph.namespace_manager


_OPAQUE = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')


_NOT_EXISTS = re.compile(r"FILTER\s*(\(\s*)?NOT\s+EXISTS\s*\{", re.IGNORECASE)
_VALUES = re.compile(r"VALUES\s*[?$](\w+)\s*\{([^{}]*)\}", re.IGNORECASE)
_VARIABLE = re.compile(r"[?$](\w+)")
_CLOSE_PAREN = re.compile(r"\s*\)")
_BRACES = {"{": 1, "}": -1}
_NOT_PLAIN = re.compile(r"\b(OPTIONAL|UNION|MINUS|BIND|VALUES|GRAPH|SERVICE|FILTER|SELECT)\b|[{}]", re.IGNORECASE)


def _anti_join(query: str) -> str:
    """`FILTER NOT EXISTS { P }` as `MINUS { P }` where the two are equivalent: the rest of the
    WHERE group is a plain basic graph pattern (so every variable it shares with P is bound in
    every row), P is a plain basic graph pattern, maybe with one-variable VALUES blocks whose
    variables the rest does not use, and the two share at least one variable.

    Oxigraph evaluates NOT EXISTS row by row, and its in-memory store answers a pattern with
    several bound terms by walking the quads of one of them (it has no index on pairs): with
    `?this rdf:type ?class` that is the quads of a subject named in every document, or all
    rdf:type quads, so the check grew quadratically (20 s at 1,000 summaries, 1.7 s at 100).
    MINUS is one hash anti-join (2 s at 1,000). Any other form is left as written."""
    opaque = _OPAQUE.sub(lambda m: " " * len(m.group()), query)
    start, end = opaque.find("{"), opaque.rfind("}")
    found = list(_NOT_EXISTS.finditer(opaque, start + 1, end))
    if start < 0 or len(found) != 1:
        return query
    filter_start, open_at = found[0].start(), found[0].end() - 1
    close_at = _closing_brace(opaque, open_at)
    filter_end = _filter_end(opaque, close_at, paren=bool(found[0].group(1)))
    if filter_end is None:
        return query
    inner = opaque[open_at + 1:close_at]
    outer = opaque[start + 1:filter_start] + opaque[filter_end:end]
    pattern = _VALUES.sub(" ", inner)
    local = {name for name, _ in _VALUES.findall(inner)}
    if _NOT_PLAIN.search(outer) or _NOT_PLAIN.search(pattern):
        return query
    shared = set(_VARIABLE.findall(outer)) & set(_VARIABLE.findall(inner))
    if not shared or shared & local:
        return query
    return f"{query[:filter_start]}MINUS {{{query[open_at + 1:close_at]}}}{query[filter_end:]}"


def _closing_brace(opaque: str, open_at: int) -> int:
    """The index of the brace closing the one at open_at (-1 if none)."""
    depth = 0
    for i in range(open_at, len(opaque)):
        depth += _BRACES.get(opaque[i], 0)
        if depth == 0:
            return i
    return -1


def _filter_end(opaque: str, close_at: int, *, paren: bool) -> int | None:
    """Where `FILTER NOT EXISTS {...}` ends: after its closing brace, and after the closing
    parenthesis of `FILTER (NOT EXISTS {...})`; None when it is not written that way."""
    if close_at < 0:
        return None
    if not paren:
        return close_at + 1
    after = _CLOSE_PAREN.match(opaque, close_at + 1)
    return after.end() if after else None


def _prebind(query: str, group: str) -> str:
    """The query with `group` at the start of its WHERE group (braces in strings, IRIs and
    comments skipped)."""
    at = _OPAQUE.sub(lambda m: " " * len(m.group()), query).find("{")
    if at < 0:
        raise UnsupportedShape(f"a SPARQL constraint without a WHERE group: {query}")
    return f"{query[:at + 1]} {group}{query[at + 1:]}"


def _key(term: str) -> int:
    """A node by its N-Triples text, in 8 bytes: two nodes sharing a key are only both undecided."""
    return hash(term)


_PART_GRAPH = ox.NamedNode("urn:r2pkg:validate:part")
_SUBCLASS = f"<{RDFS.subClassOf}>"


class _PartChecks:
    """The subject-local shapes (`_Compiler.subject_local`) checked part by part on an in-memory
    store, their results exactly those of the whole data: a node's result for such a shape depends
    only on the statements about it whose predicate the shape reads, or rdf:type to one of its target
    classes (`relevant`), so it is decided in the part holding every such statement. Undecided, and
    checked on the whole store: the nodes with relevant statements in two parts, or in a graph written
    beside the parts that their part does not hold as well (the inferred graph types each sentence
    again), or written two ways (a backslash escape); every node of the shape if rdfs:subClassOf (which
    targets follow) is stated anywhere, or a blank node has relevant statements. Kept per part: a key
    per node, 8 bytes, not the statements."""

    def __init__(self, compiler: "_Compiler", checks: Mapping[object, list[Check]]):
        self.shapes = [_LocalShape(compiler, shape, shape_checks) for shape, shape_checks in checks.items()]
        self.checks = [check for shape_checks in checks.values() for check in shape_checks]
        self.reading: dict[str, list[_LocalShape]] = {}     # predicate -> the shapes that read it
        for shape in self.shapes:
            for p in shape.predicates:
                self.reading.setdefault(p, []).append(shape)
        self.checked = False

    def begin(self, beside: Mapping[object, Iterable[str]]) -> None:
        """`beside`: the graphs of the data that no part holds (checked on the store only)."""
        for lines in beside.values():
            for line in lines:
                for shape in self.shapes:
                    if shape.relevant(line):
                        shape.beside[line] = _key(line.split(" ", 1)[0])

    def check(self, graphs: Mapping[object, Iterable[str]], rows: Callable) -> None:
        self.checked = True
        relevant: dict[_LocalShape, set[str]] = {shape: set() for shape in self.shapes}
        for lines in graphs.values():
            for line in lines:
                _, p, o = line.split(" ", 2)
                for shape in self.reading.get(p, ()):
                    if p != _RDF_TYPE or o in shape.classes:
                        relevant[shape].add(line)
                if p == _SUBCLASS:
                    for shape in self.shapes:
                        shape.everything = True
        store = ox.Store()
        store.load("".join(f"{line} .\n" for line in set().union(*relevant.values())), ox.RdfFormat.N_TRIPLES,
                   to_graph=_PART_GRAPH, lenient=True)   # loaded strictly into the build's store
        for shape, lines in relevant.items():
            shape.note(lines)
            if lines:
                for check in shape.checks:
                    shape.found[check] += [(_key(str(row["this"])), finding) for row, finding in rows(store, [check])]

    def results(self, check: Check, on_store: Callable) -> list[Finding]:
        """The check's results: the parts' for the nodes they decide, the store's (`on_store`) for the others."""
        shape = next(shape for shape in self.shapes if check in shape.found)
        undecided = shape.undecided()
        if undecided is None:
            return [finding for _, finding in on_store()]
        found = [finding for key, finding in shape.found[check] if key not in undecided]
        if undecided:
            found += [finding for row, finding in on_store() if _key(str(row["this"])) in undecided]
        return found


class _LocalShape:
    """One subject-local shape as `_PartChecks` checks it: what it reads, and what the parts found."""

    def __init__(self, compiler: "_Compiler", shape, checks: list[Check]):
        self.checks = checks
        self.predicates = {f"<{p}>" for p in compiler.local_predicates(shape)}
        self.classes = {f"<{c}>" for c in compiler.g.objects(shape, SH.targetClass)}
        self.found: dict[Check, list[tuple[int, Finding]]] = {check: [] for check in checks}
        self.everything = False              # undecided: every node
        self.keys = array("q")               # each part's nodes, once per part
        self.beside: dict[str, int] = {}     # relevant statements written beside the parts -> their node

    def relevant(self, line: str) -> bool:
        _, p, o = line.split(" ", 2)
        if p == _SUBCLASS:
            self.everything = True
        return p in self.predicates and (p != _RDF_TYPE or o in self.classes)

    def note(self, lines: set[str]) -> None:
        """A part's relevant statements: their nodes' keys kept, the statements beside it they repeat."""
        nodes = {line.split(" ", 1)[0] for line in lines}
        self.everything |= any(node.startswith("_:") or "\\" in node for node in nodes)
        self.keys.extend({_key(node) for node in nodes})
        for line in lines & self.beside.keys():
            del self.beside[line]

    def undecided(self) -> set[int] | None:
        """The keys of the nodes the parts cannot decide; None: every node."""
        if self.everything:
            return None
        ordered = sorted(self.keys)
        return {a for a, b in zip(ordered, ordered[1:]) if a == b} | set(self.beside.values())


# --------------------------------------------------------------------------------------------
# Compiling: shapes -> SELECT queries
# --------------------------------------------------------------------------------------------

class _Compiler:
    """SHACL Core (the components shapes.ttl needs and a few more) and SHACL-SPARQL constraints
    to SPARQL. A check's query finds the focus nodes of its shape (DISTINCT, so that the union
    of several graphs reads as one set of triples) and keeps those that fail the constraint."""

    def __init__(self, shapes: Graph):
        self.g = shapes
        self.names = count()
        self.namespaces = _namespaces()

    def subject_local(self, shape) -> bool:
        """Whether a focus node's results depend only on the statements about it: class targets,
        property shapes of plain forward paths, constraints on each value alone (or comparing two of the
        node's values), no SHACL-SPARQL. `_PartChecks` checks such shapes part by part."""
        targets = {p for t in TARGETS for p in [t] if (shape, t, None) in self.g}
        if targets != {SH.targetClass} or (shape, RDF.type, RDFS.Class) in self.g or (shape, SH.sparql, None) in self.g:
            return False
        props = list(self.g.objects(shape, SH.property))
        return (all(self._value_local(c, o) for c, o in self._components(shape)) and
                all(self._forward_predicates(prop) and not self._deactivated(prop) and
                    all(c in (SH.minCount, SH.maxCount, *PAIR_COMPARISONS) or self._value_local(c, o)
                        for c, o in self._components(prop)) for prop in props))

    def local_predicates(self, shape) -> set:
        """rdf:type and the predicates a subject-local shape reads from its focus nodes."""
        props = list(self.g.objects(shape, SH.property))
        return ({RDF.type} | {p for prop in props for p in self._forward_predicates(prop)}
                | {o for prop in props for c, o in self._components(prop) if c in PAIR_COMPARISONS})

    def _forward_predicates(self, prop) -> list:
        """The predicates of a path that is one predicate or alternatives of predicates ([] if not)."""
        path = self.g.value(prop, SH.path)
        if isinstance(path, URIRef):
            return [path]
        alternatives = self.g.value(path, SH.alternativePath) if path is not None else None
        members = list(Collection(self.g, alternatives)) if alternatives is not None else []
        return members if members and all(isinstance(m, URIRef) for m in members) else []

    def _value_local(self, c, o) -> bool:
        """Whether the constraint (c, o) reads the value node alone (not its statements)."""
        if c in (SH.datatype, SH.nodeKind, SH["in"], SH.hasValue, *COMPARISONS):
            return True
        if c in (SH["or"], SH["and"], SH.xone):
            return all(self._shape_value_local(s) for s in Collection(self.g, o))
        return c in (SH["not"], SH.node) and self._shape_value_local(o)

    def _shape_value_local(self, shape) -> bool:
        return (shape, SH.path, None) not in self.g and (shape, SH.property, None) not in self.g and \
            all(self._value_local(c, o) for c, o in self._components(shape))

    def targeted(self) -> list:
        """Shapes with a target, sorted; only they produce results."""
        return sorted({s for t in TARGETS for s in self.g.subjects(t, None)}
                      | set(self.g.subjects(RDF.type, RDFS.Class)) & set(self.g.subjects(RDF.type, SH.NodeShape)))

    def checks(self, shapes: Iterable) -> list[Check]:
        return [check for shape in shapes if not self._deactivated(shape)
                for check in self._shape_checks(shape)]

    # -- one node shape --------------------------------------------------------------------
    def _shape_checks(self, shape) -> list[Check]:
        prologue, focus = self._focus(shape)
        severity, message = self._severity(shape), self._message(shape)
        checks = [Check(severity, message(c), None,
                        f"{prologue}SELECT DISTINCT ?this WHERE {{ {focus} "
                        f"FILTER(!({self._component(shape, c, o, '?this')})) }}", shape=shape)
                  for c, o in self._components(shape)]
        for prop in sorted(self.g.objects(shape, SH.property)):
            if not self._deactivated(prop):
                checks += self._property_checks(prop, prologue, focus)
        for constraint in sorted(self.g.objects(shape, SH.sparql)):
            checks.append(self._sparql_check(shape, constraint, focus, prologue))
        return checks

    def _focus(self, shape) -> tuple[str, str]:
        """(PREFIX lines, a group binding ?this to each focus node once)."""
        patterns, prologue = [], set()
        for cls in self.g.objects(shape, SH.targetClass):
            patterns.append(f"?this {TYPE_PATH} {self._term(cls)}")
        if (shape, RDF.type, RDFS.Class) in self.g:
            patterns.append(f"?this {TYPE_PATH} {self._term(shape)}")
        for p in self.g.objects(shape, SH.targetSubjectsOf):
            patterns.append(f"?this {self._term(p)} {self._var()}")
        for p in self.g.objects(shape, SH.targetObjectsOf):
            patterns.append(f"{self._var()} {self._term(p)} ?this")
        for node in self.g.objects(shape, SH.targetNode):
            patterns.append(f"VALUES ?this {{ {self._term(node)} }}")
        for target in self.g.objects(shape, SH.target):
            select = self.g.value(target, SH.select)
            if select is None:
                raise UnsupportedShape(f"{shape}: only SPARQL targets (sh:select) are supported")
            patterns.append(_anti_join(str(select)))
            prologue.update(self._prologue(target))
        union = " UNION ".join(f"{{ {p} }}" for p in sorted(patterns))
        return "".join(sorted(prologue)), f"{{ SELECT DISTINCT ?this WHERE {{ {union} }} }}"

    def _property_checks(self, prop, prologue: str, focus: str) -> list[Check]:
        path = self._path(self._required(prop, SH.path))
        shown = self._path_text(self._required(prop, SH.path))
        severity, message = self._severity(prop), self._message(prop)
        checks = []
        low, high = self._int(prop, SH.minCount), self._int(prop, SH.maxCount)
        if low is not None or high is not None:
            having = " || ".join(f"?count {op} {n}" for op, n in (("<", low), (">", high)) if n is not None)
            component = SH.MinCountConstraintComponent if low is not None else SH.MaxCountConstraintComponent
            checks.append(Check(severity, message(component), shown,
                                f"{prologue}SELECT ?this ?count WHERE {{ {{ SELECT ?this "
                                f"(COUNT(DISTINCT ?value) AS ?count) WHERE {{ {focus} OPTIONAL {{ ?this {path} ?value }} }} "
                                f"GROUP BY ?this }} FILTER({having}) }}", low, high, prop))
        for c, o in self._components(prop):
            if c in (SH.minCount, SH.maxCount):
                continue
            if c in PAIR_COMPARISONS:
                where = (f"{focus} ?this {path} ?value . ?this {self._term(o)} ?other "
                         f"FILTER(!COALESCE(?value {PAIR_COMPARISONS[c]} ?other, false))")
                query = f"{prologue}SELECT DISTINCT ?this ?value ?other WHERE {{ {where} }}"
            else:
                where = f"{focus} ?this {path} ?value FILTER(!({self._component(prop, c, o, '?value')}))"
                query = f"{prologue}SELECT DISTINCT ?this ?value WHERE {{ {where} }}"
            checks.append(Check(severity, message(c), shown, query, shape=prop))
        return checks

    def _sparql_check(self, shape, constraint, focus: str, prologue: str) -> Check:
        """A SHACL-SPARQL constraint with $this pre-bound to the focus nodes. SHACL defines
        pre-binding as a VALUES clause at the start of the query's WHERE group (and forbids the
        constructs for which that would differ); the focus group stands in for that clause, so
        Oxigraph joins all focus nodes at once (a LATERAL join ran the constraint once per focus
        node, unbound: quadratic, 20 s for 10 summaries)."""
        select = _prebind(_anti_join(str(self._required(constraint, SH.select))), focus)
        prologue = "".join(sorted(set(prologue.splitlines(keepends=True)) | set(self._prologue(constraint))))
        message = str(self.g.value(constraint, SH.message) or f"fails {self._n3(shape)}")
        return Check(self.g.value(constraint, SH.severity) or self._severity(shape), message, None,
                     f"{prologue}SELECT DISTINCT ?this ?path ?value WHERE {{ {{ {select} }} }}", shape=shape)

    # -- constraints as boolean expressions over a value node --------------------------------
    def _components(self, shape) -> list[tuple]:
        """(constraint parameter, value) pairs of a shape, sorted; refuses unknown SHACL ones."""
        pairs = []
        for p, o in self.g.predicate_objects(shape):
            if not str(p).startswith(str(SH)) or p in NOT_CONSTRAINTS:
                continue
            pairs.append((p, o))
        return sorted(pairs)

    def _component(self, shape, c, o, v: str) -> str:
        """Whether the value node v satisfies the constraint (c, o) of shape."""
        if c == SH.datatype:
            return self._datatype(o, v)
        if c in COMPARISONS:
            return f"COALESCE({v} {COMPARISONS[c]} {self._term(o)}, false)"
        if c in (SH["or"], SH["and"], SH.xone):
            members = [self._conforms(s, v) for s in Collection(self.g, o)]
            if c == SH.xone:
                return "(" + " + ".join(f"IF({m}, 1, 0)" for m in members) + ") = 1"
            return "(" + (" || " if c == SH["or"] else " && ").join(members or ["true"]) + ")"
        if c == SH["not"]:
            return f"!({self._conforms(o, v)})"
        if c == SH.node:
            return self._conforms(o, v)
        if c == SH["class"]:
            return f"EXISTS {{ {v} {TYPE_PATH} {self._term(o)} }}"
        if c == SH.nodeKind and o in NODE_KINDS:
            return NODE_KINDS[o].format(v=v)
        if c == SH["in"]:
            return "(" + " || ".join([f"sameTerm({v}, {self._term(t)})" for t in Collection(self.g, o)] or ["false"]) + ")"
        if c == SH.hasValue:
            return f"sameTerm({v}, {self._term(o)})"
        raise UnsupportedShape(f"{self._n3(shape)}: {self._n3(c)} is not supported by graph/validate.py")

    def _conforms(self, shape, v: str) -> str:
        """Whether v conforms to a whole shape (all its constraints, its property shapes)."""
        if (shape, SH.path, None) in self.g:
            return self._property_expression(shape, v)
        parts = [self._component(shape, c, o, v) for c, o in self._components(shape)]
        parts += [self._property_expression(p, v) for p in sorted(self.g.objects(shape, SH.property))]
        return "(" + " && ".join(parts or ["true"]) + ")"

    def _property_expression(self, prop, v: str) -> str:
        """Whether the values of prop's path from v satisfy all of prop's constraints."""
        path = self._path(self._required(prop, SH.path))
        parts = []
        low, high = self._int(prop, SH.minCount), self._int(prop, SH.maxCount)
        if low:
            parts.append(f"EXISTS {{ {self._distinct_values(v, path, low)} }}")
        if high is not None:
            parts.append(f"NOT EXISTS {{ {self._distinct_values(v, path, high + 1)} }}")
        for c, o in self._components(prop):
            x = self._var()
            if c in PAIR_COMPARISONS:
                y = self._var()
                parts.append(f"NOT EXISTS {{ {v} {path} {x} . {v} {self._term(o)} {y} "
                             f"FILTER(!COALESCE({x} {PAIR_COMPARISONS[c]} {y}, false)) }}")
            elif c not in (SH.minCount, SH.maxCount):
                parts.append(f"NOT EXISTS {{ {v} {path} {x} FILTER(!({self._component(prop, c, o, x)})) }}")
        return "(" + " && ".join(parts or ["true"]) + ")"

    def _distinct_values(self, v: str, path: str, n: int) -> str:
        xs = [self._var() for _ in range(n)]
        pattern = " . ".join(f"{v} {path} {x}" for x in xs)
        different = [f"!sameTerm({a}, {b})" for i, a in enumerate(xs) for b in xs[i + 1:]]
        return pattern + (f" FILTER({' && '.join(different)})" if different else "")

    def _datatype(self, datatype, v: str) -> str:
        if datatype == RDF.langString:
            return f"(isLiteral({v}) && LANG({v}) != \"\")"
        if datatype in INTEGER_RANGES:
            low, high = INTEGER_RANGES[datatype]
            bounds = "".join(f" && {v} {op} {n}" for op, n in ((">=", low), ("<=", high)) if n is not None)
            return f"(isLiteral({v}) && DATATYPE({v}) = <{XSD.integer}>{bounds})"
        test = f"isLiteral({v}) && DATATYPE({v}) = {self._term(datatype)}"
        if datatype in CASTABLE:
            test += f" && COALESCE(isLiteral({self._term(datatype)}(STR({v}))), false)"
        return f"({test})"

    # -- paths, terms, metadata ------------------------------------------------------------
    def _path(self, node) -> str:
        """A SHACL property path as a SPARQL property path."""
        if isinstance(node, URIRef):
            return self._term(node)
        if (node, RDF.first, None) in self.g:
            return "(" + "/".join(self._path(p) for p in Collection(self.g, node)) + ")"
        for predicate, wrap in ((SH.inversePath, "^({})"), (SH.zeroOrMorePath, "({})*"),
                                (SH.oneOrMorePath, "({})+"), (SH.zeroOrOnePath, "({})?")):
            inner = self.g.value(node, predicate)
            if inner is not None:
                return wrap.format(self._path(inner))
        alternatives = self.g.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self._path(p) for p in Collection(self.g, alternatives)) + ")"
        raise UnsupportedShape(f"not a property path: {node}")

    def _path_text(self, node) -> str:
        """The path as the report shows it: prefixed names, ^inverse, (a|b)."""
        inverse = self.g.value(node, SH.inversePath)
        if inverse is not None:
            return f"^{self._n3(inverse)}"
        alternatives = self.g.value(node, SH.alternativePath)
        if alternatives is not None:
            return "(" + "|".join(self._path_text(p) for p in Collection(self.g, alternatives)) + ")"
        return self._n3(node)

    def _prologue(self, node) -> list[str]:
        """PREFIX lines for the node's sh:prefixes declarations."""
        lines = []
        for source in self.g.objects(node, SH.prefixes):
            for declaration in self.g.objects(source, SH.declare):
                prefix = self.g.value(declaration, SH.prefix)
                lines.append(f"PREFIX {prefix}: <{self.g.value(declaration, SH.namespace)}>\n")
        return lines

    def _message(self, shape):
        """The shape's sh:message, else a message naming the failed constraint component."""
        text = self.g.value(shape, SH.message)
        return lambda component: str(text) if text is not None else f"fails {self._n3(component)}"

    def _severity(self, shape) -> URIRef:
        return self.g.value(shape, SH.severity) or SH.Violation

    def _deactivated(self, shape) -> bool:
        flag = self.g.value(shape, SH.deactivated)
        return flag is not None and flag.toPython() is True

    def _required(self, node, predicate):
        value = self.g.value(node, predicate)
        if value is None:
            raise UnsupportedShape(f"{node}: no {self._n3(predicate)}")
        return value

    def _int(self, node, predicate) -> int | None:
        value = self.g.value(node, predicate)
        return None if value is None else int(value)

    def _term(self, term) -> str:
        if isinstance(term, BNode):
            raise UnsupportedShape(f"a blank node where a constant is expected: {term}")
        return term.n3() if isinstance(term, (URIRef, Literal)) else str(term)

    def _var(self) -> str:
        return f"?v{next(self.names)}"

    def _n3(self, term) -> str:
        return term.n3(self.namespaces)
