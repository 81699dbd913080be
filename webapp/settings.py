"""The web app's settings, as data: name, default and help. `create_app(config)` overrides them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DATA_DIR", None,
            "Data directory holding the served build (DATA_DIR/current); default: $R2PKG_DATA_DIR or ./data."),
    Setting("QUERIES_DIR", None, "Folder of saved queries (*.rq); default: the bundled queries/ folder."),
    Setting("SPARQL_TIMEOUT", 5.0,
            "Time limit in seconds for every user query (SPARQL endpoint, saved queries); a request may "
            "lower it with ?timeout=, never raise it."),
    Setting("SPARQL_MAX_ROWS", 10000,
            "Most rows (or triples) a query returns; a longer answer is cut and flagged as truncated."),
    Setting("SPARQL_WORKERS", 3, "Warm worker processes that run user queries (each holds the store open read-only)."),
    Setting("SPARQL_ALLOWED_SERVICES", (), "SERVICE endpoints a query may call; none by default."),
    Setting("PAGE_MAX_FACTS", 500, "Most facts in each direction shown on an entity page."),
    Setting("GRAPH_MAX_NEIGHBOURS", 60, "Most neighbours drawn in an entity page's neighbourhood graph."),
    Setting("SEARCH_LIMIT", 50, "Most hits on a search page."),
    Setting("SUGGEST_LIMIT", 10, "Most type-ahead suggestions."),
)

DEFAULTS: dict[str, Any] = {s.name: s.default for s in SETTINGS}
