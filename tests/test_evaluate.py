"""The evaluator itself (graph/evaluate.py), on tiny stores and gold files written here.

The stores are made by hand, not by the loaders, so that these tests pin down the judging rules
and do not move when the loaders improve: each fact goes into its document's named graph with an
evidence sentence, as a build writes it. The texts are invented.
"""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from r2pkg.graph import iris
from r2pkg.graph.cli import main
from r2pkg.graph.evaluate import GoldError, evaluate, load_gold, names_match, norm, roles_match
from r2pkg.graph.vocab import CORPUS_GRAPH

R2P = "https://w3id.org/r2pkg/ontology#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OA = "http://www.w3.org/ns/oa#"
XSD = "http://www.w3.org/2001/XMLSchema#"

TEXT = (
    "Summary of the Fourth Annual Meeting\n\n"
    "The fourth annual meeting of the Global Network of R2P Focal Points took place in Lisbon, Portugal, "
    "on 2 and 3 May 2016, hosted by Portugal. "
    "Delegates from Chile and Kenya attended. "
    "Ms. Ana Torres, Director of Peace Affairs of Chile, opened the debate. "
    "The second regional focal points meeting for Oceania took place in Suva on 9 June. "
    "Several delegates praised the Early Warning Register.\n"
)


class DocumentStore:
    """A store laid out as a build lays it out, for one document: facts, evidence, text, labels."""

    def __init__(self, slug: str, text: str) -> None:
        self.slug, self.text, self.store = slug, text, ox.Store()
        self.graph = ox.NamedNode(str(iris.document_graph(slug)))
        self.evidence_graph = ox.NamedNode(str(iris.evidence_graph(slug)))
        doc = ox.NamedNode(str(iris.document(slug)))
        corpus = ox.NamedNode(str(CORPUS_GRAPH))
        self.store.add(ox.Quad(doc, ox.NamedNode(RDF + "type"), ox.NamedNode(R2P + "Document"), corpus))
        self.store.add(ox.Quad(doc, ox.NamedNode(R2P + "text"), ox.Literal(text), corpus))
        self.store.load(path=str(Path(__file__).resolve().parents[1] / "ontology" / "r2p.ttl"), format=ox.RdfFormat.TURTLE,
                        to_graph=ox.NamedNode("https://w3id.org/r2pkg/graph/ontology"))

    def entity(self, kind: str, slug: str, label: str, cls: str) -> str:
        iri = str(iris.entity(kind, slug))
        self.add(iri, RDF + "type", ox.NamedNode(R2P + cls), None)
        self.add(iri, SKOS + "prefLabel", ox.Literal(label), None)
        return iri

    def add(self, s: str, p: str, o, phrase: str | None) -> None:
        """One fact of the document; with a phrase, its evidence is the sentence holding that phrase."""
        obj = o if isinstance(o, (ox.NamedNode, ox.Literal)) else ox.NamedNode(o)
        self.store.add(ox.Quad(ox.NamedNode(s), ox.NamedNode(p), obj, self.graph))
        if phrase is None:
            return
        start = self.text.index(phrase)
        start = max(self.text.rfind(". ", 0, start) + 2, self.text.rfind("\n", 0, start) + 1)
        end = self.text.index(".", self.text.index(phrase)) + 1
        sentence = ox.NamedNode(str(iris.sentence(self.slug, start, end)))
        evidence = ox.NamedNode(str(iris.evidence(self.slug, s, p, str(obj), start, end)))
        g = self.evidence_graph
        for quad in ((evidence, RDF + "type", ox.NamedNode(R2P + "Evidence")), (evidence, RDF + "subject", ox.NamedNode(s)),
                     (evidence, RDF + "predicate", ox.NamedNode(p)), (evidence, RDF + "object", obj),
                     (evidence, R2P + "sentence", sentence), (sentence, OA + "exact", ox.Literal(self.text[start:end]))):
            self.store.add(ox.Quad(quad[0], ox.NamedNode(quad[1]), quad[2], g))


def date(value: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + "date"))


def integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(XSD + "integer"))


