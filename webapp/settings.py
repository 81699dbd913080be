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
    Setting("STORE_SERVER", None,
            "A SPARQL 1.1 server to serve instead of the embedded store in DATA_DIR: a mapping with query_url (and "
            "update_url, gsp_url, user, password) holding a build sent by `r2pkg build --store sparql`; "
            "`r2pkg serve --store sparql --query-url URL` sets it."),
    Setting("QUERIES_DIR", None, "Folder of saved queries (*.rq); default: the bundled queries/ folder."),
    Setting("SPARQL_TIMEOUT", 5.0,
            "Time limit in seconds for every user query (SPARQL endpoint, saved queries); a request may "
            "lower it with ?timeout=, never raise it."),
    Setting("SPARQL_MAX_ROWS", 10000,
            "Most rows (or triples) a query returns; a longer answer is cut and flagged as truncated."),
    Setting("SPARQL_MAX_BYTES", 8_000_000,
            "Largest answer in bytes (as serialized, inside the time limit, in the worker); rows past it are cut "
            "and flagged as truncated, and an answer whose first row alone is larger is refused with 422."),
    Setting("SPARQL_WORKERS", 3, "Warm worker processes that run user queries (each holds the store open read-only)."),
    Setting("SPARQL_CLIENT_QUERY_TIME", 30.0,
            "Seconds of query time one client (by address) may use in any minute; past it, 429 with Retry-After. "
            "A client one of whose queries ran 1 s or more in the last minute runs its queries on all workers but one, so "
            "other clients' queries always find a worker."),
    Setting("SPARQL_CLIENT_CONCURRENCY", 2, "Queries of one client that may run at the same time; more get 429."),
    Setting("SPARQL_QUERIES_IN_FLIGHT", 16,
            "User queries that may run or wait for a worker at once, all clients together; more get 503 with "
            "Retry-After at once. Each holds one of `r2pkg serve`'s 24 threads, so pages keep the others."),
    Setting("SPARQL_WORKER_MEMORY", 1_500_000_000,
            "Memory ceiling of each query worker in bytes (its data segment); a query that needs more fails alone "
            "with 500 and its worker is replaced. The workers also cannot open network connections unless a "
            "SERVICE endpoint is allowed (SPARQL_FEDERATION, SPARQL_ALLOWED_SERVICES)."),
    Setting("SPARQL_ALLOWED_SERVICES", (), "SERVICE endpoints a query may call; none by default."),
    Setting("SPARQL_FEDERATION", False,
            "Let user queries call the SPARQL_FEDERATION_ALLOW endpoints with SERVICE (federated queries); off by "
            "default, when every SERVICE is refused with 403 and the server contacts no other host."),
    Setting("SPARQL_FEDERATION_ALLOW", ("https://query.wikidata.org/sparql", "https://dbpedia.org/sparql"),
            "The SERVICE endpoints (exact IRIs) a query may call when SPARQL_FEDERATION is on: Wikidata's and "
            "DBpedia's, whose IRIs the external-links graph uses; any other endpoint is refused with 403."),
    Setting("SPARQL_FEDERATION_ALLOW_PRIVATE", False,
            "For tests only: let SPARQL_FEDERATION_ALLOW name an endpoint on a loopback or private address (a local "
            "test server); off, such endpoints are refused even when listed."),
    Setting("PAGE_MAX_FACTS", 500, "Most facts in each direction shown on an entity page."),
    Setting("PAGE_STATEMENTS", 10, "Statements of one property shown on an entity page before it pages them."),
    Setting("LIST_PAGE_SIZE", 50, "Rows on one page of a class list (/list/<Class>)."),
    Setting("GRAPH_MAX_NEIGHBOURS", 60, "Most neighbours drawn in an entity page's neighbourhood graph."),
    Setting("SEARCH_LIMIT", 50, "Most hits on a search page."),
    Setting("SUGGEST_LIMIT", 10, "Most type-ahead suggestions."),
    Setting("SPARQL_MAX_QUERY_LENGTH", 50000,
            "Longest query text accepted, in characters; a longer one is refused with 413."),
    Setting("MAX_CONTENT_LENGTH", 1024 * 1024,
            "Largest request body accepted, in bytes (Flask's own setting); a larger one is refused with 413."),
    Setting("CONTENT_SECURITY_POLICY",
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
            "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            "frame-ancestors 'none'",
            "Content-Security-Policy header of every page: scripts from this site only, no inline scripts."),
    Setting("SPARQL_CONTENT_SECURITY_POLICY", None,
            "The policy of the /sparql editor page, when it must differ (YASGUI); None: CONTENT_SECURITY_POLICY."),
    Setting("BASE_URL", None,
            "The site's public address (https://host or https://host/prefix). When set, every absolute URL the app "
            "writes (VoID, the OpenAPI servers, redirects) and every link starts with it, whatever Host header a "
            "request carries; None: they follow the request's own address, which its Host header chooses."),
    Setting("CONNECTION_LIMIT", 1000,
            "Most client connections `r2pkg serve` holds open at once (waitress's connection_limit, 100 by default "
            "there); past it, new ones wait. The process's open-file limit is raised to fit, as far as the hard "
            "limit allows."),
    Setting("CHANNEL_TIMEOUT", 30,
            "Seconds an idle connection (no request, or between keep-alive requests) stays open under "
            "`r2pkg serve` before it is closed (waitress: 120)."),
    Setting("HEADER_TIMEOUT", 20,
            "Seconds a client has to send a request's headers under `r2pkg serve`; a connection still sending "
            "them after that (a slowloris client trickling bytes) is closed."),
    Setting("REQUEST_LOG", True,
            "Log one line per request (method, path without query string, status, bytes, milliseconds) to the "
            "r2pkg.requests logger; query texts and parameters are never logged."),
    Setting("SECRET_KEY", None,
            "Key that signs reviewers' session cookies and CSRF tokens; None: a random key kept in "
            "DATA_DIR/review/secret_key (mode 600), made on first use, so sessions survive restarts."),
    Setting("REVIEW_SECURE_COOKIES", None,
            "Send the session cookie over HTTPS only (its Secure flag); None: when BASE_URL is an https URL. "
            "The cookie is always HttpOnly and SameSite=Lax."),
    Setting("REVIEW_LOGIN_LIMIT", "5 per minute;30 per hour",
            "Sign-in attempts one client (by address) may make (Flask-Limiter's notation); past it, 429."),
    Setting("CACHE_MAX_AGE", 300,
            "Seconds a client or proxy may reuse a page or data answer (Cache-Control: public, max-age); after "
            "that it asks again with the ETag, which names the served build, and gets 304 Not Modified while "
            "the build is the same. 0: always ask again."),
)

DEFAULTS: dict[str, Any] = {s.name: s.default for s in SETTINGS}


def parse_setting(item: str) -> tuple[str, Any]:
    """`NAME=VALUE` from the command line, the value read as the setting's default is typed.

    Raises ValueError naming the setting when the name is unknown or the value does not fit.
    """
    name, sep, text = item.partition("=")
    name = name.strip().upper()
    if not sep or name not in DEFAULTS:
        raise ValueError(f"--set {item!r}: give NAME=VALUE with one of the settings {', '.join(sorted(DEFAULTS))}")
    default = DEFAULTS[name]
    try:
        if isinstance(default, bool):
            if text.lower() not in ("true", "false", "1", "0", "yes", "no", "on", "off"):
                raise ValueError
            return name, text.lower() in ("true", "1", "yes", "on")
        if isinstance(default, int):
            return name, int(text.replace("_", "").replace(",", ""))
        if isinstance(default, float):
            return name, float(text)
        if isinstance(default, tuple):
            return name, tuple(text.replace(",", " ").split())
    except ValueError:
        raise ValueError(f"--set {name}: {text!r} is not a {type(default).__name__}") from None
    return name, text if text.lower() != "none" else None
