"""SHACL validation of a build: ontology/shapes.ttl run by pySHACL over facts, inference and evidence.

    >>> result = validate(facts, evidence, inferred, reference=gazetteer)    # doctest: +SKIP
    >>> result.conforms, result.violations, result.messages[:1]              # doctest: +SKIP

The data graph is assembled from plain iterables of rdflib triples:

  * facts      the asserted triples of the document graphs (each must have evidence);
  * evidence   the evidence graphs (r2p:Evidence, r2p:Sentence, r2p:Mention nodes);
  * inferred   graph/inferred, the reasoner's output (pySHACL runs with inference="none": the
               closure is already there);
  * reference  facts that are not read from text (gazetteer, corpus manifest): part of the graph
               the shapes see, but not required to have evidence.

Every shape but one is checked against all four together. r2psh:FactEvidenceShape ("every
asserted fact has evidence") is checked against facts + evidence only, in a second pySHACL run,
because inferred and reference triples have no evidence by design.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDFS, SH

from .resources import SHAPES_FILE
from .store import from_ox, to_ox
from .vocab import PREFIXES

SHAPES = Namespace("https://w3id.org/r2pkg/shapes#")
FACT_EVIDENCE_SHAPE = SHAPES.FactEvidenceShape


@dataclass
class ValidationResult:
    conforms: bool
    violations: int
    warnings: int
    messages: list[str] = field(default_factory=list)   # one line per result, sorted

    def __str__(self) -> str:
        head = (f"{'conforms' if self.conforms else 'does not conform'}: "
                f"{self.violations} violation(s), {self.warnings} warning(s)")
        return "\n".join([head, *self.messages])


def load_shapes(path: str | Path = SHAPES_FILE) -> Graph:
    graph = Graph()
    graph.parse(str(path), format="turtle")
    return graph


def _graph(*parts: Iterable[tuple]) -> Graph:
    graph = Graph()
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri)
    graph.bind("r2psh", str(SHAPES))
    for part in parts:
        for triple in part:
            graph.add(triple)
    return graph


def _split(shapes: Graph) -> tuple[Graph, Graph]:
    """(every shape but FactEvidenceShape, FactEvidenceShape); both keep the prefix declarations
    (the shapes graph's ontology node, r2psh:)."""
    evidence_shape = shapes.cbd(FACT_EVIDENCE_SHAPE)
    rest = Graph()
    for triple in shapes:
        if triple not in evidence_shape:
            rest.add(triple)
    return rest, evidence_shape + shapes.cbd(SHAPES[""])


def validate(facts: Iterable[tuple], evidence: Iterable[tuple],
             inferred: Iterable[tuple] | None = None, *,
             reference: Iterable[tuple] = (), shapes: Graph | None = None) -> ValidationResult:
    """Check the shapes of ontology/shapes.ttl; see the module docstring for the arguments."""
    from pyshacl import validate as shacl

    facts, evidence = list(facts), list(evidence)
    general, evidence_shape = _split(shapes if shapes is not None else load_shapes())
    runs = [
        (_graph(facts, reference, inferred or (), evidence), general),
        (_graph(facts, evidence), evidence_shape),
    ]
    violations = warnings = 0
    messages: list[str] = []
    for data, shape_graph in runs:
        core, sparql = _split_sparql(shape_graph)
        _, report, _ = shacl(data, shacl_graph=core, inference="none", advanced=True,
                             allow_warnings=True, allow_infos=True)
        results = [(report.value(r, SH.resultSeverity), _describe(report, r, data))
                   for r in report.objects(None, SH.result)]   # not the nested sh:detail results
        results += sparql_shape_results(sparql, data)
        for severity, message in results:
            if severity == SH.Violation:
                violations += 1
            elif severity == SH.Warning:
                warnings += 1
            messages.append(message)
    return ValidationResult(conforms=violations == 0, violations=violations, warnings=warnings,
                            messages=sorted(set(messages)))


def _split_sparql(shapes: Graph) -> tuple[Graph, Graph]:
    """(shapes without SPARQL-based constraints, those with them, plus prefix declarations)."""
    sparql = Graph()
    for shape in set(shapes.subjects(SH.sparql, None)):
        sparql += shapes.cbd(shape)
    core = Graph()
    for triple in shapes:
        if triple not in sparql:
            core.add(triple)
    for declaration in shapes.subjects(SH.declare, None):
        sparql += shapes.cbd(declaration)
    return core, sparql


def sparql_shape_results(shapes: Graph, data: Graph) -> list[tuple[URIRef, str]]:
    """SHACL-SPARQL constraints evaluated by Oxigraph: each constraint query is run LATERAL to
    its target query, that is once per focus node with $this bound, as SHACL-SPARQL specifies.

    pySHACL evaluates them with rdflib's engine, one focus node at a time; with a NOT EXISTS
    over the evidence that took half a minute on the bundled corpus, and here takes milliseconds.
    """
    if not len(shapes):
        return []
    store = ox.Store()
    store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.DefaultGraph()) for s, p, o in data)
    results = []
    for shape in sorted(set(shapes.subjects(SH.sparql, None))):
        severity = shapes.value(shape, SH.severity) or SH.Violation
        target_nodes = list(shapes.objects(shape, SH.target))
        targets = [_target_query(shapes, shape, t) for t in target_nodes]
        targets += [f"SELECT ?this WHERE {{ ?this a/<{RDFS.subClassOf}>* <{c}> }}"
                    for c in shapes.objects(shape, SH.targetClass)]
        if not targets:
            raise ValueError(f"{shape}: a SPARQL-based shape needs sh:target or sh:targetClass here")
        for constraint in shapes.objects(shape, SH.sparql):
            select = str(shapes.value(constraint, SH.select))
            prologue = "".join(sorted({line for node in [constraint, *target_nodes]
                                       for line in _prologue(shapes, node)}))
            message = str(shapes.value(constraint, SH.message) or f"fails {shape}")
            for target in targets:
                query = f"{prologue}SELECT * WHERE {{ {{ {target} }} LATERAL {{ {select} }} }}"
                for row in store.query(query):
                    results.append((severity, _sparql_message(data, severity, row, message)))
    return results


