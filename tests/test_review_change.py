"""`r2pkg review apply`, and `r2pkg add` with decisions, change the served build by the decisions' difference
(graph/reviewchange.py): the store and the report are those a full build with the same decisions makes."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from r2pkg.graph import build as builds, incremental, review, reviewchange
from r2pkg.graph.build import apply_review, build
from r2pkg.graph.store import current_build
from test_add_remove import _quads

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "review"
LAKESIDE = "lakeside-dialogue-2031"
ID = "https://w3id.org/r2pkg/id/"
R2P = "https://w3id.org/r2pkg/ontology#"
TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
MEETING = f"<{ID}meeting/atrocity-lakeside-prevention-dialogues-2>"
FORUM = f"<{ID}meeting/forum-in-nairobi>"
PARTICIPANT = f"<{R2P}hasParticipant>"
LIST = "Representatives of Peru, Ecuador and Kenya took part in the dialogue."
HOSTS = "The Government of Chile hosted the second Lakeside Dialogue"
# A second, made-up document: it states some of the first one's facts (Ecuador is a State) and its own.
RIVER = ("Note on the River Forum\n\nThe Government of Kenya hosted the River Forum in Nairobi, Kenya on 2 June 2032. "
         "Representatives of Peru and Ecuador took part in the forum.\n")
FIGURES = ("entities_per_class", "asserted_triples", "evidence_triples", "reference_triples",
           "external_triples", "inferred_triples", "total_quads", "unlinked_entities", "shacl", "consistency", "review")


@pytest.fixture(autouse=True)
def _dumps_written():
    """Each test's dump writers finish before the next test starts (and its folder is removed)."""
    yield
    incremental.wait_for_dumps(timeout=120)


def _corpus(folder: Path, river: bool = True) -> Path:
    shutil.copytree(FIXTURE, folder)
    if river:
        (folder / "river-note-2032.txt").write_text(RIVER, encoding="utf-8")
    return folder


def _decide(data_dir: Path, kind: str, fact: tuple, **kw) -> review.Decision:
    d = review.new_decision("ana", kind, fact=fact, evidence=kw.pop("evidence", review.Evidence(LAKESIDE, LIST)), **kw)
    review.append_decision(data_dir, d)
    return d


def _full_build(corpus: Path, data_dir: Path, target: Path) -> Path:
    """A full build of the corpus with the decisions `data_dir` has now."""
    review.review_dir(target).mkdir(parents=True)
    shutil.copy(review.decisions_path(data_dir), review.decisions_path(target))
    build([corpus], target)
    return target


def _assert_same_as_full_build(data_dir: Path, report, full: Path) -> None:
    assert _quads(data_dir) == _quads(full)
    expected = json.loads(current_build(full).report.read_text())
    for figure in FIGURES:
        assert json.loads(report.to_json())[figure] == expected[figure], figure
    assert [(d["slug"], d["facts"]) for d in report.documents] == [(d["slug"], d["facts"]) for d in expected["documents"]]
    assert json.loads(current_build(data_dir).report.read_text())["total_quads"] == expected["total_quads"]


def _first_decisions(data_dir: Path) -> tuple[review.Decision, review.Decision]:
    """A rejection of each kind, a correction, an addition and a confirmation; returns the rejection
    of Kenya's participation and the correction (withdrawn later)."""
    kenya = _decide(data_dir, "reject", (MEETING, PARTICIPANT, f"<{ID}state/kenya>"), reason="not named")
    # a type entailing superclasses (Agent, foaf:Agent, prov:Agent), some of which still follow from her participation
    _decide(data_dir, "reject", (f"<{ID}person/odalys-ferreyra-quist>", TYPE, f"<{R2P}Person>"))
    # a fact both documents state (and the gazetteer too)
    _decide(data_dir, "reject", (f"<{ID}state/ecuador>", TYPE, f"<{R2P}State>"))
    correction = _decide(data_dir, "correct", (MEETING, PARTICIPANT, f"<{ID}state/ecuador>"),
            correction={"object": f"<{ID}state/bolivia>"},
            new_entities=[review.NewEntity(f"{ID}state/bolivia", f"{R2P}State", "Bolivia")])
    _decide(data_dir, "add", (MEETING, f"<{R2P}hostedBy>", f"<{ID}state/chile>"), evidence=review.Evidence(LAKESIDE, HOSTS))
    _decide(data_dir, "confirm", (MEETING, PARTICIPANT, f"<{ID}state/peru>"))
    # a correction quoting nothing: its evidence is the sentence of the fact it corrects, read from the document
    _decide(data_dir, "correct", (f"<{ID}state/chile>", f"<{R2P}hasFocalPoint>", f"<{ID}post/focal-point-chile>"),
            evidence=None, correction={"subject": f"<{ID}state/peru>"})
    return kenya, correction


def _ask(data_dir: Path, query: str) -> bool:
    import pyoxigraph as ox

    return bool(ox.Store.read_only(str(current_build(data_dir).store)).query(f"ASK {{ {query} }}"))