@pytest.fixture(scope="module")
def store() -> ox.Store:
    d = DocumentStore("alpha", TEXT)
    m4 = d.entity("meeting", "annual-meeting-4", "Fourth Annual Meeting", "AnnualMeeting")
    lisbon = d.entity("city", "lisbon", "Lisbon", "City")
    portugal, chile, peru = (d.entity("state", s.lower(), s, "State") for s in ("Portugal", "Chile", "Peru"))
    kenya = d.entity("state", "kenya", "Kenya", "State")
    d.add(m4, R2P + "ordinal", integer(4), "The fourth annual meeting")
    d.add(m4, R2P + "startDate", date("2016-05-02"), "on 2 and 3 May 2016")
    d.add(m4, R2P + "endDate", date("2016-05-03"), "on 2 and 3 May 2016")
    d.add(m4, R2P + "heldInCity", lisbon, "took place in Lisbon")
    d.add(m4, R2P + "hostedBy", portugal, "hosted by Portugal")
    d.add(m4, R2P + "hasParticipant", chile, "Delegates from Chile")
    d.add(m4, R2P + "hasParticipant", peru, "Delegates from Chile")            # not in the text: spurious
    person = d.entity("person", "ana-torres", "Ana Torres", "Person")
    role = d.entity("role", "director-of-peace-affairs", "Director of Peace Affairs", "Role")
    assignment = d.entity("role-assignment", "ana-torres", "Ana Torres as Director", "RoleAssignment")
    d.add(assignment, R2P + "holder", person, "Ms. Ana Torres")
    d.add(assignment, R2P + "role", role, "Ms. Ana Torres")
    d.add(assignment, R2P + "roleIn", kenya, "Ms. Ana Torres")                # wrong organization
    m2 = d.entity("meeting", "annual-meeting-2", "Second Annual Meeting", "AnnualMeeting")   # another series
    suva = d.entity("city", "suva", "Suva", "City")
    d.add(m2, R2P + "ordinal", integer(2), "The second regional focal points meeting")
    d.add(m2, R2P + "heldInCity", suva, "took place in Suva")
    d.add(m2, R2P + "startDate", date("2019-06-09"), "took place in Suva")     # the text states no year
    register = d.entity("mechanism", "early-warning-register", "Early Warning Register", "EarlyWarningFramework")
    d.add(register, RDF + "type", ox.NamedNode(R2P + "EarlyWarningFramework"), "the Early Warning Register")
    return d.store


GOLD = [
    {"doc": "alpha.txt", "kind": "meeting", "quote": "The fourth annual meeting of the Global Network",
     "series": "Global Network of R2P Focal Points (annual meeting)", "ordinal": 4, "year": 2016,
     "start_date": "2016-05-02", "end_date": "2016-05-03", "city": "Lisbon", "hosts": ["Portugal"]},
    {"doc": "alpha.txt", "kind": "participant_state", "quote": "Delegates from Chile and Kenya attended.",
     "state": "Chile", "meeting_ordinal": 4},
    {"doc": "alpha.txt", "kind": "participant_state", "quote": "Delegates from Chile and Kenya attended.",
     "state": "Kenya", "meeting_ordinal": 4},
    {"doc": "alpha.txt", "kind": "person_role", "quote": "Ms. Ana Torres, Director of Peace Affairs of Chile",
     "person": "Ana Torres", "role": "Director of Peace Affairs", "organization": "Chile"},
    {"doc": "alpha.txt", "kind": "meeting", "quote": "The second regional focal points meeting for Oceania",
     "series": "Regional focal points meeting for Oceania", "ordinal": 2, "year": None, "city": "Suva"},
    {"doc": "alpha.txt", "kind": "mechanism", "quote": "the Early Warning Register", "name": "Early Warning Register",
     "optional": True},
]


@pytest.fixture(scope="module")
def evaluation(store, tmp_path_factory):
    path = tmp_path_factory.mktemp("gold") / "gold.json"
    path.write_text(json.dumps(GOLD), encoding="utf-8")
    return evaluate(store, load_gold(path))


def verdicts(evaluation, kind: str) -> dict[str, list]:
    found: dict[str, list] = {}
    for j in evaluation.judgements:
        if j.kind == kind:
            found.setdefault(j.verdict, []).append(j)
    return found


