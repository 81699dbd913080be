"""Facts read from each bundled summary (and the unseen ones), checked against load_document's output."""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import ORG as W3ORG, RDF, RDFS, SKOS, XSD

from r2pkg.graph import iris
from r2pkg.loaders.rules.recommendations import recommendation_iri
from r2pkg.graph.vocab import R2P
from r2pkg.loaders import load_document, reference_facts

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
UNSEEN = ROOT / "tests" / "fixtures" / "unseen"
ALL_DOCS = sorted(CORPUS.glob("*.txt")) + sorted(UNSEEN.glob("*.txt"))

E = iris.entity


@lru_cache(maxsize=None)
def loaded(path: Path):
    return load_document(path)


def doc(name: str):
    return loaded(CORPUS / f"{name}.txt")


def triples(d) -> set[tuple]:
    return {(f.subject, f.predicate, f.object) for f in d.facts}


def objects(d, s, p) -> set:
    return {f.object for f in d.facts if f.subject == s and f.predicate == p}


def subjects(d, p, o) -> set:
    return {f.subject for f in d.facts if f.predicate == p and f.object == o}


def date(v: str) -> Literal:
    kind = {10: XSD.date, 7: XSD.gYearMonth, 4: XSD.gYear}[len(v)]
    return Literal(v, datatype=kind)


def integer(n: int) -> Literal:
    return Literal(n, datatype=XSD.integer)


MEETINGS = {
    "2012-2nd-annual-meeting": dict(ordinal=2, start="2012-09-29", end="2012-09-29", city=None, country=None,
                                    hosts={"state/australia", "state/costa-rica", "state/denmark", "state/ghana"},
                                    count=36, lower=False),
    "2015-5th-annual-meeting-madrid": dict(ordinal=5, start="2015-06-23", end="2015-06-24", city="madrid", country="spain",
                                           hosts={"state/chile", "state/spain"},
                                           count=50, lower=True),
    "2017-7th-annual-meeting-doha": dict(ordinal=7, start="2017-04-24", end="2017-04-25", city="doha", country="qatar",
                                         hosts={"state/qatar"},
                                         count=40, lower=True),
    "2019-9th-annual-meeting-brussels": dict(ordinal=9, start="2019-05-13", end="2019-05-14", city="brussels",
                                             country="belgium",
                                             hosts={"org/european-external-action-service", "org/european-commission",
                                                    "org/global-centre-for-the-responsibility-to-protect"},
                                             count=45, lower=True),
}


def _iri(path: str) -> URIRef:
    kind, slug = path.split("/")
    return E(kind, slug)


@pytest.mark.parametrize("name", MEETINGS)
def test_meeting(name):
    exp = MEETINGS[name]
    d = doc(name)
    m = E("meeting", f"annual-meeting-{exp['ordinal']}")
    t = triples(d)
    assert (iris.document(d.slug), R2P.aboutMeeting, m) in t
    assert (m, RDF.type, R2P.AnnualMeeting) in t
    assert objects(d, m, R2P.ordinal) == {integer(exp["ordinal"])}
    assert objects(d, m, R2P.startDate) == {date(exp["start"])}
    assert objects(d, m, R2P.endDate) == {date(exp["end"])}
    assert objects(d, m, R2P.heldInCity) == ({E("city", exp["city"])} if exp["city"] else set())
    assert objects(d, m, R2P.heldInCountry) == ({E("state", exp["country"])} if exp["country"] else set())
    assert objects(d, m, R2P.hostedBy) == {_iri(h) for h in exp["hosts"]}
    assert objects(d, m, R2P.participantCount) == {integer(exp["count"])}
    assert objects(d, m, R2P.countIsLowerBound) == {Literal(exp["lower"])}
    assert len(objects(d, m, SKOS.prefLabel)) == 1


def test_theme_and_participants():
    d = doc("2015-5th-annual-meeting-madrid")
    m = E("meeting", "annual-meeting-5")
    assert objects(d, m, R2P.theme) == {Literal("10 Years of the Responsibility to Protect: Responding to New "
                                                "Challenges and Threats to Vulnerable Communities.")}
    assert {E("state", "spain"), E("state", "chile")} <= objects(d, m, R2P.hasParticipant)
    d12 = doc("2012-2nd-annual-meeting")
    parts = objects(d12, E("meeting", "annual-meeting-2"), R2P.hasParticipant)
    assert {E("state", s) for s in ["australia", "costa-rica", "denmark", "france", "germany", "switzerland",
                                    "united-states", "cote-d-ivoire", "slovenia"]} <= parts
    assert E("org", "european-union") in parts
    d17 = doc("2017-7th-annual-meeting-doha")
    parts17 = objects(d17, E("meeting", "annual-meeting-7"), R2P.hasParticipant)
    assert {E("state", "liechtenstein"), E("state", "finland"), E("state", "netherlands")} <= parts17
    assert E("person", "samantha-power") not in parts17  # named in a title, not present