def _target_query(shapes: Graph, shape, target) -> str:
    select = shapes.value(target, SH.select)
    if select is None:
        raise ValueError(f"{shape}: only SPARQL targets (sh:select) are supported for SPARQL-based shapes")
    return str(select)


def _prologue(shapes: Graph, node) -> list[str]:
    """PREFIX lines for the node's sh:prefixes declarations."""
    lines = []
    for source in shapes.objects(node, SH.prefixes):
        for declaration in shapes.objects(source, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return lines


def _sparql_message(data: Graph, severity, row, message: str) -> str:
    n3 = lambda term: from_ox(term).n3(data.namespace_manager)  # noqa: E731
    text = f"{severity.split('#')[-1]}: {n3(row['this'])}"
    for column in ("path", "value"):
        if row[column] is not None:
            text += f" {n3(row[column])}"
    return f"{text}: {message}"


def _describe(report: Graph, result, data: Graph) -> str:
    """'Violation: <focus> [path] [value]: message', with prefixed names."""
    n3 = lambda term: term.n3(data.namespace_manager) if term is not None else "-"  # noqa: E731
    severity = report.value(result, SH.resultSeverity)
    focus = report.value(result, SH.focusNode)
    path = report.value(result, SH.resultPath)
    if path is not None and (path, None, None) in report:   # complex path (a blank node)
        path = _path_text(report, path, n3)
    else:
        path = n3(path) if path is not None else None
    value = report.value(result, SH.value)
    message = report.value(result, SH.resultMessage)
    if message is None:
        message = f"fails {n3(report.value(result, SH.sourceConstraintComponent))}"
    text = f"{severity.split('#')[-1]}: {n3(focus)}"
    if path:
        text += f" {path}"
    if value is not None and value != focus:
        text += f" {n3(value)}"
    return f"{text}: {message}"


def _path_text(report: Graph, path, n3) -> str:
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{n3(inverse)}"
    alternatives = report.value(path, SH.alternativePath)
    if alternatives is not None:
        from rdflib.collection import Collection
        return "(" + "|".join(_path_text(report, p, n3) if (p, None, None) in report else n3(p)
                              for p in Collection(report, alternatives)) + ")"
    return n3(path)
