"""A synthetic graph shaped like the built one, written as N-Quads or TriG by streaming (no rdflib).

    python -m bench.graphgen 1000000 /tmp/g1m.nq [--format nq|trig] [--seed 0]

The shape follows `r2pkg build` (graph/build.py, graph/evidence.py): per summary one document graph
(meeting with ordinal, dates, city, hosts, participants, sessions, numbered recommendations naming
mechanisms, situations discussed, focal-point posts within ministries held by persons, role
assignments, announcements, a network-size observation, the type and label of every entity named;
and what issue 12 added: each post as the summary describes it, a state with no focal point yet,
national practices, the themes sentences discuss, the meeting's distinction and the next meeting
it announces, a mechanism's history) and one evidence graph (each fact as r2p:Evidence with
rdf:subject/predicate/object and the rule that read it -> r2p:Sentence with oa:start/end/exact, and
r2p:Mentions of entities); the corpus graph (document metadata and text), the gazetteer graph (the
state a city lies in, the rules and the themes named) and the ontology graph. The
inferred graph is not written: the benchmark computes it with the reasoner, as the build does.

A few hub states (HUBS) take part in every meeting and are mentioned many times in each summary,
so that at 1M triples each is the subject or object of thousands of quads: the worst case of an
entity page. Summaries are added until the target number of quads is reached; the same
(target, seed) gives the same bytes.
"""
from __future__ import annotations

import argparse
import hashlib
import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from .gazetteers import load

BASE = "https://w3id.org/r2pkg/"
ID = BASE + "id/"
R2P = BASE + "ontology#"
GRAPH = BASE + "graph/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
XSD = "http://www.w3.org/2001/XMLSchema#"
ORG = "http://www.w3.org/ns/org#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
DCT = "http://purl.org/dc/terms/"
ONTOLOGY_FILE = Path(__file__).resolve().parent.parent / "ontology" / "r2p.ttl"

HUBS = ("denmark", "ghana", "australia")   # the founding facilitating group: in every meeting
HUB_MENTIONS = 6                            # mentions of each hub per summary
CRIMES = ("Genocide", "WarCrimes", "EthnicCleansing", "CrimesAgainstHumanity")
GIVEN = ("Amara", "Bruno", "Camila", "Dariusz", "Elena", "Farid", "Greta", "Hiroshi", "Ines", "Jonas", "Kofi",
         "Leila", "Mateo", "Nadia", "Oskar", "Priya", "Rosa", "Samuel", "Tamar", "Umar", "Vera", "Yara", "Zoran")
# Topics of the theme scheme (loaders/gazetteers/themes.json) a sentence discusses: (a topic, a narrower one).
TOPICS = (("risk-factors", "risk-factor-1-armed-conflict-or-instability"),
          ("risk-factors", "risk-factor-8-triggering-factors"),
          ("women-peace-and-security", "sexual-and-gender-based-violence"))
PRACTICE_KINDS = ("BodyCreation", "PolicyIssuance")
SYLLABLES = ("ba", "den", "kor", "mal", "ves", "tan", "ri", "sol", "lin", "gar", "no", "bel", "ham", "ski",
             "var", "o", "ek", "man", "dra", "sen", "lu", "ko", "vic", "ber", "ta", "mi", "ros", "ha")


def iri(value: str) -> str:
    return f"<{value}>"


def lit(value: str, datatype: str | None = None) -> str:
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{text}"' + (f"^^<{datatype}>" if datatype else "")


def integer(n: int) -> str:
    return f'"{n}"^^<{XSD}integer>'


@dataclass
class Counts:
    quads: int = 0
    documents: int = 0
    facts: int = 0
    evidence: int = 0
    bytes: int = 0
    seconds: float = 0.0
    hubs: tuple[str, ...] = ()
    graphs: dict[str, int] = field(default_factory=dict)


