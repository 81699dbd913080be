"""What a reader of the bundled build's pages relies on: statements read once each in the ontology's words,
counts that say when they are partial, years written as years, search that forgives a typo, and evidence
links that land on the sentence they quote."""
from __future__ import annotations

import re
from html import unescape

import pytest

NINTH = "/page/meeting/annual-meeting-9"
R2P = "https://w3id.org/r2pkg/ontology#"


@pytest.fixture(scope="module")
def corpus(make_app_client, built_data_dir):
    return make_app_client(DATA_DIR=str(built_data_dir), QUERIES_DIR=None)


def html_of(client, path: str) -> str:
    r = client.get(path)
    assert r.status_code == 200, path
    return r.get_data(as_text=True)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def statement_rows(html: str) -> list[str]:
    return re.findall(r'<td class="fact statement[^"]*"', html)


def property_names(html: str) -> list[str]:
    return [unescape(n) for n in re.findall(r'<tr class="property"[^>]*><th scope="row"[^>]*><a [^>]*>([^<]+)</a>', html)]


# ---- statements, not triples ----

def test_the_ninth_meetings_page_lists_each_fact_once(corpus):
    html = html_of(corpus, NINTH)
    names = property_names(html)
    # one row per fact: the 216 rows of triples (every fact under its super-properties and inverses) are gone
    assert len(statement_rows(html)) <= 90
    assert len(names) == len(set(names))
    # a super-property or an inverse restating a fact is not a group of its own
    for restated in ("held in", "location", "attendee", "subEvent", "startDate", "endDate", "organizer"):
        assert restated not in names
    assert not any(n.endswith("(of)") for n in names)
    for said in ("held in city", "held in country", "hosted by", "has session", "start date"):
        assert said in names


def test_property_names_are_words_not_raw_local_names(corpus):
    for path in (NINTH, "/page/state/qatar", "/page/state/belgium", "/page/org/un-african-group"):
        for name in property_names(html_of(corpus, path)):
            assert not re.search(r"[a-z][A-Z]", name), (path, name)     # no "hasPost", "subOrganizationOf"
            assert name not in ("lat", "long"), (path, name)


def test_a_fact_only_the_reasoner_states_is_marked_inferred_and_an_asserted_one_is_not(corpus):
    html = html_of(corpus, NINTH)
    cells = re.findall(r'<td class="fact statement([^"]*)"[^>]*>(.*?)</td>', html, re.S)
    hosted = [c for c in cells if "European External Action Service" in c[1] and "evidence" in c[1]]
    assert hosted and all("inferred" not in cls for cls, _ in hosted)
    for cls, body in cells:
        assert ("inferred" in cls) == ('class="badge inferred"' in body)
        if "inferred" in cls:
            assert 'class="evidence"' not in body      # a sentence states it: it is not inferred


def test_meeting_state_and_person_pages_open_with_a_summary_card(corpus):
    meeting = text_of(html_of(corpus, NINTH))
    assert "Summary" in meeting and "13 May 2019" in meeting and "Brussels" in meeting
    state = html_of(corpus, "/page/state/qatar")
    assert 'class="card summary"' in state and "has focal point" in text_of(state)


def test_a_focal_point_shows_its_qualifiers(corpus):
    html = html_of(corpus, "/page/state/qatar")
    row = re.search(r"has focal point</a>.*?</tr>", html, re.S).group(0)
    assert 'class="qualifier"' in row


def test_long_lists_are_paged(corpus):
    html = html_of(corpus, NINTH)
    links = [unescape(u) for u in re.findall(r'<a rel="next" href="([^"]+)"', html)]
    participants = next((u for u in links if "hasParticipant" in u), None)
    assert participants, "the participants (15 besides the hosts) run over one page of 10"
    second = html_of(corpus, participants)
    assert '<a rel="prev"' in second and "2 of 2" in text_of(second)
    assert len(statement_rows(second)) < len(statement_rows(html))


# ---- partial counts ----

def test_a_meetings_participants_say_how_many_the_texts_name_of_the_count_stated(corpus):
    text = text_of(html_of(corpus, NINTH))
    assert re.search(r"named in the texts: \d+ of the more than 45 stated", text)


def test_the_home_page_says_its_members_are_those_named_of_the_size_stated(corpus):
    text = text_of(html_of(corpus, "/"))
    assert re.search(r"named in the texts: \d+ of the 63 stated", text)
    # and each meeting of the timeline, its participants named of the count stated
    assert re.search(r"more than 45 countries took part named in the texts: \d+ of the more than 45 stated", text)


