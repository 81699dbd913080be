"""`r2pkg build`: the whole pipeline on the bundled corpus and on bad input."""
from __future__ import annotations

import json
import shutil

import pyoxigraph as ox
import pytest

from r2pkg.graph import dumps, store as stores
from r2pkg.graph.build import BuildError, build
from r2pkg.graph.resources import CORPUS_DIR
from r2pkg.graph.vocab import INFERRED_GRAPH


def _graphs(data_dir) -> set[str]:
    return {g.value for g in stores.open_store(data_dir).named_graphs()}


def test_the_bundled_corpus_builds_into_one_graph_per_document(built_data_dir):
    graphs = _graphs(built_data_dir)
    manifest = json.loads((CORPUS_DIR / "manifest.json").read_text())
    for entry in manifest["documents"]:
        slug = entry["file"].removesuffix(".txt")
        assert f"https://w3id.org/r2pkg/graph/document/{slug}" in graphs
        assert f"https://w3id.org/r2pkg/graph/evidence/{slug}" in graphs
    assert str(INFERRED_GRAPH.value if hasattr(INFERRED_GRAPH, "value") else INFERRED_GRAPH) in graphs


def test_the_report_counts_documents_entities_triples_and_stages(built_report):
    report = built_report
    assert len(report.documents) == 4 and not report.errors
    assert report.entities_per_class["AnnualMeeting"] >= 4
    assert report.entities_per_class["State"] >= 20
    assert report.entities_per_class["Person"] >= 15
    assert report.asserted_triples > 500 and report.inferred_triples > 100
    assert report.shacl["conforms"], report.shacl["messages"][:10]
    assert set(report.seconds_per_stage) >= {"load", "facts", "inference", "shacl", "store", "dumps"}
    text = report.render()
    for needle in ("Documents loaded: 4", "Asserted triples", "Inferred triples", "SHACL: conforms", "Total:"):
        assert needle in text


def test_every_asserted_fact_has_evidence_in_the_store(built_data_dir):
    store = stores.open_store(built_data_dir)
    missing = store.query("""
        SELECT ?g ?s ?p ?o WHERE {
          GRAPH ?g { ?s ?p ?o }
          FILTER(STRSTARTS(STR(?g), "https://w3id.org/r2pkg/graph/document/"))
          FILTER NOT EXISTS {
            GRAPH ?e { ?ev <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s ;
                           <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?p ;
                           <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o }
          }
        } LIMIT 5""")
    assert list(missing) == []


def test_evidence_sentences_are_substrings_of_the_documents(built_data_dir):
    store = stores.open_store(built_data_dir)
    rows = store.query("""
        PREFIX oa: <http://www.w3.org/ns/oa#>
        PREFIX r2p: <https://w3id.org/r2pkg/ontology#>
        SELECT ?exact ?start ?end ?text WHERE {
          ?sentence a r2p:Sentence ; oa:exact ?exact ; oa:start ?start ; oa:end ?end ; oa:hasSource ?doc .
          ?doc r2p:text ?text .
        }""", use_default_graph_as_union=True)
    checked = 0
    for row in rows:
        start, end = int(row["start"].value), int(row["end"].value)
        assert row["text"].value[start:end] == row["exact"].value
        checked += 1
    assert checked > 100


def test_dumps_are_written_in_every_format(built_data_dir):
    folder = stores.current_build(built_data_dir).dumps
    listed = {d.name: d for d in dumps.listed(folder)}
    for name, fmt in [("graph.trig", ox.RdfFormat.TRIG), ("graph.ttl", ox.RdfFormat.TURTLE),
                      ("graph.nt", ox.RdfFormat.N_TRIPLES), ("graph.jsonld", ox.RdfFormat.JSON_LD),
                      ("graph.nq", ox.RdfFormat.N_QUADS)]:
        with listed[name].open() as source:
            text = source.read()
        assert len(text) == listed[name].size, name
        assert len(list(ox.parse(text, format=fmt))) > 1000, name


def _written_out(quads) -> set[str]:
    """Statements as text, literal for literal; those with a blank node left out (each writer names them anew)."""
    return {str(q) for q in quads if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))}