def test_other_meetings():
    d12 = doc("2012-2nd-annual-meeting")
    assert objects(d12, E("meeting", "annual-meeting-1"), R2P.startDate) == {date("2011-05")}
    d17 = doc("2017-7th-annual-meeting-doha")
    m8 = E("meeting", "annual-meeting-8")
    assert (E("state", "finland"), R2P.announcedHostOf, m8) in triples(d17)
    assert objects(d17, m8, R2P.heldInCity) == {E("city", "helsinki")}
    assert objects(d17, m8, R2P.startDate) == {date("2018")}
    assert objects(d17, E("meeting", "annual-meeting-6"), R2P.heldInCity) == {E("city", "seoul")}
    # "This was the first meeting of the Global Network to take place in ..." is not meeting 1.
    assert not subjects(d17, R2P.ordinal, integer(1))
    assert not subjects(doc("2019-9th-annual-meeting-brussels"), R2P.ordinal, integer(1))


FOCAL_POINTS = [
    ("2012-2nd-annual-meeting", "denmark", "Under-Secretary for Legal Affairs at the Foreign Ministry of Denmark",
     "org/denmark-ministry-of-foreign-affairs", None),
    ("2012-2nd-annual-meeting", "australia", "senior level official in the Department of Foreign Affairs and Trade",
     "org/australia-department-of-foreign-affairs-and-trade", None),
    ("2012-2nd-annual-meeting", "united-states",
     "Director for War Crimes and Atrocities on the National Security Council staff",
     "org/united-states-national-security-council", None),
    ("2012-2nd-annual-meeting", "france", "Head of the Division for Human Rights and Humanitarian Affairs", None, None),
    ("2017-7th-annual-meeting-doha", "liechtenstein", "Legal Adviser at the Permanent Mission",
     "org/liechtenstein-permanent-mission-to-the-united-nations", "jorn-eiermann"),
    ("2017-7th-annual-meeting-doha", "finland", None, None, None),
    ("2019-9th-annual-meeting-brussels", "european-union", "Deputy Secretary General of the European External Action Service",
     "org/european-external-action-service", "christian-leffler"),
    ("2019-9th-annual-meeting-brussels", "organization-of-american-states", None, None, None),
]


@pytest.mark.parametrize("name, member, title, body, person", FOCAL_POINTS)
def test_focal_points(name, member, title, body, person):
    d = doc(name)
    agent = E("org" if member in ("european-union", "organization-of-american-states") else "state", member)
    post = E("post", f"focal-point-{member}")
    t = triples(d)
    assert (agent, R2P.hasFocalPoint, post) in t
    assert (post, RDF.type, R2P.FocalPointPost) in t
    year = int(name[:4])
    assert objects(d, post, R2P.year) == {date(str(year))}
    if title:
        assert any(title in str(o) for o in objects(d, post, R2P.positionTitle)), objects(d, post, R2P.positionTitle)
    if body:
        assert _iri(body) in objects(d, post, R2P.withinBody)
    if person:
        assert objects(d, post, W3ORG.heldBy) == {E("person", person)}


def test_no_focal_point_where_none_was_appointed():
    d = doc("2012-2nd-annual-meeting")
    assert not objects(d, E("org", "european-union"), R2P.hasFocalPoint)


