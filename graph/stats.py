"""Figures about a built graph, shared by the build report and the web app's home page."""
from __future__ import annotations

import pyoxigraph as ox

from .backend import TripleStore, graph_iri
from .store import dataset_options
from .vocab import DOCUMENT_GRAPH_PREFIX, PREFIXES, RECORD_CLASSES, sparql_prologue

# Entities the documents name, per class: evidence nodes are not entities, and the reference
# data about all UN states is not counted unless a document names the state. `{documents}` chooses the
# documents' graphs.
_PER_CLASS = """
SELECT ?class (COUNT(DISTINCT ?e) AS ?n) WHERE {{
  # A join, not FILTER EXISTS per typed node: Oxigraph evaluates that once per row, which grew
  # quadratically with the graph (8.4 s at 1,000 summaries).
  {{ SELECT DISTINCT ?e WHERE {{ {documents} GRAPH ?g {{ ?e ?p ?o }} }} }}
  ?e a ?class .
  FILTER(STRSTARTS(STR(?class), STR(r2p:)))
  FILTER(?class NOT IN ({records}))
}} GROUP BY ?class ORDER BY DESC(?n) ?class
"""


def entities_per_class(store: TripleStore) -> list[tuple[ox.NamedNode, int]]:
    """Entities the documents name, per r2p class, most first. The documents' graphs are listed (VALUES) rather
    than found by a filter on every graph's name, which reads every quad of every graph, evidence included
    (200 summaries: 2.3 s against 0.2 s; the home page ran it on every request)."""
    graphs = " ".join(f"<{iri}>" for iri in map(graph_iri, store.named_graphs()) if iri.startswith(DOCUMENT_GRAPH_PREFIX))
    records = ", ".join(f"<{cls}>" for cls in RECORD_CLASSES)
    query = sparql_prologue() + _PER_CLASS.format(documents=f"VALUES ?g {{ {graphs} }}", records=records)
    return [(row["class"], int(row["n"].value)) for row in store.query(query, **dataset_options(store))]


def count_entities(store: TripleStore) -> dict[str, int]:
    """entities_per_class by the classes' local names, as the build report gives them."""
    return {cls.value.removeprefix(PREFIXES["r2p"]): n for cls, n in entities_per_class(store)}
