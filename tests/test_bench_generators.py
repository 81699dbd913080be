"""The benchmark's generators (bench/corpus.py, bench/graphgen.py): reproducible, and shaped like the real thing.

Fast and without timing: the benchmark itself is `make bench`, never part of `make test`.
"""
from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest

from bench import corpus, graphgen
from bench.gazetteers import load

R2P = "https://w3id.org/r2pkg/ontology#"
GRAPH = "https://w3id.org/r2pkg/graph/"


@pytest.fixture(scope="module")
def summaries(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus")
    paths = corpus.generate(3, out, seed=7)
    return out, paths


def test_corpus_is_reproducible(summaries, tmp_path):
    out, paths = summaries
    again = corpus.generate(3, tmp_path, seed=7)
    assert [p.name for p in again] == [p.name for p in paths]
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in paths]
    other = corpus.generate(3, tmp_path / "other", seed=8)
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in paths]


def test_corpus_manifest_lists_every_summary(summaries):
    out, paths = summaries
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [d["file"] for d in manifest["documents"]] == [p.name for p in paths]
    assert [d["meeting"] for d in manifest["documents"]] == [1, 2, 3]
    assert all(d["year"] and d["title"] and d["publisher"] for d in manifest["documents"])


def test_summary_has_the_genre(summaries):
    _, paths = summaries
    text = paths[1].read_text(encoding="utf-8")
    assert "GLOBAL CENTRE FOR THE RESPONSIBILITY TO PROTECT" in text          # banner
    assert "Ralph Bunche Institute" in text and "www.globalr2p.org" in text   # address block
    assert re.search(r"^Second Annual Meeting of the Global Network of R2P Focal Points, .+, \w+ \d{4}$", text, re.M)
    assert "co-hosted the second annual meeting" in text
    assert re.search(r"representatives of (more than )?\d+ countries", text)
    assert re.search(r"\d+ national and \d+ regional R2P Focal Points", text)
    assert "UN Special Adviser on the Responsibility to Protect, " in text
    assert re.search(r"^The R2P Focal Point is the .+ at the .+ of .+\.", text, re.M)
    assert "Participants discussed the situations in " in text
    assert re.search(r"^1\. .+\n2\. .+\n3\. .+\n4\. .+\n5\. ", text, re.M)


def test_summary_names_entities_of_the_gazetteers(summaries):
    _, paths = summaries
    names = load()
    text = " ".join(p.read_text(encoding="utf-8") for p in paths)
    assert sum(s.name in text for s in names.states) >= 15
    assert any(m[1] in text for m in names.mechanisms)
    assert any(o.name in text for o in names.organizations if o.cls == "RegionalOrganization")
    assert any(h in text for h in ("Mr.", "Ms.", "Mrs.", "Dr.", "Ambassador", "Prof."))


def test_ordinal_words():
    names = load()
    assert [corpus.ordinal_word(n, names) for n in (1, 9, 12, 20, 23, 101, 112, 123)] == [
        "first", "ninth", "twelfth", "twentieth", "twenty-third", "101st", "112th", "123rd"]


@pytest.fixture(scope="module")
def small_graph(tmp_path_factory):
    folder = tmp_path_factory.mktemp("graph")
    counts = graphgen.generate(4000, folder / "g.nq", seed=3)
    return folder / "g.nq", counts


def test_graph_is_reproducible(small_graph, tmp_path):
    path, counts = small_graph
    again = graphgen.generate(4000, tmp_path / "again.nq", seed=3)
    assert (tmp_path / "again.nq").read_bytes() == path.read_bytes()
    assert again.quads == counts.quads >= 4000