def test_the_dumps_say_what_the_store_answers_literal_for_literal(built_data_dir):
    """A client that reads the dumps and one that queries the endpoint get the same literals: offsets as the
    xsd:integer the store keeps for every type derived from it, coordinates as canonical decimals."""
    build_ = stores.current_build(built_data_dir)
    store = ox.Store.read_only(str(build_.store))
    named = _written_out(q for q in store if not isinstance(q.graph_name, ox.DefaultGraph))
    merged = _written_out(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    assert _written_out(dumps.parsed(build_.dumps, "graph.nq")) == named
    assert _written_out(dumps.parsed(build_.dumps, "graph.nt")) == merged


def test_a_build_keeps_its_dumps_gzipped_only(built_data_dir):
    """The plain files were most of a build's disk; every client gets them from the gzipped ones."""
    folder = stores.current_build(built_data_dir).dumps
    assert sorted(p.name for p in folder.iterdir()) == sorted([*(f"{name}.gz" for name in dumps.FORMATS), dumps.SIZES])
    assert not (folder.parent / "dumps-gz").exists()


def test_iris_are_stable_across_builds(tmp_path, built_data_dir):
    build([CORPUS_DIR], tmp_path)
    def subjects(d):
        return {q.subject.value for q in stores.open_store(d) if isinstance(q.subject, ox.NamedNode)}
    assert subjects(tmp_path) == subjects(built_data_dir)


def test_a_bad_document_is_refused_by_name_and_the_others_still_load(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS_DIR / "2017-7th-annual-meeting-doha.txt", corpus)
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.txt").write_bytes(bytes(range(256)) * 8)
    report = build([corpus], tmp_path / "data")
    assert [d["slug"] for d in report.documents] == ["2017-7th-annual-meeting-doha"]
    assert len(report.errors) == 2
    assert any("empty.txt" in e for e in report.errors)
    assert any("binary.txt" in e for e in report.errors)
    assert all("\n" not in e for e in report.errors)


def test_a_build_that_fails_leaves_the_served_graph_untouched(tmp_path, built_data_dir):
    data = tmp_path / "data"
    build([CORPUS_DIR], data)
    before = stores.current_build(data).root
    empty = tmp_path / "empty-corpus"
    empty.mkdir()
    with pytest.raises(BuildError, match="no document"):
        build([empty], data)
    assert stores.current_build(data).root == before
    assert len(stores.open_store(data)) > 1000


def test_a_missing_corpus_folder_is_named(tmp_path):
    with pytest.raises(BuildError, match="does-not-exist"):
        build([tmp_path / "does-not-exist"], tmp_path / "data")


def test_the_default_graph_is_the_merge_of_all_graphs(built_data_dir):
    """A fact stated in several documents answers once; GRAPH ?g still tells where it was stated."""
    from r2pkg.graph.sparql import run_query

    query = """SELECT ?label WHERE { <https://w3id.org/r2pkg/id/state/denmark>
                 <http://www.w3.org/2004/02/skos/core#prefLabel> ?label }"""
    assert [r["label"].value for r in run_query(built_data_dir, query).rows] == ["Denmark"]
    graphs = run_query(built_data_dir, query.replace("WHERE {", "WHERE { GRAPH ?g {") + " }").rows
    assert len(graphs) > 1


def test_the_default_graph_holds_each_statement_of_the_named_graphs_once(built_data_dir, built_report):
    """The merge is written partly with the named graphs and partly after them: it is complete, and the
    report's quads are the named graphs' as the store counts them."""
    store = stores.open_store(built_data_dir)
    named, default, named_quads = set(), [], 0
    for quad in store:
        statement = (quad.subject, quad.predicate, quad.object)
        if isinstance(quad.graph_name, ox.DefaultGraph):
            default.append(statement)
        else:
            named.add(statement)
            named_quads += 1
    assert built_report.total_quads == named_quads

    def without_blank_nodes(statements) -> set:    # each load names its blank nodes anew
        return {s for s in statements if not any(isinstance(t, ox.BlankNode) for t in s)}
    assert len(default) == len(set(default)) == len(named)
    assert without_blank_nodes(default) == without_blank_nodes(named)


def test_a_statement_that_an_evidence_graph_and_another_graph_both_state_is_merged_once(tmp_path):
    """A reviewer's curated evidence quotes a document's sentence: the sentence's statements are in the
    document's evidence graph and in the curated graph, and once in the merged default graph."""
    from rdflib import URIRef

    from r2pkg.graph.build import _GraphWriter
    from r2pkg.graph.vocab import EVIDENCE_GRAPH_PREFIX, GRAPH

    sentence = '<https://w3id.org/r2pkg/id/document/a#char=0,9> <http://www.w3.org/ns/oa#exact> "Some text"'
    fact = '<https://w3id.org/r2pkg/id/state/x> <http://www.w3.org/2000/01/rdf-schema#label> "X"'
    evidence = '<https://w3id.org/r2pkg/id/document/a/evidence/1> <http://www.w3.org/ns/oa#hasTarget> ' \
               '<https://w3id.org/r2pkg/id/document/a#char=0,9>'
    curated = {URIRef(f"{GRAPH}curated"): [sentence, fact]}
    with _GraphWriter(tmp_path, [curated], tmp_path / "rest.nt") as writer:
        writer.write({URIRef(f"{EVIDENCE_GRAPH_PREFIX}a"): [sentence, evidence]})
        writer.write(curated)
        writer.finish()
    merged = dumps.reading(tmp_path, "graph.nt").read().decode().splitlines()
    assert sorted(merged) == sorted(f"{line} ." for line in (sentence, fact, evidence))


UNSUPPORTED = ('<https://w3id.org/r2pkg/id/state/nowhere-in-particular> <http://www.w3.org/2000/01/rdf-schema#comment> '
               '"a statement no sentence of ours supports"')


def _build_with_a_statement_apart(tmp_path, monkeypatch, *, evidence_elsewhere: bool):
    """The bundled corpus built a document per part (graph/build.py writes and pre-checks the store in parts),
    the first document's evidence graph also stating UNSUPPORTED, and, when `evidence_elsewhere`, the last
    one's holding an r2p:Evidence that names it: the fact and its evidence in different parts."""
    from r2pkg.graph import build as builds

    entries = json.loads((CORPUS_DIR / "manifest.json").read_text())["documents"]
    first, last = (entries[i]["file"].removesuffix(".txt") for i in (0, -1))
    made = builds.evidence_ntriples

    def evidence(doc) -> list[str]:
        lines = made(doc)
        if doc.slug == first:
            lines.append(UNSUPPORTED)
        if doc.slug == last and evidence_elsewhere:
            lines += _evidence_of(UNSUPPORTED, lines, f"<https://w3id.org/r2pkg/id/document/{last}#made-up-evidence>")
        return lines

    monkeypatch.setattr(builds, "evidence_ntriples", evidence)
    monkeypatch.setattr(builds, "BATCH_STATEMENTS", 1)
    return build([CORPUS_DIR], tmp_path / "data")


def _evidence_of(statement: str, lines: list[str], node: str) -> list[str]:
    """An r2p:Evidence naming the statement, from one of the document's sentences by one of its rules."""
    rdf, r2p = "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "https://w3id.org/r2pkg/ontology#"
    sentence = next(line.split(" ", 1)[0] for line in lines if line.endswith(f"<{rdf}type> <{r2p}Sentence>"))
    rule = next(line.split(" ", 2)[2] for line in lines if f" <{r2p}extractedBy> " in line)
    s, p, o = statement.split(" ", 2)
    return [f"{node} <{rdf}type> <{r2p}Evidence>", f"{node} <{rdf}subject> {s}", f"{node} <{rdf}predicate> {p}",
            f"{node} <{rdf}object> {o}", f"{node} <{r2p}sentence> {sentence}", f"{node} <{r2p}extractedBy> {rule}"]


def test_a_fact_whose_evidence_another_part_holds_has_evidence(tmp_path, monkeypatch):
    report = _build_with_a_statement_apart(tmp_path, monkeypatch, evidence_elsewhere=True)
    assert report.shacl["conforms"] and report.shacl["messages"] == []


def test_a_fact_without_evidence_in_any_part_is_reported(tmp_path, monkeypatch):
    report = _build_with_a_statement_apart(tmp_path, monkeypatch, evidence_elsewhere=False)
    assert not report.shacl["conforms"]
    assert report.shacl["messages"] == [
        'Violation: <https://w3id.org/r2pkg/id/state/nowhere-in-particular> rdfs:comment "a statement no sentence '
        'of ours supports": an asserted fact has no r2p:Evidence naming its subject, predicate and object']


def test_a_file_loaded_in_parts_keeps_each_blank_node_one_node(tmp_path, monkeypatch):
    """Parts of a few statements: the two statements about `_:list` are far apart, yet name one node."""
    from r2pkg.graph import build as builds

    lines = ['_:list <http://example.org/first> <http://example.org/a> .\n',
             *(f'<http://example.org/s{n}> <http://example.org/p> "{n}" .\n' for n in range(200)),
             '_:list <http://example.org/rest> <http://www.w3.org/1999/02/22-rdf-syntax-ns#nil> .\n',
             '<http://example.org/last> <http://example.org/p> "without its line end" .']
    path = tmp_path / "part.nt"
    path.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setattr(builds, "PART_BYTES", 256)
    store = ox.Store()
    with open(path, "rb") as source:
        builds._bulk_load_in_parts(store, source, ox.RdfFormat.N_TRIPLES, lenient=False)
    assert len(store) == 203
    assert len({q.subject for q in store if isinstance(q.subject, ox.BlankNode)}) == 1