class Writer:
    """Writes quads as N-Quads lines, or as TriG blocks (one block per run of quads in one graph)."""

    def __init__(self, out: TextIO, fmt: str = "nq"):
        if fmt not in ("nq", "trig"):
            raise ValueError(f"format {fmt!r}: expected nq or trig")
        self.out, self.fmt = out, fmt
        self.count = 0
        self._graph: str | None = None
        self._buf: list[str] = []
        self.rules: set[str] = set()    # the extraction rules evidence names: each described once (`_references`)

    def quad(self, s: str, p: str, o: str, g: str) -> None:
        self.count += 1
        if self.fmt == "nq":
            self._buf.append(f"{s} {p} {o} {g} .\n")
        else:
            if g != self._graph:
                if self._graph is not None:
                    self._buf.append("}\n")
                self._buf.append(f"{g} {{\n")
                self._graph = g
            self._buf.append(f"{s} {p} {o} .\n")
        if len(self._buf) > 20000:
            self.flush()

    def flush(self) -> None:
        self.out.write("".join(self._buf))
        self._buf.clear()

    def close(self) -> None:
        if self.fmt == "trig" and self._graph is not None:
            self._buf.append("}\n")
            self._graph = None
        self.flush()


def _person(rng: random.Random) -> str:
    return f"{rng.choice(GIVEN)} " + "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _slug(text: str) -> str:
    import re
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


class Summary:
    """One summary's facts and evidence, written as they are made."""

    def __init__(self, w: Writer, slug: str, rng: random.Random):
        self.w, self.slug, self.rng = w, slug, rng
        self.doc = ID + "document/" + slug
        self.g_doc = iri(GRAPH + "document/" + slug)
        self.g_ev = iri(GRAPH + "evidence/" + slug)
        self.pos = 0
        self.sentences: list[tuple[int, int, str]] = []
        self.typed: set[str] = set()
        self.facts = 0
        self.rule = "rule_meeting"      # the extraction rule of the facts written next (r2p:extractedBy)

    def sentence_iri(self, span: tuple[int, int, str]) -> str:
        return iri(f"{self.doc}#char={span[0]},{span[1]}")

    def sentence(self, text: str) -> tuple[int, int, str]:
        span = (self.pos, self.pos + len(text), text)
        self.pos += len(text) + 1
        self.sentences.append(span)
        return span

    def fact(self, s: str, p: str, o: str, span: tuple[int, int, str]) -> None:
        w = self.w
        w.quad(s, p, o, self.g_doc)
        self.facts += 1
        key = "\x1f".join((s, p, o, str(span[0]), str(span[1])))
        ev = iri(f"{self.doc}/evidence/{hashlib.sha1(key.encode()).hexdigest()[:16]}")
        g = self.g_ev
        w.quad(ev, iri(RDF + "type"), iri(R2P + "Evidence"), g)
        w.quad(ev, iri(RDF + "subject"), s, g)
        w.quad(ev, iri(RDF + "predicate"), p, g)
        w.quad(ev, iri(RDF + "object"), o, g)
        w.quad(ev, iri(R2P + "sentence"), iri(f"{self.doc}#char={span[0]},{span[1]}"), g)
        w.quad(ev, iri(PROV + "wasDerivedFrom"), iri(self.doc), g)
        w.quad(ev, iri(R2P + "extractedBy"), iri(f"{ID}rule/{self.rule}"), g)
        w.rules.add(self.rule)

    def entity(self, node: str, cls: str, label: str, span) -> None:
        if node in self.typed:
            return
        self.typed.add(node)
        self.fact(node, iri(RDF + "type"), iri(R2P + cls), span)
        self.fact(node, iri(SKOS + "prefLabel"), lit(label), span)

    def mention(self, node: str, span) -> None:
        start = span[0] + self.rng.randint(0, max(0, span[1] - span[0] - 10))
        m = iri(f"{self.doc}/mention/{start}-{start + 8}")
        self._located(m, "Mention", (start, start + 8, span[2][start - span[0]:start - span[0] + 8]))
        self.w.quad(m, iri(OA + "hasBody"), node, self.g_ev)

    def _located(self, node: str, cls: str, span) -> None:
        w, g = self.w, self.g_ev
        offset = XSD + "integer"     # as the build writes offsets (graph/evidence.py)
        w.quad(node, iri(RDF + "type"), iri(R2P + cls), g)
        w.quad(node, iri(OA + "hasSource"), iri(self.doc), g)
        w.quad(node, iri(OA + "start"), lit(str(span[0]), offset), g)
        w.quad(node, iri(OA + "end"), lit(str(span[1]), offset), g)
        w.quad(node, iri(OA + "exact"), lit(span[2]), g)

    def finish(self) -> None:
        for start, end, text in self.sentences:
            self._located(iri(f"{self.doc}#char={start},{end}"), "Sentence", (start, end, text))