ROLES = [
    ("2015-5th-annual-meeting-madrid", "un-special-adviser-on-the-responsibility-to-protect", "jennifer-welsh", 2015, "united-nations"),
    ("2017-7th-annual-meeting-doha", "un-special-adviser-on-the-responsibility-to-protect", "ivan-simonovic", 2017, "united-nations"),
    ("2019-9th-annual-meeting-brussels", "un-special-adviser-on-the-responsibility-to-protect", "karen-smith", 2019, "united-nations"),
    ("2019-9th-annual-meeting-brussels", "un-special-adviser-on-the-prevention-of-genocide", "adama-dieng", 2019, "united-nations"),
    ("2017-7th-annual-meeting-doha", "executive-director", "simon-adams", 2017, "global-centre-for-the-responsibility-to-protect"),
    ("2019-9th-annual-meeting-brussels", "executive-director", "simon-adams", 2019, "global-centre-for-the-responsibility-to-protect"),
    ("2015-5th-annual-meeting-madrid", "un-special-rapporteur-on-minority-issues", "rita-izsak", 2015, "united-nations"),
    ("2017-7th-annual-meeting-doha", "secretary-general", "ahmed-hassan-al-hammadi", 2017, "qatar-ministry-of-foreign-affairs"),
]


@pytest.mark.parametrize("name, role, person, year, org", ROLES)
def test_roles_at_the_time(name, role, person, year, org):
    d = doc(name)
    ra = E("role-assignment", f"{role}-{person}-{year}")
    t = triples(d)
    assert (ra, RDF.type, R2P.RoleAssignment) in t
    assert (ra, R2P.holder, E("person", person)) in t
    assert (ra, R2P.role, E("role", role)) in t
    assert (ra, R2P.roleIn, E("org", org)) in t
    assert (ra, R2P.year, date(str(year))) in t
    assert (ra, R2P.atMeeting, E("meeting", f"annual-meeting-{name.split('-')[1][:-2]}")) in t


def test_affiliations():
    d = doc("2015-5th-annual-meeting-madrid")
    assert (E("person", "alex-bellamy"), R2P.affiliatedWith,
            E("org", "asia-pacific-centre-for-the-responsibility-to-protect")) in triples(d)
    d17 = doc("2017-7th-annual-meeting-doha")
    assert (E("person", "jorn-eiermann"), R2P.affiliatedWith, E("state", "liechtenstein")) in triples(d17)
    assert (E("person", "marieke-wierda"), R2P.affiliatedWith, E("state", "netherlands")) in triples(d17)


@pytest.mark.parametrize("name, states, orgs", [
    ("2012-2nd-annual-meeting", 23, None),
    ("2019-9th-annual-meeting-brussels", 61, 2),
    ("2015-5th-annual-meeting-madrid", None, None),
])
def test_network_size(name, states, orgs):
    d = doc(name)
    obs = E("observation", f"network-size-{d.slug}")
    if states is None:
        assert not objects(d, obs, R2P.stateCount)
        return
    assert objects(d, obs, R2P.stateCount) == {integer(states)}
    assert objects(d, obs, R2P.organizationCount) == ({integer(orgs)} if orgs else set())
    assert objects(d, obs, R2P.ofNetwork) == {E("org", "global-network-of-r2p-focal-points")}
    assert len(objects(d, obs, R2P.date)) == 1


def _members(d, group):
    out = {}
    for ms in subjects(d, R2P.group, E("org", group)):
        for member in objects(d, ms, R2P.groupMember):
            out[str(member).split("/id/")[1]] = {str(y) for y in objects(d, ms, R2P.year)}
    return out


def test_steering_and_facilitating_groups():
    steering = _members(doc("2019-9th-annual-meeting-brussels"), "steering-group")
    assert steering == {k: {"2019"} for k in ["state/australia", "state/denmark", "state/ghana", "state/lithuania",
                                              "state/slovenia", "org/global-centre-for-the-responsibility-to-protect"]}
    facilitating = _members(doc("2012-2nd-annual-meeting"), "facilitating-group")
    assert facilitating == {"state/denmark": {"2010"}, "state/ghana": {"2010"}, "state/australia": set(),
                            "state/costa-rica": set()}


@pytest.mark.parametrize("name, agent, intent, year", [
    ("2012-2nd-annual-meeting", "state/cote-d-ivoire", "intends", 2012),
    ("2012-2nd-annual-meeting", "state/slovenia", "intends", 2012),
    ("2019-9th-annual-meeting-brussels", "org/organization-of-american-states", "appointed", 2019),
])
def test_announcements(name, agent, intent, year):
    d = doc(name)
    ann = E("announcement", f"{agent.split('/')[1]}-{year}")
    t = triples(d)
    assert (ann, R2P.announcedBy, _iri(agent)) in t
    assert objects(d, ann, R2P.intent) == {Literal(intent)}
    assert objects(d, ann, R2P.year) == {date(str(year))}
    assert len(subjects(d, RDF.type, R2P.AppointmentAnnouncement)) == (2 if name.startswith("2012") else 1)


