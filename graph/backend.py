"""The one interface of a store the app reads: the embedded Oxigraph store or a SPARQL 1.1 server.

`pyoxigraph.Store` answers it as it is; `remote.RemoteStore` answers it over the SPARQL 1.1
Protocol. Code that reads the graph (`sparql.run_query`, saved queries, pages) is written against
`TripleStore` and never asks which back end it has: the saved queries are written so that every
back end answers them alike (docs/backends.md).

This module imports no other module of the package, so that `store`, `remote` and `sparql` can
all depend on it without importing each other in a circle (tests/test_import_graph.py).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol, runtime_checkable

import pyoxigraph as ox


@runtime_checkable
class TripleStore(Protocol):
    """What the app asks of a store: queries, quad patterns and a size."""

    def query(self, query: str, **options: Any) -> Any:
        """QuerySolutions, QueryBoolean or an iterator of Triples, like `pyoxigraph.Store.query`
        (options: default_graph, named_graphs, use_default_graph_as_union, base_iri, prefixes)."""

    def quads_for_pattern(self, subject: Any = None, predicate: Any = None, object: Any = None,
                          graph_name: Any = None) -> Iterator[ox.Quad]:
        """The quads matching a pattern (None matches anything)."""

    def __len__(self) -> int:
        """Quads in all graphs."""

    def named_graphs(self) -> Iterable[ox.NamedNode | str]:
        """The named graphs (what GRAPH ?g ranges over): terms from the embedded store, IRIs from a server."""


def graph_iri(graph: ox.NamedNode | str) -> str:
    """A named graph's IRI as text: the embedded store names its graphs as terms, a SPARQL server as strings."""
    return graph.value if isinstance(graph, ox.NamedNode) else str(graph)