def _summary(w: Writer, n: int, rng: random.Random, names, seed: int = 0) -> int:
    """Write summary number n; returns its number of facts."""
    # What issue 12 added to a build (descriptions of posts, practices, themes...) is drawn from a
    # generator of its own, so that the rest of the summary is what it was before.
    extra = random.Random(f"{seed}:{n}")
    states = [s for s in names.states if names.capital_of(s.slug)]
    hubs = [names.state(h) for h in HUBS]
    host, cohost = rng.sample(states, 2)
    city = names.capital_of(host.slug)
    year = 2010 + n
    month, day = rng.randint(1, 12), rng.randint(1, 26)
    date = f"{year:04d}-{month:02d}-{day:02d}"
    slug = f"{year}-meeting-{n:05d}-{city.slug}"
    doc = Summary(w, slug, rng)
    meeting = iri(f"{ID}meeting/annual-meeting-{n}")
    m_label = f"Annual Meeting {n} of the Global Network of R2P Focal Points"
    ngos = [o for o in names.organizations if o.cls == "NonGovernmentalOrganization"]
    regional = [o for o in names.organizations if o.cls == "RegionalOrganization"]
    partner = rng.choice(ngos)
    st = lambda s: iri(f"{ID}state/{s.slug}")                      # noqa: E731
    org = lambda o: iri(f"{ID}org/{o.slug}")                        # noqa: E731
    D = lambda p: iri(R2P + p)                                      # noqa: E731

    s1 = doc.sentence(f"The governments of {host.name} and {cohost.name}, in association with the {partner.name}, "
                      f"co-hosted the annual meeting {n} of the Global Network of R2P Focal Points in {city.name}, "
                      f"{host.name}, from {day} to {day + 1} {names.months[month - 1]} {year}.")
    doc.entity(meeting, "AnnualMeeting", m_label, s1)
    doc.fact(meeting, D("ordinal"), integer(n), s1)
    doc.fact(iri(doc.doc), D("aboutMeeting"), meeting, s1)
    doc.fact(meeting, D("ofNetwork"), iri(ID + "org/global-network-of-r2p-focal-points"), s1)
    doc.fact(meeting, D("startDate"), lit(date, XSD + "date"), s1)
    doc.fact(meeting, D("endDate"), lit(f"{year:04d}-{month:02d}-{day + 1:02d}", XSD + "date"), s1)
    c = iri(f"{ID}city/{city.slug}")
    doc.entity(c, "City", city.name, s1)
    doc.fact(meeting, D("heldInCity"), c, s1)
    doc.fact(meeting, D("heldInCountry"), st(host), s1)
    for agent, cls, label, party in ((st(host), "State", host.name, "hostedBy"),
                                     (st(cohost), "State", cohost.name, "hostedBy"),
                                     (org(partner), partner.cls, partner.name, "inAssociationWith")):
        doc.entity(agent, cls, label, s1)
        doc.fact(meeting, D(party), agent, s1)
        doc.mention(agent, s1)
    if n % 5 == 1:          # what a summary says sets its meeting apart, now and then
        doc.rule = "rule_meeting_statements"
        s = doc.sentence(f"This was the first meeting of the network hosted in {city.name}.")
        doc.fact(meeting, D("distinction"), lit(f"first meeting of the network hosted in {city.name}"), s)

    doc.rule = "rule_participants"
    s2 = doc.sentence(f"The meeting brought together representatives of more than {rng.randint(25, 120)} countries, "
                      f"as well as officials of the regional organizations.")
    doc.fact(meeting, D("participantCount"), integer(rng.randint(25, 120)), s2)
    doc.fact(meeting, D("countIsLowerBound"), lit("true", XSD + "boolean"), s2)
    participants = hubs + rng.sample(states, rng.randint(15, 35))
    for ro in rng.sample(regional, 2):
        doc.entity(org(ro), ro.cls, ro.name, s2)
        doc.fact(meeting, D("hasParticipant"), org(ro), s2)
        doc.mention(org(ro), s2)
    for state in participants:
        s = doc.sentence(f"Representatives of {state.name} took part in the discussions of the meeting.")
        doc.entity(st(state), "State", state.name, s)
        doc.fact(meeting, D("hasParticipant"), st(state), s)
        doc.mention(st(state), s)
    for hub in hubs:
        for _ in range(HUB_MENTIONS):
            s = doc.sentence(f"The delegation of {hub.name} recalled the founding of the initiative by {hub.name}.")
            doc.mention(st(hub), s)

    doc.rule = "rule_network_size"
    s3 = doc.sentence(f"Since the launch of the initiative the network has expanded to include "
                      f"{rng.randint(20, 90)} national and {rng.randint(1, 4)} regional R2P Focal Points.")
    obs = iri(f"{ID}observation/network-size-{slug}")
    doc.entity(obs, "NetworkSizeObservation", f"Size of the Global Network ({year})", s3)
    doc.fact(obs, D("ofNetwork"), iri(ID + "org/global-network-of-r2p-focal-points"), s3)
    doc.fact(obs, D("stateCount"), integer(rng.randint(20, 90)), s3)
    doc.fact(obs, D("organizationCount"), integer(rng.randint(1, 4)), s3)
    doc.fact(obs, D("date"), lit(date, XSD + "date"), s3)

    # Persons with roles: the minister of the host, the Special Adviser.
    doc.rule = "rule_organization_roles"
    for role_slug, role_name, in_org in (("minister-of-foreign-affairs", "Minister of Foreign Affairs", st(host)),
                                         ("un-special-adviser-on-the-responsibility-to-protect",
                                          "UN Special Adviser on the Responsibility to Protect",
                                          iri(ID + "org/united-nations"))):
        name = _person(rng)
        pslug = _slug(name)
        s = doc.sentence(f"The meeting was opened by the {role_name}, Dr. {name}.")
        person = iri(f"{ID}person/{pslug}")
        doc.entity(person, "Person", name, s)
        doc.fact(meeting, D("hasParticipant"), person, s)
        doc.fact(person, D("affiliatedWith"), in_org, s)
        role = iri(f"{ID}role/{role_slug}")
        doc.entity(role, "Role", role_name, s)
        ra = iri(f"{ID}role-assignment/{role_slug}-{pslug}-{year}")
        doc.entity(ra, "RoleAssignment", f"{name} as {role_name} ({year})", s)
        for p, o in (("holder", person), ("role", role), ("roleIn", in_org), ("atMeeting", meeting)):
            doc.fact(ra, D(p), o, s)
        doc.fact(ra, D("year"), lit(str(year), XSD + "gYear"), s)
        doc.mention(person, s)

    # Focal points: one paragraph per state, a post within a ministry, often held by a person.
    doc.rule = "rule_focal_points"
    for state in rng.sample(states, rng.randint(4, 12)):
        kind, ministry = rng.choice(names.ministries[:3])
        s = doc.sentence(f"The R2P Focal Point is the Director of Political Affairs at the {ministry} of {state.name}.")
        post = iri(f"{ID}post/focal-point-{state.slug}")
        body = iri(f"{ID}org/{state.slug}-{kind}")
        doc.entity(st(state), "State", state.name, s)
        doc.entity(post, "FocalPointPost", f"R2P Focal Point of {state.name}", s)
        doc.fact(st(state), D("hasFocalPoint"), post, s)
        doc.fact(post, D("year"), lit(str(year), XSD + "gYear"), s)
        doc.fact(post, D("positionTitle"), lit(f"Director of Political Affairs at the {ministry} of {state.name}"), s)
        doc.entity(body, "GovernmentBody", f"{ministry} of {state.name}", s)
        doc.fact(post, D("withinBody"), body, s)
        doc.fact(body, D("partOf"), st(state), s)
        doc.mention(st(state), s)
        person = None
        if rng.random() < 0.6:
            name = _person(rng)
            person = iri(f"{ID}person/{_slug(name)}")
            doc.entity(person, "Person", name, s)
            doc.fact(post, iri(ORG + "heldBy"), person, s)
            doc.mention(person, s)
        _post_description(doc, state, post, date, s, title=f"Director of Political Affairs at the {ministry} of "
                          f"{state.name}", body=body, holder=person)
        doc.rule = "rule_focal_points"
    not_yet = extra.choice(states)
    s = doc.sentence(f"{not_yet.name} has not yet appointed an R2P Focal Point.")
    doc.rule = "rule_focal_points"
    doc.entity(st(not_yet), "State", not_yet.name, s)
    _post_description(doc, not_yet, None, date, s, status="StatusNotYetAppointed")

    # Announcements of appointments: intentions, and now and then an appointment made.
    doc.rule = "rule_announcements"
    for state in rng.sample(states, 2):
        s = doc.sentence(f"{state.name} announced its intention to appoint an R2P Focal Point.")
        _announcement(doc, iri(f"{ID}announcement/{state.slug}-{year}"),
                      f"{state.name}: intention to appoint an R2P Focal Point ({year})", st(state), meeting, "intends",
                      date, s, year=year)
    if extra.random() < 0.5:
        state = extra.choice(states)
        s = doc.sentence(f"{state.name} announced that it had appointed its R2P Focal Point.")
        _announcement(doc, iri(f"{ID}announcement/{state.slug}-{year}-appointed"),
                      f"{state.name}: appointed an R2P Focal Point ({year})", st(state), meeting, "appointed", date, s)

    # Situations, crimes, sessions.
    doc.rule = "rule_situations"
    for state in rng.sample(states, rng.randint(2, 4)):
        s = doc.sentence(f"Participants discussed the situation in {state.name}.")
        sit = iri(f"{ID}situation/{state.slug}")
        doc.entity(sit, "AtrocitySituation", state.name, s)
        doc.fact(sit, D("situationIn"), st(state), s)
        doc.fact(meeting, D("discussedSituation"), sit, s)
        doc.mention(sit, s)
    doc.rule = "rule_crimes_pillars"
    s = doc.sentence("They discussed genocide, war crimes, ethnic cleansing and crimes against humanity.")
    for crime in CRIMES:
        doc.fact(meeting, D("discussed"), iri(R2P + crime), s)
    doc.rule = "rule_sentence_themes"
    for crime in CRIMES:
        doc.fact(doc.sentence_iri(s), D("discussesTheme"), iri(R2P + crime), s)
    topic, narrower = extra.choice(TOPICS)
    s = doc.sentence(f"Speakers returned to {topic.replace('-', ' ')} and to {narrower.replace('-', ' ')} in particular.")
    for theme in (topic, narrower):
        doc.fact(doc.sentence_iri(s), D("discussesTheme"), iri(f"{ID}topic/{theme}"), s)
    _practices(doc, extra, names, states, date, meeting, st, D)
    doc.rule = "rule_sessions"
    for title in rng.sample(("Opening Session", "National Experiences", "Situations of Concern",
                             "Early Warning and Early Action", "Accountability", "Recommendations"), 4):
        s = doc.sentence(title.upper())
        session = iri(f"{ID}session/annual-meeting-{n}-{_slug(title)}")
        doc.entity(session, "Session", title, s)
        doc.fact(session, iri(RDFS + "label"), lit(title), s)
        doc.fact(meeting, D("hasSession"), session, s)

    # Numbered recommendations naming mechanisms.
    doc.rule = "rule_recommendations"
    for number, (mslug, mname, mcls) in enumerate(rng.sample(names.mechanisms, 5), 1):
        text = f"States should support the {mname} and share their analyses with R2P Focal Points."
        s = doc.sentence(f"{number}. {text}")
        rec = iri(f"{ID}recommendation/annual-meeting-{n}-{number}")
        mech = iri(f"{ID}mechanism/{mslug}")
        doc.entity(rec, "Recommendation", f"{m_label}: recommendation {number}", s)
        doc.fact(rec, D("number"), integer(number), s)
        doc.fact(rec, D("text"), lit(text), s)
        doc.fact(meeting, D("hasRecommendation"), rec, s)
        doc.entity(mech, mcls, mname, s)
        doc.fact(rec, D("recommendsMechanism"), mech, s)
        doc.fact(meeting, D("discussedMechanism"), mech, s)
        doc.mention(mech, s)
        if extra.random() < 0.2:        # a mechanism's history, as a summary tells it now and then
            doc.rule = "rule_mechanisms"
            doc.fact(mech, D("establishedBy"), iri(ID + "org/united-nations"), s)
            doc.fact(mech, D("launchedOn"), lit(str(extra.randint(1990, year)), XSD + "gYear"), s)
            doc.rule = "rule_recommendations"
    # The next meeting, announced at this one.
    doc.rule = "rule_other_meetings"
    s = doc.sentence(f"The annual meeting {n + 1} of the network should be held next year.")
    following = iri(f"{ID}meeting/annual-meeting-{n + 1}")
    doc.fact(following, iri(RDF + "type"), D("PlannedMeeting"), s)
    doc.fact(following, D("announcedAt"), meeting, s)
    doc.fact(iri(doc.doc), D("announcesMeeting"), following, s)
    doc.finish()

    # Corpus metadata (with the text), gazetteer facts.
    g = iri(GRAPH + "corpus")
    d = iri(doc.doc)
    text = "\n".join(t for _s, _e, t in doc.sentences)
    for p, o in ((RDF + "type", iri(R2P + "Document")), (DCT + "title", lit(m_label)), (SKOS + "prefLabel", lit(m_label)),
                 (DCT + "source", lit(slug + ".txt")), (DCT + "format", lit("text/plain")), (R2P + "text", lit(text)),
                 (DCT + "language", lit("en")), (DCT + "issued", lit(str(year), XSD + "gYear"))):
        w.quad(d, iri(p), o, g)
    for graph_iri in (doc.g_doc, doc.g_ev):
        w.quad(graph_iri, iri(PROV + "wasDerivedFrom"), d, g)
    w.quad(c, iri(R2P + "cityOf"), st(host), iri(GRAPH + "gazetteer"))
    return doc.facts