def test_a_fact_with_every_field_right_is_found(evaluation):
    [meeting] = [j for j in verdicts(evaluation, "meeting")["found"]]
    assert meeting.gold["ordinal"] == 4 and meeting.graph["city"] == "Lisbon"
    assert "Lisbon" in meeting.evidence


def test_a_fact_the_graph_lacks_is_missed(evaluation):
    [missed] = verdicts(evaluation, "participant_state")["missed"]
    assert missed.gold["state"] == "Kenya"
    assert missed.quote == "Delegates from Chile and Kenya attended."
    assert evaluation.scores["participant_state"].found == 1


def test_a_fact_with_its_core_but_a_wrong_field_is_wrong_and_names_the_field(evaluation):
    [wrong] = verdicts(evaluation, "person_role")["wrong"]
    assert set(wrong.wrong_fields) == {"organization"}
    assert wrong.wrong_fields["organization"] == {"gold": "Chile", "graph": "Kenya"}


def test_a_graph_fact_no_gold_fact_pairs_with_is_spurious(evaluation):
    [spurious] = verdicts(evaluation, "participant_state")["spurious"]
    assert spurious.graph["state"] == "Peru" and spurious.evidence.startswith("Delegates from Chile")
    score = evaluation.scores["participant_state"]
    assert (score.gold, score.found, score.missed, score.wrong, score.spurious) == (2, 1, 1, 0, 1)
    assert score.recall == 0.5 and score.precision == 0.5


def test_a_host_is_a_participant_but_not_a_spurious_one(evaluation):
    """Portugal hosted: hostedBy implies taking part, and the meeting fact judges the hosts."""
    states = [j.graph["state"] for j in evaluation.judgements if j.kind == "participant_state" and j.graph]
    assert "Portugal" not in states


def test_an_optional_fact_counts_nowhere_and_absorbs_its_graph_fact(evaluation):
    assert "mechanism" in evaluation.scores
    score = evaluation.scores["mechanism"]
    assert (score.gold, score.optional, score.found, score.spurious) == (0, 1, 0, 0)
    assert score.recall is None and score.precision is None


def test_another_series_in_the_global_networks_series_is_listed_and_wrong(evaluation):
    [listed] = evaluation.other_series
    assert listed["series"] == "Regional focal points meeting for Oceania" and listed["graph_ordinal"] == 2
    [wrong] = verdicts(evaluation, "meeting")["wrong"]
    assert set(wrong.wrong_fields) == {"series", "year"}


def test_a_year_stated_nowhere_in_the_text_is_invented(evaluation):
    [invented] = evaluation.invented_years
    assert invented["value"] == "2019-06-09" and invented["property"] == "startDate"
    assert "Suva" in invented["evidence"]


def test_a_year_outside_the_evidence_sentence_but_in_the_text_is_not_invented(evaluation):
    """2016 is in another sentence than 'took place in Lisbon' would be: the whole text counts."""
    assert all(d["value"][:4] != "2016" for d in evaluation.invented_years)


def test_the_totals_add_up(evaluation):
    total = evaluation.total
    assert total.gold == 5 and total.found + total.missed + total.wrong == total.gold
    data = evaluation.as_dict()
    assert data["total"]["gold"] == 5 and data["checks"]["invented_years"]["count"] == 1


def test_a_quote_not_in_its_document_is_a_problem(store, tmp_path):
    gold = [dict(GOLD[0], quote="A sentence nobody wrote.")]
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    evaluation = evaluate(store, load_gold(tmp_path / "gold.json"))
    assert any("quote not in the document" in p for p in evaluation.problems)


@pytest.mark.parametrize("gold", [{"doc": "a.txt", "kind": "rumour", "quote": "x"}, {"doc": "a.txt", "quote": "x"}, {}])
def test_a_malformed_gold_fact_is_refused(tmp_path, gold):
    (tmp_path / "gold.json").write_text(json.dumps([gold]), encoding="utf-8")
    with pytest.raises(GoldError):
        load_gold(tmp_path / "gold.json")


