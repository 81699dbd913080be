"""`r2pkg add FILE...` and `r2pkg remove SLUG`: the served graph changed without reading the other documents
again, published as a build is, and equal to a full build of the same documents."""
from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from pdfs import Layout, write_pdf
from r2pkg.graph import build as builds, dumps, incremental
from r2pkg.graph.build import build
from r2pkg.graph.buildparts import write_dumps
from r2pkg.graph.cli import main
from r2pkg.graph.resources import CORPUS_DIR
from r2pkg.graph.store import current_build

KEPT = ["2012-2nd-annual-meeting.txt", "2015-5th-annual-meeting-madrid.txt"]
ADDED = "2019-9th-annual-meeting-brussels.txt"


def _facts_of(name: str) -> int:
    """The distinct facts a bundled summary gives, as `add` counts them (they change as the loaders read more)."""
    from r2pkg.graph.evidence import fact_triples
    from r2pkg.loaders import load_document

    return len(list(fact_triples(load_document(CORPUS_DIR / name))))


# Made-up material for the added PDF.
HARBOUR = """Summary of the First Harbour Dialogue on Atrocity Prevention

The Government of Portugal hosted the first Harbour Dialogue in Lisbon, Portugal on 3 and 4 April 2024. \
Representatives of Angola and Mozambique took part in the dialogue.

Participants asked how port authorities can notice the movement of arms that precede mass atrocities.
"""


def _corpus(folder: Path, names: list[str], pdf: bool) -> Path:
    """A corpus folder: some bundled summaries with their manifest entries, and the made-up PDF if asked."""
    folder.mkdir(parents=True)
    entries = [e for e in json.loads((CORPUS_DIR / "manifest.json").read_text())["documents"] if e["file"] in names]
    for name in names:
        shutil.copy(CORPUS_DIR / name, folder / name)
    if pdf:
        write_pdf(folder / "harbour-dialogue-2024.pdf", HARBOUR, Layout(lines_per_column=6))
        entries.append({"file": "harbour-dialogue-2024.pdf"})
    (folder / "manifest.json").write_text(json.dumps({"documents": entries}), encoding="utf-8")
    return folder


def _quads(data_dir: Path) -> Counter:
    """The served store's quads as text, blank nodes (the ontology's) named alike."""
    store = ox.Store.read_only(str(current_build(data_dir).store))
    return Counter(re.sub(r"_:\w+", "_:b", str(q)) for q in store)


@pytest.fixture(scope="module")
def full(tmp_path_factory) -> tuple[Path, Path]:
    """A full build of every document: the folder and the data directory."""
    root = tmp_path_factory.mktemp("full")
    folder = _corpus(root / "corpus", KEPT + [ADDED], pdf=True)
    build([folder], root / "data")
    return folder, root / "data"


def test_adding_documents_makes_the_graph_a_full_build_makes(tmp_path, full, monkeypatch):
    folder, full_data = full
    part = _corpus(tmp_path / "corpus", KEPT, pdf=False)
    data = tmp_path / "data"
    build([part], data)
    read: list[str] = []
    real_load_all = builds._load_all
    monkeypatch.setattr(builds, "_load_all", lambda sources, *a: read.extend(s.path.name for s in sources)
                        or real_load_all(sources, *a))
    monkeypatch.setattr(builds, "kept_documents", lambda *a: pytest.fail("an add re-derived every document"))
    report, added = builds.add([folder / ADDED, folder / "harbour-dialogue-2024.pdf"], data)
    assert read == [ADDED, "harbour-dialogue-2024.pdf"]            # the kept documents were not read again
    assert _quads(data) == _quads(full_data)
    assert sorted(d["slug"] for d in report.documents) == sorted(d.stem for d in folder.iterdir()
                                                                  if d.suffix in (".txt", ".pdf"))
    assert added[0].startswith(f"2019-9th-annual-meeting-brussels added: {_facts_of(ADDED)} facts")
    assert re.search(r"harbour-dialogue-2024 added: \d+ facts, \d+ not stated by another document; \d+ entities "
                     r"new to the graph \(.*State", added[1])
    originals = sorted(p.name for p in current_build(data).originals.iterdir())
    assert originals == sorted(p.name for p in folder.iterdir() if p.suffix in (".txt", ".pdf"))
    expected = json.loads(current_build(full_data).report.read_text())
    for figure in ("entities_per_class", "asserted_triples", "evidence_triples", "reference_triples",
                   "external_triples", "inferred_triples", "total_quads", "unlinked_entities", "shacl", "consistency"):
        assert report.to_json() and getattr(report, figure) == expected[figure], figure


