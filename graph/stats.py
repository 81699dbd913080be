"""Figures about a built graph, shared by the build report and the web app's home page."""
from __future__ import annotations

import pyoxigraph as ox

from .store import dataset_options
from .vocab import DOCUMENT_GRAPH_PREFIX, PREFIXES, sparql_prologue

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
  FILTER(?class NOT IN (r2p:Evidence, r2p:Sentence, r2p:Mention))
}} GROUP BY ?class ORDER BY DESC(?n) ?class
"""
ENTITIES_PER_CLASS = sparql_prologue() + _PER_CLASS.format(
    documents=f'FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPH_PREFIX}"))')


def count_entities(store: ox.Store) -> dict[str, int]:
    """ENTITIES_PER_CLASS with the documents' graphs listed: the filter reads every quad of every graph,
    evidence included (1,000 summaries: 5.8M), the list only the documents' (200 summaries: 4.3 -> 0.25 s)."""
    graphs = " ".join(str(g) for g in store.named_graphs() if g.value.startswith(DOCUMENT_GRAPH_PREFIX))
    query = sparql_prologue() + _PER_CLASS.format(documents=f"VALUES ?g {{ {graphs} }}")
    rows = store.query(query, **dataset_options(store))
    return {row["class"].value.removeprefix(PREFIXES["r2p"]): int(row["n"].value) for row in rows}