@pytest.mark.parametrize("gold, label", [
    ("Côte d'Ivoire", "Cote d Ivoire"), ("the Stanley Foundation", "Stanley Foundation"),
    ("Maria J. Okafor", "Maria Okafor"), ("UN General Assembly", "General Assembly"),
    ("Commission of Inquiry", "Commissions of Inquiry"), ("R2P toolkit", "Responsibility to Protect toolkit"),
    ("Senior Advisor on Elections", "Senior Adviser on Elections"),
])
def test_names_match_as_a_reader_compares_them(gold, label):
    assert names_match(gold, [label])


@pytest.mark.parametrize("gold, label", [("Korea", "Democratic People's Republic of Korea"), ("Niger", "Nigeria")])
def test_names_do_not_match_on_a_part(gold, label):
    assert not names_match(gold, [label])


@pytest.mark.parametrize("gold, label, same", [
    ("UN Secretary-General's Special Adviser on the Responsibility to Protect", "Special Adviser on the Responsibility to Protect", True),
    ("Executive Director", "Director", True),
    ("UN Secretary-General's Special Adviser on the Responsibility to Protect", "UN Secretary-General", False),
    ("Minister of Justice and Public Order", "Minister", False),
])
def test_roles_match_when_one_says_most_of_the_other(gold, label, same):
    assert roles_match(gold, label) is same


def test_norm_folds_case_accents_articles_and_punctuation():
    assert norm("The  Šimonović-Report's") == norm("simonovic report")


def test_the_bundled_gold_is_not_a_document_and_its_quotes_are_in_the_corpus():
    from r2pkg.graph.build import discover
    from r2pkg.graph.resources import CORPUS_DIR

    assert all(s.path.suffix == ".txt" for s in discover([CORPUS_DIR]))
    texts = {p.name: p.read_text(encoding="utf-8") for p in CORPUS_DIR.glob("*.txt")}
    for fact in load_gold(CORPUS_DIR / "gold.json"):
        for quote in (fact.quote, *fact.extra_quotes):
            assert quote in texts[fact.doc], (fact.doc, quote)


TINY = ("The fifteenth annual meeting of the Global Network of R2P Focal Points was held in Oslo, Norway, "
        "on 3 and 4 March 2021.\n")


@pytest.mark.slow
def test_the_command_builds_a_folder_and_prints_json(capsys, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "fifteenth.txt").write_text(TINY, encoding="utf-8")
    gold = [{"doc": "fifteenth.txt", "kind": "meeting", "quote": "The fifteenth annual meeting", "ordinal": 15, "city": "Oslo"}]
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    data = tmp_path / "data"
    status = main(["evaluate", "--corpus", str(corpus), "--gold", str(tmp_path / "gold.json"), "--format", "json",
                   "--data-dir", str(data)])
    out = json.loads(capsys.readouterr().out)
    assert status == 0
    assert set(out) >= {"kinds", "total", "missed", "wrong", "spurious", "checks", "problems"}
    meeting = out["kinds"]["meeting"]
    assert meeting["gold"] == 1 and meeting["found"] + meeting["wrong"] + meeting["missed"] == 1
    assert (data / "current").is_symlink()          # built there, and reused on the next run
    assert main(["evaluate", "--corpus", str(corpus), "--gold", str(tmp_path / "gold.json"), "--data-dir", str(data)]) == 0
    assert capsys.readouterr().out.startswith("kind")


def test_the_command_refuses_a_gold_file_it_cannot_read(capsys, tmp_path):
    (tmp_path / "gold.json").write_text("{not json", encoding="utf-8")
    assert main(["evaluate", "--gold", str(tmp_path / "gold.json"), "--data-dir", str(tmp_path)]) == 1
    assert "gold" in capsys.readouterr().err


def test_a_document_the_gold_does_not_name_is_not_scored(store, tmp_path):
    """Gold for one document never turns another document's facts into spurious ones."""
    gold = [{"doc": "beta.txt", "kind": "participant_state", "quote": "Delegates from Chile", "state": "Chile"}]
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    evaluation = evaluate(store, load_gold(tmp_path / "gold.json"))
    assert evaluation.unscored == ["alpha"]
    assert evaluation.total.spurious == 0 and evaluation.total.missed == 1
    assert any("beta.txt: not in the build" in p for p in evaluation.problems)


