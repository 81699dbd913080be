"""`r2pkg link` against a real SPARQL server on loopback (the `oxigraph` server from PyPI).

The server is started by the tests with a small Wikidata-shaped fixture (tests/fixtures/linking/); no
part of SPARQLWrapper is mocked. Offline is an endpoint on a closed port.
"""
from __future__ import annotations

import http.server
import io
import json
import shutil
import threading
from pathlib import Path

import pytest
from servers import free_port, oxigraph_server
from r2pkg.graph import external as ex
from r2pkg.graph import iris, linking
from r2pkg.graph import store as stores
from r2pkg.graph.resources import GAZETTEER_DIR
from r2pkg.graph.vocab import R2P
from rdflib import Literal
from rdflib.namespace import RDF, RDFS

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "linking" / "wikidata.ttl"

GHANA = iris.entity("state", "ghana")
FRANCE = iris.entity("state", "france")
WELSH = iris.entity("person", "jennifer-welsh")
SMITH = iris.entity("person", "karen-smith")
GCR2P = iris.entity("org", "global-centre-for-the-responsibility-to-protect")
STANLEY = iris.entity("org", "stanley-foundation")
GABORONE = iris.entity("city", "gaborone")
JANE = iris.entity("person", "jane-fixture")
NOBODY = iris.entity("org", "no-such-organization")
LABELS = {GHANA: "Ghana", FRANCE: "France", WELSH: "Jennifer Welsh", SMITH: "Karen Smith",
          GCR2P: "Global Centre for the Responsibility to Protect", STANLEY: "The Stanley Foundation",
          GABORONE: "Gaborone", JANE: "Jane Fixture", NOBODY: "No Such Organization"}


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    """http://127.0.0.1:PORT/query of an oxigraph server loaded with the fixture; stopped afterwards."""
    with oxigraph_server(FIXTURE, tmp_path_factory.mktemp("wikidata-store")) as url:
        yield url


@pytest.fixture
def tables(tmp_path) -> Path:
    """A copy of the link tables (beside the recognition gazetteer's states.csv), with Ghana's id blanked."""
    gaz = tmp_path / "gazetteers"
    shutil.copytree(ex.EXTERNAL_DIR, gaz / "external")
    if (GAZETTEER_DIR / "states.csv").is_file():
        shutil.copy(GAZETTEER_DIR / "states.csv", gaz / "states.csv")
    path = gaz / "external" / ex.STATES_FILE
    text = path.read_text()
    assert "GHA,Ghana,Q117," in text
    path.write_text(text.replace("GHA,Ghana,Q117,", "GHA,Ghana,,"))
    return gaz / "external"


def _client(url, tmp_path, **kw) -> linking.WikidataClient:
    kw.setdefault("min_interval", 0)
    kw.setdefault("backoff", 0)
    return linking.WikidataClient(url, cache_dir=tmp_path / "cache", **kw)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


# --- candidates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,kind,expected", [
    ("Ghana", "state", [("Q117", 0.9, "label")]),                         # not the ship of the same name
    ("Jennifer Welsh", "person", [("Q900000020", 0.9, "label")]),         # not the disambiguation page
    ("Karen Smith", "person", [("Q900000030", 0.45, "label"), ("Q900000031", 0.45, "label")]),
    ("Global Centre for the Responsibility to Protect", "org", [("Q900000040", 0.9, "label")]),  # subclass-of
    ("The Stanley Foundation", "org", [("Q900000050", 0.7, "alias")]),   # alias, leading "The" dropped
    ("Gaborone", "city", [("Q900000060", 0.9, "label")]),
    ("Gaborone", "person", []),
    ("No Such Organization", "org", []),
])
def test_candidates(endpoint, tmp_path, name, kind, expected):
    found = linking.candidates(_client(endpoint, tmp_path), name, kind)
    assert [(c.qid, c.confidence, c.matched) for c in found] == expected


def test_candidates_carry_label_and_description(endpoint, tmp_path):
    (c,) = linking.candidates(_client(endpoint, tmp_path), "Ghana", "state")
    assert (c.label, c.description) == ("Ghana", "country in West Africa")
    assert c.iri == "http://www.wikidata.org/entity/Q117"


