"""On the bundled corpus, the build infers exactly the links owlrl, the reference reasoner, infers."""
from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from r2pkg.graph.evidence import fact_triples
from r2pkg.graph.reasoning import infer, owlrl_inferences
from r2pkg.graph.resources import CORPUS_DIR, ONTOLOGY_FILE
from r2pkg.loaders import load_document, reference_facts


@pytest.fixture(scope="module")
def corpus_facts() -> list[tuple]:
    facts = [t for path in sorted(CORPUS_DIR.glob("*.txt")) for t in fact_triples(load_document(path))]
    entities = {term for s, _p, o in facts for term in (s, o) if isinstance(term, URIRef)}
    return facts + list(reference_facts(entities))


@pytest.mark.slow
def test_the_build_infers_what_owlrl_infers_on_the_bundled_corpus(corpus_facts):
    ontology = Graph().parse(ONTOLOGY_FILE)
    ours = set(infer(corpus_facts, ontology))
    reference = set(owlrl_inferences(corpus_facts, ontology))
    assert ours, "the corpus gives the reasoner something to do"
    assert ours - reference == set(), "inferred by the build but not by owlrl"
    assert reference - ours == set(), "inferred by owlrl but not by the build"