def test_the_dumps_of_a_build_replaced_before_they_were_written_are_not_written(tmp_path, make_fixture_build):
    """Quick changes in a row each start a dumps writer: one whose build is no longer served stops, and the
    served build's writer writes them all."""
    data = make_fixture_build(tmp_path / "data")
    replaced = data / "builds" / "x"
    shutil.rmtree(replaced / "dumps")
    served = data / "builds" / "y"
    served.mkdir()
    shutil.copytree(replaced / "store", served / "store")
    (data / "current").unlink()
    (data / "current").symlink_to("builds/y")

    incremental.write_dumps_now(replaced)
    incremental.write_dumps_now(served)

    assert not (replaced / "dumps").exists() and not (replaced / ".dumps-partial").exists()
    assert [d.name for d in dumps.listed(served / "dumps")] == \
        ["graph.jsonld", "graph.nq", "graph.nt", "graph.trig", "graph.ttl"]


def _statements(quads) -> tuple[set[str], int, int]:
    """The statements as the store holds them (a literal of a type derived from xsd:integer as an xsd:integer):
    those without a blank node as text, how many have one (each writer names them anew), and how many were given
    (a statement given twice counts twice there, and once in the first two)."""
    given = list(quads)
    held = ox.Store()
    held.extend(given)
    blank = [q for q in held if any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object, q.graph_name))]
    return {str(q) for q in held} - {str(q) for q in blank}, len(blank), len(given)


def _assert_dumps_hold_the_store(store_path: Path, folder: Path) -> None:
    """TriG, N-Quads and JSON-LD hold the store's named graphs, Turtle and N-Triples its default graph (the
    merge), each statement once."""
    store = ox.Store.read_only(str(store_path))
    named = _statements(q for q in store if not isinstance(q.graph_name, ox.DefaultGraph))
    merged = _statements(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    for name, format in dumps.FORMATS.items():
        expected = named if format in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS, ox.RdfFormat.JSON_LD) else merged
        assert _statements(dumps.parsed(folder, name)) == expected, name


def test_dumps_written_from_the_store_hold_its_statements(tmp_path, built_data_dir):
    """`review apply` and an `add` that cannot continue the earlier dumps write them from the store."""
    assert write_dumps(current_build(built_data_dir).store, tmp_path)
    _assert_dumps_hold_the_store(current_build(built_data_dir).store, tmp_path)


def test_dumps_continued_from_an_earlier_builds_hold_the_changed_store(tmp_path, built_data_dir):
    """An `add`'s dumps continue the earlier build's: a graph a statement left is read again from the store,
    the others copied, the statements that left the merge taken out of the N-Triples, the new statements added
    at the end of both."""
    from r2pkg.graph.buildparts import DumpsBefore
    from r2pkg.graph.vocab import INFERRED_GRAPH

    earlier = current_build(built_data_dir)
    ox.Store.read_only(str(earlier.store)).backup(str(tmp_path / "store"))
    store = ox.Store(str(tmp_path / "store"))
    inferred = ox.NamedNode(str(INFERRED_GRAPH))
    gone = next(store.quads_for_pattern(None, None, None, inferred))
    store.remove(gone)                                    # left graph/inferred, still in the merge
    # left the merge: a sentence's offset
    start = ox.NamedNode("http://www.w3.org/ns/oa#start")
    offset = next(store.quads_for_pattern(None, start, None, ox.DefaultGraph()))
    for quad in list(store.quads_for_pattern(offset.subject, offset.predicate, offset.object)):
        store.remove(quad)
    new = ox.Quad(ox.NamedNode("https://w3id.org/r2pkg/id/state/atlantis"),
                  ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("Atlantis", language="en"),
                  ox.NamedNode("https://w3id.org/r2pkg/graph/document/x"))
    store.add(new)
    store.add(ox.Quad(new.subject, new.predicate, new.object))
    store.flush()
    del store
    ox.serialize([new], tmp_path / "added.nq", ox.RdfFormat.N_QUADS)
    ox.serialize([new.triple], tmp_path / "added.nt", ox.RdfFormat.N_TRIPLES)
    ox.serialize([offset.triple], tmp_path / "removed.nt", ox.RdfFormat.N_TRIPLES)
    stating = ox.Store.read_only(str(earlier.store)).quads_for_pattern(offset.subject, offset.predicate, offset.object)
    rewritten = [inferred] + sorted({q.graph_name for q in stating if not isinstance(q.graph_name, ox.DefaultGraph)},
                                    key=str)
    before = DumpsBefore(earlier.dumps, rewritten, tmp_path / "added.nq", tmp_path / "added.nt",
                         tmp_path / "removed.nt")

    assert write_dumps(tmp_path / "store", tmp_path / "dumps", before=before)
    _assert_dumps_hold_the_store(tmp_path / "store", tmp_path / "dumps")


