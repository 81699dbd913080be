"""Figures about a built graph, shared by the build report and the web app's home page."""
from __future__ import annotations

import pyoxigraph as ox

from .store import dataset_options
from .vocab import DOCUMENT_GRAPH_PREFIX, PREFIXES, sparql_prologue

# Entities the documents name, per class: evidence nodes are not entities, and the reference
# data about all UN states is not counted unless a document names the state.
ENTITIES_PER_CLASS = sparql_prologue() + f"""
SELECT ?class (COUNT(DISTINCT ?e) AS ?n) WHERE {{
  # A join, not FILTER EXISTS per typed node: Oxigraph evaluates that once per row, which grew
  # quadratically with the graph (8.4 s at 1,000 summaries).
  {{ SELECT DISTINCT ?e WHERE {{ GRAPH ?g {{ ?e ?p ?o }} FILTER(STRSTARTS(STR(?g), "{DOCUMENT_GRAPH_PREFIX}")) }} }}
  ?e a ?class .
  FILTER(STRSTARTS(STR(?class), STR(r2p:)))
  FILTER(?class NOT IN (r2p:Evidence, r2p:Sentence, r2p:Mention))
}} GROUP BY ?class ORDER BY DESC(?n) ?class
"""


def count_entities(store: ox.Store) -> dict[str, int]:
    rows = store.query(ENTITIES_PER_CLASS, **dataset_options(store))
    return {row["class"].value.removeprefix(PREFIXES["r2p"]): int(row["n"].value) for row in rows}