def _announcement(doc, ann: str, label: str, state: str, meeting: str, intent: str, date: str, s: str,
                  year: int | None = None) -> None:
    """An announcement of an appointment at a meeting, as the announcements rule writes it."""
    D = lambda p: iri(R2P + p)                                      # noqa: E731
    doc.entity(ann, "AppointmentAnnouncement", label, s)
    doc.fact(ann, D("announcedBy"), state, s)
    doc.fact(ann, D("atMeeting"), meeting, s)
    doc.fact(ann, D("intent"), lit(intent), s)
    if year is not None:
        doc.fact(ann, D("year"), lit(str(year), XSD + "gYear"), s)
    doc.fact(ann, D("date"), lit(date, XSD + "date"), s)


def _post_description(doc: Summary, state, post: str | None, date: str, span, *, title: str | None = None,
                      body: str | None = None, holder: str | None = None, status: str = "StatusAppointed") -> None:
    """The summary's description of a state's post (r2p:PostDescription), as rule_post_descriptions writes it:
    dated by the summary, with the title, body and holder the sentence gives, or a status without a post."""
    doc.rule = "rule_post_descriptions"
    state_iri = iri(f"{ID}state/{state.slug}")
    desc = iri(f"{ID}post-description/focal-point-{state.slug}-{doc.slug}")
    doc.entity(desc, "PostDescription", f"R2P Focal Point of {state.name} ({date})", span)
    doc.fact(desc, iri(R2P + "describesAgent"), state_iri, span)
    if post is not None:
        doc.fact(desc, iri(R2P + "describesPost"), post, span)
    doc.fact(desc, iri(R2P + "appointmentStatus"), iri(R2P + status), span)
    doc.fact(desc, iri(R2P + "asOf"), lit(date, XSD + "date"), span)
    for prop, value in (("statedTitle", lit(title) if title else None), ("statedBody", body), ("statedHolder", holder)):
        if value is not None:
            doc.fact(desc, iri(R2P + prop), value, span)