KIND = {"recommendation": R2P.KindRecommendation, "suggested action": R2P.KindSuggestedAction,
        "lesson": R2P.KindLesson, "obstacle": R2P.KindObstacle}


@pytest.mark.parametrize("name, counts, sample", [
    # The numbered recommendations, a call in prose, a suggestion and three measures counted in prose.
    ("2015-5th-annual-meeting-madrid", {"recommendation": 10, "suggested action": 4},
     ("recommendation", 4, "All states should sign and ratify the Arms Trade Treaty")),
    ("2019-9th-annual-meeting-brussels", {"lesson": 8, "recommendation": 10},
     ("lesson", 1, "R2P Focal Points have a special responsibility")),
    ("2012-2nd-annual-meeting", {"recommendation": 5, "suggested action": 1, "obstacle": 2},
     ("obstacle", None, "Some member states raised concerns about diversity of language")),
    # Three bulleted lists of what focal points can do, a suggestion in prose and two 'core challenges'.
    ("2017-7th-annual-meeting-doha", {"suggested action": 15, "recommendation": 1, "obstacle": 2},
     ("suggested action", 3, "Examining national legislation on hate speech.")),
])
def test_recommendations(name, counts, sample):
    d = doc(name)
    recs = subjects(d, RDF.type, R2P.Recommendation)
    kinds = {}
    for rec in recs:
        (kind,) = objects(d, rec, R2P.recommendationKind)
        kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds == {KIND[k]: n for k, n in counts.items()}
    kind, n, text = sample
    meeting_slug = next(iter(objects(d, iris.document(d.slug), R2P.aboutMeeting))).split("/")[-1]
    found = [r for r in recs if any(str(t).startswith(text) for t in objects(d, r, R2P.text))]
    assert len(found) == 1
    rec = found[0]
    assert str(rec).startswith(str(E("recommendation", meeting_slug)) + "-")
    assert objects(d, rec, R2P.recommendationKind) == {KIND[kind]}
    assert objects(d, rec, R2P.number) == ({integer(n)} if n is not None else set())


def test_recommendation_links_and_second_list():
    d = doc("2019-9th-annual-meeting-brussels")
    by_text = {str(t): r for r in subjects(d, RDF.type, R2P.Recommendation) for t in objects(d, r, R2P.text)}
    mentor = next(r for t, r in by_text.items() if t.startswith("R2P Focal Points should support and actively mentor"))
    assert E("mechanism", "manual-for-r2p-focal-points") in objects(d, mentor, R2P.recommendsMechanism)
    assert objects(d, mentor, R2P.number) == {integer(4)}
    first_lesson = next(t for t in by_text if t.startswith("R2P Focal Points have a special responsibility"))
    assert "not necessarily a foreign policy priority" in first_lesson  # joined across the page break


def test_recommendation_iris_do_not_depend_on_list_order():
    """The same item keeps its IRI when another list comes before it in the document."""
    d = doc("2015-5th-annual-meeting-madrid")
    (rec,) = [r for r in subjects(d, RDF.type, R2P.Recommendation)
              if any(str(t).startswith("All states should sign") for t in objects(d, r, R2P.text))]
    text = next(iter(objects(d, rec, R2P.text)))
    assert rec == recommendation_iri("annual-meeting-5", str(text))


def test_summary_parts_are_not_sessions():
    d = doc("2012-2nd-annual-meeting")
    sessions = {str(s).rsplit("/", 1)[-1] for s in objects(d, E("meeting", "annual-meeting-2"), R2P.hasSession)}
    assert "annual-meeting-2-national-experiences" in sessions
    assert not {"annual-meeting-2-history-of-the-initiative", "annual-meeting-2-moving-forward",
                "annual-meeting-2-introduction"} & sessions