def test_answers_are_cached_on_disk(endpoint, tmp_path):
    client = _client(endpoint, tmp_path)
    first = linking.candidates(client, "Ghana", "state")
    assert client.requests == 1 and len(list((tmp_path / "cache").glob("*.json"))) == 1
    again = linking.candidates(_client(endpoint, tmp_path), "Ghana", "state")
    assert again == first
    second_client = _client(endpoint, tmp_path)
    linking.candidates(second_client, "Ghana", "state")
    assert second_client.requests == 0


def test_requests_are_spaced(endpoint, tmp_path):
    slept = []
    client = _client(endpoint, tmp_path, min_interval=5.0, sleep=slept.append)
    linking.candidates(client, "Ghana", "state")
    linking.candidates(client, "Gaborone", "city")
    assert client.requests == 2
    assert len(slept) == 1 and 4.0 < slept[0] <= 5.0


# --- link() -------------------------------------------------------------------------------------------

def test_link_writes_what_a_person_accepts(endpoint, tables, tmp_path):
    seen = {}

    def accept(entity, name, found):
        seen[entity] = (name, [c.qid for c in found])
        return found[-1] if entity != GABORONE else None      # Karen Smith: the second; Gaborone: skip

    before = _snapshot(tables)
    result = linking.link(LABELS, endpoint=endpoint, accept=accept, cache_dir=tmp_path / "cache",
                          external_dir=tables, min_interval=0, backoff=0)
    # asked only about the unlinked ones (France has an id); nothing is shown when nothing was found
    assert FRANCE not in seen and NOBODY not in seen
    assert set(result.asked) == set(LABELS) - {FRANCE}
    assert seen[STANLEY] == ("The Stanley Foundation", ["Q900000050"])
    assert result.accepted == {GHANA: "Q117", WELSH: "Q900000020", SMITH: "Q900000031",
                               GCR2P: "Q900000040", STANLEY: "Q900000050", JANE: "Q900000070"}
    assert set(result.skipped) == {GABORONE, NOBODY}
    assert sorted(p.name for p in result.changed_files) == [ex.ENTITIES_FILE, ex.STATES_FILE]

    data = ex.load(tables)
    assert data.states["GHA"].wikidata == "Q117"
    assert data.wikidata(WELSH) == "Q900000020" and data.wikidata(JANE) == "Q900000070"
    assert data.wikidata(GABORONE) == ""
    rows = {(r["kind"], r["slug"]): r for r in ex.read_rows(tables / ex.ENTITIES_FILE)}
    assert rows[("person", "jane-fixture")]["name"] == "Jane Fixture"
    assert "accepted with r2pkg link" in rows[("person", "jennifer-welsh")]["note"]
    # every other line of the files is as it was
    for name in (ex.STATES_FILE, ex.ENTITIES_FILE):
        old = before[name].decode().splitlines()
        new = (tables / name).read_text().splitlines()
        changed = [line for line in new if line not in old]
        assert all(("Q117" in l or "Q9000000" in l) for l in changed), changed
        assert len([line for line in old if line not in new]) == len(changed) - (name == ex.ENTITIES_FILE)
    assert _snapshot(tables)[ex.STATES_GENERATED_FILE] == before[ex.STATES_GENERATED_FILE]


def test_link_with_nothing_accepted_changes_nothing(endpoint, tables, tmp_path):
    before = _snapshot(tables)
    result = linking.link(LABELS, endpoint=endpoint, accept=lambda e, n, f: None,
                          cache_dir=tmp_path / "cache", external_dir=tables, min_interval=0, backoff=0)
    assert result.accepted == {} and result.changed_files == []
    assert _snapshot(tables) == before


def test_prompt(endpoint, tmp_path):
    found = linking.candidates(_client(endpoint, tmp_path), "Karen Smith", "person")
    out = io.StringIO()
    accept = linking.prompt_accept(stdin=io.StringIO("7\n2\n"), stdout=out)
    assert accept(SMITH, "Karen Smith", found).qid == "Q900000031"
    assert "Q900000030" in out.getvalue() and "0.45" in out.getvalue() and "an athlete" in out.getvalue()
    assert "type 1 to 2" in out.getvalue()
    stop = linking.prompt_accept(stdin=io.StringIO("q\n"), stdout=io.StringIO())
    assert stop(SMITH, "Karen Smith", found) is None and stop(SMITH, "Karen Smith", found) is None


# --- the command --------------------------------------------------------------------------------------