def _practices(doc: Summary, rng: random.Random, names, states, date: str, meeting: str, st, D) -> None:
    """One or two national practices the summary tells (r2p:Practice), as rule_practices writes them: the actor (a
    ministry of the state), the kind, what it produced, the date and the sentence."""
    doc.rule = "rule_practices"
    for k in range(rng.randint(1, 2)):
        state = rng.choice(states)
        kind, ministry = rng.choice(names.ministries[:3])
        body = iri(f"{ID}org/{state.slug}-{kind}")
        text = f"The {ministry} of {state.name} established a national committee on atrocity prevention."
        s = doc.sentence(text)
        practice = iri(f"{ID}practice/{doc.slug}-{k + 1}")
        committee = iri(f"{ID}org/{state.slug}-national-committee-on-atrocity-prevention")
        doc.entity(body, "GovernmentBody", f"{ministry} of {state.name}", s)
        doc.fact(body, D("partOf"), st(state), s)
        doc.entity(committee, "GovernmentBody", f"National Committee on Atrocity Prevention of {state.name}", s)
        doc.entity(practice, "Practice", f"{ministry} of {state.name}: established a body or post", s)
        doc.fact(practice, D("actor"), body, s)
        doc.fact(practice, D("practiceKind"), D(rng.choice(PRACTICE_KINDS)), s)
        doc.fact(practice, D("produced"), committee, s)
        doc.fact(practice, D("date"), lit(date, XSD + "date"), s)
        doc.fact(practice, D("text"), lit(text), s)
        doc.mention(body, s)


