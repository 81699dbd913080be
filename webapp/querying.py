"""Running a user's query from a request: the app's limits, which a request may only lower."""
from __future__ import annotations

from flask import current_app, request

from r2pkg.graph import sparql

from . import graph_data


def request_timeout() -> float:
    """The configured time limit, or the request's ?timeout= (seconds) when it is lower."""
    limit = float(current_app.config["SPARQL_TIMEOUT"])
    asked = request.values.get("timeout")
    if asked:
        try:
            value = float(asked)
        except ValueError:
            raise sparql.QueryError(f"timeout must be a number of seconds, not {asked!r}") from None
        if value > 0:
            limit = min(limit, value)
    return limit


def allowed_services(config) -> tuple[str, ...]:
    """The SERVICE endpoints a user query may call: SPARQL_FEDERATION_ALLOW when SPARQL_FEDERATION is on, and
    SPARQL_ALLOWED_SERVICES; with the defaults, none."""
    def iris(value) -> tuple[str, ...]:
        return tuple(value.replace(",", " ").split()) if isinstance(value, str) else tuple(value or ())

    federated = iris(config.get("SPARQL_FEDERATION_ALLOW")) if config.get("SPARQL_FEDERATION") else ()
    return tuple(dict.fromkeys(federated + iris(config.get("SPARQL_ALLOWED_SERVICES"))))


def query_pool(config) -> sparql.QueryPool:
    """The worker pool of user queries: no network for the workers unless a SERVICE endpoint is
    allowed, and each under the memory ceiling."""
    limits = sparql.WorkerLimits(network=bool(allowed_services(config)),
                                 max_memory=config.get("SPARQL_WORKER_MEMORY") or None)
    return sparql.get_pool(config["DATA_DIR"], config["SPARQL_WORKERS"], limits)


def run_user_query(query: str, **kwargs) -> sparql.QueryResult:
    """On the embedded store, in the worker pool (a query past its limit is killed); on a SPARQL
    server, over HTTP with the same limit on the wait."""
    config = current_app.config
    if config["STORE_SERVER"] is not None:
        target = graph_data().store
    else:
        target = config["DATA_DIR"]
        kwargs["pool"] = query_pool(config)
    if config.get("SPARQL_FEDERATION_ALLOW_PRIVATE"):   # tests: an allow-listed endpoint on loopback
        kwargs.setdefault("allow_private_services", True)
    with current_app.extensions["r2pkg.budget"].query(request.remote_addr or "-") as ticket:
        result = sparql.run_query(target, query, timeout=request_timeout(), max_rows=config["SPARQL_MAX_ROWS"],
                                  max_bytes=config["SPARQL_MAX_BYTES"], allowed_services=allowed_services(config),
                                  max_length=config.get("SPARQL_MAX_QUERY_LENGTH"), slow_lane=ticket.slow_lane,
                                  **kwargs)
        ticket.ran = result.ran
        return result


def limit_headers(result: sparql.QueryResult) -> dict[str, str]:
    return {
        "X-R2PKG-Truncated": "true" if result.truncated else "false",
        "X-R2PKG-Row-Limit": str(current_app.config["SPARQL_MAX_ROWS"]),
        "X-R2PKG-Elapsed": f"{result.elapsed:.3f}",
        "Access-Control-Expose-Headers": "X-R2PKG-Truncated, X-R2PKG-Row-Limit, X-R2PKG-Elapsed",
    }
