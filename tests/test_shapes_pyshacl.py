"""pySHACL is the reference for graph/validate.py's compiled shapes, as owlrl is for the reasoner
(tests/test_reasoning.py): on good.trig and on every fail-*.trig case of tests/test_shapes.py,
both agree on whether the data conforms and on the set of (focus node, source shape) results.

The source shape is a property shape for its constraints (so it stands for the path) and the
node shape for the node shape's own constraints (sh:or, SHACL-SPARQL). Every constraint of
ontology/shapes.ttl is compared, the SHACL-SPARQL ones included (pySHACL's `advanced` mode runs
the SPARQL targets); r2psh:FactEvidenceShape is given the document and evidence graphs only, as
the build does, and the other shapes the whole data graph.

Only the numbers of results differ by design: pySHACL reports sh:minCount and sh:maxCount
separately and once per value node, the compiled checks once per focus node and constraint,
so sets are compared, not lists.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from r2pkg.graph.validate import FACT_EVIDENCE_SHAPE, ValidationResult, load_shapes, validate
from test_shapes import CASES, patched, read, split

pyshacl = pytest.importorskip("pyshacl")

Result = tuple[URIRef, object]   # (focus node, source shape)


@lru_cache(maxsize=1)
def shapes() -> Graph:
    """One shapes graph for both engines, so that property shapes (blank nodes) are the same terms."""
    return load_shapes()


def ours(graphs: dict[URIRef, set]) -> tuple[bool, set[Result]]:
    facts, evidence, reference, inferred = split(graphs)
    result: ValidationResult = validate(facts, evidence, inferred, reference=reference, shapes=shapes())
    return result.conforms, {(f.focus, f.shape) for f in result.findings if f.severity == SH.Violation}


def theirs(graphs: dict[URIRef, set]) -> tuple[bool, set[Result]]:
    """pySHACL on the same data: FactEvidenceShape over facts + evidence, the rest over everything."""
    facts, evidence, reference, inferred = split(graphs)
    results = {shape: result for shape, result in
               _pyshacl_violations(facts + evidence).items() if shape == FACT_EVIDENCE_SHAPE}
    results |= {shape: result for shape, result in
                _pyshacl_violations(facts + evidence + reference + inferred).items() if shape != FACT_EVIDENCE_SHAPE}
    found = {(focus, source) for pairs in results.values() for focus, source in pairs}
    return not found, found


def _pyshacl_violations(triples: list) -> dict[object, set[Result]]:
    """pySHACL's violations, grouped by the node shape they belong to."""
    data = Graph()
    for triple in triples:
        data.add(triple)
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes(), inference="none", advanced=True)
    grouped: dict[object, set[Result]] = {}
    for result in report.objects(None, SH.result):           # not the nested sh:detail results
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        source = report.value(result, SH.sourceShape)
        pair = (report.value(result, SH.focusNode), source)
        grouped.setdefault(_node_shape(source), set()).add(pair)
    return grouped


def _node_shape(shape):
    """The node shape a property shape belongs to (itself for a node shape)."""
    return next(shapes().subjects(SH.property, shape), shape)


def test_pyshacl_and_the_compiled_shapes_agree_on_the_good_build():
    graphs = read(CASES / "good.trig")
    assert ours(graphs) == theirs(graphs) == (True, set())


@pytest.mark.parametrize("case", sorted(CASES.glob("fail-*.trig")), ids=lambda p: p.stem)
def test_pyshacl_and_the_compiled_shapes_agree_on_a_failing_case(case: Path):
    graphs = patched(case)
    conforms, found = ours(graphs)
    expected_conforms, expected = theirs(graphs)
    assert conforms == expected_conforms == False  # noqa: E712  (both must see the failure)
    assert found - expected == set(), "reported by graph/validate.py only"
    assert expected - found == set(), "reported by pySHACL only"