@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A built graph naming the entities of LABELS."""
    root = tmp_path / "data"
    classes = {"state": R2P.State, "org": R2P.Organization, "person": R2P.Person, "city": R2P.City}
    triples = []
    for entity, label in LABELS.items():
        kind = str(entity).split("/id/", 1)[1].split("/", 1)[0]
        triples += [(entity, RDF.type, classes[kind]), (entity, RDFS.label, Literal(label, lang="en"))]
    with stores.new_build(root) as paths:
        stores.write_store(paths.store, lambda store: stores.add_triples(
            store, "https://w3id.org/r2pkg/graph/document/test", triples))
    return root


def test_main_yes_accepts_only_confident_candidates(endpoint, tables, data_dir, tmp_path, capsys):
    code = linking.main(["--endpoint", endpoint, "--yes", "--data-dir", str(data_dir),
                         "--external-dir", str(tables), "--cache-dir", str(tmp_path / "cache"),
                         "--min-interval", "0", "--backoff", "0"])
    out = capsys.readouterr().out
    assert code == 0, out
    data = ex.load(tables)
    assert data.states["GHA"].wikidata == "Q117"
    assert data.wikidata(WELSH) == "Q900000020"
    assert data.wikidata(GCR2P) == "Q900000040" and data.wikidata(GABORONE) == "Q900000060"
    assert data.wikidata(SMITH) == ""           # two candidates at 0.45
    assert data.wikidata(STANLEY) == ""         # an alias only: 0.7
    assert "accepted 5" in out and "wd:Q117" in out


def test_main_offline_says_so_and_changes_nothing(tables, data_dir, tmp_path, capsys):
    closed = f"http://127.0.0.1:{free_port()}/query"
    before = _snapshot(tables)
    code = linking.main(["--endpoint", closed, "--yes", "--data-dir", str(data_dir),
                         "--external-dir", str(tables), "--cache-dir", str(tmp_path / "cache"),
                         "--min-interval", "0", "--backoff", "0", "--retries", "1"])
    err = capsys.readouterr().err
    assert code == 2
    assert "offline" in err and "cannot reach" in err and closed in err and "Nothing was changed" in err
    assert _snapshot(tables) == before
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())


def test_link_offline_raises_after_the_retries(tables, tmp_path):
    closed = f"http://127.0.0.1:{free_port()}/query"
    client = linking.WikidataClient(closed, cache_dir=tmp_path / "cache", min_interval=0, backoff=0, retries=2)
    with pytest.raises(linking.EndpointUnavailable, match="after 3 tries"):
        linking.link({GHANA: "Ghana"}, client=client, accept=linking.auto_accept(), external_dir=tables)
    assert client.requests == 3


def test_main_without_a_graph(tmp_path, capsys):
    assert linking.main(["--data-dir", str(tmp_path / "nothing"), "--endpoint", "http://127.0.0.1:9/query"]) == 1
    assert "r2pkg build" in capsys.readouterr().err


# --- politeness against a loopback HTTP server that says "slow down" ----------------------------------------

class _Busy(http.server.BaseHTTPRequestHandler):
    answers: list[int] = []
    agents: list[str] = []

    def do_GET(self):  # noqa: N802
        type(self).agents.append(self.headers.get("User-Agent", ""))
        status = type(self).answers.pop(0) if type(self).answers else 200
        if status != 200:
            self.send_response(status)
            self.send_header("Retry-After", "0")
            self.end_headers()
            return
        body = json.dumps({"head": {"vars": ["item"]}, "results": {"bindings": []}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def busy_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Busy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Busy.answers, _Busy.agents = [], []
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


def test_retries_after_429_and_503_with_our_user_agent(busy_server, tmp_path):
    _Busy.answers = [429, 503]
    slept = []
    client = linking.WikidataClient(busy_server, cache_dir=None, min_interval=0, backoff=1.0, sleep=slept.append)
    assert client.select("SELECT ?item WHERE { ?item ?p ?o }") == []
    assert client.requests == 3
    assert slept == [0.0, 0.0]                 # Retry-After: 0 wins over the back-off
    assert all(a == linking.USER_AGENT for a in _Busy.agents) and "r2pkg" in linking.USER_AGENT


def test_gives_up_after_the_retries(busy_server):
    _Busy.answers = [503, 503, 503]
    client = linking.WikidataClient(busy_server, min_interval=0, backoff=0, retries=2)
    with pytest.raises(linking.EndpointUnavailable):
        client.select("SELECT ?item WHERE { ?item ?p ?o }")
    assert client.requests == 3