def test_an_optional_fact_does_not_take_the_graph_fact_a_required_one_needs(store, tmp_path):
    gold = [dict(GOLD[1], optional=True, meeting_ordinal=9), GOLD[1]]
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    score = evaluate(store, load_gold(tmp_path / "gold.json")).scores["participant_state"]
    assert (score.gold, score.found, score.optional) == (1, 1, 1)


def test_a_person_with_an_affiliation_only_is_at_the_meeting_they_took_part_in(tmp_path):
    """'Dr. Bo Lind of the Peace Institute spoke': no role, but the graph says where and when."""
    text = "Summary\n\nThe fourth annual meeting took place on 2 May 2016. Dr. Bo Lind of the Peace Institute spoke.\n"
    d = DocumentStore("gamma", text)
    m4 = d.entity("meeting", "annual-meeting-4", "Fourth Annual Meeting", "AnnualMeeting")
    d.add(m4, R2P + "ordinal", integer(4), "The fourth annual meeting")
    d.add(m4, R2P + "startDate", date("2016-05-02"), "on 2 May 2016")
    person = d.entity("person", "bo-lind", "Bo Lind", "Person")
    institute = d.entity("org", "peace-institute", "Peace Institute", "Organization")
    d.add(person, R2P + "affiliatedWith", institute, "Dr. Bo Lind of the Peace Institute")
    d.add(m4, R2P + "hasParticipant", person, "Dr. Bo Lind of the Peace Institute")
    gold = [{"doc": "gamma.txt", "kind": "person_role", "quote": "Dr. Bo Lind of the Peace Institute spoke.",
             "person": "Bo Lind", "organization": "Peace Institute", "meeting_ordinal": 4, "year": 2016}]
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    score = evaluate(d.store, load_gold(tmp_path / "gold.json")).scores["person_role"]
    assert (score.found, score.wrong) == (1, 0)


def test_a_meeting_of_another_series_is_read_in_its_series_by_the_name_its_document_gives(tmp_path):
    """r2p:inSeries decides the series: a numbered meeting that is not an r2p:AnnualMeeting is of its
    own series, named as its document names it (the series' altLabel in that document's graph)."""
    text = "The third Alpine R2P Focal Points Meeting took place in Suva on 4 May 2019.\n"
    d = DocumentStore("beta", text)
    m = d.entity("meeting", "alpine-focal-points-meetings-3", "Third Alpine Meeting of R2P Focal Points", "Meeting")
    series = d.entity("series", "alpine-focal-points-meetings", "Alpine Meetings of R2P Focal Points", "MeetingSeries")
    d.add(m, R2P + "ordinal", integer(3), "The third Alpine")
    d.add(m, R2P + "inSeries", ox.NamedNode(series), "The third Alpine")
    d.add(series, SKOS + "altLabel", ox.Literal("Alpine R2P Focal Points Meeting"), "The third Alpine")
    gold = [{"doc": "beta.txt", "kind": "meeting", "quote": "The third Alpine R2P Focal Points Meeting",
             "series": "Alpine R2P Focal Points Meeting", "ordinal": 3}]
    path = tmp_path / "gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    result = evaluate(d.store, load_gold(path))
    assert [j.verdict for j in result.judgements] == ["found"]
    assert result.other_series == []


@pytest.mark.parametrize("gold,graph,same", [
    ("VII OPN Focal Points Meeting", "Focal Points Meeting of the Oceania Prevention Network", True),
    ("Oceania Prevention Network Meeting", "Meetings of the Oceania Prevention Network", True),
    ("Andean Network Meeting", "Focal Points Meeting of the Oceania Prevention Network", False),
    ("ABC Focal Points Meeting", "Focal Points Meeting of the Oceania Prevention Network", False),
])
def test_a_series_named_by_its_acronym_or_in_other_words_is_the_same_series(gold, graph, same):
    from r2pkg.graph.evaluate import same_series

    assert same_series(gold, graph, {}, {}, None) is same


