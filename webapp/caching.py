"""Cache-Control and ETag on every page and data answer, keyed to the build being served.

What a GET answers depends only on the served build, the app's code and saved queries, and the request itself (its path
and query string, the Accept headers that choose a representation, and the address absolute URLs are
written under). So the ETag is a digest of those, computed before the view runs: a client that sends it
back in If-None-Match gets 304 Not Modified at the cost of one digest, the page is not rendered nor
the query run. A new build changes every ETag at once.
"""
from __future__ import annotations

import hashlib
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from flask import Flask, Response, current_app, request, session

HERE = Path(__file__).resolve().parent
# Varying representations: these headers pick what a URL answers.
VARYING_HEADERS = ("Accept", "Accept-Encoding", "Accept-Language")
# Answers with their own validators (static files, dumps: send_file) or none worth having.
UNCACHED_METHODS = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"}


def code_version() -> str:
    """The package version and the newest change to the web app's files and the graph modules that write its
    answers (serializers, queries): a deploy of new code with the same build must not be answered 304 with
    the old pages."""
    import r2pkg.graph

    try:
        version = metadata.version("r2pkg")
    except metadata.PackageNotFoundError:
        version = "0"
    folders = (HERE, Path(r2pkg.graph.__file__).resolve().parent)
    newest = max((p.stat().st_mtime_ns for folder in folders for p in folder.rglob("*") if p.is_file()), default=0)
    return f"{version}-{newest}"


def request_etag(build: str, code: str) -> str:
    """The (weak) ETag of the current request's answer: a digest of the build, the code and the request."""
    digest = hashlib.sha256()
    for part in (build, code, request.method.replace("HEAD", "GET"), request.url_root, request.full_path,
                 *(request.headers.get(name, "") for name in VARYING_HEADERS)):
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return digest.hexdigest()[:32]


def kept_html(render: Callable[[], str]) -> str:
    """The HTML `render()` makes for this request, kept by its ETag (set for anonymous GETs of a served
    build) for the next request with the same one. For views whose HTML depends only on what the ETag
    digests."""
    etag = request.environ.get("r2pkg.etag")
    rendered = current_app.extensions.setdefault("r2pkg.rendered_pages", RenderedPages(RENDERED_MAX_BYTES))
    html = rendered.get(etag) if etag else None
    if html is None:
        html = render()
        if etag:
            rendered.put(etag, html)
    return html


class RenderedPages:
    """Rendered pages by the ETag of their request (request_etag: the build, the code, the review
    decisions, the path, query string and Accept headers), the most recently asked first, at most
    `max_bytes` of HTML. A busy entity's page costs 20 ms of CPU to render, the home page of 1,000
    summaries more, and the same bytes every time until one of those changes; a reviewer's pages have no
    ETag and are never kept."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._pages: OrderedDict[str, str] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, etag: str) -> str | None:
        with self._lock:
            html = self._pages.get(etag)
            if html is not None:
                self._pages.move_to_end(etag)
            return html

    def put(self, etag: str, html: str) -> None:
        with self._lock:
            if etag in self._pages or len(html) > self.max_bytes // 4:
                return
            self._pages[etag] = html
            self._bytes += len(html)
            while self._bytes > self.max_bytes:
                _, old = self._pages.popitem(last=False)
                self._bytes -= len(old)


RENDERED_MAX_BYTES = 32 * 1024 * 1024     # per app (its settings shape the pages too)


def _served_build() -> str | None:
    from . import graph_data

    data = graph_data()
    target = data.snapshot().target
    return str(target) if target and data.available() else None


def _queries_stamp() -> str:
    """The saved queries' folder as of now: its files are re-read when they change (bp_queries.saved_queries),
    and the pages listing them with them. One scandir and a stat per file (pathlib's glob cost as much as the
    rest of a cached page's ETag)."""
    count = total = 0
    with os.scandir(current_app.config["QUERIES_DIR"]) as entries:
        for entry in entries:
            if entry.name.endswith(".rq") and entry.is_file():
                count += 1
                total += entry.stat().st_mtime_ns
    return f"{count}-{total}"


def _cache_control() -> str:
    return f"public, max-age={int(current_app.config.get('CACHE_MAX_AGE') or 0)}"


def register(app: Flask) -> None:
    code = code_version()

    @app.before_request
    def _not_modified():
        from .reviewing import decisions_stamp, signed_in

        if request.method not in ("GET", "HEAD") or signed_in() or session.get("_flashes"):
            return None        # a reviewer's pages, and a page that shows a message left for this client: never cached
        build = _served_build()
        if build is None:
            return None
        # the decisions: a fact's review status shows on its pages before a build applies it
        etag = request_etag(build, f"{code}-{_queries_stamp()}-{decisions_stamp()}")
        request.environ["r2pkg.etag"] = etag
        if request.if_none_match.contains_weak(etag):
            response = Response(status=304)
            response.set_etag(etag, weak=True)
            response.headers["Cache-Control"] = _cache_control()
            response.headers["Vary"] = ", ".join(VARYING_HEADERS)
            return response
        return None

    @app.after_request
    def _validators(response):
        etag = request.environ.get("r2pkg.etag")
        if etag and response.status_code == 200 and "ETag" not in response.headers:
            response.set_etag(etag, weak=True)
            response.headers["Cache-Control"] = _cache_control()
            for name in VARYING_HEADERS:
                response.vary.add(name)
        return response