@pytest.mark.parametrize("name, expected, absent", [
    ("2015-5th-annual-meeting-madrid", {"syria", "south-sudan", "central-african-republic", "libya", "myanmar", "iraq",
                                        "nigeria", "democratic-republic-of-the-congo", "rwanda", "srebrenica"},
     {"spain", "chile", "bosnia-and-herzegovina"}),
    ("2017-7th-annual-meeting-doha", {"syria", "middle-east"}, {"qatar", "united-states", "finland"}),
    ("2019-9th-annual-meeting-brussels", {"myanmar", "venezuela", "yemen", "gambia", "solomon-islands", "ukraine",
                                          "nigeria", "south-sudan", "syria"}, {"belgium"}),
    ("2012-2nd-annual-meeting", set(), {"thailand", "denmark"}),
])
def test_situations(name, expected, absent):
    d = doc(name)
    meeting = next(iter(objects(d, iris.document(d.slug), R2P.aboutMeeting)))
    found = {str(s).rsplit("/", 1)[1] for s in objects(d, meeting, R2P.discussedSituation)}
    assert expected <= found, expected - found
    assert not (absent & found)
    for s in objects(d, meeting, R2P.discussedSituation):
        # A state's situation is in that state; a region's in that region; a place named alone is in no state.
        slug = str(s).rsplit("/", 1)[1]
        assert objects(d, s, R2P.situationIn) in ({E("state", slug)}, {E("region", slug)}, set())
    assert not objects(d, E("situation", "srebrenica"), R2P.situationIn)


def test_crimes_and_mechanisms():
    d = doc("2017-7th-annual-meeting-doha")
    syria = E("situation", "syria")
    assert {R2P.WarCrimes, R2P.CrimesAgainstHumanity} <= objects(d, syria, R2P.involvesCrime)
    iiim = E("mechanism", "iiim-syria")
    assert objects(d, iiim, R2P.establishedBy) == {E("org", "general-assembly")}
    assert syria in objects(d, iiim, R2P.concernsSituation)
    assert E("mechanism", "security-council-resolution-2286") in objects(d, E("meeting", "annual-meeting-7"),
                                                                       R2P.discussedMechanism)
    d19 = doc("2019-9th-annual-meeting-brussels")
    assert E("situation", "myanmar") in objects(d19, E("mechanism", "fact-finding-mission-on-myanmar"), R2P.concernsSituation)


def test_sessions():
    d = doc("2017-7th-annual-meeting-doha")
    sessions = objects(d, E("meeting", "annual-meeting-7"), R2P.hasSession)
    labels = {str(next(iter(objects(d, s, SKOS.prefLabel)))) for s in sessions}
    assert "Syria and Mass Atrocity Prevention" in labels
    assert "Developing a Manual for R2P Focal Points" in labels
    assert E("session", "annual-meeting-7-accountability-for-mass-atrocity-crimes") in sessions


@pytest.mark.parametrize("path", ALL_DOCS, ids=lambda p: p.stem)
def test_evidence_spans_and_labels(path):
    d = loaded(path)
    assert d.facts
    labels: dict[URIRef, set[str]] = {}
    for f in d.facts:
        if f.predicate == SKOS.prefLabel:
            labels.setdefault(f.subject, set()).add(str(f.object))
    assert all(len(v) == 1 for v in labels.values()), {k: v for k, v in labels.items() if len(v) > 1}
    typed = {f.subject for f in d.facts if f.predicate == RDF.type}
    assert typed <= set(labels)
    for f in d.facts:
        assert 0 <= f.evidence.start < f.evidence.end <= len(d.text)
        sentence = d.text[f.evidence.start:f.evidence.end]
        assert sentence.strip()
        if f.predicate in (R2P.hostedBy, R2P.heldInCity, R2P.heldInCountry, R2P.hasFocalPoint):
            obj = f.object if f.predicate != R2P.hasFocalPoint else f.subject
            names = _names(d, obj)
            assert any(n in sentence for n in names) or _adjectival(sentence), (f, sentence[:200])
    for m in d.mentions:
        assert 0 <= m.span.start < m.span.end <= len(d.text)


def _names(d, iri) -> set[str]:
    out = set()
    for m in d.mentions:
        if m.entity == iri:
            out.add(d.text[m.span.start:m.span.end])
    return out


def _adjectival(sentence: str) -> bool:
    return bool(re.search(r"\b[A-Z][a-z]+(?:ish|ese|ian|an|ic|i)\b", sentence))


