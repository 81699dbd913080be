"""Reviewers' decisions applied by every build: rejected facts leave the asserted graphs, corrections and
additions enter graph/curated with PROV evidence, inference runs over the result, and a decision whose
fact is gone is reported as orphaned. `r2pkg review apply` does the same without reading documents."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from r2pkg.graph import build as builds, review
from r2pkg.graph.build import apply_review, build
from r2pkg.graph.cli import main
from r2pkg.graph.savedqueries import run_saved
from r2pkg.graph.store import current_build

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "review"
SLUG = "lakeside-dialogue-2031"
ID = "https://w3id.org/r2pkg/id/"
R2P = "https://w3id.org/r2pkg/ontology#"
PROV = "http://www.w3.org/ns/prov#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
MEETING = f"<{ID}meeting/atrocity-lakeside-prevention-dialogues-2>"
PARTICIPANT = f"<{R2P}hasParticipant>"
ATTENDS = "<https://schema.org/attendee>"
LIST = "Representatives of Peru, Ecuador and Kenya took part in the dialogue."
HOSTS = "The Government of Chile hosted the second Lakeside Dialogue"


def ask(data_dir: Path, query: str) -> bool:
    store = ox.Store.read_only(str(current_build(data_dir).store))
    return bool(store.query(f"ASK {{ {query} }}"))


def rows(data_dir: Path, query: str) -> list:
    store = ox.Store.read_only(str(current_build(data_dir).store))
    return list(store.query(query))


@pytest.fixture
def data_dir(tmp_path) -> Path:
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURE, corpus)
    build([corpus], tmp_path / "data")
    return tmp_path / "data"


def decide(data_dir: Path, kind: str, obj: str, prop: str = PARTICIPANT, quote: str = LIST, **kw) -> review.Decision:
    d = review.new_decision("ana", kind, fact=(MEETING, prop, f"<{ID}state/{obj}>"),
                            evidence=review.Evidence(SLUG, quote), **kw)
    review.append_decision(data_dir, d)
    return d


def rebuild(data_dir: Path):
    return build([data_dir.parent / "corpus"], data_dir)


def test_the_fixture_extracts_the_facts_the_decisions_concern(data_dir):
    for state in ("kenya", "ecuador", "peru"):
        assert ask(data_dir, f"{MEETING} {PARTICIPANT} <{ID}state/{state}>")
    assert not ask(data_dir, f"{MEETING} <{R2P}hostedBy> <{ID}state/chile>")


def test_rejected_corrected_and_added_facts_hold_across_two_rebuilds(data_dir):
    rejected = decide(data_dir, "reject", "kenya", reason="Kenya is not named as taking part")
    corrected = decide(data_dir, "correct", "ecuador", correction={"object": f"<{ID}state/bolivia>"},
                       new_entities=[review.NewEntity(f"{ID}state/bolivia", f"{R2P}State", "Bolivia")])
    added = decide(data_dir, "add", "chile", prop=f"<{R2P}hostedBy>", quote=HOSTS)
    for _ in range(2):
        report = rebuild(data_dir)
        assert report.review["orphaned"] == [] and report.review["decisions"] == {"reject": 1, "correct": 1, "add": 1}
        # the rejected fact is asserted nowhere, nor inferred (no attendee from it), but kept reified with its decision
        assert not ask(data_dir, f"{MEETING} ?p <{ID}state/kenya>")
        assert not ask(data_dir, f"GRAPH ?g {{ ?ev a <{R2P}Evidence> ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> <{ID}state/kenya> }}")
        assert ask(data_dir, f"GRAPH <{review.REJECTED_GRAPH}> {{ ?x <{R2P}rejectedBy> <{ID}review/decision/{rejected.id}> ;"
                             f" <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> <{ID}state/kenya> }}")
        # the correction replaced Ecuador by Bolivia; the addition is there; both in the curated graph
        assert not ask(data_dir, f"{MEETING} {PARTICIPANT} <{ID}state/ecuador>")
        for fact, decision in ((f"{MEETING} {PARTICIPANT} <{ID}state/bolivia>", corrected),
                               (f"{MEETING} <{R2P}hostedBy> <{ID}state/chile>", added)):
            assert ask(data_dir, f"GRAPH <{review.CURATED_GRAPH}> {{ {fact} }}")
            s, p, o = fact.split(" ")
            assert ask(data_dir, f"""GRAPH <{review.CURATED_EVIDENCE_GRAPH}> {{
                ?ev a <{R2P}Evidence> ; <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> {s} ;
                    <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> {p} ;
                    <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> {o} ;
                    <{PROV}wasAttributedTo> <{ID}reviewer/ana> ;
                    <{PROV}wasGeneratedBy> <{ID}review/decision/{decision.id}> ;
                    <{R2P}sentence> ?sent .
                ?sent <http://www.w3.org/ns/oa#exact> ?text ; <http://www.w3.org/ns/oa#hasSource> <{ID}document/{SLUG}> }}""")
        # inference ran over the curated facts: the added host is an attendee and an organizer
        assert ask(data_dir, f"GRAPH <https://w3id.org/r2pkg/graph/inferred> {{ {MEETING} {ATTENDS} <{ID}state/bolivia> }}")
        assert ask(data_dir, f"{MEETING} <https://schema.org/organizer> <{ID}state/chile>")
        assert report.shacl["conforms"]


def test_decisions_are_described_in_the_graph_with_who_when_and_why(data_dir):
    d = decide(data_dir, "confirm", "peru", reason="named in the list")
    rebuild(data_dir)
    found = rows(data_dir, f"""SELECT ?kind ?who ?when ?why WHERE {{ GRAPH <{review.DECISIONS_GRAPH}> {{
        <{ID}review/decision/{d.id}> <{R2P}decisionKind> ?kind ; <{PROV}wasAssociatedWith> ?who ;
            <{PROV}endedAtTime> ?when ; <{R2P}reason> ?why ;
            <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> <{ID}state/peru> }} }}""")
    assert [(r["kind"].value, r["who"].value, r["why"].value) for r in found] == [
        ("confirm", f"{ID}reviewer/ana", "named in the list")]
    assert ask(data_dir, f"{MEETING} {PARTICIPANT} <{ID}state/peru>")        # a confirmed fact stays


def test_a_correction_quoting_nothing_keeps_the_evidence_of_the_fact_it_corrects(data_dir):
    d = review.new_decision("ana", "correct", fact=(MEETING, PARTICIPANT, f"<{ID}state/ecuador>"),
                            correction={"object": f"<{ID}state/peru>"})
    review.append_decision(data_dir, d)
    report = rebuild(data_dir)
    assert report.shacl["conforms"], report.shacl["messages"]
    assert ask(data_dir, f"""GRAPH <{review.CURATED_EVIDENCE_GRAPH}> {{ ?ev <{PROV}wasGeneratedBy>
        <{ID}review/decision/{d.id}> ; <{R2P}sentence> ?sent }} ?sent <http://www.w3.org/ns/oa#exact> "{LIST}" """)


def test_a_decision_whose_fact_is_no_longer_extracted_is_reported_and_kept(data_dir):
    gone = decide(data_dir, "reject", "atlantis")
    report = rebuild(data_dir)
    assert len(report.review["orphaned"]) == 1 and gone.id in report.review["orphaned"][0]
    assert "orphaned" in report.render() and "no longer extracted" in report.render()
    assert [d.id for d in review.read_decisions(review.decisions_path(data_dir))[0]] == [gone.id]
    assert ask(data_dir, f"<{ID}review/decision/{gone.id}> <{R2P}reviewOrphaned> true")


def test_an_addition_whose_quote_left_the_document_is_orphaned(data_dir):
    d = decide(data_dir, "add", "chile", prop=f"<{R2P}hostedBy>", quote="Chile hosted a dialogue in 1999")
    report = rebuild(data_dir)
    assert any(d.id in line and "no longer in the document" in line for line in report.review["orphaned"])
    assert not ask(data_dir, f"{MEETING} <{R2P}hostedBy> <{ID}state/chile>")


def test_a_cut_off_decision_line_is_named_by_the_build_and_the_others_apply(data_dir):
    decide(data_dir, "reject", "kenya")
    path = review.decisions_path(data_dir)
    path.write_bytes(path.read_bytes() + b'{"id": "x", "who": "ben", "decis')
    report = rebuild(data_dir)
    assert len(report.review["problems"]) == 1 and "line 2" in report.review["problems"][0]
    assert "unreadable" in report.render()
    assert not ask(data_dir, f"{MEETING} {PARTICIPANT} <{ID}state/kenya>")


def test_review_apply_publishes_new_decisions_without_reading_any_document(data_dir, monkeypatch, capsys):
    first = decide(data_dir, "reject", "kenya")

    def no_reading(*_a, **_k):
        raise AssertionError("a document was read again")

    monkeypatch.setattr(builds, "each_document", no_reading)
    assert main(["review", "apply", "--quiet", "--data-dir", str(data_dir)]) == 0
    assert "Review decisions: 1 reject" in capsys.readouterr().out
    assert not ask(data_dir, f"{MEETING} {PARTICIPANT} <{ID}state/kenya>")
    review.append_decision(data_dir, review.new_decision("ben", "withdraw", withdraws=first.id, reason="it was"))
    apply_review(data_dir)
    assert ask(data_dir, f"{MEETING} {PARTICIPANT} <{ID}state/kenya>")                 # undone
    assert ask(data_dir, f"<{ID}review/decision/{first.id}> <{R2P}reviewStanding> false")  # history kept


def test_adding_a_document_keeps_the_decisions_applied(data_dir, tmp_path):
    decide(data_dir, "reject", "kenya")
    apply_review(data_dir)
    other = tmp_path / "other" / "harbour-note-2032.txt"
    other.parent.mkdir()
    other.write_text("Note on the Harbour Forum\n\nThe Government of Ghana hosted the Harbour Forum in Accra, "
                     "Ghana on 2 June 2032.\n", encoding="utf-8")
    builds.add([other], data_dir)
    assert not ask(data_dir, f"{MEETING} {PARTICIPANT} <{ID}state/kenya>")
    assert ask(data_dir, f"<{ID}document/harbour-note-2032> ?p ?o")


def test_the_saved_query_review_decisions_lists_the_decisions_of_a_period(data_dir):
    from r2pkg.graph.savedqueries import run_saved

    old = review.Decision("a1", "ben", "2031-03-01T10:00:00Z", "reject",
                          (MEETING, PARTICIPANT, f"<{ID}state/kenya>"), reason="not named")
    new = review.Decision("a2", "cy", "2031-04-02T09:30:00Z", "confirm", (MEETING, PARTICIPANT, f"<{ID}state/peru>"))
    undo = review.Decision("a3", "ben", "2031-04-03T08:00:00Z", "withdraw", withdraws="a1", reason="it was")
    for d in (old, new, undo):
        review.append_decision(data_dir, d)
    apply_review(data_dir)
    store = ox.Store.read_only(str(current_build(data_dir).store))

    def period(**params) -> list[tuple]:
        return [(r["decision"], r["who"], r["standing"]) for r in run_saved(store, "review-decisions", params)]

    assert period() == [("reject", "ben", False), ("confirm", "cy", True), ("withdraw", "ben", True)]
    assert period(**{"from": "2031-04-01"}) == [("confirm", "cy", True), ("withdraw", "ben", True)]
    assert period(**{"from": "2031-03-01", "to": "2031-04-02"}) == [("reject", "ben", False), ("confirm", "cy", True)]
    rows = run_saved(store, "review-decisions", {})
    assert [r["object"] for r in rows] == [f"{ID}state/kenya", f"{ID}state/peru", f"{ID}state/kenya"]
    assert rows[0]["reason"] == "not named" and rows[2]["reason"] == "it was"
    assert ask(data_dir, f"{MEETING} {PARTICIPANT} <{ID}state/kenya>")       # the rejection was withdrawn


def test_precision_per_rule_counts_the_rule_that_read_each_decided_fact(data_dir, capsys):
    """Peru and Kenya were read by the participants rule from the list sentence, Chile by the focal-point rule
    from the next one: rejecting the first two and confirming the third counts for those two rules only, not
    for the others that merely declare they write r2p:hasParticipant (persons, announcements)."""
    decide(data_dir, "reject", "peru", reason="not a participant")
    decide(data_dir, "reject", "kenya", reason="not a participant")
    decide(data_dir, "confirm", "chile",
           quote="Ms. Odalys Ferreyra-Quist, the focal point of Chile, opened the dialogue.")
    report = rebuild(data_dir)
    expected = {"rule_participants": {"confirmed": 0, "rejected": 2, "precision": 0.0},
                "rule_focal_points": {"confirmed": 1, "rejected": 0, "precision": 1.0}}
    assert report.review["precision"]["rule"] == expected
    assert "  rule rule_participants: 0 confirmed, 2 rejected, precision 0.00" in report.render().splitlines()
    assert main(["evaluate", "--reviewed", "--format", "json", "--data-dir", str(data_dir)]) == 0
    assert json.loads(capsys.readouterr().out)["rule"] == expected
    assert main(["evaluate", "--reviewed", "--data-dir", str(data_dir)]) == 0
    printed = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert printed[:3] == [["rule", "confirmed", "rejected", "precision"], ["rule_participants", "0", "2", "0.00"],
                           ["rule_focal_points", "1", "0", "1.00"]]
    # The saved query rule-precision gives the same, per rule and property, from the graph alone.
    store = ox.Store.read_only(str(current_build(data_dir).store))
    assert [(r["rule"].rsplit("/", 1)[-1], r["property"], r["confirmed"], r["rejected"])
            for r in run_saved(store, "rule-precision", {})] == [
        ("rule_participants", f"{R2P}hasParticipant", 0, 2), ("rule_focal_points", f"{R2P}hasParticipant", 1, 0)]
    # A rejected fact left the graph; its statement in the graph of rejected facts keeps the rule that read it.
    assert ask(data_dir, f"""GRAPH <{review.REJECTED_GRAPH}> {{ ?r <{RDF}object> <{ID}state/kenya> ;
                                <{R2P}extractedBy> <{ID}rule/rule_participants> }}""")


def test_the_evidence_of_a_built_fact_names_the_rule_that_read_it(data_dir):
    assert ask(data_dir, f"""GRAPH ?g {{ ?ev <{RDF}subject> {MEETING} ; <{RDF}predicate> {PARTICIPANT} ;
                               <{RDF}object> <{ID}state/ecuador> ;
                               <{R2P}extractedBy> <{ID}rule/rule_participants> }}""")
    assert not ask(data_dir, f"""GRAPH ?g {{ ?ev a <{R2P}Evidence> FILTER NOT EXISTS {{ ?ev <{R2P}extractedBy> ?rule }}
                                   FILTER NOT EXISTS {{ ?ev <{PROV}wasAttributedTo> ?who }} }}""")
    # The rule's IRI is described: a page shows its name and what it reads.
    assert ask(data_dir, f"""<{ID}rule/rule_participants> a <{R2P}ExtractionRule> ;
                               <http://purl.org/dc/terms/description> ?what FILTER(CONTAINS(?what, "took part"))""")