def test_the_home_page_counts_each_statement_once(corpus, built_report):
    text = text_of(html_of(corpus, "/"))
    quads = built_report.total_quads if hasattr(built_report, "total_quads") else built_report["total_quads"]
    assert f"{quads:,} statements" in text


# ---- numbers ----

def test_years_and_ordinals_print_without_separators_and_large_counts_with(corpus):
    from r2pkg.webapp.render import XSD, natural_literal

    assert natural_literal("2012", XSD + "integer") == "2012"
    assert natural_literal("9", XSD + "integer") == "9"
    assert natural_literal("19360", XSD + "integer") == "19,360"
    html = html_of(corpus, "/queries/network-growth")
    assert ">2012<" in html and "2,012" not in html


# ---- search ----

def test_search_shows_the_most_specific_type(corpus):
    hits = corpus.get("/search?q=Qatar&format=json").get_json()["hits"]
    qatar = next(h for h in hits if h["iri"].endswith("/state/qatar"))
    assert "State" in qatar["type"] or "state" in qatar["type"]
    assert "Agent" not in qatar["type"] and "Organization" not in qatar["type"]


def test_search_finds_near_misses_for_a_typo(corpus):
    body = corpus.get("/search?q=Myanmr&format=json").get_json()
    assert any(h["iri"].endswith("/state/myanmar") for h in body["hits"])
    assert body["near"] == "myanmar"
    assert "near matches" in text_of(html_of(corpus, "/search?q=Myanmr"))
    suggested = corpus.get("/search/suggest?q=Myanmr").get_json()["suggestions"]
    assert any(s["iri"].endswith("/state/myanmar") for s in suggested)


def test_nothing_found_is_not_a_result(corpus):
    html = html_of(corpus, "/search?q=xqzvwpt")
    assert "Nothing found" in html
    assert "<li>Nothing found" not in html and '<ol class="hits">' not in html


# ---- the growth chart ----

def test_the_growth_charts_first_and_last_dates_stay_inside_it(corpus):
    html = html_of(corpus, "/")
    labels = re.findall(r'<text x="([\d.]+)" y="\d+" class="tick" text-anchor="(\w+)">([^<]*\d{4})</text>', html)
    assert labels[0][1] == "start" and labels[-1][1] == "end"


# ---- evidence anchors ----

def _anchors(client, path: str, cache: dict) -> set[str]:
    if path not in cache:
        cache[path] = set(re.findall(r'id="(char=\d+,\d+)"', html_of(client, path)))
    return cache[path]


def _dead(client, links: list[str], cache: dict) -> list[str]:
    dead = []
    for link in links:
        path, _, fragment = unescape(link).partition("#")
        if fragment.startswith("char=") and fragment not in _anchors(client, path, cache):
            dead.append(link)
    return dead


def test_every_evidence_link_lands_on_a_rendered_sentence(corpus):
    cache: dict = {}
    home = html_of(corpus, "/")
    pages = sorted(set(re.findall(r'href="(/page/[^"#?]+)"', home)))
    assert len(pages) > 20
    links = []
    for page in pages + [NINTH]:
        links += re.findall(r'class="evidence-link" href="([^"]+)"', html_of(corpus, page))
    assert links
    assert _dead(corpus, links, cache) == []


@pytest.mark.parametrize("q", ["focal point", "meeting", "Myanmar", "Syria", "genocide", "prevention"])
def test_every_search_sentence_link_lands_on_a_rendered_sentence(corpus, q):
    body = corpus.get("/search?" + "q=" + q.replace(" ", "+") + "&format=json").get_json()
    links = [h["url"] for h in body["hits"] if h["kind"] == "sentence"]
    assert _dead(corpus, links, {}) == []


def test_the_sentence_anchors_of_overlapping_sentences_are_rendered():
    from r2pkg.webapp.bp_document import render_text

    class Urls:
        link = staticmethod(lambda iri: "/x")

    class Data:
        label = staticmethod(lambda iri: "x")

    text = "Alpha beta gamma. Delta epsilon."
    html = render_text(text, [(0, 17), (6, 17), (18, 32), (18, 40)], [], Urls(), Data())
    for span in ("0,17", "6,17", "18,32", "18,40"):
        assert f'id="char={span}"' in html
    assert str(html).count('class="sentence"') >= 2


def test_a_regional_groups_page_says_how_many_of_its_states_the_texts_name_as_members(corpus):
    text = text_of(html_of(corpus, "/page/org/un-african-group"))
    assert re.search(r"network members named in the texts: \d+ of these \d+ states \(\d+ members named in all\)", text)
