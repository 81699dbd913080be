"""The one module that builds the web app's URLs. Templates and views never format a path.

Graph IRIs map onto local paths: https://w3id.org/r2pkg/id/state/spain is served at
/id/state/spain (303 to /page/state/spain or /data/state/spain.ttl); a sentence IRI
.../id/document/D#char=S,E is the place /document/D#char=S,E; ontology terms are anchors of
/ontology.
"""
from __future__ import annotations

import re
from urllib.parse import quote, urlencode, urlsplit

from r2pkg.graph.vocab import BASE, ID, ONTOLOGY_IRI, R2P

LINKABLE_SCHEME = re.compile(r"(?i)(?:https?|mailto|ftp|urn|doi|tag):")
ID_PREFIX = str(ID)
ONTOLOGY_NS = str(R2P)

# data suffix -> media type, for /data/<path>.<ext> and /id/<path>.<ext>
DATA_FORMATS: dict[str, str] = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdf": "application/rdf+xml",
}
EXTENSION_OF = {media: ext for ext, media in DATA_FORMATS.items()}
# A client asking for plain JSON gets JSON-LD (JSON with an @context), not 406.
EXTENSION_OF["application/json"] = "jsonld"
RESULT_FORMATS: dict[str, str] = {
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
}


def _q(path: str) -> str:
    return quote(path, safe="/:@!$&'()*+,;=-._~")


def _with_query(path: str, params) -> str:
    items = [(k, v) for k, v in (params.items() if hasattr(params, "items") else params) if v not in (None, "")]
    return f"{path}?{urlencode(items)}" if items else path