def test_an_added_document_is_in_the_dumps_written_after_publishing(tmp_path, full):
    folder, _full_data = full
    data = tmp_path / "data"
    build([_corpus(tmp_path / "corpus", KEPT, pdf=False)], data)
    builds.add([folder / ADDED], data)
    codes = incremental.wait_for_dumps(timeout=120)
    assert codes and set(codes) == {0}
    added = current_build(data)
    folder = added.dumps
    # The earlier build's dumps continued: the graphs a statement left (here the external links' graph) written
    # again from the store, the new statements added at the end.
    assert "continued from" in (added.root / "dumps.log").read_text(encoding="utf-8")
    _assert_dumps_hold_the_store(added.store, folder)
    assert any("9th-annual-meeting-brussels" in q.graph_name.value for q in dumps.parsed(folder, "graph.nq"))
    assert not (added.incremental / incremental.DUMPS_CHANGE).exists()
    assert sorted(p.name for p in folder.iterdir()) == \
        sorted(f"{name}.gz" for name in dumps.FORMATS) + [dumps.SIZES]


def test_adding_a_document_again_replaces_it_and_the_graph_stays_a_full_builds(tmp_path, full):
    folder, full_data = full
    data = tmp_path / "data"
    shutil.copytree(full_data, data, symlinks=True)
    report, added = builds.add([folder / ADDED], data)
    assert added[0].startswith(f"2019-9th-annual-meeting-brussels replaced: {_facts_of(ADDED)} facts")
    assert _quads(data) == _quads(full_data)


def test_removing_a_document_makes_the_graph_a_full_build_of_the_others_makes(tmp_path, full):
    folder, full_data = full
    data = tmp_path / "data"
    shutil.copytree(full_data, data, symlinks=True)
    builds.remove("harbour-dialogue-2024", data)
    builds.remove("2019-9th-annual-meeting-brussels", data)
    expected = tmp_path / "expected"
    build([_corpus(tmp_path / "corpus", KEPT, pdf=False)], expected)
    assert _quads(data) == _quads(expected)


def test_the_command_prints_what_the_documents_added_and_refuses_a_bad_file_in_one_line(tmp_path, full, capsys):
    folder, _full_data = full
    data = tmp_path / "data"
    build([_corpus(tmp_path / "corpus", KEPT, pdf=False)], data)
    before = current_build(data).root
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert main(["add", str(tmp_path / "scan.pdf"), "--data-dir", str(data), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "scan.pdf" in err and "served graph is unchanged" in err
    assert current_build(data).root == before

    assert main(["add", str(folder / ADDED), str(tmp_path / "scan.pdf"), "--data-dir", str(data), "--quiet"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith(f"2019-9th-annual-meeting-brussels added: {_facts_of(ADDED)} facts")
    assert "scan.pdf" in out.err and "1 file(s) refused" in out.err
    assert current_build(data).root != before


def test_removing_an_unknown_document_changes_nothing(tmp_path, full, capsys):
    _folder, full_data = full
    data = tmp_path / "data"
    shutil.copytree(full_data, data, symlinks=True)
    before = current_build(data).root
    assert main(["remove", "2099-annual-meeting", "--data-dir", str(data), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no document '2099-annual-meeting'" in err
    assert current_build(data).root == before


def test_adding_to_a_data_directory_without_a_build_says_to_build_first(tmp_path, capsys):
    assert main(["add", str(CORPUS_DIR / ADDED), "--data-dir", str(tmp_path / "empty"), "--quiet"]) == 1
    assert "r2pkg build" in capsys.readouterr().err