def _references(w: Writer, rules: set[str]) -> None:
    """What a build writes beside the documents' graphs: each extraction rule the evidence names, and the themes
    of the scheme the sentences discuss (graph/evidence.py rule_triples, loaders/themes.py scheme_triples)."""
    from r2pkg.loaders.themes import scheme_triples

    g = iri(GRAPH + "gazetteer")
    for name in sorted(rules):
        rule = iri(f"{ID}rule/{name}")
        w.quad(rule, iri(RDF + "type"), iri(R2P + "ExtractionRule"), g)
        w.quad(rule, iri(SKOS + "prefLabel"), f'"{name}"@en', g)
        w.quad(rule, iri(RDFS + "label"), f'"{name}"@en', g)
    from rdflib import URIRef

    for s, p, o in scheme_triples([URIRef(f"{ID}topic/{t}") for pair in TOPICS for t in pair]):
        w.quad(s.n3(), p.n3(), o.n3(), g)


def _ontology(w: Writer) -> None:
    import pyoxigraph as ox

    g = iri(GRAPH + "ontology")
    blanks: dict[str, str] = {}     # the parser's blank node ids are random: number them in order

    def term(t) -> str:
        if isinstance(t, ox.BlankNode):
            return blanks.setdefault(t.value, f"_:o{len(blanks)}")
        return str(t)

    for t in ox.parse(path=str(ONTOLOGY_FILE), format=ox.RdfFormat.TURTLE):
        w.quad(term(t.subject), str(t.predicate), term(t.object), g)


