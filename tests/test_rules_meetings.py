"""Meetings, their series, and the dates of documents (loaders/rules.py, meetings section).

Specifications, one case per line: a text of our own (invented people, networks and meetings, in
the genres users feed: news items, press releases, joint statements, report excerpts, summaries)
and what the graph must, or must not, say of it.

- An ordinal counts within the series its noun phrase names: a regional meeting, another network's
  meeting or a meeting numbered in Roman numerals is never the Global Network's annual meeting of
  that number, and never lends it a date or a city.
- A page's date line is its publication date (dct:issued); it lends its year to days written
  without one, and nothing else. Without a year anywhere, no date is made: the days stay as text.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS, XSD

from r2pkg.graph.vocab import R2P
from r2pkg.loaders.document import load_document
from r2pkg.loaders.gazetteer import gazetteer
from r2pkg.loaders.rules import find_date, yearless_date_text
from r2pkg.loaders.text import is_date_line

ID = "https://w3id.org/r2pkg/id/"
A = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def meeting(slug: str) -> URIRef:
    return URIRef(f"{ID}meeting/{slug}")


def entity(kind: str, slug: str) -> URIRef:
    return URIRef(f"{ID}{kind}/{slug}")


def day(iso: str) -> Literal:
    return Literal(iso, datatype=XSD.date)


@pytest.fixture(scope="module")
def read(tmp_path_factory):
    """The facts of a text, as a set of triples."""
    folder = tmp_path_factory.mktemp("meetings")
    counter = iter(range(10_000))

    def run(text: str) -> set[tuple]:
        path = Path(folder) / f"doc-{next(counter)}.txt"
        path.write_text(text, encoding="utf-8")
        return {(f.subject, f.predicate, f.object) for f in load_document(path, slug="doc").facts}
    return run


DOC = entity("document", "doc")

# (id, text, triples that must be there, triples that must not)
CASES = [
    ("regional-series-with-ordinal",
     "News\n\nThe Government of Norway hosted the fourth Regional R2P Focal Points Meeting for Oceania in Suva, Fiji, "
     "on 3 and 4 March 2022.",
     [(meeting("oceanian-focal-points-meetings-4"), A, R2P.Meeting),
      (meeting("oceanian-focal-points-meetings-4"), R2P.inSeries, entity("series", "oceanian-focal-points-meetings")),
      (meeting("oceanian-focal-points-meetings-4"), R2P.heldInCity, entity("city", "suva")),
      (meeting("oceanian-focal-points-meetings-4"), R2P.startDate, day("2022-03-03")),
      (meeting("oceanian-focal-points-meetings-4"), R2P.hostedBy, entity("state", "norway")),
      (entity("series", "oceanian-focal-points-meetings"), SKOS.altLabel,
       Literal("Regional R2P Focal Points Meeting for Oceania", lang="en"))],
     [(meeting("annual-meeting-4"), A, R2P.AnnualMeeting)]),
    ("another-networks-annual-meeting",
     "Kenya hosted the Third Annual Meeting of the Great Lakes Prevention Network's Focal Points in Nairobi on "
     "9 May 2023.",
     [(meeting("great-lakes-prevention-network-meetings-3"), R2P.ofNetwork,
       entity("org", "great-lakes-prevention-network")),
      (entity("org", "great-lakes-prevention-network"), A, R2P.Network),
      (meeting("great-lakes-prevention-network-meetings-3"), R2P.heldInCity, entity("city", "nairobi"))],
     [(meeting("annual-meeting-3"), A, R2P.AnnualMeeting)]),
    ("roman-numeral-virtual-no-year",
     "On 14 November, the secretariat co-organized the VII Focal Points Meeting of the Andean Network for Atrocity "
     "Prevention. The meeting was held online.",
     [(meeting("andean-network-for-atrocity-prevention-meetings-7"), R2P.ordinal, Literal(7, datatype=XSD.integer)),
      (meeting("andean-network-for-atrocity-prevention-meetings-7"), R2P.dateText, Literal("14 November"))],
     [(meeting("annual-meeting-7"), A, R2P.AnnualMeeting)]),
    ("one-series-two-phrasings",
     "Statement\n\nSweden hosted the 5th Nordic R2P Focal Points Meeting in Oslo. Norway will host the sixth meeting of "
     "the Nordic R2P Focal Points.",
     [(meeting("nordic-focal-points-meetings-5"), R2P.inSeries, entity("series", "nordic-focal-points-meetings")),
      (meeting("nordic-focal-points-meetings-6"), R2P.inSeries, entity("series", "nordic-focal-points-meetings")),
      (entity("state", "norway"), R2P.announcedHostOf, meeting("nordic-focal-points-meetings-6"))],
     [(meeting("annual-meeting-6"), A, R2P.AnnualMeeting)]),
    ("global-network-meeting-keeps-its-iri",
     "The Global Network of R2P Focal Points held its tenth annual meeting in Lima, Peru, from 2 to 3 June 2021.",
     [(meeting("annual-meeting-10"), A, R2P.AnnualMeeting),
      (meeting("annual-meeting-10"), R2P.inSeries, entity("series", "global-network-annual-meetings")),
      (meeting("annual-meeting-10"), R2P.heldInCity, entity("city", "lima")),
      (meeting("annual-meeting-10"), R2P.endDate, day("2021-06-03"))],
     []),
    ("regional-meeting-does-not-overwrite-the-annual-one",
     "Report\n\nThe Netherlands hosted the third European R2P Focal Points Meeting in Tallinn, Estonia, on 2 October "
     "2019. Participants recalled that the third annual meeting of the Global Network of R2P Focal Points took place "
     "in Quito.",
     [(meeting("european-focal-points-meetings-3"), R2P.heldInCity, entity("city", "tallinn")),
      (meeting("annual-meeting-3"), R2P.heldInCity, entity("city", "quito"))],
     [(meeting("annual-meeting-3"), R2P.heldInCity, entity("city", "tallinn")),
      (meeting("annual-meeting-3"), R2P.startDate, day("2019-10-02"))]),
    ("date-line-lends-its-year",
     "Published 9 November 2021\n\nMalta and Nepal co-hosted the twelfth annual meeting of the Global Network of R2P "
     "Focal Points in Valletta on 4 and 5 November.",
     [(DOC, DCTERMS.issued, day("2021-11-09")),
      (meeting("annual-meeting-12"), R2P.startDate, day("2021-11-04")),
      (meeting("annual-meeting-12"), R2P.endDate, day("2021-11-05"))],
     [(meeting("annual-meeting-12"), R2P.startDate, day("2021-11-09"))]),
    ("date-line-is-not-the-meeting-date",
     "3 March 2025\nSummary of the second meeting of the Global Network of R2P Focal Points\n\nThe meeting was "
     "convened by Chile in Santiago.",
     [(DOC, DCTERMS.issued, day("2025-03-03"))],
     [(meeting("annual-meeting-2"), R2P.startDate, day("2025-03-03"))]),
    ("no-year-anywhere-no-date",
     "The eleventh annual meeting of the Global Network of R2P Focal Points met from 4 to 6 November in Tallinn, "
     "Estonia, hosted by Estonia.",
     [(meeting("annual-meeting-11"), R2P.dateText, Literal("4 to 6 November")),
      (meeting("annual-meeting-11"), R2P.heldInCity, entity("city", "tallinn"))],
     []),
    ("weekdays-in-a-span",
     "Joint statement\n\nThe Governments of Ghana and Peru co-hosted the fourteenth annual meeting of the Global "
     "Network of R2P Focal Points on Thursday 4 and Friday 5 November 2021 in Dakar.",
     [(meeting("annual-meeting-14"), R2P.startDate, day("2021-11-04")),
      (meeting("annual-meeting-14"), R2P.endDate, day("2021-11-05"))],
     []),
    ("announced-meeting",
     "Press release\n\nMalta and Nepal will host the twelfth annual meeting of the Global Network of R2P Focal Points "
     "in Valletta, Malta, on 4 and 5 November 2021. The meeting will bring together officials from more than 60 "
     "countries.",
     [(meeting("annual-meeting-12"), R2P.hostedBy, entity("state", "malta")),
      (entity("state", "nepal"), R2P.announcedHostOf, meeting("annual-meeting-12")),
      (DOC, R2P.announcesMeeting, meeting("annual-meeting-12")),
      (meeting("annual-meeting-12"), R2P.heldInCity, entity("city", "valletta")),
      (meeting("annual-meeting-12"), R2P.participantCount, Literal(60, datatype=XSD.integer)),
      (meeting("annual-meeting-12"), R2P.countIsLowerBound, Literal(True))],
     []),
    ("place-in-the-title-only",
     "Summary of the 13th Annual Meeting of the Global Network of R2P Focal Points, Windhoek, Namibia\n\nThe meeting "
     "was co-hosted by Namibia and Ireland on 8 and 9 June 2023.",
     [(meeting("annual-meeting-13"), R2P.heldInCity, entity("city", "windhoek")),
      (meeting("annual-meeting-13"), R2P.hostedBy, entity("state", "ireland"))],
     []),
    ("news-dateline",
     "Valletta, 4 May 2021 – The ministry hosted the second Mediterranean R2P Focal Points Meeting, which gathered "
     "officials from 12 countries.",
     [(meeting("mediterranean-focal-points-meetings-2"), R2P.startDate, day("2021-05-04")),
      (DOC, DCTERMS.issued, day("2021-05-04"))],
     [(meeting("mediterranean-focal-points-meetings-2"), R2P.endDate, day("2021-05-04")),
      (meeting("annual-meeting-2"), A, R2P.AnnualMeeting)]),
    ("acronym-and-partner-host",
     "On 3 May 2022, XYPN co-organized the IV Focal Points Meeting of the Caspian Prevention Network in "
     "collaboration with the Ministry of Foreign Affairs of Georgia.",
     [(meeting("caspian-prevention-network-meetings-4"), R2P.hostedBy, entity("org", "xypn")),
      (meeting("caspian-prevention-network-meetings-4"), R2P.hostedBy, entity("state", "georgia"))],
     []),
    ("first-meeting-of-focal-points-is-the-global-networks",
     "The first meeting of national focal points for the responsibility to protect was convened by Fiji and Peru "
     "on 6 and 7 October 2009 in Lima.",
     [(meeting("annual-meeting-1"), A, R2P.AnnualMeeting),
      (meeting("annual-meeting-1"), R2P.startDate, day("2009-10-06"))],
     []),
]


@pytest.mark.parametrize("text, present, absent", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_meeting_facts(read, text, present, absent):
    facts = read(text)
    missing = [t for t in present if t not in facts]
    assert not missing, f"missing: {missing}\ngot: {sorted(t for t in facts if 'meeting' in str(t[0]))}"
    wrong = [t for t in absent if t in facts]
    assert not wrong, f"must not be there: {wrong}"


def test_a_series_meeting_is_never_an_annual_meeting(read):
    facts = read("The Government of Chile hosted the second Regional R2P Focal Points Meeting for Latin America "
                 "in Lima on 7 April 2016.")
    annual = {s for s, p, o in facts if p == A and o == R2P.AnnualMeeting}
    assert not annual


# (text, default year, start, end): day spans, weekdays, months crossed, abbreviations
DATES = [
    ("on 3 and 4 April 2012", None, "2012-04-03", "2012-04-04"),
    ("on 3 and 4 April", 2012, "2012-04-03", "2012-04-04"),
    ("Monday 9 – Tuesday 10 October 2017", None, "2017-10-09", "2017-10-10"),
    ("on Tuesday 8 and Wednesday 9 March 2016", None, "2016-03-08", "2016-03-09"),
    ("21‐22 April, 2009", None, "2009-04-21", "2009-04-22"),
    ("from 30 June to 2 July 2015", None, "2015-06-30", "2015-07-02"),
    ("from June 30 to July 2, 2015", None, "2015-06-30", "2015-07-02"),
    ("July 5-7, 2016", None, "2016-07-05", "2016-07-07"),
    ("on 14 Sep 2019", None, "2019-09-14", "2019-09-14"),
    ("on September 14", 2020, "2020-09-14", "2020-09-14"),
    ("from the 4th to the 6th of November 2021", None, "2021-11-04", "2021-11-06"),
    ("between 8 and 10 February 2017", None, "2017-02-08", "2017-02-10"),
]


@pytest.mark.parametrize("text, year, start, end", DATES)
def test_find_date(text, year, start, end):
    found = find_date(gazetteer(), text, year)
    assert found is not None and (str(found.start), str(found.end)) == (start, end)


@pytest.mark.parametrize("text", ["on 3 and 4 April", "from 7 to 9 August in Quito", "On September 14, it met"])
def test_days_without_a_year_get_no_year(text):
    assert find_date(gazetteer(), text, None) is None
    assert yearless_date_text(gazetteer(), text)


@pytest.mark.parametrize("line, is_one", [
    ("3 February 2016", True), ("Published 14 Sep 2019", True), ("Monday, 6 March 2023", True),
    ("Friday, April 7, 2017 - 09:30", True), ("Posted on: 4 May 2021", True),
    ("Summary of the Sixth Meeting, Lima, Peru, June 2019", False),
    ("On 2 May 2016 the meeting opened.", False),
])
def test_date_line(line, is_one):
    assert is_date_line(line) is is_one


UNNUMBERED = [
    ("Bulletin\n\nPeru hosted a regional meeting of R2P Focal Points for the Andes in Lima on 12th and 13th of "
     "August 2022. Officials from 9 countries attended the meeting.",
     "meeting/andes-focal-points-meetings-2022-08-12", "city/lima", 9),
    ("The Ministry of Foreign Affairs of Ghana convened the first-ever West African ministerial conference on "
     "atrocity prevention. It was held in Dakar on 2 March 2024.",
     None, None, None),
]


@pytest.mark.parametrize("text, iri, city, count", UNNUMBERED)
def test_a_meeting_without_a_number_is_known_by_its_series_and_first_day(read, text, iri, city, count):
    facts = read(text)
    meetings = {s for s, p, o in facts if p == A and o in (R2P.Meeting, R2P.AnnualMeeting)}
    assert not {m for m in meetings if "annual-meeting" in str(m)}
    if iri is None:
        return
    assert meetings == {URIRef(ID + iri)}
    assert (URIRef(ID + iri), R2P.heldInCity, URIRef(ID + city)) in facts
    assert (URIRef(ID + iri), R2P.participantCount, Literal(count, datatype=XSD.integer)) in facts


GENRES = [
    ("report-excerpt-month-only",
     "Annual report (excerpt)\n\nIn May 2019, the ninth annual meeting of the Global Network of R2P Focal Points was "
     "held in Brussels. More than 45 States took part in the meeting.",
     [(meeting("annual-meeting-9"), R2P.startDate, Literal("2019-05", datatype=XSD.gYearMonth)),
      (meeting("annual-meeting-9"), R2P.participantCount, Literal(45, datatype=XSD.integer)),
      (meeting("annual-meeting-9"), R2P.heldInCity, entity("city", "brussels"))]),
    ("news-item-announcement-with-date-line",
     "News\n\n4 March 2022\n\nThe Global Network's 11th annual meeting will take place in Nairobi, Kenya, from 14 to "
     "16 June. Kenya and Canada will co-host the meeting, which is expected to bring together over 50 countries.",
     [(meeting("annual-meeting-11"), R2P.startDate, day("2022-06-14")),
      (entity("state", "canada"), R2P.announcedHostOf, meeting("annual-meeting-11")),
      (meeting("annual-meeting-11"), R2P.participantCount, Literal(50, datatype=XSD.integer))]),
    ("caption-then-regional-meeting-and-a-pronoun",
     "Photo: Delegates at the opening session\n\nThe 4th Meeting of the African Regional Focal Points took place in "
     "Kigali, Rwanda on 5-6 September 2019. It was organised by the Government of Rwanda.",
     [(meeting("african-focal-points-meetings-4"), R2P.hostedBy, entity("state", "rwanda")),
      (meeting("african-focal-points-meetings-4"), R2P.endDate, day("2019-09-06"))]),
]


@pytest.mark.parametrize("text, present", [c[1:] for c in GENRES], ids=[c[0] for c in GENRES])
def test_meeting_facts_in_other_genres(read, text, present):
    facts = read(text)
    assert not [t for t in present if t not in facts], sorted(t for t in facts if "meeting/" in str(t[0]))


def test_two_documents_about_one_meeting_name_it_alike_and_keep_their_own_counts(read):
    """A notice before a meeting and a summary after it describe one meeting (one IRI); where they
    disagree (more than 60 expected, 58 came) each document keeps its own statement."""
    notice = read("Notice\n\nFiji will host the 3rd Oceanian R2P Focal Points Meeting in Suva on 5 and 6 May 2023. "
                  "The meeting is expected to bring together more than 60 countries.")
    summary = read("Summary\n\nFiji hosted the third Oceanian R2P Focal Points Meeting in Suva, Fiji, on 5 and 6 May "
                   "2023. Officials from 58 countries attended the meeting.")
    iri = meeting("oceanian-focal-points-meetings-3")
    assert (iri, R2P.participantCount, Literal(60, datatype=XSD.integer)) in notice
    assert (iri, R2P.participantCount, Literal(58, datatype=XSD.integer)) in summary
    assert (DOC, R2P.announcesMeeting, iri) in notice and (DOC, R2P.announcesMeeting, iri) not in summary


def test_a_date_line_is_a_block_of_its_own_but_a_wrapped_date_is_not():
    from r2pkg.loaders.text import clean

    page = clean("Published 14 Sep 2019\nTwelfth Annual Meeting of the Network\n\nThe meeting was held on\n"
                 "3 February 2016\nin Lima.\n").text.split("\n")
    assert page[:2] == ["Published 14 Sep 2019", "Twelfth Annual Meeting of the Network"]
    assert "The meeting was held on 3 February 2016 in Lima." in page


def test_a_caption_does_not_name_the_documents_meeting(read):
    facts = read("News\n\nPhoto: participants of the 2nd Alpine R2P Focal Points Meeting in Oslo\n\nSlovenia hosted the "
                 "fourth annual meeting of the Global Network of R2P Focal Points in Lima on 2 and 3 May 2016.")
    assert (DOC, R2P.aboutMeeting, meeting("annual-meeting-4")) in facts
    assert (meeting("annual-meeting-4"), R2P.heldInCity, entity("city", "lima")) in facts
    assert not [t for t in facts if t[0] == meeting("alpine-focal-points-meetings-2") and t[1] == R2P.heldInCity]