def test_graph_parses_and_has_the_build_shape(small_graph):
    path, counts = small_graph
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.N_QUADS)
    graphs = {q.graph_name.value for q in store if isinstance(q.graph_name, ox.NamedNode)}
    kinds = {g[len(GRAPH):].split("/")[0] for g in graphs}
    assert {"document", "evidence", "corpus", "gazetteer", "ontology"} <= kinds

    def count(query: str) -> int:
        return int(next(iter(store.query(query, use_default_graph_as_union=True)))[0].value)

    assert count(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?e a <{R2P}Evidence> }}") == counts.facts
    assert count(f"""SELECT (COUNT(*) AS ?n) WHERE {{ ?e a <{R2P}Evidence> ; <{R2P}sentence> ?s .
                     ?s a <{R2P}Sentence> ; <http://www.w3.org/ns/oa#exact> ?x }}""") == counts.facts
    for cls in ("AnnualMeeting", "State", "FocalPointPost", "Person", "RoleAssignment", "Recommendation",
                "AtrocitySituation", "NetworkSizeObservation", "GovernmentBody"):
        assert count(f"SELECT (COUNT(*) AS ?n) WHERE {{ ?x a <{R2P}{cls}> }}") > 0, cls
    # the hubs take part in every meeting
    meetings = count(f"SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ ?m a <{R2P}AnnualMeeting> }}")
    for hub in counts.hubs:
        assert count(f"SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ ?m <{R2P}hasParticipant> <{hub}> }}") == meetings


def test_graph_has_what_a_build_adds_for_the_queries_of_issue_12(small_graph):
    """Without these the saved queries of issue 12 answer nothing on a generated graph, and their figures at 1M
    say only what an empty match costs."""
    path, counts = small_graph
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.N_QUADS)

    def count(where: str) -> int:
        query = f"PREFIX r2p: <{R2P}> SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"
        return int(next(iter(store.query(query, use_default_graph_as_union=True)))[0].value)

    # every evidence names the rule that read it, and every such rule is described
    assert count("?e a r2p:Evidence ; r2p:extractedBy ?rule") == counts.facts
    assert count("?e r2p:extractedBy ?rule FILTER NOT EXISTS { ?rule a r2p:ExtractionRule ; "
                 "<http://www.w3.org/2000/01/rdf-schema#label> ?name }") == 0
    assert count("SELECT DISTINCT ?rule WHERE { ?e r2p:extractedBy ?rule }") >= 10
    # the posts as each summary describes them, dated, with a status; and a state with none yet
    assert count("?d a r2p:PostDescription ; r2p:describesPost ?p ; r2p:describesAgent ?a ; r2p:asOf ?when ; "
                 "r2p:appointmentStatus r2p:StatusAppointed") == count("?a r2p:hasFocalPoint ?p")
    assert count("?d r2p:appointmentStatus r2p:StatusNotYetAppointed") > 0
    assert count("?x r2p:intent 'appointed'") > 0
    # practices, sentence themes (with a broader theme of the scheme), meeting statements, parties, history
    assert count("?p a r2p:Practice ; r2p:actor ?a ; r2p:practiceKind ?k . ?k <http://www.w3.org/2004/02/skos/core#notation> ?n") > 0
    assert count("?s a r2p:Sentence ; r2p:discussesTheme ?t . ?t <http://www.w3.org/2004/02/skos/core#broader> ?b") > 0
    assert count("?m r2p:distinction ?d") > 0
    assert count("?m a r2p:PlannedMeeting ; r2p:announcedAt ?earlier . ?doc r2p:announcesMeeting ?m") > 0
    assert count("?m r2p:inAssociationWith ?partner") == counts.documents
    assert count("?mechanism r2p:establishedBy ?by ; r2p:launchedOn ?when") > 0


def test_trig_holds_the_same_quads(small_graph, tmp_path):
    path, counts = small_graph
    graphgen.generate(4000, tmp_path / "g.trig", seed=3)

    def named(p, fmt):
        return {q for q in ox.parse(path=str(p), format=fmt) if not isinstance(q.subject, ox.BlankNode)
                and not isinstance(q.object, ox.BlankNode)}

    assert named(tmp_path / "g.trig", ox.RdfFormat.TRIG) == named(path, ox.RdfFormat.N_QUADS)