def generate(target_quads: int, path: Path | str, *, fmt: str | None = None, seed: int = 0) -> Counts:
    """Write at least target_quads quads (summaries are whole) to path; returns what was written."""
    path = Path(path)
    fmt = fmt or ("trig" if path.suffix == ".trig" else "nq")
    names = load()
    rng = random.Random(seed)
    counts = Counts(hubs=tuple(ID + "state/" + h for h in HUBS))
    started = time.perf_counter()
    with path.open("w", encoding="utf-8") as out:
        w = Writer(out, fmt)
        _ontology(w)
        n = 0
        while w.count < target_quads:
            n += 1
            counts.facts += _summary(w, n, rng, names, seed)
        _references(w, w.rules)
        w.close()
    counts.quads, counts.documents = w.count, n
    counts.evidence = counts.facts * 6
    counts.bytes = path.stat().st_size
    counts.seconds = time.perf_counter() - started
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("quads", type=int)
    parser.add_argument("path", type=Path)
    parser.add_argument("--format", choices=("nq", "trig"))
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    c = generate(args.quads, args.path, fmt=args.format, seed=args.seed)
    print(f"{c.quads} quads ({c.documents} summaries, {c.facts} facts), {c.bytes / 1e6:.1f} MB in {c.seconds:.1f} s "
          f"({c.quads / c.seconds:,.0f} quads/s) -> {args.path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