class Urls:
    """URL builder, available in every template as `urls`.

    Links within the site are paths under `script_root`. An absolute URL (VoID, OpenAPI, redirects) starts with
    `base_url`, the site's configured public address (BASE_URL), when there is one; else with `request_root`, the
    address the request came to, which a client chooses with its Host header.
    """

    def __init__(self, script_root: str = "", base_url: str | None = None, request_root: str = "http://localhost/"):
        self.base_url = base_url.rstrip("/") if base_url else None
        self.root = (urlsplit(base_url).path if base_url else script_root).rstrip("/")
        self.public_root = self.base_url or request_root.rstrip("/")

    def _p(self, path: str) -> str:
        return self.root + path

    def absolute(self, path: str) -> str:
        """The absolute URL of a path this builder made: under BASE_URL when set, else under the request's root."""
        return self.public_root + path[len(self.root):] if path.startswith(self.root + "/") else path

    def location(self, path: str) -> str:
        """Where a redirect points: absolute under BASE_URL when set; else the path as it is, which the client
        resolves against the address it asked (never a Host header the server would write back)."""
        return self.absolute(path) if self.base_url else path

    # --- pages ---
    def home(self) -> str:
        return self._p("/")

    def search(self, q: str | None = None, cls: str | None = None) -> str:
        return _with_query(self._p("/search"), {"q": q, "class": cls})

    def suggest(self, q: str | None = None, cls: str | None = None) -> str:
        return _with_query(self._p("/search/suggest"), {"q": q, "class": cls})

    def queries(self, tag: str | None = None) -> str:
        return _with_query(self._p("/queries"), {"tag": tag})

    def query(self, name: str, params=None) -> str:
        return _with_query(self._p(f"/queries/{_q(name)}"), params or {})

    def query_download(self, name: str, fmt: str, params=None) -> str:
        return _with_query(self._p(f"/queries/{_q(name)}.{fmt}"), params or {})

    def query_api(self, name: str, params=None) -> str:
        return _with_query(self._p(f"/api/queries/{_q(name)}"), params or {})

    def openapi(self) -> str:
        return self._p("/api/openapi.json")

    def sparql(self, query: str | None = None) -> str:
        return _with_query(self._p("/sparql"), {"query": query})

    def sparql_vocabulary(self) -> str:
        """The classes and properties the SPARQL editor completes, as JSON."""
        return self._p("/sparql/vocabulary.json")

    def ontology(self, fmt: str | None = None) -> str:
        return self._p("/ontology" + (f".{fmt}" if fmt else ""))

    def dumps(self) -> str:
        return self._p("/dumps")

    def dump(self, filename: str) -> str:
        return self._p(f"/dumps/{_q(filename)}")

    def void(self) -> str:
        return self._p("/dumps/void.ttl")

    def graph(self, iri: str) -> str:
        """Where a named graph's IRI (https://w3id.org/r2pkg/graph/inferred) is served: /graph/inferred."""
        return self._p("/graph/" + _q(iri[len(BASE + "graph/"):]))

    def lists(self) -> str:
        return self._p("/list")

    def class_list(self, cls: str, params=None) -> str:
        """The list of a class of the ontology (/list/State), with its filters, sort and page."""
        return _with_query(self._p("/list/" + _q(cls[len(ONTOLOGY_NS):])), params or {})

    def class_list_download(self, cls: str, fmt: str, params=None) -> str:
        return _with_query(self._p("/list/" + _q(cls[len(ONTOLOGY_NS):]) + "." + fmt), params or {})

    def documents(self) -> str:
        return self._p("/documents")

    def themes(self) -> str:
        """The scheme of themes: every theme with how many sentences discuss it."""
        return self._p("/theme")

    def theme(self, slug: str) -> str:
        """A theme's page (by its skos:notation): what was said about it, meeting by meeting."""
        return self._p(f"/theme/{_q(slug)}")

    def static(self, filename: str) -> str:
        return self._p(f"/static/{_q(filename)}")

    def document(self, slug: str, start: int | None = None, end: int | None = None) -> str:
        url = self._p(f"/document/{_q(slug)}")
        return url + (f"#char={start},{end}" if start is not None and end is not None else "")

    def document_original(self, slug: str, page: int | None = None) -> str:
        """The document's file as read by the build; a PDF opened at a page: #page=N."""
        return self._p(f"/document/{_q(slug)}/original") + (f"#page={int(page)}" if page else "")

    def place(self, document_iri: str, start: int, end: int) -> str:
        """A span of a document's text: /document/<slug>#char=S,E."""
        path = self.local_path(document_iri) or ""
        return self.document(path.split("/", 1)[-1], start, end)

    # --- review (docs/review.md) ---
    def review_login(self, next_path: str | None = None) -> str:
        return _with_query(self._p("/review/login"), {"next": next_path})

    def review_logout(self) -> str:
        return self._p("/review/logout")

    def review_decide(self) -> str:
        return self._p("/review/decide")

    def review_withdraw(self) -> str:
        return self._p("/review/withdraw")

    def review_add(self) -> str:
        return self._p("/review/add")

    def review_queue(self, params=None) -> str:
        return _with_query(self._p("/review/queue"), params or {})

    def review_fact(self, params=None) -> str:
        """A fact's review page. A document page links one per fact, so ':' and '/' stay as they are in the
        query (RFC 3986 allows them there): a third shorter than escaped."""
        items = [(k, v) for k, v in (params or {}).items() if v not in (None, "")]
        return f"{self._p('/review/fact')}?{urlencode(items, safe=':/')}"

    def review_history(self) -> str:
        return self._p("/review/decisions")

    # --- graph IRIs ---
    @staticmethod
    def local_path(iri: str) -> str | None:
        """'state/spain' for https://w3id.org/r2pkg/id/state/spain; None for other IRIs."""
        if iri.startswith(ID_PREFIX) and len(iri) > len(ID_PREFIX):
            return iri[len(ID_PREFIX):]
        return None

    @staticmethod
    def iri_of(path: str) -> str:
        return ID_PREFIX + path

    def id(self, iri: str) -> str:
        return self._p("/id/" + _q(self.local_path(iri) or ""))

    def page(self, iri: str) -> str:
        path = self.local_path(iri) or ""
        base, _, fragment = path.partition("#")
        if base.startswith("document/") and "/" not in base[len("document/"):]:
            return self._p("/document/" + _q(base[len("document/"):])) + (f"#{fragment}" if fragment else "")
        return self._p("/page/" + _q(base)) + (f"#{fragment}" if fragment else "")

    def page_of_statements(self, iri: str, group_key: str, page: int = 1) -> str:
        """One page of an entity's statements of one property (group_key: the property IRI, ^IRI when incoming)."""
        return _with_query(self.page(iri), {"property": group_key, "page": page if page > 1 else None}) + "#statements"

    def data(self, iri: str, ext: str = "ttl") -> str:
        return self._p("/data/" + _q((self.local_path(iri) or "").partition("#")[0]) + "." + ext)

    def ontology_term(self, iri: str) -> str:
        return self._p("/ontology#" + quote(iri[len(ONTOLOGY_NS):], safe=""))

    def link(self, iri: str) -> str:
        """Where a graph IRI leads in this app: its page, its place in a document, the ontology; else itself."""
        if iri.startswith(ID_PREFIX):
            return self.page(iri)
        if iri.startswith(ONTOLOGY_NS):
            return self.ontology_term(iri)
        if iri == ONTOLOGY_IRI or iri.startswith(ONTOLOGY_IRI + "/"):
            return self.ontology()
        if iri.startswith(BASE + "graph/"):
            return self.graph(iri)
        if not LINKABLE_SCHEME.match(iri):
            # javascript:, data:, vbscript: and the like are never an href: search for the text instead
            return self.search(q=iri)
        return iri

    @staticmethod
    def is_local(iri: str) -> bool:
        return iri.startswith(BASE)


def checked_base_url(value: str | None) -> str | None:
    """BASE_URL as given, once known to be an absolute http(s) URL with no query or fragment: it is written into
    every absolute URL, so a typo should stop the server at start, not send clients astray."""
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment or " " in value:
        raise ValueError(f"BASE_URL must be an http(s) URL such as https://r2p.example.org or "
                         f"https://example.org/r2pkg, not {value!r}")
    return value.rstrip("/")


def request_urls(base_url: str | None) -> Urls:
    """The URL builder of the current request (in a Flask request context)."""
    from flask import request

    return Urls(request.script_root, base_url=base_url, request_root=request.url_root)