HISTORY_TEXT = (
    "Report of the Fifth Annual Meeting\n\n"
    "Delegates recalled Oranjeville and the conflict in Peru. "
    "The Vellmar Compact, adopted by the Council of Europe, was praised. "
    "Norway's national peace council was described. "
    "Some suggested that the Human Rights Council appoint a Special Rapporteur on Memory.\n"
)


@pytest.fixture(scope="module")
def history_evaluation(tmp_path_factory):
    """A mechanism's history and kind, and a situation in no state, judged field by field."""
    d = DocumentStore("beta", HISTORY_TEXT)
    coe = d.entity("org", "council-of-europe", "Council of Europe", "RegionalOrganization")
    hrc = d.entity("org", "human-rights-council", "Human Rights Council", "UNBody")
    norway, peru = d.entity("state", "norway", "Norway", "State"), d.entity("state", "peru", "Peru", "State")
    compact = d.entity("mechanism", "vellmar-compact", "Vellmar Compact", "LegalInstrument")
    d.add(compact, R2P + "adoptedBy", coe, "The Vellmar Compact")
    generic = d.entity("mechanism", "national-peace-council", "National peace council", "NationalMechanism")
    council = d.entity("mechanism", "norway-national-peace-council", "Norway's national peace council", "NationalMechanism")
    d.add(council, R2P + "kindOf", generic, "Norway's national peace council")
    d.add(council, R2P + "ownedBy", peru, "Norway's national peace council")            # the wrong owner
    post = d.entity("mechanism", "special-rapporteur-on-memory", "Special Rapporteur on Memory", "Post")
    d.add(post, R2P + "isProposed", ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")), "a Special Rapporteur")
    d.add(post, R2P + "establishedUnder", hrc, "a Special Rapporteur")
    place = d.entity("situation", "oranjeville", "Oranjeville", "AtrocitySituation")
    d.add(place, RDF + "type", ox.NamedNode(R2P + "AtrocitySituation"), "recalled Oranjeville")
    state_sit = d.entity("situation", "peru", "Peru", "AtrocitySituation")
    d.add(state_sit, R2P + "situationIn", peru, "the conflict in Peru")
    gold = [
        {"doc": "beta.txt", "kind": "mechanism", "quote": "The Vellmar Compact, adopted by the Council of Europe",
         "name": "Vellmar Compact", "adopted_by": ["Council of Europe"], "launched_by": ["Council of Europe"]},
        {"doc": "beta.txt", "kind": "mechanism", "quote": "Norway's national peace council was described.",
         "name": "Norway's national peace council", "owner": ["Norway"], "kind_of": "national peace council"},
        {"doc": "beta.txt", "kind": "mechanism", "quote": "Some suggested that the Human Rights Council appoint",
         "name": "Special Rapporteur on Memory", "proposed": True, "under": ["Human Rights Council"]},
        {"doc": "beta.txt", "kind": "situation", "quote": "Delegates recalled Oranjeville", "place": "Oranjeville"},
        {"doc": "beta.txt", "kind": "situation", "quote": "the conflict in Peru", "country": "Peru"},
    ]
    path = tmp_path_factory.mktemp("gold") / "gold.json"
    path.write_text(json.dumps(gold), encoding="utf-8")
    return evaluate(d.store, load_gold(path))


def test_a_mechanisms_history_is_judged_field_by_field(history_evaluation):
    """Adopted by counts as launched by (r2p:adoptedBy is a kind of r2p:establishedBy); a wrong owner is wrong."""
    judged = {j.gold["name"]: j for j in verdicts(history_evaluation, "mechanism").get("found", [])
              + verdicts(history_evaluation, "mechanism").get("wrong", [])}
    assert judged["Vellmar Compact"].verdict == "found"
    assert judged["Special Rapporteur on Memory"].verdict == "found"
    wrong = judged["Norway's national peace council"]
    assert wrong.verdict == "wrong" and set(wrong.wrong_fields) == {"owner"}
    assert wrong.wrong_fields["owner"] == {"gold": ["Norway"], "graph": ["Peru"]}


def test_a_situation_in_no_state_is_found_by_its_place(history_evaluation):
    found = verdicts(history_evaluation, "situation").get("found", [])
    assert sorted(j.gold.get("place") or j.gold.get("country") for j in found) == ["Oranjeville", "Peru"]
    assert history_evaluation.scores["situation"].spurious == 0


def _recommendation_store() -> tuple[DocumentStore, str]:
    text = ("Summary\n\nThe sixth annual meeting took place on 2 May 2020. This was the first meeting of the network held "
            "online. Participants urged Chile to ratify the Arms Trade Treaty. Some suggested a regional fund. "
            "Kenya will host the seventh annual meeting in 2021.\n")
    d = DocumentStore("delta", text)
    m6 = d.entity("meeting", "annual-meeting-6", "Sixth Annual Meeting", "AnnualMeeting")
    d.add(m6, R2P + "ordinal", integer(6), "The sixth annual meeting")
    d.add(m6, R2P + "startDate", date("2020-05-02"), "on 2 May 2020")
    d.add(m6, R2P + "distinction", ox.Literal("first meeting of the network held online"), "This was the first")
    m7 = d.entity("meeting", "annual-meeting-7", "Seventh Annual Meeting", "AnnualMeeting")
    d.add(m7, RDF + "type", ox.NamedNode(R2P + "PlannedMeeting"), "Kenya will host")
    d.add(m7, R2P + "ordinal", integer(7), "Kenya will host")
    rec = d.entity("recommendation", "annual-meeting-6-urged-chile", "Sixth: recommendation", "Recommendation")
    d.add(rec, R2P + "text", ox.Literal("Participants urged Chile to ratify the Arms Trade Treaty."), "Participants urged")
    d.add(rec, R2P + "recommendationKind", ox.NamedNode(R2P + "KindRecommendation"), "Participants urged")
    d.add(m6, R2P + "hasRecommendation", ox.NamedNode(rec), "Participants urged")
    chile = d.entity("state", "chile", "Chile", "State")
    att = d.entity("mechanism", "arms-trade-treaty", "Arms Trade Treaty", "LegalInstrument")
    d.add(rec, R2P + "addresses", chile, "Participants urged")
    d.add(rec, R2P + "recommendsMechanism", att, "Participants urged")
    fund = d.entity("recommendation", "annual-meeting-6-regional-fund", "Sixth: suggested action", "Recommendation")
    d.add(fund, R2P + "text", ox.Literal("Some suggested a regional fund."), "Some suggested")
    d.add(fund, R2P + "recommendationKind", ox.NamedNode(R2P + "KindRecommendation"), "Some suggested")
    d.add(m6, R2P + "hasRecommendation", ox.NamedNode(fund), "Some suggested")
    return d, text


def test_recommendations_are_judged_by_text_kind_meeting_and_names(tmp_path):
    """The text is the core (spacing and case aside); the kind, the meeting and the names the gold gives
    are judged (the graph may name more); an item no gold fact pairs with is spurious."""
    d, _text = _recommendation_store()
    gold = [
        {"doc": "delta.txt", "kind": "recommendation", "quote": "Participants urged Chile to ratify the Arms Trade Treaty.",
         "text": "URGED chile to ratify", "recommendation_kind": "recommendation", "meeting_ordinal": 6,
         "names": ["Arms Trade Treaty"]},
        {"doc": "delta.txt", "kind": "recommendation", "quote": "Some suggested a regional fund.",
         "text": "a regional fund", "recommendation_kind": "suggested action", "meeting_ordinal": 6},
        {"doc": "delta.txt", "kind": "recommendation", "quote": "This was the first meeting of the network held online.",
         "text": "held online", "recommendation_kind": "lesson"},
    ]
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    result = evaluate(d.store, load_gold(tmp_path / "gold.json"))
    got = {j.gold["text"] if j.gold else None: j for j in result.judgements}
    assert got["URGED chile to ratify"].verdict == "found"
    assert got["a regional fund"].verdict == "wrong"
    assert set(got["a regional fund"].wrong_fields) == {"recommendation_kind"}
    assert got["held online"].verdict == "missed"
    score = result.scores["recommendation"]
    assert (score.found, score.wrong, score.missed, score.spurious) == (1, 1, 1, 0)


def test_a_meetings_planned_status_and_distinction_are_judged(tmp_path):
    d, _text = _recommendation_store()
    gold = [
        {"doc": "delta.txt", "kind": "meeting", "quote": "The sixth annual meeting took place on 2 May 2020.",
         "ordinal": 6, "planned": False, "distinction": "first meeting of the network held online"},
        {"doc": "delta.txt", "kind": "meeting", "quote": "Kenya will host the seventh annual meeting in 2021.",
         "ordinal": 7, "planned": True, "distinction": "the largest meeting"},
    ]
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    result = evaluate(d.store, load_gold(tmp_path / "gold.json"))
    by_ordinal = {j.gold["ordinal"]: j for j in result.judgements if j.gold}
    assert by_ordinal[6].verdict == "found"
    assert by_ordinal[7].verdict == "wrong" and set(by_ordinal[7].wrong_fields) == {"distinction"}
def test_practices_are_judged_by_actors_kind_object_date_and_place(tmp_path):
    """A practice the gold gives whole is found; one of the same actors and kind with another date is wrong
    (the date is named); one of an actor no gold practice names is spurious; an optional one absorbs its fact."""
    text = ("Report\n\nIn 2021, Zambia created a National Prevention Council. Kenya hosted a workshop in Nairobi in "
            "May 2019. Peru signed a code of conduct. Chile promoted dialogue.\n")
    d = DocumentStore("delta", text)
    kind = {k: ox.NamedNode(R2P + c) for k, c in (("established-body", "BodyCreation"), ("hosted-event", "EventHosting"),
                                                   ("signed-agreement", "AgreementSigning"))}

    def practice(slug: str, actor: str, kind_name: str, phrase: str) -> str:
        p = d.entity("practice", slug, slug, "Practice")
        d.add(p, R2P + "actor", str(iris.entity("state", actor)), phrase)
        d.add(p, R2P + "practiceKind", kind[kind_name], phrase)
        return p

    council = d.entity("mechanism", "national-prevention-council", "National Prevention Council", "NationalMechanism")
    p1 = practice("p1", "zambia", "established-body", "Zambia created")
    d.add(p1, R2P + "produced", council, "Zambia created")
    d.add(p1, R2P + "date", ox.Literal("2021", datatype=ox.NamedNode(XSD + "gYear")), "Zambia created")
    p2 = practice("p2", "kenya", "hosted-event", "Kenya hosted")
    d.add(p2, R2P + "date", ox.Literal("2019-04", datatype=ox.NamedNode(XSD + "gYearMonth")), "Kenya hosted")
    d.add(p2, R2P + "practicePlace", d.entity("city", "nairobi", "Nairobi", "City"), "Kenya hosted")
    practice("p3", "peru", "signed-agreement", "Peru signed")
    practice("p4", "chile", "hosted-event", "Chile promoted")
    for state in ("zambia", "kenya", "peru", "chile"):
        d.entity("state", state, state.title(), "State")
    gold = [
        {"doc": "delta.txt", "kind": "practice", "quote": "In 2021, Zambia created a National Prevention Council.",
         "actors": ["Zambia"], "practice_kind": "established-body", "object": "National Prevention Council",
         "date": "2021"},
        {"doc": "delta.txt", "kind": "practice", "quote": "Kenya hosted a workshop in Nairobi in May 2019.",
         "actors": ["Kenya"], "practice_kind": "hosted-event", "date": "2019-05", "place": "Nairobi"},
        {"doc": "delta.txt", "kind": "practice", "quote": "Chile promoted dialogue.", "actors": ["Chile"],
         "optional": True},
    ]
    (tmp_path / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    result = evaluate(d.store, load_gold(tmp_path / "gold.json"))
    score = result.scores["practice"]
    assert (score.found, score.wrong, score.missed, score.spurious, score.optional) == (1, 1, 0, 1, 1)
    wrong = next(j for j in result.judgements if j.verdict == "wrong")
    assert set(wrong.wrong_fields) == {"date"}
    spurious = next(j for j in result.judgements if j.verdict == "spurious")
    assert spurious.graph["actors"] == ["Peru"]