def test_review_apply_by_the_change_gives_the_store_and_report_of_a_full_build(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    data = tmp_path / "data"
    build([corpus], data)

    kenya, correction = _first_decisions(data)
    report = apply_review(data)
    _assert_same_as_full_build(data, report, _full_build(corpus, data, tmp_path / "full-1"))
    assert not _ask(data, f"{MEETING} {PARTICIPANT} <{ID}state/kenya>")
    assert not _ask(data, f"GRAPH ?g {{ <{ID}state/ecuador> {TYPE} <{R2P}State> }} FILTER(STRSTARTS(STR(?g), "
                          f"\"https://w3id.org/r2pkg/graph/document/\"))")
    assert _ask(data, f"GRAPH <https://w3id.org/r2pkg/graph/inferred> {{ <{ID}person/odalys-ferreyra-quist> {TYPE} "
                      f"<{R2P}Agent> }}")                 # no longer stated as a Person, still an Agent by taking part

    for decision in (kenya, correction):
        review.append_decision(data, review.new_decision("ben", "withdraw", withdraws=decision.id, reason="it was right"))
    report = apply_review(data)
    _assert_same_as_full_build(data, report, _full_build(corpus, data, tmp_path / "full-2"))
    # the withdrawal gave the fact back to its document, with its evidence
    assert _ask(data, f"GRAPH <https://w3id.org/r2pkg/graph/document/{LAKESIDE}> {{ {MEETING} {PARTICIPANT} <{ID}state/kenya> }}")
    assert _ask(data, f"GRAPH <https://w3id.org/r2pkg/graph/evidence/{LAKESIDE}> {{ ?ev a <{R2P}Evidence> ; "
                      f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#object> <{ID}state/kenya> }}")
    assert not _ask(data, f"GRAPH <{review.CURATED_GRAPH}> {{ {MEETING} {PARTICIPANT} <{ID}state/bolivia> }}")
    assert report.review["decisions"] == {"reject": 3, "correct": 2, "add": 1, "confirm": 1, "withdraw": 2}
    assert set(incremental.wait_for_dumps(timeout=120)) == {0}       # the dumps, written after publishing


def test_review_apply_changes_the_served_build_reading_only_the_documents_concerned(tmp_path, monkeypatch):
    data = tmp_path / "data"
    build([_corpus(tmp_path / "corpus")], data)
    kenya = _decide(data, "reject", (MEETING, PARTICIPANT, f"<{ID}state/kenya>"))
    apply_review(data)
    review.append_decision(data, review.new_decision("ben", "withdraw", withdraws=kenya.id))

    monkeypatch.setattr(builds, "kept_documents", lambda *a: pytest.fail("every document was read again"))
    monkeypatch.setattr(builds, "_derive_and_write", lambda *a, **k: pytest.fail("every stage was re-derived"))
    read: list[str] = []
    real_get = reviewchange._Documents.get
    monkeypatch.setattr(reviewchange._Documents, "get", lambda self, slug: read.append(slug) or real_get(self, slug))
    messages: list[str] = []
    report = apply_review(data, progress=messages.append)
    assert list(report.seconds_per_stage) == ["keep", "facts", "inference", "store", "shacl"]
    assert not any("re-derived" in m for m in messages)
    assert set(read) == {LAKESIDE}           # the document stating the fact given back; not the river note
    assert _ask(data, f"{MEETING} {PARTICIPANT} <{ID}state/kenya>")


def test_a_served_build_that_kept_no_removed_facts_is_re_derived_and_says_so(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    data = tmp_path / "data"
    build([corpus], data)
    _first_decisions(data)
    (current_build(data).incremental / incremental.REVIEWED).unlink()      # as a build made before they were kept
    messages: list[str] = []
    report = apply_review(data, progress=messages.append)
    assert any("every stage is re-derived from the kept documents" in m for m in messages)
    _assert_same_as_full_build(data, report, _full_build(corpus, data, tmp_path / "full"))


def test_adding_a_document_applies_the_decisions_to_its_facts_by_the_change(tmp_path, monkeypatch):
    corpus = _corpus(tmp_path / "corpus", river=False)
    data = tmp_path / "data"
    build([corpus], data)
    _first_decisions(data)
    # a decision about a fact only the document added next states: orphaned until it comes
    _decide(data, "reject", (FORUM, TYPE, "<https://schema.org/Event>"),
            evidence=review.Evidence("river-note-2032", "The Government of Kenya hosted the River Forum"))
    assert len(apply_review(data).review["orphaned"]) == 1

    river = tmp_path / "new" / "river-note-2032.txt"
    river.parent.mkdir()
    river.write_text(RIVER, encoding="utf-8")
    monkeypatch.setattr(builds, "kept_documents", lambda *a: pytest.fail("every document was read again"))
    report, lines = builds.add([river], data)
    assert "review inference" in report.seconds_per_stage        # the decisions applied by the change
    assert report.review["orphaned"] == []
    assert not _ask(data, f"GRAPH ?g {{ {FORUM} {TYPE} <https://schema.org/Event> }} FILTER(STRSTARTS(STR(?g), "
                          f"\"https://w3id.org/r2pkg/graph/document/\"))")
    shutil.copy(river, corpus)
    _assert_same_as_full_build(data, report, _full_build(corpus, data, tmp_path / "full"))
    assert set(incremental.wait_for_dumps(timeout=120)) == {0}       # the dumps, written after publishing
