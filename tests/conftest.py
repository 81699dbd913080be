"""Shared fixtures. Web app fixtures are prefixed `web_` (or named for what they make)."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import NamedTuple

import pytest

from servers import app_in_thread

FIXTURES = Path(__file__).resolve().parent / "fixtures"
WEB_FIXTURES = FIXTURES / "web"


def _make_fixture_build(root: Path, extra_trig: str = "") -> Path:
    """A data directory laid out like graph/store.py's: builds/x/{store,dumps,report.json}, current -> builds/x;
    `extra_trig` (TriG text) is loaded into the store beside the fixture graph."""
    import pyoxigraph as ox

    from r2pkg.graph import dumps as dump_files

    trig = WEB_FIXTURES / "graph.trig"
    build = root / "builds" / "x"
    build.mkdir(parents=True)
    store = ox.Store(str(build / "store"))
    store.load(path=str(trig), format=ox.RdfFormat.TRIG)
    if extra_trig:
        store.load(extra_trig, format=ox.RdfFormat.TRIG)
    store.flush()
    quads = list(store.quads_for_pattern(None, None, None, None))
    dumps = build / "dumps"
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    with dump_files.writing(dumps, "graph.trig") as out:
        out.write(trig.read_bytes())
    for name, statements in (("graph.ttl", triples), ("graph.nt", triples), ("graph.jsonld", quads)):
        with dump_files.writing(dumps, name) as out:
            ox.serialize(statements, out, format=dump_files.FORMATS[name])
    del store
    (build / "report.json").write_text(json.dumps({"triples": len(quads), "fixture": True}))
    os.symlink("builds/x", root / "current")
    return root


@pytest.fixture(scope="session")
def web_data_dir(tmp_path_factory) -> Path:
    """The small web fixture graph (tests/fixtures/web/graph.trig) built into a data directory."""
    return _make_fixture_build(tmp_path_factory.mktemp("webdata"))


@pytest.fixture(scope="session")
def make_fixture_build():
    """make_fixture_build(root, extra_trig="") -> root, a data directory holding the web fixture graph."""
    return _make_fixture_build


@pytest.fixture(scope="session")
def web_queries_dir() -> Path:
    """Saved queries written for the web tests."""
    return WEB_FIXTURES / "queries"


@pytest.fixture(scope="session")
def make_app_client(web_data_dir, web_queries_dir):
    """make_app_client(**config) -> Flask test client; e.g. make_app_client(SPARQL_TIMEOUT=0.02)."""
    from r2pkg.webapp import create_app

    def make(**overrides):
        config = {"TESTING": True, "DATA_DIR": str(web_data_dir), "QUERIES_DIR": str(web_queries_dir)}
        config.update(overrides)
        app = create_app(config)
        return app.test_client()

    return make


@pytest.fixture(scope="session")
def client(make_app_client):
    return make_app_client()


@pytest.fixture(scope="session")
def built_graph(tmp_path_factory):
    """The bundled corpus built once per test session: (data_dir, report)."""
    from r2pkg.graph.build import build
    from r2pkg.graph.resources import CORPUS_DIR

    data_dir = tmp_path_factory.mktemp("built")
    return data_dir, build([CORPUS_DIR], data_dir)


@pytest.fixture(scope="session")
def built_data_dir(built_graph) -> Path:
    """A data directory serving the bundled corpus's graph."""
    return built_graph[0]


@pytest.fixture(scope="session")
def built_report(built_graph):
    """The build report of the bundled corpus."""
    return built_graph[1]


# ------------------------------------------------------------------------------------------
# Back ends: the bundled corpus's build on the embedded store and on real SPARQL servers
# ------------------------------------------------------------------------------------------

BACKENDS = ("embedded", "oxigraph", "virtuoso")


@pytest.fixture(scope="session")
def oxigraph_backend(built_data_dir, tmp_path_factory):
    """A real `oxigraph serve` (from PyPI) holding the bundled corpus's build, sent as `r2pkg build
    --store sparql` sends it; yields its ServerConfig."""
    from servers import oxigraph_config, oxigraph_server

    with oxigraph_server(None, tmp_path_factory.mktemp("oxigraph-backend")) as url:
        config = oxigraph_config(url)
        _publish(built_data_dir, config)
        yield config


@pytest.fixture(scope="session")
def virtuoso_backend(built_data_dir):
    """The Virtuoso CI starts (.ci/virtuoso), holding the bundled corpus's build; skipped without one."""
    from servers import virtuoso_config

    config = virtuoso_config()
    if config is None:
        pytest.skip("no Virtuoso: set R2PKG_TEST_VIRTUOSO (see .ci/virtuoso)")
    _publish(built_data_dir, config)
    return config


def _publish(data_dir: Path, config) -> None:
    from r2pkg.graph.remote import RemoteStore, publish
    from r2pkg.graph.store import current_build, open_store

    publish(open_store(data_dir), RemoteStore(config), stamp=current_build(data_dir).root.name)


class Backend(NamedTuple):
    name: str                 # one of BACKENDS
    server: object | None     # the SPARQL server's ServerConfig; None for the embedded store


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> Backend:
    """Each back end in turn, holding the bundled corpus's build."""
    name = request.param
    return Backend(name, None if name == "embedded" else request.getfixturevalue(f"{name}_backend"))


@pytest.fixture(scope="session")
def backend_store(backend, built_data_dir):
    """The bundled corpus's graph on each back end, opened as the app opens it."""
    from r2pkg.graph.store import open_store

    return open_store(built_data_dir, server=backend.server)


@pytest.fixture(scope="session")
def live_server(web_data_dir, web_queries_dir):
    """The web app served by waitress in a thread on a free loopback port; yields its base URL."""
    from r2pkg.webapp import create_app

    # Every test's requests come from 127.0.0.1: the per-client limits (tests/test_security_fairness.py)
    # are set wide here, or one test's slow queries would use up the next test's share.
    app = create_app({"DATA_DIR": str(web_data_dir), "QUERIES_DIR": str(web_queries_dir), "SPARQL_TIMEOUT": 2.0,
                      "SPARQL_CLIENT_QUERY_TIME": 3600.0, "SPARQL_CLIENT_CONCURRENCY": 16})
    with app_in_thread(app, threads=6, name="r2pkg-test-server") as base:
        yield base
