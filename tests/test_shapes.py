"""SHACL shapes (ontology/shapes.ttl) run by graph/validate.py.

Data-driven: tests/fixtures/reasoning/shapes/good.trig is a small build that conforms; every
fail-*.trig beside it is that build plus the triples in its named graphs and minus the triples
in its <urn:r2pkg:test:remove> graph, and names the messages it must produce in `# expect:` lines.
A new regression is a new file.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import RDF, Dataset, URIRef

from r2pkg.graph.reasoning import Reasoner, load_ontology
from r2pkg.graph.evidence import nt
from r2pkg.graph.validate import FACT_EVIDENCE_SHAPE, ValidationResult, unevidenced_subjects, validate
from r2pkg.graph.vocab import DOCUMENT_GRAPH_PREFIX, EVIDENCE_GRAPH_PREFIX

CASES = Path(__file__).parent / "fixtures" / "reasoning" / "shapes"
REMOVE = URIRef("urn:r2pkg:test:remove")


@lru_cache(maxsize=1)
def reasoner() -> Reasoner:
    return Reasoner(load_ontology())


def read(path: Path) -> dict[URIRef, set]:
    dataset = Dataset()
    dataset.parse(path, format="trig")
    graphs: dict[URIRef, set] = {}
    for s, p, o, g in dataset.quads():
        graphs.setdefault(g, set()).add((s, p, o))
    return graphs


def split(graphs: dict[URIRef, set]) -> tuple[list, list, list, list]:
    """(facts, evidence, reference, inferred) as the build splits and infers them."""
    facts, evidence, reference = [], [], []
    for name, triples in graphs.items():
        if str(name).startswith(DOCUMENT_GRAPH_PREFIX):
            facts += triples
        elif str(name).startswith(EVIDENCE_GRAPH_PREFIX):
            evidence += triples
        else:
            reference += triples
    return facts, evidence, reference, sorted(reasoner().infer(facts + reference))


def build(graphs: dict[URIRef, set]) -> ValidationResult:
    """Split named graphs as the build does, infer, validate."""
    facts, evidence, reference, inferred = split(graphs)
    return validate(facts, evidence, inferred, reference=reference)


def patched(case: Path) -> dict[URIRef, set]:
    graphs = read(CASES / "good.trig")
    patch = read(case)
    removed = patch.pop(REMOVE, set())
    everything = set().union(*graphs.values())
    assert removed <= everything, f"{case.name} removes triples good.trig does not have"
    graphs = {name: triples - removed for name, triples in graphs.items()}
    for name, triples in patch.items():
        graphs.setdefault(name, set()).update(triples)
    return graphs


def expectations(case: Path) -> list[str]:
    return [line.split(":", 1)[1].strip() for line in case.read_text().splitlines()
            if line.startswith("# expect:")]


def test_good_build_conforms():
    result = build(read(CASES / "good.trig"))
    assert result.conforms, str(result)
    assert (result.violations, result.warnings, result.messages) == (0, 0, [])


@pytest.mark.parametrize("case", sorted(CASES.glob("fail-*.trig")), ids=lambda p: p.stem)
def test_failing_case_reports_its_problem(case: Path):
    expected = expectations(case)
    assert expected, f"{case.name} has no '# expect:' line"
    result = build(patched(case))
    assert not result.conforms
    for text in expected:
        assert any(text in message for message in result.messages), \
            f"no message contains {text!r}:\n{result}"
    unexpected = [m for m in result.messages if not any(text in m for text in expected)]
    assert not unexpected, f"{case.name} also reports:\n" + "\n".join(unexpected)


def test_messages_name_focus_node_and_path():
    result = build(patched(CASES / "fail-role-assignment-without-role.trig"))
    assert result.messages == [
        "Violation: <https://w3id.org/r2pkg/id/role-assignment/special-adviser-2017> r2p:role: "
        "a role assignment has exactly one r2p:role"
    ]


def test_fact_evidence_is_not_required_of_inferred_or_reference_triples():
    graphs = read(CASES / "good.trig")
    reference = [t for g, ts in graphs.items() if "/document/" not in g and "/evidence/" not in g
                 for t in ts]
    facts = [t for g, ts in graphs.items() if "/document/" in g for t in ts]
    assert reference and reasoner().infer(facts + reference)   # neither has evidence
    assert build(graphs).conforms


def _as_text(graphs: dict[URIRef, set], names) -> dict[URIRef, list[str]]:
    """Named graphs as the build hands them to the store: N-Triples statements without the final " ."."""
    return {name: [f"{nt(s)} {nt(p)} {nt(o)}" for s, p, o in graphs[name]] for name in names}


def _asserted(graphs: dict[URIRef, set]) -> list[URIRef]:
    return [g for g in graphs if str(g).startswith((DOCUMENT_GRAPH_PREFIX, EVIDENCE_GRAPH_PREFIX))]


@pytest.mark.parametrize("case", sorted(CASES.glob("*.trig")), ids=lambda p: p.stem)
def test_the_builds_pre_check_finds_every_fact_the_evidence_shape_reports(case: Path):
    """The build queries r2psh:FactEvidenceShape only when `unevidenced_subjects` finds a candidate in
    a part it writes: its candidates must include every focus node the shape reports, whether the
    document and evidence graphs are written together or each in a part of its own."""
    graphs = read(case) if case.name == "good.trig" else patched(case)
    reported = {nt(f.focus) for f in build(graphs).findings if f.shape == FACT_EVIDENCE_SHAPE}
    together = unevidenced_subjects(_as_text(graphs, _asserted(graphs)))
    apart = set().union(*(unevidenced_subjects(_as_text(graphs, [g])) for g in _asserted(graphs)))
    assert reported <= together <= apart
    if case.name in ("good.trig", "fail-fact-without-evidence.trig"):
        assert bool(together) == (case.name != "good.trig")      # a build that conforms queries nothing


def _checked_in_parts(graphs: dict[URIRef, set], parts: list[list[URIRef]]) -> ValidationResult:
    """The build's way: the document and evidence graphs written in `parts` to one store, the subject-local
    shapes checked part by part in memory, then the rest on the store with the inferred and reference graphs."""
    import pyoxigraph as ox
    from r2pkg.graph.store import to_ox
    from r2pkg.graph.validate import Validator

    facts, _, reference, inferred = split(graphs)
    beside = {URIRef("urn:r2pkg:test:beside"): [f"{nt(s)} {nt(p)} {nt(o)}" for s, p, o in [*reference, *inferred]]}
    store, validator = ox.Store(), Validator()
    validator.begin_parts(beside)
    for part in parts:
        for name in part:
            store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(name)) for s, p, o in graphs[name])
        validator.check_part(_as_text(graphs, part))
    validator.check_facts_and_evidence(store)
    store.extend(ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode("urn:r2pkg:test:beside"))
                 for s, p, o in [*reference, *inferred])
    validator.check_everything(store)
    return validator.result()


@pytest.mark.parametrize("case", sorted(CASES.glob("*.trig")), ids=lambda p: p.stem)
def test_shapes_checked_part_by_part_report_what_the_whole_data_reports(case: Path):
    """Every finding of the whole data, no other, whether the asserted graphs are one part or a part each."""
    graphs = read(case) if case.name == "good.trig" else patched(case)
    whole = build(graphs)
    for parts in ([_asserted(graphs)], [[g] for g in _asserted(graphs)]):
        assert _checked_in_parts(graphs, parts).messages == whole.messages


def test_evidence_stated_about_in_two_parts_is_checked_on_the_whole_data():
    """Each part alone conforms: one gives the evidence node all it needs, the other a second rdf:subject.
    The whole data gives it two, which EvidenceShape must still report."""
    graphs = read(CASES / "good.trig")
    evidence = next(g for g in _asserted(graphs) if str(g).startswith(EVIDENCE_GRAPH_PREFIX))
    node = next(s for s, p, o in graphs[evidence] if p == RDF.subject)
    elsewhere = URIRef("urn:r2pkg:test:another-part")
    graphs[elsewhere] = {(node, RDF.subject, URIRef("https://w3id.org/r2pkg/id/person/someone-else"))}
    parts = [[g for g in _asserted(graphs) if g != elsewhere], [elsewhere]]
    result = _checked_in_parts(graphs, parts)
    assert [m for m in result.messages if "evidence names exactly one rdf:subject" in m] == [
        f"Violation: {nt(node)} rdf:subject: evidence names exactly one rdf:subject"]
    assert result.messages == build(graphs).messages