@pytest.mark.parametrize("expected", sorted(UNSEEN.glob("*.expected.json")), ids=lambda p: p.stem)
def test_unseen_documents(expected):
    exp = json.loads(expected.read_text())
    if "meeting" not in exp:
        pytest.skip("not a meeting summary: its kinds are checked by test_unseen_documents.py")
    d = loaded(UNSEEN / f"{exp['document']}.txt")
    m = exp["meeting"]
    meeting = E("meeting", f"annual-meeting-{m['ordinal']}")
    labels = {f.subject: str(f.object) for f in d.facts if f.predicate == SKOS.prefLabel}
    name = lambda iri: labels.get(iri, "")  # noqa: E731
    assert objects(d, meeting, R2P.startDate) == {date(m["start_date"])}
    assert objects(d, meeting, R2P.endDate) == {date(m["end_date"])}
    assert {name(c) for c in objects(d, meeting, R2P.heldInCity)} == {m["city"]}
    assert {name(c) for c in objects(d, meeting, R2P.heldInCountry)} == {m["country"]}
    assert {name(h) for h in objects(d, meeting, R2P.hostedBy)} == set(m["hosts"])
    assert objects(d, meeting, R2P.participantCount) == {integer(m["participant_count"])}
    assert Literal(m["more_than"]) in objects(d, meeting, R2P.countIsLowerBound)
    obs = E("observation", f"network-size-{d.slug}")
    for size in exp["network_size"]:
        assert objects(d, obs, R2P.stateCount) == {integer(size["states"])}
        if size["organizations"]:
            assert objects(d, obs, R2P.organizationCount) == {integer(size["organizations"])}
    for fp in exp["focal_points"]:
        agent = next(i for i, lab in labels.items() if lab == fp["member"])
        posts = objects(d, agent, R2P.hasFocalPoint)
        assert posts, fp
        titles = " ".join(str(t) for p in posts for t in objects(d, p, R2P.positionTitle))
        assert fp["position"] in titles
        if fp["person"]:
            assert {name(h) for p in posts for h in objects(d, p, W3ORG.heldBy)} == {fp["person"]}
    for role in exp["roles"]:
        ras = [ra for ra in subjects(d, R2P.holder, next(i for i, lab in labels.items() if lab == role["person"]))]
        assert any(role["role"] in name(r) for ra in ras for r in objects(d, ra, R2P.role))
        assert any(date(str(role["year"])) in objects(d, ra, R2P.year) for ra in ras)
    for ann in exp["announcements"]:
        agent = next(i for i, lab in labels.items() if lab == ann["agent"])
        anns = subjects(d, R2P.announcedBy, agent)
        assert anns and any(str(i).startswith(ann["intent"]) for a in anns for i in objects(d, a, R2P.intent))
    for host in exp["announced_hosts"]:
        agent = next(i for i, lab in labels.items() if lab == host["agent"])
        m2 = E("meeting", f"annual-meeting-{host['ordinal']}")
        assert (agent, R2P.announcedHostOf, m2) in triples(d)
        assert {name(c) for c in objects(d, m2, R2P.heldInCity)} == {host["city"]}
        assert objects(d, m2, R2P.startDate) == {date(str(host["year"]))}
    for group in exp["coordination_groups"]:
        members = {name(o) for ms in subjects(d, R2P.group, E("org", "steering-group"))
                   for o in objects(d, ms, R2P.groupMember)}
        assert members == set(group["members"])
    situations = {name(s) for s in objects(d, meeting, R2P.discussedSituation)}
    assert set(exp["situations"]) <= situations
    recs = objects(d, meeting, R2P.hasRecommendation)
    assert len(recs) == exp["recommendation_count"]
    mechs = {name(x) for r in recs for x in objects(d, r, R2P.recommendsMechanism)}
    for mech in exp["recommendation_mechanisms"]:
        assert any(mech in x for x in mechs), (mech, mechs)


def test_reference_facts_give_cities_their_states():
    ents = {E("city", "helsinki"), E("city", "seoul"), E("region", "sinjar-region"), E("state", "finland")}
    ref = set(reference_facts(ents))
    assert (E("city", "helsinki"), R2P.cityOf, E("state", "finland")) in ref
    assert (E("city", "seoul"), R2P.cityOf, E("state", "republic-of-korea")) in ref
    assert (E("city", "seoul"), RDF.type, R2P.City) in ref
    assert (E("region", "sinjar-region"), R2P.locatedIn, E("state", "iraq")) in ref
    labels = [t for t in ref if t[1] in (SKOS.prefLabel, RDFS.label) and t[0] == E("city", "helsinki")]
    assert sorted(labels) == [(E("city", "helsinki"), RDFS.label, Literal("Helsinki", lang="en")),
                              (E("city", "helsinki"), SKOS.prefLabel, Literal("Helsinki", lang="en"))]
