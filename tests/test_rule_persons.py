"""Persons, their roles and organizations, focal points and appointments, read by their form (issue 11).

Data-driven: each case is a short text written for these tests (invented people, our own sentences, in the
genres users feed: news items, press releases, joint statements, report excerpts, summaries), the facts a
reader takes from it, and facts a reader would not. A fact is (subject, predicate, object) with entities
written as '<kind>/<slug>' and literals as they are; a role assignment is named by its role and holder
('role-assignment/<role slug>-<person slug>-', matched as a prefix, as its IRI ends in the year or document).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from r2pkg.graph import iris
from r2pkg.loaders import load_document


@dataclass(frozen=True)
class Case:
    name: str
    text: str
    present: tuple[tuple[str, str, str], ...]
    absent: tuple[tuple[str, str, str], ...] = field(default=())
    persons: tuple[str, ...] = ()  # names that must be recognised whole


def _short(term) -> str:
    s = str(term)
    return s.split("/id/", 1)[1] if "/id/" in s else s.rsplit("#", 1)[-1] if "#" in s else s


def _facts(doc) -> set[tuple[str, str, str]]:
    return {(_short(f.subject), str(f.predicate).rsplit("#", 1)[-1].rsplit("/", 1)[-1], _short(f.object))
            for f in doc.facts}


def _has(facts, want: tuple[str, str, str]) -> bool:
    s, p, o = want
    prefix = s.startswith("role-assignment/")
    return any((fs.startswith(s) if prefix else fs == s) and fp == p and fo == o for fs, fp, fo in facts)


NEWS = "Prevention Monitor — news\n\n"
RELEASE = "MINISTRY OF FOREIGN AFFAIRS\nPress release\n\n"
REPORT = "Annual report 2022, chapter 3\n\n"

CASES = [
    Case("initials and a role after the name with its state alone after it",
         NEWS + "The forum was opened by the Honourable Mr. Tuelo K. M. Ramotswe, Minister for Foreign Affairs, "
                "Namibia, who welcomed the delegations, and by Ms. Ilse van Dijk, Minister for Development "
                "Cooperation of the Netherlands.",
         present=(("role-assignment/minister-for-foreign-affairs-tuelo-k-m-ramotswe-", "roleIn", "state/namibia"),
                  ("role-assignment/minister-for-development-cooperation-ilse-van-dijk-", "roleIn",
                   "state/netherlands")),
         absent=(("role-assignment/minister-for-foreign-affairs-tuelo-k-m-ramotswe-", "roleIn", "state/netherlands"),
                 ("role-assignment/minister-for-development-cooperation-ilse-van-dijk-", "roleIn", "state/namibia")),
         persons=("Tuelo K. M. Ramotswe", "Ilse van Dijk")),
    Case("particles, hyphens and a lower-case part after a hyphen",
         REPORT + "Presentations were given by Dr. Jean-Luc Ferrand-moreau, Ms. Ana de la Cruz, Mr. Hendrik van der "
                  "Berg and Mr. Ahmed bin Salem al-Harbi.",
         present=(),
         persons=("Jean-Luc Ferrand-moreau", "Ana de la Cruz", "Hendrik van der Berg", "Ahmed bin Salem al-Harbi")),
    Case("a name with diacritics and no honorific, known by the title after it",
         NEWS + "The panel was chaired by Zoë Nørgaard-Lund, Director of Policy, and Tomás Ibáñez, Head of Research "
                "at the Global Centre for the Responsibility to Protect.",
         present=(("role-assignment/director-of-policy-zoe-norgaard-lund-", "holder", "person/zoe-norgaard-lund"),
                  ("role-assignment/head-of-research-tomas-ibanez-", "roleIn",
                   "org/global-centre-for-the-responsibility-to-protect")),
         persons=("Zoë Nørgaard-Lund", "Tomás Ibáñez")),
    Case("a title before the honorific, and a rank of a state beside the next person's post",
         REPORT + "The session was chaired by ACPR Executive Director Dr. Piet Okonkwo, Ambassador of Chile, Marta "
                  "Quispe, Director of Human Rights, and Lena Moretti, Regional Programme Director.",
         present=(("role-assignment/executive-director-piet-okonkwo-", "roleIn", "org/acpr"),
                  ("role-assignment/director-of-human-rights-marta-quispe-", "roleIn", "state/chile")),
         absent=(("role-assignment/ambassador-piet-okonkwo-", "holder", "person/piet-okonkwo"),
                 ("role-assignment/ambassador-marta-quispe-", "holder", "person/marta-quispe")),
         persons=("Piet Okonkwo", "Marta Quispe", "Lena Moretti")),
    Case("a known role across spellings and a 'to the Secretary-General' insertion",
         NEWS + "We welcomed Ms Farah Mensah-Boateng, Special Advisor to the UN Secretary-General on the Prevention "
                "of Genocide. Among invited speakers is the Special Adviser of the United Nations Secretary-General "
                "on the Responsibility to Protect, Mr. Oskar Lindqvist.",
         present=(("role-assignment/un-special-adviser-on-the-prevention-of-genocide-farah-mensah-boateng-", "roleIn",
                   "org/united-nations"),
                  ("role-assignment/un-special-adviser-on-the-responsibility-to-protect-oskar-lindqvist-", "holder",
                   "person/oskar-lindqvist"))),
    Case("a possessive superior is not the role",
         REPORT + "Participants heard Dr Kai Oduya, the UN Secretary-General’s Special Advisor on the Responsibility "
                  "to Protect.",
         present=(("role-assignment/un-special-adviser-on-the-responsibility-to-protect-kai-oduya-", "holder",
                   "person/kai-oduya"),),
         absent=(("role-assignment/un-secretary-general-kai-oduya-", "holder", "person/kai-oduya"),)),
    Case("coordinated titles, the first in lower case",
         NEWS + "The dialogue included Ms. Rosa Alba Quintero, trustee of the fund and United Nations Special "
                "Advisor on the Prevention of Genocide.",
         present=(("role-assignment/un-special-adviser-on-the-prevention-of-genocide-rosa-alba-quintero-", "holder",
                   "person/rosa-alba-quintero"),)),
    Case("titles kept whole: a portfolio after the organization, an office of an organization",
         REPORT + "Mr. Bruno Kessler, Commissioner of the African Union for Freedom of Expression, "
                  "spoke first. Mr. Abel Tran, Head of the UN office of Amnesty International, closed the session. "
                  "Ms. Ida Rahn, Deputy Secretary-General for Political Affairs within the European External Action "
                  "Service, moderated.",
         present=(("role-assignment/commissioner-for-freedom-of-expression-bruno-kessler-", "roleIn",
                   "org/african-union"),
                  ("role-assignment/head-of-the-un-office-abel-tran-", "roleIn", "org/amnesty-international"),
                  ("role-assignment/deputy-secretary-general-for-political-affairs-ida-rahn-", "roleIn",
                   "org/european-external-action-service"))),
    Case("an organization read from the title's form",
         NEWS + "Prof. Mira Solberg, Honorary Chair of the International Coalition for Memory Studies, gave the "
                "keynote.",
         present=(("role-assignment/honorary-chair-mira-solberg-", "roleIn",
                   "org/international-coalition-for-memory-studies"),)),
    Case("former: a role held before, beside a body that is not the person's post",
         REPORT + "Also present were the UN Office of the Special Adviser on the Prevention of Genocide and former "
                  "Special Adviser on the Responsibility to Protect, Professor Henrik J. Aalto.",
         present=(("role-assignment/former-un-special-adviser-on-the-responsibility-to-protect-henrik-j-aalto-",
                   "holder", "person/henrik-j-aalto"),
                  ("role/former-un-special-adviser-on-the-responsibility-to-protect", "broader",
                   "role/un-special-adviser-on-the-responsibility-to-protect")),
         absent=(("role-assignment/un-special-adviser-on-the-prevention-of-genocide-henrik-j-aalto-", "holder",
                  "person/henrik-j-aalto"),)),
    Case("states after 'on' are a topic, coordinated, not titles",
         NEWS + "Talks were given by Ms. Dana Holt, the CEO of Bridgewater Aid and former Senior Policy Adviser on "
                "Syria and Iraq to United States Ambassador Ruth Kane.",
         present=(("role-assignment/former-senior-policy-adviser-on-syria-and-iraq-dana-holt-", "holder",
                   "person/dana-holt"),),
         absent=(("person/dana-holt", "affiliatedWith", "state/syria"),)),
    Case("a post named after its organization: possessive, or the organization's name before the title",
         NEWS + "The talk was given by Ambassador Lina Sørensen, the European External Action Service's Senior "
                "Adviser on Mediation and on the follow-up of UN Security Council Resolution 2250. Two experts – "
                "Dr. Lee Park of the Centre and Kemi Adeyemi, the Bring Back our Girls Campaign Leader – joined.",
         present=(("role-assignment/senior-adviser-on-mediation-and-on-the-follow-up-of-un-security-council-resolution"
                   "-2250-lina-sorensen-", "roleIn", "org/european-external-action-service"),
                  ("role-assignment/leader-kemi-adeyemi-", "roleIn", "org/bring-back-our-girls-campaign")),
         persons=("Lina Sørensen", "Kemi Adeyemi")),
    Case("a former post's state is not a participant of the meeting",
         "Summary of the twelfth annual meeting of the Global Network of R2P Focal Points\n\n"
         "The twelfth annual meeting took place in Lima, Peru, on 3 and 4 May 2023. The session opened with "
         "presentations from Ambassador Omar Haddad, Senior Fellow at the Hague Institute for Global Justice and "
         "former Ambassador of Canada to the African Union.",
         present=(("role-assignment/senior-fellow-omar-haddad-", "holder", "person/omar-haddad"),),
         absent=(("meeting/annual-meeting-12", "hasParticipant", "state/canada"),)),
    Case("officials of two states in one sentence each keep their own state",
         NEWS + "The meeting was opened by the Minister of Foreign Affairs of Ghana, Ms. Ama Owusu, and the State "
                "Secretary of Norway, Mr. Per Dahl. Ms. Lea Moss, Director for Europe, Ministry of Foreign Affairs, "
                "Estonia, and Mr. Ivo Tamm from Latvia spoke.",
         present=(("role-assignment/minister-of-foreign-affairs-ama-owusu-", "roleIn", "state/ghana"),
                  ("role-assignment/state-secretary-per-dahl-", "roleIn", "state/norway"),
                  ("role-assignment/director-for-europe-lea-moss-", "roleIn", "state/estonia"),
                  ("person/ivo-tamm", "affiliatedWith", "state/latvia")),
         absent=(("role-assignment/minister-of-foreign-affairs-ama-owusu-", "roleIn", "state/norway"),
                 ("role-assignment/state-secretary-per-dahl-", "roleIn", "state/ghana"),
                 ("role-assignment/director-for-europe-lea-moss-", "roleIn", "state/latvia"),
                 ("person/lea-moss", "affiliatedWith", "state/latvia"))),
    Case("a byline and a photo caption state no facts about the persons they name",
         "Regional news\n\nBy Mr. Carl Jensen, Senior Correspondent\n\nPhoto: Ambassador Rita Moyo, Director of "
         "Peace and Security, at the podium.\n\nThe meeting heard Ms. Eva Lind, Director of Policy.",
         present=(("role-assignment/director-of-policy-eva-lind-", "holder", "person/eva-lind"),),
         absent=(("role-assignment/director-of-peace-and-security-rita-moyo-", "holder", "person/rita-moyo"),
                 ("role-assignment/senior-correspondent-carl-jensen-", "holder", "person/carl-jensen"))),
    Case("names without honorific: after a title, at a sentence's start; a rank qualified by a word",
         NEWS + "Sweden's State Secretary, Olle Dahl, spoke next. Karin Ek, Sweden's Minister for Foreign Trade, "
                "replied. The Director of the Peace Centre, Jane Roe, said it was time. Foreign Minister Anna Berg of "
                "Sweden closed the debate. Human Rights, Director of Policy, and Finance were the topics.",
         present=(("role-assignment/state-secretary-olle-dahl-", "roleIn", "state/sweden"),
                  ("role-assignment/minister-for-foreign-trade-karin-ek-", "roleIn", "state/sweden"),
                  ("role-assignment/director-jane-roe-", "roleIn", "org/peace-centre"),
                  ("role-assignment/foreign-minister-anna-berg-", "roleIn", "state/sweden")),
         absent=(("person/human-rights", "type", "Person"),),
         persons=("Olle Dahl", "Karin Ek", "Jane Roe", "Anna Berg")),
    Case("a post stated by a verb: 'an organization she founded'",
         REPORT + "The session opened with a testimony from a survivor, Ms. Lina Haddad, who now supports families "
                  "of the missing through Hope Bridge, an organization she founded.",
         present=(("role-assignment/founder-lina-haddad-", "roleIn", "org/hope-bridge"),)),
    Case("a focal point in a quotation's attribution, with a rank honorific as the position",
         RELEASE + "“We look forward to the exchange,” says Ambassador Siri Vold who is the national focal point of "
                   "Norway on responsibility to protect. “Prevention starts at home,” said Jonas Brekke, Iceland's "
                   "R2P Focal Point.",
         present=(("post/focal-point-norway", "heldBy", "person/siri-vold"),
                  ("post/focal-point-norway", "positionTitle", "Ambassador"),
                  ("post/focal-point-iceland", "heldBy", "person/jonas-brekke"))),
    Case("a ministry's official serving as the focal point",
         RELEASE + "The Ministry's Director for Human Rights, Ms. Hanne Lie, serves as the R2P Focal Point of Denmark.",
         present=(("post/focal-point-denmark", "heldBy", "person/hanne-lie"),
                  ("post/focal-point-denmark", "positionTitle", "Director for Human Rights"))),
    Case("appointments stated by rank and by joining, dated by the date line",
         "Namibia joins the network\n\n3 March 2022\n\nThe Centre is delighted to welcome Namibia as the 62nd "
         "member to join the Global Network of R2P Focal Points. In a statement, the Centre noted that Malta became "
         "the sixty-third state to appoint a national R2P Focal Point. The accession of Nepal to the Global Network "
         "was also welcomed, while Chile has not yet joined the Global Network.",
         present=(("announcement/namibia-2022", "date", "2022-03-03"),
                  ("announcement/malta-2022", "announcedBy", "state/malta"),
                  ("announcement/nepal-2022", "intent", "appointed"),
                  ("state/nepal", "hasFocalPoint", "post/focal-point-nepal")),
         absent=(("announcement/chile-2022", "announcedBy", "state/chile"),)),
    Case("a rank in a meeting summary tells the past: the focal post, no announcement at the meeting",
         "Summary of the twelfth annual meeting of the Global Network of R2P Focal Points\n\n"
         "The twelfth annual meeting took place in Lima, Peru, on 3 and 4 May 2023. The Vice-Minister spoke of "
         "Peru's commitment — as the first country in the subregion to appoint an R2P Focal Point — to prevention.",
         present=(("state/peru", "hasFocalPoint", "post/focal-point-peru"),),
         absent=(("announcement/peru-2023", "announcedBy", "state/peru"),)),
    Case("an appointment in a news item without a meeting",
         "Weekly digest\n12 May 2021\n\nThe Government of Peru has appointed its national R2P Focal Point.",
         present=(("announcement/peru-2021", "date", "2021-05-12"),
                  ("state/peru", "hasFocalPoint", "post/focal-point-peru"))),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_person_facts(case: Case, tmp_path: Path) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(case.text, encoding="utf-8")
    doc = load_document(path)
    facts = _facts(doc)
    for want in case.present:
        assert _has(facts, want), (want, sorted(f for f in facts if "person" in f[0] or "role" in f[0]
                                                 or "post" in f[0] or "announcement" in f[0]))
    for unwanted in case.absent:
        assert not _has(facts, unwanted), unwanted
    names = {doc.text[m.span.start:m.span.end] for m in doc.mentions if m.label == "PERSON"}
    for name in case.persons:
        assert name in names, (name, names)
        assert f"person/{iris.slugify(name)}" in {_short(m.entity) for m in doc.mentions if m.label == "PERSON"}
