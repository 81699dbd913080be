"""The graph package's modules import each other in layers, never in a circle.

A circle (store -> remote -> sparql -> store, as there once was) only works through imports
hidden inside functions, breaks on the first import moved to the top of a file, and means no
module of it can be understood, tested or replaced alone. Every import counts here, those inside
functions and under TYPE_CHECKING too.
"""
from __future__ import annotations

import ast
from pathlib import Path

GRAPH = Path(__file__).resolve().parent.parent / "graph"


def imported_modules(path: Path) -> set[str]:
    """The modules of the graph package that `path` imports, anywhere in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level == 1:
                found |= {module.split(".")[0]} if module else {alias.name for alias in node.names}
            elif node.level == 0 and module.startswith("r2pkg.graph."):
                found.add(module.split(".")[2])
            elif node.level == 0 and module == "r2pkg.graph":
                found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name.split(".")[2] for alias in node.names if alias.name.startswith("r2pkg.graph.")}
    return found - {path.stem}


def import_graph() -> dict[str, set[str]]:
    modules = {path.stem: path for path in GRAPH.glob("*.py")}
    return {name: imported_modules(path) & modules.keys() for name, path in modules.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports (its modules, the first repeated last), or None."""
    state: dict[str, str] = {}
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        state[module] = "open"
        path.append(module)
        for imported in sorted(edges.get(module, ())):
            if state.get(imported) == "open":
                return path[path.index(imported):] + [imported]
            if imported not in state and (cycle := visit(imported)):
                return cycle
        state[module] = "done"
        path.pop()
        return None

    for module in sorted(edges):
        if module not in state and (cycle := visit(module)):
            return cycle
    return None


def test_no_module_of_the_graph_package_imports_itself_through_others():
    assert find_cycle(import_graph()) is None, " -> ".join(find_cycle(import_graph()) or [])


def test_the_store_modules_depend_on_one_interface_not_on_each_other_in_a_circle():
    edges = import_graph()
    assert "backend" in edges["store"] and not edges["backend"]
    assert not edges["remote"] & {"store", "sparql"}


def test_a_circle_is_found_when_there_is_one():
    """The check itself: the circle the package once had is reported."""
    assert find_cycle({"store": {"remote"}, "remote": {"sparql"}, "sparql": {"store"}}) == [
        "remote", "sparql", "store", "remote"]
    assert find_cycle({"store": {"remote", "backend"}, "sparql": {"store", "remote"}, "remote": {"backend"}}) is None


def test_the_embedded_store_and_a_sparql_server_answer_the_one_store_interface():
    import pyoxigraph as ox

    from r2pkg.graph.backend import TripleStore
    from r2pkg.graph.remote import RemoteStore, ServerConfig

    assert isinstance(ox.Store(), TripleStore)
    assert isinstance(RemoteStore(ServerConfig("http://127.0.0.1:9/query")), TripleStore)
    assert not isinstance(object(), TripleStore)
